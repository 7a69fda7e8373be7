//! The records office's summary across many reports: one small row per input, the sums of
//! the tables per year and edition, every finding, and duplicates. Memory grows with the
//! rows, never with the reports: each report is folded in and dropped.

use crate::finding::{count, Finding, Severity};
use crate::form::{Edition, Kind};
use crate::model::{Report, Value};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Converted, no error finding.
    Ok,
    /// Converted, with error findings.
    Errors,
    /// Could not be read.
    Unreadable,
    /// Not converted because of `--strict`.
    Refused,
}

impl Status {
    pub fn zh(self) -> &'static str {
        match self {
            Status::Ok => "已转换",
            Status::Errors => "有错误",
            Status::Unreadable => "无法读取",
            Status::Refused => "有错误，未生成",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Errors => "errors",
            Status::Unreadable => "unreadable",
            Status::Refused => "refused",
        }
    }
}

/// The key figures of a report, named for the summary's columns.
pub const KEY_FIGURES: [(&str, &str); 14] = [
    ("regulations_issued", "规章本年制发（新制作）"),
    ("normative_issued", "规范性文件本年制发（新制作）"),
    ("regulations_in_force", "现行有效规章（对外公开总数）"),
    ("normative_in_force", "现行有效规范性文件（对外公开总数）"),
    ("licensing", "行政许可处理决定"),
    ("penalty", "行政处罚处理决定"),
    ("enforcement", "行政强制处理决定"),
    ("new_received", "本年新收申请"),
    ("carried_over", "上年结转申请"),
    ("granted", "予以公开"),
    ("result_total", "办理结果总计"),
    ("carried_forward", "结转下年度"),
    ("review_total", "行政复议总计"),
    ("litigation_total", "行政诉讼总计"),
];

/// One input's line in the summary.
#[derive(Debug, Clone)]
pub struct Row {
    /// The path relative to the input folder.
    pub file: String,
    pub sha256: String,
    pub agency: String,
    pub year: Option<i32>,
    pub edition: Option<Edition>,
    pub status: Status,
    /// `KEY_FIGURES` in order; empty when unreadable.
    pub figures: Vec<Decimal>,
    pub errors: usize,
    pub warnings: usize,
    /// The first error finding, or why the file could not be read.
    pub first_error: String,
    /// Duplicate notes (same content, or same agency and year with other figures).
    pub duplicate: String,
}

fn n(v: Option<&Value>) -> Decimal {
    v.map(Value::n).unwrap_or(Decimal::ZERO)
}

/// The key figures of a report, comparable across editions.
pub fn key_figures(r: &Report) -> Vec<Decimal> {
    let (issued, in_force) = match r.edition {
        Edition::E2021 => ("issued", "in_force"),
        Edition::E2019 => ("made", "total_public"),
    };
    let t = |row: &str| n(r.request(row, "total"));
    vec![
        n(r.active_value("regulations", issued)),
        n(r.active_value("normative_documents", issued)),
        n(r.active_value("regulations", in_force)),
        n(r.active_value("normative_documents", in_force)),
        n(r.active_value("licensing", "decisions")),
        n(r.active_value("penalty", "decisions")),
        n(r.active_value("enforcement", "decisions")),
        t("new_received"),
        t("carried_over"),
        t("granted"),
        t("result_total"),
        t("carried_forward"),
        n(r.review_value("review", "total")),
        n(r.review_value("litigation_direct", "total")) + n(r.review_value("litigation_after_review", "total")),
    ]
}

impl Row {
    pub fn converted(file: String, r: &Report, findings: &[Finding], strict_refused: bool) -> Row {
        let errors = count(findings, Severity::Error);
        let status = if strict_refused {
            Status::Refused
        } else if errors > 0 {
            Status::Errors
        } else {
            Status::Ok
        };
        Row {
            file,
            sha256: r.sha256.clone(),
            agency: r.agency_name().to_string(),
            year: r.year.value,
            edition: Some(r.edition),
            status,
            figures: key_figures(r),
            errors,
            warnings: count(findings, Severity::Warning),
            first_error: findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map(|f| f.to_string())
                .unwrap_or_default(),
            duplicate: String::new(),
        }
    }

    pub fn unreadable(file: String, sha256: String, message: String) -> Row {
        Row {
            file,
            sha256,
            agency: String::new(),
            year: None,
            edition: None,
            status: Status::Unreadable,
            figures: Vec::new(),
            errors: 0,
            warnings: 0,
            first_error: message,
            duplicate: String::new(),
        }
    }
}

/// A finding with the file it belongs to.
#[derive(Debug, Clone)]
pub struct FileFinding {
    pub file: String,
    pub finding: Finding,
}

