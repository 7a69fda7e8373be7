//! Tests of the reader: the standard template, the bundled samples, and the fixtures of
//! tests/fixtures (made by scripts/make_fixtures.py), each imitating how departments build
//! their workbooks. Every test asserts exact numbers and the exact cells they came from.

use crate::common::*;
use nianbao::check::{self, Context};
use nianbao::model::{MetaSource, Report, State};
use nianbao::read::{open, Format};
use nianbao::write::template;
use nianbao::{Edition, ReadError};

#[test]
fn filled_template_reads_back_every_number_and_cell() {
    let mut r = blank(Edition::E2021, "某某县教育局", 2023);
    let form = Edition::E2021.form();
    let nr = form.requests_row("new_received").expect("row");
    set(&mut r.requests[nr][0], 3);
    set(&mut r.requests[nr][1], 1);
    set(&mut r.requests[nr][6], 4);
    let bytes = template::filled(&r).expect("write");
    let back = read_bytes(&bytes, "填好的.xlsx");
    assert_eq!(back.edition, Edition::E2021);
    assert_eq!(back.agency.value.as_deref(), Some("某某县教育局"));
    assert_eq!(back.year.value, Some(2023));
    assert_eq!(req(&back, "new_received", "natural_person"), 3);
    assert_eq!(req(&back, "new_received", "total"), 4);
    assert_eq!(req_cell(&back, "new_received", "natural_person"), "依申请公开!D5");
    assert_eq!(req_cell(&back, "carried_forward", "total"), "依申请公开!J29");
}

// ---------------------------------------------------------------- the fixtures' figures

/// Table 三 rows that are not all zero in every fixture: six applicant columns and 总计.
/// The row `other` is the 2019 edition's （六）其他处理, `other_no_correction` the 2021 one's 1.
const REQUESTS: [(&str, [i64; 7]); 10] = [
    ("new_received", [13, 3, 0, 1, 2, 1, 20]),
    ("carried_over", [2, 1, 0, 0, 0, 0, 3]),
    ("granted", [6, 2, 0, 1, 0, 0, 9]),
    ("partly_granted", [2, 0, 0, 0, 0, 1, 3]),
    ("denied_third_party", [1, 0, 0, 0, 0, 0, 1]),
    ("denied_process_info", [0, 1, 0, 0, 0, 0, 1]),
    ("unable_not_held", [3, 1, 0, 0, 1, 0, 5]),
    ("rejected_repeated", [1, 0, 0, 0, 0, 0, 1]),
    ("result_total", [14, 4, 0, 1, 1, 1, 21]),
    ("carried_forward", [1, 0, 0, 0, 1, 0, 2]),
];
const OTHER_ROW: [i64; 7] = [1, 0, 0, 0, 0, 0, 1];

const REVIEW: [(&str, [i64; 5]); 3] =
    [("review", [2, 1, 0, 1, 4]), ("litigation_direct", [1, 0, 0, 1, 2]), ("litigation_after_review", [0, 0, 1, 0, 1])];

const ACTIVE_2021: [(&str, &str, &str); 9] = [
    ("regulations", "issued", "0"),
    ("regulations", "repealed", "0"),
    ("regulations", "in_force", "0"),
    ("normative_documents", "issued", "2"),
    ("normative_documents", "repealed", "1"),
    ("normative_documents", "in_force", "15"),
    ("licensing", "decisions", "1234"),
    ("penalty", "decisions", "87"),
    ("enforcement", "decisions", "5"),
];

const ACTIVE_2019: [(&str, &str, &str); 18] = [
    ("regulations", "made", "0"),
    ("regulations", "published", "0"),
    ("regulations", "total_public", "0"),
    ("normative_documents", "made", "3"),
    ("normative_documents", "published", "3"),
    ("normative_documents", "total_public", "27"),
    ("licensing", "prev_items", "384"),
    ("licensing", "change", "2"),
    ("licensing", "decisions", "36756"),
    ("other_services", "prev_items", "156"),
    ("other_services", "change", "56"),
    ("other_services", "decisions", "0"),
    ("penalty", "prev_items", "1869"),
    ("penalty", "change", "0"),
    ("penalty", "decisions", "12642"),
    ("enforcement", "prev_items", "65"),
    ("enforcement", "change", "0"),
    ("enforcement", "decisions", "2"),
];

