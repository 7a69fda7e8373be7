//! Opens any workbook from its bytes: the parser is chosen by the first bytes, not the
//! name. Every sheet becomes a sparse grid of `Raw` cells, bounded in size.

use super::value::{float_text, Raw};
use crate::error::ReadError;
use calamine::{Data, DataRef, Reader};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::sync::Arc;

/// Cells beyond these are ignored: the form's tables never reach them, and a stray
/// cell at XFD1048576 must not cost gigabytes.
pub const MAX_ROWS: u32 = 5_000;
pub const MAX_COLS: u32 = 200;

/// One sheet as a sparse grid.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: Arc<str>,
    pub cells: BTreeMap<(u32, u32), Raw>,
    /// Hidden (or very hidden) in the workbook: an old copy is often kept this way.
    pub hidden: bool,
}

/// Whether the workbook hides the sheet of this name.
fn hidden(meta: &[calamine::Sheet], name: &str) -> bool {
    meta.iter().any(|m| m.name == name && m.visible != calamine::SheetVisible::Visible)
}

impl Sheet {
    pub fn get(&self, row: u32, col: u32) -> &Raw {
        self.cells.get(&(row, col)).unwrap_or(&Raw::Empty)
    }
}

/// The kind of file, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Tells the format from the first bytes, or says in Chinese what the file is instead.
pub fn sniff(bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if bytes.len() > 38
            && contains(&bytes[..bytes.len().min(200)], b"application/vnd.oasis.opendocument.spreadsheet")
        {
            return Ok(Format::Ods);
        }
        if contains(bytes, b"xl/workbook.xml") || contains(bytes, b"xl/workbook.bin") {
            if contains(bytes, b"xl/workbook.bin") && !contains(bytes, b"xl/workbook.xml") {
                return Err(ReadError::NotAWorkbook("这是 xlsb 二进制工作簿，请另存为 xlsx".into()));
            }
            return Ok(Format::Xlsx);
        }
        if contains(bytes, b"word/document.xml") {
            return Err(ReadError::NotAWorkbook("这是 Word 文档，不是工作簿".into()));
        }
        if contains(bytes, b"ppt/presentation.xml") {
            return Err(ReadError::NotAWorkbook("这是 PowerPoint 演示文稿，不是工作簿".into()));
        }
        if contains(&bytes[..bytes.len().min(200)], b"application/vnd.oasis.opendocument") {
            return Err(ReadError::NotAWorkbook("这是 OpenDocument 文字或演示文档，不是电子表格".into()));
        }
        if contains(bytes, b"content.xml") {
            return Ok(Format::Ods);
        }
        return Err(ReadError::Corrupt("压缩包中没有工作簿内容，文件可能不完整或不是 Excel 文件".into()));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        if contains(bytes, &utf16("EncryptionInfo")) || contains(bytes, &utf16("EncryptedPackage")) {
            return Err(ReadError::Encrypted);
        }
        if contains(bytes, &utf16("WordDocument")) {
            return Err(ReadError::NotAWorkbook("这是 Word 97-2003 文档，不是工作簿".into()));
        }
        return Ok(Format::Xls);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"%PDF") {
        return Err(ReadError::NotAWorkbook("这是 PDF 文件".into()));
    }
    let lower = String::from_utf8_lossy(head).to_lowercase();
    if lower.contains("<html") || lower.contains("<table") || lower.contains("<!doctype") {
        return Err(ReadError::NotAWorkbook("这是网页（HTML）文件，只是扩展名为表格，请在 Excel 中另存为 xlsx".into()));
    }
    if lower.trim_start().starts_with("<?xml") {
        return Err(ReadError::NotAWorkbook(
            "这是 XML 文件（可能是 Excel 2003 XML 表格），请在 Excel 中另存为 xlsx".into(),
        ));
    }
    if std::str::from_utf8(head).is_ok() || head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ReadError::NotAWorkbook("这是文本或 CSV 文件，请在 Excel 中另存为 xlsx".into()));
    }
    Err(ReadError::NotAWorkbook("无法识别的文件内容".into()))
}

