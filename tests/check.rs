//! Tests of the check stage: every rule broken exactly once in a workbook written by the
//! standard template, the deduplication of table 三's totals, and the cross-year rules.

use crate::common::*;
use nianbao::check::{self, rules, Context};
use nianbao::finding::{Finding, Severity};
use nianbao::model::{Report, Value};
use nianbao::write::template;
use nianbao::Edition;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Sets a table 三 number by ids.
fn set_req(r: &mut Report, row: &str, col: &str, n: i64) {
    let ri = r.form().requests_row(row).expect("row");
    let ci = nianbao::form::requests_column(col).expect("col");
    set(&mut r.requests[ri][ci], n);
}

fn set_active(r: &mut Report, row: &str, col: &str, n: i64) {
    let form = r.form();
    let (i, (block, _)) = form.active_rows().enumerate().find(|(_, (_, x))| x.id == row).expect("row");
    let c = block.columns.iter().position(|c| c.id == col).expect("col");
    set(&mut r.active[i][c], n);
}

fn set_review(r: &mut Report, group: &str, col: &str, n: i64) {
    let form = r.form();
    let g = form.review_groups.iter().position(|x| x.id == group).expect("group");
    let c = form.review_columns.iter().position(|x| x.id == col).expect("col");
    set(&mut r.review[g][c], n);
}

/// A report in which every rule holds: table 三 balances in every row and column.
fn good(edition: Edition, agency: &str, year: i32) -> Report {
    let mut r = blank(edition, agency, year);
    for (row, np, com, total) in [
        ("new_received", 10, 2, 12),
        ("carried_over", 1, 0, 1),
        ("granted", 5, 1, 6),
        ("partly_granted", 2, 0, 2),
        ("unable_not_held", 2, 1, 3),
        ("result_total", 9, 2, 11),
        ("carried_forward", 2, 0, 2),
    ] {
        set_req(&mut r, row, "natural_person", np);
        set_req(&mut r, row, "commercial", com);
        set_req(&mut r, row, "total", total);
    }
    set_review(&mut r, "review", "upheld", 1);
    set_review(&mut r, "review", "corrected", 1);
    set_review(&mut r, "review", "total", 2);
    set_review(&mut r, "litigation_direct", "pending", 1);
    set_review(&mut r, "litigation_direct", "total", 1);
    match edition {
        Edition::E2021 => {
            set_active(&mut r, "normative_documents", "issued", 3);
            set_active(&mut r, "normative_documents", "repealed", 1);
            set_active(&mut r, "normative_documents", "in_force", 20);
            set_active(&mut r, "licensing", "decisions", 100);
            r.text.overview.text = format!(
                "{year}年，本局共收到政府信息公开申请12件，予以公开6件。现行有效规范性文件20件。\
                 因政府信息公开被申请行政复议2件，提起行政诉讼1件。"
            );
            r.text.other_matters.text = format!("{year}年本机关未收取信息处理费。");
        }
        Edition::E2019 => {
            set_active(&mut r, "normative_documents", "made", 3);
            set_active(&mut r, "licensing", "prev_items", 50);
            set(&mut r.active[2][1], 2);
            r.text.overview.text = format!("{year}年，本局共收到政府信息公开申请12件，予以公开6件。");
        }
    }
    r
}

/// Writes the report as the standard workbook, reads it back and checks it.
fn findings_of(r: &Report) -> (Report, Vec<Finding>) {
    let bytes = template::filled(r).expect("write");
    let back = read_bytes(&bytes, "测试.xlsx");
    let f = check::check(&back, Context::default());
    (back, f)
}

fn with_previous(r: &Report, prev: &Report) -> Vec<Finding> {
    let back = read_bytes(&template::filled(r).expect("write"), "本年.xlsx");
    let prev = read_bytes(&template::filled(prev).expect("write"), "上年.xlsx");
    check::check(&back, Context { previous: Some(&prev) })
}

/// An overview that states no figure, for tests that change the tables.
fn neutral(r: &mut Report) {
    r.text.overview.text = format!("{}年，本机关认真落实《条例》。", r.year.value.unwrap_or(2023));
}

/// Findings other than the VAL-BLANK notes.
fn real(f: &[Finding]) -> Vec<&Finding> {
    f.iter().filter(|x| x.rule != "VAL-BLANK").collect()
}

fn cell(f: &Finding) -> String {
    f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default()
}

fn d(n: i64) -> Option<Decimal> {
    Some(Decimal::from(n))
}

/// The one finding that is not VAL-BLANK.
fn only(f: &[Finding]) -> &Finding {
    let r = real(f);
    assert_eq!(r.len(), 1, "expected one finding, got: {:#?}", r);
    r[0]
}

#[test]
fn a_correct_report_has_only_blank_notes() {
    for (e, y) in [(Edition::E2021, 2023), (Edition::E2019, 2020)] {
        let (_, f) = findings_of(&good(e, "某某县教育局", y));
        assert!(real(&f).is_empty(), "{e}: {:#?}", real(&f));
        assert!(f.iter().any(|x| x.rule == "VAL-BLANK" && x.severity == Severity::Info));
    }
}

#[test]
fn t3_row_total_wrong_total_cell_is_one_finding_at_that_cell() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "granted", "total", 7);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-ROW-TOTAL");
    assert_eq!(x.severity, Severity::Error);
    assert_eq!(cell(x), "依申请公开!J7");
    assert_eq!((x.expected, x.found), (d(6), d(7)));
    assert!(x.message.contains("填写为 7") && x.message.contains("应为 6"), "{}", x.message);
    let related: Vec<String> = x.related.iter().map(|c| c.to_string()).collect();
    assert!(related.contains(&"依申请公开!D7".to_string()) && related.contains(&"依申请公开!J28".to_string()));
}

#[test]
fn t3_wrong_applicant_cell_is_one_finding_at_that_cell() {
    // 商业企业 of （一）予以公开 typed 2 instead of 1: its row and its column break.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "granted", "commercial", 2);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-ROW-TOTAL");
    assert_eq!(cell(x), "依申请公开!E7");
    assert_eq!((x.expected, x.found), (d(1), d(2)));
}

