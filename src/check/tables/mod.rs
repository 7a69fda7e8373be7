//! The 勾稽关系 of tables 三 and 四: T3-ROW-TOTAL, T3-RESULT-TOTAL, T3-BALANCE, T4-TOTAL.
//! One mistake often breaks several relations at once (a wrong 总计 breaks its row and its
//! column); the cell whose change repairs all of them is reported once instead.

mod messages;
mod relations;

use super::rules;
use crate::cell::CellRef;
use crate::finding::Finding;
use crate::form::ReviewCol;
use crate::model::{Report, SubtotalKind};
use crate::number::text as fmt;
use messages::{cover, covers, culprit_finding, plain_finding, sides};
use relations::{apply, culprits, failing, Culprit, Grid, Layout, Mode, Rel};
use rust_decimal::Decimal;

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    check_requests(r, out);
    check_review(r, out);
    check_subtotals(r, out);
}

/// T3-SUBTOTAL and T3-SUBTOTAL-PART: what the agency added checked against the form's
/// cells. A cell that is no number is said by the VAL rules of the form's cells, or left
/// to the reader here.
fn check_subtotals(r: &Report, out: &mut Vec<Finding>) {
    for s in &r.subtotals {
        match s.kind {
            SubtotalKind::Part => check_part(s, out),
            SubtotalKind::Parts => check_parts(s, out),
            // Checked with its siblings, once on their row's cell.
            SubtotalKind::PartOfSeveral => {}
            SubtotalKind::Sum => check_sum(s, out),
        }
    }
}

/// T3-SUBTOTAL: a `小计` column the agency added equals the cells it sums.
fn check_sum(s: &crate::model::Subtotal, out: &mut Vec<Finding>) {
    let Some(value) = s.value.num else { return };
    let Some(sum) = s.parts.iter().map(|p| p.num).sum::<Option<Decimal>>() else { return };
    if value != sum {
        out.push(
            rules::T3_SUBTOTAL
                .finding(
                    s.value.cell.clone(),
                    format!(
                        "自行添加的“{}”列（官方表格没有此列）填写为 {}，应等于“{}”各列之和 {}",
                        s.label,
                        fmt(value),
                        s.of,
                        fmt(sum)
                    ),
                )
                .related(s.parts.iter().filter_map(|p| p.cell.clone()).collect()),
        );
    }
}

/// T3-SUBTOTAL-PART: the `其中` rows of one kind the agency added under a row add up to no
/// more than it; said once, on the row's cell, naming the parts and their sum.
fn check_parts(s: &crate::model::Subtotal, out: &mut Vec<Finding>) {
    let Some(whole) = s.value.num else { return };
    let Some(sum) = s.parts.iter().map(|p| p.num).sum::<Option<Decimal>>() else { return };
    if sum > whole {
        let terms: Vec<String> = s.parts.iter().filter_map(|p| p.num).map(fmt).collect();
        out.push(
            rules::T3_SUBTOTAL_PART
                .finding(
                    s.value.cell.clone(),
                    format!(
                        "“{}”行下自行添加的{}个“其中”行（{}，官方表格没有这些行）同列之和为 {}（{}），不应大于该行的 {}",
                        s.of,
                        s.parts.len(),
                        s.label,
                        fmt(sum),
                        terms.join(" + "),
                        fmt(whole)
                    ),
                )
                .related(s.parts.iter().filter_map(|p| p.cell.clone()).collect()),
        );
    }
}

/// T3-SUBTOTAL-PART: a `其中` row the agency added is no more than the row it is part of.
fn check_part(s: &crate::model::Subtotal, out: &mut Vec<Finding>) {
    let (Some(value), Some(whole)) = (s.value.num, s.parts.first().and_then(|p| p.num)) else { return };
    if value > whole {
        out.push(
            rules::T3_SUBTOTAL_PART
                .finding(
                    s.value.cell.clone(),
                    format!(
                        "自行添加的“{}”行（官方表格没有此行）填写为 {}，不应大于其所属的“{}”行同列的 {}",
                        s.label,
                        fmt(value),
                        s.of,
                        fmt(whole)
                    ),
                )
                .related(s.parts.iter().filter_map(|p| p.cell.clone()).collect()),
        );
    }
}

