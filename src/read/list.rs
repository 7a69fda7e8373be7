//! A table as one long list (docs/reading.md, "Shapes"): on each line the labels of one
//! row and one column of the form and the number right of them, where the template's grid
//! is not there. Section 二 (row label, column label, number) and table 四 (group, result,
//! number; or both in one cell, `行政复议-结果维持`) are read so. Each (row, column) of the
//! form must stand on exactly one line.

use super::index::{value_at, Area, Hit, Index, TextCell};
use super::label::{norm, SYNONYMS};
use super::near::firm;
use super::table::{Span, Table};
use crate::error::ReadError;
use crate::form::{self, Block, Column, Form};
use crate::model::{ReadNote, State};
use std::collections::BTreeMap;

/// One line of a list: the cell naming the form's row, the cell naming its column (the
/// same cell where one names both) and the column of the number.
type Line = (Hit, Hit, u32);

/// The lines of a list by the form's (row, column).
struct Lines {
    at: Vec<Vec<Option<Line>>>,
}

impl Lines {
    /// `widths`: the number of columns of each of the form's rows.
    fn new(widths: impl Iterator<Item = usize>) -> Lines {
        Lines { at: widths.map(|n| vec![None; n]).collect() }
    }

    /// Puts a line; `Err` with the line already there where another line names the same
    /// number (no telling which).
    fn put(&mut self, (r, c): (usize, usize), line: Line) -> Result<(), Line> {
        match self.at[r][c] {
            Some(old) if old.0 != line.0 || old.1 != line.1 => Err(old),
            _ => {
                self.at[r][c] = Some(line);
                Ok(())
            }
        }
    }

    fn found(&self) -> usize {
        self.at.iter().flatten().flatten().count()
    }

    /// The first (row, column) no line names.
    fn missing(&self) -> Option<(usize, usize)> {
        self.at.iter().enumerate().find_map(|(r, cs)| cs.iter().position(Option::is_none).map(|c| (r, c)))
    }

    /// The table of a whole list on one sheet; `column(r, c)` is the form's column of a
    /// number. `None` where a number has no line or the lines stand on several sheets.
    fn table<'c>(self, ix: &Index, column: impl Fn(usize, usize) -> &'c Column) -> Option<Table> {
        let mut values = Vec::new();
        let mut labels = Vec::new();
        let mut span: Option<(usize, u32, u32)> = None;
        let mut anchor: Option<Hit> = None;
        for (r, cells) in self.at.iter().enumerate() {
            let mut row_values = Vec::new();
            let mut row_labels = Vec::new();
            for (c, cell) in cells.iter().enumerate() {
                let (h, head, col) = (*cell)?;
                if span.is_some_and(|(s, _, _)| s != h.sheet) {
                    return None;
                }
                span = Some(span.map_or((h.sheet, h.row, h.row), |(s, a, b)| (s, a.min(h.row), b.max(h.row))));
                anchor.get_or_insert(h);
                row_values.push(value_at(ix, h.sheet, head.row, col, column(r, c)));
                row_labels.push(((h.sheet, h.row, h.col), (head.sheet, head.row, head.col)));
            }
            values.push(row_values);
            labels.push(row_labels);
        }
        let (sheet, first_row, last_row) = span?;
        Some(Table::of_shape(values, labels, anchor?, Span { sheet, first_row, last_row }))
    }
}

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

/// Section 二 as one long list: each line a row label, a column label right of it and the
/// number right of that, in rows `only` of a sheet (anywhere without it).
pub(super) fn active_list(ix: &Index, form: &Form, only: Option<(usize, (u32, u32))>) -> Option<Table> {
    let rows: Vec<(&Block, &form::Row)> = form.active_rows().collect();
    let mut lines = Lines::new(rows.iter().map(|(b, _)| b.columns.len()));
    for (i, (block, row)) in rows.iter().enumerate() {
        let hits = std::iter::once(&row.label)
            .chain(row.aliases.iter())
            .flat_map(|l| ix.find(l, None))
            .filter(|h| only.is_none_or(|(s, (lo, hi))| h.sheet == s && (lo..=hi).contains(&h.row)));
        for h in hits {
            let Some((k, head)) = list_column(ix, block, (h.sheet, h.row, h.col)) else { continue };
            // The number right of the column label; a blank there is a blank cell (0).
            let col = ix.value_right_of(head, 3).map_or(head.col + 1, |(c, _)| c);
            lines.put((i, k), (h, head, col)).ok()?;
        }
    }
    lines.table(ix, |r, c| &rows[r].0.columns[c])
}

