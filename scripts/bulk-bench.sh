#!/usr/bin/env bash
# Bulk benchmark of `nianbao batch`: generates N varied workbooks and converts them,
# reporting wall time, time per file, files per second, CPU time per file (and the part of
# it spent in the kernel) and peak RSS.
# Usage: scripts/bulk-bench.sh [N...] (default 1 100 5000); JOBS=2 by default.
#
# Nothing is deleted until the end: each run writes into folders of its own. On ext4
# without a journal (this project's benchmark machine) the kernel skips every inode freed
# in the last minute or more when it creates a file (`recently_deleted` in fs/ext4/ialloc.c),
# so deleting one run's 2,000 outputs made the next run's file creation cost as much CPU as
# its conversion (perf: 30% of the run in `ext4_create`). Departments' folders are not
# emptied a moment before each batch; the benchmark should not be either. Set
# BULK_BENCH_DELETE=1 to measure that case (each run deletes the previous run's folders).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo build --release --quiet --example gen_workbooks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=${JOBS:-2}
printf '%8s %10s %12s %12s %14s %10s %10s\n' files seconds ms/file files/s cpu_ms/file sys_ms/file peak_MB
run=0
for n in "${@:-1 100 5000}"; do
  for k in $n; do
    run=$((run + 1))
    if [ "${BULK_BENCH_DELETE:-0}" = 1 ] && [ "$run" -gt 1 ]; then
      rm -rf "$work/in$((run - 1))" "$work/out$((run - 1))"
    fi
    in="$work/in$run" out="$work/out$run"
    ./target/release/examples/gen_workbooks "$in" "$k" >/dev/null
    # Inputs on the disk before timing, as files received earlier would be: the batch's
    # final sync should flush its own outputs, not the generator's.
    sync
    start=$(date +%s.%N)
    # Exit 1 (some files with error findings) is expected: every tenth file has a broken total.
    /usr/bin/time -f '%M %U %S' -o "$work/time" ./target/release/nianbao batch "$in" -o "$out" --jobs "$jobs" \
      >/dev/null 2>&1 || [ $? -eq 1 ]
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    read -r rss user sys < <(tail -n 1 "$work/time")
    docs=$(find "$out" -name '*.docx' | wc -l)
    [ "$docs" -eq "$k" ] || { echo "bulk-bench: $docs Word reports for $k inputs" >&2; exit 1; }
    printf '%8d %10.2f %12.2f %12.0f %14.2f %10.2f %10.1f\n' "$k" "$secs" "$(echo "$secs * 1000 / $k" | bc -l)" \
      "$(echo "$k / $secs" | bc -l)" "$(echo "($user + $sys) * 1000 / $k" | bc -l)" \
      "$(echo "$sys * 1000 / $k" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  done
done
