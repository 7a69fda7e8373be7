//! The official tables of sections 二–四, drawn from the form's description in `form/`
//! with the report's values, as the national form prints them.

use super::fit;
use super::table::{self, cell, cont, grid, head, restart, row, row_sized, Cell, Flow, Merge, Size};
use crate::form::{self, Edition, Form, Kind};
use crate::model::{Report, State, Value};
use crate::write::ooxml::Xml;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A number cell: the value as the report shows it; a cell the department left blank or
/// filled with `—`, `/`, `无` shows what it typed (the checks read it as 0); `0` where the
/// report has no cell.
fn number(values: &[Vec<Value>], row: usize, col: usize, kind: Kind) -> Cell<'static> {
    cell(number_text(values, row, col, kind), 1, true)
}

fn number_text(values: &[Vec<Value>], row: usize, col: usize, kind: Kind) -> Cow<'static, str> {
    match values.get(row).and_then(|r| r.get(col)) {
        Some(v) if v.state == State::Blank => Cow::Owned(v.raw.trim().to_string()),
        Some(v) => Cow::Owned(v.display(kind)),
        None => Cow::Borrowed("0"),
    }
}

/// Section 二: per block (one article of 第二十条) a heading row across the table, a header
/// row 信息内容 | the block's column labels (the last spanning the remaining columns), then
/// the block's rows. A block stays on one page.
pub(super) fn active(x: &mut Xml, form: &Form, report: &Report) {
    let width = form.active.iter().map(|b| b.columns.len()).max().unwrap_or(1);
    let g = grid(&[2845], width);
    table::start(x, &g);
    let mut index = 0;
    for block in form.active {
        row(x, &g, &[head(block.heading, width + 1)], Flow::KeepNext);
        let n = block.columns.len();
        let span = |i: usize| if i + 1 == n { width - i } else { 1 };
        let mut header = vec![head(form::ACTIVE_HEADER, 1)];
        header.extend(block.columns.iter().enumerate().map(|(i, col)| head(col.label, span(i))));
        row(x, &g, &header, Flow::KeepNext);
        for (k, r) in block.rows.iter().enumerate() {
            let mut cells = vec![cell(r.label, 1, true)];
            for (i, col) in block.columns.iter().enumerate() {
                cells.push(Cell { span: span(i), ..number(&report.active, index, i, col.kind) });
            }
            let last = k + 1 == block.rows.len();
            row(x, &g, &cells, if last { Flow::Plain } else { Flow::KeepNext });
            index += 1;
        }
    }
    table::end(x);
}

/// Section 三. Three header rows:
///
/// ```text
/// | note (3 columns, merged down) | 申请人情况 (all columns)                          |
/// |                               | 自然人 | 法人或其他组织 (the middle columns) | 总计 |
/// |                               |        | 商业企业 | 科研机构 | …            |      |
/// ```
///
/// then each row: its group labels (merged down over the group) and label across the three
/// label columns, and its numbers. An inner group (（三）不予公开 …) stays on one page.
pub(super) fn requests(x: &mut Xml, form: &Form, report: &Report) {
    let cols = form.requests_columns;
    let n = cols.len();
    let layout = requests_layout(form, report);
    let (g, size) = (&layout.grid, layout.size);
    // Labels broken where `fit` broke them, so that no line holds one character.
    let label = |text: &'static str, span: usize| -> String {
        let width: usize = match span {
            3 => g[..3].iter().sum(),
            2 => g[1..3].iter().sum(),
            _ => g[2],
        };
        broken(text, layout.measure.fits(width as u32))
    };
    let group_label =
        |text: &'static str, level: usize| -> String { broken(text, layout.measure.fits(g[level] as u32)) };
    table::start_padded(x, g, PAD);
    let natural = cols[0].label;
    let total = cols[n - 1].label;
    let note = label(form::REQUESTS_NOTE, 3);
    let head_row = |x: &mut Xml, cells: &[Cell<'_>]| row_sized(x, g, cells, Flow::Header, size);
    head_row(x, &[restart_owned(note, 3), head(form::REQUESTS_APPLICANT, n)]);
    head_row(x, &[cont(3), restart(natural, 1, true), head(form::REQUESTS_ORG, n - 2), restart(total, 1, true)]);
    let mut third = vec![cont(3), cont(1)];
    third.extend(cols[1..n - 1].iter().map(|col| head(col.label, 1)));
    third.push(cont(1));
    head_row(x, &third);

    let rows = form.requests_rows;
    for (i, r) in rows.iter().enumerate() {
        // A group's label shows in its first row and is merged down over the others.
        let group = |level: usize, text: &'static str| {
            let first = i == 0 || rows[i - 1].groups.get(level) != r.groups.get(level);
            if first {
                restart_owned(group_label(text, level), 1)
            } else {
                cont(1)
            }
        };
        let mut cells = match r.groups {
            [] => vec![cell(label(r.label, 3), 3, false)],
            [outer] => vec![group(0, outer), cell(label(r.label, 2), 2, false)],
            [outer, inner, ..] => vec![group(0, outer), group(1, inner), cell(label(r.label, 1), 1, false)],
        };
        cells.extend(cols.iter().enumerate().map(|(k, col)| number(&report.requests, i, k, col.kind)));
        // The whole table on one page (the official form is one page): every row but the
        // last is kept with the next.
        let last = i + 1 == rows.len();
        row_sized(x, g, &cells, if last { Flow::Plain } else { Flow::KeepNext }, size);
    }
    table::end(x);
}

