//! The tables of one set as the official form lays them out, walked from `nianbao::form`
//! (never a copied list of labels), in the shape a variant asks for.

use super::grid::{Block, Cell, Key, Table};
use crate::layouts::Data;
use nianbao::form::{self, SectionId};

/// The shapes a variant may give the tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    pub review_transposed: bool,
    pub review_split: bool,
    pub review_list: bool,
    pub active_list: bool,
    /// Table 四's groups and each group's columns in these orders (form indices).
    pub review_order: Option<([usize; 3], [usize; 5])>,
}

fn key(set: u8, table: Table, row: usize, col: usize) -> Option<Key> {
    Some(Key { set, table, row, col })
}

/// Section 二: a heading, then each article's header row and rows; or one long list of
/// (row, column, number).
pub fn active(d: &Data, set: u8, shape: Shape) -> Block {
    let f = d.edition.form();
    let mut b = Block::new(Some(Table::Active));
    b.put(0, 0, Cell::label(form::section(SectionId::Active).heading));
    let mut r = 1;
    let mut i = 0;
    for block in f.active {
        b.put(r, 0, Cell::label(block.heading));
        r += 1;
        if shape.active_list {
            for row in block.rows {
                for (k, c) in block.columns.iter().enumerate() {
                    b.put(r, 0, Cell::label(row.label));
                    b.put(r, 1, Cell::label(c.label));
                    b.put(r, 2, Cell::num(d.active[i][k], key(set, Table::Active, i, k)));
                    r += 1;
                }
                i += 1;
            }
            continue;
        }
        b.put(r, 0, Cell::label(form::ACTIVE_HEADER));
        for (k, c) in block.columns.iter().enumerate() {
            b.put(r, 1 + k, Cell::label(c.label));
        }
        r += 1;
        for row in block.rows {
            b.put(r, 0, Cell::label(row.label));
            for (k, n) in d.active[i].iter().enumerate() {
                b.put(r, 1 + k, Cell::num(*n, key(set, Table::Active, i, k)));
            }
            i += 1;
            r += 1;
        }
    }
    b
}

/// Table 三: group labels in two columns of their own, the row label, seven numbers.
pub fn requests(d: &Data, set: u8) -> Block {
    let f = d.edition.form();
    let mut b = Block::new(Some(Table::Requests));
    let first = 3;
    b.put(0, 0, Cell::label(form::section(SectionId::Requests).heading));
    b.put(1, 0, Cell::label(form::REQUESTS_NOTE));
    b.put(1, first, Cell::label(form::REQUESTS_APPLICANT));
    let cols = f.requests_columns;
    b.put(2, first, Cell::label(cols[0].label));
    b.put(2, first + 1, Cell::label(form::REQUESTS_ORG));
    b.put(2, first + cols.len() - 1, Cell::label(cols[cols.len() - 1].label));
    for (k, c) in cols.iter().enumerate().skip(1).take(cols.len() - 2) {
        b.put(3, first + k, Cell::label(c.label));
    }
    let mut last: &[&str] = &[];
    for (r, (i, row)) in (4..).zip(f.requests_rows.iter().enumerate()) {
        for (level, g) in row.groups.iter().enumerate() {
            if last.get(level) != Some(g) {
                b.put(r, level, Cell::label(g));
            }
        }
        last = row.groups;
        b.put(r, 2, Cell::label(row.label));
        for (k, n) in d.requests[i].iter().enumerate() {
            b.put(r, first + k, Cell::num(*n, key(set, Table::Requests, i, k)));
        }
    }
    b
}

/// Table 四: 行政复议 and the two kinds of 行政诉讼 side by side; or transposed (a row per
/// group); or one long list; or split into a 行政复议 block and a 行政诉讼 block.
pub fn review(d: &Data, set: u8, shape: Shape) -> Block {
    let f = d.edition.form();
    let mut b = Block::new(Some(Table::Review));
    b.put(0, 0, Cell::label(form::section(SectionId::ReviewLitigation).heading));
    let n = f.review_columns.len();
    let num = |g: usize, k: usize| Cell::num(d.review[g][k], key(set, Table::Review, g, k));
    if shape.review_transposed {
        for (k, c) in f.review_columns.iter().enumerate() {
            b.put(1, 2 + k, Cell::label(c.label));
        }
        for (g, group) in f.review_groups.iter().enumerate() {
            let r = 2 + g;
            match group.parent {
                None => b.put(r, 0, Cell::label(group.label)),
                Some(p) => {
                    if g == 1 {
                        b.put(r, 0, Cell::label(p));
                    }
                    b.put(r, 1, Cell::label(group.label));
                }
            }
            for k in 0..n {
                b.put(r, 2 + k, num(g, k));
            }
        }
    } else if shape.review_list {
        // One long list: group (the two of 行政诉讼 as `行政诉讼（…）`), result, number.
        let mut r = 1;
        for (g, group) in f.review_groups.iter().enumerate() {
            let name = group.parent.map_or(group.label.to_string(), |p| format!("{p}（{}）", group.label));
            for (k, c) in f.review_columns.iter().enumerate() {
                b.put(r, 0, Cell::label(&name));
                b.put(r, 1, Cell::label(c.label));
                b.put(r, 2, num(g, k));
                r += 1;
            }
        }
    } else if shape.review_split {
        b.put(1, 0, Cell::label(f.review_groups[0].label));
        for (k, c) in f.review_columns.iter().enumerate() {
            b.put(2, k, Cell::label(c.label));
            b.put(3, k, num(0, k));
        }
        b.put(5, 0, Cell::label(form::REVIEW_LITIGATION));
        for (g, group) in f.review_groups.iter().enumerate().skip(1) {
            let left = (g - 1) * n;
            b.put(6, left, Cell::label(group.label));
            for (k, c) in f.review_columns.iter().enumerate() {
                b.put(7, left + k, Cell::label(c.label));
                b.put(8, left + k, num(g, k));
            }
        }
    } else {
        let (groups, cols) = shape.review_order.unwrap_or(([0, 1, 2], [0, 1, 2, 3, 4]));
        let at = |g: usize| groups.iter().position(|&x| x == g).unwrap_or(g) * n;
        b.put(1, at(0), Cell::label(f.review_groups[0].label));
        b.put(1, at(1).min(at(2)), Cell::label(form::REVIEW_LITIGATION));
        for (g, group) in f.review_groups.iter().enumerate() {
            if g > 0 {
                b.put(2, at(g), Cell::label(group.label));
            }
            for (j, &k) in cols.iter().enumerate() {
                b.put(3, at(g) + j, Cell::label(f.review_columns[k].label));
                b.put(4, at(g) + j, num(g, k));
            }
        }
    }
    b
}
