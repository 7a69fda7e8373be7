//! `nianbao check`: read each file, run every rule, print the findings grouped by file
//! (errors first, in colour on a terminal), optionally write annotated copies.

use super::fsio::{display_name, distinct_stems, read_input, write_atomic};
use super::load::{read_options, read_previous};
use super::print::{print_json_array, print_json_line, print_text};
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
        Err(msg) => return Outcome::Unreadable(super::fsio::unreadable(&name, msg).to_string()),
    };
    match read::read(&bytes, &name, opts) {
        Ok(report) => {
            let findings = check::check(&report, check::Context { previous });
            Outcome::Checked(Box::new(report), findings, bytes)
        }
        Err(e) => Outcome::Unreadable(nianbao::Error::read(name, e).to_string()),
    }
}

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

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let opts = read_options(a.read);
    let previous = a.previous.map(|p| read_previous(p, &opts)).transpose()?;
    let mut code = EXIT_OK;
    let mut docs = Vec::new();
    // Two inputs with one name get distinct annotated copies.
    let stems = distinct_stems(a.files);
    for (path, stem) in a.files.iter().zip(&stems) {
        match check_file(path, &opts, previous.as_ref()) {
            Outcome::Checked(report, findings, bytes) => {
                let failing =
                    count(&findings, Severity::Error) > 0 || (a.strict && count(&findings, Severity::Warning) > 0);
                if failing {
                    code = code.max(EXIT_FINDINGS);
                }
                match a.format {
                    OutputFormat::Json | OutputFormat::JsonArray => {
                        let mut doc = json::report(&report, &findings);
                        if a.explain {
                            json::add_read_map(&mut doc, &report);
                        }
                        if a.format == OutputFormat::Json {
                            print_json_line(&doc);
                        } else {
                            docs.push(doc);
                        }
                    }
                    OutputFormat::Text => {
                        print_text(&report, &findings);
                        if a.explain {
                            print_read_map(&report);
                        }
                    }
                }
                if let Some(dir) = a.annotate {
                    if let Err(msg) = annotate(path, dir, stem, &bytes, &report, &findings) {
                        eprintln!("{msg}");
                        code = EXIT_UNREADABLE;
                    }
                }
            }
            Outcome::Unreadable(msg) => {
                code = EXIT_UNREADABLE;
                // The JSON names the file too, so a reader of the lines misses none.
                let doc = serde_json::json!({ "file": display_name(path), "error": msg });
                match a.format {
                    OutputFormat::Json => print_json_line(&doc),
                    OutputFormat::JsonArray => docs.push(doc),
                    OutputFormat::Text => {}
                }
                eprintln!("{msg}");
            }
        }
    }
    if a.format == OutputFormat::JsonArray {
        print_json_array(docs);
    }
    Ok(code)
}

/// The read map as text: one line per field, `字段  工作表!单元格  标签`.
fn print_read_map(report: &Report) {
    println!("  读取位置（{} 项）：", report.read_map.len());
    for e in &report.read_map {
        println!("    {}  {}  {}", e.field, e.cell, e.label);
    }
}

/// Writes `DIR/<stem>.xlsx`, the department's file with the finding cells marked and the
/// cells read filled green.
fn annotate(
    path: &Path,
    dir: &Path,
    stem: &str,
    bytes: &[u8],
    report: &Report,
    findings: &[Finding],
) -> Result<(), String> {
    let name = display_name(path);
    let out = nianbao::write::annotate::annotated_workbook(bytes, report, findings)
        .map_err(|e| e.in_file(&name).to_string())?;
    let target = dir.join(format!("{stem}.xlsx"));
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