#[test]
fn t3_wrong_result_total_in_total_column_is_one_finding() {
    // （七）总计 of the 总计 column: its row, its column's sum and balance all break.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "result_total", "total", 12);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-ROW-TOTAL");
    assert_eq!(cell(x), "依申请公开!J28");
    assert_eq!((x.expected, x.found), (d(11), d(12)));
    assert!(x.message.contains("这三项"), "{}", x.message);
}

#[test]
fn t3_result_total_broken_once() {
    // （一）予以公开 of 自然人 and its 总计 both one too many: the row holds, the column does not.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "granted", "natural_person", 6);
    set_req(&mut r, "granted", "total", 7);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-RESULT-TOTAL");
    assert_eq!(cell(x), "依申请公开!D28");
    assert_eq!((x.expected, x.found), (d(10), d(9)));
    // The 总计 column breaks alike (its （一） is 7 too): said in the same finding, whose
    // related cells cover both columns' relations.
    assert_eq!(
        x.message,
        "“自然人”列：（一）至（六）各项办理结果之和（10）应等于（七）总计（9）；“总计”列也因此不符：\
         （一）至（六）各项办理结果之和（12）不等于（七）总计（11）"
    );
    assert_eq!(x.related.len(), 21 + 22);
    let related: Vec<String> = x.related.iter().map(|c| c.to_string()).collect();
    assert!(related.contains(&"依申请公开!J7".to_string()) && related.contains(&"依申请公开!J28".to_string()));
}

#[test]
fn t3_result_total_cell_wrong_in_an_applicant_column() {
    // （七）总计 of 自然人 and of 总计 both one too many: sum and balance of 自然人 break.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "result_total", "natural_person", 10);
    set_req(&mut r, "result_total", "total", 12);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-RESULT-TOTAL");
    assert_eq!(cell(x), "依申请公开!D28");
    assert_eq!((x.expected, x.found), (d(9), d(10)));
    assert!(x.message.contains("本行“总计”也应相应改正"), "{}", x.message);
}

#[test]
fn t3_balance_broken_once() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    set_req(&mut r, "new_received", "natural_person", 11);
    set_req(&mut r, "new_received", "total", 13);
    r.text.overview.text = "2023年，本局共收到政府信息公开申请13件，予以公开6件。".into();
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-BALANCE");
    assert_eq!(x.severity, Severity::Error);
    assert_eq!(cell(x), "依申请公开!D28");
    assert_eq!((x.expected, x.found), (d(12), d(11)));
    assert_eq!(
        x.to_string(),
        "错误[T3-BALANCE] 依申请公开!D28：“自然人”列：第一项加第二项之和（12）应等于第三项加第四项之和（11）；\
         “总计”列也因此不符：第一项加第二项之和（14）不等于第三项加第四项之和（13）"
    );
    let related: Vec<String> = x.related.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        related,
        [
            "依申请公开!D5",
            "依申请公开!D6",
            "依申请公开!D29",
            "依申请公开!J5",
            "依申请公开!J6",
            "依申请公开!J28",
            "依申请公开!J29"
        ]
    );
}

#[test]
fn t3_balance_in_the_2019_edition_uses_its_rows() {
    let mut r = good(Edition::E2019, "某某县教育局", 2020);
    neutral(&mut r);
    set_req(&mut r, "carried_forward", "natural_person", 3);
    set_req(&mut r, "carried_forward", "total", 3);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-BALANCE");
    assert_eq!(cell(x), "依申请公开!D26");
    assert_eq!((x.expected, x.found), (d(11), d(12)));
}

#[test]
fn two_wrong_totals_with_consistent_applicant_columns_blame_the_totals() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "granted", "total", 7);
    set_req(&mut r, "partly_granted", "total", 3);
    let (_, f) = findings_of(&r);
    let real = real(&f);
    assert_eq!(real.len(), 2, "{real:#?}");
    assert!(real.iter().all(|x| x.rule == "T3-ROW-TOTAL"));
    assert_eq!(cell(real[0]), "依申请公开!J7");
    assert_eq!(cell(real[1]), "依申请公开!J8");
    assert_eq!((real[1].expected, real[1].found), (d(2), d(3)));
    assert!(real[0].message.contains("应改正本行“总计”"), "{}", real[0].message);
}

#[test]
fn two_mistakes_in_one_column_report_rows_and_column_linked() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "granted", "natural_person", 6);
    set_req(&mut r, "partly_granted", "natural_person", 3);
    let (_, f) = findings_of(&r);
    let real = real(&f);
    // Neither row alone explains the column (off by 2): both rows and the column are
    // reported; the 总计 column is right and says nothing.
    let codes: Vec<(&str, String)> = real.iter().map(|x| (x.rule, cell(x))).collect();
    assert_eq!(
        codes,
        [
            ("T3-ROW-TOTAL", "依申请公开!J7".to_string()),
            ("T3-ROW-TOTAL", "依申请公开!J8".to_string()),
            ("T3-RESULT-TOTAL", "依申请公开!D28".to_string()),
        ]
    );
    assert_eq!((real[2].expected, real[2].found), (d(11), d(9)));
    let col = real[2];
    let related: Vec<String> = col.related.iter().map(|c| c.to_string()).collect();
    assert!(related.contains(&"依申请公开!D7".to_string()) && related.contains(&"依申请公开!D8".to_string()));
}

#[test]
fn only_the_total_column_filled_is_said_once() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    for row in r.requests.iter_mut() {
        for v in row.iter_mut().take(6) {
            *v = Value::zero();
        }
    }
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T3-ROW-TOTAL");
    assert_eq!(cell(x), "依申请公开!J5");
    // The other six 总计 cells, and every cell of the seven rows, so each row is covered.
    assert_eq!(x.related.len(), 6 + 7 * 6);
    assert_eq!(x.related[..6].iter().map(|c| c.to_string()).collect::<Vec<_>>()[0], "依申请公开!J6");
    assert!(x.message.contains("只填写了“总计”列") && x.message.contains("共 7 行"), "{}", x.message);
}

#[test]
fn t4_total() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_review(&mut r, "litigation_after_review", "total", 1);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "T4-TOTAL");
    assert_eq!(cell(x), "复议诉讼!O5");
    assert_eq!((x.expected, x.found), (d(0), d(1)));
    assert_eq!(x.message, "“行政诉讼（复议后起诉）”：结果维持、结果纠正、其他结果、尚未审结之和（0）应等于总计（1）");
}

