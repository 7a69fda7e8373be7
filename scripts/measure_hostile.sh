#!/bin/sh
# Measures `nianbao check` (release build) on every case of the hostile-input catalogue:
# exit code, wall time and peak RSS, as a Markdown table for docs/hostile-input.md.
# Usage: scripts/measure_hostile.sh [DIR]   (needs GNU time at /usr/bin/time)
set -eu
dir=${1:-target/hostile}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cargo build --release -q
HOSTILE_DIR="$dir" cargo test -q --test main hostile::dump_catalogue -- --ignored --exact >/dev/null
stats=$(mktemp)
printf '| file | bytes | exit | seconds | peak RSS (MB) |\n|---|---:|---:|---:|---:|\n'
for f in "$dir"/*; do
    set +e
    /usr/bin/time -f '%e %M' -o "$stats" target/release/nianbao check "$f" >/dev/null 2>&1
    code=$?
    set -e
    read -r secs kb <<EOF2
$(tail -n 1 "$stats")
EOF2
    printf '| %s | %s | %s | %s | %s |\n' "$(basename "$f")" "$(wc -c <"$f" | tr -d ' ')" "$code" "$secs" \
        "$(awk "BEGIN { printf \"%.1f\", $kb / 1024 }")"
done
rm -f "$stats"
