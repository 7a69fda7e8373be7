//! Numbers as text, in one place: how a number is printed in messages, documents, the
//! template context and the JSON, and how full-width digits are folded to ASCII when
//! numbers and years are read from what people typed.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A number as messages and documents print it: no trailing zeros (`12`, `12.5`, `-3`).
/// An amount keeps the decimals typed; it is printed with `Decimal`'s own `Display`.
pub(crate) fn text(n: Decimal) -> String {
    // A whole number written whole (nearly every figure of a report) without Decimal's
    // formatting, which cost most of writing a table cell of the Word report.
    if n.scale() == 0 {
        if let Some(i) = n.to_i64() {
            let mut s = String::with_capacity(8);
            push_int(&mut s, i);
            return s;
        }
    }
    n.normalize().to_string()
}

/// The number as an integer, where it is whole and fits.
pub(crate) fn whole(n: Decimal) -> Option<i64> {
    if n.fract().is_zero() {
        n.to_i64()
    } else {
        None
    }
}

/// The shortest text that reads back as the same float (`5949.088667`, not
/// `5949.0886670000003`); a whole float without a decimal point.
pub fn float_text(f: f64) -> String {
    let mut s = String::new();
    push_float(&mut s, f);
    s
}

/// Appends [`float_text`]: whole floats (most numbers in a sheet) through [`push_int`].
pub(crate) fn push_float(out: &mut String, f: f64) {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        push_int(out, f as i64);
    } else {
        let _ = std::fmt::Write::write_fmt(out, format_args!("{f}"));
    }
}

/// A full-width digit (`０`–`９`) as its ASCII digit; any other character as it is.
pub(crate) fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        c => c,
    }
}

/// The text with full-width digits folded to ASCII, so `２０２３年` reads as `2023年`.
pub(crate) fn fold_digits(s: &str) -> String {
    s.chars().map(ascii_digit).collect()
}

/// Appends a whole number in decimal without `fmt`, which is several times slower: cell
/// references, attribute values and sheet cells write one each, thousands per file.
pub(crate) fn push_int(out: &mut String, n: i64) {
    // Up to three digits (most counts, string ids, rows and styles of a sheet) need no
    // buffer and no loop.
    let digit = |d: u16| char::from(b'0' + (d % 10) as u8);
    match u16::try_from(n) {
        Ok(d @ 0..=9) => {
            out.push(digit(d));
            return;
        }
        Ok(d @ 10..=99) => {
            out.push(digit(d / 10));
            out.push(digit(d));
            return;
        }
        Ok(d @ 100..=999) => {
            out.push(digit(d / 100));
            out.push(digit(d / 10));
            out.push(digit(d));
            return;
        }
        _ => {}
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    // ASCII digits pushed as chars: no UTF-8 check (a call costing more than the digits).
    out.reserve(buf.len() - i);
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn prints_numbers_without_trailing_zeros() {
        assert_eq!(text(d("12.50")), "12.5");
        assert_eq!(text(d("12.0")), "12");
        assert_eq!(text(d("-3")), "-3");
        assert_eq!(text(d("0.00")), "0");
        // The whole-number path gives Decimal's own text.
        for n in ["0", "-0", "7", "-1234", "1000", "99999999999999999999", "-9223372036854775808"] {
            assert_eq!(text(d(n)), d(n).normalize().to_string(), "{n}");
        }
        assert_eq!(text(-d("0")), "0");
    }

    #[test]
    fn whole_numbers_only() {
        assert_eq!(whole(d("12.00")), Some(12));
        assert_eq!(whole(d("12.5")), None);
        assert_eq!(whole(d("-7")), Some(-7));
        assert_eq!(whole(d("99999999999999999999")), None);
    }

    #[test]
    fn floats_read_back_the_same() {
        assert_eq!(float_text(5949.088667), "5949.088667");
        assert_eq!(float_text(12.0), "12");
        assert_eq!(float_text(-0.5), "-0.5");
        assert_eq!(float_text(1e16), "10000000000000000");
    }

    #[test]
    fn folds_full_width_digits_only() {
        assert_eq!(fold_digits("２０２３年，共１２件"), "2023年，共12件");
        assert_eq!(ascii_digit('９'), '9');
        assert_eq!(ascii_digit('＋'), '＋');
    }

    #[test]
    fn numbers_in_decimal() {
        let mut s = String::new();
        for n in [0, 7, 10, 11906, 4_294_967_295, -1, i64::MIN] {
            push_int(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 7 10 11906 4294967295 -1 -9223372036854775808 ");
        for n in -1100..1100 {
            s.clear();
            push_int(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
