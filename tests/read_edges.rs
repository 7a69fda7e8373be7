//! The edges of issue 25: sheets that are not worksheets (chart, macro, dialog), metadata
//! from the titles offices write and from the file name, formulas saved without their
//! results, and workbooks that are no report at all. Each workbook is generated here.

use crate::common::*;
use crate::layouts::{worksheets, Data, Layout, Rng};
use nianbao::check::{self, Context};
use nianbao::form::Edition;
use nianbao::read::{self, Options};
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet};

const AGENCY: &str = "某某县教育局";

pub fn data(seed: u64) -> Data {
    Data::consistent(Edition::E2021, 2023, AGENCY, &mut Rng::new(seed))
}

/// The findings of a read report as (rule, cell) pairs.
fn findings(r: &nianbao::Report) -> Vec<(String, String)> {
    check::check(r, Context::default())
        .iter()
        .map(|f| (f.rule.to_string(), f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default()))
        .collect()
}

/// A chart sheet `图表` before the report's sheet `统计表`, its chart drawn from table 三.
pub fn chartsheet_first(d: &Data) -> Vec<u8> {
    let mut wb = Workbook::new();
    let mut cs = Worksheet::new_chartsheet();
    cs.set_name("图表").expect("name");
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values("统计表!$D$20:$D$26");
    cs.insert_chart(0, 0, &chart).expect("chart");
    cs.set_active(true);
    wb.push_worksheet(cs);
    for ws in worksheets(d, &Layout::plain(), 1) {
        wb.push_worksheet(ws);
    }
    wb.save_to_buffer().expect("save")
}

/// An xlsm whose first sheet `宏` is an Excel 4 macro sheet (its relationship and content
/// type those of a macro sheet), then the report.
pub fn macrosheet_first(d: &Data) -> Vec<u8> {
    let mut wb = Workbook::new();
    let mut m = Worksheet::new();
    m.set_name("宏").expect("name");
    m.write_string(0, 0, "=RETURN()").expect("macro");
    wb.push_worksheet(m);
    for ws in worksheets(d, &Layout::plain(), 1) {
        wb.push_worksheet(ws);
    }
    let bytes = wb.save_to_buffer().expect("save");
    let edited = crate::layouts::edit_parts(&bytes, |name, xml| {
        match name {
        "xl/_rels/workbook.xml.rels" => xml.replace(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"",
            "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet\" Target=\"worksheets/sheet1.xml\"",
        ),
        "[Content_Types].xml" => xml.replace(
            "/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
            "/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.ms-excel.macrosheet+xml",
        ),
        _ => xml,
    }
    });
    assert_ne!(edited, bytes, "the macro sheet was typed");
    edited
}

/// Workbooks of this file kept as fixtures, for the xls and ods made from them by
/// LibreOffice (`soffice --headless --convert-to xls|ods`), which tests cannot run.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![("chartsheet-first.xlsx", chartsheet_first(&data(21)))]
}

#[test]
#[ignore = "rewrites tests/fixtures"]
fn make_edge_fixtures() {
    for (name, bytes) in fixtures() {
        std::fs::write(fixture(name), bytes).expect("write fixture");
    }
}

/// A chart sheet first, in xlsx and as LibreOffice saves that workbook as xls and ods.
#[test]
fn a_chart_sheet_before_the_data_is_skipped_in_xls_and_ods() {
    let d = data(21);
    for name in ["chartsheet-first.xlsx", "chartsheet-first.xls", "chartsheet-first.ods"] {
        let bytes = std::fs::read(fixture(name)).expect("fixture");
        let names: Vec<String> = read::open::open(&bytes)
            .map(|(_, sheets)| sheets.iter().map(|s| s.name.to_string()).collect())
            .unwrap_or_else(|e| vec![e.to_string()]);
        // LibreOffice has no chart sheets: it saves one as a worksheet holding the chart.
        let expected: &[&str] = if name.ends_with(".xlsx") { &["统计表"] } else { &["图表", "统计表"] };
        assert_eq!(names, expected, "{name}");
        let r = read_fixture(name);
        assert_eq!(Data::of(&r), d.expected(), "{name}");
        assert_eq!((r.agency.value.as_deref(), r.year.value), (Some(AGENCY), Some(2023)), "{name}");
        assert_eq!(findings(&r), vec![], "{name}");
    }
}
