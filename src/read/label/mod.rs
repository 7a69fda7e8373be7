//! Label matching (docs/formats.md §5a): labels are compared after normalising spaces, line
//! breaks, full/half-width forms, brackets, quotes and enumerators, and an appended note.

use crate::hash::FastHash;
use std::collections::HashMap;
use std::sync::{OnceLock, PoisonError, RwLock};
use unicode_normalization::UnicodeNormalization;

/// Normalises a label: NFKC (full-width → half-width, （ → (), no white space,
/// one kind of quote, `1、`/`1．` → `1.`, `〔〕【】` → `()`.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_digit = false;
    // Most cells are ASCII, CJK ideographs and common full-width punctuation, whose NFKC
    // form is a per-character mapping: no normaliser needed. Anything else takes the
    // general path from the start.
    for c in s.chars() {
        match nfkc_simple(c) {
            Some(c) => push_norm(&mut out, c, &mut prev_digit),
            None => {
                out.clear();
                prev_digit = false;
                for c in s.nfkc() {
                    push_norm(&mut out, c, &mut prev_digit);
                }
                return out;
            }
        }
    }
    out
}

/// The general path of [`norm`], kept for tests that compare the two.
#[cfg(test)]
fn norm_nfkc(s: &str) -> String {
    let mut out = String::new();
    let mut prev_digit = false;
    for c in s.nfkc() {
        push_norm(&mut out, c, &mut prev_digit);
    }
    out
}

/// The NFKC form of a character that normalises on its own (no composition, no
/// reordering, one character out), or `None` for every other character.
#[inline]
fn nfkc_simple(c: char) -> Option<char> {
    match c {
        '\0'..='\u{7f}' | '\u{4e00}'..='\u{9fff}' => Some(c),
        // Full-width ASCII forms.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        '\u{3000}' => Some(' '),
        '、' | '。' | '〈' | '〉' | '《' | '》' | '「' | '」' | '『' | '』' | '【' | '】' | '〔' | '〕' | '“' | '”'
        | '‘' | '’' | '—' | '–' | '−' | '·' => Some(c),
        _ => None,
    }
}

/// Appends one NFKC character to a normalised label: white space dropped, quotes,
/// brackets and punctuation folded, and `、` after a digit made `.` (`1、` is `1.`).
#[inline]
fn push_norm(out: &mut String, c: char, prev_digit: &mut bool) {
    let c = match c {
        c if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' => return,
        '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '『' | '』' => '"',
        '〔' | '【' | '[' | '［' => '(',
        '〕' | '】' | ']' | '］' => ')',
        '：' => ':',
        '，' => ',',
        '。' | '．' => '.',
        '—' | '－' | '–' | '−' => '-',
        '／' => '/',
        '、' if *prev_digit => '.',
        c => c,
    };
    // The enumerator rule looks at the character before, as folded.
    *prev_digit = c.is_ascii_digit();
    out.push(c);
}

const CN_NUM: &str = "一二三四五六七八九十";

/// Strips leading enumerators: `三、`, `(三)`, `1.`, `(1)`, `1)`.
pub fn strip_enum(s: &str) -> &str {
    let mut s = s;
    loop {
        let before = s.len();
        if let Some(rest) = s.strip_prefix('(') {
            if let Some(end) = rest.find(')') {
                let inner = &rest[..end];
                if !inner.is_empty() && inner.chars().all(|c| CN_NUM.contains(c) || c.is_ascii_digit()) {
                    s = &rest[end + 1..];
                }
            }
        } else {
            let n =
                s.chars().take_while(|c| CN_NUM.contains(*c) || c.is_ascii_digit()).map(char::len_utf8).sum::<usize>();
            if n > 0 {
                let rest = &s[n..];
                if let Some(r) = rest.strip_prefix(['、', '.', ')', ',']) {
                    s = r;
                }
            }
        }
        s = s.trim_start_matches(['.', '、', ',', ':']);
        if s.len() == before {
            return s;
        }
    }
}

