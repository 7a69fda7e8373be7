#!/usr/bin/env bash
# Bulk benchmark of `nianbao batch`: generates N varied workbooks and converts them,
# reporting wall time, time per file, files per second, CPU time per file and peak RSS.
# Usage: scripts/bulk-bench.sh [N...] (default 1 100 5000); JOBS=2 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo build --release --quiet --example gen_workbooks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=${JOBS:-2}
printf '%8s %10s %12s %12s %14s %10s\n' files seconds ms/file files/s cpu_ms/file peak_MB
for n in "${@:-1 100 5000}"; do
  for k in $n; do
    rm -rf "$work/in" "$work/out"
    ./target/release/examples/gen_workbooks "$work/in" "$k" >/dev/null
    # Inputs on the disk before timing, as files received earlier would be: the batch's
    # final sync should flush its own outputs, not the generator's.
    sync
    start=$(date +%s.%N)
    # Exit 1 (some files with error findings) is expected: every tenth file has a broken total.
    /usr/bin/time -f '%M %U %S' -o "$work/time" ./target/release/nianbao batch "$work/in" -o "$work/out" --jobs "$jobs" \
      >/dev/null 2>&1 || [ $? -eq 1 ]
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    read -r rss user sys < <(tail -n 1 "$work/time")
    docs=$(find "$work/out" -name '*.docx' | wc -l)
    [ "$docs" -eq "$k" ] || { echo "bulk-bench: $docs Word reports for $k inputs" >&2; exit 1; }
    printf '%8d %10.2f %12.2f %12.0f %14.2f %10.1f\n' "$k" "$secs" "$(echo "$secs * 1000 / $k" | bc -l)" \
      "$(echo "$k / $secs" | bc -l)" "$(echo "($user + $sys) * 1000 / $k" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  done
done
