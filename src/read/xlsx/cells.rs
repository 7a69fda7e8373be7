//! One worksheet's `<c>` elements straight into the grid: positions from `r` or counted,
//! values by their type, cached formula results, a formula without one kept as its text
//! (shared formulas expanded), hidden rows and columns noted; decided as calamine decides.

use super::refs::{cell, range_start, row_and_col};
use super::values::{value, Book, Grid};
use super::xml::{attr, attrs_of, element_text, eof, fault, flag, skip, string, Res};
use crate::read::guard::{MAX_COLS, MAX_ROWS};
use crate::read::hidden::Hidden;
use crate::read::sheet::string as text_cell;
use crate::read::value::Raw;
use std::collections::BTreeMap;
use xml42::events::{BytesStart, Event};
use xml42::Reader;

/// A shared formula's text and the cell it is written for.
struct Shared {
    formula: String,
    at: (u32, u32),
}

/// The cells of one sheet part (those within MAX_ROWS × MAX_COLS) and its hidden lines;
/// `part` is what `xml` reads.
pub(super) fn read(xml: &mut Reader<&[u8]>, part: &[u8], book: &Book<'_>) -> Res<(Grid, Hidden)> {
    let mut lines = Hidden::default();
    let mut first: Option<String> = None;
    // Before the data: the dimension (checked as calamine checks it) and hidden columns.
    loop {
        match xml.read_event()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "dimension" => match attr(e.attributes_raw(), "ref")? {
                    Some(r) => {
                        range_start(r)?;
                    }
                    None => return fault("<dimension> 缺少 ref"),
                },
                "sheetData" => break,
                "col" => hidden_cols(&e, &mut lines),
                name => {
                    first.get_or_insert_with(|| name.to_string());
                }
            },
            Event::Eof => {
                return fault(match first {
                    Some(kind) => format!("不是工作表（<{kind}>）"),
                    None => "没有 <sheetData>".to_string(),
                })
            }
            _ => {}
        }
    }
    // The common kind of sheet data without the parser, where it is that kind (`fast.rs`).
    if let Some((cells, rows)) =
        super::fast::after(part, xml.buffer_position(), "sheetData").and_then(|rest| super::fast::cells(rest, book))
    {
        lines.rows = rows;
        return Ok((cells, lines));
    }
    let mut cells = BTreeMap::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut shared: Vec<Option<Shared>> = Vec::new();
    let mut scratch = String::new();
    loop {
        let event = xml.read_event()?;
        let (at, style, typ) = match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                "row" => {
                    if let Some(r) = attr(e.attributes_raw(), "r")? {
                        row = row_and_col(r)?.0;
                    }
                    if row < MAX_ROWS && flag(e.attributes_raw(), "hidden") {
                        Hidden::push(&mut lines.rows, row, row);
                    }
                    continue;
                }
                "c" => {
                    let [r, s, t] = attrs_of(e.attributes_raw(), ["r", "s", "t"])?;
                    let at = match r {
                        Some(r) => {
                            let at = cell(r)?;
                            col = at.1;
                            at
                        }
                        None => (row, col),
                    };
                    (at, s, t)
                }
                _ => continue,
            },
            Event::End(e) => match e.local_name().as_ref() {
                "row" => {
                    row = row.saturating_add(1);
                    col = 0;
                    continue;
                }
                "sheetData" => return Ok((cells, lines)),
                _ => continue,
            },
            Event::Eof => return eof("sheetData"),
            _ => continue,
        };
        let (mut value, mut formula) = (Raw::Empty, None);
        loop {
            match xml.read_event()? {
                Event::Start(e) if e.local_name().as_ref() == "f" => {
                    formula = read_formula(xml, &e, at, &mut shared)?;
                }
                Event::Start(e) => {
                    value = read_value(xml, &e, style, typ, book, &mut scratch)?;
                }
                Event::End(e) if e.local_name().as_ref() == "c" => break,
                Event::Eof => return eof("c"),
                _ => {}
            }
        }
        col = col.saturating_add(1);
        if at.0 >= MAX_ROWS {
            // Rows come in order: nothing further down is read.
            return Ok((cells, lines));
        }
        if at.1 >= MAX_COLS {
            continue;
        }
        let raw = match (value, formula) {
            (Raw::Empty, Some(f)) if !f.is_empty() => Raw::Formula(f),
            (raw, _) => raw,
        };
        // An empty cell is skipped: a later empty one does not remove an earlier value.
        if raw != Raw::Empty {
            cells.insert(at, raw);
        }
    }
}

