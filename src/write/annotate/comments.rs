//! The comments of a sheet (a note per marked cell with its messages): new comments and
//! VML drawing parts, or the sheet's own merged into; the sheet's `legacyDrawing`.

use super::parts::{self, Parts};
use super::{Mark, AUTHOR};
use crate::error::PatchError;
use crate::write::ooxml::patch::{self, Spanned};
use crate::write::ooxml::{Xml, DECLARATION, NS_OFFICE_RELS};
use quick_xml::events::Event;
use std::collections::BTreeMap;

const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_COMMENTS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const CT_COMMENTS: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";

/// The shape type of a note, shared by all the notes of a drawing.
const SHAPE_TYPE: &str = "_x0000_t202";

/// The comments of one sheet: written as new parts, or merged into the sheet's own.
/// Returns the sheet, given a `legacyDrawing` where it needs one.
pub(super) fn comments_for_sheet(
    pkg: &mut Parts,
    ct: &mut String,
    sheet_path: &str,
    sheet_xml: String,
    cells: &BTreeMap<(u32, u32), Mark>,
    n: u32,
) -> Result<String, PatchError> {
    let rels_name = parts::rels_path(sheet_path);
    let rels = pkg.text(&rels_name);
    let base = parts::dir_of(sheet_path).to_string();
    let existing = match rels.as_deref() {
        Some(x) => parts::relationships(x)?,
        None => Vec::new(),
    };
    let old_comments = existing.iter().find(|r| r.kind == REL_COMMENTS).map(|r| parts::resolve(&base, &r.target));
    let legacy = patch::first(&sheet_xml, "legacyDrawing")?;
    let old_vml = legacy.as_ref().and_then(|(e, _, _)| {
        let id = patch::prefixed_attr(e, "id")?;
        existing.iter().find(|r| r.id == id).map(|r| parts::resolve(&base, &r.target))
    });
    let has_legacy = legacy.is_some();

    if let (Some(cpath), Some(vpath)) = (old_comments.filter(|p| pkg.exists(p)), old_vml.filter(|p| pkg.exists(p))) {
        let (cx, new_cells) = merge_comments(&pkg.text(&cpath).unwrap_or_default(), cells)?;
        pkg.put(&cpath, cx.into_bytes());
        let vx = merge_shapes(&pkg.text(&vpath).unwrap_or_default(), &new_cells, n)?;
        pkg.put(&vpath, vx.into_bytes());
        return Ok(sheet_xml);
    }

    // New comments and drawing parts with names nobody uses.
    let mut k = n;
    while pkg.exists(&format!("xl/comments{k}.xml")) || pkg.exists(&format!("xl/drawings/vmlDrawing{k}.vml")) {
        k += 1;
    }
    let cpath = format!("xl/comments{k}.xml");
    let vpath = format!("xl/drawings/vmlDrawing{k}.vml");
    let mut cx = Xml::new(1024 + 256 * cells.len());
    cx.raw(DECLARATION).open("comments", &[("xmlns", NS_MAIN.into())]);
    cx.open("authors", &[]).text_element("author", &[], AUTHOR).close("authors");
    cx.open("commentList", &[]);
    let mut shapes = Xml::new(1024 * cells.len());
    for (i, (&(r, c), m)) in cells.iter().enumerate() {
        comment(&mut cx, "", &super::cells::a1(r, c), 0, &m.messages.join("\n"));
        shape(&mut shapes, k * 1024 + 1 + i as u32, r, c);
    }
    cx.close("commentList").close("comments");
    pkg.put(&cpath, cx.into_string().into_bytes());
    pkg.put(&vpath, vml(k, shapes.as_str()).into_bytes());
    let rel_target = |p: &str| {
        let depth = base.split('/').filter(|s| !s.is_empty()).count();
        let up = "../".repeat(depth.saturating_sub(1));
        format!("{up}{}", p.strip_prefix("xl/").unwrap_or(p))
    };
    let (rx, _) = parts::add_rel(rels, REL_COMMENTS, &rel_target(&cpath))?;
    let (rx, vid) = parts::add_rel(Some(rx), REL_VML, &rel_target(&vpath))?;
    pkg.put(&rels_name, rx.into_bytes());
    *ct = parts::add_default(ct, "vml", CT_VML)?;
    *ct = parts::add_override(ct, &cpath, CT_COMMENTS)?;
    if has_legacy {
        // A drawing without comments (form controls): comments need a legacyDrawing of
        // their own, which a sheet can have only once.
        return Err(PatchError::LegacyDrawing);
    }
    add_legacy_drawing(&sheet_xml, &vid)
}

