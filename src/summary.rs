//! The records office's summary across many reports: one small row per input, the sums of
//! the tables per year and edition, every finding, and duplicates. Memory grows with the
//! rows, never with the reports: each report is folded in and dropped.

use crate::finding::{count, Finding, Severity};
use crate::form::{Edition, Kind, SectionId};
use crate::model::{Origin, Report, Value};
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
    /// Read and checked, but its outputs could not be written (a full disk, a read-only
    /// folder): nianbao's problem, not the department's.
    Unwritable,
    /// Not a workbook to convert: a FIFO or device, or a file nianbao wrote itself.
    Skipped,
}

impl Status {
    pub fn zh(self) -> &'static str {
        match self {
            Status::Ok => "已转换",
            Status::Errors => "有错误",
            Status::Unreadable => "无法读取",
            Status::Refused => "有错误，未生成",
            Status::Unwritable => "无法写入",
            Status::Skipped => "已跳过",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Errors => "errors",
            Status::Unreadable => "unreadable",
            Status::Refused => "refused",
            Status::Unwritable => "unwritable",
            Status::Skipped => "skipped",
        }
    }
}

/// The key figures of a report, named for the summary's columns.
pub(crate) const KEY_FIGURES: [(&str, &str); 14] = [
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
    /// Why the row's figures are not in the totals; `None` when they are.
    pub excluded: Option<Excluded>,
    /// The message the workbook came in, for one that came by mail.
    pub mail: Option<MailInfo>,
}

/// The message a workbook came in: the summary's 来信人, 来信时间, 邮件主题, Message-ID
/// and 邮件文件.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailInfo {
    /// The mail file, relative to the input folder.
    pub file: String,
    /// The message's number in the file, from 1 (several in a mailbox).
    pub message: usize,
    /// How many messages the file holds.
    pub messages: usize,
    /// The attachment's name; `None` for a row about the whole message.
    pub attachment: Option<String>,
    pub sender: String,
    pub date: Option<String>,
    pub subject: String,
    pub message_id: Option<String>,
}

impl MailInfo {
    pub fn of(origin: &Origin, file: String, message: usize, messages: usize, attachment: Option<String>) -> MailInfo {
        MailInfo {
            file,
            message,
            messages,
            attachment,
            sender: origin.sender.clone(),
            date: origin.date.clone(),
            subject: origin.subject.clone(),
            message_id: origin.message_id.clone(),
        }
    }

    /// The message as `check` names it: the file, and `#N` in a mailbox of several.
    pub fn message_ref(&self) -> String {
        if self.messages > 1 {
            format!("{}#{}", self.file, self.message)
        } else {
            self.file.clone()
        }
    }
}

/// Why a row is left out of the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Excluded {
    /// The same content as a row already summed.
    Duplicate,
    /// A newer file (by modification time) of the same agency and year is summed instead.
    Superseded,
    /// The file could not be read.
    Unreadable,
    /// Not a workbook to convert (see [`Status::Skipped`]).
    Skipped,
    /// The report names no year, so it belongs to no total.
    NoYear,
}

impl Excluded {
    pub fn id(self) -> &'static str {
        match self {
            Excluded::Duplicate => "duplicate",
            Excluded::Superseded => "superseded",
            Excluded::Unreadable => "unreadable",
            Excluded::Skipped => "skipped",
            Excluded::NoYear => "no_year",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Excluded::Duplicate => "内容重复",
            Excluded::Superseded => "已被较新的文件取代",
            Excluded::Unreadable => "无法读取",
            Excluded::Skipped => "已跳过",
            Excluded::NoYear => "未写明年度",
        }
    }
}

fn n(v: Option<&Value>) -> Decimal {
    v.map(Value::n).unwrap_or(Decimal::ZERO)
}

