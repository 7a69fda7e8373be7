//! Checking: the report → findings. One small function per rule, its code, severity and
//! Chinese message beside it; every rule is registered in [`rules`]. Checks never change
//! the report.

pub(crate) mod cross;
pub mod rules;
pub mod tables;
pub(crate) mod text;
pub(crate) mod values;

use crate::finding::Finding;
use crate::model::Report;

pub use rules::{Rule, RULES};

/// Context a check may use beyond the report itself.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context<'a> {
    /// Last year's report, for the cross-year rules.
    pub previous: Option<&'a Report>,
}

/// Every finding for a report, errors first.
pub fn check(report: &Report, ctx: Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    values::check(report, &mut out);
    tables::check(report, &mut out);
    text::check(report, &mut out);
    if let Some(prev) = ctx.previous {
        cross::check(report, prev, &mut out);
    }
    crate::finding::sort(&mut out);
    // Each finding's place as a reader finds it, for a published report; a workbook's
    // findings keep only their cell.
    for f in &mut out {
        f.location = f.cell.as_ref().and_then(|c| crate::locate::locate(report, c));
    }
    out
}
