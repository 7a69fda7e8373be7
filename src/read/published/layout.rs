//! The one intermediate form every front end yields — paragraphs and tables in document
//! order — laid out as the sheets the workbook reader reads: the title and the narrative as
//! labelled cells on a sheet `正文` (as the archive's 基本信息 holds them), each table on a
//! sheet of its own named after where it was found.

use super::{Kind, Published};
use crate::form::info;
use crate::model::PrintedTable;
use crate::read::open::{Sheet, MAX_COLS, MAX_ROWS};
use crate::read::value::Raw;
use std::collections::BTreeMap;

/// One table as printed, spans expanded: a spanned cell's text stands in its top-left cell
/// and the cells it covers are empty, as a workbook's merged cells read.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
    /// Where the table was found, as a reader would say it (`第3—4页`); empty where the
    /// table's number says it all.
    pub origin: String,
    /// The page each row was printed on (PDF); empty where there are no pages.
    pub pages: Vec<u32>,
}

/// What a front end yields, in document order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph (a heading, a line of narrative, the title).
    Text(String),
    Table(Grid),
}

/// A note printed beside a number, kept with the cell the number was read into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
    /// The cell as printed, `55（含自然失效 29 件）`.
    pub text: String,
}

/// The name of the sheet holding the narrative and the title.
pub const TEXT_SHEET: &str = "正文";

/// The parts of the narrative on [`TEXT_SHEET`]: its label in column A of rows 2–4, the
/// text beside it (the title is A1).
pub const TEXT_PARTS: [&str; 3] = [info::OVERVIEW, info::PROBLEMS, info::OTHER_MATTERS];

/// The parts of the narrative a report's headings start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Before the first heading: the preamble, not part of any section.
    Preamble,
    Overview,
    /// Sections 二, 三, 四: their text is the tables' headings and notes.
    Tables,
    Problems,
    Other,
}

/// The part a heading starts, by its words rather than its number: agencies number the
/// sections their own way.
fn heading(text: &str) -> Option<Part> {
    let t: String = text.split_whitespace().collect();
    let n = t.chars().count();
    if n > 40 {
        return None;
    }
    let numbered = t
        .strip_prefix(['一', '二', '三', '四', '五', '六', '七', '八'])
        .is_some_and(|rest| rest.starts_with(['、', '.', '．', '，']));
    if !numbered {
        return None;
    }
    if t.contains("总体情况") {
        Some(Part::Overview)
    } else if t.contains("主动公开政府信息") || t.contains("收到和处理") || t.contains("行政复议") {
        Some(Part::Tables)
    } else if t.contains("存在的主要问题") || t.contains("问题及改进") || t.contains("主要问题") {
        Some(Part::Problems)
    } else if t.contains("其他需要报告") {
        Some(Part::Other)
    } else {
        None
    }
}

/// Whether a line is one of the report's section headings.
pub(super) fn is_heading(text: &str) -> bool {
    heading(text).is_some()
}

/// The title without the site's suffix (`_政府信息公开年报_…`) or a note of the version
/// (`（图片版）`, `（超链版）`): everything after the first `年度报告`/`年报` that follows
/// `政府信息公开`.
fn clean_title(s: &str) -> String {
    let s: String = s.split_whitespace().collect();
    let from = s.find("政府信息公开").unwrap_or(0);
    let end = ["年度报告", "年报"].iter().filter_map(|k| s[from..].find(k).map(|i| from + i + k.len())).min();
    match end {
        Some(e) => s[..e].to_string(),
        None => s,
    }
}

fn find_title(blocks: &[Block]) -> Option<String> {
    let titles: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) if t.chars().count() <= 120 => Some(t),
            _ => None,
        })
        .filter(|t| crate::read::parse_title(t).is_some())
        .map(|t| t.split_whitespace().collect::<String>())
        .collect();
    // A heading that is the title and nothing more beats a browser title with the site's
    // name after it.
    let whole =
        titles.iter().find(|t| clean_title(t) == **t || clean_title(t).chars().count() + 8 >= t.chars().count());
    whole.or(titles.first()).map(|t| clean_title(t))
}

