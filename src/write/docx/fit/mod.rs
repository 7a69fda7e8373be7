//! Fitting text to the page as GB/T 9704 asks: the column widths of the official tables,
//! distributed from their content, and the break of a title too long for one line.
//!
//! Text is measured in half-ems of its font size: a Chinese character or full-width mark is
//! two, an ASCII letter, digit or mark one. Lines break as Word and LibreOffice break Chinese
//! text: anywhere between Chinese characters, never inside a run of ASCII (`2023`, `5.`),
//! never before a closing mark (`，。、）”`) nor after an opening one (`（“`).

pub mod metrics;

/// Half-ems of a text.
pub fn half_ems(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Marks that may not begin a line.
fn no_start(c: char) -> bool {
    // `matches!`, not a search of a string of them: asked of every character of every label.
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '”'
            | '’'
            | '…'
            | '—'
            | '·'
            | '%'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// Marks that may not end a line.
fn no_end(c: char) -> bool {
    matches!(c, '（' | '《' | '「' | '『' | '【' | '〔' | '〈' | '“' | '‘' | '(' | '[' | '{')
}

/// The text cut into pieces no line break may fall inside: an ASCII run, a Chinese
/// character with the closing marks after it and the opening marks before it.
fn units(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    // Byte offsets where a break is allowed.
    let mut cuts = vec![0];
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(2) {
        let ((_, a), (i, b)) = (w[0], w[1]);
        let inside_ascii = a.is_ascii() && b.is_ascii() && !a.is_ascii_whitespace() && !b.is_ascii_whitespace();
        if !(inside_ascii || no_start(b) || no_end(a)) {
            cuts.push(i);
        }
    }
    cuts.push(text.len());
    for w in cuts.windows(2) {
        if w[0] < w[1] {
            out.push(&text[w[0]..w[1]]);
        }
    }
    out
}

/// The lines `text` breaks into at `cap` half-ems a line. A piece longer than a whole line
/// is cut by characters, as Word does.
pub fn break_lines(text: &str, cap: usize) -> Vec<String> {
    let cap = cap.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for unit in units(text) {
        let w = half_ems(unit);
        if used + w > cap && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w > cap {
            for c in unit.chars() {
                let cw = half_ems(c.encode_utf8(&mut [0; 4]));
                if used + cw > cap && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        } else {
            line.push_str(unit);
            used += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Whether a broken text leaves a line of one character (`…申请数/量`).
pub fn orphan(lines: &[String]) -> bool {
    lines.len() > 1 && lines.iter().any(|l| l.chars().count() == 1)
}

/// The lines for a label that the writer breaks itself (explicit line breaks): the fewest
/// lines of at most `cap` half-ems, none of one character, as even as possible (the sum of
/// squared shortfalls from `cap` is least). Where one-character lines cannot be avoided
/// (`cap` under two characters), the lines [`break_lines`] gives.
pub fn label_lines(text: &str, cap: usize) -> Vec<String> {
    let units = units(text);
    let n = units.len();
    let widths: Vec<usize> = units.iter().map(|u| half_ems(u)).collect();
    // Units are never empty: a line of one character is one unit of one character.
    let one_char: Vec<bool> = units.iter().map(|u| u.chars().nth(1).is_none()).collect();
    // best[i]: (lines, badness, end of the first line) for units[i..].
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
    best[n] = Some((0, 0, n));
    for i in (0..n).rev() {
        let mut w = 0;
        for j in i + 1..=n {
            w += widths[j - 1];
            if w > cap {
                break;
            }
            let single = j == i + 1 && one_char[i];
            if single && !(i == 0 && j == n) {
                continue;
            }
            if let Some((lines, bad, _)) = best[j] {
                let cand = (lines + 1, bad + (cap - w) * (cap - w), j);
                if best[i].is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
                    best[i] = Some(cand);
                }
            }
        }
    }
    if best[0].is_none() || n == 0 {
        return break_lines(text, cap);
    }
    let mut lines = Vec::new();
    let mut i = 0;
    while i < n {
        let Some((_, _, j)) = best[i] else { break };
        lines.push(units[i..j].concat());
        i = j;
    }
    lines
}

/// A cell of a table, for [`widths`].
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub text: &'a str,
    /// Its first grid column and how many it spans.
    pub col: usize,
    pub span: usize,
    /// Its row, and how many rows it spans (a vertically merged group label).
    pub row: usize,
    pub rows: usize,
    /// Never broken: a header word, a number.
    pub whole: bool,
}

/// How a table is measured: its total width, the width of an em of its font and the
/// horizontal padding of a cell (twips), and the grid columns whose width follows from their
/// content alone (header words, numbers) rather than taking what is left.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    pub total: u32,
    pub em: u32,
    pub pad: u32,
}

impl Measure {
    /// Half-ems that fit in `width` twips, with a twentieth of an em to spare for the
    /// rounding of real fonts.
    pub fn fits(&self, width: u32) -> usize {
        let room = width.saturating_sub(self.pad + self.em / 20);
        (room as usize * 2) / self.em as usize
    }

    /// Twips a column needs to hold `half_ems` without a break.
    pub fn needs(&self, half_ems: usize) -> u32 {
        (half_ems as u32 * self.em).div_ceil(2) + self.pad + self.em / 20
    }

    /// Twips a column needs to hold `text` on one line in whichever font prints it: its
    /// widest advance ([`metrics::width`]), the cell's padding and a twentieth of an em
    /// to spare (at 六号 7 twips: the cell's share of its two quarter-point borders, 5,
    /// and rounding).
    pub fn needs_text(&self, text: &str) -> u32 {
        (metrics::width(text) * self.em).div_ceil(1000) + self.pad + self.em / 20
    }
}

/// Column widths for a table, from [`widths`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// Twips per grid column, summing to the table's width.
    pub widths: Vec<u32>,
    /// The lines the table takes (each row as many as its tallest cell).
    pub lines: usize,
    /// Labels left with a line of one character: 0 unless nothing avoids it.
    pub orphans: usize,
}

/// Column widths (twips, summing to `m.total`) for a table's cells: a column holding a whole
/// cell (header word, number) is as narrow as its widest such cell allows; the rest of the
/// width goes to the other columns (the labels), split in whole ems so that no label leaves
/// a line of one character and the table takes the fewest lines. Where no split of all the
/// rest avoids a one-character line (a label one character longer than its room), the labels
/// give up the fewest ems that do to the other columns. `None` when the whole cells alone
/// are wider than the table.
pub fn widths(cells: &[Cell<'_>], ncols: usize, m: Measure) -> Option<Fit> {
    widths_planned(cells, ncols, m, &mut Plans::new())
}

/// What the search gives the label columns (those holding no whole cell): their widths, in
/// column order, and the table's lines and one-character lines at them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    widths: Vec<u32>,
    lines: usize,
    orphans: usize,
}

/// [`Labels`] remembered by the room the whole columns leave, for one table and measure.
pub type Plans = std::collections::HashMap<u32, Option<Labels>>;

/// [`widths`], remembering the search in `plans`. The labels' widths depend only on the room
/// the whole columns leave them: a whole cell never breaks in a column as wide as its widest,
/// so it is one line whatever the labels get. Tables whose numbers differ but take the same
/// room (most reports of a batch) share one search, and only the whole columns are drawn
/// anew. Where a label spans a whole column, that no longer holds and nothing is remembered.
pub fn widths_planned(cells: &[Cell<'_>], ncols: usize, m: Measure, plans: &mut Plans) -> Option<Fit> {
    let mut min = vec![0u32; ncols];
    let mut fixed = vec![false; ncols];
    for c in cells.iter().filter(|c| c.whole && c.span == 1 && c.col < ncols) {
        min[c.col] = min[c.col].max(m.needs_text(c.text));
        fixed[c.col] = true;
    }
    let flexible: Vec<usize> = (0..ncols).filter(|&i| !fixed[i]).collect();
    let left = m.total.checked_sub(min.iter().sum())?;
    if flexible.is_empty() {
        // Spread what is left: the columns keep their proportions.
        let widths = spread(&min, &fixed, left);
        let (lines, orphans) = lines_needed(cells, &widths, m, &mut Memo::default());
        return Some(Fit { widths, lines, orphans });
    }
    let shared = !cells.iter().any(|c| !c.whole && (c.col..c.col + c.span).any(|k| fixed.get(k) == Some(&true)));
    let labels = match plans.get(&left) {
        Some(known) if shared => known.clone(),
        _ => {
            let found = search(cells, &min, &fixed, &flexible, left, m);
            if shared {
                plans.insert(left, found.clone());
            }
            found
        }
    }?;
    let share: u32 = labels.widths.iter().sum();
    let mut widths = spread(&min, &fixed, left - share);
    for (&col, &w) in flexible.iter().zip(&labels.widths) {
        widths[col] = w;
    }
    Some(Fit { widths, lines: labels.lines, orphans: labels.orphans })
}

/// The labels' widths, as [`widths`] chooses them, for `left` twips of room.
fn search(
    cells: &[Cell<'_>],
    min: &[u32],
    fixed: &[bool],
    flexible: &[usize],
    left: u32,
    m: Measure,
) -> Option<Labels> {
    let most = (left / m.em) as usize;
    let mut best: Option<Fit> = None;
    let mut memo = Memo::default();
    for ems in (flexible.len()..=most).rev() {
        // The labels' share: all that is left, or whole ems with the rest spread over the
        // other columns.
        let share = if ems == most { left } else { ems as u32 * m.em };
        let base = spread(min, fixed, left - share);
        for split in splits(ems, flexible.len()) {
            let mut widths = base.clone();
            let mut given = 0;
            for (k, &col) in flexible.iter().enumerate() {
                widths[col] = if k + 1 == flexible.len() { share - given } else { split[k] as u32 * m.em };
                given += widths[col];
            }
            let (lines, orphans) = lines_needed(cells, &widths, m, &mut memo);
            if best.as_ref().is_none_or(|b| (orphans, lines) < (b.orphans, b.lines)) {
                best = Some(Fit { widths, lines, orphans });
            }
        }
        if best.as_ref().is_some_and(|b| b.orphans == 0) {
            break;
        }
    }
    best.map(|f| Labels { widths: flexible.iter().map(|&c| f.widths[c]).collect(), lines: f.lines, orphans: f.orphans })
}

/// Every way of giving `ems` (at least one each) to `n` columns; the last column's share is
/// implied (`ems` minus the others).
fn splits(ems: usize, n: usize) -> Vec<Vec<usize>> {
    if n <= 1 {
        return vec![vec![ems]];
    }
    let mut out = Vec::new();
    for first in 1..ems.saturating_sub(n - 2) {
        for mut rest in splits(ems - first, n - 1) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

/// `min` with `left` spread over the `fixed` columns in proportion to their widths.
fn spread(min: &[u32], fixed: &[bool], left: u32) -> Vec<u32> {
    let sum: u64 = min.iter().zip(fixed).filter(|(_, f)| **f).map(|(&w, _)| u64::from(w)).sum::<u64>().max(1);
    let mut w: Vec<u32> = min
        .iter()
        .zip(fixed)
        .map(|(&x, &f)| if f { x + (u64::from(left) * u64::from(x) / sum) as u32 } else { x })
        .collect();
    let short = min.iter().sum::<u32>() + left - w.iter().sum::<u32>();
    if let Some(i) = fixed.iter().rposition(|f| *f) {
        w[i] += short;
    }
    w
}

/// Lines and whether they leave a one-character line, per label (by its index) and room
/// in half-ems.
type Memo = std::collections::HashMap<(usize, usize), (usize, bool), crate::hash::FastHash>;

/// The lines a table takes at these widths (each row as many as its tallest cell, a merged
/// cell spreading over its rows), and how many labels leave a one-character line. A whole
/// cell too wide for its column counts as such a label.
fn lines_needed(cells: &[Cell<'_>], widths: &[u32], m: Measure, memo: &mut Memo) -> (usize, usize) {
    let nrows = cells.iter().map(|c| c.row + c.rows.max(1)).max().unwrap_or(0);
    let mut per_row = vec![1usize; nrows];
    let mut merged = Vec::new();
    let mut orphans = 0;
    for (i, c) in cells.iter().enumerate() {
        let width: u32 = widths.iter().skip(c.col).take(c.span).sum();
        let cap = m.fits(width);
        // The search asks for the same cell at the same room many times.
        let (lines, bad) = if c.whole {
            // One line where its widest font fits; else broken, which no whole cell may be.
            if m.needs_text(c.text) <= width {
                (1, false)
            } else {
                (break_lines(c.text, cap).len().max(2), true)
            }
        } else {
            *memo.entry((i, cap)).or_insert_with(|| label_fit(c.text, cap))
        };
        if bad {
            orphans += 1;
        }
        if c.rows <= 1 {
            per_row[c.row] = per_row[c.row].max(lines);
        } else {
            merged.push((c.row, c.rows, lines));
        }
    }
    // A merged cell taller than its rows makes the last of them taller.
    for (row, rows, n) in merged {
        let have: usize = per_row[row..row + rows].iter().sum();
        if n > have {
            per_row[row + rows - 1] += n - have;
        }
    }
    (per_row.iter().sum(), orphans)
}

/// The lines of [`label_lines`] at `cap` half-ems, and whether one holds a single character:
/// remembered for the process, as the searches of each text size and edition ask again for
/// the same labels at the same room.
fn label_fit(text: &str, cap: usize) -> (usize, bool) {
    type Known = std::collections::HashMap<Box<str>, Vec<(usize, usize, bool)>, crate::hash::FastHash>;
    static KNOWN: std::sync::OnceLock<std::sync::Mutex<Known>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    let found = known
        .lock()
        .ok()
        .and_then(|k| k.get(text).and_then(|caps| caps.iter().find(|(c, _, _)| *c == cap).map(|&(_, n, o)| (n, o))));
    if let Some(fit) = found {
        return fit;
    }
    let lines = label_lines(text, cap);
    let fit = (lines.len(), orphan(&lines));
    if let Ok(mut k) = known.lock() {
        // Labels are the forms' own: a few hundred, each at a few rooms.
        if k.len() < 4096 {
            k.entry(text.into()).or_default().push((cap, fit.0, fit.1));
        }
    }
    fit
}

/// Where the title `text` breaks into lines of at most `cap` half-ems (GB/T 9704 §7.3.3):
/// whole words, lines in a 梯形 or 菱形 shape. A two-line title breaks after the agency
/// name or before `政府信息公开工作年度报告`, never inside `2023年度`; an agency name too
/// long for one line breaks after one of its administrative units (省, 市, 县, 局 …).
pub fn title_lines(text: &str, agency: &str, cap: usize) -> Vec<String> {
    if half_ems(text) <= cap {
        return vec![text.to_string()];
    }
    let fits = |lines: &[&str]| lines.iter().all(|l| !l.is_empty() && half_ems(l) <= cap);
    let mut cuts: Vec<usize> = Vec::new();
    if !agency.is_empty() && text.starts_with(agency) {
        cuts.push(agency.len());
    }
    if let Some(at) = text.find(REPORT_WORDS) {
        cuts.push(at);
    }
    // Two lines: prefer the one shaped as a 梯形 (upper line shorter), then the most even.
    let mut two: Vec<(usize, Vec<&str>)> = cuts
        .iter()
        .filter(|&&at| at > 0 && at < text.len())
        .map(|&at| vec![&text[..at], &text[at..]])
        .filter(|l| fits(l))
        .map(|l| (shape_cost(&l), l))
        .collect();
    two.sort_by_key(|(cost, _)| *cost);
    if let Some((_, l)) = two.into_iter().next() {
        return l.into_iter().map(str::to_string).collect();
    }
    // Three lines: the agency name broken after one of its units, then the rest of the
    // title as one line or broken before 政府信息公开工作年度报告.
    let name_end = cuts.first().copied().filter(|_| text.starts_with(agency) && !agency.is_empty());
    if let Some(end) = name_end {
        let mut best: Option<(usize, Vec<&str>)> = None;
        for unit_end in unit_ends(&text[..end]) {
            let mut options = vec![vec![&text[..unit_end], &text[unit_end..end], &text[end..]]];
            if let Some(at) = text.find(REPORT_WORDS).filter(|&at| at > end) {
                options.push(vec![&text[..unit_end], &text[unit_end..at], &text[at..]]);
            }
            for l in options.into_iter().filter(|l| fits(l)) {
                let cost = shape_cost(&l);
                if best.as_ref().is_none_or(|(b, _)| cost < *b) {
                    best = Some((cost, l));
                }
            }
        }
        if let Some((_, l)) = best {
            return l.into_iter().map(str::to_string).collect();
        }
    }
    // No sensible break fits: lines as the words allow, `2023年度` kept together.
    break_title_words(text, cap)
}

/// The words a report's title ends with.
const REPORT_WORDS: &str = "政府信息公开工作年度报告";

/// Administrative units after which an agency name may break, longest first.
const UNITS: [&str; 14] =
    ["特别行政区", "自治区", "自治州", "自治县", "人民政府", "办公室", "省", "市", "州", "盟", "县", "区", "旗", "厅"];

/// Byte offsets just after each administrative unit inside an agency name (not at its end).
fn unit_ends(name: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, _) in name.char_indices() {
        if let Some(u) = UNITS.iter().find(|u| name[i..].starts_with(**u)) {
            let end = i + u.len();
            if end < name.len() && !out.contains(&end) {
                out.push(end);
            }
        }
    }
    out
}

/// How far lines are from a pleasing shape: two lines as a 梯形, upper shorter (a longer upper
/// line costs more); three as a 菱形, the middle longest; evenness breaks ties.
fn shape_cost(lines: &[&str]) -> usize {
    let w: Vec<usize> = lines.iter().map(|l| half_ems(l)).collect();
    let spread = w.iter().max().unwrap_or(&0) - w.iter().min().unwrap_or(&0);
    let bad_shape = match w.as_slice() {
        [a, b] => usize::from(a > b),
        [a, b, c] => usize::from(b < a) + usize::from(b < c),
        _ => 0,
    };
    bad_shape * 1000 + spread
}

/// Greedy lines for a title with no known break: `2023年度` and ASCII runs kept whole.
fn break_title_words(text: &str, cap: usize) -> Vec<String> {
    let glued = text.replace("年度", "\u{E000}");
    break_lines(&glued, cap).into_iter().map(|l| l.replace('\u{E000}', "年度")).collect()
}

#[cfg(test)]
mod tests;
