//! The normalized archive workbook (formats.md §9). Placeholder until the archive lands.

use crate::finding::Finding;
use crate::model::Report;

/// Where and when an archive was made.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Seconds since the Unix epoch.
    pub time: i64,
}

impl Provenance {
    pub fn now(fixed: Option<i64>) -> Self {
        let time = fixed.unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        });
        Provenance { time }
    }
}

pub fn archive(
    _report: &Report,
    _findings: &[Finding],
    _p: &Provenance,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    Err(rust_xlsxwriter::XlsxError::ParameterError("归档工作簿尚未实现".into()))
}
