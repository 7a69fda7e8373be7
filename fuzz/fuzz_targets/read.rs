//! Fuzzes the reader: any bytes must give a report or a `ReadError`, never a panic, a
//! hang or unbounded memory. A report read is also checked, as `nianbao check` would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::read::{self, Options};

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = read::read(data, "fuzz.xlsx", &Options::default()) {
        let _ = nianbao::check::check(&report, nianbao::check::Context::default());
    }
});
