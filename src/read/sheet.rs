//! One sheet as both readers give it (the streaming xlsx reader and calamine's paths): a
//! sparse grid of `Raw` cells, and the texts both make of a cell.

use super::hidden::Hidden;
use super::value::{float_text, Raw};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One sheet as a sparse grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: Arc<str>,
    pub cells: BTreeMap<(u32, u32), Raw>,
    /// Hidden (or very hidden) in the workbook: an old copy is often kept this way.
    pub hidden: bool,
    /// The rows and columns the sheet hides (xlsx and ods; none known for xls).
    pub lines: Hidden,
}

impl Sheet {
    pub fn get(&self, row: u32, col: u32) -> &Raw {
        self.cells.get(&(row, col)).unwrap_or(&Raw::Empty)
    }
}

/// Text cells: an all-blank string is no content.
pub(super) fn string(s: &str) -> Raw {
    if s.trim().is_empty() && !s.is_empty() {
        Raw::Str(String::new())
    } else {
        Raw::Str(s.to_string())
    }
}

/// An Excel date serial as `2023-12-31` (1900 system), for messages.
pub(super) fn date_text(serial: f64) -> String {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return format!("日期 {}", float_text(serial));
    }
    // Days since 1899-12-30, the epoch that absorbs Excel's 1900 leap-year bug after March.
    let (y, m, d) = crate::date::civil_from_days(serial.floor() as i64 - 25_569);
    format!("{y}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_dates() {
        assert_eq!(date_text(45291.0), "2023-12-31");
    }
}
