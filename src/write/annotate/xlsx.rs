//! An xlsx patched part by part: styles gain the fills, each marked sheet its styled cells
//! and comments; every other part stays as it was.

use super::parts::{self, Parts};
use super::{cells, comments, styles, Mark, Marks};
use crate::error::PatchError;
use crate::finding::Severity;
use crate::write::ooxml::patch;
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};

const REL_STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const CT_STYLES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

/// sheet name → part path.
type SheetParts = BTreeMap<String, String>;

/// The sheets' parts, from the workbook and its relationships.
fn sheet_parts(wb: &str, rels: &[parts::Rel], wb_dir: &str) -> Result<SheetParts, PatchError> {
    let mut sheets = BTreeMap::new();
    for ev in patch::events(wb) {
        let (Event::Start(e) | Event::Empty(e)) = ev?.event else { continue };
        if patch::local_name(&e) != b"sheet" {
            continue;
        }
        let Some(name) = patch::attr(&e, "name") else { continue };
        let target = patch::prefixed_attr(&e, "id").and_then(|id| rels.iter().find(|r| r.id == id));
        if let Some(rel) = target {
            sheets.insert(name, parts::resolve(wb_dir, &rel.target));
        }
    }
    Ok(sheets)
}

pub(super) fn patch_xlsx(bytes: &[u8], m: &Marks) -> Result<Vec<u8>, PatchError> {
    let mut pkg = Parts::open(bytes)?;
    if m.is_empty() {
        return Ok(bytes.to_vec());
    }
    let root_rels = parts::relationships(&pkg.text("_rels/.rels").unwrap_or_default())?;
    let wb_path = root_rels
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| parts::resolve("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".into());
    let wb = pkg.text(&wb_path).ok_or(PatchError::NoPart("workbook.xml"))?;
    let wb_rels_path = parts::rels_path(&wb_path);
    let wb_rels = pkg.text(&wb_rels_path).unwrap_or_default();
    let rels = parts::relationships(&wb_rels)?;
    let wb_dir = parts::dir_of(&wb_path).to_string();
    let sheets = sheet_parts(&wb, &rels, &wb_dir)?;
    let mut ct = pkg.text("[Content_Types].xml").ok_or(PatchError::NoPart("[Content_Types].xml"))?;

    // Styles: one filled copy per (style, severity) used by a marked cell.
    let styles_path = match rels.iter().find(|r| r.kind == REL_STYLES) {
        Some(r) => parts::resolve(&wb_dir, &r.target),
        None => {
            let path = format!("{wb_dir}/styles.xml");
            let (x, _) = parts::add_rel(Some(wb_rels.clone()), REL_STYLES, "styles.xml")?;
            pkg.put(&wb_rels_path, x.into_bytes());
            ct = parts::add_override(&ct, &path, CT_STYLES)?;
            pkg.put(&path, styles::MINIMAL_STYLES.as_bytes().to_vec());
            path
        }
    };
    let styles = pkg.text(&styles_path).unwrap_or_else(|| styles::MINIMAL_STYLES.into());
    let mut used: BTreeSet<(usize, Severity)> = BTreeSet::new();
    let mut sheet_xml: BTreeMap<String, (String, cells::Grid)> = BTreeMap::new();
    for (name, marked) in m {
        let Some(path) = sheets.get(name) else { continue };
        let Some(xml) = pkg.text(path) else { continue };
        let grid = cells::scan(&xml)?;
        for ((r, c), mk) in marked {
            let s = grid.get(r).and_then(|row| row.get(c)).copied().unwrap_or(0);
            used.insert((s, mk.severity));
        }
        sheet_xml.insert(name.clone(), (xml, grid));
    }
    let (styles, map) = styles::patch_styles(&styles, &used)?;
    pkg.put(&styles_path, styles.into_bytes());
    let new_style = |s: usize, sev: Severity| map.get(&(s, sev)).or_else(|| map.get(&(0, sev))).copied().unwrap_or(0);

    for (i, (name, (xml, grid))) in sheet_xml.into_iter().enumerate() {
        let (Some(path), Some(marked)) = (sheets.get(&name), m.get(&name)) else { continue };
        let patched = cells::patch_cells(&xml, &grid, marked, &new_style)?;
        // Comments only for cells with findings; cells only read get none.
        let noted: BTreeMap<(u32, u32), Mark> =
            marked.iter().filter(|(_, m)| !m.messages.is_empty()).map(|(k, m)| (*k, m.clone())).collect();
        let patched = if noted.is_empty() {
            patched
        } else {
            comments::comments_for_sheet(&mut pkg, &mut ct, path, patched, &noted, i as u32 + 1)?
        };
        pkg.put(path, patched.into_bytes());
    }
    pkg.put("[Content_Types].xml", ct.into_bytes());
    pkg.finish()
}
