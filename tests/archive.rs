//! Tests of the archive stage: the normalized workbook reads back as the same report,
//! its cells and sheets are where formats.md §9 puts them, and its bytes are reproducible.

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use nianbao::check::{self, Context};
use nianbao::finding::Finding;
use nianbao::form::Kind;
use nianbao::model::{Line, Report, State, Text, Value};
use nianbao::read::value::{parse, Raw};
use nianbao::read::{self, Options};
use nianbao::write::archive::{self, Provenance};
use nianbao::write::template;
use nianbao::Edition;
use serde_json::Value as Json;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

const FIXED: i64 = 1_709_281_800; // 2024-03-01 08:30:00 UTC

/// A cell as a department typed it.
fn typed(s: &str, kind: Kind) -> Value {
    parse(&Raw::Str(s.into()), kind)
}

fn active_mut<'a>(r: &'a mut Report, row: &str, col: &str) -> &'a mut Value {
    let form = r.form();
    let (i, (block, _)) = form.active_rows().enumerate().find(|(_, (_, x))| x.id == row).expect("active row");
    let c = block.columns.iter().position(|x| x.id == col).expect("active column");
    &mut r.active[i][c]
}

fn request_mut<'a>(r: &'a mut Report, row: &str, col: &str) -> &'a mut Value {
    let i = r.form().requests_row(row).expect("row");
    let c = nianbao::form::requests_column(col).expect("column");
    &mut r.requests[i][c]
}

/// Every number of the tables non-zero and distinct, then the awkward typings on top.
fn rich(edition: Edition, year: i32) -> Report {
    let mut r = blank(edition, "某某市某某区人民政府办公室", year);
    let mut n = 1;
    for row in r.active.iter_mut().chain(r.requests.iter_mut()).chain(r.review.iter_mut()) {
        for v in row.iter_mut() {
            set(v, n);
            n += 1;
        }
    }
    r.contact.website = Some("http://www.example.gov.cn/xxgk/".into());
    r.contact.office = Some("某某区人民政府办公室".into());
    r.contact.address = Some("某某区人民路1号".into());
    r.contact.postcode = Some("100000".into());
    r.contact.phone = Some("+86-010-12345678".into());
    r.text.overview.text = format!("=SUM(A1)\n{year}年，本区认真贯彻落实《中华人民共和国政府信息公开条例》。\n（一）主动公开情况。本年主动公开政府信息4267条。");
    r.text.problems.text = "-存在的问题：公开内容不够全面。\n@改进措施：加强培训。".into();
    r.text.other_matters.text = "+本年度未收取信息处理费。".into();
    r.active_extra = vec![
        Line {
            text: format!("{year}年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267"),
            cell: None,
        },
        Line { text: "=政府网站发布信息：1200条".into(), cell: None },
    ];
    // A blank and a dash, read as 0 with one VAL-BLANK per table.
    *request_mut(&mut r, "denied_state_secret", "research") = Value::zero();
    *request_mut(&mut r, "denied_law_forbids", "research") = typed("—", Kind::Count);
    // Not numbers: VAL-TEXT and VAL-FORMULA with null in the JSON.
    *request_mut(&mut r, "unable_unclear", "legal_service") = typed("约30", Kind::Count);
    *request_mut(&mut r, "rejected_repeated", "other_org") = typed("=SUM(D5:D6)", Kind::Count);
    // A count typed with a unit and full-width digits is just the number.
    *request_mut(&mut r, "granted", "commercial") = typed("１２件", Kind::Count);
    // Flagged counts keep their typing, so the messages quote the same text.
    *request_mut(&mut r, "granted", "research") = typed("-3件", Kind::Count);
    *request_mut(&mut r, "partly_granted", "research") = typed("2.5", Kind::Count);
    r.review[1][2] = typed("N/A", Kind::Count);
    match edition {
        Edition::E2021 => {
            *active_mut(&mut r, "fees", "amount_wan") = typed("5949.088667", Kind::Amount);
            *active_mut(&mut r, "licensing", "decisions") = typed("36756", Kind::Count);
            r.fee.count = Some(typed("2", Kind::Count));
            r.fee.amount = Some(typed("0.150", Kind::Amount));
        }
        Edition::E2019 => {
            *active_mut(&mut r, "licensing", "change") = typed("+2", Kind::Signed);
            *active_mut(&mut r, "other_services", "change") = typed("－5", Kind::Signed);
            *active_mut(&mut r, "penalty", "change") = typed("0", Kind::Signed);
            *active_mut(&mut r, "fees", "change") = typed("-1", Kind::Signed);
            *active_mut(&mut r, "procurement", "amount") = typed("251000元", Kind::Amount);
            *active_mut(&mut r, "regulations", "made") = typed("12.50", Kind::Count);
        }
    }
    r
}

