#!/usr/bin/env python3
"""Generates tests/fixtures/*.{xlsx,xls,ods,xlsm}: workbooks built the ways departments
really build them (one sheet under a title, moved rows, merged headers, numbers as text,
full-width digits, edited labels, ...). Each fixture is named for what it shows.

The generated files are committed, so CI needs neither Python nor LibreOffice.
Run from the repository root:  python3 scripts/make_fixtures.py
Needs openpyxl; .xls and .ods are converted with `soffice --headless --convert-to`.
"""

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")

# ---------------------------------------------------------------- the forms (formats.md §2–4)

ACTIVE = {
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
         ["issued", "repealed", "in_force"]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可")], ["decisions"]),
        ("第二十条第（六）项", ["本年处理决定数量"], [("penalty", "行政处罚"), ("enforcement", "行政强制")],
         ["decisions"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费")], ["amount_wan"]),
    ],
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("regulations", "规章"), ("normative_documents", "规范性文件")],
         ["made", "published", "total_public"]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         ["prev_items", "change", "decisions"]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("penalty", "行政处罚"), ("enforcement", "行政强制")], ["prev_items", "change", "decisions"]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")], ["prev_items", "change"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购")], ["items", "amount"]),
    ],
}

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
G3, G_DENIED, G_UNABLE, G_REJECTED, G_OTHER = (
    "三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")


def requests_rows(edition):
    """(id, label, groups) in form order."""
    rows = [
        ("new_received", "一、本年新收政府信息公开申请数量", []),
        ("carried_over", "二、上年结转政府信息公开申请数量", []),
        ("granted", "（一）予以公开", [G3]),
        ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [G3]),
        ("denied_state_secret", "1.属于国家秘密", [G3, G_DENIED]),
        ("denied_law_forbids", "2.其他法律行政法规禁止公开", [G3, G_DENIED]),
        ("denied_security_stability", "3.危及“三安全一稳定”", [G3, G_DENIED]),
        ("denied_third_party", "4.保护第三方合法权益", [G3, G_DENIED]),
        ("denied_internal_affairs", "5.属于三类内部事务信息", [G3, G_DENIED]),
        ("denied_process_info", "6.属于四类过程性信息", [G3, G_DENIED]),
        ("denied_enforcement_file", "7.属于行政执法案卷", [G3, G_DENIED]),
        ("denied_query_matter", "8.属于行政查询事项", [G3, G_DENIED]),
        ("unable_not_held", "1.本机关不掌握相关政府信息", [G3, G_UNABLE]),
        ("unable_needs_creation", "2.没有现成信息需要另行制作", [G3, G_UNABLE]),
        ("unable_unclear", "3.补正后申请内容仍不明确", [G3, G_UNABLE]),
        ("rejected_petition", "1.信访举报投诉类申请", [G3, G_REJECTED]),
        ("rejected_repeated", "2.重复申请", [G3, G_REJECTED]),
        ("rejected_publication", "3.要求提供公开出版物", [G3, G_REJECTED]),
        ("rejected_mass_repeated", "4.无正当理由大量反复申请", [G3, G_REJECTED]),
        ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", [G3, G_REJECTED]),
    ]
    if edition == "2019":
        rows.append(("other", G_OTHER, [G3]))
    else:
        rows += [
            ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [G3, G_OTHER]),
            ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
             [G3, G_OTHER]),
            ("other_misc", "3.其他", [G3, G_OTHER]),
        ]
    rows += [("result_total", "（七）总计", [G3]), ("carried_forward", "四、结转下年度继续办理", [])]
    return rows


REVIEW_GROUPS = [("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"),
                 ("litigation_after_review", "复议后起诉")]
REVIEW_COLS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
               ("total", "总计")]

# ---------------------------------------------------------------- the figures
# Non-zero in many rows and columns; every rule of formats.md §6 holds.