/// The sum of the tables of every report of one year and edition.
#[derive(Debug, Clone)]
pub struct Total {
    pub year: i32,
    pub edition: Edition,
    pub reports: usize,
    /// A report whose numbers are the sums (the region's combined figures).
    pub sum: Report,
}

/// Adds a report's numbers into a sum of the same edition. Amounts in 元 are converted
/// to the 万元 the 2021 header names.
fn add(sum: &mut Report, r: &Report) {
    fn fold(dst: &mut [Vec<Value>], src: &[Vec<Value>], kinds: impl Fn(usize, usize) -> Kind) {
        for (i, (d, s)) in dst.iter_mut().zip(src).enumerate() {
            for (j, (dv, sv)) in d.iter_mut().zip(s).enumerate() {
                let mut x = sv.n();
                if kinds(i, j) == Kind::Amount && sv.unit.as_deref() == Some("元") {
                    x /= Decimal::from(10_000);
                }
                *dv = Value::number(dv.n() + x);
            }
        }
    }
    let form = r.form();
    let active_kinds: Vec<Vec<Kind>> =
        form.active_rows().map(|(b, _)| b.columns.iter().map(|c| c.kind).collect()).collect();
    fold(&mut sum.active, &r.active, |i, j| active_kinds.get(i).and_then(|k| k.get(j)).copied().unwrap_or(Kind::Count));
    fold(&mut sum.requests, &r.requests, |_, _| Kind::Count);
    fold(&mut sum.review, &r.review, |_, _| Kind::Count);
}

/// The running summary of a batch.
#[derive(Debug, Default)]
pub struct Summary {
    pub rows: Vec<Row>,
    pub findings: Vec<FileFinding>,
    pub totals: BTreeMap<(i32, Edition), Total>,
    /// sha256 → index of the first row with that content.
    by_hash: BTreeMap<String, usize>,
    /// (agency, year) → index of the first row and its figures.
    by_agency: BTreeMap<(String, i32), usize>,
}

impl Summary {
    /// Folds one converted report in. Duplicates of content are noted and not summed.
    pub fn add_report(&mut self, file: String, r: &Report, findings: &[Finding], strict_refused: bool) {
        let mut row = Row::converted(file.clone(), r, findings, strict_refused);
        let idx = self.rows.len();
        let mut duplicate_content = false;
        if let Some(&first) = self.by_hash.get(&r.sha256) {
            row.duplicate = format!("与“{}”内容完全相同", self.rows[first].file);
            duplicate_content = true;
        } else {
            self.by_hash.insert(r.sha256.clone(), idx);
        }
        if let (false, Some(year)) = (row.agency.is_empty(), row.year) {
            let key = (row.agency.clone(), year);
            match self.by_agency.get(&key) {
                Some(&first) if !duplicate_content => {
                    let other = &self.rows[first];
                    row.duplicate = if other.figures == row.figures {
                        format!("与“{}”是同一机关同一年度的报告", other.file)
                    } else {
                        format!("与“{}”是同一机关同一年度的报告，但数字不同", other.file)
                    };
                }
                Some(_) => {}
                None => {
                    self.by_agency.insert(key, idx);
                }
            }
        }
        if !duplicate_content {
            if let Some(year) = r.year.value {
                let t = self.totals.entry((year, r.edition)).or_insert_with(|| Total {
                    year,
                    edition: r.edition,
                    reports: 0,
                    sum: sum_report(r.edition, year),
                });
                t.reports += 1;
                add(&mut t.sum, r);
            }
        }
        self.findings.extend(findings.iter().map(|f| FileFinding { file: file.clone(), finding: f.clone() }));
        self.rows.push(row);
    }

    pub fn add_unreadable(&mut self, file: String, sha256: String, message: String) {
        let mut row = Row::unreadable(file, sha256.clone(), message);
        if !sha256.is_empty() {
            if let Some(&first) = self.by_hash.get(&sha256) {
                row.duplicate = format!("与“{}”内容完全相同", self.rows[first].file);
            } else {
                self.by_hash.insert(sha256, self.rows.len());
            }
        }
        self.rows.push(row);
    }

    /// Rows sorted by file, as the summary prints them.
    pub fn sorted_rows(&self) -> Vec<&Row> {
        let mut v: Vec<&Row> = self.rows.iter().collect();
        v.sort_by(|a, b| a.file.cmp(&b.file));
        v
    }

    pub fn count(&self, status: Status) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }
}

fn sum_report(edition: Edition, year: i32) -> Report {
    let mut r = Report::blank(edition);
    r.agency.value = Some("合计".into());
    r.year.value = Some(year);
    for row in r.active.iter_mut().chain(r.requests.iter_mut()).chain(r.review.iter_mut()) {
        for v in row.iter_mut() {
            *v = Value::number(Decimal::ZERO);
        }
    }
    r
}
