//! Issue 25: a reader that decides by evidence. One test per category: labels worded
//! otherwise (synonyms, a label placed by position), two places for one number (a column
//! per year, two copies of the headers, two copies of the tables on one sheet, `上年`
//! columns), structure the form lacks (a `小计` column). The workbooks are written here,
//! cell by cell, from the numbers of tests/layouts.rs.

use crate::layouts::{edit_parts, write, Data, Layout, Rng};
use nianbao::form::{self, Edition, Form};
use nianbao::model::NoteKind;
use nianbao::read::{self, Options};
use rust_xlsxwriter::{Workbook, Worksheet};

pub const AGENCY: &str = "某某县教育局";
pub const TITLE: &str = "某某县教育局2023年度政府信息公开工作年度报告（统计表）";

pub fn cur() -> Data {
    Data::consistent(Edition::E2021, 2023, AGENCY, &mut Rng::new(1))
}

/// Last year's numbers, each one more than this year's: any mix-up shows.
pub fn old() -> Data {
    cur().older()
}

/// A sheet as a list of cells.
#[derive(Default)]
pub struct Grid {
    cells: Vec<(u32, u16, Result<i64, String>)>,
}

impl Grid {
    pub fn t(&mut self, r: u32, c: u16, s: &str) {
        self.cells.push((r, c, Err(s.to_string())));
    }
    pub fn n(&mut self, r: u32, c: u16, n: i64) {
        self.cells.push((r, c, Ok(n)));
    }
}

/// Section 二 from row `top`, labels in column `left`; returns the next free row.
pub fn active(g: &mut Grid, top: u32, left: u16, f: &Form, d: &Data) -> u32 {
    let mut r = top;
    g.t(r, left, form::section(form::SectionId::Active).heading);
    r += 1;
    let mut i = 0;
    for b in f.active {
        g.t(r, left, b.heading);
        r += 1;
        g.t(r, left, form::ACTIVE_HEADER);
        for (k, c) in b.columns.iter().enumerate() {
            g.t(r, left + 1 + k as u16, c.label);
        }
        r += 1;
        for row in b.rows {
            g.t(r, left, row.label);
            for (k, n) in d.active[i].iter().enumerate() {
                g.n(r, left + 1 + k as u16, *n);
            }
            i += 1;
            r += 1;
        }
    }
    r
}

/// How table 三's columns hold more than one set of numbers.
#[derive(Clone, Copy, PartialEq)]
pub enum Years {
    /// A column per set under each header, the set's label in a row below the headers.
    Under,
    /// The headers once per set, side by side, the set's label in a row above them.
    Over,
}

/// Table 三 from row `top` with one column set per `(label, data)`; a `小计` column after
/// 其他 when `subtotal` gives its values. Returns the next free row.
pub fn requests(
    g: &mut Grid,
    top: u32,
    f: &Form,
    sets: &[(&str, &Data)],
    years: Years,
    subtotal: Option<&[i64]>,
) -> u32 {
    let k = sets.len();
    let shift = |c: usize| u16::from(subtotal.is_some() && c == 6);
    let col = |set: usize, c: usize| -> u16 {
        match years {
            Years::Under => 1 + (c * k + set) as u16 + shift(c),
            Years::Over => 1 + (set * 8 + c) as u16 + shift(c),
        }
    };
    let mut r = top;
    g.t(r, 0, form::section(form::SectionId::Requests).heading);
    r += 1;
    if years == Years::Over && k > 1 {
        for (i, (y, _)) in sets.iter().enumerate() {
            g.t(r, col(i, 0), y);
        }
        r += 1;
    }
    for i in 0..k {
        if years == Years::Over || i == 0 {
            for (c, column) in f.requests_columns.iter().enumerate() {
                g.t(r, col(i, c), column.label);
            }
            if subtotal.is_some() {
                g.t(r, col(i, 5) + 1, "小计");
            }
        }
    }
    r += 1;
    if years == Years::Under && k > 1 {
        for c in 0..7 {
            for (i, (y, _)) in sets.iter().enumerate() {
                g.t(r, col(i, c), y);
            }
        }
        r += 1;
    }
    for (ri, row) in f.requests_rows.iter().enumerate() {
        g.t(r, 0, row.label);
        for (i, (_, d)) in sets.iter().enumerate() {
            for c in 0..7 {
                g.n(r, col(i, c), d.requests[ri][c]);
            }
        }
        if let Some(s) = subtotal {
            g.n(r, col(0, 5) + 1, s[ri]);
        }
        r += 1;
    }
    r
}

