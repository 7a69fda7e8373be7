//! The parts of the package around `document.xml`: its root element and section
//! properties, the styles, settings, font table, relationships and properties, and the zip.

use super::namespaces::{DOCUMENT_NAMESPACES, W_NS};
use super::table::{TextSize, SIZES};
use crate::write::ooxml::{content_types, relationships, Package, Xml, DECLARATION, NS_OFFICE_RELS};
use crate::write::theme;

/// The relationship ids of the odd (default) and even pages' footers in the section
/// properties and `document.xml.rels`.
const FOOTER_ID: &str = "rIdFooter1";
const FOOTER_EVEN_ID: &str = "rIdFooter2";

/// Opens `document.xml` up to and including `<w:body>`.
pub(super) fn document_start(x: &mut Xml) {
    x.raw(DECLARATION.trim_end());
    x.open("w:document", DOCUMENT_NAMESPACES).open("w:body", &[]);
}

/// The section properties (A4, the margins of GB/T 9704, the footer) and the document's end.
pub(super) fn document_end(x: &mut Xml) {
    use super::{BOTTOM, LEFT, PAGE_H, PAGE_W, RIGHT, TOP};
    x.open("w:sectPr", &[]);
    x.empty("w:footerReference", &[("w:type", "even".into()), ("r:id", FOOTER_EVEN_ID.into())]);
    x.empty("w:footerReference", &[("w:type", "default".into()), ("r:id", FOOTER_ID.into())]);
    x.empty("w:pgSz", &[("w:w", PAGE_W.into()), ("w:h", PAGE_H.into())]);
    x.empty(
        "w:pgMar",
        &[
            ("w:top", TOP.into()),
            ("w:right", RIGHT.into()),
            ("w:bottom", BOTTOM.into()),
            ("w:left", LEFT.into()),
            ("w:header", 851.into()),
            ("w:footer", 992.into()),
            ("w:gutter", 0.into()),
        ],
    );
    x.empty("w:cols", &[("w:space", 425.into()), ("w:num", 1.into())]);
    // 22 lines to the page (GB/T 9704); the 28 characters a line come from the body's
    // character spacing (`paragraph`), which LibreOffice honours as Word does.
    x.empty("w:docGrid", &[("w:type", "lines".into()), ("w:linePitch", super::LINE_BODY.into())]);
    x.close("w:sectPr").close("w:body").close("w:document");
}

fn core(title: &str) -> String {
    let mut x = Xml::new(1024);
    x.raw(DECLARATION);
    x.open(
        "cp:coreProperties",
        &[
            ("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties".into()),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/".into()),
            ("xmlns:dcterms", "http://purl.org/dc/terms/".into()),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance".into()),
        ],
    );
    x.open("dc:title", &[]).plain_text(title).close("dc:title");
    x.text_element("dc:creator", &[], "nianbao");
    x.close("cp:coreProperties");
    x.into_string()
}

fn app() -> String {
    let mut x = Xml::new(512);
    x.raw(DECLARATION);
    x.open(
        "Properties",
        &[("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties".into())],
    );
    x.text_element("Application", &[], concat!("nianbao ", env!("CARGO_PKG_VERSION")));
    x.close("Properties");
    x.into_string()
}

/// Defaults: 仿宋_GB2312 三号, Chinese language, no spacing between paragraphs.
fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="{table}"><w:name w:val="{table_name}"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{table_line}" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/><w:sz w:val="{table_size}"/><w:szCs w:val="{table_size}"/></w:rPr></w:style>{sizes}<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
        table = SIZES[0].style,
        table_name = SIZES[0].name,
        table_line = SIZES[0].line,
        table_size = SIZES[0].font,
        sizes = SIZES[1..].iter().map(size_style).collect::<String>(),
    )
}

/// A smaller size of table text: the table style with its own font size and lines.
fn size_style(t: &TextSize) -> String {
    format!(
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="{base}"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="{font}"/><w:szCs w:val="{font}"/></w:rPr></w:style>"#,
        id = t.style,
        name = t.name,
        base = SIZES[0].style,
        line = t.line,
        font = t.font,
    )
}

