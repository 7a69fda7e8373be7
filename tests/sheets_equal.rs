//! The direct xlsx writer (`write/xlsx/`) against rust_xlsxwriter, the reference: every
//! layout (`write/layout.rs`, `write/info.rs`) is drawn through the `Sheet` trait with both,
//! and what they wrote is read back and compared — cells (calamine), merged ranges, each
//! cell's resolved format, column widths, row heights and page setup (a small reader of
//! the sheet and styles XML) — so the fast writer cannot drift from the reference.

use crate::common::read_fixture;
use calamine::{open_workbook_from_rs, Reader as _, Xlsx};
use nianbao::model::Report;
use nianbao::write::info::{self, InfoValues};
use nianbao::write::layout::{self, Styles};
use nianbao::write::sheet::Sheet;
use nianbao::write::xlsx::Book;
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

const SHEET: &str = "表";

/// A layout drawn on one sheet.
type Draw<'a> = dyn Fn(&mut dyn Sheet) -> Result<(), rust_xlsxwriter::XlsxError> + 'a;

fn with_reference(draw: &Draw<'_>) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).expect("name");
    draw(ws).expect("draw");
    wb.save_to_buffer().expect("save")
}

fn with_direct(draw: &Draw<'_>) -> Vec<u8> {
    let mut book = Book::new();
    draw(book.sheet(SHEET)).expect("draw");
    book.save().expect("save")
}

fn part(package: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).expect("zip");
    let mut out = String::new();
    zip.by_name(name).expect(name).read_to_string(&mut out).expect("read");
    out
}

fn attrs(e: &BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .filter_map(Result::ok)
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            (key, a.normalized_value(quick_xml::XmlVersion::default()).map(|v| v.into_owned()).unwrap_or_default())
        })
        .collect()
}