/// The JSON of `check --format json` without what names the file or its cells.
fn comparable(r: &Report, findings: &[Finding]) -> Json {
    let mut j = nianbao::write::json::report(r, findings);
    let obj = j.as_object_mut().expect("object");
    obj.remove("file");
    obj.remove("sha256");
    let cell = regex::Regex::new(r"(?:'[^']+'|[^\s!：:，,、“”（）()]+)![A-Z]{1,3}[0-9]+").expect("regex");
    if let Some(Json::Array(fs)) = obj.get_mut("findings") {
        // A row label that matches nothing is not in the report, so the archive has none;
        // nor has it the sets of tables left unread or the formulas computed on reading.
        fs.retain(|f| {
            !["READ-LABEL", "READ-CHOICE", "VAL-FORMULA-COMPUTED"].contains(&f["rule"].as_str().unwrap_or(""))
        });
        for f in fs.iter_mut() {
            let f = f.as_object_mut().expect("finding");
            f.remove("cell");
            f.remove("related");
            if let Some(Json::String(m)) = f.get_mut("message") {
                *m = cell.replace_all(m, "<cell>").into_owned();
            }
        }
    }
    j
}

/// What the JSON leaves out but the Word document prints.
fn rest(r: &Report) -> String {
    let fee = |v: &Option<Value>| v.as_ref().map(|v| (v.num, v.state, v.unit.clone()));
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}",
        r.contact,
        fee(&r.fee.count),
        fee(&r.fee.amount),
        r.active_extra.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        (&r.agency.value, r.year.value, r.edition),
    )
}

fn findings(r: &Report) -> Vec<Finding> {
    check::check(r, Context::default())
}

fn make(r: &Report) -> Vec<u8> {
    archive::archive(r, &findings(r), &Provenance::now(Some(FIXED))).expect("archive")
}

/// Archives a report read from a source, reads the archive back and asserts both say
/// the same; returns the archive and the report read from it.
fn round_trip(source: &Report, name: &str) -> (Vec<u8>, Report) {
    let bytes = make(source);
    let back = read::read(&bytes, "归档.xlsx", &Options::default())
        .unwrap_or_else(|e| panic!("{name}: the archive does not read: {e}"));
    assert_eq!(
        comparable(&back, &findings(&back)),
        comparable(source, &findings(source)),
        "{name}: the archive reads back as a different report"
    );
    assert_eq!(rest(&back), rest(source), "{name}: contact, fee or extra lines changed");
    (bytes, back)
}

fn sheet_rows(bytes: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
    wb.worksheet_range(sheet).expect("sheet")
}

