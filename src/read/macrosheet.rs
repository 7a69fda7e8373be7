//! Excel 4 macro sheets in an xlsm: calamine refuses the whole workbook over a sheet kind
//! it does not know. The package is handed to it again with those sheets' relationships
//! retyped as dialog sheets, a kind it knows and the reader skips like chart sheets.

use std::io::{Cursor, Read, Write};

/// The relationship types of macro sheets, and the one calamine accepts instead.
const MACRO_TYPES: [&str; 2] = ["relationships/xlMacrosheet\"", "relationships/xlIntlMacrosheet\""];
const DIALOG_TYPE: &str = "relationships/dialogsheet\"";

/// The package with its macro sheets retyped, or `None` where it has none (the error was
/// another) or cannot be rewritten: the caller keeps the parser's error then.
pub(super) fn retype_macrosheets(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let mut retyped = false;
    for i in 0..zin.len() {
        let name = zin.by_index_raw(i).ok()?.name().to_string();
        if !name.ends_with("workbook.xml.rels") {
            zout.raw_copy_file(zin.by_index_raw(i).ok()?).ok()?;
            continue;
        }
        // Bounded: the zip guard has expanded and counted every XML part already.
        let mut xml = String::new();
        zin.by_index(i).ok()?.read_to_string(&mut xml).ok()?;
        for t in MACRO_TYPES {
            retyped |= xml.contains(t);
            xml = xml.replace(t, DIALOG_TYPE);
        }
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zout.start_file(name, opts).ok()?;
        zout.write_all(xml.as_bytes()).ok()?;
    }
    let out = zout.finish().ok()?.into_inner();
    retyped.then_some(out)
}
