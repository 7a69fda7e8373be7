//! Finds the tables of sections 二, 三 and 四 by their labels, wherever a department put
//! them, and reads their numbers with the cells they came from.

use super::index::{min_score, value_at, Area, Hit, Index, Pos};
use super::label::{score, score_cell, similarity, strip_enum, strip_notes, Pattern};
use super::value::Raw;
use super::{place, years};
use crate::cell::CellRef;
use crate::error::ReadError;
use crate::form::{self, Column, Form, Row};
use crate::model::{Line, NoteKind, ReadNote, UnknownLabel};

pub use super::table::{Span, Table};

fn not_found(ix: &Index, label: &str) -> ReadError {
    ReadError::TableNotFound { label: label.to_string(), sheets: ix.sheets.len(), names: ix.sheet_names() }
}

fn label_missing(ix: &Index, table: &str, label: &str, what: &'static str, sheet: usize) -> ReadError {
    ReadError::LabelNotFound {
        table: table.to_string(),
        label: label.to_string(),
        what,
        place: format!("工作表“{}”", ix.sheets[sheet].name),
    }
}

/// Finds the header cells of `columns` in rows `rows` of a sheet, right of `min_col`,
/// nearest to `near_row` when a label occurs twice. Returns a column per label.
fn header_columns(
    ix: &Index,
    sheet: usize,
    rows: (u32, u32),
    min_col: u32,
    columns: &[Column],
    near_row: u32,
) -> Vec<Option<u32>> {
    header_hits(ix, sheet, rows, (min_col, u32::MAX), columns, near_row).into_iter().map(|h| h.map(|h| h.col)).collect()
}

/// The header cell of each of `columns` within columns `cols`, as [`header_columns`]
/// chooses them.
fn header_hits(
    ix: &Index,
    sheet: usize,
    rows: (u32, u32),
    cols: (u32, u32),
    columns: &[Column],
    near_row: u32,
) -> Vec<Option<Hit>> {
    let area = Area { sheet, rows, cols };
    columns
        .iter()
        .map(|c| {
            let mut best: Option<Hit> = None;
            for label in std::iter::once(&c.label).chain(c.aliases.iter()) {
                for h in ix.find(label, Some(area)) {
                    let better = match best {
                        None => true,
                        Some(b) => (h.score, h.row) > (b.score, b.row) && near_row >= h.row,
                    };
                    if better {
                        best = Some(h);
                    }
                }
            }
            best
        })
        .collect()
}

// ---------------------------------------------------------------- section 二

