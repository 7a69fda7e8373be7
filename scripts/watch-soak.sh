#!/usr/bin/env bash
# Soak test of `nianbao watch`: N workbooks dropped in bursts, some written slowly, some
# broken, the watcher killed with SIGKILL and restarted in between. Every file must end in
# done/ or failed/, with outputs for each converted one, and nothing left in .processing/.
# Usage: scripts/watch-soak.sh [N] (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
cargo build --release --quiet
cargo build --release --quiet --example gen_workbooks
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$work"' EXIT
./target/release/examples/gen_workbooks "$work/src" "$n" >/dev/null
mapfile -t files < <(find "$work/src" -name '*.xlsx' | sort)
mkdir -p "$work/inbox"
start() { ./target/release/nianbao watch "$work/inbox" -o "$work/out" --poll 0.3 --settle 0.5 >>"$work/log" 2>&1 & pid=$!; }
start
broken=0
for i in "${!files[@]}"; do
  f=${files[$i]}
  name=$(basename "$f")
  if (( i % 50 == 7 )); then
    # A broken file: the first half of a workbook.
    head -c 3000 "$f" >"$work/inbox/坏-$name"; broken=$((broken + 1))
  elif (( i % 40 == 3 )); then
    # Written slowly, in four chunks.
    ( size=$(stat -c %s "$f"); chunk=$(( size / 4 + 1 ))
      for k in 0 1 2 3; do dd if="$f" bs="$chunk" skip="$k" count=1 2>/dev/null >>"$work/inbox/$name"; sleep 0.2; done ) &
  else
    cp "$f" "$work/inbox/$name.part" && mv "$work/inbox/$name.part" "$work/inbox/$name"
  fi
  if (( i % 60 == 59 )); then
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true; start   # killed mid-burst, restarted
  fi
  (( i % 25 == 0 )) && sleep 0.3
done
wait_for() {
  for _ in $(seq 1 600); do
    done_n=$(find "$work/inbox/done" -maxdepth 1 -type f | wc -l)
    failed_n=$(find "$work/inbox/failed" -maxdepth 1 -type f ! -name '*.错误.txt' | wc -l)
    left=$(find "$work/inbox" -maxdepth 1 -type f | wc -l)
    proc=$(find "$work/inbox/.processing" -type f | wc -l)
    (( done_n + failed_n == n && left == 0 && proc == 0 )) && return 0
    sleep 0.5
  done
  return 1
}
ok=0; wait_for && ok=1
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
docx=$(find "$work/out" -name '*.docx' | wc -l)
tmp=$(find "$work/out" -name '*.tmp' | wc -l)
echo "files=$n done=$done_n failed=$failed_n (broken dropped=$broken) left=$left processing=$proc docx=$docx tmp=$tmp"
(( ok == 1 && tmp == 0 && failed_n >= broken )) || { echo "SOAK FAILED"; tail -20 "$work/log"; exit 1; }
echo "soak ok"
