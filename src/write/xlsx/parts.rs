//! The XML parts of the package: worksheets, shared strings, workbook, relationships,
//! content types, document properties and styles.

use super::text::{abs_range, cell_ref, escape, escape_into, number_text, quoted, range_ref, stored_width};
use super::{Content, Properties, XSheet};
use crate::number::push_int;
use crate::write::ooxml::{self, relationships, Relationship};
use crate::write::sheet::{Align, Style, VAlign};
use std::fmt::Write as _;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A settled sheet's XML.
pub(super) fn sheet_xml(sh: &XSheet, map: &[u16], strings: &[u32], selected: bool, out: &mut String) {
    let cells = &sh.cells;
    let mut heights = sh.heights.clone();
    heights.sort_by_key(|h| h.0);
    let mut widths = sh.widths.clone();
    widths.sort_by_key(|w| w.0);

    out.push_str(HEAD);
    let _ = write!(out, "<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">");
    if sh.page.is_some() {
        out.push_str("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    }
    let (max_r, max_c) = cells.iter().fold((0, 0), |(r, c), x| (r.max(x.row), c.max(x.col)));
    out.push_str("<dimension ref=\"");
    if cells.is_empty() {
        out.push_str("A1");
    } else {
        let min_c = cells.iter().map(|c| c.col).min().unwrap_or(0);
        range_ref(out, cells[0].row, min_c, max_r, max_c);
    }
    out.push_str("\"/><sheetViews><sheetView ");
    if selected {
        out.push_str("tabSelected=\"1\" ");
    }
    out.push_str("workbookViewId=\"0\"");
    if sh.freeze_rows > 0 {
        out.push_str("><pane ySplit=\"");
        let _ = write!(out, "{}", sh.freeze_rows);
        out.push_str("\" topLeftCell=\"");
        cell_ref(out, sh.freeze_rows, 0);
        out.push_str("\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>");
    } else {
        out.push_str("/>");
    }
    out.push_str("</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    if !widths.is_empty() {
        out.push_str("<cols>");
        for (c, w) in &widths {
            let _ = write!(
                out,
                "<col min=\"{n}\" max=\"{n}\" width=\"{}\" customWidth=\"1\"/>",
                stored_width(*w),
                n = c + 1
            );
        }
        out.push_str("</cols>");
    }
    out.push_str("<sheetData>");
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
        out.push_str("<row r=\"");
        push_int(out, i64::from(row) + 1);
        out.push('"');
        if next_height == Some(row) {
            if let Some((_, ht)) = h.next() {
                let _ = write!(out, " ht=\"{ht}\" customHeight=\"1\"");
            }
        }
        out.push('>');
        while let Some(c) = cells.get(i).filter(|c| c.row == row) {
            out.push_str("<c r=\"");
            cell_ref(out, c.row, c.col);
            out.push('"');
            let s = map.get(usize::from(c.style)).copied().unwrap_or(0);
            if s != 0 {
                out.push_str(" s=\"");
                push_int(out, i64::from(s));
                out.push('"');
            }
            match &c.content {
                Content::Text(t) => {
                    out.push_str(" t=\"s\"><v>");
                    push_int(out, i64::from(strings.get(*t as usize).copied().unwrap_or(0)));
                    out.push_str("</v></c>");
                }
                Content::Number(n) => {
                    out.push_str("><v>");
                    number_text(out, *n);
                    out.push_str("</v></c>");
                }
                Content::Blank => out.push_str("/>"),
                Content::Formula(f, n) => {
                    out.push_str("><f>");
                    escape_into(out, f);
                    out.push_str("</f><v>");
                    number_text(out, *n);
                    out.push_str("</v></c>");
                }
            }
            i += 1;
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData>");
    if let Some((r0, c0, r1, c1)) = sh.filter {
        out.push_str("<autoFilter ref=\"");
        range_ref(out, r0, c0, r1, c1);
        out.push_str("\"/>");
    }
    if !sh.merges.is_empty() {
        let _ = write!(out, "<mergeCells count=\"{}\">", sh.merges.len());
        for &(r0, c0, r1, c1) in &sh.merges {
            out.push_str("<mergeCell ref=\"");
            range_ref(out, r0, c0, r1, c1);
            out.push_str("\"/>");
        }
        out.push_str("</mergeCells>");
    }
    let page = sh.page.unwrap_or_default();
    if page.center {
        out.push_str("<printOptions horizontalCentered=\"1\"/>");
    }
    let [l, r, t, b, hd, ft] = page.margins.unwrap_or([0.7, 0.7, 0.75, 0.75, 0.3, 0.3]);
    let _ = write!(
        out,
        "<pageMargins left=\"{l}\" right=\"{r}\" top=\"{t}\" bottom=\"{b}\" header=\"{hd}\" footer=\"{ft}\"/>"
    );
    if sh.page.is_some() {
        let _ = write!(
            out,
            "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"{}\"/>",
            if page.landscape { "landscape" } else { "portrait" }
        );
    }
    out.push_str("</worksheet>");
}

pub(super) fn shared_strings(sst: &[&str], uses: usize, out: &mut String) {
    let _ = write!(out, "{HEAD}<sst xmlns=\"{MAIN_NS}\" count=\"{uses}\" uniqueCount=\"{}\">", sst.len());
    for t in sst {
        let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
        if edge(t.chars().next()) || edge(t.chars().next_back()) {
            out.push_str("<si><t xml:space=\"preserve\">");
        } else {
            out.push_str("<si><t>");
        }
        escape_into(out, t);
        out.push_str("</t></si>");
    }
    out.push_str("</sst>");
}

pub(super) fn workbook(sheets: &[XSheet]) -> String {
    let mut s = format!(
        "{HEAD}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><workbookPr/><bookViews><workbookView/></bookViews><sheets>"
    );
    for (i, sh) in sheets.iter().enumerate() {
        let _ = write!(s, "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>", escape(&sh.name), n = i + 1);
    }
    s.push_str("</sheets>");
    let mut names = String::new();
    for (i, sh) in sheets.iter().enumerate() {
        if let Some((r0, c0, r1, c1)) = sh.filter {
            let _ = write!(
                names,
                "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">{}!{}</definedName>",
                escape(&quoted(&sh.name)),
                abs_range(r0, c0, r1, c1)
            );
        }
        if let Some((r0, c0, r1, c1)) = sh.page.and_then(|p| p.print_area) {
            let _ = write!(
                names,
                "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"{i}\">{}!{}</definedName>",
                escape(&quoted(&sh.name)),
                abs_range(r0, c0, r1, c1)
            );
        }
        if let Some((a, b)) = sh.page.and_then(|p| p.repeat_rows) {
            let _ = write!(
                names,
                "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">{}!${}:${}</definedName>",
                escape(&quoted(&sh.name)),
                a + 1,
                b + 1
            );
        }
    }
    if !names.is_empty() {
        let _ = write!(s, "<definedNames>{names}</definedNames>");
    }
    s.push_str("<calcPr calcId=\"191029\"/></workbook>");
    s
}

pub(super) fn workbook_rels(n: usize) -> String {
    let rel = |kind: &str| format!("{REL_NS}/{kind}");
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

pub(super) fn content_types(sheets: usize, custom: bool) -> String {
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
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", &app),
    ];
    if custom {
        types.push(("/docProps/custom.xml", &custom_type));
    }
    let names: Vec<String> = (1..=sheets).map(|i| format!("/xl/worksheets/sheet{i}.xml")).collect();
    types.extend(names.iter().map(|n| (n.as_str(), worksheet.as_str())));
    ooxml::content_types(&types)
}

pub(super) fn root_rels(custom: bool) -> String {
    let rel = |kind: &str| format!("{REL_NS}/{kind}");
    let (document, app, custom_type) = (rel("officeDocument"), rel("extended-properties"), rel("custom-properties"));
    let core = format!("{PKG_REL_NS}/metadata/core-properties");
    let mut rels: Vec<Relationship<'_>> = vec![
        ("rId1", &document, "xl/workbook.xml"),
        ("rId2", &core, "docProps/core.xml"),
        ("rId3", &app, "docProps/app.xml"),
    ];
    if custom {
        rels.push(("rId4", &custom_type, "docProps/custom.xml"));
    }
    relationships(&rels)
}

pub(super) const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
    "<Application>nianbao ",
    env!("CARGO_PKG_VERSION"),
    "</Application></Properties>"
);

pub(super) fn core(p: &Properties) -> String {
    format!(
        "{HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">{c}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{c}</dcterms:modified></cp:coreProperties>",
        escape(&p.title),
        escape(&p.author),
        c = escape(&p.created)
    )
}

pub(super) fn custom(props: &[(String, String)]) -> String {
    let mut s = format!(
        "{HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    );
    for (i, (name, value)) in props.iter().enumerate() {
        let _ = write!(
            s,
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{}\"><vt:lpwstr>{}</vt:lpwstr></property>",
            i + 2,
            escape(name),
            escape(value)
        );
    }
    s.push_str("</Properties>");
    s
}

pub(super) fn styles_xml(styles: &[Style]) -> String {
    let mut fonts: Vec<(&str, f64, bool)> = Vec::new();
    let mut fills: Vec<u32> = Vec::new();
    let mut formats: Vec<&str> = Vec::new();
    let mut xfs = String::new();
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
        let border = usize::from(st.border);
        let _ = write!(
            xfs,
            "<xf numFmtId=\"{num}\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"{border}\" xfId=\"0\"{}{}{}{}",
            if num != 0 { " applyNumberFormat=\"1\"" } else { "" },
            if font != 0 { " applyFont=\"1\"" } else { "" },
            if fill != 0 { " applyFill=\"1\"" } else { "" },
            if border != 0 { " applyBorder=\"1\"" } else { "" },
        );
        let mut align = String::new();
        match st.align {
            Align::General => {}
            Align::Left => align.push_str(" horizontal=\"left\""),
            Align::Center => align.push_str(" horizontal=\"center\""),
        }
        match st.valign {
            VAlign::Bottom => {}
            VAlign::Center => align.push_str(" vertical=\"center\""),
            VAlign::Top => align.push_str(" vertical=\"top\""),
        }
        if st.wrap {
            align.push_str(" wrapText=\"1\"");
        }
        if align.is_empty() && !st.unlocked {
            xfs.push_str("/>");
            continue;
        }
        if !align.is_empty() {
            xfs.push_str(" applyAlignment=\"1\"");
        }
        if st.unlocked {
            xfs.push_str(" applyProtection=\"1\"");
        }
        xfs.push('>');
        if !align.is_empty() {
            let _ = write!(xfs, "<alignment{align}/>");
        }
        if st.unlocked {
            xfs.push_str("<protection locked=\"0\"/>");
        }
        xfs.push_str("</xf>");
    }
    let mut s = format!("{HEAD}<styleSheet xmlns=\"{MAIN_NS}\">");
    if !formats.is_empty() {
        let _ = write!(s, "<numFmts count=\"{}\">", formats.len());
        for (i, f) in formats.iter().enumerate() {
            let _ = write!(s, "<numFmt numFmtId=\"{}\" formatCode=\"{}\"/>", 164 + i, escape(f));
        }
        s.push_str("</numFmts>");
    }
    let _ = write!(s, "<fonts count=\"{}\">", fonts.len());
    for (name, size, bold) in &fonts {
        s.push_str("<font>");
        if *bold {
            s.push_str("<b/>");
        }
        let _ = write!(s, "<sz val=\"{size}\"/>");
        let name = if name.is_empty() { "Calibri" } else { name };
        let _ = write!(s, "<name val=\"{}\"/><family val=\"2\"/>", escape(name));
        if !name.is_ascii() {
            s.push_str("<charset val=\"134\"/>");
        }
        s.push_str("</font>");
    }
    let _ = write!(
        s,
        "</fonts><fills count=\"{}\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>",
        fills.len() + 2
    );
    for rgb in &fills {
        let _ = write!(
            s,
            "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF{rgb:06X}\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        );
    }
    s.push_str("</fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>");
    s.push_str(
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    );
    let _ = write!(s, "<cellXfs count=\"{}\">{xfs}</cellXfs>", styles.len());
    s.push_str("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>");
    s
}
