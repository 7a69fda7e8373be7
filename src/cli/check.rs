//! `nianbao check`: read each file, run every rule, print the findings.

use super::fsio::{display_name, read_input};
use super::{OutputFormat, ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use nianbao::finding::{count, Finding, Severity};
use nianbao::{check, json, read, Report};
use std::path::Path;

/// The outcome of reading and checking one file.
pub enum Outcome {
    Checked(Box<Report>, Vec<Finding>),
    Unreadable(String),
}

pub fn read_options(args: &ReadArgs) -> read::Options {
    read::Options { agency: args.agency.clone(), year: args.year, edition: None }
}

/// Reads and checks one file; an unreadable file is a message naming it.
pub fn check_file(path: &Path, opts: &read::Options) -> Outcome {
    let name = display_name(path);
    let bytes = match read_input(path) {
        Ok(b) => b,
        Err(msg) => return Outcome::Unreadable(format!("无法读取 {name}：{msg}")),
    };
    match read::read(&bytes, &name, opts) {
        Ok(report) => {
            let findings = check::check(&report, check::Context::default());
            Outcome::Checked(Box::new(report), findings)
        }
        Err(e) => Outcome::Unreadable(format!("无法读取 {name}：{e}")),
    }
}

pub fn run(files: &[std::path::PathBuf], format: OutputFormat, args: &ReadArgs) -> anyhow::Result<u8> {
    let opts = read_options(args);
    let mut code = EXIT_OK;
    let mut docs = Vec::new();
    for path in files {
        match check_file(path, &opts) {
            Outcome::Checked(report, findings) => {
                if count(&findings, Severity::Error) > 0 {
                    code = code.max(EXIT_FINDINGS);
                }
                match format {
                    OutputFormat::Json => docs.push(json::report(&report, &findings)),
                    OutputFormat::Text => print_text(&report, &findings),
                }
            }
            Outcome::Unreadable(msg) => {
                code = EXIT_UNREADABLE;
                eprintln!("{msg}");
            }
        }
    }
    if format == OutputFormat::Json {
        let out = if files.len() == 1 && docs.len() == 1 { docs.remove(0) } else { serde_json::Value::Array(docs) };
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(code)
}

pub fn print_text(report: &Report, findings: &[Finding]) {
    let (e, w) = (count(findings, Severity::Error), count(findings, Severity::Warning));
    println!(
        "{}（{}{}年度，{}年版）：{} 个错误，{} 个警告",
        report.file,
        report.agency_name(),
        report.year.value.map(|y| y.to_string()).unwrap_or_default(),
        report.edition,
        e,
        w
    );
    for f in findings {
        println!("  {f}");
    }
}
