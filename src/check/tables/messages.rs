//! The findings of table 三's relations and their messages in plain Chinese.

use super::relations::{Culprit, Grid, Layout, Rel};
use crate::cell::CellRef;
use crate::check::rules::{self, Rule};
use crate::finding::Finding;
use crate::model::Report;
use crate::number::text as fmt;
use rust_decimal::Decimal;

/// Adds every cell of `rel` to a finding's related cells, so the finding covers it.
pub(super) fn cover(f: &mut Finding, cells: Vec<CellRef>) {
    for c in cells {
        if f.cell.as_ref() != Some(&c) && !f.related.contains(&c) {
            f.related.push(c);
        }
    }
}

/// Whether a finding's cell and related cells hold every cell of a relation.
pub(super) fn covers(f: &Finding, cells: &[CellRef]) -> bool {
    cells.iter().all(|c| f.cell.as_ref() == Some(c) || f.related.contains(c))
}

pub(super) fn rule_of(rel: Rel) -> &'static Rule {
    match rel {
        Rel::Row(_) => &rules::T3_ROW_TOTAL,
        Rel::Sum(_) => &rules::T3_RESULT_TOTAL,
        Rel::Bal(_) => &rules::T3_BALANCE,
    }
}

/// The two sides of a relation as the messages state them: (expected, found), and the
/// cell the formats name for it.
pub(super) fn sides(l: &Layout, g: &Grid, rel: Rel) -> (Decimal, Decimal) {
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
pub(super) fn plain_finding(
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
pub(super) fn relation_name(rel: Rel) -> &'static str {
    match rel {
        Rel::Row(_) => "总计等于各列之和",
        Rel::Sum(_) => "（七）总计等于各项办理结果之和",
        Rel::Bal(_) => "第一项加第二项之和等于第三项加第四项之和",
    }
}

/// The one finding for a correction that repairs every relation it breaks; its message
/// names every cell that must change and the value it should hold. `total_expected` is
/// what the row's 总计 should become when other corrections share its row.
pub(super) fn culprit_finding(
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
pub(super) fn same_in(rel: Rel, col: usize) -> Rel {
    match rel {
        Rel::Row(r) => Rel::Row(r),
        Rel::Sum(_) => Rel::Sum(col),
        Rel::Bal(_) => Rel::Bal(col),
    }
}

pub(super) fn zh_count(n: usize) -> &'static str {
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
