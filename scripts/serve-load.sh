#!/usr/bin/env bash
# Load test of `nianbao serve` on the loopback address: N uploads (default 2,000) of varied
# sample-sized workbooks through the page's form at each concurrency (default 16, then 8),
# a fresh release server for each; prints failures, p50/p99 latency and the server's peak RSS.
# Usage: scripts/serve-load.sh [N] [CONCURRENCY...]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
shift || true
concurrencies=${*:-16 8}
[ "$n" -le 100000 ] || { echo "serve-load: at most 100000 uploads" >&2; exit 2; }
cargo build --release --quiet --bin nianbao
cargo build --release --quiet --example gen_workbooks --example serve_load
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Every upload a different workbook, so none is answered from the server's memory.
./target/release/examples/gen_workbooks "$work/in" "$n" >/dev/null
status=0
for c in $concurrencies; do
    ./target/release/nianbao serve --listen 127.0.0.1:0 2>"$work/log" &
    pid=$!
    addr=
    for _ in $(seq 100); do
        addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/log" | head -n 1 || true)
        [ -n "$addr" ] && break
        sleep 0.1
    done
    [ -n "$addr" ] || { echo "serve-load: the server did not start" >&2; cat "$work/log" >&2; exit 1; }
    ./target/release/examples/serve_load "$addr" "$work/in" "$n" "$c" || status=1
    peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    echo "  server peak RSS $((peak / 1024)) MB; $(wc -l <"$work/log") log lines"
    kill -TERM "$pid"
    wait "$pid" || status=1
    pid=
done
exit $status