fn at(range: &calamine::Range<Data>, a1: &str) -> Data {
    let (row, col) = nianbao::cell::parse_a1(a1).expect("a1");
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn zip_part(bytes: &[u8], part: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    z.by_name(part).expect("part").read_to_string(&mut s).expect("utf-8");
    s
}

#[test]
fn rich_reports_of_both_editions_round_trip() {
    for (edition, year) in [(Edition::E2021, 2023), (Edition::E2019, 2020)] {
        let source = read_bytes(&template::filled(&rich(edition, year)).expect("filled"), "源.xlsx");
        let fs = findings(&source);
        // The awkward cells really are awkward in the source, so surviving means something.
        for rule in ["VAL-BLANK", "VAL-TEXT", "VAL-FORMULA", "VAL-NEGATIVE", "VAL-FRACTION"] {
            assert!(fs.iter().any(|f| f.rule == rule), "{edition}: the source has no {rule}");
        }
        let (bytes, back) = round_trip(&source, &format!("rich {edition}"));
        // Converting the archive again gives the same report once more.
        let (_, again) = round_trip(&back, &format!("rich {edition}, second generation"));
        assert_eq!(again.text.overview.text, source.text.overview.text);
        assert!(back.text.overview.text.starts_with("=SUM(A1)\n"), "{:?}", back.text.overview.text);
        assert_eq!(req(&back, "granted", "commercial"), 12);
        let t = back.request("unable_unclear", "legal_service").expect("value");
        assert_eq!((t.state, t.num, t.raw.as_str()), (State::Text, None, "约30"));
        let f = back.request("rejected_repeated", "other_org").expect("value");
        assert_eq!((f.state, f.raw.as_str()), (State::Formula, "=SUM(D5:D6)"));
        assert!(bytes.len() > 10_000);
    }
}

#[test]
fn amounts_units_and_signed_changes_survive() {
    let source = read_bytes(&template::filled(&rich(Edition::E2019, 2020)).expect("filled"), "源.xlsx");
    let (bytes, back) = round_trip(&source, "2019");
    let j = nianbao::write::json::report(&back, &[]);
    assert_eq!(j["active"]["procurement"]["amount"], "251000");
    assert_eq!(j["active"]["procurement"]["amount_unit"], "元");
    assert_eq!(j["active"]["licensing"]["change"], 2);
    assert_eq!(j["active"]["other_services"]["change"], -5);
    assert_eq!(j["active"]["penalty"]["change"], 0);
    assert_eq!(j["active"]["fees"]["change"], -1);
    assert_eq!(j["active"]["regulations"]["made"], 12.5);
    // In the archive: the signed change a number shown with its sign, the amount with
    // its unit as typed text.
    let active = sheet_rows(&bytes, "主动公开");
    let cell = back.active_value("licensing", "change").and_then(|v| v.cell.clone()).expect("cell");
    assert_eq!(cell.to_string(), "主动公开!C8");
    assert_eq!(at(&active, "C8"), Data::Float(2.0));
    let sheet = zip_part(&bytes, "xl/styles.xml");
    assert!(sheet.contains("formatCode=\"+0;-0;0\""), "no signed number format");
    let amount = back.active_value("procurement", "amount").and_then(|v| v.cell.clone()).expect("cell");
    assert_eq!(at(&active, &amount.a1()), Data::String("251000元".into()));

    let source = read_bytes(&template::filled(&rich(Edition::E2021, 2023)).expect("filled"), "源.xlsx");
    let (bytes, back) = round_trip(&source, "2021");
    let j = nianbao::write::json::report(&back, &[]);
    assert_eq!(j["active"]["fees"]["amount_wan"], "5949.088667");
    assert_eq!(j["active"]["licensing"]["decisions"], 36756);
    let fee = back.fee.amount.as_ref().expect("fee amount");
    assert_eq!(fee.num.map(|d| d.to_string()).as_deref(), Some("0.150"));
    assert_eq!(back.fee.count.as_ref().and_then(|v| v.num).map(|d| d.to_string()).as_deref(), Some("2"));
    let active = sheet_rows(&bytes, "主动公开");
    let cell = back.active_value("fees", "amount_wan").and_then(|v| v.cell.clone()).expect("cell");
    assert_eq!(at(&active, &cell.a1()), Data::Float(5949.088667));
    assert_eq!(at(&active, "B8"), Data::Float(36756.0));
    let cell = back.active_value("licensing", "decisions").and_then(|v| v.cell.clone()).expect("cell");
    assert_eq!(cell.to_string(), "主动公开!B8");

    // 元 under 单位：万元 is a VAL-UNIT warning, in the archive as in the source.
    let mut r = rich(Edition::E2021, 2023);
    *active_mut(&mut r, "fees", "amount_wan") = typed("251000元", Kind::Amount);
    let source = read_bytes(&template::filled(&r).expect("filled"), "源.xlsx");
    assert!(findings(&source).iter().any(|f| f.rule == "VAL-UNIT"));
    let (_, back) = round_trip(&source, "2021 with a unit");
    let unit = findings(&back).into_iter().find(|f| f.rule == "VAL-UNIT").expect("VAL-UNIT");
    assert_eq!(unit.cell.map(|c| c.to_string()).as_deref(), Some("主动公开!B15"));
}

#[test]
fn numbers_are_numbers_at_the_official_cells() {
    let mut r = blank(Edition::E2021, "某某县教育局", 2023);
    set(request_mut(&mut r, "new_received", "natural_person"), 3);
    set(request_mut(&mut r, "new_received", "commercial"), 1);
    set(request_mut(&mut r, "new_received", "total"), 4);
    set(request_mut(&mut r, "carried_forward", "total"), 7);
    r.review[2][4] = Value::number(9.into());
    let bytes = make(&r);
    let req_sheet = sheet_rows(&bytes, "依申请公开");
    assert_eq!(at(&req_sheet, "D5"), Data::Float(3.0));
    assert_eq!(at(&req_sheet, "E5"), Data::Float(1.0));
    assert_eq!(at(&req_sheet, "J5"), Data::Float(4.0));
    assert_eq!(at(&req_sheet, "J29"), Data::Float(7.0));
    assert_eq!(at(&req_sheet, "A1"), Data::String("三、收到和处理政府信息公开申请情况".into()));
    let review = sheet_rows(&bytes, "复议诉讼");
    assert_eq!(at(&review, "O5"), Data::Float(9.0));
    assert_eq!(at(&review, "A2"), Data::String("行政复议".into()));
    let back = read_bytes(&bytes, "归档.xlsx");
    assert_eq!(req_cell(&back, "new_received", "natural_person"), "依申请公开!D5");
    assert_eq!(req_cell(&back, "carried_forward", "total"), "依申请公开!J29");
    assert_eq!(req(&back, "carried_forward", "total"), 7);
}

#[test]
fn reading_the_archive_picks_the_table_sheets_not_the_data_sheet() {
    for (edition, year) in [(Edition::E2021, 2023), (Edition::E2019, 2020)] {
        let source = read_bytes(&template::filled(&rich(edition, year)).expect("filled"), "源.xlsx");
        let bytes = make(&source);
        let back = read_bytes(&bytes, "归档.xlsx");
        let data = sheet_rows(&bytes, "数据");
        let numbers = back.numbers();
        assert_eq!(data.height(), numbers.len() + 1);
        for (i, n) in numbers.iter().enumerate() {
            let cell = n.value.cell.as_ref().expect("cell").to_string();
            let sheet = cell.split('!').next().unwrap_or("");
            assert!(
                ["主动公开", "依申请公开", "复议诉讼"].contains(&sheet),
                "{edition} {}/{} read from {cell}",
                n.row,
                n.col
            );
            // The 数据 sheet says where each number is in the archive, and it is where it was read.
            let row = (i + 1) as u32;
            assert_eq!(data.get_value((row, 10)), Some(&Data::String(cell.clone())), "{edition} {}/{}", n.row, n.col);
            assert_eq!(data.get_value((row, 2)), Some(&Data::String(n.row.into())));
            assert_eq!(data.get_value((row, 3)), Some(&Data::String(n.col.into())));
        }
        assert_eq!(back.agency.cell.as_ref().map(|c| c.to_string()).as_deref(), Some("基本信息!B2"));
        assert_eq!(back.active_extra.len(), 2);
        assert!(back.active_extra.iter().all(|l| l.cell.as_ref().is_some_and(|c| &*c.sheet == "主动公开")));
    }
}

#[test]
fn sheets_metadata_and_properties_are_as_formats_md_says() {
    let mut source = read_bytes(&template::filled(&rich(Edition::E2021, 2023)).expect("filled"), "某某区.xlsx");
    source.file = "某某区2023年报.xlsx".into();
    let fs = findings(&source);
    let bytes = make(&source);
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(&bytes)).expect("xlsx");
    assert_eq!(wb.sheet_names(), ["基本信息", "主动公开", "依申请公开", "复议诉讼", "核查结果", "数据"]);

    let info = sheet_rows(&bytes, "基本信息");
    let value_of = |label: &str| -> Data {
        let row = (0..info.height() as u32)
            .find(|&r| info.get_value((r, 0)) == Some(&Data::String(label.into())))
            .unwrap_or_else(|| panic!("no row {label}"));
        info.get_value((row, 1)).cloned().unwrap_or(Data::Empty)
    };
    assert_eq!(value_of("源文件"), Data::String("某某区2023年报.xlsx".into()));
    assert_eq!(value_of("源文件SHA-256"), Data::String(source.sha256.clone()));
    assert_eq!(value_of("nianbao版本"), Data::String(env!("CARGO_PKG_VERSION").into()));
    // Local time with its offset (Beijing time where no zone is given).
    assert_eq!(value_of("转换时间"), Data::String("2024-03-01 16:30:00 +08:00".into()));
    assert_eq!(value_of("机关名称"), Data::String("某某市某某区人民政府办公室".into()));
    assert_eq!(value_of("报告年度"), Data::Float(2023.0));
    assert_eq!(value_of("信息处理费收费次数"), Data::Float(2.0));
    assert_eq!(value_of("信息处理费收费金额（万元）"), Data::String("0.150".into()));
    let overview = value_of("一、总体情况（总述）");
    assert!(matches!(&overview, Data::String(s) if s.starts_with("=SUM(A1)\n2023年")), "{overview:?}");

    // Text beginning with = + - @ is text: no formula anywhere in the workbook.
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    let parts: Vec<String> = z.file_names().filter(|n| n.starts_with("xl/worksheets/")).map(String::from).collect();
    for p in parts {
        let mut s = String::new();
        z.by_name(&p).expect("part").read_to_string(&mut s).expect("utf-8");
        assert!(!s.contains("<f>") && !s.contains("<f "), "{p} has a formula");
    }
    let custom = zip_part(&bytes, "docProps/custom.xml");
    assert!(custom.contains("源文件SHA-256") && custom.contains(&source.sha256), "{custom}");
    let core = zip_part(&bytes, "docProps/core.xml");
    assert!(
        core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-03-01T16:30:00+08:00</dcterms:created>"),
        "{core}"
    );

    let found = sheet_rows(&bytes, "核查结果");
    assert_eq!(found.height(), fs.len() + 1);
    assert_eq!(found.get_value((0, 1)), Some(&Data::String("代码".into())));
    for (i, f) in fs.iter().enumerate() {
        let r = (i + 1) as u32;
        assert_eq!(found.get_value((r, 1)), Some(&Data::String(f.rule.into())));
        assert_eq!(found.get_value((r, 2)), Some(&Data::String(f.severity.zh().into())));
        let cell = f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default();
        assert_eq!(found.get_value((r, 3)).cloned().unwrap_or(Data::Empty).to_string(), cell);
        assert_eq!(found.get_value((r, 4)), Some(&Data::String(f.message.clone())));
    }
    let text = fs.iter().position(|f| f.rule == "VAL-TEXT").expect("VAL-TEXT") as u32 + 1;
    assert_eq!(found.get_value((text, 2)), Some(&Data::String("错误".into())));
    let blank = fs.iter().position(|f| f.rule == "VAL-BLANK").expect("VAL-BLANK") as u32 + 1;
    assert_eq!(found.get_value((blank, 2)), Some(&Data::String("提示".into())));

    let data = sheet_rows(&bytes, "数据");
    let row = source
        .numbers()
        .iter()
        .position(|n| n.section == "requests" && n.row == "new_received" && n.col == "natural_person")
        .expect("number") as u32
        + 1;
    let cells: Vec<String> =
        (0..11).map(|c| data.get_value((row, c)).cloned().unwrap_or(Data::Empty).to_string()).collect();
    let want = ["三、收到和处理政府信息公开申请情况", "requests", "new_received", "natural_person"];
    assert_eq!(&cells[..4], want);
    assert_eq!(cells[4], "一、本年新收政府信息公开申请数量");
    assert_eq!(cells[5], "自然人");
    assert_eq!(data.get_value((row, 6)), Some(&Data::Float(req(&source, "new_received", "natural_person") as f64)));
    assert_eq!(cells[9], "依申请公开!D5");
    assert_eq!(cells[10], "依申请公开!D5");
    let sheet6 = zip_part(&bytes, "xl/worksheets/sheet6.xml");
    assert!(sheet6.contains(&format!("<autoFilter ref=\"A1:K{}\"", source.numbers().len() + 1)), "no autofilter");
}

