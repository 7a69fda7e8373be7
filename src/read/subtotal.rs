//! Subtotals an agency adds to table 三, which the form does not have: a `小计` column
//! under 法人或其他组织. Never read as one of the form's cells; kept with the cells they
//! should add up, and checked like the form's totals (T3-SUBTOTAL).

use super::index::{value_at, Area, Hit, Index};
use crate::form::{self, Form};
use crate::model::Subtotal;

/// Words that head a subtotal column.
const SUBTOTAL: [&str; 2] = ["小计", "合计"];

/// Table 三's subtotal columns, one [`Subtotal`] per row read: a header naming a subtotal
/// in a column the form's columns do not use sums the 法人或其他组织 columns left of it.
pub fn requests(
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
                value,
                parts: parts.iter().map(|&k| value_at(ix, s, r, cols[k], &form.requests_columns[k])).collect(),
                label: label.clone(),
                of: form::REQUESTS_ORG.to_string(),
            });
        }
    }
    out
}