// ---------------------------------------------------------------- table 四

/// The group of table 四 a list's text names: `行政复议`; `未经复议直接起诉` (also
/// `行政诉讼（未经复议）`, `直接起诉`); `复议后起诉`. `Err(())` for `行政诉讼` alone, which
/// needs the next cell to tell its two groups apart.
fn review_group(text: &str) -> Option<Result<usize, ()>> {
    if text.contains("复议后") {
        Some(Ok(2))
    } else if text.contains("未经复议") || text.contains("直接起诉") {
        Some(Ok(1))
    } else if text.contains("行政复议") || text == "复议" {
        Some(Ok(0))
    } else if text.contains(form::REVIEW_LITIGATION) {
        Some(Err(()))
    } else {
        None
    }
}

/// The result column of table 四 a list's text names: the one official label it holds
/// (`合计` for `总计`, as everywhere).
fn review_column(form: &Form, text: &str) -> Option<usize> {
    let canon = SYNONYMS.iter().fold(text.to_string(), |t, (w, official)| t.replace(w, official));
    let mut hits = form.review_columns.iter().enumerate().filter(|(_, c)| canon.contains(&norm(c.label)));
    let (k, _) = hits.next()?;
    hits.next().is_none().then_some(k)
}

/// A group or a column of table 四 (its index in the form) and the cell naming it.
type Named = (usize, Hit);

/// Whether a text cell is one of `labels` as the reader matches labels anywhere (notes,
/// synonyms, spaces, a character off): the index's own hits at that cell.
fn matches_at(ix: &Index, labels: &[&'static str], t: &TextCell) -> Option<usize> {
    let area = Area { sheet: t.sheet, rows: (t.row, t.row), cols: (t.col, t.col) };
    labels.iter().position(|l| ix.find(l, Some(area)).iter().any(|h| firm(h.score, 80)))
}

/// What one row of a sheet says as a line of table 四 as a list: the group and its cell,
/// the column and its cell. The texts are read left to right until both are named; each
/// is the label itself as labels are matched anywhere, else the words it holds.
fn review_line(ix: &Index, form: &Form, texts: &[&TextCell]) -> (Option<Named>, Option<Named>) {
    let groups: Vec<&str> = form.review_groups.iter().map(|g| g.label).collect();
    let columns: Vec<&str> = form.review_columns.iter().map(|c| c.label).collect();
    let hit = |t: &TextCell| Hit { sheet: t.sheet, row: t.row, col: t.col, score: 100 };
    let (mut group, mut parent, mut column) = (None, None, None);
    for t in texts {
        let text = &t.forms.full;
        let g = matches_at(ix, &groups, t).map(Ok).or_else(|| review_group(text));
        match g {
            Some(Ok(g)) if group.is_none() => group = Some((g, parent.unwrap_or(hit(t)))),
            Some(Err(())) if group.is_none() => parent = Some(hit(t)),
            _ => {}
        }
        if column.is_none() {
            let c = matches_at(ix, &columns, t).or_else(|| review_column(form, text));
            column = c.map(|c| (c, hit(t)));
        }
        if group.is_some() && column.is_some() {
            break;
        }
    }
    (group, column)
}

/// How many of the form's numbers table 四 as a list must name before a missing one is
/// this list's error rather than another shape's.
const REVIEW_LIST_MOST: usize = 8;

/// A row naming a result of table 四 as a list: its group and the group's cell, the
/// result, the result's cell, its first text.
type Found<'t> = (Option<(usize, Hit)>, usize, Hit, &'t TextCell);

