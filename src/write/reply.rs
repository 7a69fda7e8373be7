//! The reply draft to a department's message: To the sender, `回复：` its subject, threaded
//! by In-Reply-To and References, a Chinese plain-text body from `templates/reply.j2` (and
//! the same text as simple HTML), with the Word report attached where the workbook is
//! clean and the annotated workbook where it is not. Composed with mail-builder; the
//! office opens the `.eml` in its mail client and sends it. No file system here.

use crate::error::ReplyError;
use crate::finding::{count, Finding, Severity};
use crate::model::Report;
use crate::read::mail::Origin;
use mail_builder::headers::address::Address;
use mail_builder::headers::message_id::MessageId;
use mail_builder::MessageBuilder;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde_json::json;

/// The embedded default wording.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/reply.j2");

/// What became of one workbook of the message.
pub enum Outcome<'a> {
    Converted {
        report: &'a Report,
        findings: &'a [Finding],
        /// The Word report, attached when there is no error.
        docx: Option<&'a [u8]>,
        /// The annotated workbook, attached when there are findings to fix.
        annotated: Option<&'a [u8]>,
    },
    Unreadable(String),
}

/// One workbook of the message and its outcome.
pub struct Item<'a> {
    /// The attachment's name as the sender gave it.
    pub name: &'a str,
    pub outcome: Outcome<'a>,
}

/// How a reply is composed.
pub struct Compose<'a> {
    /// The From line (`政务公开办 <gkb@example.gov.cn>`); none lets the mail client fill it.
    pub from: Option<&'a str>,
    /// A replacement for `reply.j2`.
    pub template: Option<&'a str>,
    /// The reply's Date, seconds since 1970.
    pub now: i64,
}

/// The file names the attachments of one item get: its Word report, and its annotated copy
/// (`<附件>（已标注）.xlsx`, or `.html` for a published report, whose copy is a web page).
pub fn attachment_names(item: &Item<'_>) -> (String, String) {
    let stem = item.name.rsplit('/').next().unwrap_or(item.name);
    let stem = stem.rsplit_once('.').map(|(s, _)| s).unwrap_or(stem);
    let docx = match &item.outcome {
        Outcome::Converted { report, .. } => match (&report.agency.value, report.year.value) {
            (Some(a), Some(y)) => format!("{a}{y}年度政府信息公开工作年度报告.docx"),
            _ => format!("{stem}.docx"),
        },
        Outcome::Unreadable(_) => format!("{stem}.docx"),
    };
    let ext = if published(item) { "html" } else { "xlsx" };
    (docx, format!("{stem}（已标注）.{ext}"))
}

/// Whether the item is a published report (web page, Word document, PDF).
fn published(item: &Item<'_>) -> bool {
    matches!(&item.outcome, Outcome::Converted { report, .. } if report.is_published())
}

/// The reply draft, as the bytes of an `.eml` file.
pub fn reply(origin: &Origin, items: &[Item<'_>], problems: &[String], c: &Compose<'_>) -> Result<Vec<u8>, ReplyError> {
    let text = body(origin, items, problems, c.template)?;
    let html = html(&text);
    let subject = if origin.subject.trim_start().starts_with("回复") || origin.subject.to_lowercase().starts_with("re:")
    {
        origin.subject.clone()
    } else {
        format!("回复：{}", origin.subject)
    };
    let to = match (&origin.name, &origin.address) {
        (Some(n), Some(a)) => Address::new_address(Some(n.clone()), a.clone()),
        (None, Some(a)) => Address::new_address(None::<String>, a.clone()),
        _ => return Err(ReplyError::NoSender),
    };
    let mut m = MessageBuilder::new().to(to).subject(subject).date(c.now).text_body(text).html_body(html);
    if let Some(from) = c.from {
        m = m.from(parse_address(from));
    }
    m = m.message_id(format!("nianbao.{}.{}@localhost", c.now, short_hash(origin)));
    if let Some(id) = &origin.message_id {
        m = m.in_reply_to(id.clone());
        let mut refs: Vec<String> = origin.references.clone();
        refs.push(id.clone());
        m = m.references(MessageId::new_list(refs.into_iter()));
    }
    for item in items {
        let (docx_name, annotated_name) = attachment_names(item);
        if let Outcome::Converted { docx, annotated, .. } = &item.outcome {
            if let Some(d) = docx {
                m = m.attachment(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx_name,
                    d.to_vec(),
                );
            }
            if let Some(a) = annotated {
                let ctype = if published(item) {
                    "text/html"
                } else {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                };
                m = m.attachment(ctype, annotated_name, a.to_vec());
            }
        }
    }
    m.write_to_vec().map_err(ReplyError::Mail)
}

/// `名称 <地址>` or a bare address.
fn parse_address(s: &str) -> Address<'static> {
    let s = s.trim();
    match (s.rfind('<'), s.rfind('>')) {
        (Some(l), Some(r)) if l < r => {
            let name = s[..l].trim().trim_matches('"').trim();
            let addr = s[l + 1..r].trim().to_string();
            Address::new_address((!name.is_empty()).then(|| name.to_string()), addr)
        }
        _ => Address::new_address(None::<String>, s.to_string()),
    }
}

