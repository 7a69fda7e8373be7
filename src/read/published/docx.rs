//! A report saved as `.docx`: the body's paragraphs and tables in order. Tables are read
//! by `w:tbl`/`w:tr`/`w:tc`; `w:gridSpan` spans columns, `w:vMerge` continues the cell
//! above (read empty, as a merged cell's covered part), `w:gridBefore` skips columns.

use super::layout::{expand, too_many_cells, Block, Grid};
use crate::error::ReadError;
use crate::read::zipped::{guard_zip, Package};
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// The document part is a few hundred KB in real reports; guard_zip has bounded it already.
const MAX_DOCUMENT_BYTES: u64 = 48 * 1024 * 1024;

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The text of `word/document.xml`.
fn document(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    guard_zip(bytes, false, Package::Word).map_err(|e| match e {
        ReadError::Corrupt(why) => ReadError::Published(format!("Word 文档已损坏，无法打开：{why}")),
        e => e,
    })?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Published(format!("Word 文档已损坏，无法打开：压缩包结构损坏（{e}）")))?;
    let part = zip
        .by_name("word/document.xml")
        .map_err(|_| ReadError::Published("Word 文档已损坏，无法打开：其中没有正文（word/document.xml）".into()))?;
    let mut xml = Vec::new();
    part.take(MAX_DOCUMENT_BYTES)
        .read_to_end(&mut xml)
        .map_err(|e| ReadError::Published(format!("Word 文档已损坏，无法打开：正文无法解压（{e}）")))?;
    Ok(xml)
}

/// A table being read: rows of (text, rowspan, colspan).
#[derive(Default)]
struct Table {
    rows: Vec<Vec<(String, u32, u32)>>,
    cell: Option<(Vec<String>, u32, bool)>,
}

pub(super) fn blocks(bytes: &[u8]) -> Result<Vec<Block>, ReadError> {
    let xml = document(bytes)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut out = Vec::new();
    // Only the outermost table is a grid; a table nested in a cell is that cell's text.
    let mut table: Option<Table> = None;
    let mut depth = 0usize;
    let mut para: Option<String> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ReadError::Published(format!("Word 文档已损坏，无法打开：正文不是有效的 XML（{e}）")))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"tbl" if !empty => {
                    depth += 1;
                    if depth == 1 {
                        table = Some(Table::default());
                    }
                }
                b"tr" if depth == 1 => {
                    if let Some(t) = table.as_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                b"gridBefore" if depth == 1 => {
                    let n: u32 = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0).min(64);
                    if let Some(row) = table.as_mut().and_then(|t| t.rows.last_mut()) {
                        row.extend((0..n).map(|_| (String::new(), 1, 1)));
                    }
                }
                b"tc" if depth == 1 && !empty => {
                    if let Some(t) = table.as_mut() {
                        t.cell = Some((Vec::new(), 1, false));
                    }
                }
                b"gridSpan" if depth == 1 => {
                    let n: u32 = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    if let Some(c) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                        c.1 = n.clamp(1, 200);
                    }
                }
                b"vMerge" if depth == 1 => {
                    // `restart` starts a merge; no value (or `continue`) continues the one above.
                    let restart = attr(&e, b"w:val").is_some_and(|v| v == "restart");
                    if let Some(c) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                        c.2 = !restart;
                    }
                }
                b"p" if !empty => para = Some(String::new()),
                b"tab" => push(&mut para, " "),
                b"br" | b"cr" => push(&mut para, "\n"),
                _ => {}
            },
            Event::Text(t) => {
                if let Ok(s) = t.decode() {
                    push(&mut para, &s);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.decode().as_deref() {
                    Ok("amp") => Some('&'),
                    Ok("lt") => Some('<'),
                    Ok("gt") => Some('>'),
                    Ok("quot") => Some('"'),
                    Ok("apos") => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    push(&mut para, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"p" => {
                    let text = para.take().unwrap_or_default();
                    match table.as_mut().and_then(|t| t.cell.as_mut()) {
                        Some(c) => c.0.push(text),
                        None if depth == 0 => out.push(Block::Text(text)),
                        None => {}
                    }
                }
                b"tc" if depth == 1 => {
                    if let Some(t) = table.as_mut() {
                        if let Some((paras, span, cont)) = t.cell.take() {
                            let text = if cont { String::new() } else { join(&paras) };
                            if let Some(row) = t.rows.last_mut() {
                                row.push((text, 1, span));
                            }
                        }
                    }
                }
                b"tbl" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if let Some(t) = table.take() {
                            let n = out.iter().filter(|b| matches!(b, Block::Table(_))).count() + 1;
                            let rows = expand(t.rows).ok_or_else(|| too_many_cells(" Word 文档", n))?;
                            out.push(Block::Table(Grid { rows, origin: String::new(), pages: Vec::new() }));
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn push(para: &mut Option<String>, s: &str) {
    if let Some(p) = para.as_mut() {
        p.push_str(s);
    }
}

/// A cell's paragraphs joined by line breaks, empty ones left out.
fn join(paras: &[String]) -> String {
    paras.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n")
}
