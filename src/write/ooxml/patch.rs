//! Patching a part someone else wrote: read with quick-xml's `Reader`, each event with
//! the bytes it came from, so whatever is not changed is copied exactly as it was and
//! whatever is added or changed goes through [`Xml`].

use super::{Value, Xml};
use crate::error::PatchError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

/// One event and the span of the text it was read from.
pub struct Spanned<'a> {
    pub event: Event<'a>,
    pub span: Range<usize>,
}

/// The events of a part, in order; their spans cover the text without gaps.
pub struct Events<'a> {
    reader: Reader<&'a [u8]>,
    done: bool,
}

/// Reads `xml` event by event. End tags need not match their start tags (a patch keeps
/// what it does not understand rather than refusing the workbook).
pub fn events(xml: &str) -> Events<'_> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    Events { reader, done: false }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<Spanned<'a>, PatchError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = position(&self.reader);
        match self.reader.read_event() {
            Ok(Event::Eof) => {
                self.done = true;
                None
            }
            Ok(event) => Some(Ok(Spanned { event, span: start..position(&self.reader) })),
            Err(e) => {
                self.done = true;
                Some(Err(PatchError::Xml { at: self.reader.error_position(), source: e }))
            }
        }
    }
}

fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// The local name of a start tag, as text.
pub fn local_name<'e>(e: &'e BytesStart<'_>) -> &'e [u8] {
    e.local_name().into_inner()
}

/// `prefix:` of a start tag's name (empty without a prefix), for siblings written beside it.
pub fn prefix_of(e: &BytesStart<'_>) -> String {
    let name = e.name();
    match name.prefix() {
        Some(p) => format!("{}:", String::from_utf8_lossy(p.as_ref())),
        None => String::new(),
    }
}

/// Every attribute of a start tag: its full name and its value unescaped.
pub fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = match a.normalized_value(quick_xml::XmlVersion::Explicit1_0) {
                Ok(v) => v.into_owned(),
                Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
            };
            (key, value)
        })
        .collect()
}

/// The value of the attribute named exactly `name` (`r`, `Id`, `xmlns:r`).
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    attributes(e).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The value of a prefixed attribute with the local name `local` (`r:id` for `id`),
/// whatever prefix the part binds.
pub fn prefixed_attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    attributes(e).into_iter().find(|(k, _)| k.split_once(':').is_some_and(|(_, l)| l == local)).map(|(_, v)| v)
}

