//! The streaming xlsx reader: each part the tables need inflated once (by the zip guard,
//! inside its metering), its XML events read straight into the grid. calamine stays the
//! reference (and reads xls and ods): tests/reader_equal.rs reads every fixture, sample,
//! hostile file and thousands of generated variants with both and asserts the same sheets;
//! `NIANBAO_READER=calamine` reads xlsx with calamine instead.

mod cells;
mod fast;
mod parts;
mod refs;
mod styles;
mod values;
mod workbook;
mod xml;

use super::sheet::Sheet;
use super::zipped::Guarded;
use crate::error::ReadError;
use parts::Source;
use std::cell::Cell;
use workbook::Kind;
use xml::Res;

/// Every worksheet of the package, in order.
pub(super) fn read(bytes: &[u8], guarded: &Guarded, charged: &Cell<u64>) -> Result<Vec<Sheet>, ReadError> {
    let mut src = Source::new(bytes, guarded)?;
    let main = match parse(&mut src, "_rels/.rels", charged, workbook::main_part)? {
        Some(m) => m,
        None => return Err(missing("_rels/.rels")),
    };
    let dir = main.dir.as_str();
    let strings =
        parse_part(&mut src, &format!("{dir}sharedStrings.xml"), charged, shared_strings)?.unwrap_or_default();
    let dates = parse(&mut src, &format!("{dir}styles.xml"), charged, styles::date_formats)?.unwrap_or_default();
    let rels_path = format!("{dir}_rels/{}.rels", main.name);
    let Some(rels) = parse(&mut src, &rels_path, charged, workbook::relationships)? else {
        return Err(missing(&rels_path));
    };
    let entries = parse(&mut src, &format!("{dir}{}", main.name), charged, |x| workbook::sheets(x, &rels, dir))?
        .unwrap_or_default();
    let book = values::Book { strings: &strings, dates: &dates };
    let mut sheets = Vec::with_capacity(entries.len());
    for entry in &entries {
        // A name listed twice is read as its first listing, as calamine reads it.
        let Some(first) = entries.iter().find(|e| e.name == entry.name) else {
            continue;
        };
        if first.kind != Kind::Worksheet {
            continue;
        }
        let Some(read) = parse_part(&mut src, &first.part, charged, |x, part| cells::read(x, part, &book))? else {
            // A sheet whose part is missing has no cells for us.
            continue;
        };
        let (cells, lines) = read;
        let hidden = entries.iter().any(|e| e.name == entry.name && e.hidden);
        sheets.push(Sheet { name: entry.name.as_str().into(), cells, hidden, lines });
    }
    Ok(sheets)
}

/// Opens a part and reads it with `f`; `None` where the package has no such part.
fn parse<T>(
    src: &mut Source<'_>,
    path: &str,
    charged: &Cell<u64>,
    f: impl FnOnce(&mut xml42::Reader<&[u8]>) -> Res<T>,
) -> Result<Option<T>, ReadError> {
    parse_part(src, path, charged, |x, _| f(x))
}

/// [`parse`], `f` given the part's bytes too.
fn parse_part<T>(
    src: &mut Source<'_>,
    path: &str,
    charged: &Cell<u64>,
    f: impl FnOnce(&mut xml42::Reader<&[u8]>, &[u8]) -> Res<T>,
) -> Result<Option<T>, ReadError> {
    let Some(part) = src.open(path, charged)? else {
        return Ok(None);
    };
    let mut x = xml::reader(&part);
    f(&mut x, &part).map(Some).map_err(|e| ReadError::Corrupt(format!("{path} 无法读取：{}", e.0)))
}

fn missing(path: &str) -> ReadError {
    ReadError::Corrupt(format!("压缩包中缺少 {path}，文件可能不完整或不是 Excel 文件"))
}

/// sharedStrings.xml: every `<si>` decoded once, in order.
fn shared_strings(x: &mut xml42::Reader<&[u8]>, part: &[u8]) -> Res<Vec<String>> {
    use xml42::events::Event;
    let mut out = Vec::new();
    loop {
        match x.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                if let Some(n) = xml::attr(e.attributes_raw(), "uniqueCount")? {
                    // A count is only a hint, bounded by what the part could hold.
                    if let Ok(n) = atoi_simd::parse::<usize, true, false>(n.as_bytes()) {
                        out.reserve(n.min(1 << 16));
                    }
                }
                break;
            }
            Event::Eof => return xml::eof("sst"),
            _ => {}
        }
    }
    // Plain strings without the parser, where every one is plain (`fast.rs`).
    if let Some(all) =
        fast::after(part, x.buffer_position(), "sst").and_then(|rest| fast::strings(rest, out.capacity()))
    {
        return Ok(all);
    }
    let mut end = String::new();
    loop {
        match x.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                end.clear();
                end.push_str(e.name().as_ref());
                out.push(xml::string(x, &end)?);
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => return Ok(out),
            Event::Eof => return xml::eof("sst"),
            _ => {}
        }
    }
}
