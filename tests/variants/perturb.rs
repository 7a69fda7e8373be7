//! The perturbations: each an independent change a hand makes to a correctly filled
//! workbook. Each draws from a random stream of its own, so a variant without one of its
//! perturbations (the shrinker's step) changes nothing else.

use super::grid::{Block, Cell, Key, Table, V};
use crate::layouts::Rng;
use nianbao::form::ReqRow;

macro_rules! perts {
    ($($var:ident = $name:literal, $line:literal;)*) => {
        /// One perturbation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Pert { $($var),* }

        impl Pert {
            pub const ALL: &'static [Pert] = &[$(Pert::$var),*];
            pub fn name(self) -> &'static str {
                match self { $(Pert::$var => $name),* }
            }
            /// One line for docs/reading.md.
            pub fn line(self) -> &'static str {
                match self { $(Pert::$var => $line),* }
            }
        }
    };
}

perts! {
    SynonymTotal = "synonym-total", "`总计` typed `合计` (column header and （七）总计)";
    SynonymUnit = "synonym-unit", "`机构` typed `单位`, `组织` typed `机构` (科研单位, 法律服务单位, 社会公益机构)";
    CharMore = "char-more", "one label with a character more (`本年新收的政府信息公开申请数量`)";
    CharLess = "char-less", "one label with a character less";
    Spaces = "spaces", "spaces (half and full width) inside a third of the labels";
    LineBreaks = "line-breaks", "line breaks inside a third of the labels";
    NumberingRemoved = "numbering-removed", "enumerators (`（一）`, `1.`, `一、`) removed";
    NumberingChanged = "numbering-changed", "enumerators typed otherwise (`（一）`→`1.`, `1.`→`（1）`, `一、`→`1、`)";
    Notes = "notes", "notes appended to a third of the labels (`（件）`, `（单位：件）`)";
    ColRemark = "col-remark", "a `备注` column after table 三 with a few remarks";
    ColSubtotal = "col-subtotal", "a `小计` column after 其他 under 法人或其他组织, the organisations' sum";
    ColCheck = "col-check", "a `校验` column after table 三 holding 0 in every row";
    ColSerial = "col-serial", "a `序号` column before table 三's labels numbering the rows 1, 2, …";
    BlankRows = "blank-rows", "blank rows inside tables 二 and 三";
    RowTwice = "row-twice", "a row of table 三 typed twice, the copy above it all 0 (a row copied and refilled, the old one kept)";
    OfWhichRow = "of-which-row", "a `其中：通过互联网提交` row under 一、本年新收 with numbers of its own";
    YearColumns = "year-columns", "every number column of tables 三 and 四 doubled under `2022年` | `2023年` (the report year known from the title), either order";
    LastYearBelow = "last-year-below", "last year's copy of the tables below this year's on the same sheet, each under a year heading";
    ReviewTransposed = "review-transposed", "table 四 transposed: a row per group, a column per result";
    ReviewSplit = "review-split", "table 四 split into a 行政复议 block and a 行政诉讼 block";
    ReviewReordered = "review-reordered", "table 四's groups in another order (行政诉讼 first, 复议后起诉 before 未经复议直接起诉) and each group's five columns shuffled (`总计` first)";
    ReviewList = "review-list", "table 四 as one long list: group (`行政诉讼（复议后起诉）`), result, number on each line";
    ActiveList = "active-list", "table 二 as one long list: row label, column label, number on each line";
    Moved = "moved", "tables in another order on the sheet, moved down and right";
    SheetPerTable = "sheet-per-table", "each table on a sheet of its own";
    ChartFirst = "chart-first", "a chart sheet before the data";
    HiddenLastYear = "hidden-last-year", "a hidden sheet `2022年` with last year's tables and title";
    QuarterSheets = "quarter-sheets", "a sheet per quarter (`一季度` … `四季度`, each the tables with a quarter's numbers under a heading naming the quarter) beside the whole year's";
    HiddenColumn = "hidden-column", "a hidden copy of table 三's `自然人` column, last year's numbers under the same header, left of the visible one (never saved as xls, whose hidden columns are not read)";
    LastYearSheet = "last-year-sheet", "a visible sheet `上年`, `去年` or `上一年度`, first or last, with last year's tables and no title";
    SecondAgency = "second-agency", "a second agency's tables and title on a sheet of their own: two reports, each read";
    TextNumbers = "text-numbers", "a third of the numbers typed as text";
    FullWidth = "full-width", "a third of the numbers in full-width digits (`１２３`)";
    UnitSuffix = "unit-suffix", "a third of the numbers with a unit (`12件`)";
    DashForZero = "dash-for-zero", "zeros left blank or typed `—`";
    Thousands = "thousands", "numbers of 1,000 and more with thousands separators (`12,345`, as text)";
    FormulaSums = "formula-sums", "every total a formula (`=SUM(D8:I8)`, or `=D8+E8` where the cells are apart) with its cached result";
    FormulaArith = "formula-arith", "四、结转下年度 as `=D7+D8-D30` (new + carried over − results) with its cached result";
    Uncached = "uncached", "every formula saved without its result (a script's workbook)";
    TitleChineseYear = "title-chinese-year", "the title's year in Chinese numerals (`二〇二三年度`)";
    TitleSplit = "title-split", "the title over two cells: the agency, then `2023年度政府信息公开工作年度报告`";
    TitleAttachment = "title-attachment", "an `附件2` line above the title";
    Xls = "xls", "saved as xls by LibreOffice";
    Ods = "ods", "saved as ods by LibreOffice";
}

