//! One conversion, shared by `convert`, `batch`, `watch` and `serve`: bytes in, each report,
//! its findings, the Word document and the archive workbook out, and the annotated copy of
//! the input. No file system here.

use crate::check::{self, Context};
use crate::error::{Error, WriteError};
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
    let report = read::read(bytes, name, &s.read).map_err(|e| Error::read(name, e))?;
    render(report, name, origin, previous, s)
}

/// Reads, checks and renders every report a file holds (several for a workbook that
/// collects several agencies'), each as [`convert_from`] does one; with `annotate`, also
/// the annotated copy ([`annotated`]), from the file as the reader parsed it: parsed once.
pub fn convert_all(
    bytes: &[u8],
    name: &str,
    origin: Option<&Origin>,
    previous: Previous<'_>,
    s: &Settings,
    annotate: bool,
) -> Result<All, ConvertError> {
    let parsed = read::parse(bytes).map_err(|e| Error::read(name, e))?;
    let reports = read::read_all_parsed(&parsed, bytes, name, &s.read).map_err(|e| Error::read(name, e))?;
    let checked: Vec<(Report, Vec<Finding>)> = reports
        .into_iter()
        .map(|mut r| {
            r.origin = origin.cloned();
            let findings = check::check(&r, Context { previous: previous(&r).as_ref() });
            (r, findings)
        })
        .collect();
    let annotated = if annotate { annotated(&parsed, bytes, &checked) } else { Ok(None) };
    // The parse is done with before the outputs are rendered: a batch holds one at a time.
    drop(parsed);
    let converted = checked.into_iter().map(|(r, f)| render_checked(r, f, name, s)).collect::<Result<_, _>>()?;
    Ok(All { converted, annotated })
}

/// Everything made from one file.
#[derive(Debug)]
pub struct All {
    pub converted: Vec<Converted>,
    /// The annotated copy, when asked ([`annotated`]): None when nothing is marked; an
    /// HTML page for a published report (`Report::printed` not empty). The error is for the
    /// caller to say.
    pub annotated: Result<Option<Vec<u8>>, Error>,
}

/// Checks one report read and renders its Word document and archive.
fn render(
    mut report: Report,
    name: &str,
    origin: Option<&Origin>,
    previous: Previous<'_>,
    s: &Settings,
) -> Result<Converted, ConvertError> {
    report.origin = origin.cloned();
    let prev = previous(&report);
    let findings = check::check(&report, Context { previous: prev.as_ref() });
    render_checked(report, findings, name, s)
}

/// Renders a checked report's Word document and archive.
fn render_checked(report: Report, findings: Vec<Finding>, name: &str, s: &Settings) -> Result<Converted, ConvertError> {
    let docx = write::docx::docx(&report, &s.templates).map_err(|e| e.in_file(name))?;
    let archive =
        write::archive::archive(&report, &findings, &write::archive::Provenance::now_in(s.fixed_time, &s.zone))
            .map_err(|e| e.in_file(name))?;
    Ok(Converted { report, findings, docx, archive })
}

/// The output stem of each report of one input: `base` for the one report of a file,
/// `<base> - <agency>` for each of several (an agency named twice, or not at all, numbered
/// by its place: `<base> - 3`).
pub fn report_stems(base: &str, reports: &[&Report]) -> Vec<String> {
    if reports.len() <= 1 {
        return vec![base.to_string(); reports.len()];
    }
    let named = |r: &&Report| r.agency.value.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let agency =
                named(r).filter(|a| reports.iter().filter(|o| named(o).as_deref() == Some(a.as_str())).count() == 1);
            format!("{base} - {}", agency.unwrap_or_else(|| (i + 1).to_string()))
        })
        .collect()
}

/// Whether findings ask for the annotated copy: an error or a warning marks a cell; info
/// findings mark none, so a copy would only repeat the input.
pub fn wants_annotated(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity != crate::finding::Severity::Info)
}

/// The annotated copy of an input every caller hands out (`check --annotate` aside: it
/// marks the cells read even without a finding): the department's workbook with the cells
/// of every report's errors and warnings marked and every cell read filled green, every
/// sheet in one copy; for a published report (web page, Word document, PDF), the HTML page
/// of its tables `check --annotate` writes ([`write::marked::marked_tables`]). None when
/// nothing is marked. An error is the caller's to say: a copy promised and missing is never
/// silent.
pub fn annotated(
    parsed: &read::Parsed,
    bytes: &[u8],
    checked: &[(Report, Vec<Finding>)],
) -> Result<Option<Vec<u8>>, Error> {
    if !checked.iter().any(|(_, f)| wants_annotated(f)) {
        return Ok(None);
    }
    let Some(wb) = workbook(parsed, bytes) else {
        return match checked {
            [(report, findings)] => write::marked::marked_tables(report, findings)
                .map(|html| Some(html.into_bytes()))
                .map_err(|e| Error::write("HTML", e)),
            _ => Ok(None),
        };
    };
    let findings: Vec<Finding> = checked.iter().flat_map(|(_, f)| f.iter().cloned()).collect();
    let cells: Vec<_> = checked.iter().flat_map(|(r, _)| write::annotate::read_cells(r)).collect();
    write::annotate::annotate_read(wb, &findings, &cells).map(Some)
}

/// The workbook the annotator marks, as the reader parsed it; None for a published report.
pub fn workbook<'a>(parsed: &'a read::Parsed, bytes: &'a [u8]) -> Option<write::annotate::Workbook<'a>> {
    match parsed {
        read::Parsed::Workbook { format: read::Format::Xlsx, .. } => Some(write::annotate::Workbook::Xlsx(bytes)),
        read::Parsed::Workbook { sheets, .. } => Some(write::annotate::Workbook::Sheets(sheets)),
        read::Parsed::Published(_) => None,
    }
}

/// `check --annotate`'s copy of a file read before: its own workbook with the findings'
/// cells of every report it holds marked and the cells each was read from green, whatever
/// the findings: one copy for a workbook of several agencies, every part marked.
pub fn annotated_workbook(
    parsed: &read::Parsed,
    bytes: &[u8],
    reports: &[(&Report, &[Finding])],
) -> Result<Vec<u8>, Error> {
    let wb = workbook(parsed, bytes).ok_or_else(|| Error::write("标注工作簿", WriteError::NotAWorkbook))?;
    let findings: Vec<Finding> = reports.iter().flat_map(|(_, f)| f.iter().cloned()).collect();
    let cells: Vec<_> = reports.iter().flat_map(|(r, _)| write::annotate::read_cells(r)).collect();
    write::annotate::annotate_read(wb, &findings, &cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Edition;

    fn of(agency: Option<&str>) -> Report {
        let mut r = Report::blank(Edition::E2021);
        r.agency.value = agency.map(str::to_string);
        r
    }

    /// One report keeps the input's stem; each of several is named after its agency, and
    /// one whose agency is missing or shared by its place.
    #[test]
    fn several_reports_of_one_workbook_are_named_after_their_agencies() {
        assert_eq!(report_stems("统计表", &[&of(Some("甲镇"))]), ["统计表"]);
        let several = [of(Some("甲镇")), of(Some(" 乙乡 ")), of(None), of(Some("丙村")), of(Some("丙村"))];
        assert_eq!(
            report_stems("统计表", &several.iter().collect::<Vec<_>>()),
            ["统计表 - 甲镇", "统计表 - 乙乡", "统计表 - 3", "统计表 - 4", "统计表 - 5"]
        );
        assert!(report_stems("统计表", &[]).is_empty());
    }
}