fn short_hash(o: &Origin) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(o.message_id.as_deref().unwrap_or(&o.sender));
    h.update(o.subject.as_bytes());
    h.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The plain-text body from the template.
fn body(
    origin: &Origin,
    items: &[Item<'_>],
    problems: &[String],
    template: Option<&str>,
) -> Result<String, ReplyError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_fuel(Some(2_000_000));
    env.add_template("reply.j2", template.unwrap_or(DEFAULT_TEMPLATE))?;
    let contexts: Vec<_> = items.iter().map(|item| item_context(item, items)).collect();
    let greeting = origin.name.clone().map(|n| format!("{n}同志")).unwrap_or_else(|| "您好".to_string());
    let ctx = json!({
        "greeting": greeting,
        "sender": origin.sender,
        "subject": origin.subject,
        "date": origin.date,
        "message_id": origin.message_id,
        "items": contexts,
        "problems": problems,
    });
    let t = env.get_template("reply.j2")?;
    let out = t.render(ctx)?;
    if out.len() > 1_000_000 {
        return Err(ReplyError::TooLong);
    }
    Ok(out.replace('\r', ""))
}

/// An item's context: `name` its attachment's; `heading` the line that heads it, the
/// attachment's name, or for each of several agencies' reports one attachment holds
/// `<机关>（<附件>）`.
fn item_context(item: &Item<'_>, all: &[Item<'_>]) -> serde_json::Value {
    let (_, annotated) = attachment_names(item);
    match &item.outcome {
        Outcome::Unreadable(msg) => {
            json!({ "name": item.name, "heading": item.name, "published": false, "error": msg })
        }
        Outcome::Converted { report, findings, .. } => {
            let shared = all.iter().filter(|o| o.name == item.name).count() > 1;
            let heading = match report.agency.value.as_deref().filter(|a| shared && !a.trim().is_empty()) {
                Some(agency) => format!("{agency}（{}）", item.name),
                None => item.name.to_string(),
            };
            let shown: Vec<_> = findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| {
                    json!({
                        "severity": f.severity.zh(),
                        "code": f.rule,
                        // A published report's place as a reader finds it; a workbook's cell.
                        "cell": f.location.as_ref().map(|l| l.to_string()).or_else(|| f.cell.as_ref().map(|c| c.to_string())),
                        "message": f.message,
                    })
                })
                .collect();
            json!({
                "name": item.name,
                "heading": heading,
                "published": report.is_published(),
                "error": null,
                "agency": report.agency.value.clone().unwrap_or_default(),
                "year": report.year.value,
                "errors": count(findings, Severity::Error),
                "warnings": count(findings, Severity::Warning),
                "findings": shown,
                "annotated": annotated,
            })
        }
    }
}

/// The same text as simple HTML: one paragraph per line, escaped.
fn html(text: &str) -> String {
    let mut out = String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft YaHei',SimSun,sans-serif;font-size:14px\">");
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        out.push_str("<p style=\"margin:0 0 6px 0;white-space:pre-wrap\">");
        for ch in line.chars() {
            match ch {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
        out.push_str("</p>");
    }
    out.push_str("</body></html>");
    out
}