def data(edition):
    if edition == "2021":
        active = {
            "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 2, "repealed": 1, "in_force": 15},
            "licensing": {"decisions": 1234},
            "penalty": {"decisions": 87},
            "enforcement": {"decisions": 5},
            "fees": {"amount_wan": 5949.088667},
        }
    else:
        active = {
            "regulations": {"made": 0, "published": 0, "total_public": 0},
            "normative_documents": {"made": 3, "published": 3, "total_public": 27},
            "licensing": {"prev_items": 384, "change": 2, "decisions": 36756},
            "other_services": {"prev_items": 156, "change": 56, "decisions": 0},
            "penalty": {"prev_items": 1869, "change": 0, "decisions": 12642},
            "enforcement": {"prev_items": 65, "change": 0, "decisions": 2},
            "fees": {"prev_items": 43, "change": -5},
            "procurement": {"items": 12, "amount": 251.5},
        }
    req = {rid: [0] * 6 for rid, _, _ in requests_rows(edition)}
    req["new_received"] = [13, 3, 0, 1, 2, 1]
    req["carried_over"] = [2, 1, 0, 0, 0, 0]
    req["granted"] = [6, 2, 0, 1, 0, 0]
    req["partly_granted"] = [2, 0, 0, 0, 0, 1]
    req["denied_third_party"] = [1, 0, 0, 0, 0, 0]
    req["denied_process_info"] = [0, 1, 0, 0, 0, 0]
    req["unable_not_held"] = [3, 1, 0, 0, 1, 0]
    req["rejected_repeated"] = [1, 0, 0, 0, 0, 0]
    req["other" if edition == "2019" else "other_no_correction"] = [1, 0, 0, 0, 0, 0]
    req["carried_forward"] = [1, 0, 0, 0, 1, 0]
    results = [r for r, _, g in requests_rows(edition) if g and r != "result_total"]
    req["result_total"] = [sum(req[r][c] for r in results) for c in range(6)]
    requests = {r: v + [sum(v)] for r, v in req.items()}
    for c in range(7):  # 一 + 二 = 三（七）总计 + 四
        assert requests["new_received"][c] + requests["carried_over"][c] == \
            requests["result_total"][c] + requests["carried_forward"][c]
    review = {
        "review": [2, 1, 0, 1, 4],
        "litigation_direct": [1, 0, 0, 1, 2],
        "litigation_after_review": [0, 0, 1, 0, 1],
    }
    return {"active": active, "requests": requests, "review": review}


# ---------------------------------------------------------------- laying out

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


class Opts:
    """How a department typed its tables."""

    def __init__(self, **kw):
        self.merge = True  # merged header and group cells
        self.label = lambda text: text  # how a label was retyped
        self.value = lambda section, row, col, n: n  # how a number was typed
        self.order = None  # table 三 row ids in the order typed
        self.headings = True  # section headings above the tables
        self.heading4 = "四、政府信息公开行政复议、行政诉讼情况"
        self.extra = []  # lines typed under the section 二 tables
        self.blank_rows = []  # table 三 row ids followed by an empty row
        self.note_col = None  # a remark column right of table 三
        self.notes = {}  # remarks typed in it, by row id
        self.__dict__.update(kw)


def put(ws, r, c, v, r2=None, c2=None, merge=True, bold=False):
    """Writes a value at (r, c), 1-based; merges to (r2, c2) when asked."""
    cell = ws.cell(row=r, column=c, value=v)
    cell.border = BOX
    cell.alignment = WRAP
    if bold:
        cell.font = Font(bold=True)
    r2, c2 = r2 or r, c2 or c
    if (r2, c2) != (r, c):
        if merge:
            ws.merge_cells(start_row=r, start_column=c, end_row=r2, end_column=c2)
        for rr in range(r, r2 + 1):
            for cc in range(c, c2 + 1):
                if merge and (rr, cc) != (r, c):
                    continue
                ws.cell(row=rr, column=cc).border = BOX


def spans(n, width):
    """Column offsets of n value columns over `width` columns: (start, end) each."""
    out, c = [], 0
    for i in range(n):
        w = width // n if i < n - 1 else width - (width // n) * (n - 1)
        out.append((c, c + w - 1))
        c += w
    return out


