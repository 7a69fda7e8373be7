//! The official tables of sections 二–四, drawn from the form's description in `form/`
//! with the report's values, as the national form prints them.

use super::fit;
use super::table::{self, cell, cont, grid, head, restart, row, row_sized, Cell, Flow, Merge, Size, TextSize};
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
    table::number(number_text(values, row, col, kind), 1)
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
    let g = grid(&[active_label_width(form, report, width)], width);
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

/// The label column of table 二: 50 mm, narrower where a number (a fee with its decimals
/// and unit, a count of many digits) needs more than its share of the rest, down to what
/// 信息内容 needs on one line.
fn active_label_width(form: &Form, report: &Report, width: usize) -> usize {
    const LABEL: usize = 2845;
    let m = fit::Measure { total: super::TEXT_WIDTH as u32, em: super::SIZE_TABLE as u32 * 10, pad: 2 * table::MARGIN };
    let mut need = 0;
    let mut index = 0;
    for block in form.active {
        let n = block.columns.len();
        for _ in block.rows {
            for (i, col) in block.columns.iter().enumerate() {
                let span = if i + 1 == n { width - i } else { 1 };
                let text = number_text(&report.active, index, i, col.kind);
                need = need.max((m.needs_text(&text) as usize).div_ceil(span));
            }
            index += 1;
        }
    }
    let least = m.needs_text(form::ACTIVE_HEADER) as usize;
    let room = super::TEXT_WIDTH.saturating_sub(need * width);
    room.clamp(least, LABEL)
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
    type Memo = HashMap<(&'static str, usize), String, crate::hash::FastHash>;
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
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
    // The widest number of each column, as the fonts print it (`fit::metrics`).
    let widest: Vec<String> = (0..n)
        .map(|k| {
            (0..form.requests_rows.len())
                .map(|i| number_text(&report.requests, i, k, cols[k].kind))
                .max_by_key(|t| fit::metrics::width(t))
                .map_or_else(String::new, Cow::into_owned)
        })
        .collect();
    // The labels' search is remembered inside (`fit::Plans`); drawing the rest is cheap.
    let (grid, size) = lay_out(form, &widest);
    let measure = fit::Measure { total: super::TEXT_WIDTH as u32, em: size.text.font as u32 * 10, pad: 2 * PAD };
    Layout { grid, size, measure }
}

fn lay_out(form: &Form, number_text: &[String]) -> (Vec<usize>, Size) {
    let n = form.requests_columns.len();
    let rows = form.requests_rows;
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
/// 未经复议直接起诉 and 复议后起诉 with five columns each; one row of 15 numbers. Where
/// the numbers do not fit 15 columns at 五号 or 小五, the table is drawn in two bands
/// of 10 columns, 行政复议 (each column two wide) above 行政诉讼, each band's header over
/// its numbers.
pub(super) fn review(x: &mut Xml, form: &Form, report: &Report) {
    let per = form.review_columns.len();
    let groups = form.review_groups;
    let numbers: Vec<Vec<Cell<'static>>> = (0..groups.len())
        .map(|gi| {
            form.review_columns.iter().enumerate().map(|(k, col)| number(&report.review, gi, k, col.kind)).collect()
        })
        .collect();
    // The bands: a top-level group, or a parent with its groups, as ranges of `groups`.
    let mut bands = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let kids = match groups[i].parent {
            None => 1,
            Some(parent) => groups[i..].iter().take_while(|x| x.parent == Some(parent)).count(),
        };
        bands.push(i..i + kids);
        i += kids;
    }
    let widest = bands.iter().map(|b| b.len()).max().unwrap_or(1) * per;
    let (one_band, size) = review_layout(&numbers, groups.len() * per, widest);
    let g = grid(&[], if one_band { groups.len() * per } else { widest });
    // Column labels broken where `fit` breaks them (`结果/维持`), never leaving one
    // character on a line as the renderer's own breaks would in a narrow column.
    let m = fit::Measure { total: super::TEXT_WIDTH as u32, em: size.text.font as u32 * 10, pad: 2 * table::MARGIN };
    let narrowest = g.iter().copied().min().unwrap_or(0);
    let label = |text: &'static str, stretch: usize| broken(text, m.fits((narrowest * stretch) as u32));
    let row_of = |x: &mut Xml, cells: &[Cell<'_>], flow: Flow| row_sized(x, &g, cells, flow, size);
    table::start(x, &g);
    if one_band {
        let (mut top, mut mid, mut low, mut nums) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for band in &bands {
            review_header(form, band.clone(), 1, true, &label, (&mut top, &mut mid, &mut low));
            nums.extend(band.clone().flat_map(|gi| numbers[gi].iter().cloned()));
        }
        row_of(x, &top, Flow::Header);
        row_of(x, &mid, Flow::Header);
        row_of(x, &low, Flow::Header);
        row_of(x, &nums, Flow::Plain);
    } else {
        for (b, band) in bands.iter().enumerate() {
            // A band narrower than the grid widens its columns to fill it.
            let stretch = widest / (band.len() * per);
            let (mut top, mut mid, mut low) = (Vec::new(), Vec::new(), Vec::new());
            review_header(form, band.clone(), stretch, false, &label, (&mut top, &mut mid, &mut low));
            let nums: Vec<Cell<'_>> =
                band.clone().flat_map(|gi| numbers[gi].iter().map(|c| Cell { span: stretch, ..c.clone() })).collect();
            // The bands stay together on one page: no header to repeat.
            for cells in [&top, &mid, &low].into_iter().filter(|r| !r.is_empty()) {
                row_of(x, cells, Flow::KeepNext);
            }
            let last = b + 1 == bands.len();
            row_of(x, &nums, if last { Flow::Plain } else { Flow::KeepNext });
        }
    }
    table::end(x);
}

/// The three header rows of one band of table 四 (groups `band`), each column `stretch`
/// grid columns wide: the group or parent label on top; a parent's groups their labels
/// then their columns; a group of its own its columns, merged down the two rows below where
/// `merge` (beside a parent's groups), else in the second row with the third left empty.
fn review_header<'a>(
    form: &'a Form,
    band: std::ops::Range<usize>,
    stretch: usize,
    merge: bool,
    label: &dyn Fn(&'static str, usize) -> String,
    (top, mid, low): (&mut Vec<Cell<'a>>, &mut Vec<Cell<'a>>, &mut Vec<Cell<'a>>),
) {
    let per = form.review_columns.len();
    let groups = &form.review_groups[band];
    match groups.first().and_then(|g| g.parent) {
        None => {
            for grp in groups {
                top.push(head(grp.label, per * stretch));
                if merge {
                    mid.extend(form.review_columns.iter().map(|col| restart_owned(label(col.label, stretch), stretch)));
                    low.extend((0..per).map(|_| cont(stretch)));
                } else {
                    mid.extend(form.review_columns.iter().map(|col| cell(label(col.label, stretch), stretch, true)));
                }
            }
        }
        Some(parent) => {
            top.push(head(parent, per * stretch * groups.len()));
            for grp in groups {
                mid.push(head(grp.label, per * stretch));
                low.extend(form.review_columns.iter().map(|col| cell(label(col.label, stretch), stretch, true)));
            }
        }
    }
}

/// Whether table 四's numbers fit one row of `all` columns, and the text size: 五号, then
/// 小五, in one band; else in bands of `band` columns at 五号, 小五 or 六号 (the smallest
/// where nothing fits: the cells do not wrap, and widen).
fn review_layout(numbers: &[Vec<Cell<'_>>], all: usize, band: usize) -> (bool, Size) {
    let total = super::TEXT_WIDTH as u32;
    let fits = |text: &TextSize, columns: usize| {
        let m = fit::Measure { total, em: text.font as u32 * 10, pad: 2 * table::MARGIN };
        let column = total / columns as u32;
        numbers.iter().flatten().all(|c| m.needs_text(&c.text) <= column)
    };
    let size = |text: TextSize| Size { text, row: text.line.max(table::SIZES[0].line) + 97 };
    let (five, small_five, six) = (table::SIZES[0], table::SIZES[2], table::SIZES[3]);
    for text in [five, small_five] {
        if fits(&text, all) {
            return (true, size(text));
        }
    }
    let text = [five, small_five].into_iter().find(|t| fits(t, band)).unwrap_or(six);
    (false, size(text))
}
