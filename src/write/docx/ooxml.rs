//! The package around the body docx-rs builds: its XML put in the schema's element order
//! (docx-rs writes `w:pPr`/`w:rPr` children out of order, which strict validators and Word's
//! repair check reject), and our own styles, settings, font table, theme and properties.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Child order of the property elements (ECMA-376 Part 1, transitional schema).
const ORDERS: [(&str, &[&str]); 6] = [
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:rPr",
        &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
    ),
    (
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
    ),
    (
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
    ),
    (
        "w:sectPr",
        &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
    ),
    ("w:tblCellMar", &["w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right"]),
];

/// A node of the XML docx-rs wrote, borrowed from it: an element with its opening tag kept
/// verbatim, or anything else (text, declaration) kept verbatim.
enum Node<'a> {
    El { name: &'a str, open: &'a str, kids: Vec<Node<'a>>, empty: bool },
    Raw(&'a str),
}

fn name_of<'a>(node: &Node<'a>) -> &'a str {
    match node {
        Node::El { name, .. } => name,
        Node::Raw(_) => "",
    }
}

/// The end of a tag starting at `<`, honouring quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

type Open<'a> = (&'a str, &'a str, Vec<Node<'a>>);

fn parse(xml: &str) -> Vec<Node<'_>> {
    let mut stack: Vec<Open<'_>> = vec![("", "", Vec::new())];
    let mut rest = xml;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let Some(end) = tag_end(rest) else { break };
            let tag = &rest[..=end];
            rest = &rest[end + 1..];
            let inner = &tag[1..tag.len() - 1];
            if inner.starts_with('?') || inner.starts_with('!') {
                push(&mut stack, Node::Raw(tag));
            } else if inner.starts_with('/') {
                if stack.len() > 1 {
                    if let Some((name, open, kids)) = stack.pop() {
                        push(&mut stack, Node::El { name, open, kids, empty: false });
                    }
                }
            } else {
                let name = inner.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
                if inner.ends_with('/') {
                    push(&mut stack, Node::El { name, open: tag, kids: Vec::new(), empty: true });
                } else {
                    stack.push((name, tag, Vec::new()));
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            push(&mut stack, Node::Raw(&rest[..end]));
            rest = &rest[end..];
        }
    }
    while stack.len() > 1 {
        if let Some((name, open, kids)) = stack.pop() {
            push(&mut stack, Node::El { name, open, kids, empty: false });
        }
    }
    stack.pop().map(|(_, _, kids)| kids).unwrap_or_default()
}

fn push<'a>(stack: &mut [Open<'a>], node: Node<'a>) {
    if let Some(top) = stack.last_mut() {
        top.2.push(node);
    }
}

