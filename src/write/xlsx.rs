//! A direct xlsx writer for workbooks of a known, modest shape: text, numbers and blanks
//! in a handful of styles, merged ranges, column widths, row heights, frozen header rows,
//! an autofilter and print setup. The archive is written with it: a general writer spent
//! ~3 ms per archive hashing formats and strings cell by cell, the largest cost of bulk
//! conversion. Strings are written inline, so there is no shared-string table to build.

use super::sheet::{Align, Page, Sheet, Style, VAlign};
use rust_xlsxwriter::{DataValidation, XlsxError};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Excel's limits.
const MAX_ROW: u32 = 1_048_575;
const MAX_COL: u16 = 16_383;
const MAX_TEXT: usize = 32_767;

#[derive(Debug, Clone)]
enum Content {
    /// Index into the sheet's own strings.
    Text(u32),
    Number(f64),
    Blank,
}

#[derive(Debug, Clone)]
struct Cell {
    row: u32,
    col: u16,
    content: Content,
    /// Index into the book's styles.
    style: u16,
}

/// One worksheet being written.
#[derive(Debug, Default)]
pub struct XSheet {
    name: String,
    cells: Vec<Cell>,
    merges: Vec<(u32, u16, u32, u16)>,
    widths: Vec<(u16, f64)>,
    heights: Vec<(u32, f64)>,
    page: Option<Page>,
    freeze_rows: u32,
    filter: Option<(u32, u16, u32, u16)>,
    /// Styles used here, in order of first use; the book numbers them when saving.
    styles: Vec<Style>,
    /// Each distinct text once (labels repeat hundreds of times in a long list), by index.
    strings: HashMap<Box<str>, u32, Fnv>,
}

impl XSheet {
    fn style(&mut self, s: &Style) -> u16 {
        match self.styles.iter().position(|x| x == s) {
            Some(i) => i as u16,
            None => {
                self.styles.push(*s);
                (self.styles.len() - 1) as u16
            }
        }
    }

    fn put(&mut self, row: u32, col: u16, content: Content, style: &Style) -> Result<(), XlsxError> {
        if row > MAX_ROW || col > MAX_COL {
            return Err(XlsxError::RowColumnLimitError);
        }
        let style = self.style(style);
        self.cells.push(Cell { row, col, content, style });
        Ok(())
    }

    fn put_text(&mut self, row: u32, col: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        // UTF-16 length is at most the UTF-8 length: count only long text.
        if text.len() > MAX_TEXT && text.encode_utf16().count() > MAX_TEXT {
            return Err(XlsxError::MaxStringLengthExceeded);
        }
        let id = match self.strings.get(text) {
            Some(&id) => id,
            None => {
                let id = self.strings.len() as u32;
                self.strings.insert(text.into(), id);
                id
            }
        };
        self.put(row, col, Content::Text(id), style)
    }

    /// The sheet's strings in index order.
    fn string_list(&self) -> Vec<&str> {
        let mut list = vec![""; self.strings.len()];
        for (t, &id) in &self.strings {
            if let Some(slot) = list.get_mut(id as usize) {
                *slot = t;
            }
        }
        list
    }

    /// Cells in row order; of two writes to a cell the later one stays (a merge's
    /// blanks, then the value).
    fn settle(&mut self) {
        self.cells.sort_by_key(|c| (c.row, c.col));
        let mut kept: Vec<Cell> = Vec::with_capacity(self.cells.len());
        for c in self.cells.drain(..) {
            match kept.last_mut() {
                Some(last) if last.row == c.row && last.col == c.col => *last = c,
                _ => kept.push(c),
            }
        }
        self.cells = kept;
    }

    /// Header rows that stay in view when scrolling.
    pub fn freeze_rows(&mut self, rows: u32) {
        self.freeze_rows = rows;
    }

    /// An autofilter over a range.
    pub fn autofilter(&mut self, r0: u32, c0: u16, r1: u32, c1: u16) {
        self.filter = Some((r0, c0, r1, c1));
    }

    /// Text written without a style, cheaper for long lists.
    pub fn plain(&mut self, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
        if text.is_empty() {
            return Ok(());
        }
        self.put_text(row, col, text, &Style::DEFAULT)
    }

