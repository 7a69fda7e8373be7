//! A report's PDF, read by glyph positions: plain text order is wrong for tables (cells
//! glue: `000505`; a table comes out of order). Glyphs become lines by their baseline,
//! lines become runs where the gap between glyphs is a column's, and the tables are found
//! by their labels: each data line is checked against the official row it stands for, in
//! order, and the header against the official columns; a row that does not fit is an
//! error naming its page, never a guess.

use super::layout::{Block, Grid};
use crate::error::ReadError;
use crate::form::{self, Edition, Form};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One glyph: page (1-based), position (top-down, points), font size.
#[derive(Debug, Clone)]
struct Glyph {
    page: u32,
    x: f64,
    y: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Collect {
    page: u32,
    height: f64,
    glyphs: Vec<Glyph>,
    /// Glyphs drawn so far, kept or not.
    drawn: usize,
}

/// More glyphs than any report has (a report of thirty pages draws some fifty thousand):
/// drawing stops there and the PDF is refused, so a content stream of millions of glyphs
/// costs no more than this many.
const MAX_GLYPHS: usize = 1_000_000;

impl OutputDev for Collect {
    fn begin_page(&mut self, page: u32, media: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.page = page;
        self.height = media.ury - media.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, _w: f64, _sp: f64, size: f64, ch: &str) -> Result<(), OutputError> {
        self.drawn += 1;
        if self.drawn > MAX_GLYPHS {
            // Any error ends pdf-extract's walk; `drawn` says which it was.
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The font size as placed on the page: the text matrix scales it.
        let (vx, vy) = (size * (trm.m11 + trm.m21), size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        if x.is_finite() && y.is_finite() && size.is_finite() && size > 0.5 {
            self.glyphs.push(Glyph { page: self.page, x, y, size, text: ch.to_string() });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

pub(super) const NO_TEXT: &str = "这个 PDF 没有可用的文字层（可能是扫描件、图片版，或字体没有文字映射），无法读取其中的数字：请提交原始的 Word 文档、网页或统计表";

/// The glyphs drawn, and whether a font draws glyphs without a Unicode map.
fn glyphs(bytes: &[u8]) -> Result<(Vec<Glyph>, bool), ReadError> {
    // Before any PDF crate inflates a stream: they inflate without a limit.
    super::streams::guard(bytes)?;
    let run = || -> Result<(Vec<Glyph>, bool), ReadError> {
        let doc = pdf_extract::Document::load_mem(bytes)
            .map_err(|e| ReadError::Published(format!("PDF 文件已损坏，无法打开：{e}")))?;
        // Encrypted streams cannot be measured before they are decrypted, and the PDF crates
        // inflate what they decrypt without a limit: an encrypted PDF (even one that opens
        // without a password, restricting copying only) is refused.
        if doc.is_encrypted() {
            return Err(ReadError::Published(
                "PDF 文件已加密（设有打开密码或权限密码），无法安全读取：请提交未加密的 PDF，或报告的网页、Word 文档"
                    .into(),
            ));
        }
        if cyclic_pages(&doc) {
            return Err(ReadError::Published("PDF 文件已损坏，无法打开：其页面树相互嵌套引用".into()));
        }
        // pdf-extract reads every page: a report has dozens.
        let pages = doc.get_pages().len();
        if pages > MAX_PAGES {
            return Err(ReadError::Published(format!(
                "PDF 文件有 {pages} 页，超过 {MAX_PAGES} 页的上限，不像一份政府信息公开工作年度报告"
            )));
        }
        if nested_forms(&doc) {
            return Err(ReadError::Published(
                "PDF 文件已损坏，无法打开：其中的图形对象相互嵌套引用（或嵌套过深）".into(),
            ));
        }
        let mut c = Collect::default();
        let read = pdf_extract::output_doc(&doc, &mut c);
        if c.drawn > MAX_GLYPHS {
            return Err(ReadError::Published(format!(
                "PDF 文件中的文字超过 {MAX_GLYPHS} 个字符，不像一份政府信息公开工作年度报告（年报只有几万字）"
            )));
        }
        read.map_err(|e| ReadError::Published(format!("PDF 文件已损坏，无法读取其中的文字：{e}")))?;
        Ok((c.glyphs, unmapped_fonts(&doc)))
    };
    // The PDF crates are fed hostile bytes and panic on some: that is this file's error.
    std::panic::catch_unwind(run)
        .map_err(|_| ReadError::Published("PDF 文件内部结构异常，读取时出错；请提交 Word 文档或网页".into()))?
}

/// More pages than any annual report has.
const MAX_PAGES: usize = 500;

/// Whether the page tree, walked from the catalog, reaches a node twice: a cycle (a
/// `/Kids` naming an ancestor) or a node shared by two parents. lopdf's page walk skips
/// what it has seen, so such a tree would be read as some pages and not others: a
/// damaged file is refused, not guessed at. The walk visits each node once.
fn cyclic_pages(doc: &pdf_extract::Document) -> bool {
    use pdf_extract::Object;
    use std::collections::HashSet;
    let Some(root) = doc.catalog().ok().and_then(|c| c.get(b"Pages").ok()).and_then(|p| p.as_reference().ok()) else {
        return false;
    };
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            return true;
        }
        let Ok(node) = doc.get_dictionary(id) else { continue };
        let kids = match node.get(b"Kids") {
            Ok(Object::Reference(r)) => doc.get_object(*r).ok().and_then(|o| o.as_array().ok()),
            Ok(o) => o.as_array().ok(),
            Err(_) => None,
        };
        stack.extend(kids.into_iter().flatten().filter_map(|k| k.as_reference().ok()));
    }
    false
}

/// Whether a page uses a composite font (Type0: Chinese text is set in them) with neither a
/// `/ToUnicode` map nor a named CMap whose codes are Unicode: pdf-extract then gives each
/// glyph's number as its letter, text that reads as a report to no one.
fn unmapped_fonts(doc: &pdf_extract::Document) -> bool {
    use pdf_extract::{Dictionary, Object};
    fn dict<'a>(doc: &'a pdf_extract::Document, o: &'a Object) -> Option<&'a Dictionary> {
        match o {
            Object::Reference(id) => doc.get_dictionary(*id).ok(),
            o => o.as_dict().ok(),
        }
    }
    let dict = |o| dict(doc, o);
    doc.get_pages().values().filter_map(|&p| doc.get_dictionary(p).ok()).any(|page| {
        let fonts = page.get(b"Resources").ok().and_then(dict).and_then(|r| r.get(b"Font").ok()).and_then(dict);
        fonts.into_iter().flat_map(|f| f.iter()).filter_map(|(_, f)| dict(f)).any(|font| {
            let type0 = font.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Type0".as_slice());
            let encoding = font.get(b"Encoding").ok().and_then(|e| e.as_name().ok()).unwrap_or_default();
            // `UniGB-UCS2-H` and the like give Unicode; `Identity-H` gives glyph numbers.
            type0 && font.get(b"ToUnicode").is_err() && !encoding.starts_with(b"Uni")
        })
    })
}

/// How deep Form XObjects may nest: real reports nest two or three.
const MAX_FORM_DEPTH: usize = 32;

/// Whether the document's Form XObjects call each other in a cycle, or nest deeper than
/// any real report: pdf-extract follows `Do` by recursion, and a cycle would overflow the
/// stack (an abort, not a panic). A form without resources of its own uses its caller's,
/// so it may call any of them.
fn nested_forms(doc: &pdf_extract::Document) -> bool {
    use pdf_extract::{Dictionary, Object, ObjectId};
    use std::collections::{BTreeMap, BTreeSet};
    let xobjects = |res: &Dictionary| -> Vec<ObjectId> {
        let Ok(x) = res.get(b"XObject") else { return Vec::new() };
        let x = match x {
            Object::Reference(id) => doc.get_dictionary(*id).ok(),
            o => o.as_dict().ok(),
        };
        x.map(|d| d.iter().filter_map(|(_, v)| v.as_reference().ok()).collect()).unwrap_or_default()
    };
    let resources = |d: &Dictionary| -> Option<Dictionary> {
        match d.get(b"Resources").ok()? {
            Object::Reference(id) => doc.get_dictionary(*id).ok().cloned(),
            o => o.as_dict().ok().cloned(),
        }
    };
    // Edges: form → the forms it may call.
    let mut edges: BTreeMap<ObjectId, BTreeSet<ObjectId>> = BTreeMap::new();
    let mut dicts: Vec<Dictionary> =
        doc.get_pages().values().filter_map(|&p| doc.get_dictionary(p).ok()).filter_map(resources).collect();
    let mut seen: BTreeSet<ObjectId> = BTreeSet::new();
    while let Some(res) = dicts.pop() {
        let siblings = xobjects(&res);
        for &x in &siblings {
            let Ok(stream) = doc.get_object(x).and_then(Object::as_stream) else { continue };
            let own = resources(&stream.dict);
            let callees = match &own {
                Some(r) => xobjects(r),
                None => siblings.clone(),
            };
            let calls = stream.decompressed_content().map_or(true, |c| memchr::memmem::find(&c, b"Do").is_some());
            if calls {
                edges.entry(x).or_default().extend(callees);
            }
            if seen.insert(x) {
                if let Some(r) = own {
                    dicts.push(r);
                }
            }
            if edges.len() > 100_000 {
                return true;
            }
        }
    }
    // Depth-first without recursion: a node met again on the path is a cycle; each node
    // done keeps its height, so a long chain is measured whichever end is met first.
    let mut height: BTreeMap<ObjectId, usize> = BTreeMap::new();
    for &start in edges.keys() {
        if height.contains_key(&start) {
            continue;
        }
        let mut path: Vec<(ObjectId, Vec<ObjectId>)> = vec![(start, edges[&start].iter().copied().collect())];
        while let Some((_, todo)) = path.last_mut() {
            match todo.pop() {
                Some(next) if path.iter().any(|(n, _)| *n == next) => return true,
                Some(next) => match height.get(&next) {
                    Some(h) if path.len() + h > MAX_FORM_DEPTH => return true,
                    Some(_) => {}
                    None if path.len() >= MAX_FORM_DEPTH => return true,
                    None => {
                        let callees = edges.get(&next).map(|e| e.iter().copied().collect()).unwrap_or_default();
                        path.push((next, callees));
                    }
                },
                None => {
                    if let Some((n, _)) = path.pop() {
                        let h = edges
                            .get(&n)
                            .into_iter()
                            .flatten()
                            .filter_map(|c| height.get(c))
                            .max()
                            .copied()
                            .unwrap_or(0);
                        height.insert(n, h + 1);
                    }
                }
            }
        }
    }
    false
}

/// A run of glyphs on one line with no column gap inside.
#[derive(Debug, Clone)]
struct Run {
    x0: f64,
    x1: f64,
    text: String,
}

#[derive(Debug, Clone)]
struct Line {
    page: u32,
    y: f64,
    size: f64,
    runs: Vec<Run>,
}

impl Line {
    fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" ")
    }
    fn x0(&self) -> f64 {
        self.runs.first().map_or(0.0, |r| r.x0)
    }
    /// The runs that are figures.
    fn numbers(&self) -> Vec<&Run> {
        self.runs.iter().filter(|r| is_number(&r.text)).collect()
    }
}

/// A printed figure: digits with at most one decimal point between them (`1.` is a
/// label's numbering, not a figure).
fn is_number(s: &str) -> bool {
    let s: String = s.split_whitespace().collect();
    let mut parts = s.split('.');
    let whole = parts.next().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let frac = parts.next().is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    whole && frac && parts.next().is_none()
}

/// Lines by baseline, each split into runs where glyphs stand a column apart.
fn lines(mut gs: Vec<Glyph>) -> Vec<Line> {
    gs.sort_by(|a, b| a.page.cmp(&b.page).then(a.y.total_cmp(&b.y)).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    for g in gs {
        match lines.last_mut() {
            Some(l) if l[0].page == g.page && (g.y - l[0].y).abs() < 0.45 * l[0].size.min(g.size) => l.push(g),
            _ => lines.push(vec![g]),
        }
    }
    lines
        .into_iter()
        .filter_map(|mut l| {
            l.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = l.iter().map(|g| g.size).fold(0.0, f64::max);
            let mut runs: Vec<Run> = Vec::new();
            for g in &l {
                if g.text.trim().is_empty() {
                    continue;
                }
                match runs.last_mut() {
                    // Glyph starts within a wide character and a half: the same run.
                    Some(r) if g.x - r.x1 < 1.6 * size => {
                        r.text.push_str(&g.text);
                        r.x1 = g.x;
                    }
                    _ => runs.push(Run { x0: g.x, x1: g.x, text: g.text.clone() }),
                }
            }
            (!runs.is_empty()).then(|| Line { page: l[0].page, y: l[0].y, size, runs })
        })
        .collect()
}

/// A printed page number (`-3-`, `— 3 —`, `3`).
fn page_number(l: &Line) -> bool {
    let t: String = l.text().chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(['-', '—', '－', '–']);
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
}

/// Only the letters that say what a label is: CJK and digits, no numbering punctuation.
fn fold(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_alphanumeric() && !c.is_ascii_punctuation())
        .map(|c| match c {
            '０'..='９' => crate::number::ascii_digit(c),
            c => c,
        })
        .collect()
}

/// Whether the label's letters appear in order in the text (fragments of a neighbouring
/// group label may stand between them).
fn in_order(label: &str, text: &str) -> bool {
    let mut t = fold(text).into_iter();
    fold(label).into_iter().filter(|c| !c.is_ascii_digit()).all(|c| t.any(|x| x == c))
}

fn contains(line: &Line, words: &[&str]) -> bool {
    let t: String = fold(&line.text()).into_iter().collect();
    words.iter().any(|w| t.contains(&fold(w).into_iter().collect::<String>()))
}

/// The PDF's paragraphs and tables, and whether some of its text is drawn in a font
/// without a Unicode map (its letters are glyph numbers, not text).
pub(super) fn blocks(bytes: &[u8]) -> Result<(Vec<Block>, bool), ReadError> {
    let (gs, unmapped) = glyphs(bytes)?;
    let readable = gs
        .iter()
        .filter(|g| {
            g.text.chars().all(|c| !c.is_control() && c != '\u{fffd}' && !('\u{e000}'..='\u{f8ff}').contains(&c))
        })
        .count();
    if gs.is_empty() || readable * 10 < gs.len() * 9 {
        return Err(ReadError::Published(NO_TEXT.into()));
    }
    let lines: Vec<Line> = lines(gs).into_iter().filter(|l| !page_number(l)).collect();
    // The edition by the labels only one has: table 二's columns and table 三's 其他处理 rows.
    let all: String = lines.iter().flat_map(|l| l.runs.iter().map(|r| r.text.as_str())).collect();
    let e2021 =
        ["本年制发件数", "本年处理决定数量", "逾期不补正", "本年收费金额"].iter().filter(|w| all.contains(*w)).count();
    let e2019 = ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量"]
        .iter()
        .filter(|w| all.contains(*w))
        .count();
    let edition = if e2019 > e2021 { Edition::E2019 } else { Edition::E2021 };
    let form = edition.form();

    let mut out = Vec::new();
    let mut i = 0;
    // The title: the first lines up to the one ending it, as one paragraph.
    if let Some(end) = lines.iter().take(4).position(|l| contains(l, &["年度报告", "年报"])) {
        out.push(Block::Text(lines[..=end].iter().map(Line::text).collect::<String>()));
        i = end + 1;
    }
    let mut para = String::new();
    let body_x = lines.iter().map(Line::x0).fold(f64::INFINITY, f64::min);
    let flush = |para: &mut String, out: &mut Vec<Block>| {
        if !para.trim().is_empty() {
            out.push(Block::Text(std::mem::take(para)));
        }
        para.clear();
    };
    while i < lines.len() {
        let l = &lines[i];
        if contains(l, &["第二十条"]) && !contains(l, &["政府信息公开条例"]) {
            flush(&mut para, &mut out);
            let (grid, next) = active(&lines, i)?;
            out.push(Block::Table(grid));
            i = next;
            continue;
        }
        if contains(l, &["本年新收政府信息公开申请数量", "申请人情况"]) {
            flush(&mut para, &mut out);
            let (grid, next) = requests(&lines, i, form)?;
            out.push(Block::Table(grid));
            i = next;
            continue;
        }
        // Table 四's header line: short cells 行政复议 … 行政诉讼, not a sentence naming both.
        let cells = l.runs.len() >= 2 && l.runs.iter().all(|r| r.text.chars().count() <= 8);
        if cells && contains(l, &["行政复议"]) && contains(l, &["行政诉讼"]) {
            flush(&mut para, &mut out);
            let (grid, next) = review(&lines, i, form)?;
            out.push(Block::Table(grid));
            i = next;
            continue;
        }
        // A paragraph starts indented, or is a heading.
        let indented = l.x0() > body_x + 1.2 * l.size;
        if indented || super::layout::is_heading(&l.text()) {
            flush(&mut para, &mut out);
        }
        para.push_str(&l.runs.iter().map(|r| r.text.as_str()).collect::<String>());
        i += 1;
    }
    flush(&mut para, &mut out);
    Ok((out, unmapped))
}

fn pages_of(lines: &[Line]) -> String {
    let (a, b) = (lines.first().map_or(0, |l| l.page), lines.last().map_or(0, |l| l.page));
    if a == b {
        format!("第{a}页")
    } else {
        format!("第{a}—{b}页")
    }
}

/// Where section 二 ends: the heading or first line of table 三.
fn active_end(lines: &[Line], from: usize) -> usize {
    (from..lines.len())
        .find(|&j| contains(&lines[j], &["收到和处理政府信息公开申请", "申请人情况", "本年新收政府信息公开申请数量"]))
        .unwrap_or(lines.len())
}

/// Section 二: its lines as rows, runs as cells (its header cells stand on one line each).
fn active(lines: &[Line], from: usize) -> Result<(Grid, usize), ReadError> {
    let end = active_end(lines, from);
    let part = &lines[from..end];
    let kept: Vec<&Line> = part.iter().filter(|l| !super::layout::is_heading(&l.text())).collect();
    let pages = kept.iter().map(|l| l.page).collect();
    let rows = kept
        .iter()
        .map(|l| {
            // `第二十条 第（一）项` is one label printed in two pieces.
            if l.numbers().is_empty() && contains(l, &["第二十条"]) {
                vec![l.runs.iter().map(|r| r.text.as_str()).collect::<String>()]
            } else {
                l.runs.iter().map(|r| r.text.clone()).collect()
            }
        })
        .collect();
    Ok((Grid { rows, origin: pages_of(part), pages }, end))
}

/// The x of each column: the centres of the number runs, clustered.
fn columns(data: &[&Line], n: usize) -> Option<Vec<f64>> {
    let full: Vec<&&Line> = data.iter().filter(|l| l.numbers().len() == n).collect();
    let first = full.first()?;
    Some(first.numbers().iter().map(|r| (r.x0 + r.x1) / 2.0).collect())
}

/// Places a line's numbers in the columns nearest them; `None` where two fall in one.
fn place(l: &Line, cols: &[f64]) -> Option<Vec<String>> {
    let mut cells = vec![String::new(); cols.len()];
    for r in l.numbers() {
        let c = (r.x0 + r.x1) / 2.0;
        let (k, d) = cols.iter().enumerate().map(|(k, x)| (k, (x - c).abs())).min_by(|a, b| a.1.total_cmp(&b.1))?;
        if d > 3.0 * l.size || !cells[k].is_empty() {
            return None;
        }
        cells[k] = r.text.clone();
    }
    Some(cells)
}

fn unplaced(l: &Line, what: &str) -> ReadError {
    ReadError::Published(format!(
        "PDF 第{}页“{}”一行的数字无法对应到表格的列（{what}），请核对原文件或提交 Word 文档、网页",
        l.page,
        l.text()
    ))
}

/// Table 三: the data lines, in order, are the official rows (each checked against its
/// label, printed on its line or split over the lines around it); the header must name
/// the official columns in order.
fn requests(lines: &[Line], from: usize, form: &Form) -> Result<(Grid, usize), ReadError> {
    let ncols = form.requests_columns.len();
    let start = (from..lines.len()).find(|&j| contains(&lines[j], &["本年新收政府信息公开申请数量"])).unwrap_or(from);
    // The data lines: the first number of each stands right of the labels.
    let mut data: Vec<usize> = Vec::new();
    let mut j = start;
    while j < lines.len() && data.len() < form.requests_rows.len() {
        if !lines[j].numbers().is_empty() {
            data.push(j);
        } else if super::layout::is_heading(&lines[j].text()) {
            break;
        }
        j += 1;
    }
    let header: Vec<&Line> = lines[from..start].iter().collect();
    check_header(&header, form.requests_columns.iter().map(|c| c.label), lines.get(from))?;
    let data_lines: Vec<&Line> = data.iter().map(|&k| &lines[k]).collect();
    let cols = columns(&data_lines, ncols).ok_or_else(|| unplaced(&lines[start], "没有一行印出全部各列"))?;
    let label_right = cols[0] - 0.6 * lines[start].size;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec![String::new(); ncols + 1];
    head[0] = form::REQUESTS_NOTE.to_string();
    rows.push(head.clone());
    let mut names = vec![String::new()];
    names.extend(form.requests_columns.iter().map(|c| c.label.to_string()));
    rows.push(names);
    let first = lines.get(from).map_or(0, |l| l.page);
    let mut row_pages = vec![first, first];
    for (k, (&d, row)) in data.iter().zip(form.requests_rows).enumerate() {
        let l = &lines[d];
        row_pages.push(l.page);
        // The label's band: every line between the data lines before and after (a label
        // printed over several lines stands above, beside and below its numbers, as the
        // cell's vertical alignment puts them). The rows' order keeps neighbours apart.
        let near = |n: Option<&usize>, far: f64| match n.map(|&n| &lines[n]) {
            Some(m) if m.page == l.page => m.y,
            _ => l.y + far * l.size,
        };
        let top = near(k.checked_sub(1).and_then(|p| data.get(p)), -4.0);
        let bottom = near(data.get(k + 1), 4.0) - 0.1;
        let band: String = lines[..]
            .iter()
            .filter(|m| m.page == l.page && m.y > top && m.y <= bottom)
            .flat_map(|m| m.runs.iter().filter(|r| r.x1 < label_right && !is_number(&r.text)))
            .map(|r| r.text.as_str())
            .collect();
        if !in_order(row.label, &band) {
            return Err(unplaced(l, &format!("应为“{}”行", row.label)));
        }
        let cells = place(l, &cols).ok_or_else(|| unplaced(l, "两个数字落在同一列"))?;
        let mut r = vec![row.label.to_string()];
        r.extend(cells);
        rows.push(r);
    }
    if data.len() < form.requests_rows.len() {
        return Err(unplaced(
            &lines[start],
            &format!("只找到 {} 行数字，应有 {} 行", data.len(), form.requests_rows.len()),
        ));
    }
    let last = data.last().copied().unwrap_or(start);
    Ok((Grid { rows, origin: pages_of(&lines[from..=last]), pages: row_pages }, last + 1))
}

/// The header's lines must hold the official column labels, read left to right.
fn check_header<'a>(
    header: &[&Line],
    labels: impl Iterator<Item = &'a str>,
    at: Option<&Line>,
) -> Result<(), ReadError> {
    let mut runs: Vec<&Run> = header.iter().flat_map(|l| l.runs.iter()).collect();
    runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
    let labels: Vec<&str> = labels.collect();
    let want: String = labels.concat();
    match at {
        Some(l) if !in_order(&want, &text) => Err(unplaced(l, &format!("表头应依次为“{}”", labels.join("”“")))),
        _ => Ok(()),
    }
}

/// Table 四: one line of numbers under a header naming 行政复议 and 行政诉讼.
fn review(lines: &[Line], from: usize, form: &Form) -> Result<(Grid, usize), ReadError> {
    let ncols = form.review_columns.len() * form.review_groups.len();
    let Some(d) = (from..lines.len()).find(|&j| !lines[j].numbers().is_empty()) else {
        return Err(unplaced(&lines[from], "表中没有数字"));
    };
    let l = &lines[d];
    if l.numbers().len() != ncols || l.runs.len() != ncols {
        return Err(unplaced(l, &format!("应有 {ncols} 个数字")));
    }
    let cells: Vec<String> = l.runs.iter().map(|r| r.text.clone()).collect();
    let header = review_header(form);
    let mut pages = vec![lines[from].page; header.len()];
    pages.push(l.page);
    let rows = header.into_iter().chain([cells]).collect();
    Ok((Grid { rows, origin: pages_of(&lines[from..=d]), pages }, d + 1))
}

/// The official header of table 四 as the workbook prints it: 行政复议 over its five
/// columns, 行政诉讼 over two groups of five.
fn review_header(form: &Form) -> Vec<Vec<String>> {
    let per = form.review_columns.len();
    let n = per * form.review_groups.len();
    let mut rows = vec![vec![String::new(); n]; 3];
    for (g, group) in form.review_groups.iter().enumerate() {
        let at = g * per;
        match group.parent {
            // A group under a parent heading (行政诉讼): the parent above, the group below it.
            Some(parent) => {
                if rows[0][per].is_empty() {
                    rows[0][at] = parent.to_string();
                }
                rows[1][at] = group.label.to_string();
                for (k, c) in form.review_columns.iter().enumerate() {
                    rows[2][at + k] = c.label.to_string();
                }
            }
            None => {
                rows[0][at] = group.label.to_string();
                for (k, c) in form.review_columns.iter().enumerate() {
                    rows[1][at + k] = c.label.to_string();
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_told_from_numbering() {
        assert!(is_number("3001") && is_number("96171.6") && is_number(" 0 "));
        assert!(!is_number("1.") && !is_number("1.2.3") && !is_number("-3-") && !is_number("1、") && !is_number(""));
    }

    #[test]
    fn labels_match_in_order_across_fragments() {
        let label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请";
        // Fragments of the group label 其他处理 printed between the lines of the leaf label.
        let band = "（六）其2、申请人逾期未按收费通知要他处理求缴纳费用、行政机关不再处理其政府信息公开申请";
        assert!(in_order(label, band));
        assert!(!in_order("3.其他", "1.本机关不掌握相关政府信息"));
        assert!(!in_order("7.属于行政执法案卷", "7.属于其他案卷"));
    }
}