/// Removes parenthesised notes anywhere (`现行有效件数(历史累计)` → `现行有效件数`).
pub fn strip_notes(s: &str) -> String {
    // Without an opening bracket every character stays.
    if !s.contains('(') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The label without the bracketed notes or units typed after it (docs/formats.md §5a):
/// `自然人(件)` → `自然人`, `结果纠正(含确认违法)` → `结果纠正`, `规章(设区的市…)` → `规章`.
/// Only trailing groups go, and only while official text remains before them, so a label
/// that is one bracketed note (table 三's corner cell) stays whole and brackets inside a
/// label (`第二十条第(一)项`) stay. Takes normalised text; never allocates.
pub fn strip_trailing_notes(s: &str) -> &str {
    let mut s = s;
    while s.ends_with(')') {
        // The opening bracket of the last group, counting nested ones.
        let mut depth = 0usize;
        let mut open = None;
        for (i, c) in s.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        open = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        match open {
            Some(i) if i > 0 => s = &s[..i],
            _ => return s,
        }
    }
    s
}

/// A normalised official label, precomputed for matching.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub full: String,
    /// Where [`Pattern::core`] starts in `full`: the enumerators are a prefix.
    core_at: usize,
    /// [`Pattern::bare`] where it differs from the core (a note in brackets): most labels
    /// have none, and each text cell of a workbook is made a pattern.
    noted: Option<String>,
    pub bare_chars: usize,
    /// Which characters `bare` has, hashed to 128 bits: a cheap lower bound of the edit
    /// distance between two labels, before the distance itself.
    pub chars_seen: u128,
    /// `bare` with every synonym written as its official word ([`SYNONYMS`]), where it
    /// holds one.
    pub canon: Option<String>,
}

/// Words departments write for the form's own, each with the form's word: the one table of
/// synonyms (docs/reading.md). A label matches under them with [`SYNONYM`].
pub const SYNONYMS: &[(&str, &str)] =
    &[("合计", "总计"), ("共计", "总计"), ("小计", "总计"), ("单位", "机构"), ("组织", "机构"), ("其它", "其他")];

/// The score of a label that equals an official one once synonyms are replaced: below
/// every exact rule (so `总计（件）` beats `合计`), above the bar of short labels.
pub const SYNONYM: u8 = 86;

/// `bare` with each synonym replaced by its official word, if it holds any.
fn canon(bare: &str) -> Option<String> {
    if !SYNONYMS.iter().any(|(w, _)| bare.contains(w)) {
        return None;
    }
    let mut s = bare.to_string();
    for (w, official) in SYNONYMS {
        s = s.replace(w, official);
    }
    Some(s)
}

/// Whether two labels differ only by synonyms.
#[inline]
fn synonyms_equal(cell: &Pattern, p: &Pattern) -> bool {
    (cell.canon.is_some() || p.canon.is_some())
        && cell.bare() != p.bare()
        && cell.canon.as_deref().unwrap_or(cell.bare()) == p.canon.as_deref().unwrap_or(p.bare())
}

/// A character's bit in [`Pattern::chars_seen`].
fn char_bit(c: char) -> u128 {
    1u128 << ((c as u32).wrapping_mul(0x9e37_79b1) >> 25)
}

impl Pattern {
    pub fn new(label: &str) -> Self {
        Pattern::new_normalised(norm(label))
    }

