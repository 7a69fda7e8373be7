//! The 勾稽关系 of tables 三 and 四: T3-ROW-TOTAL, T3-RESULT-TOTAL, T3-BALANCE, T4-TOTAL.
//! One mistake often breaks several relations at once (a wrong 总计 breaks its row and its
//! column); the cell whose change repairs all of them is reported once instead.

use super::rules::{self, Rule};
use crate::cell::CellRef;
use crate::finding::Finding;
use crate::form::Form;
use crate::model::Report;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

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
}

impl Layout {
    fn new(form: &Form) -> Option<Layout> {
        let rows = form.requests_rows;
        let result_total = form.requests_row("result_total")?;
        // Result rows share the outer group of （七）总计 (三、本年度办理结果).
        let outer = rows[result_total].groups.first()?;
        let results: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| *i != result_total && r.groups.first() == Some(outer))
            .map(|(i, _)| i)
            .collect();
        let bal_plus = vec![form.requests_row("new_received")?, form.requests_row("carried_over")?];
        let bal_minus = vec![form.requests_row("carried_forward")?];
        Some(Layout {
            rows: rows.len(),
            cols: form.requests_columns.len(),
            total: crate::form::requests_column("total")?,
            result_total,
            results,
            bal_plus,
            bal_minus,
        })
    }

    fn rels(&self) -> Vec<Rel> {
        let mut v: Vec<Rel> = (0..self.rows).map(Rel::Row).collect();
        v.extend((0..self.cols).map(Rel::Sum));
        v.extend((0..self.cols).map(Rel::Bal));
        v
    }

    /// The cells of a relation with their coefficients.
    fn terms(&self, rel: Rel) -> Vec<(usize, usize, i8)> {
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
    for (r, c, k) in l.terms(rel) {
        let v = (*g.get(r)?.get(c)?)?;
        sum += if k > 0 { v } else { -v };
    }
    Some(sum)
}

fn failing(l: &Layout, g: &Grid, rels: &[Rel]) -> BTreeSet<Rel> {
    rels.iter().copied().filter(|&rel| residual(l, g, rel).is_some_and(|x| !x.is_zero())).collect()
}

/// A cell whose single change (by `delta`) repairs every relation in `rels`.
struct Culprit {
    row: usize,
    col: usize,
    delta: Decimal,
    rels: BTreeSet<Rel>,
}

/// Cells that alone explain failing relations, among the relations `scope`. A cell is
/// accepted only when no other candidate explains an overlapping set as well or better,
/// so an ambiguous pattern is never pinned on a guess.
fn culprits(l: &Layout, g: &Grid, scope: &[Rel], cols: &[usize]) -> Vec<Culprit> {
    let fail = failing(l, g, scope);
    let mut cands: Vec<Culprit> = Vec::new();
    for r in 0..l.rows {
        for &c in cols {
            if g[r][c].is_none() {
                continue;
            }
            let incid: Vec<(Rel, i8)> = scope
                .iter()
                .filter_map(|&rel| l.terms(rel).iter().find(|t| t.0 == r && t.1 == c).map(|t| (rel, t.2)))
                .collect();
            if incid.is_empty() || !incid.iter().all(|(rel, _)| fail.contains(rel)) {
                continue;
            }
            let deltas: Vec<Decimal> =
                incid.iter().filter_map(|&(rel, k)| residual(l, g, rel).map(|x| if k > 0 { x } else { -x })).collect();
            if deltas.len() == incid.len() && deltas.windows(2).all(|w| w[0] == w[1]) {
                cands.push(Culprit { row: r, col: c, delta: deltas[0], rels: incid.iter().map(|x| x.0).collect() });
            }
        }
    }
    let mut accepted = Vec::new();
    for (i, x) in cands.iter().enumerate() {
        let dominant = cands.iter().enumerate().all(|(j, y)| {
            i == j || x.rels.is_disjoint(&y.rels) || (y.rels.is_subset(&x.rels) && y.rels.len() < x.rels.len())
        });
        if dominant {
            accepted.push(Culprit { row: x.row, col: x.col, delta: x.delta, rels: x.rels.clone() });
        }
    }
    accepted
}

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    check_requests(r, out);
    check_review(r, out);
}

