//! The report's agency and year: the 基本信息 sheet, else the title in the forms offices
//! write it (one cell, or spread over two adjacent cells; `二〇二三年度`, `2023 年`), else a
//! labelled cell, else the command line, else the file name (said with META-FROM-NAME).
//! Only the year a title or name gives *as the report's year* counts: a `2022年` column
//! header or a filling date `2024年1月10日` is never one.

use super::index::Index;
use super::value::Raw;
use super::{labelled, parse_year, Options};
use crate::cell::CellRef;
use crate::form::info;
use crate::model::{Meta, MetaSource, NoteKind, ReadNote, Report};

/// Chinese digits as years are written in titles (`二〇二三`, `二零二三`).
fn chinese_digit(c: char) -> Option<char> {
    let d = match c {
        '〇' | '零' | '○' | 'Ｏ' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    };
    Some(d)
}

/// The text without blanks, full-width digits folded, and a year in Chinese digits
/// (four of them before `年`) written in Arabic: `二〇二三 年度` → `2023年度`.
fn fold_years(s: &str) -> String {
    let chars: Vec<char> = crate::number::fold_digits(s).chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let run: Option<String> = chars.get(i..i + 4).and_then(|w| w.iter().map(|&c| chinese_digit(c)).collect());
        let before_ok = i == 0 || chinese_digit(chars[i - 1]).is_none();
        if let (Some(digits), true, Some('年')) = (run.as_ref(), before_ok, chars.get(i + 4)) {
            out.push_str(digits);
            i += 4;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `某某局2023年度政府信息公开工作年度报告（统计表）` → (某某局, 2023); also with the year in
/// Chinese digits or first (`2023年度某某局政府信息公开…`).
pub fn parse_title(s: &str) -> Option<(Option<String>, i32)> {
    // Most cells are not a title: without `政` and `报` there is no `政府信息公开` and no
    // `年度报告`/`年报` once spaces go.
    if !s.contains('政') || !s.contains('报') {
        return None;
    }
    let s = fold_years(s);
    // A file name (the archive's 源文件 row) is not the report's title.
    let lower = s.to_lowercase();
    if [".xlsx", ".xlsm", ".xls", ".ods", ".et", ".docx", ".doc", ".wps", ".pdf"].iter().any(|e| lower.ends_with(e)) {
        return None;
    }
    let pos = s.find("政府信息公开").filter(|_| s.contains("年度报告") || s.contains("年报"))?;
    let head = &s[..pos];
    let head = head.trim_end_matches('度').trim_end_matches('年');
    let digits_start = head.char_indices().rev().take_while(|(_, c)| c.is_ascii_digit()).last().map(|(i, _)| i);
    let (year, agency) = match digits_start {
        // `某某局2023年度政府信息公开…`
        Some(i) => (head[i..].parse::<i32>().ok(), head[..i].to_string()),
        // `2023年某某局政府信息公开…`
        None => year_prefix(head).map(|(y, rest)| (Some(y), rest.to_string()))?,
    };
    let year = year.filter(|y| (2000..=2100).contains(y))?;
    // `某某局关于2023年度…`: the preposition is no part of the name.
    let agency = agency.trim().trim_matches(['《', '》']);
    let agency = agency.strip_suffix("关于").unwrap_or(agency).trim_end().to_string();
    Some(((!agency.is_empty() && !is_placeholder(&agency)).then_some(agency), year))
}

/// Whether an agency's name is the blank form's placeholder, not a name: `（单位名称）`,
/// `XX单位`, `×××局`, `填报单位`. A workbook that keeps the blank form on a sheet beside the
/// filled one must not become a report of an agency called `XX单位`.
pub(super) fn is_placeholder(agency: &str) -> bool {
    const MARKS: [char; 12] = ['X', 'x', 'Ｘ', 'ｘ', '×', '*', '＊', '○', '〇', '□', '_', '＿'];
    let a: String = agency.chars().filter(|c| !c.is_whitespace()).collect();
    let run = a.chars().fold((0, 0), |(best, cur), c| {
        let cur = if MARKS.contains(&c) { cur + 1 } else { 0 };
        (best.max(cur), cur)
    });
    run.0 >= 2 || ["单位名称", "机关名称", "填报单位", "单位全称"].iter().any(|p| a.contains(p))
}

/// `2023年度某某局` → (2023, `某某局`).
fn year_prefix(s: &str) -> Option<(i32, &str)> {
    let s = s.trim_start_matches('《');
    let digits = s.char_indices().take_while(|(_, c)| c.is_ascii_digit()).last().map(|(i, c)| i + c.len_utf8())?;
    let year = s[..digits].parse().ok()?;
    let rest = s[digits..].strip_prefix('年')?;
    Some((year, rest.strip_prefix('度').unwrap_or(rest)))
}

/// What a title gives: the agency with its cell, and the year with its cell.
#[derive(Debug, Clone)]
pub(super) struct Title {
    pub agency: Option<(CellRef, String)>,
    pub year: (CellRef, i32),
}

/// Whether text taken from beside a title or from a file name can be an agency's name:
/// not an attachment number (`附件2`), a table's name, a label with a colon or a date.
fn plausible_agency(a: &str) -> bool {
    let n = a.chars().count();
    (2..=40).contains(&n)
        && !a.chars().any(|c| c.is_ascii_digit() || c == ':' || c == '：')
        && !["附件", "附表", "表"].iter().any(|p| a.starts_with(p))
        && !a.contains("统计表")
}

/// The first title of the sheets read. A title without its agency or year may have the
/// rest in the cell to its left or the row above (`某某局` in A1 and
/// `2023年度政府信息公开工作年度报告` in B1; or on two rows); that cell must hold an agency's
/// name (and perhaps the year), never a heading or `附件2`.
pub(super) fn title(ix: &Index) -> Option<Title> {
    titles(ix).next().map(|(_, t)| t)
}

/// Every title of the sheets read, in workbook order, with the cell it was found from.
pub(super) fn titles<'a>(ix: &'a Index) -> impl Iterator<Item = ((usize, u32, u32), Title)> + 'a {
    ix.texts.iter().filter(|t| !ix.skip[t.sheet]).filter_map(|t| {
        let at = (t.sheet, t.row, t.col);
        let Raw::Str(s) = ix.raw(t.sheet, t.row, t.col) else { return None };
        if !s.contains('政') || !s.contains('报') {
            return None;
        }
        let folded = fold_years(s);
        if !folded.contains("政府信息公开") || !(folded.contains("年度报告") || folded.contains("年报")) {
            return None;
        }
        let here = CellRef::new(ix.sheets[t.sheet].name.clone(), t.row, t.col);
        let own = parse_title(s);
        if let Some((Some(agency), year)) = &own {
            return Some((at, Title { agency: Some((here.clone(), agency.clone())), year: (here, *year) }));
        }
        for (row, col, before) in beside(ix, t.sheet, t.row, t.col) {
            let Some((Some(agency), year)) = parse_title(&format!("{before}{s}")) else { continue };
            let before = fold_years(&before);
            let from_before = before.starts_with(&agency);
            if !looks_like_agency(&agency) || !(from_before || folded.starts_with(&agency)) {
                continue;
            }
            let there = CellRef::new(ix.sheets[t.sheet].name.clone(), row, col);
            let year_cell =
                if own.is_none() && before.contains(&year.to_string()) { there.clone() } else { here.clone() };
            let agency_cell = if from_before { there } else { here };
            return Some((at, Title { agency: Some((agency_cell, agency)), year: (year_cell, year) }));
        }
        own.map(|(_, year)| (at, Title { agency: None, year: (here, year) }))
    })
}