#[test]
fn text_fee_when_nothing_says_it() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    r.text.other_matters.text = "无。".into();
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "TEXT-FEE");
    assert_eq!(x.severity, Severity::Warning);
    assert_eq!(cell(x), "基本信息!B12");
    // No text of its own: the report's default text states the fee.
    r.text.other_matters.text.clear();
    let (_, f) = findings_of(&r);
    assert!(real(&f).is_empty(), "{:#?}", real(&f));
    // The fee cells filled say it instead.
    r.text.other_matters.text = "无。".into();
    r.fee.count = Some(Value::number(Decimal::ZERO));
    let (_, f) = findings_of(&r);
    assert!(real(&f).is_empty(), "{:#?}", real(&f));
}

#[test]
fn text_year_copied_from_last_year() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    r.text.overview.text = "2022年，本局共收到政府信息公开申请12件，予以公开6件。2022年全年……2023年继续推进。".into();
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "TEXT-YEAR");
    assert_eq!(cell(x), "基本信息!B10");
    assert!(x.message.contains("“2022年”2 次") && x.message.contains("“2023年”的 1 次"), "{}", x.message);
    r.text.overview.text = "本局共收到政府信息公开申请12件，予以公开6件。".into();
    let (_, f) = findings_of(&r);
    assert_eq!(only(&f).rule, "TEXT-YEAR");
}

#[test]
fn text_scope_of_the_sample_district() {
    let mut r = good(Edition::E2019, "江源区人民政府", 2020);
    r.text.overview.text =
        "2020年，我区认真贯彻落实《条例》，全县政府信息公开工作取得了积极成效。对全县政务信息公开的范围作了明确。\
         我局高度重视。本行政区域内共收到政府信息公开申请12件，予以公开6件。"
            .into();
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "TEXT-SCOPE");
    assert_eq!(x.severity, Severity::Warning);
    assert_eq!(cell(x), "基本信息!B10");
    assert_eq!(
        x.message,
        "“江源区人民政府”是区人民政府，正文却写了“全县”2 处、“我局”1 处，可能沿用了其他机关的报告，请核对"
    );
    // A county department speaking of 全县 is normal.
    r.agency.value = Some("某某县教育局".into());
    r.text.overview.text = "2020年，全县共收到政府信息公开申请12件，予以公开6件。".into();
    assert!(real(&findings_of(&r).1).is_empty());
    // A county government saying 我区, but not 本区域.
    r.agency.value = Some("某某县人民政府".into());
    r.text.overview.text = "2020年，本行政区域共收到政府信息公开申请12件，予以公开6件。我区……".into();
    let (_, f) = findings_of(&r);
    assert!(only(&f).message.contains("“我区”1 处"), "{}", only(&f).message);
}

#[test]
fn text_numbers_each_claim() {
    let cases = [
        ("2023年，本局共收到政府信息公开申请15件。", 12, 15),
        ("2023年，现行有效规范性文件21件。", 20, 21),
        ("2023年，被申请行政复议3件。", 2, 3),
        ("2023年，被提起行政诉讼2件。", 1, 2),
        ("2023年，予以公开７件。", 6, 7),
    ];
    for (text, expected, found) in cases {
        let mut r = good(Edition::E2021, "某某县教育局", 2023);
        r.text.overview.text = text.into();
        let (_, f) = findings_of(&r);
        let x = only(&f);
        assert_eq!(x.rule, "TEXT-NUMBERS", "{text}");
        assert_eq!(cell(x), "基本信息!B10");
        assert_eq!((x.expected, x.found), (d(expected), d(found)), "{text}");
    }
    // Last year's figure, a 不予公开, a combined count and 上年结转 included are not flagged.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    r.text.overview.text = "2023年共收到申请13件（含上年结转1件），较上年收到申请30件有所下降，不予公开0件。\
         行政复议和行政诉讼共3件。"
        .into();
    assert!(real(&findings_of(&r).1).is_empty(), "{:#?}", real(&findings_of(&r).1));
}

#[test]
fn text_length_over_the_limit() {
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    r.text.overview.text = format!("2023年{}", "好".repeat(996));
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "TEXT-LENGTH");
    assert_eq!((x.expected, x.found), (d(1000), d(1001)));
    r.text.overview.text = format!("2023年{}", "好".repeat(995));
    assert!(real(&findings_of(&r).1).is_empty());
}

#[test]
fn plaus_regulations_of_a_town() {
    let mut r = good(Edition::E2021, "某某镇人民政府", 2023);
    neutral(&mut r);
    set_active(&mut r, "regulations", "issued", 1);
    let (_, f) = findings_of(&r);
    let x = only(&f);
    assert_eq!(x.rule, "PLAUS-REGULATIONS");
    assert_eq!(cell(x), "主动公开!B4");
    // A 住房和城乡建设局 is no township.
    r.agency.value = Some("某某市住房和城乡建设局".into());
    assert!(real(&findings_of(&r).1).is_empty());
}

#[test]
fn x_carry_per_column() {
    let r = good(Edition::E2021, "某某县教育局", 2023);
    let mut prev = good(Edition::E2021, "某某县教育局", 2022);
    set_active(&mut prev, "normative_documents", "in_force", 18);
    set_req(&mut prev, "carried_forward", "natural_person", 1);
    set_req(&mut prev, "carried_forward", "total", 2);
    let f = with_previous(&r, &prev);
    let x = only(&f);
    assert_eq!(x.rule, "X-CARRY");
    assert_eq!(cell(x), "依申请公开!J6");
    assert_eq!((x.expected, x.found), (d(2), d(1)));
    assert!(x.message.contains("2022年度报告") && x.message.contains("依申请公开!J29"), "{}", x.message);
}

#[test]
fn x_in_force_only_when_both_are_2021() {
    let r = good(Edition::E2021, "某某县教育局", 2023);
    let mut prev = good(Edition::E2021, "某某县教育局", 2022);
    set_req(&mut prev, "carried_forward", "natural_person", 1);
    set_req(&mut prev, "carried_forward", "total", 1);
    set_active(&mut prev, "normative_documents", "in_force", 19);
    let f = with_previous(&r, &prev);
    let x = only(&f);
    assert_eq!(x.rule, "X-IN-FORCE");
    assert_eq!(cell(x), "主动公开!D5");
    assert_eq!((x.expected, x.found), (d(21), d(20)));
    let related: Vec<String> = x.related.iter().map(|c| c.to_string()).collect();
    assert_eq!(related, ["主动公开!B5", "主动公开!C5"]);
}

