//! `styles.xml`: the three fills added, and per (existing style, severity) used by a
//! marked cell a copy of that style with the fill.

use super::{GREEN, RED, YELLOW};
use crate::error::PatchError;
use crate::finding::Severity;
use crate::write::ooxml::patch;
use crate::write::ooxml::Xml;
use std::collections::{BTreeMap, BTreeSet};

/// The styles part written for a workbook that has none.
pub(super) const MINIMAL_STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs></styleSheet>";

/// (existing style index, severity) → the index of its filled copy.
pub(super) type StyleMap = BTreeMap<(usize, Severity), usize>;

/// Adds the three fills and, per (existing style, severity) in `used`, a copy of the style
/// with the fill. Returns the new styles XML and the map to the new style indexes.
pub(super) fn patch_styles(xml: &str, used: &BTreeSet<(usize, Severity)>) -> Result<(String, StyleMap), PatchError> {
    let Some((fills, _, _)) = patch::first(xml, "fills")? else {
        return Err(PatchError::NoElement { part: "styles.xml ", element: "fills" });
    };
    let pre = patch::prefix_of(&fills);
    let nfills = patch::children(xml, "fills", "fill")?.len();
    let mut added = Xml::new(512);
    for rgb in [RED, YELLOW, GREEN] {
        added
            .open(&format!("{pre}fill"), &[])
            .open(&format!("{pre}patternFill"), &[("patternType", "solid".into())])
            .empty(&format!("{pre}fgColor"), &[("rgb", rgb.into())])
            .empty(&format!("{pre}bgColor"), &[("indexed", 64i64.into())])
            .close(&format!("{pre}patternFill"))
            .close(&format!("{pre}fill"));
    }
    let count = (nfills + 3).to_string();
    let xml = patch::append_to(xml, "fills", &[("count", &count)], added.as_str())?;
    let (red_id, yellow_id, green_id) = (nfills, nfills + 1, nfills + 2);

    let xfs = patch::children(&xml, "cellXfs", "xf")?;
    let Some(first) = xfs.first() else {
        return Err(PatchError::NoElement { part: "styles.xml ", element: "cellXfs" });
    };
    let mut map = BTreeMap::new();
    let mut added = Xml::new(256 * used.len());
    for (i, &(s, sev)) in used.iter().enumerate() {
        let base = xfs.get(s).unwrap_or(first);
        let fill_id = match sev {
            Severity::Error => red_id,
            Severity::Warning => yellow_id,
            Severity::Info => green_id,
        }
        .to_string();
        let Some((tag, empty)) = patch::tag_at(&xml[base.tag.clone()]) else { continue };
        patch::start_tag(&mut added, &tag, &[("fillId", &fill_id), ("applyFill", "1")], empty);
        // The style's own content (alignment, protection) and end tag, as they were.
        added.raw(&xml[base.tag.end..base.whole.end]);
        map.insert((s, sev), xfs.len() + i);
    }
    let count = (xfs.len() + used.len()).to_string();
    let xml = patch::append_to(&xml, "cellXfs", &[("count", &count)], added.as_str())?;
    Ok((xml, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_style_used_gets_a_filled_copy() {
        let used = BTreeSet::from([(0, Severity::Info), (1, Severity::Error), (7, Severity::Warning)]);
        let xml = "<x:styleSheet xmlns:x=\"m\"><x:fills count=\"2\"><x:fill/><x:fill/></x:fills>\
                   <x:cellXfs count=\"2\"><x:xf fillId=\"0\"/><x:xf fontId=\"1\" fillId=\"0\"><x:alignment/></x:xf></x:cellXfs></x:styleSheet>";
        let (out, map) = patch_styles(xml, &used).expect("styles");
        assert_eq!(
            map,
            BTreeMap::from([((0, Severity::Info), 2), ((1, Severity::Error), 3), ((7, Severity::Warning), 4)])
        );
        assert!(out.contains("<x:fills count=\"5\"><x:fill/><x:fill/><x:fill><x:patternFill patternType=\"solid\"><x:fgColor rgb=\"FFFFC7CE\"/><x:bgColor indexed=\"64\"/></x:patternFill></x:fill>"), "{out}");
        assert!(
            out.ends_with(
                "<x:cellXfs count=\"5\"><x:xf fillId=\"0\"/><x:xf fontId=\"1\" fillId=\"0\"><x:alignment/></x:xf>\
             <x:xf fillId=\"4\" applyFill=\"1\"/><x:xf fontId=\"1\" fillId=\"2\" applyFill=\"1\"><x:alignment/></x:xf>\
             <x:xf fillId=\"3\" applyFill=\"1\"/></x:cellXfs></x:styleSheet>"
            ),
            "{out}"
        );
        assert_eq!(
            patch_styles("<styleSheet/>", &used).err().map(|e| e.to_string()).as_deref(),
            Some("styles.xml 中没有 fills")
        );
    }
}
