//! Years written over the numbers: a heading `2023年` over a copy of a table, a column
//! `2022年` | `2023年` under a header, `上年` | `本年`. Where two places could hold the
//! same number they are told apart by the report year (docs/reading.md, "never a silent
//! pick").

use super::index::Index;
use super::index::Pos;
use super::value::Raw;

/// What a heading or column says about the year of the numbers under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Year(i32),
    /// `上年`, `去年`: the year before the report's.
    Previous,
    /// `本年`, `今年`: the report's year.
    Current,
}

impl Mark {
    /// Whether the numbers under this mark are the report year's.
    pub fn is(self, report_year: Option<i32>) -> bool {
        match self {
            Mark::Year(y) => report_year == Some(y),
            Mark::Current => true,
            Mark::Previous => false,
        }
    }
}

/// A year 2000–2100 written in a sheet's name (`2022年`, `2023年度报表`).
pub fn year_in_name(name: &str) -> Option<i32> {
    let digits: Vec<(usize, u32)> = name
        .chars()
        .enumerate()
        .filter_map(|(i, c)| crate::number::ascii_digit(c).to_digit(10).map(|d| (i, d)))
        .collect();
    // A run of exactly four digits.
    let mut i = 0;
    while i < digits.len() {
        let mut j = i;
        while j + 1 < digits.len() && digits[j + 1].0 == digits[j].0 + 1 {
            j += 1;
        }
        if j - i == 3 {
            let y = digits[i..=j].iter().fold(0i32, |a, &(_, d)| a * 10 + d as i32);
            if (2000..=2100).contains(&y) {
                return Some(y);
            }
        }
        i = j + 1;
    }
    None
}

/// Whether a sheet's name names a part of the year, not the whole: a quarter (`一季度`,
/// `第2季度`, `Q3`), a half (`上半年`) or months (`1-3月`, `10月`, `月报`). `全年` is the whole.
pub fn part_of_year(name: &str) -> bool {
    let n: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if n.contains("全年") {
        return false;
    }
    let chars: Vec<char> = n.chars().collect();
    let month =
        chars.windows(2).any(|w| w[1] == '月' && (w[0].is_ascii_digit() || "一二三四五六七八九十".contains(w[0])));
    let quarter = chars.windows(2).any(|w| w[0] == 'Q' && ('1'..='4').contains(&w[1]));
    ["季度", "上半年", "下半年", "月报", "月份"].iter().any(|k| n.contains(k)) || month || quarter
}

/// Longest text taken as a heading: a title with a year is one, a paragraph is not.
const MAX_HEADING_CHARS: usize = 48;

/// Whether a cell holds a count, typed as a number or as text (`2031`, `2031件`, `２０４２`):
/// a cell of a table, never a year's heading or a column's year.
pub(super) fn is_count(raw: &Raw) -> bool {
    super::value::parse(raw, crate::form::Kind::Count).state == crate::model::State::Number
}

/// The year a short text names: `2023年`, `２０２２年度数据`, a title with its year.
pub fn year_of(text: &str) -> Option<i32> {
    if text.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    // A number typed with its unit (`2083件`) is a cell of a table, not a heading; a year
    // typed alone (`2023`) stays one here (a sheet's name, a column's header).
    let unit = text.trim().chars().any(|c| !crate::number::ascii_digit(c).is_ascii_digit());
    if unit && is_count(&Raw::Str(text.to_string())) {
        return None;
    }
    year_in_name(text)
}

/// The mark of a column's own cell (`2022年`, `上年数`, `本年`). Only used between a
/// header and its numbers, where row labels (`二、上年结转…`) never stand.
pub fn column_mark(text: &str) -> Option<Mark> {
    if let Some(y) = year_of(text) {
        return Some(Mark::Year(y));
    }
    let t: String = text.split_whitespace().collect();
    if t.chars().count() > 8 {
        return None;
    }
    if t.contains("上年") || t.contains("去年") || t.contains("上一年") {
        Some(Mark::Previous)
    } else if t.contains("本年") || t.contains("今年") {
        Some(Mark::Current)
    } else {
        None
    }
}