    /// The pattern of one of the program's own labels, made once a process: each workbook
    /// asks for the same few hundred labels of the form, and normalising them anew for
    /// every workbook was a twentieth of reading it. Only `'static` text is kept, so the
    /// table is bounded by the labels compiled in.
    pub fn of(label: &'static str) -> &'static Pattern {
        type Cache = RwLock<HashMap<&'static str, &'static Pattern, FastHash>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(p) = cache.read().unwrap_or_else(PoisonError::into_inner).get(label) {
            return p;
        }
        let mut all = cache.write().unwrap_or_else(PoisonError::into_inner);
        all.entry(label).or_insert_with(|| Box::leak(Box::new(Pattern::new(label))))
    }

    /// From text already passed through [`norm`].
    pub fn new_normalised(full: String) -> Self {
        let core = strip_enum(&full);
        let core_at = full.len() - core.len();
        let noted = core.contains('(').then(|| strip_notes(core));
        let bare = noted.as_deref().unwrap_or(core);
        let (mut bare_chars, mut chars_seen) = (0, 0u128);
        for c in bare.chars() {
            bare_chars += 1;
            chars_seen |= char_bit(c);
        }
        // A synonym needs its first character: most labels hold none, known from the bits.
        let may_hold_synonym =
            SYNONYMS.iter().any(|(w, _)| w.chars().next().is_some_and(|c| chars_seen & char_bit(c) != 0));
        let canon = if may_hold_synonym { canon(bare) } else { None };
        Pattern { full, core_at, noted, bare_chars, chars_seen, canon }
    }

    /// The label without its enumerators (`(三)`, `1.`).
    pub fn core(&self) -> &str {
        &self.full[self.core_at..]
    }

    /// The core without notes in brackets.
    pub fn bare(&self) -> &str {
        self.noted.as_deref().unwrap_or(self.core())
    }
}

/// Whether a cell whose bare label has `a` characters can score anything against a label
/// of `b`: every rule of [`score_cell`] needs equal lengths or lengths this close, so
/// cells of other lengths are never compared.
pub fn lengths_may_match(a: usize, b: usize) -> bool {
    let (short, long) = (a.min(b), a.max(b));
    a == b || (short >= 4 && (short * 4 >= long * 3 || long - short <= (long / 6).max(1)))
}

/// How well a normalised cell text matches a label, 0 (not at all) to 100 (exactly).
pub fn score(cell_full: &str, p: &Pattern) -> u8 {
    if cell_full == p.full {
        return if cell_full.is_empty() { 0 } else { 100 };
    }
    score_cell(&Pattern::new_normalised(cell_full.to_string()), p)
}

/// The same as [`score`] for a cell whose forms are already computed: the index keeps
/// them, since every cell is compared with every label.
pub fn score_cell(cell: &Pattern, p: &Pattern) -> u8 {
    if cell.full.is_empty() {
        return 0;
    }
    if synonyms_equal(cell, p) {
        return SYNONYM;
    }
    if !chars_may_match(cell, p) {
        return 0;
    }
    if cell.full == p.full {
        return 100;
    }
    if cell.core() == p.core() {
        return 90;
    }
    let (bare, p_bare) = (cell.bare(), p.bare());
    if bare.is_empty() {
        return 0;
    }
    if bare == p_bare {
        // The same label with a note or unit after it is the label itself.
        return if strip_trailing_notes(cell.core()) == strip_trailing_notes(p.core()) { 90 } else { 80 };
    }
    let (a, b) = (cell.bare_chars, p.bare_chars);
    // An edited label: one a prefix of the other (现行有效件 / 现行有效件数).
    let (short, long, ls) = if a <= b { (bare, p_bare, a) } else { (p_bare, bare, b) };
    if ls >= 4 && long.starts_with(short) && ls * 4 >= (a.max(b)) * 3 {
        return 65;
    }
    // A typo or an extra character (行政法复议).
    if a.min(b) >= 4 {
        let limit = (a.max(b) / 6).max(1);
        // The distance is at least the difference in length, and at least the number of
        // characters one has and the other lacks: skip the costly part.
        if a.abs_diff(b) > limit {
            return 0;
        }
        let missing =
            (cell.chars_seen & !p.chars_seen).count_ones().max((p.chars_seen & !cell.chars_seen).count_ones());
        // The distance looks at the first MAX_CHARS characters only; so does the bound.
        if a.max(b) <= MAX_CHARS && missing as usize > limit {
            return 0;
        }
        let d = levenshtein(bare, p_bare);
        if d <= limit {
            return 55;
        }
    }
    0
}

/// Whether the characters of two bare labels allow any score: the exact rules need the
/// same characters, the prefix rule one set within the other, the edit distance few
/// characters that only one has. Most cell–label pairs fail this on a few bit operations.
#[inline]
fn chars_may_match(cell: &Pattern, p: &Pattern) -> bool {
    let only_cell = (cell.chars_seen & !p.chars_seen).count_ones() as usize;
    let only_label = (p.chars_seen & !cell.chars_seen).count_ones() as usize;
    let long = cell.bare_chars.max(p.bare_chars);
    only_cell == 0 || only_label == 0 || only_cell.max(only_label) <= (long / 6).max(1) || long > MAX_CHARS
}

/// Characters of each string that [`levenshtein`] compares.
const MAX_CHARS: usize = 96;

/// Character edit distance over the first 96 characters of each string. Labels
/// are short, so the one row lives on the stack.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let mut bb = ['\0'; MAX_CHARS];
    let mut n = 0;
    for c in b.chars().take(MAX_CHARS) {
        bb[n] = c;
        n += 1;
    }
    let bb = &bb[..n];
    // row[j]: the distance between the prefix of `a` read so far and `b[..j]`; at most
    // MAX_CHARS, so a byte each.
    let mut row = [0u8; MAX_CHARS + 1];
    for (j, p) in row.iter_mut().enumerate().take(n + 1) {
        *p = j as u8;
    }
    for (i, ca) in a.chars().take(MAX_CHARS).enumerate() {
        // `diag` is the previous row's value at j, `left` this row's at j.
        let mut diag = row[0];
        let mut left = i as u8 + 1;
        row[0] = left;
        for (j, &cb) in bb.iter().enumerate() {
            let up = row[j + 1];
            let v = (up + 1).min(left + 1).min(diag + u8::from(ca != cb));
            row[j + 1] = v;
            diag = up;
            left = v;
        }
    }
    usize::from(row[n])
}

/// A similarity for naming the nearest official label of an unknown one.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la + lb == 0 {
        return 0.0;
    }
    1.0 - levenshtein(a, b) as f64 / la.max(lb) as f64
}

#[cfg(test)]
mod tests;
