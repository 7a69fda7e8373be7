//! The XML parts of the package: worksheets, shared strings, workbook, relationships,
//! content types, document properties and styles.

use super::text::{abs_range, quoted, stored_width};
use super::{Content, Properties, XSheet};
use crate::number::push_int;
use crate::write::ooxml::{
    self, relationships, Relationship, Value, Xml, CT_CORE_PROPERTIES, DECLARATION, NS_CORE_PROPERTIES,
    NS_CUSTOM_PROPERTIES, NS_DC, NS_DCMITYPE, NS_DCTERMS, NS_OFFICE_RELS, NS_SPREADSHEET, NS_VT, NS_XSI,
    REL_CORE_PROPERTIES,
};
use crate::write::sheet::{Align, Style, VAlign};
use std::sync::{Arc, Mutex, OnceLock};

/// Parts made once a process for each of a few keys: a batch writes the same shape of
/// archive, with the same styles, thousands of times.
type Made<K> = OnceLock<Mutex<Vec<(K, Arc<str>)>>>;

/// The part for `key` from `memo`, made by `make` the first time; past [`MADE_KEYS`] keys
/// (books of many shapes) a part is made each time rather than kept.
fn made_once<K: PartialEq>(memo: &Made<K>, key: K, make: impl FnOnce(&K) -> String) -> Arc<str> {
    const MADE_KEYS: usize = 16;
    let memo = memo.get_or_init(|| Mutex::new(Vec::new()));
    if let Some(found) = memo.lock().ok().and_then(|m| m.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone())) {
        return found;
    }
    let part: Arc<str> = make(&key).into();
    if let Ok(mut m) = memo.lock() {
        if m.len() < MADE_KEYS {
            m.push((key, part.clone()));
        }
    }
    part
}

/// `[Content_Types].xml`, `_rels/.rels` and `xl/_rels/workbook.xml.rels` of a book of
/// `sheets` sheets, with custom properties or not.
pub(super) fn shape_parts(sheets: usize, custom: bool) -> [Arc<str>; 3] {
    static TYPES: Made<(usize, bool)> = OnceLock::new();
    static ROOT: Made<bool> = OnceLock::new();
    static BOOK: Made<usize> = OnceLock::new();
    [
        made_once(&TYPES, (sheets, custom), |&(n, c)| content_types(n, c)),
        made_once(&ROOT, custom, |&c| root_rels(c)),
        made_once(&BOOK, sheets, |&n| workbook_rels(n)),
    ]
}

/// `xl/styles.xml` for these styles.
pub(super) fn styles_part(styles: &[Style]) -> Arc<str> {
    static MADE: Made<Vec<Style>> = OnceLock::new();
    made_once(&MADE, styles.to_vec(), |s| styles_xml(s))
}