/// The sheets where any section 二 row label stands, in order.
pub fn active_sheets(ix: &Index, form: &Form) -> Vec<usize> {
    let mut v: Vec<usize> = form
        .active_rows()
        .flat_map(|(_, r)| std::iter::once(&r.label).chain(r.aliases.iter()))
        .flat_map(|l| ix.find(l, None))
        .map(|h| h.sheet)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The parts of a sheet that each may hold one copy of section 二: (rows, columns). Copies
/// one above the other split the rows at each copy's first label; copies side by side split
/// the columns at each copy's label column.
pub fn active_bands(ix: &Index, form: &Form, sheet: usize) -> Vec<Band> {
    let Some((block, first)) = form.active_rows().next() else { return vec![((0, u32::MAX), (0, u32::MAX))] };
    let mut starts: Vec<(u32, u32)> = std::iter::once(&first.label)
        .chain(first.aliases.iter())
        .flat_map(|l| ix.find(l, None))
        .filter(|h| h.sheet == sheet)
        // In one long list the row label stands on a line per column: the first starts.
        .filter(|h| super::list::list_column(ix, block, (h.sheet, h.row, h.col)).is_none_or(|(k, _)| k == 0))
        .map(|h| (h.row, h.col))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    if starts.len() < 2 {
        return vec![((0, u32::MAX), (0, u32::MAX))];
    }
    let mut cols: Vec<u32> = starts.iter().map(|s| s.1).collect();
    cols.sort_unstable();
    cols.dedup();
    let mut bands: Vec<Band> = Vec::with_capacity(starts.len());
    for (ci, &c) in cols.iter().enumerate() {
        let col_band = (if ci == 0 { 0 } else { c }, cols.get(ci + 1).map_or(u32::MAX, |n| n.saturating_sub(1)));
        let rows: Vec<u32> = starts.iter().filter(|s| s.1 == c).map(|s| s.0).collect();
        for (i, &r) in rows.iter().enumerate() {
            let lo = if i == 0 { 0 } else { r };
            let hi = rows.get(i + 1).map_or(u32::MAX, |n| n.saturating_sub(1));
            bands.push(((lo, hi), col_band));
        }
    }
    bands
}

/// Rows and columns (first, last) of a part of a sheet.
pub type Band = ((u32, u32), (u32, u32));

/// The active-disclosure rows, form order, found in the part `only` of a sheet (anywhere
/// without it): in the template's shape, else as one long list where the workbook holds
/// the template's shape nowhere (the list of nianbao's own archive, `数据`, is no second
/// copy), else the template shape's error.
pub fn read_active(ix: &Index, form: &Form, only: Option<(usize, Band)>) -> Result<Table, ReadError> {
    read_active_grid(ix, form, only).or_else(|e| {
        let grid_somewhere = only.is_some() && read_active_grid(ix, form, None).is_ok();
        if grid_somewhere {
            return Err(e);
        }
        super::list::active_list(ix, form, only.map(|(s, (rows, _))| (s, rows))).ok_or(e)
    })
}

/// Section 二 in the template's shape: each block's header row over its rows.
fn read_active_grid(ix: &Index, form: &Form, only: Option<(usize, Band)>) -> Result<Table, ReadError> {
    let mut out = Vec::new();
    let mut labels = Vec::new();
    let mut span: Option<Span> = None;
    let mut first_hit: Option<Hit> = None;
    let mut score = 100u8;
    let mut rows: Vec<Option<(Hit, u32, Vec<u32>)>> = Vec::new();
    for (block, row) in form.active_rows() {
        let mut found = None;
        let mut candidates = Vec::new();
        for label in std::iter::once(&row.label).chain(row.aliases.iter()) {
            candidates.extend(ix.find(label, None).into_iter().filter(|h| {
                only.is_none_or(|(s, ((lo, hi), (left, right)))| {
                    h.sheet == s && (lo..=hi).contains(&h.row) && (left..=right).contains(&h.col)
                })
            }));
        }
        // Best score first; among equals, the one with numbers beside it.
        candidates
            .sort_by_key(|h| (std::cmp::Reverse(h.score), std::cmp::Reverse(place::numbers_right(ix, *h).min(1))));
        for hit in &candidates {
            if let Some((hr, cols)) = block_header(ix, block, *hit) {
                found = Some((*hit, hr, cols));
                break;
            }
        }
        if found.is_none() {
            if let Some(hit) = candidates.first() {
                return Err(active_header_missing(ix, block, *hit));
            }
        }
        rows.push(found);
    }
    let mut notes = Vec::new();
    if rows.iter().any(Option::is_none) {
        place_active_rows(ix, form, only.map(|(s, (band, _))| (s, band)), &mut rows, &mut notes)?;
    }
    for ((block, row), found) in form.active_rows().zip(rows) {
        let Some((hit, header_row, cols)) = found else { return Err(not_found_active(ix, block.heading, row.label)) };
        first_hit.get_or_insert(hit);
        let values =
            block.columns.iter().zip(&cols).map(|(c, &col)| value_at(ix, hit.sheet, hit.row, col, c)).collect();
        out.push(values);
        labels.push(cols.iter().map(|&c| ((hit.sheet, hit.row, hit.col), (hit.sheet, header_row, c))).collect());
        score = score.min(hit.score);
        span = Some(match span {
            Some(s) if s.sheet == hit.sheet => {
                Span { sheet: s.sheet, first_row: s.first_row.min(hit.row), last_row: s.last_row.max(hit.row) }
            }
            Some(s) => s,
            None => Span { sheet: hit.sheet, first_row: hit.row, last_row: hit.row },
        });
    }
    let span = span.unwrap_or(Span { sheet: 0, first_row: 0, last_row: 0 });
    let anchor = first_hit.unwrap_or(Hit { sheet: span.sheet, row: span.first_row, col: 0, score });
    Ok(Table { values: out, span, unknown: Vec::new(), labels, score, anchor, notes, subtotals: Vec::new() })
}

/// The header row of a section 二 block over a row label: the nearest above (within 8
/// rows) holding every column of the block, with the columns.
fn block_header(ix: &Index, block: &form::Block, hit: Hit) -> Option<(u32, Vec<u32>)> {
    (hit.row.saturating_sub(8)..hit.row).rev().find_map(|hr| {
        let cols = header_columns(ix, hit.sheet, (hr, hr), hit.col + 1, block.columns, hr);
        cols.iter().all(Option::is_some).then(|| (hr, cols.into_iter().flatten().collect()))
    })
}

/// Section 二's rows whose label matched nothing, placed by their position between matched
/// neighbours (the row between 行政规范性文件 and 行政处罚 is 行政许可): rows with a text in
/// the labels' column and numbers beside it. Each placement is said (READ-LABEL); a row
/// that finds no place refuses the table.
fn place_active_rows(
    ix: &Index,
    form: &Form,
    only: Option<(usize, (u32, u32))>,
    rows: &mut [Option<(Hit, u32, Vec<u32>)>],
    notes: &mut Vec<ReadNote>,
) -> Result<(), ReadError> {
    let all: Vec<(&form::Block, &Row)> = form.active_rows().collect();
    let first_missing = rows.iter().position(Option::is_none).unwrap_or(0);
    let (block, row) = all[first_missing];
    let lost = || not_found_active(ix, block.heading, row.label);
    let hits: Vec<Option<Hit>> = rows.iter().map(|r| r.as_ref().map(|x| x.0)).collect();
    let Some(first) = hits.iter().flatten().next().copied() else { return Err(lost()) };
    if hits.iter().flatten().any(|h| h.sheet != first.sheet || h.col != first.col) {
        return Err(lost());
    }
    let missing = hits.iter().filter(|h| h.is_none()).count();
    if !place::may_place(missing, hits.len()) {
        return Err(lost());
    }
    let (lo, hi) = hits.iter().flatten().fold((u32::MAX, 0), |(a, b), h| (a.min(h.row), b.max(h.row)));
    let mut rows_area = (lo.saturating_sub(10), hi + 10);
    if let Some((_, (blo, bhi))) = only {
        rows_area = (rows_area.0.max(blo), rows_area.1.min(bhi));
    }
    let area = Area { sheet: first.sheet, rows: rows_area, cols: (first.col, first.col) };
    let mut known: Vec<Pattern> = form::SECTIONS.iter().map(|s| Pattern::new(s.heading)).collect();
    known.push(Pattern::new(form::ACTIVE_HEADER));
    for (b, r) in &all {
        known.push(Pattern::new(b.heading));
        known.extend(std::iter::once(&r.label).chain(r.aliases.iter()).map(|l| Pattern::new(l)));
        known.extend(b.columns.iter().map(|c| Pattern::new(c.label)));
    }
    let lines: Vec<(u32, Hit)> = place::free_texts(ix, area, &known)
        .into_iter()
        .filter(|h| place::numbers_right(ix, *h) > 0)
        .map(|h| (h.row, h))
        .collect();
    let pos: Vec<Option<u32>> = hits.iter().map(|h| h.map(|h| h.row)).collect();
    let placed = place::place_run(&pos, &lines).map_err(|i| not_found_active(ix, all[i].0.heading, all[i].1.label))?;
    let heading = form::section(form::SectionId::Active).heading;
    for (i, hit) in placed {
        let (b, r) = all[i];
        let Some((hr, cols)) = block_header(ix, b, hit) else { return Err(active_header_missing(ix, b, hit)) };
        notes.push(place::placed_note(ix, heading, hit, r.label, "行"));
        rows[i] = Some((hit, hr, cols));
    }
    Ok(())
}

/// The error of a section 二 row whose header row lacks a column: the row above it holding
/// most of the block's headers names the first it lacks and the text nearest it there.
fn active_header_missing(ix: &Index, block: &form::Block, hit: Hit) -> ReadError {
    let heading = form::section(form::SectionId::Active).heading;
    let best = (hit.row.saturating_sub(8)..hit.row)
        .map(|hr| (hr, header_columns(ix, hit.sheet, (hr, hr), hit.col + 1, block.columns, hr)))
        .max_by_key(|(hr, cols)| (cols.iter().flatten().count(), *hr));
    let Some((hr, cols)) = best else {
        return label_missing(ix, heading, block.columns.first().map_or("", |c| c.label), "列", hit.sheet);
    };
    let missing = cols.iter().position(Option::is_none).and_then(|i| block.columns.get(i)).map_or("", |c| c.label);
    let area = Area { sheet: hit.sheet, rows: (hr, hr), cols: (hit.col + 1, u32::MAX) };
    let free: Vec<Hit> = ix
        .texts
        .iter()
        .filter(|t| area.contains(t) && !cols.contains(&Some(t.col)))
        .map(|t| Hit { sheet: t.sheet, row: t.row, col: t.col, score: 0 })
        .collect();
    unplaced(ix, heading, missing, "列", hit.sheet, &free)
}

fn not_found_active(ix: &Index, heading: &str, row: &str) -> ReadError {
    let label = format!("{}（{}{}）", form::section(form::SectionId::Active).heading, heading, row);
    not_found(ix, &label)
}

/// Lines an agency typed below the section 二 tables, up to the next table.
pub fn read_active_extra(ix: &Index, span: Span, stop_row: Option<u32>, known: &[Pattern]) -> Vec<Line> {
    let sheet = &ix.sheets[span.sheet];
    let end = stop_row.unwrap_or(span.last_row + 12).min(span.last_row + 40);
    let mut lines = Vec::new();
    for row in span.last_row + 1..end {
        let cells: Vec<(u32, &Raw)> = sheet.cells.range((row, 0)..(row + 1, 0)).map(|(&(_, c), r)| (c, r)).collect();
        let Some(&(first_col, first)) = cells.iter().find(|(_, r)| matches!(r, Raw::Str(s) if !s.trim().is_empty()))
        else {
            continue;
        };
        let text = first.text().trim().to_string();
        let n = super::label::norm(&text);
        if known.iter().any(|p| score(&n, p) >= 80) || text.starts_with(form::EXTRA_HINT) {
            continue;
        }
        // A label and its number in two cells become one line.
        let rest: Vec<String> = cells
            .iter()
            .filter(|(c, r)| *c > first_col && r.text().trim() != "")
            .map(|(_, r)| r.text().trim().to_string())
            .collect();
        let line = if rest.is_empty() {
            text
        } else if text.ends_with('：') || text.ends_with(':') {
            format!("{text}{}", rest.join(" "))
        } else {
            format!("{text}：{}", rest.join(" "))
        };
        lines.push(Line { text: line, cell: Some(CellRef::new(sheet.name.clone(), row, first_col)) });
    }
    lines
}

// ---------------------------------------------------------------- section 三

/// Where table 三 may begin: every cell matching its first row's label, best first.
pub fn requests_anchors(ix: &Index, form: &Form) -> Vec<Hit> {
    ix.find(form.requests_rows[0].label, None)
}

/// The error when table 三 is nowhere.
pub fn requests_not_found(ix: &Index) -> ReadError {
    not_found(ix, form::section(form::SectionId::Requests).heading)
}

/// Table 三 read from the cell of its first row's label. `report_year` decides between
/// two columns or two copies of the headers that name years.
pub fn requests_at(ix: &Index, form: &Form, anchor: Hit, report_year: Option<i32>) -> Result<Table, ReadError> {
    let s = anchor.sheet;
    let header_top = anchor.row.saturating_sub(8);
    let header_rows = (header_top, anchor.row.saturating_sub(1));
    let mut notes = Vec::new();
    let band = year_band(ix, form, anchor, header_rows, report_year, &mut notes)?;
    let found = header_hits(ix, s, header_rows, band, form.requests_columns, anchor.row);
    let hits = place_columns(ix, form, anchor, (header_rows, band), found, &mut notes)?;
    let mut cols: Vec<u32> = hits.iter().map(|h| h.col).collect();
    let heads: Vec<(u32, u32)> = hits.iter().map(|h| (h.row, h.col)).collect();
    let heading = form::section(form::SectionId::Requests).heading;
    let marks = year_columns(ix, s, &heads, anchor.row, (heading, report_year), &mut cols, &mut notes)?;
    // The row labels end before the first header's column, whichever year column is read.
    let first_data_col =
        cols.iter().chain(&heads.iter().map(|h| h.1).collect::<Vec<_>>()).copied().min().unwrap_or(anchor.col + 1);
    let last_data_col = cols.iter().copied().max().unwrap_or(first_data_col);

    // The rows lie between the column headers and whatever comes next on the sheet (table
    // 四, or a later section); departments move rows, so neither 一 nor 四、结转下年度
    // need be first or last.
    let top = hits.iter().map(|h| h.row + 1).max().unwrap_or(anchor.row).min(anchor.row);
    // Below the row of year marks, which is no row of the table.
    let top = marks.map_or(top, |m| top.max(m + 1).min(anchor.row));
    let label_cols = (anchor.col.saturating_sub(3), first_data_col.saturating_sub(1));
    let bottom = next_table_row(ix, form, s, top).unwrap_or(top + 80).min(top + 80);
    // Nor past the first row of another copy below (last year's): its rows, matching better
    // than this copy's retyped ones, would be taken for this copy's.
    let next_copy =
        requests_anchors(ix, form).into_iter().filter(|h| h.sheet == s && h.row > anchor.row).map(|h| h.row);
    let bottom = next_copy.min().map_or(bottom, |r| bottom.min(r));
    let window = Area { sheet: s, rows: (top, bottom.saturating_sub(1)), cols: label_cols };

    let rows = assign_rows(ix, form.requests_rows, window);
    let mut row_hits = place_rows(ix, form, window, (first_data_col, last_data_col), rows, &mut notes)?;
    let copies = super::duplicate::weigh(ix, form, window, &mut row_hits, &cols, &mut notes)?;
    let rows: Vec<u32> = row_hits.iter().map(|h| h.row).collect();
    let end_row = rows.iter().copied().max().unwrap_or(anchor.row);
    let area = Area { sheet: s, rows: (top, end_row), cols: label_cols };
    let values = form
        .requests_rows
        .iter()
        .zip(&rows)
        .map(|(_, &r)| form.requests_columns.iter().zip(&cols).map(|(c, &col)| value_at(ix, s, r, col, c)).collect())
        .collect();

    // `其中` rows are parts of the row above, checked as such, never unknown labels.
    let (parts, part_rows) = super::subtotal::of_which_rows(ix, form, window, &rows, &cols);
    let used: Vec<u32> = rows.iter().chain(&part_rows).chain(&copies).copied().collect();
    let unknown = unknown_labels(ix, form.requests_rows, area, &used, (first_data_col, last_data_col));
    let mut subtotals = super::subtotal::requests(ix, form, (header_rows, band), &hits, &cols, &rows);
    subtotals.extend(parts);
    let labels =
        row_hits.iter().map(|r| hits.iter().map(|c| ((s, r.row, r.col), (s, c.row, c.col))).collect()).collect();
    let span = Span { sheet: s, first_row: header_top, last_row: end_row };
    Ok(Table { values, span, unknown, labels, score: anchor.score, anchor, notes, subtotals })
}

/// The error of a label that found no place, naming the cell whose text is nearest it.
fn unplaced(ix: &Index, table: &str, label: &'static str, what: &'static str, sheet: usize, free: &[Hit]) -> ReadError {
    let mut e = label_missing(ix, table, label, what, sheet);
    let ReadError::LabelNotFound { place, .. } = &mut e else { return e };
    if let Some((cell, text)) = place::nearest(ix, free, label) {
        place.push_str(&format!("；最接近的是单元格 {cell} 的“{text}”"));
    } else if let Some(h) = ix.find(label, None).into_iter().find(|h| h.sheet == sheet && h.score >= 90) {
        // The label is there, only not where the table's shape puts it (rows and columns
        // swapped, say): name its cell.
        let cell = CellRef::new(ix.sheets[sheet].name.clone(), h.row, h.col);
        place.push_str(&format!(
            "；“{label}”写在单元格 {cell}，不在这张表的{what}标签的位置，表格的行列可能与官方表格不同"
        ));
    }
    e
}

/// Table 三's column headers, those that matched no label placed by position.
fn place_columns(
    ix: &Index,
    form: &Form,
    anchor: Hit,
    (header_rows, band): ((u32, u32), (u32, u32)),
    found: Vec<Option<Hit>>,
    notes: &mut Vec<ReadNote>,
) -> Result<Vec<Hit>, ReadError> {
    let missing = found.iter().filter(|h| h.is_none()).count();
    if missing == 0 {
        return Ok(found.into_iter().flatten().collect());
    }
    let s = anchor.sheet;
    let mut known: Vec<Pattern> = form.requests_columns.iter().map(|c| Pattern::new(c.label)).collect();
    known.extend([form::REQUESTS_APPLICANT, form::REQUESTS_NOTE, form::REQUESTS_ORG].map(Pattern::new));
    let area = Area { sheet: s, rows: header_rows, cols: (band.0.max(anchor.col + 1), band.1) };
    let free = place::free_texts(ix, area, &known);
    // A line per column: its lowest free text, nearest the numbers.
    let mut lines: Vec<(u32, Hit)> = Vec::new();
    for h in &free {
        match lines.iter_mut().find(|(c, _)| *c == h.col) {
            Some((_, l)) if l.row < h.row => *l = *h,
            Some(_) => {}
            None => lines.push((h.col, *h)),
        }
    }
    let labels: Vec<&str> = form.requests_columns.iter().map(|c| c.label).collect();
    let lines = Lines { at: lines, free: &free, sheet: s, what: "列", along: |h: &Hit| h.col };
    place_missing(ix, found, &labels, lines, notes)
}

/// Table 三's rows, those whose label matched none placed by position.
fn place_rows(
    ix: &Index,
    form: &Form,
    window: Area,
    data_cols: (u32, u32),
    found: Vec<Option<Hit>>,
    notes: &mut Vec<ReadNote>,
) -> Result<Vec<Hit>, ReadError> {
    let missing = found.iter().filter(|h| h.is_none()).count();
    if missing == 0 {
        return Ok(found.into_iter().flatten().collect());
    }
    let rows = form.requests_rows;
    let mut known: Vec<Pattern> = rows.iter().map(|r| Pattern::new(r.label)).collect();
    known.extend(rows.iter().flat_map(|r| r.groups.iter()).map(|g| Pattern::new(g)));
    let free = place::free_texts(ix, window, &known);
    let sheet = &ix.sheets[window.sheet];
    // A line per row with numbers: its rightmost free text, nearest the numbers.
    let mut lines: Vec<(u32, Hit)> = Vec::new();
    for h in &free {
        if !(data_cols.0..=data_cols.1).any(|c| !matches!(sheet.get(h.row, c), Raw::Empty)) {
            continue;
        }
        match lines.iter_mut().find(|(r, _)| *r == h.row) {
            Some((_, l)) if l.col < h.col => *l = *h,
            Some(_) => {}
            None => lines.push((h.row, *h)),
        }
    }
    let labels: Vec<&str> = rows.iter().map(|r| r.label).collect();
    let lines = Lines { at: lines, free: &free, sheet: window.sheet, what: "行", along: |h: &Hit| h.row };
    place_missing(ix, found, &labels, lines, notes)
}

/// The candidate lines of one axis of table 三 (its columns or its rows): where each line
/// stands along the axis with its free text, and how a hit's place on the axis is read.
struct Lines<'a, F: Fn(&Hit) -> u32> {
    at: Vec<(u32, Hit)>,
    free: &'a [Hit],
    sheet: usize,
    /// `列` or `行`, for messages.
    what: &'static str,
    along: F,
}

