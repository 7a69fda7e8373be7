#!/usr/bin/env bash
# Renders Word reports with LibreOffice and checks the PDF: every section heading and every
# number of the tables must be there (zeros aside: a blank cell prints blank), the layout
# tests of tests/render.rs must pass; openxml-audit (when installed) must find nothing in the
# Word reports nor, for the samples, in their archive workbooks.
#
#   scripts/render-check.sh REPORT.docx REPORT.json [...]   check given pairs (the JSON is
#                                                            `nianbao check --format json`)
#   scripts/render-check.sh                                  convert every samples/*.xlsx with
#                                                            nianbao and check each; without
#                                                            samples, check two generated reports
#
# Exits 1 on the first report with a miss, 2 when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in soffice pdftotext python3; do
    command -v "$tool" >/dev/null || { echo "render-check: $tool is not installed" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="${HOME:-$work}"

pairs=()
if [ $# -gt 0 ]; then
    [ $(($# % 2)) -eq 0 ] || { echo "usage: $0 [REPORT.docx REPORT.json]..." >&2; exit 2; }
    pairs=("$@")
else
    shopt -s nullglob
    samples=(samples/*.xlsx)
    if [ ${#samples[@]} -gt 0 ]; then
        cargo build --quiet --bin nianbao
        bin=target/debug/nianbao
        for s in "${samples[@]}"; do
            stem=$(basename "$s" .xlsx)
            mkdir -p "$work/out"
            # Exit 1 means findings: the files are still written.
            "$bin" convert -o "$work/out" "$s" >/dev/null || [ $? -eq 1 ]
            "$bin" check --format json "$s" >"$work/$stem.json" || [ $? -eq 1 ]
            pairs+=("$work/out/$stem.docx" "$work/$stem.json")
        done
    else
        echo "render-check: samples/ has no workbook; checking two generated reports (2019 and 2021 editions)"
        NIANBAO_RENDER_DIR="$work" cargo test --quiet --test main docx::render_inputs -- --ignored >/dev/null
        for ed in 2019 2021; do
            pairs+=("$work/generated-$ed.docx" "$work/generated-$ed.json")
        done
    fi
fi

status=0
set -- "${pairs[@]}"
while [ $# -gt 0 ]; do
    docx=$1 json=$2
    shift 2
    name=$(basename "$docx" .docx)
    if command -v openxml-audit >/dev/null; then
        if ! openxml-audit -q -m 0 "$docx" >"$work/audit.txt" 2>&1; then
            echo "render-check: $name: openxml-audit reports errors:" >&2
            cat "$work/audit.txt" >&2
            status=1
            continue
        fi
    else
        echo "render-check: openxml-audit not installed, schema check skipped"
    fi
    mkdir -p "$work/pdf"
    soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf --outdir "$work/pdf" "$docx" \
        >/dev/null 2>&1
    pdf="$work/pdf/$name.pdf"
    [ -s "$pdf" ] || { echo "render-check: $name: LibreOffice produced no PDF" >&2; status=1; continue; }
    pdftotext -layout "$pdf" "$work/$name.txt"
    if python3 - "$work/$name.txt" "$json" "$name" <<'EOF'
import collections, json, re, sys

text = open(sys.argv[1], encoding="utf-8").read()
report = json.load(open(sys.argv[2], encoding="utf-8"))
if isinstance(report, list):
    report = report[0]
name = sys.argv[3]
compact = re.sub(r"\s+", "", text)
headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
missing = [h for h in headings if h not in compact]

def shown(value, unit=None):
    if value is None:
        return None  # an unreadable cell, printed as typed: not in the JSON
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit or ''}"

wanted = []
for row, cols in report["active"].items():
    if row == "extra":
        continue
    for col, v in cols.items():
        if not col.endswith("_unit"):
            wanted.append(shown(v, cols.get(col + "_unit")))
for section in ("requests", "review_litigation"):
    for cols in report[section].values():
        wanted.extend(shown(v) for v in cols.values())
# A cell left blank (or `—`) reads as 0 in the JSON and is printed as typed: zeros are not counted.
wanted = collections.Counter(w for w in wanted if w is not None and w != "0")
tokens = collections.Counter(t.lstrip("+") for t in text.split())
short = {w: (n, tokens[w]) for w, n in wanted.items() if tokens[w] < n}
for h in missing:
    print(f"render-check: {name}: heading missing: {h}", file=sys.stderr)
for w, (n, got) in sorted(short.items()):
    print(f"render-check: {name}: number {w} expected {n} times in the tables, found {got}", file=sys.stderr)
if missing or short:
    sys.exit(1)
print(f"render-check: {name}: 6 headings and {sum(wanted.values())} table numbers found")
EOF
    then :; else status=1; fi
done
# The layout of GB/T 9704 measured on LibreOffice's PDF (tests/render.rs): page numbers,
# the 28 × 22 grid, table 三 on one page, the title's break, blank cells left blank, and
# every number of tables 二–四 whole in reports with 1- to 6-digit counts.
if [ $# -eq 0 ]; then
    NIANBAO_RENDER_REQUIRED=1 cargo test --quiet --test main render:: || status=1
fi
# The archive workbooks nianbao wrote for the samples, against the same schemas.
if command -v openxml-audit >/dev/null && [ -d "$work/out" ]; then
    for xlsx in "$work"/out/*.xlsx; do
        [ -e "$xlsx" ] || continue
        if openxml-audit -q -m 0 "$xlsx" >"$work/audit.txt" 2>&1; then
            echo "render-check: $(basename "$xlsx"): archive passes openxml-audit"
        else
            echo "render-check: $(basename "$xlsx"): openxml-audit reports errors:" >&2
            cat "$work/audit.txt" >&2
            status=1
        fi
    done
fi
exit $status
