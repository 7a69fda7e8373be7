//! One conversion, shared by `convert`, `batch` and `watch`: bytes in, the report, its
//! findings, the Word document and the archive workbook out. No file system here.

use crate::check::{self, Context};
use crate::error::Error;
use crate::finding::Finding;
use crate::model::{Origin, Report};
use crate::read::{self, Options};
use crate::write;

/// Everything a conversion settles.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub read: Options,
    /// A folder's templates, overriding the embedded ones file by file.
    pub templates: write::narrative::Templates,
    /// Fixes the archive's conversion time (reproducible archives, tests):
    /// seconds since the Unix epoch.
    pub fixed_time: Option<i64>,
    /// A replacement for the reply draft's wording (`reply.j2` of `--templates`).
    pub reply_template: Option<String>,
    /// The time zone the archive's conversion time is written in (default Beijing time).
    pub zone: crate::date::Zone,
}

/// The outputs of one input.
#[derive(Debug)]
pub struct Converted {
    pub report: Report,
    pub findings: Vec<Finding>,
    pub docx: Vec<u8>,
    pub archive: Vec<u8>,
}

/// Why a conversion produced nothing: the input could not be read, or an output could not
/// be made from it; the error names the input.
pub type ConvertError = Error;

/// Finds last year's report for a report just read (`--previous`, `--previous-dir`).
pub type Previous<'a> = &'a (dyn Fn(&Report) -> Option<Report> + Sync);

/// No previous report.
pub fn no_previous(_: &Report) -> Option<Report> {
    None
}

/// Reads, checks and renders one workbook.
pub fn convert(bytes: &[u8], name: &str, previous: Previous<'_>, s: &Settings) -> Result<Converted, ConvertError> {
    convert_from(bytes, name, None, previous, s)
}

/// As [`convert`], for a workbook that came in a message: the archive keeps the sender.
pub fn convert_from(
    bytes: &[u8],
    name: &str,
    origin: Option<&Origin>,
    previous: Previous<'_>,
    s: &Settings,
) -> Result<Converted, ConvertError> {
    let mut report = read::read(bytes, name, &s.read).map_err(|e| Error::read(name, e))?;
    report.origin = origin.cloned();
    let prev = previous(&report);
    let findings = check::check(&report, Context { previous: prev.as_ref() });
    let docx = write::docx::docx(&report, &s.templates).map_err(|e| e.in_file(name))?;
    let archive =
        write::archive::archive(&report, &findings, &write::archive::Provenance::now_in(s.fixed_time, &s.zone))
            .map_err(|e| e.in_file(name))?;
    Ok(Converted { report, findings, docx, archive })
}
