//! A number printed past the columns of its table (a web page's or Word document's row with
//! one cell too many; a PDF's rows are placed by position, `pdf::place`): the workbook reader reads a table's columns and leaves what stands
//! right of them, so the number would be lost without a word. A row of the form holding
//! one is refused, naming the table and the row; the sender checks the original.

use super::layout::{cell, Block};
use super::Kind;
use crate::error::ReadError;
use crate::form::Edition;
use crate::read::label::{norm, strip_enum};
use crate::read::value::Raw;
use std::collections::{HashMap, HashSet};

/// A row label as compared: normalised, without its enumerator.
fn key(label: &str) -> String {
    strip_enum(&norm(label)).to_string()
}

/// The leaf labels of the rows of tables 二 and 三, both editions.
fn row_labels() -> HashSet<String> {
    let mut out = HashSet::new();
    for e in [Edition::E2019, Edition::E2021] {
        let form = e.form();
        out.extend(form.requests_rows.iter().map(|r| key(r.label)));
        out.extend(form.active.iter().flat_map(|b| b.rows.iter()).map(|r| key(r.label)));
    }
    out.remove("");
    out
}

fn is_number(text: &str) -> bool {
    matches!(cell(text).0, Raw::Int(_)) || text.trim().parse::<f64>().is_ok_and(f64::is_finite)
}

/// Refuses the first row of the form that holds a number past its table's width (the
/// width most of the table's rows have).
pub(super) fn check(kind: Kind, blocks: &[Block]) -> Result<(), ReadError> {
    let tables = blocks.iter().filter_map(|b| match b {
        Block::Table(g) => Some(g),
        Block::Text(_) => None,
    });
    let mut labels: Option<HashSet<String>> = None;
    for (n, grid) in tables.enumerate() {
        let mut widths: HashMap<usize, usize> = HashMap::new();
        for row in &grid.rows {
            *widths.entry(row.len()).or_default() += 1;
        }
        let Some(width) = widths.into_iter().max_by_key(|&(w, k)| (k, w)).map(|(w, _)| w) else { continue };
        for row in grid.rows.iter().filter(|r| r.len() > width) {
            let Some((c, stray)) = row.iter().enumerate().skip(width).find(|(_, t)| is_number(t)) else { continue };
            let Some(label) = row.iter().find(|t| !t.trim().is_empty() && !is_number(t)) else { continue };
            if !labels.get_or_insert_with(row_labels).contains(&key(label)) {
                continue;
            }
            return Err(ReadError::Published(format!(
                "这是{}，其中第 {} 个表格“{}”一行的数字 {} 印在表格各列之外（第 {} 列，表格只有 {width} 列），无法对应到表格的列：请核对原文件",
                kind.name(),
                n + 1,
                label.split_whitespace().collect::<String>(),
                stray.trim(),
                c + 1
            )));
        }
    }
    Ok(())
}
