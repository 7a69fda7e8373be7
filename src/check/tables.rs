//! The 勾稽关系 of tables 三 and 四: T3-ROW-TOTAL, T3-RESULT-TOTAL, T3-BALANCE, T4-TOTAL.
//! One mistake often breaks several relations at once (a wrong 总计 breaks its row and its
//! column); the cell whose change repairs all of them is reported once instead.

use super::rules::{self, Rule};
use crate::cell::CellRef;
use crate::finding::Finding;
use crate::form::{Form, ReqCol, ReviewCol, SectionId};
use crate::model::Report;
use crate::number::text as fmt;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// A relation of table 三: a sum of cells with coefficients ±1 that must be 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rel {
    /// 总计 − Σ applicants, in a row.
    Row(usize),
    /// （七）总计 − Σ result rows, in a column.
    Sum(usize),
    /// 一 + 二 − （七）总计 − 四, in a column.
    Bal(usize),
}

/// The roles of table 三's rows, taken from the form.
struct Layout {
    rows: usize,
    cols: usize,
    /// The 总计 column.
    total: usize,
    result_total: usize,
    results: Vec<usize>,
    /// Rows added on the left of the balance (一, 二) and subtracted on the right (四).
    bal_plus: Vec<usize>,
    bal_minus: Vec<usize>,
    /// The terms of every relation, in the order of `rels()`, computed once: the reasoning
    /// below asks for them thousands of times.
    cache: Vec<Vec<(usize, usize, i8)>>,
    /// The relations each cell takes part in, with its coefficient, by row and column.
    incidence: Vec<Vec<Vec<(Rel, i8)>>>,
}

