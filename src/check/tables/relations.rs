//! Table 三's relations and the search for the one cell whose correction repairs them.

use crate::form::{Edition, Form, ReqCol};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A relation of table 三: a sum of cells with coefficients ±1 that must be 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rel {
    /// 总计 − Σ applicants, in a row.
    Row(usize),
    /// （七）总计 − Σ result rows, in a column.
    Sum(usize),
    /// 一 + 二 − （七）总计 − 四, in a column.
    Bal(usize),
}

/// The roles of table 三's rows, taken from the form.
pub(super) struct Layout {
    pub(super) rows: usize,
    pub(super) cols: usize,
    /// The 总计 column.
    pub(super) total: usize,
    pub(super) result_total: usize,
    pub(super) results: Vec<usize>,
    /// Rows added on the left of the balance (一, 二) and subtracted on the right (四).
    pub(super) bal_plus: Vec<usize>,
    pub(super) bal_minus: Vec<usize>,
    /// The terms of every relation, in the order of `rels()`, computed once: the reasoning
    /// below asks for them thousands of times.
    cache: Vec<Vec<(usize, usize, i8)>>,
    /// The relations each cell takes part in, with its coefficient, by row and column.
    incidence: Vec<Vec<Vec<(Rel, i8)>>>,
}

impl Layout {
    /// An edition's layout, made once a process: it depends on the form only, and making
    /// it cost more than checking a report whose table 三 holds.
    pub(super) fn of(edition: Edition) -> &'static Layout {
        static LAYOUTS: [OnceLock<Layout>; 2] = [OnceLock::new(), OnceLock::new()];
        let i = match edition {
            Edition::E2019 => 0,
            Edition::E2021 => 1,
        };
        LAYOUTS[i].get_or_init(|| Layout::new(edition.form()))
    }

    pub(super) fn new(form: &Form) -> Layout {
        let rows = form.requests_rows;
        // Positions found when the forms were compiled: every edition has these rows.
        let at = form.requests_at;
        let result_total = at.result_total;
        // Result rows share the outer group of （七）总计 (三、本年度办理结果).
        let outer = rows[result_total].groups.first();
        let results: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| *i != result_total && r.groups.first() == outer)
            .map(|(i, _)| i)
            .collect();
        let mut l = Layout {
            rows: rows.len(),
            cols: form.requests_columns.len(),
            total: ReqCol::Total.index(),
            result_total,
            results,
            bal_plus: vec![at.new_received, at.carried_over],
            bal_minus: vec![at.carried_forward],
            cache: Vec::new(),
            incidence: Vec::new(),
        };
        l.cache = l.rels().into_iter().map(|rel| l.compute_terms(rel)).collect();
        let mut incidence = vec![vec![Vec::new(); l.cols]; l.rows];
        for rel in l.rels() {
            for &(r, c, k) in l.terms(rel) {
                incidence[r][c].push((rel, k));
            }
        }
        l.incidence = incidence;
        l
    }

    pub(super) fn rels(&self) -> Vec<Rel> {
        let mut v: Vec<Rel> = (0..self.rows).map(Rel::Row).collect();
        v.extend((0..self.cols).map(Rel::Sum));
        v.extend((0..self.cols).map(Rel::Bal));
        v
    }

    /// The cells of a relation with their coefficients.
    pub(super) fn terms(&self, rel: Rel) -> &[(usize, usize, i8)] {
        let i = match rel {
            Rel::Row(r) => r,
            Rel::Sum(c) => self.rows + c,
            Rel::Bal(c) => self.rows + self.cols + c,
        };
        self.cache.get(i).map_or(&[], |x| x.as_slice())
    }

    fn compute_terms(&self, rel: Rel) -> Vec<(usize, usize, i8)> {
        match rel {
            Rel::Row(r) => (0..self.cols).map(|c| (r, c, if c == self.total { 1 } else { -1 })).collect(),
            Rel::Sum(c) => {
                std::iter::once((self.result_total, c, 1)).chain(self.results.iter().map(|&r| (r, c, -1))).collect()
            }
            Rel::Bal(c) => self
                .bal_plus
                .iter()
                .map(|&r| (r, c, 1))
                .chain(std::iter::once((self.result_total, c, -1)))
                .chain(self.bal_minus.iter().map(|&r| (r, c, -1)))
                .collect(),
        }
    }

    pub(super) fn in_total_column(&self, rel: Rel) -> bool {
        matches!(rel, Rel::Sum(c) | Rel::Bal(c) if c == self.total)
    }
}

/// The figures of table 三 being reasoned about; `None` where the cell is not a number.
pub(super) type Grid = Vec<Vec<Option<Decimal>>>;

fn residual(l: &Layout, g: &Grid, rel: Rel) -> Option<Decimal> {
    let mut sum = Decimal::ZERO;
    for &(r, c, k) in l.terms(rel) {
        let v = (*g.get(r)?.get(c)?)?;
        sum += if k > 0 { v } else { -v };
    }
    Some(sum)
}

