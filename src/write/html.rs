//! The three official tables as HTML, drawn by the same layouts (`layout`) as the archive
//! and the template: a grid that implements [`Sheet`], merges becoming `rowspan`/`colspan`.
//! Cells with a finding carry its severity as a class, its messages as a `title` and an
//! `id` the list of findings links to. Used by `nianbao serve`; no file system here.

use super::layout::{self, Placed, Styles};
use super::sheet::{Align, Page, Sheet, Style};
use crate::cell::CellRef;
use crate::finding::{Finding, Severity};
use crate::model::Report;
use crate::number::float_text;
use rust_xlsxwriter::{DataValidation, XlsxError};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// One written cell of the grid.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    class: &'static str,
    rows: u32,
    cols: u16,
}

/// A worksheet drawn in memory, to be printed as an HTML table.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    cells: BTreeMap<(u32, u16), Cell>,
    /// Cells hidden under a merge's first cell.
    covered: HashSet<(u32, u16)>,
    widths: BTreeMap<u16, f64>,
}

/// The CSS class of a layout style: title, header, number or label.
fn class(style: &Style) -> &'static str {
    if style.size >= 14.0 {
        "t"
    } else if style.bold {
        "h"
    } else if style.align == Align::Center {
        "n"
    } else {
        "l"
    }
}

impl Grid {
    fn put(&mut self, row: u32, col: u16, text: String, style: &Style) {
        // A value written into a merge's first cell keeps the merge's span.
        let (rows, cols) = self.cells.get(&(row, col)).map_or((1, 1), |c| (c.rows, c.cols));
        self.cells.insert((row, col), Cell { text, class: class(style), rows, cols });
    }

    fn size(&self) -> (u32, u16) {
        let rows = self.cells.iter().map(|(&(r, _), c)| r + c.rows).max().unwrap_or(0);
        let cols = self.cells.iter().map(|(&(_, c), x)| c + x.cols).max().unwrap_or(0);
        (rows, cols)
    }

    /// The table as HTML; `marks` colours cells and gives them ids, `caption` titles it.
    pub(crate) fn html(&self, marks: &HashMap<(u32, u16), Mark>) -> String {
        let (rows, cols) = self.size();
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("<table class=\"form\">\n<colgroup>");
        let total: f64 = (0..cols).map(|c| self.widths.get(&c).copied().unwrap_or(8.43)).sum();
        for c in 0..cols {
            let w = self.widths.get(&c).copied().unwrap_or(8.43);
            let _ = write!(out, "<col style=\"width:{:.1}%\">", 100.0 * w / total.max(1.0));
        }
        out.push_str("</colgroup>\n");
        for r in 0..rows {
            out.push_str("<tr>");
            for c in 0..cols {
                if self.covered.contains(&(r, c)) {
                    continue;
                }
                let Some(cell) = self.cells.get(&(r, c)) else {
                    out.push_str("<td class=\"e\"></td>");
                    continue;
                };
                let tag = if matches!(cell.class, "t" | "h") { "th" } else { "td" };
                let _ = write!(out, "<{tag}");
                if cell.rows > 1 {
                    let _ = write!(out, " rowspan=\"{}\"", cell.rows);
                }
                if cell.cols > 1 {
                    let _ = write!(out, " colspan=\"{}\"", cell.cols);
                }
                match marks.get(&(r, c)) {
                    Some(m) => {
                        let _ = write!(
                            out,
                            " class=\"{} {}\" id=\"{}\" title=\"{}\" tabindex=\"0\">",
                            cell.class,
                            m.severity.id(),
                            m.anchor,
                            escape(&m.messages.join("\n"))
                        );
                    }
                    None => {
                        let _ = write!(out, " class=\"{}\">", cell.class);
                    }
                }
                out.push_str(&escape(&cell.text));
                let _ = write!(out, "</{tag}>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        out
    }
}

impl Sheet for Grid {
    fn text(&mut self, row: u32, col: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        self.put(row, col, text.to_string(), style);
        Ok(())
    }
    fn number(&mut self, row: u32, col: u16, n: f64, style: &Style) -> Result<(), XlsxError> {
        // 本年增/减 keeps its sign, as the layout's number format prints it.
        let text =
            if style.num_format.starts_with('+') && n > 0.0 { format!("+{}", float_text(n)) } else { float_text(n) };
        self.put(row, col, text, style);
        Ok(())
    }
    fn blank(&mut self, row: u32, col: u16, style: &Style) -> Result<(), XlsxError> {
        self.put(row, col, String::new(), style);
        Ok(())
    }
    fn formula(&mut self, row: u32, col: u16, _formula: &str, cached: f64, style: &Style) -> Result<(), XlsxError> {
        // A page shows what the cell holds: the formula's value.
        self.number(row, col, cached, style)
    }
    fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) {
                    self.covered.insert((r, c));
                    self.cells.remove(&(r, c));
                }
            }
        }
        let cell = Cell { text: text.to_string(), class: class(style), rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
        self.cells.insert((r0, c0), cell);
        Ok(())
    }
    fn column_width(&mut self, col: u16, width: f64) -> Result<(), XlsxError> {
        self.widths.insert(col, width);
        Ok(())
    }
    fn row_height(&mut self, _row: u32, _height: f64) -> Result<(), XlsxError> {
        Ok(())
    }
    fn page(&mut self, _page: &Page) -> Result<(), XlsxError> {
        Ok(())
    }
    fn validate(&mut self, _row: u32, _col: u16, _rule: &DataValidation) -> Result<(), XlsxError> {
        Ok(())
    }
}