/// The heading year of a place: the nearest text naming a year above it, at or left of
/// its column (a heading over a block stands at the block's top left; of two side by
/// side, the one nearer on the left). Returns the year and its cell.
pub fn heading_year(ix: &Index, at: Pos) -> Option<(i32, Pos)> {
    let (sheet, row, col) = at;
    // A number typed as text (`2031`, `2031件`, a count in a table above) is no heading.
    let year_at = |t: &super::index::TextCell| match ix.raw(t.sheet, t.row, t.col) {
        r @ Raw::Str(s) if !is_count(r) => year_of(s),
        _ => None,
    };
    ix.texts
        .iter()
        .filter(|t| t.sheet == sheet && t.row < row && t.col <= col)
        .filter_map(|t| year_at(t).map(|y| (y, (t.sheet, t.row, t.col))))
        // Another year beside it (`2022年 | 2023年` over a table's columns) marks columns,
        // not a block: no heading of what stands below that table. Copies side by side
        // have their headings a table's width apart.
        .filter(|&(y, (s, r, c))| {
            !ix.texts
                .iter()
                .any(|o| o.sheet == s && o.row == r && o.col.abs_diff(c) <= 2 && year_at(o).is_some_and(|oy| oy != y))
        })
        .max_by_key(|&(_, (_, r, c))| (r, c))
}

/// The report year where neither `--year` nor 基本信息 names it: the year of the titles on
/// visible sheets, if they all name the same one. A hidden sheet's title (last year's
/// copy) is no witness.
pub fn titles_year(ix: &Index) -> Option<i32> {
    let mut years = ix
        .texts
        .iter()
        .filter(|t| !ix.sheets[t.sheet].hidden)
        .filter_map(|t| ix.raw(t.sheet, t.row, t.col).as_str().and_then(super::parse_title));
    let first = years.next()?.1;
    years.all(|(_, y)| y == first).then_some(first)
}

/// The third piece of evidence, after the report year and the place `--sheet` names:
/// of `tied` places the year does not tell apart, the one visible, where exactly one is
/// and the others are hidden (a hidden row, column or sheet keeps an old copy). Returns
/// its index in `tied`.
pub fn only_visible(ix: &Index, tied: &[Pos]) -> Option<usize> {
    let visible: Vec<usize> = (0..tied.len()).filter(|&i| !ix.hidden_at(tied[i])).collect();
    match visible.as_slice() {
        [v] if tied.len() > 1 => Some(*v),
        _ => None,
    }
}

/// `“统计表!B21”（2023年，隐藏）`: a place for messages, with what is known of it.
pub fn place_name(ix: &Index, at: Pos, mark: Option<&str>) -> String {
    let hidden = ix.hidden_at(at).then_some("隐藏");
    let notes: Vec<&str> = [mark, hidden].into_iter().flatten().collect();
    if notes.is_empty() {
        format!("“{}”", cell_name(ix, at))
    } else {
        format!("“{}”（{}）", cell_name(ix, at), notes.join("，"))
    }
}

/// The READ-CHOICE message of a place read because it alone is visible.
pub fn visible_message(heading: &str, places: &[String], read: String, left: &[String]) -> String {
    format!(
        "“{heading}”表的数字有{}处可读：{}；报告年度不能区分它们，读取了未隐藏的“{read}”，隐藏的{}未读取；如需读取隐藏的一处，请取消隐藏并删除另一处",
        places.len(),
        places.join("、"),
        left.iter().map(|l| format!("“{l}”")).collect::<Vec<_>>().join("、")
    )
}

/// `Sheet1!B7` for a place, for messages.
pub fn cell_name(ix: &Index, (sheet, row, col): Pos) -> String {
    crate::cell::CellRef::new(ix.sheets[sheet].name.clone(), row, col).to_string()
}

#[cfg(test)]
mod tests {
    use super::{part_of_year, year_in_name};

    #[test]
    fn parts_of_the_year_in_sheet_names() {
        for part in ["一季度", "第2季度", "Q3", "q4", "1-3月", "10-12月", "10月", "上半年", "月报"] {
            assert!(part_of_year(part), "{part}");
        }
        for whole in ["全年", "2023年全年", "统计表", "2023年", "2023年度", "表三"] {
            assert!(!part_of_year(whole), "{whole}");
        }
    }

    #[test]
    fn years_in_sheet_names() {
        assert_eq!(year_in_name("2022年"), Some(2022));
        assert_eq!(year_in_name("2023年度报表"), Some(2023));
        assert_eq!(year_in_name("２０２１"), Some(2021));
        assert_eq!(year_in_name("Sheet1"), None);
        assert_eq!(year_in_name("表12345"), None);
        assert_eq!(year_in_name("1999"), None);
    }

    #[test]
    fn a_number_with_its_unit_is_no_year() {
        assert_eq!(super::year_of("2083件"), None);
        assert_eq!(super::year_of("2023"), Some(2023));
        assert_eq!(super::year_of("2023年"), Some(2023));
        assert_eq!(super::year_of("２０２２年度数据"), Some(2022));
    }
}
