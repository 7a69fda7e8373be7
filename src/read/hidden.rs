//! Rows and columns a worksheet hides (`<row hidden="1">`, `<col min max hidden="1">`,
//! ods's `table:visibility`): a hidden copy of a column or a block beside its visible one is
//! evidence of which one to read (docs/reading.md, "never a silent pick"). Ranges are
//! 0-based and inclusive. The streaming xlsx reader notes them as it reads; an ods's are
//! scanned here (calamine gives none).

use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The hidden rows and column ranges of one sheet; empty where the format does not tell (xls).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    pub rows: Vec<(u32, u32)>,
    pub cols: Vec<(u32, u32)>,
}

impl Hidden {
    pub fn row_hidden(&self, row: u32) -> bool {
        within(&self.rows, row)
    }

    pub fn col_hidden(&self, col: u32) -> bool {
        within(&self.cols, col)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.cols.is_empty()
    }

    /// Adds a range, joined to the last one where they touch (rows come one at a time).
    pub(crate) fn push(ranges: &mut Vec<(u32, u32)>, from: u32, to: u32) {
        match ranges.last_mut() {
            Some(last) if from <= last.1.saturating_add(1) && to >= last.0 => {
                *last = (last.0.min(from), last.1.max(to));
            }
            _ => ranges.push((from, to)),
        }
    }
}

fn within(ranges: &[(u32, u32)], i: u32) -> bool {
    ranges.iter().any(|&(a, b)| a <= i && i <= b)
}

/// An attribute's value as text, by its full name (attributes read up to a damaged one).
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .map_while(Result::ok)
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// A part of a zip package, expanded. The package was guarded (every part expanded and
/// counted), so its size is bounded.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut f = zip.by_name(name).ok()?;
    let mut out = Vec::new();
    f.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The five predefined XML entities in an attribute value (a sheet named `A&B`).
fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s).map_or_else(|_| s.to_string(), |c| c.into_owned())
}

/// The hidden (collapsed or filtered) rows and columns of each table of an ods package's
/// content.xml, by sheet name.
pub(super) fn ods(bytes: &[u8]) -> HashMap<String, Hidden> {
    let out = HashMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return out };
    let Some(xml) = part(&mut zip, "content.xml") else { return out };
    if memchr::memmem::find(&xml, b"table:visibility=").is_none() {
        return out;
    }
    ods_content(&xml)
}

/// [`ods`] over the content part.
fn ods_content(xml: &[u8]) -> HashMap<String, Hidden> {
    let mut out = HashMap::new();
    let repeat = |e: &BytesStart<'_>, name: &[u8]| -> u32 {
        attr(e, name).and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).clamp(1, super::guard::MAX_ROWS * 4)
    };
    let hidden = |e: &BytesStart<'_>| attr(e, b"table:visibility").is_some_and(|v| v != "visible");
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut sheet, mut h, mut row, mut col) = (String::new(), Hidden::default(), 0u32, 0u32);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.name().as_ref() {
                b"table:table" => {
                    sheet = attr(&e, b"table:name").map(|n| unescape(&n)).unwrap_or_default();
                    (h, row, col) = (Hidden::default(), 0, 0);
                }
                b"table:table-column" => {
                    let n = repeat(&e, b"table:number-columns-repeated");
                    if hidden(&e) && col < super::guard::MAX_COLS {
                        Hidden::push(&mut h.cols, col, col.saturating_add(n - 1));
                    }
                    col = col.saturating_add(n);
                }
                b"table:table-row" => {
                    let n = repeat(&e, b"table:number-rows-repeated");
                    if hidden(&e) && row < super::guard::MAX_ROWS {
                        Hidden::push(&mut h.rows, row, row.saturating_add(n - 1));
                    }
                    row = row.saturating_add(n);
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.name().as_ref() == b"table:table" && !h.is_empty() => {
                out.insert(std::mem::take(&mut sheet), std::mem::take(&mut h));
            }
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_one_at_a_time_join_into_ranges() {
        let mut h = Hidden::default();
        for r in [3, 4, 5, 9] {
            Hidden::push(&mut h.rows, r, r);
        }
        Hidden::push(&mut h.cols, 2, 4);
        assert_eq!(h.rows, vec![(3, 5), (9, 9)]);
        assert!(h.row_hidden(4) && h.row_hidden(9) && !h.row_hidden(6) && !h.row_hidden(2));
        assert!(h.col_hidden(2) && h.col_hidden(4) && !h.col_hidden(5));
    }

    #[test]
    fn rows_and_columns_of_an_ods_table() {
        let xml = br#"<office:spreadsheet><table:table table:name="A&amp;B">
            <table:table-column table:number-columns-repeated="2"/>
            <table:table-column table:visibility="collapse"/>
            <table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>
            <table:table-row table:visibility="collapse" table:number-rows-repeated="2"><table:table-cell/></table:table-row>
            <table:table-row/></table:table><table:table table:name="B"><table:table-row/></table:table></office:spreadsheet>"#;
        let all = ods_content(xml);
        assert_eq!(all.len(), 1);
        assert_eq!(all.get("A&B"), Some(&Hidden { rows: vec![(3, 4)], cols: vec![(2, 2)] }));
    }
}