impl Layout {
    fn new(form: &Form) -> Layout {
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

    fn rels(&self) -> Vec<Rel> {
        let mut v: Vec<Rel> = (0..self.rows).map(Rel::Row).collect();
        v.extend((0..self.cols).map(Rel::Sum));
        v.extend((0..self.cols).map(Rel::Bal));
        v
    }

    /// The cells of a relation with their coefficients.
    fn terms(&self, rel: Rel) -> &[(usize, usize, i8)] {
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

    fn in_total_column(&self, rel: Rel) -> bool {
        matches!(rel, Rel::Sum(c) | Rel::Bal(c) if c == self.total)
    }
}

/// The figures of table 三 being reasoned about; `None` where the cell is not a number.
type Grid = Vec<Vec<Option<Decimal>>>;

fn residual(l: &Layout, g: &Grid, rel: Rel) -> Option<Decimal> {
    let mut sum = Decimal::ZERO;
    for &(r, c, k) in l.terms(rel) {
        let v = (*g.get(r)?.get(c)?)?;
        sum += if k > 0 { v } else { -v };
    }
    Some(sum)
}

fn failing(l: &Layout, g: &Grid, rels: &[Rel]) -> BTreeSet<Rel> {
    rels.iter().copied().filter(|&rel| residual(l, g, rel).is_some_and(|x| !x.is_zero())).collect()
}

/// A correction that repairs every relation in `rels`: one cell changed by `delta`, or
/// (`with_total`) a cell and its row's 总计 both changed by `delta` — a 总计 summed by
/// formula carries a mistake typed in its row into the 总计 column.
struct Culprit {
    row: usize,
    col: usize,
    delta: Decimal,
    with_total: bool,
    /// The cell's row fails by more than this correction: another cell of the row is wrong
    /// too, and is left to a further finding.
    row_open: bool,
    rels: BTreeSet<Rel>,
}

/// The kinds of correction looked for, in this order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
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
fn culprits(l: &Layout, g: &Grid, scope: &[Rel], cols: &[usize], mode: Mode) -> Vec<Culprit> {
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
fn apply(l: &Layout, g: &mut Grid, x: &Culprit) {
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

/// Adds every cell of `rel` to a finding's related cells, so the finding covers it.
fn cover(f: &mut Finding, cells: Vec<CellRef>) {
    for c in cells {
        if f.cell.as_ref() != Some(&c) && !f.related.contains(&c) {
            f.related.push(c);
        }
    }
}

/// Whether a finding's cell and related cells hold every cell of a relation.
fn covers(f: &Finding, cells: &[CellRef]) -> bool {
    cells.iter().all(|c| f.cell.as_ref() == Some(c) || f.related.contains(c))
}

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    check_requests(r, out);
    check_review(r, out);
}

/// T3-ROW-TOTAL, T3-RESULT-TOTAL, T3-BALANCE with the reasoning that reports one mistake
/// once. Every failing relation ends covered by an error finding (its cell or related
/// cells hold all of the relation's cells), so a second mistake is never hidden.
fn check_requests(r: &Report, out: &mut Vec<Finding>) {
    let form = r.form();
    let l = Layout::new(form);
    let mut g: Grid = vec![vec![None; l.cols]; l.rows];
    for n in r.cells().filter(|n| n.section == SectionId::Requests) {
        if let Some(x) = g.get_mut(n.at.0).and_then(|row| row.get_mut(n.at.1)) {
            *x = n.value.num;
        }
    }
    let all = l.rels();
    let fail0 = failing(&l, &g, &all);
    if fail0.is_empty() {
        return;
    }
    let original = g.clone();
    let cell = |row: usize, col: usize| r.requests.get(row).and_then(|x| x.get(col)).and_then(|v| v.cell.clone());
    let cells_of = |rel: Rel, skip: (usize, usize)| -> Vec<CellRef> {
        l.terms(rel).iter().filter(|t| (t.0, t.1) != skip).filter_map(|t| cell(t.0, t.1)).collect()
    };
    let all_cells = |rel: Rel| cells_of(rel, (usize::MAX, usize::MAX));
    let all_cols: Vec<usize> = (0..l.cols).collect();
    let comp_cols: Vec<usize> = (0..l.cols).filter(|&c| c != l.total).collect();
    let mut found: Vec<Finding> = Vec::new();

    // Peel off corrections while some are certain, simplest first: a single cell that
    // explains failures across rows and columns; a cell and its row's 总计 wrong by the
    // same amount (the 总计 summed by formula: the row holds, the cell's column and the
    // 总计 column fail alike); a cell that explains its column when its row has a second
    // mistake. Each correction repairs only relations that failed, so this ends.
    'peel: loop {
        for (mode, cols) in [(Mode::Single, &all_cols), (Mode::WithTotal, &comp_cols), (Mode::RowOpen, &all_cols)] {
            let xs = culprits(&l, &g, &all, cols, mode);
            if xs.is_empty() {
                continue;
            }
            for x in xs {
                found.push(culprit_finding(r, &l, &x, &g, &cells_of, None));
                apply(&l, &mut g, &x);
            }
            continue 'peel;
        }
        break;
    }

    let rows_failing: Vec<usize> =
        failing(&l, &g, &all).iter().filter_map(|rel| if let Rel::Row(i) = rel { Some(*i) } else { None }).collect();
    let comp_rels: Vec<Rel> = comp_cols.iter().flat_map(|&c| [Rel::Sum(c), Rel::Bal(c)]).collect();
    let total_rels = [Rel::Sum(l.total), Rel::Bal(l.total)];

    if rows_failing.is_empty() {
        // Every 总计 is the sum of its row, so each failure of the 总计 column is the sum of
        // the applicant columns' failures of the same relation: report those, each naming
        // the 总计 column's relation too.
        let total_fails = failing(&l, &g, &total_rels);
        let same_kind = |a: Rel, b: Rel| matches!((a, b), (Rel::Sum(_), Rel::Sum(_)) | (Rel::Bal(_), Rel::Bal(_)));
        let mut fixes: Vec<Culprit> = culprits(&l, &g, &comp_rels, &comp_cols, Mode::Single);
        for x in fixes.iter_mut() {
            // Its row's 总计 must follow the corrected cells of its row.
            x.with_total = true;
        }
        for x in &fixes {
            let row_delta: Decimal = fixes.iter().filter(|y| y.row == x.row).map(|y| y.delta).sum();
            let total_expected = g[x.row][l.total].map(|t| t - row_delta);
            let mut f = culprit_finding(r, &l, x, &g, &cells_of, total_expected);
            for &t in &total_fails {
                if x.rels.iter().any(|&rel| same_kind(rel, t)) {
                    cover(&mut f, all_cells(t));
                }
            }
            found.push(f);
        }
        for x in &fixes {
            if let Some(v) = g[x.row][x.col].as_mut() {
                *v -= x.delta;
            }
        }
        for rel in failing(&l, &g, &comp_rels) {
            let mut f = plain_finding(r, &l, rel, &g, &cells_of);
            for &t in &total_fails {
                if same_kind(rel, t) {
                    cover(&mut f, all_cells(t));
                    let (e, x) = sides(&l, &g, t);
                    let (e, x) = (fmt(e), fmt(x));
                    f.message.push_str(&match t {
                        Rel::Sum(_) => format!(
                            "；“总计”列也因此不符：（一）至（六）各项办理结果之和（{e}）不等于（七）总计（{x}）"
                        ),
                        _ => format!("；“总计”列也因此不符：第一项加第二项之和（{e}）不等于第三项加第四项之和（{x}）"),
                    });
                }
            }
            found.push(f);
        }
    } else if (0..l.rows).all(|i| comp_cols.iter().all(|&c| original[i][c].is_none_or(|n| n.is_zero()))) {
        // Only 总计 was filled: one finding says so, then the 总计 column on its own.
        let first = rows_failing[0];
        let mut f = plain_finding(r, &l, Rel::Row(first), &g, &cells_of);
        f.message = format!(
            "表三只填写了“总计”列，自然人、法人或其他组织各列均为空或 0：请按申请人类型分列填写（共 {} 行的总计与各列之和不符）",
            rows_failing.len()
        );
        f.related = rows_failing[1..].iter().filter_map(|&i| cell(i, l.total)).collect();
        for &i in &rows_failing {
            cover(&mut f, all_cells(Rel::Row(i)));
        }
        found.push(f);
        for rel in failing(&l, &g, &total_rels) {
            found.push(plain_finding(r, &l, rel, &g, &cells_of));
        }
    } else if failing(&l, &g, &comp_rels).is_empty() {
        // The applicant columns agree with each other, so the 总计 cells are what is wrong;
        // correcting them also repairs the 总计 column, so each names its column too.
        let total_fails = failing(&l, &g, &total_rels);
        for &i in &rows_failing {
            let mut f = plain_finding(r, &l, Rel::Row(i), &g, &cells_of);
            f.message.push_str("；各申请人列的勾稽关系均相符，应改正本行“总计”");
            for &t in &total_fails {
                if l.terms(t).iter().any(|x| (x.0, x.1) == (i, l.total)) {
                    cover(&mut f, all_cells(t));
                }
            }
            found.push(f);
        }
    } else {
        let row_cells: Vec<CellRef> = rows_failing.iter().filter_map(|&i| cell(i, l.total)).collect();
        for rel in failing(&l, &g, &all) {
            let mut f = plain_finding(r, &l, rel, &g, &cells_of);
            if l.in_total_column(rel) {
                f.related.extend(row_cells.iter().cloned());
            }
            found.push(f);
        }
    }

    // Whatever the reasoning above, no failing relation goes unreported.
    for rel in fail0 {
        let cells = all_cells(rel);
        if !found.iter().any(|f| covers(f, &cells)) {
            found.push(plain_finding(r, &l, rel, &original, &cells_of));
        }
    }
    out.extend(found);
}

fn rule_of(rel: Rel) -> &'static Rule {
    match rel {
        Rel::Row(_) => &rules::T3_ROW_TOTAL,
        Rel::Sum(_) => &rules::T3_RESULT_TOTAL,
        Rel::Bal(_) => &rules::T3_BALANCE,
    }
}

/// The two sides of a relation as the messages state them: (expected, found), and the
/// cell the formats name for it.
fn sides(l: &Layout, g: &Grid, rel: Rel) -> (Decimal, Decimal) {
    let v = |row: usize, col: usize| g[row][col].unwrap_or_default();
    match rel {
        Rel::Row(i) => ((0..l.cols).filter(|&c| c != l.total).map(|c| v(i, c)).sum(), v(i, l.total)),
        Rel::Sum(c) => (l.results.iter().map(|&i| v(i, c)).sum(), v(l.result_total, c)),
        Rel::Bal(c) => (
            l.bal_plus.iter().map(|&i| v(i, c)).sum(),
            v(l.result_total, c) + l.bal_minus.iter().map(|&i| v(i, c)).sum::<Decimal>(),
        ),
    }
}

/// The finding of one failing relation, at the cell the formats name for it.
fn plain_finding(
    r: &Report,
    l: &Layout,
    rel: Rel,
    g: &Grid,
    cells_of: &dyn Fn(Rel, (usize, usize)) -> Vec<CellRef>,
) -> Finding {
    let form = r.form();
    let at = |row: usize, col: usize| r.requests.get(row).and_then(|x| x.get(col)).and_then(|v| v.cell.clone());
    let (expected, found) = sides(l, g, rel);
    let (e, x) = (fmt(expected), fmt(found));
    let (cell_pos, message) = match rel {
        Rel::Row(i) => (
            (i, l.total),
            format!("“{}”行：自然人与法人或其他组织各列之和（{e}）应等于总计（{x}）", form.requests_rows[i].label),
        ),
        Rel::Sum(c) => (
            (l.result_total, c),
            format!(
                "“{}”列：（一）至（六）各项办理结果之和（{e}）应等于（七）总计（{x}）",
                form.requests_columns[c].label
            ),
        ),
        Rel::Bal(c) => (
            (l.result_total, c),
            format!("“{}”列：第一项加第二项之和（{e}）应等于第三项加第四项之和（{x}）", form.requests_columns[c].label),
        ),
    };
    rule_of(rel).finding(at(cell_pos.0, cell_pos.1), message).related(cells_of(rel, cell_pos)).compare(expected, found)
}

/// What a relation says, for messages.
fn relation_name(rel: Rel) -> &'static str {
    match rel {
        Rel::Row(_) => "总计等于各列之和",
        Rel::Sum(_) => "（七）总计等于各项办理结果之和",
        Rel::Bal(_) => "第一项加第二项之和等于第三项加第四项之和",
    }
}

