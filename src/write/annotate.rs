//! `check --annotate`: the department's own workbook with every error and warning cell
//! filled (red, yellow) and given a comment with the message, and every cell a number was
//! read from filled light green. An xlsx is patched part by
//! part, so everything else in it stays as it was; an xls or ods becomes an xlsx copy of
//! its cell values with the same marks.

use crate::cell::CellRef;
use crate::finding::{Finding, Severity};
use crate::model::Report;
use crate::read::open::{self, Format};
use crate::read::value::Raw;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};

/// Fill colours: Excel's own "bad" red and "neutral" yellow; a light green for cells read.
const RED: &str = "FFFFC7CE";
const YELLOW: &str = "FFFFEB9C";
const GREEN: &str = "FFE2EFDA";
const AUTHOR: &str = "nianbao";

const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_COMMENTS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const REL_STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const CT_COMMENTS: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const CT_STYLES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

/// What one cell gets: the worse severity of its findings and all their messages. A cell
/// only read, with no finding, is `Info` without messages: green, no comment.
#[derive(Debug, Clone)]
struct Mark {
    severity: Severity,
    messages: Vec<String>,
}

/// sheet name → (row, col) → mark.
type Marks = BTreeMap<String, BTreeMap<(u32, u32), Mark>>;

fn marks(findings: &[Finding], read: &[CellRef]) -> Marks {
    let mut m: Marks = BTreeMap::new();
    for c in read {
        m.entry(c.sheet.to_string())
            .or_default()
            .entry((c.row, c.col))
            .or_insert(Mark { severity: Severity::Info, messages: Vec::new() });
    }
    for f in findings {
        if f.severity == Severity::Info {
            continue;
        }
        let Some(c) = &f.cell else { continue };
        let text = format!("{}[{}] {}", f.severity.zh(), f.rule, f.message);
        let e = m
            .entry(c.sheet.to_string())
            .or_default()
            .entry((c.row, c.col))
            .or_insert(Mark { severity: f.severity, messages: Vec::new() });
        e.severity = e.severity.min(f.severity);
        if !e.messages.contains(&text) {
            e.messages.push(text);
        }
    }
    m
}

/// The workbook with the cells of error and warning findings marked.
pub fn annotate(bytes: &[u8], format: Format, findings: &[Finding]) -> Result<Vec<u8>, String> {
    annotate_read(bytes, format, findings, &[])
}

/// Every cell a number of the report was read from.
pub fn read_cells(report: &Report) -> Vec<CellRef> {
    let fee = [&report.fee.count, &report.fee.amount];
    report
        .numbers()
        .iter()
        .filter_map(|n| n.value.cell.clone())
        .chain(fee.into_iter().flatten().filter_map(|v| v.cell.clone()))
        .collect()
}

/// The workbook with the cells of error and warning findings marked, and the cells in
/// `read` (see [`read_cells`]) filled light green where no finding marks them.
pub fn annotate_read(bytes: &[u8], format: Format, findings: &[Finding], read: &[CellRef]) -> Result<Vec<u8>, String> {
    let m = marks(findings, read);
    match format {
        Format::Xlsx => patch_xlsx(bytes, &m),
        Format::Xls | Format::Ods => copy_to_xlsx(bytes, &m),
    }
}

// ---------- xls / ods: a copy of the values ----------

