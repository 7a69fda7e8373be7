//! The official tables laid out on worksheets, as the national form draws them: verbatim
//! labels, merged headers, borders, print setup. Shared by the blank template and the
//! archive workbook, so both read back through the same label matching.

mod tables;

pub use tables::{active, requests, review};
pub(crate) use tables::{active_at, requests_at, review_at};

use super::sheet::{Align, Page, Sheet, Style, VAlign};
use crate::form::{Edition, Form, Kind};
use crate::model::{Report, State, Value};
use crate::number::float_text;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, XlsxError};

/// Sheet names of the three tables.
pub(crate) const SHEET_ACTIVE: &str = "主动公开";
pub(crate) const SHEET_REQUESTS: &str = "依申请公开";
pub(crate) const SHEET_REVIEW: &str = "复议诉讼";

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
pub(super) fn put<S: Sheet + ?Sized>(
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
pub(super) fn put_value<S: Sheet + ?Sized>(
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
pub(crate) fn write_value<S: Sheet + ?Sized>(
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

pub(super) fn print_setup<S: Sheet + ?Sized>(
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
pub(super) fn put_total<S: Sheet + ?Sized>(
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
pub(crate) fn block_width(form: &Form) -> u16 {
    form.active.iter().map(|b| b.columns.len()).max().unwrap_or(1) as u16
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
pub(crate) fn validate_cells<S: Sheet + ?Sized>(ws: &mut S, placed: &Placed) -> Result<(), XlsxError> {
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
