//! Workbooks laid out the ways other hands lay them out, written from one description
//! (`Layout`), and the property test over random layouts: whatever the layout, the reader
//! must read the same numbers. The fixtures of tests/read_layouts.rs are written by the
//! same code (`make_read_fixtures`, run with `--ignored`).

use nianbao::form::{self, Edition, Form};
use nianbao::read::{self, Options};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::io::{Cursor, Read, Write};

/// A small seeded generator (xorshift64*): a failure reproduces from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The numbers of one report, in the order of `Report::numbers()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub edition: Edition,
    pub year: i32,
    pub agency: String,
    pub active: Vec<Vec<i64>>,
    pub requests: Vec<Vec<i64>>,
    pub review: Vec<Vec<i64>>,
}

impl Data {
    /// Numbers that keep every relation of formats.md §6: a report with no error.
    pub fn consistent(edition: Edition, year: i32, agency: &str, rng: &mut Rng) -> Self {
        let mut d = Data::random(edition, year, agency, rng);
        let f = edition.form();
        let row = |id: &str| f.requests_row(id).expect("row");
        let results: Vec<usize> = (row("granted")..row("result_total")).collect();
        for c in 0..6 {
            for r in 0..d.requests.len() {
                d.requests[r][c] %= 5;
            }
            let total: i64 = results.iter().map(|&r| d.requests[r][c]).sum();
            d.requests[row("result_total")][c] = total;
            let carried = d.requests[row("carried_over")][c].min(total);
            d.requests[row("carried_over")][c] = carried;
            d.requests[row("new_received")][c] = total + d.requests[row("carried_forward")][c] - carried;
        }
        for r in &mut d.requests {
            r[6] = r[..6].iter().sum();
        }
        for g in &mut d.review {
            g[4] = g[..4].iter().sum();
        }
        d
    }

    /// Numbers from a seed, different in every cell that matters.
    pub fn random(edition: Edition, year: i32, agency: &str, rng: &mut Rng) -> Self {
        let f = edition.form();
        let mut n = || rng.below(60) as i64;
        Data {
            edition,
            year,
            agency: agency.into(),
            active: f.active_rows().map(|(b, _)| b.columns.iter().map(|_| n()).collect()).collect(),
            requests: f.requests_rows.iter().map(|_| f.requests_columns.iter().map(|_| n()).collect()).collect(),
            review: f.review_groups.iter().map(|_| f.review_columns.iter().map(|_| n()).collect()).collect(),
        }
    }

    /// The same numbers, each one more: last year's copy.
    pub fn older(&self) -> Self {
        let plus = |v: &Vec<Vec<i64>>| v.iter().map(|r| r.iter().map(|x| x + 1).collect()).collect();
        Data {
            edition: self.edition,
            year: self.year - 1,
            agency: self.agency.clone(),
            active: plus(&self.active),
            requests: plus(&self.requests),
            review: plus(&self.review),
        }
    }

    /// The numbers a report read back holds, in the same shape.
    pub fn of(r: &nianbao::Report) -> Vec<Vec<Vec<Option<String>>>> {
        let t = |v: &Vec<Vec<nianbao::model::Value>>| {
            v.iter().map(|r| r.iter().map(|x| x.num.map(|d| d.normalize().to_string())).collect()).collect()
        };
        vec![t(&r.active), t(&r.requests), t(&r.review)]
    }

    pub fn expected(&self) -> Vec<Vec<Vec<Option<String>>>> {
        let t = |v: &Vec<Vec<i64>>| v.iter().map(|r| r.iter().map(|x| Some(x.to_string())).collect()).collect();
        vec![t(&self.active), t(&self.requests), t(&self.review)]
    }
}

/// How enumerators (`（一）`, `1.`, `一、`) are typed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Numbering {
    Kept,
    Removed,
    OwnColumn,
}