/// Limits on what a zip package may expand to: real statistical workbooks expand to well
/// under a megabyte, a zip bomb to gigabytes.
const MAX_PART_BYTES: u64 = 48 * 1024 * 1024;
const MAX_PACKAGE_BYTES: u64 = 96 * 1024 * 1024;

/// Expands every XML part of a zip package, counting, before any parser sees it: a
/// package that would expand past the limits is refused in bounded time. With `keep`, a
/// small package also comes back as a plain stored zip of the same parts, so the parser
/// reads what was expanded here instead of inflating it all again; `None` when the
/// package is large or unusual in any way, and the parser reads the original.
fn guard_zip(bytes: &[u8], keep: bool) -> Result<Option<Vec<u8>>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("压缩包结构损坏（{e}），文件可能不完整")))?;
    let mut total = 0u64;
    let mut plain = (keep && zip.len() < usize::from(u16::MAX)).then(Vec::<Part>::new);
    let mut kept = 0usize;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ReadError::Corrupt(format!("压缩包损坏（{e}）")))?;
        let name = part.name().to_string();
        let unzip_error = |e: std::io::Error| ReadError::Corrupt(format!("压缩包中的 {name} 无法解压（{e}）"));
        if !(name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml")) {
            drop(part);
            // Copied as it is stored; the parser checks it if it ever reads it.
            plain = plain.and_then(|mut parts| {
                let raw = raw_part(&mut zip, i, KEEP_BYTES - kept)?;
                kept += raw.data.len();
                parts.push(raw);
                Some(parts)
            });
            continue;
        }
        let plain_part = plain.is_some()
            && matches!(part.compression(), zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated)
            && !part.encrypted()
            && part.name_raw().is_ascii();
        let (crc, declared, name_raw) = (part.crc32(), part.size(), part.name_raw().to_vec());
        let mut data = Vec::new();
        let mut n = 0u64;
        if plain_part {
            // Held while it fits what a small package may keep; counted on past that.
            let budget = KEEP_BYTES - kept;
            data.reserve(usize::try_from(declared).unwrap_or(0).min(budget));
            n = (&mut part).take(budget as u64 + 1).read_to_end(&mut data).map_err(unzip_error)? as u64;
        }
        if !plain_part || n > (KEEP_BYTES - kept) as u64 {
            plain = None;
            data = Vec::new();
            n += std::io::copy(&mut (&mut part).take(MAX_PART_BYTES + 1 - n), &mut std::io::sink())
                .map_err(unzip_error)?;
        }
        total += n;
        if n > MAX_PART_BYTES || total > MAX_PACKAGE_BYTES {
            return Err(ReadError::TooLarge(format!(
                "解压后超过 {} MB（{name}），不像统计表，可能是“压缩炸弹”",
                MAX_PACKAGE_BYTES / 1_048_576
            )));
        }
        if let Some(parts) = plain.as_mut() {
            // A size the directory misstates is the parser's to judge, on the original.
            if n == declared {
                kept += data.len();
                parts.push(Part { name: name_raw, method: 0, crc, size: n as u32, data });
            } else {
                plain = None;
            }
        }
    }
    Ok(plain.filter(|parts| parser_sees_the_same(bytes, parts)).map(|parts| stored_zip(&parts)))
}

/// Whether the parser's zip library reads the original package as the same parts, each
/// with a sound local header: where it would not (a damaged directory one library
/// tolerates and the other refuses), the parser gets the original and says so itself.
fn parser_sees_the_same(bytes: &[u8], parts: &[Part]) -> bool {
    let Ok(mut zip) = zip9::ZipArchive::new(Cursor::new(bytes)) else { return false };
    zip.len() == parts.len()
        && parts.iter().enumerate().all(|(i, p)| {
            zip.by_index_raw(i).is_ok_and(|f| {
                let method = match f.compression() {
                    zip9::CompressionMethod::Stored => 0,
                    zip9::CompressionMethod::Deflated => 8,
                    _ => return false,
                };
                // XML parts are kept expanded (method 0 here) whatever the original's method.
                f.name_raw() == p.name.as_slice()
                    && f.crc32() == p.crc
                    && f.size() == u64::from(p.size)
                    && !f.encrypted()
                    && (p.method == 0 || method == p.method)
            })
        })
}

