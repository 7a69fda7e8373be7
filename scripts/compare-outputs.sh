#!/usr/bin/env bash
# Compares two folders written by `cargo run --example dump_outputs`: the whole files, and
# for each package that differs, which of its parts differ (unzipped).
# Usage: scripts/compare-outputs.sh OLD NEW
set -uo pipefail
old=$(realpath "$1") new=$(realpath "$2")
same=0 diff=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$old"/*; do
    n="$new/$(basename "$f")"
    if [ ! -e "$n" ]; then echo "missing: $(basename "$f")"; diff=$((diff + 1)); continue; fi
    if cmp -s "$f" "$n"; then same=$((same + 1)); continue; fi
    diff=$((diff + 1))
    echo "differs: $(basename "$f")"
    case "$f" in
    *.docx | *.xlsx)
        rm -rf "$tmp/a" "$tmp/b"
        mkdir -p "$tmp/a" "$tmp/b"
        (cd "$tmp/a" && unzip -q "$f")
        (cd "$tmp/b" && unzip -q "$n")
        diff -rq "$tmp/a" "$tmp/b" | sed 's/^/    /'
        ;;
    esac
done
echo "$same identical, $diff different"
[ "$diff" -eq 0 ]