/// The text cells a title's first part may stand in: the nearest to the left in its row,
/// then the first of the row above (a title over two rows), each with its position.
fn beside(ix: &Index, sheet: usize, row: u32, col: u32) -> Vec<(u32, u32, String)> {
    let cells = &ix.sheets[sheet].cells;
    let text = |r: &Raw| r.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let left =
        cells.range((row, col.saturating_sub(8))..(row, col)).rev().find_map(|(&(r, c), raw)| Some((r, c, text(raw)?)));
    let above = row
        .checked_sub(1)
        .and_then(|up| cells.range((up, 0)..(up, col + 9)).find_map(|(&(r, c), raw)| Some((r, c, text(raw)?))));
    left.into_iter().chain(above).collect()
}

/// The file's own name, without folders, the mail it came in or the extension.
fn stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\', '#']).next().unwrap_or(file);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Names an agency ends with: a name taken from beside a title or from a file name must
/// look like one.
const AGENCY_ENDINGS: [&str; 26] = [
    "局", "委", "办", "院", "府", "镇", "乡", "街道", "中心", "厅", "署", "会", "所", "处", "室", "站", "馆", "部",
    "队", "司", "区", "县", "校", "团", "行", "社",
];

fn looks_like_agency(a: &str) -> bool {
    plausible_agency(a) && AGENCY_ENDINGS.iter().any(|e| a.ends_with(e))
}