/// Every number of tables 三 and 四 and section 二 (but 2021 收费金额 and 2019 采购/收费,
/// which the fixtures vary) is exactly the generator's.
fn assert_figures(r: &Report) {
    let form = r.form();
    let other = if r.edition == Edition::E2019 { "other" } else { "other_no_correction" };
    for row in form.requests_rows {
        let want = REQUESTS
            .iter()
            .find(|(id, _)| *id == row.id)
            .map(|x| x.1)
            .or((row.id == other).then_some(OTHER_ROW))
            .unwrap_or([0; 7]);
        let got: Vec<i64> = form.requests_columns.iter().map(|c| req(r, row.id, c.id)).collect();
        assert_eq!(got, want, "{}: table 三 row {}", r.file, row.id);
    }
    for (group, want) in REVIEW {
        let got: Vec<i64> = form.review_columns.iter().map(|c| rev(r, group, c.id)).collect();
        assert_eq!(got, want, "{}: table 四 {group}", r.file);
    }
    let active: &[(&str, &str, &str)] = if r.edition == Edition::E2019 { &ACTIVE_2019 } else { &ACTIVE_2021 };
    for (row, col, want) in active {
        assert_eq!(act(r, row, col), *want, "{}: section 二 {row}/{col}", r.file);
    }
    if r.edition == Edition::E2019 {
        assert_eq!(act(r, "fees", "prev_items"), "43");
        assert_eq!(act(r, "fees", "change"), "-5");
    }
}

fn assert_meta(r: &Report, edition: Edition, agency: &str, year: i32) {
    assert_eq!(r.edition, edition, "{}", r.file);
    assert_eq!(r.agency.value.as_deref(), Some(agency), "{}", r.file);
    assert_eq!(r.year.value, Some(year), "{}", r.file);
}

fn meta_cells(r: &Report) -> (String, String) {
    let c = |c: &Option<nianbao::cell::CellRef>| c.as_ref().map(|c| c.to_string()).unwrap_or_default();
    (c(&r.agency.cell), c(&r.year.cell))
}

fn raw<'a>(r: &'a Report, row: &str, col: &str) -> &'a str {
    &r.request(row, col).expect("value").raw
}

/// The VAL-BLANK findings of a report: (cell, message).
fn blank_findings(r: &Report) -> Vec<(String, String)> {
    check::check(r, Context::default())
        .into_iter()
        .filter(|f| f.rule == "VAL-BLANK")
        .map(|f| (f.cell.map(|c| c.to_string()).unwrap_or_default(), f.message))
        .collect()
}

// ---------------------------------------------------------------- one sheet

#[test]
fn one_sheet_under_a_title_row() {
    let r = read_fixture("one-sheet-under-title.xlsx");
    assert_meta(&r, Edition::E2021, "某某县人力资源和社会保障局", 2023);
    assert_eq!(r.agency.source, MetaSource::Title);
    assert_eq!(meta_cells(&r), ("Sheet1!A1".into(), "Sheet1!A1".into()));
    assert_figures(&r);
    // Section 二: value columns merged two and three cells wide; a number typed `1,234`.
    assert_eq!(act_cell(&r, "normative_documents", "issued"), "Sheet1!D7");
    assert_eq!(act_cell(&r, "normative_documents", "repealed"), "Sheet1!F7");
    assert_eq!(act_cell(&r, "normative_documents", "in_force"), "Sheet1!H7");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "Sheet1!D10");
    assert_eq!(r.active_value("licensing", "decisions").map(|v| v.raw.as_str()), Some("1,234"));
    assert_eq!(act(&r, "fees", "amount_wan"), "5949.088667");
    assert_eq!(act_cell(&r, "fees", "amount_wan"), "Sheet1!D17");
    // Table 三: one number as text, a row in full width.
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "Sheet1!D23");
    assert_eq!(raw(&r, "new_received", "natural_person"), "13");
    assert_eq!(req_cell(&r, "granted", "total"), "Sheet1!J25");
    assert_eq!(raw(&r, "granted", "total"), "９");
    assert_eq!(raw(&r, "granted", "natural_person"), "６");
    assert_eq!(req_cell(&r, "other_no_correction", "natural_person"), "Sheet1!D43");
    assert_eq!(req_cell(&r, "result_total", "total"), "Sheet1!J46");
    assert_eq!(req_cell(&r, "carried_forward", "legal_service"), "Sheet1!H47");
    // Table 四 under it, 15 columns from A.
    assert_eq!(rev_cell(&r, "review", "upheld"), "Sheet1!A53");
    assert_eq!(rev_cell(&r, "review", "total"), "Sheet1!E53");
    assert_eq!(r.review_value("review", "total").map(|v| v.raw.as_str()), Some("４"));
    assert_eq!(rev_cell(&r, "litigation_direct", "pending"), "Sheet1!I53");
    assert_eq!(rev_cell(&r, "litigation_after_review", "total"), "Sheet1!O53");
    assert!(r.active_extra.is_empty(), "{:?}", r.active_extra);
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
    // Full width and text are numbers, said nothing about; no cell was blank.
    assert!(r.numbers().iter().all(|n| n.value.state == State::Number));
    assert!(check::check(&r, Context::default()).is_empty());
}

