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
    sheet_kind_first(
        d,
        "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
        "application/vnd.ms-excel.macrosheet+xml",
    )
}

/// A first sheet `宏` of another kind (its relationship and content type), then the report.
fn sheet_kind_first(d: &Data, relationship: &str, content_type: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let mut m = Worksheet::new();
    m.set_name("宏").expect("name");
    m.write_string(0, 0, "=RETURN()").expect("macro");
    wb.push_worksheet(m);
    for ws in worksheets(d, &Layout::plain(), 1) {
        wb.push_worksheet(ws);
    }
    let bytes = wb.save_to_buffer().expect("save");
    let worksheet = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
    let sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    let edited = crate::layouts::edit_parts(&bytes, |name, xml| match name {
        "xl/_rels/workbook.xml.rels" => xml.replace(
            &format!("{worksheet}\" Target=\"worksheets/sheet1.xml\""),
            &format!("{relationship}\" Target=\"worksheets/sheet1.xml\""),
        ),
        "[Content_Types].xml" => xml.replace(
            &format!("/xl/worksheets/sheet1.xml\" ContentType=\"{sheet_type}"),
            &format!("/xl/worksheets/sheet1.xml\" ContentType=\"{content_type}"),
        ),
        _ => xml,
    });
    assert_ne!(edited, bytes, "the sheet was retyped");
    edited
}

#[test]
fn a_dialog_sheet_before_the_data_is_skipped() {
    let d = data(26);
    let bytes = sheet_kind_first(
        &d,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/dialogsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml",
    );
    let names: Vec<String> = read::open::open(&bytes)
        .map(|(_, sheets)| sheets.iter().map(|s| s.name.to_string()).collect())
        .unwrap_or_else(|e| vec![e.to_string()]);
    assert_eq!(names, ["统计表"]);
    let r = read_bytes(&bytes, "对话框.xlsx");
    assert_eq!(Data::of(&r), d.expected());
    assert_eq!(findings(&r), vec![]);
}

/// The report on one sheet `统计表` with no title, these texts written above its tables (rows
/// 1 and 2 are free), e.g. `("B1", "…")`.
pub fn titled(d: &Data, cells: &[(&str, &str)]) -> Vec<u8> {
    let mut ws = worksheets(d, &Layout { title: false, ..Layout::plain() }, 1).remove(0);
    for (a1, text) in cells {
        let (row, col) = nianbao::cell::parse_a1(a1).expect("a1");
        ws.write_string(row, col as u16, *text).expect("text");
    }
    let mut wb = Workbook::new();
    wb.push_worksheet(ws);
    wb.save_to_buffer().expect("save")
}

/// (agency, its cell, year, its cell) as read.
fn meta(r: &nianbao::Report) -> (Option<String>, String, Option<i32>, String) {
    let cell = |c: &Option<nianbao::cell::CellRef>| c.as_ref().map(|c| c.to_string()).unwrap_or_default();
    (r.agency.value.clone(), cell(&r.agency.cell), r.year.value, cell(&r.year.cell))
}

/// (agency, its cell, year, its cell) as a case expects them.
type Expected<'a> = (Option<String>, &'a str, Option<i32>, &'a str);

#[test]
fn titles_as_offices_write_them_give_agency_and_year() {
    let d = data(24);
    let a = || Some(AGENCY.to_string());
    let cases: Vec<(Vec<(&str, &str)>, Expected)> = vec![
        (vec![("A1", "某某县教育局二〇二三年度政府信息公开工作年度报告")], (a(), "统计表!A1", Some(2023), "统计表!A1")),
        (vec![("A1", "某某县教育局二零二三年政府信息公开工作年度报告")], (a(), "统计表!A1", Some(2023), "统计表!A1")),
        (vec![("A1", "某某县教育局 2023 年 政府信息公开工作年度报告")], (a(), "统计表!A1", Some(2023), "统计表!A1")),
        // The agency in the cell left of the title, or in the row above.
        (
            vec![("A1", "某某县教育局"), ("B1", "2023年度政府信息公开工作年度报告")],
            (a(), "统计表!A1", Some(2023), "统计表!B1"),
        ),
        (
            vec![("A1", "某某县教育局2023年度"), ("A2", "政府信息公开工作年度报告（统计表）")],
            (a(), "统计表!A1", Some(2023), "统计表!A1"),
        ),
        (
            vec![("A1", "某某县教育局"), ("A2", "二〇二三年度政府信息公开工作年度报告")],
            (a(), "统计表!A1", Some(2023), "统计表!A2"),
        ),
        // An attachment line above the title is not the agency.
        (
            vec![("A1", "附件2"), ("A2", "某某县教育局2023年度政府信息公开工作年度报告")],
            (a(), "统计表!A2", Some(2023), "统计表!A2"),
        ),
        (vec![("A1", "附件2"), ("A2", "2023年度政府信息公开工作年度报告")], (None, "", Some(2023), "统计表!A2")),
        // A heading beside the title is no agency either.
        (vec![("A1", "序号"), ("B1", "2023年度政府信息公开工作年度报告")], (None, "", Some(2023), "统计表!B1")),
    ];
    for (cells, (agency, agency_cell, year, year_cell)) in cases {
        let r = read_bytes(&titled(&d, &cells), "统计表.xlsx");
        assert_eq!(meta(&r), (agency, agency_cell.to_string(), year, year_cell.to_string()), "{cells:?}");
        assert_eq!(Data::of(&r), d.expected(), "{cells:?}");
    }
}