#[test]
fn the_same_input_gives_identical_bytes() {
    let source = read_bytes(&template::filled(&rich(Edition::E2019, 2020)).expect("filled"), "源.xlsx");
    let fs = findings(&source);
    let p = Provenance::now(Some(FIXED));
    assert_eq!(p.time, FIXED);
    let a = archive::archive(&source, &fs, &p).expect("a");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = archive::archive(&source, &fs, &Provenance::now(Some(FIXED))).expect("b");
    assert!(a == b, "two archives of the same input differ");
    let c = archive::archive(&source, &fs, &Provenance::now(Some(FIXED + 60))).expect("c");
    assert!(a != c, "the conversion time is not in the archive");
    // Without a fixed time, the time is now.
    let now = Provenance::now(None).time;
    assert!(now > FIXED, "{now}");
}

/// The workbooks of samples/ and tests/fixtures/, top level only.
fn workbooks() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["samples", "tests/fixtures"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
            if p.is_file() && ["xlsx", "xls", "ods"].contains(&ext.as_str()) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_sample_and_fixture_that_reads_round_trips() {
    let mut done = 0;
    for path in workbooks() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let bytes = std::fs::read(&path).expect("read");
        let source = match read::read(&bytes, &name, &Options::default()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("archive round trip: {name} skipped, the reader rejects it: {e}");
                continue;
            }
        };
        let (_, back) = round_trip(&source, &name);
        assert!(back.unknown_labels.is_empty(), "{name}: the archive has labels of its own");
        let fs = findings(&source);
        eprintln!(
            "archive round trip: {name}: {} numbers, {} extra lines, {} findings ({} READ-LABEL not carried over)",
            back.numbers().len(),
            back.active_extra.len(),
            fs.len(),
            fs.iter().filter(|f| f.rule == "READ-LABEL").count()
        );
        done += 1;
    }
    eprintln!("archive round trip: {done} of {} workbooks", workbooks().len());
}

