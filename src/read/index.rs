//! An index of the text cells of a workbook, normalised once, with label search.

use super::label::{norm, score_cell, Pattern};
use super::open::Sheet;
use super::value::Raw;
use std::cell::RefCell;
use std::collections::HashMap;

/// A text cell, normalised.
#[derive(Debug, Clone)]
pub struct TextCell {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    pub full: String,
    /// The normalised forms, computed once.
    pub forms: Pattern,
}

/// A candidate match of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    pub score: u8,
}

/// A rectangle of one sheet, inclusive.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    pub sheet: usize,
    pub rows: (u32, u32),
    pub cols: (u32, u32),
}

impl Area {
    pub fn contains(&self, t: &TextCell) -> bool {
        t.sheet == self.sheet
            && (self.rows.0..=self.rows.1).contains(&t.row)
            && (self.cols.0..=self.cols.1).contains(&t.col)
    }
}

pub struct Index<'a> {
    pub sheets: &'a [Sheet],
    pub texts: Vec<TextCell>,
    /// Hits per normalised label, over the whole workbook.
    cache: RefCell<HashMap<String, Vec<Hit>>>,
}

/// Short labels (`规章`, `其他`, `总计`) must match exactly, up to enumerators.
pub fn min_score(p: &Pattern) -> u8 {
    if p.bare.chars().count() < 4 {
        90
    } else {
        55
    }
}

impl<'a> Index<'a> {
    pub fn new(sheets: &'a [Sheet]) -> Self {
        let mut texts = Vec::new();
        for (i, sheet) in sheets.iter().enumerate() {
            for (&(row, col), raw) in &sheet.cells {
                if let Raw::Str(s) = raw {
                    // Labels are short; long narrative never matches one.
                    if s.len() > 600 {
                        continue;
                    }
                    let full = norm(s);
                    if !full.is_empty() && !full.chars().all(|c| c.is_ascii_digit() || "+-.,".contains(c)) {
                        let forms = Pattern::new_normalised(full.clone());
                        texts.push(TextCell { sheet: i, row, col, full, forms });
                    }
                }
            }
        }
        Index { sheets, texts, cache: RefCell::new(HashMap::new()) }
    }

    /// Every cell matching the label at least as well as its minimum, best first.
    pub fn find(&self, label: &str, area: Option<Area>) -> Vec<Hit> {
        self.find_pattern(&Pattern::new(label), area)
    }

    pub fn find_pattern(&self, p: &Pattern, area: Option<Area>) -> Vec<Hit> {
        // A label is scored against every cell once; areas filter the remembered hits.
        let mut cache = self.cache.borrow_mut();
        let all = cache.entry(p.full.clone()).or_insert_with(|| {
            let min = min_score(p);
            let mut hits: Vec<Hit> = self
                .texts
                .iter()
                .filter_map(|t| {
                    let s = score_cell(&t.forms, p);
                    (s >= min).then_some(Hit { sheet: t.sheet, row: t.row, col: t.col, score: s })
                })
                .collect();
            hits.sort_by(|a, b| b.score.cmp(&a.score).then((a.sheet, a.row, a.col).cmp(&(b.sheet, b.row, b.col))));
            hits
        });
        all.iter()
            .filter(|h| {
                area.is_none_or(|a| {
                    h.sheet == a.sheet
                        && (a.rows.0..=a.rows.1).contains(&h.row)
                        && (a.cols.0..=a.cols.1).contains(&h.col)
                })
            })
            .copied()
            .collect()
    }

    /// The best match of any of the labels, or `None`.
    pub fn best(&self, labels: &[&str], area: Option<Area>) -> Option<Hit> {
        labels
            .iter()
            .filter_map(|l| self.find(l, area).into_iter().next())
            .max_by(|a, b| a.score.cmp(&b.score).then((b.sheet, b.row, b.col).cmp(&(a.sheet, a.row, a.col))))
    }

    pub fn raw(&self, sheet: usize, row: u32, col: u32) -> &Raw {
        self.sheets[sheet].get(row, col)
    }

    pub fn sheet_names(&self) -> String {
        self.sheets.iter().map(|s| format!("“{}”", s.name)).collect::<Vec<_>>().join("、")
    }

    /// The first non-empty cell to the right of a label in the same row, within `span`.
    pub fn value_right_of(&self, hit: Hit, span: u32) -> Option<(u32, &Raw)> {
        (hit.col + 1..=hit.col + span).find_map(|c| {
            let raw = self.raw(hit.sheet, hit.row, c);
            (*raw != Raw::Empty && raw.text().trim() != "").then_some((c, raw))
        })
    }
}
