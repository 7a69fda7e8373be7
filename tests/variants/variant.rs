//! A variant: its seed and perturbations → the true report and the workbook's sheets.

use super::grid::{self, Block, Cell, Key, Sheet, Table, V};
use super::perturb::{self, Pert};
use super::render::{self, Shape};
use super::truth;
use crate::layouts::{Data, Rng};
use nianbao::form::{Edition, ReqRow};

pub const AGENCIES: [&str; 4] = ["某某县教育局", "某某市生态环境局", "某某镇人民政府", "某某区发展和改革局"];
pub const OTHER_AGENCY: &str = "另一县卫生健康委员会";

/// A variant as generated: what is true and what was written.
pub struct Variant {
    pub seed: u64,
    pub perts: Vec<Pert>,
    pub truth: Data,
    /// The second agency's report, where the workbook holds one (`second-agency`).
    pub other: Option<Data>,
    pub sheets: Vec<Sheet>,
    pub uncached: bool,
}

impl Variant {
    pub fn has(&self, p: Pert) -> bool {
        self.perts.contains(&p)
    }

    /// The xlsx bytes (xls and ods are made from these by LibreOffice).
    pub fn xlsx(&self) -> Vec<u8> {
        grid::write_xlsx(&self.sheets, self.uncached)
    }
}

