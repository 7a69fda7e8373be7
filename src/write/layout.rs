//! The official tables laid out on worksheets, as the national form draws them: verbatim
//! labels, merged headers, borders, print setup. Shared by the blank template and the
//! archive workbook, so both read back through the same label matching.

use super::sheet::{Align, Page, Sheet, Style, VAlign};
use crate::form::{self, Block, Edition, Form, Kind};
use crate::model::{Report, State, Value};
use crate::number::float_text;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, XlsxError};

/// Sheet names of the three tables.
pub const SHEET_ACTIVE: &str = "主动公开";
pub const SHEET_REQUESTS: &str = "依申请公开";
pub const SHEET_REVIEW: &str = "复议诉讼";

/// The cell formats of a table sheet.
pub struct Styles {
    pub title: Style,
    pub header: Style,
    pub label: Style,
    pub number: Style,
    pub decimal: Style,
    pub text: Style,
    /// Total cells written as `SUM` formulas (the template): locked and grey.
    pub total: Style,
    /// Whether totals are formulas.
    pub formulas: bool,
}

impl Styles {
    /// `input`: number cells unlocked, for a protected template.
    pub fn new(input: bool) -> Self {
        let base = Style::boxed(10.5).wrap();
        let mut number = base.align(Align::Center).valign(VAlign::Center).num_format("0");
        let mut decimal = base.align(Align::Center).valign(VAlign::Center).num_format("General");
        let mut text = base.align(Align::Left).valign(VAlign::Center);
        if input {
            number = number.unlocked().fill(0xFFFDE7);
            decimal = decimal.unlocked().fill(0xFFFDE7);
            text = text.unlocked();
        }
        Styles {
            total: base.align(Align::Center).valign(VAlign::Center).num_format("0").fill(0xE7E6E6),
            formulas: input,
            title: Style::DEFAULT.font("黑体", 14.0).align(Align::Left).valign(VAlign::Center),
            header: base.bold().align(Align::Center).valign(VAlign::Center),
            label: base.align(Align::Left).valign(VAlign::Center),
            number,
            decimal,
            text,
        }
    }
}

/// Writes a label into a range, merging only when the range spans more than one cell.
fn put<S: Sheet + ?Sized>(
    ws: &mut S,
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    text: &str,
    f: &Style,
) -> Result<(), XlsxError> {
    if r0 == r1 && c0 == c1 {
        ws.text(r0, c0, text, f)
    } else {
        ws.merge(r0, c0, r1, c1, text, f)
    }
}

/// How many lines a wrapped text takes in a column `width` characters wide (a Chinese
/// character is two).
pub fn text_lines(text: &str, width: f64) -> u32 {
    text.lines()
        .map(|l| {
            let w: usize = l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            ((w as f64 / width.max(1.0)).ceil() as u32).max(1)
        })
        .sum::<u32>()
        .max(1)
}

/// Writes one number cell: numbers as numbers, an unreadable cell as its text,
/// a blank as typed.
fn put_value<S: Sheet + ?Sized>(
    ws: &mut S,
    row: u32,
    col: u16,
    v: Option<&Value>,
    kind: Kind,
    st: &Styles,
) -> Result<(), XlsxError> {
    let fmt = if kind == Kind::Amount { &st.decimal } else { &st.number };
    write_value(ws, row, col, v, kind, fmt)
}

