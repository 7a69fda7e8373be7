//! A cell's `<v>` read by the cell's type (`s`, `b`, `d`, `e`, `str`, `n`), as calamine
//! reads it: what both the parser's path (`cells.rs`) and the plain one (`fast.rs`) make
//! of a value.

use super::xml::{fault, Res};
use crate::read::sheet::{date_text, string as text_cell};
use crate::read::value::Raw;
use std::collections::BTreeMap;

/// What the cells are read against: the shared strings and each cell format's date-ness.
pub(super) struct Book<'a> {
    pub strings: &'a [String],
    pub dates: &'a [bool],
}

/// A sheet's cells by (row, column).
pub(super) type Grid = BTreeMap<(u32, u32), Raw>;

/// A `<v>` of plain text (no entities, no markup inside) by the cell's type, as
/// the parser's path (`cells::read_value`) reads one.
pub(super) fn value_of_v(text: &str, style: Option<&str>, typ: Option<&str>, book: &Book<'_>) -> Res<Raw> {
    match typ {
        Some("inlineStr" | "is") => Ok(Raw::Empty),
        None | Some("n" | "s" | "b" | "e") if text.is_empty() => Ok(Raw::Empty),
        _ => value(text, style, typ, book),
    }
}

/// A `<v>`'s text by the cell's type.
pub(super) fn value(v: &str, style: Option<&str>, typ: Option<&str>, book: &Book<'_>) -> Res<Raw> {
    match typ {
        Some("s") => {
            if v.is_empty() {
                return Ok(Raw::Empty);
            }
            let i = atoi_simd::parse::<usize, true, false>(v.as_bytes()).unwrap_or(0);
            match book.strings.get(i) {
                Some(s) => Ok(text_cell(s)),
                None => fault(format!("共享字符串第 {i} 项不存在")),
            }
        }
        Some("b") => {
            let b = v.trim();
            if b.is_empty() {
                Ok(Raw::Empty)
            } else if b == "0" || b.eq_ignore_ascii_case("false") {
                Ok(Raw::Bool(false))
            } else if b == "1" || b.eq_ignore_ascii_case("true") {
                Ok(Raw::Bool(true))
            } else {
                fault(format!("逻辑值“{v}”无法识别"))
            }
        }
        Some("d") => Ok(Raw::Date(v.to_string())),
        Some("e") => match v.parse::<calamine::CellErrorType>() {
            Ok(e) => Ok(Raw::Error(e.to_string())),
            Err(_) => fault(format!("错误值“{v}”无法识别")),
        },
        Some("str") => Ok(text_cell(&super::xml::unescape_excel(v))),
        Some("n") | None => {
            if v.is_empty() {
                return Ok(Raw::Empty);
            }
            match fast_float2::parse::<f64, _>(v.as_bytes()) {
                Ok(n) => {
                    let date = match style {
                        Some(s) => {
                            let id = atoi_simd::parse::<usize, true, false>(s.as_bytes()).unwrap_or(0);
                            book.dates.get(id).copied().unwrap_or(false)
                        }
                        None => false,
                    };
                    Ok(if date { Raw::Date(date_text(n)) } else { Raw::Float(n) })
                }
                Err(_) if typ.is_none() => Ok(text_cell(v)),
                Err(_) => fault(format!("数值“{v}”无法识别")),
            }
        }
        Some(t) => fault(format!("单元格类型 t=\"{t}\" 无法识别")),
    }
}
