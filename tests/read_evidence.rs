//! Issue 25: a reader that decides by evidence. One test per category: labels worded
//! otherwise (synonyms, a label placed by position), two places for one number (a column
//! per year, two copies of the headers, two copies of the tables on one sheet, `上年`
//! columns), structure the form lacks (a `小计` column). The workbooks are those of
//! tests/evidence_books.rs.

use crate::evidence_books::*;
use crate::layouts::Data;
use nianbao::model::NoteKind;
use nianbao::read::Options;

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
        "“三、收到和处理政府信息公开申请情况”表在工作簿中有2处：“统计表!A22”（2022年）、“统计表!A74”（2023年）；读取了2023年的一处（其上方的标题写明报告年度），其余未读取；如需读取另一处，请用 --sheet '统计表!A22' 指定"
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

// ---------------------------------------------------------------- shapes

#[test]
fn table_four_transposed_reads_every_number() {
    let r = read_opts(&shaped(Shape::Transposed), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    // 复议后起诉 / 总计: the last row, the last column.
    assert_eq!(
        r.review_value("litigation_after_review", "total")
            .and_then(|v| v.cell.clone())
            .map(|c| c.to_string())
            .as_deref(),
        Some("统计表!G51")
    );
}

#[test]
fn table_four_split_in_two_blocks_reads_every_number() {
    let r = read_opts(&shaped(Shape::Split), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(
        r.review_value("litigation_after_review", "upheld")
            .and_then(|v| v.cell.clone())
            .map(|c| c.to_string())
            .as_deref(),
        Some("统计表!F55")
    );
}

// ---------------------------------------------------------------- several reports in one workbook

/// A report's agency, year and numbers.
type Read = (Option<String>, Option<i32>, Vec<Vec<Vec<Option<String>>>>);

/// Each report's agency, year and numbers.
fn each(reports: &[nianbao::Report]) -> Vec<Read> {
    reports.iter().map(|r| (r.agency.value.clone(), r.year.value, Data::of(r))).collect()
}

#[test]
fn a_collection_workbook_of_three_townships_is_three_reports() {
    let names = ["甲镇人民政府", "乙镇人民政府", "丙乡人民政府"];
    let data: Vec<Data> = names.iter().zip(21..).map(|(n, s)| agency_data(n, s)).collect();
    let bytes = collection(&[("甲镇", &data[0]), ("乙镇", &data[1]), ("丙乡", &data[2])]);
    let all = nianbao::read::read_all(&bytes, "汇总.xlsx", &Options::default()).expect("read_all");
    let want: Vec<_> = data.iter().map(|d| (Some(d.agency.clone()), Some(2023), d.expected())).collect();
    assert_eq!(each(&all), want);
    // Every cell names its own township's sheet.
    for (r, sheet) in all.iter().zip(["甲镇", "乙镇", "丙乡"]) {
        assert_eq!(r.requests[0][0].cell.as_ref().map(|c| c.to_string()), Some(format!("{sheet}!B21")));
        assert_eq!(r.agency.cell.as_ref().map(|c| c.to_string()), Some(format!("{sheet}!A1")));
        assert!(r.read_choice.is_none(), "{sheet}: {:?}", r.read_choice);
    }
    // `read` is one report: refused, naming the agencies and --sheet, which reads one.
    let err = read_opts(&bytes, &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "工作簿中有多个机关的统计表（工作表“甲镇”（甲镇人民政府）、“乙镇”（乙镇人民政府）、“丙乡”（丙乡人民政府）），不能作为一份报告读取：请每个机关单独保存为一个文件，或用 --sheet 指定要读取的工作表"
    );
    let one = read_opts(&bytes, &Options { sheet: Some("乙镇".into()), ..Options::default() }).expect("read");
    assert_eq!(each(&[one]), [want[1].clone()]);
}

#[test]
fn agencies_in_blocks_on_one_sheet_are_a_report_each() {
    let (a, b) = (agency_data("甲镇人民政府", 31), agency_data("乙镇人民政府", 32));
    let (bytes, tops) = agency_blocks(&[&a, &b]);
    let all = nianbao::read::read_all(&bytes, "汇总.xlsx", &Options::default()).expect("read_all");
    assert_eq!(
        each(&all),
        [(Some(a.agency.clone()), Some(2023), a.expected()), (Some(b.agency.clone()), Some(2023), b.expected())]
    );
    let second = format!("统计表!A{}", tops[1] + 1);
    assert_eq!(all[1].agency.cell.as_ref().map(|c| c.to_string()), Some(second.clone()));
    assert_eq!(all[1].requests[0][0].cell.as_ref().map(|c| c.to_string()), Some(format!("统计表!B{}", tops[1] + 21)));
    let err = read_opts(&bytes, &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "工作簿中有多个机关的统计表（工作表“统计表!A1”（甲镇人民政府）、“{second}”（乙镇人民政府）），不能作为一份报告读取：请每个机关单独保存为一个文件，或用 --sheet 指定要读取的工作表（同一工作表上的一份用 --sheet '统计表!A1' 指定）"
        )
    );
    // The block selector reads one, with its own title's agency.
    let r = read_opts(&bytes, &Options { sheet: Some(second), ..Options::default() }).expect("read");
    assert_eq!(each(&[r]), [(Some(b.agency.clone()), Some(2023), b.expected())]);
    let r = read_opts(&bytes, &Options { sheet: Some("统计表!A1".into()), ..Options::default() }).expect("read");
    assert_eq!(each(&[r]), [(Some(a.agency.clone()), Some(2023), a.expected())]);
}

#[test]
fn one_agency_is_one_report_from_read_all() {
    let (bytes, _) = two_copies(true);
    let all = nianbao::read::read_all(&bytes, "变体.xlsx", &Options::default()).expect("read_all");
    assert_eq!(each(&all), [(Some(AGENCY.to_string()), Some(2023), cur().expected())]);
}

#[test]
fn the_block_selector_reads_copies_side_by_side_and_the_report_year_decides() {
    let at = |cell: &str| Options { sheet: Some(format!("统计表!{cell}")), ..Options::default() };
    let bytes = side_by_side(false);
    let err = read_opts(&bytes, &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“二、主动公开政府信息情况”表的数字有不止一处可读：“统计表!A7”（2022年）、“统计表!U7”（2023年），无法判断哪一处是报告年度的；请用 --year 指明报告年度，或用 --sheet '统计表!U7' 指定从哪个单元格起读取"
    );
    assert_eq!(Data::of(&read_opts(&bytes, &at("U3")).expect("read")), cur().expected());
    assert_eq!(Data::of(&read_opts(&bytes, &at("A3")).expect("read")), old().expected());
    let r = read_opts(&side_by_side(true), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let choices = notes(&r, NoteKind::Choice);
    assert_eq!(choices.len(), 3, "{choices:?}");
}

#[test]
fn townships_named_by_a_labelled_cell_are_a_report_each() {
    let (a, b) = (agency_data("甲镇人民政府", 41), agency_data("乙镇人民政府", 42));
    let sheet = |d: &Data| {
        let mut g = Grid::default();
        g.t(0, 0, "填报单位（盖章）：");
        g.t(0, 1, &d.agency);
        all_tables(&mut g, 2, d);
        g
    };
    let (ga, gb) = (sheet(&a), sheet(&b));
    let bytes = workbook_sheets(&[("甲镇", &ga), ("乙镇", &gb)]);
    let all = nianbao::read::read_all(&bytes, "汇总.xlsx", &Options::default()).expect("read_all");
    assert_eq!(
        each(&all),
        [(Some(a.agency.clone()), None, a.expected()), (Some(b.agency.clone()), None, b.expected())]
    );
    assert_eq!(all[1].agency.cell.as_ref().map(|c| c.to_string()), Some("乙镇!B1".into()));
}

// ---------------------------------------------------------------- a character more or less

#[test]
fn a_label_a_character_off_is_read_as_the_one_label_it_is_near_and_said() {
    let bytes = relabelled(&[
        ("一、本年新收政府信息公开申请数量", "一、本年新收的政府信息公开申请数量"),
        ("行政许可", "行政许"),
        ("结果维持", "结果的维持"),
    ]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let said = notes(&r, NoteKind::Label);
    let cells: Vec<&str> = said.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(cells, ["统计表!A10", "统计表!C23", "统计表!A52", "统计表!F52", "统计表!K52"], "{said:?}");
    assert_eq!(
        said[0].1,
        "“二、主动公开政府信息情况”表中的标签“行政许”不是官方表格的文字，与官方标签“行政许可”只差一两个字，已读作“行政许可”，请核对并改为官方文字"
    );
    assert_eq!(
        said[1].1,
        "“三、收到和处理政府信息公开申请情况”表中的标签“一、本年新收的政府信息公开申请数量”不是官方表格的文字，与官方标签“一、本年新收政府信息公开申请数量”只差一两个字，已读作“一、本年新收政府信息公开申请数量”，请核对并改为官方文字"
    );
    let findings = nianbao::check::check(&r, Default::default());
    assert_eq!(findings.iter().filter(|f| f.rule == "READ-LABEL").count(), 5);
}

#[test]
fn a_label_equally_near_two_labels_is_refused_naming_the_nearest_and_its_cell() {
    // `本年制止件数` is one character off both `本年制发件数` and `本年废止件数`.
    let bytes = relabelled(&[("本年制发件数", "本年制止件数")]);
    let e = read_opts(&bytes, &Options::default()).expect_err("refused").to_string();
    assert_eq!(
        e,
        "“二、主动公开政府信息情况”表中找不到“本年制发件数”列（工作表“统计表”；最接近的是单元格 统计表!B5 的“本年制止件数”）"
    );
}

// ---------------------------------------------------------------- shapes of section 二

#[test]
fn section_two_as_one_long_list_reads_every_number_from_its_line() {
    let r = read_opts(&listed(), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    // 规章 on three lines (rows 5–7), one per column; 行政事业性收费 the last line.
    let cell = |i: usize, k: usize| r.active[i][k].cell.as_ref().map(|c| c.to_string());
    assert_eq!(
        (cell(0, 0), cell(0, 2), cell(1, 0), cell(5, 0)),
        (
            Some("统计表!C5".to_string()),
            Some("统计表!C7".to_string()),
            Some("统计表!C8".to_string()),
            Some("统计表!C17".to_string())
        )
    );
    assert!(r.read_notes.is_empty(), "{:?}", r.read_notes);
}

// ---------------------------------------------------------------- metadata

#[test]
fn a_title_in_chinese_numerals_names_the_report_year_for_year_columns() {
    let r = read_opts(&year_columns_chinese_title(), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(r.year.value, Some(2023));
    let choice = notes(&r, NoteKind::Choice);
    assert_eq!(choice.len(), 1, "{choice:?}");
    assert!(choice[0].1.contains("读取了“2023年”一列（报告年度 2023 年）"), "{choice:?}");
}

// ---------------------------------------------------------------- rows the form lacks

#[test]
fn of_which_rows_are_not_read_as_the_form_and_may_not_exceed_their_row() {
    let c = cur();
    let over = c.requests[0][0] - c.requests[0][0] / 3 + 1;
    let bytes = with_of_which(over);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), c.expected());
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
    // A cell each of the two rows, and their sum per column.
    assert_eq!(r.subtotals.len(), 21);
    let findings = nianbao::check::check(&r, Default::default());
    let part: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.rule == "T3-SUBTOTAL-PART")
        .map(|f| (f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default(), f.message.clone()))
        .collect();
    let first = r.requests[0][0].cell.as_ref().map(|c| c.to_string()).unwrap_or_default();
    assert_eq!(first, "统计表!B21");
    let new = c.requests[0][0];
    assert_eq!(
        part,
        [(
            "统计表!B21".to_string(),
            format!(
                "“一、本年新收政府信息公开申请数量”行下自行添加的2个“其中”行（其中：通过互联网提交、其中：信函，官方表格没有这些行）同列之和为 {}（{} + {}），不应大于该行的 {new}",
                new / 2 + new + 1,
                new / 2,
                new + 1
            )
        )]
    );
    // Nothing else is wrong: the form's own relations hold.
    assert!(
        findings.iter().all(|f| f.severity != nianbao::Severity::Error || f.rule == "T3-SUBTOTAL-PART"),
        "{findings:?}"
    );
    // --explain lists every filled cell of the two rows.
    let r = read_opts(&bytes, &Options { explain: true, ..Default::default() }).expect("read");
    let listed: Vec<String> =
        r.read_map.iter().filter(|e| e.field == "extra.of_which").map(|e| e.cell.to_string()).collect();
    assert_eq!(listed.len(), 14);
    assert_eq!(listed[0], "统计表!B22");
}

// ---------------------------------------------------------------- placed by position in table 四

#[test]
fn a_table_four_column_worded_otherwise_is_placed_by_position_and_said() {
    let bytes = relabelled(&[("结果纠正", "改判撤销")]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let said = notes(&r, NoteKind::Label);
    let cells: Vec<&str> = said.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(cells, ["统计表!B52", "统计表!G52", "统计表!L52"], "{said:?}");
    assert_eq!(
        said[0].1,
        "“四、政府信息公开行政复议、行政诉讼情况”表中的列标签“改判撤销”不是官方表格的文字，已按它在表中的位置读作“结果纠正”列，请核对并改为官方文字"
    );
}

#[test]
fn a_section_two_row_worded_otherwise_is_placed_by_position_and_said() {
    let bytes = relabelled(&[("行政许可", "许可类事项")]);
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(
        notes(&r, NoteKind::Label),
        [(
            "统计表!A10".to_string(),
            "“二、主动公开政府信息情况”表中的行标签“许可类事项”不是官方表格的文字，已按它在表中的位置读作“行政许可”行，请核对并改为官方文字".to_string()
        )]
    );
    // Two rows lost of six: the structure is lost, refused naming the first.
    let e = read_opts(&relabelled(&[("行政许可", "许可类事项"), ("行政处罚", "处罚类事项")]), &Options::default())
        .expect_err("refused")
        .to_string();
    assert_eq!(e, "找不到“二、主动公开政府信息情况（第二十条第（五）项行政许可）”表（已查找 1 个工作表：“统计表”）");
}

// ---------------------------------------------------------------- visibility decides

#[test]
fn both_copies_hidden_or_both_visible_are_refused() {
    use crate::evidence_books::{natural_person_hidden, two_copies_hidden};
    let e = read_opts(&natural_person_hidden(&[1, 2]), &Options::default()).expect_err("refused").to_string();
    assert_eq!(
        e,
        "“三、收到和处理政府信息公开申请情况”表的数字有不止一处可读：“统计表!B20”（2023年，隐藏）、“统计表!C20”（2023年，隐藏），都是报告年度的，无法判断读取哪一处：请删除多余的一处（包括隐藏的行或列）后再提交"
    );
    let e = read_opts(&two_copies_hidden(false, false), &Options::default()).expect_err("refused").to_string();
    assert!(
        e.starts_with(
            "“二、主动公开政府信息情况”表的数字有不止一处可读：“统计表!A6”（2023年）、“统计表!A57”（2023年）"
        ),
        "{e}"
    );
    let e = read_opts(&two_copies_hidden(true, true), &Options::default()).expect_err("refused").to_string();
    assert!(e.starts_with("“二、主动公开政府信息情况”表的数字有不止一处可读：“统计表!A6”（2023年，隐藏）、“统计表!A57”（2023年，隐藏）"), "{e}");
}

#[test]
fn a_hidden_block_below_the_visible_one_is_not_read() {
    let r = read_opts(&crate::evidence_books::two_copies_hidden(false, true), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), crate::evidence_books::old().expected());
    let said = notes(&r, NoteKind::Choice);
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(said[1].1.contains("读取了未隐藏的“统计表!A21”，隐藏的“统计表!A72”未读取"), "{said:?}");
}

#[test]
fn a_hidden_sheet_of_the_report_year_is_not_read() {
    let r = read_opts(&crate::evidence_books::hidden_sheet_same_year(), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
    assert_eq!(
        (choice.taken.as_slice(), choice.left.as_slice(), choice.reason.as_str()),
        (&["统计表".to_string()][..], &["旧表（隐藏）".to_string()][..], "其余工作表是隐藏的")
    );
}

// ---------------------------------------------------------------- a sheet's name says its year

#[test]
fn a_sheet_named_for_last_year_is_not_read() {
    for (name, reason) in [
        ("去年", "工作表“去年”的名称表明是上一年度的"),
        ("上一年度", "工作表“上一年度”的名称表明是上一年度的"),
        ("2022年", "工作表名称或标题写明的年度是报告年度 2023 年"),
    ] {
        let bytes = two_sheets((name, None, &old()), ("年报", Some(2023), &cur()));
        let r = read_opts(&bytes, &Options::default()).expect("read");
        assert_eq!(Data::of(&r), cur().expected(), "{name}");
        let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
        assert_eq!((choice.left.as_slice(), choice.reason.as_str()), (&[name.to_string()][..], reason));
    }
    // `今年` and `本年度` name this year's, whichever stands first.
    for name in ["今年", "本年度"] {
        let bytes = two_sheets(("上年", None, &old()), (name, None, &cur()));
        let r = read_opts(&bytes, &Options::default()).expect("read");
        assert_eq!(Data::of(&r), cur().expected(), "{name}");
    }
    // A title naming the report year on a sheet named `上年`: the title decides, and two
    // sheets of the report year are no choice the reader can make.
    let bytes = two_sheets(("上年", Some(2023), &old()), ("年报", Some(2023), &cur()));
    let e = read_opts(&bytes, &Options::default()).expect_err("refused").to_string();
    assert_eq!(
        e,
        "“二、主动公开政府信息情况”表的数字有不止一处可读：“上年!A6”（2023年）、“年报!A6”（2023年），都是报告年度的，无法判断读取哪一处：请删除多余的一处（包括隐藏的行或列）后再提交，或用 --sheet 指定工作表"
    );
}

// ---------------------------------------------------------------- table 四 as one long list

#[test]
fn table_four_as_one_long_list_reads_in_every_style_and_edition() {
    let old_edition = Data::consistent(nianbao::form::Edition::E2019, 2020, AGENCY, &mut crate::layouts::Rng::new(7));
    for d in [cur(), old_edition] {
        for style in [ListStyle::Two, ListStyle::Three, ListStyle::One, ListStyle::FirstOnly] {
            let r = read_opts(&with_review_list(&d, style, None), &Options::default())
                .unwrap_or_else(|e| panic!("{style:?} {:?}: {e}", d.edition));
            assert_eq!(Data::of(&r), d.expected(), "{style:?} {:?}", d.edition);
            assert_eq!(r.read_notes.len(), 0, "{style:?}: {:?}", r.read_notes);
        }
    }
}

#[test]
fn table_four_as_a_list_missing_a_line_is_refused_naming_it() {
    let refused =
        |retype| read_opts(&with_review_list(&cur(), ListStyle::Two, retype), &Options::default()).map(|_| ());
    let e = refused(Some(((2, 1), ""))).expect_err("refused").to_string();
    assert_eq!(e, "“四、政府信息公开行政复议、行政诉讼情况”表中找不到“复议后起诉—结果纠正”行（工作表“统计表”）");
    let e = refused(Some(((2, 1), "结果改判"))).expect_err("refused").to_string();
    assert_eq!(
        e,
        "“四、政府信息公开行政复议、行政诉讼情况”表中找不到“复议后起诉—结果纠正”行（工作表“统计表”；最接近的是单元格 统计表!B60 的“结果改判”）"
    );
    // A result on two lines of one group: no telling which.
    let e = refused(Some(((2, 1), "结果维持"))).expect_err("refused").to_string();
    assert_eq!(
        e,
        "“四、政府信息公开行政复议、行政诉讼情况”表中“复议后起诉—结果维持”有不止一行：“统计表!B59”、“统计表!B60”，无法判断读取哪一行：请删除多余的一行后再提交"
    );
}

#[test]
fn table_four_as_a_list_with_a_group_worded_otherwise_places_it_between_its_lines() {
    let bytes = with_review_list_regrouped((2, 1), "行政诉讼（复议再起诉）");
    let r = read_opts(&bytes, &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    assert_eq!(
        notes(&r, NoteKind::Label),
        [(
            "统计表!A60".to_string(),
            "“四、政府信息公开行政复议、行政诉讼情况”表中的行标签“行政诉讼（复议再起诉）”不是官方表格的文字，已按它在表中的位置读作“复议后起诉”行，请核对并改为官方文字".to_string()
        )]
    );
}

#[test]
fn table_four_as_a_list_twice_reads_the_report_years() {
    let r = read_opts(&review_lists_two_years(), &Options::default()).expect("read");
    assert_eq!(Data::of(&r), cur().expected());
    let said = notes(&r, NoteKind::Choice);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].1.starts_with("“四、政府信息公开行政复议、行政诉讼情况”表在工作簿中有2处"), "{said:?}");
}