/// One way to lay the tables out.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Notes appended to labels: a label gets one with this chance (percent).
    pub notes: u64,
    pub numbering: Numbering,
    /// Table 三's group labels in their own columns (else only the row's own label).
    pub split_groups: bool,
    /// Blank columns between the labels and the numbers.
    pub gap: u16,
    /// Each number column two columns wide, merged.
    pub wide: bool,
    /// All three tables on one sheet (else one sheet each).
    pub one_sheet: bool,
    /// A `填表说明` sheet repeating every label with an explanation.
    pub glossary: bool,
    /// A hidden sheet with last year's tables.
    pub hidden_old: bool,
    /// The order of the sheets: a permutation seed.
    pub shuffle: u64,
    /// Table 三's 总计 column written as uncached `=SUM(…)` formulas.
    pub sum_formulas: bool,
    /// A title naming agency and year over the tables.
    pub title: bool,
    /// Instead of a title: `填报单位（盖章）：…` and `填报年度：…年` cells.
    pub seal: bool,
}

impl Layout {
    #[allow(dead_code)]
    pub fn plain() -> Self {
        Layout {
            notes: 0,
            numbering: Numbering::Kept,
            split_groups: true,
            gap: 0,
            wide: false,
            one_sheet: true,
            glossary: false,
            hidden_old: false,
            shuffle: 0,
            sum_formulas: false,
            title: true,
            seal: false,
        }
    }

    pub fn random(rng: &mut Rng) -> Self {
        Layout {
            notes: [0, 30, 100][rng.below(3) as usize],
            numbering: [Numbering::Kept, Numbering::Removed, Numbering::OwnColumn][rng.below(3) as usize],
            split_groups: rng.chance(50),
            gap: rng.below(3) as u16,
            wide: rng.chance(30),
            one_sheet: rng.chance(50),
            glossary: rng.chance(40),
            hidden_old: rng.chance(40),
            shuffle: rng.next(),
            sum_formulas: false,
            title: true,
            seal: false,
        }
    }
}

const NOTES: [&str; 7] =
    ["（件）", "（个）", "(件)", "（含确认违法）", "（不含行政复议）", "（单位：件）", "（件）（累计）"];

