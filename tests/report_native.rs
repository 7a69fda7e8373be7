//! The report model and the findings of each sample and of a few fixtures, printed as plain
//! text (as pandoc's `.native` prints its document model) into insta snapshots
//! (`tests/snapshots/native-*.snap`) beside the XML goldens: any change in what the reader
//! reads — a number, its cell, the agency, year, edition, the narrative — or in what `check`
//! finds shows as a readable diff in review.
//!
//! After an intended change, rewrite the snapshots with
//! `INSTA_UPDATE=always cargo test --test main report_native` and review the diff in git, or
//! run the tests and accept the `.snap.new` files with `cargo insta review`. On CI
//! (`CI=true`) a difference fails and nothing is written.

use crate::common::{fixture, sample};
use nianbao::check::{self, Context};
use nianbao::finding::Finding;
use nianbao::model::{Meta, Report, State, Text, Value};
use nianbao::read::{self, Options};
use std::fmt::{Display, Write as _};
use std::path::PathBuf;

/// The samples and the fixtures printed, by a short ASCII name for the snapshot files.
fn inputs() -> Vec<(&'static str, PathBuf)> {
    vec![
        ("2020-jiangyuan", sample("2020-江源区.xlsx")),
        ("2023-market", sample("2023-某某县市场监督管理局.xlsx")),
        ("2023-market-total-wrong", sample("2023-某某县市场监督管理局-总计有误.xlsx")),
        ("edition-2019-xls", fixture("edition-2019.xls")),
        ("edition-2021-ods", fixture("edition-2021.ods")),
        ("amount-with-unit-2019", fixture("amount-with-unit-2019.xlsx")),
        ("numbers-as-text", fixture("numbers-as-text.xlsx")),
        ("uncached-sum-formulas", fixture("uncached-sum-formulas.xlsx")),
        ("hidden-last-year-first", fixture("hidden-last-year-first.xlsx")),
        ("labels-edited", fixture("labels-edited.xlsx")),
    ]
}

fn at<T: Display>(cell: Option<&T>) -> String {
    cell.map_or_else(|| "(no cell)".to_string(), |c| format!("@ {c}"))
}

fn meta<T: Display>(out: &mut String, name: &str, m: &Meta<T>) {
    let value = m.value.as_ref().map_or_else(|| "(none)".to_string(), ToString::to_string);
    let _ = writeln!(out, "{name}: {value} {} ({:?})", at(m.cell.as_ref()), m.source);
}

/// `3 @ 依申请公开!J7`, with the state and the typed text where they say more than the number.
fn value(v: &Value) -> String {
    let mut s = v.num.map_or_else(|| "(not a number)".to_string(), |n| n.to_string());
    if v.state != State::Number {
        let _ = write!(s, " [{:?}]", v.state);
    }
    if v.num.map(|n| n.to_string()).as_deref() != Some(v.raw.as_str()) && !v.raw.is_empty() {
        let _ = write!(s, " raw {:?}", v.raw);
    }
    if let Some(u) = &v.unit {
        let _ = write!(s, " unit {u}");
    }
    format!("{s} {}", at(v.cell.as_ref()))
}

fn text(out: &mut String, name: &str, t: &Text) {
    let _ = writeln!(out, "{name} {}", at(t.cell.as_ref()));
    for line in t.text.lines() {
        let _ = writeln!(out, "  | {line}");
    }
}

fn finding(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "{f}");
    if !f.related.is_empty() {
        let related: Vec<String> = f.related.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "  related: {}", related.join(", "));
    }
    if let (Some(e), Some(n)) = (f.expected, f.found) {
        let _ = writeln!(out, "  expected {e}, found {n}");
    }
}

/// The report and its findings as text, every field on its own line, in form order.
fn native(r: &Report, findings: &[Finding]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "file: {}\nedition: {}", r.file, r.edition);
    meta(&mut out, "agency", &r.agency);
    meta(&mut out, "year", &r.year);
    let c = &r.contact;
    for (name, v) in [
        ("website", &c.website),
        ("office", &c.office),
        ("address", &c.address),
        ("postcode", &c.postcode),
        ("phone", &c.phone),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "contact.{name}: {v}");
        }
    }
    if let Some(choice) = &r.read_choice {
        let _ =
            writeln!(out, "read: {} (left: {}; {})", choice.taken.join("、"), choice.left.join("、"), choice.reason);
    }
    out.push_str("\n== numbers\n");
    for n in r.cells() {
        let _ = writeln!(out, "{}.{}.{} = {}", n.section, n.row, n.col, value(n.value));
    }
    for (name, v) in [("fee.count", &r.fee.count), ("fee.amount", &r.fee.amount)] {
        if let Some(v) = v {
            let _ = writeln!(out, "{name} = {}", value(v));
        }
    }
    for line in &r.active_extra {
        let _ = writeln!(out, "active.extra {:?} {}", line.text, at(line.cell.as_ref()));
    }
    out.push_str("\n== narrative\n");
    text(&mut out, "overview", &r.text.overview);
    text(&mut out, "problems", &r.text.problems);
    text(&mut out, "other_matters", &r.text.other_matters);
    if !r.unknown_labels.is_empty() {
        out.push_str("\n== unknown labels\n");
        for u in &r.unknown_labels {
            let _ = writeln!(out, "{} {:?} (nearest {:?})", u.cell, u.text, u.nearest);
        }
    }
    let _ = writeln!(out, "\n== findings ({})", findings.len());
    for f in findings {
        finding(&mut out, f);
    }
    out
}

#[test]
fn report_model_and_findings_of_each_sample_and_some_fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    for (name, path) in inputs() {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or_default();
        let report = read::read(&bytes, file, &Options::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let findings = check::check(&report, Context::default());
        let text = native(&report, &findings);
        settings.bind(|| insta::assert_snapshot!(format!("native-{name}"), text));
    }
}
