use super::*;

#[test]
fn measures_chinese_as_two_and_ascii_as_one() {
    assert_eq!(half_ems("社会公益组织"), 12);
    assert_eq!(half_ems("5.要求"), 6);
    assert_eq!(half_ems("2023年度"), 8);
}

#[test]
fn lines_keep_ascii_runs_and_closing_marks_with_their_neighbours() {
    assert_eq!(break_lines("三、本年度办理结果", 6), ["三、本", "年度办", "理结果"]);
    // 、 may not begin a line: it stays with 三, and the last line is one character.
    assert_eq!(break_lines("三、本年度办理结果", 4), ["三、", "本年", "度办", "理结", "果"]);
    assert_eq!(break_lines("（一）予以公开", 6), ["（一）", "予以公", "开"]);
    assert_eq!(break_lines("2023年度政府", 6), ["2023年", "度政府"]);
    // A piece longer than a line is cut by characters.
    assert_eq!(break_lines("2023年度政府", 3), ["202", "3年", "度", "政", "府"]);
    assert_eq!(break_lines("5.要求行政机关", 8), ["5.要求行", "政机关"]);
    assert_eq!(break_lines("（三）不予公开", 8), ["（三）不", "予公开"]);
    assert_eq!(break_lines("", 8), [""]);
}

#[test]
fn orphans_are_lines_of_one_character() {
    assert!(orphan(&break_lines("一、本年新收政府信息公开申请数量", 30)));
    assert!(!orphan(&break_lines("一、本年新收政府信息公开申请数量", 32)));
    assert!(!orphan(&["果".to_string()]));
}

