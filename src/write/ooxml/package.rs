//! The package: a zip of parts with fixed timestamps (the same content gives the same
//! bytes), its content types and relationships.

use super::{Xml, DECLARATION};
use std::io::{Cursor, Write};
use zip::result::ZipResult;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Parts larger than this are deflated; setting up a deflater costs more than it saves on
/// the small ones.
const DEFLATE_OVER: usize = 16 * 1024;

/// A package being written, part by part.
pub struct Package {
    zip: ZipWriter<Cursor<Vec<u8>>>,
}

impl Package {
    pub fn new(capacity: usize) -> Self {
        Package { zip: ZipWriter::new(Cursor::new(Vec::with_capacity(capacity))) }
    }

    /// Adds a part: stored when small, deflated (fastest level) when large.
    pub fn part(&mut self, name: &str, body: &[u8]) -> ZipResult<()> {
        let deflate = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(DateTime::default());
        let opts = if body.len() > DEFLATE_OVER {
            deflate
        } else {
            deflate.compression_method(CompressionMethod::Stored).compression_level(None)
        };
        self.zip.start_file(name, opts)?;
        self.zip.write_all(body)?;
        Ok(())
    }

    /// Adds a part deflated at the default level whatever its size: for a package that is
    /// sent on (the annotated copy goes out by mail), where size counts more than time.
    pub fn part_compressed(&mut self, name: &str, body: &[u8]) -> ZipResult<()> {
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default());
        self.zip.start_file(name, opts)?;
        self.zip.write_all(body)?;
        Ok(())
    }

    /// The package's bytes.
    pub fn finish(self) -> ZipResult<Vec<u8>> {
        Ok(self.zip.finish()?.into_inner())
    }
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