/// The one finding for a correction that repairs every relation it breaks; its message
/// names every cell that must change and the value it should hold. `total_expected` is
/// what the row's 总计 should become when other corrections share its row.
fn culprit_finding(
    r: &Report,
    l: &Layout,
    x: &Culprit,
    g: &Grid,
    cells_of: &dyn Fn(Rel, (usize, usize)) -> Vec<CellRef>,
    total_expected: Option<Decimal>,
) -> Finding {
    let form = r.form();
    let at = |row: usize, col: usize| r.requests.get(row).and_then(|v| v.get(col)).and_then(|v| v.cell.clone());
    let found = g[x.row][x.col].unwrap_or_default();
    let expected = found - x.delta;
    let rule = if x.row == l.result_total && x.col != l.total {
        &rules::T3_RESULT_TOTAL
    } else if !x.row_open && x.rels.iter().any(|rel| matches!(rel, Rel::Row(_))) {
        &rules::T3_ROW_TOTAL
    } else {
        x.rels.iter().find(|rel| !matches!(rel, Rel::Row(_))).map_or(&rules::T3_RESULT_TOTAL, |rel| rule_of(*rel))
    };
    let counted: Vec<Rel> = x.rels.iter().copied().filter(|rel| !(x.row_open && matches!(rel, Rel::Row(_)))).collect();
    // The same relation of the cell's column and of the 总计 column is named once.
    let also_total = |rel: Rel| match rel {
        Rel::Sum(_) => x.with_total && counted.contains(&Rel::Sum(l.total)),
        Rel::Bal(_) => x.with_total && counted.contains(&Rel::Bal(l.total)),
        Rel::Row(_) => false,
    };
    let names: Vec<String> = counted
        .iter()
        .filter_map(|&rel| match rel {
            Rel::Row(_) => Some(format!("本行{}", relation_name(rel))),
            Rel::Sum(c) | Rel::Bal(c) if c == x.col && also_total(rel) => {
                Some(format!("本列和“总计”列的{}", relation_name(rel)))
            }
            Rel::Sum(c) | Rel::Bal(c) if c == x.col => Some(format!("本列{}", relation_name(rel))),
            Rel::Sum(c) | Rel::Bal(c) if c == l.total && x.with_total && x.rels.contains(&same_in(rel, x.col)) => None,
            Rel::Sum(c) | Rel::Bal(c) => Some(format!("“{}”列{}", form.requests_columns[c].label, relation_name(rel))),
        })
        .collect();
    let mut message = format!(
        "“{}”行“{}”填写为 {}，按{}，应为 {}",
        form.requests_rows[x.row].label,
        form.requests_columns[x.col].label,
        fmt(found),
        names.join("、"),
        fmt(expected),
    );
    let mut related: Vec<CellRef> = Vec::new();
    if x.with_total {
        let t_found = g[x.row][l.total].unwrap_or_default();
        let t_expected = total_expected.unwrap_or(t_found - x.delta);
        let t_cell = at(x.row, l.total);
        message.push_str(&format!(
            "；本行“总计”也应相应改正：{}填写为 {}，应为 {}",
            t_cell.as_ref().map(|c| format!("{c} ")).unwrap_or_default(),
            fmt(t_found),
            fmt(t_expected)
        ));
        related.extend(t_cell);
    }
    message.push_str(&format!(
        "（改正{}即可使{}勾稽关系{}相符{}）",
        if x.with_total { "这两格" } else { "此格" },
        match counted.len() {
            1 => "这项".to_string(),
            n => format!("这{}项", zh_count(n)),
        },
        if counted.len() == 1 { "" } else { "都" },
        if x.row_open {
            "；本行总计与各列之和仍不符，本行另有差错，见本行其他提示"
        } else {
            ""
        }
    ));
    for rel in &x.rels {
        for c in cells_of(*rel, (x.row, x.col)) {
            if !related.contains(&c) {
                related.push(c);
            }
        }
    }
    rule.finding(at(x.row, x.col), message).related(related).compare(expected, found)
}