/// Table 三 of the 2021 edition, as the writer will measure it: three label columns and
/// the seven applicant columns, at 小五 (9 pt = 180 twips an em), 1 mm padding a side.
fn requests_cells(number: &'static str) -> Vec<Cell<'static>> {
    let form = crate::Edition::E2021.form();
    let mut cells = vec![Cell { text: crate::form::REQUESTS_NOTE, col: 0, span: 3, row: 0, rows: 3, whole: false }];
    let head = |text, col, row| Cell { text, col, span: 1, row, rows: 1, whole: true };
    for (k, c) in form.requests_columns.iter().enumerate() {
        cells.push(head(c.label, 3 + k, 2));
        // The widest number the column holds.
        cells.push(head(number, 3 + k, 3));
    }
    for (i, r) in form.requests_rows.iter().enumerate() {
        let row = 3 + i;
        let first = |level: usize| i == 0 || form.requests_rows[i - 1].groups.get(level) != r.groups.get(level);
        let span_of = |level: usize| {
            form.requests_rows[i..].iter().take_while(|x| x.groups.get(level) == r.groups.get(level)).count()
        };
        match r.groups {
            [] => cells.push(Cell { text: r.label, col: 0, span: 3, row, rows: 1, whole: false }),
            [outer] => {
                if first(0) {
                    cells.push(Cell { text: outer, col: 0, span: 1, row, rows: span_of(0), whole: false });
                }
                cells.push(Cell { text: r.label, col: 1, span: 2, row, rows: 1, whole: false });
            }
            [outer, inner, ..] => {
                if first(0) {
                    cells.push(Cell { text: outer, col: 0, span: 1, row, rows: span_of(0), whole: false });
                }
                if first(1) {
                    cells.push(Cell { text: inner, col: 1, span: 1, row, rows: span_of(1), whole: false });
                }
                cells.push(Cell { text: r.label, col: 2, span: 1, row, rows: 1, whole: false });
            }
        }
    }
    cells
}

#[test]
fn table_three_keeps_header_words_whole_and_leaves_no_single_character() {
    // 小五 (9 pt = 180 twips an em), 0.7 mm padding a side, numbers of up to four digits.
    let m = Measure { total: 8845, em: 180, pad: 80 };
    let cells = requests_cells("1234");
    let f = widths(&cells, 10, m).expect("widths");
    // Number columns as narrow as their header word allows, and 其他, 总计 as four digits
    // need in the widest font (0.636 em a digit: 458 twips, padding, borders, rounding);
    // the labels take the rest: 三、本年度办理结果 three characters a line, （三）不予公开
    // three, the row labels nine.
    assert_eq!(f.widths, [720, 720, 1726, 629, 809, 809, 1169, 1169, 547, 547]);
    assert_eq!(m.needs_text("1234"), 458 + 80 + 9);
    assert_eq!(f.widths.iter().sum::<u32>(), 8845);
    assert_eq!((f.lines, f.orphans), (50, 0));
    for c in &cells {
        let width: u32 = f.widths[c.col..c.col + c.span].iter().sum();
        let cap = m.fits(width);
        if c.whole {
            assert_eq!(break_lines(c.text, cap), [c.text], "{} broken in {width} twips", c.text);
        } else {
            let lines = label_lines(c.text, cap);
            assert!(!orphan(&lines), "{} leaves a single character: {lines:?}", c.text);
            assert!(lines.iter().all(|l| half_ems(l) <= cap), "{lines:?} wider than {cap}");
            assert_eq!(lines.concat(), c.text);
        }
    }
    let at = |text: &str| {
        let c = cells.iter().find(|c| c.text == text).expect("cell");
        label_lines(c.text, m.fits(f.widths[c.col..c.col + c.span].iter().sum()))
    };
    assert_eq!(at("三、本年度办理结果"), ["三、本", "年度办", "理结果"]);
    assert_eq!(at("（三）不予公开"), ["（三）", "不予", "公开"]);
    assert_eq!(at("5.要求行政机关确认或重新出具已获取信息"), ["5.要求行政机", "关确认或重新", "出具已获取信息"]);
    // Five-digit numbers widen 其他 and 总计 and the labels give way.
    let f = widths(&requests_cells("12345"), 10, m).expect("widths");
    assert_eq!(&f.widths[8..], [662, 662]);
    assert_eq!((f.lines, f.orphans), (56, 0));
}

#[test]
fn tables_leaving_the_same_room_share_one_search() {
    let m = Measure { total: 8845, em: 180, pad: 80 };
    let mut plans = Plans::new();
    // Two- and three-digit numbers fit under the header words (其他, 总计): the same room,
    // one search; four digits are wider than 其他 in the widest font.
    for (numbers, searches) in [("123", 1), ("12", 1), ("1234", 2), ("99", 2)] {
        let cells = requests_cells(numbers);
        assert_eq!(widths_planned(&cells, 10, m, &mut plans), widths(&cells, 10, m), "{numbers}");
        assert_eq!(plans.len(), searches, "{numbers}");
    }
    // A label spanning a number column depends on that column's width: nothing remembered.
    let mut cells = requests_cells("1234");
    cells.push(Cell { text: "跨数字列的说明文字", col: 2, span: 3, row: 0, rows: 1, whole: false });
    let mut fresh = Plans::new();
    assert_eq!(widths_planned(&cells, 10, m, &mut fresh), widths(&cells, 10, m));
    assert!(fresh.is_empty());
}

#[test]
fn labels_break_evenly_and_never_leave_one_character() {
    // Greedy breaking leaves 卷 alone; the writer's breaks do not.
    assert_eq!(break_lines("7.属于行政执法案卷", 16), ["7.属于行政执法案", "卷"]);
    assert_eq!(label_lines("7.属于行政执法案卷", 16), ["7.属于行", "政执法案卷"]);
    assert_eq!(label_lines("四、结转下年度继续办理", 40), ["四、结转下年度继续办理"]);
    assert_eq!(label_lines("果", 4), ["果"]);
    // Under two characters a line nothing avoids it: the renderer's lines.
    assert_eq!(label_lines("三、本年度", 2), break_lines("三、本年度", 2));
}

#[test]
fn whole_cells_wider_than_the_table_do_not_fit() {
    // 三号 (16 pt): the seven header words alone take 27 ems, 8640 twips, plus padding.
    let m = Measure { total: 8845, em: 320, pad: 80 };
    assert_eq!(widths(&requests_cells("1"), 10, m), None);
}

#[test]
fn a_title_breaks_after_the_agency_or_before_the_report_words() {
    // 二号 (22 pt) on 156 mm: 20 characters, 40 half-ems.
    let t = "某某自治区某某市人力资源和社会保障局2023年度政府信息公开工作年度报告";
    assert_eq!(
        title_lines(t, "某某自治区某某市人力资源和社会保障局", 40),
        ["某某自治区某某市人力资源和社会保障局", "2023年度政府信息公开工作年度报告"]
    );
    let t = "某某省人力资源和社会保障厅2023年度政府信息公开工作年度报告";
    // Both breaks fit; the shorter upper line makes the 梯形.
    assert_eq!(
        title_lines(t, "某某省人力资源和社会保障厅", 40),
        ["某某省人力资源和社会保障厅", "2023年度政府信息公开工作年度报告"]
    );
    let t = "江源区2020年度政府信息公开工作年度报告";
    assert_eq!(title_lines(t, "江源区", 40), [t]);
    // A year written without 度 still keeps the words whole.
    let t = "某某市人民政府办公室2022年政府信息公开工作年度报告";
    assert_eq!(title_lines(t, "某某市人民政府办公室", 40), ["某某市人民政府办公室", "2022年政府信息公开工作年度报告"]);
}

#[test]
fn a_long_agency_name_breaks_after_one_of_its_units() {
    let agency = "某某自治区某某自治州某某自治县某某镇人民政府办公室";
    let t = format!("{agency}2023年度政府信息公开工作年度报告");
    let lines = title_lines(&t, agency, 40);
    // A 菱形: the middle line longest.
    assert_eq!(lines, ["某某自治区某某自治州", "某某自治县某某镇人民政府办公室2023年度", "政府信息公开工作年度报告"]);
    assert!(lines.iter().all(|l| half_ems(l) <= 40));
    // No known break: lines by width, 年度 never split.
    let t = "关于某某事项的政府信息公开工作年度报告（2023年度补充说明）";
    let lines = title_lines(t, "", 20);
    assert!(lines.iter().all(|l| !l.ends_with('年') && !l.starts_with('度')), "{lines:?}");
}

#[test]
fn numbers_are_measured_in_the_widest_font_that_may_print_them() {
    // DejaVu Sans, LibreOffice's fallback for 宋体 on Debian, has the widest digits.
    assert_eq!(metrics::DIGIT, 636);
    assert_eq!(metrics::width("3119"), 4 * 636);
    // SimSun's half-width `.` and `-` are half an em, wider than the Latin fonts'.
    assert_eq!(metrics::width("12345.67"), 7 * 636 + 500);
    assert_eq!(metrics::width("+5"), 838 + 636);
    assert_eq!(metrics::width("-5"), 500 + 636);
    assert_eq!(metrics::width("12.5万元"), 3 * 636 + 500 + 2000);
    // 五号 (210 twips an em) with 0.7 mm padding a side: six digits need 802 + 80 + 10.
    let m = Measure { total: 8845, em: 210, pad: 80 };
    assert_eq!(m.needs_text("123456"), 892);
}

#[test]
fn a_number_column_is_never_narrower_than_its_widest_number_up_to_six_digits() {
    let m = Measure { total: 8845, em: 180, pad: 80 };
    for number in ["1", "123", "3119", "12345", "123456"] {
        let cells = requests_cells(number);
        let f = widths(&cells, 10, m).expect("widths");
        assert_eq!(f.orphans, 0, "{number}");
        for c in cells.iter().filter(|c| c.text == number) {
            assert!(f.widths[c.col] >= m.needs_text(number), "{number} in {} twips", f.widths[c.col]);
        }
    }
}

#[test]
fn the_marks_lines_may_not_begin_or_end_with_are_these_and_no_others() {
    let starts = "，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}";
    let ends = "（《「『【〔〈“‘([{";
    for c in (0u32..0x3100).chain(0xFF00..0xFFFF).filter_map(char::from_u32) {
        assert_eq!(super::no_start(c), starts.contains(c), "{c}");
        assert_eq!(super::no_end(c), ends.contains(c), "{c}");
    }
}