/// Places the labels of one axis that matched nothing by their position between matched
/// neighbours (READ-LABEL for each), or refuses naming the first that cannot be placed.
fn place_missing<F: Fn(&Hit) -> u32>(
    ix: &Index,
    found: Vec<Option<Hit>>,
    labels: &[&'static str],
    lines: Lines<'_, F>,
    notes: &mut Vec<ReadNote>,
) -> Result<Vec<Hit>, ReadError> {
    place_missing_in(ix, form::section(form::SectionId::Requests).heading, found, labels, lines, notes)
}

/// [`place_missing`] in the table named `heading`.
fn place_missing_in<F: Fn(&Hit) -> u32>(
    ix: &Index,
    heading: &str,
    mut found: Vec<Option<Hit>>,
    labels: &[&'static str],
    mut lines: Lines<'_, F>,
    notes: &mut Vec<ReadNote>,
) -> Result<Vec<Hit>, ReadError> {
    let missing = found.iter().filter(|h| h.is_none()).count();
    lines.at.sort_by_key(|l| l.0);
    let pos: Vec<Option<u32>> = found.iter().map(|h| h.as_ref().map(&lines.along)).collect();
    let first = pos.iter().position(Option::is_none).unwrap_or(0);
    let placed = if place::may_place(missing, found.len()) { place::place_run(&pos, &lines.at) } else { Err(first) };
    let placed = placed.map_err(|i| unplaced(ix, heading, labels[i], lines.what, lines.sheet, lines.free))?;
    for (i, hit) in placed {
        notes.push(place::placed_note(ix, heading, hit, labels[i], lines.what));
        found[i] = Some(hit);
    }
    Ok(found.into_iter().flatten().collect())
}

/// The columns to read table 三's headers in: all right of its row labels, or, where the
/// headers stand twice side by side under two years, the copy of the report year.
fn year_band(
    ix: &Index,
    form: &Form,
    anchor: Hit,
    header_rows: (u32, u32),
    report_year: Option<i32>,
    notes: &mut Vec<ReadNote>,
) -> Result<(u32, u32), ReadError> {
    // Another copy of the row labels to the right (two copies of the table side by side)
    // ends this copy's columns: its headers are the other copy's, not a second set of ours.
    let next_copy = requests_anchors(ix, form)
        .into_iter()
        .filter(|h| h.sheet == anchor.sheet && h.col > anchor.col && h.row.abs_diff(anchor.row) <= 2)
        .map(|h| h.col)
        .min();
    let open = (anchor.col + 1, next_copy.map_or(u32::MAX, |c| c - 1));
    let area = Area { sheet: anchor.sheet, rows: header_rows, cols: open };
    let hits = ix.find(form.requests_columns[0].label, Some(area));
    // Every copy that matches at all: a label retyped in one copy lowers its score but
    // leaves it a copy, and must not hide it from the choice.
    let least = min_score(&Pattern::new(form.requests_columns[0].label));
    let mut copies: Vec<Hit> = hits.into_iter().filter(|h| h.score >= least).collect();
    copies.sort_by_key(|h| h.col);
    copies.dedup_by_key(|h| h.col);
    if copies.len() < 2 {
        return Ok(open);
    }
    let heading = form::section(form::SectionId::Requests).heading;
    let marks: Vec<Option<(i32, Pos)>> =
        copies.iter().map(|h| years::heading_year(ix, (h.sheet, h.row, h.col))).collect();
    let pos = |h: &Hit| (h.sheet, h.row, h.col);
    let places: Vec<String> = copies
        .iter()
        .zip(&marks)
        .map(|(h, m)| years::place_name(ix, pos(h), m.map(|(y, _)| format!("{y}年")).as_deref()))
        .collect();
    let pick: Vec<usize> =
        (0..copies.len()).filter(|&i| marks[i].is_some_and(|(y, _)| Some(y) == report_year)).collect();
    let i = match pick.as_slice() {
        [i] => {
            let h = copies[*i];
            notes.push(ReadNote {
                kind: NoteKind::Choice,
                cell: Some(CellRef::new(ix.sheets[h.sheet].name.clone(), h.row, h.col)),
                message: format!(
                    "“{heading}”表的列有{}套：{}；读取了{}年的一套（标题或表头写明的年度是报告年度），其余未读取",
                    copies.len(),
                    places.join("、"),
                    report_year.unwrap_or_default()
                ),
            });
            *i
        }
        _ => {
            // The year does not decide: visibility does, where one copy alone is visible.
            let tied: Vec<usize> = if pick.is_empty() { (0..copies.len()).collect() } else { pick.clone() };
            let at: Vec<Pos> = tied.iter().map(|&i| pos(&copies[i])).collect();
            let Some(v) = years::only_visible(ix, &at) else {
                let (table, places, hint) = (heading.to_string(), places.join("、"), String::new());
                return Err(if pick.len() > 1 {
                    ReadError::SameYear { table, places, hint }
                } else {
                    ReadError::Ambiguous { table, places, hint }
                });
            };
            let (i, h) = (tied[v], copies[tied[v]]);
            let left: Vec<String> = at.iter().filter(|&&p| p != pos(&h)).map(|&p| years::cell_name(ix, p)).collect();
            notes.push(ReadNote {
                kind: NoteKind::Choice,
                cell: Some(CellRef::new(ix.sheets[h.sheet].name.clone(), h.row, h.col)),
                message: years::visible_message(heading, &places, years::cell_name(ix, pos(&h)), &left),
            });
            i
        }
    };
    let h = copies[i];
    let hi = copies.get(i + 1).map_or(u32::MAX, |n| n.col.saturating_sub(1));
    Ok((h.col, hi))
}

/// A column per year under each header of a table (`2022年` | `2023年`, `上年` | `本年`
/// in a row between the headers and the numbers): the report year's column is read, and
/// said; with no telling, refused. `heads` are the headers' cells (row, column) on sheet
/// `s`, marks are looked for in the rows below each down to `rows_end` (exclusive), and
/// `cols` (one per head) is moved to the chosen columns. Returns the lowest row of marks.
fn year_columns(
    ix: &Index,
    s: usize,
    heads: &[(u32, u32)],
    rows_end: u32,
    (heading, report_year): (&str, Option<i32>),
    cols: &mut [u32],
    notes: &mut Vec<ReadNote>,
) -> Result<Option<u32>, ReadError> {
    let mut said: Option<(Vec<String>, String, CellRef)> = None;
    // (read, places, left, cell) of the first header read by visibility.
    let mut visible: Option<(String, Vec<String>, Vec<String>, CellRef)> = None;
    let mut mark_row = None;
    for (j, &(row, col)) in heads.iter().enumerate() {
        let next = heads.iter().map(|o| o.1).filter(|&c| c > col).min().unwrap_or(col + 4);
        // (column, mark, text, row of the mark)
        let mut marked: Vec<(u32, years::Mark, String, u32)> = Vec::new();
        for r in row + 1..rows_end {
            for c in col..next {
                let Raw::Str(t) = ix.raw(s, r, c) else { continue };
                if let Some(m) = years::column_mark(t) {
                    if !marked.iter().any(|x| x.0 == c) {
                        marked.push((c, m, t.trim().to_string(), r));
                    }
                }
            }
        }
        if marked.len() < 2 {
            continue;
        }
        mark_row = mark_row.max(marked.iter().map(|m| m.3).max());
        let places: Vec<String> =
            marked.iter().map(|(c, _, t, r)| years::place_name(ix, (s, *r, *c), Some(t))).collect();
        let pick: Vec<&(u32, years::Mark, String, u32)> = marked.iter().filter(|m| m.1.is(report_year)).collect();
        if let [p] = pick.as_slice() {
            cols[j] = p.0;
            if said.is_none() {
                said = Some((places, p.2.clone(), CellRef::new(ix.sheets[s].name.clone(), p.3, p.0)));
            }
            continue;
        }
        // The year does not decide: visibility does, where one column alone is visible.
        let same = pick.len() > 1;
        let tied: Vec<&(u32, years::Mark, String, u32)> = if pick.is_empty() { marked.iter().collect() } else { pick };
        let at: Vec<Pos> = tied.iter().map(|m| (s, m.3, m.0)).collect();
        let Some(v) = years::only_visible(ix, &at) else {
            let (table, places, hint) = (heading.to_string(), places.join("、"), String::new());
            return Err(if same {
                ReadError::SameYear { table, places, hint }
            } else {
                ReadError::Ambiguous { table, places, hint }
            });
        };
        cols[j] = tied[v].0;
        if visible.is_none() {
            let left: Vec<String> = at.iter().filter(|&&p| p != at[v]).map(|&p| years::cell_name(ix, p)).collect();
            visible = Some((
                years::cell_name(ix, at[v]),
                places,
                left,
                CellRef::new(ix.sheets[s].name.clone(), at[v].1, at[v].2),
            ));
        }
    }
    if let Some((places, text, cell)) = said {
        notes.push(ReadNote {
            kind: NoteKind::Choice,
            cell: Some(cell),
            message: format!(
                "“{heading}”表的每一列下分年度填了不止一列（如{}），读取了“{text}”一列（报告年度{}），其余未读取",
                places.join("、"),
                report_year.map_or(String::new(), |y| format!(" {y} 年"))
            ),
        });
    }
    if let Some((read, places, left, cell)) = visible {
        notes.push(ReadNote {
            kind: NoteKind::Choice,
            cell: Some(cell),
            message: years::visible_message(heading, &places, read, &left),
        });
    }
    Ok(mark_row)
}

/// The first row below `top` on a sheet where table 四 or a later section begins.
fn next_table_row(ix: &Index, form: &Form, sheet: usize, top: u32) -> Option<u32> {
    let area = Area { sheet, rows: (top, u32::MAX), cols: (0, u32::MAX) };
    let mut labels = vec![form.review_groups[0].label];
    labels.extend(
        [form::SectionId::ReviewLitigation, form::SectionId::Problems, form::SectionId::OtherMatters]
            .map(|id| form::section(id).heading),
    );
    labels.iter().flat_map(|l| ix.find(l, Some(area))).filter(|h| h.score >= 90).map(|h| h.row).min()
}

/// Gives each official row the best cell in the area; each cell serves one row.
fn assign_rows(ix: &Index, rows: &[Row], area: Area) -> Vec<Option<Hit>> {
    let mut cands: Vec<(u8, usize, Hit)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for label in std::iter::once(&row.label).chain(row.aliases.iter()) {
            for h in ix.find(label, Some(area)) {
                cands.push((h.score, i, h));
            }
        }
    }
    // Best score first; among equals, the row whose label is more specific.
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.row.cmp(&b.2.row)));
    let mut assigned: Vec<Option<Hit>> = vec![None; rows.len()];
    let mut used_rows: Vec<u32> = Vec::new();
    for (_, i, h) in cands {
        if assigned[i].is_none() && !used_rows.contains(&h.row) {
            assigned[i] = Some(h);
            used_rows.push(h.row);
        }
    }
    assigned
}

