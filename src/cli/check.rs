//! `nianbao check`: read each file, run every rule, print the findings grouped by file
//! (errors first, in colour on a terminal), optionally write annotated copies.

use super::convert::read_previous;
use super::fsio::{display_name, read_input, safe_stem, write_atomic};
use super::{OutputFormat, ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use nianbao::finding::{count, Finding, Severity};
use nianbao::{check, json, read, Report};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The outcome of reading and checking one file.
pub enum Outcome {
    Checked(Box<Report>, Vec<Finding>, Vec<u8>),
    Unreadable(String),
}

pub fn read_options(args: &ReadArgs) -> read::Options {
    read::Options { agency: args.agency.clone(), year: args.year, edition: None }
}

/// Reads and checks one file; an unreadable file is a message naming it.
pub fn check_file(path: &Path, opts: &read::Options, previous: Option<&Report>) -> Outcome {
    let name = display_name(path);
    let bytes = match read_input(path) {
        Ok(b) => b,
        Err(msg) => return Outcome::Unreadable(format!("无法读取 {name}：{msg}")),
    };
    match read::read(&bytes, &name, opts) {
        Ok(report) => {
            let findings = check::check(&report, check::Context { previous });
            Outcome::Checked(Box::new(report), findings, bytes)
        }
        Err(e) => Outcome::Unreadable(format!("无法读取 {name}：{e}")),
    }
}

pub struct Args<'a> {
    pub files: &'a [PathBuf],
    pub format: OutputFormat,
    pub strict: bool,
    pub previous: Option<&'a Path>,
    pub annotate: Option<&'a Path>,
    pub read: &'a ReadArgs,
}

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let opts = read_options(a.read);
    let previous = a.previous.map(|p| read_previous(p, &opts)).transpose()?;
    let mut code = EXIT_OK;
    let mut docs = Vec::new();
    for path in a.files {
        match check_file(path, &opts, previous.as_ref()) {
            Outcome::Checked(report, findings, bytes) => {
                let failing =
                    count(&findings, Severity::Error) > 0 || (a.strict && count(&findings, Severity::Warning) > 0);
                if failing {
                    code = code.max(EXIT_FINDINGS);
                }
                match a.format {
                    OutputFormat::Json => docs.push(json::report(&report, &findings)),
                    OutputFormat::Text => print_text(&report, &findings),
                }
                if let Some(dir) = a.annotate {
                    if let Err(msg) = annotate(path, dir, &bytes, &findings) {
                        eprintln!("{msg}");
                        code = EXIT_UNREADABLE;
                    }
                }
            }
            Outcome::Unreadable(msg) => {
                code = EXIT_UNREADABLE;
                eprintln!("{msg}");
            }
        }
    }
    if a.format == OutputFormat::Json {
        let out = if a.files.len() == 1 && docs.len() == 1 { docs.remove(0) } else { serde_json::Value::Array(docs) };
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(code)
}

/// Writes `DIR/<stem>.xlsx`, the department's file with the finding cells marked.
fn annotate(path: &Path, dir: &Path, bytes: &[u8], findings: &[Finding]) -> Result<(), String> {
    let name = display_name(path);
    let format = read::open::sniff(bytes).map_err(|e| format!("无法标注 {name}：{e}"))?;
    let out =
        nianbao::write::annotate::annotate(bytes, format, findings).map_err(|e| format!("无法标注 {name}：{e}"))?;
    let target = dir.join(format!("{}.xlsx", safe_stem(path)));
    if let (Ok(a), Ok(b)) = (path.canonicalize(), target.canonicalize()) {
        if a == b {
            return Err(format!("{name}：标注后的文件会覆盖输入文件，请换一个文件夹"));
        }
    }
    write_atomic(&target, &out).map_err(|e| format!("无法写入 {}：{e}", target.display()))?;
    if std::io::stdout().is_terminal() {
        println!("  → {}", target.display());
    }
    Ok(())
}

/// Colour only on a terminal, and never when NO_COLOR is set.
fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn paint(s: &str, sev: Severity, colour: bool) -> String {
    if !colour {
        return s.to_string();
    }
    let code = match sev {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "2",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

/// One file's heading and its findings, errors first.
pub fn print_text(report: &Report, findings: &[Finding]) {
    let colour = use_colour();
    let (e, w) = (count(findings, Severity::Error), count(findings, Severity::Warning));
    let head = format!(
        "{}（{}{}年度，{}年版）：{} 个错误，{} 个警告",
        report.file,
        report.agency_name(),
        report.year.value.map(|y| y.to_string()).unwrap_or_default(),
        report.edition,
        e,
        w
    );
    // A closed pipe (`| head`) ends the output quietly instead of panicking.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", if colour { format!("\x1b[1m{head}\x1b[0m") } else { head });
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| f.severity);
    for f in sorted {
        let _ = writeln!(out, "  {}", paint(&f.to_string(), f.severity, colour));
    }
}
