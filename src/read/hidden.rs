//! Rows and columns a worksheet hides (`<row hidden="1">`, `<col min max hidden="1">`):
//! evidence of what the department meant to show. Ranges are 0-based and inclusive.

/// The hidden rows and column ranges of one sheet; empty where the format's reader does
/// not tell (xls and ods through calamine).
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
}
