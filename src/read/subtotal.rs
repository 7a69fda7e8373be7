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
        if cols.contains(&t.col) || seen.contains(&t.col) || !SUBTOTAL.iter().any(|w| t.forms.bare().contains(w)) {
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
/// filled cell is a part of the same column of its parent: the form's row nearest above
/// it, or the `其中` row above it whose label stands further left (or less indented), a
/// part of a part. `其中` rows of one parent at one level are its parts of one kind: their
/// sum is no more than the parent, checked once on the parent's cell (each alone is
/// then not). Returns them and the rows they stand on.
pub(super) fn of_which_rows(
    ix: &Index,
    form: &Form,
    area: Area,
    rows: &[u32],
    cols: &[u32],
) -> (Vec<Subtotal>, Vec<u32>) {
    // (row, level, label) of each `其中` row with a number, in row order.
    let mut found: Vec<(u32, (u32, usize), String)> = Vec::new();
    for t in ix.texts.iter().filter(|t| area.contains(t)) {
        if rows.contains(&t.row) || found.iter().any(|f| f.0 == t.row) || !t.forms.bare().starts_with(OF_WHICH) {
            continue;
        }
        if cols.iter().all(|&c| matches!(ix.raw(t.sheet, t.row, c), super::value::Raw::Empty)) {
            continue;
        }
        let raw = ix.raw(t.sheet, t.row, t.col).text();
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        found.push((t.row, (t.col, indent), raw.split_whitespace().collect::<String>()));
    }
    found.sort_by_key(|f| f.0);
    // Each one's parent: `Err(i)` the form's row `i`, `Ok(k)` the `其中` row `found[k]`.
    let mut parents: Vec<Option<Result<usize, usize>>> = Vec::with_capacity(found.len());
    let mut open: Vec<usize> = Vec::new();
    let mut form_parent: Option<usize> = None;
    for (k, &(row, level, _)) in found.iter().enumerate() {
        let above = rows.iter().enumerate().filter(|(_, &r)| r < row).max_by_key(|(_, &r)| r).map(|(i, _)| i);
        if above != form_parent {
            (form_parent, open) = (above, Vec::new());
        }
        while open.last().is_some_and(|&o| found[o].1 >= level) {
            open.pop();
        }
        parents.push(match open.last() {
            Some(&o) => Some(Ok(o)),
            None => above.map(Err),
        });
        open.push(k);
    }
    let s = area.sheet;
    let parent_of = |p: Result<usize, usize>| match p {
        Err(i) => (rows[i], form.requests_rows[i].label.to_string()),
        Ok(k) => (found[k].0, found[k].2.clone()),
    };
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (k, (row, _, label)) in found.iter().enumerate() {
        let Some(p) = parents[k] else { continue };
        let (parent_row, of) = parent_of(p);
        let siblings: Vec<usize> = (0..found.len()).filter(|&j| parents[j] == Some(p)).collect();
        for (c, &col) in cols.iter().enumerate() {
            if matches!(ix.raw(s, *row, col), super::value::Raw::Empty) {
                continue;
            }
            let column = &form.requests_columns[c];
            let whole = value_at(ix, s, parent_row, col, column);
            out.push(Subtotal {
                kind: if siblings.len() > 1 { SubtotalKind::PartOfSeveral } else { SubtotalKind::Part },
                value: value_at(ix, s, *row, col, column),
                parts: vec![whole.clone()],
                label: label.clone(),
                of: of.clone(),
            });
            // The parts of one kind together, once per parent and column.
            if siblings.len() > 1 && !seen.contains(&(p, c)) {
                seen.push((p, c));
                let filled: Vec<usize> = siblings
                    .iter()
                    .copied()
                    .filter(|&j| !matches!(ix.raw(s, found[j].0, col), super::value::Raw::Empty))
                    .collect();
                out.push(Subtotal {
                    kind: SubtotalKind::Parts,
                    value: whole,
                    parts: filled.iter().map(|&j| value_at(ix, s, found[j].0, col, column)).collect(),
                    label: filled.iter().map(|&j| found[j].2.as_str()).collect::<Vec<_>>().join("、"),
                    of: of.clone(),
                });
            }
        }
    }
    (out, found.iter().map(|f| f.0).collect())
}

/// The word an agency's breakdown row starts with.
const OF_WHICH: &str = "其中";
