//! Subtotals an agency adds to table 三, which the form does not have: a `小计` column
//! under 法人或其他组织, a `其中：…` row under one of the form's rows. Never read as one of the form's cells; kept with the cells they
//! should add up, and checked like the form's totals (T3-SUBTOTAL).

use super::index::{value_at, Area, Hit, Index};
use crate::form::{self, Form};
use crate::model::{Subtotal, SubtotalKind};

/// Words that head a subtotal column.
const SUBTOTAL: [&str; 2] = ["小计", "合计"];

/// Table 三's subtotal columns, one [`Subtotal`] per row read: a header naming a subtotal
/// in a column the form's columns do not use sums the 法人或其他组织 columns left of it.
pub(super) fn requests(
    ix: &Index,
    form: &Form,
    (header_rows, band): ((u32, u32), (u32, u32)),
    hits: &[Hit],
    cols: &[u32],
    rows: &[u32],
) -> Vec<Subtotal> {
    let Some(first) = hits.first() else { return Vec::new() };
    let s = first.sheet;
    let area = Area { sheet: s, rows: header_rows, cols: band };
    let total = form.requests_columns.len() - 1;
    let mut out = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for t in ix.texts.iter().filter(|t| area.contains(t)) {
        if cols.contains(&t.col) || seen.contains(&t.col) || !SUBTOTAL.iter().any(|w| t.forms.bare.contains(w)) {
            continue;
        }
        // The organisations' columns: every column between 自然人 and 总计, left of it.
        let parts: Vec<usize> = (1..total).filter(|&k| cols[k] < t.col && cols[k] > cols[0]).collect();
        if parts.is_empty() {
            continue;
        }
        seen.push(t.col);
        let label = ix.raw(s, t.row, t.col).text().split_whitespace().collect::<String>();
        for &r in rows {
            let column = &form.requests_columns[total];
            if matches!(ix.raw(s, r, t.col), super::value::Raw::Empty) {
                continue;
            }
            let value = value_at(ix, s, r, t.col, column);
            out.push(Subtotal {
                kind: SubtotalKind::Sum,
                value,
                parts: parts.iter().map(|&k| value_at(ix, s, r, cols[k], &form.requests_columns[k])).collect(),
                label: label.clone(),
                of: form::REQUESTS_ORG.to_string(),
            });
        }
    }
    out
}

/// Table 三's `其中` rows (`其中：通过互联网提交`): a row whose label starts with `其中`, with
/// numbers, below one of the form's rows (`rows`, form order) and not one of them. Each
/// filled cell is a part of the same column of the form's row nearest above it. Returns
/// them and the rows they stand on.
pub(super) fn of_which_rows(
    ix: &Index,
    form: &Form,
    area: Area,
    rows: &[u32],
    cols: &[u32],
) -> (Vec<Subtotal>, Vec<u32>) {
    let mut out = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for t in ix.texts.iter().filter(|t| area.contains(t)) {
        if rows.contains(&t.row) || seen.contains(&t.row) || !t.forms.bare.starts_with(OF_WHICH) {
            continue;
        }
        let Some((i, &parent)) = rows.iter().enumerate().filter(|(_, &r)| r < t.row).max_by_key(|(_, &r)| r) else {
            continue;
        };
        let s = t.sheet;
        let label = ix.raw(s, t.row, t.col).text().split_whitespace().collect::<String>();
        let before = out.len();
        for (k, &c) in cols.iter().enumerate() {
            if matches!(ix.raw(s, t.row, c), super::value::Raw::Empty) {
                continue;
            }
            let column = &form.requests_columns[k];
            out.push(Subtotal {
                kind: SubtotalKind::Part,
                value: value_at(ix, s, t.row, c, column),
                parts: vec![value_at(ix, s, parent, c, column)],
                label: label.clone(),
                of: form.requests_rows[i].label.to_string(),
            });
        }
        if out.len() > before {
            seen.push(t.row);
        }
    }
    (out, seen)
}

/// The word an agency's breakdown row starts with.
const OF_WHICH: &str = "其中";