/// Table 四 as one long list (`行政复议 | 结果维持 | 3`, `行政诉讼 | 复议后起诉 | 结果纠正 |
/// 2`, `行政复议-结果维持 | 3`), in rows `only` of a sheet (anywhere without it). A line
/// naming only a result, its group's cell left blank (or merged) under the line above,
/// is of that line's group. A line naming what the first line names starts another copy
/// (last year's list below this year's). Each copy whole, with the row of its first line;
/// none where no list is there; refused where most of a copy is there but a number has no
/// line or two. Each copy's own result: a copy refused (last year's list below, a line
/// mistyped) does not refuse the copy beside it, which the report year may choose.
pub(super) fn review_list(
    ix: &Index,
    form: &Form,
    only: Option<(usize, (u32, u32))>,
) -> Vec<(u32, Result<Table, ReadError>)> {
    let heading = form::section(form::SectionId::ReviewLitigation).heading;
    let mut rows: BTreeMap<(usize, u32), Vec<&TextCell>> = BTreeMap::new();
    for t in &ix.texts {
        if only.is_none_or(|(s, (lo, hi))| t.sheet == s && (lo..=hi).contains(&t.row)) {
            rows.entry((t.sheet, t.row)).or_default().push(t);
        }
    }
    let mut found: Vec<Found<'_>> = Vec::new();
    for (&(sheet, row), texts) in &mut rows {
        texts.sort_by_key(|t| t.col);
        let (group, column) = review_line(ix, form, texts);
        let (Some((c, head)), Some(&first)) = (column, texts.first()) else { continue };
        // A group's cell left blank (or merged) under its first line.
        let group = group.or_else(|| {
            let (Some((g, cell)), _, h, _) = found.last()? else { return None };
            (h.sheet == sheet && h.row + 1 == row && first.col > cell.col).then_some((*g, *cell))
        });
        found.push((group, c, head, first));
    }
    // A group's cell worded otherwise, between lines of one group in the form's order of
    // results, is that group's (READ-LABEL).
    let mut notes = Vec::new();
    for i in 0..found.len() {
        let (None, c, head, first) = found[i] else { continue };
        let near = |j: usize| {
            let (g, cj, hj, _) = found.get(j)?;
            let (g, cell) = (*g)?;
            (hj.sheet == head.sheet && hj.row.abs_diff(head.row) <= 2 && cell.col == first.col).then_some((g, *cj))
        };
        let before = i.checked_sub(1).and_then(near).filter(|&(_, cj)| cj < c).map(|x| x.0);
        let after = near(i + 1).filter(|&(_, cj)| cj > c).map(|x| x.0);
        let g = match (before, after) {
            (Some(a), Some(b)) if a != b => continue,
            (Some(g), _) | (None, Some(g)) => g,
            (None, None) => continue,
        };
        let cell = Hit { sheet: first.sheet, row: first.row, col: first.col, score: 0 };
        found[i].0 = Some((g, cell));
        notes.push(super::place::placed_note(ix, heading, cell, form.review_groups[g].label, "行"));
    }
    // Copies: each starts where a line names what the first line of the one before names.
    let mut copies: Vec<Vec<Found<'_>>> = Vec::new();
    // A row naming a result and no group is no line of a list.
    for f in found.into_iter().filter(|f| f.0.is_some()) {
        let starts =
            copies.last().and_then(|c| c.first()).is_some_and(|x| x.0.map(|g| g.0) == f.0.map(|g| g.0) && x.1 == f.1);
        match copies.last_mut() {
            Some(c) if !starts => c.push(f),
            _ => copies.push(vec![f]),
        }
    }
    let mut out = Vec::new();
    for copy in copies {
        let (lo, hi) = copy.iter().fold((u32::MAX, 0), |(a, b), f| (a.min(f.2.row), b.max(f.2.row)));
        let said: Vec<ReadNote> =
            notes.iter().filter(|n| n.cell.as_ref().is_some_and(|c| (lo..=hi).contains(&c.row))).cloned().collect();
        match review_copy(ix, form, &rows, &copy, said) {
            Ok(Some(t)) => out.push((lo, Ok(t))),
            Ok(None) => {}
            Err(e) => out.push((lo, Err(e))),
        }
    }
    out
}