/// A random set of one to five composable perturbations from the seed.
pub fn pick(seed: u64) -> Vec<Pert> {
    let mut rng = Rng::new(seed ^ 0x000A_11CE);
    let n = 1 + rng.below(5) as usize;
    let mut out: Vec<Pert> = Vec::new();
    while out.len() < n {
        let p = Pert::ALL[rng.below(Pert::ALL.len() as u64) as usize];
        if !out.contains(&p) && !out.iter().any(|q| q.excludes(p)) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `二〇二三`.
fn chinese_year(y: i32) -> String {
    const D: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    y.to_string().chars().map(|c| c.to_digit(10).map_or(c, |d| D[d as usize])).collect()
}

/// The title block of a set.
fn title(d: &Data, perts: &[Pert]) -> Block {
    let has = |p| perts.contains(&p);
    let year = if has(Pert::TitleChineseYear) { chinese_year(d.year) } else { d.year.to_string() };
    let rest = format!("{year}年度政府信息公开工作年度报告（统计表）");
    let mut b = Block::new(None);
    let r = usize::from(has(Pert::TitleAttachment));
    if r == 1 {
        b.put(0, 0, Cell::text("附件2"));
    }
    if has(Pert::TitleSplit) {
        b.put(r, 0, Cell::text(&d.agency));
        b.put(r, 1, Cell::text(&rest));
    } else {
        b.put(r, 0, Cell::text(&format!("{}{rest}", d.agency)));
    }
    b
}

/// The formulas: totals as sums of their parts, 结转下年度 as arithmetic.
fn formulas(perts: &[Pert], d: &Data, set: u8, blocks: &mut [Block]) {
    let (sums, arith) = (perts.contains(&Pert::FormulaSums), perts.contains(&Pert::FormulaArith));
    if !sums && !arith {
        return;
    }
    let f = d.edition.form();
    let at = |r: ReqRow| f.requests_index(r).expect("row");
    let (new, over, total, forward) =
        (at(ReqRow::NewReceived), at(ReqRow::CarriedOver), at(ReqRow::ResultTotal), at(ReqRow::CarriedForward));
    let last = f.requests_columns.len() - 1;
    let k = |table, row, col| Key { set, table, row, col };
    for b in blocks.iter_mut() {
        for c in b.cells_mut() {
            let (Some(key), V::Num(n)) = (c.key, &c.v) else { continue };
            let n = *n;
            let terms: Vec<(i64, Key)> = match key.table {
                Table::Requests if sums && key.col == last => {
                    (0..last).map(|j| (1, k(Table::Requests, key.row, j))).collect()
                }
                Table::Requests if sums && key.row == total => {
                    (over + 1..total).map(|r| (1, k(Table::Requests, r, key.col))).collect()
                }
                Table::Requests if arith && key.row == forward => vec![
                    (1, k(Table::Requests, new, key.col)),
                    (1, k(Table::Requests, over, key.col)),
                    (-1, k(Table::Requests, total, key.col)),
                ],
                Table::Review if sums && key.col == f.review_columns.len() - 1 => {
                    (0..key.col).map(|j| (1, k(Table::Review, key.row, j))).collect()
                }
                _ => continue,
            };
            c.v = V::Formula(terms, n);
        }
    }
}

/// The tables of one set with every block-level perturbation applied.
fn tables(d: &Data, set: u8, perts: &[Pert], seed: u64, old: Option<&Data>) -> Vec<Block> {
    let has = |p| perts.contains(&p);
    let shape = Shape {
        review_transposed: has(Pert::ReviewTransposed),
        review_split: has(Pert::ReviewSplit),
        review_list: has(Pert::ReviewList),
        active_list: has(Pert::ActiveList),
        review_order: has(Pert::ReviewReordered).then(|| perturb::review_order(seed)),
    };
    let mut blocks = vec![render::active(d, set, shape), render::requests(d, set), render::review(d, set, shape)];
    let f = d.edition.form();
    perturb::labels(perts, seed, &mut blocks);
    perturb::extras(perts, seed, &mut blocks, |r| f.requests_index(r).expect("row"));
    if let (true, Some(old)) = (has(Pert::YearColumns), old) {
        perturb::year_columns(seed, &mut blocks, d.year, |k| match k.table {
            Table::Active => old.active[k.row][k.col],
            Table::Requests => old.requests[k.row][k.col],
            Table::Review => old.review[k.row][k.col],
        });
    }
    formulas(perts, d, set, &mut blocks);
    perturb::spellings(perts, seed, &mut blocks);
    blocks
}

/// The sheets of one set: one, or one per table (the title on the first); moved or not.
fn set_sheets(d: &Data, blocks: Vec<Block>, names: [&str; 3], perts: &[Pert], seed: u64) -> Vec<Sheet> {
    let has = |p| perts.contains(&p);
    let mut rng = Pert::Moved.rng(seed);
    let mut blocks = blocks;
    if has(Pert::Moved) {
        for i in (1..blocks.len()).rev() {
            blocks.swap(i, rng.below(i as u64 + 1) as usize);
        }
    }
    let mut place = |s: &mut Sheet, b: Block| {
        let (gap, left) = if has(Pert::Moved) { (1 + rng.below(4) as u32, rng.below(3) as u16) } else { (1, 0) };
        s.push(gap, left, b);
    };
    let mut first = Sheet::new(names[0]);
    first.blocks.push((0, 0, title(d, perts)));
    if has(Pert::SheetPerTable) {
        let mut out = vec![first];
        for (i, b) in blocks.into_iter().enumerate() {
            if i > 0 {
                out.push(Sheet::new(names[i]));
            }
            let s = out.last_mut().expect("a sheet");
            place(s, b);
        }
        out
    } else {
        for b in blocks {
            place(&mut first, b);
        }
        vec![first]
    }
}

/// A hidden copy of this year's `自然人` column of table 三 left of it: the same header,
/// last year's numbers (issue 25 §2, visibility decides).
fn hidden_column(sheets: &mut [Sheet], old: &Data) {
    let is_first = |k: &Key| k.set == 0 && k.table == Table::Requests && k.col == 0;
    for s in sheets.iter_mut() {
        for (_, left, b) in s.blocks.iter_mut() {
            let Some(c0) =
                b.rows.iter().flat_map(|r| r.iter().position(|c| c.key.as_ref().is_some_and(is_first))).next()
            else {
                continue;
            };
            // The header: the label nearest above the first number of the column.
            let first = b.rows.iter().position(|r| r.get(c0).and_then(|c| c.key.as_ref()).is_some_and(is_first));
            let header = first.and_then(|f| (0..f).rev().find(|&r| b.rows[r].get(c0).is_some_and(|c| c.label)));
            for (r, row) in b.rows.iter_mut().enumerate().filter(|(_, r)| r.len() > c0) {
                let copy = match &row[c0].key {
                    Some(k) if is_first(k) => Cell::num(old.requests[k.row][0], None),
                    _ if Some(r) == header => row[c0].clone(),
                    _ => Cell::default(),
                };
                row.insert(c0, copy);
            }
            s.hidden_cols.push(*left + c0 as u16);
            return;
        }
    }
}

/// The variant of a seed with these perturbations.
pub fn build(seed: u64, perts: &[Pert]) -> Variant {
    let mut rng = Rng::new(seed);
    let edition = if rng.chance(70) { Edition::E2021 } else { Edition::E2019 };
    let year = if edition == Edition::E2021 { 2021 + rng.below(4) as i32 } else { 2019 + rng.below(2) as i32 };
    let agency = AGENCIES[rng.below(AGENCIES.len() as u64) as usize];
    let truth = truth::consistent(edition, year, agency, &mut rng);
    let old = truth::consistent(edition, year - 1, agency, &mut rng);
    let other = truth::consistent(edition, year, OTHER_AGENCY, &mut rng);
    let has = |p| perts.contains(&p);

    let names = ["统计表", "依申请公开", "复议诉讼"];
    let blocks = tables(&truth, 0, perts, seed, Some(&old));
    let mut sheets = set_sheets(&truth, blocks, names, perts, seed);
    if has(Pert::LastYearBelow) {
        // Each sheet gets last year's copy of what it holds, under a year heading.
        let old_blocks = tables(&old, 1, perts, seed ^ 1, None);
        let old_sheets = set_sheets(&old, old_blocks, names, perts, seed);
        for (s, o) in sheets.iter_mut().zip(old_sheets) {
            let at = s.blocks.iter().position(|(_, _, b)| b.table.is_some()).unwrap_or(0);
            let (top, _, _) = s.blocks[at];
            // This year's heading above its first table.
            for (r, _, _) in s.blocks.iter_mut().skip(at) {
                *r += 2;
            }
            let mut h = Block::new(None);
            h.put(0, 0, Cell::text(&format!("{year}年")));
            s.blocks.push((top, 0, h));
            let bottom = s.bottom() + 2;
            let mut h = Block::new(None);
            h.put(0, 0, Cell::text(&format!("{}年", year - 1)));
            s.blocks.push((bottom, 0, h));
            for (r, c, b) in o.blocks.into_iter().filter(|(_, _, b)| b.table.is_some()) {
                s.blocks.push((r + bottom + 1, c, b));
            }
        }
    }
    if has(Pert::HiddenLastYear) {
        let blocks = tables(&old, 3, perts, seed ^ 3, None);
        let name = format!("{}年", year - 1);
        let mut s = set_sheets(&old, blocks, [name.as_str(), "", ""], &[], seed).remove(0);
        s.hidden = true;
        if Rng::new(seed ^ 0x41D).chance(50) {
            sheets.insert(0, s);
        } else {
            sheets.push(s);
        }
    }
    if has(Pert::QuarterSheets) {
        // The quarters' sheets, in order after the year's; their headings name no report.
        for (i, q) in ["一季度", "二季度", "三季度", "四季度"].iter().enumerate() {
            let part = truth::consistent(edition, year, agency, &mut Rng::new(seed ^ (0x9A00 + i as u64)));
            // The year's form copied for each quarter: its shapes and wording too.
            let blocks = tables(&part, 4 + i as u8, perts, seed ^ (4 + i as u64), None);
            let mut s = set_sheets(&part, blocks, [q, "", ""], &[], seed).remove(0);
            let mut heading = Block::new(None);
            heading.put(0, 0, Cell::text(&format!("{agency}{year}年{q}政府信息公开情况统计")));
            s.blocks[0] = (0, 0, heading);
            sheets.push(s);
        }
    }
    if has(Pert::HiddenColumn) {
        hidden_column(&mut sheets, &old);
    }
    if has(Pert::LastYearSheet) {
        // Last year's tables on a visible sheet whose name alone says whose they are.
        let blocks = tables(&old, 4, perts, seed ^ 4, None);
        let mut rng = Pert::LastYearSheet.rng(seed);
        let name = ["上年", "去年", "上一年度"][rng.below(3) as usize];
        let mut s = Sheet::new(name);
        for b in blocks {
            s.push(1, 0, b);
        }
        if rng.chance(50) {
            sheets.insert(0, s);
        } else {
            sheets.push(s);
        }
    }
    if has(Pert::SecondAgency) {
        let blocks = tables(&other, 2, perts, seed ^ 2, None);
        let mut s = set_sheets(&other, blocks, ["另一单位", "", ""], &[], seed).remove(0);
        s.hidden = false;
        sheets.push(s);
    }
    if has(Pert::ChartFirst) {
        let mut chart = Sheet::new("图表");
        chart.chart = true;
        sheets.insert(0, chart);
    }
    let other = has(Pert::SecondAgency).then_some(other);
    Variant { seed, perts: perts.to_vec(), truth, other, sheets, uncached: has(Pert::Uncached) }
}