/// Rows of the area that carry numbers but whose label matched no official row.
fn unknown_labels(ix: &Index, rows: &[Row], area: Area, used: &[u32], data_cols: (u32, u32)) -> Vec<UnknownLabel> {
    let sheet = &ix.sheets[area.sheet];
    // Built when a row first needs them: most tables have no unknown rows.
    let groups = std::cell::OnceCell::new();
    let groups = || -> &Vec<Pattern> {
        groups.get_or_init(|| rows.iter().flat_map(|r| r.groups.iter()).map(|g| Pattern::new(g)).collect())
    };
    let official = std::cell::OnceCell::new();
    let official = || -> &Vec<(&str, Pattern)> {
        official.get_or_init(|| rows.iter().map(|r| (r.label, Pattern::new(r.label))).collect())
    };
    let mut out = Vec::new();
    for t in ix.texts.iter().filter(|t| area.contains(t)) {
        if used.contains(&t.row) {
            continue;
        }
        let has_numbers = (data_cols.0..=data_cols.1).any(|c| !matches!(sheet.get(t.row, c), Raw::Empty));
        if !has_numbers || groups().iter().any(|g| score_cell(&t.forms, g) >= 80) {
            continue;
        }
        // A group label on the same row as a matched leaf is fine; this row has none.
        let bare = strip_notes(strip_enum(&t.forms.full));
        let nearest = official()
            .iter()
            .max_by(|a, b| similarity(&bare, a.1.bare()).total_cmp(&similarity(&bare, b.1.bare())))
            .map_or("", |(l, _)| l);
        let text = match sheet.get(t.row, t.col) {
            Raw::Str(s) => s.trim().to_string(),
            r => r.text(),
        };
        out.push(UnknownLabel {
            cell: CellRef::new(sheet.name.clone(), t.row, t.col),
            text,
            nearest: nearest.to_string(),
        });
    }
    out
}