/// The sheet's own comments with ours merged in: a new author, our messages appended to
/// a comment the cell has, a new comment where it has none. Returns the part and the
/// cells given a new comment (they need a shape).
fn merge_comments(cx: &str, cells: &BTreeMap<(u32, u32), Mark>) -> Result<(String, Vec<(u32, u32)>), PatchError> {
    let author = patch::children(cx, "authors", "author")?.len();
    let pre = match patch::first(cx, "comments")? {
        Some((e, _, _)) => patch::prefix_of(&e),
        None => String::new(),
    };
    let mut a = Xml::new(64);
    a.text_element(&format!("{pre}author"), &[], AUTHOR);
    let cx = patch::append_to(cx, "authors", &[], a.as_str())?;
    // ref → our text, for the cells that have a comment already.
    let mut refs: BTreeMap<String, String> = BTreeMap::new();
    for ev in patch::events(&cx) {
        if let Event::Start(e) | Event::Empty(e) = ev?.event {
            if patch::local_name(&e) == b"comment" {
                if let Some(r) = patch::attr(&e, "ref") {
                    refs.entry(r).or_default();
                }
            }
        }
    }
    let mut added = Xml::new(256 * cells.len());
    let mut new_cells = Vec::new();
    for (&(r, c), m) in cells {
        let cref = super::cells::a1(r, c);
        let text = m.messages.join("\n");
        match refs.get_mut(&cref) {
            Some(t) => *t = text,
            None => {
                comment(&mut added, &pre, &cref, author, &text);
                new_cells.push((r, c));
            }
        }
    }
    let cx = append_runs(&cx, &refs)?;
    Ok((patch::append_to(&cx, "commentList", &[], added.as_str())?, new_cells))
}

/// Appends a run with `text` (on a new line) to the text of the first comment of each ref.
fn append_runs(cx: &str, texts: &BTreeMap<String, String>) -> Result<String, PatchError> {
    let mut x = Xml::new(cx.len() + 256 * texts.len());
    let mut copied = 0;
    let mut done: Vec<&str> = Vec::new();
    // The text of the comment being read, and the depth of its `text` element.
    let mut current: Option<&str> = None;
    let mut text_depth: Option<usize> = None;
    let mut depth = 0usize;
    let run = |x: &mut Xml, pre: &str, text: &str| {
        x.open(&format!("{pre}r"), &[]);
        x.open(&format!("{pre}t"), &[("xml:space", "preserve".into())]).plain_text("\n").plain_text(text);
        x.close(&format!("{pre}t")).close(&format!("{pre}r"));
    };
    let mut pre = String::new();
    for ev in patch::events(cx) {
        let Spanned { event, span } = ev?;
        match event {
            Event::Start(e) => {
                let local = patch::local_name(&e);
                if local == b"comment" {
                    current = patch::attr(&e, "ref")
                        .and_then(|r| texts.get_key_value(&r))
                        .map(|(k, _)| k.as_str())
                        .filter(|k| !done.contains(k) && !texts[*k].is_empty());
                } else if local == b"text" && current.is_some() {
                    text_depth = Some(depth);
                    pre = patch::prefix_of(&e);
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let (Some(k), Some(true)) = (current, text_depth.map(|d| d == depth)) {
                    x.raw(&cx[copied..span.start]);
                    run(&mut x, &pre, &texts[k]);
                    copied = span.start;
                    done.push(k);
                    current = None;
                    text_depth = None;
                }
            }
            _ => {}
        }
    }
    x.raw(&cx[copied..]);
    Ok(x.into_string())
}

/// One comment: the cell, the author, the text in one run (9 pt 宋体).
fn comment(x: &mut Xml, pre: &str, cell: &str, author: usize, text: &str) {
    let el = |local: &str| format!("{pre}{local}");
    x.open(&el("comment"), &[("ref", cell.into()), ("authorId", author.into())]);
    x.open(&el("text"), &[]).open(&el("r"), &[]).open(&el("rPr"), &[]);
    x.empty(&el("sz"), &[("val", 9i64.into())]).empty(&el("rFont"), &[("val", "宋体".into())]);
    x.close(&el("rPr"));
    x.open(&el("t"), &[("xml:space", "preserve".into())]).plain_text(text).close(&el("t"));
    x.close(&el("r")).close(&el("text")).close(&el("comment"));
}

/// The sheet's own drawing with a shape for each new comment, numbered after its own.
fn merge_shapes(vx: &str, new_cells: &[(u32, u32)], n: u32) -> Result<String, PatchError> {
    let mut max_id: Option<u32> = None;
    let mut has_type = false;
    let mut end: Option<usize> = None;
    for ev in patch::events(vx) {
        let Spanned { event, span } = ev?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                for (key, value) in patch::attributes(&e) {
                    if key == "id" && value == SHAPE_TYPE {
                        has_type = true;
                    }
                    if let Some(id) = value.strip_prefix("_x0000_s").and_then(|d| d.parse::<u32>().ok()) {
                        max_id = max_id.max(Some(id));
                    }
                }
            }
            // The last `</xml>`: VML is not always well-formed enough to count depth.
            Event::End(e) if e.local_name().into_inner() == b"xml" => end = Some(span.start),
            _ => {}
        }
    }
    let Some(end) = end else { return Err(PatchError::UnknownDrawing) };
    let max_id = max_id.unwrap_or(n * 1024);
    let mut x = Xml::new(vx.len() + 1024 * (new_cells.len() + 1));
    x.raw(&vx[..end]);
    if !has_type {
        shape_type(&mut x);
    }
    for (k, (r, c)) in new_cells.iter().enumerate() {
        shape(&mut x, max_id + 1 + k as u32, *r, *c);
    }
    x.raw(&vx[end..]);
    Ok(x.into_string())
}

