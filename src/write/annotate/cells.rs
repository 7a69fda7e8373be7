//! The sheet's cells: every marked cell given its filled style, the cells and rows the
//! sheet lacks added in order. Two passes over the events: the first finds which rows and
//! cells exist (and their styles), the second copies the sheet with the changes.

use super::Mark;
use crate::cell::{column_letters, parse_a1};
use crate::error::PatchError;
use crate::finding::Severity;
use crate::write::ooxml::patch::{self, Spanned};
use crate::write::ooxml::Xml;
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, BTreeSet};

/// `A1` for zero-based (row, col).
pub(super) fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// The rows of a sheet, zero-based, each with its cells' columns and style indexes (the
/// first row or cell of a number where a sheet repeats one).
pub(super) type Grid = BTreeMap<u32, BTreeMap<u32, usize>>;

/// A row's number: its `r`, or the one after the last.
fn row_number(e: &BytesStart<'_>, next: u32) -> u32 {
    patch::attr(e, "r").and_then(|v| v.trim().parse::<u32>().ok()).map_or(next, |v| v.saturating_sub(1))
}

/// A cell's column: from its `r`, or the one after the last.
fn col_number(e: &BytesStart<'_>, next: u32) -> u32 {
    patch::attr(e, "r").and_then(|v| parse_a1(&v)).map_or(next, |(_, col)| col)
}

fn style(e: &BytesStart<'_>) -> usize {
    patch::attr(e, "s").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
}

/// The rows and cells of a worksheet's `sheetData`, with implied positions made explicit.
pub(super) fn scan(xml: &str) -> Result<Grid, PatchError> {
    let mut grid = Grid::new();
    let mut depth = 0usize;
    let mut sheet_data: Option<usize> = None;
    let (mut next_row, mut next_col) = (0u32, 0u32);
    let mut row: Option<u32> = None;
    for ev in patch::events(xml) {
        let Spanned { event, .. } = ev?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if sheet_data.is_some_and(|d| depth == d + 1) {
                    row = None;
                }
                if sheet_data == Some(depth) {
                    return Ok(grid);
                }
                continue;
            }
            _ => continue,
        };
        let local = patch::local_name(&e);
        match sheet_data {
            None if local == b"sheetData" => {
                if empty {
                    return Ok(grid);
                }
                sheet_data = Some(depth);
            }
            Some(d) if depth == d + 1 && local == b"row" => {
                let r = row_number(&e, next_row);
                next_row = r + 1;
                next_col = 0;
                grid.entry(r).or_default();
                row = (!empty).then_some(r);
            }
            Some(d) if depth == d + 2 && local == b"c" => {
                if let Some(r) = row {
                    let c = col_number(&e, next_col);
                    next_col = c + 1;
                    grid.entry(r).or_default().entry(c).or_insert_with(|| style(&e));
                }
            }
            _ => {}
        }
        if !empty {
            depth += 1;
        }
    }
    match sheet_data {
        Some(_) => Ok(grid),
        None => Err(PatchError::NoElement { part: "工作表", element: "sheetData" }),
    }
}

/// The marks of a sheet by row, then column.
type ByRow<'m> = BTreeMap<u32, BTreeMap<u32, &'m Mark>>;