/// What a small package may hold expanded for the parser; real workbooks are far below.
const KEEP_BYTES: usize = 8 * 1024 * 1024;

/// One part of the plain package: its data as stored there (`method` 0) or as stored in
/// the original (8, deflated; `size` is then the expanded size).
struct Part {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// A part that is not XML, as the original stores it; `None` if it is unusual or larger
/// than `budget`.
fn raw_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, i: usize, budget: usize) -> Option<Part> {
    let mut part = zip.by_index_raw(i).ok()?;
    let method = match part.compression() {
        zip::CompressionMethod::Stored => 0,
        zip::CompressionMethod::Deflated => 8,
        _ => return None,
    };
    let packed = usize::try_from(part.compressed_size()).ok()?;
    if part.encrypted() || !part.name_raw().is_ascii() || packed > budget {
        return None;
    }
    let size = u32::try_from(part.size()).ok()?;
    let (name, crc) = (part.name_raw().to_vec(), part.crc32());
    let mut data = Vec::with_capacity(packed);
    part.read_to_end(&mut data).ok()?;
    (data.len() == packed).then_some(Part { name, method, crc, size, data })
}

/// A zip of the parts, in order, with local headers, central directory and end record
/// and nothing else (no extra fields, data descriptors or comments).
fn stored_zip(parts: &[Part]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| 76 + 2 * p.name.len() + p.data.len()).sum::<usize>() + 22;
    let mut out = Vec::with_capacity(len);
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    // Every field fits: at most KEEP_BYTES of data, names no longer than the original's.
    let mut offsets = Vec::with_capacity(parts.len());
    for p in parts {
        offsets.push(out.len() as u32);
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, p.method, 0, 0x21] {
            u16le(&mut out, v); // version, flags, method, time, date (1980-01-01)
        }
        for v in [p.crc, p.data.len() as u32, p.size] {
            u32le(&mut out, v);
        }
        u16le(&mut out, p.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(&p.name);
        out.extend_from_slice(&p.data);
    }
    let directory = out.len() as u32;
    for (p, &offset) in parts.iter().zip(&offsets) {
        u32le(&mut out, 0x0201_4b50);
        for v in [20, 20, 0, p.method, 0, 0x21] {
            u16le(&mut out, v); // made by, needed, flags, method, time, date
        }
        for v in [p.crc, p.data.len() as u32, p.size] {
            u32le(&mut out, v);
        }
        for v in [p.name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut out, v); // name, extra, comment, disk, internal attributes
        }
        u32le(&mut out, 0); // external attributes
        u32le(&mut out, offset);
        out.extend_from_slice(&p.name);
    }
    let size = out.len() as u32 - directory;
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, parts.len() as u16, parts.len() as u16] {
        u16le(&mut out, v);
    }
    u32le(&mut out, size);
    u32le(&mut out, directory);
    u16le(&mut out, 0);
    out
}

/// Reads every sheet of the workbook.
pub fn open(bytes: &[u8]) -> Result<(Format, Vec<Sheet>), ReadError> {
    let format = sniff(bytes)?;
    let plain = match format {
        Format::Xlsx => guard_zip(bytes, true)?,
        Format::Ods => {
            guard_zip(bytes, false)?;
            guard_ods_grid(bytes)?;
            None
        }
        Format::Xls => None,
    };
    let bytes = plain.as_deref().unwrap_or(bytes);
    // The parsers are third-party code fed hostile bytes: a panic inside one (an index out
    // of bounds on a malformed record) must be this file's error, not the end of a batch.
    let parsed = std::panic::catch_unwind(|| parse(format, bytes)).map_err(|_| {
        ReadError::Corrupt(format!(
            "{} 文件内部结构异常，解析时出错；请在 Excel 中打开后另存为 xlsx 再提交",
            format.name()
        ))
    })?;
    Ok((format, parsed?))
}