/// T3-ROW-TOTAL, T3-RESULT-TOTAL, T3-BALANCE with the reasoning that reports one mistake once.
fn check_requests(r: &Report, out: &mut Vec<Finding>) {
    let form = r.form();
    let Some(l) = Layout::new(form) else { return };
    let mut g: Grid = (0..l.rows)
        .map(|i| (0..l.cols).map(|c| r.requests.get(i).and_then(|x| x.get(c)).and_then(|v| v.num)).collect())
        .collect();
    if g.iter().any(|row| row.len() < l.cols) {
        return;
    }
    let all = l.rels();
    if failing(&l, &g, &all).is_empty() {
        return;
    }
    let cell = |row: usize, col: usize| r.requests.get(row).and_then(|x| x.get(col)).and_then(|v| v.cell.clone());
    let cells_of = |rel: Rel, skip: (usize, usize)| -> Vec<CellRef> {
        l.terms(rel).iter().filter(|t| (t.0, t.1) != skip).filter_map(|t| cell(t.0, t.1)).collect()
    };
    let all_cols: Vec<usize> = (0..l.cols).collect();

    // Phase A: a single cell explains failures across rows and columns.
    for x in culprits(&l, &g, &all, &all_cols) {
        out.push(culprit_finding(r, &l, &x, &g, &cells_of));
        if let Some(v) = g[x.row][x.col].as_mut() {
            *v -= x.delta;
        }
    }

    let comp_cols: Vec<usize> = (0..l.cols).filter(|&c| c != l.total).collect();
    let rows_failing: Vec<usize> =
        failing(&l, &g, &all).iter().filter_map(|rel| if let Rel::Row(i) = rel { Some(*i) } else { None }).collect();
    let comp_rels: Vec<Rel> = comp_cols.iter().flat_map(|&c| [Rel::Sum(c), Rel::Bal(c)]).collect();
    let total_rels = [Rel::Sum(l.total), Rel::Bal(l.total)];

    if rows_failing.is_empty() {
        // Every 总计 is the sum of its row, so the 总计 column's failures are the
        // applicant columns' failures added up: report those only.
        let total_fails = failing(&l, &g, &total_rels);
        for x in culprits(&l, &g, &comp_rels, &comp_cols) {
            let mut f = culprit_finding(r, &l, &x, &g, &cells_of);
            if !total_fails.is_empty() {
                f.message.push_str("；本行“总计”也应相应改正");
                f.related.extend(cell(x.row, l.total));
            }
            out.push(f);
            if let Some(v) = g[x.row][x.col].as_mut() {
                *v -= x.delta;
            }
        }
        for rel in failing(&l, &g, &comp_rels) {
            out.push(plain_finding(r, &l, rel, &g, &cells_of));
        }
        return;
    }

    let components_empty =
        (0..l.rows).all(|i| comp_cols.iter().all(|&c| r.requests[i][c].num.is_none_or(|n| n.is_zero())));
    if components_empty {
        // Only 总计 was filled: one finding says so, then the 总计 column on its own.
        let first = rows_failing[0];
        let mut f = plain_finding(r, &l, Rel::Row(first), &g, &cells_of);
        f.message = format!(
            "表三只填写了“总计”列，自然人、法人或其他组织各列均为空或 0：请按申请人类型分列填写（共 {} 行的总计与各列之和不符）",
            rows_failing.len()
        );
        f.related = rows_failing[1..].iter().filter_map(|&i| cell(i, l.total)).collect();
        out.push(f);
        for rel in failing(&l, &g, &total_rels) {
            out.push(plain_finding(r, &l, rel, &g, &cells_of));
        }
        return;
    }

    let comp_consistent = failing(&l, &g, &comp_rels).is_empty();
    for &i in &rows_failing {
        let mut f = plain_finding(r, &l, Rel::Row(i), &g, &cells_of);
        if comp_consistent {
            // The applicant columns agree with each other, so the 总计 cell is what is wrong.
            f.message.push_str("；各申请人列的勾稽关系均相符，应改正本行“总计”");
        }
        out.push(f);
    }
    if comp_consistent {
        return;
    }
    let row_cells: Vec<CellRef> = rows_failing.iter().filter_map(|&i| cell(i, l.total)).collect();
    for rel in failing(&l, &g, &all) {
        if matches!(rel, Rel::Row(_)) {
            continue;
        }
        let mut f = plain_finding(r, &l, rel, &g, &cells_of);
        if l.in_total_column(rel) {
            f.related.extend(row_cells.iter().cloned());
        }
        out.push(f);
    }
}

