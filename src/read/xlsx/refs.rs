//! A1 references as calamine reads them: letters then digits, either part optional to the
//! parser (a row without a column is an error where a cell is meant).

use super::xml::{fault, Res};

/// `(row, column)` 0-based of a reference such as `B7`; the column is `None` where there
/// are no letters. A number too large for 32 bits is an error (calamine would overflow).
pub(super) fn row_and_col(r: &str) -> Res<(u32, Option<u32>)> {
    let b = r.as_bytes();
    let bad = || fault(format!("单元格引用“{r}”无效"));
    let mut i = 0;
    let (mut col, mut row) = (0u32, 0u32);
    while i < b.len() {
        let c = b[i];
        i += 1;
        let letter = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a',
            b'0'..=b'9' => {
                row = u32::from(c - b'0');
                break;
            }
            _ => return bad(),
        };
        let Some(next) = col.checked_mul(26).and_then(|v| v.checked_add(u32::from(letter) + 1)) else {
            return bad();
        };
        col = next;
    }
    for &c in &b[i..] {
        if !c.is_ascii_digit() {
            return bad();
        }
        let Some(next) = row.checked_mul(10).and_then(|v| v.checked_add(u32::from(c - b'0'))) else {
            return bad();
        };
        row = next;
    }
    match row.checked_sub(1) {
        Some(row) => Ok((row, col.checked_sub(1))),
        None => bad(),
    }
}

/// A cell's `(row, column)`.
pub(super) fn cell(r: &str) -> Res<(u32, u32)> {
    match row_and_col(r)? {
        (row, Some(col)) => Ok((row, col)),
        _ => fault(format!("单元格引用“{r}”缺少列")),
    }
}

/// A range `A1:B2` (or one cell): its first cell.
pub(super) fn range_start(r: &str) -> Res<(u32, u32)> {
    let mut first = None;
    let mut n = 0;
    for part in r.split(':') {
        let c = cell(part)?;
        first.get_or_insert(c);
        n += 1;
    }
    match first {
        Some(c) if n <= 2 => Ok(c),
        _ => fault(format!("区域“{r}”无效")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_as_calamine_reads_them() {
        assert_eq!(cell("B7").ok(), Some((6, 1)));
        assert_eq!(cell("xfd1048576").ok(), Some((1_048_575, 16_383)));
        assert_eq!(row_and_col("12").ok(), Some((11, None)));
        assert_eq!(row_and_col("A12").ok(), Some((11, Some(0))));
        assert!(cell("12").is_err() && cell("A0").is_err() && cell("A1B").is_err() && cell("").is_err());
        assert!(cell("A99999999999").is_err());
        assert_eq!(range_start("C3:A1").ok(), Some((2, 2)));
        assert!(range_start("A1:B2:C3").is_err() && range_start("A1:").is_err());
    }
}