#[test]
fn check_json_of_the_one_sheet_fixture_has_the_documented_keys() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--format", "json"])
        .arg(fixture("one-sheet-under-title.xlsx"))
        .output()
        .expect("run nianbao");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let keys: Vec<&str> = j.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["file", "sha256", "edition", "agency", "year", "active", "requests", "review_litigation", "text", "findings"]
    );
    assert_eq!(j["file"], "one-sheet-under-title.xlsx");
    assert_eq!(j["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(j["edition"], "2021");
    assert_eq!(j["agency"], "某某县人力资源和社会保障局");
    assert_eq!(j["year"], 2023);
    assert_eq!(j["active"]["licensing"]["decisions"], 1234);
    assert_eq!(j["active"]["fees"]["amount_wan"], "5949.088667");
    assert_eq!(j["active"]["normative_documents"]["in_force"], 15);
    assert_eq!(j["active"]["extra"], serde_json::json!([]));
    assert_eq!(j["requests"]["new_received"]["natural_person"], 13);
    assert_eq!(j["requests"]["granted"]["total"], 9);
    assert_eq!(j["requests"]["result_total"]["total"], 21);
    assert_eq!(j["requests"].as_object().map(|m| m.len()), Some(25));
    assert_eq!(j["review_litigation"]["review"]["total"], 4);
    assert_eq!(j["review_litigation"]["litigation_after_review"]["other"], 1);
    let text: Vec<&str> = j["text"].as_object().expect("text").keys().map(String::as_str).collect();
    assert_eq!(text, ["overview", "problems", "other_matters"]);
    assert_eq!(j["findings"], serde_json::json!([]));
}

#[test]
fn one_sheet_2019_laid_out_as_the_published_sample() {
    let r = read_fixture("one-sheet-2019-as-published.xlsx");
    assert_meta(&r, Edition::E2019, "江源区", 2020);
    assert_figures(&r);
    assert_eq!(act_cell(&r, "licensing", "change"), "Sheet1!F9");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "Sheet1!H9");
    assert_eq!(act_cell(&r, "fees", "change"), "Sheet1!G17");
    // 政府集中采购 left empty, as in the published report: 0, said once.
    assert_eq!(act(&r, "procurement", "items"), "0");
    assert_eq!(act(&r, "procurement", "amount"), "0");
    assert_eq!(r.active_value("procurement", "items").map(|v| v.state), Some(State::Blank));
    assert_eq!(act_cell(&r, "procurement", "items"), "Sheet1!D20");
    let lines: Vec<(&str, String)> = r
        .active_extra
        .iter()
        .map(|l| (l.text.as_str(), l.cell.as_ref().map(|c| c.to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(
        lines,
        [("2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267", "Sheet1!A21".to_string())]
    );
    assert_eq!(req_cell(&r, "other", "natural_person"), "Sheet1!D47");
    assert_eq!(req_cell(&r, "result_total", "total"), "Sheet1!J48");
    assert_eq!(rev_cell(&r, "review", "total"), "Sheet1!E55");
    assert_eq!(
        blank_findings(&r),
        [(
            "Sheet1!D20".to_string(),
            "“二、主动公开政府信息情况”表中有 2 个空白或“—”“/”“无”等单元格，已按 0 读取".to_string()
        )]
    );
}

// ---------------------------------------------------------------- layout variants

#[test]
fn rows_of_table_three_in_another_order() {
    let r = read_fixture("moved-rows.xlsx");
    assert_meta(&r, Edition::E2021, "某某市生态环境局", 2023);
    assert_eq!(r.agency.source, MetaSource::InfoSheet);
    assert_eq!(meta_cells(&r), ("基本信息!B1".into(), "基本信息!B2".into()));
    assert_figures(&r);
    // 四、结转 and （七）总计 typed right under 一 and 二; （四） before （三）.
    assert_eq!(req_cell(&r, "carried_over", "total"), "依申请公开!J6");
    assert_eq!(req_cell(&r, "carried_forward", "total"), "依申请公开!J7");
    assert_eq!(req_cell(&r, "result_total", "natural_person"), "依申请公开!D8");
    assert_eq!(req_cell(&r, "granted", "total"), "依申请公开!J9");
    assert_eq!(req_cell(&r, "unable_not_held", "natural_person"), "依申请公开!D11");
    assert_eq!(req_cell(&r, "denied_third_party", "natural_person"), "依申请公开!D17");
    assert_eq!(req_cell(&r, "other_misc", "total"), "依申请公开!J29");
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
}

#[test]
fn merged_headers_2019() {
    let r = read_fixture("merged-headers.xlsx");
    assert_meta(&r, Edition::E2019, "某某区发展和改革局", 2020);
    assert_figures(&r);
    assert_eq!(act(&r, "procurement", "items"), "12");
    assert_eq!(act(&r, "procurement", "amount"), "251.5");
    // Value columns two cells wide from C: B is part of the merged label.
    assert_eq!(act_cell(&r, "licensing", "prev_items"), "统计表!C10");
    assert_eq!(act_cell(&r, "licensing", "change"), "统计表!E10");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "统计表!G10");
    assert_eq!(act_cell(&r, "fees", "change"), "统计表!F18");
    assert_eq!(act_cell(&r, "procurement", "amount"), "统计表!F21");
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "统计表!D28");
    assert_eq!(req_cell(&r, "granted", "total"), "统计表!J30");
    assert_eq!(req_cell(&r, "carried_forward", "total"), "统计表!J50");
    assert_eq!(rev_cell(&r, "review", "total"), "统计表!E57");
    assert_eq!(rev_cell(&r, "litigation_after_review", "other"), "统计表!M57");
}

#[test]
fn tables_on_separate_sheets_with_any_names_and_offsets() {
    let r = read_fixture("tables-on-separate-sheets-any-names.xlsx");
    assert_meta(&r, Edition::E2021, "某某县卫生健康委员会", 2024);
    assert_figures(&r);
    assert_eq!(act_cell(&r, "normative_documents", "in_force"), "Sheet1!E8");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "Sheet1!C11");
    assert_eq!(act_cell(&r, "fees", "amount_wan"), "Sheet1!C18");
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "Sheet2!D10");
    assert_eq!(req_cell(&r, "granted", "total"), "Sheet2!J12");
    assert_eq!(req_cell(&r, "carried_forward", "total"), "Sheet2!J34");
    assert_eq!(rev_cell(&r, "review", "upheld"), "Sheet3!D7");
    assert_eq!(rev_cell(&r, "review", "total"), "Sheet3!H7");
    assert_eq!(rev_cell(&r, "litigation_after_review", "total"), "Sheet3!R7");
}