#[test]
fn the_file_name_is_the_last_resort_and_said() {
    let d = data(25);
    // A filling date and a comparison column name other years: neither is the report's.
    let bytes = titled(&d, &[("A1", "填报日期：2024年1月10日"), ("L1", "2022年")]);
    let r = read_bytes(&bytes, "收件/2023年某某县教育局年报统计表.xlsx");
    assert_eq!(meta(&r), (Some(AGENCY.into()), String::new(), Some(2023), String::new()));
    let said: Vec<(String, String)> =
        check::check(&r, Context::default()).iter().map(|f| (f.rule.to_string(), f.message.clone())).collect();
    assert_eq!(
        said,
        vec![(
            "META-FROM-NAME".into(),
            "工作簿中没有写明机关名称“某某县教育局”和报告年度 2023，已从文件名“2023年某某县教育局年报统计表.xlsx”中读取；请核对，或在“基本信息”表或标题中写明".into()
        )]
    );
    // Options and the workbook come first; a name with no year gives nothing.
    let opts = Options { agency: Some("命令行局".into()), ..Default::default() };
    let r = read::read(&bytes, "2023年某某县教育局年报统计表.xlsx", &opts).expect("read");
    assert_eq!(meta(&r), (Some("命令行局".into()), String::new(), Some(2023), String::new()));
    let r = read_bytes(&bytes, "某某县教育局年报（2024年1月10日）.xlsx");
    assert_eq!(meta(&r), (None, String::new(), None, String::new()));
    let r = read_bytes(&titled(&d, &[("A1", "某某局2022年度政府信息公开工作年度报告")]), "2023年某某县教育局.xlsx");
    assert_eq!(meta(&r), (Some("某某局".into()), "统计表!A1".into(), Some(2022), "统计表!A1".into()));
}

/// Where a report's number stands in the three-sheet layout: (sheet, row, col).
fn cell_of(v: Option<&nianbao::model::Value>) -> (String, u32, u16) {
    let c = v.and_then(|v| v.cell.clone()).expect("a cell");
    (c.sheet.to_string(), c.row, c.col as u16)
}