def lay_active(ws, ed, d, top, left, o, label_w=1, width=3):
    """Section 二 blocks from (top, left); returns the next free row."""
    r = top
    if o.headings:
        put(ws, r, left, o.label("二、主动公开政府信息情况"), r, left + label_w + width - 1, o.merge, True)
        r += 1
    for heading, col_labels, rows, col_ids in ACTIVE[ed]:
        put(ws, r, left, o.label(heading), r, left + label_w + width - 1, o.merge, True)
        r += 1
        put(ws, r, left, o.label("信息内容"), r, left + label_w - 1, o.merge, True)
        sp = spans(len(col_labels), width)
        for lab, (a, b) in zip(col_labels, sp):
            put(ws, r, left + label_w + a, o.label(lab), r, left + label_w + b, o.merge, True)
        r += 1
        for rid, lab in rows:
            put(ws, r, left, o.label(lab), r, left + label_w - 1, o.merge)
            for cid, (a, b) in zip(col_ids, sp):
                n = d["active"][rid][cid]
                put(ws, r, left + label_w + a, o.value("active", rid, cid, n), r, left + label_w + b, o.merge)
            r += 1
    for line in o.extra:
        if isinstance(line, tuple):
            ws.cell(row=r, column=left, value=line[0])
            ws.cell(row=r, column=left + label_w + width - 1, value=line[1])
        else:
            ws.cell(row=r, column=left, value=line)
        r += 1
    return r


def lay_requests(ws, ed, d, top, left, o):
    """Table 三 from (top, left): three label columns, seven number columns."""
    r = top
    if o.headings:
        put(ws, r, left, o.label("三、收到和处理政府信息公开申请情况"), r, left + 9, o.merge, True)
        r += 1
    n0 = left + 3
    put(ws, r, left, o.label(NOTE), r + 2, left + 2, o.merge, True)
    put(ws, r, n0, o.label("申请人情况"), r, n0 + 6, o.merge, True)
    put(ws, r + 1, n0, o.label("自然人"), r + 2, n0, o.merge, True)
    put(ws, r + 1, n0 + 1, o.label("法人或其他组织"), r + 1, n0 + 5, o.merge, True)
    put(ws, r + 1, n0 + 6, o.label("总计"), r + 2, n0 + 6, o.merge, True)
    for i, lab in enumerate(COL_LABELS[1:]):
        put(ws, r + 2, n0 + 1 + i, o.label(lab), bold=True)
    if o.note_col:
        put(ws, r, n0 + 7, o.note_col, r + 2, n0 + 7, o.merge, True)
    r += 3
    rows = requests_rows(ed)
    if o.order:
        by_id = {x[0]: x for x in rows}
        rows = [by_id[i] for i in o.order]
    # Row of each entry: an empty row is left after each id in `blank_rows`.
    pos, rr = [], r
    for rid, _, _ in rows:
        pos.append(rr)
        rr += 2 if rid in o.blank_rows else 1
    for i, (rid, lab, groups) in enumerate(rows):
        if not groups:
            put(ws, pos[i], left, o.label(lab), pos[i], left + 2, o.merge)
        elif len(groups) == 1:
            put(ws, pos[i], left + 1, o.label(lab), pos[i], left + 2, o.merge)
        else:
            put(ws, pos[i], left + 2, o.label(lab))
        for c in range(7):
            put(ws, pos[i], n0 + c, o.value("requests", rid, c, d["requests"][rid][c]))
        if o.note_col and rid in o.notes:
            put(ws, pos[i], n0 + 7, o.notes[rid])
    # Group labels, merged over each run of rows sharing them.
    for level in (0, 1):
        i = 0
        while i < len(rows):
            g = rows[i][2][level] if len(rows[i][2]) > level else None
            j = i
            while j + 1 < len(rows) and len(rows[j + 1][2]) > level and rows[j + 1][2][level] == g:
                j += 1
            if g:
                put(ws, pos[i], left + level, o.label(g), pos[j], left + level, o.merge)
            i = j + 1
    return rr




