//! A table of the report: a grid of column widths, rows of cells that span columns or
//! merge vertically, every cell's text in the `TableText` style. `tables` draws the
//! official tables with these.

use super::paragraph::{self, Props};
use super::TEXT_WIDTH;
use crate::write::ooxml::Xml;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The paragraph style of table cells, defined in `parts::styles`: written once there
/// rather than in each of the ~400 cells (the document shrinks by half). Centred; a
/// cell aligned left says so.
pub(super) const TABLE_STYLE: &str = "TableText";

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Merge {
    None,
    /// The first cell of a merged group; its text shows.
    Restart,
    /// A cell under the first, merged into it.
    Continue,
}

/// One cell of a row: its text, how many grid columns it spans, its merge, its alignment,
/// and whether its text may wrap.
#[derive(Debug, Clone)]
pub(super) struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub span: usize,
    pub merge: Merge,
    pub center: bool,
    /// A number: `w:noWrap`, so that a font wider than measured widens the cell rather
    /// than breaking the number over two lines.
    pub no_wrap: bool,
}

/// A cell of text.
pub(super) fn cell<'a>(text: impl Into<Cow<'a, str>>, span: usize, center: bool) -> Cell<'a> {
    Cell { text: text.into(), span, merge: Merge::None, center, no_wrap: false }
}

/// A cell holding a number, never wrapped.
pub(super) fn number<'a>(text: impl Into<Cow<'a, str>>, span: usize) -> Cell<'a> {
    Cell { no_wrap: true, ..cell(text, span, true) }
}

/// A header cell: centred.
pub(super) fn head(text: &str, span: usize) -> Cell<'_> {
    cell(text, span, true)
}

/// The first cell of a vertically merged group.
pub(super) fn restart(text: &str, span: usize, center: bool) -> Cell<'_> {
    Cell { merge: Merge::Restart, ..cell(text, span, center) }
}

/// A cell merged into the one above.
pub(super) fn cont(span: usize) -> Cell<'static> {
    Cell { merge: Merge::Continue, ..cell("", span, true) }
}

/// How a row sits across a page break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    /// A header row: never split, repeated on every page.
    Header,
    /// Kept on the same page as the next row (a block's heading, a merged group).
    KeepNext,
    Plain,
}

/// Splits the text width: the given widths first, the rest evenly over `n` columns.
pub(super) fn grid(fixed: &[usize], n: usize) -> Vec<usize> {
    let rest = TEXT_WIDTH - fixed.iter().sum::<usize>();
    let each = rest / n.max(1);
    let extra = rest - each * n;
    let mut g = fixed.to_vec();
    g.extend((0..n).map(|i| each + usize::from(i < extra)));
    g
}

/// The cell margin left and right of [`start`], in twips (1 mm).
pub(super) const MARGIN: u32 = 57;

/// Opens a table over a grid: the full text width, centred, thin borders, fixed layout,
/// [`MARGIN`] left and right. [`end`] closes it.
pub(super) fn start(x: &mut Xml, grid: &[usize]) {
    start_padded(x, grid, MARGIN);
}

/// [`start`] with another cell margin left and right, in twips.
pub(super) fn start_padded(x: &mut Xml, grid: &[usize], margin: u32) {
    x.open("w:tbl", &[]).open("w:tblPr", &[]);
    x.empty("w:tblW", &[("w:w", TEXT_WIDTH.into()), ("w:type", "dxa".into())]);
    x.empty("w:jc", &[("w:val", "center".into())]);
    x.open("w:tblBorders", &[]);
    for side in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
        x.empty(
            side,
            &[("w:val", "single".into()), ("w:sz", 2.into()), ("w:space", 0.into()), ("w:color", "000000".into())],
        );
    }
    x.close("w:tblBorders");
    x.empty("w:tblLayout", &[("w:type", "fixed".into())]);
    x.open("w:tblCellMar", &[]);
    for (side, w) in [("w:top", 0), ("w:left", margin), ("w:bottom", 0), ("w:right", margin)] {
        x.empty(side, &[("w:w", w.into()), ("w:type", "dxa".into())]);
    }
    x.close("w:tblCellMar").close("w:tblPr");
    x.open("w:tblGrid", &[]);
    for w in grid {
        x.empty("w:gridCol", &[("w:w", (*w).into())]);
    }
    x.close("w:tblGrid");
}