/// A label broken into lines of at most `cap` half-ems (`fit::label_lines`), remembered:
/// table 三's labels break the same way in every report with its layout, and breaking them
/// anew was a fifth of the Word report's time.
fn broken(text: &'static str, cap: usize) -> String {
    static MEMO: OnceLock<Mutex<HashMap<(&'static str, usize), String>>> = OnceLock::new();
    let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(done) = memo.lock().ok().and_then(|m| m.get(&(text, cap)).cloned()) {
        return done;
    }
    let lines = fit::label_lines(text, cap).join("\n");
    if let Ok(mut m) = memo.lock() {
        m.insert((text, cap), lines.clone());
    }
    lines
}

/// A merged group's first cell, centred, with text made for it.
fn restart_owned(text: String, span: usize) -> Cell<'static> {
    Cell { merge: Merge::Restart, ..cell(text, span, true) }
}

/// Table 三's grid and text size, from its content: the largest of 五号, 小五 and 六号 at
/// which the header words stay whole, no label leaves a line of one character and the
/// table fits on a page under its heading.
struct Layout {
    grid: Vec<usize>,
    size: Size,
    measure: fit::Measure,
}

/// Cell padding left and right, in twips (0.7 mm).
const PAD: u32 = 40;
/// The height table 三 may take: the text block less its heading's line and one to spare.
const PAGE_ROOM: i32 = 12756 - 2 * super::LINE_BODY;

fn requests_layout(form: &Form, report: &Report) -> Layout {
    let cols = form.requests_columns;
    let n = cols.len();
    // The widest text of each number column: its header word or its widest number.
    let widest: Vec<usize> = (0..n)
        .map(|k| {
            let numbers = (0..form.requests_rows.len())
                .map(|i| fit::half_ems(&number_text(&report.requests, i, k, cols[k].kind)))
                .max()
                .unwrap_or(0);
            numbers.max(fit::half_ems(cols[k].label))
        })
        .collect();
    // The labels' search is remembered inside (`fit::Plans`); drawing the rest is cheap.
    let (grid, size) = lay_out(form, &widest);
    let measure = fit::Measure { total: super::TEXT_WIDTH as u32, em: size.text.font as u32 * 10, pad: 2 * PAD };
    Layout { grid, size, measure }
}

