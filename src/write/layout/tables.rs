//! The three official tables drawn on a sheet: section 二's blocks, table 三 with its
//! two-level header and vertical groups, table 四 with its column groups.

use super::{block_width, print_setup, put, put_total, put_value, text_lines, Placed, Styles};
use crate::form::{self, Block, ColKey, Form, Kind, ReqRow, ReviewCol, RowKey, SectionId};
use crate::model::{Report, Value};
use crate::write::sheet::Sheet;
use rust_xlsxwriter::XlsxError;

/// Section 二: each block its heading row, its header row and its rows.
pub fn active<S: Sheet + ?Sized>(
    ws: &mut S,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    active_at(ws, 0, form, report, st)
}

/// [`active`] starting at row `at`, for sheets that stack several tables.
pub(crate) fn active_at<S: Sheet + ?Sized>(
    ws: &mut S,
    at: u32,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    let width = block_width(form);
    ws.column_width(0, 24.0)?;
    for c in 1..=width {
        ws.column_width(c, 18.0)?;
    }
    put(ws, at, 0, at, width, form::section(form::SectionId::Active).heading, &st.title)?;
    ws.row_height(at, 28.0)?;
    let mut r = at + 1;
    let mut placed = Placed::default();
    let mut value = values(report, SectionId::Active);
    let mut idx = 0usize;
    for block in form.active {
        put(ws, r, 0, r, width, block.heading, &st.header)?;
        r += 1;
        ws.text(r, 0, form::ACTIVE_HEADER, &st.header)?;
        let spans = column_spans(block, width);
        for (col, &(c0, c1)) in block.columns.iter().zip(&spans) {
            put(ws, r, c0, r, c1, col.label, &st.header)?;
        }
        ws.row_height(r, 30.0)?;
        r += 1;
        for row in block.rows {
            ws.text(r, 0, row.label, &st.label)?;
            for (ci, (col, &(c0, c1))) in block.columns.iter().zip(&spans).enumerate() {
                let v = value(idx, ci);
                if c1 > c0 {
                    let fmt = if col.kind == Kind::Amount { &st.decimal } else { &st.number };
                    ws.merge(r, c0, r, c1, "", fmt)?;
                }
                put_value(ws, r, c0, v, col.kind, st)?;
                placed.cells.push((r, c0, col.kind));
            }
            idx += 1;
            r += 1;
        }
    }
    if let Some(rep) = report {
        for line in &rep.active_extra {
            put(ws, r, 0, r, width, &line.text, &st.text)?;
            r += 1;
        }
    }
    placed.end_row = r;
    if at == 0 {
        print_setup(ws, false, None, (0, 0, r.saturating_sub(1), width))?;
    }
    Ok(placed)
}

/// The columns a block's value columns span: one each, the last stretched to the width.
fn column_spans(block: &Block, width: u16) -> Vec<(u16, u16)> {
    let n = block.columns.len() as u16;
    (0..n).map(|i| (i + 1, if i + 1 == n { width } else { i + 1 })).collect()
}

/// Section 三 with its two-level header and vertical groups.
pub fn requests<S: Sheet + ?Sized>(
    ws: &mut S,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    requests_at(ws, 0, form, report, st)
}