/// Table 四 from row `top`, at column `left`; returns the next free row.
pub fn review(g: &mut Grid, top: u32, left: u16, f: &Form, d: &Data) -> u32 {
    let r = top;
    g.t(r, left, form::section(form::SectionId::ReviewLitigation).heading);
    g.t(r + 1, left, f.review_groups[0].label);
    g.t(r + 1, left + 5, form::REVIEW_LITIGATION);
    for (gi, group) in f.review_groups.iter().enumerate() {
        if gi > 0 {
            g.t(r + 2, left + 5 * gi as u16, group.label);
        }
        for (k, c) in f.review_columns.iter().enumerate() {
            g.t(r + 3, left + (gi * 5 + k) as u16, c.label);
            g.n(r + 4, left + (gi * 5 + k) as u16, d.review[gi][k]);
        }
    }
    r + 5
}

/// The three tables of `d` from row `top`; returns the next free row.
pub fn all_tables(g: &mut Grid, top: u32, d: &Data) -> u32 {
    let f = d.edition.form();
    let r = active(g, top, 0, f, d);
    let r = requests(g, r + 1, f, &[("", d)], Years::Under, None);
    review(g, r + 1, 0, f, d)
}

/// The workbook of one sheet named `统计表`.
pub fn workbook(g: &Grid) -> Vec<u8> {
    let mut ws = Worksheet::new();
    ws.set_name("统计表").expect("name");
    for (r, c, v) in &g.cells {
        match v {
            Ok(n) => ws.write_number(*r, *c, *n as f64).map(|_| ()),
            Err(s) => ws.write_string(*r, *c, s).map(|_| ()),
        }
        .expect("write");
    }
    let mut wb = Workbook::new();
    wb.push_worksheet(ws);
    wb.save_to_buffer().expect("save")
}

/// A sheet with table 三's columns once per year, sections 二 and 四 of this year.
pub fn year_columns(title: bool, years: Years, labels: [&str; 2]) -> Vec<u8> {
    let (c, o) = (cur(), old());
    let f = c.edition.form();
    let mut g = Grid::default();
    if title {
        g.t(0, 0, TITLE);
    }
    let r = active(&mut g, 2, 0, f, &c);
    let r = requests(&mut g, r + 1, f, &[(labels[0], &o), (labels[1], &c)], years, None);
    review(&mut g, r + 1, 0, f, &c);
    workbook(&g)
}

/// Two copies of every table on one sheet, last year's above this year's, each under a
/// heading naming its year. Returns the bytes and the row (0-based) of the second heading.
pub fn two_copies(title: bool) -> (Vec<u8>, u32) {
    let mut g = Grid::default();
    if title {
        g.t(0, 0, TITLE);
    }
    g.t(2, 0, "2022年");
    let r = all_tables(&mut g, 3, &old());
    let second = r + 2;
    g.t(second, 0, "2023年");
    all_tables(&mut g, second + 1, &cur());
    (workbook(&g), second)
}

/// The workbook of the plain layout with labels retyped (`>from<` → `>to<` in the shared
/// strings).
pub fn relabelled(edits: &[(&str, &str)]) -> Vec<u8> {
    let bytes = write(&cur(), &Layout::plain(), 1);
    let edits: Vec<(String, String)> = edits.iter().map(|(a, b)| (format!(">{a}<"), format!(">{b}<"))).collect();
    edit_parts(&bytes, |name, xml| {
        if name == "xl/sharedStrings.xml" {
            edits.iter().fold(xml, |x, (a, b)| x.replace(a.as_str(), b))
        } else {
            xml
        }
    })
}