/// A label as this layout types it: enumerator kept or split off, perhaps a note after it.
fn split_enum(label: &str) -> (&str, &str) {
    const NUM: &str = "一二三四五六七八九十";
    if let Some(rest) = label.strip_prefix('（') {
        if let Some(end) = rest.find('）') {
            if rest[..end].chars().all(|c| NUM.contains(c)) {
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

struct Writer<'a> {
    layout: &'a Layout,
    rng: Rng,
    border: Format,
}

impl Writer<'_> {
    fn note(&mut self, label: &str) -> String {
        if self.layout.notes > 0 && self.rng.chance(self.layout.notes) {
            format!("{label}{}", NOTES[self.rng.below(NOTES.len() as u64) as usize])
        } else {
            label.to_string()
        }
    }

    /// A row label: (enumerator for its own column, the label text).
    fn row_label(&mut self, label: &str) -> (String, String) {
        let (num, rest) = split_enum(label);
        let rest = self.note(rest);
        match self.layout.numbering {
            Numbering::Kept => (String::new(), format!("{num}{rest}")),
            Numbering::Removed => (String::new(), rest),
            Numbering::OwnColumn => (num.to_string(), rest),
        }
    }

    fn text(&self, ws: &mut Worksheet, r: u32, c: u16, s: &str) {
        if !s.is_empty() {
            ws.write_string_with_format(r, c, s, &self.border).expect("write");
        }
    }

    /// A header or number over `w` columns, merged when wider than one.
    fn wide_text(&self, ws: &mut Worksheet, r: u32, c: u16, w: u16, s: &str) {
        if w > 1 {
            ws.merge_range(r, c, r, c + w - 1, s, &self.border).expect("merge");
        } else {
            self.text(ws, r, c, s);
        }
    }

    fn number(&self, ws: &mut Worksheet, r: u32, c: u16, w: u16, n: i64) {
        if w > 1 {
            ws.merge_range(r, c, r, c + w - 1, "", &self.border).expect("merge");
        }
        ws.write_number_with_format(r, c, n as f64, &self.border).expect("write");
    }

    fn width(&self) -> u16 {
        if self.layout.wide {
            2
        } else {
            1
        }
    }

    /// Section 二 from row `top`; returns the next free row.
    fn active(&mut self, ws: &mut Worksheet, f: &Form, d: &Data, top: u32) -> u32 {
        let w = self.width();
        let first = 1 + self.layout.gap;
        let mut r = top;
        self.text(ws, r, 0, form::section(form::SectionId::Active).heading);
        r += 1;
        let mut i = 0;
        for b in f.active {
            self.text(ws, r, 0, b.heading);
            r += 1;
            self.text(ws, r, 0, form::ACTIVE_HEADER);
            for (k, c) in b.columns.iter().enumerate() {
                let label = self.note(c.label);
                self.wide_text(ws, r, first + k as u16 * w, w, &label);
            }
            r += 1;
            for row in b.rows {
                let label = self.note(row.label);
                self.text(ws, r, 0, &label);
                for (k, n) in d.active[i].iter().enumerate() {
                    self.number(ws, r, first + k as u16 * w, w, *n);
                }
                i += 1;
                r += 1;
            }
        }
        r
    }

    /// Table 三 from row `top`; returns the next free row.
    fn requests(&mut self, ws: &mut Worksheet, f: &Form, d: &Data, top: u32) -> u32 {
        let w = self.width();
        let own = u16::from(self.layout.numbering == Numbering::OwnColumn);
        let groups = if self.layout.split_groups { 2 } else { 0 };
        let label_col = groups + own;
        let first = label_col + 1 + self.layout.gap;
        let col = |k: usize| first + k as u16 * w;
        let mut r = top;
        self.text(ws, r, 0, form::section(form::SectionId::Requests).heading);
        r += 1;
        self.text(ws, r, 0, form::REQUESTS_NOTE);
        self.text(ws, r, col(0), form::REQUESTS_APPLICANT);
        let person = self.note("自然人");
        self.wide_text(ws, r + 1, col(0), w, &person);
        self.text(ws, r + 1, col(1), form::REQUESTS_ORG);
        let total = self.note("总计");
        self.wide_text(ws, r + 1, col(6), w, &total);
        for (k, c) in f.requests_columns.iter().enumerate().skip(1).take(5) {
            let label = self.note(c.label);
            self.wide_text(ws, r + 2, col(k), w, &label);
        }
        r += 3;
        let mut last_groups: Vec<&str> = Vec::new();
        for (i, row) in f.requests_rows.iter().enumerate() {
            if self.layout.split_groups {
                for (level, g) in row.groups.iter().enumerate() {
                    if last_groups.get(level) != Some(g) {
                        let (num, label) = self.row_label(g);
                        self.text(ws, r, level as u16, &format!("{num}{label}"));
                    }
                }
                last_groups = row.groups.to_vec();
            }
            let (num, label) = self.row_label(row.label);
            if own == 1 {
                self.text(ws, r, groups, &num);
            }
            self.text(ws, r, label_col, &label);
            for (k, n) in d.requests[i].iter().enumerate() {
                if k == 6 && self.layout.sum_formulas {
                    let range = format!("={}:{}", cell(r, col(0)), cell(r, col(5)));
                    let formula = format!("=SUM({})", range.trim_start_matches('='));
                    if w > 1 {
                        ws.merge_range(r, col(k), r, col(k) + w - 1, "", &self.border).expect("merge");
                    }
                    ws.write_formula_with_format(r, col(k), formula.as_str(), &self.border).expect("formula");
                } else {
                    self.number(ws, r, col(k), w, *n);
                }
            }
            r += 1;
        }
        r
    }

    /// Table 四 from row `top`; returns the next free row.
    fn review(&mut self, ws: &mut Worksheet, f: &Form, d: &Data, top: u32) -> u32 {
        let w = self.width();
        let first = self.layout.gap;
        let col = |g: usize, k: usize| first + ((g * 5 + k) as u16) * w;
        let mut r = top;
        self.text(ws, r, 0, form::section(form::SectionId::ReviewLitigation).heading);
        r += 1;
        let review = self.note(f.review_groups[0].label);
        self.text(ws, r, col(0, 0), &review);
        let lit = self.note(form::REVIEW_LITIGATION);
        self.text(ws, r, col(1, 0), &lit);
        for (g, group) in f.review_groups.iter().enumerate() {
            let label = self.note(group.label);
            // 行政复议 stands over its columns alone; the two kinds of 行政诉讼 under it.
            if g > 0 {
                self.text(ws, r + 1, col(g, 0), &label);
            }
            for (k, c) in f.review_columns.iter().enumerate() {
                let label = self.note(c.label);
                self.wide_text(ws, r + 2, col(g, k), w, &label);
            }
        }
        r += 3;
        for (g, _) in f.review_groups.iter().enumerate() {
            for (k, n) in d.review[g].iter().enumerate() {
                self.number(ws, r, col(g, k), w, *n);
            }
        }
        r + 1
    }

    fn title(&self, ws: &mut Worksheet, d: &Data) {
        if self.layout.title {
            let t = format!("{}{}年度政府信息公开工作年度报告（统计表）", d.agency, d.year);
            ws.write_string(0, 0, t).expect("title");
        }
        if self.layout.seal {
            ws.write_string(0, 0, format!("填报单位（盖章）：{}", d.agency)).expect("agency");
            ws.write_string(0, 5, "填报年度：").expect("year");
            ws.write_string(0, 6, format!("{}年", d.year)).expect("year");
        }
    }

    /// The report's tables as sheets: one, or three.
    fn sheets(&mut self, d: &Data, names: [&str; 3]) -> Vec<Worksheet> {
        let f = d.edition.form();
        if self.layout.one_sheet {
            let mut ws = Worksheet::new();
            ws.set_name(names[0]).expect("name");
            self.title(&mut ws, d);
            let r = self.active(&mut ws, f, d, 2);
            let r = self.requests(&mut ws, f, d, r + 1);
            self.review(&mut ws, f, d, r + 1);
            vec![ws]
        } else {
            let mut a = Worksheet::new();
            a.set_name(names[0]).expect("name");
            self.title(&mut a, d);
            self.active(&mut a, f, d, 2);
            let mut b = Worksheet::new();
            b.set_name(names[1]).expect("name");
            self.requests(&mut b, f, d, 0);
            let mut c = Worksheet::new();
            c.set_name(names[2]).expect("name");
            self.review(&mut c, f, d, 0);
            vec![a, b, c]
        }
    }
}

/// `D8` for 0-based (row, col).
fn cell(r: u32, c: u16) -> String {
    let mut s = String::new();
    nianbao::cell::push_column_letters(&mut s, u32::from(c)).expect("letters");
    format!("{s}{}", r + 1)
}

/// A `填表说明` sheet: every label of the form with an explanation beside it.
fn glossary(f: &Form) -> Worksheet {
    let mut ws = Worksheet::new();
    ws.set_name("填表说明").expect("name");
    ws.write_string(0, 0, "填表说明").expect("w");
    let mut r = 1;
    let mut put = |label: &str| {
        ws.write_string(r, 0, label).expect("w");
        ws.write_string(r, 1, format!("指本年度{label}的数量，按件统计")).expect("w");
        r += 1;
    };
    for (b, row) in f.active_rows() {
        put(row.label);
        for c in b.columns {
            put(c.label);
        }
    }
    for row in f.requests_rows {
        put(row.label);
    }
    for c in f.requests_columns {
        put(c.label);
    }
    for g in f.review_groups {
        put(g.label);
    }
    for c in f.review_columns {
        put(c.label);
    }
    ws
}

/// The workbook of a layout, as xlsx bytes.
pub fn write(d: &Data, layout: &Layout, seed: u64) -> Vec<u8> {
    let mut w = Writer { layout, rng: Rng::new(seed ^ 0x5eed), border: Format::new() };
    let mut sheets = w.sheets(d, ["统计表", "依申请公开", "复议诉讼"]);
    if !layout.one_sheet {
        sheets[0].set_name("主动公开").expect("name");
    }
    if layout.glossary {
        sheets.push(glossary(d.edition.form()));
    }
    let mut hidden = None;
    if layout.hidden_old {
        let old = d.older();
        let mut w = Writer {
            layout: &Layout { one_sheet: true, ..layout.clone() },
            rng: Rng::new(seed),
            border: Format::new(),
        };
        let mut s = w.sheets(&old, [&format!("{}年", old.year), "", ""]);
        let mut ws = s.remove(0);
        ws.set_hidden(true);
        hidden = Some(sheets.len());
        sheets.push(ws);
    }
    // A random order, the hidden sheet anywhere (even first).
    let mut order: Vec<usize> = (0..sheets.len()).collect();
    let mut rng = Rng::new(layout.shuffle);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut wb = Workbook::new();
    let mut slots: Vec<Option<Worksheet>> = sheets.into_iter().map(Some).collect();
    let first_visible = order.iter().position(|&i| Some(i) != hidden).unwrap_or(0);
    for (k, &i) in order.iter().enumerate() {
        let Some(mut ws) = slots[i].take() else { continue };
        if k == first_visible {
            ws.set_active(true);
        }
        wb.push_worksheet(ws);
    }
    let bytes = wb.save_to_buffer().expect("save");
    if layout.sum_formulas {
        uncache_formulas(&bytes)
    } else {
        bytes
    }
}

/// Several reports, each on one sheet of its own (`name`, hidden or not), in this order.
pub fn write_sets(layout: &Layout, sets: &[(&Data, &str, bool)]) -> Vec<u8> {
    let one = Layout { one_sheet: true, ..layout.clone() };
    let mut wb = Workbook::new();
    let first_visible = sets.iter().position(|s| !s.2).unwrap_or(0);
    for (k, (d, name, hidden)) in sets.iter().enumerate() {
        let mut w = Writer { layout: &one, rng: Rng::new(k as u64 + 1), border: Format::new() };
        let mut ws = w.sheets(d, [name, "", ""]).remove(0);
        if *hidden {
            ws.set_hidden(true);
        }
        if k == first_visible {
            ws.set_active(true);
        }
        wb.push_worksheet(ws);
    }
    wb.save_to_buffer().expect("save")
}

/// A report's tables as worksheets (`统计表`, or three sheets), to put in a workbook
/// beside sheets of other kinds.
#[allow(dead_code)]
pub fn worksheets(d: &Data, layout: &Layout, seed: u64) -> Vec<Worksheet> {
    Writer { layout, rng: Rng::new(seed ^ 0x5eed), border: Format::new() }
        .sheets(d, ["统计表", "依申请公开", "复议诉讼"])
}

/// The workbook with every formula's saved result removed, as a script would write it.
pub fn uncache_formulas(bytes: &[u8]) -> Vec<u8> {
    edit_parts(
        bytes,
        |name, xml| if name.starts_with("xl/worksheets/") { xml.replace("</f><v>0</v>", "</f>") } else { xml },
    )
}

/// The package with each XML part (relationships too) edited as text.
pub fn edit_parts(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("inflate");
        if name.ends_with(".xml") || name.ends_with(".rels") {
            data = edit(&name, String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        zout.start_file(name, opts).expect("start");
        zout.write_all(&data).expect("write");
    }
    zout.finish().expect("finish").into_inner()
}

/// Reads a layout's workbook and compares every number; the message names the seed.
fn check_variant(seed: u64) {
    let mut rng = Rng::new(seed);
    let edition = if rng.chance(70) { Edition::E2021 } else { Edition::E2019 };
    let year = if edition == Edition::E2021 { 2023 } else { 2020 };
    let d = Data::random(edition, year, "某某县教育局", &mut rng);
    let layout = Layout::random(&mut rng);
    let bytes = write(&d, &layout, seed);
    let r = read::read(&bytes, "变体.xlsx", &Options::default())
        .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{layout:#?}"));
    assert_eq!(Data::of(&r), d.expected(), "seed {seed}: numbers differ\n{layout:#?}");
    assert_eq!((r.edition, r.year.value), (edition, Some(year)), "seed {seed}\n{layout:#?}");
    assert_eq!(r.agency.value.as_deref(), Some("某某县教育局"), "seed {seed}");
    assert!(r.unknown_labels.is_empty(), "seed {seed}: {:?}\n{layout:#?}", r.unknown_labels);
    assert_eq!(r.read_choice.is_some(), layout.hidden_old, "seed {seed}: {:?}\n{layout:#?}", r.read_choice);
}

/// 300 random layouts of random numbers read back exactly. A failure prints its seed:
/// `LAYOUT_SEED=<seed> cargo test --test main layouts` reruns that one.
#[test]
fn every_layout_reads_the_same_numbers() {
    if let Some(seed) = std::env::var("LAYOUT_SEED").ok().and_then(|s| s.parse().ok()) {
        check_variant(seed);
        return;
    }
    let seeds: Vec<u64> = (0..300u64).map(|i| 0x13_0000 + i).collect();
    std::thread::scope(|s| {
        for chunk in seeds.chunks(150) {
            s.spawn(move || chunk.iter().for_each(|&seed| check_variant(seed)));
        }
    });
}
