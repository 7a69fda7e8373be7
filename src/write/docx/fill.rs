//! Element templates: docx-rs builds each kind of paragraph and each edition's tables once,
//! with marker text where a report's text or numbers go; `ooxml::normalize` puts the XML in
//! schema order; a report is then written by copying the pieces and filling the markers.
//! Building a docx-rs tree per report cost ~5 ms, almost all of a conversion's time.

use crate::model::Report;
use std::borrow::Cow;

/// Marks a slot in the text of a run: `MARK`, the slot's index, `MARK_END`.
const MARK: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

/// What fills a slot.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    /// The n-th text given to [`Template::fill`].
    Text(usize),
    /// A number of a table: its display text.
    Active(usize, usize, crate::form::Kind),
    Requests(usize, usize, crate::form::Kind),
    Review(usize, usize, crate::form::Kind),
}

/// Collects slots while elements are built; each gets the marker text of its run.
#[derive(Default)]
pub struct Slots(Vec<Slot>);

impl Slots {
    pub fn mark(&mut self, slot: Slot) -> String {
        self.0.push(slot);
        format!("{MARK}{}{MARK_END}", self.0.len() - 1)
    }
}

enum Piece {
    Xml(String),
    /// A run whose text is filled in: `w:rPr` kept, `w:t`/`w:tab` written per report.
    Run {
        props: String,
        slot: Slot,
    },
}

/// Normalized XML of an element, cut at the runs that carry a slot.
pub struct Template(Vec<Piece>);

impl Template {
    /// Cuts `xml` at every marked run. The markers are the only text of their run, as
    /// [`Slots::mark`] makes them.
    pub fn parse(xml: &str, slots: Slots) -> Result<Template, String> {
        let bad = || "docx 模板内部错误：标记不在文字块中".to_string();
        let mut pieces = Vec::new();
        let mut rest = xml;
        while let Some(at) = rest.find(MARK) {
            let run = rest[..at].rfind("<w:r>").ok_or_else(bad)?;
            let text = rest[..at].rfind("<w:t ").filter(|&t| t > run).ok_or_else(bad)?;
            let close = at + rest[at..].find(MARK_END).ok_or_else(bad)?;
            let index: usize = rest[at + MARK.len_utf8()..close].parse().map_err(|_| bad())?;
            let slot = *slots.0.get(index).ok_or_else(bad)?;
            let end = close + rest[close..].find("</w:r>").ok_or_else(bad)? + "</w:r>".len();
            pieces.push(Piece::Xml(rest[..run].to_string()));
            pieces.push(Piece::Run { props: rest[run + "<w:r>".len()..text].to_string(), slot });
            rest = &rest[end..];
        }
        pieces.push(Piece::Xml(rest.to_string()));
        Ok(Template(pieces))
    }

    /// Appends the element with its slots filled: `texts` for [`Slot::Text`], `report`'s
    /// values for the table slots. An empty text leaves its run out.
    pub fn fill(&self, out: &mut String, texts: &[&str], report: Option<&Report>) {
        for piece in &self.0 {
            match piece {
                Piece::Xml(s) => out.push_str(s),
                Piece::Run { props, slot } => {
                    let text = slot_text(*slot, texts, report);
                    if !text.is_empty() {
                        out.push_str("<w:r>");
                        out.push_str(props);
                        run_content(out, &text);
                        out.push_str("</w:r>");
                    }
                }
            }
        }
    }
}

fn slot_text<'a>(slot: Slot, texts: &[&'a str], report: Option<&Report>) -> Cow<'a, str> {
    let number = |row: Option<&Vec<crate::model::Value>>, col: usize, kind| -> Cow<'a, str> {
        match row.and_then(|r| r.get(col)) {
            Some(v) => Cow::Owned(v.display(kind)),
            None => Cow::Borrowed("0"),
        }
    };
    match slot {
        Slot::Text(i) => Cow::Borrowed(texts.get(i).copied().unwrap_or("")),
        Slot::Active(r, c, kind) => number(report.and_then(|x| x.active.get(r)), c, kind),
        Slot::Requests(r, c, kind) => number(report.and_then(|x| x.requests.get(r)), c, kind),
        Slot::Review(r, c, kind) => number(report.and_then(|x| x.review.get(r)), c, kind),
    }
}

/// The text of a run: tabs become `w:tab`, the rest `w:t`, as docx-rs writes them.
fn run_content(out: &mut String, text: &str) {
    for (i, part) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str("<w:tab />");
        }
        if !part.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            escape_into(out, part);
            out.push_str("</w:t>");
        }
    }
}

/// Escapes text as docx-rs does, dropping what XML does not allow (see `xml_safe`).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#xA;"),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_marked_runs_and_escapes() {
        let mut slots = Slots::default();
        let m = slots.mark(Slot::Text(0));
        let xml = format!("<w:p><w:pPr /><w:r><w:rPr><w:b /></w:rPr><w:t xml:space=\"preserve\">{m}</w:t></w:r></w:p>");
        let t = Template::parse(&xml, slots).expect("template");
        let mut out = String::new();
        t.fill(&mut out, &["a<b>\t'&\u{7}"], None);
        assert_eq!(
            out,
            "<w:p><w:pPr /><w:r><w:rPr><w:b /></w:rPr><w:t xml:space=\"preserve\">a&lt;b&gt;</w:t><w:tab />\
             <w:t xml:space=\"preserve\">&apos;&amp;</w:t></w:r></w:p>"
        );
        let mut empty = String::new();
        t.fill(&mut empty, &[""], None);
        assert_eq!(empty, "<w:p><w:pPr /></w:p>");
    }

    #[test]
    fn refuses_a_marker_outside_a_run() {
        let mut slots = Slots::default();
        let m = slots.mark(Slot::Text(0));
        assert!(Template::parse(&format!("<w:p>{m}</w:p>"), slots).is_err());
    }
}
