//! The streaming XML writer: elements are written as they are met, in document order,
//! straight into one string (no tree, no per-element allocation). Text goes through
//! [`super::escape`]: as XML escapes it, or, for SpreadsheetML parts, as Excel does.

use super::escape::{escape_attr_into, escape_sheet_text_into, escape_text_into};
use crate::cell::push_column_letters;
use crate::number::{push_float, push_int};

/// An attribute value (or element text): text (escaped) or a number, or a cell reference
/// written straight into the output (sheets write one per cell).
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    Int(i64),
    /// As `number::push_float` writes it: `12`, `10.5`.
    Float(f64),
    /// `B7`: 0-based row and column.
    Cell(u32, u32),
    /// `A1:K20`: first row and column, last row and column, 0-based.
    Range(u32, u32, u32, u32),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl From<i64> for Value<'_> {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<usize> for Value<'_> {
    fn from(n: usize) -> Self {
        Value::Int(n as i64)
    }
}

impl From<u32> for Value<'_> {
    fn from(n: u32) -> Self {
        Value::Int(i64::from(n))
    }
}

impl From<i32> for Value<'_> {
    fn from(n: i32) -> Self {
        Value::Int(i64::from(n))
    }
}

impl From<u16> for Value<'_> {
    fn from(n: u16) -> Self {
        Value::Int(i64::from(n))
    }
}

impl From<f64> for Value<'_> {
    fn from(n: f64) -> Self {
        Value::Float(n)
    }
}

/// Writes XML into a string.
#[derive(Debug, Default)]
pub struct Xml {
    out: String,
    /// Empty elements end in ` />` (as Word and docx-rs write them) rather than `/>`.
    spaced: bool,
    /// Text and attribute values escaped as Excel does ([`escape_sheet_text_into`]).
    sheet: bool,
}

impl Xml {
    /// A writer whose empty elements end in `/>`.
    pub fn new(capacity: usize) -> Self {
        Xml { out: String::with_capacity(capacity), spaced: false, sheet: false }
    }

    /// A writer whose empty elements end in ` />`, as WordprocessingML parts are written.
    pub fn spaced(capacity: usize) -> Self {
        Xml { out: String::with_capacity(capacity), spaced: true, sheet: false }
    }

    /// A writer for SpreadsheetML parts: text and attribute values escaped as Excel escapes
    /// them (control characters as `_xHHHH_`, apostrophes and line breaks kept).
    pub fn sheet(capacity: usize) -> Self {
        Xml { out: String::with_capacity(capacity), spaced: false, sheet: true }
    }

    /// Begins a start tag, `<name`, for attributes added one by one with [`Xml::attr`]
    /// (when which ones depends on the data); [`Xml::end_start`] or [`Xml::end_empty`]
    /// ends it.
    #[inline]
    pub fn start(&mut self, name: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self
    }