    /// A number without a style.
    pub fn plain_number(&mut self, row: u32, col: u16, n: f64) -> Result<(), XlsxError> {
        self.put(row, col, Content::Number(n), &Style::DEFAULT)
    }
}

impl Sheet for XSheet {
    fn text(&mut self, row: u32, col: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        if text.is_empty() {
            self.put(row, col, Content::Blank, style)
        } else {
            self.put_text(row, col, text, style)
        }
    }
    fn number(&mut self, row: u32, col: u16, n: f64, style: &Style) -> Result<(), XlsxError> {
        self.put(row, col, Content::Number(n), style)
    }
    fn blank(&mut self, row: u32, col: u16, style: &Style) -> Result<(), XlsxError> {
        self.put(row, col, Content::Blank, style)
    }
    fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        if r1 < r0 || c1 < c0 || (r0 == r1 && c0 == c1) {
            return Err(XlsxError::MergeRangeSingleCell);
        }
        for r in r0..=r1 {
            for c in c0..=c1 {
                if r == r0 && c == c0 {
                    self.text(r, c, text, style)?;
                } else {
                    self.blank(r, c, style)?;
                }
            }
        }
        self.merges.push((r0, c0, r1, c1));
        Ok(())
    }
    fn column_width(&mut self, col: u16, width: f64) -> Result<(), XlsxError> {
        self.widths.retain(|(c, _)| *c != col);
        self.widths.push((col, width));
        Ok(())
    }
    fn row_height(&mut self, row: u32, height: f64) -> Result<(), XlsxError> {
        self.heights.retain(|(r, _)| *r != row);
        self.heights.push((row, height));
        Ok(())
    }
    fn page(&mut self, page: &Page) -> Result<(), XlsxError> {
        self.page = Some(*page);
        Ok(())
    }
    fn validate(&mut self, _: u32, _: u16, _: &DataValidation) -> Result<(), XlsxError> {
        Err(XlsxError::ParameterError("归档工作簿不含数据验证".into()))
    }
}

/// Document properties.
#[derive(Debug, Default)]
pub struct Properties {
    pub title: String,
    pub author: String,
    /// `2024-03-01T08:30:00Z`.
    pub created: String,
    /// Custom text properties, in order.
    pub custom: Vec<(String, String)>,
}

/// A workbook being written.
#[derive(Debug, Default)]
pub struct Book {
    sheets: Vec<XSheet>,
    pub properties: Properties,
}

impl Book {
    pub fn new() -> Self {
        Book::default()
    }

    /// Adds a sheet and returns it for writing.
    pub fn sheet(&mut self, name: &str) -> &mut XSheet {
        self.sheets.push(XSheet { name: name.to_string(), ..XSheet::default() });
        let last = self.sheets.len() - 1;
        &mut self.sheets[last]
    }