/// [`requests`] starting at row `at`.
pub(crate) fn requests_at<S: Sheet + ?Sized>(
    ws: &mut S,
    at: u32,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    let ncols = form.requests_columns.len() as u16;
    let first = 3u16; // three label columns
    ws.column_width(0, 6.0)?;
    ws.column_width(1, 14.0)?;
    ws.column_width(2, 34.0)?;
    for c in first..first + ncols {
        ws.column_width(c, 9.0)?;
    }
    put(ws, at, 0, at, first + ncols - 1, form::section(form::SectionId::Requests).heading, &st.title)?;
    ws.row_height(at, 28.0)?;
    // Header: the note over three rows, 申请人情况, then 自然人 | 法人或其他组织 | 总计.
    put(ws, at + 1, 0, at + 3, first - 1, form::REQUESTS_NOTE, &st.header)?;
    put(ws, at + 1, first, at + 1, first + ncols - 1, form::REQUESTS_APPLICANT, &st.header)?;
    let cols = form.requests_columns;
    put(ws, at + 2, first, at + 3, first, cols[0].label, &st.header)?;
    put(ws, at + 2, first + 1, at + 2, first + ncols - 2, form::REQUESTS_ORG, &st.header)?;
    for (i, c) in cols.iter().enumerate().skip(1).take(cols.len() - 2) {
        ws.text(at + 3, first + i as u16, c.label, &st.header)?;
    }
    put(ws, at + 2, first + ncols - 1, at + 3, first + ncols - 1, cols[cols.len() - 1].label, &st.header)?;
    ws.row_height(at + 3, 42.0)?;

    let top = at + 4;
    let rows = form.requests_rows;
    let mut placed = Placed::default();
    let mut value = values(report, SectionId::Requests);
    let mut i = 0;
    while i < rows.len() {
        let r = top + i as u32;
        let row = &rows[i];
        // Long labels wrap; a row as tall as its label keeps them readable in print.
        let width = [54.0, 48.0, 34.0][row.groups.len().min(2)];
        let lines = text_lines(row.label, width);
        if lines > 1 {
            ws.row_height(r, 14.0 * f64::from(lines) + 2.0)?;
        }
        match row.groups {
            [] => put(ws, r, 0, r, first - 1, row.label, &st.label)?,
            [outer] => {
                if first_of_group(rows, i, 0) {
                    put(ws, r, 0, r + count_group(rows, i, 0, outer) - 1, 0, outer, &st.header)?;
                }
                put(ws, r, 1, r, first - 1, row.label, &st.label)?;
            }
            [outer, inner, ..] => {
                if first_of_group(rows, i, 0) {
                    put(ws, r, 0, r + count_group(rows, i, 0, outer) - 1, 0, outer, &st.header)?;
                }
                if first_of_group(rows, i, 1) {
                    put(ws, r, 1, r + count_group(rows, i, 1, inner) - 1, 1, inner, &st.label)?;
                }
                ws.text(r, 2, row.label, &st.label)?;
            }
        }
        for (c, col) in cols.iter().enumerate() {
            let v = value(i, c);
            let at = first + c as u16;
            // Only the blank template has formulas: their parts hold no values.
            let formulas = st.formulas && report.is_none();
            if formulas && c == cols.len() - 1 {
                // 总计 = the applicant columns of the row.
                let parts: Vec<_> = (0..c).map(|k| ((r, first + k as u16), None)).collect();
                put_total(ws, r, at, &parts, st, &mut placed)?;
            } else if formulas && row.key == RowKey::Requests(ReqRow::ResultTotal) {
                // （七）总计 = the result rows (一) to (六) of the column.
                let outer = row.groups.first();
                let parts: Vec<_> = (0..rows.len())
                    .filter(|&k| k != i && rows[k].groups.first() == outer)
                    .map(|k| ((top + k as u32, at), None))
                    .collect();
                put_total(ws, r, at, &parts, st, &mut placed)?;
            } else {
                put_value(ws, r, at, v, col.kind, st)?;
            }
            placed.cells.push((r, at, col.kind));
        }
        i += 1;
    }
    placed.end_row = top + rows.len() as u32;
    if at == 0 {
        print_setup(ws, false, Some((1, 3)), (0, 0, placed.end_row - 1, first + ncols - 1))?;
    }
    Ok(placed)
}

fn first_of_group(rows: &[form::Row], i: usize, level: usize) -> bool {
    i == 0 || rows[i - 1].groups.get(level) != rows[i].groups.get(level)
}

fn count_group(rows: &[form::Row], i: usize, level: usize, label: &str) -> u32 {
    rows[i..].iter().take_while(|r| r.groups.get(level) == Some(&label)).count() as u32
}

