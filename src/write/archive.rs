//! The normalized archive workbook (docs/formats.md §9): 基本信息 with provenance, the three
//! official tables, every finding, and a long 数据 sheet for pivot tables. Reading it back
//! gives the same report; the bytes depend only on the report, findings and provenance.

use super::info::{self, InfoValues};
use super::layout::{self, Placed, Styles, SHEET_ACTIVE, SHEET_REQUESTS, SHEET_REVIEW};
use super::sheet::{Align, Page, Sheet, Style, VAlign};
use super::xlsx::{Book, Properties, XSheet};
use crate::cell::{self, CellRef};
use crate::date::Zone;
use crate::finding::Finding;
use crate::form::{self, info as labels};
use crate::model::{Report, State};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::XlsxError;

pub const SHEET_FINDINGS: &str = "核查结果";
pub const SHEET_DATA: &str = "数据";

/// Labels of the provenance rows under 基本信息.
pub const SOURCE: &str = "源文件";
pub const SOURCE_SHA256: &str = "源文件SHA-256";
pub const TOOL_VERSION: &str = "nianbao版本";
pub const CONVERTED_AT: &str = "转换时间";
/// The message a workbook came in (mail intake), on 基本信息 after the provenance.
pub const MAIL_SENDER: &str = "来信人";
pub const MAIL_DATE: &str = "来信时间";
pub const MAIL_SUBJECT: &str = "邮件主题";
pub const MAIL_ID: &str = "Message-ID";

/// The header of the 核查结果 sheet.
pub const FINDINGS_HEADER: [&str; 8] =
    ["序号", "代码", "级别", "单元格（源文件）", "说明", "应为", "实为", "相关单元格"];

/// The header of the 数据 sheet.
pub const DATA_HEADER: [&str; 11] =
    ["部分", "部分代码", "行代码", "列代码", "行名称", "列名称", "数值", "单位", "填写内容", "源单元格", "本表单元格"];

/// Where and when an archive was made.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// The local offset at that time, seconds east of UTC.
    pub offset: i32,
}

impl Provenance {
    /// Now (or the fixed time), in Beijing time.
    pub fn now(fixed: Option<i64>) -> Self {
        Self::now_in(fixed, &Zone::default())
    }

    /// Now (or the fixed time), in a time zone.
    pub fn now_in(fixed: Option<i64>, zone: &Zone) -> Self {
        let time = fixed.unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        });
        Provenance { time, offset: zone.offset_at(time) }
    }

    /// `2024-03-01 16:30:00 +08:00`.
    pub fn time_text(&self) -> String {
        crate::date::local_text(self.time, self.offset)
    }
}

/// The archive workbook's bytes.
pub fn archive(report: &Report, findings: &[Finding], p: &Provenance) -> Result<Vec<u8>, crate::Error> {
    draw(report, findings, p).map_err(|e| crate::Error::write("归档工作簿", e))
}

fn draw(report: &Report, findings: &[Finding], p: &Provenance) -> Result<Vec<u8>, XlsxError> {
    let form = report.form();
    let mut wb = Book::new();
    let title = format!(
        "{}{}年度政府信息公开工作年度报告（统计表归档）",
        report.agency_name(),
        report.year.value.map(|y| y.to_string()).unwrap_or_default()
    );
    let mut extra = vec![
        (SOURCE, report.file.clone()),
        (SOURCE_SHA256, report.sha256.clone()),
        (TOOL_VERSION, env!("CARGO_PKG_VERSION").to_string()),
        (CONVERTED_AT, p.time_text()),
    ];
    if let Some(o) = &report.origin {
        extra.push((MAIL_SENDER, o.sender.clone()));
        extra.push((MAIL_DATE, o.date.clone().unwrap_or_default()));
        extra.push((MAIL_SUBJECT, o.subject.clone()));
        extra.push((MAIL_ID, o.message_id.clone().unwrap_or_default()));
    }
    wb.properties = Properties {
        title,
        author: "nianbao".into(),
        // Excel's dates end in 9999.
        created: crate::date::w3c_local(p.time.clamp(0, 253_402_300_799), p.offset),
        custom: extra.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
    };
    let v = InfoValues {
        edition: report.edition,
        agency: report.agency.value.as_deref(),
        year: report.year.value,
        report: Some(report),
        extra: &extra,
    };
    info::sheet(wb.sheet(labels::SHEET), &v, false)?;
    let st = Styles::new(false);
    let active = layout::active(wb.sheet(SHEET_ACTIVE), form, Some(report), &st)?;
    let requests = layout::requests(wb.sheet(SHEET_REQUESTS), form, Some(report), &st)?;
    let review = layout::review(wb.sheet(SHEET_REVIEW), form, Some(report), &st)?;
    findings_sheet(wb.sheet(SHEET_FINDINGS), findings)?;
    let placed = [(SHEET_ACTIVE, &active), (SHEET_REQUESTS, &requests), (SHEET_REVIEW, &review)];
    data_sheet(wb.sheet(SHEET_DATA), report, &placed)?;
    wb.save()
}

struct ListStyles {
    header: Style,
    text: Style,
    number: Style,
    decimal: Style,
}

impl ListStyles {
    fn new() -> Self {
        let base = Style::boxed(10.5).valign(VAlign::Center);
        ListStyles {
            header: base.bold().align(Align::Center).fill(0xF2F2F2),
            text: base.wrap(),
            number: base.num_format("0"),
            decimal: base.num_format("General"),
        }
    }
}

