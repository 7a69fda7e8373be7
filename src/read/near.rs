//! Labels a character or so off the form's (docs/reading.md, "A character more or less"):
//! a text cell that matches no official label but stands within a small edit distance of
//! exactly one label of a table (`本年新收的政府信息公开申请数量`, `结果维持` typed `结果的维持`,
//! `行政许` for `行政许可`) is that label. The index returns such cells as hits of score
//! [`NEAR`]; every one a table reads under is said (READ-LABEL) naming the cell, the text
//! and the official label. Two labels of one table equally near: no placement, and the
//! table's own error names the label it lacks.

pub(super) use super::index::firm;
use super::index::{Index, Near, NearLabel, Pos, NEAR};
use super::label::{lengths_may_match, levenshtein, score_cell, Pattern};
use super::place::EXTRA_WORDS;
use super::table::Table;
use crate::cell::CellRef;
use crate::form::{self, Form};
use crate::model::{NoteKind, ReadNote};

/// Longest text looked at: what the edit distance compares.
const MAX_CHARS: usize = 96;

/// A label with every synonym written as the form's word.
fn canon(p: &Pattern) -> &str {
    p.canon.as_deref().unwrap_or(p.bare())
}

/// The edit distance two bare labels may be apart: one character for labels under 12
/// characters, a sixth beyond; never a third of the longer (so `其他` is one off `其他的`
/// but a single character is no label).
fn limit(a: usize, b: usize) -> usize {
    let long = a.max(b);
    (long / 6).max(1).min(long / 3)
}

/// The labels of each table of the form (section 二, table 三, table 四), every spelling
/// the form knows with the label it spells: the sets within which a near label must be
/// unique.
fn table_labels(form: &Form) -> [Vec<(&'static str, &'static str)>; 3] {
    let one = |l: &'static str| (l, l);
    let all = |l: &'static str, aliases: &'static [&'static str]| {
        std::iter::once(one(l)).chain(aliases.iter().map(move |a| (l, *a)))
    };
    let mut active = vec![one(form::ACTIVE_HEADER)];
    for b in form.active {
        active.push(one(b.heading));
        active.extend(b.columns.iter().flat_map(|c| all(c.label, c.aliases)));
        active.extend(b.rows.iter().flat_map(|r| all(r.label, r.aliases)));
    }
    let mut requests = vec![one(form::REQUESTS_APPLICANT), one(form::REQUESTS_ORG), one(form::REQUESTS_NOTE)];
    for r in form.requests_rows {
        requests.extend(all(r.label, r.aliases));
        requests.extend(r.groups.iter().map(|g| one(g)));
    }
    requests.extend(form.requests_columns.iter().flat_map(|c| all(c.label, c.aliases)));
    let mut review = vec![one(form::REVIEW_LITIGATION)];
    review.extend(form.review_groups.iter().map(|g| one(g.label)));
    review.extend(form.review_columns.iter().flat_map(|c| all(c.label, c.aliases)));
    let mut sets = [active, requests, review];
    for s in &mut sets {
        s.sort_unstable();
        s.dedup();
    }
    sets
}