/// T3-ROW-TOTAL, T3-RESULT-TOTAL, T3-BALANCE with the reasoning that reports one mistake
/// once. Every failing relation ends covered by an error finding (its cell or related
/// cells hold all of the relation's cells), so a second mistake is never hidden.
fn check_requests(r: &Report, out: &mut Vec<Finding>) {
    let l = Layout::of(r.edition);
    // The relations are positional (rows and columns of the form), so the grid is read by
    // position, as `Layout` names its cells.
    let mut g: Grid = (0..l.rows)
        .map(|i| (0..l.cols).map(|c| r.requests.get(i).and_then(|x| x.get(c)).and_then(|v| v.num)).collect())
        .collect();
    let all = l.rels();
    let fail0 = failing(l, &g, &all);
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
            let xs = culprits(l, &g, &all, cols, mode);
            if xs.is_empty() {
                continue;
            }
            for x in xs {
                found.push(culprit_finding(r, l, &x, &g, &cells_of, None));
                apply(l, &mut g, &x);
            }
            continue 'peel;
        }
        break;
    }

    let rows_failing: Vec<usize> =
        failing(l, &g, &all).iter().filter_map(|rel| if let Rel::Row(i) = rel { Some(*i) } else { None }).collect();
    let comp_rels: Vec<Rel> = comp_cols.iter().flat_map(|&c| [Rel::Sum(c), Rel::Bal(c)]).collect();
    let total_rels = [Rel::Sum(l.total), Rel::Bal(l.total)];

    if rows_failing.is_empty() {
        // Every 总计 is the sum of its row, so each failure of the 总计 column is the sum of
        // the applicant columns' failures of the same relation: report those, each naming
        // the 总计 column's relation too.
        let total_fails = failing(l, &g, &total_rels);
        let same_kind = |a: Rel, b: Rel| matches!((a, b), (Rel::Sum(_), Rel::Sum(_)) | (Rel::Bal(_), Rel::Bal(_)));
        let mut fixes: Vec<Culprit> = culprits(l, &g, &comp_rels, &comp_cols, Mode::Single);
        for x in fixes.iter_mut() {
            // Its row's 总计 must follow the corrected cells of its row.
            x.with_total = true;
        }
        for x in &fixes {
            let row_delta: Decimal = fixes.iter().filter(|y| y.row == x.row).map(|y| y.delta).sum();
            let total_expected = g[x.row][l.total].map(|t| t - row_delta);
            let mut f = culprit_finding(r, l, x, &g, &cells_of, total_expected);
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
        for rel in failing(l, &g, &comp_rels) {
            let mut f = plain_finding(r, l, rel, &g, &cells_of);
            for &t in &total_fails {
                if same_kind(rel, t) {
                    cover(&mut f, all_cells(t));
                    let (e, x) = sides(l, &g, t);
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
        let mut f = plain_finding(r, l, Rel::Row(first), &g, &cells_of);
        f.message = format!(
            "表三只填写了“总计”列，自然人、法人或其他组织各列均为空或 0：请按申请人类型分列填写（共 {} 行的总计与各列之和不符）",
            rows_failing.len()
        );
        f.related = rows_failing[1..].iter().filter_map(|&i| cell(i, l.total)).collect();
        for &i in &rows_failing {
            cover(&mut f, all_cells(Rel::Row(i)));
        }
        found.push(f);
        for rel in failing(l, &g, &total_rels) {
            found.push(plain_finding(r, l, rel, &g, &cells_of));
        }
    } else if failing(l, &g, &comp_rels).is_empty() {
        // The applicant columns agree with each other, so the 总计 cells are what is wrong;
        // correcting them also repairs the 总计 column, so each names its column too.
        let total_fails = failing(l, &g, &total_rels);
        for &i in &rows_failing {
            let mut f = plain_finding(r, l, Rel::Row(i), &g, &cells_of);
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
        for rel in failing(l, &g, &all) {
            let mut f = plain_finding(r, l, rel, &g, &cells_of);
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
            found.push(plain_finding(r, l, rel, &original, &cells_of));
        }
    }
    out.extend(found);
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