/// The cell as the reader takes it: a whole number as a number, a number with a note after
/// it as the number (the note returned), anything else as text.
pub(super) fn cell(text: &str) -> (Raw, Option<String>) {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}');
    if t.is_empty() {
        return (Raw::Empty, None);
    }
    if let Ok(i) = t.parse::<i64>() {
        return (Raw::Int(i), None);
    }
    // `55（含自然失效 29 件）`, `3(其中2件已撤回)`: digits, an optional unit, then a note
    // in brackets to the end.
    let digits = t.char_indices().take_while(|(_, c)| c.is_ascii_digit()).last().map(|(i, c)| i + c.len_utf8());
    if let Some(d) = digits {
        let rest = t[d..].trim_start();
        let rest =
            ["件", "条", "个", "次", "项"].iter().find_map(|u| rest.strip_prefix(u)).unwrap_or(rest).trim_start();
        let bracketed =
            (rest.starts_with('（') && rest.ends_with('）')) || (rest.starts_with('(') && rest.ends_with(')'));
        if bracketed {
            if let Ok(i) = t[..d].parse::<i64>() {
                return (Raw::Int(i), Some(t.to_string()));
            }
        }
    }
    (Raw::Str(t.to_string()), None)
}

/// Lays the blocks out as sheets.
pub(super) fn lay_out(kind: Kind, blocks: Vec<Block>) -> Published {
    let title = find_title(&blocks);
    let mut overview: Vec<String> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    let mut part = Part::Preamble;
    let mut sheets =
        vec![Sheet { name: TEXT_SHEET.into(), cells: BTreeMap::new(), hidden: false, lines: Default::default() }];
    let mut notes = Vec::new();
    let mut tables = Vec::new();
    for block in blocks {
        match block {
            Block::Text(t) => {
                if let Some(p) = heading(&t) {
                    part = p;
                    continue;
                }
                let t = t.trim().to_string();
                if t.is_empty() {
                    continue;
                }
                match part {
                    Part::Overview => overview.push(t),
                    Part::Problems => problems.push(t),
                    Part::Other => other.push(t),
                    Part::Preamble | Part::Tables => {}
                }
            }
            Block::Table(grid) => {
                let n = sheets.len();
                let name = if grid.origin.is_empty() {
                    format!("表格{n}")
                } else {
                    format!("表格{n}（{}）", grid.origin)
                };
                let mut cells = BTreeMap::new();
                for (r, row) in grid.rows.iter().enumerate().take(MAX_ROWS as usize) {
                    for (c, text) in row.iter().enumerate().take(MAX_COLS as usize) {
                        let (raw, note) = cell(text);
                        if let Some(text) = note {
                            notes.push(Note { sheet: name.clone(), row: r as u32, col: c as u32, text });
                        }
                        if raw != Raw::Empty {
                            cells.insert((r as u32, c as u32), raw);
                        }
                    }
                }
                tables.push(PrintedTable { sheet: name.clone(), number: n, pages: grid.pages });
                sheets.push(Sheet { name: name.into(), cells, hidden: false, lines: Default::default() });
            }
        }
    }
    let text = &mut sheets[0].cells;
    if let Some(t) = &title {
        text.insert((0, 0), Raw::Str(t.clone()));
    }
    for ((row, label), paras) in (1..).zip(TEXT_PARTS).zip([overview, problems, other]) {
        if !paras.is_empty() {
            text.insert((row, 0), Raw::Str(label.to_string()));
            text.insert((row, 1), Raw::Str(paras.join("\n")));
        }
    }
    Published { kind, sheets, title, notes, tables, unmapped: false }
}