/// `<col min max hidden="1">`: a hidden range of columns, 1-based in the file.
fn hidden_cols(e: &BytesStart<'_>, lines: &mut Hidden) {
    if !flag(e.attributes_raw(), "hidden") {
        return;
    }
    let get = |name: &str| super::xml::attrs(e.attributes_raw()).map_while(Result::ok).find(|(k, _)| *k == name);
    let num = |v: Option<(&str, &str)>| v.and_then(|(_, v)| v.trim().parse::<u32>().ok());
    if let (Some(min), Some(max)) = (num(get("min")), num(get("max"))) {
        if min >= 1 && max >= min {
            Hidden::push(&mut lines.cols, min - 1, max - 1);
        }
    }
}

/// A value element of a cell: `<v>` read by the cell's type, `<is>` an inline string.
fn read_value(
    xml: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    style: Option<&str>,
    typ: Option<&str>,
    book: &Book<'_>,
    name: &mut String,
) -> Res<Raw> {
    name.clear();
    name.push_str(e.name().as_ref());
    let name = name.as_str();
    match e.local_name().as_ref() {
        "is" => Ok(text_cell(&string(xml, name)?)),
        "v" if matches!(typ, Some("inlineStr" | "is")) => {
            skip(xml, name)?;
            Ok(Raw::Empty)
        }
        "v" if matches!(typ, None | Some("n" | "s" | "b" | "e")) => {
            // Plain ASCII in these types: only the first text is read, as calamine reads it.
            let v = match xml.read_event()? {
                Event::Text(t) => Some(value(&t, style, typ, book)?),
                Event::End(end) if end.name().as_ref() == name => return Ok(Raw::Empty),
                Event::Eof => return eof("v"),
                _ => None,
            };
            skip(xml, name)?;
            Ok(v.unwrap_or(Raw::Empty))
        }
        "v" => {
            let text = element_text(xml, name, "v")?;
            value(&text, style, typ, book)
        }
        "f" => {
            skip(xml, name)?;
            Ok(Raw::Empty)
        }
        other => fault(format!("单元格中有无法识别的 <{other}>")),
    }
}

/// A `<f>`: its text, a shared formula's anchor remembered, a cell sharing it given the
/// anchor's formula moved to it (or none where the anchor has not come yet).
fn read_formula(
    xml: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    at: (u32, u32),
    shared: &mut Vec<Option<Shared>>,
) -> Res<Option<String>> {
    let name = e.name().as_ref().to_string();
    let text = element_text(xml, &name, "f")?;
    let [t, si, range] = attrs_of(e.attributes_raw(), ["t", "si", "ref"])?;
    if t != Some("shared") {
        return Ok(Some(text));
    }
    let Some(si) = si else {
        return fault("共享公式缺少 si");
    };
    let Ok(si) = atoi_simd::parse::<usize, true, false>(si.as_bytes()) else {
        return fault("共享公式的 si 不是数字");
    };
    match range {
        Some(range) => {
            let start = range_start(range)?;
            if shared.len() <= si {
                // Bounded by the part's size: an index costs a slot only when written.
                if si > 1 << 20 {
                    return fault(format!("共享公式的编号 si=\"{si}\" 过大，不像 Excel 保存的文件"));
                }
                shared.resize_with(si + 1, || None);
            }
            shared[si] = Some(Shared { formula: text.clone(), at: start });
            Ok(Some(text))
        }
        None => match shared.get(si).and_then(Option::as_ref) {
            Some(s) => calamine::expand_shared_formula(&s.formula, s.at, at)
                .map(Some)
                .map_err(|e| super::xml::Fault(format!("共享公式无法展开：{e}"))),
            None => Ok(None),
        },
    }
}
