//! The package: a zip of parts with fixed timestamps (the same content gives the same
//! bytes), its content types and relationships.

use super::deflate::deflate_into;
use super::{Xml, DECLARATION};
use zip::result::{ZipError, ZipResult};

/// Parts larger than this are deflated; setting up a deflater costs more than it saves on
/// the small ones.
const DEFLATE_OVER: usize = 16 * 1024;

/// The level large parts are deflated at: the fastest.
const FAST: u32 = 1;
/// The zlib default, for a package that is sent on.
const DEFAULT: u32 = 6;

/// A package being written, part by part. The container is written here (the zip
/// library's layout, byte for byte: the same headers, the fixed time, no data descriptors
/// or extra fields), so that large parts share one compressor per thread.
pub struct Package {
    out: Vec<u8>,
    entries: Vec<Entry>,
}

/// A part's line in the central directory.
struct Entry {
    name: Box<str>,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// Methods of the zip format used here.
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

/// 1980-01-01 00:00:00 in MS-DOS form: the same content gives the same bytes.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

/// The zip library's `permissions` default, a regular file rw-r--r--, in the upper half.
const EXTERNAL_ATTRIBUTES: u32 = 0o100644 << 16;

impl Package {
    pub fn new(capacity: usize) -> Self {
        Package { out: Vec::with_capacity(capacity), entries: Vec::with_capacity(16) }
    }

    /// Adds a part: stored when small, deflated (fastest level) when large.
    pub fn part(&mut self, name: &str, body: &[u8]) -> ZipResult<()> {
        self.add(name, body, (body.len() > DEFLATE_OVER).then_some(FAST))
    }

    /// Adds a part deflated at the default level whatever its size: for a package that is
    /// sent on (the annotated copy goes out by mail), where size counts more than time.
    pub fn part_compressed(&mut self, name: &str, body: &[u8]) -> ZipResult<()> {
        self.add(name, body, Some(DEFAULT))
    }

    fn add(&mut self, name: &str, body: &[u8], level: Option<u32>) -> ZipResult<()> {
        if self.entries.iter().any(|e| &*e.name == name) {
            return Err(ZipError::InvalidArchive(format!("Duplicate filename: {name}").into()));
        }
        if name.len() >= usize::from(u16::MAX) {
            return Err(ZipError::InvalidArchive("part name too long".into()));
        }
        let offset = fits(self.out.len())?;
        let size = fits(body.len())?;
        let method = if level.is_some() { DEFLATED } else { STORED };
        let mut crc = flate2::Crc::new();
        crc.update(body);
        let crc = crc.sum();
        local_header(&mut self.out, name, method, crc, 0, size);
        let start = self.out.len();
        match level {
            Some(level) => deflate_into(&mut self.out, body, level)?,
            None => self.out.extend_from_slice(body),
        }
        let compressed = fits(self.out.len() - start)?;
        // The sizes are known once the data is written, as the zip library patches them.
        let at = offset as usize + 18;
        self.out[at..at + 4].copy_from_slice(&compressed.to_le_bytes());
        self.entries.push(Entry { name: name.into(), method, crc, compressed, size, offset });
        Ok(())
    }

    /// The package's bytes: the parts, then the central directory and its end record.
    pub fn finish(mut self) -> ZipResult<Vec<u8>> {
        let start = fits(self.out.len())?;
        let count = u16::try_from(self.entries.len())
            .ok()
            .filter(|&n| n < u16::MAX)
            .ok_or(ZipError::UnsupportedArchive("too many parts"))?;
        let out = &mut self.out;
        for e in &self.entries {
            let version = version_needed(e.method);
            out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            push16(out, (3 << 8) | version); // made by: Unix
            push16(out, version);
            push16(out, flags(&e.name));
            push16(out, e.method);
            push16(out, DOS_TIME);
            push16(out, DOS_DATE);
            push32(out, e.crc);
            push32(out, e.compressed);
            push32(out, e.size);
            push16(out, e.name.len() as u16);
            push16(out, 0); // extra field
            push16(out, 0); // comment
            push16(out, 0); // disk
            push16(out, 0); // internal attributes
            push32(out, EXTERNAL_ATTRIBUTES);
            push32(out, e.offset);
            out.extend_from_slice(e.name.as_bytes());
        }
        let size = fits(out.len())? - start;
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        push16(out, 0); // this disk
        push16(out, 0); // the directory's disk
        push16(out, count);
        push16(out, count);
        push32(out, size);
        push32(out, start);
        push16(out, 0); // comment
        Ok(self.out)
    }
}

/// A local file header, its compressed size to be patched (at offset 18).
fn local_header(out: &mut Vec<u8>, name: &str, method: u16, crc: u32, compressed: u32, size: u32) {
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    push16(out, version_needed(method));
    push16(out, flags(name));
    push16(out, method);
    push16(out, DOS_TIME);
    push16(out, DOS_DATE);
    push32(out, crc);
    push32(out, compressed);
    push32(out, size);
    push16(out, name.len() as u16);
    push16(out, 0); // extra field
    out.extend_from_slice(name.as_bytes());
}

/// 1.0 for stored, 2.0 for deflated.
fn version_needed(method: u16) -> u16 {
    if method == DEFLATED {
        20
    } else {
        10
    }
}

/// Bit 11 (names in UTF-8) when a name is not ASCII.
fn flags(name: &str) -> u16 {
    if name.is_ascii() {
        0
    } else {
        1 << 11
    }
}

/// A size or an offset in the 32 bits of a zip without zip64; parts are far smaller.
fn fits(n: usize) -> ZipResult<u32> {
    u32::try_from(n).ok().filter(|&n| n < u32::MAX).ok_or(ZipError::UnsupportedArchive("package over 4 GB"))
}

fn push16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn push32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// `[Content_Types].xml`: XML and relationship parts by extension, the others by name.
pub fn content_types(overrides: &[(&str, &str)]) -> String {
    let mut x = Xml::new(2048);
    x.raw(DECLARATION);
    x.open("Types", &[("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types".into())]);
    x.empty(
        "Default",
        &[
            ("Extension", "rels".into()),
            ("ContentType", "application/vnd.openxmlformats-package.relationships+xml".into()),
        ],
    );
    x.empty("Default", &[("Extension", "xml".into()), ("ContentType", "application/xml".into())]);
    for (part, content_type) in overrides {
        x.empty("Override", &[("PartName", (*part).into()), ("ContentType", (*content_type).into())]);
    }
    x.close("Types");
    x.into_string()
}

/// One relationship of a part: id, type (a URI) and target.
pub type Relationship<'a> = (&'a str, &'a str, &'a str);

