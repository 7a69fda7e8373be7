//! Label matching (formats.md §5a): labels are compared after normalising spaces, line
//! breaks, full/half-width forms, brackets, quotes and enumerators, and an appended note.

use unicode_normalization::UnicodeNormalization;

/// Normalises a label: NFKC (full-width → half-width, （ → (), no white space,
/// one kind of quote, `1、`/`1．` → `1.`, `〔〕【】` → `()`.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        let c = match c {
            c if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' => continue,
            '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '『' | '』' => '"',
            '〔' | '【' | '[' | '［' => '(',
            '〕' | '】' | ']' | '］' => ')',
            '：' => ':',
            '，' => ',',
            '。' | '．' => '.',
            '—' | '－' | '–' | '−' => '-',
            '／' => '/',
            c => c,
        };
        out.push(c);
    }
    // `1、` and `1.` are the same enumerator.
    let mut fixed = String::with_capacity(out.len());
    let mut prev_digit = false;
    for c in out.chars() {
        if c == '、' && prev_digit {
            fixed.push('.');
        } else {
            fixed.push(c);
        }
        prev_digit = c.is_ascii_digit();
    }
    fixed
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

/// A normalised official label, precomputed for matching.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub full: String,
    pub core: String,
    pub bare: String,
    pub bare_chars: usize,
}

impl Pattern {
    pub fn new(label: &str) -> Self {
        Pattern::new_normalised(norm(label))
    }

    /// From text already passed through [`norm`].
    pub fn new_normalised(full: String) -> Self {
        let core = strip_enum(&full).to_string();
        let bare = strip_notes(&core);
        let bare_chars = bare.chars().count();
        Pattern { full, core, bare, bare_chars }
    }
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
    if cell.full == p.full {
        return 100;
    }
    if cell.core == p.core {
        return 90;
    }
    let bare = &cell.bare;
    if bare.is_empty() {
        return 0;
    }
    if *bare == p.bare {
        return 80;
    }
    let (a, b) = (cell.bare_chars, p.bare_chars);
    // An edited label: one a prefix of the other (现行有效件 / 现行有效件数).
    let (short, long, ls) = if a <= b { (bare, &p.bare, a) } else { (&p.bare, bare, b) };
    if ls >= 4 && long.starts_with(short.as_str()) && ls * 4 >= (a.max(b)) * 3 {
        return 65;
    }
    // A typo or an extra character (行政法复议).
    if a.min(b) >= 4 {
        let limit = (a.max(b) / 6).max(1);
        // The distance is at least the difference in length: skip the costly part.
        if a.abs_diff(b) > limit {
            return 0;
        }
        let d = levenshtein(bare, &p.bare);
        if d <= limit {
            return 55;
        }
    }
    0
}

/// Character edit distance, bounded to short labels. Labels are short, so the rows live
/// on the stack; this runs for every cell against every label.
pub fn levenshtein(a: &str, b: &str) -> usize {
    const MAX: usize = 96;
    let mut bb = ['\0'; MAX];
    let mut n = 0;
    for c in b.chars().take(MAX) {
        bb[n] = c;
        n += 1;
    }
    let mut rows = [[0usize; MAX + 1]; 2];
    for (j, p) in rows[0].iter_mut().enumerate().take(n + 1) {
        *p = j;
    }
    let mut last = 0;
    for (i, ca) in a.chars().take(MAX).enumerate() {
        let (p, c) = (i % 2, (i + 1) % 2);
        rows[c][0] = i + 1;
        for j in 0..n {
            let cost = usize::from(ca != bb[j]);
            rows[c][j + 1] = (rows[p][j + 1] + 1).min(rows[c][j] + 1).min(rows[p][j] + cost);
        }
        last = c;
    }
    rows[last][n]
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
mod tests {
    use super::*;

    fn s(cell: &str, label: &str) -> u8 {
        score(&norm(cell), &Pattern::new(label))
    }

    #[test]
    fn tolerates_how_labels_are_retyped() {
        assert_eq!(s("（一）予以公开", "（一）予以公开"), 100);
        assert_eq!(s("(一) 予以\n公开", "（一）予以公开"), 100);
        assert_eq!(s("1、属于国家秘密", "1.属于国家秘密"), 100);
        assert_eq!(s("1．属于国家秘密", "1.属于国家秘密"), 100);
        assert_eq!(s("3.危及\"三安全一稳定\"", "3.危及“三安全一稳定”"), 100);
        assert_eq!(s("属于国家秘密", "1.属于国家秘密"), 90);
        assert_eq!(s("第二十条 第（一）项", "第二十条第（一）项"), 100);
        assert!(s("现行有效件数 (历史累计)", "现行有效件数") >= 80);
        assert!(s("现行有效件", "现行有效件数") >= 60);
        assert!(s("四、政府信息公开行政法复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况") >= 50);
        assert!(s("商业 企业", "商业企业") == 100);
    }

    #[test]
    fn does_not_confuse_neighbours() {
        assert_eq!(s("其他结果", "其他"), 0);
        assert_eq!(s("规章", "规范性文件"), 0);
        assert_eq!(s("3.其他", "其他"), 90); // scoped by region in the locator
        assert_eq!(s("行政许可", "行政处罚"), 0);
        assert_eq!(s("1.属于国家秘密", "1.本机关不掌握相关政府信息"), 0);
    }
}