fn reorder(nodes: &mut [Node<'_>], parent: &str) {
    if let Some((_, order)) = ORDERS.iter().find(|(n, _)| *n == parent) {
        let rank = |n: &Node<'_>| order.iter().position(|o| *o == name_of(n)).unwrap_or(order.len());
        nodes.sort_by_key(rank);
    }
    for n in nodes.iter_mut() {
        if let Node::El { name, kids, .. } = n {
            reorder(kids, name);
        }
    }
}

fn write(nodes: &[Node<'_>], out: &mut String) {
    for n in nodes {
        match n {
            Node::Raw(s) => out.push_str(s),
            Node::El { name, open, kids, empty } => {
                write_tag(name, open, out);
                if !empty {
                    write(kids, out);
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
        }
    }
}

/// Writes an opening tag without what the schema does not allow or what makes output differ
/// between runs: `w:type` on `w:gridCol`, and the per-thread counter `w14:paraId`.
fn write_tag(name: &str, open: &str, out: &mut String) {
    match name {
        "w:gridCol" => out.push_str(&open.replace(" w:type=\"dxa\"", "")),
        "w:p" => match open.find(" w14:paraId=\"") {
            Some(at) => {
                let from = at + " w14:paraId=\"".len();
                let to = open[from..].find('"').map_or(open.len(), |len| from + len + 1);
                out.push_str(&open[..at]);
                out.push_str(&open[to..]);
            }
            None => out.push_str(open),
        },
        // Header rows are the only rows built with cantSplit (docx-rs has no tblHeader).
        "w:cantSplit" => {
            out.push_str(open);
            out.push_str("<w:tblHeader />");
        }
        _ => out.push_str(open),
    }
}

/// A part as docx-rs wrote it, in schema order and without per-run differences.
pub fn normalize(xml: &str) -> String {
    let mut nodes = parse(xml);
    reorder(&mut nodes, "");
    let mut out = String::with_capacity(xml.len());
    write(&nodes, &mut out);
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn content_types() -> String {
    let ct = "application/vnd.openxmlformats-officedocument";
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{ct}.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{ct}.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{ct}.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="{ct}.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="{ct}.wordprocessingml.footer+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="{ct}.theme+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="{ct}.extended-properties+xml"/></Types>"#
    )
}

fn root_rels() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    )
}

fn document_rels() -> String {
    // rIdFooter1 is the id docx-rs writes in the section's footerReference.
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{REL_NS}/settings" Target="settings.xml"/><Relationship Id="rId3" Type="{REL_NS}/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="{REL_NS}/theme" Target="theme/theme1.xml"/><Relationship Id="rIdFooter1" Type="{REL_NS}/footer" Target="footer1.xml"/></Relationships>"#
    )
}

fn core(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>nianbao</dc:creator></cp:coreProperties>"#,
        escape(title)
    )
}

fn app() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>nianbao {}</Application></Properties>"#,
        env!("CARGO_PKG_VERSION")
    )
}

/// Defaults: 仿宋_GB2312 三号, Chinese language, no spacing between paragraphs.
fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="{table_line}" w:lineRule="exact"/></w:pPr><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/><w:sz w:val="{table_size}"/><w:szCs w:val="{table_size}"/></w:rPr></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
        table_line = super::LINE_TABLE,
        table_size = super::SIZE_TABLE,
    )
}

fn settings() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// The fonts with their usual substitutes (`altName`) and the GB2312 charset, so Word
/// picks 仿宋 for 仿宋_GB2312 where the latter is not installed.
fn font_table() -> String {
    let fonts = [
        ("仿宋_GB2312", Some("仿宋"), "86", "modern", "fixed"),
        ("楷体_GB2312", Some("楷体"), "86", "modern", "fixed"),
        ("黑体", Some("SimHei"), "86", "modern", "fixed"),
        ("宋体", Some("SimSun"), "86", "auto", "variable"),
        ("方正小标宋简体", Some("宋体"), "86", "auto", "variable"),
        ("Times New Roman", None, "00", "roman", "variable"),
    ];
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W_NS}">"#
    );
    for (name, alt, charset, family, pitch) in fonts {
        s.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if let Some(a) = alt {
            s.push_str(&format!(r#"<w:altName w:val="{a}"/>"#));
        }
        s.push_str(&format!(
            r#"<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>"#
        ));
    }
    s.push_str("</w:fonts>");
    s
}

/// Zips the parts; fixed timestamps, so the same report gives the same bytes.
pub fn package(document: &str, footer: &str, title: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::default());
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", root_rels()),
        ("docProps/core.xml", core(title)),
        ("docProps/app.xml", app()),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/document.xml", document.to_string()),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/fontTable.xml", font_table()),
        ("word/theme/theme1.xml", super::super::theme::theme()),
    ];
    // Setting up a deflater costs more than the few bytes it saves on the small parts.
    let stored = opts.compression_method(CompressionMethod::Stored).compression_level(None);
    for (name, body) in parts.iter() {
        z.start_file(*name, if body.len() > 16 * 1024 { opts } else { stored })?;
        z.write_all(body.as_bytes())?;
    }
    z.start_file("word/footer1.xml", stored)?;
    z.write_all(footer.as_bytes())?;
    Ok(z.finish()?.into_inner())
}
