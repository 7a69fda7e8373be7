//! One test per defect fixed, named after it, each failing on the code before its fix.
//! Sections follow the issue that reported the defects; a new defect gets a test here.

#[allow(unused_imports)]
use crate::common::*;

// ---------------------------------------------------------------------------------------
// Issue 26, mail: header injection, mbox `From ` lines, 8-bit GBK headers, stored zips,
// output and draft names.
// ---------------------------------------------------------------------------------------

// (mail tests)

// ---------------------------------------------------------------------------------------
// Issue 26, serve and the zip guard: inflated parts bounded whatever their name, work
// stopped when its request ends, the cache key, header-read timeouts, result URLs.
// ---------------------------------------------------------------------------------------

// (serve tests)

// ---------------------------------------------------------------------------------------
// Issue 26, batch, watch and convert: unreadable subfolders, nianbao's own archive named
// explicitly, empty files, symlinks.
// ---------------------------------------------------------------------------------------

// (batch tests)

// ---------------------------------------------------------------------------------------
// Issue 30, the Word report: numbers never broken over two lines.
// ---------------------------------------------------------------------------------------

// (docx tests)

// ---------------------------------------------------------------------------------------
// Issue 25, the reader: every workbook read right or refused clearly.
// ---------------------------------------------------------------------------------------

// (reader tests)
// edges:

/// A chart sheet before the data sheet made the whole workbook `工作簿已损坏`.
#[test]
fn a_chart_sheet_before_the_data_made_the_workbook_damaged() {
    let d = crate::read_edges::data(21);
    let r = read_bytes(&crate::read_edges::chartsheet_first(&d), "图表在前.xlsx");
    assert_eq!(crate::layouts::Data::of(&r), d.expected());
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
}

/// An xlsm with an Excel 4 macro sheet was refused as damaged (`Unrecognized sheet:type`).
#[test]
fn a_macro_sheet_made_the_workbook_damaged() {
    let d = crate::read_edges::data(22);
    let bytes = crate::read_edges::macrosheet_first(&d);
    let names: Vec<String> = nianbao::read::open::open(&bytes)
        .map(|(_, sheets)| sheets.iter().map(|s| s.name.to_string()).collect())
        .unwrap_or_else(|e| vec![e.to_string()]);
    assert_eq!(names, ["统计表"]);
    assert_eq!(crate::layouts::Data::of(&read_bytes(&bytes, "宏.xlsm")), d.expected());
}

/// Formulas saved without results other than same-sheet sums (`=D5+D6-D28` in 结转下年度,
/// `='底稿'!$B$1`, a sum over such a formula) were VAL-FORMULA errors, their numbers unread.
#[test]
fn formulas_other_than_same_sheet_sums_were_left_unread() {
    let d = crate::read_edges::data(23);
    let r = read_bytes(&crate::read_edges::formulas_workbook(&d).0, "公式.xlsx");
    let f = d.edition.form();
    let truth = |id: &str, col: usize| d.requests[f.requests_row(id).expect("row")][col];
    assert_eq!(req(&r, "new_received", "natural_person"), truth("new_received", 0));
    assert_eq!(req(&r, "new_received", "total"), truth("new_received", 6));
    assert_eq!(req(&r, "carried_forward", "natural_person"), truth("carried_forward", 0));
    assert_eq!(rev(&r, "review", "total"), d.review[0][4]);
}

/// A title with its year in Chinese digits (`二〇二三年度`) gave neither agency nor year.
#[test]
fn a_year_in_chinese_digits_left_agency_and_year_missing() {
    let d = crate::read_edges::data(24);
    let bytes = crate::read_edges::titled(&d, &[("A1", "某某县教育局二〇二三年度政府信息公开工作年度报告")]);
    let r = read_bytes(&bytes, "统计表.xlsx");
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
}

/// A title over two cells (`某某县教育局` | `2023年度政府信息公开工作年度报告`) left the
/// agency missing.
#[test]
fn a_title_over_two_cells_left_the_agency_missing() {
    let d = crate::read_edges::data(24);
    let bytes = crate::read_edges::titled(&d, &[("A1", "某某县教育局"), ("B1", "2023年度政府信息公开工作年度报告")]);
    let r = read_bytes(&bytes, "统计表.xlsx");
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
    assert_eq!(r.agency.cell.map(|c| c.to_string()).as_deref(), Some("统计表!A1"));
}

/// A workbook that is no report (a 政务公开考核评分表) was asked to fill in its edition
/// (`无法判断报告格式版本…`) instead of being told it is not a report.
#[test]
fn a_workbook_that_is_no_report_was_asked_for_its_edition() {
    let e = nianbao::read::read(&crate::read_edges::assessment_form(), "考核.xlsx", &Default::default())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert!(e.as_ref().is_err_and(|m| m.starts_with("不是政府信息公开年报统计表")), "{e:?}");
}