/// A settled sheet's XML, written into `x` (a [`Xml::sheet`] writer).
pub(super) fn sheet_xml(sh: &XSheet, map: &[u16], strings: &[u32], selected: bool, x: &mut Xml) {
    let cells = &sh.cells;
    let mut heights = sh.heights.clone();
    heights.sort_by_key(|h| h.0);
    let mut widths = sh.widths.clone();
    widths.sort_by_key(|w| w.0);

    x.raw(DECLARATION).open("worksheet", &[("xmlns", NS_SPREADSHEET.into()), ("xmlns:r", NS_OFFICE_RELS.into())]);
    if sh.page.is_some() {
        x.open("sheetPr", &[]).empty("pageSetUpPr", &[("fitToPage", 1.into())]).close("sheetPr");
    }
    let (max_r, max_c) = cells.iter().fold((0, 0), |(r, c), x| (r.max(x.row), c.max(x.col)));
    let dimension = match cells.first() {
        None => Value::Text("A1"),
        Some(first) => {
            let min_c = cells.iter().map(|c| c.col).min().unwrap_or(0);
            Value::Range(first.row, min_c.into(), max_r, max_c.into())
        }
    };
    x.empty("dimension", &[("ref", dimension)]).open("sheetViews", &[]).start("sheetView");
    if selected {
        x.attr("tabSelected", 1);
    }
    x.attr("workbookViewId", 0);
    if sh.freeze_rows > 0 {
        x.end_start()
            .empty(
                "pane",
                &[
                    ("ySplit", sh.freeze_rows.into()),
                    ("topLeftCell", Value::Cell(sh.freeze_rows, 0)),
                    ("activePane", "bottomLeft".into()),
                    ("state", "frozen".into()),
                ],
            )
            .empty("selection", &[("pane", "bottomLeft".into())])
            .close("sheetView");
    } else {
        x.end_empty();
    }
    x.close("sheetViews").empty("sheetFormatPr", &[("defaultRowHeight", 15.into())]);
    if !widths.is_empty() {
        x.open("cols", &[]);
        for &(c, w) in &widths {
            let n = u32::from(c) + 1;
            x.empty(
                "col",
                &[("min", n.into()), ("max", n.into()), ("width", stored_width(w).into()), ("customWidth", 1.into())],
            );
        }
        x.close("cols");
    }
    x.open("sheetData", &[]);
    // A row's number, written once for the row and each of its cells' references.
    let mut digits = String::with_capacity(8);
    let mut h = heights.iter().peekable();
    let mut i = 0;
    while i < cells.len() || h.peek().is_some() {
        // The next row: whichever comes first of the next cell's row and the next height.
        let next_cell = cells.get(i).map(|c| c.row);
        let next_height = h.peek().map(|x| x.0);
        let row = match (next_cell, next_height) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        digits.clear();
        push_int(&mut digits, i64::from(row) + 1);
        x.raw("<row r=\"").raw(&digits).raw("\"");
        if next_height == Some(row) {
            if let Some(&(_, ht)) = h.next() {
                x.attr("ht", ht).attr("customHeight", 1);
            }
        }
        x.end_start();
        // Cells from constant fragments and numbers: most of a sheet's markup.
        while let Some(c) = cells.get(i).filter(|c| c.row == row) {
            x.raw("<c r=\"").column(c.col.into()).raw(&digits).raw("\"");
            let s = map.get(usize::from(c.style)).copied().unwrap_or(0);
            if s != 0 {
                x.raw(" s=\"").value(s).raw("\"");
            }
            match &c.content {
                Content::Text(t) => {
                    let id = strings.get(*t as usize).copied().unwrap_or(0);
                    x.raw(" t=\"s\"><v>").value(id).raw("</v></c>");
                }
                Content::Number(n) => {
                    x.raw("><v>").value(*n).raw("</v></c>");
                }
                Content::Blank => {
                    x.end_empty();
                }
                Content::Formula(f, n) => {
                    x.end_start().text_element("f", &[], f).value_element("v", *n).close("c");
                }
            }
            i += 1;
        }
        x.close("row");
    }
    x.close("sheetData");
    if let Some((r0, c0, r1, c1)) = sh.filter {
        x.empty("autoFilter", &[("ref", Value::Range(r0, c0.into(), r1, c1.into()))]);
    }
    if !sh.merges.is_empty() {
        x.open("mergeCells", &[("count", sh.merges.len().into())]);
        for &(r0, c0, r1, c1) in &sh.merges {
            x.empty("mergeCell", &[("ref", Value::Range(r0, c0.into(), r1, c1.into()))]);
        }
        x.close("mergeCells");
    }
    let page = sh.page.unwrap_or_default();
    if page.center {
        x.empty("printOptions", &[("horizontalCentered", 1.into())]);
    }
    let [l, r, t, b, hd, ft] = page.margins.unwrap_or([0.7, 0.7, 0.75, 0.75, 0.3, 0.3]);
    x.empty(
        "pageMargins",
        &[
            ("left", l.into()),
            ("right", r.into()),
            ("top", t.into()),
            ("bottom", b.into()),
            ("header", hd.into()),
            ("footer", ft.into()),
        ],
    );
    if sh.page.is_some() {
        let orientation = if page.landscape { "landscape" } else { "portrait" };
        x.empty(
            "pageSetup",
            &[("paperSize", 9.into()), ("fitToHeight", 0.into()), ("orientation", orientation.into())],
        );
    }
    x.close("worksheet");
}

/// The shared-string table, written into `x` (a [`Xml::sheet`] writer).
pub(super) fn shared_strings(sst: &[&str], uses: usize, x: &mut Xml) {
    x.raw(DECLARATION)
        .open("sst", &[("xmlns", NS_SPREADSHEET.into()), ("count", uses.into()), ("uniqueCount", sst.len().into())]);
    for t in sst {
        let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
        let open = if edge(t.chars().next()) || edge(t.chars().next_back()) {
            "<si><t xml:space=\"preserve\">"
        } else {
            "<si><t>"
        };
        x.raw(open).text(t).raw("</t></si>");
    }
    x.close("sst");
}

