//! Text of the XML parts: cell references, numbers, widths; escaping is
//! [`crate::write::ooxml::escape_sheet_text_into`].

use crate::number::push_int;
use std::fmt::Write as _;

pub(super) use crate::write::ooxml::escape_sheet_text_into as escape_into;

pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// `A`, `B`, …, `AA` for a 0-based column.
pub(super) fn col_name(out: &mut String, col: u16) {
    // Writing to a String cannot fail.
    let _ = crate::cell::push_column_letters(out, u32::from(col));
}

pub(super) fn cell_ref(out: &mut String, row: u32, col: u16) {
    col_name(out, col);
    push_int(out, i64::from(row) + 1);
}

pub(super) fn range_ref(out: &mut String, r0: u32, c0: u16, r1: u32, c1: u16) {
    cell_ref(out, r0, c0);
    out.push(':');
    cell_ref(out, r1, c1);
}

/// `$A$1:$K$200`, for defined names.
pub(super) fn abs_range(r0: u32, c0: u16, r1: u32, c1: u16) -> String {
    let mut a = String::new();
    let mut b = String::new();
    col_name(&mut a, c0);
    col_name(&mut b, c1);
    format!("${a}${}:${b}${}", r0 + 1, r1 + 1)
}

pub(super) fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

pub(super) fn number_text(out: &mut String, n: f64) {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        push_int(out, n as i64);
    } else {
        let _ = write!(out, "{n}");
    }
}

/// Column width as stored: characters plus padding, in 1/256ths (what Excel itself writes).
pub(super) fn stored_width(w: f64) -> f64 {
    if w <= 0.0 {
        0.0
    } else if w < 1.0 {
        ((w * 12.0 + 0.5).trunc() / 7.0 * 256.0).trunc() / 256.0
    } else {
        ((w * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0
    }
}
