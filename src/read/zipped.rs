//! The xlsx (and ods) package checked before a parser sees it: every part, whatever its
//! name, expanded and counted by the zip library calamine reads with, so a zip bomb is
//! refused in bounded time; a small package's parts are kept expanded, so no reader
//! inflates them again (the streaming reader reads them in place, calamine from a plain
//! stored zip of them). What a reader then opens is metered too: a part opened many times
//! (many sheets naming one part) counts each time.

use crate::error::ReadError;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom};

/// Limits on what a zip package may expand to: real statistical workbooks expand to well
/// under a megabyte, a zip bomb to gigabytes.
pub(super) const MAX_PART_BYTES: u64 = 48 * 1024 * 1024;
const MAX_PACKAGE_BYTES: u64 = 96 * 1024 * 1024;

/// What the guard measured: every part expanded (when the package is small and ordinary)
/// and each part's expanded size by the offset where its data starts in the original.
pub(super) struct Guarded {
    pub parts: Option<Vec<Part>>,
    pub sizes: HashMap<u64, u64>,
}

impl Guarded {
    /// The kept parts as a plain stored zip, with each part's size by the offset where its
    /// data starts in it: what calamine reads instead of inflating the package again.
    pub(super) fn plain(&self) -> Option<(Vec<u8>, HashMap<u64, u64>)> {
        let parts = self.parts.as_ref()?;
        let (copy, starts) = stored_zip(parts);
        let sizes = starts.into_iter().zip(parts.iter().map(|p| p.data.len() as u64)).collect();
        Some((copy, sizes))
    }
}

/// What kind of package is guarded: its limits are the same, the refusal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Package {
    Workbook,
    Word,
}

impl Package {
    fn noun(self) -> &'static str {
        match self {
            Package::Workbook => "工作簿",
            Package::Word => "Word 文档",
        }
    }
}

fn too_large(package: Package, what: String) -> ReadError {
    match package {
        Package::Workbook => ReadError::TooLarge(format!("{what}，不像统计表，可能是“压缩炸弹”")),
        Package::Word => ReadError::Published(format!("Word 文档过大：{what}，不像年度报告，可能是“压缩炸弹”")),
    }
}