/// Writes the start tag `e` again with the attributes in `set` replaced where it has them
/// and added after its own where it does not; `empty` writes `<name …/>`.
pub fn start_tag(x: &mut Xml, e: &BytesStart<'_>, set: &[(&str, &str)], empty: bool) {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = attributes(e);
    for (key, value) in set {
        match attrs.iter_mut().find(|(k, _)| k == key) {
            Some(a) => a.1 = (*value).to_string(),
            None => attrs.push(((*key).to_string(), (*value).to_string())),
        }
    }
    let values: Vec<(&str, Value<'_>)> = attrs.iter().map(|(k, v)| (k.as_str(), Value::Text(v))).collect();
    if empty {
        x.empty(&name, &values);
    } else {
        x.open(&name, &values);
    }
}

/// The end tag matching the start tag `e`.
pub fn end_tag(x: &mut Xml, e: &BytesStart<'_>) {
    x.close(&String::from_utf8_lossy(e.name().as_ref()));
}

/// One child element found by [`children`].
#[derive(Debug, Clone)]
pub struct Child {
    /// Its start tag.
    pub tag: Range<usize>,
    /// The whole element, end tag included.
    pub whole: Range<usize>,
}

/// The direct children named `child` (local name) of the first element named `parent`.
pub fn children(xml: &str, parent: &str, child: &str) -> Result<Vec<Child>, PatchError> {
    let mut out = Vec::new();
    // Depth of the parent once found, and the child being read with its depth.
    let mut parent_depth: Option<usize> = None;
    let mut open: Option<(Range<usize>, usize)> = None;
    let mut depth = 0usize;
    for ev in events(xml) {
        let Spanned { event, span } = ev?;
        match event {
            Event::Start(e) => {
                if parent_depth.is_none() && local_name(&e) == parent.as_bytes() {
                    parent_depth = Some(depth);
                } else if parent_depth == Some(depth.wrapping_sub(1)) && local_name(&e) == child.as_bytes() {
                    open = Some((span, depth));
                }
                depth += 1;
            }
            Event::Empty(e) => {
                if parent_depth.is_none() && local_name(&e) == parent.as_bytes() {
                    return Ok(out);
                }
                if parent_depth == Some(depth.wrapping_sub(1)) && local_name(&e) == child.as_bytes() {
                    out.push(Child { tag: span.clone(), whole: span });
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if open.as_ref().is_some_and(|(_, d)| *d == depth) {
                    if let Some((tag, _)) = open.take() {
                        out.push(Child { whole: tag.start..span.end, tag });
                    }
                }
                if parent_depth == Some(depth) {
                    return Ok(out);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Appends `content` as the last children of the first element named `local`, expanding
/// `<x/>`, with the attributes in `set` given to its start tag. Without such an element
/// the part is returned as it was.
pub fn append_to(xml: &str, local: &str, set: &[(&str, &str)], content: &str) -> Result<String, PatchError> {
    let mut x = Xml::new(xml.len() + content.len() + 64);
    let mut depth = 0usize;
    let mut target: Option<usize> = None;
    let mut done = false;
    let mut copied = 0;
    for ev in events(xml) {
        let Spanned { event, span } = ev?;
        if done {
            break;
        }
        match &event {
            Event::Start(e) if target.is_none() && local_name(e) == local.as_bytes() => {
                x.raw(&xml[copied..span.start]);
                start_tag(&mut x, e, set, false);
                copied = span.end;
                target = Some(depth);
                depth += 1;
            }
            Event::Empty(e) if target.is_none() && local_name(e) == local.as_bytes() => {
                x.raw(&xml[copied..span.start]);
                start_tag(&mut x, e, set, false);
                x.raw(content);
                end_tag(&mut x, e);
                copied = span.end;
                done = true;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if target == Some(depth) {
                    x.raw(&xml[copied..span.start]);
                    x.raw(content);
                    copied = span.start;
                    done = true;
                }
            }
            _ => {}
        }
    }
    x.raw(&xml[copied..]);
    Ok(x.into_string())
}

/// The first start tag named `local` (local name), read again from the part.
pub fn first<'a>(xml: &'a str, local: &str) -> Result<Option<(BytesStart<'a>, Range<usize>, bool)>, PatchError> {
    for ev in events(xml) {
        let Spanned { event, span } = ev?;
        match event {
            Event::Start(e) if local_name(&e) == local.as_bytes() => return Ok(Some((e, span, false))),
            Event::Empty(e) if local_name(&e) == local.as_bytes() => return Ok(Some((e, span, true))),
            _ => {}
        }
    }
    Ok(None)
}

/// The one start tag a piece of text holds (a span found by [`children`]).
pub fn tag_at(xml: &str) -> Option<(BytesStart<'_>, bool)> {
    match events(xml).next()?.ok()?.event {
        Event::Start(e) => Some((e, false)),
        Event::Empty(e) => Some((e, true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_text_without_gaps() {
        let xml = "<?xml version=\"1.0\"?>\n<a x='1'>t&amp;u<!--c--><b/><![CDATA[<>]]></a >";
        let spans: Vec<Range<usize>> = events(xml).map(|e| e.expect("event").span).collect();
        let mut at = 0;
        for s in &spans {
            assert_eq!(s.start, at);
            at = s.end;
        }
        assert_eq!(at, xml.len());
    }

    #[test]
    fn tags_are_rewritten_with_attributes_set_and_added() {
        let (e, empty) = tag_at("<x:c r=\"D5\" s='3' t=\"n\"/>").expect("tag");
        assert!(empty);
        assert_eq!(attr(&e, "s").as_deref(), Some("3"));
        assert_eq!(prefix_of(&e), "x:");
        let mut x = Xml::new(0);
        start_tag(&mut x, &e, &[("s", "12"), ("z", "a&b")], true);
        assert_eq!(x.as_str(), "<x:c r=\"D5\" s=\"12\" t=\"n\" z=\"a&amp;b\"/>");
        let (e, _) = tag_at("<sheet name=\"A\" r:id=\"rId2\">").expect("tag");
        assert_eq!(prefixed_attr(&e, "id").as_deref(), Some("rId2"));
    }

    #[test]
    fn content_is_appended_to_the_first_element_of_a_name() {
        let xml = "<r><fills count=\"1\"><fill/></fills><fills/></r>";
        assert_eq!(
            append_to(xml, "fills", &[("count", "2")], "<fill><x/></fill>").expect("patch"),
            "<r><fills count=\"2\"><fill/><fill><x/></fill></fills><fills/></r>"
        );
        assert_eq!(append_to("<Types/>", "Types", &[], "<D/>").expect("patch"), "<Types><D/></Types>");
        let kids = children("<s><xfs><xf a=\"1\"><n/></xf><y/><xf/></xfs></s>", "xfs", "xf").expect("children");
        assert_eq!(
            kids.iter().map(|k| (k.tag.clone(), k.whole.clone())).collect::<Vec<_>>(),
            [(8..18, 8..27), (31..36, 31..36)]
        );
    }
}
