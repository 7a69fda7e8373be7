//! The official tables of sections 二–四, drawn from the form's description in `form.rs`
//! with the report's values, as the national form prints them.

use super::table::{self, cell, cont, grid, head, restart, row, Cell, Flow};
use crate::form::{self, Form, Kind};
use crate::model::{Report, Value};
use crate::write::ooxml::Xml;
use std::borrow::Cow;

/// A number cell: the value as the report shows it (`0` where the report has no cell).
fn number(values: &[Vec<Value>], row: usize, col: usize, kind: Kind) -> Cell<'static> {
    let text = match values.get(row).and_then(|r| r.get(col)) {
        Some(v) => Cow::Owned(v.display(kind)),
        None => Cow::Borrowed("0"),
    };
    cell(text, 1, true)
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
    let g = grid(&[600, 900, 1885], n);
    table::start(x, &g);
    let natural = cols[0].label;
    let total = cols[n - 1].label;
    row(x, &g, &[restart(form::REQUESTS_NOTE, 3, true), head(form::REQUESTS_APPLICANT, n)], Flow::Header);
    row(
        x,
        &g,
        &[cont(3), restart(natural, 1, true), head(form::REQUESTS_ORG, n - 2), restart(total, 1, true)],
        Flow::Header,
    );
    let mut third = vec![cont(3), cont(1)];
    third.extend(cols[1..n - 1].iter().map(|col| head(col.label, 1)));
    third.push(cont(1));
    row(x, &g, &third, Flow::Header);

    let rows = form.requests_rows;
    for (i, r) in rows.iter().enumerate() {
        // A group's label shows in its first row and is merged down over the others.
        let group = |level: usize, label: &'static str| {
            let first = i == 0 || rows[i - 1].groups.get(level) != r.groups.get(level);
            if first {
                restart(label, 1, true)
            } else {
                cont(1)
            }
        };
        let mut cells = match r.groups {
            [] => vec![cell(r.label, 3, false)],
            [outer] => vec![group(0, outer), cell(r.label, 2, false)],
            [outer, inner, ..] => vec![group(0, outer), group(1, inner), cell(r.label, 1, false)],
        };
        cells.extend(cols.iter().enumerate().map(|(k, col)| number(&report.requests, i, k, col.kind)));
        let inner = r.groups.get(1);
        let keep = inner.is_some() && rows.get(i + 1).and_then(|next| next.groups.get(1)) == inner;
        row(x, &g, &cells, if keep { Flow::KeepNext } else { Flow::Plain });
    }
    table::end(x);
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