/// Writes a value so that reading it back gives the same value: a valid number as a
/// number (本年增/减 with its sign), and as typed what a number cell would change (a unit,
/// decimals such as `12.50`, text, a dash, a count a rule flags, so its message quotes
/// what the department typed).
pub fn write_value<S: Sheet + ?Sized>(
    ws: &mut S,
    row: u32,
    col: u16,
    v: Option<&Value>,
    kind: Kind,
    fmt: &Style,
) -> Result<(), XlsxError> {
    let Some(v) = v else {
        ws.blank(row, col, fmt)?;
        return Ok(());
    };
    match (v.state, v.num) {
        (State::Blank, _) if v.raw.trim().is_empty() => {
            ws.blank(row, col, fmt)?;
        }
        (State::Number, Some(n)) if v.unit.is_none() && as_number(v, n, kind).is_some() => {
            let f = as_number(v, n, kind).unwrap_or(0.0);
            if kind == Kind::Signed && n.is_sign_positive() && !n.is_zero() {
                // 本年增/减 keeps its sign as the form prints it.
                let signed = fmt.num_format("+0;-0;0");
                ws.number(row, col, f, &signed)?;
            } else {
                ws.number(row, col, f, fmt)?;
            }
        }
        _ => {
            ws.text(row, col, &v.raw, fmt)?;
        }
    }
    Ok(())
}

/// The number to write, if a number cell reads back as exactly this value.
fn as_number(v: &Value, n: Decimal, kind: Kind) -> Option<f64> {
    // A whole number typed without decimals below 2^53 is exact as a float: the common
    // case, decided without formatting both as text.
    let exact_int =
        n.scale() == 0 && n.mantissa().unsigned_abs() < (1u128 << 53) && !(n.is_zero() && n.is_sign_negative());
    let f = if exact_int { n.mantissa() as f64 } else { n.to_f64()? };
    // `12.50` would come back as 12.5; 2^53 and beyond not at all.
    if !exact_int && float_text(f) != n.to_string() {
        return None;
    }
    let valid = match kind {
        Kind::Count => !n.is_sign_negative() && n.fract().is_zero(),
        Kind::Signed => n.fract().is_zero(),
        Kind::Amount => !n.is_sign_negative(),
    };
    // What a rule flags keeps its typing, unless that typing is the number itself.
    (valid || v.raw.trim() == n.to_string()).then_some(f)
}

fn validation(kind: Kind) -> Result<DataValidation, XlsxError> {
    let v = match kind {
        Kind::Count => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_message("请填写大于或等于 0 的整数（没有请填 0）")?,
        Kind::Signed => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(-1_000_000_000, 1_000_000_000))
            .set_error_message("请填写整数，增加填正数，减少填负数（如 2 或 -5）")?,
        Kind::Amount => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_message("请填写大于或等于 0 的金额，可带小数")?,
    };
    Ok(v.set_error_title("输入有误")?.set_error_style(DataValidationErrorStyle::Stop).ignore_blank(true))
}

fn print_setup<S: Sheet + ?Sized>(
    ws: &mut S,
    landscape: bool,
    repeat: Option<(u32, u32)>,
    area: (u32, u16, u32, u16),
) -> Result<(), XlsxError> {
    ws.page(&Page {
        landscape,
        center: true,
        margins: Some([0.6, 0.6, 0.8, 0.8, 0.3, 0.3]),
        repeat_rows: repeat,
        print_area: Some(area),
    })
}

/// Where the number cells of a laid-out table are, for validation and tests.
#[derive(Debug, Default, Clone)]
pub struct Placed {
    /// (row, col, kind) of every number cell.
    pub cells: Vec<(u32, u16, Kind)>,
    /// The first row after the table.
    pub end_row: u32,
    /// Cells holding a formula (totals of the template): no input rule, not for typing.
    pub computed: Vec<(u32, u16)>,
}

/// A number a cell reads back as, where it is a plain number.
fn plain(v: Option<&Value>) -> Option<f64> {
    let v = v?;
    (v.state == State::Number && v.unit.is_none()).then_some(v.num?.to_f64()?)
}

/// `SUM` over cells of one column (`rows`) or one row (`cols`), contiguous runs as ranges.
fn sum_formula(cells: &[(u32, u16)]) -> String {
    let a1 = |(r, c): (u32, u16)| format!("{}{}", crate::cell::column_letters(c.into()), r + 1);
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let mut j = i;
        while j + 1 < cells.len()
            && ((cells[j + 1].0 == cells[j].0 + 1 && cells[j + 1].1 == cells[j].1)
                || (cells[j + 1].0 == cells[j].0 && cells[j + 1].1 == cells[j].1 + 1))
        {
            j += 1;
        }
        parts.push(if i == j { a1(cells[i]) } else { format!("{}:{}", a1(cells[i]), a1(cells[j])) });
        i = j + 1;
    }
    format!("SUM({})", parts.join(","))
}

