//! Guards for the binary and ODS formats before calamine parses them: an xls with cell
//! records far out (or a forged DIMENSIONS record) is tamed, an ods whose repeated rows and
//! columns would make a huge grid is refused.

use crate::error::ReadError;
use std::io::{Cursor, Read, Write};

/// Cells beyond these are ignored: the form's tables never reach them, and a stray
/// cell at XFD1048576 must not cost gigabytes.
pub const MAX_ROWS: u32 = 5_000;
pub const MAX_COLS: u32 = 200;

/// xls: calamine builds each sheet as one dense grid spanning every cell record, and
/// reserves what the DIMENSIONS record claims. A stray cell at IV65536 would cost a
/// gigabyte, a forged DIMENSIONS record more. So, in a copy of the Workbook stream, cell
/// records beyond MAX_ROWS/MAX_COLS are renamed to a record type every reader skips
/// (ignored, as xlsx ignores them) and DIMENSIONS is made harmless; record lengths and
/// the compound file's layout stay as they were.
pub(super) fn tame_xls(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let broken = |e: std::io::Error| ReadError::Corrupt(format!("xls 文件的复合文档结构损坏（{e}），文件可能不完整"));
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes.to_vec())).map_err(broken)?;
    let Some(stream) = ["/Workbook", "/Book"].into_iter().find(|n| cf.is_stream(n)) else {
        return Err(ReadError::Corrupt("xls 文件中没有工作簿数据（Workbook 流）".into()));
    };
    let mut data = Vec::new();
    cf.open_stream(stream).and_then(|mut s| s.read_to_end(&mut data)).map_err(broken)?;
    if tame_biff(&mut data) {
        let mut s = cf.open_stream(stream).map_err(broken)?;
        s.write_all(&data).and_then(|()| s.flush()).map_err(broken)?;
        drop(s);
        cf.flush().map_err(broken)?;
    }
    Ok(cf.into_inner().into_inner())
}

/// A record type no BIFF reader knows: what an out-of-bounds cell record becomes.
const SKIPPED_RECORD: u16 = 0x7FFF;