#[test]
fn labels_edited_and_extra_rows_and_columns() {
    let r = read_fixture("labels-edited.xlsx");
    assert_meta(&r, Edition::E2021, "某某市交通运输局", 2022);
    assert_figures(&r);
    // `现行有效件数 (历史累计)`, `第二十条 第（一）项`, `本年处理\n决定数量`.
    assert_eq!(act_cell(&r, "normative_documents", "in_force"), "主动公开!D7");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "主动公开!B10");
    // Table 三 starts at C under a note row; empty rows after 二 and after （五）5.
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "依申请公开!F8");
    assert_eq!(req_cell(&r, "carried_over", "total"), "依申请公开!L9");
    assert_eq!(req_cell(&r, "granted", "total"), "依申请公开!L11");
    assert_eq!(req_cell(&r, "partly_granted", "other_org"), "依申请公开!K12");
    assert_eq!(req_cell(&r, "other_no_correction", "natural_person"), "依申请公开!F30");
    assert_eq!(req_cell(&r, "result_total", "commercial"), "依申请公开!G33");
    assert_eq!(req_cell(&r, "carried_forward", "total"), "依申请公开!L34");
    // Table 四 under `四、政府信息公开行政法复议、行政诉讼情况`, from B.
    assert_eq!(rev_cell(&r, "review", "total"), "复议诉讼!F6");
    assert_eq!(rev_cell(&r, "litigation_after_review", "total"), "复议诉讼!P6");
    // The remark column and its text are not a row of the table.
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
    let lines: Vec<&str> = r.active_extra.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(lines, ["注：本表数据截至2022年12月31日"]);
}

