//! An index of the text cells of a workbook, normalised once, with label search.

use super::formula::compute_sum;
use super::label::{lengths_may_match, norm, score_cell, Pattern};
use super::open::Sheet;
use super::value::{parse, Raw};
use crate::cell::CellRef;
use crate::form::{info, Column};
use crate::hash::FastHash;
use crate::model::{State, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// A text cell, normalised.
#[derive(Debug, Clone)]
pub struct TextCell {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    /// The normalised forms, computed once (`forms.full` is the normalised text).
    pub forms: Pattern,
    /// For text with a colon (`填报单位：某某局`), the forms of its parts.
    pub colon: Option<Box<Colon>>,
}

/// The parts of a text cell around its first colon, normalised once: labelled values are
/// looked for under many labels.
#[derive(Debug, Clone)]
pub struct Colon {
    /// The text before the first colon.
    pub head: Pattern,
    /// Whether nothing follows the first colon.
    pub tail_empty: bool,
    /// The text without its trailing colons, if it ends with one (`填报单位：`).
    pub trimmed: Option<Pattern>,
}

impl Colon {
    fn of(full: &str) -> Option<Box<Colon>> {
        let (head, tail) = full.split_once(':')?;
        let trimmed = full.ends_with(':').then(|| Pattern::new_normalised(full.trim_end_matches(':').to_string()));
        Some(Box::new(Colon { head: Pattern::new_normalised(head.to_string()), tail_empty: tail.is_empty(), trimmed }))
    }
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
    /// The 基本信息 sheet, if there is one.
    pub info_sheet: Option<usize>,
    /// Sheets whose labelled cells and titles are not read: they hold only tables that
    /// were not taken (last year's copy).
    pub skip: Vec<bool>,
    /// Indexes into `texts` by the character count of their bare label: a label is only
    /// scored against cells whose length could match at all.
    by_len: Vec<Vec<u32>>,
    /// Cells read as an official label they are a character or so off (`near.rs`), set
    /// once the edition is known.
    near: Near,
    /// Hits per normalised label, over the whole workbook.
    cache: RefCell<HashMap<String, Vec<Hit>, FastHash>>,
    /// The same per label as the form spells it (by where the label's text is, since
    /// every label asked for is the program's own), so a label asked for again is not
    /// looked up by its normal form again.
    by_label: RefCell<HashMap<(usize, usize), Vec<Hit>, FastHash>>,
}

/// Short labels (`规章`, `其他`, `总计`) must match exactly, up to enumerators and
/// synonyms (`合计`).
pub fn min_score(p: &Pattern) -> u8 {
    if p.bare().chars().count() < 4 {
        super::label::SYNONYM
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
                    // Labels are short; long narrative never matches one. Numbers typed as
                    // text are no label either (their normal form is the same characters).
                    if s.len() > 600
                        || s.bytes().all(|b| b.is_ascii_digit() || b"+-.,".contains(&b) || b.is_ascii_whitespace())
                    {
                        continue;
                    }
                    let full = norm(s);
                    if !full.is_empty() && !full.chars().all(|c| c.is_ascii_digit() || "+-.,".contains(c)) {
                        let colon = Colon::of(&full);
                        let forms = Pattern::new_normalised(full);
                        texts.push(TextCell { sheet: i, row, col, forms, colon });
                    }
                }
            }
        }
        let mut by_len: Vec<Vec<u32>> = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let n = t.forms.bare_chars;
            if by_len.len() <= n {
                by_len.resize_with(n + 1, Vec::new);
            }
            by_len[n].push(i as u32);
        }
        let info = norm(info::SHEET);
        let info_sheet = sheets.iter().position(|s| norm(&s.name) == info);
        Index {
            sheets,
            texts,
            info_sheet,
            skip: vec![false; sheets.len()],
            by_len,
            near: Default::default(),
            cache: RefCell::new(HashMap::with_capacity_and_hasher(256, FastHash::default())),
            by_label: RefCell::new(HashMap::with_capacity_and_hasher(256, FastHash::default())),
        }
    }

    /// Every cell matching the label at least as well as its minimum, best first.
    pub fn find(&self, label: &'static str, area: Option<Area>) -> Vec<Hit> {
        let key = (label.as_ptr() as usize, label.len());
        let mut by_label = self.by_label.borrow_mut();
        if let Some(all) = by_label.get(&key) {
            return within(all, area);
        }
        let all = self.find_pattern(Pattern::of(label), None);
        let hits = within(&all, area);
        by_label.insert(key, all);
        hits
    }

    pub fn find_pattern(&self, p: &Pattern, area: Option<Area>) -> Vec<Hit> {
        // A label is scored against every cell once; areas filter the remembered hits.
        let mut cache = self.cache.borrow_mut();
        if let Some(all) = cache.get(&p.full) {
            return within(all, area);
        }
        let min = min_score(p);
        // Cells of other lengths score 0, below any minimum.
        let mut hits: Vec<Hit> = Vec::new();
        for (n, cells) in self.by_len.iter().enumerate() {
            if cells.is_empty() || !lengths_may_match(n, p.bare_chars) {
                continue;
            }
            for &i in cells {
                let t = &self.texts[i as usize];
                let s = score_cell(&t.forms, p);
                if s >= min {
                    hits.push(Hit { sheet: t.sheet, row: t.row, col: t.col, score: s });
                }
            }
        }
        if self.near.keys.is_some_and(|k| k.contains(&p.full)) {
            // A fuzzy hit of a table's label counts only as a near label (below).
            hits.retain(|h| h.score >= 80);
        }
        for n in self.near.labels.iter().filter(|n| n.full == p.full) {
            let t = &self.texts[n.text];
            match hits.iter_mut().find(|h| (h.sheet, h.row, h.col) == (t.sheet, t.row, t.col)) {
                Some(h) => h.score = h.score.max(NEAR),
                None => hits.push(Hit { sheet: t.sheet, row: t.row, col: t.col, score: NEAR }),
            }
        }
        hits.sort_by(|a, b| b.score.cmp(&a.score).then((a.sheet, a.row, a.col).cmp(&(b.sheet, b.row, b.col))));
        let found = within(&hits, area);
        cache.insert(p.full.clone(), hits);
        found
    }

    /// Sets the cells read as labels they are near: from now on [`Index::find`] returns
    /// them for those labels, with the score [`NEAR`], and no other fuzzy hit
    /// of a table's label.
    pub fn set_near(&mut self, near: Near) {
        self.near = near;
        self.cache.borrow_mut().clear();
        self.by_label.borrow_mut().clear();
    }

    /// The near label read at a cell, if it is one.
    pub fn near_at(&self, (sheet, row, col): (usize, u32, u32)) -> Option<&NearLabel> {
        self.near.labels.iter().find(|n| {
            let t = &self.texts[n.text];
            (t.sheet, t.row, t.col) == (sheet, row, col)
        })
    }

    /// The best match of any of the labels, or `None`.
    pub fn best(&self, labels: &[&'static str], area: Option<Area>) -> Option<Hit> {
        labels
            .iter()
            .filter_map(|l| self.find(l, area).into_iter().next())
            .max_by(|a, b| a.score.cmp(&b.score).then((b.sheet, b.row, b.col).cmp(&(a.sheet, a.row, a.col))))
    }

    /// Whether a place is out of sight: its sheet, its row or its column hidden.
    pub fn hidden_at(&self, (sheet, row, col): Pos) -> bool {
        let s = &self.sheets[sheet];
        s.hidden || s.lines.row_hidden(row) || s.lines.col_hidden(col)
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

/// The hits inside an area (all of them without one), in their order.
fn within(hits: &[Hit], area: Option<Area>) -> Vec<Hit> {
    hits.iter()
        .filter(|h| {
            area.is_none_or(|a| {
                h.sheet == a.sheet && (a.rows.0..=a.rows.1).contains(&h.row) && (a.cols.0..=a.cols.1).contains(&h.col)
            })
        })
        .copied()
        .collect()
}
/// A cell of the workbook: sheet, row, column.
pub type Pos = (usize, u32, u32);

pub(super) fn value_at(ix: &Index, sheet: usize, row: u32, col: u32, column: &Column) -> Value {
    let mut v = parse(ix.raw(sheet, row, col), column.kind);
    // A sum saved without its result (a file written by a script) is computed; a formula
    // typed as text is text, not a formula.
    if let Raw::Formula(f) = ix.raw(sheet, row, col) {
        if let Some(n) = compute_sum(f, &|r, c| ix.raw(sheet, r, c)) {
            v.num = Some(n);
            v.state = State::Number;
        }
    }
    v.cell = Some(CellRef::new(ix.sheets[sheet].name.clone(), row, col));
    v
}

/// The score of a near label: below every rule that matches the label itself (80 and up),
/// so a cell that matches a label wins over one a character off; accepted where a table
/// wants labels of 80 or more.
pub const NEAR: u8 = 79;

/// Whether a hit is as firm as `min` asks, or a near label (which tables take where they
/// want the label itself, never a prefix or a fuzzy match).
pub fn firm(score: u8, min: u8) -> bool {
    score >= min || score == NEAR
}

/// A text cell read as an official label it is near.
#[derive(Debug, Clone)]
pub struct NearLabel {
    /// The cell's index in [`Index::texts`].
    pub text: usize,
    pub official: &'static str,
    /// The official label normalised (the key [`Index::find_pattern`] caches by).
    pub full: String,
}

/// The near labels of a workbook, and the labels they are for.
#[derive(Debug, Default)]
pub struct Near {
    pub labels: Vec<NearLabel>,
    /// The normalised labels of the form's tables: their hits are the label itself (80 and
    /// up) or a near label; a fuzzy hit that is neither (a cell as near another label) is
    /// no hit. Made once a process per edition (none: no near labels looked for).
    pub(crate) keys: Option<&'static std::collections::HashSet<String, FastHash>>,
}