/// Agency and year from a file name such as `2023年某某局年报统计表.xlsx` or
/// `某某局2023年度政府信息公开年报.xls`: the one year written `NNNN年` that is no date
/// (`2024年1月10日`), and the agency before it or right after it.
pub(super) fn from_file_name(file: &str) -> (Option<String>, Option<i32>) {
    let s = fold_years(stem(file));
    let chars: Vec<char> = s.chars().collect();
    let mut years: Vec<(usize, i32)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let n = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 4 && chars.get(i + 4) == Some(&'年') && !chars.get(i + 5).is_some_and(|c| c.is_ascii_digit()) {
            let y: String = chars[i..i + 4].iter().collect();
            if let Some(y) = y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)) {
                years.push((i, y));
            }
        }
        i += n.max(1);
    }
    let Some(&(at, year)) = years.first() else { return (None, None) };
    if years.iter().any(|&(_, y)| y != year) {
        return (None, None);
    }
    let before: String = chars[..at].iter().collect();
    let before = before.trim_start_matches("附件").trim_matches(|c: char| !c.is_alphabetic()).to_string();
    let mut after: String = chars[at + 5..].iter().collect();
    after = after.strip_prefix('度').map(str::to_string).unwrap_or(after);
    let stop = ["政府信息公开", "政务公开", "年度报告", "年报", "统计表", "报表", "工作"]
        .iter()
        .filter_map(|k| after.find(k))
        .min()
        .unwrap_or(after.len());
    let after = after[..stop].to_string();
    let agency = [before, after].into_iter().find(|a| looks_like_agency(a));
    (agency, Some(year))
}

