//! The batch summary: `汇总.xlsx` (one row per input, the 合计 of each year and edition in
//! the official layout, every finding) and the same content as `summary.json`.

use super::sheet::{Align, Sheet, Style, VAlign};
use super::xlsx::{Book, XSheet};
use crate::summary::{FileFinding, Row, Status, Summary, Total, KEY_FIGURES};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::XlsxError;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value as Json};

const HEADER: Style = Style { bold: true, border: true, wrap: true, fill: Some(0xDDEBF7), ..Style::DEFAULT }
    .align(Align::Center)
    .valign(VAlign::Center);
const CELL: Style = Style { border: true, ..Style::DEFAULT };

fn headers(ws: &mut XSheet, cols: &[&str]) -> Result<(), XlsxError> {
    for (i, h) in cols.iter().enumerate() {
        ws.text(0, i as u16, h, &HEADER)?;
    }
    ws.row_height(0, 32.0)?;
    ws.freeze_rows(1);
    Ok(())
}

/// The summary workbook's bytes. Written with the archive's direct writer: a batch of
/// thousands of files gives a summary of as many rows.
pub fn workbook(s: &Summary) -> Result<Vec<u8>, crate::Error> {
    draw(s).map_err(|e| crate::Error::write("汇总表", e))
}

fn draw(s: &Summary) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Book::new();
    // The mark by which nianbao never takes its own summary as an input.
    wb.properties.author = "nianbao".into();
    wb.properties.custom = vec![("nianbao汇总".into(), env!("CARGO_PKG_VERSION").into())];
    {
        let ws = wb.sheet("汇总");
        let mut cols = vec!["文件", "机关", "年度", "版本", "状态"];
        cols.extend(KEY_FIGURES.iter().map(|(_, l)| *l));
        cols.extend(["错误数", "警告数", "第一个错误", "重复", "计入合计"]);
        // The message a mailed workbook came in; after the older columns, which keep their places.
        cols.extend(["来信人", "来信时间", "邮件主题", "Message-ID", "邮件文件"]);
        headers(ws, &cols)?;
        ws.column_width(0, 36.0)?;
        ws.column_width(1, 28.0)?;
        for (i, row) in s.sorted_rows().into_iter().enumerate() {
            let r = i as u32 + 1;
            ws.text(r, 0, &row.file, &CELL)?;
            ws.text(r, 1, &row.agency, &CELL)?;
            match row.year {
                Some(y) => ws.number(r, 2, f64::from(y), &CELL)?,
                None => ws.blank(r, 2, &CELL)?,
            };
            ws.text(r, 3, row.edition.map(|e| e.id()).unwrap_or(""), &CELL)?;
            ws.text(r, 4, row.status.zh(), &CELL)?;
            for (k, v) in row.figures.iter().enumerate() {
                ws.number(r, 5 + k as u16, v.to_f64().unwrap_or(0.0), &CELL)?;
            }
            let c = 5 + KEY_FIGURES.len() as u16;
            ws.number(r, c, row.errors as f64, &CELL)?;
            ws.number(r, c + 1, row.warnings as f64, &CELL)?;
            ws.text(r, c + 2, &row.first_error, &CELL)?;
            ws.text(r, c + 3, &row.duplicate, &CELL)?;
            let in_totals = match row.excluded {
                None => "是".to_string(),
                Some(e) => format!("否（{}）", e.zh()),
            };
            ws.text(r, c + 4, &in_totals, &CELL)?;
            let m = row.mail.as_ref();
            ws.text(r, c + 5, m.map_or("", |m| m.sender.as_str()), &CELL)?;
            ws.text(r, c + 6, m.and_then(|m| m.date.as_deref()).unwrap_or(""), &CELL)?;
            ws.text(r, c + 7, m.map_or("", |m| m.subject.as_str()), &CELL)?;
            ws.text(r, c + 8, m.and_then(|m| m.message_id.as_deref()).unwrap_or(""), &CELL)?;
            ws.text(r, c + 9, &m.map(|m| m.message_ref()).unwrap_or_default(), &CELL)?;
        }
        let last = s.rows.len() as u32;
        ws.autofilter(0, 0, last, (cols.len() - 1) as u16);
    }
    for (i, total) in s.totals.values().enumerate() {
        let name =
            if i == 0 { "合计".to_string() } else { format!("合计{}（{}版）", total.year, total.edition) };
        let title = format!("{}年度合计（{}年版，{} 份报告）", total.year, total.edition, total.reports);
        super::layout::stacked(wb.sheet(&name), &total.sum(), &title)?;
    }
    if let Some(m) = &s.missing {
        missing_sheet(wb.sheet("未报送"), m)?;
    }
    {
        let ws = wb.sheet("核查结果");
        headers(ws, &["文件", "规则", "级别", "单元格", "说明"])?;
        ws.column_width(0, 36.0)?;
        ws.column_width(4, 90.0)?;
        for (i, ff) in s.findings.iter().enumerate() {
            let r = i as u32 + 1;
            let f = &ff.finding;
            ws.text(r, 0, &ff.file, &CELL)?;
            ws.text(r, 1, f.rule, &CELL)?;
            ws.text(r, 2, f.severity.zh(), &CELL)?;
            // A published report's place as a reader finds it; a workbook's cell.
            let place = f.location.as_ref().map(|l| l.to_string()).or_else(|| f.cell.as_ref().map(|c| c.to_string()));
            ws.text(r, 3, &place.unwrap_or_default(), &CELL)?;
            ws.text(r, 4, &f.message, &CELL)?;
        }
        ws.autofilter(0, 0, s.findings.len() as u32, 4);
    }
    wb.save()
}

