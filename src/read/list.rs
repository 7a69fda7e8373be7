//! Section 二 as one long list (docs/reading.md, "Shapes"): row label, column label and
//! number on each line, where the template's grid is not there.

use super::index::{value_at, Area, Hit, Index};
use super::near::firm;
use super::table::{Span, Table};
use crate::form::{Block, Form};

/// The column of `block` whose header a cell in row `row` right of `col` (within four
/// columns) matches best, with that cell: a line of section 二 as one long list.
pub(super) fn list_column(ix: &Index, block: &Block, (sheet, row, col): (usize, u32, u32)) -> Option<(usize, Hit)> {
    let area = Area { sheet, rows: (row, row), cols: (col + 1, col + 4) };
    block
        .columns
        .iter()
        .enumerate()
        .flat_map(|(k, c)| {
            std::iter::once(&c.label)
                .chain(c.aliases.iter())
                .flat_map(move |l| ix.find(l, Some(area)))
                .map(move |h| (k, h))
        })
        .filter(|(_, h)| firm(h.score, 80))
        .max_by_key(|(_, h)| (h.score, std::cmp::Reverse(h.col)))
}

/// Section 二 as one long list (docs/reading.md, "Shapes"): each line a row label, a column
/// label right of it and the number right of that, in rows `only` of a sheet (anywhere
/// without it). Each (row, column) of the form must stand on exactly one line.
pub(super) fn active_list(ix: &Index, form: &Form, only: Option<(usize, (u32, u32))>) -> Option<Table> {
    let mut values = Vec::new();
    let mut labels = Vec::new();
    let mut span: Option<(usize, u32, u32)> = None;
    let mut anchor: Option<Hit> = None;
    for (block, row) in form.active_rows() {
        let hits: Vec<Hit> = std::iter::once(&row.label)
            .chain(row.aliases.iter())
            .flat_map(|l| ix.find(l, None))
            .filter(|h| only.is_none_or(|(s, (lo, hi))| h.sheet == s && (lo..=hi).contains(&h.row)))
            .collect();
        let mut cells: Vec<Option<(Hit, Hit, u32)>> = vec![None; block.columns.len()];
        for h in hits {
            let Some((k, head)) = list_column(ix, block, (h.sheet, h.row, h.col)) else { continue };
            // The number right of the column label; a blank there is a blank cell (0).
            let col = ix.value_right_of(head, 3).map_or(head.col + 1, |(c, _)| c);
            // Two lines for one number: no telling which.
            if cells[k].is_some_and(|(r, _, _)| r != h) {
                return None;
            }
            cells[k] = Some((h, head, col));
        }
        let mut row_values = Vec::new();
        let mut row_labels = Vec::new();
        for (c, cell) in block.columns.iter().zip(&cells) {
            let (h, head, col) = (*cell)?;
            if span.is_some_and(|(s, _, _)| s != h.sheet) {
                return None;
            }
            span = Some(span.map_or((h.sheet, h.row, h.row), |(s, a, b)| (s, a.min(h.row), b.max(h.row))));
            anchor.get_or_insert(h);
            row_values.push(value_at(ix, h.sheet, h.row, col, c));
            row_labels.push(((h.sheet, h.row, h.col), (head.sheet, head.row, head.col)));
        }
        values.push(row_values);
        labels.push(row_labels);
    }
    let (sheet, first_row, last_row) = span?;
    let anchor = anchor?;
    Some(Table::of_shape(values, labels, anchor, Span { sheet, first_row, last_row }))
}