    /// The workbook's bytes.
    pub fn save(mut self) -> Result<Vec<u8>, XlsxError> {
        // One style table: the default first, then every sheet's styles in order of use.
        let mut styles: Vec<Style> = vec![Style::DEFAULT];
        let mut maps: Vec<Vec<u16>> = Vec::with_capacity(self.sheets.len());
        for sh in &self.sheets {
            maps.push(
                sh.styles
                    .iter()
                    .map(|s| match styles.iter().position(|x| x == s) {
                        Some(i) => i as u16,
                        None => {
                            styles.push(*s);
                            (styles.len() - 1) as u16
                        }
                    })
                    .collect(),
            );
        }
        for sh in &mut self.sheets {
            sh.settle();
        }
        // One shared-string table: Excel keeps text this way and would otherwise rewrite
        // inline strings on its first save. Each sheet's strings map to their book index.
        let mut sst: Vec<&str> = Vec::new();
        let mut ids: HashMap<&str, u32, Fnv> = HashMap::default();
        let mut uses = 0usize;
        let mut string_maps: Vec<Vec<u32>> = Vec::with_capacity(self.sheets.len());
        for sh in &self.sheets {
            let map = sh
                .string_list()
                .into_iter()
                .map(|t| {
                    *ids.entry(t).or_insert_with(|| {
                        sst.push(t);
                        (sst.len() - 1) as u32
                    })
                })
                .collect();
            string_maps.push(map);
            uses += sh.cells.iter().filter(|c| matches!(c.content, Content::Text(_))).count();
        }
        let mut z = ZipWriter::new(Cursor::new(Vec::with_capacity(64 * 1024)));
        let deflate = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(DateTime::default());
        // Setting up a deflater costs more than it saves on the small parts.
        let stored = deflate.compression_method(CompressionMethod::Stored).compression_level(None);
        let mut part = |name: &str, body: &str| -> Result<(), XlsxError> {
            z.start_file(name, if body.len() > 16 * 1024 { deflate } else { stored }).map_err(zip_error)?;
            z.write_all(body.as_bytes())?;
            Ok(())
        };
        let custom_props = !self.properties.custom.is_empty();
        part("[Content_Types].xml", &content_types(self.sheets.len(), custom_props))?;
        part("_rels/.rels", &root_rels(custom_props))?;
        part("docProps/app.xml", APP)?;
        part("docProps/core.xml", &core(&self.properties))?;
        if custom_props {
            part("docProps/custom.xml", &custom(&self.properties.custom))?;
        }
        part("xl/workbook.xml", &workbook(&self.sheets))?;
        part("xl/_rels/workbook.xml.rels", &workbook_rels(self.sheets.len()))?;
        part("xl/styles.xml", &styles_xml(&styles))?;
        part("xl/theme/theme1.xml", &super::theme::theme())?;
        let mut buf = String::with_capacity(64 * 1024);
        for (i, ((sh, map), strings)) in self.sheets.iter().zip(&maps).zip(&string_maps).enumerate() {
            buf.clear();
            sheet_xml(sh, map, strings, i == 0, &mut buf);
            part(&format!("xl/worksheets/sheet{}.xml", i + 1), &buf)?;
        }
        buf.clear();
        shared_strings(&sst, uses, &mut buf);
        part("xl/sharedStrings.xml", &buf)?;
        Ok(z.finish().map_err(zip_error)?.into_inner())
    }
}

/// FNV-1a: the shared-string table hashes every text cell, and SipHash's protection
/// against crafted keys buys nothing for a table built and dropped in one call.
#[derive(Default, Clone, Copy)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

fn zip_error(e: zip::result::ZipError) -> XlsxError {
    XlsxError::IoError(std::io::Error::other(e.to_string()))
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

fn escape_into(out: &mut String, s: &str) {
    // Most text needs no escaping: copy runs of plain bytes at once.
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let special = matches!(b, b'&' | b'<' | b'>' | b'"')
            || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == b'_' && is_escape_form(&bytes[i..]));
        // U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters.
        let nonchar = b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF));
        if !special && !nonchar {
            continue;
        }
        if i < from {
            continue;
        }
        out.push_str(&s[from..i]);
        match b {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'"' => out.push_str("&quot;"),
            // Excel's own escape for control characters XML 1.0 does not allow.
            b if b < 0x20 => {
                let _ = write!(out, "_x{:04X}_", b);
            }
            // Typed text that looks like the escape form keeps its underscore.
            b'_' => out.push_str("_x005F_"),
            _ => {}
        }
        from = if nonchar { i + 3 } else { i + 1 };
    }
    out.push_str(&s[from..]);
}