fn copy_to_xlsx(bytes: &[u8], m: &Marks) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format as XFormat, Formula, Note, Workbook};
    let (_, sheets) = open::open(bytes).map_err(|e| e.to_string())?;
    let mut wb = Workbook::new();
    let red = XFormat::new().set_background_color(&RED[2..]);
    let yellow = XFormat::new().set_background_color(&YELLOW[2..]);
    let green = XFormat::new().set_background_color(&GREEN[2..]);
    for sheet in &sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name.as_ref()).map_err(|e| e.to_string())?;
        let marked = m.get(sheet.name.as_ref());
        let mut cells: BTreeSet<(u32, u32)> = sheet.cells.keys().copied().collect();
        if let Some(mk) = marked {
            cells.extend(mk.keys().copied());
        }
        for (r, c) in cells {
            let Ok(col) = u16::try_from(c) else { continue };
            let mark = marked.and_then(|mk| mk.get(&(r, c)));
            let fmt = match mark.map(|x| x.severity) {
                Some(Severity::Error) => Some(&red),
                Some(Severity::Warning) => Some(&yellow),
                Some(Severity::Info) => Some(&green),
                None => None,
            };
            let raw = sheet.get(r, c);
            let res = match (raw, fmt) {
                (Raw::Empty, Some(f)) => ws.write_blank(r, col, f).map(|_| ()),
                (Raw::Empty, None) => Ok(()),
                (Raw::Int(i), f) => write_num(ws, r, col, *i as f64, f),
                (Raw::Float(x), f) => write_num(ws, r, col, *x, f),
                (Raw::Bool(b), Some(f)) => ws.write_boolean_with_format(r, col, *b, f).map(|_| ()),
                (Raw::Bool(b), None) => ws.write_boolean(r, col, *b).map(|_| ()),
                (Raw::Formula(text), Some(f)) => {
                    ws.write_formula_with_format(r, col, Formula::new(text.as_str()), f).map(|_| ())
                }
                (Raw::Formula(text), None) => ws.write_formula(r, col, Formula::new(text.as_str())).map(|_| ()),
                (other, Some(f)) => ws.write_string_with_format(r, col, other.text(), f).map(|_| ()),
                (other, None) => ws.write_string(r, col, other.text()).map(|_| ()),
            };
            res.map_err(|e| e.to_string())?;
            if let Some(mark) = mark.filter(|x| !x.messages.is_empty()) {
                let note = Note::new(mark.messages.join("\n")).set_author(AUTHOR).set_width(360).set_height(120);
                ws.insert_note(r, col, &note).map_err(|e| e.to_string())?;
            }
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

fn write_num(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    c: u16,
    x: f64,
    f: Option<&rust_xlsxwriter::Format>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match f {
        Some(f) => ws.write_number_with_format(r, c, x, f).map(|_| ()),
        None => ws.write_number(r, c, x).map(|_| ()),
    }
}

// ---------- xlsx: patch the package ----------

/// The package's parts, in order, as bytes.
struct Package {
    parts: Vec<(String, Vec<u8>)>,
}

impl Package {
    fn open(bytes: &[u8]) -> Result<Package, String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("不是有效的 xlsx 压缩包（{e}）"))?;
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).map_err(|e| e.to_string())?;
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).map_err(|e| e.to_string())?;
            parts.push((f.name().to_string(), buf));
        }
        Ok(Package { parts })
    }

    fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, b)| b.as_slice())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    fn put(&mut self, name: &str, bytes: Vec<u8>) {
        match self.parts.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(p) => p.1 = bytes,
            None => self.parts.push((name.to_string(), bytes)),
        }
    }

    fn exists(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn finish(self) -> Result<Vec<u8>, String> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in &self.parts {
            w.start_file(name.as_str(), opts).map_err(|e| e.to_string())?;
            w.write_all(bytes).map_err(|e| e.to_string())?;
        }
        Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
    }
}

/// A start tag found in XML text: its byte range and name.
#[derive(Debug, Clone)]
struct Tag {
    start: usize,
    /// One past the closing `>`.
    end: usize,
    /// The name with its prefix (`x:c`).
    name: String,
    self_closing: bool,
}

impl Tag {
    fn prefix(&self) -> &str {
        self.name.rsplit_once(':').map_or("", |(p, _)| p)
    }
}

/// Every start tag with the local name `local`, from `from` to `to`.
fn start_tags(xml: &str, local: &str, from: usize, to: usize) -> Vec<Tag> {
    let mut out = Vec::new();
    let b = xml.as_bytes();
    let mut i = from;
    while let Some(p) = xml[i..to].find('<') {
        let s = i + p;
        let Some(close) = xml[s..].find('>') else { break };
        let e = s + close + 1;
        let inner = &xml[s + 1..e - 1];
        if !inner.starts_with(['/', '?', '!']) {
            let name: String = inner.chars().take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>').collect();
            let l = name.rsplit(':').next().unwrap_or(&name);
            if l == local {
                out.push(Tag { start: s, end: e, name: name.clone(), self_closing: b[e - 2] == b'/' });
            }
        }
        i = e;
        if i >= to {
            break;
        }
    }
    out
}

fn first_tag(xml: &str, local: &str) -> Option<Tag> {
    start_tags(xml, local, 0, xml.len()).into_iter().next()
}

/// Where the element opened by `tag` ends (one past its end tag).
fn element_end(xml: &str, tag: &Tag) -> Option<usize> {
    if tag.self_closing {
        return Some(tag.end);
    }
    let close = format!("</{}>", tag.name);
    xml[tag.end..].find(&close).map(|p| tag.end + p + close.len())
}

/// An attribute's value in a start tag (`r`, `s`, `r:id` by its local name `id` with `any_prefix`).
fn attr(tag_text: &str, name: &str) -> Option<String> {
    let b = tag_text.as_bytes();
    let mut i = 0;
    while let Some(p) = tag_text[i..].find(name) {
        let s = i + p;
        let after = s + name.len();
        let before_ok = s > 0 && (b[s - 1].is_ascii_whitespace());
        let rest = tag_text[after..].trim_start();
        if before_ok && rest.starts_with('=') {
            let rest = rest[1..].trim_start();
            let q = rest.chars().next()?;
            if q == '"' || q == '\'' {
                let end = rest[1..].find(q)?;
                return Some(unescape(&rest[1..1 + end]));
            }
        }
        i = after;
    }
    None
}

