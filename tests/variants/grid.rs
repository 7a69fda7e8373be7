//! The generator's workbook before it is written: blocks of cells that know which true
//! number each holds, placed on sheets, then written as xlsx with formulas resolved to the
//! cells their terms ended up in.

use rust_xlsxwriter::{Chart, ChartType, Formula, Workbook, Worksheet};
use std::collections::HashMap;

/// Which table a true number belongs to, in the order of the report's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Active,
    Requests,
    Review,
}

impl Table {
    pub fn zh(self) -> &'static str {
        match self {
            Table::Active => "二",
            Table::Requests => "三",
            Table::Review => "四",
        }
    }
}

/// One number of one set of tables: set 0 is the report, 1 last year's, 2 another agency's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub set: u8,
    pub table: Table,
    pub row: usize,
    pub col: usize,
}

/// What a cell holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum V {
    #[default]
    Empty,
    Text(String),
    Num(i64),
    /// A formula: the signed sum of the numbers it names, with their value as its result.
    Formula(Vec<(i64, Key)>, i64),
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub v: V,
    /// The true number this cell holds, if it holds one.
    pub key: Option<Key>,
    /// A label of the form (row, column, group or table heading), not a title or a note.
    pub label: bool,
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        Cell { v: V::Text(s.to_string()), ..Cell::default() }
    }
    pub fn label(s: &str) -> Cell {
        Cell { v: V::Text(s.to_string()), label: true, key: None }
    }
    pub fn num(n: i64, key: Option<Key>) -> Cell {
        Cell { v: V::Num(n), key, label: false }
    }
}

/// A rectangle of cells (rows may be short: the rest is empty).
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub rows: Vec<Vec<Cell>>,
    /// The table it shows, if any (titles and headings have none).
    pub table: Option<Table>,
}

impl Block {
    pub fn new(table: Option<Table>) -> Self {
        Block { rows: Vec::new(), table }
    }

    pub fn put(&mut self, r: usize, c: usize, cell: Cell) {
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            row.resize_with(c + 1, Cell::default);
        }
        row[c] = cell;
    }

    pub fn get(&self, r: usize, c: usize) -> Option<&Cell> {
        self.rows.get(r).and_then(|row| row.get(c))
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Where a true number stands.
    pub fn find(&self, pred: impl Fn(&Key) -> bool) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if cell.key.as_ref().is_some_and(&pred) {
                    out.push((r, c));
                }
            }
        }
        out
    }

    pub fn insert_col(&mut self, at: usize) {
        for row in &mut self.rows {
            if row.len() > at {
                row.insert(at, Cell::default());
            }
        }
    }

    pub fn insert_row(&mut self, at: usize) {
        self.rows.insert(at.min(self.rows.len()), Vec::new());
    }

    /// Every cell, mutably.
    pub fn cells_mut(&mut self) -> impl Iterator<Item = &mut Cell> {
        self.rows.iter_mut().flat_map(|r| r.iter_mut())
    }
}

/// A sheet: blocks at (row, column), or a chart sheet.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub chart: bool,
    pub blocks: Vec<(u32, u16, Block)>,
    /// Columns hidden.
    pub hidden_cols: Vec<u16>,
}

impl Sheet {
    pub fn new(name: &str) -> Self {
        Sheet { name: name.to_string(), ..Sheet::default() }
    }

    /// The first free row below every block.
    pub fn bottom(&self) -> u32 {
        self.blocks.iter().map(|(r, _, b)| r + b.rows.len() as u32).max().unwrap_or(0)
    }

    /// Adds a block below the others, `gap` rows down and `left` columns in.
    pub fn push(&mut self, gap: u32, left: u16, b: Block) {
        let top = if self.blocks.is_empty() { gap } else { self.bottom() + gap };
        self.blocks.push((top, left, b));
    }
}

/// Where a cell is in the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub sheet: String,
    pub row: u32,
    pub col: u16,
}

impl Pos {
    pub fn a1(&self) -> String {
        format!("{}{}", letters(self.col), self.row + 1)
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}!{}", self.sheet, self.a1())
    }
}

pub fn letters(c: u16) -> String {
    let mut s = String::new();
    nianbao::cell::push_column_letters(&mut s, u32::from(c)).expect("letters");
    s
}

/// Where each true number was written.
pub fn positions(sheets: &[Sheet]) -> HashMap<Key, Pos> {
    let mut out = HashMap::new();
    for s in sheets {
        for (top, left, b) in &s.blocks {
            for (r, row) in b.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    if let Some(k) = cell.key {
                        let pos = Pos { sheet: s.name.clone(), row: top + r as u32, col: left + c as u16 };
                        out.entry(k).or_insert(pos);
                    }
                }
            }
        }
    }
    out
}

