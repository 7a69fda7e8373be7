//! The finished Word report (docs/formats.md §8): title, preamble, the six sections with
//! the official tables of sections 二–四 drawn from `form/`, in the layout of GB/T
//! 9704-2012. Narrative text comes from the templates of [`super::narrative`].
//! `document.xml` is written straight through in schema order with [`ooxml::Xml`]: a
//! builder per paragraph kind (`paragraph`), the tables (`table`, `tables`), the parts
//! around the document and the package (`parts`).

pub mod fit;
mod namespaces;
mod paragraph;
mod parts;
mod styles;
mod table;
mod tables;

use super::narrative::{self, Templates};
use super::ooxml::{self, Xml};
use crate::form;
use crate::model::Report;

/// The Word report's author (`dc:creator`). LibreOffice carries it into a PDF's Author
/// (Info and XMP), where `batch` and `watch` know their own `--pdf` output by it.
pub const AUTHOR: &str = "nianbao";

/// A4 in twips.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// Margins in twips: 37, 35, 28, 26 mm.
const TOP: i32 = 2098;
const BOTTOM: i32 = 1984;
const LEFT: i32 = 1587;
const RIGHT: i32 = 1474;
/// The text width the tables fill: 210 − 28 − 26 = 156 mm.
pub const TEXT_WIDTH: usize = (PAGE_W as i32 - LEFT - RIGHT) as usize;

/// Font sizes in half-points: 二号, 三号, 四号, 五号.
const SIZE_TITLE: i32 = 44;
const SIZE_BODY: i32 = 32;
const SIZE_PAGE_NUM: i32 = 28;
const SIZE_TABLE: i32 = 21;
/// Fixed line spacing of the body, in twips: 22 lines on the 225 mm text height (12,756
/// twips ÷ 22 = 579.8; 580 leaves room for 21 only). Also the document grid's line pitch.
const LINE_BODY: i32 = 579;
const LINE_TABLE: i32 = 300;
/// Half-ems of a 二号 title line: 8845 twips ÷ 440 = 20 characters.
const TITLE_HALF_EMS: usize = 40;
/// Two characters of 三号 text.
const INDENT_2CH: i32 = 640;

const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const SONGTI: &str = "宋体";
const LATIN: &str = "Times New Roman";

/// Builds the .docx bytes of a report.
pub fn docx(report: &Report, templates: &Templates) -> Result<Vec<u8>, crate::Error> {
    let text = narrative::render(report, templates).map_err(crate::Error::template)?;
    let form = report.edition.form();
    let mut x = Xml::spaced(128 * 1024);
    parts::document_start(&mut x);
    let agency = report.agency.value.as_deref().unwrap_or("");
    paragraph::title(&mut x, &fit::title_lines(&text.title, agency, TITLE_HALF_EMS));
    for line in lines(&text.preamble) {
        paragraph::body(&mut x, &line);
    }
    for section in &form::SECTIONS {
        paragraph::heading(&mut x, section.heading);
        match section.id {
            "overview" => narrative(&mut x, &text.overview),
            "active" => {
                tables::active(&mut x, form, report);
                paragraph::blank(&mut x);
                for line in &report.active_extra {
                    for l in lines(&line.text) {
                        paragraph::body(&mut x, &l);
                    }
                }
            }
            "requests" => {
                tables::requests(&mut x, form, report);
                paragraph::blank(&mut x);
            }
            "review_litigation" => {
                tables::review(&mut x, form, report);
                paragraph::blank(&mut x);
            }
            "problems" => narrative(&mut x, &text.problems),
            "other_matters" => narrative(&mut x, &text.other_matters),
            _ => {}
        }
    }
    parts::document_end(&mut x);
    parts::package(x.as_str(), &ooxml::xml_safe(&text.title))
        .map_err(|e| crate::Error::write("Word 报告", crate::error::WriteError::Docx(e)))
}

/// Narrative paragraphs; a line opening with a sub-head gets it in 楷体.
fn narrative(x: &mut Xml, text: &str) {
    for line in lines(text) {
        match sub_head(&line) {
            Some(n) if n == line.len() => paragraph::lead(x, &line, None),
            Some(n) => paragraph::lead(x, &line[..n], Some(&line[n..])),
            None => paragraph::body(x, &line),
        }
    }
}

/// The non-empty lines of a text, trimmed (the first-line indent replaces typed spaces).
/// What XML does not allow is dropped when a line is written (`ooxml::escape`).
fn lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The byte length of a line's sub-head: `（一）…。` up to the first 。 within 40
/// characters, or the whole line when it is a short heading on its own.
fn sub_head(line: &str) -> Option<usize> {
    let mut chars = line.char_indices();
    let (_, open) = chars.next()?;
    if open != '（' && open != '(' {
        return None;
    }
    let mut numerals = 0;
    let mut after_close = None;
    for (i, c) in chars.by_ref() {
        match c {
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' if numerals < 3 => {
                numerals += 1
            }
            '）' | ')' if numerals > 0 => {
                after_close = Some(i + c.len_utf8());
                break;
            }
            _ => return None,
        }
    }
    after_close?;
    for (k, (i, c)) in line.char_indices().enumerate() {
        if k > 40 {
            break;
        }
        if c == '。' {
            return Some(i + c.len_utf8());
        }
    }
    (line.chars().count() <= 40).then_some(line.len())
}
