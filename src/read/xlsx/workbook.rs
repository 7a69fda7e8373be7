//! The package's map: `_rels/.rels` → the workbook part, its relationships, and
//! workbook.xml → each sheet's name, state, kind and part, in order.

use super::xml::{attrs, attrs_of, decoded, element_text, eof, fault, local_key, Res};
use std::collections::HashMap;
use xml42::events::Event;
use xml42::Reader;

/// Where the workbook part is: its folder (`xl/`) and its name (`workbook.xml`).
pub(super) struct Main {
    pub dir: String,
    pub name: String,
}

/// The workbook part named by the package relationships (`officeDocument`; the last wins).
pub(super) fn main_part(xml: &mut Reader<&[u8]>) -> Res<Main> {
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return eof("Relationships"),
            _ => {}
        }
    }
    let mut target = None;
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [typ, to] = attrs_of(e.attributes_raw(), ["Type", "Target"])?;
                if typ.is_some_and(|t| t.ends_with("/relationships/officeDocument")) {
                    if let Some(to) = to {
                        target = Some(decoded(to)?);
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return eof("Relationships"),
            _ => {}
        }
    }
    let Some(target) = target else {
        return fault("_rels/.rels 中没有指向工作簿的关系");
    };
    let (dir, name) = target.rsplit_once('/').map_or(("", target.as_str()), |(d, n)| (&target[..d.len() + 1], n));
    Ok(Main {
        dir: dir.strip_prefix('/').unwrap_or(dir).to_string(),
        name: if name.is_empty() { "workbook.xml".into() } else { name.to_string() },
    })
}

/// The workbook's relationships: id → (target, type), raw as written.
pub(super) fn relationships(xml: &mut Reader<&[u8]>) -> Res<HashMap<String, (String, String)>> {
    let mut out = HashMap::new();
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                if let [Some(id), typ, to] = attrs_of(e.attributes_raw(), ["Id", "Type", "Target"])? {
                    out.insert(
                        id.to_string(),
                        (to.unwrap_or_default().to_string(), typ.unwrap_or_default().to_string()),
                    );
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => return Ok(out),
            Event::Eof => return eof("Relationships"),
            _ => {}
        }
    }
}

/// A sheet's kind, by its relationship type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Worksheet,
    /// Chart, dialog and Excel 4 macro sheets: no table, skipped.
    Other,
}

/// One sheet as workbook.xml lists it.
pub(super) struct Entry {
    pub name: String,
    pub hidden: bool,
    pub kind: Kind,
    pub part: String,
}

/// The sheets in order. `dir` is the workbook part's folder, against which relative
/// targets are read.
pub(super) fn sheets(xml: &mut Reader<&[u8]>, rels: &HashMap<String, (String, String)>, dir: &str) -> Res<Vec<Entry>> {
    let mut out = Vec::new();
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let (mut name, mut rel, mut hidden) = (String::new(), "", false);
                for a in attrs(e.attributes_raw()) {
                    match a? {
                        ("name", v) => name = decoded(v)?,
                        ("state", v) => {
                            hidden = match v {
                                "visible" => false,
                                "hidden" | "veryHidden" => true,
                                v => return fault(format!("工作表“{name}”的状态“{v}”无法识别")),
                            }
                        }
                        (k, v) if local_key(k, "id") => rel = v,
                        _ => {}
                    }
                }
                let Some((target, typ)) = rels.get(rel) else {
                    return fault(format!("工作表“{name}”的关系“{rel}”不存在"));
                };
                let part = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("{dir}{target}"),
                };
                let kind = match typ.rsplit('/').next() {
                    Some("worksheet") => Kind::Worksheet,
                    Some("chartsheet" | "dialogsheet" | "xlMacrosheet" | "xlIntlMacrosheet") => Kind::Other,
                    _ => return fault(format!("工作表“{name}”的类型“{typ}”无法识别")),
                };
                out.push(Entry { name, hidden, kind, part });
            }
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                super::xml::attr(e.attributes_raw(), "date1904")?;
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                if let Some(v) = super::xml::attr(e.attributes_raw(), "name")? {
                    decoded(v)?;
                    let end = e.name().as_ref().to_string();
                    element_text(xml, &end, "workbook")?;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "workbook" => return Ok(out),
            Event::Eof => return eof("workbook"),
            _ => {}
        }
    }
}
