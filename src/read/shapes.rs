//! Other shapes of table 四 (docs/reading.md, "Shapes"): its three groups as rows under
//! the five result columns (transposed), or each group with its own five columns wherever
//! it stands (a 行政复议 block and a 行政诉讼 block, one under the other), or one long list
//! (`read/list.rs`). Tried where the template's shape is not there.

use super::index::{value_at, Area, Hit, Index};
use super::label::{Pattern, SYNONYM};
use super::near::firm;
use super::table::{Span, Table};
use super::value::Raw;
use crate::error::ReadError;
use crate::form::Form;

/// How far a group's five columns may spread right of its header.
const GROUP_SPAN: u32 = 14;

/// The leftmost hit of a label in an area (a group's own columns come first; a note on
/// one lowers its score, not its place), topmost among equals.
fn first_hit(ix: &Index, label: &str, area: Area) -> Option<Hit> {
    let p = Pattern::new(label);
    let min = super::index::min_score(&p).max(SYNONYM);
    ix.find_pattern(&p, Some(area)).into_iter().filter(|h| firm(h.score, min)).min_by_key(|h| (h.col, h.row))
}

/// Whether any cell of a band between a shape's headers and its numbers says whose year
/// the numbers under it are (`2022年` | `2023年`, `上年` | `本年`): these shapes do not
/// choose between years, so such a table is left to the template shape's error, never read
/// from whichever column the header stands over.
fn year_marked(
    ix: &Index,
    sheet: usize,
    rows: std::ops::RangeInclusive<u32>,
    cols: std::ops::RangeInclusive<u32>,
) -> bool {
    // A count typed as text (`２０４２` in the numbers' row) marks no year.
    rows.into_iter().any(|r| {
        cols.clone().any(|c| {
            let raw = ix.raw(sheet, r, c);
            matches!(raw, Raw::Str(t) if super::years::column_mark(t).is_some()) && !super::years::is_count(raw)
        })
    })
}

/// Table 四 with each group's header over its own five columns, the groups anywhere below
/// or right of the first (`anchor`, the 行政复议 header).
pub(super) fn review_by_groups(ix: &Index, form: &Form, anchor: Hit) -> Option<Table> {
    let s = anchor.sheet;
    let mut values = Vec::new();
    let mut labels = Vec::new();
    let mut last_row = anchor.row;
    for (g, group) in form.review_groups.iter().enumerate() {
        let head = if g == 0 {
            anchor
        } else {
            let below = Area { sheet: s, rows: (anchor.row, anchor.row + 40), cols: (0, u32::MAX) };
            ix.find(group.label, Some(below))
                .into_iter()
                .filter(|h| firm(h.score, 80))
                .min_by_key(|h| (h.row, h.col))?
        };
        let area = Area { sheet: s, rows: (head.row + 1, head.row + 3), cols: (head.col, head.col + GROUP_SPAN) };
        let subs: Vec<Hit> = form.review_columns.iter().map(|c| first_hit(ix, c.label, area)).collect::<Option<_>>()?;
        // Five distinct columns, in the form's order.
        if subs.windows(2).any(|w| w[0].col >= w[1].col) {
            return None;
        }
        let sub_row = subs.iter().map(|h| h.row).max().unwrap_or(head.row);
        let data_row = (sub_row + 1..=sub_row + 3)
            .find(|&r| subs.iter().any(|h| !matches!(ix.raw(s, r, h.col), Raw::Empty)))
            .unwrap_or(sub_row + 1);
        let last_col = subs.last().map_or(head.col, |h| h.col);
        if year_marked(ix, s, sub_row + 1..=data_row, head.col..=last_col + 1) {
            return None;
        }
        last_row = last_row.max(data_row);
        values.push(form.review_columns.iter().zip(&subs).map(|(c, h)| value_at(ix, s, data_row, h.col, c)).collect());
        labels.push(subs.iter().map(|h| ((s, head.row, head.col), (s, h.row, h.col))).collect());
    }
    Some(Table::of_shape(values, labels, anchor, Span { sheet: anchor.sheet, first_row: anchor.row, last_row }))
}

/// Table 四 transposed: the five result columns as headers, each group a row below them
/// (`行政复议`, `未经复议直接起诉`, `复议后起诉`), `anchor` the 行政复议 row label.
pub(super) fn review_transposed(ix: &Index, form: &Form, anchor: Hit) -> Option<Table> {
    let s = anchor.sheet;
    let headers = Area {
        sheet: s,
        rows: (anchor.row.saturating_sub(3), anchor.row.saturating_sub(1)),
        cols: (anchor.col + 1, anchor.col + 20),
    };
    let cols: Vec<Hit> = form.review_columns.iter().map(|c| first_hit(ix, c.label, headers)).collect::<Option<_>>()?;
    if cols.windows(2).any(|w| w[0].col >= w[1].col) {
        return None;
    }
    let header_row = cols.iter().map(|h| h.row).max().unwrap_or(anchor.row);
    let last_col = cols.last().map_or(anchor.col, |h| h.col);
    if year_marked(ix, s, header_row + 1..=anchor.row.saturating_sub(1), anchor.col + 1..=last_col + 1) {
        return None;
    }
    let rows_area =
        Area { sheet: s, rows: (anchor.row, anchor.row + 6), cols: (anchor.col.saturating_sub(2), anchor.col + 2) };
    let mut rows = vec![anchor];
    for group in &form.review_groups[1..] {
        let h =
            ix.find(group.label, Some(rows_area)).into_iter().filter(|h| firm(h.score, 80)).min_by_key(|h| h.row)?;
        rows.push(h);
    }
    if rows.windows(2).any(|w| w[0].row >= w[1].row) {
        return None;
    }
    let values = rows
        .iter()
        .map(|r| form.review_columns.iter().zip(&cols).map(|(c, h)| value_at(ix, s, r.row, h.col, c)).collect())
        .collect();
    let labels = rows.iter().map(|r| cols.iter().map(|c| ((s, r.row, r.col), (s, c.row, c.col))).collect()).collect();
    let last = rows.last().map_or(anchor.row, |r| r.row);
    Some(Table::of_shape(values, labels, anchor, Span { sheet: anchor.sheet, first_row: anchor.row, last_row: last }))
}

/// Table 四 in the template's shape, else in another shape, else the template shape's error.
pub(super) fn review_any(ix: &Index, form: &Form, anchor: Hit, report_year: Option<i32>) -> Result<Table, ReadError> {
    match super::tables::review_at(ix, form, anchor, report_year) {
        Ok(t) => Ok(t),
        // The template's shape with two places for its numbers is no other shape.
        Err(e @ (ReadError::Ambiguous { .. } | ReadError::SameYear { .. })) => Err(e),
        Err(e) => {
            if let Some(t) = review_by_groups(ix, form, anchor).or_else(|| review_transposed(ix, form, anchor)) {
                return Ok(t);
            }
            // One long list, where the anchor is the group cell of a copy's first line (the
            // anchors of its other lines read no copy of their own). The lines of the whole
            // sheet are split into copies, so that no copy is read from the middle of one
            // into the next.
            let copies = super::list::review_list(ix, form, Some((anchor.sheet, (0, u32::MAX))));
            copies.into_iter().find(|(first, _)| *first == anchor.row).map_or(Err(e), |(_, t)| t)
        }
    }
}
