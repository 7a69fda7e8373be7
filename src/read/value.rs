//! Turns what a department typed into a number (docs/formats.md §5): `12`, `12.0`, `"12"`,
//! `１２`, ` 12 `, `+2`, `－5`, `1,234`, `12件`, `35.6万元`; blanks and dashes are 0.

use crate::form::Kind;
use crate::model::{State, Value};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A cell as the workbook stores it, independent of the file format.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date or time; the text is how it reads.
    Date(String),
    /// An error value such as `#REF!`.
    Error(String),
    /// A formula whose result was never calculated; the formula text.
    Formula(String),
    /// Such a formula that the reader evaluated (`read::formula`): the formula text and
    /// its value (VAL-FORMULA-COMPUTED).
    Computed {
        formula: String,
        value: Decimal,
    },
}

impl Raw {
    /// The cell as text, as a person would read it.
    pub fn text(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Str(s) => s.clone(),
            Raw::Int(i) => i.to_string(),
            Raw::Float(f) => float_text(*f),
            Raw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Raw::Date(s) | Raw::Error(s) => s.clone(),
            // An ods formula as a person reads it, without its `of:=` prefix.
            Raw::Formula(f) | Raw::Computed { formula: f, .. } => format!("={}", f.strip_prefix("of:=").unwrap_or(f)),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Raw::Str(s) => Some(s),
            _ => None,
        }
    }
}

pub use crate::number::float_text;

/// Words departments type for "none": read as 0.
const BLANKS: [&str; 12] = ["", "-", "—", "――", "——", "--", "/", "无", "／", "－", "–", "\\"];

/// Count units typed after a number (`12件`).
const COUNT_UNITS: [&str; 8] = ["件", "项", "个", "条", "次", "人", "家", "宗"];
/// Amount units, longest first.
const AMOUNT_UNITS: [&str; 5] = ["亿元", "万元", "千元", "百元", "元"];

/// Folds full-width digits, signs and separators to ASCII, drops spaces.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '０'..='９' => crate::number::ascii_digit(c),
            '＋' => '+',
            '－' | '−' | '﹣' => '-',
            '．' | '。' => '.',
            '，' | '､' => ',',
            c if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' => continue,
            c => c,
        };
        out.push(c);
    }
    out
}

/// Parses a plain decimal with optional sign and thousands separators.
fn parse_number(s: &str) -> Option<Decimal> {
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let (sign, body) = match s.as_bytes()[0] {
        b'+' => ("", &s[1..]),
        b'-' => ("-", &s[1..]),
        _ => ("", s),
    };
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let body = if body.contains(',') {
        // Thousands separators must be in groups of three.
        let (int, frac) = body.split_once('.').map_or((body, None), |(a, b)| (a, Some(b)));
        let groups: Vec<&str> = int.split(',').collect();
        let ok = groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        let mut joined = groups.concat();
        if let Some(f) = frac {
            joined.push('.');
            joined.push_str(f);
        }
        joined
    } else {
        body.to_string()
    };
    if !body.chars().all(|c| c.is_ascii_digit() || c == '.') || body.matches('.').count() > 1 || body.ends_with('.') {
        return None;
    }
    Decimal::from_str(&format!("{sign}{body}")).ok()
}

fn from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // A whole number reads as its integer, as its text would (float_text prints it so).
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return Some(Decimal::from(f as i64));
    }
    Decimal::from_str(&float_text(f)).ok().or_else(|| Decimal::from_f64_retain(f))
}

/// Longer cell text is quoted shortened in `Value::raw`: a figure is never this long, and a
/// pasted document in a count cell must not make every message megabytes long.
const MAX_RAW_CHARS: usize = 200;

/// The cell's text as messages quote it: whole, or its start and its length.
fn quoted(raw: &Raw) -> String {
    let text = raw.text();
    if text.len() <= MAX_RAW_CHARS {
        return text;
    }
    let n = text.chars().count();
    if n <= MAX_RAW_CHARS {
        return text;
    }
    let head: String = text.chars().take(MAX_RAW_CHARS / 2).collect();
    format!("{head}…（共 {n} 字）")
}

/// Reads one cell of a column of the given kind.
pub fn parse(raw: &Raw, kind: Kind) -> Value {
    let mut v = Value { num: None, state: State::Text, raw: quoted(raw), unit: None, cell: None };
    match raw {
        Raw::Empty => {
            v.num = Some(Decimal::ZERO);
            v.state = State::Blank;
        }
        Raw::Int(i) => {
            v.num = Some(Decimal::from(*i));
            v.state = State::Number;
        }
        Raw::Float(f) => {
            if let Some(d) = from_f64(*f) {
                v.num = Some(if kind == Kind::Amount { d } else { d.normalize() });
                v.state = State::Number;
            }
        }
        Raw::Str(s) => parse_text(s, kind, &mut v),
        Raw::Formula(_) => v.state = State::Formula,
        Raw::Computed { value, .. } => {
            v.num = Some(if kind == Kind::Amount { *value } else { value.normalize() });
            v.state = State::Number;
        }
        Raw::Bool(_) | Raw::Date(_) | Raw::Error(_) => {}
    }
    v
}

