#!/usr/bin/env bash
# Soak test of `nianbao watch`: N workbooks dropped in bursts, some written slowly, some
# broken, two watchers on the inbox at once (only one may work it) plus a cron-style
# `watch --once` now and then, the watchers killed with SIGKILL and restarted in between.
# Every file must end in done/ or failed/, with outputs for each converted one, nothing left
# in .processing/, and nothing in failed/ but broken files and workbooks with error findings
# (a tenth of the generated ones, on purpose). Then, as root, a full-disk phase: the output
# folder is a small tmpfs that fills up; no file may go to failed/ for it, and once the disk
# is grown every file is converted by the watcher's retries.
# Usage: scripts/watch-soak.sh [N] (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
cargo build --release --quiet
cargo build --release --quiet --example gen_workbooks
work=$(mktemp -d)
pid=; pid2=; pid3=
cleanup() {
  kill -9 $pid $pid2 $pid3 2>/dev/null || true
  mountpoint -q "$work/full" 2>/dev/null && umount "$work/full"
  rm -rf "$work"
}
trap cleanup EXIT
./target/release/examples/gen_workbooks "$work/src" "$n" >/dev/null
mapfile -t files < <(find "$work/src" -name '*.xlsx' | sort)
mkdir -p "$work/inbox"
nb=./target/release/nianbao
start() { $nb watch "$work/inbox" -o "$work/out" --poll 0.3 --settle 0.5 >>"$work/log" 2>&1 & pid=$!; }
start2() { $nb watch "$work/inbox" -o "$work/out" --poll 0.3 --settle 0.5 >>"$work/log2" 2>&1 & pid2=$!; }
start; start2
broken=0; once_runs=0
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
  if (( i % 90 == 45 )); then
    kill -9 "$pid2"; wait "$pid2" 2>/dev/null || true; start2
  fi
  if (( i % 70 == 35 )); then
    # cron's `--once` while the watchers run: must leave at once, touching nothing.
    $nb watch "$work/inbox" -o "$work/out" --once --settle 0.5 >>"$work/log-once" 2>&1; once_runs=$((once_runs + 1))
  fi
  (( i % 25 == 0 )) && sleep 0.3
done
wait_for() {
  local want=$1 inbox=$2
  for _ in $(seq 1 600); do
    done_n=$(find "$inbox/done" -maxdepth 1 -type f | wc -l)
    failed_n=$(find "$inbox/failed" -maxdepth 1 -type f ! -name '*.错误.txt' | wc -l)
    left=$(find "$inbox" -maxdepth 1 -type f ! -name '.*' | wc -l)
    proc=$(find "$inbox/.processing" -type f | wc -l)
    (( done_n + failed_n == want && left == 0 && proc == 0 )) && return 0
    sleep 0.5
  done
  return 1
}
# Files in failed/ whose note does not say their report was made (a finding, not a loss).
lost() {
  local n=0 note
  for note in "$1/failed/"*.错误.txt; do
    [[ -e $note ]] || continue
    grep -q '报告已生成' "$note" || n=$((n + 1))
  done
  echo "$n"
}
ok=0; wait_for "$n" "$work/inbox" && ok=1
kill -TERM "$pid" "$pid2"; wait "$pid" 2>/dev/null || true; wait "$pid2" 2>/dev/null || true
docx=$(find "$work/out" -maxdepth 1 -name '*.docx' | wc -l)
tmp=$(find "$work/out" "$work/inbox" -name '*.tmp' | wc -l)
# A tenth of the generated workbooks carry a wrong total on purpose: their report is made
# and they go to failed/ with the finding. Any other file in failed/ is a loss.
not_made=$(lost "$work/inbox")
with_findings=$((failed_n - not_made))
good_failed=$((not_made - broken))
echo "files=$n done=$done_n failed=$failed_n (broken dropped=$broken, with error findings=$with_findings, good in failed/=$good_failed) left=$left processing=$proc docx=$docx tmp=$tmp once-runs=$once_runs"
(( ok == 1 && tmp == 0 && good_failed == 0 )) || {
  echo "SOAK FAILED"
  for note in "$work/inbox/failed/"*.错误.txt; do [[ -e $note ]] && { echo "--- $(basename "$note")"; head -n 5 "$note"; }; done | head -n 60
  tail -n 20 "$work/log" "$work/log2"
  exit 1
}

# Full disk: the output folder is a 1 MB tmpfs; the watcher must keep the files and retry.
if [[ $(id -u) -eq 0 ]] && mkdir -p "$work/full" && mount -t tmpfs -o size=1m tmpfs "$work/full" 2>/dev/null; then
  mkdir -p "$work/inbox2"
  m=40
  $nb watch "$work/inbox2" -o "$work/full" --poll 0.3 --settle 0.3 >>"$work/log3" 2>&1 & pid3=$!
  for f in "${files[@]:0:$m}"; do cp "$f" "$work/inbox2/$(basename "$f")"; done
  for _ in $(seq 1 120); do grep -q '无法写入输出' "$work/log3" && break; sleep 0.5; done
  full_failed=$(lost "$work/inbox2")
  unwritten=$(grep -c '无法写入输出' "$work/log3" || true)
  mount -o remount,size=64m "$work/full"
  ok2=0; wait_for "$m" "$work/inbox2" && ok2=1
  kill -TERM "$pid3"; wait "$pid3" 2>/dev/null || true
  pairs=$(find "$work/full" -maxdepth 1 -name '*.docx' | wc -l)
  xlsx=$(find "$work/full" -maxdepth 1 -name '*.xlsx' | wc -l)
  lost_after=$(lost "$work/inbox2")
  echo "full disk: files=$m write-failures-logged=$unwritten lost-while-full=$full_failed done=$done_n failed=$failed_n (with error findings; lost=$lost_after) docx=$pairs xlsx=$xlsx"
  (( ok2 == 1 && full_failed == 0 && lost_after == 0 && unwritten > 0 && pairs == xlsx )) || { echo "FULL-DISK PHASE FAILED"; tail -n 20 "$work/log3"; exit 1; }
else
  echo "full disk: skipped (needs root and tmpfs)"
fi
echo "soak ok"