def lay_review(ws, d, top, left, o):
    """Table 四 from (top, left): 15 number columns under a three-level header."""
    r = top
    if o.headings:
        put(ws, r, left, o.label(o.heading4), r, left + 14, o.merge, True)
        r += 1
    put(ws, r, left, o.label("行政复议"), r, left + 4, o.merge, True)
    put(ws, r, left + 5, o.label("行政诉讼"), r, left + 14, o.merge, True)
    for k, (_, lab) in enumerate(REVIEW_COLS):
        put(ws, r + 1, left + k, o.label(lab), r + 2, left + k, o.merge, True)
    put(ws, r + 1, left + 5, o.label("未经复议直接起诉"), r + 1, left + 9, o.merge, True)
    put(ws, r + 1, left + 10, o.label("复议后起诉"), r + 1, left + 14, o.merge, True)
    for k, (_, lab) in enumerate(REVIEW_COLS * 2):
        put(ws, r + 2, left + 5 + k, o.label(lab), bold=True)
    for g, (gid, _) in enumerate(REVIEW_GROUPS):
        for k, (cid, _) in enumerate(REVIEW_COLS):
            put(ws, r + 3, left + g * 5 + k, o.value("review", gid, cid, d["review"][gid][k]))
    return r + 4


def title(ws, text, width=10):
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def save(wb, name):
    path = os.path.join(OUT, name)
    wb.save(path)
    return path