/// The start tag with `name` set to `value` (replaced or added).
fn set_attr(tag_text: &str, name: &str, value: &str) -> String {
    let b = tag_text.as_bytes();
    let mut i = 0;
    while let Some(p) = tag_text[i..].find(name) {
        let s = i + p;
        let after = s + name.len();
        let rest_off = tag_text[after..].len() - tag_text[after..].trim_start().len();
        if s > 0 && b[s - 1].is_ascii_whitespace() && tag_text[after + rest_off..].starts_with('=') {
            let vstart_rel =
                tag_text[after + rest_off + 1..].len() - tag_text[after + rest_off + 1..].trim_start().len();
            let q_at = after + rest_off + 1 + vstart_rel;
            if let Some(q) = tag_text[q_at..].chars().next() {
                if let Some(end) = tag_text[q_at + 1..].find(q) {
                    return format!("{}{}{}", &tag_text[..q_at + 1], escape(value), &tag_text[q_at + 1 + end..]);
                }
            }
        }
        i = after;
    }
    let cut = if tag_text.ends_with("/>") { tag_text.len() - 2 } else { tag_text.len() - 1 };
    format!("{} {}=\"{}\"{}", tag_text[..cut].trim_end(), name, escape(value), &tag_text[cut..])
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// `A1` for zero-based (row, col).
fn a1(row: u32, col: u32) -> String {
    format!("{}{}", crate::cell::column_letters(col), row + 1)
}

/// Resolves a relationship target against the folder of the part that owns it.
fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn rels_path(part: &str) -> String {
    let (d, f) = path_split(part);
    if d.is_empty() {
        format!("_rels/{f}.rels")
    } else {
        format!("{d}/_rels/{f}.rels")
    }
}

fn path_split(p: &str) -> (&str, &str) {
    p.rsplit_once('/').unwrap_or(("", p))
}

/// A relationships part: (id, type, target).
fn relationships(xml: &str) -> Vec<(String, String, String)> {
    start_tags(xml, "Relationship", 0, xml.len())
        .iter()
        .map(|t| {
            let s = &xml[t.start..t.end];
            (
                attr(s, "Id").unwrap_or_default(),
                attr(s, "Type").unwrap_or_default(),
                attr(s, "Target").unwrap_or_default(),
            )
        })
        .collect()
}

fn new_rel_id(xml: &str) -> String {
    let ids: BTreeSet<String> = relationships(xml).into_iter().map(|r| r.0).collect();
    (1..).map(|n| format!("rId{n}")).find(|id| !ids.contains(id)).unwrap_or_else(|| "rId9999".into())
}

/// Adds a relationship, creating the part if needed; returns its id.
fn add_rel(xml: Option<String>, kind: &str, target: &str) -> (String, String) {
    let xml = xml.unwrap_or_else(|| {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>".into()
    });
    let id = new_rel_id(&xml);
    let rel = format!("<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"/>", escape(target));
    let xml = insert_before_close(&xml, "Relationships", &rel);
    (xml, id)
}

/// Inserts `content` just before the end of the element `local` (expanding `<x/>`).
fn insert_before_close(xml: &str, local: &str, content: &str) -> String {
    let Some(tag) = first_tag(xml, local) else { return xml.to_string() };
    if tag.self_closing {
        let open = format!("{}>", xml[tag.start..tag.end - 2].trim_end());
        return format!("{}{open}{content}</{}>{}", &xml[..tag.start], tag.name, &xml[tag.end..]);
    }
    let close = format!("</{}>", tag.name);
    match xml.rfind(&close) {
        Some(p) => format!("{}{content}{}", &xml[..p], &xml[p..]),
        None => xml.to_string(),
    }
}

/// Sets the `count` attribute of the first `local` element.
fn set_count(xml: &str, local: &str, n: usize) -> String {
    let Some(tag) = first_tag(xml, local) else { return xml.to_string() };
    let new = set_attr(&xml[tag.start..tag.end], "count", &n.to_string());
    format!("{}{new}{}", &xml[..tag.start], &xml[tag.end..])
}

/// Direct children with local name `child` of the first element `parent`: their full text.
fn children(xml: &str, parent: &str, child: &str) -> Vec<(usize, usize)> {
    let Some(p) = first_tag(xml, parent) else { return Vec::new() };
    if p.self_closing {
        return Vec::new();
    }
    let Some(end) = element_end(xml, &p) else { return Vec::new() };
    let mut out = Vec::new();
    let mut i = p.end;
    for t in start_tags(xml, child, p.end, end) {
        if t.start < i {
            continue;
        }
        let e = element_end(xml, &t).unwrap_or(t.end);
        out.push((t.start, e));
        i = e;
    }
    out
}

const MINIMAL_STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs></styleSheet>";

/// (existing style index, severity) → the index of its filled copy.
type StyleMap = BTreeMap<(usize, Severity), usize>;

/// Adds the two fills and, per (existing style, severity) used, a copy of the style with
/// the fill. Returns the new styles XML and the map to the new style indexes.
fn patch_styles(xml: &str, used: &BTreeSet<(usize, Severity)>) -> Result<(String, StyleMap), String> {
    let fills_tag = first_tag(xml, "fills").ok_or("styles.xml 中没有 fills")?;
    let p = fills_tag.prefix();
    let pre = if p.is_empty() { String::new() } else { format!("{p}:") };
    let nfills = children(xml, "fills", "fill").len();
    let fill = |rgb: &str| {
        format!(
            "<{pre}fill><{pre}patternFill patternType=\"solid\"><{pre}fgColor rgb=\"{rgb}\"/><{pre}bgColor indexed=\"64\"/></{pre}patternFill></{pre}fill>"
        )
    };
    let mut xml = insert_before_close(xml, "fills", &format!("{}{}{}", fill(RED), fill(YELLOW), fill(GREEN)));
    xml = set_count(&xml, "fills", nfills + 3);
    let (red_id, yellow_id, green_id) = (nfills, nfills + 1, nfills + 2);

    let xfs: Vec<String> = children(&xml, "cellXfs", "xf").iter().map(|&(s, e)| xml[s..e].to_string()).collect();
    if xfs.is_empty() {
        return Err("styles.xml 中没有 cellXfs".into());
    }
    let mut map = BTreeMap::new();
    let mut added = String::new();
    for (i, &(s, sev)) in used.iter().enumerate() {
        let base = xfs.get(s).unwrap_or(&xfs[0]);
        let tag_end = base.find('>').map_or(base.len(), |p| p + 1);
        let fill_id = match sev {
            Severity::Error => red_id,
            Severity::Warning => yellow_id,
            Severity::Info => green_id,
        };
        let mut tag = set_attr(&base[..tag_end], "fillId", &fill_id.to_string());
        tag = set_attr(&tag, "applyFill", "1");
        added.push_str(&tag);
        added.push_str(&base[tag_end..]);
        map.insert((s, sev), xfs.len() + i);
    }
    xml = insert_before_close(&xml, "cellXfs", &added);
    xml = set_count(&xml, "cellXfs", xfs.len() + used.len());
    Ok((xml, map))
}

/// One cell element found in sheetData.
struct CellAt {
    row: u32,
    col: u32,
    tag: Tag,
}

/// One row element of sheetData.
struct RowAt {
    row: u32,
    tag: Tag,
    /// Where its content ends (the `</row>`), for self-closing rows the tag's start.
    close: usize,
    cells: Vec<CellAt>,
}

/// The rows and cells of a worksheet, with implied positions made explicit.
fn scan_sheet(xml: &str) -> Option<(Tag, usize, Vec<RowAt>)> {
    let sd = first_tag(xml, "sheetData")?;
    let sd_end = if sd.self_closing { sd.end } else { xml[sd.end..].find(&format!("</{}>", sd.name))? + sd.end };
    let mut rows = Vec::new();
    let mut next_row = 0u32;
    let mut pos = sd.end;
    for t in start_tags(xml, "row", sd.end, sd_end) {
        if t.start < pos {
            continue;
        }
        let text = &xml[t.start..t.end];
        let r = attr(text, "r").and_then(|v| v.parse::<u32>().ok()).map_or(next_row, |v| v.saturating_sub(1));
        next_row = r + 1;
        let (close, end) = if t.self_closing {
            (t.end, t.end)
        } else {
            let c = xml[t.end..sd_end].find(&format!("</{}>", t.name)).map(|p| t.end + p)?;
            (c, c + t.name.len() + 3)
        };
        let mut cells = Vec::new();
        let mut next_col = 0u32;
        let mut cpos = t.end;
        if !t.self_closing {
            for c in start_tags(xml, "c", t.end, close) {
                if c.start < cpos {
                    continue;
                }
                let col = attr(&xml[c.start..c.end], "r")
                    .and_then(|v| crate::cell::parse_a1(&v))
                    .map_or(next_col, |(_, col)| col);
                next_col = col + 1;
                cpos = element_end(xml, &c).unwrap_or(c.end);
                cells.push(CellAt { row: r, col, tag: c });
            }
        }
        rows.push(RowAt { row: r, tag: t, close, cells });
        pos = end;
    }
    Some((sd, sd_end, rows))
}

/// An edit of the sheet text: replace `start..end` with `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn apply(xml: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(xml.len() + 256);
    let mut at = 0;
    for e in edits {
        out.push_str(&xml[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&xml[at..]);
    out
}

/// Sets the style of every marked cell, adding cells and rows the sheet lacks.
fn patch_cells(
    xml: &str,
    cells: &BTreeMap<(u32, u32), Mark>,
    new_style: &dyn Fn(usize, Severity) -> usize,
) -> Result<String, String> {
    let (sd, sd_end, rows) = scan_sheet(xml).ok_or("工作表中没有 sheetData")?;
    let p = sd.prefix();
    let pre = if p.is_empty() { String::new() } else { format!("{p}:") };
    let mut edits: Vec<Edit> = Vec::new();
    let mut by_row: BTreeMap<u32, Vec<(u32, &Mark)>> = BTreeMap::new();
    for (&(r, c), m) in cells {
        by_row.entry(r).or_default().push((c, m));
    }
    // Rows and cells written without `r` get one, so inserted ones cannot shift them.
    for row in &rows {
        if attr(&xml[row.tag.start..row.tag.end], "r").is_none() {
            let t = set_attr(&xml[row.tag.start..row.tag.end], "r", &(row.row + 1).to_string());
            edits.push(Edit { start: row.tag.start, end: row.tag.end, text: t });
        }
    }
    let mut new_rows: BTreeMap<usize, String> = BTreeMap::new();
    for (r, targets) in &by_row {
        let row = rows.iter().find(|x| x.row == *r);
        let Some(row) = row else {
            let cells: String = targets
                .iter()
                .map(|(c, m)| format!("<{pre}c r=\"{}\" s=\"{}\"/>", a1(*r, *c), new_style(0, m.severity)))
                .collect();
            let at =
                rows.iter().find(|x| x.row > *r).map_or(if sd.self_closing { sd.end } else { sd_end }, |x| x.tag.start);
            new_rows.entry(at).or_default().push_str(&format!("<{pre}row r=\"{}\">{cells}</{pre}row>", r + 1));
            continue;
        };
        let touched = targets.iter().any(|(c, _)| !row.cells.iter().any(|x| x.col == *c));
        let mut inserts: BTreeMap<usize, String> = BTreeMap::new();
        for (c, m) in targets {
            match row.cells.iter().find(|x| x.col == *c) {
                Some(cell) => {
                    let text = &xml[cell.tag.start..cell.tag.end];
                    let s = attr(text, "s").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                    let mut t = set_attr(text, "s", &new_style(s, m.severity).to_string());
                    if attr(text, "r").is_none() {
                        t = set_attr(&t, "r", &a1(cell.row, cell.col));
                    }
                    edits.push(Edit { start: cell.tag.start, end: cell.tag.end, text: t });
                }
                None => {
                    let at = row.cells.iter().find(|x| x.col > *c).map_or(row.close, |x| x.tag.start);
                    inserts.entry(at).or_default().push_str(&format!(
                        "<{pre}c r=\"{}\" s=\"{}\"/>",
                        a1(*r, *c),
                        new_style(0, m.severity)
                    ));
                }
            }
        }
        if touched {
            for cell in &row.cells {
                let text = &xml[cell.tag.start..cell.tag.end];
                if attr(text, "r").is_none() && !targets.iter().any(|(c, _)| *c == cell.col) {
                    edits.push(Edit {
                        start: cell.tag.start,
                        end: cell.tag.end,
                        text: set_attr(text, "r", &a1(cell.row, cell.col)),
                    });
                }
            }
        }
        if row.tag.self_closing {
            // `<row r="5"/>` becomes `<row r="5">…</row>`.
            let base = edits
                .iter()
                .position(|e| e.start == row.tag.start)
                .map(|i| edits.remove(i).text)
                .unwrap_or_else(|| xml[row.tag.start..row.tag.end].to_string());
            let open = format!("{}>", base.trim_end_matches("/>").trim_end());
            let inner: String = inserts.into_values().collect();
            edits.push(Edit {
                start: row.tag.start,
                end: row.tag.end,
                text: format!("{open}{inner}</{}>", row.tag.name),
            });
        } else {
            for (at, text) in inserts {
                edits.push(Edit { start: at, end: at, text });
            }
        }
    }
    if sd.self_closing && !new_rows.is_empty() {
        let open = format!("{}>", xml[sd.start..sd.end - 2].trim_end());
        let inner: String = new_rows.into_values().collect();
        edits.push(Edit { start: sd.start, end: sd.end, text: format!("{open}{inner}</{}>", sd.name) });
    } else {
        for (at, text) in new_rows {
            edits.push(Edit { start: at, end: at, text });
        }
    }
    Ok(apply(xml, edits))
}

/// Elements that follow legacyDrawing in a worksheet (ECMA-376 order).
const AFTER_LEGACY: [&str; 9] = [
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
    "AlternateContent",
];

/// Adds `<legacyDrawing r:id="…"/>` in its place, declaring the relationships namespace.
fn add_legacy_drawing(xml: &str, rid: &str) -> String {
    let Some(root) = first_tag(xml, "worksheet") else { return xml.to_string() };
    let root_text = &xml[root.start..root.end];
    let p = root.prefix();
    let pre = if p.is_empty() { String::new() } else { format!("{p}:") };
    // The prefix bound to the relationships namespace, or a new one.
    let mut rel_prefix = None;
    for part in root_text.split_whitespace() {
        if let Some(rest) = part.strip_prefix("xmlns:") {
            if let Some((name, val)) = rest.split_once('=') {
                if val.trim_matches(['"', '\'', '/', '>']) == NS_REL {
                    rel_prefix = Some(name.to_string());
                }
            }
        }
    }
    let (xml, rp) = match rel_prefix {
        Some(rp) => (xml.to_string(), rp),
        None => {
            let new_root = set_attr(root_text, "xmlns:nbr", NS_REL);
            (format!("{}{new_root}{}", &xml[..root.start], &xml[root.end..]), "nbr".to_string())
        }
    };
    let el = format!("<{pre}legacyDrawing {rp}:id=\"{rid}\"/>");
    let root = first_tag(&xml, "worksheet");
    let root_end = root.map_or(0, |t| t.end);
    // Only the worksheet's direct children count: find the earliest following element.
    let at = AFTER_LEGACY
        .iter()
        .filter_map(|l| start_tags(&xml, l, root_end, xml.len()).into_iter().next().map(|t| t.start))
        .min();
    match at {
        Some(at) => format!("{}{el}{}", &xml[..at], &xml[at..]),
        None => match xml.rfind(&format!("</{pre}worksheet>")) {
            Some(at) => format!("{}{el}{}", &xml[..at], &xml[at..]),
            None => xml,
        },
    }
}

fn comment_xml(cell: &str, author: usize, text: &str) -> String {
    format!(
        "<comment ref=\"{cell}\" authorId=\"{author}\"><text><r><rPr><sz val=\"9\"/><rFont val=\"宋体\"/></rPr><t xml:space=\"preserve\">{}</t></r></text></comment>",
        escape(text)
    )
}

fn vml_shape(id: u32, row: u32, col: u32) -> String {
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:270pt;height:90pt;z-index:{id};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{}, 15, {}, 10, {}, 15, {}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
        col + 1,
        row,
        col + 5,
        row + 6
    )
}

const VML_SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

fn vml(idmap: u32, shapes: &str) -> String {
    format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{idmap}\"/></o:shapelayout>{VML_SHAPETYPE}{shapes}</xml>"
    )
}

fn add_override(ct: &str, part: &str, kind: &str) -> String {
    let name = format!("/{part}");
    if start_tags(ct, "Override", 0, ct.len())
        .iter()
        .any(|t| attr(&ct[t.start..t.end], "PartName").as_deref() == Some(name.as_str()))
    {
        return ct.to_string();
    }
    insert_before_close(ct, "Types", &format!("<Override PartName=\"{name}\" ContentType=\"{kind}\"/>"))
}

fn add_default(ct: &str, ext: &str, kind: &str) -> String {
    if start_tags(ct, "Default", 0, ct.len())
        .iter()
        .any(|t| attr(&ct[t.start..t.end], "Extension").is_some_and(|e| e.eq_ignore_ascii_case(ext)))
    {
        return ct.to_string();
    }
    insert_before_close(ct, "Types", &format!("<Default Extension=\"{ext}\" ContentType=\"{kind}\"/>"))
}

/// The comments of one sheet: written as new parts, or merged into the sheet's own.
fn comments_for_sheet(
    pkg: &mut Package,
    ct: &mut String,
    sheet_path: &str,
    sheet_xml: String,
    cells: &BTreeMap<(u32, u32), Mark>,
    n: u32,
) -> Result<String, String> {
    let rels_name = rels_path(sheet_path);
    let rels = pkg.text(&rels_name);
    let base = dir_of(sheet_path).to_string();
    let existing = rels.as_deref().map(relationships).unwrap_or_default();
    let old_comments = existing.iter().find(|r| r.1 == REL_COMMENTS).map(|r| resolve(&base, &r.2));
    let old_vml = first_tag(&sheet_xml, "legacyDrawing").and_then(|t| {
        let text = &sheet_xml[t.start..t.end];
        let id = text.split_whitespace().find_map(|a| {
            let (k, v) = a.split_once('=')?;
            k.ends_with(":id").then(|| v.trim_matches(['"', '\'', '/', '>']).to_string())
        })?;
        existing.iter().find(|r| r.0 == id).map(|r| resolve(&base, &r.2))
    });

    if let (Some(cpath), Some(vpath)) = (old_comments.filter(|p| pkg.exists(p)), old_vml.filter(|p| pkg.exists(p))) {
        // Merge into the sheet's own comments.
        let mut cx = pkg.text(&cpath).unwrap_or_default();
        let author = children(&cx, "authors", "author").len();
        cx = insert_before_close(&cx, "authors", &format!("<author>{AUTHOR}</author>"));
        let mut new_cells = Vec::new();
        for (&(r, c), m) in cells {
            let cref = a1(r, c);
            let text = m.messages.join("\n");
            let found = start_tags(&cx, "comment", 0, cx.len())
                .into_iter()
                .find(|t| attr(&cx[t.start..t.end], "ref").as_deref() == Some(cref.as_str()));
            match found.and_then(|t| element_end(&cx, &t).map(|e| (t, e))) {
                Some((t, e)) => {
                    let el = &cx[t.start..e];
                    if let Some(p) =
                        el.rfind("</text>").or_else(|| el.rfind(":text>").and_then(|q| el[..q].rfind("</")))
                    {
                        let run = format!("<r><t xml:space=\"preserve\">\n{}</t></r>", escape(&text));
                        cx = format!("{}{run}{}", &cx[..t.start + p], &cx[t.start + p..]);
                    }
                }
                None => {
                    cx = insert_before_close(&cx, "commentList", &comment_xml(&cref, author, &text));
                    new_cells.push((r, c));
                }
            }
        }
        pkg.put(&cpath, cx.into_bytes());
        let mut vx = pkg.text(&vpath).unwrap_or_default();
        let max_id = vx
            .match_indices("_x0000_s")
            .filter_map(|(i, m)| {
                vx[i + m.len()..].chars().take_while(char::is_ascii_digit).collect::<String>().parse::<u32>().ok()
            })
            .max()
            .unwrap_or(n * 1024);
        let mut shapes = String::new();
        if !vx.contains("_x0000_t202") {
            shapes.push_str(VML_SHAPETYPE);
        }
        for (k, (r, c)) in new_cells.iter().enumerate() {
            shapes.push_str(&vml_shape(max_id + 1 + k as u32, *r, *c));
        }
        match vx.rfind("</xml>") {
            Some(p) => vx = format!("{}{shapes}{}", &vx[..p], &vx[p..]),
            None => return Err("批注绘图部件无法识别".into()),
        }
        pkg.put(&vpath, vx.into_bytes());
        return Ok(sheet_xml);
    }

    // New comments and drawing parts with names nobody uses.
    let mut k = n;
    while pkg.exists(&format!("xl/comments{k}.xml")) || pkg.exists(&format!("xl/drawings/vmlDrawing{k}.vml")) {
        k += 1;
    }
    let cpath = format!("xl/comments{k}.xml");
    let vpath = format!("xl/drawings/vmlDrawing{k}.vml");
    let mut list = String::new();
    let mut shapes = String::new();
    for (i, (&(r, c), m)) in cells.iter().enumerate() {
        list.push_str(&comment_xml(&a1(r, c), 0, &m.messages.join("\n")));
        shapes.push_str(&vml_shape(k * 1024 + 1 + i as u32, r, c));
    }
    let cx = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{NS_MAIN}\"><authors><author>{AUTHOR}</author></authors><commentList>{list}</commentList></comments>"
    );
    pkg.put(&cpath, cx.into_bytes());
    pkg.put(&vpath, vml(k, &shapes).into_bytes());
    let rel_target = |p: &str| {
        let depth = base.split('/').filter(|s| !s.is_empty()).count();
        let up = "../".repeat(depth.saturating_sub(1));
        format!("{up}{}", p.strip_prefix("xl/").unwrap_or(p))
    };
    let (rx, _) = add_rel(rels, REL_COMMENTS, &rel_target(&cpath));
    let (rx, vid) = add_rel(Some(rx), REL_VML, &rel_target(&vpath));
    pkg.put(&rels_name, rx.into_bytes());
    *ct = add_default(ct, "vml", CT_VML);
    *ct = add_override(ct, &cpath, CT_COMMENTS);
    let sheet_xml = match first_tag(&sheet_xml, "legacyDrawing") {
        // A drawing without comments (form controls): leave it, comments still need a
        // legacyDrawing of their own, which a sheet can have only once.
        Some(_) => return Err("工作表已有旧式绘图对象，无法添加批注".into()),
        None => add_legacy_drawing(&sheet_xml, &vid),
    };
    Ok(sheet_xml)
}

