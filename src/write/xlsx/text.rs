//! Text of the XML parts: escaping, cell references, numbers, widths.

use std::fmt::Write as _;

pub(super) fn escape_into(out: &mut String, s: &str) {
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
                let _ = write!(out, "_x{:04X}_", b);
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
pub(super) fn is_escape_form(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

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

/// Appends a number in decimal: `write!` is several times slower, and a sheet writes
/// one for every cell.
pub(super) fn push_u32(out: &mut String, n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

pub(super) fn cell_ref(out: &mut String, row: u32, col: u16) {
    col_name(out, col);
    push_u32(out, row + 1);
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
    if n.fract() == 0.0 && (0.0..4e9).contains(&n) {
        push_u32(out, n as u32);
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
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
