//! A published report's annotated copy: a web page or PDF has no cells to colour, so the
//! copy is one HTML page of its tables (drawn by `html::tables`, as `serve` shows them)
//! with each wrong cell marked — red for an error, yellow for a warning, the message on
//! hover — and each table's findings listed below it, each naming its place as a reader
//! finds it. Self-contained: no script, no external style.

use super::html::{escape, tables};
use crate::finding::{Finding, Severity};
use crate::form::SECTIONS;
use crate::model::Report;
use rust_xlsxwriter::XlsxError;
use std::fmt::Write as _;

const STYLE: &str = "body{margin:24px;color:#1f1f1f;font:14px/1.6 \"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif}\
h1{font-size:20px}h2{font-size:16px;margin:28px 0 8px}\
table.form{border-collapse:collapse;width:100%;font-size:13px}\
table.form th,table.form td{border:1px solid #555;padding:3px 6px}\
table.form th.t{border:none;text-align:left}table.form th.h{background:#f4efe7}\
table.form td.n{text-align:center}table.form td.e{border:none}\
.error{background:#fbd5d2;outline:2px solid #c5221f;outline-offset:-2px;color:#7a0e0a;font-weight:700}\
.warning{background:#fff0b3;outline:2px solid #c99a00;outline-offset:-2px}\
ol li.error,ol li.warning{outline:none;background:none}ol li.error{color:#8c1d17}ol li.warning{color:#6b5200}";

/// The annotated copy of a published report, as one HTML page.
pub fn marked_tables(report: &Report, findings: &[Finding]) -> Result<String, XlsxError> {
    let drawn = tables(report, findings)?;
    let mut out = String::with_capacity(64 * 1024);
    let title = format!(
        "{}{}年度政府信息公开工作年度报告 问题标注",
        report.agency_name(),
        report.year.value.map(|y| y.to_string()).unwrap_or_default()
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>{STYLE}</style></head>\n<body>\n<h1>{t}</h1>\n<p>来源文件：{f}。错误单元格标为红色，警告标为黄色，\
         鼠标移到单元格上可看到说明；各表下列出该表的问题。</p>\n",
        t = escape(&title),
        f = escape(&report.file)
    );
    let listed = |out: &mut String, items: &[(&Finding, Option<&String>)]| {
        if items.is_empty() {
            out.push_str("<p>本表未发现问题。</p>\n");
            return;
        }
        out.push_str("<ol class=\"findings\">\n");
        for (f, anchor) in items {
            let place = f.location.as_ref().map(|l| l.to_string()).or_else(|| f.cell.as_ref().map(|c| c.to_string()));
            let text = format!("{}[{}] {}", f.severity.zh(), f.rule, place.map(|p| p + "：").unwrap_or_default());
            let _ = write!(out, "<li class=\"{}\">", f.severity.id());
            match anchor {
                Some(a) => {
                    let _ = write!(out, "<a href=\"#{a}\">{}</a>", escape(&text));
                }
                None => out.push_str(&escape(&text)),
            }
            let _ = writeln!(out, "{}</li>", escape(&f.message));
        }
        out.push_str("</ol>\n");
    };
    let shown = |f: &Finding| f.severity != Severity::Info;
    for (t, table) in drawn.tables.iter().enumerate() {
        let heading = SECTIONS.iter().find(|s| s.id == table.section).map_or(table.section, |s| s.heading);
        let _ = writeln!(out, "<h2>{}</h2>", escape(heading));
        out.push_str(&table.html);
        // Anchors are `t{table}-r{row}-c{col}`, tables counted from 1.
        let prefix = format!("t{}-", t + 1);
        let items: Vec<(&Finding, Option<&String>)> = findings
            .iter()
            .zip(&drawn.anchors)
            .filter(|(f, a)| shown(f) && a.as_ref().is_some_and(|a| a.starts_with(&prefix)))
            .map(|(f, a)| (f, a.as_ref()))
            .collect();
        listed(&mut out, &items);
    }
    let rest: Vec<(&Finding, Option<&String>)> =
        findings.iter().zip(&drawn.anchors).filter(|(f, a)| shown(f) && a.is_none()).map(|(f, _)| (f, None)).collect();
    if !rest.is_empty() {
        out.push_str("<h2>表格以外的问题（标题、正文等）</h2>\n");
        listed(&mut out, &rest);
    }
    out.push_str("</body></html>\n");
    Ok(out)
}