/// Rewrites a BIFF record stream in place; true if anything changed.
fn tame_biff(data: &mut [u8]) -> bool {
    let mut changed = false;
    let mut pos = 0usize;
    // A string result (STRING record) belongs to the formula just before it.
    let mut formula_dropped = false;
    while pos + 4 <= data.len() {
        let typ = u16::from_le_bytes([data[pos], data[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([data[pos + 2], data[pos + 3]]));
        let body = pos + 4..(pos + 4 + len).min(data.len());
        let rec = &data[body.clone()];
        let at = |i: usize| rec.get(i..i + 2).map_or(0, |b| u32::from(u16::from_le_bytes([b[0], b[1]])));
        let drop_it = match typ {
            // DIMENSIONS: only a reservation hint; make it one cell.
            0x0200 => {
                let b = &mut data[body.clone()];
                if b.len() >= 14 {
                    b[..12].copy_from_slice(&[0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
                } else if b.len() >= 8 {
                    b[..8].copy_from_slice(&[0, 0, 1, 0, 0, 0, 1, 0]);
                }
                changed = true;
                false
            }
            // FORMULA, NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, MULRK.
            0x0006 | 0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x00BD => {
                let out = at(0) >= MAX_ROWS || at(2) >= MAX_COLS;
                if typ == 0x0006 {
                    formula_dropped = out;
                }
                out
            }
            0x0207 => formula_dropped,
            // MERGECELLS whose count runs past its record makes calamine index out of bounds
            // (found by fuzzing); merges are never read, so a bad one is skipped.
            0x00E5 => rec.len() < 2 || 2 + 8 * at(0) as usize > rec.len(),
            _ => false,
        };
        if drop_it {
            data[pos..pos + 2].copy_from_slice(&SKIPPED_RECORD.to_le_bytes());
            changed = true;
        }
        pos = body.end;
    }
    changed
}

/// Cells an ods sheet's grid may span: calamine expands repeated rows and columns
/// between the first and last non-empty cell into one dense grid (32 bytes a cell).
const MAX_GRID_CELLS: u64 = 2_000_000;

/// ods: measures each sheet's extent from content.xml (row and column repeats included)
/// before calamine expands it, and refuses a sheet whose grid would be huge, naming the
/// farthest cell.
pub(super) fn guard_ods_grid(bytes: &[u8]) -> Result<(), ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("压缩包结构损坏（{e}），文件可能不完整")))?;
    let mut xml = Vec::new();
    match zip.by_name("content.xml") {
        // Bounded by guard_zip already.
        Ok(mut part) => part
            .read_to_end(&mut xml)
            .map_err(|e| ReadError::Corrupt(format!("压缩包中的 content.xml 无法解压（{e}）")))?,
        Err(_) => return Ok(()),
    };
    let repeat = |e: &BytesStart<'_>, name: &[u8]| -> u64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| std::str::from_utf8(&a.value).ok().and_then(|v| v.trim().parse::<u64>().ok()))
            .unwrap_or(1)
            .max(1)
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let (mut row, mut rows_rep, mut col) = (0u64, 1u64, 0u64);
    // The current cell: its first column, its repeat, whether it holds anything.
    let mut cell: Option<(u64, u64, bool)> = None;
    let mut extent: Option<(u64, u64)> = None; // last non-empty row, last non-empty column
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            // A malformed content.xml is calamine's to report.
            Err(_) => return Ok(()),
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"table:table" => {
                    sheet = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    (row, extent) = (0, None);
                }
                b"table:table-row" => {
                    (rows_rep, col) = (repeat(&e, b"table:number-rows-repeated"), 0);
                    if empty {
                        row = row.saturating_add(rows_rep);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let reps = repeat(&e, b"table:number-columns-repeated");
                    // calamine keeps a cell with a value or a formula (even without a value).
                    let has = |a: &str| e.try_get_attribute(a).ok().flatten().is_some();
                    let full = has("office:value-type") || has("table:formula");
                    if empty {
                        if full {
                            extent = grow(extent, row, rows_rep, col, reps);
                        }
                        col = col.saturating_add(reps);
                    } else {
                        cell = Some((col, reps, full));
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.2 |= t.iter().any(|b| !b.is_ascii_whitespace());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"table:table-cell" | b"table:covered-table-cell" => {
                    if let Some((c0, reps, full)) = cell.take() {
                        if full {
                            extent = grow(extent, row, rows_rep, c0, reps);
                        }
                        col = c0.saturating_add(reps);
                    }
                }
                b"table:table-row" => row = row.saturating_add(rows_rep),
                b"table:table" => {
                    if let Some((last_row, last_col)) = extent {
                        let cells = last_row.saturating_add(1).saturating_mul(last_col.saturating_add(1));
                        if cells > MAX_GRID_CELLS {
                            let at = crate::cell::CellRef::new(
                                sheet.as_str().into(),
                                last_row.min(u64::from(u32::MAX)) as u32,
                                last_col.min(u64::from(u32::MAX)) as u32,
                            );
                            return Err(ReadError::TooLarge(format!(
                                "工作表“{sheet}”的内容一直延伸到 {at}（{} 行 × {} 列），远超统计表的范围；\
                                 请删除多余的单元格（或清除整行、整列的内容）后另存",
                                last_row + 1,
                                last_col + 1
                            )));
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
}

/// The extent after a non-empty cell (repeated `reps` columns, in a row repeated `rows`).
fn grow(extent: Option<(u64, u64)>, row: u64, rows: u64, col: u64, reps: u64) -> Option<(u64, u64)> {
    let (r, c) = (row.saturating_add(rows - 1), col.saturating_add(reps - 1));
    Some(extent.map_or((r, c), |(er, ec)| (er.max(r), ec.max(c))))
}
