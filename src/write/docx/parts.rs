//! The parts of the package around `document.xml`: its root element and section
//! properties, the styles, settings, font table, relationships and properties, and the zip.

use super::namespaces::DOCUMENT_NAMESPACES;
use super::paragraph::footer;
use super::styles::styles;
use crate::write::ooxml::{
    content_types, relationships, Package, Xml, APP_PROPERTIES, CT_CORE_PROPERTIES, DECLARATION, NS_CORE_PROPERTIES,
    NS_DC, NS_DCTERMS, NS_OFFICE_RELS, NS_WORDPROCESSING, NS_XSI, REL_CORE_PROPERTIES,
};
use crate::write::theme;
use std::sync::OnceLock;

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
            ("xmlns:cp", NS_CORE_PROPERTIES.into()),
            ("xmlns:dc", NS_DC.into()),
            ("xmlns:dcterms", NS_DCTERMS.into()),
            ("xmlns:xsi", NS_XSI.into()),
        ],
    );
    x.open("dc:title", &[]).plain_text(title).close("dc:title");
    x.text_element("dc:creator", &[], super::AUTHOR);
    x.close("cp:coreProperties");
    x.into_string()
}

fn settings() -> String {
    let mut x = Xml::new(512);
    x.raw(DECLARATION).open("w:settings", &[("xmlns:w", NS_WORDPROCESSING.into())]);
    x.empty("w:zoom", &[("w:percent", 100.into())]);
    x.empty("w:defaultTabStop", &[("w:val", 420.into())]);
    // Odd and even pages' footers differ (the page number outside).
    x.empty("w:evenAndOddHeaders", &[]);
    x.empty("w:characterSpacingControl", &[("w:val", "compressPunctuation".into())]);
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode".into()),
            ("w:uri", "http://schemas.microsoft.com/office/word".into()),
            ("w:val", 15.into()),
        ],
    );
    x.close("w:compat").close("w:settings");
    x.into_string()
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
    x.raw(DECLARATION).open("w:fonts", &[("xmlns:w", NS_WORDPROCESSING.into())]);
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

/// The parts that are the same in every report, made once a process.
struct Constant {
    types: String,
    root_rels: String,
    document_rels: String,
    styles: String,
    settings: String,
    font_table: String,
    footers: [String; 2],
}

fn constant() -> &'static Constant {
    static MADE: OnceLock<Constant> = OnceLock::new();
    MADE.get_or_init(|| {
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
            ("/docProps/core.xml", CT_CORE_PROPERTIES),
            ("/docProps/app.xml", &format!("{ct}.extended-properties+xml")),
        ]);
        let rel = |kind: &str| format!("{NS_OFFICE_RELS}/{kind}");
        let root_rels = relationships(&[
            ("rId1", &rel("officeDocument"), "word/document.xml"),
            ("rId2", REL_CORE_PROPERTIES, "docProps/core.xml"),
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
        Constant {
            types,
            root_rels,
            document_rels,
            styles: styles(),
            settings: settings(),
            font_table: font_table(),
            footers: [footer(true), footer(false)],
        }
    })
}

/// Zips the parts; fixed timestamps, so the same report gives the same bytes. Only
/// `document.xml` and the title differ from one report to the next.
pub(super) fn package(document: &str, title: &str) -> zip::result::ZipResult<Vec<u8>> {
    let c = constant();
    let mut p = Package::new(64 * 1024);
    p.part("[Content_Types].xml", c.types.as_bytes())?;
    p.part("_rels/.rels", c.root_rels.as_bytes())?;
    p.part("docProps/core.xml", core(title).as_bytes())?;
    p.part("docProps/app.xml", APP_PROPERTIES.as_bytes())?;
    p.part("word/_rels/document.xml.rels", c.document_rels.as_bytes())?;
    p.part("word/document.xml", document.as_bytes())?;
    p.part("word/styles.xml", c.styles.as_bytes())?;
    p.part("word/settings.xml", c.settings.as_bytes())?;
    p.part("word/fontTable.xml", c.font_table.as_bytes())?;
    p.part("word/theme/theme1.xml", theme::theme().as_bytes())?;
    p.part("word/footer1.xml", c.footers[0].as_bytes())?;
    p.part("word/footer2.xml", c.footers[1].as_bytes())?;
    p.finish()
}
