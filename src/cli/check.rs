//! `nianbao check`: read each file, run every rule, print the findings grouped by file
//! (errors first, in colour on a terminal), optionally write annotated copies. A saved
//! message or mailbox is checked attachment by attachment.

use super::fsio::{display_name, distinct_stems, sanitize, write_atomic, Own};
use super::input::{arrival, Arrival};
use super::load::{read_options, read_previous};
use super::mailin;
use super::print::{print_json_array, print_json_line, print_text};
use super::{OutputFormat, ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use nianbao::finding::{count, Finding, Severity};
use nianbao::read::mail::{Mail, MailError};
use nianbao::write::json;
use nianbao::{check, read, Report};
use serde_json::Value as Json;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub struct Args<'a> {
    pub files: &'a [PathBuf],
    pub format: OutputFormat,
    pub strict: bool,
    pub previous: Option<&'a Path>,
    pub annotate: Option<&'a Path>,
    /// Adds the read map: every field with its cell and label.
    pub explain: bool,
    pub read: &'a ReadArgs,
}

/// Where the results of the files checked go, and the exit code they come to.
struct Out<'a> {
    a: &'a Args<'a>,
    code: u8,
    /// The objects of `--format json-array`, printed at the end.
    docs: Vec<Json>,
}

/// One file checked, for its annotated copy: its name in the output, the input file the
/// copy must never overwrite, the copy's stem, the file as parsed.
struct Checked<'b> {
    name: &'b str,
    path: Option<&'b Path>,
    stem: &'b str,
    file: (&'b read::Parsed, &'b [u8]),
}

impl Out<'_> {
    /// Prints one report's findings (`mail`: the `"mail"` object an attachment's JSON gains).
    fn checked(&mut self, report: &Report, findings: &[Finding], mail: Option<Json>) {
        let failing = count(findings, Severity::Error) > 0 || (self.a.strict && count(findings, Severity::Warning) > 0);
        if failing {
            self.code = self.code.max(EXIT_FINDINGS);
        }
        match self.a.format {
            OutputFormat::Json | OutputFormat::JsonArray => {
                let mut doc = json::report(report, findings);
                if self.a.explain {
                    json::add_read_map(&mut doc, report);
                }
                if let (Some(m), Json::Object(o)) = (mail, &mut doc) {
                    o.insert("mail".into(), m);
                }
                self.emit(doc);
            }
            OutputFormat::Text => {
                print_text(report, findings);
                if self.a.explain {
                    print_read_map(report);
                }
            }
        }
    }

    /// Prints every report of one file and, with `--annotate`, writes its one annotated
    /// copy, which marks every report's cells (a workbook of several agencies included).
    fn file(&mut self, reports: &[(&Report, Vec<Finding>)], mail: Option<Json>, c: Checked<'_>) {
        for (report, findings) in reports {
            self.checked(report, findings, mail.clone());
        }
        if let Some(dir) = self.a.annotate {
            if let Err(msg) = annotate(&c, dir, reports) {
                eprintln!("{msg}");
                self.code = EXIT_UNREADABLE;
            }
        }
    }

    /// A file, message or attachment that gives no report. The JSON names it too, so a
    /// reader of the lines misses none.
    fn unreadable(&mut self, file: &str, msg: String, mail: Option<Json>) {
        self.code = EXIT_UNREADABLE;
        let mut doc = serde_json::json!({ "file": file, "error": msg });
        if let (Some(m), Json::Object(o)) = (mail, &mut doc) {
            o.insert("mail".into(), m);
        }
        if self.a.format != OutputFormat::Text {
            self.emit(doc);
        }
        eprintln!("{msg}");
    }

    fn emit(&mut self, doc: Json) {
        match self.a.format {
            OutputFormat::Json => print_json_line(&doc),
            OutputFormat::JsonArray => self.docs.push(doc),
            OutputFormat::Text => {}
        }
    }
}

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let opts = nianbao::read::Options { explain: a.explain, ..read_options(a.read) };
    let previous = a.previous.map(|p| read_previous(p, &opts)).transpose()?;
    let mut out = Out { a: &a, code: EXIT_OK, docs: Vec::new() };
    // Two inputs with one name get distinct annotated copies; so do attachments.
    let stems = distinct_stems(a.files);
    let mut used: HashSet<String> = stems.iter().map(|s| s.to_lowercase()).collect();
    for (path, stem) in a.files.iter().zip(&stems) {
        let name = display_name(path);
        let bytes = match mailin::read_input(path) {
            Ok(b) => b,
            Err(msg) => {
                out.unreadable(&name, super::fsio::unreadable(&name, msg).to_string(), None);
                continue;
            }
        };
        match arrival(&bytes) {
            Arrival::Own(Own::Summary) => {
                let msg = super::fsio::unreadable(&name, super::fsio::SUMMARY_NOT_A_REPORT.into());
                out.unreadable(&name, msg.to_string(), None);
                continue;
            }
            Arrival::Mail(msgs) => {
                check_mail(&mut out, &name, msgs, &opts, previous.as_ref(), &mut used);
                continue;
            }
            Arrival::Own(Own::Archive | Own::Report | Own::Pdf) | Arrival::Report => {}
        }
        // A workbook holding several agencies' reports is checked report by report.
        match read::parse(&bytes).and_then(|p| Ok((read::read_all_parsed(&p, &bytes, &name, &opts)?, p))) {
            Ok((reports, parsed)) => {
                let checked = checked(&reports, previous.as_ref());
                let c = Checked { name: &name, path: Some(path), stem, file: (&parsed, &bytes) };
                out.file(&checked, None, c);
            }
            Err(e) => out.unreadable(&name, nianbao::Error::read(name.clone(), e).to_string(), None),
        }
    }
    let code = out.code;
    if a.format == OutputFormat::JsonArray {
        print_json_array(out.docs);
    }
    Ok(code)
}

