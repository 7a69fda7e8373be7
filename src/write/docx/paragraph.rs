//! The paragraph kinds of the report, each written straight into `document.xml` with its
//! properties in schema order: title, body, heading, a body line opening with a sub-head,
//! and the footer's page number.

use super::XIAOBIAOSONG;
use super::{FANGSONG, HEITI, INDENT_2CH, KAITI, LATIN, LINE_BODY, SIZE_BODY, SIZE_PAGE_NUM, SIZE_TITLE, SONGTI};
use crate::write::ooxml::{Xml, DECLARATION};

/// The properties of a paragraph (`w:pPr`), in the schema's order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Props {
    /// A paragraph style of `styles.xml`.
    pub style: Option<&'static str>,
    /// Kept on the page of the next paragraph.
    pub keep_next: bool,
    /// Exact line spacing: (before, after, line), in twips.
    pub spacing: Option<(i32, i32, i32)>,
    /// First-line indent, in twips.
    pub first_line: Option<i32>,
    /// `both`, `center` or `left`.
    pub align: &'static str,
}

impl Props {
    pub fn write(&self, x: &mut Xml) {
        x.open("w:pPr", &[]);
        if let Some(style) = self.style {
            x.empty("w:pStyle", &[("w:val", style.into())]);
        }
        if self.keep_next {
            x.empty("w:keepNext", &[]);
        }
        if let Some((before, after, line)) = self.spacing {
            x.empty(
                "w:spacing",
                &[
                    ("w:before", before.into()),
                    ("w:after", after.into()),
                    ("w:line", line.into()),
                    ("w:lineRule", "exact".into()),
                ],
            );
        }
        if let Some(first) = self.first_line {
            x.empty("w:ind", &[("w:left", 0.into()), ("w:right", 0.into()), ("w:firstLine", first.into())]);
        }
        x.empty("w:jc", &[("w:val", self.align.into())]);
        // The paragraph mark's run properties: none of its own.
        x.empty("w:rPr", &[]);
        x.close("w:pPr");
    }
}

/// A run's font and size (half-points); `None` for the paragraph style's.
pub(super) type Font = Option<(&'static str, i32)>;

fn run_props(x: &mut Xml, font: Font) {
    let Some((east_asia, size)) = font else {
        x.empty("w:rPr", &[]);
        return;
    };
    // Latin text of 仿宋 paragraphs is set in Times New Roman; the other fonts cover both.
    let latin = if east_asia == FANGSONG { LATIN } else { east_asia };
    x.open("w:rPr", &[]);
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", latin.into()),
            ("w:hAnsi", latin.into()),
            ("w:cs", latin.into()),
            ("w:eastAsia", east_asia.into()),
        ],
    );
    x.empty("w:sz", &[("w:val", size.into())]);
    x.empty("w:szCs", &[("w:val", size.into())]);
    x.close("w:rPr");
}

/// A run of text; tabs become Word tabs. An empty text writes no run.
pub(super) fn run(x: &mut Xml, text: &str, font: Font) {
    if text.is_empty() {
        return;
    }
    x.open("w:r", &[]);
    run_props(x, font);
    for (i, part) in text.split('\t').enumerate() {
        if i > 0 {
            x.empty("w:tab", &[]);
        }
        if !part.is_empty() {
            x.text_element("w:t", &[("xml:space", "preserve".into())], part);
        }
    }
    x.close("w:r");
}

/// A paragraph of runs.
fn paragraph(x: &mut Xml, props: Props, runs: &[(&str, Font)]) {
    x.open("w:p", &[]);
    props.write(x);
    for (text, font) in runs {
        run(x, text, *font);
    }
    x.close("w:p");
}

/// Body paragraphs: justified, first line indented two characters, 29 pt exactly.
const INDENTED: Props = Props {
    style: None,
    keep_next: false,
    spacing: Some((0, 0, LINE_BODY)),
    first_line: Some(INDENT_2CH),
    align: "both",
};

/// The title: 二号 方正小标宋, centred, a line's space below.
pub(super) fn title(x: &mut Xml, text: &str) {
    let props = Props { spacing: Some((0, LINE_BODY, 700)), first_line: None, align: "center", ..INDENTED };
    paragraph(x, props, &[(text, Some((XIAOBIAOSONG, SIZE_TITLE)))]);
}

/// A section heading in 黑体, kept with what follows.
pub(super) fn heading(x: &mut Xml, text: &str) {
    paragraph(x, Props { keep_next: true, ..INDENTED }, &[(text, Some((HEITI, SIZE_BODY)))]);
}

/// A body paragraph in 仿宋.
pub(super) fn body(x: &mut Xml, text: &str) {
    paragraph(x, INDENTED, &[(text, Some((FANGSONG, SIZE_BODY)))]);
}