/// Formulas saved without their results, of every kind a template has, over the three-sheet
/// layout and a working sheet `底稿` holding two numbers:
/// - 依申请公开, 自然人 新收: `='底稿'!$B$1` (another sheet, absolute);
/// - its 总计: `=SUM(D…:I…)` over that uncached formula;
/// - 结转下年度 自然人: `=D<新收>+D<上年结转>-D<办理结果总计>` (nested);
/// - 复议诉讼's first 总计: `=(B…+C…)+1*D…+E…` (parentheses, `*`);
/// - 统计表's first two numbers: `=ROUND(底稿!B2,0)` and `=底稿!B2/1`, which stay formulas.
///
/// Returns the workbook and the cells, in that order.
pub fn formulas_workbook(d: &Data) -> (Vec<u8>, Vec<String>) {
    let layout = Layout { one_sheet: false, ..Layout::plain() };
    let mut wb = Workbook::new();
    for ws in worksheets(d, &layout, 1) {
        wb.push_worksheet(ws);
    }
    let plain = read_bytes(&wb.save_to_buffer().expect("save"), "plain.xlsx");
    let new = cell_of(plain.request("new_received", "natural_person"));
    let total = cell_of(plain.request("new_received", "total"));
    let row = |id: &str| cell_of(plain.request(id, "natural_person")).1 + 1;
    let carried = cell_of(plain.request("carried_forward", "natural_person"));
    let review = cell_of(plain.review.first().and_then(|g| g.last()));
    let rounded = cell_of(plain.active.first().and_then(|r| r.first()));
    let divided = cell_of(plain.active.get(1).and_then(|r| r.first()));
    let f = d.edition.form();
    let first_active = d.active[0][0];
    assert_eq!(f.requests_columns[0].id, "natural_person");

    let mut wb = Workbook::new();
    let mut sheets = worksheets(d, &layout, 1);
    let letter = |c: u16| char::from(b'A' + c as u8);
    let (n, t) = (new.2, total.2);
    let mut formula = |(sheet, r, c): &(String, u32, u16), text: String| {
        let ws = sheets.iter_mut().find(|w| w.name() == *sheet).expect("sheet");
        ws.write_formula(*r, *c, rust_xlsxwriter::Formula::new(text)).expect("formula");
    };
    formula(&new, "='底稿'!$B$1".into());
    formula(&total, format!("=SUM({}{}:{}{})", letter(n), total.1 + 1, letter(t - 1), total.1 + 1));
    let (l, rn, ro, rt) = (letter(carried.2), row("new_received"), row("carried_over"), row("result_total"));
    formula(&carried, format!("={l}{rn}+{l}{ro}-{l}{rt}"));
    let (rr, rc) = (review.1 + 1, review.2);
    let col = |k: u16| letter(rc - 4 + k);
    formula(&review, format!("=({}{rr}+{}{rr})+1*{}{rr}+{}{rr}", col(0), col(1), col(2), col(3)));
    formula(&rounded, "=ROUND(底稿!B2,0)".into());
    formula(&divided, "=底稿!B2/1".into());
    let mut work = Worksheet::new();
    work.set_name("底稿").expect("name");
    work.write_number(0, 1, d.requests[0][0] as f64).expect("B1");
    work.write_number(1, 1, first_active as f64).expect("B2");
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    wb.push_worksheet(work);
    let bytes = crate::layouts::uncache_formulas(&wb.save_to_buffer().expect("save"));
    let a1 = |(s, r, c): &(String, u32, u16)| format!("{s}!{}{}", letter(*c), r + 1);
    (bytes, [&new, &total, &carried, &review, &rounded, &divided].iter().map(|c| a1(c)).collect())
}

#[test]
fn formulas_without_results_are_evaluated_or_said() {
    let d = data(23);
    let (bytes, cells) = formulas_workbook(&d);
    let r = read_bytes(&bytes, "公式.xlsx");
    let mut expected = d.expected();
    expected[0][0][0] = None;
    expected[0][1][0] = None;
    assert_eq!(Data::of(&r), expected);
    for (id, col) in
        [("new_received", "natural_person"), ("new_received", "total"), ("carried_forward", "natural_person")]
    {
        assert!(r.request(id, col).is_some_and(|v| v.is_computed()), "{id}/{col}");
    }
    let raw = |v: Option<&nianbao::model::Value>| v.map(|v| (v.is_computed(), v.raw.clone()));
    assert_eq!(cells, ["依申请公开!D5", "依申请公开!J5", "依申请公开!D29", "复议诉讼!E5", "统计表!B6", "统计表!B7"]);
    assert_eq!(raw(r.request("new_received", "natural_person")), Some((true, "='底稿'!$B$1".into())));
    assert_eq!(raw(r.request("carried_forward", "natural_person")), Some((true, "=D5+D6-D28".into())));
    assert_eq!(raw(r.review.first().and_then(|g| g.last())), Some((true, "=(A5+B5)+1*C5+D5".into())));
    assert_eq!(raw(r.active.get(1).and_then(|r| r.first())), Some((false, "=底稿!B2/1".into())));
    let found = findings(&r);
    assert_eq!(
        found,
        vec![
            ("VAL-FORMULA".into(), cells[4].clone()),
            ("VAL-FORMULA".into(), cells[5].clone()),
            ("VAL-FORMULA-COMPUTED".into(), cells[0].clone()),
            ("VAL-FORMULA-COMPUTED".into(), cells[3].clone()),
        ]
    );
    let said = check::check(&r, Context::default());
    let message = |cell: &str| {
        said.iter().find(|f| f.cell.as_ref().is_some_and(|c| c.to_string() == cell)).map(|f| f.message.clone())
    };
    assert_eq!(
        message(&cells[0]).as_deref(),
        Some(
            format!(
                "“三、收到和处理政府信息公开申请情况”表中有 3 个公式没有计算结果，已按公式引用的单元格算出（如“='底稿'!$B$1”得 {}）；请在 Excel 中重新计算并保存",
                d.requests[0][0]
            )
            .as_str()
        )
    );
    assert_eq!(
        message(&cells[5]).as_deref(),
        Some("公式“=底稿!B2/1”没有计算结果，请在 Excel 中重新计算并保存，或直接填写数字")
    );
}