/// What a cell with findings shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mark {
    /// The most severe of its findings.
    pub severity: Severity,
    /// `错误[T3-BALANCE] …`, one per finding.
    pub messages: Vec<String>,
    /// The cell's `id`, which the list of findings links to.
    pub anchor: String,
}

/// One of the three tables, ready to print.
#[derive(Debug, Clone)]
pub struct Table {
    /// `active`, `requests` or `review_litigation`.
    pub section: &'static str,
    pub html: String,
}

/// The drawn tables and, for each finding in order, the anchor of the cell it colours
/// (`None` where its cell is not a number of the tables: the agency, a narrative part).
#[derive(Debug, Clone)]
pub struct Drawn {
    pub tables: Vec<Table>,
    pub anchors: Vec<Option<String>>,
}

/// Draws the report's three tables with every error and warning cell marked.
pub fn tables(report: &Report, findings: &[Finding]) -> Result<Drawn, XlsxError> {
    let form = report.form();
    let st = Styles::new(false);
    let mut grids: Vec<(&'static str, Grid, Placed)> = Vec::with_capacity(3);
    let mut g = Grid::default();
    let p = layout::active(&mut g, form, Some(report), &st)?;
    grids.push(("active", g, p));
    let mut g = Grid::default();
    let p = layout::requests(&mut g, form, Some(report), &st)?;
    grids.push(("requests", g, p));
    let mut g = Grid::default();
    let p = layout::review(&mut g, form, Some(report), &st)?;
    grids.push(("review_litigation", g, p));

    // Every number's source cell → (table, row, column) where the layout drew it. The
    // layouts place numbers in the order `Report::cells` yields them.
    let mut at: HashMap<&CellRef, (usize, u32, u16)> = HashMap::new();
    let mut it = report.cells();
    for (t, (section, _, placed)) in grids.iter().enumerate() {
        for &(r, c, _) in &placed.cells {
            let Some(n) = it.next() else { break };
            debug_assert_eq!(n.section, *section);
            if let Some(cell) = &n.value.cell {
                at.entry(cell).or_insert((t, r, c));
            }
        }
    }

    let mut marks: Vec<HashMap<(u32, u16), Mark>> = vec![HashMap::new(); grids.len()];
    let mut anchors = Vec::with_capacity(findings.len());
    for f in findings {
        let place = f.cell.as_ref().and_then(|c| at.get(c)).copied();
        let Some((t, r, c)) = place.filter(|_| f.severity != Severity::Info) else {
            anchors.push(None);
            continue;
        };
        let anchor = format!("t{}-r{}-c{}", t + 1, r + 1, c + 1);
        let text = format!("{}[{}] {}", f.severity.zh(), f.rule, f.message);
        let m = marks[t].entry((r, c)).or_insert_with(|| Mark {
            severity: f.severity,
            messages: Vec::new(),
            anchor: anchor.clone(),
        });
        m.severity = m.severity.min(f.severity);
        if !m.messages.contains(&text) {
            m.messages.push(text);
        }
        anchors.push(Some(anchor));
    }
    let tables =
        grids.iter().zip(&marks).map(|((section, grid, _), m)| Table { section, html: grid.html(m) }).collect();
    Ok(Drawn { tables, anchors })
}

/// Text made safe for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_become_spans_and_covered_cells_are_not_printed() {
        let mut g = Grid::default();
        let st = Style::boxed(10.5);
        g.merge(0, 0, 1, 2, "合并", &st.bold()).unwrap();
        g.text(2, 0, "a<b", &st).unwrap();
        g.number(2, 1, 5.0, &st.num_format("+0;-0;0")).unwrap();
        g.number(2, 2, -3.0, &st.num_format("+0;-0;0")).unwrap();
        let html = g.html(&HashMap::new());
        assert!(html.contains("<th rowspan=\"2\" colspan=\"3\" class=\"h\">合并</th></tr>\n<tr></tr>"), "{html}");
        assert!(html.contains("<td class=\"l\">a&lt;b</td><td class=\"l\">+5</td><td class=\"l\">-3</td>"), "{html}");
    }
}