fn rule_of(rel: Rel) -> &'static Rule {
    match rel {
        Rel::Row(_) => &rules::T3_ROW_TOTAL,
        Rel::Sum(_) => &rules::T3_RESULT_TOTAL,
        Rel::Bal(_) => &rules::T3_BALANCE,
    }
}

fn fmt(n: Decimal) -> String {
    n.normalize().to_string()
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
    let v = |row: usize, col: usize| g[row][col].unwrap_or_default();
    let (cell_pos, expected, found, message) = match rel {
        Rel::Row(i) => {
            let sum: Decimal = (0..l.cols).filter(|&c| c != l.total).map(|c| v(i, c)).sum();
            let found = v(i, l.total);
            (
                (i, l.total),
                sum,
                found,
                format!(
                    "“{}”行：自然人与法人或其他组织各列之和（{}）应等于总计（{}）",
                    form.requests_rows[i].label,
                    fmt(sum),
                    fmt(found)
                ),
            )
        }
        Rel::Sum(c) => {
            let sum: Decimal = l.results.iter().map(|&i| v(i, c)).sum();
            let found = v(l.result_total, c);
            (
                (l.result_total, c),
                sum,
                found,
                format!(
                    "“{}”列：（一）至（六）各项办理结果之和（{}）应等于（七）总计（{}）",
                    form.requests_columns[c].label,
                    fmt(sum),
                    fmt(found)
                ),
            )
        }
        Rel::Bal(c) => {
            let left: Decimal = l.bal_plus.iter().map(|&i| v(i, c)).sum();
            let right: Decimal = v(l.result_total, c) + l.bal_minus.iter().map(|&i| v(i, c)).sum::<Decimal>();
            (
                (l.result_total, c),
                left,
                right,
                format!(
                    "“{}”列：第一项加第二项之和（{}）应等于第三项加第四项之和（{}）",
                    form.requests_columns[c].label,
                    fmt(left),
                    fmt(right)
                ),
            )
        }
    };
    rule_of(rel).finding(at(cell_pos.0, cell_pos.1), message).related(cells_of(rel, cell_pos)).compare(expected, found)
}

/// The one finding for a cell whose change repairs every relation it breaks.
fn culprit_finding(
    r: &Report,
    l: &Layout,
    x: &Culprit,
    g: &Grid,
    cells_of: &dyn Fn(Rel, (usize, usize)) -> Vec<CellRef>,
) -> Finding {
    let form = r.form();
    let found = g[x.row][x.col].unwrap_or_default();
    let expected = found - x.delta;
    let rule = if x.row == l.result_total && x.col != l.total {
        &rules::T3_RESULT_TOTAL
    } else if x.rels.iter().any(|rel| matches!(rel, Rel::Row(_))) {
        &rules::T3_ROW_TOTAL
    } else {
        x.rels.iter().next().map_or(&rules::T3_RESULT_TOTAL, |rel| rule_of(*rel))
    };
    let names: Vec<&str> = x
        .rels
        .iter()
        .map(|rel| match rel {
            Rel::Row(_) => "本行总计等于各列之和",
            Rel::Sum(_) => "本列（七）总计等于各项办理结果之和",
            Rel::Bal(_) => "本列第一项加第二项之和等于第三项加第四项之和",
        })
        .collect();
    let message = format!(
        "“{}”行“{}”填写为 {}，按{}，应为 {}（改正此格即可使{}项勾稽关系都相符）",
        form.requests_rows[x.row].label,
        form.requests_columns[x.col].label,
        fmt(found),
        names.join("、"),
        fmt(expected),
        if names.len() == 2 { "这两".to_string() } else { format!("这{}", zh_count(names.len())) }
    );
    let mut related: Vec<CellRef> = Vec::new();
    for rel in &x.rels {
        for c in cells_of(*rel, (x.row, x.col)) {
            if !related.contains(&c) {
                related.push(c);
            }
        }
    }
    let cell = r.requests.get(x.row).and_then(|v| v.get(x.col)).and_then(|v| v.cell.clone());
    rule.finding(cell, message).related(related).compare(expected, found)
}

fn zh_count(n: usize) -> &'static str {
    match n {
        1 => "一",
        2 => "两",
        3 => "三",
        _ => "几",
    }
}

/// T4-TOTAL: in each group of table 四, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
fn check_review(r: &Report, out: &mut Vec<Finding>) {
    let form = r.form();
    let Some(t) = form.review_columns.iter().position(|c| c.id == "total") else { return };
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