def convert(src, ext, name):
    """Converts with LibreOffice to a real .xls (BIFF8) or .ods under the fixture's name."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", "--convert-to", ext, "--outdir", tmp, src],
                       check=True, capture_output=True)
        out = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + ext)
        shutil.move(out, os.path.join(OUT, name))


def standard_sheets(wb, ed, d, o, names=("二", "三", "四"), top=1):
    """One table per sheet at A1, as the template has them (section 二 from row `top`)."""
    ws = wb.active
    ws.title = names[0]
    lay_active(ws, ed, d, top, 1, o)
    ws = wb.create_sheet(names[1])
    lay_requests(ws, ed, d, 1, 1, o)
    ws = wb.create_sheet(names[2])
    lay_review(ws, d, 1, 1, o)


def one_sheet(ws, ed, d, o, top=1, left=1):
    """All three tables typed one under another on one sheet."""
    r = lay_active(ws, ed, d, top, left, o, label_w=3, width=7)
    r = lay_requests(ws, ed, d, r + 1, left, o)
    return lay_review(ws, d, r + 1, left, o)


FULL = str.maketrans("0123456789+-,.", "０１２３４５６７８９＋－，．")


def full_width(s):
    return str(s).translate(FULL)


# ---------------------------------------------------------------- the fixtures


def one_sheet_under_title():
    """The issue's "done when" case: the official tables typed onto ONE sheet under a title
    row, merged headers, some numbers as text and some in full width."""
    d = data("2021")

    def value(section, row, col, n):
        if section == "requests" and row == "new_received" and col == 0:
            return "13"  # text
        if section == "requests" and row == "granted":
            return full_width(n)  # full width
        if section == "active" and row == "licensing":
            return "1,234"
        if section == "review" and row == "review" and col == "total":
            return "４"
        return n

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    title(ws, "某某县人力资源和社会保障局2023年度政府信息公开工作年度报告（统计表）")
    one_sheet(ws, "2021", d, Opts(value=value), top=3)
    save(wb, "one-sheet-under-title.xlsx")


MOVED = [
    "new_received", "carried_over", "carried_forward", "result_total", "granted", "partly_granted",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "denied_state_secret", "denied_law_forbids", "denied_security_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_query_matter",
    "rejected_petition", "rejected_repeated", "rejected_publication", "rejected_mass_repeated",
    "rejected_confirmation", "other_no_correction", "other_fee_unpaid", "other_misc",
]


def moved_rows():
    """Table 三's rows in another order: 四、结转 and （七）总计 moved up beside 一 and 二,
    （四）无法提供 before （三）不予公开."""
    wb = Workbook()
    standard_sheets(wb, "2021", data("2021"), Opts(order=MOVED),
                    names=("主动公开", "依申请公开", "复议诉讼"))
    ws = wb.create_sheet("基本信息", 0)
    ws["A1"], ws["B1"] = "机关名称", "某某市生态环境局"
    ws["A2"], ws["B2"] = "报告年度", 2023
    save(wb, "moved-rows.xlsx")


def merged_headers():
    """2019 edition, every header merged as the national form draws it; the section 二
    value columns merged two cells wide."""
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    title(ws, "某某区发展和改革局2020年度政府信息公开工作年度报告")
    r = lay_active(ws, "2019", data("2019"), 3, 1, Opts(), label_w=2, width=6)
    r = lay_requests(ws, "2019", data("2019"), r + 2, 1, Opts())
    lay_review(ws, data("2019"), r + 2, 1, Opts())
    save(wb, "merged-headers.xlsx")


def numbers_as_text():
    """Every number stored as text, as pasted from Word or a web page: `12`, ` 3 `,
    `12.0`, `2件`, and the amount `5949.088667`."""
    d = data("2021")

    def value(section, row, col, n):
        if section == "requests" and row == "new_received" and col == 0:
            return " 13 "
        if section == "requests" and row == "granted" and col == 6:
            return "9.0"
        if section == "requests" and row == "unable_not_held" and col == 0:
            return "3件"
        if section == "active" and row == "fees":
            return "5949.088667"
        return str(n)

    wb = Workbook()
    standard_sheets(wb, "2021", d, Opts(value=value), names=("表一", "表二", "表三"), top=2)
    wb["表一"]["A1"] = "某某县教育局2022年度政府信息公开工作年度报告"
    save(wb, "numbers-as-text.xlsx")


def full_width_digits():
    """2019 edition typed with a Chinese input method: `１２`, `＋２`, `－５`, `1，234`."""
    d = data("2019")

    def value(section, row, col, n):
        if section == "active" and col == "change":
            return ("＋" + full_width(n)) if n > 0 else ("－" + full_width(-n)) if n < 0 else "０"
        if section == "active" and row == "licensing" and col == "decisions":
            return "36，756"
        if section == "requests":
            return full_width(n)
        return n

    wb = Workbook()
    ws = wb.active
    ws.title = "年报"
    title(ws, "某某镇人民政府2020年度政府信息公开工作年度报告（统计表）")
    one_sheet(ws, "2019", d, Opts(value=value), top=2)
    save(wb, "full-width-digits.xlsx")


def signed_changes_2019():
    """本年增/减 typed as `+2`/`-5` strings, and as numbers where a department let Excel keep them."""
    d = data("2019")

    def value(section, row, col, n):
        if section == "active" and col == "change":
            if row == "licensing":
                return "+2"
            if row == "other_services":
                return "+56"
            if row == "fees":
                return "-5"
            return n  # 0 as a number
        return n

    wb = Workbook()
    standard_sheets(wb, "2019", d, Opts(value=value, extra=[
        "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267"]))
    wb.create_sheet("说明", 0)["A1"] = "某某县2020年度政府信息公开工作年度报告"
    save(wb, "signed-changes-2019.xlsx")


def blanks_and_dashes():
    """Zeros typed as empty cells, `—`, `-`, `/`, `无`."""
    d = data("2021")
    marks = ["", "—", "-", "/", "无"]

    def value(section, row, col, n):
        if n != 0:
            return n
        if section == "requests":
            idx = [r for r, _, _ in requests_rows("2021")].index(row)
            m = marks[(idx + col) % len(marks)]
            return m or None
        if section == "review":
            return "—"
        if section == "active":
            return "/"
        return n

    wb = Workbook()
    standard_sheets(wb, "2021", d, Opts(value=value))
    ws = wb.create_sheet("基本信息", 0)
    ws["A1"], ws["B1"] = "机关名称", "某某县退役军人事务局"
    ws["A2"], ws["B2"] = "报告年度", "2023年"
    save(wb, "blanks-and-dashes.xlsx")


EDITS = {
    "（一）予以公开": "（一）予以\n公开",
    "1.属于国家秘密": "1、属于国家秘密",
    "2.其他法律行政法规禁止公开": "2、其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”": "3.危及\"三安全一稳定\"",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "现行有效件数": "现行有效件数 (历史累计)",
    "第二十条第（一）项": "第二十条 第（一）项",
    "四、政府信息公开行政复议、行政诉讼情况": "四、政府信息公开行政法复议、行政诉讼情况",
    "一、本年新收政府信息公开申请数量": "一、本年新收政府信息\n公开申请数量",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请":
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "商业企业": "商业\n企业",
    "本年处理决定数量": "本年处理\n决定数量",
}


def labels_edited():
    """Labels retyped: line breaks, `1、`, half-width brackets and quotes, notes appended,
    the misspelt heading of 四; blank and note rows and columns; table 三 starting at C."""
    d = data("2021")
    o = Opts(label=lambda t: EDITS.get(t, t), heading4=EDITS["四、政府信息公开行政复议、行政诉讼情况"],
             blank_rows=["carried_over", "rejected_confirmation"], note_col="备注",
             notes={"granted": "含网上申请5件"}, extra=["注：本表数据截至2022年12月31日"])
    wb = Workbook()
    ws = wb.active
    ws.title = "主动公开"
    ws["A1"] = "附件1"
    lay_active(ws, "2021", d, 3, 1, o)
    ws = wb.create_sheet("依申请公开")
    ws["A1"] = "附件2"
    ws["C2"] = "填表说明：本表按申请人类别统计。"
    lay_requests(ws, "2021", d, 4, 3, o)
    ws = wb.create_sheet("复议诉讼")
    lay_review(ws, d, 2, 2, o)
    ws = wb.create_sheet("基本信息", 0)
    ws["A1"], ws["B1"] = "机关名称", "某某市交通运输局"
    ws["A2"], ws["B2"] = "报告年度", 2022
    save(wb, "labels-edited.xlsx")


def tables_on_separate_sheets():
    """Sheet1/Sheet2/Sheet3 with the tables at different offsets."""
    d = data("2021")
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "某某县卫生健康委员会2024年度政府信息公开工作年度报告"
    lay_active(ws, "2021", d, 4, 2, Opts())
    ws = wb.create_sheet("Sheet2")
    lay_requests(ws, "2021", d, 6, 1, Opts())
    ws = wb.create_sheet("Sheet3")
    lay_review(ws, d, 3, 4, Opts())
    save(wb, "tables-on-separate-sheets-any-names.xlsx")


def edition_2019_xls():
    """A real BIFF .xls of the 2019 edition (saved by LibreOffice as Excel 97-2003)."""
    d = data("2019")
    wb = Workbook()
    ws = wb.active
    ws.title = "政务公开年报"
    title(ws, "某某县司法局2020年度政府信息公开工作年度报告")
    one_sheet(ws, "2019", d, Opts(), top=3)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "edition-2019.xlsx")
        wb.save(src)
        convert(src, "xls", "edition-2019.xls")


def edition_2021_ods():
    """The 2021 edition as an OpenDocument spreadsheet (WPS/LibreOffice users)."""
    d = data("2021")
    wb = Workbook()
    standard_sheets(wb, "2021", d, Opts(), names=("主动公开", "依申请公开", "复议诉讼"))
    ws = wb.create_sheet("基本信息", 0)
    ws["A1"], ws["B1"] = "机关名称", "某某区住房和城乡建设局"
    ws["A2"], ws["B2"] = "报告年度", 2021
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "edition-2021.xlsx")
        wb.save(src)
        convert(src, "ods", "edition-2021.ods")


def really_xlsx_named_xls():
    """An xlsx file renamed to .xls: the format is told by the bytes, not the name."""
    d = data("2021")
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    title(ws, "某某乡人民政府2022年度政府信息公开工作年度报告")
    one_sheet(ws, "2021", d, Opts(), top=2)
    save(wb, "really-xlsx-named.xls")


def labelled_agency_year():
    """No title: `填报单位：某某镇人民政府` in one cell, `年度` | `2022` in two."""
    d = data("2021")
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws["A1"] = "填报单位：某某镇人民政府"
    ws["H1"], ws["I1"] = "年度", 2022
    one_sheet(ws, "2021", d, Opts(), top=3)
    save(wb, "labelled-agency-year.xlsx")


def one_sheet_2019_as_published():
    """The 2019 edition on one sheet exactly as the sample report lays it out: section
    headings, blocks, the extra line under 政府集中采购 (left empty), tables 三 and 四."""
    d = data("2019")
    d["active"]["procurement"] = {"items": None, "amount": None}
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "江源区2020年度政府信息公开工作年度报告"
    one_sheet(ws, "2019", d, Opts(extra=[
        "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267"]), top=2)
    save(wb, "one-sheet-2019-as-published.xlsx")


def amounts_with_units():
    """2019 edition: 采购总金额 typed with its unit `251000元`; 2021 fees elsewhere."""
    d = data("2019")

    def value(section, row, col, n):
        if section == "active" and row == "procurement" and col == "amount":
            return "251000元"
        return n

    wb = Workbook()
    standard_sheets(wb, "2019", d, Opts(value=value))
    wb.active["F1"] = "某某县财政局2020年度政府信息公开工作年度报告"
    save(wb, "amount-with-unit-2019.xlsx")


def table_three_deleted():
    """Unreadable: table 三 was deleted from the workbook."""
    d = data("2021")
    wb = Workbook()
    standard_sheets(wb, "2021", d, Opts(), names=("主动公开", "依申请公开", "复议诉讼"))
    del wb["依申请公开"]
    wb.active["F1"] = "某某县2023年度政府信息公开工作年度报告"
    save(wb, "table-3-deleted.xlsx")


def not_a_report_form():
    """Unreadable: a workbook of another statistical form, no report (不是政府信息公开年报统计表)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "某某县政务公开工作考核自评表"
    for i, (a, b) in enumerate([("考核项目", "自评得分"), ("公开平台建设", 18), ("政策解读", 9),
                                ("回应关切", 10), ("合计", 37)], start=3):
        ws.cell(row=i, column=1, value=a)
        ws.cell(row=i, column=2, value=b)
    save(wb, "edition-unknown.xlsx")


