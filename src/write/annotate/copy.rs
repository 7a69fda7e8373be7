//! An xls or ods cannot be patched: its cell values are copied into a new xlsx with the
//! same marks, as notes and fills.

use super::{Marks, AUTHOR, GREEN, RED, YELLOW};
use crate::error::WriteError;
use crate::finding::Severity;
use crate::read::open::Sheet;
use crate::read::value::Raw;
use rust_xlsxwriter::{Format as XFormat, Formula, Note, Workbook, Worksheet, XlsxError};
use std::collections::BTreeSet;

pub(super) fn copy_to_xlsx(sheets: &[Sheet], m: &Marks) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    let red = XFormat::new().set_background_color(&RED[2..]);
    let yellow = XFormat::new().set_background_color(&YELLOW[2..]);
    let green = XFormat::new().set_background_color(&GREEN[2..]);
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name.as_ref())?;
        let marked = m.get(sheet.name.as_ref());
        let mut cells: BTreeSet<(u32, u32)> = sheet.cells.keys().copied().collect();
        if let Some(mk) = marked {
            cells.extend(mk.keys().copied());
        }
        for (r, c) in cells {
            let Ok(col) = u16::try_from(c) else { continue };
            let mark = marked.and_then(|mk| mk.get(&(r, c)));
            let fmt = match mark.map(|x| x.severity) {
                Some(Severity::Error) => Some(&red),
                Some(Severity::Warning) => Some(&yellow),
                Some(Severity::Info) => Some(&green),
                None => None,
            };
            let raw = sheet.get(r, c);
            let res = match (raw, fmt) {
                (Raw::Empty, Some(f)) => ws.write_blank(r, col, f).map(|_| ()),
                (Raw::Empty, None) => Ok(()),
                (Raw::Int(i), f) => write_num(ws, r, col, *i as f64, f),
                (Raw::Float(x), f) => write_num(ws, r, col, *x, f),
                (Raw::Bool(b), Some(f)) => ws.write_boolean_with_format(r, col, *b, f).map(|_| ()),
                (Raw::Bool(b), None) => ws.write_boolean(r, col, *b).map(|_| ()),
                // A formula the reader evaluated is copied as the formula it is.
                (Raw::Formula(text) | Raw::Computed { formula: text, .. }, Some(f)) => {
                    ws.write_formula_with_format(r, col, Formula::new(text.as_str()), f).map(|_| ())
                }
                (Raw::Formula(text) | Raw::Computed { formula: text, .. }, None) => {
                    ws.write_formula(r, col, Formula::new(text.as_str())).map(|_| ())
                }
                (other, Some(f)) => ws.write_string_with_format(r, col, other.text(), f).map(|_| ()),
                (other, None) => ws.write_string(r, col, other.text()).map(|_| ()),
            };
            res?;
            if let Some(mark) = mark.filter(|x| !x.messages.is_empty()) {
                let note = Note::new(mark.messages.join("\n")).set_author(AUTHOR).set_width(360).set_height(120);
                ws.insert_note(r, col, &note)?;
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}

fn write_num(ws: &mut Worksheet, r: u32, c: u16, x: f64, f: Option<&XFormat>) -> Result<(), XlsxError> {
    match f {
        Some(f) => ws.write_number_with_format(r, c, x, f).map(|_| ()),
        None => ws.write_number(r, c, x).map(|_| ()),
    }
}