/// `batch --expect`: the agencies of the list with no report of the year.
fn missing_sheet(ws: &mut XSheet, m: &crate::summary::Missing) -> Result<(), XlsxError> {
    headers(ws, &["序号", "未报送的机关", "年度"])?;
    ws.column_width(1, 40.0)?;
    for (i, a) in m.agencies.iter().enumerate() {
        let r = i as u32 + 1;
        ws.number(r, 0, r as f64, &CELL)?;
        ws.text(r, 1, a, &CELL)?;
        match m.year {
            Some(y) => ws.number(r, 2, f64::from(y), &CELL)?,
            None => ws.blank(r, 2, &CELL)?,
        };
    }
    Ok(())
}

/// The same content as JSON, pretty-printed. Written an element at a time, each file's
/// entry made only while it is written: the summary of 5,000 files held as one JSON
/// document (and copied into the next) took 50 MB, more than the whole conversion.
pub fn json(s: &Summary) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    serde_json::to_writer_pretty(&mut out, &Doc(s))?;
    Ok(out)
}

/// The summary's JSON document: `complete`, `files`, `totals`, `findings`, `counts` and,
/// only with `batch --expect`, `missing`.
struct Doc<'a>(&'a Summary);

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        let mut doc = ser.serialize_map(None)?;
        doc.serialize_entry("complete", &s.complete)?;
        doc.serialize_entry("files", &Each(&s.sorted_rows(), file))?;
        doc.serialize_entry("totals", &Each(&s.totals.values().collect::<Vec<_>>(), total))?;
        doc.serialize_entry("findings", &Each(&s.findings, finding))?;
        let count = |status| s.count(status);
        doc.serialize_entry(
            "counts",
            &json!({
                "files": s.rows.len(),
                "ok": count(Status::Ok),
                "errors": count(Status::Errors),
                "unreadable": count(Status::Unreadable),
                "refused": count(Status::Refused),
                "unwritable": count(Status::Unwritable),
                "skipped": count(Status::Skipped),
            }),
        )?;
        // Only with `batch --expect`: without it the summary is as before.
        if let Some(m) = &s.missing {
            doc.serialize_entry("missing", &json!({ "year": m.year, "agencies": m.agencies }))?;
        }
        doc.end()
    }
}

/// A list written an element at a time, each made as JSON only while it is written.
struct Each<'a, T>(&'a [T], fn(&T) -> Json);

impl<T> Serialize for Each<'_, T> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.0.iter().map(self.1))
    }
}

/// A file's entry in `files`.
fn file(r: &&Row) -> Json {
    let figures: serde_json::Map<String, Json> = KEY_FIGURES
        .iter()
        .zip(&r.figures)
        .map(|((id, _), v)| (id.to_string(), crate::write::json::decimal(*v)))
        .collect();
    let mut m = serde_json::Map::new();
    m.insert("file".into(), json!(r.file));
    m.insert("sha256".into(), json!(r.sha256));
    m.insert("agency".into(), json!(r.agency));
    m.insert("year".into(), json!(r.year));
    m.insert("edition".into(), json!(r.edition.map(|e| e.id())));
    m.insert("status".into(), json!(r.status.id()));
    m.insert("figures".into(), Json::Object(figures));
    m.insert("errors".into(), json!(r.errors));
    m.insert("warnings".into(), json!(r.warnings));
    m.insert("first_error".into(), json!(r.first_error));
    m.insert("duplicate".into(), json!(r.duplicate));
    m.insert("in_totals".into(), json!(r.excluded.is_none()));
    m.insert("not_in_totals_reason".into(), json!(r.excluded.map(|e| e.id())));
    m.insert(
        "mail".into(),
        json!(r.mail.as_ref().map(|m| json!({
            "file": m.file,
            "message": m.message,
            "attachment": m.attachment,
            "sender": m.sender,
            "date": m.date,
            "subject": m.subject,
            "message_id": m.message_id,
        }))),
    );
    Json::Object(m)
}

/// A year's and edition's total in `totals`.
fn total(t: &&Total) -> Json {
    let mut j = crate::write::json::report(&t.sum(), &[]);
    let mut m = serde_json::Map::new();
    m.insert("year".into(), json!(t.year));
    m.insert("edition".into(), json!(t.edition.id()));
    m.insert("reports".into(), json!(t.reports));
    for key in ["active", "requests", "review_litigation"] {
        if let Some(v) = j.get_mut(key) {
            m.insert(key.into(), v.take());
        }
    }
    Json::Object(m)
}

/// A finding in `findings`, naming its file.
fn finding(ff: &FileFinding) -> Json {
    let mut j = crate::write::json::finding(&ff.finding);
    if let Json::Object(m) = &mut j {
        m.insert("file".into(), json!(ff.file));
    }
    j
}