/// Every element of a part as (path of names, attributes), in document order.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("xml") {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                out.push((path.join("/"), attrs(&e)));
            }
            Event::Empty(e) => {
                path.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                out.push((path.join("/"), attrs(&e)));
                path.pop();
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Each cell format of styles.xml resolved to its font, fill, border, alignment,
/// protection and number format, as one text.
fn formats(styles: &str) -> Vec<String> {
    let els = elements(styles);
    let group = |prefix: &str, item: &str| -> Vec<String> {
        let mut items: Vec<String> = Vec::new();
        for (p, a) in &els {
            if let Some(rest) = p.strip_prefix(prefix) {
                if rest == item {
                    items.push(format!("{a:?}"));
                } else if let (Some(last), Some(inner)) = (items.last_mut(), rest.strip_prefix(item)) {
                    last.push_str(&format!(" {inner}{a:?}"));
                }
            }
        }
        items
    };
    // Two font details differ and show the same: rust_xlsxwriter names the default text
    // colour (`theme 1`) and ties the default Calibri to the theme's minor font (the theme's
    // is Calibri), the direct writer adds the GB2312 charset hint that makes Excel pick the
    // Chinese font when the named one is missing. None of them is compared.
    let fonts: Vec<String> = group("styleSheet/fonts/", "font")
        .into_iter()
        .map(|f| {
            f.replace(" /color{\"theme\": \"1\"}", "")
                .replace(" /charset{\"val\": \"134\"}", "")
                .replace(" /scheme{\"val\": \"minor\"}", "")
        })
        .collect();
    let fills = group("styleSheet/fills/", "fill");
    let borders = group("styleSheet/borders/", "border");
    // Excel's built-in formats the layouts use; the writers choose differently between a
    // built-in id and the same code written out.
    let mut codes: BTreeMap<String, String> = [("0", "General"), ("1", "0"), ("2", "0.00"), ("49", "@")]
        .into_iter()
        .map(|(id, code)| (id.to_string(), code.to_string()))
        .collect();
    codes.extend(
        els.iter()
            .filter(|(p, _)| p == "styleSheet/numFmts/numFmt")
            .map(|(_, a)| (a["numFmtId"].clone(), a["formatCode"].clone())),
    );
    let mut xfs: Vec<String> = Vec::new();
    for (p, a) in &els {
        let get = |k: &str| a.get(k).cloned().unwrap_or_else(|| "0".into());
        let at = |list: &[String], k: &str| list.get(get(k).parse::<usize>().unwrap_or(0)).cloned().unwrap_or_default();
        if p == "styleSheet/cellXfs/xf" {
            let id = get("numFmtId");
            let fmt = codes.get(&id).cloned().unwrap_or(id);
            xfs.push(format!(
                "numFmt {fmt} | font {} | fill {} | border {}",
                at(&fonts, "fontId"),
                at(&fills, "fillId"),
                at(&borders, "borderId")
            ));
        } else if let (Some(last), Some(inner)) = (xfs.last_mut(), p.strip_prefix("styleSheet/cellXfs/xf/")) {
            last.push_str(&format!(" | {inner} {a:?}"));
        }
    }
    xfs
}

/// What a sheet holds, read back.
#[derive(Debug, PartialEq)]
struct Drawn {
    cells: Vec<(usize, usize, String)>,
    merges: Vec<String>,
    /// Cell reference → resolved format.
    formats: BTreeMap<String, String>,
    /// Column → its `col` attributes but the range.
    widths: BTreeMap<u32, BTreeMap<String, String>>,
    /// Row → height in whole pixels: Excel draws rows on the pixel grid (0.75 pt), and
    /// rust_xlsxwriter stores a height snapped to it (20 → 20.25), the direct writer as given.
    heights: Vec<(String, i64)>,
    settings: Vec<(String, BTreeMap<String, String>)>,
    names: Vec<(BTreeMap<String, String>, String)>,
}

fn read_back(bytes: &[u8]) -> Drawn {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("calamine");
    let range = wb.worksheet_range(SHEET).expect("sheet");
    let cells = range.used_cells().map(|(r, c, v)| (r, c, format!("{v:?}"))).collect();
    let mut merges: Vec<String> = wb
        .merge_cells_by_sheet_name(SHEET)
        .expect("merges")
        .iter()
        .map(|d| format!("{:?}-{:?}", d.start, d.end))
        .collect();
    merges.sort();
    let xfs = formats(&part(bytes, "xl/styles.xml"));
    let sheet = elements(&part(bytes, "xl/worksheets/sheet1.xml"));
    let mut formats = BTreeMap::new();
    let (mut widths, mut heights, mut settings) = (BTreeMap::new(), Vec::new(), Vec::new());
    for (p, a) in sheet {
        match p.as_str() {
            "worksheet/sheetData/row/c" => {
                let s: usize = a.get("s").and_then(|s| s.parse().ok()).unwrap_or(0);
                formats.insert(a["r"].clone(), xfs.get(s).cloned().unwrap_or_default());
            }
            "worksheet/sheetData/row" => {
                if let Some(ht) = a.get("ht").and_then(|h| h.parse::<f64>().ok()) {
                    heights.push((a["r"].clone(), (ht * 4.0 / 3.0).round() as i64));
                }
            }
            // rust_xlsxwriter writes a run of equal columns as one range.
            "worksheet/cols/col" => {
                let n = |k: &str| a.get(k).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
                let (min, max) = (n("min"), n("max"));
                let rest: BTreeMap<String, String> =
                    a.iter().filter(|(k, _)| *k != "min" && *k != "max").map(|(k, v)| (k.clone(), v.clone())).collect();
                for c in min..=max {
                    widths.insert(c, rest.clone());
                }
            }
            "worksheet/sheetPr/pageSetUpPr"
            | "worksheet/sheetViews/sheetView/pane"
            | "worksheet/printOptions"
            | "worksheet/pageMargins"
            | "worksheet/pageSetup"
            | "worksheet/headerFooter/oddFooter" => {
                // rust_xlsxwriter names a printer resolution and links printer settings;
                // both are the printer's business, not the layout's.
                let a = a
                    .into_iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "r:id" | "horizontalDpi" | "verticalDpi"))
                    .collect();
                settings.push((p, a));
            }
            _ => {}
        }
    }
    let mut names = Vec::new();
    let workbook = part(bytes, "xl/workbook.xml");
    let mut reader = quick_xml::Reader::from_str(&workbook);
    let mut open = None;
    loop {
        match reader.read_event().expect("xml") {
            Event::Start(e) if e.name().as_ref() == b"definedName" => open = Some(attrs(&e)),
            Event::Text(t) => {
                if let Some(a) = open.take() {
                    // Quoting a sheet name is optional where nothing in it needs quotes; the
                    // direct writer always quotes.
                    let text = t.decode().map(|s| s.into_owned()).unwrap_or_default();
                    names.push((a, text.replace(&format!("'{SHEET}'!"), &format!("{SHEET}!"))));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Drawn { cells, merges, formats, widths, heights, settings, names }
}

fn same(what: &str, draw: &Draw<'_>) {
    let reference = read_back(&with_reference(draw));
    let direct = read_back(&with_direct(draw));
    assert!(!reference.cells.is_empty(), "{what}: nothing drawn");
    for (field, a, b) in [
        ("cells", format!("{:#?}", reference.cells), format!("{:#?}", direct.cells)),
        ("merges", format!("{:#?}", reference.merges), format!("{:#?}", direct.merges)),
        ("formats", format!("{:#?}", reference.formats), format!("{:#?}", direct.formats)),
        ("widths", format!("{:#?}", reference.widths), format!("{:#?}", direct.widths)),
        ("heights", format!("{:#?}", reference.heights), format!("{:#?}", direct.heights)),
        ("settings", format!("{:#?}", reference.settings), format!("{:#?}", direct.settings)),
        ("names", format!("{:#?}", reference.names), format!("{:#?}", direct.names)),
    ] {
        if a != b {
            let diff: Vec<String> = a
                .lines()
                .zip(b.lines())
                .filter(|(x, y)| x != y)
                .take(6)
                .map(|(x, y)| format!("  reference: {x}\n  direct:    {y}"))
                .collect();
            panic!("{what}: {field} differ\n{}", diff.join("\n"));
        }
    }
}

fn reports() -> Vec<Report> {
    vec![read_fixture("edition-2021.ods"), read_fixture("edition-2019.xls")]
}

#[test]
fn every_table_layout_is_drawn_alike() {
    for r in reports() {
        let form = r.form();
        let st = Styles::new(false);
        same(&format!("active {}", r.edition), &|ws| layout::active(ws, form, Some(&r), &st).map(|_| ()));
        same(&format!("requests {}", r.edition), &|ws| layout::requests(ws, form, Some(&r), &st).map(|_| ()));
        same(&format!("review {}", r.edition), &|ws| layout::review(ws, form, Some(&r), &st).map(|_| ()));
        same(&format!("blank requests {}", r.edition), &|ws| layout::requests(ws, form, None, &st).map(|_| ()));
        same(&format!("stacked {}", r.edition), &|ws| layout::stacked(ws, &r, "合计"));
    }
}

#[test]
fn the_info_sheet_is_drawn_alike() {
    for r in &reports() {
        let extra = [("来源文件", r.file.clone()), ("转换时间", "2026-01-01 00:00:00 UTC".to_string())];
        let v = InfoValues {
            edition: r.edition,
            agency: r.agency.value.as_deref(),
            year: r.year.value,
            report: Some(r),
            extra: &extra,
        };
        same(&format!("info {}", r.edition), &|ws| info::sheet(ws, &v, false));
    }
}
