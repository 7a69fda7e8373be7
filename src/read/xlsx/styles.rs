//! What of styles.xml the cells need: whether each cell format (`cellXfs`) shows a number
//! as a date or time, by its number format, decided as calamine decides it.

use super::xml::{attr, attrs_of, decoded, eof, Res};
use std::collections::HashMap;
use xml42::events::Event;
use xml42::Reader;

/// Whether the cell format at each index shows dates (or times, or durations).
pub(super) fn date_formats(xml: &mut Reader<&[u8]>) -> Res<Vec<bool>> {
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    loop {
        let section = match xml.read_event()? {
            Event::Start(e) => match e.local_name().as_ref() {
                s @ ("numFmts" | "fonts" | "fills" | "borders" | "cellXfs") => s.to_string(),
                _ => continue,
            },
            Event::End(e) if e.local_name().as_ref() == "styleSheet" => return Ok(out),
            Event::Eof => return eof("styleSheet"),
            _ => continue,
        };
        // Each section runs to its own end; only number formats and cell formats matter.
        loop {
            match xml.read_event()? {
                Event::Start(e) if section == "numFmts" && e.local_name().as_ref() == "numFmt" => {
                    if let [Some(id), Some(code)] = attrs_of(e.attributes_raw(), ["numFmtId", "formatCode"])? {
                        custom.insert(id.to_string(), decoded(code)?);
                    }
                }
                Event::Start(e) if section == "cellXfs" && e.local_name().as_ref() == "xf" => {
                    let date = match attr(e.attributes_raw(), "numFmtId")? {
                        None => false,
                        Some(id) => custom.get(id).map_or_else(|| builtin_date(id), |f| custom_date(f)),
                    };
                    attrs_of(e.attributes_raw(), ["numFmtId", "fontId", "fillId", "borderId"])?;
                    out.push(date);
                    loop {
                        match xml.read_event()? {
                            // Read only as far as calamine checks them: a malformed attribute
                            // refuses the workbook there, so here too.
                            Event::Start(c) if c.local_name().as_ref() == "alignment" => {
                                let names =
                                    ["horizontal", "vertical", "wrapText", "textRotation", "indent", "shrinkToFit"];
                                attrs_of(c.attributes_raw(), names)?;
                            }
                            Event::Start(c) if c.local_name().as_ref() == "protection" => {
                                attrs_of(c.attributes_raw(), ["locked", "hidden"])?;
                            }
                            Event::End(c) if c.local_name().as_ref() == "xf" => break,
                            Event::Eof => return eof("xf"),
                            _ => {}
                        }
                    }
                }
                Event::End(e) if e.local_name().as_ref() == section.as_str() => break,
                Event::Eof => return eof(&section),
                _ => {}
            }
        }
    }
}

/// Built-in number formats that are dates or times (East Asian ones included).
fn builtin_date(id: &str) -> bool {
    matches!(
        id,
        "14" | "15"
            | "16"
            | "17"
            | "18"
            | "19"
            | "20"
            | "21"
            | "22"
            | "45"
            | "46"
            | "47"
            | "27"
            | "28"
            | "29"
            | "30"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "55"
            | "56"
            | "57"
            | "58"
    )
}

/// Whether a custom number format's first section shows a date, a time or a duration:
/// an unquoted, unescaped date or time letter outside brackets, or `[h]`, `[mm]`, `[ss]`.
fn custom_date(format: &str) -> bool {
    let (mut escaped, mut quoted, mut ap, mut hms) = (false, false, false, false);
    let mut brackets = 0u8;
    let mut prev = ' ';
    for c in format.chars() {
        match (c, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => {}
            ('"', ..) => quoted = true,
            (';', ..) => return false,
            ('[', ..) => brackets = brackets.wrapping_add(1),
            (']', .., 1) if hms => return true,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return true,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => return true,
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_as_calamine_tells_them() {
        for f in ["yyyy-mm-dd", "DD/MM/YY", "h:mm", "[h]:mm:ss", "[$-804]yyyy\"年\"m\"月\"", "am/pm"] {
            assert!(custom_date(f), "{f}");
        }
        for f in ["0.00", "#,##0", "\"days\"0", "0;[Red]-0", "[Red]0", "@", "General", "0_)"] {
            assert!(!custom_date(f), "{f}");
        }
        assert!(builtin_date("14") && builtin_date("58") && !builtin_date("0") && !builtin_date("49"));
    }
}