pub(super) fn end(x: &mut Xml) {
    x.close("w:tbl");
}

/// A size of table text and the paragraph style of `styles.xml` that sets it: the text and
/// its lines are written once there, not in each of table 三's ~200 cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TextSize {
    pub style: &'static str,
    pub name: &'static str,
    /// Font size in half-points and exact line spacing in twips.
    pub font: i32,
    pub line: i32,
}

/// Every table's 五号 on 15 pt lines ([`TABLE_STYLE`]), then the sizes table 三 steps down
/// to, largest first, while it does not fit its page: 五号 on 14 pt lines, 小五, 六号.
pub(super) const SIZES: [TextSize; 4] = [
    TextSize { style: TABLE_STYLE, name: "Table Text", font: super::SIZE_TABLE, line: super::LINE_TABLE },
    TextSize { style: "TableText5", name: "Table Text 五号", font: 21, line: 280 },
    TextSize { style: "TableTextSmall5", name: "Table Text 小五", font: 18, line: 230 },
    TextSize { style: "TableText6", name: "Table Text 六号", font: 15, line: 200 },
];

/// The text size of a table's rows and their least height.
#[derive(Debug, Clone, Copy)]
pub(super) struct Size {
    pub text: TextSize,
    /// The least height of a row, in twips.
    pub row: i32,
}