fn shape_type(x: &mut Xml) {
    x.open(
        "v:shapetype",
        &[
            ("id", SHAPE_TYPE.into()),
            ("coordsize", "21600,21600".into()),
            ("o:spt", "202".into()),
            ("path", "m,l,21600r21600,l21600,xe".into()),
        ],
    );
    x.empty("v:stroke", &[("joinstyle", "miter".into())]);
    x.empty("v:path", &[("gradientshapeok", "t".into()), ("o:connecttype", "rect".into())]);
    x.close("v:shapetype");
}

/// The hidden note shape of a cell, anchored beside it.
fn shape(x: &mut Xml, id: u32, row: u32, col: u32) {
    let style = format!(
        "position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:270pt;height:90pt;z-index:{id};visibility:hidden"
    );
    x.open(
        "v:shape",
        &[
            ("id", format!("_x0000_s{id}").as_str().into()),
            ("type", format!("#{SHAPE_TYPE}").as_str().into()),
            ("style", style.as_str().into()),
            ("fillcolor", "#ffffe1".into()),
            ("o:insetmode", "auto".into()),
        ],
    );
    x.empty("v:fill", &[("color2", "#ffffe1".into())]);
    x.empty("v:shadow", &[("on", "t".into()), ("color", "black".into()), ("obscured", "t".into())]);
    x.empty("v:path", &[("o:connecttype", "none".into())]);
    x.open("v:textbox", &[("style", "mso-direction-alt:auto".into())]);
    x.open("div", &[("style", "text-align:left".into())]).close("div");
    x.close("v:textbox");
    x.open("x:ClientData", &[("ObjectType", "Note".into())]);
    x.empty("x:MoveWithCells", &[]).empty("x:SizeWithCells", &[]);
    let anchor = format!("{}, 15, {}, 10, {}, 15, {}, 4", col + 1, row, col + 5, row + 6);
    x.text_element("x:Anchor", &[], &anchor);
    x.text_element("x:AutoFill", &[], "False");
    x.text_element("x:Row", &[], &row.to_string());
    x.text_element("x:Column", &[], &col.to_string());
    x.close("x:ClientData").close("v:shape");
}

/// A new drawing part holding the shapes.
fn vml(idmap: u32, shapes: &str) -> String {
    let mut x = Xml::new(1024 + shapes.len());
    x.open(
        "xml",
        &[
            ("xmlns:v", "urn:schemas-microsoft-com:vml".into()),
            ("xmlns:o", "urn:schemas-microsoft-com:office:office".into()),
            ("xmlns:x", "urn:schemas-microsoft-com:office:excel".into()),
        ],
    );
    x.open("o:shapelayout", &[("v:ext", "edit".into())]);
    x.empty("o:idmap", &[("v:ext", "edit".into()), ("data", idmap.into())]);
    x.close("o:shapelayout");
    shape_type(&mut x);
    x.raw(shapes).close("xml");
    x.into_string()
}

/// Elements that follow legacyDrawing in a worksheet (ECMA-376 order).
const AFTER_LEGACY: [&[u8]; 9] = [
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",
];

