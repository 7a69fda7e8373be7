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

/// Bytes that may begin something to escape or drop: for XML text ([`XML`]) and for
/// SpreadsheetML text ([`SHEET`]). A table look-up a byte, not a chain of comparisons:
/// every byte of every text written passes here.
const XML: u8 = 1;
const SHEET: u8 = 2;
static MAY_ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = XML | if b == b'\t' as usize || b == b'\n' as usize || b == b'\r' as usize { 0 } else { SHEET };
        b += 1;
    }
    t[b'&' as usize] = XML | SHEET;
    t[b'<' as usize] = XML | SHEET;
    t[b'>' as usize] = XML | SHEET;
    t[b'"' as usize] = XML | SHEET;
    t[b'\'' as usize] = XML;
    t[0x7F] = XML;
    // C2: U+0080–U+009F; EF: U+FFFE/U+FFFF.
    t[0xC2] = XML;
    t[0xEF] = XML | SHEET;
    t[b'_' as usize] = SHEET;
    t
};

fn escape(out: &mut String, s: &str, text: bool) {
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Only these bytes can begin a character to escape or drop; the rest, most of any
        // text, is copied in runs.
        if MAY_ESCAPE[usize::from(bytes[i])] & XML == 0 {
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
        if MAY_ESCAPE[usize::from(b)] & SHEET == 0 {
            continue;
        }
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
    fn every_character_escapes_as_one_at_a_time_would() {
        let chars = (0u32..0x800).chain(0xFFF0..=0xFFFF).chain([0x1F600]).filter_map(char::from_u32);
        for c in chars {
            let s = format!("a{c}_x0041_{c}");
            let one = |text: bool| -> String {
                s.chars()
                    .map(|c| match c {
                        '&' => "&amp;".into(),
                        '<' => "&lt;".into(),
                        '>' => "&gt;".into(),
                        '"' => "&quot;".into(),
                        '\'' if text => "&apos;".into(),
                        '\n' if text => "&#xA;".into(),
                        c if dropped(c) => String::new(),
                        c => c.to_string(),
                    })
                    .collect()
            };
            let (mut text, mut attr) = (String::new(), String::new());
            escape_text_into(&mut text, &s);
            escape_attr_into(&mut attr, &s);
            assert_eq!((text, attr), (one(true), one(false)), "U+{:04X}", c as u32);
            let mut sheet = String::new();
            escape_sheet_text_into(&mut sheet, &s);
            let kept = match c {
                '&' | '<' | '>' | '"' => one(false)[1..].split('_').next().unwrap_or_default().to_string(),
                c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => format!("_x{:04X}_", c as u32),
                '\u{FFFE}' | '\u{FFFF}' => String::new(),
                c => c.to_string(),
            };
            assert_eq!(sheet, format!("a{kept}_x005F_x0041_{kept}"), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn sheet_text_uses_excels_escape_form() {
        let mut out = String::new();
        escape_sheet_text_into(&mut out, "a<&\"'\n\r\u{1}_x0041_\u{FFFE}年_x");
        assert_eq!(out, "a&lt;&amp;&quot;'\n\r_x0001__x005F_x0041_年_x");
    }
}
