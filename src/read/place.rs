//! Labels placed by their position in the form's structure: when most labels of a table
//! match, a row or column whose label matches none is the one the form has between its
//! matched neighbours (the row between （六） and 四、 is （七）; the column between 科研机构
//! and 法律服务机构 is 社会公益组织). Each placement is said (READ-LABEL); a table is refused
//! only when too many labels are missing or the neighbours leave no single place.

use super::index::{Hit, Index};
use super::label::{norm, score_cell, similarity, strip_enum, strip_notes, Pattern};
use super::value::{parse, Raw};
use crate::cell::CellRef;
use crate::form;
use crate::model::{NoteKind, ReadNote, State};

/// At most this share of a table's labels may be placed by position (one of 7 columns,
/// six of 25 rows): beyond it the structure is lost.
pub(super) fn may_place(missing: usize, total: usize) -> bool {
    missing > 0 && missing <= (total / 4).max(1)
}

/// Words of the columns and rows agencies add: never one of the form's labels.
pub(super) const EXTRA_WORDS: [&str; 5] = ["备注", "校验", "说明", "小计", "其中"];

/// Text cells that are no candidate for a missing label: other labels of the form
/// (`known`), and columns agencies add (`备注`, `校验`, `说明`, `小计`, `其中`).
fn is_extra(t: &Pattern, known: &[Pattern]) -> bool {
    EXTRA_WORDS.iter().any(|w| t.bare().contains(w)) || known.iter().any(|k| score_cell(t, k) >= 80)
}

/// Places the missing entries of `found` (one per official label, in form order) on the
/// free lines between their matched neighbours. `lines` are the candidate positions along
/// the table's axis with the text cell standing for each, in order. A run of missing
/// labels takes the lines strictly between its neighbours when there are exactly as many.
/// Returns the placements, or the index of the first label that found no place.
pub(super) fn place_run(found: &[Option<u32>], lines: &[(u32, Hit)]) -> Result<Vec<(usize, Hit)>, usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < found.len() {
        if found[i].is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < found.len() && found[i].is_none() {
            i += 1;
        }
        let before = found[..start].iter().rev().flatten().next().copied();
        let after = found[i..].iter().flatten().next().copied();
        // Neighbours out of the form's order: rows moved, nothing to place by.
        if let (Some(b), Some(a)) = (before, after) {
            if b >= a {
                return Err(start);
            }
        }
        let between: Vec<&(u32, Hit)> = lines
            .iter()
            .filter(|(p, _)| before.is_none_or(|b| *p > b) && after.is_none_or(|a| *p < a))
            .filter(|(p, _)| !found.contains(&Some(*p)))
            .collect();
        let run = i - start;
        // Open-ended runs (the first or last label) take the lines nearest the neighbour.
        let take: Vec<&(u32, Hit)> = match (before, after) {
            (Some(_), Some(_)) if between.len() == run => between,
            (Some(_), None) if between.len() >= run => between[..run].to_vec(),
            (None, Some(_)) if between.len() >= run => between[between.len() - run..].to_vec(),
            _ => return Err(start),
        };
        for (k, (_, hit)) in take.into_iter().enumerate() {
            out.push((start + k, *hit));
        }
    }
    Ok(out)
}

/// The text of a placed label's cell, as typed.
pub(super) fn text_at(ix: &Index, hit: Hit) -> String {
    match ix.raw(hit.sheet, hit.row, hit.col) {
        Raw::Str(s) => s.trim().to_string(),
        r => r.text(),
    }
}

/// Candidate text cells of an area that could stand for a missing label.
pub(super) fn free_texts(ix: &Index, area: super::index::Area, known: &[Pattern]) -> Vec<Hit> {
    ix.texts
        .iter()
        .filter(|t| area.contains(t) && !is_extra(&t.forms, known))
        .map(|t| Hit { sheet: t.sheet, row: t.row, col: t.col, score: 0 })
        .collect()
}

/// The cell whose text is nearest an official label, for the message of a refused table.
pub(super) fn nearest(ix: &Index, cells: &[Hit], label: &str) -> Option<(CellRef, String)> {
    let want = strip_notes(strip_enum(&norm(label)));
    cells
        .iter()
        .map(|h| {
            let t = text_at(ix, *h);
            let n = strip_notes(strip_enum(&norm(&t)));
            (similarity(&n, &want), *h, t)
        })
        .filter(|(s, _, _)| *s > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h, t)| (CellRef::new(ix.sheets[h.sheet].name.clone(), h.row, h.col), t))
}

/// How many cells right of a label in its row read as numbers: where a label with numbers
/// beside it failed, its message is the one to show, not a glossary's.
pub(super) fn numbers_right(ix: &Index, hit: Hit) -> usize {
    let sheet = &ix.sheets[hit.sheet];
    sheet
        .cells
        .range((hit.row, hit.col + 1)..(hit.row + 1, 0))
        .filter(|(_, r)| parse(r, form::Kind::Count).state == State::Number)
        .count()
}

/// The READ-LABEL note of a label read by its position.
pub(super) fn placed_note(ix: &Index, table: &str, hit: Hit, official: &str, what: &str) -> ReadNote {
    let text = text_at(ix, hit);
    let text = if text.is_empty() { "（空白）".to_string() } else { format!("“{text}”") };
    ReadNote {
        kind: NoteKind::Label,
        cell: Some(CellRef::new(ix.sheets[hit.sheet].name.clone(), hit.row, hit.col)),
        message: format!(
            "“{table}”表中的{what}标签{text}不是官方表格的文字，已按它在表中的位置读作“{official}”{what}，请核对并改为官方文字"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(p: u32) -> Hit {
        Hit { sheet: 0, row: p, col: 0, score: 0 }
    }

    #[test]
    fn a_missing_label_takes_the_one_line_between_its_neighbours() {
        let lines: Vec<(u32, Hit)> = [3, 4, 5, 6].iter().map(|&p| (p, hit(p))).collect();
        let found = [Some(3), None, Some(5), Some(6)];
        assert_eq!(
            place_run(&found, &lines).map(|v| v.iter().map(|x| (x.0, x.1.row)).collect::<Vec<_>>()),
            Ok(vec![(1, 4)])
        );
        // Two lines for one label: no telling which.
        let found = [Some(3), None, Some(6)];
        assert_eq!(place_run(&found, &lines).map(|v| v.len()), Err(1));
        // The last label takes the line right after its neighbour.
        let found = [Some(3), Some(4), None];
        assert_eq!(place_run(&found, &lines).map(|v| v.iter().map(|x| x.1.row).collect::<Vec<_>>()), Ok(vec![5]));
        // Neighbours out of order.
        let found = [Some(5), None, Some(3)];
        assert_eq!(place_run(&found, &lines).map(|v| v.len()), Err(1));
    }
}
