//! The streaming XML writer: elements are written as they are met, in document order,
//! straight into one string (no tree, no per-element allocation). Text goes through
//! [`super::escape`].

use super::escape::{escape_attr_into, escape_text_into};
use crate::number::push_int;

/// An attribute value: text (escaped) or a number.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    Int(i64),
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

/// Writes XML into a string.
#[derive(Debug, Default)]
pub struct Xml {
    out: String,
    /// Empty elements end in ` />` (as Word and docx-rs write them) rather than `/>`.
    spaced: bool,
}

impl Xml {
    /// A writer whose empty elements end in `/>`.
    pub fn new(capacity: usize) -> Self {
        Xml { out: String::with_capacity(capacity), spaced: false }
    }

    /// A writer whose empty elements end in ` />`, as WordprocessingML parts are written.
    pub fn spaced(capacity: usize) -> Self {
        Xml { out: String::with_capacity(capacity), spaced: true }
    }

    /// Opens an element: `<name a="v">`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, Value<'_>)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push('>');
        self
    }

    /// An element without content: `<name a="v"/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, Value<'_>)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push_str(if self.spaced { " />" } else { "/>" });
        self
    }

    /// Closes an element.
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

    /// Element text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_text_into(&mut self.out, text);
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

    fn tag(&mut self, name: &str, attrs: &[(&str, Value<'_>)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            match value {
                Value::Text(s) => escape_attr_into(&mut self.out, s),
                Value::Int(n) => push_int(&mut self.out, *n),
            }
            self.out.push('"');
        }
    }
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
}
