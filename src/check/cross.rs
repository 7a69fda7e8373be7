//! Rules against last year's report: X-CARRY, X-IN-FORCE, X-ITEMS, X-SAME. Across editions
//! only what both forms have is compared: table 三's rows by id, and table 四.

use super::rules;
use crate::finding::Finding;
use crate::form::{ActiveCol, Edition, ReqCol, ReqRow, RowKey, SectionId};
use crate::model::{Report, Value};
use crate::number::text as fmt;
use rust_decimal::Decimal;

pub(crate) fn check(r: &Report, prev: &Report, out: &mut Vec<Finding>) {
    // A previous report of another year than the one before is not last year's.
    if let (Some(y), Some(p)) = (r.year.value, prev.year.value) {
        if p != y - 1 {
            return;
        }
    }
    x_carry(r, prev, out);
    x_in_force(r, prev, out);
    x_items(r, prev, out);
    x_same(r, prev, out);
}

fn prev_name(prev: &Report) -> String {
    match prev.year.value {
        Some(y) => format!("{y}年度报告"),
        None => "上年报告".into(),
    }
}

/// Where a value of last year's report sits, for the message: its cell, or in a published
/// report the table's number or page (the message names its row and column already).
fn at(prev: &Report, v: &Value) -> String {
    let Some(c) = v.cell.as_ref() else { return String::new() };
    match crate::locate::locate(prev, c) {
        Some(l) => format!("（{}）", l.short()),
        None => format!("（{c}）"),
    }
}

/// X-CARRY: this year's 二、上年结转 = last year's 四、结转下年度继续办理, per column.
fn x_carry(r: &Report, prev: &Report, out: &mut Vec<Finding>) {
    for (&k, col) in ReqCol::ALL.iter().zip(r.form().requests_columns) {
        let (Some(now), Some(before)) =
            (r.requests_at(ReqRow::CarriedOver, k), prev.requests_at(ReqRow::CarriedForward, k))
        else {
            continue;
        };
        let (Some(n), Some(b)) = (now.num, before.num) else { continue };
        if n != b {
            out.push(
                rules::X_CARRY
                    .finding(
                        now.cell.clone(),
                        format!(
                            "“{}”列：本年“二、上年结转”（{}）应等于{}“四、结转下年度继续办理”{}（{}）",
                            col.label,
                            fmt(n),
                            prev_name(prev),
                            at(prev, before),
                            fmt(b)
                        ),
                    )
                    .compare(b, n),
            );
        }
    }
}

/// X-IN-FORCE (2021 edition both years): 现行有效 = last year's 现行有效 + 制发 − 废止.
fn x_in_force(r: &Report, prev: &Report, out: &mut Vec<Finding>) {
    if r.edition != Edition::E2021 || prev.edition != Edition::E2021 {
        return;
    }
    for (_, row) in r.form().active_rows() {
        let RowKey::Active(k) = row.key else { continue };
        let get = |rep: &'_ Report, col: ActiveCol| rep.active_at(k, col).cloned();
        let (Some(now), Some(issued), Some(repealed), Some(before)) = (
            get(r, ActiveCol::InForce),
            get(r, ActiveCol::Issued),
            get(r, ActiveCol::Repealed),
            get(prev, ActiveCol::InForce),
        ) else {
            continue;
        };
        let (Some(n), Some(i), Some(d), Some(b)) = (now.num, issued.num, repealed.num, before.num) else { continue };
        let expected = b + i - d;
        if n != expected {
            out.push(
                rules::X_IN_FORCE
                    .finding(
                        now.cell.clone(),
                        format!(
                            "“{}”：{}现行有效件数{}（{}）加本年制发（{}）减本年废止（{}）应为 {}，本年填写的现行有效件数是 {}",
                            row.label,
                            prev_name(prev),
                            at(prev, &before),
                            fmt(b),
                            fmt(i),
                            fmt(d),
                            fmt(expected),
                            fmt(n)
                        ),
                    )
                    .related(issued.cell.iter().chain(repealed.cell.iter()).cloned().collect())
                    .compare(expected, n),
            );
        }
    }
}

/// X-ITEMS (2019 edition both years): 上一年项目数量 = last year's 上一年项目数量 + 本年增/减.
fn x_items(r: &Report, prev: &Report, out: &mut Vec<Finding>) {
    if r.edition != Edition::E2019 || prev.edition != Edition::E2019 {
        return;
    }
    for (_, row) in r.form().active_rows() {
        let RowKey::Active(k) = row.key else { continue };
        let (Some(now), Some(p_items), Some(p_change)) = (
            r.active_at(k, ActiveCol::PrevItems),
            prev.active_at(k, ActiveCol::PrevItems),
            prev.active_at(k, ActiveCol::Change),
        ) else {
            continue;
        };
        let (Some(n), Some(pi), Some(pc)) = (now.num, p_items.num, p_change.num) else { continue };
        let expected = pi + pc;
        if n != expected {
            out.push(
                rules::X_ITEMS
                    .finding(
                        now.cell.clone(),
                        format!(
                            "“{}”：{}上一年项目数量（{}）加本年增/减（{}）应为 {}，本年填写的上一年项目数量是 {}",
                            row.label,
                            prev_name(prev),
                            fmt(pi),
                            p_change.display(crate::form::Kind::Signed),
                            fmt(expected),
                            fmt(n)
                        ),
                    )
                    .compare(expected, n),
            );
        }
    }
}

/// X-SAME: every figure both reports have is the same as last year's (and not all 0).
fn x_same(r: &Report, prev: &Report, out: &mut Vec<Finding>) {
    // Section 二 differs between editions; its figures are compared only within one.
    let pairs: Vec<(Option<Decimal>, Option<Decimal>)> = r
        .cells()
        .filter(|n| n.section != SectionId::Active || r.edition == prev.edition)
        .filter_map(|n| Some((n.value.num, prev.at(n.place)?.num)))
        .collect();
    let same = pairs.iter().all(|(a, b)| a.is_some() && a == b);
    let nonzero = pairs.iter().filter(|(a, _)| a.is_some_and(|n| !n.is_zero())).count();
    if pairs.is_empty() || !same || nonzero == 0 {
        return;
    }
    let tables = if r.edition == prev.edition {
        "表二、表三、表四"
    } else {
        "表三、表四（两年版本不同，只比较共有的行）"
    };
    let cell = r.requests_at(ReqRow::NewReceived, ReqCol::Total).and_then(|v| v.cell.clone());
    out.push(rules::X_SAME.finding(
        cell,
        format!("{tables}的全部 {} 个数字与{}完全相同，可能误用了上年数据，请核对", pairs.len(), prev_name(prev)),
    ));
}
