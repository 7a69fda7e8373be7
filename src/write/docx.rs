//! The finished Word report (formats.md §8): title, preamble, the six sections with the
//! official tables of sections 二–四 drawn from `form.rs`, in the layout of GB/T 9704-2012.
//! Narrative text comes from the templates of [`super::narrative`]. docx-rs builds each kind
//! of element once (`elements`), `ooxml` puts its XML in schema order, `fill` writes a report
//! into those pieces, and `ooxml` packs the parts.

mod elements;
mod fill;
pub mod fit;
mod ooxml;

use super::narrative::{self, Templates};
use crate::form;
use crate::model::Report;
use crate::Edition;
use docx_rs::{Docx, PageMargin};
use fill::{Slot, Slots, Template};
use std::sync::OnceLock;

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
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_PAGE_NUM: usize = 28;
const SIZE_TABLE: usize = 21;
/// Fixed line spacing of the body, in twips (29 pt: 22 lines on the 225 mm text height).
const LINE_BODY: i32 = 580;
const LINE_TABLE: i32 = 300;
/// Two characters of 三号 text.
const INDENT_2CH: i32 = 640;

const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const SONGTI: &str = "宋体";
const LATIN: &str = "Times New Roman";

/// Builds the .docx bytes of a report.
pub fn docx(report: &Report, templates: &Templates) -> Result<Vec<u8>, String> {
    let text = narrative::render(report, templates)?;
    let p = parts()?;
    let t = tables(report.edition)?;
    let mut out = String::with_capacity(p.head.len() + 200_000);
    out.push_str(&p.head);
    p.title.fill(&mut out, &[&text.title], None);
    for line in lines(&text.preamble) {
        p.body.fill(&mut out, &[&line], None);
    }
    for section in &form::SECTIONS {
        p.heading.fill(&mut out, &[section.heading], None);
        match section.id {
            "overview" => narrative(&mut out, p, &text.overview),
            "active" => {
                t.active.fill(&mut out, &[], Some(report));
                for line in &report.active_extra {
                    for l in lines(&line.text) {
                        p.body.fill(&mut out, &[&l], None);
                    }
                }
            }
            "requests" => t.requests.fill(&mut out, &[], Some(report)),
            "review_litigation" => t.review.fill(&mut out, &[], Some(report)),
            "problems" => narrative(&mut out, p, &text.problems),
            "other_matters" => narrative(&mut out, p, &text.other_matters),
            _ => {}
        }
    }
    out.push_str(&p.tail);
    ooxml::package(&out, &p.footer, &xml_safe(&text.title)).map_err(|e| format!("打包 docx 失败（{e}）"))
}

/// Narrative paragraphs; a line opening with a sub-head gets it in 楷体.
fn narrative(out: &mut String, p: &Parts, text: &str) {
    for line in lines(text) {
        match sub_head(&line) {
            Some(n) if n == line.len() => p.lead.fill(out, &[&line], None),
            Some(n) => p.lead_rest.fill(out, &[&line[..n], &line[n..]], None),
            None => p.body.fill(out, &[&line], None),
        }
    }
}

/// The document around the body, the footer and the paragraph kinds: the same for every report.
struct Parts {
    /// Up to and including `<w:body>`.
    head: String,
    /// From `<w:sectPr` to the end.
    tail: String,
    footer: String,
    title: Template,
    body: Template,
    heading: Template,
    /// A sub-head alone on its line.
    lead: Template,
    /// A sub-head and the rest of its line.
    lead_rest: Template,
}

/// The official tables of one edition.
struct Tables {
    active: Template,
    requests: Template,
    review: Template,
}

fn parts() -> Result<&'static Parts, String> {
    static PARTS: OnceLock<Result<Parts, String>> = OnceLock::new();
    PARTS.get_or_init(build_parts).as_ref().map_err(Clone::clone)
}

fn tables(edition: Edition) -> Result<&'static Tables, String> {
    static TABLES: [OnceLock<Result<Tables, String>>; 2] = [OnceLock::new(), OnceLock::new()];
    let i = Edition::ALL.iter().position(|e| *e == edition).unwrap_or(0);
    TABLES[i].get_or_init(|| build_tables(edition)).as_ref().map_err(Clone::clone)
}

fn page() -> Docx {
    Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin {
            top: TOP,
            left: LEFT,
            bottom: BOTTOM,
            right: RIGHT,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .footer(elements::footer())
}

/// A document docx-rs built, in schema order, cut around its body.
struct Cut {
    /// Up to and including `<w:body>`.
    head: String,
    /// Between `<w:body>` and the section properties.
    body: String,
    /// From `<w:sectPr` to the end.
    tail: String,
}

fn cut(doc: Docx) -> Result<(Cut, Vec<String>), String> {
    let built = doc.build();
    let xml = ooxml::normalize(&String::from_utf8_lossy(&built.document));
    let bad = || "docx 模板内部错误：找不到正文".to_string();
    let open = xml.find("<w:body>").ok_or_else(bad)? + "<w:body>".len();
    let sect = open + xml[open..].rfind("<w:sectPr").ok_or_else(bad)?;
    let footers = built.footers.iter().map(|f| ooxml::normalize(&String::from_utf8_lossy(f))).collect();
    let c = Cut { head: xml[..open].to_string(), body: xml[open..sect].to_string(), tail: xml[sect..].to_string() };
    Ok((c, footers))
}

fn body_of(doc: Docx) -> Result<String, String> {
    Ok(cut(doc)?.0.body)
}

fn paragraph(build: impl FnOnce(&mut Slots) -> docx_rs::Paragraph) -> Result<Template, String> {
    let mut slots = Slots::default();
    let p = build(&mut slots);
    Template::parse(&body_of(Docx::new().add_paragraph(p))?, slots)
}

fn build_parts() -> Result<Parts, String> {
    let (page, footers) = cut(page())?;
    Ok(Parts {
        head: page.head,
        tail: page.tail,
        footer: footers.into_iter().next().unwrap_or_default(),
        title: paragraph(|s| elements::title(&s.mark(Slot::Text(0))))?,
        body: paragraph(|s| elements::body(&s.mark(Slot::Text(0))))?,
        heading: paragraph(|s| elements::heading(&s.mark(Slot::Text(0))))?,
        lead: paragraph(|s| elements::lead(&s.mark(Slot::Text(0)), None))?,
        lead_rest: paragraph(|s| {
            let lead = s.mark(Slot::Text(0));
            elements::lead(&lead, Some(&s.mark(Slot::Text(1))))
        })?,
    })
}

fn build_tables(edition: Edition) -> Result<Tables, String> {
    let form = edition.form();
    let table = |build: &dyn Fn(&mut Slots) -> docx_rs::Table| {
        let mut slots = Slots::default();
        let t = build(&mut slots);
        Template::parse(&body_of(Docx::new().add_table(t))?, slots)
    };
    Ok(Tables {
        active: table(&|s| elements::active_table(form, s))?,
        requests: table(&|s| elements::requests_table(form, s))?,
        review: table(&|s| elements::review_table(form, s))?,
    })
}

/// Text as XML allows it: control characters other than tab and line feed, and the
/// non-characters U+FFFE/U+FFFF, are dropped.
pub fn xml_safe(s: &str) -> String {
    s.chars().filter(|&c| c == '\t' || c == '\n' || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')).collect()
}

/// The non-empty lines of a text, trimmed (the first-line indent replaces typed spaces).
/// What XML does not allow is dropped when a line is filled in (`fill`).
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