/// Section 四: 行政复议 | 行政诉讼 over 未经复议直接起诉 and 复议后起诉, 15 numbers.
pub fn review<S: Sheet + ?Sized>(
    ws: &mut S,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    review_at(ws, 0, form, report, st)
}

/// [`review`] starting at row `at`.
pub(crate) fn review_at<S: Sheet + ?Sized>(
    ws: &mut S,
    at: u32,
    form: &Form,
    report: Option<&Report>,
    st: &Styles,
) -> Result<Placed, XlsxError> {
    let per = form.review_columns.len() as u16;
    let groups = form.review_groups;
    let total = per * groups.len() as u16;
    // Nine characters wide: a four-character head (结果维持) on one line in 宋体 10.5 pt.
    for c in 0..total {
        ws.column_width(c, 9.0)?;
    }
    put(ws, at, 0, at, total - 1, form::section(form::SectionId::ReviewLitigation).heading, &st.title)?;
    ws.row_height(at, 28.0)?;
    // Row 1: groups without a parent span two rows; a parent spans its children.
    let mut c = 0u16;
    let mut g = 0usize;
    while g < groups.len() {
        match groups[g].parent {
            None => {
                put(ws, at + 1, c, at + 1, c + per - 1, groups[g].label, &st.header)?;
                for (k, col) in form.review_columns.iter().enumerate() {
                    put(ws, at + 2, c + k as u16, at + 3, c + k as u16, col.label, &st.header)?;
                }
                c += per;
                g += 1;
            }
            Some(parent) => {
                let kids = groups[g..].iter().take_while(|x| x.parent == Some(parent)).count() as u16;
                put(ws, at + 1, c, at + 1, c + per * kids - 1, parent, &st.header)?;
                for k in 0..kids {
                    let grp = &groups[g + k as usize];
                    let c0 = c + k * per;
                    put(ws, at + 2, c0, at + 2, c0 + per - 1, grp.label, &st.header)?;
                    for (j, col) in form.review_columns.iter().enumerate() {
                        ws.text(at + 3, c0 + j as u16, col.label, &st.header)?;
                    }
                }
                c += per * kids;
                g += kids as usize;
            }
        }
    }
    ws.row_height(at + 3, 30.0)?;
    let mut placed = Placed::default();
    let mut value = values(report, SectionId::ReviewLitigation);
    for (gi, _) in groups.iter().enumerate() {
        for (k, col) in form.review_columns.iter().enumerate() {
            let cc = gi as u16 * per + k as u16;
            let v = value(gi, k);
            if st.formulas && report.is_none() && col.key == ColKey::Review(ReviewCol::Total) {
                // 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 of the group.
                let parts: Vec<_> = (0..form.review_columns.len())
                    .filter(|&j| j != k)
                    .map(|j| ((at + 4, gi as u16 * per + j as u16), None))
                    .collect();
                put_total(ws, at + 4, cc, &parts, st, &mut placed)?;
            } else {
                put_value(ws, at + 4, cc, v, col.kind, st)?;
            }
            placed.cells.push((at + 4, cc, col.kind));
        }
    }
    placed.end_row = at + 5;
    if at == 0 {
        print_setup(ws, true, Some((1, 3)), (0, 0, at + 4, total - 1))?;
    }
    Ok(placed)
}

/// The values of one table as [`Report::cells`] yields them, taken position by position
/// (`[row][column]`) as the layout draws them; the layouts draw numbers in that order, which
/// the HTML tables rely on. A position the report lacks is drawn blank.
fn values<'a>(report: Option<&'a Report>, section: SectionId) -> impl FnMut(usize, usize) -> Option<&'a Value> + 'a {
    let mut cells = report.into_iter().flat_map(move |r| r.cells_in(section)).peekable();
    move |row, col| cells.next_if(|n| n.at == (row, col)).map(|n| n.value)
}
