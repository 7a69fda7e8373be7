//! Raw deflate of a package's parts with one compressor per thread and level, reset
//! between parts: a fresh compressor allocates and zeroes its windows and tables, which
//! cost more than deflating a 20 KB part. The calls are those `flate2::write::DeflateEncoder`
//! makes (what the zip library deflated with), so the bytes are the same.

use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::cell::RefCell;
use std::io::Write;

thread_local! {
    /// This thread's compressors, by level (a package uses one or two levels).
    static ENCODERS: RefCell<Vec<(u32, DeflateEncoder<Vec<u8>>)>> = const { RefCell::new(Vec::new()) };
}

/// Appends `body` deflated at `level` to `out`; on an error `out` is left empty.
pub(super) fn deflate_into(out: &mut Vec<u8>, body: &[u8], level: u32) -> std::io::Result<()> {
    ENCODERS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut encoders) => {
            let i = match encoders.iter().position(|(l, _)| *l == level) {
                Some(i) => i,
                None => {
                    encoders.push((level, DeflateEncoder::new(Vec::new(), Compression::new(level))));
                    encoders.len() - 1
                }
            };
            let encoder = &mut encoders[i].1;
            // Kept reset between parts, so its output vector is swapped for the caller's
            // and the part is appended where the caller's bytes end.
            *encoder.get_mut() = std::mem::take(out);
            let done = encoder.write_all(body).and_then(|()| encoder.try_finish());
            match done.and_then(|()| encoder.reset(Vec::new())) {
                Ok(bytes) => {
                    *out = bytes;
                    Ok(())
                }
                // A failed stream leaves the compressor in no known state, and the package
                // (its bytes taken) is abandoned by the caller.
                Err(e) => {
                    encoders.swap_remove(i);
                    Err(e)
                }
            }
        }
        // Not reentered in practice; a fresh compressor gives the same bytes.
        Err(_) => {
            let mut encoder = DeflateEncoder::new(std::mem::take(out), Compression::new(level));
            encoder.write_all(body)?;
            *out = encoder.finish()?;
            Ok(())
        }
    })
}