/// A row over the grid: at least 7 mm high, its cells' widths the sum of the columns they span.
pub(super) fn row(x: &mut Xml, grid: &[usize], cells: &[Cell<'_>], flow: Flow) {
    row_sized(x, grid, cells, flow, Size { text: SIZES[0], row: 397 });
}

/// [`row`] in a text size of its own. Written from constant fragments (the elements as
/// [`Xml::spaced`] writes them): a row's markup is most of `document.xml`, and building
/// each element from its name and attributes was most of the table's time.
pub(super) fn row_sized(x: &mut Xml, grid: &[usize], cells: &[Cell<'_>], flow: Flow, size: Size) {
    x.raw("<w:tr><w:trPr>");
    if flow == Flow::Header {
        x.raw("<w:cantSplit /><w:tblHeader />");
    }
    x.start("w:trHeight").attr("w:val", size.row).raw(" w:hRule=\"atLeast\"").end_empty();
    x.raw("</w:trPr>");
    // The cells' paragraph properties differ only in alignment. The style sets the font,
    // the lines and centring, and turns the grid off.
    let keep_next = flow != Flow::Plain;
    let (center, left) = (cell_props(size.text, keep_next, false), cell_props(size.text, keep_next, true));
    let mut at = 0;
    for c in cells {
        let width: usize = grid.iter().skip(at).take(c.span).sum();
        at += c.span;
        x.raw("<w:tc><w:tcPr>").start("w:tcW").attr("w:w", width).raw(" w:type=\"dxa\"").end_empty();
        if c.span > 1 {
            x.start("w:gridSpan").attr("w:val", c.span).end_empty();
        }
        match c.merge {
            Merge::Restart => x.raw("<w:vMerge w:val=\"restart\" />"),
            Merge::Continue => x.raw("<w:vMerge w:val=\"continue\" />"),
            Merge::None => x,
        };
        // CT_TcPr's order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, …, vAlign.
        if c.no_wrap {
            x.raw("<w:noWrap />");
        }
        x.raw("<w:vAlign w:val=\"center\" /></w:tcPr><w:p>").raw(if c.center { &center } else { &left });
        paragraph::run(x, &c.text, None);
        x.raw("</w:p></w:tc>");
    }
    x.raw("</w:tr>");
}

/// A table cell's paragraph properties (`w:pPr`) in a text size, kept with the next row or
/// not, centred or aligned left: made once a process for each of the sizes of [`SIZES`].
fn cell_props(text: TextSize, keep_next: bool, left: bool) -> Cow<'static, str> {
    let write = |text: TextSize, keep_next: bool, left: bool| {
        let mut p = Xml::spaced(96);
        Props {
            style: Some(text.style),
            grid: true,
            keep_next,
            spacing: None,
            first_line: None,
            sides: None,
            align: left.then_some("left"),
        }
        .write(&mut p);
        p.into_string()
    };
    static MADE: OnceLock<Vec<String>> = OnceLock::new();
    let made = MADE.get_or_init(|| {
        SIZES
            .iter()
            .flat_map(|&t| [(false, false), (false, true), (true, false), (true, true)].map(|(k, l)| write(t, k, l)))
            .collect()
    });
    match SIZES
        .iter()
        .position(|t| *t == text)
        .and_then(|i| made.get(4 * i + 2 * usize::from(keep_next) + usize::from(left)))
    {
        Some(props) => Cow::Borrowed(props),
        None => Cow::Owned(write(text, keep_next, left)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_fills_the_text_width_evenly_after_fixed_columns() {
        assert_eq!(grid(&[2845], 3), vec![2845, 2000, 2000, 2000]);
        let g = grid(&[], 15);
        assert_eq!((g[0], g[9], g[10], g.iter().sum::<usize>()), (590, 590, 589, TEXT_WIDTH));
    }

    #[test]
    fn a_header_row_repeats_and_cells_span_and_merge() {
        let mut x = Xml::spaced(0);
        row(&mut x, &[100, 200, 300], &[restart("甲", 2, true), cont(1)], Flow::Header);
        assert_eq!(
            x.as_str(),
            "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /><w:trHeight w:val=\"397\" w:hRule=\"atLeast\" /></w:trPr>\
             <w:tc><w:tcPr><w:tcW w:w=\"300\" w:type=\"dxa\" /><w:gridSpan w:val=\"2\" /><w:vMerge w:val=\"restart\" />\
             <w:vAlign w:val=\"center\" /></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\" /><w:keepNext />\
             </w:pPr><w:r><w:t xml:space=\"preserve\">甲</w:t></w:r></w:p></w:tc>\
             <w:tc><w:tcPr><w:tcW w:w=\"300\" w:type=\"dxa\" /><w:vMerge w:val=\"continue\" /><w:vAlign w:val=\"center\" />\
             </w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\" /><w:keepNext />\
             </w:pPr></w:p></w:tc></w:tr>"
        );
    }

    #[test]
    fn a_number_cell_does_not_wrap_and_says_so_before_its_alignment() {
        let mut x = Xml::spaced(0);
        row(&mut x, &[100, 200], &[number("3119", 1), cell("乙", 1, true)], Flow::Plain);
        let s = x.into_string();
        assert!(
            s.contains("<w:tcW w:w=\"100\" w:type=\"dxa\" /><w:noWrap /><w:vAlign w:val=\"center\" /></w:tcPr>"),
            "{s}"
        );
        assert_eq!(s.matches("w:noWrap").count(), 1, "{s}");
    }

    #[test]
    fn a_plain_row_is_not_kept_with_the_next_and_left_cells_align_left() {
        let mut x = Xml::spaced(0);
        row(&mut x, &[100], &[cell("乙", 1, false)], Flow::Plain);
        let s = x.into_string();
        assert!(s.starts_with("<w:tr><w:trPr><w:trHeight "), "{s}");
        assert!(s.contains("<w:pPr><w:pStyle w:val=\"TableText\" /><w:jc w:val=\"left\" /></w:pPr>"), "{s}");
    }

    #[test]
    fn a_smaller_size_is_named_by_its_style_not_written_in_every_cell() {
        let mut x = Xml::spaced(0);
        row_sized(&mut x, &[100], &[cell("丙", 1, true)], Flow::Plain, Size { text: SIZES[2], row: 290 });
        let s = x.into_string();
        assert!(s.contains("<w:trHeight w:val=\"290\" "), "{s}");
        assert!(s.contains("<w:pPr><w:pStyle w:val=\"TableTextSmall5\" /></w:pPr><w:r><w:t "), "{s}");
        assert!(!s.contains("w:rFonts") && !s.contains("w:spacing") && !s.contains("w:sz"), "{s}");
    }
}
