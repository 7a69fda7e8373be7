//! Rules on single values and metadata: VAL-*, META-*, and labels that match nothing.

use super::rules;
use crate::finding::Finding;
use crate::form::{self, Edition, Kind, SectionId};
use crate::model::{MetaSource, NoteKind, Report, State, Value};
use rust_decimal::Decimal;

pub(crate) fn check(r: &Report, out: &mut Vec<Finding>) {
    // The numbers of each table; messages name the table by its section's heading.
    let mut tables: [(SectionId, Vec<(&Value, Kind)>); 3] = [
        (SectionId::Active, Vec::with_capacity(r.active.iter().map(Vec::len).sum())),
        (SectionId::Requests, Vec::with_capacity(r.requests.iter().map(Vec::len).sum())),
        (SectionId::ReviewLitigation, Vec::with_capacity(r.review.iter().map(Vec::len).sum())),
    ];
    for n in r.cells() {
        if let Some((_, values)) = tables.iter_mut().find(|(s, _)| *s == n.section) {
            values.push((n.value, n.kind));
        }
    }
    read_choice(r, out);
    for (section, values) in &tables {
        let table = form::section(*section).heading;
        for (v, kind) in values {
            value(v, *kind, out);
        }
        val_formula_computed(table, values, out);
        val_blank(table, values, out);
    }
    if let Some(v) = &r.fee.count {
        value(v, Kind::Count, out);
    }
    if let Some(v) = &r.fee.amount {
        value(v, Kind::Amount, out);
    }
    val_unit(r, out);
    label_unknown(r, out);
    read_notes(r, out);
    meta_missing(r, out);
    meta_from_name(r, out);
    meta_edition(r, out);
}

/// VAL-NEGATIVE, VAL-FRACTION, VAL-TEXT, VAL-FORMULA: one cell that cannot be a count.
fn value(v: &Value, kind: Kind, out: &mut Vec<Finding>) {
    let cell = v.cell.clone();
    match (v.state, v.num) {
        (State::Formula, _) => out.push(
            rules::VAL_FORMULA
                .finding(cell, format!("公式“{}”没有计算结果，请在 Excel 中重新计算并保存，或直接填写数字", v.raw)),
        ),
        (State::Text, _) | (_, None) => {
            out.push(rules::VAL_TEXT.finding(cell, format!("“{}”不是数字，请填写数字（没有请填 0）", v.raw)))
        }
        (_, Some(n)) => {
            if kind != Kind::Signed && n < Decimal::ZERO {
                out.push(rules::VAL_NEGATIVE.finding(cell.clone(), format!("数量不能为负数（填写的是 {}）", v.raw)));
            }
            if kind != Kind::Amount && !n.fract().is_zero() {
                out.push(rules::VAL_FRACTION.finding(cell, format!("件数应为整数（填写的是 {}）", v.raw)));
            }
        }
    }
}

/// READ-CHOICE: the workbook holds more than one set of tables; say which was read.
fn read_choice(r: &Report, out: &mut Vec<Finding>) {
    let Some(c) = &r.read_choice else { return };
    let quote = |v: &[String]| v.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join("、");
    out.push(rules::READ_CHOICE.finding(
        None,
        format!(
            "工作簿中有不止一套统计表：读取了工作表{}，未读取工作表{}（{}）；如需读取另一套，请用 --sheet 指定工作表",
            quote(&c.taken),
            quote(&c.left),
            c.reason
        ),
    ));
}

/// VAL-FORMULA-COMPUTED: sums saved without their result, computed from their cells, said
/// once per table.
fn val_formula_computed(table: &str, values: &[(&Value, Kind)], out: &mut Vec<Finding>) {
    let computed: Vec<&Value> = values.iter().map(|(v, _)| *v).filter(|v| v.is_computed()).collect();
    if let Some(first) = computed.first() {
        let f = rules::VAL_FORMULA_COMPUTED.finding(
            first.cell.clone(),
            format!(
                "“{table}”表中有 {} 个公式没有计算结果，已按公式引用的单元格算出（如“{}”得 {}）；请在 Excel 中重新计算并保存",
                computed.len(),
                first.raw,
                crate::number::text(first.n())
            ),
        );
        out.push(f.related(computed.iter().skip(1).filter_map(|v| v.cell.clone()).collect()));
    }
}

