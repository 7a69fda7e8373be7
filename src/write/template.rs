//! The blank standard workbook departments fill in: 基本信息 and one sheet per table,
//! protected without a password so labels stay as the reader expects them.

use super::info::{self, InfoValues};
use super::layout::{self, Styles, SHEET_ACTIVE, SHEET_REQUESTS, SHEET_REVIEW};
use crate::form::{self, info as labels, Edition};
use crate::model::Report;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The blank workbook of an edition, optionally with the agency and year filled.
pub fn template(edition: Edition, agency: Option<&str>, year: Option<i32>) -> Result<Vec<u8>, XlsxError> {
    build(edition, agency, year, None)
}

/// The standard workbook filled with a report's figures and text, as a department that
/// used the template would send it back.
pub fn filled(report: &Report) -> Result<Vec<u8>, XlsxError> {
    build(report.edition, report.agency.value.as_deref(), report.year.value, Some(report))
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
    wb.save_to_buffer()
}

type Lay = fn(&mut Worksheet, &form::Form, Option<&Report>, &Styles) -> Result<layout::Placed, XlsxError>;