/// Adds `<legacyDrawing r:id="…"/>` in its place among the worksheet's children,
/// declaring the relationships namespace on the worksheet if it does not.
fn add_legacy_drawing(xml: &str, rid: &str) -> Result<String, PatchError> {
    let mut x = Xml::new(xml.len() + 128);
    let mut copied = 0;
    let mut depth = 0usize;
    // The worksheet's prefix (`x:`) and the relationships namespace's, once the root is read.
    let mut names: Option<(String, String)> = None;
    let el = |x: &mut Xml, (pre, rp): &(String, String)| {
        x.empty(&format!("{pre}legacyDrawing"), &[(&format!("{rp}:id"), rid.into())]);
    };
    for ev in patch::events(xml) {
        let Spanned { event, span } = ev?;
        let opens = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) if names.is_none() && patch::local_name(&e) == b"worksheet" => {
                let declared = patch::attributes(&e)
                    .into_iter()
                    .find_map(|(k, v)| k.strip_prefix("xmlns:").filter(|_| v == NS_OFFICE_RELS).map(str::to_string));
                let rp = match declared {
                    Some(rp) => rp,
                    None => {
                        x.raw(&xml[copied..span.start]);
                        patch::start_tag(&mut x, &e, &[("xmlns:nbr", NS_OFFICE_RELS)], false);
                        copied = span.end;
                        "nbr".to_string()
                    }
                };
                names = Some((patch::prefix_of(&e), rp));
                depth += 1;
            }
            Event::Start(e) | Event::Empty(e) if depth == 1 => {
                if let Some(n) = names.as_ref().filter(|_| AFTER_LEGACY.contains(&patch::local_name(&e))) {
                    x.raw(&xml[copied..span.start]);
                    el(&mut x, n);
                    x.raw(&xml[span.start..]);
                    return Ok(x.into_string());
                }
                if opens {
                    depth += 1;
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some(n) = names.as_ref().filter(|_| depth == 0) {
                    x.raw(&xml[copied..span.start]);
                    el(&mut x, n);
                    x.raw(&xml[span.start..]);
                    return Ok(x.into_string());
                }
            }
            _ => {}
        }
    }
    x.raw(&xml[copied..]);
    Ok(x.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_drawing_goes_before_the_parts_that_follow_it() {
        let xml = "<worksheet xmlns=\"m\"><sheetData/><pageMargins/><tableParts count=\"0\"/></worksheet>";
        assert_eq!(
            add_legacy_drawing(xml, "rId3").expect("patch"),
            format!("<worksheet xmlns=\"m\" xmlns:nbr=\"{NS_OFFICE_RELS}\"><sheetData/><pageMargins/><legacyDrawing nbr:id=\"rId3\"/><tableParts count=\"0\"/></worksheet>")
        );
        let xml = format!("<x:worksheet xmlns:x=\"m\" xmlns:r=\"{NS_OFFICE_RELS}\"><x:sheetData/></x:worksheet>");
        assert_eq!(
            add_legacy_drawing(&xml, "rId1").expect("patch"),
            format!("<x:worksheet xmlns:x=\"m\" xmlns:r=\"{NS_OFFICE_RELS}\"><x:sheetData/><x:legacyDrawing r:id=\"rId1\"/></x:worksheet>")
        );
    }

    #[test]
    fn our_messages_join_the_comments_a_sheet_has() {
        let cx = "<comments><authors><author>甲</author></authors><commentList>\
                  <comment ref=\"A1\" authorId=\"0\"><text><t>原有</t></text></comment></commentList></comments>";
        let mk = |m: &str| Mark { severity: crate::finding::Severity::Error, messages: vec![m.to_string()] };
        let cells = BTreeMap::from([((0, 0), mk("错误 <1>")), ((1, 1), mk("警告 & 2"))]);
        let (out, new_cells) = merge_comments(cx, &cells).expect("merge");
        assert_eq!(new_cells, [(1, 1)]);
        assert_eq!(
            out,
            "<comments><authors><author>甲</author><author>nianbao</author></authors><commentList>\
             <comment ref=\"A1\" authorId=\"0\"><text><t>原有</t><r><t xml:space=\"preserve\">\n错误 &lt;1&gt;</t></r></text></comment>\
             <comment ref=\"B2\" authorId=\"1\"><text><r><rPr><sz val=\"9\"/><rFont val=\"宋体\"/></rPr><t xml:space=\"preserve\">警告 &amp; 2</t></r></text></comment></commentList></comments>"
        );
        let vx = "<xml><v:shape id=\"_x0000_s1025\"/></xml>";
        let merged = merge_shapes(vx, &new_cells, 1).expect("vml");
        assert!(merged.starts_with("<xml><v:shape id=\"_x0000_s1025\"/><v:shapetype id=\"_x0000_t202\""), "{merged}");
        assert!(merged.contains("<v:shape id=\"_x0000_s1026\""), "{merged}");
        assert_eq!(
            merge_shapes("<v/>", &new_cells, 1).err().map(|e| e.to_string()).as_deref(),
            Some("批注绘图部件无法识别")
        );
    }
}