fn patch_xlsx(bytes: &[u8], m: &Marks) -> Result<Vec<u8>, String> {
    let mut pkg = Package::open(bytes)?;
    if m.is_empty() {
        return Ok(bytes.to_vec());
    }
    let root_rels = pkg.text("_rels/.rels").unwrap_or_default();
    let wb_path = relationships(&root_rels)
        .into_iter()
        .find(|r| r.1.ends_with("/officeDocument"))
        .map(|r| resolve("", &r.2))
        .unwrap_or_else(|| "xl/workbook.xml".into());
    let wb = pkg.text(&wb_path).ok_or("找不到 workbook.xml")?;
    let wb_rels_path = rels_path(&wb_path);
    let wb_rels = pkg.text(&wb_rels_path).unwrap_or_default();
    let rels = relationships(&wb_rels);
    let wb_dir = dir_of(&wb_path).to_string();
    // sheet name → part path
    let mut sheets: BTreeMap<String, String> = BTreeMap::new();
    for t in start_tags(&wb, "sheet", 0, wb.len()) {
        let text = &wb[t.start..t.end];
        let Some(name) = attr(text, "name") else { continue };
        let rid = text.split_whitespace().find_map(|a| {
            let (k, v) = a.split_once('=')?;
            (k.ends_with(":id")).then(|| unescape(v.trim_matches(['"', '\'', '/', '>'])))
        });
        if let Some(target) = rid.and_then(|id| rels.iter().find(|r| r.0 == id)) {
            sheets.insert(name, resolve(&wb_dir, &target.2));
        }
    }
    let mut ct = pkg.text("[Content_Types].xml").ok_or("找不到 [Content_Types].xml")?;

    // Styles: one filled copy per (style, severity) used by a marked cell.
    let styles_path = match rels.iter().find(|r| r.1 == REL_STYLES) {
        Some(r) => resolve(&wb_dir, &r.2),
        None => {
            let path = format!("{wb_dir}/styles.xml");
            let (x, _) = add_rel(Some(wb_rels.clone()), REL_STYLES, "styles.xml");
            pkg.put(&wb_rels_path, x.into_bytes());
            ct = add_override(&ct, &path, CT_STYLES);
            pkg.put(&path, MINIMAL_STYLES.as_bytes().to_vec());
            path
        }
    };
    let styles = pkg.text(&styles_path).unwrap_or_else(|| MINIMAL_STYLES.into());
    let mut used: BTreeSet<(usize, Severity)> = BTreeSet::new();
    let mut sheet_xml: BTreeMap<String, String> = BTreeMap::new();
    for (name, cells) in m {
        let Some(path) = sheets.get(name) else { continue };
        let Some(xml) = pkg.text(path) else { continue };
        let (_, _, rows) = scan_sheet(&xml).ok_or("工作表中没有 sheetData")?;
        for ((r, c), mk) in cells {
            let s = rows
                .iter()
                .find(|x| x.row == *r)
                .and_then(|row| row.cells.iter().find(|x| x.col == *c))
                .and_then(|cell| attr(&xml[cell.tag.start..cell.tag.end], "s"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            used.insert((s, mk.severity));
        }
        sheet_xml.insert(name.clone(), xml);
    }
    let (styles, map) = patch_styles(&styles, &used)?;
    pkg.put(&styles_path, styles.into_bytes());
    let style_of = |s: usize, sev: Severity| map.get(&(s, sev)).or_else(|| map.get(&(0, sev))).copied().unwrap_or(0);

    for (i, (name, xml)) in sheet_xml.into_iter().enumerate() {
        let (Some(path), Some(cells)) = (sheets.get(&name), m.get(&name)) else { continue };
        let patched =
            patch_cells(&xml, cells, &|s, sev| map.get(&(s, sev)).copied().unwrap_or_else(|| style_of(0, sev)))?;
        // Comments only for cells with findings; cells only read get none.
        let noted: BTreeMap<(u32, u32), Mark> =
            cells.iter().filter(|(_, m)| !m.messages.is_empty()).map(|(k, m)| (*k, m.clone())).collect();
        let patched = if noted.is_empty() {
            patched
        } else {
            comments_for_sheet(&mut pkg, &mut ct, path, patched, &noted, i as u32 + 1)?
        };
        pkg.put(path, patched.into_bytes());
    }
    pkg.put("[Content_Types].xml", ct.into_bytes());
    pkg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_and_set() {
        let t = "<c r=\"D5\" s=\"3\" t=\"n\">";
        assert_eq!(attr(t, "r").as_deref(), Some("D5"));
        assert_eq!(attr(t, "s").as_deref(), Some("3"));
        assert_eq!(set_attr(t, "s", "12"), "<c r=\"D5\" s=\"12\" t=\"n\">");
        assert_eq!(set_attr("<c r=\"D5\"/>", "s", "2"), "<c r=\"D5\" s=\"2\"/>");
        assert_eq!(resolve("xl/worksheets", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(rels_path("xl/worksheets/sheet1.xml"), "xl/worksheets/_rels/sheet1.xml.rels");
    }

    #[test]
    fn missing_cells_and_rows_are_inserted_in_order() {
        let xml = "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"/><c r=\"C2\" s=\"1\"/></row><row r=\"5\"/></sheetData></worksheet>";
        let mut cells = BTreeMap::new();
        let mk = |s| Mark { severity: s, messages: vec!["x".into()] };
        cells.insert((1, 1), mk(Severity::Error));
        cells.insert((1, 2), mk(Severity::Warning));
        cells.insert((2, 0), mk(Severity::Error));
        cells.insert((4, 3), mk(Severity::Error));
        let out =
            patch_cells(xml, &cells, &|s, sev| if sev == Severity::Error { 10 + s } else { 20 + s }).expect("patch");
        assert_eq!(
            out,
            "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"/><c r=\"B2\" s=\"10\"/><c r=\"C2\" s=\"21\"/></row><row r=\"3\"><c r=\"A3\" s=\"10\"/></row><row r=\"5\"><c r=\"D5\" s=\"10\"/></row></sheetData></worksheet>"
        );
    }
}
