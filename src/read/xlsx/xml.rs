//! The XML layer of the streaming reader: the reader configured as calamine configures its
//! own, raw attributes, entities, Excel's `_xHHHH_` escapes and rich text, each decoded
//! exactly as calamine decodes it (the proof of equality in tests/reader_equal.rs).

use std::borrow::Cow;
use xml42::events::{BytesRef, Event};
use xml42::name::QName;
use xml42::Reader;

/// Why a part could not be read; the caller names the part.
#[derive(Debug)]
pub(super) struct Fault(pub String);

pub(super) type Res<T> = Result<T, Fault>;

impl From<xml42::Error> for Fault {
    fn from(e: xml42::Error) -> Self {
        Fault(format!("XML 格式错误：{e}"))
    }
}

impl From<xml42::events::attributes::AttrError> for Fault {
    fn from(e: xml42::events::attributes::AttrError) -> Self {
        Fault(format!("XML 属性格式错误：{e}"))
    }
}

impl From<xml42::escape::EscapeError> for Fault {
    fn from(e: xml42::escape::EscapeError) -> Self {
        Fault(format!("XML 转义错误：{e}"))
    }
}

pub(super) fn fault<T>(what: impl Into<String>) -> Res<T> {
    Err(Fault(what.into()))
}

/// The end of the part before the element that should close it.
pub(super) fn eof<T>(element: &str) -> Res<T> {
    fault(format!("在 <{element}> 结束之前文件已结束"))
}

/// A reader over one part, configured as calamine's: empty elements expanded into a start
/// and an end, end names and comments unchecked, text untrimmed.
pub(super) fn reader(part: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(part);
    let c = r.config_mut();
    c.check_end_names = false;
    c.trim_text(false);
    c.check_comments = false;
    c.expand_empty_elements = true;
    r
}

/// The attributes of a start tag as raw `(key, value)` slices, undecoded; a key without
/// `=` or a value without quotes is an error, as in calamine.
pub(super) struct Attrs<'a> {
    raw: &'a str,
    pos: usize,
}