/// Writes a total of the blank template as a formula over `parts`, its cached value their
/// sum. A filled workbook keeps its totals as typed: a formula would silently correct a
/// wrong one when Excel recalculates.
fn put_total<S: Sheet + ?Sized>(
    ws: &mut S,
    row: u32,
    col: u16,
    parts: &[((u32, u16), Option<&Value>)],
    st: &Styles,
    placed: &mut Placed,
) -> Result<(), XlsxError> {
    let cached = parts.iter().filter_map(|(_, p)| plain(*p)).sum();
    let cells: Vec<(u32, u16)> = parts.iter().map(|(c, _)| *c).collect();
    ws.formula(row, col, &sum_formula(&cells), cached, &st.total)?;
    placed.computed.push((row, col));
    Ok(())
}

/// The last column of table 二 (its value columns after the label column).
pub fn block_width(form: &Form) -> u16 {
    form.active.iter().map(|b| b.columns.len()).max().unwrap_or(1) as u16
}

/// Section 二: each block its heading row, its header row and its rows.
pub fn active<S: Sheet + ?Sized>(
    ws: &mut S,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    active_at(ws, 0, form, report, st)
}

/// [`active`] starting at row `at`, for sheets that stack several tables.
pub fn active_at<S: Sheet + ?Sized>(
    ws: &mut S,
    at: u32,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    let width = block_width(form);
    ws.column_width(0, 24.0)?;
    for c in 1..=width {
        ws.column_width(c, 18.0)?;
    }
    put(ws, at, 0, at, width, form::section(form::SectionId::Active).heading, &st.title)?;
    ws.row_height(at, 28.0)?;
    let mut r = at + 1;
    let mut placed = Placed::default();
    let mut idx = 0usize;
    for block in form.active {
        put(ws, r, 0, r, width, block.heading, &st.header)?;
        r += 1;
        ws.text(r, 0, form::ACTIVE_HEADER, &st.header)?;
        let spans = column_spans(block, width);
        for (col, &(c0, c1)) in block.columns.iter().zip(&spans) {
            put(ws, r, c0, r, c1, col.label, &st.header)?;
        }
        ws.row_height(r, 30.0)?;
        r += 1;
        for row in block.rows {
            ws.text(r, 0, row.label, &st.label)?;
            for (ci, (col, &(c0, c1))) in block.columns.iter().zip(&spans).enumerate() {
                let v = report.and_then(|rep| rep.active.get(idx)).and_then(|x| x.get(ci));
                if c1 > c0 {
                    let fmt = if col.kind == Kind::Amount { &st.decimal } else { &st.number };
                    ws.merge(r, c0, r, c1, "", fmt)?;
                }
                put_value(ws, r, c0, v, col.kind, st)?;
                placed.cells.push((r, c0, col.kind));
            }
            idx += 1;
            r += 1;
        }
    }
    if let Some(rep) = report {
        for line in &rep.active_extra {
            put(ws, r, 0, r, width, &line.text, &st.text)?;
            r += 1;
        }
    }
    placed.end_row = r;
    if at == 0 {
        print_setup(ws, false, None, (0, 0, r.saturating_sub(1), width))?;
    }
    Ok(placed)
}

/// The columns a block's value columns span: one each, the last stretched to the width.
fn column_spans(block: &Block, width: u16) -> Vec<(u16, u16)> {
    let n = block.columns.len() as u16;
    (0..n).map(|i| (i + 1, if i + 1 == n { width } else { i + 1 })).collect()
}

