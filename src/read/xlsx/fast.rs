//! The cells of a sheet as Excel and most tools save them, read without the XML parser:
//! `<row>`s of `<c>`s, each with at most one `<v>` of plain text. Anything else (a formula,
//! an inline or rich string, an entity, a comment, a prefixed name, text between the
//! elements, a damaged tag) gives up and the sheet is read by [`super::cells::read`] from
//! the same place, so what is read never differs: this path only takes what that one reads
//! the same way (tests/reader_equal.rs compares both with calamine). Quick-xml spent about
//! 500 instructions an event on it, a sixth of converting a workbook.

use super::refs::{cell, row_and_col};
use super::values::{value_of_v, Book, Grid};
use super::xml::{attr, attrs_of, unescape_excel};
use crate::read::guard::{MAX_COLS, MAX_ROWS};
use crate::read::value::Raw;

/// The cells from just after `<sheetData>` to `</sheetData>`, and the hidden rows (as
/// `Hidden::push` takes them); `None` where the sheet is not of the simple kind.
pub(super) fn cells(xml: &[u8], book: &Book<'_>) -> Option<(Grid, Vec<(u32, u32)>)> {
    let xml = simdutf8::basic::from_utf8(xml).ok()?;
    let mut s = Scan { xml, pos: 0 };
    let mut cells = Grid::new();
    let mut hidden = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    loop {
        match s.tag()? {
            Tag::Start { name: "row", attrs: raw, empty } => {
                if let Some(r) = attr(raw, "r").ok()? {
                    row = row_and_col(r).ok()?.0;
                }
                if row < MAX_ROWS && super::xml::flag(raw, "hidden") {
                    crate::read::hidden::Hidden::push(&mut hidden, row, row);
                }
                if empty {
                    row = row.saturating_add(1);
                    col = 0;
                }
            }
            Tag::End("row") => {
                row = row.saturating_add(1);
                col = 0;
            }
            Tag::End("sheetData") => return Some((cells, hidden)),
            Tag::Start { name: "c", attrs: raw, empty } => {
                let [r, style, typ] = match cell_attrs(raw) {
                    Some(found) => found,
                    None => attrs_of(raw, ["r", "s", "t"]).ok()?,
                };
                let at = match r {
                    Some(r) => {
                        let at = cell(r).ok()?;
                        col = at.1;
                        at
                    }
                    None => (row, col),
                };
                let value = if empty { Raw::Empty } else { s.cell_value(style, typ, book)? };
                col = col.saturating_add(1);
                if at.0 >= MAX_ROWS {
                    // Rows come in order: nothing further down is read.
                    return Some((cells, hidden));
                }
                if at.1 < MAX_COLS && value != Raw::Empty {
                    cells.insert(at, value);
                }
            }
            _ => return None,
        }
    }
}

/// The shared strings from just after `<sst>` to `</sst>` where each is one `<t>` of plain
/// text (`<si><t>…</t></si>`), decoded as [`super::xml::string`] decodes it; `None` where
/// any is written otherwise (rich text, phonetic runs, entities…).
pub(super) fn strings(xml: &[u8], capacity: usize) -> Option<Vec<String>> {
    let xml = simdutf8::basic::from_utf8(xml).ok()?;
    let mut s = Scan { xml, pos: 0 };
    let mut out = Vec::with_capacity(capacity);
    loop {
        match s.tag()? {
            Tag::End("sst") => return Some(out),
            Tag::Start { name: "si", attrs: "", empty: false } => {
                let preserve = match s.tag()? {
                    Tag::Start { name: "t", attrs: "", empty: false } => false,
                    Tag::Start { name: "t", attrs: r#" xml:space="preserve""#, empty: false } => true,
                    _ => return None,
                };
                let text = s.text()?;
                if !matches!(s.markup()?, Tag::End("t")) || !matches!(s.tag()?, Tag::End("si")) {
                    return None;
                }
                let text = if preserve { text } else { text.trim_matches([' ', '\t', '\r', '\n']) };
                out.push(unescape_excel(text).into_owned());
            }
            _ => return None,
        }
    }
}

/// The part after the start tag `<name …>` the parser has just read (it ends at `read`),
/// where this path can read on from there: the tag not empty, the part in UTF-8.
pub(super) fn after<'p>(part: &'p [u8], read: u64, name: &str) -> Option<&'p [u8]> {
    let pos = usize::try_from(read).ok()?;
    let opened = part.get(..pos).filter(|p| p.ends_with(b">") && !p.ends_with(b"/>"))?;
    let tag = &opened[memchr::memrchr(b'<', opened)? + 1..];
    let rest = tag.strip_prefix(name.as_bytes())?;
    let named = rest.first().is_some_and(|c| c.is_ascii_whitespace() || *c == b'>');
    (named && !other_encoding(part)).then(|| &part[pos..])
}