#[test]
fn x_items_only_when_both_are_2019() {
    let r = good(Edition::E2019, "某某县教育局", 2020);
    let mut prev = good(Edition::E2019, "某某县教育局", 2019);
    set_req(&mut prev, "carried_forward", "natural_person", 1);
    set_req(&mut prev, "carried_forward", "total", 1);
    // Last year 48 items and +2 make this year's 50: holds.
    set_active(&mut prev, "licensing", "prev_items", 48);
    assert!(real(&with_previous(&r, &prev)).is_empty());
    set_active(&mut prev, "licensing", "prev_items", 47);
    let f = with_previous(&r, &prev);
    let x = only(&f);
    assert_eq!(x.rule, "X-ITEMS");
    assert_eq!(cell(x), "主动公开!B8");
    assert_eq!((x.expected, x.found), (d(49), d(50)));
    assert!(x.message.contains("加本年增/减（+2）应为 49"), "{}", x.message);
}

#[test]
fn x_same_and_editions_across() {
    let r = good(Edition::E2021, "某某县教育局", 2023);
    let mut prev = r.clone();
    prev.year.value = Some(2022);
    set_active(&mut prev, "normative_documents", "in_force", 18);
    set_req(&mut prev, "carried_forward", "natural_person", 1);
    set_req(&mut prev, "carried_forward", "total", 1);
    set_req(&mut prev, "carried_over", "natural_person", 1);
    set_req(&mut prev, "carried_over", "total", 1);
    // Differs only in carried_forward (needed for X-CARRY): no X-SAME.
    let f = with_previous(&r, &prev);
    assert!(real(&f).is_empty(), "{:#?}", real(&f));
    // The same figures as last year.
    let mut this = r.clone();
    this.text.overview.text = "2023年，本局共收到政府信息公开申请11件，予以公开6件。".into();
    set_active(&mut this, "normative_documents", "issued", 1);
    set_req(&mut this, "carried_over", "natural_person", 2);
    set_req(&mut this, "carried_over", "total", 2);
    set_req(&mut this, "new_received", "natural_person", 9);
    set_req(&mut this, "new_received", "total", 11);
    let mut same2 = this.clone();
    same2.year.value = Some(2022);
    let f = with_previous(&this, &same2);
    let x = only(&f);
    assert_eq!(x.rule, "X-SAME");
    assert_eq!(cell(x), "依申请公开!J5");
    assert!(x.message.contains("表二、表三、表四的全部 200 个数字"), "{}", x.message);

    // 2020 in the 2019 edition, then 2021 in the 2021 edition: tables 三 (common rows) and 四 only.
    let mut old = good(Edition::E2019, "某某县教育局", 2020);
    set_req(&mut old, "carried_forward", "natural_person", 1);
    set_req(&mut old, "carried_forward", "total", 1);
    set_active(&mut old, "licensing", "prev_items", 7);
    let new = good(Edition::E2021, "某某县教育局", 2021);
    let f = with_previous(&new, &old);
    assert!(real(&f).is_empty(), "{:#?}", real(&f));
    set_req(&mut old, "carried_forward", "total", 2);
    let f = with_previous(&new, &old);
    assert_eq!(only(&f).rule, "X-CARRY");
}

#[test]
fn every_rule_is_registered_and_the_readme_lists_them() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(readme.contains(&rules::markdown_table()), "README's rule table differs from check::rules");
    assert_eq!(rules::RULES.len(), 28);
    for code in [
        "T3-ROW-TOTAL",
        "T3-SUBTOTAL",
        "READ-LABEL",
        "READ-CHOICE",
        "VAL-FORMULA-COMPUTED",
        "X-SAME",
        "TEXT-NUMBERS",
        "PLAUS-REGULATIONS",
        "META-FROM-NAME",
    ] {
        assert!(rules::by_code(code).is_some(), "{code}");
    }
    assert_eq!(rules::by_code("T3-BALANCE").map(|r| r.severity), Some(Severity::Error));
    assert_eq!(rules::by_code("VAL-BLANK").map(|r| r.severity), Some(Severity::Info));
}

/// A workbook with a wrong 总计 (error at 依申请公开!J7) and a TEXT-SCOPE warning.
fn bad_workbook() -> Vec<u8> {
    let mut r = good(Edition::E2021, "江源区人民政府", 2023);
    set_req(&mut r, "granted", "total", 7);
    r.text.overview.text = "2023年，全县……我局……".into();
    template::filled(&r).expect("write")
}

/// Every part of an xlsx by name.
pub(crate) fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.insert(f.name().to_string(), s);
        }
    }
    out
}

/// The `s` attribute of a cell in a sheet's XML.
fn style_of(sheet_xml: &str, a1: &str) -> usize {
    let at = sheet_xml.find(&format!("<c r=\"{a1}\"")).unwrap_or_else(|| panic!("no cell {a1}"));
    let tag = &sheet_xml[at..at + sheet_xml[at..].find('>').expect("tag")];
    let s = tag.split("s=\"").nth(1).expect("s attribute");
    s[..s.find('"').expect("quote")].parse().expect("number")
}

/// The fill colour (`FFFFC7CE`) of a cellXfs style, or "" for none.
fn fill_of(styles: &str, s: usize) -> String {
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xf = xfs.split("<xf ").nth(s + 1).expect("xf");
    let fill_id: usize = xf.split("fillId=\"").nth(1).map_or(0, |x| x[..x.find('"').expect("q")].parse().expect("n"));
    let fills = &styles[styles.find("<fills").expect("fills")..styles.find("</fills>").expect("fills end")];
    let fill = fills.split("<fill>").nth(fill_id + 1).expect("fill");
    fill.split("rgb=\"").nth(1).map_or(String::new(), |x| x[..8].to_string())
}