pub(super) fn workbook(sheets: &[XSheet]) -> String {
    let mut x = Xml::sheet(1024);
    x.raw(DECLARATION)
        .open("workbook", &[("xmlns", NS_SPREADSHEET.into()), ("xmlns:r", NS_OFFICE_RELS.into())])
        .empty("workbookPr", &[])
        .open("bookViews", &[])
        .empty("workbookView", &[])
        .close("bookViews")
        .open("sheets", &[]);
    for (i, sh) in sheets.iter().enumerate() {
        let id = format!("rId{}", i + 1);
        x.empty(
            "sheet",
            &[("name", sh.name.as_str().into()), ("sheetId", (i + 1).into()), ("r:id", id.as_str().into())],
        );
    }
    x.close("sheets");
    let has_names = sheets
        .iter()
        .any(|sh| sh.filter.is_some() || sh.page.is_some_and(|p| p.print_area.is_some() || p.repeat_rows.is_some()));
    if has_names {
        x.open("definedNames", &[]);
        for (i, sh) in sheets.iter().enumerate() {
            let name = |n: &'static str| ("name", Value::Text(n));
            let sheet = ("localSheetId", Value::from(i));
            if let Some((r0, c0, r1, c1)) = sh.filter {
                let target = format!("{}!{}", quoted(&sh.name), abs_range(r0, c0, r1, c1));
                x.text_element("definedName", &[name("_xlnm._FilterDatabase"), sheet, ("hidden", 1.into())], &target);
            }
            if let Some((r0, c0, r1, c1)) = sh.page.and_then(|p| p.print_area) {
                let target = format!("{}!{}", quoted(&sh.name), abs_range(r0, c0, r1, c1));
                x.text_element("definedName", &[name("_xlnm.Print_Area"), sheet], &target);
            }
            if let Some((a, b)) = sh.page.and_then(|p| p.repeat_rows) {
                let target = format!("{}!${}:${}", quoted(&sh.name), a + 1, b + 1);
                x.text_element("definedName", &[name("_xlnm.Print_Titles"), sheet], &target);
            }
        }
        x.close("definedNames");
    }
    x.empty("calcPr", &[("calcId", 191029.into())]).close("workbook");
    x.into_string()
}

fn workbook_rels(n: usize) -> String {
    let rel = |kind: &str| format!("{NS_OFFICE_RELS}/{kind}");
    let ids: Vec<String> = (1..=n + 3).map(|i| format!("rId{i}")).collect();
    let targets: Vec<String> = (1..=n).map(|i| format!("worksheets/sheet{i}.xml")).collect();
    let (worksheet, styles, theme, strings) = (rel("worksheet"), rel("styles"), rel("theme"), rel("sharedStrings"));
    let mut rels: Vec<Relationship<'_>> =
        targets.iter().zip(&ids).map(|(t, id)| (id.as_str(), worksheet.as_str(), t.as_str())).collect();
    rels.push((&ids[n], &styles, "styles.xml"));
    rels.push((&ids[n + 1], &theme, "theme/theme1.xml"));
    rels.push((&ids[n + 2], &strings, "sharedStrings.xml"));
    relationships(&rels)
}

fn content_types(sheets: usize, custom: bool) -> String {
    let ct = "application/vnd.openxmlformats-officedocument";
    let sml = |kind: &str| format!("{ct}.spreadsheetml.{kind}+xml");
    let (main, styles, theme, strings) =
        (sml("sheet.main"), sml("styles"), format!("{ct}.theme+xml"), sml("sharedStrings"));
    let (app, custom_type, worksheet) =
        (format!("{ct}.extended-properties+xml"), format!("{ct}.custom-properties+xml"), sml("worksheet"));
    let mut types: Vec<(&str, &str)> = vec![
        ("/xl/workbook.xml", &main),
        ("/xl/styles.xml", &styles),
        ("/xl/theme/theme1.xml", &theme),
        ("/xl/sharedStrings.xml", &strings),
        ("/docProps/core.xml", CT_CORE_PROPERTIES),
        ("/docProps/app.xml", &app),
    ];
    if custom {
        types.push(("/docProps/custom.xml", &custom_type));
    }
    let names: Vec<String> = (1..=sheets).map(|i| format!("/xl/worksheets/sheet{i}.xml")).collect();
    types.extend(names.iter().map(|n| (n.as_str(), worksheet.as_str())));
    ooxml::content_types(&types)
}

fn root_rels(custom: bool) -> String {
    let rel = |kind: &str| format!("{NS_OFFICE_RELS}/{kind}");
    let (document, app, custom_type) = (rel("officeDocument"), rel("extended-properties"), rel("custom-properties"));
    let mut rels: Vec<Relationship<'_>> = vec![
        ("rId1", &document, "xl/workbook.xml"),
        ("rId2", REL_CORE_PROPERTIES, "docProps/core.xml"),
        ("rId3", &app, "docProps/app.xml"),
    ];
    if custom {
        rels.push(("rId4", &custom_type, "docProps/custom.xml"));
    }
    relationships(&rels)
}