/// Sets the style of every marked cell, adding cells and rows the sheet lacks. Rows and
/// cells written without `r` get one where cells are added beside them, so they cannot
/// shift.
pub(super) fn patch_cells(
    xml: &str,
    grid: &Grid,
    cells: &BTreeMap<(u32, u32), Mark>,
    new_style: &dyn Fn(usize, Severity) -> usize,
) -> Result<String, PatchError> {
    let mut by_row: ByRow<'_> = BTreeMap::new();
    for (&(r, c), m) in cells {
        by_row.entry(r).or_default().insert(c, m);
    }
    // Rows to add: marked, and not in the sheet.
    let mut new_rows: ByRow<'_> =
        by_row.iter().filter(|(r, _)| !grid.contains_key(r)).map(|(r, c)| (*r, c.clone())).collect();
    let mut x = Xml::new(xml.len() + 64 * cells.len() + 256);
    let mut copied = 0;
    let mut depth = 0usize;
    let mut sheet_data: Option<(usize, String)> = None;
    let mut next_row = 0u32;
    let mut seen_rows = BTreeSet::new();
    // The row being copied: its number, the cells to add to it, whether any are added.
    let mut row: Option<Row<'_>> = None;
    let mut next_col = 0u32;
    let mut done = false;
    for ev in patch::events(xml) {
        let Spanned { event, span } = ev?;
        if done {
            break;
        }
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                let Some((d, pre)) = &sheet_data else { continue };
                if depth == d + 1 {
                    // `</row>`: the cells still to add go last.
                    if let Some(rw) = row.take() {
                        x.raw(&xml[copied..span.start]);
                        new_cells(&mut x, pre, rw.r, rw.add.iter().map(|(c, m)| (*c, *m)), new_style);
                        copied = span.start;
                    }
                } else if depth == *d {
                    x.raw(&xml[copied..span.start]);
                    rows(&mut x, pre, &new_rows, new_style);
                    copied = span.start;
                    done = true;
                }
                continue;
            }
            _ => continue,
        };
        let local = patch::local_name(&e);
        match &sheet_data {
            None if local == b"sheetData" => {
                let pre = patch::prefix_of(&e);
                if empty {
                    if !new_rows.is_empty() {
                        x.raw(&xml[copied..span.start]);
                        patch::start_tag(&mut x, &e, &[], false);
                        rows(&mut x, &pre, &new_rows, new_style);
                        patch::end_tag(&mut x, &e);
                        copied = span.end;
                    }
                    done = true;
                    continue;
                }
                sheet_data = Some((depth, pre));
            }
            Some((d, pre)) if depth == d + 1 && local == b"row" => {
                let r = row_number(&e, next_row);
                next_row = r + 1;
                next_col = 0;
                x.raw(&xml[copied..span.start]);
                copied = span.end;
                // Rows the sheet lacks go before the first row after them.
                let before: ByRow<'_> = new_rows.range(..r).map(|(k, v)| (*k, v.clone())).collect();
                rows(&mut x, pre, &before, new_style);
                new_rows.retain(|k, _| *k >= r);
                let first = seen_rows.insert(r);
                let r_text = (r + 1).to_string();
                let set: &[(&str, &str)] = if patch::attr(&e, "r").is_none() { &[("r", r_text.as_str())] } else { &[] };
                let targets = by_row.get(&r).filter(|_| first);
                match (targets, empty) {
                    (Some(t), true) => {
                        // `<row r="5"/>` becomes `<row r="5">…</row>`.
                        patch::start_tag(&mut x, &e, set, false);
                        new_cells(&mut x, pre, r, t.iter().map(|(c, m)| (*c, *m)), new_style);
                        patch::end_tag(&mut x, &e);
                    }
                    (t, _) => {
                        if set.is_empty() {
                            x.raw(&xml[span.clone()]);
                        } else {
                            patch::start_tag(&mut x, &e, set, empty);
                        }
                        if let (Some(t), false) = (t, empty) {
                            let have = grid.get(&r);
                            let add: BTreeMap<u32, &Mark> = t
                                .iter()
                                .filter(|(c, _)| !have.is_some_and(|h| h.contains_key(c)))
                                .map(|(c, m)| (*c, *m))
                                .collect();
                            row = Some(Row { r, touched: !add.is_empty(), targets: t, add, seen: BTreeSet::new() });
                        }
                    }
                }
            }
            Some((d, pre)) if depth == d + 2 && local == b"c" => {
                if let Some(rw) = row.as_mut() {
                    let c = col_number(&e, next_col);
                    next_col = c + 1;
                    x.raw(&xml[copied..span.start]);
                    copied = span.end;
                    // Cells the row lacks go before the first cell after them.
                    let before: Vec<(u32, &Mark)> = rw.add.range(..c).map(|(k, m)| (*k, *m)).collect();
                    new_cells(&mut x, pre, rw.r, before.into_iter(), new_style);
                    rw.add.retain(|k, _| *k >= c);
                    let reference = a1(rw.r, c);
                    let no_r = patch::attr(&e, "r").is_none();
                    match rw.targets.get(&c).filter(|_| rw.seen.insert(c)) {
                        Some(m) => {
                            let s = new_style(style(&e), m.severity).to_string();
                            let mut set = vec![("s", s.as_str())];
                            if no_r {
                                set.push(("r", reference.as_str()));
                            }
                            patch::start_tag(&mut x, &e, &set, empty);
                        }
                        None if no_r && rw.touched => patch::start_tag(&mut x, &e, &[("r", &reference)], empty),
                        None => {
                            x.raw(&xml[span.clone()]);
                        }
                    }
                }
            }
            _ => {}
        }
        if !empty {
            depth += 1;
        }
    }
    x.raw(&xml[copied..]);
    Ok(x.into_string())
}