#[test]
fn annotate_xlsx_keeps_every_value_and_marks_the_cells() {
    use nianbao::read::open::open;
    let bytes = bad_workbook();
    let report = read_bytes(&bytes, "坏表.xlsx");
    let findings = check::check(&report, Context::default());
    let parsed = nianbao::read::parse(&bytes).expect("parse");
    let wb = nianbao::convert::workbook(&parsed, &bytes).expect("a workbook");
    assert!(matches!(wb, nianbao::write::annotate::Workbook::Xlsx(_)));
    let out = nianbao::write::annotate::annotate(wb, &findings).expect("annotate");
    // Every value of every sheet as it was.
    let (_, before) = open(&bytes).expect("open original");
    let (_, after) = open(&out).expect("open annotated");
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.cells, b.cells, "sheet {}", a.name);
    }
    // Read back, the findings are the same.
    let again = check::check(&read_bytes(&out, "坏表.xlsx"), Context::default());
    assert_eq!(
        again.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        findings.iter().map(|f| f.to_string()).collect::<Vec<_>>()
    );
    let parts = unzip(&out);
    let styles = &parts["xl/styles.xml"];
    let requests = &parts["xl/worksheets/sheet3.xml"];
    assert_eq!(fill_of(styles, style_of(requests, "J7")), "FFFFC7CE");
    // A neighbour keeps its own style.
    let original = unzip(&bytes);
    assert_eq!(style_of(requests, "I7"), style_of(&original["xl/worksheets/sheet3.xml"], "I7"));
    assert_eq!(fill_of(styles, style_of(&parts["xl/worksheets/sheet1.xml"], "B10")), "FFFFEB9C");
    // The comments carry the messages.
    let comments: Vec<&String> = parts.iter().filter(|(k, _)| k.starts_with("xl/comments")).map(|(_, v)| v).collect();
    assert_eq!(comments.len(), 2);
    let all = comments.iter().map(|s| s.as_str()).collect::<String>();
    assert!(all.contains("ref=\"J7\"") && all.contains("错误[T3-ROW-TOTAL] “（一）予以公开”行“总计”填写为 7"), "{all}");
    assert!(all.contains("ref=\"B10\"") && all.contains("警告[TEXT-SCOPE]"), "{all}");
    // Info findings (VAL-BLANK) are not marked.
    assert!(!all.contains("VAL-BLANK"));
    assert!(requests.contains("<legacyDrawing"));
    assert!(parts["[Content_Types].xml"].contains("spreadsheetml.comments+xml"));
}

#[test]
fn annotate_xls_writes_an_xlsx_copy() {
    use nianbao::read::open::{open, Format};
    let bytes = std::fs::read(fixture("check/予以公开总计多1.xls")).expect("fixture");
    let report = read_bytes(&bytes, "予以公开总计多1.xls");
    let findings = check::check(&report, Context::default());
    assert_eq!(
        real(&findings).iter().map(|f| (f.rule, cell(f))).collect::<Vec<_>>()[0],
        ("T3-ROW-TOTAL", "依申请公开!J7".to_string())
    );
    let parsed = nianbao::read::parse(&bytes).expect("parse");
    let wb = nianbao::convert::workbook(&parsed, &bytes).expect("a workbook");
    assert!(matches!(wb, nianbao::write::annotate::Workbook::Sheets(_)));
    let out = nianbao::write::annotate::annotate(wb, &findings).expect("annotate");
    let (format, after) = open(&out).expect("open");
    assert_eq!(format, Format::Xlsx);
    let (_, before) = open(&bytes).expect("open original");
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.name, b.name);
        for (pos, raw) in &a.cells {
            // xls stores every number as a float; the value is the same.
            assert_eq!(b.cells.get(pos).map(|x| x.text()), Some(raw.text()), "{}!{pos:?}", a.name);
        }
    }
    let parts = unzip(&out);
    let comments = parts.iter().filter(|(k, _)| k.contains("comments")).map(|(_, v)| v.as_str()).collect::<String>();
    assert!(comments.contains("ref=\"J7\"") && comments.contains("T3-ROW-TOTAL"), "{comments}");
}

#[test]
fn cli_rules_lists_every_code_and_strict_counts_warnings() {
    let exe = env!("CARGO_BIN_EXE_nianbao");
    let out = std::process::Command::new(exe).arg("rules").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), rules::RULES.len());
    assert!(text.lines().any(|l| l.starts_with("T3-BALANCE") && l.contains("error")));
    // A report whose only finding is a warning: exit 0, with --strict exit 1.
    let dir = tempfile::tempdir().expect("tmp");
    let mut r = good(Edition::E2021, "江源区人民政府", 2023);
    r.text.overview.text = "2023年，我局收到政府信息公开申请12件。".into();
    let path = dir.path().join("警告.xlsx");
    std::fs::write(&path, template::filled(&r).expect("write")).expect("write");
    let run = |strict: bool| {
        let mut c = std::process::Command::new(exe);
        c.arg("check").arg(&path).env("NO_COLOR", "1");
        if strict {
            c.arg("--strict");
        }
        c.output().expect("run")
    };
    let plain = run(false);
    assert_eq!(plain.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert!(stdout.contains("  警告[TEXT-SCOPE] 基本信息!B10："), "{stdout}");
    assert!(!stdout.contains("\x1b["), "no colour when piped");
    assert_eq!(run(true).status.code(), Some(1));
    // --annotate writes <stem>.xlsx into the folder.
    let ann = dir.path().join("标注");
    let st = std::process::Command::new(exe).arg("check").arg(&path).arg("--annotate").arg(&ann).output().expect("run");
    assert_eq!(st.status.code(), Some(0));
    assert!(ann.join("警告.xlsx").is_file());
}

/// The relations of table 三 (formats.md §6), computed here from the form's ids, each as
/// its name and the cells it adds up.
fn t3_relations(r: &Report) -> Vec<(String, Vec<(usize, usize)>)> {
    let form = r.form();
    let ids: Vec<&str> = form.requests_rows.iter().map(|x| x.id).collect();
    let row = |id: &str| ids.iter().position(|x| *x == id).expect("row");
    let cols = form.requests_columns.len();
    let balance = ["new_received", "carried_over", "result_total", "carried_forward"];
    let results: Vec<usize> = (0..ids.len()).filter(|&i| !balance.contains(&ids[i])).collect();
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        out.push((format!("row {id}"), (0..cols).map(|c| (i, c)).collect()));
    }
    for c in 0..cols {
        let mut sum = vec![(row("result_total"), c)];
        sum.extend(results.iter().map(|&i| (i, c)));
        out.push((format!("sum col {c}"), sum));
        out.push((format!("balance col {c}"), balance.iter().map(|id| (row(id), c)).collect()));
    }
    out
}

