//! The 基本信息 sheet: agency, year, edition, contact lines and the narrative, one label
//! per row with its value beside it. The template leaves the values to fill; the archive
//! fills them, and both read back through the same labels.

use super::sheet::{Page, Sheet, Style, VAlign};
use crate::form::{self, info, Edition, Kind};
use crate::model::Report;
use rust_xlsxwriter::{DataValidation, DataValidationRule, XlsxError};

/// What goes into the value cells.
pub struct InfoValues<'a> {
    pub edition: Edition,
    pub agency: Option<&'a str>,
    pub year: Option<i32>,
    pub report: Option<&'a Report>,
    /// Rows added after the standard ones (the archive's provenance).
    pub extra: &'a [(&'a str, String)],
}

/// Writes the sheet; `input` unlocks the value cells for a protected template.
pub fn sheet<S: Sheet + ?Sized>(ws: &mut S, v: &InfoValues<'_>, input: bool) -> Result<(), XlsxError> {
    let label = Style::boxed(11.0).bold().wrap().valign(VAlign::Center);
    let mut value = Style::boxed(11.0).wrap().valign(VAlign::Top);
    if input {
        value = value.unlocked().fill(0xFFFDE7);
    }
    let locked = Style::boxed(11.0).wrap();
    let title = Style::DEFAULT.font("黑体", 14.0);
    ws.column_width(0, 30.0)?;
    ws.column_width(1, 90.0)?;
    // The title across both columns, so it is never cut off by the cell beside it.
    ws.merge(
        0,
        0,
        0,
        1,
        &format!("政府信息公开工作年度报告（统计表）　　格式：{}", super::layout::edition_title(v.edition)),
        &title.valign(VAlign::Center),
    )?;
    ws.row_height(0, 28.0)?;
    let rep = v.report;
    let text = |t: Option<&str>| t.unwrap_or("").to_string();
    let c = rep.map(|r| &r.contact);
    let mut rows: Vec<(&str, String, bool)> = vec![
        (info::AGENCY, text(v.agency), true),
        (info::YEAR, v.year.map(|y| y.to_string()).unwrap_or_default(), true),
        (info::EDITION, v.edition.id().to_string(), false),
        (info::WEBSITE, text(c.and_then(|c| c.website.as_deref())), true),
        (info::OFFICE, text(c.and_then(|c| c.office.as_deref())), true),
        (info::ADDRESS, text(c.and_then(|c| c.address.as_deref())), true),
        (info::POSTCODE, text(c.and_then(|c| c.postcode.as_deref())), true),
        (info::PHONE, text(c.and_then(|c| c.phone.as_deref())), true),
        (info::OVERVIEW, rep.map(|r| r.text.overview.text.clone()).unwrap_or_default(), true),
    ];
    // The archive keeps the overview whole; the template offers the sub-heads.
    if rep.is_none() {
        for h in form::OVERVIEW_SUBHEADS {
            rows.push((h, String::new(), true));
        }
        rows.push((info::OVERVIEW_MORE, String::new(), true));
    }
    rows.push((info::PROBLEMS, rep.map(|r| r.text.problems.text.clone()).unwrap_or_default(), true));
    rows.push((info::OTHER_MATTERS, rep.map(|r| r.text.other_matters.text.clone()).unwrap_or_default(), true));
    if v.edition == Edition::E2021 {
        rows.push((info::FEE_COUNT, String::new(), true));
        rows.push((info::FEE_AMOUNT, String::new(), true));
    }
    let mut r = 1u32;
    let mut fee_rows_at = 0;
    for (l, val, editable) in rows.iter() {
        if *l == info::FEE_COUNT {
            fee_rows_at = r;
        }
        let f = if *editable { &value } else { &locked };
        let long = [info::OVERVIEW, info::PROBLEMS, info::OTHER_MATTERS, info::OVERVIEW_MORE].contains(l)
            || form::OVERVIEW_SUBHEADS.contains(l);
        // The archive prints every part whole: a text taller than a row can be goes on in
        // the rows below, under one merged label (the reader joins them back).
        let parts = if long && !input { split_rows(val) } else { vec![val.as_str()] };
        let n = parts.len() as u32;
        if n > 1 {
            ws.merge(r, 0, r + n - 1, 0, l, &label)?;
        } else {
            ws.text(r, 0, l, &label)?;
        }
        for (k, part) in parts.iter().enumerate() {
            let row = r + k as u32;
            if *l == info::YEAR && v.year.is_some() {
                ws.number(row, 1, f64::from(v.year.unwrap_or(0)), f)?;
            } else if !part.is_empty() {
                // Text is text: a narrative beginning with `=` is never a formula.
                ws.text(row, 1, part, f)?;
            } else {
                ws.blank(row, 1, f)?;
            }
            // The template leaves room to type; the archive shows the whole text.
            let height = match (long, rep.is_some()) {
                (true, true) => (LINE_PT * f64::from(super::layout::text_lines(part, LINE_WIDTH)) + 6.0).max(30.0),
                (true, false) => 90.0,
                (false, _) => 20.0,
            };
            ws.row_height(row, height.min(409.0))?;
        }
        r += n;
    }
    if v.edition == Edition::E2021 {
        let fee = rep.map(|r| &r.fee);
        let (count, amount) = (fee.and_then(|f| f.count.as_ref()), fee.and_then(|f| f.amount.as_ref()));
        write_fee(ws, fee_rows_at, count, Kind::Count, &value)?;
        write_fee(ws, fee_rows_at + 1, amount, Kind::Amount, &value)?;
        if input {
            let count_rule = DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                .set_error_message("请填写大于或等于 0 的整数（未收费请填 0）")?;
            ws.validate(fee_rows_at, 1, &count_rule)?;
            let amount_rule = DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                .set_error_message("请填写大于或等于 0 的金额（单位：万元）")?;
            ws.validate(fee_rows_at + 1, 1, &amount_rule)?;
        }
    }
    // The last row printed: the standard rows, then the archive's provenance.
    let last = r + v.extra.len() as u32 - 1;
    for (r, (l, val)) in (r..).zip(v.extra.iter()) {
        ws.text(r, 0, l, &label)?;
        if val.is_empty() {
            ws.blank(r, 1, &locked)?;
        } else {
            ws.text(r, 1, val, &locked)?;
        }
    }
    ws.page(&Page { print_area: Some((0, 0, last, 1)), ..Page::default() })
}