/// A formula's text: `=SUM(D8:I8)` when its terms are one run of a row or column, else
/// `=D8+D9-D30`; a term on another sheet is named with it.
fn formula_text(terms: &[(i64, Key)], at: &str, pos: &HashMap<Key, Pos>) -> Option<String> {
    let ps: Vec<(i64, &Pos)> = terms.iter().map(|(s, k)| pos.get(k).map(|p| (*s, p))).collect::<Option<_>>()?;
    let name = |p: &Pos| if p.sheet == at { p.a1() } else { format!("'{}'!{}", p.sheet, p.a1()) };
    let all_plus = ps.iter().all(|(s, _)| *s > 0);
    let same_sheet = ps.iter().all(|(_, p)| p.sheet == ps[0].1.sheet);
    if all_plus && same_sheet && ps.len() > 2 {
        let (f, l) = (ps[0].1, ps[ps.len() - 1].1);
        let row_run = ps.iter().enumerate().all(|(i, (_, p))| p.row == f.row && p.col == f.col + i as u16);
        let col_run = ps.iter().enumerate().all(|(i, (_, p))| p.col == f.col && p.row == f.row + i as u32);
        if row_run || col_run {
            let range = if f.sheet == at {
                format!("{}:{}", f.a1(), l.a1())
            } else {
                format!("'{}'!{}:{}", f.sheet, f.a1(), l.a1())
            };
            return Some(format!("=SUM({range})"));
        }
    }
    let mut s = String::from("=");
    for (i, (sign, p)) in ps.iter().enumerate() {
        if *sign < 0 {
            s.push('-');
        } else if i > 0 {
            s.push('+');
        }
        s.push_str(&name(p));
    }
    Some(s)
}

/// The workbook as xlsx bytes. `uncached`: formulas saved without their results.
///
/// Written by the project's own direct writer (a tenth of the time in a debug build), or by
/// rust_xlsxwriter where the workbook needs what that writer leaves out: hidden sheets and
/// columns, chart sheets, formulas without results.
pub fn write_xlsx(sheets: &[Sheet], uncached: bool) -> Vec<u8> {
    if uncached || sheets.iter().any(|s| s.hidden || s.chart || !s.hidden_cols.is_empty()) {
        write_full(sheets, uncached)
    } else {
        write_direct(sheets)
    }
}

/// The cells of every sheet with their place: `(sheet, row, col, cell)`.
fn placed(sheets: &[Sheet]) -> impl Iterator<Item = (&Sheet, u32, u16, &Cell)> {
    sheets.iter().flat_map(|s| {
        s.blocks.iter().flat_map(move |(top, left, b)| {
            b.rows.iter().enumerate().flat_map(move |(r, row)| {
                row.iter().enumerate().map(move |(c, cell)| (s, top + r as u32, left + c as u16, cell))
            })
        })
    })
}

fn write_direct(sheets: &[Sheet]) -> Vec<u8> {
    use nianbao::write::sheet::{Sheet as _, Style};
    let pos = positions(sheets);
    let mut book = nianbao::write::xlsx::Book::new();
    for s in sheets {
        let ws = book.sheet(&s.name);
        for (_, r, c, cell) in placed(std::slice::from_ref(s)) {
            match &cell.v {
                V::Empty => {}
                V::Text(t) => ws.plain(r, c, t).expect("text"),
                V::Num(n) => ws.plain_number(r, c, *n as f64).expect("number"),
                V::Formula(terms, result) => match formula_text(terms, &s.name, &pos) {
                    Some(f) => ws.formula(r, c, &f[1..], *result as f64, &Style::DEFAULT).expect("formula"),
                    None => ws.plain_number(r, c, *result as f64).expect("number"),
                },
            }
        }
    }
    book.save().expect("save")
}

fn write_full(sheets: &[Sheet], uncached: bool) -> Vec<u8> {
    let pos = positions(sheets);
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    let data_sheet = sheets.iter().find(|s| !s.chart && !s.blocks.is_empty()).map(|s| s.name.clone());
    let first_visible = sheets.iter().position(|s| !s.hidden && !s.chart);
    for (i, s) in sheets.iter().enumerate() {
        if s.chart {
            let mut ws = Worksheet::new_chartsheet();
            ws.set_name(&s.name).expect("name");
            let mut chart = Chart::new(ChartType::Column);
            if let Some(d) = &data_sheet {
                chart.add_series().set_values((d.as_str(), 5, 3, 10, 3));
            }
            ws.insert_chart(0, 0, &chart).expect("chart");
            wb.push_worksheet(ws);
            continue;
        }
        let mut ws = Worksheet::new();
        ws.set_name(&s.name).expect("name");
        ws.set_hidden(s.hidden);
        for &c in &s.hidden_cols {
            ws.set_column_hidden(c).expect("hide column");
        }
        if Some(i) == first_visible {
            ws.set_active(true);
        }
        for (top, left, b) in &s.blocks {
            for (r, row) in b.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (top + r as u32, left + c as u16);
                    match &cell.v {
                        V::Empty => {}
                        V::Text(t) => {
                            ws.write_string(r, c, t).expect("text");
                        }
                        V::Num(n) => {
                            ws.write_number(r, c, *n as f64).expect("number");
                        }
                        V::Formula(terms, result) => match formula_text(terms, &s.name, &pos) {
                            Some(f) => {
                                let f = if uncached {
                                    Formula::new(f)
                                } else {
                                    Formula::new(f).set_result(result.to_string())
                                };
                                ws.write_formula(r, c, f).expect("formula");
                            }
                            None => {
                                ws.write_number(r, c, *result as f64).expect("number");
                            }
                        },
                    }
                }
            }
        }
        wb.push_worksheet(ws);
    }
    let bytes = wb.save_to_buffer().expect("save");
    if uncached {
        crate::layouts::uncache_formulas(&bytes)
    } else {
        bytes
    }
}