/// Fills the report's agency and year from the sources in order.
pub(super) fn read_meta(ix: &Index, opts: &Options, report: &mut Report) {
    let mut agency_labels = vec![info::AGENCY];
    agency_labels.extend(info::AGENCY_ALIASES);
    let mut year_labels = vec![info::YEAR];
    year_labels.extend(info::YEAR_ALIASES);
    let title = title(ix);
    let (name_agency, name_year) = from_file_name(&report.file);

    let agency_text = |raw: &Raw| Some(raw.text().trim().to_string()).filter(|s| !s.is_empty() && !is_placeholder(s));
    // Every place in the workbook that names the agency, in the order they count.
    let written: Vec<(CellRef, String, &str)> = [
        labelled(ix, &[info::AGENCY], true).and_then(|(c, r)| agency_text(&r).map(|v| (c, v, "基本信息"))),
        title.as_ref().and_then(|t| t.agency.clone()).map(|(c, a)| (c, a, "标题")),
        labelled(ix, &agency_labels, false).and_then(|(c, r)| agency_text(&r).map(|v| (c, v, "填写的单位"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let agency_said = |a: &String| format!("“{a}”");
    if let Some(note) = conflict(&written, |a: &String, b: &String| same_agency(a, b), agency_said, "机关名称") {
        report.read_notes.push(note);
    }
    report.agency = if let Some((cell, a, kind)) = written.first().cloned() {
        Meta { value: Some(a), cell: Some(cell), source: source_of(kind) }
    } else if let Some(a) = opts.agency.clone() {
        Meta { value: Some(a), cell: None, source: MetaSource::CommandLine }
    } else if let Some(a) = name_agency {
        Meta { value: Some(a), cell: None, source: MetaSource::FileName }
    } else {
        Meta { value: None, cell: labelled_cell(ix, &agency_labels), source: MetaSource::Missing }
    };

    // Every place in the workbook that names the report year, in the order they count.
    let written: Vec<(CellRef, i32, &str)> = [
        labelled(ix, &[info::YEAR], true).and_then(|(c, r)| parse_year(&r).map(|y| (c, y, "基本信息"))),
        title.map(|t| (t.year.0, t.year.1, "标题")),
        labelled(ix, &year_labels, false).and_then(|(c, r)| parse_year(&r).map(|y| (c, y, "填写的年度"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(note) = conflict(&written, |a, b| a == b, |y| format!(" {y} 年"), "报告年度") {
        report.read_notes.push(note);
    }
    report.year = if let Some((cell, y, kind)) = written.first().cloned() {
        Meta { value: Some(y), cell: Some(cell), source: source_of(kind) }
    } else if let Some(y) = opts.year {
        Meta { value: Some(y), cell: None, source: MetaSource::CommandLine }
    } else if let Some(y) = name_year {
        Meta { value: Some(y), cell: None, source: MetaSource::FileName }
    } else {
        Meta { value: None, cell: labelled_cell(ix, &year_labels), source: MetaSource::Missing }
    };
}

/// Where a place of `written` came from.
fn source_of(kind: &str) -> MetaSource {
    match kind {
        "基本信息" => MetaSource::InfoSheet,
        "标题" => MetaSource::Title,
        _ => MetaSource::Labelled,
    }
}

/// Places of the workbook naming another agency or report year than the first (a workbook
/// copied from last year, or from another agency, updated in one place only): the first
/// counts, and the choice is said (READ-CHOICE) naming every cell, never made silently.
fn conflict<T>(
    written: &[(CellRef, T, &str)],
    same: impl Fn(&T, &T) -> bool,
    said: impl Fn(&T) -> String,
    what: &str,
) -> Option<ReadNote> {
    let (cell, first, kind) = written.first()?;
    let others: Vec<String> = written
        .iter()
        .filter(|(_, v, _)| !same(v, first))
        .map(|(c, v, k)| format!("“{c}”（{k}）写的是{}", said(v)))
        .collect();
    (!others.is_empty()).then(|| ReadNote {
        kind: NoteKind::Choice,
        cell: Some(cell.clone()),
        message: format!(
            "工作簿中的{what}前后不一致：“{cell}”（{kind}）写的是{}，{}；已按{}读取，请核对后把各处改为同一{what}",
            said(first),
            others.join("，"),
            said(first)
        ),
    })
}

/// The cell right of a label, for naming where a missing value belongs.
fn labelled_cell(ix: &Index, labels: &[&'static str]) -> Option<CellRef> {
    let hit = ix.best(labels, None).filter(|h| h.score >= 90)?;
    Some(CellRef::new(ix.sheets[hit.sheet].name.clone(), hit.row, hit.col + 1))
}

/// Whether two names are one agency's: the same once spaces and bracketed notes
/// (`（盖章）`) go, or one containing the other (`某某县教育局`, `中共某某县教育局`).
pub(super) fn same_agency(a: &str, b: &str) -> bool {
    let bare = |s: &str| {
        let mut out = String::new();
        let mut depth = 0usize;
        for c in s.chars() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth = depth.saturating_sub(1),
                c if depth == 0 && !c.is_whitespace() => out.push(c),
                _ => {}
            }
        }
        out
    };
    let (a, b) = (bare(a), bare(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blank_forms_placeholder_is_no_agency() {
        assert_eq!(parse_title("XX单位2023年度政府信息公开工作年度报告统计表"), Some((None, 2023)));
        assert_eq!(parse_title("（单位名称）2023年度政府信息公开工作年度报告"), Some((None, 2023)));
        assert_eq!(parse_title("×××县人民政府2023年度政府信息公开工作年度报告"), Some((None, 2023)));
        for real in ["某某县教育局", "XX县教育局".replace("XX", "新").as_str(), "中共某某县委宣传部"]
        {
            assert!(!is_placeholder(real), "{real}");
        }
    }

    #[test]
    fn titles_name_agency_and_year() {
        assert_eq!(
            parse_title("某某局2023年度政府信息公开工作年度报告（统计表）"),
            Some((Some("某某局".into()), 2023))
        );
        assert_eq!(parse_title("江源区2020年政府信息公开工作年度报告"), Some((Some("江源区".into()), 2020)));
        assert_eq!(
            parse_title("2022年度某某镇人民政府政府信息公开工作年度报告"),
            Some((Some("某某镇人民政府".into()), 2022))
        );
        assert_eq!(parse_title("2021年度政府信息公开工作年度报告"), Some((None, 2021)));
        assert_eq!(
            parse_title("某某县交通运输局关于2023年度政府信息公开工作年度报告"),
            Some((Some("某某县交通运输局".into()), 2023))
        );
        assert_eq!(parse_title("现公布江源区政府信息公开工作年度报告"), None);
        assert_eq!(parse_title("某某区2023年政府信息公开工作年度报告.xlsx"), None);
        assert_eq!(parse_title("三、收到和处理政府信息公开申请情况"), None);
    }

    #[test]
    fn years_in_chinese_digits_and_with_spaces() {
        assert_eq!(parse_title("某某局二〇二三年度政府信息公开工作年度报告"), Some((Some("某某局".into()), 2023)));
        assert_eq!(parse_title("某某局二零二三年政府信息公开工作年度报告"), Some((Some("某某局".into()), 2023)));
        assert_eq!(parse_title("某某局 2023 年 政府信息公开工作年度报告"), Some((Some("某某局".into()), 2023)));
        assert_eq!(parse_title("某某局２０２３年度政府信息公开工作年报"), Some((Some("某某局".into()), 2023)));
        assert_eq!(parse_title("二〇二三年度某某局政府信息公开工作年度报告"), Some((Some("某某局".into()), 2023)));
        // Chinese numbers that are no year stay as they are.
        assert_eq!(fold_years("第一二三四条"), "第一二三四条");
        assert_eq!(fold_years("十二〇二三年"), "十2023年");
    }

    #[test]
    fn file_names_give_a_year_and_an_agency_that_looks_like_one() {
        let f = |s: &str| from_file_name(s);
        assert_eq!(f("2023年某某局年报统计表.xlsx"), (Some("某某局".into()), Some(2023)));
        assert_eq!(f("收件/某某县教育局2023年度政府信息公开年报.xls"), (Some("某某县教育局".into()), Some(2023)));
        assert_eq!(f("信.eml#附件2-某某镇二〇二三年报表.xlsx"), (Some("某某镇".into()), Some(2023)));
        assert_eq!(f("2023年统计表.xlsx"), (None, Some(2023)));
        // A filling date is no report year; two years are no answer.
        assert_eq!(f("某某局年报（2024年1月10日）.xlsx"), (None, None));
        assert_eq!(f("某某局2023年年报（2024年1月10日填）.xlsx"), (Some("某某局".into()), Some(2023)));
        assert_eq!(f("2022年与2023年对比.xlsx"), (None, None));
        assert_eq!(f("统计表.xlsx"), (None, None));
        assert_eq!(f("20231年.xlsx"), (None, None));
    }
}