pub(super) fn failing(l: &Layout, g: &Grid, rels: &[Rel]) -> BTreeSet<Rel> {
    rels.iter().copied().filter(|&rel| residual(l, g, rel).is_some_and(|x| !x.is_zero())).collect()
}

/// A correction that repairs every relation in `rels`: one cell changed by `delta`, or
/// (`with_total`) a cell and its row's 总计 both changed by `delta` — a 总计 summed by
/// formula carries a mistake typed in its row into the 总计 column.
pub(super) struct Culprit {
    pub(super) row: usize,
    pub(super) col: usize,
    pub(super) delta: Decimal,
    pub(super) with_total: bool,
    /// The cell's row fails by more than this correction: another cell of the row is wrong
    /// too, and is left to a further finding.
    pub(super) row_open: bool,
    pub(super) rels: BTreeSet<Rel>,
}

/// The kinds of correction looked for, in this order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// One cell repairs every relation it takes part in.
    Single,
    /// A cell and its row's 总计 together.
    WithTotal,
    /// One cell repairs its column's relations; its row fails, but by another amount.
    RowOpen,
}

/// The correction at `(r, c)` (with its row's 总计 when `with_total`) if it alone repairs
/// relations of `scope`: every relation it touches fails by the same amount, and a relation
/// it touches twice (the row, where the two changes cancel) holds.
fn explain(
    l: &Layout,
    g: &Grid,
    scope: &[Rel],
    fail: &BTreeMap<Rel, Decimal>,
    r: usize,
    c: usize,
    mode: Mode,
) -> Option<Culprit> {
    let with_total = mode == Mode::WithTotal;
    let cells: &[(usize, usize)] = if with_total { &[(r, c), (r, l.total)] } else { &[(r, c)] };
    if cells.iter().any(|&(i, j)| g[i][j].is_none()) {
        return None;
    }
    // The relations of `scope` the cells take part in, with their summed coefficients.
    let mut touched: Vec<(Rel, i32)> = Vec::new();
    for &(i, j) in cells {
        for &(rel, k) in &l.incidence[i][j] {
            if !scope.contains(&rel) {
                continue;
            }
            match touched.iter_mut().find(|t| t.0 == rel) {
                Some(t) => t.1 += i32::from(k),
                None => touched.push((rel, i32::from(k))),
            }
        }
    }
    let mut rels = BTreeSet::new();
    let mut delta: Option<Decimal> = None;
    for (rel, k) in touched {
        let res = fail.get(&rel);
        if mode == Mode::RowOpen && matches!(rel, Rel::Row(_)) {
            res?;
            rels.insert(rel);
            continue;
        }
        if k == 0 {
            if res.is_some() {
                return None;
            }
            continue;
        }
        let &x = res?;
        let d = if k > 0 { x } else { -x };
        if delta.is_some_and(|y| y != d) {
            return None;
        }
        delta = Some(d);
        rels.insert(rel);
    }
    Some(Culprit { row: r, col: c, delta: delta?, with_total, row_open: mode == Mode::RowOpen, rels })
}

/// Corrections that alone explain failing relations, among the relations `scope`. One is
/// accepted only when no other candidate explains an overlapping set as well or better,
/// so an ambiguous pattern is never pinned on a guess.
pub(super) fn culprits(l: &Layout, g: &Grid, scope: &[Rel], cols: &[usize], mode: Mode) -> Vec<Culprit> {
    // The failing relations with their residuals.
    let fail: BTreeMap<Rel, Decimal> =
        scope.iter().filter_map(|&rel| residual(l, g, rel).filter(|x| !x.is_zero()).map(|x| (rel, x))).collect();
    let mut cands: Vec<Culprit> = Vec::new();
    for r in 0..l.rows {
        for &c in cols {
            cands.extend(explain(l, g, scope, &fail, r, c, mode));
        }
    }
    // With the row left open, two cells of one row may each explain their own column:
    // compare the column relations only.
    let judged = |x: &Culprit| -> BTreeSet<Rel> {
        x.rels.iter().copied().filter(|rel| !(x.row_open && matches!(rel, Rel::Row(_)))).collect()
    };
    let sets: Vec<BTreeSet<Rel>> = cands.iter().map(judged).collect();
    let dominant = |i: usize, x: &BTreeSet<Rel>| {
        sets.iter().enumerate().all(|(j, y)| i == j || x.is_disjoint(y) || (y.is_subset(x) && y.len() < x.len()))
    };
    let keep: Vec<bool> = sets.iter().enumerate().map(|(i, x)| dominant(i, x)).collect();
    cands.into_iter().zip(keep).filter(|(_, k)| *k).map(|(x, _)| x).collect()
}

/// Applies a correction to the grid being reasoned about.
pub(super) fn apply(l: &Layout, g: &mut Grid, x: &Culprit) {
    let mut cells = vec![(x.row, x.col)];
    if x.with_total {
        cells.push((x.row, l.total));
    }
    for (i, j) in cells {
        if let Some(v) = g[i][j].as_mut() {
            *v -= x.delta;
        }
    }
}
