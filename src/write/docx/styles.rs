//! `word/styles.xml`: the document defaults (仿宋_GB2312 三号, Chinese language, no spacing
//! between paragraphs), Normal, the table text style with its smaller sizes, and the two
//! default styles Word expects.

use super::table::{TextSize, SIZES};
use super::{FANGSONG, LATIN, SIZE_BODY, SONGTI};
use crate::write::ooxml::{Value, Xml, DECLARATION, NS_WORDPROCESSING};

pub(super) fn styles() -> String {
    let mut x = Xml::new(4096);
    x.raw(DECLARATION).open("w:styles", &[("xmlns:w", NS_WORDPROCESSING.into())]);
    defaults(&mut x);
    style(&mut x, "paragraph", ("w:default", "Normal"), "Normal");
    x.empty("w:qFormat", &[]);
    x.open("w:pPr", &[]).empty("w:widowControl", &[("w:val", 0.into())]).close("w:pPr");
    x.close("w:style");
    table_text(&mut x, &SIZES[0]);
    for t in &SIZES[1..] {
        smaller_table_text(&mut x, t);
    }
    style(&mut x, "character", ("w:default", "DefaultParagraphFont"), "Default Paragraph Font");
    x.empty("w:uiPriority", &[("w:val", 1.into())]).empty("w:semiHidden", &[]).close("w:style");
    style(&mut x, "table", ("w:default", "TableNormal"), "Normal Table");
    x.empty("w:uiPriority", &[("w:val", 99.into())]).empty("w:semiHidden", &[]);
    x.open("w:tblPr", &[]).empty("w:tblInd", &twips(0)).open("w:tblCellMar", &[]);
    for (side, w) in [("w:top", 0), ("w:left", 108), ("w:bottom", 0), ("w:right", 108)] {
        x.empty(side, &twips(w));
    }
    x.close("w:tblCellMar").close("w:tblPr").close("w:style");
    x.close("w:styles");
    x.into_string()
}

/// `w:docDefaults`: the run and paragraph properties every style starts from.
fn defaults(x: &mut Xml) {
    x.open("w:docDefaults", &[]).open("w:rPrDefault", &[]).open("w:rPr", &[]);
    fonts(x, LATIN, FANGSONG);
    x.empty("w:kern", &[("w:val", 2.into())]);
    size(x, SIZE_BODY);
    x.empty("w:lang", &[("w:val", "en-US".into()), ("w:eastAsia", "zh-CN".into()), ("w:bidi", "ar-SA".into())]);
    x.close("w:rPr").close("w:rPrDefault");
    x.open("w:pPrDefault", &[]).open("w:pPr", &[]);
    x.empty("w:spacing", &[("w:before", 0.into()), ("w:after", 0.into())]);
    x.empty("w:jc", &[("w:val", "both".into())]);
    x.close("w:pPr").close("w:pPrDefault").close("w:docDefaults");
}

/// The table text style, on Normal: 宋体, centred, exact lines, off the document grid.
fn table_text(x: &mut Xml, t: &TextSize) {
    style(x, "paragraph", ("w:customStyle", t.style), t.name);
    x.empty("w:basedOn", &[("w:val", "Normal".into())]).empty("w:qFormat", &[]);
    x.open("w:pPr", &[]).empty("w:snapToGrid", &[("w:val", 0.into())]);
    exact_lines(x, t.line);
    x.empty("w:jc", &[("w:val", "center".into())]).close("w:pPr");
    x.open("w:rPr", &[]);
    fonts(x, SONGTI, SONGTI);
    size(x, t.font);
    x.close("w:rPr").close("w:style");
}

/// A smaller size of table text: the table style with its own font size and lines.
fn smaller_table_text(x: &mut Xml, t: &TextSize) {
    style(x, "paragraph", ("w:customStyle", t.style), t.name);
    x.empty("w:basedOn", &[("w:val", SIZES[0].style.into())]).empty("w:qFormat", &[]);
    x.open("w:pPr", &[]);
    exact_lines(x, t.line);
    x.close("w:pPr").open("w:rPr", &[]);
    size(x, t.font);
    x.close("w:rPr").close("w:style");
}

/// Opens a style and writes its name: `kind` `w:default="1"` or `w:customStyle="1"` (the
/// flag of `(flag, id)`).
fn style(x: &mut Xml, kind: &str, (flag, id): (&str, &str), name: &str) {
    x.open("w:style", &[("w:type", kind.into()), (flag, 1.into()), ("w:styleId", id.into())]);
    x.empty("w:name", &[("w:val", name.into())]);
}

fn fonts(x: &mut Xml, latin: &str, east_asia: &str) {
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", latin.into()),
            ("w:hAnsi", latin.into()),
            ("w:eastAsia", east_asia.into()),
            ("w:cs", latin.into()),
        ],
    );
}

/// Font size in half-points, for Latin and complex scripts alike.
fn size(x: &mut Xml, half_points: i32) {
    x.empty("w:sz", &[("w:val", half_points.into())]).empty("w:szCs", &[("w:val", half_points.into())]);
}

fn exact_lines(x: &mut Xml, twips: i32) {
    x.empty(
        "w:spacing",
        &[("w:before", 0.into()), ("w:after", 0.into()), ("w:line", twips.into()), ("w:lineRule", "exact".into())],
    );
}

/// A width in twips (`dxa`).
fn twips(w: i32) -> [(&'static str, Value<'static>); 2] {
    [("w:w", w.into()), ("w:type", "dxa".into())]
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