/// Points per wrapped line of the value column, and its width in half-width characters.
const LINE_PT: f64 = 15.0;
const LINE_WIDTH: f64 = 88.0;
/// Lines one row holds within Excel's 409 pt, with room to spare for fonts that wrap sooner.
const ROW_LINES: u32 = 22;

/// A text cut into pieces of at most 22 lines (of 88 half-width characters), at paragraph
/// ends where it can be, each piece keeping its line break: joined, the pieces are the text.
pub fn split_rows(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut lines = 0;
    let mut at = 0;
    for para in text.split_inclusive('\n') {
        let n = super::layout::text_lines(para, LINE_WIDTH);
        if lines + n > ROW_LINES && at > start {
            parts.push(&text[start..at]);
            start = at;
            lines = 0;
        }
        if n > ROW_LINES {
            // One paragraph longer than a row: cut it by characters.
            let mut width = 0.0;
            for (i, c) in para.char_indices() {
                width += if c.is_ascii() { 1.0 } else { 2.0 };
                if width > LINE_WIDTH * f64::from(ROW_LINES) {
                    parts.push(&text[start..at + i]);
                    start = at + i;
                    width = if c.is_ascii() { 1.0 } else { 2.0 };
                }
            }
            lines = super::layout::text_lines(&text[start..at + para.len()], LINE_WIDTH);
        } else {
            lines += n;
        }
        at += para.len();
    }
    parts.push(&text[start..]);
    parts
}

/// A fee value as typed where a number cell would change it (see `layout::write_value`).
fn write_fee<S: Sheet + ?Sized>(
    ws: &mut S,
    row: u32,
    v: Option<&crate::model::Value>,
    kind: Kind,
    f: &Style,
) -> Result<(), XlsxError> {
    super::layout::write_value(ws, row, 1, v, kind, f)
}
