//! Escaping text for XML, and for SpreadsheetML text the way Excel escapes it. One pass
//! over the bytes; runs of plain text are copied at once.

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
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Only these bytes can begin a character to escape or drop (C2: U+0080–U+009F,
        // EF: U+FFFE/U+FFFF); the rest, most of any text, is copied in runs.
        if !(b < 0x20 || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0x7F | 0xC2 | 0xEF)) {
            i += 1;
            continue;
        }
        // `i` is at a character boundary: the bytes above are ASCII or lead bytes.
        let Some(c) = s[i..].chars().next() else { break };
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' if text => "&apos;",
            '\n' if text => "&#xA;",
            c if dropped(c) => "",
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        i += c.len_utf8();
        from = i;
    }
    out.push_str(&s[from..]);
}

/// Appends SpreadsheetML text (cell text, attribute values of a sheet): `& < > "` as
/// entities, control characters XML cannot hold in Excel's own `_xHHHH_` form (so they
/// survive), typed text that looks like that form with its underscore escaped, and
/// U+FFFE/U+FFFF dropped. Apostrophes and line breaks stay as they are.
pub fn escape_sheet_text_into(out: &mut String, s: &str) {
    // Most text needs no escaping: copy runs of plain bytes at once.
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let special = matches!(b, b'&' | b'<' | b'>' | b'"')
            || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == b'_' && is_escape_form(&bytes[i..]));
        // U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters.
        let nonchar = b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF));
        if !special && !nonchar {
            continue;
        }
        if i < from {
            continue;
        }
        out.push_str(&s[from..i]);
        match b {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'"' => out.push_str("&quot;"),
            // Excel's own escape for control characters XML 1.0 does not allow.
            b if b < 0x20 => {
                let _ = std::fmt::Write::write_fmt(out, format_args!("_x{b:04X}_"));
            }
            // Typed text that looks like the escape form keeps its underscore.
            b'_' => out.push_str("_x005F_"),
            _ => {}
        }
        from = if nonchar { i + 3 } else { i + 1 };
    }
    out.push_str(&s[from..]);
}

/// `_xHHHH_`, which Excel reads as the character HHHH.
fn is_escape_form(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_drops_what_xml_cannot_hold() {
        let mut out = String::new();
        escape_text_into(&mut out, "a<b>&\"c'\n\u{7}\u{FFFE}\u{85}\t年，·\u{FFFD}\u{7F}");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&apos;&#xA;\t年，·\u{FFFD}");
    }

    #[test]
    fn attributes_keep_apostrophes_and_line_feeds() {
        let mut out = String::new();
        escape_attr_into(&mut out, "O'Neil & \"Co\"\n\r");
        assert_eq!(out, "O'Neil &amp; &quot;Co&quot;\n");
        assert_eq!(xml_safe("a\u{0}b\u{FFFF}\tc"), "ab\tc");
    }

    #[test]
    fn sheet_text_uses_excels_escape_form() {
        let mut out = String::new();
        escape_sheet_text_into(&mut out, "a<&\"'\n\r\u{1}_x0041_\u{FFFE}年_x");
        assert_eq!(out, "a&lt;&amp;&quot;'\n\r_x0001__x005F_x0041_年_x");
    }
}