#[test]
fn agency_and_year_from_labelled_cells() {
    let r = read_fixture("labelled-agency-year.xlsx");
    assert_meta(&r, Edition::E2021, "某某镇人民政府", 2022);
    assert_eq!((r.agency.source, r.year.source), (MetaSource::Labelled, MetaSource::Labelled));
    assert_eq!(meta_cells(&r), ("统计表!A1".into(), "统计表!I1".into()));
    assert_figures(&r);
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "统计表!D23");
    assert_eq!(rev_cell(&r, "review", "total"), "统计表!E53");
}

// ---------------------------------------------------------------- how numbers are typed

#[test]
fn numbers_typed_as_text() {
    let r = read_fixture("numbers-as-text.xlsx");
    assert_meta(&r, Edition::E2021, "某某县教育局", 2022);
    assert_figures(&r);
    assert_eq!(raw(&r, "new_received", "natural_person"), " 13 ");
    assert_eq!(raw(&r, "granted", "total"), "9.0");
    assert_eq!(raw(&r, "unable_not_held", "natural_person"), "3件");
    assert_eq!(req_cell(&r, "unable_not_held", "natural_person"), "表二!D17");
    let fee = r.active_value("fees", "amount_wan").expect("fees");
    assert_eq!((fee.raw.as_str(), act(&r, "fees", "amount_wan")), ("5949.088667", "5949.088667".to_string()));
    assert_eq!(act_cell(&r, "fees", "amount_wan"), "表一!B16");
    assert_eq!(act_cell(&r, "normative_documents", "in_force"), "表一!D6");
    assert!(r.numbers().iter().all(|n| n.value.state == State::Number));
}

#[test]
fn full_width_digits_signs_and_separators() {
    let r = read_fixture("full-width-digits.xlsx");
    assert_meta(&r, Edition::E2019, "某某镇人民政府", 2020);
    assert_figures(&r);
    let a = |row: &str, col: &str| r.active_value(row, col).map(|v| v.raw.clone()).unwrap_or_default();
    assert_eq!(a("licensing", "change"), "＋２");
    assert_eq!(a("fees", "change"), "－５");
    assert_eq!(a("licensing", "decisions"), "36，756");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "年报!H9");
    assert_eq!(act_cell(&r, "fees", "change"), "年报!G17");
    assert_eq!(raw(&r, "new_received", "total"), "２０");
    assert_eq!(raw(&r, "result_total", "total"), "２１");
    assert_eq!(req_cell(&r, "result_total", "total"), "年报!J47");
    assert!(r.numbers().iter().all(|n| n.value.state == State::Number));
}

#[test]
fn signed_changes_of_the_2019_edition() {
    let r = read_fixture("signed-changes-2019.xlsx");
    assert_meta(&r, Edition::E2019, "某某县", 2020);
    assert_eq!(meta_cells(&r).0, "说明!A1");
    assert_figures(&r);
    let change = |row: &str| {
        let v = r.active_value(row, "change").expect("change");
        (v.raw.clone(), v.num.map(|d| d.to_string()).unwrap_or_default(), act_cell(&r, row, "change"))
    };
    assert_eq!(change("licensing"), ("+2".into(), "2".into(), "二!C8".into()));
    assert_eq!(change("other_services"), ("+56".into(), "56".into(), "二!C9".into()));
    assert_eq!(change("penalty"), ("0".into(), "0".into(), "二!C12".into()));
    assert_eq!(change("fees"), ("-5".into(), "-5".into(), "二!C16".into()));
    let lines: Vec<&str> = r.active_extra.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(lines, ["2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267"]);
}

#[test]
fn amount_typed_with_its_unit() {
    let r = read_fixture("amount-with-unit-2019.xlsx");
    assert_meta(&r, Edition::E2019, "某某县财政局", 2020);
    assert_figures(&r);
    let v = r.active_value("procurement", "amount").expect("amount");
    assert_eq!((act(&r, "procurement", "amount"), v.unit.as_deref()), ("251000".to_string(), Some("元")));
    assert_eq!(v.raw, "251000元");
    assert_eq!(act_cell(&r, "procurement", "amount"), "二!C19");
}

