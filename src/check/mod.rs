//! Checking: the report → findings. One small function per rule, its code, severity and
//! Chinese message beside it. Checks never change the report.

pub mod values;

use crate::finding::Finding;
use crate::model::Report;

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
    let _ = ctx;
    crate::finding::sort(&mut out);
    out
}
