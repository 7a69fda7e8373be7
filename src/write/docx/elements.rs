//! The elements of the report as docx-rs builds them: paragraph kinds, the footer and the
//! official tables drawn from `form.rs`. Text that varies by report is a slot marker
//! (see `fill`); these are built once per process, not per report.

use super::fill::{Slot, Slots};
use super::{
    FANGSONG, HEITI, INDENT_2CH, KAITI, LATIN, LINE_BODY, SIZE_BODY, SIZE_PAGE_NUM, SIZE_TITLE, SONGTI, TEXT_WIDTH,
    XIAOBIAOSONG,
};
use crate::form::{self, Form};

/// The paragraph style of table cells, defined in `ooxml::styles`.
pub(super) const TABLE_STYLE: &str = "TableText";
use docx_rs::{
    AlignmentType, FieldCharType, Footer, HeightRule, InstrPAGE, InstrText, LineSpacing, LineSpacingType, Paragraph,
    Run, RunFonts, SpecialIndentType, Table, TableAlignmentType, TableCell, TableCellMargins, TableLayoutType,
    TableRow, VAlignType, VMergeType, WidthType,
};

fn fonts(east_asia: &str) -> RunFonts {
    let latin = if east_asia == FANGSONG { LATIN } else { east_asia };
    RunFonts::new().ascii(latin).hi_ansi(latin).east_asia(east_asia).cs(latin)
}

/// A run of text in a font and size; tabs become Word tabs.
fn run(text: &str, font: &str, size: usize) -> Run {
    let mut r = Run::new().fonts(fonts(font)).size(size);
    for (i, part) in text.split('\t').enumerate() {
        if i > 0 {
            r = r.add_tab();
        }
        if !part.is_empty() {
            r = r.add_text(part);
        }
    }
    r
}

fn spacing(line: i32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(line).before(0).after(0)
}

pub(super) fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(700).before(0).after(LINE_BODY as u32))
        .add_run(run(text, XIAOBIAOSONG, SIZE_TITLE))
}

fn indented() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(INDENT_2CH)), None, None)
        .line_spacing(spacing(LINE_BODY))
}

pub(super) fn heading(text: &str) -> Paragraph {
    indented().keep_next(true).add_run(run(text, HEITI, SIZE_BODY))
}

pub(super) fn body(text: &str) -> Paragraph {
    indented().add_run(run(text, FANGSONG, SIZE_BODY))
}

/// A narrative paragraph opening with a sub-head `（一）主动公开情况。` in 楷体: alone (kept
/// with the next paragraph) or followed by the rest of the line in 仿宋.
pub(super) fn lead(lead: &str, rest: Option<&str>) -> Paragraph {
    let p = indented().add_run(run(lead, KAITI, SIZE_BODY));
    match rest {
        Some(rest) => p.add_run(run(rest, FANGSONG, SIZE_BODY)),
        None => p.keep_next(true),
    }
}

/// The page number at the foot: `— 1 —` in 四号 宋体, centred.
pub(super) fn footer() -> Footer {
    let dash = |t: &str| run(t, SONGTI, SIZE_PAGE_NUM);
    let field = Run::new()
        .fonts(fonts(SONGTI))
        .size(SIZE_PAGE_NUM)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE {}))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Footer::new().add_paragraph(
        Paragraph::new().align(AlignmentType::Center).add_run(dash("— ")).add_run(field).add_run(dash(" —")),
    )
}

// ---- Tables ----

/// How a cell takes part in a vertical merge.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// One cell of a row being built: its text, how many grid columns it spans, its merge.
struct C {
    text: String,
    span: usize,
    merge: Merge,
    center: bool,
}

fn c(text: impl Into<String>, span: usize, center: bool) -> C {
    C { text: text.into(), span, merge: Merge::None, center }
}

fn head(text: impl Into<String>, span: usize) -> C {
    c(text, span, true)
}

fn restart(text: impl Into<String>, span: usize, center: bool) -> C {
    C { merge: Merge::Restart, ..c(text, span, center) }
}

fn cont(span: usize) -> C {
    C { merge: Merge::Continue, ..c("", span, true) }
}

/// A number cell: its text is the slot of the value.
fn num(slots: &mut Slots, slot: Slot) -> C {
    c(slots.mark(slot), 1, true)
}

/// How a row sits across a page break.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// A header row: never split, repeated on every page.
    Header,
    /// Kept on the same page as the next row (a block's heading, a merged group).
    KeepNext,
    Plain,
}

/// A row over a grid of column widths.
fn row(grid: &[usize], cells: Vec<C>, flow: Flow) -> TableRow {
    let mut at = 0;
    let mut out = Vec::with_capacity(cells.len());
    for cell in cells {
        let width: usize = grid.iter().skip(at).take(cell.span).sum();
        at += cell.span;
        // Font, size and spacing come from the TableText style: written once in styles.xml
        // rather than in each of the ~400 cells (the document shrinks by half).
        let mut p = Paragraph::new()
            .style(TABLE_STYLE)
            .align(if cell.center { AlignmentType::Center } else { AlignmentType::Left })
            .keep_next(flow != Flow::Plain);
        if !cell.text.is_empty() {
            p = p.add_run(Run::new().add_text(super::xml_safe(&cell.text)));
        }
        let mut tc = TableCell::new().add_paragraph(p).width(width, WidthType::Dxa).vertical_align(VAlignType::Center);
        if cell.span > 1 {
            tc = tc.grid_span(cell.span);
        }
        match cell.merge {
            Merge::Restart => tc = tc.vertical_merge(VMergeType::Restart),
            Merge::Continue => tc = tc.vertical_merge(VMergeType::Continue),
            Merge::None => {}
        }
        out.push(tc);
    }
    let r = TableRow::new(out).row_height(397.0).height_rule(HeightRule::AtLeast);
    if flow == Flow::Header {
        r.cant_split()
    } else {
        r
    }
}

