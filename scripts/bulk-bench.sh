#!/usr/bin/env bash
# Bulk benchmark of `nianbao batch`: generates N varied workbooks and converts them,
# reporting wall time, time per file and peak RSS. Usage: scripts/bulk-bench.sh [N...] (default 1 100 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo build --release --quiet --example gen_workbooks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=${JOBS:-2}
printf '%8s %10s %12s %12s\n' files seconds ms/file peak_MB
for n in "${@:-1 100 5000}"; do
  for k in $n; do
    rm -rf "$work/in" "$work/out"
    ./target/release/examples/gen_workbooks "$work/in" "$k" >/dev/null
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" ./target/release/nianbao batch "$work/in" -o "$work/out" --jobs "$jobs" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    rss=$(tail -n 1 "$work/rss")
    printf '%8d %10.2f %12.2f %12.1f\n' "$k" "$secs" "$(echo "$secs * 1000 / $k" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  done
done
