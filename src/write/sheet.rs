//! What a laid-out sheet needs from a workbook writer. The official tables (`layout`) and
//! 基本信息 (`info`) are drawn once against this trait: by rust_xlsxwriter for the template
//! (which needs sheet protection and input validation), and by the direct writer of `xlsx`
//! for the archive and the batch summary, which bulk conversion writes thousands of.

use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    General,
    Left,
    Center,
}

/// Vertical alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    Bottom,
    Center,
    Top,
}

/// A cell format, described independently of the writer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Font name; empty for the workbook default.
    pub font: &'static str,
    /// Font size in points.
    pub size: f64,
    pub bold: bool,
    /// Fill colour, `0xRRGGBB`.
    pub fill: Option<u32>,
    /// A thin border all round.
    pub border: bool,
    pub align: Align,
    pub valign: VAlign,
    pub wrap: bool,
    /// Number format; empty for General.
    pub num_format: &'static str,
    /// Left unlocked in a protected sheet.
    pub unlocked: bool,
}

impl Style {
    pub const DEFAULT: Style = Style {
        font: "",
        size: 11.0,
        bold: false,
        fill: None,
        border: false,
        align: Align::General,
        valign: VAlign::Bottom,
        wrap: false,
        num_format: "",
        unlocked: false,
    };

    /// 宋体 of a size with a thin border: the cells of every table.
    pub const fn boxed(size: f64) -> Style {
        Style { font: "宋体", size, border: true, ..Style::DEFAULT }
    }
    pub const fn font(self, font: &'static str, size: f64) -> Style {
        Style { font, size, ..self }
    }
    pub const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
    pub const fn fill(self, rgb: u32) -> Style {
        Style { fill: Some(rgb), ..self }
    }
    pub const fn align(self, align: Align) -> Style {
        Style { align, ..self }
    }
    pub const fn valign(self, valign: VAlign) -> Style {
        Style { valign, ..self }
    }
    pub const fn wrap(self) -> Style {
        Style { wrap: true, ..self }
    }
    pub const fn num_format(self, num_format: &'static str) -> Style {
        Style { num_format, ..self }
    }
    pub const fn unlocked(self) -> Style {
        Style { unlocked: true, ..self }
    }

    /// The same format for rust_xlsxwriter.
    pub fn format(&self) -> Format {
        let mut f = Format::new();
        if !self.font.is_empty() {
            f = f.set_font_name(self.font);
        }
        if self.size != 11.0 {
            f = f.set_font_size(self.size);
        }
        if self.bold {
            f = f.set_bold();
        }
        if let Some(c) = self.fill {
            f = f.set_background_color(c);
        }
        if self.border {
            f = f.set_border(FormatBorder::Thin);
        }
        f = match self.align {
            Align::General => f,
            Align::Left => f.set_align(FormatAlign::Left),
            Align::Center => f.set_align(FormatAlign::Center),
        };
        f = match self.valign {
            VAlign::Bottom => f,
            VAlign::Center => f.set_align(FormatAlign::VerticalCenter),
            VAlign::Top => f.set_align(FormatAlign::Top),
        };
        if self.wrap {
            f = f.set_text_wrap();
        }
        if !self.num_format.is_empty() {
            f = f.set_num_format(self.num_format);
        }
        if self.unlocked {
            f = f.set_unlocked();
        }
        f
    }
}

/// How a sheet prints: always A4, one page wide.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Page {
    pub landscape: bool,
    pub center: bool,
    /// Left, right, top, bottom, header, footer in inches; None for the defaults.
    pub margins: Option<[f64; 6]>,
    /// Rows (first, last, 0-based) printed on every page.
    pub repeat_rows: Option<(u32, u32)>,
    /// The range printed (first row, first column, last row, last column), if not all.
    pub print_area: Option<(u32, u16, u32, u16)>,
}

/// The operations the layouts use. Rows and columns are 0-based.
pub trait Sheet {
    fn text(&mut self, row: u32, col: u16, text: &str, style: &Style) -> Result<(), XlsxError>;
    fn number(&mut self, row: u32, col: u16, n: f64, style: &Style) -> Result<(), XlsxError>;
    fn blank(&mut self, row: u32, col: u16, style: &Style) -> Result<(), XlsxError>;
    /// A merged range holding `text`, every cell of it in `style`.
    fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16, text: &str, style: &Style) -> Result<(), XlsxError>;
    /// Width in characters of the default font, as Excel shows it.
    fn column_width(&mut self, col: u16, width: f64) -> Result<(), XlsxError>;
    /// Height in points.
    fn row_height(&mut self, row: u32, height: f64) -> Result<(), XlsxError>;
    fn page(&mut self, page: &Page) -> Result<(), XlsxError>;
    /// Input rules on a cell (only the template has them).
    fn validate(&mut self, row: u32, col: u16, rule: &DataValidation) -> Result<(), XlsxError>;
    /// A formula (without the `=`) with the value it was last calculated to, which readers
    /// that do not calculate (calamine, nianbao) see.
    fn formula(&mut self, row: u32, col: u16, formula: &str, cached: f64, style: &Style) -> Result<(), XlsxError>;
}

impl Sheet for Worksheet {
    fn text(&mut self, row: u32, col: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        self.write_string_with_format(row, col, text, &style.format()).map(|_| ())
    }
    fn number(&mut self, row: u32, col: u16, n: f64, style: &Style) -> Result<(), XlsxError> {
        self.write_number_with_format(row, col, n, &style.format()).map(|_| ())
    }
    fn blank(&mut self, row: u32, col: u16, style: &Style) -> Result<(), XlsxError> {
        self.write_blank(row, col, &style.format()).map(|_| ())
    }
    fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16, text: &str, style: &Style) -> Result<(), XlsxError> {
        self.merge_range(r0, c0, r1, c1, text, &style.format()).map(|_| ())
    }
    fn column_width(&mut self, col: u16, width: f64) -> Result<(), XlsxError> {
        self.set_column_width(col, width).map(|_| ())
    }
    fn row_height(&mut self, row: u32, height: f64) -> Result<(), XlsxError> {
        self.set_row_height(row, height).map(|_| ())
    }
    fn page(&mut self, page: &Page) -> Result<(), XlsxError> {
        self.set_paper_size(9);
        if page.landscape {
            self.set_landscape();
        }
        self.set_print_fit_to_pages(1, 0);
        if page.center {
            self.set_print_center_horizontally(true);
        }
        if let Some([l, r, t, b, h, f]) = page.margins {
            self.set_margins(l, r, t, b, h, f);
        }
        if let Some((a, b)) = page.repeat_rows {
            self.set_repeat_rows(a, b)?;
        }
        if let Some((r0, c0, r1, c1)) = page.print_area {
            self.set_print_area(r0, c0, r1, c1)?;
        }
        Ok(())
    }
    fn validate(&mut self, row: u32, col: u16, rule: &DataValidation) -> Result<(), XlsxError> {
        self.add_data_validation(row, col, row, col, rule).map(|_| ())
    }
    fn formula(&mut self, row: u32, col: u16, formula: &str, cached: f64, style: &Style) -> Result<(), XlsxError> {
        let f = rust_xlsxwriter::Formula::new(formula).set_result(crate::number::float_text(cached));
        self.write_formula_with_format(row, col, f, &style.format()).map(|_| ())
    }
}
