//! Printing a checked report for a person: a heading per file, findings errors first,
//! coloured on a terminal only; or for a program: JSON Lines or one JSON array.

use nianbao::finding::{count, Finding, Severity};
use nianbao::Report;
use std::io::{IsTerminal, Write};

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
    // Control characters from the file (BEL, ESC) are escaped: they must not drive the terminal.
    let head = super::fsio::printable(&head);
    let _ = writeln!(out, "{}", if colour { format!("\x1b[1m{head}\x1b[0m") } else { head });
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| f.severity);
    for f in sorted {
        let _ = writeln!(out, "  {}", paint(&super::fsio::printable(&f.to_string()), f.severity, colour));
    }
}

/// One object on one line, written at once so a consumer sees each file as it is checked.
pub fn print_json_line(doc: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{doc}");
    let _ = out.flush();
}

/// Every object as one JSON array, even for one file.
pub fn print_json_array(docs: Vec<serde_json::Value>) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(json_array_text(docs).as_bytes());
}

/// The text `--format json-array` prints (serve's answer for a workbook of several reports).
pub fn json_array_text(docs: Vec<serde_json::Value>) -> String {
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Array(docs)).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
