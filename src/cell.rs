//! Absolute cell positions, displayed as Excel writes them: `依申请公开!D12`, `'Sheet 3'!D12`.

use std::fmt;
use std::sync::Arc;

/// A cell of a workbook: its sheet and zero-based row and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub sheet: Arc<str>,
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(sheet: Arc<str>, row: u32, col: u32) -> Self {
        CellRef { sheet, row, col }
    }

    /// `D12`, without the sheet.
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }

    /// Parses `Sheet!D12` or `'Sheet 3'!D12`.
    pub fn parse(s: &str) -> Option<CellRef> {
        let (sheet, a1) = s.rsplit_once('!')?;
        let sheet = sheet
            .strip_prefix('\'')
            .and_then(|x| x.strip_suffix('\''))
            .map(|x| x.replace("''", "'"))
            .unwrap_or_else(|| sheet.to_string());
        let (row, col) = parse_a1(a1)?;
        Some(CellRef { sheet: sheet.into(), row, col })
    }
}

/// `A`, `Z`, `AA`, … for a zero-based column.
pub(crate) fn column_letters(col: u32) -> String {
    let mut s = String::with_capacity(3);
    // Writing to a String cannot fail.
    let _ = push_column_letters(&mut s, col);
    s
}

/// The column letters (`A`, `AA`) appended to `out` without an allocation: cell references are
/// written thousands of times per archive.
pub fn push_column_letters<W: fmt::Write + ?Sized>(out: &mut W, col: u32) -> fmt::Result {
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    let mut n = u64::from(col) + 1;
    while n > 0 && i > 0 {
        i -= 1;
        buf[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    buf[i..].iter().try_for_each(|&b| out.write_char(char::from(b)))
}

/// Parses `D12` into zero-based (row, col).
pub fn parse_a1(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.trim().replace('$', "");
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    if row == 0 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// Whether Excel would quote this sheet name in a reference.
fn needs_quotes(name: &str) -> bool {
    if name.is_empty() {
        return true;
    }
    if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    if name.chars().all(|c| c.is_ascii_alphanumeric()) && parse_a1(name).is_some() {
        return true;
    }
    // CJK ideographs first: they are most sheet names, and `is_alphanumeric` is a slow
    // table lookup outside ASCII. Cells are displayed thousands of times per archive.
    !name.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || c == '_'
            || c == '.'
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || c.is_alphanumeric()
    })
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl CellRef {
    /// As displayed, `依申请公开!I30`: the archive writes two for each of its ~250 numbers.
    pub fn text(&self) -> String {
        reference(&self.sheet, self.row, self.col)
    }
}

/// `Sheet!D12` (quoted where Excel quotes the name) for a zero-based row and column, built
/// without the formatting machinery or a [`CellRef`].
pub fn reference(sheet: &str, row: u32, col: u32) -> String {
    let mut s = String::with_capacity(sheet.len() + 12);
    push_reference(&mut s, sheet, row, col);
    s
}

/// [`reference()`] appended to `s`: a writer that names many cells reuses one buffer.
pub fn push_reference(s: &mut String, sheet: &str, row: u32, col: u32) {
    if needs_quotes(sheet) {
        s.push('\'');
        s.push_str(&sheet.replace('\'', "''"));
        s.push_str("'!");
    } else {
        s.push_str(sheet);
        s.push('!');
    }
    // Writing to a String cannot fail.
    let _ = push_column_letters(s, col);
    crate::number::push_int(s, i64::from(row) + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_excel() {
        let c = CellRef::new("依申请公开".into(), 29, 8);
        assert_eq!(c.to_string(), "依申请公开!I30");
        let c = CellRef::new("Sheet 3".into(), 11, 3);
        assert_eq!(c.to_string(), "'Sheet 3'!D12");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
        assert_eq!(reference("表一", 0, 0), "表一!A1");
        assert_eq!(reference("表一", 1_048_575, 16383), "表一!XFD1048576");
        assert_eq!(reference("O'Brien 2", 9, 25), "'O''Brien 2'!Z10");
        assert_eq!(CellRef::new("2023".into(), 99, 2).text(), "'2023'!C100");
    }

    #[test]
    fn parses_back() {
        let c = CellRef::parse("'Sheet 3'!D12").expect("parse");
        assert_eq!((c.sheet.as_ref(), c.row, c.col), ("Sheet 3", 11, 3));
        assert_eq!(parse_a1("XFD1048576"), Some((1048575, 16383)));
    }
}