fn parse_text(s: &str, kind: Kind, v: &mut Value) {
    // A formula kept as text (a cell formatted as text, or an archive that stores an
    // uncalculated formula as its text) was never calculated either.
    if s.trim_start().starts_with('=') && s.trim().len() > 1 {
        v.state = State::Formula;
        return;
    }
    let t = fold(s);
    if BLANKS.contains(&t.as_str()) || BLANKS.contains(&s.trim()) {
        v.num = Some(Decimal::ZERO);
        v.state = State::Blank;
        return;
    }
    let mut body = t.as_str();
    let mut unit = None;
    if kind == Kind::Amount {
        if let Some(u) = AMOUNT_UNITS.iter().find(|u| body.ends_with(*u)) {
            body = &body[..body.len() - u.len()];
            unit = Some(u.to_string());
        }
    } else if let Some(u) = COUNT_UNITS.iter().find(|u| body.ends_with(*u)) {
        body = &body[..body.len() - u.len()];
    }
    if let Some(d) = parse_number(body) {
        v.num = Some(if kind == Kind::Amount { d } else { d.normalize() });
        v.state = State::Number;
        v.unit = unit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str, kind: Kind) -> Option<String> {
        parse(&Raw::Str(s.into()), kind).num.map(|d| d.to_string())
    }

    #[test]
    fn accepts_the_ways_departments_type_numbers() {
        assert_eq!(n("12", Kind::Count).as_deref(), Some("12"));
        assert_eq!(n("12.0", Kind::Count).as_deref(), Some("12"));
        assert_eq!(n("１２", Kind::Count).as_deref(), Some("12"));
        assert_eq!(n(" 12 ", Kind::Count).as_deref(), Some("12"));
        assert_eq!(n("+2", Kind::Signed).as_deref(), Some("2"));
        assert_eq!(n("－5", Kind::Signed).as_deref(), Some("-5"));
        assert_eq!(n("1,234", Kind::Count).as_deref(), Some("1234"));
        assert_eq!(n("1，234", Kind::Count).as_deref(), Some("1234"));
        assert_eq!(n("12件", Kind::Count).as_deref(), Some("12"));
        assert_eq!(n("3 项", Kind::Count).as_deref(), Some("3"));
        assert_eq!(n("5949.088667", Kind::Amount).as_deref(), Some("5949.088667"));
        assert_eq!(n("12.50", Kind::Amount).as_deref(), Some("12.50"));
    }

    #[test]
    fn keeps_the_unit_of_an_amount() {
        let v = parse(&Raw::Str("251000元".into()), Kind::Amount);
        assert_eq!(v.num.map(|d| d.to_string()).as_deref(), Some("251000"));
        assert_eq!(v.unit.as_deref(), Some("元"));
        let v = parse(&Raw::Str("35.6万元".into()), Kind::Amount);
        assert_eq!(v.num.map(|d| d.to_string()).as_deref(), Some("35.6"));
        assert_eq!(v.unit.as_deref(), Some("万元"));
    }

    #[test]
    fn blanks_and_dashes_are_zero() {
        for s in ["", "—", "-", "/", "无", "  "] {
            let v = parse(&Raw::Str(s.into()), Kind::Count);
            assert_eq!(v.state, State::Blank, "{s:?}");
            assert_eq!(v.num, Some(Decimal::ZERO));
        }
        assert_eq!(parse(&Raw::Empty, Kind::Count).state, State::Blank);
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for s in ["约30", "12-15", "N/A", "1,23", "1.2.3", "+", "."] {
            let v = parse(&Raw::Str(s.into()), Kind::Count);
            assert_eq!(v.state, State::Text, "{s:?}");
            assert_eq!(v.num, None);
        }
        assert_eq!(parse(&Raw::Error("#REF!".into()), Kind::Count).num, None);
        assert_eq!(parse(&Raw::Bool(true), Kind::Count).num, None);
        assert_eq!(parse(&Raw::Formula("SUM(B2:B3)".into()), Kind::Count).state, State::Formula);
        let typed = parse(&Raw::Str("=SUM(B2:B3)".into()), Kind::Count);
        assert_eq!((typed.state, typed.num, typed.raw.as_str()), (State::Formula, None, "=SUM(B2:B3)"));
    }

    #[test]
    fn long_text_is_quoted_shortened() {
        let v = parse(&Raw::Str("很长".repeat(1000)), Kind::Count);
        assert_eq!(v.state, State::Text);
        assert_eq!(v.raw, format!("{}…（共 2000 字）", "很长".repeat(50)));
        let short = "约".repeat(200);
        assert_eq!(parse(&Raw::Str(short.clone()), Kind::Count).raw, short);
    }

    #[test]
    fn floats_read_as_typed() {
        let v = parse(&Raw::Float(5949.088667), Kind::Amount);
        assert_eq!(v.num.map(|d| d.to_string()).as_deref(), Some("5949.088667"));
        let v = parse(&Raw::Float(36756.0), Kind::Count);
        assert_eq!(v.num.map(|d| d.to_string()).as_deref(), Some("36756"));
        let v = parse(&Raw::Float(2.5), Kind::Count);
        assert_eq!(v.num.map(|d| d.to_string()).as_deref(), Some("2.5"));
    }
}
