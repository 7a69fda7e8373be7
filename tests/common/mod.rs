//! Helpers shared by the integration tests.
#![allow(dead_code)]

use nianbao::model::{Report, Value};
use nianbao::read::{self, Options};
use nianbao::Edition;
use rust_decimal::Decimal;
use std::path::PathBuf;

/// A fixture's path.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A sample's path.
pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples").join(name)
}

/// Reads a fixture, panicking with the reader's message if it cannot be read.
pub fn read_fixture(name: &str) -> Report {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read::read(&bytes, name, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Reads workbook bytes made in a test.
pub fn read_bytes(bytes: &[u8], name: &str) -> Report {
    read::read(bytes, name, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The number of a table 三 cell, by ids.
pub fn req(r: &Report, row: &str, col: &str) -> i64 {
    let v = r.request(row, col).unwrap_or_else(|| panic!("no {row}/{col}"));
    v.num.and_then(|d| d.to_string().parse().ok()).unwrap_or_else(|| panic!("{row}/{col} is not a number: {:?}", v.raw))
}

/// The cell (`Sheet!A1`) a table 三 number came from.
pub fn req_cell(r: &Report, row: &str, col: &str) -> String {
    r.request(row, col).and_then(|v| v.cell.as_ref()).map(|c| c.to_string()).unwrap_or_default()
}

/// Sets a number in a report built in a test.
pub fn set(v: &mut Value, n: i64) {
    *v = Value::number(Decimal::from(n));
}

/// A blank report of an edition with agency and year set.
pub fn blank(edition: Edition, agency: &str, year: i32) -> Report {
    let mut r = Report::blank(edition);
    r.agency.value = Some(agency.into());
    r.year.value = Some(year);
    r
}

/// A section 二 number by ids, as its decimal text (`5949.088667`, `-5`).
pub fn act(r: &Report, row: &str, col: &str) -> String {
    let v = r.active_value(row, col).unwrap_or_else(|| panic!("no {row}/{col}"));
    v.num.map(|d| d.to_string()).unwrap_or_else(|| panic!("{row}/{col} is not a number: {:?}", v.raw))
}

/// The cell (`Sheet!A1`) a section 二 number came from.
pub fn act_cell(r: &Report, row: &str, col: &str) -> String {
    r.active_value(row, col).and_then(|v| v.cell.as_ref()).map(|c| c.to_string()).unwrap_or_default()
}

/// A table 四 number by group and column ids.
pub fn rev(r: &Report, group: &str, col: &str) -> i64 {
    let v = r.review_value(group, col).unwrap_or_else(|| panic!("no {group}/{col}"));
    v.num.and_then(|d| d.to_string().parse().ok()).unwrap_or_else(|| panic!("{group}/{col}: {:?}", v.raw))
}

/// The cell (`Sheet!A1`) a table 四 number came from.
pub fn rev_cell(r: &Report, group: &str, col: &str) -> String {
    r.review_value(group, col).and_then(|v| v.cell.as_ref()).map(|c| c.to_string()).unwrap_or_default()
}

/// Reads a fixture that must not be readable, returning the reader's error.
pub fn read_fixture_err(name: &str) -> nianbao::ReadError {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match read::read(&bytes, name, &Options::default()) {
        Ok(_) => panic!("{name} was read, but it should not be"),
        Err(e) => e,
    }
}
