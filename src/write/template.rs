//! The blank standard workbook departments fill in: 基本信息 and one sheet per table,
//! protected without a password so labels stay as the reader expects them.

use super::info::{self, InfoValues};
use super::layout::{self, Styles, SHEET_ACTIVE, SHEET_REQUESTS, SHEET_REVIEW};
use crate::form::{self, info as labels, Edition};
use crate::model::Report;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The blank workbook of an edition, optionally with the agency and year filled.
pub fn template(edition: Edition, agency: Option<&str>, year: Option<i32>) -> Result<Vec<u8>, crate::Error> {
    build(edition, agency, year, None).map_err(|e| crate::Error::write("统计表", e))
}

/// The standard workbook filled with a report's figures and text, as a department that
/// used the template would send it back.
pub fn filled(report: &Report) -> Result<Vec<u8>, crate::Error> {
    build(report.edition, report.agency.value.as_deref(), report.year.value, Some(report))
        .map_err(|e| crate::Error::write("统计表", e))
}

fn build(
    edition: Edition,
    agency: Option<&str>,
    year: Option<i32>,
    report: Option<&Report>,
) -> Result<Vec<u8>, XlsxError> {
    let form = edition.form();
    let mut wb = Workbook::new();
    let st = Styles::new(true);
    {
        let ws = wb.add_worksheet().set_name(labels::SHEET)?;
        info::sheet(ws, &InfoValues { edition, agency, year, report, extra: &[] }, true)?;
        ws.protect();
    }
    {
        let ws = wb.add_worksheet().set_name(SHEET_ACTIVE)?;
        let placed = layout::active(ws, form, report, &st)?;
        layout::validate_cells(ws, &placed)?;
        // Room for the agency's own lines under the tables.
        let hint = Format::new().set_font_size(9).set_font_color("#666666");
        ws.write_string_with_format(
            placed.end_row + 1,
            0,
            format!("{}，如“政府信息公开发布总数量：4267”）", form::EXTRA_HINT),
            &hint,
        )?;
        let free = Format::new().set_unlocked();
        for r in placed.end_row + 2..placed.end_row + 8 {
            ws.write_blank(r, 0, &free)?;
        }
        // The agency's own lines print with the table.
        ws.set_print_area(0, 0, placed.end_row + 7, layout::block_width(form))?;
        ws.protect();
    }
    for (name, f) in
        [(SHEET_REQUESTS, layout::requests::<Worksheet> as Lay), (SHEET_REVIEW, layout::review::<Worksheet> as Lay)]
    {
        let ws = wb.add_worksheet().set_name(name)?;
        let placed = f(ws, form, report, &st)?;
        layout::validate_cells(ws, &placed)?;
        ws.protect();
    }
    notes(wb.add_worksheet().set_name(SHEET_NOTES)?, edition)?;
    wb.save_to_buffer()
}

/// The note sheet's name; the last sheet, after the tables.
pub const SHEET_NOTES: &str = "填表说明";

/// How to fill the workbook. Worded so that no line is one of the tables' labels: the
/// reader looks for those anywhere in the workbook.
pub fn note_lines(edition: Edition) -> Vec<&'static str> {
    let mut lines = vec![
        "1. 浅黄色单元格供填写，其余单元格（表头、项目名称）已锁定，保持官方表格的原样。",
        "2. 灰色单元格是合计，由公式自动相加，填好各项后自动得出，不必填写。",
        "3. 没有发生的事项填 0 或留空均可，空白一律按 0 计算。",
        "4. 件数填整数；金额以万元为单位，可带小数，不要写单位。",
    ];
    if edition == Edition::E2019 {
        lines.push("5. 第二部分“增/减”一栏填本年比上年增加或减少的件数：增加填正数（如 2），减少填负数（如 -5），没有变化填 0。");
    } else {
        lines.push("5. 第二部分各栏填本年新制发、本年废止的件数和截至年底仍然有效的件数。");
    }
    lines.push("6. 工作表的保护没有密码，确需修改表头时可在“审阅”中撤销保护。");
    lines.push("7. 填好后可用 nianbao check 核查勾稽关系，用 nianbao convert 生成报告。");
    lines
}

fn notes(ws: &mut Worksheet, edition: Edition) -> Result<(), XlsxError> {
    let title = Format::new().set_font_name("黑体").set_font_size(14);
    let body = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    ws.set_column_width(0, 100)?;
    ws.write_string_with_format(0, 0, SHEET_NOTES, &title)?;
    ws.set_row_height(0, 28)?;
    for (i, line) in note_lines(edition).iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, *line, &body)?;
        ws.set_row_height(r, 15.0 * f64::from(layout::text_lines(line, 96.0)) + 6.0)?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

type Lay = fn(&mut Worksheet, &form::Form, Option<&Report>, &Styles) -> Result<layout::Placed, XlsxError>;
