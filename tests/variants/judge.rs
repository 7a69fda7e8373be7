//! Judging a read against the truth: read right, differing where a finding says so,
//! refused, or — the defect this generator hunts — silently wrong.

use super::grid::{Key, Pos, Table};
use super::variant::Variant;
use crate::layouts::Data;
use nianbao::check::{self, Context};
use nianbao::model::{Report, Value};
use nianbao::{Finding, ReadError, Severity};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What became of one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Every number, the agency and the year as true.
    Right,
    /// Some numbers differ, each where a READ-* finding (or an error at its cell) says so.
    Said,
    /// Refused with a message naming the file and why.
    Refused,
    /// A number differs with nothing said, or the agency or year is wrong.
    Silent,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Right, Outcome::Said, Outcome::Refused, Outcome::Silent];
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Right => "read right",
            Outcome::Said => "differs with READ-*",
            Outcome::Refused => "refused",
            Outcome::Silent => "SILENT WRONG",
        }
    }
}

/// A failure of the test: a silent wrong read, or a refusal of a workbook that should be
/// read (no perturbation of it makes refusing right).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fail {
    Silent,
    Refused,
}

pub struct Judgement {
    pub outcome: Outcome,
    /// The first differences: `依申请公开!J7 三 new_received/total: truth 12, read 13`.
    pub diffs: Vec<String>,
    /// The refusal's message.
    pub message: Option<String>,
}

impl Judgement {
    pub fn fail(&self, v: &Variant) -> Option<Fail> {
        match self.outcome {
            Outcome::Silent => Some(Fail::Silent),
            Outcome::Refused if !v.perts.iter().any(|p| p.may_refuse()) => Some(Fail::Refused),
            _ => None,
        }
    }
}

fn value<'a>(r: &'a Report, k: &Key) -> Option<&'a Value> {
    let t = match k.table {
        Table::Active => &r.active,
        Table::Requests => &r.requests,
        Table::Review => &r.review,
    };
    t.get(k.row).and_then(|row| row.get(k.col))
}

fn field(r: &Report, k: &Key) -> String {
    let f = r.form();
    let (row, col) = match k.table {
        Table::Active => {
            let (b, row) = f.active_rows().nth(k.row).expect("row");
            (row.id, b.columns[k.col].id)
        }
        Table::Requests => (f.requests_rows[k.row].id, f.requests_columns[k.col].id),
        Table::Review => (f.review_groups[k.row].id, f.review_columns[k.col].id),
    };
    format!("{} {row}/{col}", k.table.zh())
}

/// Whether a finding says that this number may be wrong: an error at its cell, a READ-LABEL
/// in its row or column (at the cell written or the cell read), or a READ-CHOICE when it
/// was read from another sheet than the one it was written on.
fn said(f: &Finding, v: &Value, written: Option<&Pos>) -> bool {
    let read_at = v.cell.as_ref();
    if f.severity == Severity::Error && f.cell.is_some() && f.cell.as_ref() == read_at {
        return true;
    }
    match f.rule {
        "READ-LABEL" => {
            let Some(fc) = &f.cell else { return false };
            let near_read = read_at.is_some_and(|c| c.sheet == fc.sheet && (c.row == fc.row || c.col == fc.col));
            let near_written =
                written.is_some_and(|p| *p.sheet == *fc.sheet && (p.row == fc.row || u32::from(p.col) == fc.col));
            near_read || near_written
        }
        "READ-CHOICE" => match (read_at, written) {
            (Some(c), Some(p)) => *c.sheet != *p.sheet,
            _ => false,
        },
        _ => false,
    }
}

/// Judges a read of a variant; `file` is the name it was read under. A workbook with a
/// second agency's tables is two reports, each judged against its own truth.
pub fn judge(v: &Variant, read: Result<Vec<Report>, ReadError>, file: &str, pos: &HashMap<Key, Pos>) -> Judgement {
    let reports = match read {
        Ok(r) => r,
        Err(e) => {
            let message = nianbao::Error::read(file, e).to_string();
            return Judgement { outcome: Outcome::Refused, diffs: Vec::new(), message: Some(message) };
        }
    };
    let truths: Vec<(u8, &Data)> = [(0, &v.truth)].into_iter().chain(v.other.as_ref().map(|o| (2, o))).collect();
    let mut diffs = Vec::new();
    let mut silent = false;
    if reports.len() != truths.len() {
        silent = true;
        let agencies: Vec<Option<&str>> = reports.iter().map(|r| r.agency.value.as_deref()).collect();
        diffs.push(format!("reports: truth {}, read {} ({agencies:?})", truths.len(), reports.len()));
    }
    for (r, (set, t)) in reports.iter().zip(truths) {
        silent |= judge_one(r, t, set, pos, &mut diffs);
    }
    let outcome = if silent {
        Outcome::Silent
    } else if diffs.is_empty() {
        Outcome::Right
    } else {
        Outcome::Said
    };
    Judgement { outcome, diffs, message: None }
}

/// Judges one report against its truth (the numbers written with keys of `set`); pushes
/// the first differences and returns whether any is silent.
fn judge_one(r: &Report, t: &Data, set: u8, pos: &HashMap<Key, Pos>, diffs: &mut Vec<String>) -> bool {
    let findings = check::check(r, Context::default());
    let mut silent = false;
    if r.edition != t.edition {
        silent = true;
        diffs.push(format!("edition: truth {}, read {}", t.edition, r.edition));
    } else {
        let tables = [(Table::Active, &t.active), (Table::Requests, &t.requests), (Table::Review, &t.review)];
        for (table, rows) in tables {
            for (i, row) in rows.iter().enumerate() {
                for (j, &n) in row.iter().enumerate() {
                    let k = Key { set: 0, table, row: i, col: j };
                    let got = value(r, &k);
                    if got.and_then(|g| g.num) == Some(Decimal::from(n)) {
                        continue;
                    }
                    let written = pos.get(&Key { set, ..k });
                    let ok = got.is_some_and(|g| findings.iter().any(|f| said(f, g, written)));
                    silent |= !ok;
                    if diffs.len() < 6 {
                        let w = written.map_or("?".into(), |p| p.to_string());
                        let read_at = got.and_then(|g| g.cell.as_ref()).map_or("nowhere".into(), |c| c.to_string());
                        let shown =
                            got.map_or("none".into(), |g| g.num.map_or(format!("{:?}", g.raw), |d| d.to_string()));
                        let tag = if ok { "said" } else { "SILENT" };
                        diffs.push(format!(
                            "{} written {w}: truth {n}, read {shown} from {read_at} ({tag})",
                            field(r, &k)
                        ));
                    }
                }
            }
        }
    }
    if r.year.value.is_some_and(|y| y != t.year) {
        silent = true;
        diffs.push(format!("year: truth {}, read {:?}", t.year, r.year.value));
    }
    if r.agency.value.as_deref().is_some_and(|a| a != t.agency) {
        silent = true;
        diffs.push(format!("agency: truth {}, read {:?}", t.agency, r.agency.value));
    }
    silent
}