// ---------------------------------------------------------------- section 四

/// Where table 四 may begin: the cells of its first group's header.
pub fn review_anchors(ix: &Index, form: &Form) -> Vec<Hit> {
    // `行政复议（件）` is the header too; the section heading never scores this high.
    ix.find(form.review_groups[0].label, None).into_iter().filter(|h| super::near::firm(h.score, 80)).collect()
}

/// The error when table 四 is nowhere.
pub fn review_not_found(ix: &Index) -> ReadError {
    not_found(ix, form::section(form::SectionId::ReviewLitigation).heading)
}

/// Table 四's sub-headers (column, row, index among the five) with those that matched no
/// label placed by their position between matched neighbours (READ-LABEL each), as table
/// 三's are; else refused naming the first missing and the text nearest it.
fn place_review_columns(
    ix: &Index,
    form: &Form,
    area: Area,
    subs: &[(u32, u32, usize)],
    notes: &mut Vec<ReadNote>,
) -> Result<Vec<(u32, u32, usize)>, ReadError> {
    let per = form.review_columns.len();
    let need = per * form.review_groups.len();
    // Each sub-header found takes the next slot of its kind, in column order.
    let mut found: Vec<Option<(u32, u32, usize)>> = vec![None; need];
    let mut slot = 0;
    for &x in subs {
        while slot < need && slot % per != x.2 {
            slot += 1;
        }
        if slot == need {
            break;
        }
        found[slot] = Some(x);
        slot += 1;
    }
    let labels: Vec<&str> = (0..need).map(|i| form.review_columns[i % per].label).collect();
    let mut known: Vec<Pattern> = form.review_columns.iter().map(|c| Pattern::new(c.label)).collect();
    known.extend(form.review_groups.iter().map(|g| Pattern::new(g.label)));
    known.push(Pattern::new(form::REVIEW_LITIGATION));
    // Text cells in the rows of the sub-headers found: a line per column.
    let sub_rows: Vec<u32> = subs.iter().map(|x| x.1).collect();
    let free: Vec<Hit> =
        place::free_texts(ix, area, &known).into_iter().filter(|h| sub_rows.contains(&h.row)).collect();
    let mut lines: Vec<(u32, Hit)> = Vec::new();
    for h in &free {
        if !lines.iter().any(|(c, _)| *c == h.col) {
            lines.push((h.col, *h));
        }
    }
    let hits: Vec<Option<Hit>> =
        found.iter().map(|f| f.map(|(col, row, _)| Hit { sheet: area.sheet, row, col, score: 0 })).collect();
    let heading = form::section(form::SectionId::ReviewLitigation).heading;
    let lines = Lines { at: lines, free: &free, sheet: area.sheet, what: "列", along: |h: &Hit| h.col };
    let placed = place_missing_in(ix, heading, hits, &labels, lines, notes)?;
    Ok(placed.iter().enumerate().map(|(i, h)| (h.col, h.row, i % per)).collect())
}