/// A 政务公开考核评分表: three sheets of another form, no table of the report.
pub fn assessment_form() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("评分表").expect("name");
    ws.write_string(0, 0, "2023年度政务公开考核评分表").expect("title");
    for (i, (item, score)) in
        [("考核项目", "得分"), ("主动公开", "18"), ("依申请公开", "9"), ("政策解读", "10"), ("合计", "37")]
            .iter()
            .enumerate()
    {
        ws.write_string(i as u32 + 2, 0, *item).expect("item");
        ws.write_string(i as u32 + 2, 1, *score).expect("score");
    }
    wb.add_worksheet().set_name("扣分说明").expect("name");
    wb.add_worksheet().set_name("附件").expect("name");
    wb.save_to_buffer().expect("save")
}

/// Table 四 alone, the same in both editions: a report (or part of one) whose edition
/// cannot be told.
pub fn review_table_only() -> Vec<u8> {
    let f = Edition::E2021.form();
    assert_eq!(f.review_groups.len(), Edition::E2019.form().review_groups.len());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("复议诉讼").expect("name");
    let width = f.review_columns.len() as u16;
    for (g, group) in f.review_groups.iter().enumerate() {
        ws.write_string(0, g as u16 * width, group.label).expect("group");
        for (k, c) in f.review_columns.iter().enumerate() {
            ws.write_string(1, g as u16 * width + k as u16, c.label).expect("column");
            ws.write_number(2, g as u16 * width + k as u16, 1.0).expect("number");
        }
    }
    wb.save_to_buffer().expect("save")
}

#[test]
fn a_workbook_that_is_no_report_is_told_so_and_an_unknown_edition_is_asked() {
    let e = read::read(&assessment_form(), "考核.xlsx", &Options::default()).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(
        e,
        Err("不是政府信息公开年报统计表：工作簿中没有年报统计表的任何一张表（工作表：“评分表”、“扣分说明”、“附件”；标题：“2023年度政务公开考核评分表”）；请提交《政府信息公开工作年度报告》统计表".into())
    );
    let e = read::read(&review_table_only(), "统计表.xlsx", &Options::default()).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(
        e,
        Err("无法判断报告格式版本：既不像2019年版也不像2021年版（请在“基本信息”表填写“版本”，或使用 --edition）".into())
    );
}

/// The same workbook saved by LibreOffice as ods, its formulas' results then removed
/// (`uncached-formulas.ods`): ods references (`[$底稿.$B$1]`, `[.D5:.I5]`) read the same.
#[test]
fn formulas_without_results_in_ods_too() {
    let d = data(23);
    let r = read_fixture("uncached-formulas.ods");
    let mut expected = d.expected();
    expected[0][0][0] = None;
    expected[0][1][0] = None;
    assert_eq!(Data::of(&r), expected);
    let raw = |v: Option<&nianbao::model::Value>| v.map(|v| (v.is_computed(), v.raw.clone()));
    assert_eq!(raw(r.request("new_received", "natural_person")), Some((true, "=[$底稿.$B$1]".into())));
    assert_eq!(raw(r.request("carried_forward", "natural_person")), Some((true, "=[.D5]+[.D6]-[.D28]".into())));
    assert_eq!(raw(r.active.get(1).and_then(|r| r.first())), Some((false, "=[$底稿.B2]/1".into())));
    let (_, cells) = formulas_workbook(&d);
    assert_eq!(
        findings(&r),
        vec![
            ("VAL-FORMULA".into(), cells[4].clone()),
            ("VAL-FORMULA".into(), cells[5].clone()),
            ("VAL-FORMULA-COMPUTED".into(), cells[0].clone()),
            ("VAL-FORMULA-COMPUTED".into(), cells[3].clone()),
        ]
    );
}

/// Workbooks of this file kept as fixtures, for the xls and ods made from them by
/// LibreOffice (`soffice --headless --convert-to xls|ods`), which tests cannot run;
/// `uncached-formulas.ods` then had each formula cell's `office:value` and text removed.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("chartsheet-first.xlsx", chartsheet_first(&data(21))),
        ("edition-ambiguous.xlsx", review_table_only()),
        ("uncached-formulas.xlsx", formulas_workbook(&data(23)).0),
    ]
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
