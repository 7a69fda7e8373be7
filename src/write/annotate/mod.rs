//! The annotated copy (`check --annotate`, the web page, the mail reply): the department's own workbook with every error and warning cell
//! filled (red, yellow) and given a comment with the message, and every cell a number was
//! read from filled light green. An xlsx is patched part by part through quick-xml events
//! ([`crate::write::ooxml::patch`]), so everything else in it stays as it was; an xls or
//! ods becomes an xlsx copy of its cell values with the same marks.

mod cells;
mod comments;
mod copy;
mod parts;
mod styles;
mod xlsx;

use crate::cell::CellRef;
use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::model::Report;
use crate::read::open::Sheet;
use std::collections::BTreeMap;

/// Fill colours: Excel's own "bad" red and "neutral" yellow; a light green for cells read.
const RED: &str = "FFFFC7CE";
const YELLOW: &str = "FFFFEB9C";
const GREEN: &str = "FFE2EFDA";
const AUTHOR: &str = "nianbao";

/// What the failures of this writer are called.
const WHAT: &str = "标注工作簿";

/// What one cell gets: the worse severity of its findings and all their messages. A cell
/// only read, with no finding, is `Info` without messages: green, no comment.
#[derive(Debug, Clone)]
struct Mark {
    severity: Severity,
    messages: Vec<String>,
}

/// sheet name → (row, col) → mark.
type Marks = BTreeMap<String, BTreeMap<(u32, u32), Mark>>;

fn marks(findings: &[Finding], read: &[CellRef]) -> Marks {
    let mut m: Marks = BTreeMap::new();
    for c in read {
        m.entry(c.sheet.to_string())
            .or_default()
            .entry((c.row, c.col))
            .or_insert(Mark { severity: Severity::Info, messages: Vec::new() });
    }
    for f in findings {
        if f.severity == Severity::Info {
            continue;
        }
        let Some(c) = &f.cell else { continue };
        let text = format!("{}[{}] {}", f.severity.zh(), f.rule, f.message);
        let e = m
            .entry(c.sheet.to_string())
            .or_default()
            .entry((c.row, c.col))
            .or_insert(Mark { severity: f.severity, messages: Vec::new() });
        e.severity = e.severity.min(f.severity);
        if !e.messages.contains(&text) {
            e.messages.push(text);
        }
    }
    m
}

/// The workbook to mark, as the reader parsed it: no module of `write/` opens the input.
#[derive(Clone, Copy)]
pub enum Workbook<'a> {
    /// An xlsx's bytes, already opened by the reader: its parts are patched in place.
    Xlsx(&'a [u8]),
    /// An xls's or ods's sheets as the reader holds them: copied into a new xlsx.
    Sheets(&'a [Sheet]),
}

/// The workbook with the cells of error and warning findings marked.
pub fn annotate(wb: Workbook<'_>, findings: &[Finding]) -> Result<Vec<u8>, Error> {
    annotate_read(wb, findings, &[])
}

/// Every cell a number of the report was read from.
pub fn read_cells(report: &Report) -> Vec<CellRef> {
    let fee = [&report.fee.count, &report.fee.amount];
    report
        .numbers()
        .iter()
        .filter_map(|n| n.value.cell.clone())
        .chain(fee.into_iter().flatten().filter_map(|v| v.cell.clone()))
        .collect()
}

/// The workbook with the cells of error and warning findings marked, and the cells in
/// `read` (see [`read_cells`]) filled light green where no finding marks them.
pub fn annotate_read(wb: Workbook<'_>, findings: &[Finding], read: &[CellRef]) -> Result<Vec<u8>, Error> {
    let m = marks(findings, read);
    match wb {
        Workbook::Xlsx(bytes) => xlsx::patch_xlsx(bytes, &m).map_err(|e| Error::write(WHAT, e)),
        Workbook::Sheets(sheets) => copy::copy_to_xlsx(sheets, &m).map_err(|e| Error::write(WHAT, e)),
    }
}