/// Whether a table 三 relation fails in a report.
fn t3_fails(r: &Report, cells: &[(usize, usize)], name: &str) -> bool {
    let form = r.form();
    let total = nianbao::form::requests_column("total").expect("total");
    let rt = form.requests_row("result_total").expect("row");
    let cf = form.requests_row("carried_forward").expect("row");
    let n = |&(i, c): &(usize, usize)| r.requests[i][c].num.unwrap_or_default();
    let (lhs, rhs): (Decimal, Decimal) = if name.starts_with("row") {
        (cells.iter().filter(|x| x.1 != total).map(n).sum(), cells.iter().filter(|x| x.1 == total).map(n).sum())
    } else if name.starts_with("sum") {
        (cells.iter().filter(|x| x.0 != rt).map(n).sum(), cells.iter().filter(|x| x.0 == rt).map(n).sum())
    } else {
        (
            cells.iter().filter(|x| x.0 != rt && x.0 != cf).map(n).sum(),
            cells.iter().filter(|x| x.0 == rt || x.0 == cf).map(n).sum(),
        )
    };
    lhs != rhs
}

/// Asserts the coverage rule: every failing relation of table 三 has all its cells among
/// the cell and related cells of one error finding, and every T3 finding is about a
/// failing relation.
fn assert_covered(r: &Report, findings: &[Finding], what: &str) {
    let name = |i: usize, c: usize| r.requests[i][c].cell.as_ref().map(|x| x.to_string()).unwrap_or_default();
    let mut broken = Vec::new();
    for (rel, cells) in t3_relations(r) {
        if !t3_fails(r, &cells, &rel) {
            continue;
        }
        let names: Vec<String> = cells.iter().map(|&(i, c)| name(i, c)).collect();
        let covered = findings.iter().filter(|f| f.severity == Severity::Error).any(|f| {
            let mut all: Vec<String> = f.related.iter().map(|c| c.to_string()).collect();
            all.push(cell(f));
            names.iter().all(|n| all.contains(n))
        });
        assert!(covered, "{what}: {rel} fails and no finding covers it: {findings:#?}");
        broken.extend(names);
    }
    for f in findings.iter().filter(|f| f.rule.starts_with("T3-")) {
        assert!(broken.contains(&cell(f)), "{what}: {} at {} is about no failing relation", f.rule, cell(f));
    }
}

#[test]
fn every_broken_relation_of_random_corruptions_is_covered() {
    // A seeded loop: 1–3 random cells of a correct table 三 changed by 1–6, 400 times per
    // edition. A failure prints the seed's case; the sequence is the same on every run.
    let mut state: u64 = 0x5eed_2020_2023;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    for (e, y) in [(Edition::E2021, 2023), (Edition::E2019, 2020)] {
        let mut r = good(e, "某某县教育局", y);
        neutral(&mut r);
        let (back, f) = findings_of(&r);
        assert!(f.iter().all(|x| !x.rule.starts_with("T3-")));
        let (rows, cols) = (back.requests.len(), back.requests[0].len());
        for case in 0..400 {
            let mut bad = back.clone();
            let mut changed = Vec::new();
            let mut cells: Vec<(usize, usize, Decimal)> = Vec::new();
            for _ in 0..=next(3) {
                let (i, c) = (next(rows as u64) as usize, next(cols as u64) as usize);
                let old = bad.requests[i][c].num.unwrap_or_default();
                if !cells.iter().any(|x| (x.0, x.1) == (i, c)) {
                    cells.push((i, c, old));
                }
                let mut delta = Decimal::from(next(6) + 1);
                if next(2) == 0 && old >= delta {
                    delta = -delta;
                }
                bad.requests[i][c].num = Some(old + delta);
                changed.push(format!(
                    "{}{:+}",
                    bad.requests[i][c].cell.as_ref().map(|x| x.to_string()).unwrap_or_default(),
                    delta
                ));
            }
            let mut findings = Vec::new();
            check::tables::check(&bad, &mut findings);
            let what = format!("{e} case {case} {changed:?}");
            assert_covered(&bad, &findings, &what);
            if let [(i, c, old)] =
                cells[..].iter().copied().filter(|x| bad.requests[x.0][x.1].num != Some(x.2)).collect::<Vec<_>>()[..]
            {
                // One mistake: one finding, at that cell, with the value it should hold.
                assert_eq!(findings.len(), 1, "{what}: {findings:#?}");
                assert_eq!(findings[0].cell, bad.requests[i][c].cell, "{what}");
                assert_eq!(findings[0].expected, Some(old), "{what}");
            }
        }
    }
}

/// The workbooks of `tests/fixtures/check/` that show how table 三's mistakes are
/// reported, each built from the correct report `good` with the mistake it is named for.
/// `NIANBAO_WRITE_FIXTURES=1 cargo test --test main write_check_fixtures -- --ignored`
/// writes them again.
fn t3_fixtures() -> Vec<(&'static str, Report)> {
    let mut out = Vec::new();
    // As in 平潭's published 2020 report: （七）总计 short by 6 in 自然人 and in 总计.
    let mut r = good(Edition::E2019, "平潭综合实验区管理委员会", 2020);
    neutral(&mut r);
    set_req(&mut r, "result_total", "natural_person", 3);
    set_req(&mut r, "result_total", "total", 5);
    out.push(("七总计自然人与总计均少6.xlsx", r));
    // 上年结转 of 自然人 one too many, and the 总计 column summed from it.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "carried_over", "natural_person", 2);
    set_req(&mut r, "carried_over", "total", 2);
    out.push(("上年结转自然人多1且总计随之.xlsx", r));
    // Two cells of one row each wrong on their own; the row's 总计 as it was.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "granted", "natural_person", 6);
    set_req(&mut r, "granted", "commercial", 3);
    out.push(("予以公开一行两格各自有误.xlsx", r));
    // One wrong cell that breaks its row, its column's sum and its column's balance.
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    neutral(&mut r);
    set_req(&mut r, "result_total", "commercial", 3);
    out.push(("七总计商业企业多1.xlsx", r));
    out
}