/// Every sub-header cell of table 四 in `area`, by column; the topmost where a column has two.
fn review_subs(ix: &Index, form: &Form, area: Area) -> Vec<(u32, u32, usize)> {
    let mut subs: Vec<(u32, u32, usize)> = Vec::new();
    for (ci, c) in form.review_columns.iter().enumerate() {
        let p = Pattern::new(c.label);
        for h in ix.find_pattern(&p, Some(area)) {
            if super::near::firm(h.score, min_score(&p).max(super::label::SYNONYM)) {
                subs.push((h.col, h.row, ci));
            }
        }
    }
    subs.sort();
    subs.dedup_by_key(|x| x.0);
    subs
}

/// Table 四's sub-headers in form order (group by group, each group's five in order), each
/// put under the group whose header stands over it: the nearest group header above it, at
/// or left of its column. Offices order the groups and the five columns as they like
/// (`复议后起诉` first, `总计` first); position alone would read them as the template's.
/// `None` unless each group's header stands once and covers each of its five exactly once.
fn review_columns_by_group(
    ix: &Index,
    form: &Form,
    area: Area,
    subs: &[(u32, u32, usize)],
) -> Option<Vec<(u32, u32, usize)>> {
    let per = form.review_columns.len();
    let heads: Vec<Hit> = form
        .review_groups
        .iter()
        .map(|g| {
            let hits: Vec<Hit> =
                ix.find(g.label, Some(area)).into_iter().filter(|h| super::near::firm(h.score, 80)).collect();
            (hits.len() == 1).then(|| hits[0])
        })
        .collect::<Option<_>>()?;
    let mut slots: Vec<Option<(u32, u32, usize)>> = vec![None; per * heads.len()];
    for &(col, row, ci) in subs {
        let g = heads
            .iter()
            .enumerate()
            .filter(|(_, h)| h.row < row && h.col <= col)
            .max_by_key(|(_, h)| (h.col, h.row))
            .map(|(g, _)| g)?;
        let slot = &mut slots[g * per + ci];
        if slot.is_some() {
            return None;
        }
        *slot = Some((col, row, ci));
    }
    slots.into_iter().collect()
}

