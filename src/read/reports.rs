//! Several agencies' reports in one workbook (issue 25 §5): a county's collection workbook
//! with a sheet per township, or a block per agency on one sheet. Each agency's part starts
//! at its title (`某某镇2023年度政府信息公开工作年度报告`) and runs to the next title naming
//! another agency; sheets before the first title belong to the first part. A part is read
//! as a report of its own from a copy of its sheets holding only its rows, so every cell
//! keeps its sheet's name and its row.

use super::index::Index;
use super::index::Pos;
use super::meta::same_agency;
use super::open::Sheet;
use crate::form::info;

/// One agency's part of the workbook.
#[derive(Debug, Clone)]
pub struct Part {
    pub agency: String,
    /// Where it starts, for messages: its sheet's name, or `统计表!A60` where parts share
    /// a sheet.
    pub place: String,
    /// (sheet, first row, last row) in workbook order.
    ranges: Vec<(usize, u32, u32)>,
}

impl Part {
    /// Whether the part holds this sheet (`row` None) or this cell of it.
    pub fn holds(&self, sheet: usize, row: Option<u32>) -> bool {
        self.ranges.iter().any(|&(s, a, b)| s == sheet && row.is_none_or(|r| (a..=b).contains(&r)))
    }

    /// Copies of the part's sheets holding only its rows.
    pub fn sheets(&self, all: &[Sheet]) -> Vec<Sheet> {
        let mut out: Vec<Sheet> = Vec::new();
        for (i, sheet) in all.iter().enumerate() {
            let rows: Vec<(u32, u32)> = self.ranges.iter().filter(|r| r.0 == i).map(|r| (r.1, r.2)).collect();
            if rows.is_empty() {
                continue;
            }
            let cells = sheet
                .cells
                .iter()
                .filter(|((r, _), _)| rows.iter().any(|&(a, b)| (a..=b).contains(r)))
                .map(|(k, v)| (*k, v.clone()))
                .collect();
            out.push(Sheet { name: sheet.name.clone(), cells, hidden: sheet.hidden, lines: sheet.lines.clone() });
        }
        out
    }
}

/// Where each visible title naming an agency starts (its topmost cell), and each labelled
/// agency cell (`填报单位：甲镇人民政府`, a 基本信息 sheet's 机关名称), in workbook order.
fn marks(ix: &Index) -> Vec<(usize, u32, String)> {
    let sheet_of = |name: &str| ix.sheets.iter().position(|s| &*s.name == name);
    let mut out: Vec<(usize, u32, String)> = super::meta::titles(ix)
        .filter_map(|((s, row, _), t)| {
            let (cell, agency) = t.agency?;
            Some((s, row.min(cell.row), agency.trim().to_string()))
        })
        .collect();
    let mut labels = vec![info::AGENCY];
    labels.extend(info::AGENCY_ALIASES);
    for (cell, raw) in super::labelled_scan(ix, &labels, false, true) {
        let agency = raw.text().trim().to_string();
        if let (Some(s), false) = (sheet_of(&cell.sheet), agency.is_empty() || super::meta::is_placeholder(&agency)) {
            out.push((s, cell.row, agency));
        }
    }
    out.retain(|m| !ix.sheets[m.0].hidden);
    out.sort_by_key(|m| (m.0, m.1));
    // A title and a labelled cell of one part name one agency (perhaps spelled otherwise):
    // a labelled cell right below a title (a few rows) or above it is the same part's.
    out.dedup_by(|b, a| a.0 == b.0 && b.1 <= a.1 + 3);
    out
}

/// The agencies' parts of a workbook, given where its tables stand (the cell of each
/// candidate table's first label). One part or none: the workbook is one report.
pub(super) fn parts(ix: &Index, tables: &[Pos]) -> Vec<Part> {
    let marks = marks(ix);
    // The mark a table belongs to: the last one at or before it; tables before every mark
    // belong to the first.
    let owner =
        |&(s, r, _): &Pos| marks.iter().rposition(|m| (m.0, m.1) <= (s, r)).or((!marks.is_empty()).then_some(0));
    let mut owning: Vec<&str> = Vec::new();
    for t in tables.iter().filter(|t| !ix.sheets[t.0].hidden) {
        if let Some(m) = owner(t) {
            if !owning.iter().any(|o| same_agency(o, &marks[m].2)) {
                owning.push(&marks[m].2);
            }
        }
    }
    if owning.len() < 2 {
        return Vec::new();
    }
    // Boundaries: the marks where the agency changes (a title naming no agency that owns a
    // table, a notes sheet's say, is no boundary).
    let mut bounds: Vec<&(usize, u32, String)> = Vec::new();
    for m in marks.iter().filter(|m| owning.iter().any(|o| same_agency(o, &m.2))) {
        if bounds.last().is_none_or(|b| !same_agency(&b.2, &m.2)) {
            bounds.push(m);
        }
    }
    let last = ix.sheets.len().saturating_sub(1);
    let mut parts: Vec<Part> = Vec::new();
    for (i, b) in bounds.iter().enumerate() {
        let start = if i == 0 { (0, 0) } else { (b.0, b.1) };
        let end = bounds.get(i + 1).map(|n| (n.0, n.1));
        let mut ranges = Vec::new();
        for s in start.0..=end.map_or(last, |e| e.0) {
            let from = if s == start.0 { start.1 } else { 0 };
            let to = match end {
                Some((es, er)) if es == s => match er.checked_sub(1) {
                    Some(r) => r,
                    None => continue,
                },
                _ => u32::MAX,
            };
            if from <= to {
                ranges.push((s, from, to));
            }
        }
        let shared = bounds.iter().filter(|o| o.0 == b.0).count() > 1;
        let name = &ix.sheets[b.0].name;
        let place = if shared { format!("{name}!A{}", b.1 + 1) } else { name.to_string() };
        match parts.iter_mut().find(|p| same_agency(&p.agency, &b.2)) {
            Some(p) => p.ranges.extend(ranges),
            None => parts.push(Part { agency: b.2.clone(), place, ranges }),
        }
    }
    parts
}

/// The places of the parts for the refusal of `read`: `“甲镇”（甲镇人民政府）、…`, and how
/// `--sheet` names a part that shares its sheet.
pub(super) fn described(parts: &[Part]) -> (String, String) {
    let places: Vec<String> = parts.iter().map(|p| format!("“{}”（{}）", p.place, p.agency)).collect();
    let hint = parts
        .iter()
        .find(|p| p.place.contains('!'))
        .map_or(String::new(), |p| format!("（同一工作表上的一份用 --sheet '{}' 指定）", p.place));
    (places.join("、"), hint)
}

#[cfg(test)]
mod tests {
    use super::same_agency;

    #[test]
    fn one_agency_spelled_with_a_seal_note_or_a_prefix_is_one() {
        assert!(same_agency("某某县教育局", "某某县教育局（盖章）"));
        assert!(same_agency("某某县 教育局", "中共某某县教育局"));
        assert!(!same_agency("甲镇人民政府", "乙镇人民政府"));
        assert!(!same_agency("（盖章）", "甲镇人民政府"));
    }
}