/// Section 三 with its two-level header and vertical groups.
pub fn requests<S: Sheet + ?Sized>(
    ws: &mut S,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    requests_at(ws, 0, form, report, st)
}

/// [`requests`] starting at row `at`.
pub fn requests_at<S: Sheet + ?Sized>(
    ws: &mut S,
    at: u32,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    let ncols = form.requests_columns.len() as u16;
    let first = 3u16; // three label columns
    ws.column_width(0, 6.0)?;
    ws.column_width(1, 14.0)?;
    ws.column_width(2, 34.0)?;
    for c in first..first + ncols {
        ws.column_width(c, 9.0)?;
    }
    put(ws, at, 0, at, first + ncols - 1, form::section(form::SectionId::Requests).heading, &st.title)?;
    ws.row_height(at, 28.0)?;
    // Header: the note over three rows, 申请人情况, then 自然人 | 法人或其他组织 | 总计.
    put(ws, at + 1, 0, at + 3, first - 1, form::REQUESTS_NOTE, &st.header)?;
    put(ws, at + 1, first, at + 1, first + ncols - 1, form::REQUESTS_APPLICANT, &st.header)?;
    let cols = form.requests_columns;
    put(ws, at + 2, first, at + 3, first, cols[0].label, &st.header)?;
    put(ws, at + 2, first + 1, at + 2, first + ncols - 2, form::REQUESTS_ORG, &st.header)?;
    for (i, c) in cols.iter().enumerate().skip(1).take(cols.len() - 2) {
        ws.text(at + 3, first + i as u16, c.label, &st.header)?;
    }
    put(ws, at + 2, first + ncols - 1, at + 3, first + ncols - 1, cols[cols.len() - 1].label, &st.header)?;
    ws.row_height(at + 3, 42.0)?;

    let top = at + 4;
    let rows = form.requests_rows;
    let mut placed = Placed::default();
    let mut i = 0;
    while i < rows.len() {
        let r = top + i as u32;
        let row = &rows[i];
        // Long labels wrap; a row as tall as its label keeps them readable in print.
        let width = [54.0, 48.0, 34.0][row.groups.len().min(2)];
        let lines = text_lines(row.label, width);
        if lines > 1 {
            ws.row_height(r, 14.0 * f64::from(lines) + 2.0)?;
        }
        match row.groups {
            [] => put(ws, r, 0, r, first - 1, row.label, &st.label)?,
            [outer] => {
                if first_of_group(rows, i, 0) {
                    put(ws, r, 0, r + count_group(rows, i, 0, outer) - 1, 0, outer, &st.header)?;
                }
                put(ws, r, 1, r, first - 1, row.label, &st.label)?;
            }
            [outer, inner, ..] => {
                if first_of_group(rows, i, 0) {
                    put(ws, r, 0, r + count_group(rows, i, 0, outer) - 1, 0, outer, &st.header)?;
                }
                if first_of_group(rows, i, 1) {
                    put(ws, r, 1, r + count_group(rows, i, 1, inner) - 1, 1, inner, &st.label)?;
                }
                ws.text(r, 2, row.label, &st.label)?;
            }
        }
        let cell = |i: usize, c: usize| report.and_then(|rep| rep.requests.get(i)).and_then(|x| x.get(c));
        for (c, col) in cols.iter().enumerate() {
            let v = cell(i, c);
            let at = first + c as u16;
            let formulas = st.formulas && report.is_none();
            if formulas && c == cols.len() - 1 {
                // 总计 = the applicant columns of the row.
                let parts: Vec<_> = (0..c).map(|k| ((r, first + k as u16), cell(i, k))).collect();
                put_total(ws, r, at, &parts, st, &mut placed)?;
            } else if formulas && row.id == "result_total" {
                // （七）总计 = the result rows (一) to (六) of the column.
                let outer = row.groups.first();
                let parts: Vec<_> = (0..rows.len())
                    .filter(|&k| k != i && rows[k].groups.first() == outer)
                    .map(|k| ((top + k as u32, at), cell(k, c)))
                    .collect();
                put_total(ws, r, at, &parts, st, &mut placed)?;
            } else {
                put_value(ws, r, at, v, col.kind, st)?;
            }
            placed.cells.push((r, at, col.kind));
        }
        i += 1;
    }
    placed.end_row = top + rows.len() as u32;
    if at == 0 {
        print_setup(ws, false, Some((1, 3)), (0, 0, placed.end_row - 1, first + ncols - 1))?;
    }
    Ok(placed)
}