#[test]
fn blanks_and_dashes_are_zero_said_once_per_table() {
    let r = read_fixture("blanks-and-dashes.xlsx");
    assert_meta(&r, Edition::E2021, "某某县退役军人事务局", 2023);
    assert_eq!(meta_cells(&r).1, "基本信息!B2"); // typed `2023年`
    assert_figures(&r);
    for (row, col, typed, cell) in [
        ("new_received", "research", "-", "三!F5"),
        ("carried_over", "research", "/", "三!F6"),
        ("carried_over", "social_welfare", "无", "三!G6"),
        ("carried_over", "legal_service", "", "三!H6"),
        ("carried_over", "other_org", "—", "三!I6"),
    ] {
        let v = r.request(row, col).expect("value");
        assert_eq!((v.raw.as_str(), v.state, req_cell(&r, row, col).as_str()), (typed, State::Blank, cell));
    }
    assert_eq!(r.review_value("review", "other").map(|v| v.raw.as_str()), Some("—"));
    assert_eq!(
        blank_findings(&r),
        [
            (
                "二!B4".to_string(),
                "“二、主动公开政府信息情况”表中有 3 个空白或“—”“/”“无”等单元格，已按 0 读取".to_string()
            ),
            (
                "三!F5".to_string(),
                "“三、收到和处理政府信息公开申请情况”表中有 138 个空白或“—”“/”“无”等单元格，已按 0 读取".to_string()
            ),
            (
                "四!C5".to_string(),
                "“四、政府信息公开行政复议、行政诉讼情况”表中有 6 个空白或“—”“/”“无”等单元格，已按 0 读取".to_string()
            ),
        ]
    );
}

// ---------------------------------------------------------------- file formats

#[test]
fn real_xls_of_the_2019_edition() {
    let bytes = std::fs::read(fixture("edition-2019.xls")).expect("read");
    assert_eq!(open::sniff(&bytes).ok(), Some(Format::Xls));
    let r = read_fixture("edition-2019.xls");
    assert_meta(&r, Edition::E2019, "某某县司法局", 2020);
    assert_figures(&r);
    assert_eq!(act(&r, "procurement", "amount"), "251.5");
    assert_eq!(act_cell(&r, "licensing", "decisions"), "政务公开年报!H10");
    assert_eq!(act_cell(&r, "procurement", "items"), "政务公开年报!D21");
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "政务公开年报!D27");
    assert_eq!(req_cell(&r, "other", "natural_person"), "政务公开年报!D47");
    assert_eq!(req_cell(&r, "result_total", "total"), "政务公开年报!J48");
    assert_eq!(rev_cell(&r, "litigation_after_review", "total"), "政务公开年报!O55");
}

#[test]
fn ods_of_the_2021_edition() {
    let bytes = std::fs::read(fixture("edition-2021.ods")).expect("read");
    assert_eq!(open::sniff(&bytes).ok(), Some(Format::Ods));
    let r = read_fixture("edition-2021.ods");
    assert_meta(&r, Edition::E2021, "某某区住房和城乡建设局", 2021);
    assert_figures(&r);
    assert_eq!(act(&r, "fees", "amount_wan"), "5949.088667");
    assert_eq!(act_cell(&r, "fees", "amount_wan"), "主动公开!B15");
    assert_eq!(req_cell(&r, "granted", "total"), "依申请公开!J7");
    assert_eq!(req_cell(&r, "partly_granted", "total"), "依申请公开!J8");
    assert_eq!(rev_cell(&r, "review", "total"), "复议诉讼!E5");
}

#[test]
fn xlsx_named_xls_is_read_by_its_content() {
    let bytes = std::fs::read(fixture("really-xlsx-named.xls")).expect("read");
    assert_eq!(open::sniff(&bytes).ok(), Some(Format::Xlsx));
    let r = read_fixture("really-xlsx-named.xls");
    assert_meta(&r, Edition::E2021, "某某乡人民政府", 2022);
    assert_figures(&r);
    assert_eq!(req_cell(&r, "new_received", "natural_person"), "Sheet1!D22");
    assert_eq!(req_cell(&r, "carried_forward", "total"), "Sheet1!J46");
    assert_eq!(rev_cell(&r, "review", "total"), "Sheet1!E52");
}