/// The format's parser over the guarded bytes.
fn parse(format: Format, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let sheets = match format {
        Format::Xlsx => open_xlsx(bytes)?,
        Format::Xls => {
            let tamed = tame_xls(bytes)?;
            let wb: calamine::Xls<_> = calamine::Xls::new(Cursor::new(tamed.as_slice())).map_err(xls_error)?;
            ranges(wb, xls_error)?
        }
        Format::Ods => {
            let wb: calamine::Ods<_> = calamine::Ods::new(Cursor::new(bytes)).map_err(ods_error)?;
            ranges(wb, ods_error)?
        }
    };
    Ok(sheets)
}

/// xls: calamine builds each sheet as one dense grid spanning every cell record, and
/// reserves what the DIMENSIONS record claims. A stray cell at IV65536 would cost a
/// gigabyte, a forged DIMENSIONS record more. So, in a copy of the Workbook stream, cell
/// records beyond MAX_ROWS/MAX_COLS are renamed to a record type every reader skips
/// (ignored, as xlsx ignores them) and DIMENSIONS is made harmless; record lengths and
/// the compound file's layout stay as they were.
fn tame_xls(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
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
fn guard_ods_grid(bytes: &[u8]) -> Result<(), ReadError> {
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

fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        e => ReadError::Corrupt(e.to_string()),
    }
}

fn xls_error(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Encrypted,
        e => ReadError::Corrupt(e.to_string()),
    }
}

fn ods_error(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        e => ReadError::Corrupt(e.to_string()),
    }
}

fn in_bounds(row: u32, col: u32) -> bool {
    row < MAX_ROWS && col < MAX_COLS
}

/// xlsx streams its cells, so a huge used range costs nothing.
fn open_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let names = wb.sheet_names();
    let meta = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let mut cells = BTreeMap::new();
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a sheet part that is missing has no cells for us.
            Err(calamine::XlsxError::WorksheetNotFound(_)) => continue,
            Err(e) => return Err(xlsx_error(e)),
        };
        while let Some(cell) = reader.next_cell_with_formula().map_err(xlsx_error)? {
            let (row, col) = cell.pos;
            if row >= MAX_ROWS {
                break;
            }
            if !in_bounds(row, col) {
                continue;
            }
            let raw = match (from_ref(&cell.value), cell.formula) {
                (Raw::Empty, Some(f)) if !f.is_empty() => Raw::Formula(f),
                (raw, _) => raw,
            };
            if raw != Raw::Empty {
                cells.insert((row, col), raw);
            }
        }
        sheets.push(Sheet { hidden: hidden(&meta, &name), name: name.as_str().into(), cells });
    }
    Ok(sheets)
}

/// xls and ods come as whole ranges; the grid keeps the bounded part.
fn ranges<'a, R, E>(mut wb: R, err: fn(E) -> ReadError) -> Result<Vec<Sheet>, ReadError>
where
    R: Reader<Cursor<&'a [u8]>, Error = E>,
{
    let names = wb.sheet_names();
    let meta = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(err(e)),
        };
        let mut cells = BTreeMap::new();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.used_cells() {
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            if in_bounds(row, col) {
                let raw = from_data(data);
                if raw != Raw::Empty {
                    cells.insert((row, col), raw);
                }
            }
        }
        // A formula without a stored result reads as empty: mark it.
        if let Ok(formulas) = wb.worksheet_formula(&name) {
            let (f0, g0) = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                let (row, col) = (f0 + r as u32, g0 + c as u32);
                if in_bounds(row, col) && !f.is_empty() && !cells.contains_key(&(row, col)) {
                    cells.insert((row, col), Raw::Formula(f.clone()));
                }
            }
        }
        sheets.push(Sheet { hidden: hidden(&meta, &name), name: name.as_str().into(), cells });
    }
    Ok(sheets)
}

