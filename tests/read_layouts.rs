//! The fixtures of issue 13, each named for what it shows, written by the layout writer of
//! tests/layouts.rs (`cargo test --test main make_read_fixtures -- --ignored` rewrites them):
//! every number, the findings (code and cell) and the exit code.

use crate::cli::run;
use crate::common::*;
use crate::layouts::{write, write_sets, Data, Layout, Rng};
use nianbao::form::Edition;
use serde_json::Value as Json;

const AGENCY: &str = "某某县教育局";

fn data(seed: u64) -> Data {
    Data::consistent(Edition::E2021, 2023, AGENCY, &mut Rng::new(seed))
}

/// Last year's report of the same agency, as consistent.
fn old_data() -> Data {
    Data::consistent(Edition::E2021, 2022, AGENCY, &mut Rng::new(11))
}

fn data_2019(seed: u64) -> Data {
    Data::consistent(Edition::E2019, 2020, AGENCY, &mut Rng::new(seed))
}

/// A township's report: no 规章 (a township makes none).
fn township(agency: &str, seed: u64) -> Data {
    let mut d = Data::consistent(Edition::E2021, 2023, agency, &mut Rng::new(seed));
    d.active[0] = vec![0, 0, 0];
    d
}

/// Every fixture of this file: name and bytes.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let notes = Layout { notes: 100, ..Layout::plain() };
    let (cur, old) = (data(1), old_data());
    vec![
        ("notes-on-every-label-2021.xlsx", write(&data(1), &notes, 1)),
        ("notes-on-every-label-2019.xlsx", write(&data_2019(2), &notes, 2)),
        (
            "glossary-sheet-before-the-tables.xlsx",
            write(&data(3), &Layout { glossary: true, one_sheet: false, shuffle: 3, ..Layout::plain() }, 3),
        ),
        (
            "hidden-last-year-first.xlsx",
            write_sets(&Layout::plain(), &[(&old, "2022年", true), (&cur, "统计表", false)]),
        ),
        ("two-visible-years.xlsx", write_sets(&Layout::plain(), &[(&old, "2022年", false), (&cur, "2023年", false)])),
        (
            "several-townships.xlsx",
            write_sets(
                &Layout::plain(),
                &[(&township("甲镇人民政府", 4), "甲镇", false), (&township("乙镇人民政府", 5), "乙镇", false)],
            ),
        ),
        (
            "agency-in-sealed-label-cell.xlsx",
            write(&data(6), &Layout { title: false, seal: true, ..Layout::plain() }, 6),
        ),
        ("uncached-sum-formulas.xlsx", write(&data(7), &Layout { sum_formulas: true, ..Layout::plain() }, 7)),
    ]
}

#[test]
#[ignore = "rewrites tests/fixtures"]
fn make_read_fixtures() {
    for (name, bytes) in fixtures() {
        std::fs::write(fixture(name), bytes).expect("write fixture");
    }
}