/// One copy of table 四 as a list from its lines.
fn review_copy(
    ix: &Index,
    form: &Form,
    rows: &BTreeMap<(usize, u32), Vec<&TextCell>>,
    found: &[Found<'_>],
    notes: Vec<ReadNote>,
) -> Result<Option<Table>, ReadError> {
    let heading = form::section(form::SectionId::ReviewLitigation).heading;
    let per = form.review_columns.len();
    let mut lines = Lines::new(form.review_groups.iter().map(|_| per));
    let mut dup: Option<(Line, Line, (usize, usize))> = None;
    let mut span: Option<(usize, u32, u32)> = None;
    for &(group, c, head, _) in found {
        let Some((g, cell)) = group else { continue };
        let (sheet, row) = (head.sheet, head.row);
        // Two numbers right of the labels (a column per year): no telling which is the
        // report's, so no list.
        let numbers = (head.col + 1..=head.col + 4)
            .filter(|&k| super::value::parse(ix.raw(sheet, row, k), form::Kind::Count).state == State::Number)
            .count();
        if numbers > 1 {
            return Ok(None);
        }
        let col = ix.value_right_of(head, 3).map_or(head.col + 1, |(k, _)| k);
        let line = (cell, head, col);
        if let Err(old) = lines.put((g, c), line) {
            dup.get_or_insert((old, line, (g, c)));
        }
        span = Some(span.map_or((sheet, row, row), |(s, a, b)| (s, a.min(row), b.max(row))));
    }
    let name = |(g, c): (usize, usize)| format!("{}—{}", form.review_groups[g].label, form.review_columns[c].label);
    if let Some((a, b, at)) = dup {
        let cell = |l: Line| super::years::cell_name(ix, (l.1.sheet, l.1.row, l.1.col));
        return Err(ReadError::TwoLines {
            table: heading.to_string(),
            label: name(at),
            places: format!("“{}”、“{}”", cell(a), cell(b)),
        });
    }
    let found = lines.found();
    if found == 0 {
        return Ok(None);
    }
    if let Some(missing) = lines.missing() {
        if found < REVIEW_LIST_MOST {
            return Ok(None);
        }
        let Some((sheet, lo, hi)) = span else { return Ok(None) };
        // The nearest text among the list's lines that name nothing of the form.
        let used: Vec<u32> = lines.at.iter().flatten().flatten().map(|l| l.1.row).collect();
        let free: Vec<Hit> = rows
            .iter()
            .filter(|((s, r), _)| *s == sheet && (lo.saturating_sub(2)..=hi + 2).contains(r) && !used.contains(r))
            .flat_map(|(_, ts)| ts.iter().filter(|t| review_group(&t.forms.full).is_none()))
            .map(|t| Hit { sheet: t.sheet, row: t.row, col: t.col, score: 0 })
            .filter(|h| super::place::numbers_right(ix, *h) > 0)
            .collect();
        let mut place = format!("工作表“{}”", ix.sheets[sheet].name);
        let want = name(missing);
        // Compared with the result's label: the group's cell stands on every line.
        if let Some((cell, text)) = super::place::nearest(ix, &free, form.review_columns[missing.1].label) {
            place.push_str(&format!("；最接近的是单元格 {cell} 的“{text}”"));
        }
        return Err(ReadError::LabelNotFound { table: heading.to_string(), label: want, what: "行", place });
    }
    Ok(lines.table(ix, |_, c| &form.review_columns[c]).map(|mut t| {
        t.notes = notes;
        t
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_results_as_lists_write_them() {
        let g = |t: &str| review_group(&norm(t));
        assert_eq!(g("行政复议"), Some(Ok(0)));
        assert_eq!(g("行政诉讼（未经复议直接起诉）"), Some(Ok(1)));
        assert_eq!(g("行政诉讼（未经复议）结果纠正"), Some(Ok(1)));
        assert_eq!(g("复议后起诉"), Some(Ok(2)));
        assert_eq!(g("行政诉讼"), Some(Err(())));
        assert_eq!(g("结果维持"), None);
        let f = form::Edition::E2021.form();
        let c = |t: &str| review_column(f, &norm(t));
        assert_eq!(c("行政复议-结果维持"), Some(0));
        assert_eq!(c("合计"), Some(4));
        assert_eq!(c("尚未审结（件）"), Some(3));
        assert_eq!(c("行政复议"), None);
    }
}