fn first_of_group(rows: &[form::Row], i: usize, level: usize) -> bool {
    i == 0 || rows[i - 1].groups.get(level) != rows[i].groups.get(level)
}

fn count_group(rows: &[form::Row], i: usize, level: usize, label: &str) -> u32 {
    rows[i..].iter().take_while(|r| r.groups.get(level) == Some(&label)).count() as u32
}

/// Section 四: 行政复议 | 行政诉讼 over 未经复议直接起诉 and 复议后起诉, 15 numbers.
pub fn review<S: Sheet + ?Sized>(
    ws: &mut S,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    review_at(ws, 0, form, report, st)
}

/// [`review`] starting at row `at`.
pub fn review_at<S: Sheet + ?Sized>(
    ws: &mut S,
    at: u32,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    let per = form.review_columns.len() as u16;
    let groups = form.review_groups;
    let total = per * groups.len() as u16;
    // Nine characters wide: a four-character head (结果维持) on one line in 宋体 10.5 pt.
    for c in 0..total {
        ws.column_width(c, 9.0)?;
    }
    put(ws, at, 0, at, total - 1, form::section(form::SectionId::ReviewLitigation).heading, &st.title)?;
    ws.row_height(at, 28.0)?;
    // Row 1: groups without a parent span two rows; a parent spans its children.
    let mut c = 0u16;
    let mut g = 0usize;
    while g < groups.len() {
        match groups[g].parent {
            None => {
                put(ws, at + 1, c, at + 1, c + per - 1, groups[g].label, &st.header)?;
                for (k, col) in form.review_columns.iter().enumerate() {
                    put(ws, at + 2, c + k as u16, at + 3, c + k as u16, col.label, &st.header)?;
                }
                c += per;
                g += 1;
            }
            Some(parent) => {
                let kids = groups[g..].iter().take_while(|x| x.parent == Some(parent)).count() as u16;
                put(ws, at + 1, c, at + 1, c + per * kids - 1, parent, &st.header)?;
                for k in 0..kids {
                    let grp = &groups[g + k as usize];
                    let c0 = c + k * per;
                    put(ws, at + 2, c0, at + 2, c0 + per - 1, grp.label, &st.header)?;
                    for (j, col) in form.review_columns.iter().enumerate() {
                        ws.text(at + 3, c0 + j as u16, col.label, &st.header)?;
                    }
                }
                c += per * kids;
                g += kids as usize;
            }
        }
    }
    ws.row_height(at + 3, 30.0)?;
    let mut placed = Placed::default();
    for (gi, _) in groups.iter().enumerate() {
        let cell = |k: usize| report.and_then(|rep| rep.review.get(gi)).and_then(|x| x.get(k));
        for (k, col) in form.review_columns.iter().enumerate() {
            let cc = gi as u16 * per + k as u16;
            let v = cell(k);
            if st.formulas && report.is_none() && col.id == "total" {
                // 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 of the group.
                let parts: Vec<_> = (0..form.review_columns.len())
                    .filter(|&j| j != k)
                    .map(|j| ((at + 4, gi as u16 * per + j as u16), cell(j)))
                    .collect();
                put_total(ws, at + 4, cc, &parts, st, &mut placed)?;
            } else {
                put_value(ws, at + 4, cc, v, col.kind, st)?;
            }
            placed.cells.push((at + 4, cc, col.kind));
        }
    }
    placed.end_row = at + 5;
    if at == 0 {
        print_setup(ws, true, Some((1, 3)), (0, 0, at + 4, total - 1))?;
    }
    Ok(placed)
}