/// The committed fixtures are what the writer writes today: the generator is the source.
#[test]
fn read_fixtures_are_generated() {
    for (name, bytes) in fixtures() {
        let stored = std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The townships' workbook is read one sheet at a time.
        let opts =
            nianbao::read::Options { sheet: name.contains("townships").then(|| "甲镇".into()), ..Default::default() };
        let read = |b: &[u8]| nianbao::read::read(b, name, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (a, b) = (read(&stored), read(&bytes));
        assert_eq!(Data::of(&a), Data::of(&b), "{name}");
    }
}

/// `check --format json` of a fixture: exit code and the findings as (rule, cell) pairs.
fn check(name: &str, extra: &[&str]) -> (i32, Vec<(String, String)>, Json) {
    let path = fixture(name);
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    args.push(path.to_str().expect("utf-8"));
    let out = run(&args);
    let code = out.status.code().unwrap_or(-1);
    let json: Json = serde_json::from_slice(&out.stdout).unwrap_or(Json::Null);
    let findings = json["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| (f["rule"].as_str().unwrap_or("").to_string(), f["cell"].as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    (code, findings, json)
}

fn message(json: &Json, rule: &str) -> String {
    json["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["rule"] == rule))
        .and_then(|f| f["message"].as_str())
        .unwrap_or("")
        .to_string()
}

fn read_with(name: &str, opts: &nianbao::read::Options) -> nianbao::Report {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    nianbao::read::read(&bytes, name, opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn notes_and_units_after_every_label_read_every_number() {
    for (name, d) in [("notes-on-every-label-2021.xlsx", data(1)), ("notes-on-every-label-2019.xlsx", data_2019(2))] {
        let r = read_fixture(name);
        assert_eq!(Data::of(&r), d.expected(), "{name}");
        assert_eq!((r.edition, r.year.value), (d.edition, Some(d.year)), "{name}");
        let (code, findings, _) = check(name, &[]);
        assert_eq!((code, findings), (0, vec![]), "{name}");
    }
    // The labels really carry notes: `（七）总计` and 自然人 among them.
    let explain = nianbao::read::Options { explain: true, ..Default::default() };
    let r = read_with("notes-on-every-label-2021.xlsx", &explain);
    assert!(read_fixture("notes-on-every-label-2021.xlsx").read_map.is_empty(), "the map only when asked");
    let label = |field: &str| r.read_map.iter().find(|e| e.field == field).map(|e| e.label.clone()).unwrap_or_default();
    let l = label("requests.result_total.natural_person");
    assert!(l.starts_with("（七）总计（") && l.contains(" / 自然人"), "{l}");
    // The read map is in the JSON only with --explain: one entry per number, agency, year.
    let (_, _, plain) = check("notes-on-every-label-2021.xlsx", &[]);
    assert!(plain.get("read").is_none());
    let (_, _, explained) = check("notes-on-every-label-2021.xlsx", &["--explain"]);
    let read = explained["read"].as_array().expect("read");
    assert_eq!(read.len(), r.numbers().len() + 2);
    let entry = read.iter().find(|e| e["field"] == "requests.new_received.total").expect("entry");
    assert_eq!(entry["cell"].as_str(), Some(req_cell(&r, "new_received", "total").as_str()));
    assert!(entry["label"].as_str().is_some_and(|l| l.starts_with("一、本年新收政府信息公开申请数量")), "{entry}");
}

#[test]
fn a_glossary_sheet_before_the_tables_is_no_table() {
    let name = "glossary-sheet-before-the-tables.xlsx";
    let r = read_with(name, &nianbao::read::Options { explain: true, ..Default::default() });
    assert_eq!(Data::of(&r), data(3).expected());
    assert_eq!(r.read_map.len(), r.numbers().len() + 2);
    assert!(r.read_map.iter().all(|e| !e.cell.sheet.contains("填表说明")));
    let (code, findings, _) = check(name, &[]);
    assert_eq!((code, findings), (0, vec![]));
}

#[test]
fn a_hidden_copy_of_last_year_is_left_and_said() {
    let name = "hidden-last-year-first.xlsx";
    let r = read_fixture(name);
    assert_eq!(Data::of(&r), data(1).expected());
    assert_eq!(r.year.value, Some(2023));
    let (code, findings, json) = check(name, &[]);
    assert_eq!((code, findings), (0, vec![("READ-CHOICE".into(), "".into())]));
    assert_eq!(
        message(&json, "READ-CHOICE"),
        "工作簿中有不止一套统计表：读取了工作表“统计表”，未读取工作表“2022年（隐藏）”（其余工作表是隐藏的）；如需读取另一套，请用 --sheet 指定工作表"
    );
    // Chosen by hand, the hidden sheet is read: last year's numbers, last year's title.
    let r = read_with(name, &nianbao::read::Options { sheet: Some("2022年".into()), ..Default::default() });
    assert_eq!(Data::of(&r), old_data().expected());
    assert_eq!(r.year.value, Some(2022));
}

#[test]
fn two_visible_years_take_the_report_year() {
    let name = "two-visible-years.xlsx";
    let r = read_fixture(name);
    assert_eq!(Data::of(&r), data(1).expected());
    let (code, findings, json) = check(name, &[]);
    assert_eq!((code, findings), (0, vec![("READ-CHOICE".into(), "".into())]));
    assert_eq!(
        message(&json, "READ-CHOICE"),
        "工作簿中有不止一套统计表：读取了工作表“2023年”，未读取工作表“2022年”（年度最新（2023 年））；如需读取另一套，请用 --sheet 指定工作表"
    );
    let (_, _, json) = check(name, &["--year", "2023"]);
    assert!(message(&json, "READ-CHOICE").contains("（工作表名称或标题写明的年度是报告年度 2023 年）"));
    // --year 2022 or --sheet 2022年: last year's sheet, whole.
    for opts in [
        nianbao::read::Options { year: Some(2022), ..Default::default() },
        nianbao::read::Options { sheet: Some("2022年".into()), ..Default::default() },
    ] {
        let r = read_with(name, &opts);
        assert_eq!(Data::of(&r), old_data().expected(), "{opts:?}");
        assert_eq!(r.year.value, Some(2022));
    }
    let (code, _, json) = check(name, &["--sheet", "2022年"]);
    assert_eq!(code, 0);
    assert!(message(&json, "READ-CHOICE").contains("读取了工作表“2022年”，未读取工作表“2023年”（按 --sheet 指定）"));
    let out = run(&["check", "--sheet", "2024年", fixture(name).to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "无法读取 two-visible-years.xlsx：找不到工作表“2024年”（工作簿中的工作表：“2022年”、“2023年”）"
    );
}

#[test]
fn several_agencies_in_one_workbook_are_a_report_each_and_refused_as_one() {
    let name = "several-townships.xlsx";
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    let err = nianbao::read::read(&bytes, name, &Default::default()).expect_err("refused as one report");
    assert_eq!(
        nianbao::Error::read(name, err).to_string(),
        "无法读取 several-townships.xlsx：工作簿中有多个机关的统计表（工作表“甲镇”（甲镇人民政府）、“乙镇”（乙镇人民政府）），不能作为一份报告读取：请每个机关单独保存为一个文件，或用 --sheet 指定要读取的工作表"
    );
    // `check` reads each agency's report.
    let out = run(&["check", "--format", "json", fixture(name).to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let agencies: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["agency"].to_string())
        .collect();
    assert_eq!(agencies, ["\"甲镇人民政府\"", "\"乙镇人民政府\""]);
    let r = read_with(name, &nianbao::read::Options { sheet: Some("乙镇".into()), ..Default::default() });
    assert_eq!(Data::of(&r), township("乙镇人民政府", 5).expected());
    assert_eq!(r.agency.value.as_deref(), Some("乙镇人民政府"));
    let (code, findings, _) = check(name, &["--sheet", "乙镇"]);
    assert_eq!((code, findings), (0, vec![("READ-CHOICE".into(), "".into())]));
}

#[test]
fn the_agency_in_a_sealed_label_cell() {
    let name = "agency-in-sealed-label-cell.xlsx";
    let r = read_fixture(name);
    assert_eq!(Data::of(&r), data(6).expected());
    assert_eq!(r.agency.value.as_deref(), Some(AGENCY));
    assert_eq!(r.agency.cell.as_ref().map(|c| c.to_string()).as_deref(), Some("统计表!A1"));
    assert_eq!(r.year.value, Some(2023));
    assert_eq!(r.year.cell.as_ref().map(|c| c.to_string()).as_deref(), Some("统计表!G1"));
    let (code, findings, _) = check(name, &[]);
    assert_eq!((code, findings), (0, vec![]));
}

#[test]
fn uncached_sums_are_computed_and_said() {
    let name = "uncached-sum-formulas.xlsx";
    let r = read_fixture(name);
    assert_eq!(Data::of(&r), data(7).expected());
    let total = r.request("new_received", "total").expect("value");
    assert!(total.is_computed(), "{total:?}");
    let cell = req_cell(&r, "new_received", "total");
    let (code, findings, json) = check(name, &[]);
    assert_eq!((code, findings), (0, vec![("VAL-FORMULA-COMPUTED".into(), cell.clone())]));
    let n = req(&r, "new_received", "total");
    let first = cell.split('!').nth(1).unwrap_or("");
    let row: String = first.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(
        message(&json, "VAL-FORMULA-COMPUTED"),
        format!(
            "“三、收到和处理政府信息公开申请情况”表中有 {} 个公式没有计算结果，已按公式引用的单元格算出（如“=SUM(D{row}:I{row})”得 {n}）；请在 Excel 中重新计算并保存",
            Edition::E2021.form().requests_rows.len()
        )
    );
}

/// With the real table broken, the error names the table's sheet, not the glossary before it.
#[test]
fn a_broken_table_is_named_not_the_glossary_before_it() {
    let (bytes, order) = (0..64u64)
        .map(|shuffle| {
            let b = write(&data(3), &Layout { glossary: true, shuffle, ..Layout::plain() }, 3);
            let names: Vec<String> =
                nianbao::read::open::open(&b).expect("open").1.iter().map(|s| s.name.to_string()).collect();
            (b, names)
        })
        .find(|(_, names)| names.first().map(String::as_str) == Some("填表说明"))
        .expect("an order with the glossary first");
    assert_eq!(order, ["填表说明", "统计表"]);
    // 社会公益组织 and 法律服务机构 typed as 公益 and 律师 everywhere: two of seven columns
    // unknown is more than position can place, and table 三 is refused.
    let broken = crate::layouts::edit_parts(&bytes, |name, xml| {
        if name == "xl/sharedStrings.xml" {
            xml.replace(">法律服务机构<", ">律师<").replace(">社会公益组织<", ">公益<")
        } else {
            xml
        }
    });
    let err = nianbao::read::read(&broken, "坏表.xlsx", &Default::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“三、收到和处理政府信息公开申请情况”表中找不到“社会公益组织”列（工作表“统计表”；最接近的是单元格 统计表!G22 的“公益”）"
    );
}
