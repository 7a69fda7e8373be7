//! One row of the summary: what became of an input, its agency, year and key figures, and
//! why it is not summed when it is not.

use crate::finding::{count, Finding, Severity};
use crate::form::Edition;
use crate::model::{Origin, Report, Value};
use rust_decimal::Decimal;

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
fn key_figures(r: &Report) -> Vec<Decimal> {
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