fn lay_out(form: &Form, widest: &[usize]) -> (Vec<usize>, Size) {
    let n = form.requests_columns.len();
    let rows = form.requests_rows;
    let number_text: Vec<String> = widest.iter().map(|&w| "0".repeat(w)).collect();
    let mut cells = vec![fit::Cell { text: form::REQUESTS_NOTE, col: 0, span: 3, row: 0, rows: 3, whole: false }];
    for (k, col) in form.requests_columns.iter().enumerate() {
        cells.push(fit::Cell { text: col.label, col: 3 + k, span: 1, row: 2, rows: 1, whole: true });
        cells.push(fit::Cell { text: &number_text[k], col: 3 + k, span: 1, row: 3, rows: 1, whole: true });
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i;
        let first = |level: usize| i == 0 || rows[i - 1].groups.get(level) != r.groups.get(level);
        let span_of =
            |level: usize| rows[i..].iter().take_while(|x| x.groups.get(level) == r.groups.get(level)).count();
        let label = |col: usize, span: usize| fit::Cell { text: r.label, col, span, row, rows: 1, whole: false };
        let group = |text: &'static str, level: usize| fit::Cell {
            text,
            col: level,
            span: 1,
            row,
            rows: span_of(level),
            whole: false,
        };
        match r.groups {
            [] => cells.push(label(0, 3)),
            [outer] => {
                if first(0) {
                    cells.push(group(outer, 0));
                }
                cells.push(label(1, 2));
            }
            [outer, inner, ..] => {
                if first(0) {
                    cells.push(group(outer, 0));
                }
                if first(1) {
                    cells.push(group(inner, 1));
                }
                cells.push(label(2, 1));
            }
        }
    }
    let mut last = None;
    // 五号, 小五, 六号, each on tight lines.
    for text in &table::SIZES[1..] {
        let (font, line) = (text.font, text.line);
        let m = fit::Measure { total: super::TEXT_WIDTH as u32, em: font as u32 * 10, pad: 2 * PAD };
        // The labels' search, remembered by the room the numbers leave them at this size.
        static PLANS: OnceLock<Mutex<HashMap<(Edition, i32), fit::Plans>>> = OnceLock::new();
        let plans = PLANS.get_or_init(|| Mutex::new(HashMap::new()));
        let found = match plans.lock() {
            Ok(mut p) => fit::widths_planned(&cells, 3 + n, m, p.entry((form.edition, font)).or_default()),
            Err(_) => fit::widths(&cells, 3 + n, m),
        };
        let Some(f) = found else { continue };
        let size = Size { text: *text, row: line + 60 };
        let height = f.lines as i32 * line + (3 + rows.len() as i32) * 60;
        let grid: Vec<usize> = f.widths.iter().map(|&w| w as usize).collect();
        if f.orphans == 0 && height <= PAGE_ROOM {
            return (grid, size);
        }
        last = Some((grid, size));
    }
    last.unwrap_or_else(|| (grid(&[600, 900, 1885], n), Size { text: table::SIZES[0], row: 397 }))
}

/// Section 四: 行政复议 with its five columns over two header rows; 行政诉讼 over
/// 未经复议直接起诉 and 复议后起诉 with five columns each; one row of 15 numbers.
pub(super) fn review(x: &mut Xml, form: &Form, report: &Report) {
    let per = form.review_columns.len();
    let groups = form.review_groups;
    let g = grid(&[], per * groups.len());
    let (mut top, mut mid, mut low) = (Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < groups.len() {
        match groups[i].parent {
            // A group of its own: its label on top, its columns merged down the two rows below.
            None => {
                top.push(head(groups[i].label, per));
                mid.extend(form.review_columns.iter().map(|col| restart(col.label, 1, true)));
                low.extend((0..per).map(|_| cont(1)));
                i += 1;
            }
            // Groups under one parent: the parent on top, each group's label, then its columns.
            Some(parent) => {
                let kids = groups[i..].iter().take_while(|x| x.parent == Some(parent)).count();
                top.push(head(parent, per * kids));
                for grp in &groups[i..i + kids] {
                    mid.push(head(grp.label, per));
                    low.extend(form.review_columns.iter().map(|col| head(col.label, 1)));
                }
                i += kids;
            }
        }
    }
    let mut numbers = Vec::new();
    for gi in 0..groups.len() {
        numbers.extend(form.review_columns.iter().enumerate().map(|(k, col)| number(&report.review, gi, k, col.kind)));
    }
    table::start(x, &g);
    row(x, &g, &top, Flow::Header);
    row(x, &g, &mid, Flow::Header);
    row(x, &g, &low, Flow::Header);
    row(x, &g, &numbers, Flow::Plain);
    table::end(x);
}