/// `r`, `s` and `t` of a `<c>` whose attributes are written as Excel writes them (` key="value"`,
/// keys of letters and digits), found as [`attrs_of`] finds them (it stops once it has
/// counted three, a key given twice counting twice); `None` for any other writing.
fn cell_attrs(raw: &str) -> Option<[Option<&str>; 3]> {
    let b = raw.as_bytes();
    let mut out = [None; 3];
    let (mut i, mut found) = (0, 0);
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if i == b.len() {
            return Some(out);
        }
        let eq = i + memchr::memchr(b'=', &b[i..])?;
        let key = &raw[i..eq];
        if key.is_empty() || !key.bytes().all(|c| c.is_ascii_alphanumeric()) || b.get(eq + 1) != Some(&b'"') {
            return None;
        }
        let close = eq + 2 + memchr::memchr(b'"', &b[eq + 2..])?;
        let slot = match key {
            "r" => Some(0),
            "s" => Some(1),
            "t" => Some(2),
            _ => None,
        };
        if let Some(k) = slot {
            out[k] = Some(&raw[eq + 2..close]);
            found += 1;
            if found == 3 {
                return Some(out);
            }
        }
        i = close + 1;
    }
}

enum Tag<'a> {
    Start { name: &'a str, attrs: &'a str, empty: bool },
    End(&'a str),
}

struct Scan<'a> {
    xml: &'a str,
    pos: usize,
}

impl<'a> Scan<'a> {
    /// The next tag, past white space; `None` at anything else.
    fn tag(&mut self) -> Option<Tag<'a>> {
        let b = self.xml.as_bytes();
        while b.get(self.pos)?.is_ascii_whitespace() {
            self.pos += 1;
        }
        if b[self.pos] != b'<' {
            return None;
        }
        self.markup()
    }

    /// The tag at `pos` (a `<`).
    fn markup(&mut self) -> Option<Tag<'a>> {
        let (xml, b) = (self.xml, self.xml.as_bytes());
        let start = self.pos + 1;
        match b.get(start)? {
            b'/' => {
                let close = start + memchr::memchr(b'>', &b[start..])?;
                self.pos = close + 1;
                let name = xml[start + 1..close].trim_end_matches(|c: char| c.is_ascii_whitespace());
                plain(name).then_some(Tag::End(name))
            }
            c if c.is_ascii_alphabetic() => {
                let name_end =
                    start + b[start..].iter().position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))?;
                // The tag ends at the first `>` outside quotes.
                let mut i = name_end;
                let mut quote = None;
                loop {
                    let c = *b.get(i)?;
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None if c == b'"' || c == b'\'' => quote = Some(c),
                        None if c == b'>' => break,
                        None if c == b'<' => return None,
                        None => {}
                    }
                    i += 1;
                }
                self.pos = i + 1;
                let name = &xml[start..name_end];
                let empty = b[i - 1] == b'/' && i > name_end;
                let attrs = &xml[name_end..if empty { i - 1 } else { i }];
                plain(name).then_some(Tag::Start { name, attrs, empty })
            }
            _ => None,
        }
    }

    /// Plain text up to the next tag: `None` where it holds an entity or a carriage
    /// return, which the parser's path decodes.
    fn text(&mut self) -> Option<&'a str> {
        let b = self.xml.as_bytes();
        let end = self.pos + memchr::memchr(b'<', &b[self.pos..])?;
        let text = &self.xml[self.pos..end];
        if memchr::memchr2(b'&', b'\r', text.as_bytes()).is_some() {
            return None;
        }
        self.pos = end;
        Some(text)
    }

    /// What follows a `<c>`: nothing, or one `<v>` of plain text, then `</c>`.
    fn cell_value(&mut self, style: Option<&str>, typ: Option<&str>, book: &Book<'_>) -> Option<Raw> {
        let value = match self.tag()? {
            Tag::End("c") => return Some(Raw::Empty),
            Tag::Start { name: "v", empty: true, .. } => value_of_v("", style, typ, book).ok()?,
            Tag::Start { name: "v", empty: false, .. } => {
                let text = self.text()?;
                if !matches!(self.markup()?, Tag::End("v")) {
                    return None;
                }
                value_of_v(text, style, typ, book).ok()?
            }
            _ => return None,
        };
        matches!(self.tag()?, Tag::End("c")).then_some(value)
    }
}

/// A name without a namespace prefix, as this path reads names.
fn plain(name: &str) -> bool {
    !name.is_empty() && !name.contains(':')
}