#[test]
#[ignore = "writes the fixtures; run with NIANBAO_WRITE_FIXTURES=1"]
fn write_check_fixtures() {
    if std::env::var_os("NIANBAO_WRITE_FIXTURES").is_none() {
        return;
    }
    for (name, r) in t3_fixtures() {
        std::fs::write(fixture(&format!("check/{name}")), template::filled(&r).expect("write")).expect("write");
    }
}

/// A fixture of `tests/fixtures/check/` read and checked, with its findings other than VAL-BLANK.
fn check_fixture(name: &str) -> (Report, Vec<Finding>) {
    let r = read_fixture(&format!("check/{name}"));
    let f = check::check(&r, Context::default());
    let real = real(&f).into_iter().cloned().collect();
    (r, real)
}

fn related(f: &Finding) -> Vec<String> {
    f.related.iter().map(|c| c.to_string()).collect()
}

#[test]
fn t3_fixtures_are_the_reports_they_are_named_for() {
    for (name, r) in t3_fixtures() {
        let back = read_fixture(&format!("check/{name}"));
        for (row, want) in r.requests.iter().enumerate() {
            for (col, v) in want.iter().enumerate() {
                assert_eq!(back.requests[row][col].num, v.num.or(Some(Decimal::ZERO)), "{name} {row}/{col}");
            }
        }
        let f = check::check(&back, Context::default());
        assert_covered(&back, &f, name);
    }
}

#[test]
fn pingtan_result_total_short_in_both_columns_names_both_cells() {
    // Reported as one finding at D26 only, the user fixed D26 and met J26 on the next run:
    // now the one finding names both cells with the value each should hold.
    let (_, f) = check_fixture("七总计自然人与总计均少6.xlsx");
    assert_eq!(f.len(), 1, "{f:#?}");
    let x = &f[0];
    assert_eq!((x.rule, x.severity, cell(x)), ("T3-RESULT-TOTAL", Severity::Error, "依申请公开!D26".to_string()));
    assert_eq!((x.expected, x.found), (d(9), d(3)));
    assert_eq!(
        x.message,
        "“（七）总计”行“自然人”填写为 3，按本列和“总计”列的（七）总计等于各项办理结果之和、本列和“总计”列的\
         第一项加第二项之和等于第三项加第四项之和，应为 9；本行“总计”也应相应改正：依申请公开!J26 填写为 5，\
         应为 11（改正这两格即可使这四项勾稽关系都相符）"
    );
    let rel = related(x);
    assert_eq!(rel[0], "依申请公开!J26");
    for c in ["依申请公开!D7", "依申请公开!D25", "依申请公开!J7", "依申请公开!J25", "依申请公开!J5", "依申请公开!J27"]
    {
        assert!(rel.contains(&c.to_string()), "{c}: {rel:?}");
    }
}

#[test]
fn carried_over_wrong_with_formula_total_names_the_total_columns_balance() {
    let (_, f) = check_fixture("上年结转自然人多1且总计随之.xlsx");
    assert_eq!(f.len(), 1, "{f:#?}");
    let x = &f[0];
    assert_eq!((x.rule, cell(x)), ("T3-BALANCE", "依申请公开!D28".to_string()));
    assert_eq!((x.expected, x.found), (d(12), d(11)));
    assert_eq!(
        x.message,
        "“自然人”列：第一项加第二项之和（12）应等于第三项加第四项之和（11）；“总计”列也因此不符：\
         第一项加第二项之和（14）不等于第三项加第四项之和（13）"
    );
    assert_eq!(
        related(x),
        [
            "依申请公开!D5",
            "依申请公开!D6",
            "依申请公开!D29",
            "依申请公开!J5",
            "依申请公开!J6",
            "依申请公开!J28",
            "依申请公开!J29"
        ]
    );
}

#[test]
fn two_independent_mistakes_in_one_row_are_two_findings() {
    let (_, f) = check_fixture("予以公开一行两格各自有误.xlsx");
    let got: Vec<(&str, String, Option<Decimal>, Option<Decimal>)> =
        f.iter().map(|x| (x.rule, cell(x), x.expected, x.found)).collect();
    assert_eq!(
        got,
        [
            ("T3-RESULT-TOTAL", "依申请公开!D7".to_string(), d(5), d(6)),
            ("T3-RESULT-TOTAL", "依申请公开!E7".to_string(), d(1), d(3)),
        ]
    );
    assert_eq!(
        f[1].message,
        "“（一）予以公开”行“商业企业”填写为 3，按本列（七）总计等于各项办理结果之和，应为 1\
         （改正此格即可使这项勾稽关系相符；本行总计与各列之和仍不符，本行另有差错，见本行其他提示）"
    );
    // Each covers the row it shares with the other.
    for x in &f {
        assert!(related(x).contains(&"依申请公开!J7".to_string()), "{x:#?}");
    }
}

#[test]
fn one_wrong_cell_breaking_three_relations_is_still_one_finding() {
    let (_, f) = check_fixture("七总计商业企业多1.xlsx");
    assert_eq!(f.len(), 1, "{f:#?}");
    let x = &f[0];
    assert_eq!((x.rule, cell(x)), ("T3-RESULT-TOTAL", "依申请公开!E28".to_string()));
    assert_eq!((x.expected, x.found), (d(2), d(3)));
    assert_eq!(
        x.message,
        "“（七）总计”行“商业企业”填写为 3，按本行总计等于各列之和、本列（七）总计等于各项办理结果之和、\
         本列第一项加第二项之和等于第三项加第四项之和，应为 2（改正此格即可使这三项勾稽关系都相符）"
    );
    assert_eq!(x.related.len(), 6 + 21 + 3);
}

/// Every cell of a sheet's XML with its style index.
fn styled_cells(sheet_xml: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for part in sheet_xml.split("<c ").skip(1) {
        let tag = &part[..part.find('>').expect("tag")];
        let get =
            |name: &str| tag.split(&format!("{name}=\"")).nth(1).map(|x| x[..x.find('"').expect("q")].to_string());
        if let Some(r) = get("r") {
            out.push((r, get("s").map_or(0, |s| s.parse().expect("s"))));
        }
    }
    out
}

