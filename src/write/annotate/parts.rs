//! The department's package as parts: read from its zip, changed part by part, written
//! again in the same order through [`ooxml::Package`]; the paths and relationships that
//! lead from one part to another.

use crate::error::PatchError;
use crate::write::ooxml::patch::{self, Spanned};
use crate::write::ooxml::{self, Xml};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// The package's parts, in order, as bytes.
pub(super) struct Parts {
    parts: Vec<(String, Vec<u8>)>,
}

impl Parts {
    pub(super) fn open(bytes: &[u8]) -> Result<Parts, PatchError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(PatchError::NotZip)?;
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i)?;
            let mut buf = Vec::new();
            f.read_to_end(&mut buf)?;
            parts.push((f.name().to_string(), buf));
        }
        Ok(Parts { parts })
    }

    fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, b)| b.as_slice())
    }

    pub(super) fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    pub(super) fn put(&mut self, name: &str, bytes: Vec<u8>) {
        match self.parts.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(p) => p.1 = bytes,
            None => self.parts.push((name.to_string(), bytes)),
        }
    }

    pub(super) fn exists(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub(super) fn finish(self) -> Result<Vec<u8>, PatchError> {
        let size = self.parts.iter().map(|(_, b)| b.len()).sum::<usize>() / 2;
        let mut package = ooxml::Package::new(size);
        for (name, bytes) in &self.parts {
            package.part_compressed(name, bytes)?;
        }
        Ok(package.finish()?)
    }
}

/// Resolves a relationship target against the folder of the part that owns it.
pub(super) fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub(super) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The relationships part of a part: `xl/worksheets/_rels/sheet1.xml.rels`.
pub(super) fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((d, f)) => format!("{d}/_rels/{f}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// One relationship: id, type, target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rel {
    pub id: String,
    pub kind: String,
    pub target: String,
}

/// The relationships of a relationships part.
pub(super) fn relationships(xml: &str) -> Result<Vec<Rel>, PatchError> {
    let mut out = Vec::new();
    for ev in patch::events(xml) {
        let Spanned { event, .. } = ev?;
        if let Event::Start(e) | Event::Empty(e) = event {
            if patch::local_name(&e) == b"Relationship" {
                let get = |k| patch::attr(&e, k).unwrap_or_default();
                out.push(Rel { id: get("Id"), kind: get("Type"), target: get("Target") });
            }
        }
    }
    Ok(out)
}

/// Adds a relationship, creating the part if there is none; returns the part and the id.
pub(super) fn add_rel(xml: Option<String>, kind: &str, target: &str) -> Result<(String, String), PatchError> {
    let xml = xml.unwrap_or_else(|| ooxml::relationships(&[]));
    let ids: Vec<String> = relationships(&xml)?.into_iter().map(|r| r.id).collect();
    let id = (1..).map(|n| format!("rId{n}")).find(|id| !ids.contains(id)).unwrap_or_else(|| "rId9999".into());
    let mut rel = Xml::new(256);
    rel.empty("Relationship", &[("Id", id.as_str().into()), ("Type", kind.into()), ("Target", target.into())]);
    Ok((patch::append_to(&xml, "Relationships", &[], rel.as_str())?, id))
}

/// `[Content_Types].xml` with an `Override` for `/part`, unless it has one.
pub(super) fn add_override(ct: &str, part: &str, kind: &str) -> Result<String, PatchError> {
    let name = format!("/{part}");
    if declared(ct, "Override", |e| patch::attr(e, "PartName").as_deref() == Some(name.as_str()))? {
        return Ok(ct.to_string());
    }
    let mut x = Xml::new(256);
    x.empty("Override", &[("PartName", name.as_str().into()), ("ContentType", kind.into())]);
    patch::append_to(ct, "Types", &[], x.as_str())
}

/// `[Content_Types].xml` with a `Default` for the extension, unless it has one.
pub(super) fn add_default(ct: &str, ext: &str, kind: &str) -> Result<String, PatchError> {
    if declared(ct, "Default", |e| patch::attr(e, "Extension").is_some_and(|x| x.eq_ignore_ascii_case(ext)))? {
        return Ok(ct.to_string());
    }
    let mut x = Xml::new(256);
    x.empty("Default", &[("Extension", ext.into()), ("ContentType", kind.into())]);
    patch::append_to(ct, "Types", &[], x.as_str())
}

fn declared(
    ct: &str,
    local: &str,
    matches: impl Fn(&quick_xml::events::BytesStart<'_>) -> bool,
) -> Result<bool, PatchError> {
    for ev in patch::events(ct) {
        if let Event::Start(e) | Event::Empty(e) = ev?.event {
            if patch::local_name(&e) == local.as_bytes() && matches(&e) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_relationships() {
        assert_eq!(resolve("xl/worksheets", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resolve("xl", "/xl/a.xml"), "xl/a.xml");
        assert_eq!(rels_path("xl/worksheets/sheet1.xml"), "xl/worksheets/_rels/sheet1.xml.rels");
        assert_eq!(rels_path("book.xml"), "_rels/book.xml.rels");
        let (xml, id) = add_rel(None, "t/c", "../c&1.xml").expect("rel");
        assert_eq!(id, "rId1");
        let (xml, id) = add_rel(Some(xml), "t/v", "v.vml").expect("rel");
        assert_eq!(id, "rId2");
        assert_eq!(
            relationships(&xml).expect("rels").iter().map(|r| (r.id.as_str(), r.target.as_str())).collect::<Vec<_>>(),
            [("rId1", "../c&1.xml"), ("rId2", "v.vml")]
        );
        let ct = ooxml::content_types(&[]);
        let once = add_override(&ct, "xl/c.xml", "t/c").expect("ct");
        assert_eq!(add_override(&once, "xl/c.xml", "t/c").expect("ct"), once);
        assert!(once.ends_with("<Override PartName=\"/xl/c.xml\" ContentType=\"t/c\"/></Types>"), "{once}");
        assert_eq!(add_default(&once, "XML", "x").expect("ct"), once);
    }
}
