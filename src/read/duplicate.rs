//! A row of table 三 typed twice (a row copied and refilled with the old one kept, perhaps
//! hidden): two places for one row's numbers. The same numbers are no choice; a copy all
//! blank or 0 gives way to the one with numbers, said with READ-CHOICE; otherwise the
//! table is refused naming both rows, never read from whichever stands first.

use super::index::{value_at, Area, Hit, Index};
use super::years::cell_name;
use crate::error::ReadError;
use crate::form::{self, Form};
use crate::model::{NoteKind, ReadNote, State, Value};
use rust_decimal::Decimal;

/// The row each form row is read from once its copies are weighed, and the rows of copies
/// left (no unknown labels). `rows[i]` is the row matched to form row `i`.
pub(super) fn weigh(
    ix: &Index,
    form: &Form,
    window: Area,
    rows: &mut [Hit],
    cols: &[u32],
    notes: &mut Vec<ReadNote>,
) -> Result<Vec<u32>, ReadError> {
    let heading = form::section(form::SectionId::Requests).heading;
    let s = window.sheet;
    let taken: Vec<u32> = rows.iter().map(|h| h.row).collect();
    // A copy stands next to its row (a blank row between at most), no other row of the form
    // between them: a copy of the whole table further down is another block, chosen elsewhere.
    let next_to = |a: u32, b: u32| a.abs_diff(b) <= 2 && !taken.iter().any(|&t| t > a.min(b) && t < a.max(b));
    let numbers = |row: u32| -> Vec<Value> {
        form.requests_columns.iter().zip(cols).map(|(c, &col)| value_at(ix, s, row, col, c)).collect()
    };
    let filled = |v: &[Value]| v.iter().any(|x| x.state == State::Number && x.num != Some(Decimal::ZERO));
    let mut left = Vec::new();
    for (i, row) in form.requests_rows.iter().enumerate() {
        let hit = rows[i];
        // Copies: the same label, as well matched, on a row no other form row took, with a
        // number beside it.
        let copies: Vec<Hit> = ix
            .find(row.label, Some(window))
            .into_iter()
            .filter(|h| h.score >= hit.score.max(90) && !taken.contains(&h.row) && next_to(h.row, hit.row))
            .filter(|h| numbers(h.row).iter().any(|v| v.state == State::Number))
            .collect();
        if copies.is_empty() {
            continue;
        }
        let mine = numbers(hit.row);
        let nums = |v: &[Value]| v.iter().map(|x| x.num).collect::<Vec<_>>();
        let differing: Vec<Hit> = copies.iter().copied().filter(|c| nums(&numbers(c.row)) != nums(&mine)).collect();
        left.extend(copies.iter().map(|c| c.row));
        if differing.is_empty() {
            continue;
        }
        let all: Vec<Hit> = std::iter::once(hit).chain(differing.iter().copied()).collect();
        let with_numbers: Vec<Hit> = all.iter().copied().filter(|h| filled(&numbers(h.row))).collect();
        let places = all.iter().map(|h| format!("“{}”", cell_name(ix, (s, h.row, h.col)))).collect::<Vec<_>>();
        if let [only] = with_numbers[..] {
            rows[i] = only;
            left.retain(|&r| r != only.row);
            left.push(hit.row);
            notes.push(ReadNote {
                kind: NoteKind::Choice,
                cell: Some(crate::cell::CellRef::new(ix.sheets[s].name.clone(), only.row, only.col)),
                message: format!(
                    "“{heading}”表中“{}”一行出现了 {} 次（{}）：读取了有数字的“{}”一行，其余各行全部空白或为 0，未读取；请删除多余的行",
                    row.label,
                    all.len(),
                    places.join("、"),
                    cell_name(ix, (s, only.row, only.col))
                ),
            });
            continue;
        }
        return Err(ReadError::DuplicateRow {
            table: heading.to_string(),
            label: row.label.to_string(),
            places: places.join("、"),
        });
    }
    Ok(left)
}
