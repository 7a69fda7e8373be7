//! Fuzzes the value parser: any text typed in a cell, of any kind of column, must parse
//! to a number or stay text, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::form::Kind;
use nianbao::read::value::{parse, Raw};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data).into_owned();
    for kind in [Kind::Count, Kind::Signed, Kind::Amount] {
        let v = parse(&Raw::Str(s.clone()), kind);
        // A number read must print and read back (the archive writes it as text).
        if let Some(d) = v.num {
            let _ = d.to_string();
        }
    }
});