/// A narrative paragraph opening with a sub-head `（一）主动公开情况。` in 楷体: alone (kept
/// with the next paragraph) or followed by the rest of the line in 仿宋.
pub(super) fn lead(x: &mut Xml, lead: &str, rest: Option<&str>) {
    match rest {
        Some(rest) => paragraph(x, INDENTED, &[(lead, Some((KAITI, SIZE_BODY))), (rest, Some((FANGSONG, SIZE_BODY)))]),
        None => paragraph(x, Props { keep_next: true, ..INDENTED }, &[(lead, Some((KAITI, SIZE_BODY)))]),
    }
}

/// `word/footer1.xml`: the page number `— 1 —` in 四号 宋体, centred.
pub(super) fn footer() -> String {
    let mut x = Xml::spaced(2048);
    x.raw(DECLARATION.trim_end());
    x.open("w:ftr", super::parts::FOOTER_NAMESPACES);
    x.open("w:p", &[]);
    Props { style: None, keep_next: false, spacing: None, first_line: None, align: "center" }.write(&mut x);
    let font = Some((SONGTI, SIZE_PAGE_NUM));
    run(&mut x, "— ", font);
    x.open("w:r", &[]);
    run_props(&mut x, font);
    let field = |x: &mut Xml, kind: &str| {
        x.empty("w:fldChar", &[("w:fldCharType", kind.into()), ("w:dirty", "false".into())]);
    };
    field(&mut x, "begin");
    x.text_element("w:instrText", &[], "PAGE");
    field(&mut x, "separate");
    x.text_element("w:t", &[("xml:space", "preserve".into())], "1");
    field(&mut x, "end");
    x.close("w:r");
    run(&mut x, " —", font);
    x.close("w:p");
    x.close("w:ftr");
    x.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Xml)) -> String {
        let mut x = Xml::spaced(0);
        f(&mut x);
        x.into_string()
    }

    const PPR_BODY: &str = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"580\" w:lineRule=\"exact\" />\
        <w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"640\" /><w:jc w:val=\"both\" /><w:rPr />";
    const FANGSONG_RPR: &str = "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" \
        w:cs=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" /><w:sz w:val=\"32\" /><w:szCs w:val=\"32\" /></w:rPr>";

    #[test]
    fn a_body_paragraph_in_fangsong_with_tabs_as_word_tabs() {
        assert_eq!(
            written(|x| body(x, "甲\t乙<&")),
            format!(
                "<w:p><w:pPr>{PPR_BODY}</w:pPr><w:r>{FANGSONG_RPR}<w:t xml:space=\"preserve\">甲</w:t><w:tab />\
                 <w:t xml:space=\"preserve\">乙&lt;&amp;</w:t></w:r></w:p>"
            )
        );
    }

    #[test]
    fn a_heading_is_kept_with_the_next_paragraph_in_heiti() {
        let x = written(|x| heading(x, "一、总体情况"));
        assert!(x.starts_with("<w:p><w:pPr><w:keepNext /><w:spacing "), "{x}");
        assert!(x.contains("w:eastAsia=\"黑体\" /><w:sz w:val=\"32\" />"), "{x}");
        assert!(x.ends_with("<w:t xml:space=\"preserve\">一、总体情况</w:t></w:r></w:p>"), "{x}");
    }

    #[test]
    fn a_lead_alone_keeps_next_and_a_lead_with_text_has_two_runs() {
        let alone = written(|x| lead(x, "（一）主动公开情况", None));
        assert!(alone.starts_with("<w:p><w:pPr><w:keepNext />"), "{alone}");
        assert_eq!(alone.matches("<w:r>").count(), 1);
        let both = written(|x| lead(x, "（一）主动公开情况。", Some("本年……")));
        assert!(
            both.starts_with(&format!("<w:p><w:pPr>{PPR_BODY}</w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"楷体_GB2312\""))
        );
        assert!(both.ends_with(&format!("<w:r>{FANGSONG_RPR}<w:t xml:space=\"preserve\">本年……</w:t></w:r></w:p>")));
    }

    #[test]
    fn an_empty_title_has_no_run() {
        assert_eq!(
            written(|x| title(x, "")),
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"580\" w:line=\"700\" w:lineRule=\"exact\" />\
             <w:jc w:val=\"center\" /><w:rPr /></w:pPr></w:p>"
        );
    }

    #[test]
    fn the_footer_holds_a_page_field() {
        let f = footer();
        assert!(f.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:ftr xmlns:r="), "{f}");
        assert!(f.contains(
            "<w:fldChar w:fldCharType=\"begin\" w:dirty=\"false\" /><w:instrText>PAGE</w:instrText>\
             <w:fldChar w:fldCharType=\"separate\" w:dirty=\"false\" /><w:t xml:space=\"preserve\">1</w:t>\
             <w:fldChar w:fldCharType=\"end\" w:dirty=\"false\" />"
        ));
    }
}