/// Whether the part names an encoding other than UTF-8 (or starts with a UTF-16 mark): the
/// parser decodes those, this path does not.
pub(super) fn other_encoding(part: &[u8]) -> bool {
    if part.starts_with(&[0xFE, 0xFF]) || part.starts_with(&[0xFF, 0xFE]) {
        return true;
    }
    let part = part.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(part);
    let Some(rest) = part.strip_prefix(b"<?xml") else { return false };
    let Some(end) = memchr::memmem::find(rest, b"?>") else { return true };
    let decl = &rest[..end];
    let Some(i) = memchr::memmem::find(decl, b"encoding") else { return false };
    let value = decl[i + 8..].trim_ascii_start().strip_prefix(b"=").unwrap_or_default().trim_ascii_start();
    let value = value.get(1..).unwrap_or_default();
    let value = &value[..value.iter().position(|c| matches!(c, b'"' | b'\'')).unwrap_or(value.len())];
    !(value.eq_ignore_ascii_case(b"utf-8") || value.eq_ignore_ascii_case(b"utf8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> (Vec<String>, Vec<bool>) {
        (vec!["甲".to_string(), "乙".to_string()], vec![false, true])
    }

    #[test]
    fn reads_the_simple_kind() {
        let (strings, dates) = book();
        let b = Book { strings: &strings, dates: &dates };
        let xml = r#"<row r="2" hidden="1"><c r="A2" t="s"><v>1</v></c><c s="0"><v>7.5</v></c><c r="D2" s="1"/></row>
            <row r="4"><c r="B4" t="str"><v>x y</v></c><c r="C4"><v></v></c></row></sheetData><pageMargins/>"#;
        let (grid, hidden) = cells(xml.as_bytes(), &b).expect("simple");
        assert_eq!(grid.get(&(1, 0)), Some(&Raw::Str("乙".into())));
        assert_eq!(grid.get(&(1, 1)), Some(&Raw::Float(7.5)));
        assert_eq!(grid.get(&(3, 1)), Some(&Raw::Str("x y".into())));
        assert_eq!(grid.len(), 3);
        assert_eq!(hidden, [(1, 1)]);
    }

    #[test]
    fn gives_up_on_anything_else() {
        let (strings, dates) = book();
        let b = Book { strings: &strings, dates: &dates };
        for xml in [
            r#"<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row></sheetData>"#,
            r#"<row r="1"><c r="A1" t="str"><v>a&amp;b</v></c></row></sheetData>"#,
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row></sheetData>"#,
            r#"<!-- note --><row r="1"></row></sheetData>"#,
            r#"<x:row r="1"></x:row></sheetData>"#,
            r#"<row r="1">text<c r="A1"/></row></sheetData>"#,
            r#"<row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData>"#,
            r#"<row r="1"><c r="1A"/></row></sheetData>"#,
            r#"<row r="1"><c r="A1"><v>1</v><v>2</v></c></row></sheetData>"#,
            r#"<row r="1"><c r="A1"><v>1"#,
        ] {
            assert!(cells(xml.as_bytes(), &b).is_none(), "{xml}");
        }
    }

    #[test]
    fn finds_a_cells_attributes_as_the_parser_does() {
        for raw in
            [r#" r="B7" s="3" t="s""#, r#" r="B7""#, r#" s="1" r="C2" cm="1""#, r#" r="A1" r="B1" s="2" t="s""#, ""]
        {
            assert_eq!(cell_attrs(raw), attrs_of(raw, ["r", "s", "t"]).ok(), "{raw}");
        }
        for raw in [r#" r='B7'"#, r#" r = "B7""#, " r=\"B7\"\ts=\"1\"", r#" r="B7"#] {
            assert_eq!(cell_attrs(raw), None, "{raw}");
        }
    }

    #[test]
    fn reads_plain_shared_strings_and_gives_up_on_rich_ones() {
        let xml = "<si><t>甲 </t></si>\n<si><t xml:space=\"preserve\"> 乙 </t></si><si><t>a_x000D_b</t></si></sst>";
        assert_eq!(strings(xml.as_bytes(), 3), Some(vec!["甲".to_string(), " 乙 ".into(), "a\rb".into()]));
        for xml in [
            "<si><r><t>a</t></r></si></sst>",
            "<si><t>a</t><rPh><t>b</t></rPh></si></sst>",
            "<si><t>a&amp;b</t></si></sst>",
            "<si><t/></si></sst>",
            "<si><t>a</t></si>",
        ] {
            assert_eq!(strings(xml.as_bytes(), 1), None, "{xml}");
        }
        let part = br#"<?xml version="1.0"?><sst count="1"><si><t>x</t></si></sst>"#;
        let at = part.iter().position(|&c| c == b'>').map(|i| i + 1).unwrap_or(0) as u64;
        assert_eq!(after(part, at, "sst"), None, "the declaration is no <sst>");
        let at = (memchr::memmem::find(part, b"<si>").unwrap_or(0)) as u64;
        assert_eq!(after(part, at, "sst"), Some(&b"<si><t>x</t></si></sst>"[..]));
        assert_eq!(after(part, at, "ss"), None);
    }

    #[test]
    fn knows_a_declared_encoding() {
        assert!(!other_encoding(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet/>"#));
        assert!(!other_encoding(b"<worksheet/>"));
        assert!(other_encoding(br#"<?xml version="1.0" encoding="GBK"?><worksheet/>"#));
        assert!(other_encoding(b"\xFF\xFE<\0"));
        assert!(!other_encoding(br#"<?xml version="1.0" encoding = 'utf8'?><worksheet/>"#));
        assert!(other_encoding(br#"<?xml version="1.0" encoding="UTF-16"?><worksheet/>"#));
    }
}