fn settings() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// The fonts with their usual substitutes (`altName`), PANOSE class and the GB2312 charset,
/// so Word and WPS pick 仿宋, 楷体 or 宋体 for a GB2312 font the machine lacks (Windows 10/11
/// ship none of them) rather than a Latin font. The PANOSE numbers are those Word writes
/// for these fonts; 方正小标宋简体 takes 宋体's, the face to fall back to.
fn font_table() -> String {
    let fonts = [
        ("仿宋_GB2312", Some("仿宋"), "02010609030101010101", "86", "modern", "fixed"),
        ("楷体_GB2312", Some("楷体"), "02010609030101010101", "86", "modern", "fixed"),
        ("黑体", Some("SimHei"), "02010609060101010101", "86", "modern", "fixed"),
        ("宋体", Some("SimSun"), "02010600030101010101", "86", "auto", "variable"),
        ("方正小标宋简体", Some("宋体"), "02010600030101010101", "86", "auto", "variable"),
        ("Times New Roman", None, "02020603050405020304", "00", "roman", "variable"),
    ];
    let mut x = Xml::new(2048);
    x.raw(DECLARATION).open("w:fonts", &[("xmlns:w", W_NS.into())]);
    for (name, alt, panose, charset, family, pitch) in fonts {
        x.open("w:font", &[("w:name", name.into())]);
        if let Some(a) = alt {
            x.empty("w:altName", &[("w:val", a.into())]);
        }
        // CT_Font's order: altName, panose1, charset, family, pitch.
        x.empty("w:panose1", &[("w:val", panose.into())]);
        x.empty("w:charset", &[("w:val", charset.into())]);
        x.empty("w:family", &[("w:val", family.into())]);
        x.empty("w:pitch", &[("w:val", pitch.into())]);
        x.close("w:font");
    }
    x.close("w:fonts");
    x.into_string()
}

/// Zips the parts; fixed timestamps, so the same report gives the same bytes.
pub(super) fn package(document: &str, footers: [&str; 2], title: &str) -> zip::result::ZipResult<Vec<u8>> {
    let ct = "application/vnd.openxmlformats-officedocument";
    let word = |kind: &str| format!("{ct}.wordprocessingml.{kind}+xml");
    let types = content_types(&[
        ("/word/document.xml", &word("document.main")),
        ("/word/styles.xml", &word("styles")),
        ("/word/settings.xml", &word("settings")),
        ("/word/fontTable.xml", &word("fontTable")),
        ("/word/footer1.xml", &word("footer")),
        ("/word/footer2.xml", &word("footer")),
        ("/word/theme/theme1.xml", &format!("{ct}.theme+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", &format!("{ct}.extended-properties+xml")),
    ]);
    let rel = |kind: &str| format!("{NS_OFFICE_RELS}/{kind}");
    let root_rels = relationships(&[
        ("rId1", &rel("officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        ("rId3", &rel("extended-properties"), "docProps/app.xml"),
    ]);
    let document_rels = relationships(&[
        ("rId1", &rel("styles"), "styles.xml"),
        ("rId2", &rel("settings"), "settings.xml"),
        ("rId3", &rel("fontTable"), "fontTable.xml"),
        ("rId4", &rel("theme"), "theme/theme1.xml"),
        (FOOTER_ID, &rel("footer"), "footer1.xml"),
        (FOOTER_EVEN_ID, &rel("footer"), "footer2.xml"),
    ]);
    let mut p = Package::new(64 * 1024);
    p.part("[Content_Types].xml", types.as_bytes())?;
    p.part("_rels/.rels", root_rels.as_bytes())?;
    p.part("docProps/core.xml", core(title).as_bytes())?;
    p.part("docProps/app.xml", app().as_bytes())?;
    p.part("word/_rels/document.xml.rels", document_rels.as_bytes())?;
    p.part("word/document.xml", document.as_bytes())?;
    p.part("word/styles.xml", styles().as_bytes())?;
    p.part("word/settings.xml", settings().as_bytes())?;
    p.part("word/fontTable.xml", font_table().as_bytes())?;
    p.part("word/theme/theme1.xml", theme::theme().as_bytes())?;
    p.part("word/footer1.xml", footers[0].as_bytes())?;
    p.part("word/footer2.xml", footers[1].as_bytes())?;
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_text_size_is_a_style_on_the_table_style() {
        let s = styles();
        assert!(
            s.contains("w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/>"),
            "{s}"
        );
        assert!(s.contains(
            "w:line=\"300\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"宋体\""
        ));
        for (id, name, font, line) in
            [("TableText5", "五号", 21, 280), ("TableTextSmall5", "小五", 18, 230), ("TableText6", "六号", 15, 200)]
        {
            let style = format!(
                "w:styleId=\"{id}\"><w:name w:val=\"Table Text {name}\"/><w:basedOn w:val=\"TableText\"/><w:qFormat/><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{line}\" w:lineRule=\"exact\"/></w:pPr><w:rPr><w:sz w:val=\"{font}\"/><w:szCs w:val=\"{font}\"/></w:rPr></w:style>"
            );
            assert!(s.contains(&style), "{id}: {s}");
        }
    }
}