#[test]
fn macro_enabled_xlsm() {
    let r = read_fixture("macro-enabled.xlsm");
    assert_meta(&r, Edition::E2021, "某某县审计局", 2023);
    assert_figures(&r);
    assert_eq!(act(&r, "fees", "amount_wan"), "5949.088667");
    assert_eq!(req_cell(&r, "result_total", "total"), "依申请公开!J28");
}

// ---------------------------------------------------------------- unreadable

#[test]
fn deleted_table_three_names_the_table_and_the_sheets_searched() {
    let e = read_fixture_err("table-3-deleted.xlsx");
    assert!(matches!(&e, ReadError::TableNotFound { sheets: 2, .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "找不到“三、收到和处理政府信息公开申请情况”表（已查找 2 个工作表：“主动公开”、“复议诉讼”）"
    );
}

#[test]
fn another_form_is_no_report() {
    let e = read_fixture_err("edition-unknown.xlsx");
    assert!(matches!(e, ReadError::NotAReport { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "不是政府信息公开年报统计表：工作簿中没有年报统计表的任何一张表（工作表：“自评表”；标题：“某某县政务公开工作考核自评表”）；请提交《政府信息公开工作年度报告》统计表"
    );
}

// ---------------------------------------------------------------- the bundled samples

fn read_sample(name: &str) -> Report {
    let bytes = std::fs::read(sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    read_bytes(&bytes, name)
}

#[test]
fn sample_jiangyuan_2020_has_every_figure_of_the_published_report() {
    let r = read_sample("2020-江源区.xlsx");
    assert_meta(&r, Edition::E2019, "江源区", 2020);
    let active = [
        ("licensing", ["384", "2", "36756"]),
        ("other_services", ["156", "56", "0"]),
        ("penalty", ["1869", "0", "12642"]),
        ("enforcement", ["65", "0", "2"]),
    ];
    for (row, want) in active {
        let got = ["prev_items", "change", "decisions"].map(|c| act(&r, row, c));
        assert_eq!(got, want, "{row}");
    }
    assert_eq!((act(&r, "fees", "prev_items"), act(&r, "fees", "change")), ("43".into(), "-5".into()));
    assert_eq!(act_cell(&r, "licensing", "decisions"), "主动公开!D8");
    assert_eq!(act_cell(&r, "fees", "change"), "主动公开!C16");
    assert_eq!(r.active_value("procurement", "items").map(|v| v.state), Some(State::Blank));
    assert_eq!(r.active_value("procurement", "amount").map(|v| v.state), Some(State::Blank));
    let lines: Vec<&str> = r.active_extra.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(lines, ["2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267"]);
    assert!(r.numbers().iter().filter(|n| n.section != "active").all(|n| n.value.num == Some(0.into())));
    let c = &r.contact;
    assert_eq!(c.website.as_deref(), Some("江源区人民政府门户网站政府信息公开专栏"));
    assert_eq!(c.office.as_deref(), Some("江源区政务服务和数字化建设管理局"));
    assert_eq!(c.address.as_deref(), Some("白山市江源区江源大街153号"));
    assert_eq!(c.postcode.as_deref(), Some("134700"));
    assert_eq!(c.phone.as_deref(), Some("0439-3820611"));
    let paragraphs: Vec<&str> = r.text.overview.text.split('\n').collect();
    assert_eq!(paragraphs.len(), 7);
    assert!(paragraphs[0].starts_with("2020年，我区认真贯彻落实《条例》"), "{}", paragraphs[0]);
    let heads: Vec<&str> = paragraphs[1..].iter().map(|p| p.split('。').next().unwrap_or("")).collect();
    assert_eq!(
        heads,
        [
            "（一）主动公开情况",
            "（二）依申请公开情况",
            "（三）政府信息管理",
            "（四）公开平台建设",
            "（五）监督保障",
            "（六）贯彻落实政务公开要点情况"
        ]
    );
    assert!(paragraphs[4].contains("通过“江源微刊”微信公众号发布信息1328条。"));
    assert!(r.text.problems.text.starts_with("本年度我局政府信息公开工作虽取得了一些成效"));
    assert!(r.text.problems.text.ends_with("切实做好相关信息公开工作。"));
    assert_eq!(r.text.other_matters.text, "2020年度我局无其他需要报告的事项。");
}

/// Row totals, result totals, the balance of table 三 and the totals of table 四 that do
/// not hold: (rule, row or group id, column id).
fn broken_rules(r: &Report) -> Vec<(&'static str, &'static str, &'static str)> {
    let form = r.form();
    let cols = form.requests_columns;
    let mut out = Vec::new();
    for row in form.requests_rows {
        let six: i64 = cols[..6].iter().map(|c| req(r, row.id, c.id)).sum();
        if six != req(r, row.id, "total") {
            out.push(("T3-ROW-TOTAL", row.id, "total"));
        }
    }
    let results: Vec<&str> =
        form.requests_rows.iter().filter(|x| !x.groups.is_empty() && x.id != "result_total").map(|x| x.id).collect();
    assert_eq!(results.len(), if r.edition == Edition::E2021 { 21 } else { 19 });
    for c in cols {
        let sum: i64 = results.iter().map(|row| req(r, row, c.id)).sum();
        if sum != req(r, "result_total", c.id) {
            out.push(("T3-RESULT-TOTAL", "result_total", c.id));
        }
        let left = req(r, "new_received", c.id) + req(r, "carried_over", c.id);
        if left != req(r, "result_total", c.id) + req(r, "carried_forward", c.id) {
            out.push(("T3-BALANCE", "result_total", c.id));
        }
    }
    for g in form.review_groups {
        let four: i64 = form.review_columns[..4].iter().map(|c| rev(r, g.id, c.id)).sum();
        if four != rev(r, g.id, "total") {
            out.push(("T4-TOTAL", g.id, "total"));
        }
    }
    out
}

#[test]
fn sample_county_bureau_2023_holds_every_rule() {
    let r = read_sample("2023-某某县市场监督管理局.xlsx");
    assert_meta(&r, Edition::E2021, "某某县市场监督管理局", 2023);
    assert_eq!(broken_rules(&r), []);
    assert_eq!(req(&r, "new_received", "total"), 40);
    assert_eq!(req(&r, "granted", "total"), 21);
    assert_eq!(req(&r, "result_total", "total"), 41);
    assert_eq!(req_cell(&r, "result_total", "total"), "依申请公开!J28");
    assert_eq!(act(&r, "normative_documents", "in_force"), "12");
    assert_eq!(act(&r, "fees", "amount_wan"), "12.35");
    assert_eq!(rev(&r, "review", "total") + rev(&r, "litigation_direct", "total"), 4);
    let nonzero_rows = r.form().requests_rows.iter().filter(|x| req(&r, x.id, "total") > 0).count();
    assert_eq!(nonzero_rows, 13);
    let fee = |v: &Option<nianbao::model::Value>| v.as_ref().and_then(|v| v.num).map(|d| d.to_string());
    assert_eq!((fee(&r.fee.count), fee(&r.fee.amount)), (Some("1".into()), Some("0.01".into())));
    let overview = &r.text.overview.text;
    for stated in
        ["新收政府信息公开申请40件", "予以公开21件", "现行有效行政规范性文件12件", "行政复议3件", "行政诉讼2件"]
    {
        assert!(overview.contains(stated), "{stated}");
    }
    assert_eq!(overview.matches("2023年").count(), 3);
    assert!(!overview.contains("2022"));
    assert!(r.text.other_matters.text.contains("收取信息处理费1次，金额0.01万元"));
}

#[test]
fn sample_with_wrong_totals_breaks_exactly_those() {
    let r = read_sample("2023-某某县市场监督管理局-总计有误.xlsx");
    assert_eq!(
        broken_rules(&r),
        [
            ("T3-ROW-TOTAL", "granted", "total"),
            ("T3-ROW-TOTAL", "result_total", "total"),
            ("T3-RESULT-TOTAL", "result_total", "commercial"),
            ("T3-BALANCE", "result_total", "commercial"),
            ("T3-RESULT-TOTAL", "result_total", "total"),
            ("T4-TOTAL", "review", "total"),
        ]
    );
    assert_eq!((req(&r, "granted", "total"), req_cell(&r, "granted", "total")), (22, "依申请公开!J7".into()));
    assert_eq!(
        (req(&r, "result_total", "commercial"), req_cell(&r, "result_total", "commercial")),
        (5, "依申请公开!E28".into())
    );
    assert_eq!((rev(&r, "review", "total"), rev_cell(&r, "review", "total")), (4, "复议诉讼!E5".into()));
}
