//! `batch --expect LIST`: the agencies that should report, and which of them have not.
//! A list is a text or CSV file (one agency a line) or a workbook (one a row); names match
//! the reports' agencies after normalising what lists and seals vary in: full-width and
//! half-width forms, spaces, and a `（盖章）` after the name.

use super::{Status, Summary};
use crate::read::open;
use crate::read::value::Raw;
use std::collections::{BTreeMap, HashSet};

/// Words a list's header row holds, not agencies.
const HEADERS: [&str; 8] = ["机关", "单位", "名称", "机关名称", "单位名称", "序号", "部门", "部门名称"];

/// Marks after a name that are no part of it.
const MARKS: [&str; 6] = ["(盖章)", "(公章)", "(签章)", "(印章)", "(章)", "盖章"];

/// The name as compared: normalised as labels are (half-width, no spaces, one kind of
/// bracket), without a seal's mark, lower case.
pub fn agency_key(name: &str) -> String {
    let mut s = crate::read::label::norm(name);
    for m in MARKS {
        s = s.replace(m, "");
    }
    s.to_lowercase()
}

/// The agencies of a list, in its order, each once; or why the list cannot be read.
pub fn parse_list(bytes: &[u8]) -> Result<Vec<String>, String> {
    let workbook = bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let names: Vec<String> = if workbook {
        let (_, sheets) = open::open(bytes).map_err(|e| e.to_string())?;
        let sheet = sheets.iter().find(|s| !s.hidden).or(sheets.first()).ok_or("工作簿中没有工作表")?;
        let mut rows: BTreeMap<u32, Vec<&Raw>> = BTreeMap::new();
        for ((r, _), v) in &sheet.cells {
            rows.entry(*r).or_default().push(v);
        }
        // The first text of each row: a 序号 column before the names is skipped.
        rows.values()
            .filter_map(|cells| {
                cells.iter().find_map(|v| match v {
                    Raw::Str(s) if !s.trim().is_empty() && !is_number(s) => Some(s.trim().to_string()),
                    _ => None,
                })
            })
            .collect()
    } else {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
            // Lists saved by Excel or Notepad on Chinese Windows are GBK.
            Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
        };
        text.lines()
            .filter_map(|line| {
                line.split([',', '\t', '，'])
                    .map(|f| f.trim().trim_matches('"').trim())
                    .find(|f| !f.is_empty() && !is_number(f))
                    .map(str::to_string)
            })
            .collect()
    };
    let mut seen = HashSet::new();
    let list: Vec<String> = names
        .into_iter()
        .filter(|n| !HEADERS.contains(&agency_key(n).as_str()))
        .filter(|n| seen.insert(agency_key(n)))
        .collect();
    if list.is_empty() {
        return Err("名单中没有机关名称（每行一个机关）".into());
    }
    Ok(list)
}

fn is_number(s: &str) -> bool {
    let s = s.trim().trim_end_matches(['.', '、']);
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// The year the batch reports on: `year` when given, else the year most of its reports
/// name (the later on a tie); `None` when no report names one.
pub fn batch_year(summary: &Summary, year: Option<i32>) -> Option<i32> {
    if year.is_some() {
        return year;
    }
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for r in summary.rows.iter().filter(|r| reported(r.status)) {
        if let Some(y) = r.year {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|&(y, n)| (n, y)).map(|(y, _)| y)
}

/// Whether a row is a report that was read: one with errors has reported all the same.
fn reported(s: Status) -> bool {
    matches!(s, Status::Ok | Status::Errors | Status::Refused | Status::Unwritable)
}

/// The agencies of the list with no report of `year` in the batch, in the list's order.
pub fn missing(list: &[String], summary: &Summary, year: Option<i32>) -> Vec<String> {
    let have: HashSet<String> = summary
        .rows
        .iter()
        .filter(|r| reported(r.status) && (year.is_none() || r.year == year))
        .map(|r| agency_key(&r.agency))
        .collect();
    list.iter().filter(|n| !have.contains(&agency_key(n))).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_widths_spaces_and_seals() {
        assert_eq!(agency_key("某某县 市场监督管理局（盖章）"), agency_key("某某县市场监督管理局"));
        assert_eq!(agency_key("ＡＢＣ局　"), agency_key("abc局"));
        assert_ne!(agency_key("某某县人民政府"), agency_key("某某县人民政府办公室"));
    }

    #[test]
    fn a_text_list_skips_numbers_headers_and_repeats() {
        let list = "序号,单位名称\n1,某某县市场监督管理局\n2，某某县财政局\n\n某某县 财政局\n\"某某县教育局\"\n";
        assert_eq!(
            parse_list(list.as_bytes()).expect("list"),
            ["某某县市场监督管理局", "某某县财政局", "某某县教育局"]
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("某某县卫生健康委员会\r\n");
        assert_eq!(parse_list(&gbk).expect("gbk"), ["某某县卫生健康委员会"]);
        assert_eq!(parse_list(b"\n1\n").unwrap_err(), "名单中没有机关名称（每行一个机关）");
    }
}