/// `_xHHHH_`, which Excel reads as the character HHHH.
fn is_escape_form(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// `A`, `B`, …, `AA` for a 0-based column.
fn col_name(out: &mut String, col: u16) {
    let mut n = u32::from(col) + 1;
    let mut buf = [0u8; 4];
    let mut i = buf.len();
    while n > 0 {
        i -= 1;
        buf[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// Appends a number in decimal: `write!` is several times slower, and a sheet writes
/// one for every cell.
fn push_u32(out: &mut String, n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

fn cell_ref(out: &mut String, row: u32, col: u16) {
    col_name(out, col);
    push_u32(out, row + 1);
}

fn range_ref(out: &mut String, r0: u32, c0: u16, r1: u32, c1: u16) {
    cell_ref(out, r0, c0);
    out.push(':');
    cell_ref(out, r1, c1);
}

/// `$A$1:$K$200`, for defined names.
fn abs_range(r0: u32, c0: u16, r1: u32, c1: u16) -> String {
    let mut a = String::new();
    let mut b = String::new();
    col_name(&mut a, c0);
    col_name(&mut b, c1);
    format!("${a}${}:${b}${}", r0 + 1, r1 + 1)
}

fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn number_text(out: &mut String, n: f64) {
    if n.fract() == 0.0 && (0.0..4e9).contains(&n) {
        push_u32(out, n as u32);
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else {
        let _ = write!(out, "{n}");
    }
}

/// Column width as stored: characters plus padding, in 1/256ths (what Excel itself writes).
fn stored_width(w: f64) -> f64 {
    if w <= 0.0 {
        0.0
    } else if w < 1.0 {
        ((w * 12.0 + 0.5).trunc() / 7.0 * 256.0).trunc() / 256.0
    } else {
        ((w * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0
    }
}

/// A settled sheet's XML.
fn sheet_xml(sh: &XSheet, map: &[u16], strings: &[u32], selected: bool, out: &mut String) {
    let cells = &sh.cells;
    let mut heights = sh.heights.clone();
    heights.sort_by_key(|h| h.0);
    let mut widths = sh.widths.clone();
    widths.sort_by_key(|w| w.0);

    out.push_str(HEAD);
    let _ = write!(out, "<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">");
    if sh.page.is_some() {
        out.push_str("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    }
    let (max_r, max_c) = cells.iter().fold((0, 0), |(r, c), x| (r.max(x.row), c.max(x.col)));
    out.push_str("<dimension ref=\"");
    if cells.is_empty() {
        out.push_str("A1");
    } else {
        let min_c = cells.iter().map(|c| c.col).min().unwrap_or(0);
        range_ref(out, cells[0].row, min_c, max_r, max_c);
    }
    out.push_str("\"/><sheetViews><sheetView ");
    if selected {
        out.push_str("tabSelected=\"1\" ");
    }
    out.push_str("workbookViewId=\"0\"");
    if sh.freeze_rows > 0 {
        out.push_str("><pane ySplit=\"");
        let _ = write!(out, "{}", sh.freeze_rows);
        out.push_str("\" topLeftCell=\"");
        cell_ref(out, sh.freeze_rows, 0);
        out.push_str("\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>");
    } else {
        out.push_str("/>");
    }
    out.push_str("</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    if !widths.is_empty() {
        out.push_str("<cols>");
        for (c, w) in &widths {
            let _ = write!(
                out,
                "<col min=\"{n}\" max=\"{n}\" width=\"{}\" customWidth=\"1\"/>",
                stored_width(*w),
                n = c + 1
            );
        }
        out.push_str("</cols>");
    }
    out.push_str("<sheetData>");
    let mut h = heights.iter().peekable();
    let mut i = 0;
    while i < cells.len() || h.peek().is_some() {
        // The next row: whichever comes first of the next cell's row and the next height.
        let next_cell = cells.get(i).map(|c| c.row);
        let next_height = h.peek().map(|x| x.0);
        let row = match (next_cell, next_height) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        out.push_str("<row r=\"");
        push_u32(out, row + 1);
        out.push('"');
        if next_height == Some(row) {
            if let Some((_, ht)) = h.next() {
                let _ = write!(out, " ht=\"{ht}\" customHeight=\"1\"");
            }
        }
        out.push('>');
        while let Some(c) = cells.get(i).filter(|c| c.row == row) {
            out.push_str("<c r=\"");
            cell_ref(out, c.row, c.col);
            out.push('"');
            let s = map.get(usize::from(c.style)).copied().unwrap_or(0);
            if s != 0 {
                out.push_str(" s=\"");
                push_u32(out, u32::from(s));
                out.push('"');
            }
            match &c.content {
                Content::Text(t) => {
                    out.push_str(" t=\"s\"><v>");
                    push_u32(out, strings.get(*t as usize).copied().unwrap_or(0));
                    out.push_str("</v></c>");
                }
                Content::Number(n) => {
                    out.push_str("><v>");
                    number_text(out, *n);
                    out.push_str("</v></c>");
                }
                Content::Blank => out.push_str("/>"),
            }
            i += 1;
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData>");
    if let Some((r0, c0, r1, c1)) = sh.filter {
        out.push_str("<autoFilter ref=\"");
        range_ref(out, r0, c0, r1, c1);
        out.push_str("\"/>");
    }
    if !sh.merges.is_empty() {
        let _ = write!(out, "<mergeCells count=\"{}\">", sh.merges.len());
        for &(r0, c0, r1, c1) in &sh.merges {
            out.push_str("<mergeCell ref=\"");
            range_ref(out, r0, c0, r1, c1);
            out.push_str("\"/>");
        }
        out.push_str("</mergeCells>");
    }
    let page = sh.page.unwrap_or_default();
    if page.center {
        out.push_str("<printOptions horizontalCentered=\"1\"/>");
    }
    let [l, r, t, b, hd, ft] = page.margins.unwrap_or([0.7, 0.7, 0.75, 0.75, 0.3, 0.3]);
    let _ = write!(
        out,
        "<pageMargins left=\"{l}\" right=\"{r}\" top=\"{t}\" bottom=\"{b}\" header=\"{hd}\" footer=\"{ft}\"/>"
    );
    if sh.page.is_some() {
        let _ = write!(
            out,
            "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"{}\"/>",
            if page.landscape { "landscape" } else { "portrait" }
        );
    }
    out.push_str("</worksheet>");
}

fn shared_strings(sst: &[&str], uses: usize, out: &mut String) {
    let _ = write!(out, "{HEAD}<sst xmlns=\"{MAIN_NS}\" count=\"{uses}\" uniqueCount=\"{}\">", sst.len());
    for t in sst {
        let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
        if edge(t.chars().next()) || edge(t.chars().next_back()) {
            out.push_str("<si><t xml:space=\"preserve\">");
        } else {
            out.push_str("<si><t>");
        }
        escape_into(out, t);
        out.push_str("</t></si>");
    }
    out.push_str("</sst>");
}

fn workbook(sheets: &[XSheet]) -> String {
    let mut s = format!(
        "{HEAD}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><workbookPr/><bookViews><workbookView/></bookViews><sheets>"
    );
    for (i, sh) in sheets.iter().enumerate() {
        let _ = write!(s, "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>", escape(&sh.name), n = i + 1);
    }
    s.push_str("</sheets>");
    let mut names = String::new();
    for (i, sh) in sheets.iter().enumerate() {
        if let Some((r0, c0, r1, c1)) = sh.filter {
            let _ = write!(
                names,
                "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">{}!{}</definedName>",
                escape(&quoted(&sh.name)),
                abs_range(r0, c0, r1, c1)
            );
        }
        if let Some((a, b)) = sh.page.and_then(|p| p.repeat_rows) {
            let _ = write!(
                names,
                "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">{}!${}:${}</definedName>",
                escape(&quoted(&sh.name)),
                a + 1,
                b + 1
            );
        }
    }
    if !names.is_empty() {
        let _ = write!(s, "<definedNames>{names}</definedNames>");
    }
    s.push_str("<calcPr calcId=\"191029\"/></workbook>");
    s
}

fn workbook_rels(n: usize) -> String {
    let mut s = format!("{HEAD}<Relationships xmlns=\"{PKG_REL_NS}\">");
    for i in 1..=n {
        let _ =
            write!(s, "<Relationship Id=\"rId{i}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>");
    }
    let _ = write!(s, "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/>", n + 1);
    let _ = write!(s, "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/theme\" Target=\"theme/theme1.xml\"/>", n + 2);
    let _ =
        write!(s, "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/sharedStrings\" Target=\"sharedStrings.xml\"/>", n + 3);
    s.push_str("</Relationships>");
    s
}

fn content_types(sheets: usize, custom: bool) -> String {
    let ct = "application/vnd.openxmlformats-officedocument";
    let mut s = format!(
        "{HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"{ct}.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"{ct}.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/theme/theme1.xml\" ContentType=\"{ct}.theme+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"{ct}.spreadsheetml.sharedStrings+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"{ct}.extended-properties+xml\"/>"
    );
    if custom {
        let _ = write!(s, "<Override PartName=\"/docProps/custom.xml\" ContentType=\"{ct}.custom-properties+xml\"/>");
    }
    for i in 1..=sheets {
        let _ = write!(
            s,
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"{ct}.spreadsheetml.worksheet+xml\"/>"
        );
    }
    s.push_str("</Types>");
    s
}

fn root_rels(custom: bool) -> String {
    let mut s = format!(
        "{HEAD}<Relationships xmlns=\"{PKG_REL_NS}\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"{PKG_REL_NS}/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{REL_NS}/extended-properties\" Target=\"docProps/app.xml\"/>"
    );
    if custom {
        let _ =
            write!(s, "<Relationship Id=\"rId4\" Type=\"{REL_NS}/custom-properties\" Target=\"docProps/custom.xml\"/>");
    }
    s.push_str("</Relationships>");
    s
}

const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
    "<Application>nianbao ",
    env!("CARGO_PKG_VERSION"),
    "</Application></Properties>"
);

fn core(p: &Properties) -> String {
    format!(
        "{HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">{c}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{c}</dcterms:modified></cp:coreProperties>",
        escape(&p.title),
        escape(&p.author),
        c = escape(&p.created)
    )
}

fn custom(props: &[(String, String)]) -> String {
    let mut s = format!(
        "{HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    );
    for (i, (name, value)) in props.iter().enumerate() {
        let _ = write!(
            s,
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{}\"><vt:lpwstr>{}</vt:lpwstr></property>",
            i + 2,
            escape(name),
            escape(value)
        );
    }
    s.push_str("</Properties>");
    s
}

fn styles_xml(styles: &[Style]) -> String {
    let mut fonts: Vec<(&str, f64, bool, Option<u32>)> = Vec::new();
    let mut fills: Vec<u32> = Vec::new();
    let mut formats: Vec<&str> = Vec::new();
    let mut xfs = String::new();
    for st in styles {
        let font_key = (st.font, st.size, st.bold, st.color);
        let font = fonts.iter().position(|f| *f == font_key).unwrap_or_else(|| {
            fonts.push(font_key);
            fonts.len() - 1
        });
        // Fills 0 and 1 are the two Excel requires (none, gray125).
        let fill = st.fill.map_or(0, |rgb| {
            2 + fills.iter().position(|f| *f == rgb).unwrap_or_else(|| {
                fills.push(rgb);
                fills.len() - 1
            })
        });
        let num = match st.num_format {
            "" | "General" => 0,
            "0" => 1,
            f => {
                164 + formats.iter().position(|x| *x == f).unwrap_or_else(|| {
                    formats.push(f);
                    formats.len() - 1
                })
            }
        };
        let border = usize::from(st.border);
        let _ = write!(
            xfs,
            "<xf numFmtId=\"{num}\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"{border}\" xfId=\"0\"{}{}{}{}",
            if num != 0 { " applyNumberFormat=\"1\"" } else { "" },
            if font != 0 { " applyFont=\"1\"" } else { "" },
            if fill != 0 { " applyFill=\"1\"" } else { "" },
            if border != 0 { " applyBorder=\"1\"" } else { "" },
        );
        let mut align = String::new();
        match st.align {
            Align::General => {}
            Align::Left => align.push_str(" horizontal=\"left\""),
            Align::Center => align.push_str(" horizontal=\"center\""),
        }
        match st.valign {
            VAlign::Bottom => {}
            VAlign::Center => align.push_str(" vertical=\"center\""),
            VAlign::Top => align.push_str(" vertical=\"top\""),
        }
        if st.wrap {
            align.push_str(" wrapText=\"1\"");
        }
        if align.is_empty() && !st.unlocked {
            xfs.push_str("/>");
            continue;
        }
        if !align.is_empty() {
            xfs.push_str(" applyAlignment=\"1\"");
        }
        if st.unlocked {
            xfs.push_str(" applyProtection=\"1\"");
        }
        xfs.push('>');
        if !align.is_empty() {
            let _ = write!(xfs, "<alignment{align}/>");
        }
        if st.unlocked {
            xfs.push_str("<protection locked=\"0\"/>");
        }
        xfs.push_str("</xf>");
    }
    let mut s = format!("{HEAD}<styleSheet xmlns=\"{MAIN_NS}\">");
    if !formats.is_empty() {
        let _ = write!(s, "<numFmts count=\"{}\">", formats.len());
        for (i, f) in formats.iter().enumerate() {
            let _ = write!(s, "<numFmt numFmtId=\"{}\" formatCode=\"{}\"/>", 164 + i, escape(f));
        }
        s.push_str("</numFmts>");
    }
    let _ = write!(s, "<fonts count=\"{}\">", fonts.len());
    for (name, size, bold, color) in &fonts {
        s.push_str("<font>");
        if *bold {
            s.push_str("<b/>");
        }
        let _ = write!(s, "<sz val=\"{size}\"/>");
        if let Some(rgb) = color {
            let _ = write!(s, "<color rgb=\"FF{rgb:06X}\"/>");
        }
        let name = if name.is_empty() { "Calibri" } else { name };
        let _ = write!(s, "<name val=\"{}\"/><family val=\"2\"/>", escape(name));
        if !name.is_ascii() {
            s.push_str("<charset val=\"134\"/>");
        }
        s.push_str("</font>");
    }
    let _ = write!(
        s,
        "</fonts><fills count=\"{}\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>",
        fills.len() + 2
    );
    for rgb in &fills {
        let _ = write!(
            s,
            "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF{rgb:06X}\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        );
    }
    s.push_str("</fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>");
    s.push_str(
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    );
    let _ = write!(s, "<cellXfs count=\"{}\">{xfs}</cellXfs>", styles.len());
    s.push_str("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_columns_and_widths_as_excel_does() {
        let mut s = String::new();
        for c in [0u16, 25, 26, 701, 702, MAX_COL] {
            col_name(&mut s, c);
            s.push(' ');
        }
        assert_eq!(s, "A Z AA ZZ AAA XFD ");
        let mut n = String::new();
        for v in [0, 7, 10, 4_294_967_295] {
            push_u32(&mut n, v);
            n.push(' ');
        }
        for v in [12.5, 3.0, -5.0, 5_000_000_000.0, 0.15] {
            number_text(&mut n, v);
            n.push(' ');
        }
        assert_eq!(n, "0 7 10 4294967295 12.5 3 -5 5000000000 0.15 ");
        assert_eq!(stored_width(30.0), 30.7109375);
        assert_eq!(stored_width(8.0), 8.7109375);
    }

    #[test]
    fn later_writes_replace_earlier_ones_and_rows_keep_their_heights() {
        let mut b = Book::new();
        let st = Style::boxed(10.5);
        let sh = b.sheet("表");
        sh.merge(0, 0, 1, 1, "", &st).expect("merge");
        sh.number(0, 0, 12.0, &st).expect("number");
        sh.row_height(3, 28.0).expect("height");
        sh.text(2, 0, "a<b", &Style::DEFAULT).expect("text");
        sh.text(2, 1, "甲&\u{1}\u{FFFF}乙\"", &Style::DEFAULT).expect("text");
        sh.settle();
        let mut xml = String::new();
        let map: Vec<u16> = (1..=sh.styles.len() as u16).collect();
        assert_eq!(sh.string_list(), ["a<b", "甲&\u{1}\u{FFFF}乙\""]);
        sheet_xml(sh, &map, &[0, 1], true, &mut xml);
        let mut strings = String::new();
        shared_strings(&["a<b", "甲&\u{1}\u{FFFF}乙\"", " 前后空格 ", "_x0041_ 与 _x00_"], 4, &mut strings);
        assert!(xml.contains("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>12</v></c><c r=\"B1\" s=\"1\"/></row>"), "{xml}");
        assert!(
            xml.contains("<c r=\"A3\" s=\"2\" t=\"s\"><v>0</v></c><c r=\"B3\" s=\"2\" t=\"s\"><v>1</v></c>"),
            "{xml}"
        );
        assert!(strings.contains("<si><t>a&lt;b</t></si><si><t>甲&amp;_x0001_乙&quot;</t></si>"), "{strings}");
        assert!(strings.contains("<si><t xml:space=\"preserve\"> 前后空格 </t></si>"), "{strings}");
        assert!(strings.contains("<si><t>_x005F_x0041_ 与 _x00_</t></si>"), "{strings}");
        assert!(xml.contains("<row r=\"4\" ht=\"28\" customHeight=\"1\"></row>"), "{xml}");
        assert!(xml.contains("<mergeCell ref=\"A1:B2\"/>"));
    }
}