/// The same kind of relation in another column.
fn same_in(rel: Rel, col: usize) -> Rel {
    match rel {
        Rel::Row(r) => Rel::Row(r),
        Rel::Sum(_) => Rel::Sum(col),
        Rel::Bal(_) => Rel::Bal(col),
    }
}

fn zh_count(n: usize) -> &'static str {
    match n {
        1 => "一",
        2 => "两",
        3 => "三",
        4 => "四",
        5 => "五",
        6 => "六",
        _ => "几",
    }
}

/// T4-TOTAL: in each group of table 四, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
fn check_review(r: &Report, out: &mut Vec<Finding>) {
    let form = r.form();
    let t = ReviewCol::Total.index();
    for (gi, group) in form.review_groups.iter().enumerate() {
        let Some(row) = r.review.get(gi) else { continue };
        let parts: Vec<_> = row.iter().enumerate().filter(|(c, _)| *c != t).map(|(_, v)| v).collect();
        let (Some(total), true) = (row.get(t), parts.iter().all(|v| v.num.is_some())) else { continue };
        let Some(found) = total.num else { continue };
        let sum: Decimal = parts.iter().map(|v| v.n()).sum();
        if sum != found {
            let names: Vec<&str> =
                form.review_columns.iter().enumerate().filter(|(c, _)| *c != t).map(|(_, c)| c.label).collect();
            let label = match group.parent {
                Some(p) => format!("{p}（{}）", group.label),
                None => group.label.to_string(),
            };
            out.push(
                rules::T4_TOTAL
                    .finding(
                        total.cell.clone(),
                        format!("“{label}”：{}之和（{}）应等于总计（{}）", names.join("、"), fmt(sum), fmt(found)),
                    )
                    .related(parts.iter().filter_map(|v| v.cell.clone()).collect())
                    .compare(sum, found),
            );
        }
    }
}
