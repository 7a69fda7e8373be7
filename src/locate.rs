//! Where a finding points in a published report, said as a reader finds it: a web page,
//! Word document or PDF has no A1 cells, so the place is the table (its number in the
//! document, or the page of a PDF), the row label and the column label.

use crate::cell::CellRef;
use crate::form::{self, SectionId};
use crate::model::{PrintedTable, Report};
use crate::read::published::{TEXT_PARTS, TEXT_SHEET};
use std::fmt;

/// A place in a published report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    /// The official table by its section heading (`三、收到和处理政府信息公开申请情况`),
    /// or `正文` for the title and the narrative.
    pub table: String,
    /// The table's number in the document (a web page, a Word document).
    pub number: Option<usize>,
    /// The page the row was printed on (a PDF).
    pub page: Option<u32>,
    /// The row label (`（三）不予公开 / 1.属于国家秘密`), or the part of the narrative.
    pub row: Option<String>,
    /// The column label (`总计`).
    pub column: Option<String>,
    /// Row and column in the printed table, 1-based, for a cell that holds no number
    /// (a label): it has no row and column label of the form.
    pub position: Option<(u32, u32)>,
}

impl fmt::Display for Locator {
    /// `第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列`,
    /// `第3页（…）…`, `正文“一、总体情况（总述）”`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.page, self.number) {
            (Some(p), _) => write!(f, "第{p}页")?,
            (None, Some(n)) => write!(f, "第{n}个表格")?,
            (None, None) => f.write_str(&self.table)?,
        }
        if (self.page, self.number) != (None, None) && !self.table.is_empty() {
            write!(f, "（{}）", self.table)?;
        }
        if let Some((r, c)) = self.position {
            write!(f, "第{r}行第{c}列")?;
        }
        if let Some(r) = &self.row {
            let row = if self.table == TEXT_SHEET { "" } else { "行" };
            write!(f, "“{r}”{row}")?;
        }
        if let Some(c) = &self.column {
            write!(f, "“{c}”列")?;
        }
        Ok(())
    }
}

impl Locator {
    /// The table's number or page alone (`第2个表格`, `第4页`), or the table: for a message
    /// that names the row and column itself.
    pub fn short(&self) -> String {
        match (self.page, self.number) {
            (Some(p), _) => format!("第{p}页"),
            (None, Some(n)) => format!("第{n}个表格"),
            (None, None) => self.table.clone(),
        }
    }
}

/// The place of a cell of a published report's sheets, `None` for a workbook.
pub fn locate(report: &Report, cell: &CellRef) -> Option<Locator> {
    // A workbook may have a sheet named 正文 too.
    if report.printed.is_empty() {
        return None;
    }
    if &*cell.sheet == TEXT_SHEET {
        let row = match cell.row {
            0 => "标题",
            r => TEXT_PARTS.get(r as usize - 1).copied()?,
        };
        let row = Some(row.into());
        return Some(Locator { table: TEXT_SHEET.into(), number: None, page: None, row, column: None, position: None });
    }
    let printed: &PrintedTable = report.printed.iter().find(|t| *t.sheet == *cell.sheet)?;
    let page = printed.pages.get(cell.row as usize).copied();
    let number = page.is_none().then_some(printed.number);
    let form = report.form();
    // The number read from this cell names its row and column; a cell that is no number
    // (a label) is named by its position, in the table of the numbers beside it.
    if let Some(n) = report.cells().find(|n| n.value.cell.as_ref() == Some(cell)) {
        let row = match n.section {
            SectionId::Requests => {
                let r = &form.requests_rows[n.at.0];
                match r.groups.last() {
                    // `1.属于国家秘密` is one of several `1.`: its group says which.
                    Some(g) if r.label.starts_with(|c: char| c.is_ascii_digit()) => format!("{g} / {}", r.label),
                    _ => r.label.to_string(),
                }
            }
            _ => n.row_label.to_string(),
        };
        let table = form::section(n.section).heading.to_string();
        let column = Some(n.col_label.to_string());
        return Some(Locator { table, number, page, row: Some(row), column, position: None });
    }
    let section = report
        .cells()
        .find(|n| n.value.cell.as_ref().is_some_and(|c| c.sheet == cell.sheet))
        .map_or("", |n| form::section(n.section).heading);
    Some(Locator {
        table: section.to_string(),
        number,
        page,
        row: None,
        column: None,
        position: Some((cell.row + 1, cell.col + 1)),
    })
}
