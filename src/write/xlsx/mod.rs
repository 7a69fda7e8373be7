//! A direct xlsx writer for workbooks of a known, modest shape: text, numbers and blanks
//! in a handful of styles, merged ranges, column widths, row heights, frozen header rows,
//! an autofilter and print setup. The archive and the batch summary are written with it: a
//! general writer spent ~3 ms per archive hashing formats and strings cell by cell, the
//! largest cost of bulk conversion. Each sheet keeps every distinct text once; the book
//! merges them into one shared-string table when it saves.

mod parts;
mod text;

use super::ooxml::{Package, Xml, APP_PROPERTIES};
use super::sheet::{Page, Sheet, Style};
use crate::hash::FastHash;
use parts::{core, custom, shape_parts, shared_strings, sheet_xml, styles_part, workbook};
use rust_xlsxwriter::{DataValidation, XlsxError};
use std::collections::HashMap;

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
    /// A formula (without `=`) and its cached value.
    Formula(Box<str>, f64),
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
    strings: HashMap<Box<str>, u32, FastHash>,
    /// The style of the last cell put: runs of cells share one, found without a search.
    last_style: usize,
}

impl XSheet {
    fn style(&mut self, s: &Style) -> u16 {
        if self.styles.get(self.last_style).is_some_and(|x| same_style(x, s)) {
            return self.last_style as u16;
        }
        let i = match self.styles.iter().position(|x| same_style(x, s)) {
            Some(i) => i,
            None => {
                self.styles.push(*s);
                self.styles.len() - 1
            }
        };
        self.last_style = i;
        i as u16
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
        // Most sheets are written row by row: already in order (a stable sort would keep it).
        if !self.cells.is_sorted_by_key(|c| (c.row, c.col)) {
            self.cells.sort_by_key(|c| (c.row, c.col));
        }
        // In place: a later write moves into the earlier one's slot, which is kept.
        self.cells.dedup_by(|later, earlier| {
            let same = later.row == earlier.row && later.col == earlier.col;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
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
    fn formula(&mut self, row: u32, col: u16, formula: &str, cached: f64, style: &Style) -> Result<(), XlsxError> {
        self.put(row, col, Content::Formula(formula.into(), cached), style)
    }
}

/// `a == b`, cheaper: the fonts and number formats (a few constants) compared by address
/// before by content, after the flags. Asked for every cell put.
fn same_style(a: &Style, b: &Style) -> bool {
    let text = |x: &'static str, y: &'static str| std::ptr::eq(x, y) || x == y;
    a.size == b.size
        && a.bold == b.bold
        && a.fill == b.fill
        && a.border == b.border
        && a.align == b.align
        && a.valign == b.valign
        && a.wrap == b.wrap
        && a.unlocked == b.unlocked
        && text(a.font, b.font)
        && text(a.num_format, b.num_format)
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
        let mut ids: HashMap<&str, u32, FastHash> = HashMap::default();
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
        let mut z = Package::new(64 * 1024);
        let mut part = |name: &str, body: &str| z.part(name, body.as_bytes()).map_err(zip_error);
        let custom_props = !self.properties.custom.is_empty();
        let [types, root_rels, workbook_rels] = shape_parts(self.sheets.len(), custom_props);
        part("[Content_Types].xml", &types)?;
        part("_rels/.rels", &root_rels)?;
        part("docProps/app.xml", APP_PROPERTIES)?;
        part("docProps/core.xml", &core(&self.properties))?;
        if custom_props {
            part("docProps/custom.xml", &custom(&self.properties.custom))?;
        }
        part("xl/workbook.xml", &workbook(&self.sheets))?;
        part("xl/_rels/workbook.xml.rels", &workbook_rels)?;
        part("xl/styles.xml", &styles_part(&styles))?;
        part("xl/theme/theme1.xml", super::theme::THEME)?;
        let mut x = Xml::sheet(64 * 1024);
        for (i, ((sh, map), strings)) in self.sheets.iter().zip(&maps).zip(&string_maps).enumerate() {
            x.clear();
            sheet_xml(sh, map, strings, i == 0, &mut x);
            part(&format!("xl/worksheets/sheet{}.xml", i + 1), x.as_str())?;
        }
        x.clear();
        shared_strings(&sst, uses, &mut x);
        part("xl/sharedStrings.xml", x.as_str())?;
        z.finish().map_err(zip_error)
    }
}

fn zip_error(e: zip::result::ZipError) -> XlsxError {
    XlsxError::IoError(std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::parts::{shared_strings, sheet_xml};
    use super::text::{col_name, stored_width};
    use super::*;
    use crate::number::push_float;
    use crate::write::sheet::{Align, VAlign};

    #[test]
    fn names_columns_and_widths_as_excel_does() {
        let mut s = String::new();
        for c in [0u16, 25, 26, 701, 702, MAX_COL] {
            col_name(&mut s, c);
            s.push(' ');
        }
        assert_eq!(s, "A Z AA ZZ AAA XFD ");
        let mut n = String::new();
        for v in [0.0, 4_294_967_295.0, 12.5, 3.0, -5.0, 5_000_000_000.0, 0.15] {
            push_float(&mut n, v);
            n.push(' ');
        }
        assert_eq!(n, "0 4294967295 12.5 3 -5 5000000000 0.15 ");
        assert_eq!(stored_width(30.0), 30.7109375);
        assert_eq!(stored_width(8.0), 8.7109375);
    }

    #[test]
    fn styles_are_the_same_exactly_when_equal() {
        let base = Style::boxed(10.5);
        let font = String::from("宋体");
        let same_font: &'static str = Box::leak(font.into_boxed_str());
        let styles = [
            Style::DEFAULT,
            base,
            base.bold(),
            base.fill(0xF2F2F2),
            base.align(Align::Center),
            base.valign(VAlign::Center),
            base.wrap(),
            base.num_format("0"),
            base.unlocked(),
            base.font(same_font, 10.5),
            base.font("黑体", 10.5),
            base.font("宋体", 12.0),
            Style { border: false, ..base },
        ];
        for a in &styles {
            for b in &styles {
                assert_eq!(same_style(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_last_of_several_writes_to_a_cell_stays_in_or_out_of_order() {
        let mut b = Book::new();
        let sh = b.sheet("表");
        for (row, col, n) in [(1, 1, 1.0), (1, 1, 2.0), (0, 3, 9.0), (1, 1, 3.0), (1, 0, 4.0), (0, 3, 8.0)] {
            sh.plain_number(row, col, n).expect("number");
        }
        sh.settle();
        let kept: Vec<(u32, u16, f64)> = sh
            .cells
            .iter()
            .map(|c| match c.content {
                Content::Number(n) => (c.row, c.col, n),
                _ => (c.row, c.col, f64::NAN),
            })
            .collect();
        assert_eq!(kept, [(0, 3, 8.0), (1, 0, 4.0), (1, 1, 3.0)]);
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
        let mut xml = Xml::sheet(0);
        let map: Vec<u16> = (1..=sh.styles.len() as u16).collect();
        assert_eq!(sh.string_list(), ["a<b", "甲&\u{1}\u{FFFF}乙\""]);
        sheet_xml(sh, &map, &[0, 1], true, &mut xml);
        let xml = xml.into_string();
        let mut strings = Xml::sheet(0);
        shared_strings(&["a<b", "甲&\u{1}\u{FFFF}乙\"", " 前后空格 ", "_x0041_ 与 _x00_"], 4, &mut strings);
        let strings = strings.into_string();
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
