//! The xlsx (and ods) package checked before a parser sees it: every XML part expanded
//! and counted, so a zip bomb is refused in bounded time; a small package is handed on as
//! a plain stored zip of the same parts, so the parser does not inflate it all again.

use crate::error::ReadError;
use std::io::{Cursor, Read};

/// Limits on what a zip package may expand to: real statistical workbooks expand to well
/// under a megabyte, a zip bomb to gigabytes.
const MAX_PART_BYTES: u64 = 48 * 1024 * 1024;
const MAX_PACKAGE_BYTES: u64 = 96 * 1024 * 1024;

/// Expands every XML part of a zip package, counting, before any parser sees it: a
/// package that would expand past the limits is refused in bounded time. With `keep`, a
/// small package also comes back as a plain stored zip of the same parts, so the parser
/// reads what was expanded here instead of inflating it all again; `None` when the
/// package is large or unusual in any way, and the parser reads the original.
pub(super) fn guard_zip(bytes: &[u8], keep: bool) -> Result<Option<Vec<u8>>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("压缩包结构损坏（{e}），文件可能不完整")))?;
    let mut total = 0u64;
    let mut plain = (keep && zip.len() < usize::from(u16::MAX)).then(Vec::<Part>::new);
    let mut kept = 0usize;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ReadError::Corrupt(format!("压缩包损坏（{e}）")))?;
        let name = part.name().to_string();
        let unzip_error = |e: std::io::Error| ReadError::Corrupt(format!("压缩包中的 {name} 无法解压（{e}）"));
        if !(name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml")) {
            drop(part);
            // Copied as it is stored; the parser checks it if it ever reads it.
            plain = plain.and_then(|mut parts| {
                let raw = raw_part(&mut zip, i, KEEP_BYTES - kept)?;
                kept += raw.data.len();
                parts.push(raw);
                Some(parts)
            });
            continue;
        }
        let plain_part = plain.is_some()
            && matches!(part.compression(), zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated)
            && !part.encrypted()
            && part.name_raw().is_ascii();
        let (crc, declared, name_raw) = (part.crc32(), part.size(), part.name_raw().to_vec());
        let mut data = Vec::new();
        let mut n = 0u64;
        if plain_part {
            // Held while it fits what a small package may keep; counted on past that.
            let budget = KEEP_BYTES - kept;
            data.reserve(usize::try_from(declared).unwrap_or(0).min(budget));
            n = (&mut part).take(budget as u64 + 1).read_to_end(&mut data).map_err(unzip_error)? as u64;
        }
        if !plain_part || n > (KEEP_BYTES - kept) as u64 {
            plain = None;
            data = Vec::new();
            n += std::io::copy(&mut (&mut part).take(MAX_PART_BYTES + 1 - n), &mut std::io::sink())
                .map_err(unzip_error)?;
        }
        total += n;
        if n > MAX_PART_BYTES || total > MAX_PACKAGE_BYTES {
            return Err(ReadError::TooLarge(format!(
                "解压后超过 {} MB（{name}），不像统计表，可能是“压缩炸弹”",
                MAX_PACKAGE_BYTES / 1_048_576
            )));
        }
        if let Some(parts) = plain.as_mut() {
            // A size the directory misstates is the parser's to judge, on the original.
            if n == declared {
                kept += data.len();
                parts.push(Part { name: name_raw, method: 0, crc, size: n as u32, data });
            } else {
                plain = None;
            }
        }
    }
    Ok(plain.filter(|parts| parser_sees_the_same(bytes, parts)).map(|parts| stored_zip(&parts)))
}

/// Whether the parser's zip library reads the original package as the same parts, each
/// with a sound local header: where it would not (a damaged directory one library
/// tolerates and the other refuses), the parser gets the original and says so itself.
fn parser_sees_the_same(bytes: &[u8], parts: &[Part]) -> bool {
    let Ok(mut zip) = zip9::ZipArchive::new(Cursor::new(bytes)) else { return false };
    zip.len() == parts.len()
        && parts.iter().enumerate().all(|(i, p)| {
            zip.by_index_raw(i).is_ok_and(|f| {
                let method = match f.compression() {
                    zip9::CompressionMethod::Stored => 0,
                    zip9::CompressionMethod::Deflated => 8,
                    _ => return false,
                };
                // XML parts are kept expanded (method 0 here) whatever the original's method.
                f.name_raw() == p.name.as_slice()
                    && f.crc32() == p.crc
                    && f.size() == u64::from(p.size)
                    && !f.encrypted()
                    && (p.method == 0 || method == p.method)
            })
        })
}