/// The light green cells of an annotated workbook, and every styled cell's fill colour,
/// by `Sheet!A1`.
pub(crate) fn fills_by_cell(xlsx: &[u8]) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let parts = unzip(xlsx);
    let styles = &parts["xl/styles.xml"];
    let workbook = &parts["xl/workbook.xml"];
    let names: Vec<&str> = workbook.split("<sheet name=\"").skip(1).map(|x| &x[..x.find('"').expect("q")]).collect();
    let mut green = BTreeSet::new();
    let mut colours = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let xml = &parts[&format!("xl/worksheets/sheet{}.xml", i + 1)];
        for (a1, s) in styled_cells(xml) {
            let fill = fill_of(styles, s);
            let at = if name.chars().all(|c| c.is_alphanumeric()) {
                format!("{name}!{a1}")
            } else {
                format!("'{name}'!{a1}")
            };
            if fill == "FFE2EFDA" {
                green.insert(at.clone());
            }
            colours.insert(at, fill);
        }
    }
    (green, colours)
}

#[test]
fn annotate_fills_exactly_the_cells_read_green() {
    use nianbao::write::annotate::{annotate_read, read_cells};
    let bytes = bad_workbook();
    let report = read_bytes(&bytes, "坏表.xlsx");
    let findings = check::check(&report, Context::default());
    let read = read_cells(&report);
    // 二 (2021: 6 rows, 10 numbers), 三 (25 rows × 7), 四 (3 × 5).
    assert_eq!(read.len(), 10 + 25 * 7 + 15);
    let parsed = nianbao::read::parse(&bytes).expect("parse");
    let wb = nianbao::convert::workbook(&parsed, &bytes).expect("a workbook");
    let out = annotate_read(wb, &findings, &read).expect("annotate");
    let (green, colours) = fills_by_cell(&out);
    let marked: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .filter_map(|f| f.cell.as_ref().map(|c| c.to_string()))
        .collect();
    let want: BTreeSet<String> = read.iter().map(|c| c.to_string()).filter(|c| !marked.contains(c)).collect();
    assert_eq!(green, want);
    // A finding's colour wins over green: J7 was read and is wrong.
    assert!(read.iter().any(|c| c.to_string() == "依申请公开!J7"));
    assert_eq!(colours["依申请公开!J7"], "FFFFC7CE");
    assert_eq!(colours["基本信息!B10"], "FFFFEB9C");
    // A label beside the numbers is not filled.
    assert_eq!(colours.get("依申请公开!C7").map(String::as_str).unwrap_or(""), "");
    // Only the findings get comments, not the cells read.
    let parts = unzip(&out);
    let comments: String =
        parts.iter().filter(|(k, _)| k.starts_with("xl/comments")).map(|(_, v)| v.as_str()).collect();
    assert_eq!(comments.matches("<comment ").count(), 2, "{comments}");
}

/// A folder with a workbook (one error, at 依申请公开!J7) and a file that is not one.
fn json_inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let mut r = good(Edition::E2021, "某某县教育局", 2023);
    set_req(&mut r, "granted", "total", 7);
    std::fs::write(dir.path().join("教育局.xlsx"), template::filled(&r).expect("write")).expect("write");
    std::fs::write(dir.path().join("说明.xlsx"), "这不是工作簿\n").expect("write");
    dir
}

/// Runs `nianbao check --format FORMAT` on both files of `json_inputs`.
fn check_json(format: &str, dir: &tempfile::TempDir) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--format", format])
        .arg(dir.path().join("教育局.xlsx"))
        .arg(dir.path().join("说明.xlsx"))
        .output()
        .expect("run")
}

#[test]
fn check_json_is_one_line_per_file_including_the_unreadable() {
    let dir = json_inputs();
    let out = check_json("json", &dir);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let docs: Vec<serde_json::Value> =
        lines.iter().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let keys: Vec<&str> = docs[0].as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["file", "sha256", "edition", "agency", "year", "active", "requests", "review_litigation", "text", "findings"]
    );
    assert_eq!(docs[0]["file"], "教育局.xlsx");
    assert_eq!(docs[0]["requests"]["granted"]["total"], 7);
    assert_eq!(docs[0]["findings"][0]["rule"], "T3-ROW-TOTAL");
    assert_eq!(docs[0]["findings"][0]["cell"], "依申请公开!J7");
    let error = docs[1]["error"].as_str().expect("error");
    assert_eq!(docs[1].as_object().map(|o| o.len()), Some(2));
    assert_eq!(docs[1]["file"], "说明.xlsx");
    assert!(error.starts_with("无法读取 说明.xlsx："), "{error}");
    // The message goes to stderr as well, for a person watching.
    assert!(String::from_utf8_lossy(&out.stderr).contains(error));
}

#[test]
fn check_json_array_is_the_same_objects_in_one_array() {
    let dir = json_inputs();
    let lines = check_json("json", &dir);
    let array = check_json("json-array", &dir);
    assert_eq!(array.status.code(), Some(2));
    let all: serde_json::Value = serde_json::from_slice(&array.stdout).expect("json");
    let items = all.as_array().expect("array");
    assert_eq!(items.len(), 2);
    let from_lines: Vec<serde_json::Value> = String::from_utf8(lines.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(items, &from_lines);
    assert_eq!(items[1]["file"], "说明.xlsx");
}

#[test]
fn check_json_array_of_one_file_is_still_an_array() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("教育局.xlsx");
    std::fs::write(&path, template::filled(&good(Edition::E2021, "某某县教育局", 2023)).expect("write"))
        .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--format", "json-array"])
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    assert_eq!(all[0]["agency"], "某某县教育局");
    assert_eq!(all[0]["year"], 2023);
}

#[test]
fn annotate_an_xls_copy_fills_the_cells_read_green_too() {
    use nianbao::write::annotate::{annotate_read, read_cells};
    let bytes = std::fs::read(fixture("check/予以公开总计多1.xls")).expect("fixture");
    let report = read_bytes(&bytes, "予以公开总计多1.xls");
    let findings = check::check(&report, Context::default());
    let read = read_cells(&report);
    let parsed = nianbao::read::parse(&bytes).expect("parse");
    let wb = nianbao::convert::workbook(&parsed, &bytes).expect("a workbook");
    let out = annotate_read(wb, &findings, &read).expect("annotate");
    let (green, colours) = fills_by_cell(&out);
    let want: BTreeSet<String> = read.iter().map(|c| c.to_string()).filter(|c| c != "依申请公开!J7").collect();
    assert_eq!(green, want);
    assert_eq!(colours["依申请公开!J7"], "FFFFC7CE");
}