/// Expands a table's spans: `cells` are rows of (text, rowspan, colspan); the text goes to
/// the top-left cell of its span, the rest of the span stays empty. Spans are bounded by
/// the sheet's limits, so a `rowspan="65534"` costs nothing; a grid past
/// [`MAX_TABLE_CELLS`] is `None` (two hundred tables of a sheet's limits would take gigabytes).
pub(super) fn expand(cells: Vec<Vec<(String, u32, u32)>>) -> Option<Vec<Vec<String>>> {
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    let mut filled = 0usize;
    let limit_rows = (cells.len()).min(MAX_ROWS as usize);
    for (r, row) in cells.into_iter().enumerate().take(limit_rows) {
        let mut c = 0usize;
        for (text, rs, cs) in row {
            if grid.len() <= r {
                grid.resize_with(r + 1, Vec::new);
            }
            // Skip the columns that spans from rows above already cover.
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            if c >= MAX_COLS as usize {
                break;
            }
            let rs = (rs.max(1) as usize).min(limit_rows - r);
            let cs = (cs.max(1) as usize).min(MAX_COLS as usize - c);
            for rr in r..r + rs {
                if grid.len() <= rr {
                    grid.resize_with(rr + 1, Vec::new);
                }
                if grid[rr].len() < c + cs {
                    filled += c + cs - grid[rr].len();
                    if filled > MAX_TABLE_CELLS {
                        return None;
                    }
                    grid[rr].resize(c + cs, None);
                }
                grid[rr][c..c + cs].fill(Some(String::new()));
            }
            grid[r][c] = Some(text);
            c += cs;
        }
    }
    Some(grid.into_iter().map(|row| row.into_iter().map(Option::unwrap_or_default).collect()).collect())
}

/// More cells than a report's table has (its largest has a few hundred), spans expanded.
pub(super) const MAX_TABLE_CELLS: usize = 20_000;

/// The refusal of a table whose spans expand past [`MAX_TABLE_CELLS`].
pub(super) fn too_many_cells(kind: &str, table: usize) -> crate::error::ReadError {
    crate::error::ReadError::Published(format!(
        "这是{kind}，其中第 {table} 个表格展开合并单元格后超过 {MAX_TABLE_CELLS} 个单元格，不像年度报告的统计表"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_expand_with_the_text_top_left() {
        let s = |t: &str, r, c| (t.to_string(), r, c);
        let g = expand(vec![vec![s("a", 2, 1), s("b", 1, 2)], vec![s("c", 1, 1), s("d", 1, 1)], vec![s("e", 1, 1)]])
            .expect("small");
        assert_eq!(g, vec![vec!["a", "b", ""], vec!["", "c", "d"], vec!["e"]]);
    }

    #[test]
    fn numbers_with_notes_read_as_the_number() {
        assert_eq!(cell("55（含自然失效 29 件）"), (Raw::Int(55), Some("55（含自然失效 29 件）".into())));
        assert_eq!(cell(" 80\u{a0}"), (Raw::Int(80), None));
        assert_eq!(cell("—"), (Raw::Str("—".into()), None));
        assert_eq!(cell("5949.088667"), (Raw::Str("5949.088667".into()), None));
        assert_eq!(cell("1.属于国家秘密"), (Raw::Str("1.属于国家秘密".into()), None));
    }

    #[test]
    fn titles_lose_the_site_and_version_suffixes() {
        assert_eq!(
            clean_title("平潭综合实验区2023年度政府信息公开工作年度报告_政府信息公开年报_平潭"),
            "平潭综合实验区2023年度政府信息公开工作年度报告"
        );
        assert_eq!(
            clean_title("某局2024年度政府信息公开工作年度报告（图片版）"),
            "某局2024年度政府信息公开工作年度报告"
        );
        assert_eq!(
            clean_title("某某市 人民政府2022年度政府信息公开工作年度报告（超链版）"),
            "某某市人民政府2022年度政府信息公开工作年度报告"
        );
    }
}
