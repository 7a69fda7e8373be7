//! Workbooks that arrive by mail: a saved message (`.eml`) or mailbox (`mbox`) given where a
//! workbook is expected is opened, each attached workbook converted as an input of its own
//! named `<sender> - <attachment>`, and a reply draft written for every message to
//! `OUTDIR/回复/<来信时间> <来信人>.eml`.

use super::fsio::{display_name, sanitize, write_renamed, Durability};
use nianbao::convert::{convert_from, Converted, Previous, Settings};
use nianbao::finding::{count, Severity};
use nianbao::mail::{self, Mail};
use nianbao::write::reply::{self, Compose, Item, Outcome};
use std::path::{Path, PathBuf};

/// Whether bytes read as an input are a mail file rather than a workbook.
pub fn is_mail(bytes: &[u8]) -> bool {
    mail::kind(bytes).is_some()
}

/// The messages of a mail file, or the message naming the file and why it gives none.
pub fn messages(path: &Path, bytes: &[u8]) -> Result<Vec<Mail>, String> {
    mail::messages(bytes).map_err(|e| format!("无法读取 {}：{e}", display_name(path)))
}

/// The output stem of a workbook taken from a message.
pub fn stem(m: &Mail, attachment: &str) -> String {
    let name = m.origin.input_name(attachment);
    let name = name.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or(name);
    sanitize(&name.replace('/', " "))
}

/// Where a message's reply draft goes: `回复/<来信时间> <来信人>.eml`.
pub fn reply_path(out: &Path, m: &Mail) -> PathBuf {
    let when = m.origin.date.as_deref().map(|d| d.get(..16).unwrap_or(d).replace(':', "")).unwrap_or_default();
    let who = m.origin.name.as_deref().or(m.origin.address.as_deref()).unwrap_or("未知发件人");
    out.join("回复").join(format!("{}.eml", sanitize(format!("{when} {who}").trim())))
}

/// The annotated copy of an attachment, for the reply.
fn annotated(bytes: &[u8], c: &Converted) -> Option<Vec<u8>> {
    if c.findings.iter().all(|f| f.severity == Severity::Info) {
        return None;
    }
    // The same copy `check --annotate` writes: findings red or yellow, cells read green.
    nianbao::write::annotate::annotated_workbook(bytes, &c.report, &c.findings).ok()
}

/// What became of each attachment of one message, for the reply.
pub enum Done {
    Converted(Box<Converted>, Option<Vec<u8>>),
    Unreadable(String),
}

/// Writes the reply draft of one message.
pub fn write_reply(
    out: &Path,
    m: &Mail,
    done: &[(String, Done)],
    from: Option<&str>,
    s: &Settings,
) -> Result<PathBuf, String> {
    let items: Vec<Item<'_>> = done
        .iter()
        .map(|(name, d)| Item {
            name,
            outcome: match d {
                Done::Converted(c, ann) => Outcome::Converted {
                    report: &c.report,
                    findings: &c.findings,
                    docx: (count(&c.findings, Severity::Error) == 0).then_some(c.docx.as_slice()),
                    annotated: ann.as_deref(),
                },
                Done::Unreadable(msg) => Outcome::Unreadable(msg.clone()),
            },
        })
        .collect();
    let now = s.fixed_time.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    });
    let problems: Vec<String> =
        m.why_empty().into_iter().chain(if m.attachments.is_empty() { vec![] } else { m.problems.clone() }).collect();
    let eml =
        reply::reply(&m.origin, &items, &problems, &Compose { from, template: s.reply_template.as_deref(), now })?;
    let path = reply_path(out, m);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    }
    write_renamed(&path, &eml, Durability::Now).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    Ok(path)
}

/// Converts every workbook of a mail file into `out`, prints findings as `convert` does,
/// writes the reply drafts; returns the exit code.
pub fn convert(
    path: &Path,
    bytes: &[u8],
    out: &Path,
    previous: Previous<'_>,
    s: &Settings,
    strict: bool,
    from: Option<&str>,
) -> u8 {
    let msgs = match messages(path, bytes) {
        Ok(m) => m,
        Err(msg) => {
            eprintln!("{msg}");
            return super::EXIT_UNREADABLE;
        }
    };
    let mut code = super::EXIT_OK;
    for m in &msgs {
        if let Some(why) = m.why_empty() {
            eprintln!("{}（{} 的邮件《{}》）：{why}", display_name(path), m.origin.sender, m.origin.subject);
            code = code.max(super::EXIT_UNREADABLE);
        }
        let mut done = Vec::new();
        for a in &m.attachments {
            let name = m.origin.input_name(&a.name);
            match convert_from(&a.bytes, &name, Some(&m.origin), previous, s) {
                Ok(c) => {
                    super::print::print_text(&c.report, &c.findings);
                    let failing = count(&c.findings, Severity::Error) > 0
                        || (strict && count(&c.findings, Severity::Warning) > 0);
                    if failing {
                        code = code.max(super::EXIT_FINDINGS);
                    }
                    if !(failing && strict) {
                        let st = stem(m, &a.name);
                        if let Err(e) = std::fs::create_dir_all(out)
                            .and_then(|_| super::fsio::write_outputs(out, &st, &c, Durability::Now))
                        {
                            eprintln!("无法写入 {st} 的输出：{e}");
                            code = code.max(super::EXIT_UNREADABLE);
                        } else {
                            println!("  → {}", out.join(format!("{st}.docx")).display());
                        }
                    }
                    let ann = annotated(&a.bytes, &c);
                    done.push((a.name.clone(), Done::Converted(Box::new(c), ann)));
                }
                Err(e) => {
                    eprintln!("{e}");
                    code = code.max(super::EXIT_UNREADABLE);
                    done.push((a.name.clone(), Done::Unreadable(e.reason())));
                }
            }
        }
        match write_reply(out, m, &done, from, s) {
            Ok(p) => println!("  回复草稿 → {}", p.display()),
            Err(msg) => {
                eprintln!("{msg}");
                code = code.max(super::EXIT_UNREADABLE);
            }
        }
    }
    code
}