fn table(grid: Vec<usize>, rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(0, 57, 0, 57))
}

/// Splits the text width: the given widths first, the rest evenly over `n` columns.
fn grid(fixed: &[usize], n: usize) -> Vec<usize> {
    let rest = TEXT_WIDTH - fixed.iter().sum::<usize>();
    let each = rest / n;
    let extra = rest - each * n;
    let mut g = fixed.to_vec();
    g.extend((0..n).map(|i| each + usize::from(i < extra)));
    g
}

/// Section 二: per block a heading row across the table, a header row 信息内容 | labels
/// (the last label spanning the remaining columns), then the block's rows.
pub(super) fn active_table(form: &Form, slots: &mut Slots) -> Table {
    let width = form.active.iter().map(|b| b.columns.len()).max().unwrap_or(1);
    let g = grid(&[2845], width);
    let mut rows = Vec::new();
    let mut idx = 0;
    for block in form.active {
        rows.push(row(&g, vec![head(block.heading, width + 1)], Flow::KeepNext));
        let n = block.columns.len();
        let span = |i: usize| if i + 1 == n { width - i } else { 1 };
        let mut header = vec![head(form::ACTIVE_HEADER, 1)];
        header.extend(block.columns.iter().enumerate().map(|(i, col)| head(col.label, span(i))));
        rows.push(row(&g, header, Flow::KeepNext));
        for (k, r) in block.rows.iter().enumerate() {
            let mut cells = vec![c(r.label, 1, true)];
            for (i, col) in block.columns.iter().enumerate() {
                cells.push(C { span: span(i), ..num(slots, Slot::Active(idx, i, col.kind)) });
            }
            // A block stays on one page.
            rows.push(row(&g, cells, if k + 1 < block.rows.len() { Flow::KeepNext } else { Flow::Plain }));
            idx += 1;
        }
    }
    table(g, rows)
}

fn first_of_group(rows: &[form::Row], i: usize, level: usize) -> bool {
    i == 0 || rows[i - 1].groups.get(level) != rows[i].groups.get(level)
}

/// Section 三: the note over three label columns and the header rows, 申请人情况 over the
/// columns, 自然人 and 总计 over two header rows, 法人或其他组织 over the rest; then the
/// rows with their groups merged vertically, as `layout::requests` draws them in xlsx.
pub(super) fn requests_table(form: &Form, slots: &mut Slots) -> Table {
    let cols = form.requests_columns;
    let n = cols.len();
    let g = grid(&[600, 900, 1885], n);
    let mut rows = vec![
        row(&g, vec![restart(form::REQUESTS_NOTE, 3, true), head(form::REQUESTS_APPLICANT, n)], Flow::Header),
        row(
            &g,
            vec![
                cont(3),
                restart(cols[0].label, 1, true),
                head(form::REQUESTS_ORG, n - 2),
                restart(cols[n - 1].label, 1, true),
            ],
            Flow::Header,
        ),
    ];
    let mut third = vec![cont(3), cont(1)];
    third.extend(cols[1..n - 1].iter().map(|col| head(col.label, 1)));
    third.push(cont(1));
    rows.push(row(&g, third, Flow::Header));

    let form_rows = form.requests_rows;
    for (i, r) in form_rows.iter().enumerate() {
        let group = |level: usize, label: &str| {
            if first_of_group(form_rows, i, level) {
                restart(label, 1, true)
            } else {
                cont(1)
            }
        };
        let mut cells = match r.groups {
            [] => vec![c(r.label, 3, false)],
            [outer] => vec![group(0, outer), c(r.label, 2, false)],
            [outer, inner, ..] => vec![group(0, outer), group(1, inner), c(r.label, 1, false)],
        };
        cells.extend(cols.iter().enumerate().map(|(k, col)| num(slots, Slot::Requests(i, k, col.kind))));
        // An inner group (（三）不予公开 …) stays on one page.
        let inner = r.groups.get(1);
        let keep = inner.is_some() && form_rows.get(i + 1).and_then(|x| x.groups.get(1)) == inner;
        rows.push(row(&g, cells, if keep { Flow::KeepNext } else { Flow::Plain }));
    }
    table(g, rows)
}

/// Section 四: 行政复议 with its five columns over two header rows; 行政诉讼 over
/// 未经复议直接起诉 and 复议后起诉 with five columns each; one row of 15 numbers.
pub(super) fn review_table(form: &Form, slots: &mut Slots) -> Table {
    let per = form.review_columns.len();
    let groups = form.review_groups;
    let g = grid(&[], per * groups.len());
    let (mut top, mut mid, mut low) = (Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < groups.len() {
        match groups[i].parent {
            None => {
                top.push(head(groups[i].label, per));
                mid.extend(form.review_columns.iter().map(|col| restart(col.label, 1, true)));
                low.extend((0..per).map(|_| cont(1)));
                i += 1;
            }
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
        numbers
            .extend(form.review_columns.iter().enumerate().map(|(k, col)| num(slots, Slot::Review(gi, k, col.kind))));
    }
    let rows = vec![
        row(&g, top, Flow::Header),
        row(&g, mid, Flow::Header),
        row(&g, low, Flow::Header),
        row(&g, numbers, Flow::Plain),
    ];
    table(g, rows)
}