/// Table 四 read from the cell of its first group's header.
pub fn review_at(ix: &Index, form: &Form, anchor: Hit, report_year: Option<i32>) -> Result<Table, ReadError> {
    let heading = form::section(form::SectionId::ReviewLitigation).heading;
    let s = anchor.sheet;
    let area =
        Area { sheet: s, rows: (anchor.row, anchor.row + 4), cols: (anchor.col.saturating_sub(1), anchor.col + 40) };
    let mut subs = review_subs(ix, form, area);
    let per = form.review_columns.len();
    let need = per * form.review_groups.len();
    let mut notes = Vec::new();
    // Groups ordered otherwise may put 行政诉讼 left of the anchor: its header, on the
    // anchor's row with nothing between, widens the area for the reading by group headers.
    let left = ix
        .find(
            form::REVIEW_LITIGATION,
            Some(Area { sheet: s, rows: (anchor.row, anchor.row), cols: (anchor.col.saturating_sub(21), anchor.col) }),
        )
        .into_iter()
        .filter(|h| super::near::firm(h.score, 80) && h.col < anchor.col)
        .filter(|h| (h.col + 1..anchor.col).all(|c| matches!(ix.raw(s, anchor.row, c), Raw::Empty)))
        .map(|h| h.col)
        .min();
    let wide = left.map(|l| Area { cols: (l, area.cols.1), ..area });
    let by_group = match wide {
        Some(w) => review_columns_by_group(ix, form, w, &review_subs(ix, form, w)),
        None => review_columns_by_group(ix, form, area, &subs),
    };
    if let Some(grouped) = by_group {
        subs = grouped;
    } else if subs.len() < need {
        subs = place_review_columns(ix, form, area, &subs, &mut notes)?;
    }
    // A column per year under each sub-header (`2022年` | `2023年`): every sub-header
    // stands once, over the first of its columns.
    let per_year = {
        let heads: Vec<(u32, u32)> = subs[..need].iter().map(|x| (x.1, x.0)).collect();
        let rows_end = heads.iter().map(|h| h.0).max().unwrap_or(anchor.row) + 3;
        let mut cols: Vec<u32> = heads.iter().map(|h| h.1).collect();
        let marks = year_columns(ix, s, &heads, rows_end, (heading, report_year), &mut cols, &mut notes)?;
        if marks.is_some() {
            for (x, c) in subs.iter_mut().zip(cols) {
                x.0 = c;
            }
        }
        marks
    };
    let subs = &subs[..need];
    let max_sub_row = subs.iter().map(|x| x.1).max().unwrap_or(anchor.row).max(per_year.unwrap_or(0));
    let cols: Vec<u32> = subs.iter().map(|x| x.0).collect();
    let sheet = &ix.sheets[s];
    let data_row = (max_sub_row + 1..=max_sub_row + 3)
        .find(|&r| cols.iter().any(|&c| !matches!(sheet.get(r, c), Raw::Empty)))
        .unwrap_or(max_sub_row + 1);
    let mut values = Vec::new();
    let mut labels = Vec::new();
    for (g, group) in form.review_groups.iter().enumerate() {
        let chunk = &subs[g * per..(g + 1) * per];
        let mut row = Vec::with_capacity(per);
        let mut row_labels = Vec::with_capacity(per);
        for (ci, c) in form.review_columns.iter().enumerate() {
            let Some(&(col, _, _)) = chunk.iter().find(|x| x.2 == ci) else {
                return Err(label_missing(ix, heading, &format!("{}—{}", group.label, c.label), "列", s));
            };
            row.push(value_at(ix, s, data_row, col, c));
            let sub = chunk.iter().find(|x| x.2 == ci).map_or(anchor.row, |x| x.1);
            // The group's header: the nearest text cell above the sub-header, over its column.
            let group_cell = (anchor.row..sub)
                .rev()
                .flat_map(|r| (0..=col).rev().take(16).map(move |c| (r, c)))
                .find(|&(r, c)| matches!(ix.raw(s, r, c), Raw::Str(t) if !t.trim().is_empty()))
                .unwrap_or((anchor.row, anchor.col));
            row_labels.push(((s, group_cell.0, group_cell.1), (s, sub, col)));
        }
        values.push(row);
        labels.push(row_labels);
    }
    let span = Span { sheet: s, first_row: anchor.row, last_row: data_row };
    Ok(Table { values, span, unknown: Vec::new(), labels, score: anchor.score, anchor, notes, subtotals: Vec::new() })
}
