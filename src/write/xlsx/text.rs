//! Text of the XML parts: column letters, references for defined names, widths; escaping
//! and cell references are [`crate::write::ooxml::Xml`]'s.

/// `A`, `B`, …, `AA` for a 0-based column.
pub(super) fn col_name(out: &mut String, col: u16) {
    // Writing to a String cannot fail.
    let _ = crate::cell::push_column_letters(out, u32::from(col));
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
