//! A table as the reader found it: its values, where it stands and the cells of the labels
//! each value was read under. Apart from `tables.rs`, which finds them, so that the
//! modules placing labels and reading other shapes name the type without naming the finder.

use super::index::{Hit, Pos};
use crate::model::{ReadNote, State, Subtotal, UnknownLabel, Value};

/// Where one table was found: the sheet and the rows it spans.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub sheet: usize,
    pub first_row: u32,
    pub last_row: u32,
}

/// One table found where its labels stand: the values, where it is, and for each value
/// the cells of the row label and the column header it was read under.
#[derive(Debug, Clone)]
pub struct Table {
    pub values: Vec<Vec<Value>>,
    pub span: Span,
    pub unknown: Vec<UnknownLabel>,
    /// `[row][col]` as `values`: (row label cell, column header cell).
    pub labels: Vec<Vec<(Pos, Pos)>>,
    /// How well the label that anchors the table matched.
    pub score: u8,
    /// The cell the table was found from: its first row's label, or its first header.
    pub anchor: Hit,
    /// What the reader decided inside the table (READ-LABEL, READ-CHOICE).
    pub notes: Vec<ReadNote>,
    /// Subtotals the agency added.
    pub subtotals: Vec<Subtotal>,
}

impl Table {
    /// A table read in another shape than the template's (table 四 transposed or split,
    /// section 二 as a list): nothing unknown, noted or added by the agency.
    pub(crate) fn of_shape(values: Vec<Vec<Value>>, labels: Vec<Vec<(Pos, Pos)>>, anchor: Hit, span: Span) -> Table {
        Table {
            values,
            span,
            unknown: Vec::new(),
            labels,
            score: anchor.score,
            anchor,
            notes: Vec::new(),
            subtotals: Vec::new(),
        }
    }

    /// Values that are numbers (or formulas): a table has them, a glossary has none.
    pub fn numbers(&self) -> usize {
        self.values.iter().flatten().filter(|v| matches!(v.state, State::Number | State::Formula)).count()
    }

    /// A block of labels with text beside them and no number at all: an instructions or
    /// glossary sheet repeating the labels, not a table.
    pub fn is_label_block(&self) -> bool {
        self.numbers() == 0 && self.values.iter().flatten().any(|v| v.state == State::Text)
    }
}
