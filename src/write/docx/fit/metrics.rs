//! How wide the characters of a table's numbers are in the fonts that may print them:
//! advance widths in thousandths of an em, measured from the fonts' `hmtx` tables.
//!
//! Table text names 宋体 (Latin and Chinese alike); the body names 仿宋_GB2312 and Times
//! New Roman. Where they are installed (Windows, WPS) their half-width digits are 0.5 em.
//! Elsewhere the reader's office program substitutes: LibreOffice on Debian takes Noto
//! Serif/Sans CJK (Source Han has the same metrics) or, for a Latin run in a font it does
//! not have, fontconfig's default DejaVu Sans — which is what the PDFs of the render tests
//! show for the digits of every table. A column is as wide as the widest of these needs.

/// The advances of a face for the characters numbers are written with.
#[derive(Debug, Clone, Copy)]
pub struct Face {
    pub name: &'static str,
    /// The widest of `0`–`9`.
    pub digit: u32,
    pub dot: u32,
    pub comma: u32,
    pub plus: u32,
    pub minus: u32,
}

/// The faces a table number may be printed in: those the document names, their declared
/// substitutes (`fontTable.xml`'s `altName`) and the fallbacks of LibreOffice on Linux.
pub const FACES: [Face; 7] = [
    // Half-width forms of the GB2312 fonts are exactly half an em.
    Face { name: "宋体 / SimSun", digit: 500, dot: 500, comma: 500, plus: 500, minus: 500 },
    Face { name: "仿宋 / FangSong", digit: 500, dot: 500, comma: 500, plus: 500, minus: 500 },
    Face { name: "Times New Roman", digit: 500, dot: 250, comma: 250, plus: 564, minus: 333 },
    Face { name: "Noto Serif CJK SC / Source Han Serif", digit: 562, dot: 327, comma: 327, plus: 580, minus: 346 },
    Face { name: "Noto Sans CJK SC / Source Han Sans", digit: 555, dot: 278, comma: 278, plus: 555, minus: 347 },
    Face { name: "DejaVu Sans", digit: 636, dot: 318, comma: 318, plus: 838, minus: 361 },
    Face { name: "DejaVu Serif", digit: 636, dot: 318, comma: 318, plus: 838, minus: 338 },
];

/// The characters of [`Face`], for [`widest`].
#[derive(Clone, Copy)]
enum Mark {
    Digit,
    Dot,
    Comma,
    Plus,
    Minus,
}

const fn widest(mark: Mark) -> u32 {
    let mut most = 0;
    let mut i = 0;
    while i < FACES.len() {
        let f = &FACES[i];
        let w = match mark {
            Mark::Digit => f.digit,
            Mark::Dot => f.dot,
            Mark::Comma => f.comma,
            Mark::Plus => f.plus,
            Mark::Minus => f.minus,
        };
        if w > most {
            most = w;
        }
        i += 1;
    }
    most
}

/// The widest advance of each character over [`FACES`].
pub const DIGIT: u32 = widest(Mark::Digit);
const DOT: u32 = widest(Mark::Dot);
const COMMA: u32 = widest(Mark::Comma);
const PLUS: u32 = widest(Mark::Plus);
const MINUS: u32 = widest(Mark::Minus);

/// The widest advance of a character, in thousandths of an em: a digit or mark of a
/// number as measured; anything else (a Chinese character, a unit, a letter) a full em,
/// the most either takes.
pub fn advance(c: char) -> u32 {
    match c {
        '0'..='9' => DIGIT,
        '.' => DOT,
        ',' => COMMA,
        '+' => PLUS,
        '-' => MINUS,
        _ => 1000,
    }
}

/// The widest a text can print, in thousandths of an em.
pub fn width(text: &str) -> u32 {
    text.chars().map(advance).sum()
}