pub(super) fn core(p: &Properties) -> String {
    let mut x = Xml::sheet(1024);
    let w3cdtf: &[(&str, Value<'_>)] = &[("xsi:type", "dcterms:W3CDTF".into())];
    x.raw(DECLARATION)
        .open(
            "cp:coreProperties",
            &[
                ("xmlns:cp", NS_CORE_PROPERTIES.into()),
                ("xmlns:dc", NS_DC.into()),
                ("xmlns:dcterms", NS_DCTERMS.into()),
                ("xmlns:dcmitype", NS_DCMITYPE.into()),
                ("xmlns:xsi", NS_XSI.into()),
            ],
        )
        .text_element("dc:title", &[], &p.title)
        .text_element("dc:creator", &[], &p.author)
        .text_element("dcterms:created", w3cdtf, &p.created)
        .text_element("dcterms:modified", w3cdtf, &p.created)
        .close("cp:coreProperties");
    x.into_string()
}

pub(super) fn custom(props: &[(String, String)]) -> String {
    let mut x = Xml::sheet(512 + 256 * props.len());
    x.raw(DECLARATION).open("Properties", &[("xmlns", NS_CUSTOM_PROPERTIES.into()), ("xmlns:vt", NS_VT.into())]);
    for (i, (name, value)) in props.iter().enumerate() {
        x.open(
            "property",
            &[
                ("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}".into()),
                ("pid", (i + 2).into()),
                ("name", name.as_str().into()),
            ],
        )
        .text_element("vt:lpwstr", &[], value)
        .close("property");
    }
    x.close("Properties");
    x.into_string()
}

/// A cell style's place in the tables of `styles.xml`.
struct Xf {
    num: usize,
    font: usize,
    fill: usize,
    border: usize,
}

fn styles_xml(styles: &[Style]) -> String {
    let mut fonts: Vec<(&str, f64, bool)> = Vec::new();
    let mut fills: Vec<u32> = Vec::new();
    let mut formats: Vec<&str> = Vec::new();
    let mut xfs: Vec<Xf> = Vec::with_capacity(styles.len());
    for st in styles {
        let font_key = (st.font, st.size, st.bold);
        let font = fonts.iter().position(|f| *f == font_key).unwrap_or_else(|| {
            fonts.push(font_key);
            fonts.len() - 1
        });
        // Fills 0 and 1 are the two Excel requires (none, gray125).
        let fill = st.fill.map_or(0, |rgb| {
            2 + fills.iter().position(|f| *f == rgb).unwrap_or_else(|| {
                fills.push(rgb);
                fills.len() - 1
            })
        });
        let num = match st.num_format {
            "" | "General" => 0,
            "0" => 1,
            f => {
                164 + formats.iter().position(|x| *x == f).unwrap_or_else(|| {
                    formats.push(f);
                    formats.len() - 1
                })
            }
        };
        xfs.push(Xf { num, font, fill, border: usize::from(st.border) });
    }
    let mut x = Xml::sheet(4096);
    x.raw(DECLARATION).open("styleSheet", &[("xmlns", NS_SPREADSHEET.into())]);
    if !formats.is_empty() {
        x.open("numFmts", &[("count", formats.len().into())]);
        for (i, f) in formats.iter().enumerate() {
            x.empty("numFmt", &[("numFmtId", (164 + i).into()), ("formatCode", (*f).into())]);
        }
        x.close("numFmts");
    }
    x.open("fonts", &[("count", fonts.len().into())]);
    for &(name, size, bold) in &fonts {
        x.open("font", &[]);
        if bold {
            x.empty("b", &[]);
        }
        let name = if name.is_empty() { "Calibri" } else { name };
        x.empty("sz", &[("val", size.into())])
            .empty("name", &[("val", name.into())])
            .empty("family", &[("val", 2.into())]);
        if !name.is_ascii() {
            x.empty("charset", &[("val", 134.into())]);
        }
        x.close("font");
    }
    x.close("fonts").open("fills", &[("count", (fills.len() + 2).into())]);
    for pattern in ["none", "gray125"] {
        x.open("fill", &[]).empty("patternFill", &[("patternType", pattern.into())]).close("fill");
    }
    for rgb in &fills {
        let argb = format!("FF{rgb:06X}");
        x.open("fill", &[])
            .open("patternFill", &[("patternType", "solid".into())])
            .empty("fgColor", &[("rgb", argb.as_str().into())])
            .empty("bgColor", &[("indexed", 64.into())])
            .close("patternFill")
            .close("fill");
    }
    x.close("fills").open("borders", &[("count", 2.into())]).open("border", &[]);
    for side in ["left", "right", "top", "bottom", "diagonal"] {
        x.empty(side, &[]);
    }
    x.close("border").open("border", &[]);
    for side in ["left", "right", "top", "bottom"] {
        x.open(side, &[("style", "thin".into())]).empty("color", &[("auto", 1.into())]).close(side);
    }
    x.empty("diagonal", &[]).close("border").close("borders");
    x.open("cellStyleXfs", &[("count", 1.into())])
        .empty("xf", &[("numFmtId", 0.into()), ("fontId", 0.into()), ("fillId", 0.into()), ("borderId", 0.into())])
        .close("cellStyleXfs");
    x.open("cellXfs", &[("count", styles.len().into())]);
    for (st, xf) in styles.iter().zip(&xfs) {
        cell_xf(&mut x, st, xf);
    }
    x.close("cellXfs")
        .open("cellStyles", &[("count", 1.into())])
        .empty("cellStyle", &[("name", "Normal".into()), ("xfId", 0.into()), ("builtinId", 0.into())])
        .close("cellStyles")
        .empty("dxfs", &[("count", 0.into())])
        .empty("tableStyles", &[("count", 0.into())])
        .close("styleSheet");
    x.into_string()
}

/// One `<xf>` of `cellXfs`: the style's tables, its alignment and protection.
fn cell_xf(x: &mut Xml, st: &Style, xf: &Xf) {
    x.start("xf")
        .attr("numFmtId", xf.num)
        .attr("fontId", xf.font)
        .attr("fillId", xf.fill)
        .attr("borderId", xf.border)
        .attr("xfId", 0);
    for (id, apply) in
        [(xf.num, "applyNumberFormat"), (xf.font, "applyFont"), (xf.fill, "applyFill"), (xf.border, "applyBorder")]
    {
        if id != 0 {
            x.attr(apply, 1);
        }
    }
    let horizontal = match st.align {
        Align::General => None,
        Align::Left => Some("left"),
        Align::Center => Some("center"),
    };
    let vertical = match st.valign {
        VAlign::Bottom => None,
        VAlign::Center => Some("center"),
        VAlign::Top => Some("top"),
    };
    let aligned = horizontal.is_some() || vertical.is_some() || st.wrap;
    if !aligned && !st.unlocked {
        x.end_empty();
        return;
    }
    if aligned {
        x.attr("applyAlignment", 1);
    }
    if st.unlocked {
        x.attr("applyProtection", 1);
    }
    x.end_start();
    if aligned {
        x.start("alignment");
        if let Some(h) = horizontal {
            x.attr("horizontal", h);
        }
        if let Some(v) = vertical {
            x.attr("vertical", v);
        }
        if st.wrap {
            x.attr("wrapText", 1);
        }
        x.end_empty();
    }
    if st.unlocked {
        x.empty("protection", &[("locked", 0.into())]);
    }
    x.close("xf");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_made_once_are_those_of_their_own_key() {
        static MEMO: Made<u32> = OnceLock::new();
        let first = made_once(&MEMO, 1, |k| format!("<a n=\"{k}\"/>"));
        assert!(Arc::ptr_eq(&first, &made_once(&MEMO, 1, |_| String::from("made again"))));
        // More keys than are kept: each still gets its own part.
        for k in 2..40 {
            assert_eq!(&*made_once(&MEMO, k, |k| format!("<a n=\"{k}\"/>")), format!("<a n=\"{k}\"/>"));
        }
        assert_eq!(&*made_once(&MEMO, 39, |_| String::from("<b/>")), "<b/>");
        let [types, _, rels] = shape_parts(2, false);
        assert!(types.contains("/xl/worksheets/sheet2.xml") && !types.contains("sheet3") && !types.contains("custom"));
        assert!(rels.contains("worksheets/sheet2.xml") && !rels.contains("sheet3"));
        let [types, root, _] = shape_parts(3, true);
        assert!(types.contains("/xl/worksheets/sheet3.xml") && types.contains("/docProps/custom.xml"));
        assert!(root.contains("docProps/custom.xml"));
        let plain = styles_part(&[Style::DEFAULT]);
        let boxed = styles_part(&[Style::DEFAULT, Style::boxed(10.5)]);
        assert!(!plain.contains("宋体") && boxed.contains("<name val=\"宋体\"/>"));
    }
}
