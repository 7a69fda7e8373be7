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
    /// Laid out on the document grid's lines (body text) or not (title, tables).
    pub grid: bool,
    /// Kept on the page of the next paragraph.
    pub keep_next: bool,
    /// Exact line spacing: (before, after, line), in twips.
    pub spacing: Option<(i32, i32, i32)>,
    /// First-line indent, in twips.
    pub first_line: Option<i32>,
    /// Left and right indents, in twips (the page number's 空一字).
    pub sides: Option<(i32, i32)>,
    /// `both`, `center` or `left`; `None` for the style's.
    pub align: Option<&'static str>,
}

impl Props {
    pub(super) fn write(&self, x: &mut Xml) {
        x.open("w:pPr", &[]);
        if let Some(style) = self.style {
            x.empty("w:pStyle", &[("w:val", style.into())]);
        }
        if self.keep_next {
            x.empty("w:keepNext", &[]);
        }
        if !self.grid {
            x.empty("w:snapToGrid", &[("w:val", 0.into())]);
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
        } else if let Some((left, right)) = self.sides {
            x.empty("w:ind", &[("w:left", left.into()), ("w:right", right.into())]);
        }
        if let Some(align) = self.align {
            x.empty("w:jc", &[("w:val", align.into())]);
        }
        // The paragraph mark has no run properties of its own: none are written.
        x.close("w:pPr");
    }
}

/// One character of the page number's 四号 (14 pt), in twips: its 空一字.
const PAGE_NUM_EM: i32 = 280;

/// A run's font and size (half-points); `None` for the paragraph style's.
pub(super) type Font = Option<(&'static str, i32)>;

fn run_props(x: &mut Xml, font: Font) {
    // The paragraph style's: nothing to write.
    let Some((east_asia, size)) = font else { return };
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
    if size == SIZE_BODY {
        // 三号 characters 0.25 pt closer: 28 to the 156 mm line (GB/T 9704), in Word, WPS
        // and LibreOffice alike (LibreOffice draws Word's character grid, whose 15.8 pt cells
        // are narrower than a 16 pt character, as two cells a character).
        x.empty("w:spacing", &[("w:val", BODY_CONDENSE.into())]);
    }
    x.empty("w:sz", &[("w:val", size.into())]);
    x.empty("w:szCs", &[("w:val", size.into())]);
    x.close("w:rPr");
}

/// Character spacing of body text, in twentieths of a point.
const BODY_CONDENSE: i32 = -5;

/// A run of text; tabs become Word tabs, line feeds line breaks. An empty text writes no run.
pub(super) fn run(x: &mut Xml, text: &str, font: Font) {
    if text.is_empty() {
        return;
    }
    x.raw("<w:r>");
    run_props(x, font);
    run_text(x, text);
}

/// A run's text and its closing tag, from constant fragments (as [`Xml::spaced`] writes
/// them): a run in every table cell.
fn run_text(x: &mut Xml, text: &str) {
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            x.raw("<w:br />");
        }
        for (i, part) in line.split('\t').enumerate() {
            if i > 0 {
                x.raw("<w:tab />");
            }
            if !part.is_empty() {
                x.raw("<w:t xml:space=\"preserve\">").text(part).raw("</w:t>");
            }
        }
    }
    x.raw("</w:r>");
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
    grid: true,
    keep_next: false,
    spacing: Some((0, 0, LINE_BODY)),
    first_line: Some(INDENT_2CH),
    sides: None,
    align: Some("both"),
};

/// The title: 二号 方正小标宋, centred, a line's space below; a title too long for one
/// line is broken between words (`fit::title_lines`), each line centred.
pub(super) fn title(x: &mut Xml, lines: &[String]) {
    let props =
        Props { spacing: Some((0, LINE_BODY, 700)), first_line: None, align: Some("center"), grid: false, ..INDENTED };
    x.open("w:p", &[]);
    props.write(x);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            x.open("w:r", &[]);
            run_props(x, Some((XIAOBIAOSONG, SIZE_TITLE)));
            x.empty("w:br", &[]);
            x.close("w:r");
        }
        run(x, line, Some((XIAOBIAOSONG, SIZE_TITLE)));
    }
    x.close("w:p");
}

/// An empty body line: the space after a table before the next heading.
pub(super) fn blank(x: &mut Xml) {
    paragraph(x, Props { first_line: None, ..INDENTED }, &[]);
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

/// A footer part: the page number `— 1 —` in 四号 宋体 (GB/T 9704 §7.5), one character in
/// from the margin: right on odd pages (`word/footer1.xml`), left on even ones
/// (`word/footer2.xml`).
pub(super) fn footer(odd: bool) -> String {
    let mut x = Xml::spaced(2048);
    x.raw(DECLARATION.trim_end());
    x.open("w:ftr", &super::namespaces::footer_namespaces());
    x.open("w:p", &[]);
    let (sides, align) = if odd { ((0, PAGE_NUM_EM), "right") } else { ((PAGE_NUM_EM, 0), "left") };
    Props {
        style: None,
        grid: true,
        keep_next: false,
        spacing: None,
        first_line: None,
        sides: Some(sides),
        align: Some(align),
    }
    .write(&mut x);
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

    const PPR_BODY: &str = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\" />\
        <w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"640\" /><w:jc w:val=\"both\" />";
    const FANGSONG_RPR: &str = "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" \
        w:cs=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" /><w:spacing w:val=\"-5\" /><w:sz w:val=\"32\" /><w:szCs w:val=\"32\" /></w:rPr>";

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
        assert!(x.contains("w:eastAsia=\"黑体\" /><w:spacing w:val=\"-5\" /><w:sz w:val=\"32\" />"), "{x}");
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
            written(|x| title(x, &[String::new()])),
            "<w:p><w:pPr><w:snapToGrid w:val=\"0\" /><w:spacing w:before=\"0\" w:after=\"579\" w:line=\"700\" w:lineRule=\"exact\" />\
             <w:jc w:val=\"center\" /></w:pPr></w:p>"
        );
    }

    #[test]
    fn the_footer_holds_a_page_field() {
        let f = footer(true);
        assert!(f.contains("<w:ind w:left=\"0\" w:right=\"280\" /><w:jc w:val=\"right\" />"), "{f}");
        assert!(footer(false).contains("<w:ind w:left=\"280\" w:right=\"0\" /><w:jc w:val=\"left\" />"));
        assert!(f.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:ftr xmlns:r="), "{f}");
        assert!(f.contains(
            "<w:fldChar w:fldCharType=\"begin\" w:dirty=\"false\" /><w:instrText>PAGE</w:instrText>\
             <w:fldChar w:fldCharType=\"separate\" w:dirty=\"false\" /><w:t xml:space=\"preserve\">1</w:t>\
             <w:fldChar w:fldCharType=\"end\" w:dirty=\"false\" />"
        ));
    }
}
