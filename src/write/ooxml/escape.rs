//! Escaping text for XML. One pass over the bytes; runs of plain text are copied at once.

/// Whether XML 1.0 has no place for the character: control characters other than tab and
/// line feed (carriage return included, which a parser would fold), and U+FFFE/U+FFFF.
fn dropped(c: char) -> bool {
    c != '\t' && c != '\n' && (c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// Text as XML allows it: control characters other than tab and line feed, and
/// U+FFFE/U+FFFF, dropped.
pub fn xml_safe(s: &str) -> String {
    s.chars().filter(|&c| !dropped(c)).collect()
}

/// Appends element text: `& < > " '` as entities, a line feed as `&#xA;` (as Word writes it),
/// what XML cannot hold dropped.
pub fn escape_text_into(out: &mut String, s: &str) {
    escape(out, s, true)
}

/// Appends an attribute value (or text where apostrophes stay): `& < > "` as entities,
/// what XML cannot hold dropped.
pub fn escape_attr_into(out: &mut String, s: &str) {
    escape(out, s, false)
}

fn escape(out: &mut String, s: &str, text: bool) {
    let mut from = 0;
    for (i, c) in s.char_indices() {
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' if text => "&apos;",
            '\n' if text => "&#xA;",
            c if dropped(c) => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + c.len_utf8();
    }
    out.push_str(&s[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_drops_what_xml_cannot_hold() {
        let mut out = String::new();
        escape_text_into(&mut out, "a<b>&\"c'\n\u{7}\u{FFFE}\u{85}\t年");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&apos;&#xA;\t年");
    }

    #[test]
    fn attributes_keep_apostrophes_and_line_feeds() {
        let mut out = String::new();
        escape_attr_into(&mut out, "O'Neil & \"Co\"\n\r");
        assert_eq!(out, "O'Neil &amp; &quot;Co&quot;\n");
        assert_eq!(xml_safe("a\u{0}b\u{FFFF}\tc"), "ab\tc");
    }
}