/// VAL-BLANK: blanks and dashes read as 0, said once per table.
fn val_blank(table: &str, values: &[(&Value, Kind)], out: &mut Vec<Finding>) {
    let blanks: Vec<&Value> = values.iter().map(|(v, _)| *v).filter(|v| v.state == State::Blank).collect();
    if let Some(first) = blanks.first() {
        let f = rules::VAL_BLANK.finding(
            first.cell.clone(),
            format!("“{table}”表中有 {} 个空白或“—”“/”“无”等单元格，已按 0 读取", blanks.len()),
        );
        out.push(f.related(blanks.iter().skip(1).filter_map(|v| v.cell.clone()).collect()));
    }
}

/// VAL-UNIT: an amount typed with a unit its column header contradicts (only section 二's
/// headers name a unit).
fn val_unit(r: &Report, out: &mut Vec<Finding>) {
    for n in r.cells_in(SectionId::Active) {
        let (Some(header_unit), Some(u)) = (n.column.unit, &n.value.unit) else { continue };
        if u != header_unit {
            out.push(rules::VAL_UNIT.finding(
                n.value.cell.clone(),
                format!(
                    "金额“{}”的单位“{u}”与表头“{}”的单位“{header_unit}”不一致，请换算为{header_unit}",
                    n.value.raw, n.col_label
                ),
            ));
        }
    }
}

/// READ-LABEL: a row label in a table that matches no official label.
fn label_unknown(r: &Report, out: &mut Vec<Finding>) {
    for u in &r.unknown_labels {
        out.push(rules::READ_LABEL.finding(
            Some(u.cell.clone()),
            format!("行标签“{}”与官方表格的任何一行都不对应（最接近的是“{}”），该行数字未被读取", u.text, u.nearest),
        ));
    }
}

/// READ-LABEL and READ-CHOICE: what the reader decided inside a table (a label read by
/// its position, one of two year columns or blocks taken).
fn read_notes(r: &Report, out: &mut Vec<Finding>) {
    for n in &r.read_notes {
        let rule = match n.kind {
            NoteKind::Label => &rules::READ_LABEL,
            NoteKind::Choice => &rules::READ_CHOICE,
        };
        out.push(rule.finding(n.cell.clone(), n.message.clone()));
    }
}

/// META-MISSING: no agency name or no report year.
fn meta_missing(r: &Report, out: &mut Vec<Finding>) {
    if r.agency.value.as_deref().is_none_or(|a| a.trim().is_empty()) {
        out.push(rules::META_MISSING.finding(
            r.agency.cell.clone(),
            "缺少机关名称：请在“基本信息”表填写“机关名称”，或在标题中写明，或使用 --agency".into(),
        ));
    }
    if r.year.value.is_none() {
        out.push(rules::META_MISSING.finding(
            r.year.cell.clone(),
            "缺少报告年度：请在“基本信息”表填写“报告年度”，或在标题中写明，或使用 --year".into(),
        ));
    }
}

/// META-FROM-NAME: the agency or year was read from the file name, the last resort.
fn meta_from_name(r: &Report, out: &mut Vec<Finding>) {
    let agency = r.agency.value.as_deref().filter(|_| r.agency.source == MetaSource::FileName);
    let year = r.year.value.filter(|_| r.year.source == MetaSource::FileName);
    let what = match (agency, year) {
        (Some(a), Some(y)) => format!("机关名称“{a}”和报告年度 {y}"),
        (Some(a), None) => format!("机关名称“{a}”"),
        (None, Some(y)) => format!("报告年度 {y}"),
        (None, None) => return,
    };
    let name = r.file.rsplit(['/', '\\']).next().unwrap_or(&r.file);
    out.push(rules::META_FROM_NAME.finding(
        None,
        format!("工作簿中没有写明{what}，已从文件名“{name}”中读取；请核对，或在“基本信息”表或标题中写明"),
    ));
}

/// META-EDITION: the edition does not fit the year.
fn meta_edition(r: &Report, out: &mut Vec<Finding>) {
    let Some(year) = r.year.value else { return };
    let want = Edition::for_year(year);
    if want != r.edition {
        out.push(rules::META_EDITION.finding(
            r.year.cell.clone(),
            format!("{year}年度报告应使用{}年版格式（{}），本表是{}年版格式", want.id(), want.notice(), r.edition.id()),
        ));
    }
}
