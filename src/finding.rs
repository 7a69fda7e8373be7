//! Findings: the report was made, and a rule failed. Code, severity, cell, related
//! cells, the two numbers compared and a message in plain Chinese.

use crate::cell::CellRef;
use crate::locate::Locator;
use rust_decimal::Decimal;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// The cell the finding is about; `None` only where the workbook has no such cell
    /// (a missing agency name, say).
    pub cell: Option<CellRef>,
    pub related: Vec<CellRef>,
    pub expected: Option<Decimal>,
    pub found: Option<Decimal>,
    pub message: String,
    /// Where the cell is as a reader of a published report finds it (table, row and
    /// column labels, page or table number); `None` for a workbook.
    pub location: Option<Locator>,
}

impl Finding {
    pub fn new(rule: &'static str, severity: Severity, cell: Option<CellRef>, message: String) -> Self {
        Finding { rule, severity, cell, related: Vec::new(), expected: None, found: None, message, location: None }
    }

    pub fn related(mut self, cells: Vec<CellRef>) -> Self {
        self.related = cells;
        self
    }

    pub fn compare(mut self, expected: Decimal, found: Decimal) -> Self {
        self.expected = Some(expected);
        self.found = Some(found);
        self
    }
}

impl fmt::Display for Finding {
    /// `错误[T3-BALANCE] 依申请公开!I30：…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] ", self.severity.zh(), self.rule)?;
        match (&self.location, &self.cell) {
            (Some(at), _) => write!(f, "{at}：")?,
            (None, Some(cell)) => write!(f, "{cell}：")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

/// Sorts findings errors first, then warnings, then notes; within a severity the order
/// the rules found them in is kept (the sort is stable).
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by_key(|f| f.severity);
}

pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}