/// The three tables of a report on one sheet, one under another, under a title: the
/// 合计 of a batch summary.
pub fn stacked<S: Sheet + ?Sized>(ws: &mut S, report: &Report, title: &str) -> Result<(), XlsxError> {
    let st = Styles::new(false);
    let form = report.form();
    ws.text(0, 0, title, &st.title)?;
    let a = active_at(ws, 2, form, Some(report), &st)?;
    let r = requests_at(ws, a.end_row + 1, form, Some(report), &st)?;
    review_at(ws, r.end_row + 1, form, Some(report), &st)?;
    // One set of widths that suits all three tables.
    for (c, w) in [(0u16, 14.0), (1, 16.0), (2, 30.0)] {
        ws.column_width(c, w)?;
    }
    for c in 3..15u16 {
        ws.column_width(c, 9.0)?;
    }
    ws.page(&Page { landscape: true, ..Page::default() })
}

/// Data validation on every number cell of a laid-out table.
pub fn validate_cells<S: Sheet + ?Sized>(ws: &mut S, placed: &Placed) -> Result<(), XlsxError> {
    for &(r, c, kind) in &placed.cells {
        if !placed.computed.contains(&(r, c)) {
            ws.validate(r, c, &validation(kind)?)?;
        }
    }
    Ok(())
}

/// The three table sheets of an edition, in order.
pub fn edition_title(edition: Edition) -> String {
    format!("{}年版（{}）", edition.id(), edition.notice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters per line of a column `width` wide (Excel's units of 7 px plus 5 px of
    /// padding) for 10.5 pt 宋体 (14 px a character; ASCII half), one either side for fonts.
    fn lines_at(text: &str, width: f64) -> Vec<Vec<String>> {
        let px = width * 7.0 + 5.0 - 6.0;
        let per = (px / 14.0).floor() as usize;
        [per.saturating_sub(1).max(1), per, per + 1]
            .iter()
            .map(|&n| {
                let mut lines = vec![String::new()];
                let mut used = 0;
                for c in text.chars() {
                    let w = if c.is_ascii() { 1 } else { 2 };
                    if used + w > 2 * n {
                        lines.push(String::new());
                        used = 0;
                    }
                    used += w;
                    if let Some(l) = lines.last_mut() {
                        l.push(c);
                    }
                }
                lines
            })
            .collect()
    }

    fn orphan(text: &str, width: f64) -> bool {
        lines_at(text, width)
            .iter()
            .any(|ls| ls.len() > 1 && ls.last().is_some_and(|l| l.chars().all(|c| "）)”。，、：".contains(c))))
    }

    #[test]
    fn no_label_leaves_a_closing_mark_alone_on_a_line() {
        assert!(orphan("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 8.0));
        for form in [Edition::E2019.form(), Edition::E2021.form()] {
            // Table 三: the label spans the three label columns (6 + 14 + 34) less its groups.
            for row in form.requests_rows {
                let width = [54.0, 48.0, 34.0][row.groups.len().min(2)];
                assert!(!orphan(row.label, width), "{}", row.label);
                if let [_, inner, ..] = row.groups {
                    assert!(!orphan(inner, 14.0), "{inner}");
                }
            }
            for col in form.requests_columns {
                assert!(!orphan(col.label, 9.0), "{}", col.label);
            }
            // Table 二: labels 24 wide, column heads at least 18.
            for block in form.active {
                for row in block.rows {
                    assert!(!orphan(row.label, 24.0), "{}", row.label);
                }
                for col in block.columns {
                    assert!(!orphan(col.label, 18.0), "{}", col.label);
                }
            }
            // Table 四: nine characters wide.
            for col in form.review_columns {
                assert!(!orphan(col.label, 9.0) && lines_at(col.label, 9.0)[1].len() == 1, "{}", col.label);
            }
        }
    }
}