/// Expands every part of a zip package, counting, before any parser sees it: a package
/// that would expand past the limits is refused in bounded time. The parts are read
/// through `zip9`, the library calamine opens them with, so what is counted is exactly
/// what the parser would inflate, whatever the names, the declared sizes or the data
/// descriptors say; a name the central directory lists twice is refused, since which of
/// the two a reader opens is up to the reader. With `keep`, a small package's parts also come
/// back expanded, so the readers read what was expanded here instead of inflating it all
/// again.
pub(crate) fn guard_zip(bytes: &[u8], keep: bool, package: Package) -> Result<Guarded, ReadError> {
    let mut zip = zip9::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("压缩包结构损坏（{e}），文件可能不完整")))?;
    // The libraries keep one entry per name: the guard would count one of two same-named
    // parts while a reader might open the other.
    if zip.has_duplicate_names() {
        return Err(ReadError::Corrupt("压缩包中有两个同名的部件，无法确定该读哪一个，文件可能被篡改".into()));
    }
    let mut total = 0u64;
    let mut plain = (keep && zip.len() < usize::from(u16::MAX)).then(Vec::<Part>::new);
    let mut kept = 0usize;
    let mut sizes = HashMap::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(p) => p,
            // A method or an encryption the library cannot undo: the parser cannot inflate
            // the part either, and says so if it ever opens it.
            Err(zip9::result::ZipError::UnsupportedArchive(_)) => {
                plain = None;
                continue;
            }
            Err(e) => return Err(ReadError::Corrupt(format!("压缩包损坏（{e}）"))),
        };
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        let unzip_error = |e: std::io::Error| ReadError::Corrupt(format!("压缩包中的 {name} 无法解压（{e}）"));
        let plain_part = plain.is_some() && part.name_raw().is_ascii();
        let (crc, name_raw) = (part.crc32(), part.name_raw().to_vec());
        let mut data = Vec::new();
        let mut n = 0u64;
        if plain_part {
            // Held while it fits what a small package may keep; counted on past that. The
            // declared size only sizes the buffer, bounded by the budget.
            let budget = KEEP_BYTES - kept;
            data.reserve(usize::try_from(part.size()).unwrap_or(0).min(budget));
            n = (&mut part).take(budget as u64 + 1).read_to_end(&mut data).map_err(unzip_error)? as u64;
        }
        if !plain_part || n > (KEEP_BYTES - kept) as u64 {
            plain = None;
            data = Vec::new();
            n += std::io::copy(&mut (&mut part).take(MAX_PART_BYTES + 1 - n), &mut std::io::sink())
                .map_err(unzip_error)?;
        }
        if n > MAX_PART_BYTES {
            return Err(too_large(package, format!("{name} 解压后超过 {} MB（单个部件的上限）", MAX_PART_BYTES >> 20)));
        }
        total += n;
        if total > MAX_PACKAGE_BYTES {
            return Err(too_large(
                package,
                format!("解压后合计超过 {} MB（整个{}的上限，超出于 {name}）", MAX_PACKAGE_BYTES >> 20, package.noun()),
            ));
        }
        if let Some(start) = part.data_start() {
            sizes.insert(start, n);
        }
        // A size the directory misstates is the parser's to judge, on the original.
        if n != part.size() {
            plain = None;
        }
        if let Some(parts) = plain.as_mut() {
            kept += data.len();
            parts.push(Part { name: name_raw, crc, data });
        }
    }
    Ok(Guarded { parts: plain, sizes })
}

/// What a small package may hold expanded for the parser; real workbooks are far below.
const KEEP_BYTES: usize = 8 * 1024 * 1024;

/// One part of a small package, expanded; its name is ASCII.
pub(super) struct Part {
    pub name: Vec<u8>,
    crc: u32,
    pub data: Vec<u8>,
}

/// A zip of the parts, in order, with local headers, central directory and end record
/// and nothing else (no extra fields, data descriptors or comments); and where each part's
/// data starts in it.
fn stored_zip(parts: &[Part]) -> (Vec<u8>, Vec<u64>) {
    let len: usize = parts.iter().map(|p| 76 + 2 * p.name.len() + p.data.len()).sum::<usize>() + 22;
    let mut out = Vec::with_capacity(len);
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    // Every field fits: at most KEEP_BYTES of data, names no longer than the original's.
    let mut offsets = Vec::with_capacity(parts.len());
    let mut starts = Vec::with_capacity(parts.len());
    for p in parts {
        offsets.push(out.len() as u32);
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, 0, 0, 0x21] {
            u16le(&mut out, v); // version, flags, method (stored), time, date (1980-01-01)
        }
        for v in [p.crc, p.data.len() as u32, p.data.len() as u32] {
            u32le(&mut out, v);
        }
        u16le(&mut out, p.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(&p.name);
        starts.push(out.len() as u64);
        out.extend_from_slice(&p.data);
    }
    let directory = out.len() as u32;
    for (p, &offset) in parts.iter().zip(&offsets) {
        u32le(&mut out, 0x0201_4b50);
        for v in [20, 20, 0, 0, 0, 0x21] {
            u16le(&mut out, v); // made by, needed, flags, method, time, date
        }
        for v in [p.crc, p.data.len() as u32, p.data.len() as u32] {
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
    (out, starts)
}

/// The package as the parser reads it, charging a part's expanded size each time the
/// parser starts reading its data: the same part opened again and again (a thousand
/// sheets naming one worksheet part) is bounded like one large part.
pub(super) struct Metered<'a> {
    inner: Cursor<&'a [u8]>,
    sizes: &'a HashMap<u64, u64>,
    charged: &'a Cell<u64>,
}

impl<'a> Metered<'a> {
    pub(super) fn new(bytes: &'a [u8], sizes: &'a HashMap<u64, u64>, charged: &'a Cell<u64>) -> Self {
        Metered { inner: Cursor::new(bytes), sizes, charged }
    }
}

/// Why the parser was stopped, when it opened more than the package limit.
pub(super) fn exhausted(charged: &Cell<u64>) -> Option<ReadError> {
    (charged.get() > MAX_PACKAGE_BYTES).then(|| {
        too_large(
            Package::Workbook,
            format!("读取时解压合计超过 {} MB（整个工作簿的上限；同一部件被反复读取）", MAX_PACKAGE_BYTES >> 20),
        )
    })
}

/// Charges one opening of a part of `size` expanded bytes, refusing past the package limit.
pub(super) fn charge(charged: &Cell<u64>, size: u64) -> Result<(), ReadError> {
    charged.set(charged.get().saturating_add(size));
    exhausted(charged).map_or(Ok(()), Err)
}

impl Read for Metered<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(n) = self.sizes.get(&self.inner.position()) {
            self.charged.set(self.charged.get().saturating_add(*n));
        }
        if self.charged.get() > MAX_PACKAGE_BYTES {
            return Err(std::io::Error::other("expanded parts over the package limit"));
        }
        self.inner.read(buf)
    }
}

