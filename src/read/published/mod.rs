//! Published reports — the web page, the Word document, the PDF — read into the same sheets
//! a workbook gives: a grid per table, the narrative and the title on a sheet of their own.
//! The workbook reader then reads them as it reads any workbook, so everything it knows
//! (labels, notes, blanks, editions) serves published reports too.
//!
//! The kind is told by content, before the workbook sniffer: a published kind is read
//! here, anything else goes on to `open::open` unchanged.

mod docx;
mod html;
mod info;
mod layout;
mod pdf;
mod stray;
mod streams;

use super::open::Sheet;
use crate::error::ReadError;

pub use info::{pdf_info_naming, PdfInfo};
pub use layout::{Block, Grid, Note, TEXT_PARTS, TEXT_SHEET};

/// More tables than any report has (a report has three to a dozen).
const MAX_TABLES: usize = 200;

/// A published report's kind, told by its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    /// A page saved as one file (`.mht`, `.mhtml`): MIME holding the HTML part.
    Mht,
    Docx,
    Pdf,
    /// Word 97-2003: refused, it must be saved as .docx.
    Doc,
}

impl Kind {
    /// How messages say what the file is.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Html | Kind::Mht => "网页（HTML）文件",
            Kind::Docx | Kind::Doc => " Word 文档",
            Kind::Pdf => " PDF 文件",
        }
    }
}

/// A published report as the reader takes it.
#[derive(Debug, Clone)]
pub struct Published {
    pub kind: Kind,
    /// The narrative sheet first (title, then 一/五/六 as labelled cells), then a sheet per
    /// table, named after where the table was found.
    pub sheets: Vec<Sheet>,
    /// The report's title as printed, when one was found.
    pub title: Option<String>,
    /// Notes printed beside numbers (`55（含自然失效 29 件）`): the number is read, the
    /// note kept here with its cell.
    pub notes: Vec<Note>,
    /// Each table's sheet, number and pages, for naming where a finding points.
    pub tables: Vec<crate::model::PrintedTable>,
    /// A PDF whose text is partly set in a font without a Unicode map: when it does not
    /// read as a report, that is why.
    pub unmapped: bool,
}

impl Published {
    /// The reader's error on these sheets as said to the sender: a file with neither a
    /// report's title nor any table is not a report at all, and says what it is instead;
    /// a report whose tables miss something keeps the reader's words.
    pub fn refusal(&self, e: ReadError) -> ReadError {
        let tables = self.sheets.len() > 1;
        match e {
            // A PDF report whose tables are pictures has its title in text and no table; one
            // set in fonts without a Unicode map has letters that are glyph numbers.
            ReadError::TableNotFound { .. } | ReadError::EditionUnknown | ReadError::NotAReport { .. }
                if self.kind == Kind::Pdf && ((self.title.is_some() && !tables) || self.unmapped) =>
            {
                ReadError::Published(pdf::NO_TEXT.into())
            }
            ReadError::TableNotFound { .. } | ReadError::EditionUnknown | ReadError::NotAReport { .. }
                if self.title.is_none() || !tables =>
            {
                let what = if tables { "其中的表格不是年度报告的统计表" } else { "其中没有表格" };
                ReadError::Published(format!("这是{}，不是政府信息公开工作年度报告：{what}", self.kind.name()))
            }
            e => e,
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// The published kind of these bytes, or `None` for anything else (a workbook, or a file
/// `open::sniff` names).
pub fn detect(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") {
        let word = contains(bytes, b"word/document.xml");
        return (word && !contains(bytes, b"xl/workbook.xml")).then_some(Kind::Docx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let word: Vec<u8> = "WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        return contains(bytes, &word).then_some(Kind::Doc);
    }
    let head = &bytes[..bytes.len().min(1024)];
    // A PDF may have a few bytes of junk before its header; readers accept it in the first KB.
    if contains(head, b"%PDF-") {
        return Some(Kind::Pdf);
    }
    let lower = String::from_utf8_lossy(head).to_lowercase();
    if lower.starts_with("mime-version:") || (lower.contains("mime-version:") && lower.contains("multipart/related")) {
        return Some(Kind::Mht);
    }
    let text = lower.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<!doctype html") || lower.contains("<html") || lower.contains("<table") {
        return Some(Kind::Html);
    }
    None
}

/// More page than a report's web page has (they are tens of KB; one saved by Word with all
/// its styles, a few hundred): the parsed tree costs some twenty times the page, so a page
/// past this is refused before it is parsed.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// The page, or its refusal when it is past [`MAX_PAGE_BYTES`].
fn page_within_limit<T: AsRef<[u8]>>(page: T) -> Result<T, ReadError> {
    let len = page.as_ref().len();
    if len > MAX_PAGE_BYTES {
        return Err(ReadError::Published(format!(
            "这是网页（HTML）文件，大小 {:.1} MB，超过 {} MB 的上限，不像一份政府信息公开工作年度报告的网页（年报网页通常不足 1 MB）：请提交报告的 PDF 或 Word 文档",
            len as f64 / 1_048_576.0,
            MAX_PAGE_BYTES >> 20
        )));
    }
    Ok(page)
}

/// Reads a published report into sheets, or says why it cannot be read.
pub fn open(bytes: &[u8], kind: Kind) -> Result<Published, ReadError> {
    let mut unmapped = false;
    let blocks = match kind {
        // The bytes first, so a huge page is not decoded either (a GBK page grows as UTF-8).
        Kind::Html => html::blocks(&page_within_limit(html::decode(page_within_limit(bytes)?))?)?,
        Kind::Mht => html::blocks(&page_within_limit(html::from_mht(bytes)?)?)?,
        Kind::Docx => docx::blocks(bytes)?,
        Kind::Pdf => {
            let (blocks, u) = pdf::blocks(bytes)?;
            unmapped = u;
            blocks
        }
        Kind::Doc => {
            return Err(ReadError::Published("这是 Word 97-2003 文档（.doc），请另存为 .docx 后再提交".into()))
        }
    };
    // A sheet per table: a page of thousands of tables is no report and must not cost a
    // reader's pass over thousands of sheets.
    let tables = blocks.iter().filter(|b| matches!(b, Block::Table(_))).count();
    if tables > MAX_TABLES {
        return Err(ReadError::Published(format!(
            "这是{}，其中有 {tables} 个表格，不像一份政府信息公开工作年度报告（年报只有几个表格）",
            kind.name()
        )));
    }
    // A PDF's tables are placed by position, each number checked against its column there.
    if kind != Kind::Pdf {
        stray::check(kind, &blocks)?;
    }
    Ok(Published { unmapped, ..layout::lay_out(kind, blocks) })
}
