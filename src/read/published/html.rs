//! A report's web page: decoded by its BOM or `<meta charset>`, parsed as browsers parse
//! it (html5ever, through scraper: CMS markup is broken in every way a browser forgives),
//! walked once into paragraphs and tables. A saved `.mht` gives its HTML part.

use super::layout::{expand, too_many_cells, Block, Grid};
use crate::error::ReadError;
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};
use std::collections::HashSet;

/// The page's text: by its byte order mark, else the charset its `<meta>` names (GBK,
/// GB2312 and GB18030 pages are common on government sites), else UTF-8.
pub(super) fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let label = head.match_indices("charset").find_map(|(i, _)| {
        let rest = head[i + "charset".len()..].trim_start().strip_prefix('=')?.trim_start();
        let rest = rest.trim_start_matches(['"', '\'']);
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    });
    let enc = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())).unwrap_or(encoding_rs::UTF_8);
    // A page that says UTF-16 in its meta but has no BOM is ASCII-compatible in fact.
    let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { enc };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The HTML part of a page saved as one file (`.mht`, `.mhtml`), decoded by its MIME charset.
pub(super) fn from_mht(bytes: &[u8]) -> Result<String, ReadError> {
    let msg = mail_parser::MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| ReadError::Published("网页存档（.mht）已损坏，无法打开：MIME 结构无法解析".into()))?;
    msg.body_html(0)
        .map(|h| h.into_owned())
        .ok_or_else(|| ReadError::Published("网页存档（.mht）中没有网页正文".into()))
}

const SHELL: &str = "这是网页框架，正文由脚本加载：请在浏览器中打开后另存为“网页，全部”，或下载附件 PDF";

fn is(node: &NodeRef<'_, Node>, names: &[&str]) -> bool {
    node.value().as_element().is_some_and(|e| names.contains(&e.name()))
}

/// Elements whose start and end break a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "center",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "header",
    "footer",
    "title",
];
/// Elements whose text is not the page's.
const SKIP: &[&str] = &["script", "style", "noscript", "template", "iframe", "object", "select", "button"];

/// The page's paragraphs and tables in order. A table holding another table is layout,
/// read as paragraphs around its inner tables.
pub(super) fn blocks(page: &str) -> Result<Vec<Block>, ReadError> {
    let doc = Html::parse_document(page);
    let root = doc.tree.root();
    // Tables with a table inside: marked by walking up from every table, once each.
    let mut outer: HashSet<ego_tree::NodeId> = HashSet::new();
    for n in root.descendants().filter(|n| is(n, &["table"])) {
        for a in n.ancestors().filter(|a| is(a, &["table"])) {
            if !outer.insert(a.id()) {
                break;
            }
        }
    }
    let mut out = Vec::new();
    let mut para = String::new();
    let flush = |para: &mut String, out: &mut Vec<Block>| {
        let t = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            out.push(Block::Text(t));
        }
        para.clear();
    };
    // Inside a subtree read otherwise (a data table, a script): skipped until it closes.
    let mut skip_until: Option<ego_tree::NodeId> = None;
    let mut tables = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip_until.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => para.push_str(t),
                    Node::Element(e) => {
                        if SKIP.contains(&e.name()) {
                            skip_until = Some(n.id());
                        } else if e.name() == "table" && !outer.contains(&n.id()) {
                            flush(&mut para, &mut out);
                            tables += 1;
                            let rows = table(n).ok_or_else(|| too_many_cells("网页（HTML）文件", tables))?;
                            out.push(Block::Table(Grid { rows, origin: String::new(), pages: Vec::new() }));
                            skip_until = Some(n.id());
                        } else if BLOCK.contains(&e.name()) {
                            flush(&mut para, &mut out);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip_until == Some(n.id()) {
                    skip_until = None;
                } else if skip_until.is_none() && is(&n, BLOCK) {
                    flush(&mut para, &mut out);
                }
            }
        }
    }
    flush(&mut para, &mut out);
    if tables == 0 && (page.contains("id=\"app\"") || page.contains("id='app'") || page.contains("infoGuid")) {
        return Err(ReadError::Published(SHELL.into()));
    }
    Ok(out)
}

/// A table's rows with spans expanded.
fn table(t: NodeRef<'_, Node>) -> Option<Vec<Vec<String>>> {
    let span = |e: &scraper::node::Element, name: &str| {
        e.attr(name).and_then(|v| v.trim().parse::<u32>().ok()).filter(|&n| n >= 1).unwrap_or(1)
    };
    let rows = t
        .descendants()
        .filter(|n| is(n, &["tr"]))
        .map(|tr| {
            tr.children()
                .filter_map(|c| {
                    let e = c.value().as_element().filter(|e| matches!(e.name(), "td" | "th"))?;
                    // A rowspan of 0 means "to the end of the section": read as 1.
                    Some((cell_text(c), span(e, "rowspan"), span(e, "colspan")))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    expand(rows)
}

/// A cell's text, its paragraphs and line breaks joined by line breaks.
fn cell_text(td: NodeRef<'_, Node>) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let push = |line: &mut String, lines: &mut Vec<String>| {
        let t = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            lines.push(t);
        }
        line.clear();
    };
    for edge in td.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Text(t) => line.push_str(t),
                Node::Element(_) if is(&n, BLOCK) => push(&mut line, &mut lines),
                _ => {}
            },
            Edge::Close(n) if is(&n, BLOCK) => push(&mut line, &mut lines),
            Edge::Close(_) => {}
        }
    }
    push(&mut line, &mut lines);
    lines.join("\n")
}