/// The key figures of a report, comparable across editions.
pub(crate) fn key_figures(r: &Report) -> Vec<Decimal> {
    use crate::form::{ActiveCol as C, ActiveRow as A, ReqCol, ReqRow as Q, ReviewCol, ReviewGroup as G};
    let (issued, in_force) = match r.edition {
        Edition::E2021 => (C::Issued, C::InForce),
        Edition::E2019 => (C::Made, C::TotalPublic),
    };
    let t = |row: Q| n(r.requests_at(row, ReqCol::Total));
    let rev = |g: G| n(r.review_at(g, ReviewCol::Total));
    vec![
        n(r.active_at(A::Regulations, issued)),
        n(r.active_at(A::NormativeDocuments, issued)),
        n(r.active_at(A::Regulations, in_force)),
        n(r.active_at(A::NormativeDocuments, in_force)),
        n(r.active_at(A::Licensing, C::Decisions)),
        n(r.active_at(A::Penalty, C::Decisions)),
        n(r.active_at(A::Enforcement, C::Decisions)),
        t(Q::NewReceived),
        t(Q::CarriedOver),
        t(Q::Granted),
        t(Q::ResultTotal),
        t(Q::CarriedForward),
        rev(G::Review),
        rev(G::LitigationDirect) + rev(G::LitigationAfterReview),
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
            excluded: None,
            mail: None,
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
            excluded: Some(Excluded::Unreadable),
            mail: None,
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

/// A report's numbers as they go into a total: amounts in 元 converted to the 万元 the 2021
/// header names. Kept for the one report of each agency and year that is summed, so a newer
/// resubmission can take its place.
#[derive(Debug, Clone)]
struct Contribution {
    key: (i32, Edition),
    /// Every number with its table and position there (row, column), in form order;
    /// small positions, since one is kept per agency and year of a batch.
    numbers: Vec<(SectionId, u16, u16, Decimal)>,
}

impl Contribution {
    fn of(r: &Report, year: i32) -> Contribution {
        let numbers = r
            .cells()
            .filter_map(|n| {
                let mut x = n.value.n();
                if n.kind == Kind::Amount && n.value.unit.as_deref() == Some("元") {
                    x /= Decimal::from(10_000);
                }
                Some((n.section, u16::try_from(n.at.0).ok()?, u16::try_from(n.at.1).ok()?, x))
            })
            .collect();
        Contribution { key: (year, r.edition), numbers }
    }

    /// Adds (or, with `negate`, takes away) these numbers into a sum of the same edition.
    fn apply(&self, sum: &mut Report, negate: bool) {
        for &(section, i, c, x) in &self.numbers {
            let (i, c) = (usize::from(i), usize::from(c));
            let Some(dv) = sum.table_mut(section).and_then(|t| t.get_mut(i)).and_then(|row| row.get_mut(c)) else {
                continue;
            };
            let x = if negate { -x } else { x };
            *dv = Value::number(dv.n() + x);
        }
    }
}

/// The report summed for one agency and year, and when its file was last modified.
#[derive(Debug)]
struct Summed {
    row: usize,
    mtime: Option<std::time::SystemTime>,
    contribution: Option<Contribution>,
}

/// A converted report as the summary takes it: its row, its findings and the numbers it
/// adds to a total, prepared where the report was converted (by each worker of a batch) so
/// that adding it to the summary is bookkeeping only.
#[derive(Debug, Clone)]
pub struct Entry {
    row: Row,
    findings: Vec<Finding>,
    sha256: String,
    year: Option<i32>,
    /// Whether the report names its agency.
    named: bool,
    contribution: Option<Contribution>,
}

impl Entry {
    pub fn of(file: String, r: &Report, findings: Vec<Finding>, strict_refused: bool) -> Entry {
        let row = Row::converted(file, r, &findings, strict_refused);
        let year = r.year.value;
        Entry {
            row,
            findings,
            sha256: r.sha256.clone(),
            year,
            named: r.agency.value.is_some(),
            contribution: year.map(|y| Contribution::of(r, y)),
        }
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// The running summary of a batch.
#[derive(Debug)]
pub struct Summary {
    pub rows: Vec<Row>,
    pub findings: Vec<FileFinding>,
    pub totals: BTreeMap<(i32, Edition), Total>,
    /// False when the batch was stopped (a signal) before every file was processed.
    pub complete: bool,
    /// sha256 → index of the first row with that content.
    by_hash: BTreeMap<String, usize>,
    /// (agency, year) → the one report of that agency and year in the totals.
    by_agency: BTreeMap<(String, i32), Summed>,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            rows: Vec::new(),
            findings: Vec::new(),
            totals: BTreeMap::new(),
            complete: true,
            by_hash: BTreeMap::new(),
            by_agency: BTreeMap::new(),
        }
    }
}

impl Summary {
    /// Folds one converted report in. A duplicate of content is noted and not summed; of
    /// several reports of one agency and year only the newest file (by modification time,
    /// `mtime`; the later one on a tie) is summed, the others are noted as superseded. For a
    /// workbook that came by mail `mtime` is the message's Date.
    pub fn add_report(
        &mut self,
        file: String,
        r: &Report,
        findings: &[Finding],
        strict_refused: bool,
        mtime: Option<std::time::SystemTime>,
    ) {
        self.add(Entry::of(file, r, findings.to_vec(), strict_refused), mtime);
    }

    /// [`Summary::add_report`] for an entry prepared beforehand.
    pub fn add(&mut self, entry: Entry, mtime: Option<std::time::SystemTime>) {
        let Entry { mut row, findings, sha256, year, named, contribution } = entry;
        let file = row.file.clone();
        let idx = self.rows.len();
        self.findings.extend(findings.into_iter().map(|finding| FileFinding { file: file.clone(), finding }));
        if let Some(&first) = self.by_hash.get(&sha256) {
            row.duplicate = format!("与“{}”内容完全相同", self.rows[first].file);
            row.excluded = Some(Excluded::Duplicate);
            self.rows.push(row);
            return;
        }
        self.by_hash.insert(sha256, idx);
        let (Some(year), Some(contribution)) = (year, contribution) else {
            row.excluded = Some(Excluded::NoYear);
            self.rows.push(row);
            return;
        };
        if row.agency.is_empty() || !named {
            self.sum(&contribution, false);
            self.rows.push(row);
            return;
        }
        let key = (row.agency.clone(), year);
        match self.by_agency.get(&key).map(|s| (s.row, s.mtime)) {
            None => {
                self.sum(&contribution, false);
                self.by_agency.insert(key, Summed { row: idx, mtime, contribution: Some(contribution) });
                self.rows.push(row);
            }
            Some((other, other_mtime)) => {
                let differ = if self.rows[other].figures == row.figures { "" } else { "，但数字不同" };
                let newer = match (mtime, other_mtime) {
                    (Some(a), Some(b)) => a >= b,
                    _ => true,
                };
                if newer {
                    self.sum(&contribution, false);
                    let old = self.by_agency.get_mut(&key).and_then(|s| {
                        s.row = idx;
                        s.mtime = mtime;
                        s.contribution.replace(contribution)
                    });
                    if let Some(old) = old {
                        self.sum(&old, true);
                    }
                    let older = &mut self.rows[other];
                    older.excluded = Some(Excluded::Superseded);
                    older.duplicate =
                        format!("与“{file}”是同一机关同一年度的报告{differ}；以较新的“{file}”计入合计，本文件未计入");
                    row.duplicate =
                        format!("与“{}”是同一机关同一年度的报告{differ}；本文件较新，计入合计", self.rows[other].file);
                } else {
                    let kept = self.rows[other].file.clone();
                    row.excluded = Some(Excluded::Superseded);
                    row.duplicate =
                        format!("与“{kept}”是同一机关同一年度的报告{differ}；以较新的“{kept}”计入合计，本文件未计入");
                    // The one summed says so too, whichever of the two was read first.
                    let newer = &mut self.rows[other];
                    if newer.duplicate.is_empty() {
                        newer.duplicate = format!("与“{file}”是同一机关同一年度的报告{differ}；本文件较新，计入合计");
                    }
                }
                self.rows.push(row);
            }
        }
    }

    /// Adds a report's numbers to its total, or takes them away again.
    fn sum(&mut self, c: &Contribution, negate: bool) {
        let (year, edition) = c.key;
        let t = self.totals.entry(c.key).or_insert_with(|| Total {
            year,
            edition,
            reports: 0,
            sum: sum_report(edition, year),
        });
        c.apply(&mut t.sum, negate);
        if negate {
            t.reports = t.reports.saturating_sub(1);
            if t.reports == 0 {
                self.totals.remove(&c.key);
            }
        } else {
            t.reports += 1;
        }
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

    /// A file left alone, with the reason (`first_error`).
    pub fn add_skipped(&mut self, file: String, reason: String) {
        let mut row = Row::unreadable(file, String::new(), reason);
        row.status = Status::Skipped;
        row.excluded = Some(Excluded::Skipped);
        self.rows.push(row);
    }

    /// Marks the last row added (a converted report) as one whose outputs could not be
    /// written; its figures stay in the totals (the report was read and checked).
    pub fn mark_unwritable(&mut self, message: String) {
        if let Some(row) = self.rows.last_mut() {
            row.status = Status::Unwritable;
            row.first_error = message;
        }
    }

    /// Notes the message the last row added came in.
    pub fn set_mail(&mut self, mail: MailInfo) {
        if let Some(row) = self.rows.last_mut() {
            row.mail = Some(mail);
        }
    }

    /// Rows sorted by file, as the summary prints them.
    pub(crate) fn sorted_rows(&self) -> Vec<&Row> {
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
