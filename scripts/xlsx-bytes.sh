#!/usr/bin/env bash
# Writes the archive workbook of every sample and fixture (convert, one by one) and the batch
# 汇总.xlsx over the samples and over the fixtures, with a fixed time, into OUT: to compare the
# xlsx writer byte for byte before and after a change (`cmp -r` or scripts/compare-outputs.sh).
# Usage: scripts/xlsx-bytes.sh NIANBAO_BINARY OUT
set -uo pipefail
bin=$(realpath "$1") out=$2
export NIANBAO_FIXED_TIME=1700000000
rm -rf "$out" && mkdir -p "$out/archives" "$out/batch"
cd "$(dirname "$0")/.."
while IFS= read -r -d '' f; do
    name=$(echo "$f" | tr '/' '_')
    tmp=$(mktemp -d)
    "$bin" convert "$f" -o "$tmp" >/dev/null 2>&1
    for a in "$tmp"/*.xlsx; do [ -e "$a" ] && cp "$a" "$out/archives/$name.$(basename "$a")"; done
    rm -rf "$tmp"
done < <(find samples tests/fixtures -maxdepth 1 -type f \( -name '*.xlsx' -o -name '*.xls' -o -name '*.xlsm' -o -name '*.ods' \) -print0 | sort -z)
for dir in samples tests/fixtures; do
    tmp=$(mktemp -d)
    "$bin" batch "$dir" -o "$tmp" >/dev/null 2>&1
    cp "$tmp/汇总.xlsx" "$out/batch/$(basename "$dir").汇总.xlsx" 2>/dev/null || echo "no 汇总.xlsx for $dir"
    rm -rf "$tmp"
done
ls "$out/archives" | wc -l