fn header_row(ws: &mut XSheet, header: &[&str], widths: &[f64], st: &ListStyles) -> Result<(), XlsxError> {
    for (c, (h, w)) in header.iter().zip(widths).enumerate() {
        ws.text(0, c as u16, h, &st.header)?;
        ws.column_width(c as u16, *w)?;
    }
    ws.freeze_rows(1);
    Ok(())
}

fn list_print_setup(ws: &mut XSheet, rows: u32, cols: usize) -> Result<(), XlsxError> {
    let area = Some((0, 0, rows, cols as u16 - 1));
    ws.page(&Page { landscape: true, repeat_rows: Some((0, 0)), print_area: area, ..Page::default() })
}

/// Every finding, in the order `check` gave them.
fn findings_sheet(ws: &mut XSheet, findings: &[Finding]) -> Result<(), XlsxError> {
    let st = ListStyles::new();
    header_row(ws, &FINDINGS_HEADER, &[6.0, 18.0, 8.0, 20.0, 70.0, 10.0, 10.0, 30.0], &st)?;
    for (i, f) in findings.iter().enumerate() {
        let r = i as u32 + 1;
        ws.number(r, 0, r as f64, &st.number)?;
        put_text(ws, r, 1, f.rule, &st.text)?;
        put_text(ws, r, 2, f.severity.zh(), &st.text)?;
        // A published report's place as a reader finds it; a workbook's cell.
        let place = f.location.as_ref().map(|l| l.to_string()).or_else(|| f.cell.as_ref().map(CellRef::text));
        put_text(ws, r, 3, place.unwrap_or_default(), &st.text)?;
        put_text(ws, r, 4, &f.message, &st.text)?;
        for (c, n) in [(5u16, f.expected), (6, f.found)] {
            match n.and_then(|d| d.to_f64()) {
                Some(x) => ws.number(r, c, x, &st.decimal)?,
                None => ws.blank(r, c, &st.text)?,
            }
        }
        let related = f.related.iter().map(CellRef::text).collect::<Vec<_>>().join("、");
        put_text(ws, r, 7, related, &st.text)?;
    }
    if findings.is_empty() {
        ws.text(1, 1, "未发现问题", &st.text)?;
    }
    ws.autofilter(0, 0, findings.len().max(1) as u32, FINDINGS_HEADER.len() as u16 - 1);
    list_print_setup(ws, findings.len().max(1) as u32, FINDINGS_HEADER.len())
}

/// One row per number of the tables, in form order, with the cell it came from and the
/// cell it has in this archive.
fn data_sheet(ws: &mut XSheet, report: &Report, placed: &[(&str, &Placed)]) -> Result<(), XlsxError> {
    let st = ListStyles::new();
    header_row(ws, &DATA_HEADER, &[40.0, 18.0, 26.0, 16.0, 50.0, 26.0, 12.0, 6.0, 14.0, 18.0, 16.0], &st)?;
    // Where each number stands in this workbook, named into one buffer as each row is
    // written (two references a number were two allocations a number).
    let here: Vec<(&str, u32, u16)> =
        placed.iter().flat_map(|(sheet, p)| p.cells.iter().map(move |&(r, c, _)| (*sheet, r, c))).collect();
    let mut place = String::with_capacity(32);
    let numbers = report.numbers();
    for (i, n) in numbers.iter().enumerate() {
        let r = i as u32 + 1;
        let v = n.value;
        put_plain(ws, r, 0, form::section(n.section).heading)?;
        put_plain(ws, r, 1, n.section)?;
        put_plain(ws, r, 2, n.row)?;
        put_plain(ws, r, 3, n.col)?;
        put_plain(ws, r, 4, n.row_label)?;
        put_plain(ws, r, 5, n.col_label)?;
        if let Some(x) = v.num.and_then(|d| d.to_f64()) {
            ws.plain_number(r, 6, x)?;
        }
        put_plain(ws, r, 7, v.unit.as_deref().unwrap_or(""))?;
        // What was typed, where it is not simply the number.
        let typed = match v.state {
            State::Number if v.unit.is_none() => "",
            _ => v.raw.as_str(),
        };
        put_plain(ws, r, 8, typed)?;
        place.clear();
        if let Some(c) = &v.cell {
            cell::push_reference(&mut place, &c.sheet, c.row, c.col);
        }
        put_plain(ws, r, 9, &place)?;
        place.clear();
        if let Some(&(sheet, row, col)) = here.get(i) {
            cell::push_reference(&mut place, sheet, row, col.into());
        }
        put_plain(ws, r, 10, &place)?;
    }
    ws.autofilter(0, 0, numbers.len().max(1) as u32, DATA_HEADER.len() as u16 - 1);
    list_print_setup(ws, numbers.len().max(1) as u32, DATA_HEADER.len())
}

/// The long list: cells without a format, since a list for pivot tables needs none.
fn put_plain(ws: &mut XSheet, row: u32, col: u16, text: impl AsRef<str>) -> Result<(), XlsxError> {
    ws.plain(row, col, text.as_ref())
}

/// Text as text (never a formula), an empty cell left blank.
fn put_text(ws: &mut XSheet, row: u32, col: u16, text: impl AsRef<str>, f: &Style) -> Result<(), XlsxError> {
    let t = text.as_ref();
    if t.is_empty() {
        ws.blank(row, col, f)
    } else {
        ws.text(row, col, t, f)
    }
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub use crate::date::utc_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_text(1_709_281_800), "2024-03-01 08:30:00 UTC");
        assert_eq!(utc_text(1_735_689_599), "2024-12-31 23:59:59 UTC");
        assert_eq!(utc_text(-1), "1969-12-31 23:59:59 UTC");
    }
}