def macro_enabled_xlsm():
    """A macro-enabled workbook (.xlsm) as some templates are distributed."""
    d = data("2021")
    wb = Workbook()
    standard_sheets(wb, "2021", d, Opts(), names=("主动公开", "依申请公开", "复议诉讼"))
    ws = wb.create_sheet("基本信息", 0)
    ws["A1"], ws["B1"] = "机关名称", "某某县审计局"
    ws["A2"], ws["B2"] = "报告年度", 2023
    path = save(wb, "macro-enabled.xlsm")
    # Mark the package as macro-enabled, as Excel does.
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in items:
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
                body = body.replace(b"application/vnd.openxmlformats-officedocument.ms-excel",
                                    b"application/vnd.ms-excel")
            z.writestr(info, body)


ALL = [
    one_sheet_under_title, moved_rows, merged_headers, numbers_as_text, full_width_digits,
    signed_changes_2019, blanks_and_dashes, labels_edited, tables_on_separate_sheets, edition_2019_xls,
    edition_2021_ods, really_xlsx_named_xls, labelled_agency_year, one_sheet_2019_as_published,
    amounts_with_units, table_three_deleted, not_a_report_form, macro_enabled_xlsm,
]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    for f in ALL:
        if not only or f.__name__ in only:
            f()
            print(f.__name__)
