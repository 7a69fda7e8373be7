//! The blank template as a clerk meets it: totals that add themselves (formulas with cached
//! values, locked, no input rule), a 填表说明 sheet the reader ignores, titles across the
//! table, and the reader taking the cached values back.

use crate::cli::good_report;
use crate::common::*;
use nianbao::form::Edition;
use nianbao::write::template;
use std::io::{Cursor, Read, Write};

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    z.by_name(name).expect("part").read_to_string(&mut s).expect("utf-8");
    s
}

/// The `<c>` element of a cell.
fn cell_xml(sheet: &str, a1: &str) -> String {
    let start = sheet.find(&format!("<c r=\"{a1}\"")).unwrap_or_else(|| panic!("no {a1}"));
    let end = sheet[start..].find("</c>").map_or(start, |e| start + e + 4);
    sheet[start..end].to_string()
}

/// The `<xf>` of a cell style index in styles.xml's cellXfs.
fn xf(styles: &str, index: usize) -> String {
    let xfs = styles.split("<cellXfs").nth(1).and_then(|s| s.split("</cellXfs>").next()).unwrap_or("");
    xfs.split("<xf ").nth(index + 1).map(|x| x.to_string()).unwrap_or_default()
}

fn style_of(cell: &str) -> usize {
    cell.split(" s=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn totals_of_the_blank_template_are_locked_sum_formulas() {
    let bytes = template::template(Edition::E2021, None, None).expect("template");
    let requests = part(&bytes, "xl/worksheets/sheet3.xml");
    let review = part(&bytes, "xl/worksheets/sheet4.xml");
    let styles = part(&bytes, "xl/styles.xml");
    // 总计 of a row of table 三, （七）总计 of a column, and their corner.
    let cases = [
        (&requests, "J5", "<f>SUM(D5:I5)</f><v>0</v>"),
        (&requests, "D28", "<f>SUM(D7:D27)</f><v>0</v>"),
        (&requests, "J28", "<f>SUM(D28:I28)</f><v>0</v>"),
        (&review, "E5", "<f>SUM(A5:D5)</f><v>0</v>"),
        (&review, "J5", "<f>SUM(F5:I5)</f><v>0</v>"),
        (&review, "O5", "<f>SUM(K5:N5)</f><v>0</v>"),
    ];
    for (sheet, a1, want) in cases {
        let c = cell_xml(sheet, a1);
        assert!(c.contains(want), "{a1}: {c}");
        let x = xf(&styles, style_of(&c));
        assert!(!x.contains("locked=\"0\""), "{a1} is locked: {x}");
    }
    // Typing cells stay unlocked; totals have no input rule.
    assert!(xf(&styles, style_of(&cell_xml(&requests, "D5"))).contains("locked=\"0\""));
    let rules = requests.split("<dataValidations").nth(1).unwrap_or("");
    assert!(rules.contains("D5") && !rules.contains("J5 ") && !rules.contains(" J5\""), "{rules}");
    // Only the totals are formulas: each row's 总计 and six more in （七）总计; 3 in table 四.
    let rows = Edition::E2021.form().requests_rows.len();
    assert_eq!(rows, 25);
    assert_eq!(requests.matches("<f>").count(), rows + 6);
    assert_eq!(review.matches("<f>").count(), 3);
}

/// The template with one sheet's XML changed, as a program saving it would.
fn with_sheet(bytes: &[u8], sheet: &str, change: impl Fn(String) -> String) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == sheet {
            data = change(String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Sets a blank cell `<c r="A1" s="N"/>` to a number.
fn type_number(xml: String, a1: &str, n: i64) -> String {
    let start = xml.find(&format!("<c r=\"{a1}\"")).unwrap_or_else(|| panic!("no {a1}"));
    let end = start + xml[start..].find('>').expect("tag end") + 1;
    let blank = &xml[start..end];
    assert!(blank.ends_with("/>"), "{blank}");
    let typed = format!("{}><v>{n}</v></c>", blank.trim_end_matches("/>"));
    xml.replacen(blank, &typed, 1)
}

#[test]
fn the_reader_takes_the_cached_totals() {
    let bytes = template::template(Edition::E2021, Some("某县教育局"), Some(2023)).expect("template");
    // A clerk types 3 natural persons and 1 company received and granted; Excel saves the
    // recalculated totals with them.
    let saved = with_sheet(&bytes, "xl/worksheets/sheet3.xml", |mut x| {
        for (a1, n) in [("D5", 3), ("E5", 1), ("D7", 3), ("E7", 1)] {
            x = type_number(x, a1, n);
        }
        for (f, n) in
            [("SUM(D5:I5)", 4), ("SUM(D7:I7)", 4), ("SUM(D7:D27)", 3), ("SUM(E7:E27)", 1), ("SUM(D28:I28)", 4)]
        {
            x = x.replace(&format!("<f>{f}</f><v>0</v>"), &format!("<f>{f}</f><v>{n}</v>"));
        }
        x
    });
    let back = read_bytes(&saved, "填好的统计表.xlsx");
    assert_eq!(req(&back, "new_received", "natural_person"), 3);
    assert_eq!(req(&back, "new_received", "total"), 4);
    assert_eq!(req_cell(&back, "new_received", "total"), "依申请公开!J5");
    assert_eq!(req(&back, "granted", "total"), 4);
    assert_eq!(req(&back, "result_total", "natural_person"), 3);
    assert_eq!(req(&back, "result_total", "commercial"), 1);
    assert_eq!(req(&back, "result_total", "total"), 4);
    assert_eq!(req_cell(&back, "result_total", "total"), "依申请公开!J28");
    let findings = nianbao::check::check(&back, nianbao::check::Context { previous: None });
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == nianbao::finding::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // A filled workbook keeps its totals as typed, with no formula to correct them.
    let filled = template::filled(&good_report("某县教育局", 2023)).expect("filled");
    assert!(!part(&filled, "xl/worksheets/sheet3.xml").contains("<f>"));
}

/// A template saved by a script that does not calculate keeps the formulas but no values.
#[test]
fn totals_saved_without_values_are_flagged() {
    let bytes = template::template(Edition::E2021, Some("某县教育局"), Some(2023)).expect("template");
    let stripped = with_sheet(&bytes, "xl/worksheets/sheet3.xml", |x| x.replace("</f><v>0</v>", "</f>"));
    let back = read_bytes(&stripped, "脚本保存.xlsx");
    let findings = nianbao::check::check(&back, nianbao::check::Context { previous: None });
    let formula: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == "VAL-FORMULA")
        .map(|f| f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(formula.first().map(String::as_str), Some("依申请公开!J5"), "{formula:?}");
    assert!(formula.iter().any(|c| c == "依申请公开!D28"), "{formula:?}");
}

#[test]
fn a_note_sheet_explains_the_form_and_the_reader_ignores_it() {
    for (edition, year, signed) in [(Edition::E2021, 2023, false), (Edition::E2019, 2020, true)] {
        let bytes = template::template(edition, Some("某县教育局"), Some(year)).expect("template");
        let book = part(&bytes, "xl/workbook.xml");
        let names: Vec<&str> = book.split("<sheet name=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
        assert_eq!(names, ["基本信息", "主动公开", "依申请公开", "复议诉讼", "填表说明"]);
        let strings = part(&bytes, "xl/sharedStrings.xml");
        for words in ["浅黄色单元格供填写", "由公式自动相加", "空白一律按 0 计算"] {
            assert!(strings.contains(words), "{edition:?}: {words}");
        }
        assert_eq!(strings.contains("“增/减”一栏填本年比上年增加或减少的件数"), signed, "{edition:?}");
        let r = read_bytes(&bytes, "空白统计表.xlsx");
        assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某县教育局"), Some(year)));
        let findings = nianbao::check::check(&r, nianbao::check::Context { previous: None });
        let codes: Vec<&str> = findings.iter().map(|f| f.rule).collect();
        assert_eq!(codes, ["VAL-BLANK", "VAL-BLANK", "VAL-BLANK"], "{edition:?}");
    }
}

#[test]
fn titles_are_merged_across_the_table() {
    let bytes = template::template(Edition::E2021, None, None).expect("template");
    for (sheet, range) in [("sheet1", "A1:B1"), ("sheet2", "A1:D1"), ("sheet3", "A1:J1"), ("sheet4", "A1:O1")] {
        let xml = part(&bytes, &format!("xl/worksheets/{sheet}.xml"));
        assert!(xml.contains(&format!("<mergeCell ref=\"{range}\"/>")), "{sheet} {range}");
    }
    // The agency's own lines under table 二 print with it.
    let book = part(&bytes, "xl/workbook.xml");
    assert!(book.contains("localSheetId=\"1\">主动公开!$A$1:$D$23</definedName>"), "{book}");
}
