//! Opens any workbook from its bytes: the parser is chosen by the first bytes, not the
//! name. Every sheet becomes a sparse grid of `Raw` cells, bounded in size.

use super::guard::{guard_ods_grid, tame_xls};
pub use super::guard::{MAX_COLS, MAX_ROWS};
pub use super::hidden::Hidden;
pub use super::sheet::Sheet;
use super::sheet::{date_text, string};
use super::value::Raw;
use super::zipped::{exhausted, guard_zip, Metered, Package};
use crate::error::ReadError;
use calamine::{Data, DataRef, Reader};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Seek};
use std::panic::AssertUnwindSafe;

/// Whether the workbook hides the sheet of this name.
fn hidden(meta: &[calamine::Sheet], name: &str) -> bool {
    meta.iter().any(|m| m.name == name && m.visible != calamine::SheetVisible::Visible)
}

/// Whether the sheet of this name is a worksheet: chart, dialog and macro sheets (and an
/// xls file's VBA modules) hold no table and are skipped, not read as damaged worksheets.
fn is_worksheet(meta: &[calamine::Sheet], name: &str) -> bool {
    meta.iter().find(|m| m.name == name).is_none_or(|m| m.typ == calamine::SheetType::WorkSheet)
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

/// Tells the format from the first bytes (a zip package from its entries), or says in
/// Chinese what the file is instead.
pub fn sniff(bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // Told by the package's own entries, never by bytes found anywhere in it: a zip
        // that stores workbooks uncompressed shows their part names too.
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            // No readable directory (a truncated file): taken as what its part names say,
            // so the reader names the damage.
            if contains(bytes, b"xl/workbook.xml") {
                return Ok(Format::Xlsx);
            }
            if contains(bytes, b"content.xml") {
                return Ok(Format::Ods);
            }
            return Err(ReadError::Corrupt("压缩包中没有工作簿内容，文件可能不完整或不是 Excel 文件".into()));
        };
        let mimetype = match zip.by_name("mimetype") {
            Ok(f) => {
                let mut m = Vec::new();
                let _ = std::io::Read::read_to_end(&mut std::io::Read::take(f, 100), &mut m);
                Some(m)
            }
            Err(_) => None,
        };
        let has = |name: &str| zip.index_for_name(name).is_some();
        if let Some(m) = mimetype {
            if contains(&m, b"application/vnd.oasis.opendocument.spreadsheet") {
                return Ok(Format::Ods);
            }
            if contains(&m, b"application/vnd.oasis.opendocument") {
                return Err(ReadError::NotAWorkbook("这是 OpenDocument 文字或演示文档，不是电子表格".into()));
            }
        }
        if has("xl/workbook.xml") {
            return Ok(Format::Xlsx);
        }
        if has("xl/workbook.bin") {
            return Err(ReadError::NotAWorkbook("这是 xlsb 二进制工作簿，请另存为 xlsx".into()));
        }
        if has("word/document.xml") {
            return Err(ReadError::NotAWorkbook("这是 Word 文档，不是工作簿".into()));
        }
        if has("ppt/presentation.xml") {
            return Err(ReadError::NotAWorkbook("这是 PowerPoint 演示文稿，不是工作簿".into()));
        }
        if has("content.xml") {
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

/// Which reader reads xlsx: the streaming reader (`read::xlsx`), or calamine, its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XlsxReader {
    Stream,
    Calamine,
}

impl XlsxReader {
    /// `NIANBAO_READER=calamine` chooses calamine, for anyone to compare; read once a process.
    pub fn from_env() -> Self {
        static CHOSEN: std::sync::OnceLock<XlsxReader> = std::sync::OnceLock::new();
        *CHOSEN.get_or_init(|| match std::env::var("NIANBAO_READER") {
            Ok(v) if v.trim().eq_ignore_ascii_case("calamine") => XlsxReader::Calamine,
            _ => XlsxReader::Stream,
        })
    }
}

/// Reads every sheet of the workbook.
pub fn open(bytes: &[u8]) -> Result<(Format, Vec<Sheet>), ReadError> {
    open_with(bytes, XlsxReader::from_env())
}

/// Reads every sheet of the workbook, xlsx with the reader given.
pub fn open_with(bytes: &[u8], reader: XlsxReader) -> Result<(Format, Vec<Sheet>), ReadError> {
    let format = sniff(bytes)?;
    let guarded = match format {
        Format::Xlsx => Some(guard_zip(bytes, true, Package::Workbook)?),
        Format::Ods => {
            let g = guard_zip(bytes, false, Package::Workbook)?;
            guard_ods_grid(bytes)?;
            Some(g)
        }
        Format::Xls => None,
    };
    let charged = Cell::new(0);
    // The parsers are fed hostile bytes: a panic inside one (an index out of bounds on a
    // malformed record) must be this file's error, not the end of a batch.
    let parsed = std::panic::catch_unwind(AssertUnwindSafe(|| match (format, reader, guarded.as_ref()) {
        (Format::Xlsx, XlsxReader::Stream, Some(g)) => super::xlsx::read(bytes, g, &charged),
        _ => {
            let plain = guarded.as_ref().and_then(|g| g.plain());
            let none = HashMap::new();
            let (bytes, sizes) = match (&plain, guarded.as_ref()) {
                (Some((copy, sizes)), _) => (copy.as_slice(), sizes),
                (None, Some(g)) => (bytes, &g.sizes),
                (None, None) => (bytes, &none),
            };
            parse_metered(format, bytes, sizes, &charged)
        }
    }))
    .map_err(|_| {
        ReadError::Corrupt(format!(
            "{} 文件内部结构异常，解析时出错；请在 Excel 中打开后另存为 xlsx 再提交",
            format.name()
        ))
    })?;
    let mut sheets = match (parsed, exhausted(&charged)) {
        (_, Some(over)) => return Err(over),
        (parsed, None) => parsed?,
    };
    // The streaming reader noted the hidden lines as it read; calamine gives none, so with
    // calamine chosen an xlsx's lines are the streaming reader's, and an ods's are scanned.
    let lines: HashMap<String, Hidden> = match (format, reader, guarded.as_ref()) {
        (Format::Xlsx, XlsxReader::Calamine, Some(g)) => super::xlsx::read(bytes, g, &Cell::new(0))
            .map(|sheets| sheets.into_iter().map(|s| (s.name.to_string(), s.lines)).collect())
            .unwrap_or_default(),
        (Format::Ods, ..) => super::hidden::ods(bytes),
        _ => HashMap::new(),
    };
    if !lines.is_empty() {
        for s in &mut sheets {
            if let Some(h) = lines.get(&*s.name) {
                s.lines = h.clone();
            }
        }
    }
    Ok((format, sheets))
}

/// The format's parser over the guarded bytes.
#[cfg(test)]
pub(super) fn parse(format: Format, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    parse_metered(format, bytes, &HashMap::new(), &Cell::new(0))
}

/// The format's parser over the guarded bytes, each part it opens charged to `charged`.
fn parse_metered(
    format: Format,
    bytes: &[u8],
    sizes: &HashMap<u64, u64>,
    charged: &Cell<u64>,
) -> Result<Vec<Sheet>, ReadError> {
    let sheets = match format {
        Format::Xlsx => open_xlsx_metered(bytes, sizes, charged)?,
        Format::Xls => {
            let tamed = tame_xls(bytes)?;
            let wb: calamine::Xls<_> = calamine::Xls::new(Cursor::new(tamed.as_slice())).map_err(xls_error)?;
            ranges(wb, xls_error)?
        }
        Format::Ods => {
            let wb: calamine::Ods<_> = calamine::Ods::new(Metered::new(bytes, sizes, charged)).map_err(ods_error)?;
            ranges(wb, ods_error)?
        }
    };
    Ok(sheets)
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
pub(super) fn open_xlsx<RS: Read + Seek>(package: RS) -> Result<Vec<Sheet>, ReadError> {
    xlsx_sheets(calamine::Xlsx::new(package).map_err(xlsx_error)?)
}

/// xlsx through the meter; a workbook with an Excel 4 macro sheet (a sheet kind calamine
/// refuses outright) is read again with those sheets retyped as dialog sheets, which are
/// skipped. The retyped package is guarded and metered like the original.
fn open_xlsx_metered(bytes: &[u8], sizes: &HashMap<u64, u64>, charged: &Cell<u64>) -> Result<Vec<Sheet>, ReadError> {
    match calamine::Xlsx::new(Metered::new(bytes, sizes, charged)) {
        Err(e @ calamine::XlsxError::Unrecognized { typ: "sheet:type", .. }) => {
            let Some(retyped) = super::macrosheet::retype_macrosheets(bytes) else {
                return Err(xlsx_error(e));
            };
            let g = guard_zip(&retyped, false, Package::Workbook)?;
            open_xlsx(Metered::new(&retyped, &g.sizes, charged))
        }
        wb => xlsx_sheets(wb.map_err(xlsx_error)?),
    }
}

fn xlsx_sheets<RS: Read + Seek>(mut wb: calamine::Xlsx<RS>) -> Result<Vec<Sheet>, ReadError> {
    let names = wb.sheet_names();
    let meta = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names.into_iter().filter(|n| is_worksheet(&meta, n)) {
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
        sheets.push(Sheet {
            hidden: hidden(&meta, &name),
            name: name.as_str().into(),
            cells,
            lines: Hidden::default(),
        });
    }
    Ok(sheets)
}

/// xls and ods come as whole ranges; the grid keeps the bounded part.
fn ranges<RS, R, E>(mut wb: R, err: fn(E) -> ReadError) -> Result<Vec<Sheet>, ReadError>
where
    RS: Read + Seek,
    R: Reader<RS, Error = E>,
{
    let names = wb.sheet_names();
    let meta = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names.into_iter().filter(|n| is_worksheet(&meta, n)) {
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
        sheets.push(Sheet {
            hidden: hidden(&meta, &name),
            name: name.as_str().into(),
            cells,
            lines: Hidden::default(),
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_what_is_not_a_workbook() {
        assert!(matches!(sniff(b""), Err(ReadError::Empty)));
        assert!(matches!(sniff(b"%PDF-1.4"), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff(b"<html><table>"), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff("a,b,c\n1,2,3".as_bytes()), Err(ReadError::NotAWorkbook(_))));
    }
}