impl Seek for Metered<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::open::{open, open_xlsx, parse, Format, Sheet};

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
            let (plain, _) = guard_zip(&bytes, true, Package::Workbook)
                .expect("guard")
                .plain()
                .expect("a small plain package is kept");
            assert!(plain.len() > bytes.len(), "{name}: parts are stored expanded");
            let (a, b) = (parse(Format::Xlsx, &plain).expect("copy"), parse(Format::Xlsx, &bytes).expect("original"));
            assert_eq!(cells(&a), cells(&b), "{name}");
            assert!(a.iter().map(|s| s.cells.len()).sum::<usize>() > 50, "{name}");
        }
    }

    #[test]
    fn an_odd_package_is_refused_by_the_parsers_library() {
        let bytes = fixture("merged-headers.xlsx");
        // The end record's two entry counts disagree: calamine's zip library takes it for a
        // multi-disk archive; the guard reads with that library and refuses it first.
        let mut odd = bytes.clone();
        let end = odd.len() - 22;
        assert_eq!(&odd[end..end + 4], b"PK\x05\x06");
        odd[end + 10] += 32;
        assert!(matches!(guard_zip(&odd, true, Package::Workbook), Err(ReadError::Corrupt(_))));
        assert!(open(&odd).is_err());
        // Not asked to keep (ods): nothing kept, every part still measured.
        let g = guard_zip(&bytes, false, Package::Workbook).expect("guard");
        assert!(g.parts.is_none());
        assert_eq!(g.sizes.len(), zip9::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip").len());
    }

    /// Each part the parser opens is charged once per opening, in the copy and in the original.
    #[test]
    fn the_meter_charges_every_part_the_parser_opens() {
        let bytes = fixture("merged-headers.xlsx");
        for keep in [true, false] {
            let g = guard_zip(&bytes, keep, Package::Workbook).expect("guard");
            let plain = g.plain();
            let (input, sizes) = plain.as_ref().map_or((bytes.as_slice(), &g.sizes), |(c, s)| (c.as_slice(), s));
            let charged = Cell::new(0);
            let sheets = open_xlsx(Metered::new(input, sizes, &charged)).expect("read");
            let total: u64 = g.sizes.values().sum();
            eprintln!("keep {keep}: charged {} of {total}, {} sheets", charged.get(), sheets.len());
            assert!(charged.get() > total / 2 && charged.get() <= total, "{keep}: {} of {total}", charged.get());
        }
    }
}
