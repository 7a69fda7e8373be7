//! `nianbao check`: read each file, run every rule, print the findings grouped by file
//! (errors first, in colour on a terminal), optionally write annotated copies.

use super::fsio::{display_name, read_input, safe_stem, write_atomic};
use super::load::{read_options, read_previous};
use super::print::print_text;
use super::{OutputFormat, ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use nianbao::finding::{count, Finding, Severity};
use nianbao::{check, json, read, Report};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The outcome of reading and checking one file.
pub enum Outcome {
    Checked(Box<Report>, Vec<Finding>, Vec<u8>),
    Unreadable(String),
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
    write_atomic(&target, &out).map_err(|e| format!("无法写入 {}", super::oserr::describe(&target, &e)))?;
    if std::io::stdout().is_terminal() {
        println!("  → {}", target.display());
    }
    Ok(())
}
