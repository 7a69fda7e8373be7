//! The records office's summary across many reports: one small row per input, the sums of
//! the tables per year and edition, every finding, and duplicates. Memory grows with the
//! rows, never with the reports: each report is folded in and dropped.

use crate::finding::Finding;
use crate::form::{Edition, Kind, SectionId};
use crate::model::{Report, Value};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub mod expect;
mod row;

pub(crate) use row::KEY_FIGURES;
pub use row::{Excluded, MailInfo, Row, Status};

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
    /// A report whose numbers are the sums; only their numbers are kept current while
    /// reports are added (the text of each is written once, by [`Total::sum`]).
    sum: Report,
}

impl Total {
    /// A report whose numbers are the sums (the region's combined figures).
    pub fn sum(&self) -> Report {
        let mut r = self.sum.clone();
        for row in r.active.iter_mut().chain(r.requests.iter_mut()).chain(r.review.iter_mut()) {
            for v in row.iter_mut() {
                *v = Value::number(v.n());
            }
        }
        r
    }
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
            // Only the number: its text is written once, with the total. The summary adds
            // on one thread while the workers convert, and formatting every sum anew there
            // cost 0.2 M instructions a report.
            let mut sum = dv.n() + x;
            // A report taken out again leaves `0 + -0`, which Decimal keeps as -0 ("-0").
            if sum.is_zero() {
                sum.set_sign_positive(true);
            }
            dv.num = Some(sum);
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
    /// Whether the report names its agency.
    named: bool,
    /// The numbers it adds to its year's total; `None` for a report without a year.
    contribution: Option<Contribution>,
}

impl Entry {
    pub fn of(file: String, r: &Report, findings: Vec<Finding>, strict_refused: bool) -> Entry {
        Entry {
            row: Row::converted(file, r, &findings, strict_refused),
            findings,
            sha256: r.sha256.clone(),
            named: r.agency.value.is_some(),
            contribution: r.year.value.map(|y| Contribution::of(r, y)),
        }
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The row's file, as the summary names it.
    pub fn file(&self) -> &str {
        &self.row.file
    }

    /// The entry of the `index`-th of `of` reports read from one workbook: the same bytes,
    /// yet no duplicate of its siblings.
    pub fn part(mut self, index: usize, of: usize) -> Entry {
        if of > 1 && !self.sha256.is_empty() {
            self.sha256 = format!("{}#{}", self.sha256, index + 1);
        }
        self
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
    /// With `batch --expect`: the agencies on the list with no report of the year.
    pub missing: Option<Missing>,
}

/// The agencies of `batch --expect`'s list that have not reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The year looked for (`None`: no report of the batch names a year).
    pub year: Option<i32>,
    pub agencies: Vec<String>,
}

impl Missing {
    /// The agencies of `list` without a report of the batch's year (`year` when given).
    pub fn of(list: &[String], summary: &Summary, year: Option<i32>) -> Missing {
        let year = expect::batch_year(summary, year);
        Missing { year, agencies: expect::missing(list, summary, year) }
    }
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
            missing: None,
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
        let Entry { mut row, findings, sha256, named, contribution } = entry;
        let file = row.file.clone();
        let idx = self.rows.len();
        self.findings.extend(findings.into_iter().map(|finding| FileFinding { file: file.clone(), finding }));
        // Only a report read from the same bytes is the same report.
        if let Some(&first) = self.by_hash.get(&sha256).filter(|_| !sha256.is_empty()) {
            row.duplicate = format!("与“{}”内容完全相同", self.rows[first].file);
            row.excluded = Some(Excluded::Duplicate);
            self.rows.push(row);
            return;
        }
        if !sha256.is_empty() {
            self.by_hash.insert(sha256, idx);
        }
        let Some(contribution) = contribution else {
            row.excluded = Some(Excluded::NoYear);
            self.rows.push(row);
            return;
        };
        if row.agency.is_empty() || !named {
            self.sum(&contribution, false);
            self.rows.push(row);
            return;
        }
        let key = (row.agency.clone(), contribution.key.0);
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

    /// A file that could not be read. Never a duplicate: equal bytes that are no report
    /// (every empty file, the same broken or encrypted file) are each their sender's to fix.
    pub fn add_unreadable(&mut self, file: String, sha256: String, message: String) {
        self.rows.push(Row::unreadable(file, sha256, message));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn report(agency: &str, received: i64) -> Report {
        let mut r = Report::blank(Edition::E2021);
        r.agency.value = Some(agency.into());
        r.year.value = Some(2023);
        r.sha256 = format!("{agency}-{received}");
        r.requests[0][6] = Value::number(Decimal::from(received));
        r
    }

    /// The sums keep only their numbers while reports are added; the total's report has
    /// each number's text too, after a resubmission took an earlier report's place (whose
    /// zeros, taken out, leave Decimal's -0, which must read "0").
    #[test]
    fn a_total_writes_each_sum_as_its_number_after_a_resubmission() {
        let at = |s| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        let mut s = Summary::default();
        s.add_report("a.xlsx".into(), &report("甲局", 5), &[], false, at(10));
        s.add_report("b.xlsx".into(), &report("乙局", 7), &[], false, at(10));
        s.add_report("a2.xlsx".into(), &report("甲局", 9), &[], false, at(20));
        let total = s.totals.values().next().expect("a total");
        assert_eq!(total.reports, 2);
        let sum = total.sum();
        let v = &sum.requests[0][6];
        assert_eq!((v.num, v.raw.as_str()), (Some(Decimal::from(16)), "16"));
        let zero = &sum.requests[1][0];
        assert_eq!((zero.num, zero.raw.as_str()), (Some(Decimal::ZERO), "0"));
    }
}