/// A relationships part (`_rels/….rels`).
pub fn relationships(rels: &[Relationship<'_>]) -> String {
    let mut x = Xml::new(1024);
    x.raw(DECLARATION);
    x.open("Relationships", &[("xmlns", super::NS_PACKAGE_RELS.into())]);
    for (id, kind, target) in rels {
        x.empty("Relationship", &[("Id", (*id).into()), ("Type", (*kind).into()), ("Target", (*target).into())]);
    }
    x.close("Relationships");
    x.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime, ZipWriter};

    /// The package as the zip library wrote it before (the reference for every byte).
    fn by_zip_library(parts: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
        let mut z = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body, compressed) in parts {
            let deflate = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .last_modified_time(DateTime::default());
            let opts = if *compressed {
                deflate
            } else if body.len() > DEFLATE_OVER {
                deflate.compression_level(Some(1))
            } else {
                deflate.compression_method(CompressionMethod::Stored).compression_level(None)
            };
            z.start_file(*name, opts).expect("start");
            z.write_all(body).expect("write");
        }
        z.finish().expect("finish").into_inner()
    }

    fn ours(parts: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
        let mut p = Package::new(0);
        for (name, body, compressed) in parts {
            if *compressed {
                p.part_compressed(name, body).expect("part");
            } else {
                p.part(name, body).expect("part");
            }
        }
        p.finish().expect("finish")
    }

    /// Text like a sheet's XML, varied enough that deflate's blocks and matches vary.
    fn xmlish(n: usize, seed: u64) -> Vec<u8> {
        let mut s = String::with_capacity(n + 64);
        let mut x = seed;
        while s.len() < n {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            s.push_str(&format!("<c r=\"B{}\" s=\"{}\"><v>{}</v></c>", x >> 54, (x >> 40) % 7, x >> 33));
        }
        s.truncate(n);
        s.into_bytes()
    }

    #[test]
    fn bytes_are_the_zip_librarys() {
        let parts = vec![
            ("[Content_Types].xml", b"<Types/>".to_vec(), false),
            ("xl/worksheets/sheet1.xml", xmlish(90_000, 1), false),
            ("xl/worksheets/sheet2.xml", xmlish(DEFLATE_OVER + 1, 2), false),
            ("xl/sharedStrings.xml", xmlish(DEFLATE_OVER, 3), false),
            ("word/document.xml", "表格 ".repeat(40_000).into_bytes(), false),
            ("名字.xml", xmlish(300_000, 4), false),
            ("empty.xml", Vec::new(), false),
            ("mailed.xml", xmlish(70_000, 5), true),
            ("mailed-small.xml", b"<a/>".to_vec(), true),
            ("after.xml", xmlish(40_000, 6), false),
        ];
        // Twice: the second package's compressors are the first's, reset.
        for _ in 0..2 {
            assert_eq!(ours(&parts), by_zip_library(&parts));
        }
        assert_eq!(ours(&parts[..0]), by_zip_library(&parts[..0]));
    }

    #[test]
    fn a_name_given_twice_is_refused() {
        let mut p = Package::new(0);
        p.part("a.xml", b"<a/>").expect("part");
        assert!(matches!(p.part("a.xml", b"<b/>"), Err(ZipError::InvalidArchive(_))));
    }

    #[test]
    fn parts_have_fixed_times_and_read_back() {
        let mut p = Package::new(0);
        p.part("a.xml", b"<a/>").expect("part");
        p.part("big.xml", "x".repeat(DEFLATE_OVER + 1).as_bytes()).expect("part");
        let bytes = p.finish().expect("zip");
        let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).expect("read");
        let a = z.by_name("a.xml").expect("a");
        assert_eq!(a.compression(), CompressionMethod::Stored);
        assert_eq!(a.last_modified(), Some(DateTime::default()));
        drop(a);
        assert_eq!(z.by_name("big.xml").expect("big").compression(), CompressionMethod::Deflated);
        let mut again = Package::new(0);
        again.part("a.xml", b"<a/>").expect("part");
        again.part("big.xml", "x".repeat(DEFLATE_OVER + 1).as_bytes()).expect("part");
        assert_eq!(again.finish().expect("zip"), bytes);
    }

    #[test]
    fn content_types_and_relationships() {
        assert_eq!(
            content_types(&[("/a.xml", "t/a")]),
            format!(
                "{DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/a.xml\" ContentType=\"t/a\"/></Types>"
            )
        );
        assert_eq!(
            relationships(&[("rId1", "t", "a&b.xml")]),
            format!(
                "{DECLARATION}<Relationships xmlns=\"{}\"><Relationship Id=\"rId1\" Type=\"t\" Target=\"a&amp;b.xml\"/></Relationships>",
                crate::write::ooxml::NS_PACKAGE_RELS
            )
        );
    }
}