#[test]
fn a_missing_agency_and_year_stay_missing_whatever_the_file_is_called() {
    let mut r = rich(Edition::E2021, 2023);
    r.year.value = None;
    r.agency.value = None;
    let mut source = read_bytes(&template::filled(&r).expect("filled"), "源.xlsx");
    // The 源文件 row must not be taken for the report's title.
    source.file = "某某区2023年政府信息公开工作年度报告.xlsx".into();
    assert_eq!(source.year.value, None);
    assert_eq!(findings(&source).iter().filter(|f| f.rule == "META-MISSING").count(), 2);
    let (_, back) = round_trip(&source, "no agency, no year");
    assert_eq!((back.agency.value.as_deref(), back.year.value), (None, None));
}

#[test]
fn extra_lines_read_back_in_order() {
    let mut r = rich(Edition::E2019, 2020);
    r.active_extra = (1..=11).map(|i| Line { text: format!("补充说明第{i}行：{}", i * 100), cell: None }).collect();
    let source = read_bytes(&template::filled(&r).expect("filled"), "源.xlsx");
    assert_eq!(source.active_extra.len(), 11);
    let (bytes, back) = round_trip(&source, "eleven extra lines");
    assert_eq!(back.active_extra[0].text, "补充说明第1行：100");
    assert_eq!(back.active_extra[10].text, "补充说明第11行：1100");
    let first = back.active_extra[0].cell.as_ref().expect("cell").to_string();
    assert_eq!(first, "主动公开!A20");
    assert_eq!(at(&sheet_rows(&bytes, "主动公开"), "A20"), Data::String("补充说明第1行：100".into()));
}

#[test]
fn text_that_looks_like_excel_escapes_reads_back_as_typed() {
    // Excel reads `_xHHHH_` in a cell's text as the character HHHH; the archive keeps such
    // typing literal, and markup characters are text too.
    let mut r = rich(Edition::E2021, 2023);
    r.text.problems = Text { text: "文号_x0041_与<b>&“引号”_x12_".into(), cell: None };
    let source = read_bytes(&template::filled(&r).expect("filled"), "源.xlsx");
    assert_eq!(source.text.problems.text, "文号_x0041_与<b>&“引号”_x12_");
    let (_, back) = round_trip(&source, "escape-like text");
    assert_eq!(back.text.problems.text, "文号_x0041_与<b>&“引号”_x12_");
}