pub fn read_opts(bytes: &[u8], opts: &Options) -> Result<nianbao::Report, nianbao::ReadError> {
    read::read(bytes, "变体.xlsx", opts)
}

/// The reader's notes of one kind: (cell, message).
pub fn notes(r: &nianbao::Report, kind: NoteKind) -> Vec<(String, String)> {
    r.read_notes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| (n.cell.as_ref().map(|c| c.to_string()).unwrap_or_default(), n.message.clone()))
        .collect()
}

// ---------------------------------------------------------------- labels

#[test]
fn synonyms_read_every_number_and_say_nothing() {
    let bytes =
        relabelled(&[("总计", "合计"), ("科研机构", "科研单位"), ("社会公益组织", "社会公益机构"), ("其他", "其它")]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert!(r.read_notes.is_empty(), "{:?}", r.read_notes);
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
}

#[test]
fn a_label_worded_otherwise_is_placed_by_position_and_said() {
    let bytes = relabelled(&[("社会公益组织", "公益团体"), ("（七）总计", "（七）办结合计数")]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(
        notes(&r, NoteKind::Label),
        [
            (
                "统计表!G22".to_string(),
                "“三、收到和处理政府信息公开申请情况”表中的列标签“公益团体”不是官方表格的文字，已按它在表中的位置读作“社会公益组织”列，请核对并改为官方文字".to_string()
            ),
            (
                "统计表!C46".to_string(),
                "“三、收到和处理政府信息公开申请情况”表中的行标签“（七）办结合计数”不是官方表格的文字，已按它在表中的位置读作“（七）总计”行，请核对并改为官方文字".to_string()
            ),
        ]
    );
    let findings = nianbao::check::check(&r, Default::default());
    let labels: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == "READ-LABEL")
        .filter_map(|f| f.cell.as_ref().map(|c| c.to_string()))
        .collect();
    assert_eq!(labels, ["统计表!G22", "统计表!C46"]);
}

#[test]
fn a_table_whose_structure_is_lost_is_refused_naming_the_nearest_label() {
    let bytes = relabelled(&[("科研机构", "科学"), ("社会公益组织", "公益")]);
    let err = read_opts(&bytes, &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“三、收到和处理政府信息公开申请情况”表中找不到“科研机构”列（工作表“统计表”；最接近的是单元格 统计表!F22 的“科学”）"
    );
}

// ---------------------------------------------------------------- two places, one number

fn with_year(year: i32) -> Options {
    Options { year: Some(year), ..Options::default() }
}

#[test]
fn a_column_per_year_reads_the_report_year_and_says_so() {
    let bytes = year_columns(true, Years::Under, ["2022年", "2023年"]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(
        r.request("new_received", "natural_person").and_then(|v| v.cell.clone()).map(|c| c.to_string()).as_deref(),
        Some("统计表!C22")
    );
    assert_eq!(
        notes(&r, NoteKind::Choice),
        [(
            "统计表!C21".to_string(),
            "“三、收到和处理政府信息公开申请情况”表的每一列下分年度填了不止一列（如“统计表!B21”（2022年）、“统计表!C21”（2023年）），读取了“2023年”一列（报告年度 2023 年），其余未读取".to_string()
        )]
    );
    // --year names the other.
    let r = read_opts(&bytes, &with_year(2022)).expect("read");
    assert_eq!(Data::of(&r)[1], old().expected()[1]);
}

#[test]
fn a_column_per_year_with_no_report_year_is_refused_naming_both() {
    let bytes = year_columns(false, Years::Under, ["2022年", "2023年"]);
    let err = read_opts(&bytes, &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“三、收到和处理政府信息公开申请情况”表的数字有不止一处可读：“统计表!B21”（2022年）、“统计表!C21”（2023年），无法判断哪一处是报告年度的；请用 --year 指明报告年度"
    );
}

#[test]
fn last_year_and_this_year_columns_read_this_year() {
    let bytes = year_columns(false, Years::Under, ["上年", "本年"]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r)[1], cur().expected()[1]);
    assert_eq!(notes(&r, NoteKind::Choice).len(), 1);
}

#[test]
fn headers_copied_side_by_side_under_years_read_the_report_year() {
    let bytes = year_columns(true, Years::Over, ["2022年", "2023年"]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(
        notes(&r, NoteKind::Choice),
        [(
            "统计表!J21".to_string(),
            "“三、收到和处理政府信息公开申请情况”表的列有2套：“统计表!B21”（2022年）、“统计表!J21”（2023年）；读取了2023年的一套（标题或表头写明的年度是报告年度），其余未读取".to_string()
        )]
    );
    let err =
        read_opts(&year_columns(false, Years::Over, ["2022年", "2023年"]), &Options::default()).expect_err("refused");
    assert!(err.to_string().contains("“统计表!B21”（2022年）、“统计表!J21”（2023年）"), "{err}");
}

#[test]
fn two_copies_on_one_sheet_read_the_report_years_and_say_so() {
    let (bytes, _) = two_copies(true);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let choices = notes(&r, NoteKind::Choice);
    assert_eq!(choices.len(), 3, "{choices:?}");
    assert_eq!(
        choices[1].1,
        "“三、收到和处理政府信息公开申请情况”表在工作簿中有2处：“统计表!A22”（2022年）、“统计表!A74”（2023年）；读取了2023年的一处（其上方的标题写明报告年度），其余未读取；如需读取另一处，请用 --sheet '工作表!单元格' 指定"
    );
}

#[test]
fn two_copies_on_one_sheet_with_no_report_year_are_refused_and_a_cell_chooses() {
    let (bytes, second) = two_copies(false);
    let err = read_opts(&bytes, &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“二、主动公开政府信息情况”表的数字有不止一处可读：“统计表!A7”（2022年）、“统计表!A59”（2023年），无法判断哪一处是报告年度的；请用 --year 指明报告年度，或用 --sheet '统计表!A59' 指定从哪个单元格起读取"
    );
    let at = |row: u32| Options { sheet: Some(format!("统计表!A{}", row + 1)), ..Options::default() };
    let r = read_opts(&bytes, &at(second)).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let r = read_opts(&bytes, &at(0)).expect("read");
    assert_eq!(Data::of(&r), old().expected());
    let r = read_opts(&bytes, &with_year(2023)).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
}

// ---------------------------------------------------------------- what the form lacks

/// This year's tables with a `小计` column after 其他 in table 三, wrong in one row.
pub fn with_subtotal() -> Vec<u8> {
    let c = cur();
    let f = c.edition.form();
    let mut sub: Vec<i64> = c.requests.iter().map(|r| r[1..6].iter().sum()).collect();
    sub[0] += 1;
    let mut g = Grid::default();
    g.t(0, 0, TITLE);
    let r = active(&mut g, 2, 0, f, &c);
    let r = requests(&mut g, r + 1, f, &[("", &c)], Years::Under, Some(&sub));
    review(&mut g, r + 1, 0, f, &c);
    workbook(&g)
}

#[test]
fn an_added_subtotal_column_is_not_read_as_the_form_and_is_checked() {
    let r = read_opts(&with_subtotal(), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(r.subtotals.len(), cur().requests.len());
    let findings = nianbao::check::check(&r, Default::default());
    let sub: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.rule == "T3-SUBTOTAL")
        .map(|f| (f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default(), f.message.clone()))
        .collect();
    let want = cur().requests[0][1..6].iter().sum::<i64>();
    assert_eq!(
        sub,
        [(
            "统计表!H21".to_string(),
            format!("自行添加的“小计”列（官方表格没有此列）填写为 {}，应等于“法人或其他组织”各列之和 {want}", want + 1)
        )]
    );
}