/// What a small package may hold expanded for the parser; real workbooks are far below.
const KEEP_BYTES: usize = 8 * 1024 * 1024;

/// One part of the plain package: its data as stored there (`method` 0) or as stored in
/// the original (8, deflated; `size` is then the expanded size).
struct Part {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// A part that is not XML, as the original stores it; `None` if it is unusual or larger
/// than `budget`.
fn raw_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, i: usize, budget: usize) -> Option<Part> {
    let mut part = zip.by_index_raw(i).ok()?;
    let method = match part.compression() {
        zip::CompressionMethod::Stored => 0,
        zip::CompressionMethod::Deflated => 8,
        _ => return None,
    };
    let packed = usize::try_from(part.compressed_size()).ok()?;
    if part.encrypted() || !part.name_raw().is_ascii() || packed > budget {
        return None;
    }
    let size = u32::try_from(part.size()).ok()?;
    let (name, crc) = (part.name_raw().to_vec(), part.crc32());
    let mut data = Vec::with_capacity(packed);
    part.read_to_end(&mut data).ok()?;
    (data.len() == packed).then_some(Part { name, method, crc, size, data })
}

/// A zip of the parts, in order, with local headers, central directory and end record
/// and nothing else (no extra fields, data descriptors or comments).
fn stored_zip(parts: &[Part]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| 76 + 2 * p.name.len() + p.data.len()).sum::<usize>() + 22;
    let mut out = Vec::with_capacity(len);
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    // Every field fits: at most KEEP_BYTES of data, names no longer than the original's.
    let mut offsets = Vec::with_capacity(parts.len());
    for p in parts {
        offsets.push(out.len() as u32);
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, p.method, 0, 0x21] {
            u16le(&mut out, v); // version, flags, method, time, date (1980-01-01)
        }
        for v in [p.crc, p.data.len() as u32, p.size] {
            u32le(&mut out, v);
        }
        u16le(&mut out, p.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(&p.name);
        out.extend_from_slice(&p.data);
    }
    let directory = out.len() as u32;
    for (p, &offset) in parts.iter().zip(&offsets) {
        u32le(&mut out, 0x0201_4b50);
        for v in [20, 20, 0, p.method, 0, 0x21] {
            u16le(&mut out, v); // made by, needed, flags, method, time, date
        }
        for v in [p.crc, p.data.len() as u32, p.size] {
            u32le(&mut out, v);
        }
        for v in [p.name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut out, v); // name, extra, comment, disk, internal attributes
        }
        u32le(&mut out, 0); // external attributes
        u32le(&mut out, offset);
        out.extend_from_slice(&p.name);
    }
    let size = out.len() as u32 - directory;
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, parts.len() as u16, parts.len() as u16] {
        u16le(&mut out, v);
    }
    u32le(&mut out, size);
    u32le(&mut out, directory);
    u16le(&mut out, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::open::{open, parse, Format, Sheet};

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
    }

    /// Every sheet's name and cells, as text to compare.
    fn cells(sheets: &[Sheet]) -> Vec<String> {
        sheets.iter().map(|s| format!("{}: {:?}", s.name, s.cells)).collect()
    }

    #[test]
    fn the_stored_copy_reads_as_the_original() {
        for name in ["merged-headers.xlsx", "labels-edited.xlsx", "macro-enabled.xlsm", "full-width-digits.xlsx"] {
            let bytes = fixture(name);
            let plain = guard_zip(&bytes, true).expect("guard").expect("a small plain package is kept");
            assert!(plain.len() > bytes.len(), "{name}: parts are stored expanded");
            let (a, b) = (parse(Format::Xlsx, &plain).expect("copy"), parse(Format::Xlsx, &bytes).expect("original"));
            assert_eq!(cells(&a), cells(&b), "{name}");
            assert!(a.iter().map(|s| s.cells.len()).sum::<usize>() > 50, "{name}");
        }
    }

    #[test]
    fn an_odd_package_is_left_to_the_parser() {
        let bytes = fixture("merged-headers.xlsx");
        // The end record's two entry counts disagree: one zip library reads on, calamine's
        // takes it for a multi-disk archive and refuses.
        let mut odd = bytes.clone();
        let end = odd.len() - 22;
        assert_eq!(&odd[end..end + 4], b"PK\x05\x06");
        odd[end + 10] += 32;
        assert!(matches!(guard_zip(&odd, true), Ok(None)));
        assert!(open(&odd).is_err());
        // Not asked to keep (ods): nothing kept.
        assert!(matches!(guard_zip(&bytes, false), Ok(None)));
    }
}