    /// An attribute of the start tag begun: ` key="value"`.
    #[inline]
    pub fn attr<'v>(&mut self, key: &str, value: impl Into<Value<'v>>) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(key);
        self.out.push_str("=\"");
        self.push_value(value.into(), false);
        self.out.push('"');
        self
    }

    /// Ends the start tag begun: content follows.
    #[inline]
    pub fn end_start(&mut self) -> &mut Self {
        self.out.push('>');
        self
    }

    /// Ends the tag begun as an element without content.
    #[inline]
    pub fn end_empty(&mut self) -> &mut Self {
        self.out.push_str(if self.spaced { " />" } else { "/>" });
        self
    }

    /// Opens an element: `<name a="v">`.
    #[inline]
    pub fn open(&mut self, name: &str, attrs: &[(&str, Value<'_>)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push('>');
        self
    }

    /// An element without content: `<name a="v"/>`.
    #[inline]
    pub fn empty(&mut self, name: &str, attrs: &[(&str, Value<'_>)]) -> &mut Self {
        self.tag(name, attrs);
        self.end_empty()
    }

    /// Closes an element.
    #[inline]
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// An element holding only text: `<name a="v">text</name>`.
    pub fn text_element(&mut self, name: &str, attrs: &[(&str, Value<'_>)], text: &str) -> &mut Self {
        self.open(name, attrs).text(text).close(name)
    }

    /// An element holding one value and no attributes: `<v>12</v>`.
    #[inline]
    pub fn value_element<'v>(&mut self, name: &str, value: impl Into<Value<'v>>) -> &mut Self {
        self.open(name, &[]);
        self.push_value(value.into(), true);
        self.close(name)
    }

    /// A value as element text or inside an attribute begun with [`Xml::raw`]: a number,
    /// a reference, or text escaped as element text.
    #[inline]
    pub fn value<'v>(&mut self, value: impl Into<Value<'v>>) -> &mut Self {
        self.push_value(value.into(), true);
        self
    }

    /// A 0-based column's letters (`A`, `AB`): with the row's digits written once for a
    /// row's cells, a cell's reference.
    #[inline]
    pub fn column(&mut self, col: u32) -> &mut Self {
        match u8::try_from(col) {
            Ok(c @ 0..=25) => self.out.push(char::from(b'A' + c)),
            // Writing to a String cannot fail.
            _ => {
                let _ = push_column_letters(&mut self.out, col);
            }
        }
        self
    }

    /// Element text, escaped.
    #[inline]
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.push_value(Value::Text(text), true);
        self
    }

    /// Element text escaped as an attribute value is (apostrophes and line feeds kept).
    pub fn plain_text(&mut self, text: &str) -> &mut Self {
        escape_attr_into(&mut self.out, text);
        self
    }

    /// Markup already well-formed: the declaration, or a part made once and reused.
    pub fn raw(&mut self, xml: &str) -> &mut Self {
        self.out.push_str(xml);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.out
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    pub fn into_string(self) -> String {
        self.out
    }

    /// Empties the writer, keeping its buffer and kind, to write the next part.
    pub fn clear(&mut self) {
        self.out.clear();
    }

    #[inline]
    fn tag(&mut self, name: &str, attrs: &[(&str, Value<'_>)]) {
        self.start(name);
        for (key, value) in attrs {
            self.attr(key, *value);
        }
    }

    #[inline]
    fn push_value(&mut self, value: Value<'_>, text: bool) {
        let out = &mut self.out;
        match value {
            Value::Text(s) if self.sheet => escape_sheet_text_into(out, s),
            Value::Text(s) if text => escape_text_into(out, s),
            Value::Text(s) => escape_attr_into(out, s),
            Value::Int(n) => push_int(out, n),
            Value::Float(n) => push_float(out, n),
            Value::Cell(row, col) => push_cell(out, row, col),
            Value::Range(r0, c0, r1, c1) => {
                push_cell(out, r0, c0);
                out.push(':');
                push_cell(out, r1, c1);
            }
        }
    }
}

#[inline]
fn push_cell(out: &mut String, row: u32, col: u32) {
    // Writing to a String cannot fail.
    let _ = push_column_letters(out, col);
    push_int(out, i64::from(row) + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_elements_attributes_and_text_in_order() {
        let mut x = Xml::new(0);
        x.open("a", &[("k", "1 & 2".into()), ("n", (-40i64).into())])
            .empty("b", &[])
            .text_element("c", &[], "x<y")
            .close("a");
        assert_eq!(x.as_str(), r#"<a k="1 &amp; 2" n="-40"><b/><c>x&lt;y</c></a>"#);
        let mut w = Xml::spaced(0);
        w.empty("w:jc", &[("w:val", "both".into())]).empty("w:tab", &[]);
        assert_eq!(w.into_string(), r#"<w:jc w:val="both" /><w:tab />"#);
    }

    #[test]
    fn sheet_parts_escape_as_excel_and_write_references_and_floats() {
        let mut x = Xml::sheet(0);
        x.start("c").attr("r", Value::Cell(6, 27)).attr("n", "a'\u{1}\"").end_start();
        x.value_element("v", 10.5).value_element("v", 12.0).value_element("v", -0.0);
        x.empty("m", &[("ref", Value::Range(0, 0, 19, 10))]).text("x'\n_x0041_").close("c");
        assert_eq!(
            x.as_str(),
            "<c r=\"AB7\" n=\"a'_x0001_&quot;\"><v>10.5</v><v>12</v><v>0</v><m ref=\"A1:K20\"/>x'\n_x005F_x0041_</c>"
        );
        x.clear();
        x.start("b").end_empty().text("'\n");
        assert_eq!(x.as_str(), "<b/>'\n");
        x.clear();
        x.raw("<c r=\"").column(0).column(25).column(26).column(16_383).raw("7\"><v>").value(10.5).value(3u32);
        assert_eq!(x.as_str(), "<c r=\"AZAAXFD7\"><v>10.53");
        let mut w = Xml::new(0);
        w.start("a").attr("k", "'\n").end_start().text("'\n");
        assert_eq!(w.as_str(), "<a k=\"'\n\">&apos;&#xA;");
    }
}