fn from_data(d: &Data) -> Raw {
    match d {
        Data::Int(i) => Raw::Int(*i),
        Data::Float(f) => Raw::Float(*f),
        Data::String(s) => string(s),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(dt) => Raw::Date(date_text(dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Raw::Date(s.clone()),
        Data::Error(e) => Raw::Error(e.to_string()),
        Data::Empty => Raw::Empty,
    }
}

fn from_ref(d: &DataRef<'_>) -> Raw {
    match d {
        DataRef::Int(i) => Raw::Int(*i),
        DataRef::Float(f) => Raw::Float(*f),
        DataRef::String(s) => string(s),
        DataRef::SharedString(s) => string(s),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(dt) => Raw::Date(date_text(dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Date(s.clone()),
        DataRef::Error(e) => Raw::Error(e.to_string()),
        DataRef::Empty => Raw::Empty,
    }
}

/// Text cells: an all-blank string is no content.
fn string(s: &str) -> Raw {
    if s.trim().is_empty() && !s.is_empty() {
        Raw::Str(String::new())
    } else {
        Raw::Str(s.to_string())
    }
}

/// An Excel date serial as `2023-12-31` (1900 system), for messages.
fn date_text(serial: f64) -> String {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return format!("日期 {}", float_text(serial));
    }
    // Days since 1899-12-30, the epoch that absorbs Excel's 1900 leap-year bug after March.
    let (y, m, d) = crate::date::civil_from_days(serial.floor() as i64 - 25_569);
    format!("{y}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
    }

    /// Every sheet's name and cells, as text to compare.
    fn cells(sheets: &[Sheet]) -> Vec<String> {
        sheets.iter().map(|s| format!("{}: {:?}", s.name, s.cells)).collect()
    }

    #[test]
    fn the_stored_copy_reads_as_the_original() {
        for name in ["merged-headers.xlsx", "labels-edited.xlsx", "macro-enabled.xlsm", "full-width-digits.xlsx"] {
            let bytes = fixture(name);
            let plain = guard_zip(&bytes, true).expect("guard").expect("a small plain package is kept");
            assert!(plain.len() > bytes.len(), "{name}: parts are stored expanded");
            let (a, b) = (parse(Format::Xlsx, &plain).expect("copy"), parse(Format::Xlsx, &bytes).expect("original"));
            assert_eq!(cells(&a), cells(&b), "{name}");
            assert!(a.iter().map(|s| s.cells.len()).sum::<usize>() > 50, "{name}");
        }
    }

    #[test]
    fn an_odd_package_is_left_to_the_parser() {
        let bytes = fixture("merged-headers.xlsx");
        // The end record's two entry counts disagree: one zip library reads on, calamine's
        // takes it for a multi-disk archive and refuses.
        let mut odd = bytes.clone();
        let end = odd.len() - 22;
        assert_eq!(&odd[end..end + 4], b"PK\x05\x06");
        odd[end + 10] += 32;
        assert!(matches!(guard_zip(&odd, true), Ok(None)));
        assert!(open(&odd).is_err());
        // Not asked to keep (ods): nothing kept.
        assert!(matches!(guard_zip(&bytes, false), Ok(None)));
    }

    #[test]
    fn dates_read_as_dates() {
        assert_eq!(date_text(45291.0), "2023-12-31");
    }

    #[test]
    fn sniffs_what_is_not_a_workbook() {
        assert!(matches!(sniff(b""), Err(ReadError::Empty)));
        assert!(matches!(sniff(b"%PDF-1.4"), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff(b"<html><table>"), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff("a,b,c\n1,2,3".as_bytes()), Err(ReadError::NotAWorkbook(_))));
    }
}