pub(super) fn attrs(raw: &str) -> Attrs<'_> {
    Attrs { raw, pos: 0 }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Res<(&'a str, &'a str)>;

    fn next(&mut self) -> Option<Self::Item> {
        let (raw, b) = (self.raw, self.raw.as_bytes());
        let mut pos = self.pos;
        while pos < b.len() && b[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= b.len() {
            self.pos = pos;
            return None;
        }
        let start = pos;
        while pos < b.len() && b[pos] != b'=' {
            pos += 1;
        }
        self.pos = b.len();
        if pos >= b.len() {
            return Some(fault("XML 属性缺少“=”"));
        }
        let key = raw[start..pos].trim_ascii_end();
        pos += 1;
        while pos < b.len() && b[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match b.get(pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Some(fault("XML 属性值缺少引号")),
        };
        let from = pos + 1;
        let to = b[from..].iter().position(|&c| c == quote).map_or(b.len(), |i| from + i);
        self.pos = (to + 1).min(b.len());
        Some(Ok((key, &raw[from..to])))
    }
}

/// Whether an attribute is set (`1` or `true`). Only evidence (hidden rows and columns): a
/// malformed attribute is no reason to refuse the sheet, so attributes are read leniently.
pub(super) fn flag(raw: &str, name: &str) -> bool {
    // Most rows name no such attribute: no need to read theirs.
    memchr::memmem::find(raw.as_bytes(), name.as_bytes()).is_some()
        && attrs(raw).map_while(Result::ok).any(|(k, v)| k == name && matches!(v, "1" | "true"))
}

/// The value of the attribute named exactly `name`; an error if a malformed attribute comes
/// first.
pub(super) fn attr<'a>(raw: &'a str, name: &str) -> Res<Option<&'a str>> {
    for a in attrs(raw) {
        let (k, v) = a?;
        if k == name {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// The values of the attributes named in `names`, scanning until all are found (a key
/// given twice overwrites, as in calamine).
pub(super) fn attrs_of<'a, const N: usize>(raw: &'a str, names: [&str; N]) -> Res<[Option<&'a str>; N]> {
    let mut out = [None; N];
    let mut found = 0;
    for a in attrs(raw) {
        let (k, v) = a?;
        if let Some(i) = names.iter().position(|n| *n == k) {
            out[i] = Some(v);
            found += 1;
            if found == N {
                break;
            }
        }
    }
    Ok(out)
}

/// Whether an attribute key names `local`, with or without a namespace prefix.
pub(super) fn local_key(key: &str, local: &str) -> bool {
    key == local || key.strip_suffix(local).is_some_and(|p| p.ends_with(':'))
}

/// An attribute value with its entities decoded.
pub(super) fn decoded(v: &str) -> Res<String> {
    Ok(xml42::escape::unescape(v)?.into_owned())
}

/// An entity or character reference appended to `out`.
pub(super) fn entity(r: &BytesRef<'_>, out: &mut String) -> Res<()> {
    let name: &str = r.as_ref();
    if let Some(s) = xml42::escape::resolve_xml_entity(name) {
        out.push_str(s);
        return Ok(());
    }
    match r.resolve_char_ref()? {
        Some(c) => {
            out.push(c);
            Ok(())
        }
        None => fault(format!("无法识别的 XML 实体 &{name};")),
    }
}

/// The text of an element up to its end: text (line ends normalized) and references.
pub(super) fn element_text(xml: &mut Reader<&[u8]>, end: &str, what: &str) -> Res<String> {
    let mut out = String::new();
    loop {
        match xml.read_event()? {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => entity(&r, &mut out)?,
            Event::End(e) if e.name().as_ref() == end => return Ok(out),
            Event::Eof => return eof(what),
            _ => {}
        }
    }
}

/// Skips to the end of the element just started.
pub(super) fn skip(xml: &mut Reader<&[u8]>, end: &str) -> Res<()> {
    xml.read_to_end(QName(end))?;
    Ok(())
}

/// A shared or inline string (`<si>`, `<is>`) up to `closing`: the runs of rich text
/// joined, phonetic runs (`<rPh>`) dropped, blanks around unpreserved text trimmed,
/// Excel's escapes decoded.
pub(super) fn string(xml: &mut Reader<&[u8]>, closing: &str) -> Res<String> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    let mut value = String::new();
    loop {
        let event = xml.read_event()?;
        let (t_end, preserve) = match &event {
            Event::Start(e) if e.local_name().as_ref() == "r" && rich.is_none() => {
                rich = Some(String::new());
                continue;
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => {
                phonetic = true;
                continue;
            }
            Event::End(e) if e.name().as_ref() == closing => return Ok(rich.unwrap_or_default()),
            Event::End(e) if e.local_name().as_ref() == "rPh" => {
                phonetic = false;
                continue;
            }
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                (e.name(), attr(e.attributes_raw(), "xml:space")? == Some("preserve"))
            }
            Event::Eof => return eof("si"),
            _ => continue,
        };
        value.clear();
        loop {
            match xml.read_event()? {
                Event::Text(t) => value.push_str(&t.xml10_content()),
                Event::CData(t) => value.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => entity(&r, &mut value)?,
                Event::End(end) if end.name() == t_end => break,
                Event::Eof => return eof("t"),
                _ => {}
            }
        }
        let text = if preserve { &value[..] } else { value.trim_matches([' ', '\t', '\r', '\n']) };
        let text = unescape_excel(text);
        match rich.as_mut() {
            Some(s) => s.push_str(&text),
            None => rich = Some(text.into_owned()),
        }
    }
}

const ESCAPE_LEN: usize = 7; // _xHHHH_

/// Excel's `_xHHHH_` escapes (a UTF-16 unit each; surrogates in pairs) decoded; an unpaired
/// surrogate becomes U+FFFD.
pub(super) fn unescape_excel(s: &str) -> Cow<'_, str> {
    let Some((mut at, mut unit)) = find_escape(s, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    loop {
        out.push_str(&s[copied..at]);
        at += ESCAPE_LEN;
        match unit {
            0xD800..=0xDBFF => match escape_at(s, at) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let c = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    at += ESCAPE_LEN;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            u => out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = at;
        match find_escape(s, at) {
            Some(next) => (at, unit) = next,
            None => break,
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

fn find_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(i) = s[from..].find('_') {
        let at = from + i;
        if let Some(unit) = escape_at(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn escape_at(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + ESCAPE_LEN)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes_decode_as_calamine_decodes_them() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD83D__xDCF7_"), "\u{1F4F7}");
        assert_eq!(unescape_excel("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(unescape_excel("_xDC00_"), "\u{FFFD}");
        assert_eq!(unescape_excel("_x00G0_"), "_x00G0_");
    }

    #[test]
    fn raw_attributes_read_as_calamine_reads_them() {
        let raw = r#" r="B7"  s = '3' t="s""#;
        assert_eq!(attrs_of(raw, ["r", "s", "t"]).ok(), Some([Some("B7"), Some("3"), Some("s")]));
        assert!(attr(" a", "b").is_err());
        assert!(attr(" a=b", "b").is_err());
        assert!(local_key("r:id", "id") && local_key("id", "id") && !local_key("sheetId", "id"));
    }
}