/// A row being copied that has marked cells.
struct Row<'m> {
    r: u32,
    targets: &'m BTreeMap<u32, &'m Mark>,
    /// Marked cells the row lacks, not yet written.
    add: BTreeMap<u32, &'m Mark>,
    /// Whether any cell is added to the row.
    touched: bool,
    /// Columns already met (a repeated one is left alone).
    seen: BTreeSet<u32>,
}

fn new_cells<'m>(
    x: &mut Xml,
    pre: &str,
    r: u32,
    cells: impl Iterator<Item = (u32, &'m Mark)>,
    new_style: &dyn Fn(usize, Severity) -> usize,
) {
    for (c, m) in cells {
        x.empty(&format!("{pre}c"), &[("r", a1(r, c).as_str().into()), ("s", new_style(0, m.severity).into())]);
    }
}

fn rows(x: &mut Xml, pre: &str, rows: &ByRow<'_>, new_style: &dyn Fn(usize, Severity) -> usize) {
    for (r, cells) in rows {
        x.open(&format!("{pre}row"), &[("r", (r + 1).into())]);
        new_cells(x, pre, *r, cells.iter().map(|(c, m)| (*c, *m)), new_style);
        x.close(&format!("{pre}row"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_cells_and_rows_are_inserted_in_order() {
        let xml = "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"/><c r=\"C2\" s=\"1\"/></row><row r=\"5\"/></sheetData></worksheet>";
        let mut cells = BTreeMap::new();
        let mk = |s| Mark { severity: s, messages: vec!["x".into()] };
        cells.insert((1, 1), mk(Severity::Error));
        cells.insert((1, 2), mk(Severity::Warning));
        cells.insert((2, 0), mk(Severity::Error));
        cells.insert((4, 3), mk(Severity::Error));
        let grid = scan(xml).expect("scan");
        assert_eq!(grid, Grid::from([(1, BTreeMap::from([(0, 0), (2, 1)])), (4, BTreeMap::new())]));
        let out = patch_cells(xml, &grid, &cells, &|s, sev| if sev == Severity::Error { 10 + s } else { 20 + s })
            .expect("patch");
        assert_eq!(
            out,
            "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"/><c r=\"B2\" s=\"10\"/><c r=\"C2\" s=\"21\"/></row><row r=\"3\"><c r=\"A3\" s=\"10\"/></row><row r=\"5\"><c r=\"D5\" s=\"10\"/></row></sheetData></worksheet>"
        );
    }

    #[test]
    fn implied_positions_get_written_where_cells_are_added() {
        let xml = "<x:worksheet><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c s=\"2\"/></x:row><x:row/></x:sheetData></x:worksheet>";
        let mut cells = BTreeMap::new();
        cells.insert((0, 1), Mark { severity: Severity::Warning, messages: vec![] });
        cells.insert((0, 3), Mark { severity: Severity::Error, messages: vec![] });
        cells.insert((7, 0), Mark { severity: Severity::Info, messages: vec![] });
        let grid = scan(xml).expect("scan");
        let out = patch_cells(xml, &grid, &cells, &|s, _| 30 + s).expect("patch");
        assert_eq!(
            out,
            "<x:worksheet><x:sheetData><x:row r=\"1\"><x:c r=\"A1\"><x:v>1</x:v></x:c><x:c s=\"32\" r=\"B1\"/><x:c r=\"D1\" s=\"30\"/></x:row>\
             <x:row r=\"2\"/><x:row r=\"8\"><x:c r=\"A8\" s=\"30\"/></x:row></x:sheetData></x:worksheet>"
        );
        assert_eq!(scan("<worksheet/>").err().map(|e| e.to_string()).as_deref(), Some("工作表中没有 sheetData"));
        let empty = "<worksheet><sheetData/></worksheet>";
        assert_eq!(
            patch_cells(empty, &scan(empty).expect("scan"), &cells, &|_, _| 5).expect("patch"),
            "<worksheet><sheetData><row r=\"1\"><c r=\"B1\" s=\"5\"/><c r=\"D1\" s=\"5\"/></row><row r=\"8\"><c r=\"A8\" s=\"5\"/></row></sheetData></worksheet>"
        );
    }
}