/// Checks every workbook attached to the messages of a mail file. Each is named
/// `信.eml#附件名` (`收件箱.mbox#N#附件名` in a mailbox); its JSON gains `"mail"`.
fn check_mail(
    out: &mut Out<'_>,
    name: &str,
    msgs: Result<Vec<Mail>, MailError>,
    opts: &read::Options,
    previous: Option<&Report>,
    used: &mut HashSet<String>,
) {
    let msgs = match msgs {
        Ok(m) => m,
        Err(e) => return out.unreadable(name, format!("无法读取 {name}：{e}"), None),
    };
    for (i, m) in msgs.iter().enumerate() {
        let message = mailin::message_ref(name, i, msgs.len());
        let info = |attachment: Option<&str>| mail_json(name, i, attachment, m);
        if let (true, Some(why)) = (m.problems.is_empty(), m.why_empty()) {
            out.unreadable(&message, format!("{message}（{}）：{why}", mailin::described(m)), Some(info(None)));
            continue;
        }
        // Each attachment that cannot be taken is a line of its own, named as it would be.
        for p in &m.problems {
            let file = p.attachment.as_deref().map_or(message.clone(), |a| mailin::attachment_id(&message, a));
            let msg = format!("{file}（{}）：{}", mailin::described(m), p.message);
            out.unreadable(&file, msg, Some(info(p.attachment.as_deref())));
        }
        for att in &m.attachments {
            let file = mailin::attachment_id(&message, &att.name);
            match read::parse(&att.bytes).and_then(|p| Ok((read::read_all_parsed(&p, &att.bytes, &file, opts)?, p))) {
                Ok((mut reports, parsed)) => {
                    // Named after the attachment (a workbook in a zip: after the workbook).
                    let base = att.name.rsplit('/').next().unwrap_or(&att.name);
                    let base = base.rsplit_once('.').map_or(base, |(s, _)| s);
                    let stem = mailin::unique(sanitize(base), used);
                    for report in &mut reports {
                        report.origin = Some(m.origin.clone());
                    }
                    let checked = checked(&reports, previous);
                    let c = Checked { name: &file, path: None, stem: &stem, file: (&parsed, &att.bytes) };
                    out.file(&checked, Some(info(Some(&att.name))), c);
                }
                Err(e) => out.unreadable(
                    &file,
                    format!("无法读取 {file}（{}）：{e}", mailin::described(m)),
                    Some(info(Some(&att.name))),
                ),
            }
        }
    }
}

/// Every report of a file with its findings.
fn checked<'r>(reports: &'r [Report], previous: Option<&Report>) -> Vec<(&'r Report, Vec<Finding>)> {
    reports.iter().map(|r| (r, check::check(r, check::Context { previous }))).collect()
}

/// The `"mail"` object of an attachment's (or a message's) JSON: which mail file, which
/// message in it (from 1), which attachment, and the message's particulars.
fn mail_json(file: &str, index: usize, attachment: Option<&str>, m: &Mail) -> Json {
    let o = &m.origin;
    serde_json::json!({
        "file": file,
        "message": index + 1,
        "attachment": attachment,
        "sender": o.sender,
        "date": o.date,
        "subject": o.subject,
        "message_id": o.message_id,
    })
}

/// The read map as text: one line per field, `字段  工作表!单元格  标签`.
fn print_read_map(report: &Report) {
    println!("  读取位置（{} 项）：", report.read_map.len());
    for e in &report.read_map {
        println!("    {}  {}  {}", e.field, e.cell, e.label);
    }
}

/// Writes `DIR/<stem>.xlsx`, the department's file with the finding cells of every report
/// it holds marked and the cells read filled green; for a published report (web page, Word
/// document, PDF), `DIR/<stem>.html`, its tables with the finding cells marked.
fn annotate(c: &Checked<'_>, dir: &Path, reports: &[(&Report, Vec<Finding>)]) -> Result<(), String> {
    let (out, ext) = match reports {
        [(report, findings)] if report.is_published() => {
            let out = nianbao::write::marked::marked_tables(report, findings)
                .map_err(|e| nianbao::Error::write("HTML", e).in_file(c.name).to_string())?;
            (out.into_bytes(), "html")
        }
        _ => {
            let all: Vec<(&Report, &[Finding])> = reports.iter().map(|(r, f)| (*r, f.as_slice())).collect();
            let out = nianbao::convert::annotated_workbook(c.file.0, c.file.1, &all)
                .map_err(|e| e.in_file(c.name).to_string())?;
            (out, "xlsx")
        }
    };
    let target = dir.join(format!("{}.{ext}", c.stem));
    if let (Some(Ok(a)), Ok(b)) = (c.path.map(Path::canonicalize), target.canonicalize()) {
        if a == b {
            return Err(format!("{}：标注后的文件会覆盖输入文件，请换一个文件夹", c.name));
        }
    }
    write_atomic(&target, &out).map_err(|e| format!("无法写入 {}", super::oserr::describe(&target, &e)))?;
    if std::io::stdout().is_terminal() {
        println!("  → {}", target.display());
    }
    Ok(())
}