impl Pert {
    /// A seeded stream for this perturbation alone.
    pub fn rng(self, seed: u64) -> Rng {
        Rng::new(seed ^ (self as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Perturbations that cannot be composed with this one (one of each pair is dropped).
    pub fn excludes(self, other: Pert) -> bool {
        use Pert::*;
        let pair = |a, b| (self == a && other == b) || (self == b && other == a);
        pair(NumberingRemoved, NumberingChanged)
            || pair(ReviewTransposed, ReviewSplit)
            || pair(ReviewReordered, ReviewTransposed)
            || pair(ReviewReordered, ReviewSplit)
            || pair(Xls, Ods)
            || pair(ReviewTransposed, ReviewList)
            || pair(ReviewSplit, ReviewList)
            || pair(HiddenColumn, YearColumns)
    }

    /// A perturbation after which refusing the file (with a clear message) is right today:
    /// none (a second agency's tables make the workbook two reports, each read).
    pub fn may_refuse(self) -> bool {
        false
    }
}

/// Table 四's group order (the two 行政诉讼 groups adjacent) and its columns' order, never
/// both the form's.
pub fn review_order(seed: u64) -> ([usize; 3], [usize; 5]) {
    const GROUPS: [[usize; 3]; 4] = [[0, 1, 2], [0, 2, 1], [1, 2, 0], [2, 1, 0]];
    let mut rng = Pert::ReviewReordered.rng(seed);
    let groups = GROUPS[rng.below(4) as usize];
    let mut cols = [0, 1, 2, 3, 4];
    if groups == GROUPS[0] || rng.chance(50) {
        while cols == [0, 1, 2, 3, 4] {
            for i in (1..cols.len()).rev() {
                cols.swap(i, rng.below(i as u64 + 1) as usize);
            }
        }
    }
    (groups, cols)
}

/// Applies a text edit to a share of the label cells of the tables.
fn edit_labels(blocks: &mut [Block], rng: &mut Rng, percent: u64, edit: impl Fn(&str, &mut Rng) -> String) {
    for b in blocks.iter_mut() {
        for c in b.cells_mut() {
            if let (true, V::Text(t)) = (c.label, &c.v) {
                if rng.chance(percent) {
                    c.v = V::Text(edit(t, rng));
                }
            }
        }
    }
}

/// A char boundary of `s` strictly inside it, if it has one.
fn inside(s: &str, rng: &mut Rng) -> Option<usize> {
    let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).skip(1).collect();
    (!bounds.is_empty()).then(|| bounds[rng.below(bounds.len() as u64) as usize])
}

/// The enumerator a label starts with (`（一）`, `1.`, `一、`) and the rest.
pub fn split_enum(label: &str) -> (&str, &str) {
    const NUM: &str = "一二三四五六七八九十";
    if let Some(rest) = label.strip_prefix('（') {
        if let Some(end) = rest.find('）') {
            if rest[..end].chars().all(|c| NUM.contains(c)) && end > 0 {
                let at = '（'.len_utf8() + end + '）'.len_utf8();
                return (&label[..at], &label[at..]);
            }
        }
    }
    let n: usize = label.chars().take_while(|c| NUM.contains(*c) || c.is_ascii_digit()).map(char::len_utf8).sum();
    if n > 0 {
        if let Some(sep) = label[n..].chars().next().filter(|c| *c == '、' || *c == '.') {
            let at = n + sep.len_utf8();
            return (&label[..at], &label[at..]);
        }
    }
    ("", label)
}

/// `（一）`→`1.`, `1.`→`（1）`, `一、`→`1、`.
fn renumber(e: &str) -> String {
    const NUM: &str = "一二三四五六七八九十";
    let digit = |c: char| NUM.chars().position(|n| n == c).map(|i| (i + 1).to_string());
    let inner: String = e.chars().filter(|c| !matches!(c, '（' | '）' | '、' | '.')).collect();
    let arabic: String = inner.chars().map(|c| digit(c).unwrap_or_else(|| c.to_string())).collect();
    if e.starts_with('（') {
        format!("{arabic}.")
    } else if e.ends_with('.') {
        format!("（{arabic}）")
    } else {
        format!("{arabic}、")
    }
}

/// The label perturbations, on the tables' blocks of one set.
pub fn labels(perts: &[Pert], seed: u64, blocks: &mut [Block]) {
    for &p in perts {
        let mut rng = p.rng(seed);
        match p {
            Pert::SynonymTotal => edit_labels(blocks, &mut rng, 100, |t, _| t.replace("总计", "合计")),
            Pert::SynonymUnit => {
                edit_labels(blocks, &mut rng, 100, |t, _| t.replace("机构", "单位").replace("组织", "机构"))
            }
            Pert::CharMore | Pert::CharLess => {
                // One label of the tables (not a heading of a section).
                let mut all: Vec<(usize, usize, usize)> = Vec::new();
                for (bi, b) in blocks.iter().enumerate() {
                    for (r, row) in b.rows.iter().enumerate() {
                        for (c, cell) in row.iter().enumerate() {
                            if let (true, V::Text(t)) = (cell.label, &cell.v) {
                                if t.chars().count() >= 4 && r > 0 {
                                    all.push((bi, r, c));
                                }
                            }
                        }
                    }
                }
                if all.is_empty() {
                    continue;
                }
                let (bi, r, c) = all[rng.below(all.len() as u64) as usize];
                let cell = &mut blocks[bi].rows[r][c];
                if let V::Text(t) = &cell.v {
                    let (e, rest) = split_enum(t);
                    let mut rest = rest.to_string();
                    if let Some(at) = inside(&rest, &mut rng) {
                        if p == Pert::CharMore {
                            rest.insert(at, '的');
                        } else {
                            let ch = rest[at..].chars().next().map_or(0, char::len_utf8);
                            rest.replace_range(at..at + ch, "");
                        }
                    }
                    cell.v = V::Text(format!("{e}{rest}"));
                }
            }
            Pert::Spaces => edit_labels(blocks, &mut rng, 33, |t, rng| {
                let mut t = t.to_string();
                if let Some(at) = inside(&t, rng) {
                    t.insert(at, if rng.chance(50) { ' ' } else { '　' });
                }
                t
            }),
            Pert::LineBreaks => edit_labels(blocks, &mut rng, 33, |t, rng| {
                let mut t = t.to_string();
                if let Some(at) = inside(&t, rng) {
                    t.insert(at, '\n');
                }
                t
            }),
            Pert::NumberingRemoved => edit_labels(blocks, &mut rng, 100, |t, _| split_enum(t).1.to_string()),
            Pert::NumberingChanged => edit_labels(blocks, &mut rng, 100, |t, _| match split_enum(t) {
                ("", rest) => rest.to_string(),
                (e, rest) => format!("{}{rest}", renumber(e)),
            }),
            Pert::Notes => edit_labels(blocks, &mut rng, 33, |t, rng| {
                format!("{t}{}", ["（件）", "（单位：件）", "(件)"][rng.below(3) as usize])
            }),
            _ => {}
        }
    }
}

/// The column of a block holding a true number of this table's column `col`.
fn column_of(b: &Block, table: Table, col: usize) -> Option<usize> {
    b.find(|k| k.table == table && k.col == col).first().map(|p| p.1)
}

/// Extra columns and rows, on table 三 (and blank rows on 二).
pub fn extras(perts: &[Pert], seed: u64, blocks: &mut [Block], requests_row: impl Fn(ReqRow) -> usize) {
    for &p in perts {
        let mut rng = p.rng(seed);
        for b in blocks.iter_mut() {
            let is_req = b.table == Some(Table::Requests);
            let body: Vec<usize> = {
                let mut rows: Vec<usize> = b.find(|_| true).into_iter().map(|p| p.0).collect();
                rows.dedup();
                rows
            };
            match p {
                Pert::ColSubtotal if is_req => {
                    let (Some(other), Some(first_org)) =
                        (column_of(b, Table::Requests, 5), column_of(b, Table::Requests, 1))
                    else {
                        continue;
                    };
                    let header = b.find(|k| k.table == Table::Requests).first().map_or(0, |p| p.0).saturating_sub(1);
                    b.insert_col(other + 1);
                    b.put(header, other + 1, Cell::text("小计"));
                    for &r in &body {
                        let sum: i64 = (first_org..=other)
                            .filter_map(|c| match b.get(r, c).map(|x| &x.v) {
                                Some(V::Num(n)) => Some(*n),
                                _ => None,
                            })
                            .sum();
                        b.put(r, other + 1, Cell::num(sum, None));
                    }
                }
                Pert::ColRemark | Pert::ColCheck if is_req => {
                    let at = b.width();
                    let header = b.find(|k| k.table == Table::Requests).first().map_or(0, |p| p.0).saturating_sub(2);
                    let title = if p == Pert::ColRemark { "备注" } else { "校验" };
                    b.put(header, at, Cell::text(title));
                    for &r in &body {
                        if p == Pert::ColCheck {
                            b.put(r, at, Cell::num(0, None));
                        } else if rng.chance(20) {
                            b.put(r, at, Cell::text("含网上申请"));
                        }
                    }
                }
                Pert::ColSerial if is_req => {
                    b.insert_col(0);
                    let header = b.find(|k| k.table == Table::Requests).first().map_or(0, |p| p.0).saturating_sub(2);
                    b.put(header, 0, Cell::text("序号"));
                    for (i, &r) in body.iter().enumerate() {
                        b.put(r, 0, Cell::num(i as i64 + 1, None));
                    }
                }
                Pert::BlankRows if is_req || b.table == Some(Table::Active) => {
                    let n = 1 + rng.below(3);
                    for _ in 0..n {
                        let at = body[1 + rng.below(body.len() as u64 - 1) as usize];
                        b.insert_row(at);
                    }
                }
                Pert::RowTwice if is_req => {
                    let rows: Vec<usize> =
                        b.find(|k| k.table == Table::Requests && k.col == 0).into_iter().map(|p| p.0).collect();
                    let Some(&r) = rows.get(rng.below(rows.len().max(1) as u64) as usize) else { continue };
                    let Some(label_col) = b.rows[r].iter().rposition(|c| c.label) else { continue };
                    let copy: Vec<Cell> = b.rows[r]
                        .iter()
                        .enumerate()
                        .map(|(i, c)| match &c.v {
                            V::Num(_) if c.key.is_some() => Cell::num(0, None),
                            _ if i == label_col => c.clone(),
                            _ => Cell::default(),
                        })
                        .collect();
                    b.rows.insert(r, copy);
                }
                Pert::OfWhichRow if is_req => {
                    let new = requests_row(ReqRow::NewReceived);
                    let Some(&(r, _)) = b.find(|k| k.table == Table::Requests && k.row == new && k.col == 0).first()
                    else {
                        continue;
                    };
                    let label_col = b.rows[r].iter().position(|c| c.label).unwrap_or(0);
                    let row: Vec<Cell> = b.rows[r]
                        .iter()
                        .map(|c| match &c.v {
                            V::Num(n) if c.key.is_some() => Cell::num(n / 2, None),
                            _ => Cell::default(),
                        })
                        .collect();
                    b.rows.insert(r + 1, row);
                    b.put(r + 1, label_col, Cell::text("其中：通过互联网提交"));
                }
                _ => {}
            }
        }
    }
}

/// Table 三's and 四's number columns doubled: this year's and last year's side by side
/// under a row of year headers. `old` gives last year's number for a key.
pub fn year_columns(seed: u64, blocks: &mut [Block], year: i32, old: impl Fn(&Key) -> i64) {
    let mut rng = Pert::YearColumns.rng(seed);
    let old_first = rng.chance(50);
    for b in blocks.iter_mut() {
        let Some(table @ (Table::Requests | Table::Review)) = b.table else { continue };
        let mut cols: Vec<usize> = b.find(|k| k.table == table).into_iter().map(|p| p.1).collect();
        cols.sort_unstable();
        cols.dedup();
        let first_row = b.find(|k| k.table == table).first().map_or(0, |p| p.0);
        // From the right, so that the columns to do keep their places.
        for &c in cols.iter().rev() {
            for row in b.rows.iter_mut() {
                // Every row reaching column c gets the new column, the last one too (a row
                // ending at the total's column is doubled like the rest).
                if row.len() <= c {
                    continue;
                }
                row.insert(c + 1, Cell::default());
                if let Some(k) = row[c].key {
                    row[c + 1] = Cell::num(old(&k), None);
                    if old_first {
                        row.swap(c, c + 1);
                    }
                }
            }
        }
        // Labels spanning the doubled columns stay at the left cell; year headers go in a
        // new row above the first numbers.
        b.insert_row(first_row);
        let mut cols: Vec<usize> = b.find(|k| k.table == table).into_iter().map(|p| p.1).collect();
        cols.sort_unstable();
        cols.dedup();
        for c in cols {
            let (this, other) = if old_first { (c, c - 1) } else { (c, c + 1) };
            b.put(first_row, this, Cell::text(&format!("{year}年")));
            b.put(first_row, other, Cell::text(&format!("{}年", year - 1)));
        }
    }
}

/// Numbers spelled otherwise: a share of the true numbers (never a formula).
pub fn spellings(perts: &[Pert], seed: u64, blocks: &mut [Block]) {
    const FULL: [char; 10] = ['０', '１', '２', '３', '４', '５', '６', '７', '８', '９'];
    for &p in perts {
        let mut rng = p.rng(seed);
        for b in blocks.iter_mut() {
            for c in b.cells_mut() {
                let (V::Num(n), Some(_)) = (&c.v, c.key) else { continue };
                let n = *n;
                let text = match p {
                    Pert::TextNumbers if rng.chance(33) => n.to_string(),
                    Pert::FullWidth if rng.chance(33) => {
                        n.to_string().chars().map(|ch| ch.to_digit(10).map_or(ch, |d| FULL[d as usize])).collect()
                    }
                    Pert::UnitSuffix if rng.chance(33) => format!("{n}件"),
                    Pert::DashForZero if n == 0 && rng.chance(70) => {
                        if rng.chance(50) {
                            c.v = V::Empty;
                            continue;
                        }
                        "—".to_string()
                    }
                    Pert::Thousands if n.abs() >= 1000 => thousands(n),
                    _ => continue,
                };
                c.v = V::Text(text);
            }
        }
    }
}

fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}