/// Every text cell of the workbook near exactly one label of a table of `form`, with that
/// label (a cell may be near one label of two tables: each is kept, as areas tell them
/// apart). Near: a fuzzy match of `score_cell`, or a character more, less or changed in a
/// short label; the nearest by edit distance, and no other label of the table as near.
pub(super) fn near_labels(ix: &Index, form: &Form) -> Near {
    let Prepared { keys, spelt, patterns, headings } = prepared(form);
    let mut out = Vec::new();
    for (i, t) in ix.texts.iter().enumerate() {
        let n = t.forms.bare_chars;
        // Most cells of a workbook are the form's labels as written: no near label.
        if spelt.contains(&t.forms.full)
            || !(2..=MAX_CHARS).contains(&n)
            || EXTRA_WORDS.iter().any(|w| t.forms.bare().contains(w))
        {
            continue;
        }
        // A label of the form itself (with a note, a synonym…) is no near one.
        // Labels of other lengths score 0 (`lengths_may_match`): most are skipped unscored.
        let matched = |p: &Pattern| lengths_may_match(n, p.bare_chars) && score_cell(&t.forms, p) >= 80;
        if patterns.iter().flatten().any(|(_, p)| matched(p)) || headings.iter().any(matched) {
            continue;
        }
        for set in patterns {
            // (distance, label, spelling); spellings of one label, or labels with one bare
            // text, are no tie.
            let mut best: Option<(usize, &'static str, &Pattern)> = None;
            let mut tie = false;
            for (label, p) in set {
                let m = p.bare_chars;
                if !lengths_may_match(n, m) && n.abs_diff(m) > limit(n, m) {
                    continue;
                }
                // The fuzzy rules of `score_cell` (a prefix, a typo in a long label), or one
                // character more, less or changed in a short one.
                let fuzzy = matches!(score_cell(&t.forms, p), 55 | 65);
                // Synonyms replaced on both sides (`社公益机构` is one off `社会公益组织`).
                let synonyms = t.forms.canon.is_some() || p.canon.is_some();
                if !fuzzy && !synonyms {
                    if m < 2 || n.abs_diff(m) > limit(n, m) {
                        continue;
                    }
                    let only = (t.forms.chars_seen & !p.chars_seen)
                        .count_ones()
                        .max((p.chars_seen & !t.forms.chars_seen).count_ones());
                    if only as usize > limit(n, m) {
                        continue;
                    }
                }
                let mut d = levenshtein(t.forms.bare(), p.bare());
                if synonyms {
                    d = d.min(levenshtein(canon(&t.forms), canon(p)));
                }
                if d == 0 || (!fuzzy && (m < 2 || d > limit(n, m))) {
                    continue;
                }
                match best {
                    Some((bd, bl, bp)) if d == bd && bl != *label && bp.bare() != p.bare() => tie = true,
                    Some((bd, _, _)) if d >= bd => {}
                    _ => {
                        best = Some((d, label, p));
                        tie = false;
                    }
                }
            }
            if let (Some((_, official, _)), false) = (best, tie) {
                // Found under the official label's own key (what tables look for).
                out.push(NearLabel { text: i, official, full: Pattern::new(official).full });
            }
        }
    }
    Near { labels: out, keys: Some(keys) }
}

/// The labels of an edition's tables as patterns, made once a process: every workbook
/// compares its text cells with the same ones.
struct Prepared {
    /// The official labels' normalised texts.
    keys: std::collections::HashSet<String, crate::hash::FastHash>,
    /// Every spelling's normalised text (a cell that is one is no near label).
    spelt: std::collections::HashSet<String, crate::hash::FastHash>,
    patterns: Vec<Vec<(&'static str, Pattern)>>,
    headings: Vec<Pattern>,
}

fn prepare(form: &Form) -> Prepared {
    let sets = table_labels(form);
    let keys = sets.iter().flatten().map(|(l, _)| Pattern::new(l).full).collect();
    let patterns: Vec<Vec<(&'static str, Pattern)>> =
        sets.iter().map(|s| s.iter().map(|(l, spelt)| (*l, Pattern::new(spelt))).collect()).collect();
    let headings: Vec<Pattern> = form::SECTIONS.iter().map(|s| Pattern::new(s.heading)).collect();
    let spelt =
        patterns.iter().flatten().map(|(_, p)| p.full.clone()).chain(headings.iter().map(|p| p.full.clone())).collect();
    Prepared { keys, spelt, patterns, headings }
}

fn prepared(form: &Form) -> &'static Prepared {
    static E2019: std::sync::OnceLock<Prepared> = std::sync::OnceLock::new();
    static E2021: std::sync::OnceLock<Prepared> = std::sync::OnceLock::new();
    match form.edition {
        form::Edition::E2019 => E2019.get_or_init(|| prepare(form)),
        form::Edition::E2021 => E2021.get_or_init(|| prepare(form)),
    }
}

/// The READ-LABEL notes of the near labels a table was read under, one per cell.
pub(super) fn notes(ix: &Index, table: &Table, heading: &str) -> Vec<ReadNote> {
    let mut seen: Vec<Pos> = Vec::new();
    let mut out = Vec::new();
    for &(row, col) in table.labels.iter().flatten() {
        for pos in [row, col] {
            if seen.contains(&pos) {
                continue;
            }
            seen.push(pos);
            let Some(n) = ix.near_at(pos) else { continue };
            let (s, r, c) = pos;
            let text = super::place::text_at(ix, super::index::Hit { sheet: s, row: r, col: c, score: NEAR });
            out.push(ReadNote {
                kind: NoteKind::Label,
                cell: Some(CellRef::new(ix.sheets[s].name.clone(), r, c)),
                message: format!(
                    "“{heading}”表中的标签“{text}”不是官方表格的文字，与官方标签“{}”只差一两个字，已读作“{}”，请核对并改为官方文字",
                    n.official, n.official
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_one_character_for_short_labels_and_never_a_third() {
        assert_eq!(limit(2, 3), 1);
        assert_eq!(limit(4, 5), 1);
        assert_eq!(limit(16, 17), 2);
        assert_eq!(limit(1, 2), 0);
    }

    #[test]
    fn every_label_of_a_table_is_near_no_other_of_it() {
        // An official label is matched as itself, never placed as its neighbour: within a
        // table no two labels are one character apart unless they share a bare text.
        for f in [&form::FORM_2019, &form::FORM_2021] {
            for set in table_labels(f) {
                for (la, a) in &set {
                    for (_, b) in set.iter().filter(|(lb, _)| lb != la) {
                        let (pa, pb) = (Pattern::new(a), Pattern::new(b));
                        if pa.bare() == pb.bare() || score_cell(&pa, &pb) >= 80 {
                            continue;
                        }
                        let d = levenshtein(pa.bare(), pb.bare());
                        assert!(d > limit(pa.bare_chars, pb.bare_chars), "{a} and {b} are {d} apart");
                    }
                }
            }
        }
    }
}
