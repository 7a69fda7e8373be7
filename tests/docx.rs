//! Tests of the docx stage: the document's text, the official tables with their merged
//! cells, fonts and page setup, and the narrative templates.

use crate::common::blank;
use nianbao::form::{Kind, SECTIONS};
use nianbao::model::{Contact, Line, Report, Text, Value};
use nianbao::write::docx::docx;
use nianbao::write::narrative::Templates;
use nianbao::Edition;
use rust_decimal::Decimal;
use std::io::Read;
use std::str::FromStr;

// ---- a minimal XML tree, enough for word/document.xml ----

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<Node>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn parse(xml: &str) -> El {
    let mut stack = vec![El { name: "#root".into(), ..El::default() }];
    let mut rest = xml;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').expect("unclosed tag");
            let tag = &after[..end];
            rest = &after[end + 1..];
            if tag.starts_with('?') || tag.starts_with('!') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                let el = stack.pop().expect("unbalanced");
                assert_eq!(el.name, name.trim(), "mismatched close tag");
                stack.last_mut().expect("root").kids.push(Node::El(el));
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/').trim();
            let (name, mut attrs_src) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            let mut attrs = Vec::new();
            while let Some(eq) = attrs_src.find('=') {
                let key = attrs_src[..eq].trim().to_string();
                let q = attrs_src[eq + 1..].trim_start();
                let quote = q.chars().next().expect("quote");
                let close = q[1..].find(quote).expect("closing quote");
                attrs.push((key, unescape(&q[1..1 + close])));
                attrs_src = &q[close + 2..];
            }
            let el = El { name: name.to_string(), attrs, kids: Vec::new() };
            if self_closing {
                stack.last_mut().expect("root").kids.push(Node::El(el));
            } else {
                stack.push(el);
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            stack.last_mut().expect("root").kids.push(Node::Text(unescape(&rest[..end])));
            rest = &rest[end..];
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    stack.pop().expect("root")
}

impl El {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
    }
    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.kids.iter().filter_map(move |n| match n {
            Node::El(e) if e.name == name => Some(e),
            _ => None,
        })
    }
    fn child(&self, name: &str) -> Option<&El> {
        self.kids.iter().find_map(|n| match n {
            Node::El(e) if e.name == name => Some(e),
            _ => None,
        })
    }
    /// Every descendant of a name, in document order.
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a El>) {
        for n in &self.kids {
            if let Node::El(e) = n {
                if e.name == name {
                    out.push(e);
                }
                e.all(name, out);
            }
        }
    }
    fn find_all(&self, name: &str) -> Vec<&El> {
        let mut v = Vec::new();
        self.all(name, &mut v);
        v
    }
    /// The text of every `w:t` below.
    fn text(&self) -> String {
        self.find_all("w:t")
            .iter()
            .flat_map(|t| t.kids.iter())
            .filter_map(|n| if let Node::Text(s) = n { Some(s.as_str()) } else { None })
            .collect()
    }
    fn tc_prop(&self, prop: &str) -> Option<String> {
        self.child("w:tcPr")?.child(prop).map(|p| p.attr("w:val").unwrap_or("").to_string())
    }
}

pub(crate) fn unzip(bytes: &[u8], part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut f = z.by_name(part).unwrap_or_else(|_| panic!("no {part}"));
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8 part");
    s
}

fn document(report: &Report, t: &Templates) -> (String, El) {
    let bytes = docx(report, t).expect("docx");
    let xml = unzip(&bytes, "word/document.xml");
    let tree = parse(&xml);
    (xml, tree)
}

/// The body paragraphs (outside tables) as text.
fn paragraphs(tree: &El) -> Vec<String> {
    let body = tree.child("w:document").and_then(|d| d.child("w:body")).expect("body");
    body.children("w:p").map(El::text).collect()
}

/// A table's cells per row as (grid column, text, gridSpan, vMerge).
type Cell = (usize, String, usize, Option<String>);

fn cells(tbl: &El) -> Vec<Vec<Cell>> {
    tbl.children("w:tr")
        .map(|tr| {
            let mut at = 0;
            tr.children("w:tc")
                .map(|tc| {
                    let span = tc.tc_prop("w:gridSpan").map_or(1, |s| s.parse().expect("span"));
                    let cell = (at, tc.text(), span, tc.tc_prop("w:vMerge"));
                    at += span;
                    cell
                })
                .collect()
        })
        .collect()
}

fn tables(tree: &El) -> Vec<&El> {
    tree.find_all("w:tbl")
}

fn n(v: i64) -> Value {
    Value::number(Decimal::from(v))
}

/// A report of an edition with every number distinct, a signed change, amounts with and
/// without units and one unreadable cell.
fn sample(edition: Edition) -> Report {
    let year = if edition == Edition::E2019 { 2020 } else { 2023 };
    let mut r = blank(edition, "白山市江源区人民政府", year);
    r.contact = Contact {
        website: Some("江源区人民政府门户网站".into()),
        office: Some("江源区政务服务和数字化建设管理局".into()),
        address: Some("白山市江源区江源大街153号".into()),
        postcode: Some("134700".into()),
        phone: Some("0439-3820611".into()),
    };
    let form = edition.form();
    for (i, (block, _)) in form.active_rows().enumerate() {
        for (c, col) in block.columns.iter().enumerate() {
            r.active[i][c] = match col.kind {
                Kind::Signed => n(if i % 2 == 0 { 2 } else { -5 }),
                Kind::Amount => Value { unit: None, ..Value::number(Decimal::from_str("5949.088667").expect("dec")) },
                Kind::Count => n(1000 + (i * 10 + c) as i64),
            };
        }
    }
    for (ri, row) in r.requests.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = n(100 * (ri as i64 + 1) + c as i64);
        }
    }
    for (g, row) in r.review.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = n(70 + (g * 5 + c) as i64);
        }
    }
    r.active_extra =
        vec![Line { text: format!("{year}年本行政区域政府信息公开发布总数量：4267"), cell: None }];
    r
}

fn defaults() -> Templates {
    Templates::default()
}

// ---- the document ----

#[test]
fn title_preamble_and_every_heading_in_order() {
    for edition in Edition::ALL {
        let r = sample(edition);
        let year = r.year.value.expect("year");
        let (_, tree) = document(&r, &defaults());
        let paras = paragraphs(&tree);
        assert_eq!(paras[0], format!("白山市江源区人民政府{year}年度政府信息公开工作年度报告"));
        let pre = &paras[1];
        assert!(pre.starts_with("根据《中华人民共和国政府信息公开条例》"), "{pre}");
        assert!(pre.contains(&format!("{year}年12月31日")), "{pre}");
        assert!(pre.contains("六个部分"), "{pre}");
        assert!(pre.contains("本报告电子版可在江源区人民政府门户网站下载。"), "{pre}");
        assert!(
            pre.contains("请与江源区政务服务和数字化建设管理局联系（地址：白山市江源区江源大街153号；邮政编码：134700；咨询电话：0439-3820611）。"),
            "{pre}"
        );
        let positions: Vec<usize> = SECTIONS
            .iter()
            .map(|s| paras.iter().position(|p| p == s.heading).unwrap_or_else(|| panic!("no heading {}", s.heading)))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "headings out of order: {positions:?}");
        // The agency's own line under the section 二 table, printed back.
        assert!(paras.contains(&format!("{year}年本行政区域政府信息公开发布总数量：4267")));
    }
}

#[test]
fn preamble_leaves_out_contact_parts_not_given() {
    let mut r = sample(Edition::E2021);
    r.contact = Contact { phone: Some("0439-3820611".into()), ..Contact::default() };
    let (_, tree) = document(&r, &defaults());
    let pre = &paragraphs(&tree)[1];
    assert!(pre.ends_with("如对本报告有疑问，请联系：咨询电话：0439-3820611。"), "{pre}");
    assert!(!pre.contains("下载"), "{pre}");
}

#[test]
fn three_tables_with_the_official_merges_of_table_3() {
    // (edition, rows of table 三, vMerge restarts, continues)
    for (edition, rows, restarts, continues) in [(Edition::E2019, 23, 7, 36), (Edition::E2021, 25, 8, 40)] {
        let (_, tree) = document(&sample(edition), &defaults());
        let t = tables(&tree);
        assert_eq!(t.len(), 3, "{edition}");
        let c = cells(t[1]);
        assert_eq!(c.len(), 3 + rows);
        let all: Vec<&Cell> = c.iter().flatten().collect();
        let restart = all.iter().filter(|x| x.3.as_deref() == Some("restart")).count();
        let cont = all.iter().filter(|x| x.3.as_deref() == Some("continue")).count();
        assert_eq!((restart, cont), (restarts, continues), "{edition}");
        // Header: note over three columns and three rows, 申请人情况 over seven.
        let h: Vec<(&str, usize, Option<&str>)> = c[0].iter().map(|x| (x.1.as_str(), x.2, x.3.as_deref())).collect();
        assert_eq!(
            h,
            [
                ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, Some("restart")),
                ("申请人情况", 7, None)
            ]
        );
        let h: Vec<(&str, usize, Option<&str>)> = c[1].iter().map(|x| (x.1.as_str(), x.2, x.3.as_deref())).collect();
        assert_eq!(
            h,
            [
                ("", 3, Some("continue")),
                ("自然人", 1, Some("restart")),
                ("法人或其他组织", 5, None),
                ("总计", 1, Some("restart"))
            ]
        );
        let h: Vec<(&str, usize)> = c[2].iter().map(|x| (x.1.as_str(), x.2)).collect();
        assert_eq!(
            h,
            [
                ("", 3),
                ("", 1),
                ("商业企业", 1),
                ("科研机构", 1),
                ("社会公益组织", 1),
                ("法律服务机构", 1),
                ("其他", 1),
                ("", 1)
            ]
        );
        // Rows without groups span the three label columns.
        assert_eq!((c[3][0].1.as_str(), c[3][0].2), ("一、本年新收政府信息公开申请数量", 3));
        // 三、本年度办理结果 restarts at （一）予以公开, which spans label columns 2–3.
        assert_eq!((c[5][0].1.as_str(), c[5][0].3.as_deref()), ("三、本年度办理结果", Some("restart")));
        assert_eq!((c[5][1].1.as_str(), c[5][1].2), ("（一）予以公开", 2));
        // （三）不予公开 over its eight rows: restart then seven continues in column 2.
        assert_eq!((c[7][1].1.as_str(), c[7][1].3.as_deref()), ("（三）不予公开", Some("restart")));
        assert_eq!(c[7][2].1, "1.属于国家秘密");
        for r in &c[8..15] {
            assert_eq!((r[0].3.as_deref(), r[1].3.as_deref()), (Some("continue"), Some("continue")));
        }
        assert_eq!(c[15][1].1, "（四）无法提供");
        assert_eq!(c[18][1].1, "（五）不予处理");
        let other = &c[23];
        if edition == Edition::E2021 {
            assert_eq!((other[1].1.as_str(), other[1].3.as_deref()), ("（六）其他处理", Some("restart")));
            assert_eq!(other[2].1, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请");
        } else {
            assert_eq!((other[1].1.as_str(), other[1].2, other[1].3.as_deref()), ("（六）其他处理", 2, None));
        }
        let last = c.last().expect("rows");
        assert_eq!((last[0].1.as_str(), last[0].2), ("四、结转下年度继续办理", 3));
        // Every row covers the ten grid columns.
        for r in &c {
            assert_eq!(r.iter().map(|x| x.2).sum::<usize>(), 10);
        }
    }
}

#[test]
fn tables_2_and_4_drawn_as_the_official_form() {
    let (_, tree) = document(&sample(Edition::E2019), &defaults());
    let t = tables(&tree);
    let a = cells(t[0]);
    // 2019: five blocks, each heading + header + rows: 2+2, 2+2, 2+2, 2+1, 2+1.
    assert_eq!(a.len(), 18);
    assert_eq!((a[0][0].1.as_str(), a[0][0].2), ("第二十条第（一）项", 4));
    let header: Vec<&str> = a[1].iter().map(|x| x.1.as_str()).collect();
    assert_eq!(header, ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]);
    // （八）has two columns: the last label spans the remaining two.
    let fees: Vec<(&str, usize)> = a[13].iter().map(|x| (x.1.as_str(), x.2)).collect();
    assert_eq!(fees, [("信息内容", 1), ("上一年项目数量", 1), ("本年增/减", 2)]);

    let r = cells(t[2]);
    assert_eq!(r.len(), 4);
    let top: Vec<(&str, usize)> = r[0].iter().map(|x| (x.1.as_str(), x.2)).collect();
    assert_eq!(top, [("行政复议", 5), ("行政诉讼", 10)]);
    let mid: Vec<(&str, usize, Option<&str>)> = r[1].iter().map(|x| (x.1.as_str(), x.2, x.3.as_deref())).collect();
    assert_eq!(
        mid,
        [
            ("结果维持", 1, Some("restart")),
            ("结果纠正", 1, Some("restart")),
            ("其他结果", 1, Some("restart")),
            ("尚未审结", 1, Some("restart")),
            ("总计", 1, Some("restart")),
            ("未经复议直接起诉", 5, None),
            ("复议后起诉", 5, None)
        ]
    );
    assert_eq!(r[2].iter().filter(|x| x.3.as_deref() == Some("continue")).count(), 5);
    assert_eq!(r[2][5].1, "结果维持");
    assert_eq!(r[3].len(), 15);
}

#[test]
fn each_number_in_its_cell() {
    for edition in Edition::ALL {
        let r = sample(edition);
        let form = edition.form();
        let (_, tree) = document(&r, &defaults());
        let t = tables(&tree);
        // Section 二: walk the blocks as the form lists them.
        let a = cells(t[0]);
        let mut line = 0;
        let mut idx = 0;
        for block in form.active {
            line += 2;
            for row in block.rows {
                assert_eq!(a[line][0].1, row.label);
                for (c, col) in block.columns.iter().enumerate() {
                    let cell = &a[line][c + 1];
                    assert_eq!(cell.0, c + 1, "grid column of {}/{}", row.id, col.id);
                    assert_eq!(cell.1, r.active[idx][c].display(col.kind), "{}/{}", row.id, col.id);
                }
                line += 1;
                idx += 1;
            }
        }
        // Section 三: value of row i, column k at grid column 3 + k of table row 3 + i.
        let q = cells(t[1]);
        for (i, row) in form.requests_rows.iter().enumerate() {
            for k in 0..form.requests_columns.len() {
                let cell = q[3 + i].iter().find(|x| x.0 == 3 + k).expect("cell");
                assert_eq!(cell.1, (100 * (i + 1) + k).to_string(), "{}", row.id);
            }
        }
        // Section 四: fifteen numbers in one row.
        let v: Vec<String> = cells(t[2])[3].iter().map(|x| x.1.clone()).collect();
        assert_eq!(v, (70..85).map(|x| x.to_string()).collect::<Vec<_>>());
    }
    // Signed and amount values as the form prints them.
    let (_, tree) = document(&sample(Edition::E2019), &defaults());
    let a = cells(tables(&tree)[0]);
    assert_eq!(a[6][2].1, "+2");
    assert_eq!(a[7][2].1, "-5");
    assert_eq!(a[17][2].1, "5949.088667");
}

/// The widths of a table's grid columns, in twips.
fn grid_widths(tbl: &El) -> Vec<usize> {
    tbl.find_all("w:gridCol").iter().map(|g| g.attr("w:w").expect("w").parse().expect("num")).collect()
}

#[test]
fn table_four_too_wide_for_fifteen_columns_is_drawn_in_two_bands() {
    let mut r = sample(Edition::E2021);
    for (g, row) in r.review.iter_mut().enumerate() {
        let parts = [400_000 + g as i64, 100_011, 50_000, 100_033];
        for (k, p) in parts.iter().enumerate() {
            row[k] = n(*p);
        }
        row[4] = n(parts.iter().sum());
    }
    let (_, tree) = document(&r, &defaults());
    let t = tables(&tree);
    let four = cells(t[2]);
    let texts = |row: &[Cell]| row.iter().map(|c| (c.1.clone(), c.2)).collect::<Vec<_>>();
    let s = |a: &str, span: usize| (a.to_string(), span);
    // 行政复议 over its five columns, each two grid columns wide, then its numbers.
    assert_eq!(grid_widths(t[2]).len(), 10);
    assert_eq!(texts(&four[0]), [s("行政复议", 10)]);
    assert_eq!(texts(&four[1]), [s("结果维持", 2), s("结果纠正", 2), s("其他结果", 2), s("尚未审结", 2), s("总计", 2)]);
    assert_eq!(texts(&four[2])[4], s("650044", 2));
    // 行政诉讼 over its two groups and their ten columns.
    assert_eq!(texts(&four[3]), [s("行政诉讼", 10)]);
    assert_eq!(texts(&four[4]), [s("未经复议直接起诉", 5), s("复议后起诉", 5)]);
    assert_eq!(four[5].len(), 10);
    let numbers: Vec<String> = four[6].iter().map(|c| c.1.clone()).collect();
    assert_eq!(
        numbers,
        ["400001", "100011", "50000", "100033", "650045", "400002", "100011", "50000", "100033", "650046"]
    );
    assert_eq!(four.len(), 7);
    // Three-digit counts keep the form's one row of fifteen.
    let (_, tree) = document(&sample(Edition::E2021), &defaults());
    assert_eq!(grid_widths(tables(&tree)[2]).len(), 15);
}

#[test]
fn table_two_label_column_gives_way_to_a_long_number_and_numbers_do_not_wrap() {
    let (xml, tree) = document(&sample(Edition::E2021), &defaults());
    assert_eq!(grid_widths(tables(&tree)[0])[0], 2845);
    // Every number cell of the three tables says w:noWrap, no other: 10 of 二 (2 × 3, then
    // 1, 2 and 1 of one column), 25 × 7 of 三, 15 of 四.
    assert_eq!(xml.matches("<w:noWrap />").count(), 10 + 25 * 7 + 15);
    // A fee with decimals and its unit spans three columns: room enough.
    let mut r = sample(Edition::E2021);
    let fees = r.active.len() - 1;
    r.active[fees][0] =
        Value { unit: Some("万元".into()), ..Value::number(Decimal::from_str("12345.67").expect("dec")) };
    let (_, tree) = document(&r, &defaults());
    let t = tables(&tree);
    assert_eq!(grid_widths(t[0])[0], 2845);
    let fee = cells(t[0]).last().expect("fee row")[1].clone();
    assert_eq!((fee.1.as_str(), fee.2), ("12345.67万元", 3));
    // A count of 15 digits in a column of its own needs 2004 twips at 0.636 em a digit (五号),
    // 114 of margins and 10 to spare: the label column gives the three columns 3 × 2128.
    r.active[0][0] = n(123_456_789_012_345);
    let (_, tree) = document(&r, &defaults());
    let widths = grid_widths(tables(&tree)[0]);
    assert_eq!(widths[0], 8845 - 3 * 2128, "{widths:?}");
    assert!(widths[1..].iter().all(|&w| w >= 2128), "{widths:?}");
}

#[test]
fn amounts_with_units_and_unreadable_cells_print_as_typed() {
    let mut r = sample(Edition::E2019);
    let proc = r.active.len() - 1;
    r.active[proc][1] = Value { unit: Some("元".into()), ..Value::number(Decimal::from(251000)) };
    r.requests[0][0] =
        Value { num: None, state: nianbao::model::State::Text, raw: "约30".into(), unit: None, cell: None };
    let (_, tree) = document(&r, &defaults());
    let t = tables(&tree);
    assert_eq!(cells(t[0])[17][2].1, "251000元");
    assert_eq!(cells(t[1])[3][1].1, "约30");
}

#[test]
fn fonts_page_setup_and_repeated_header_rows() {
    let (xml, tree) = document(&sample(Edition::E2021), &defaults());
    for font in ["仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"] {
        assert!(xml.contains(&format!("w:eastAsia=\"{font}\"")), "no {font}");
    }
    // Table text is 五号 宋体 with exact 15 pt lines through the TableText style.
    let styles = parse(&unzip(&docx(&sample(Edition::E2021), &defaults()).expect("docx"), "word/styles.xml"));
    let style =
        |id: &str| styles.find_all("w:style").into_iter().find(|s| s.attr("w:styleId") == Some(id)).expect("style");
    let table_style = style("TableText");
    assert_eq!(table_style.find_all("w:rFonts")[0].attr("w:eastAsia"), Some("宋体"));
    assert_eq!(table_style.find_all("w:sz")[0].attr("w:val"), Some("21"));
    let sp = &table_style.find_all("w:spacing")[0];
    assert_eq!((sp.attr("w:line"), sp.attr("w:lineRule")), (Some("300"), Some("exact")));
    let sect = tree.find_all("w:sectPr");
    let sect = sect.last().expect("sectPr");
    let sz = sect.child("w:pgSz").expect("pgSz");
    assert_eq!((sz.attr("w:w"), sz.attr("w:h")), (Some("11906"), Some("16838")));
    let m = sect.child("w:pgMar").expect("pgMar");
    let got: Vec<Option<&str>> = ["w:top", "w:bottom", "w:left", "w:right"].iter().map(|k| m.attr(k)).collect();
    assert_eq!(got, [Some("2098"), Some("1984"), Some("1587"), Some("1474")]);
    // Title 二号 centred, body 三号 with a two-character first-line indent and exact spacing.
    let body = tree.child("w:document").and_then(|d| d.child("w:body")).expect("body");
    let title = body.child("w:p").expect("title");
    let title_sizes: Vec<&str> = title.find_all("w:sz").iter().filter_map(|s| s.attr("w:val")).collect();
    // One run per line of the title, and one for each break between them.
    assert!(!title_sizes.is_empty() && title_sizes.iter().all(|s| *s == "44"), "{title_sizes:?}");
    assert_eq!(title_sizes.len(), 2 * title.find_all("w:br").len() + 1);
    assert_eq!(title.find_all("w:jc")[0].attr("w:val"), Some("center"));
    let heading = body.children("w:p").find(|p| p.text() == "一、总体情况").expect("heading");
    assert_eq!(heading.find_all("w:rFonts")[0].attr("w:eastAsia"), Some("黑体"));
    assert_eq!(heading.find_all("w:sz")[0].attr("w:val"), Some("32"));
    let pre = body.children("w:p").nth(1).expect("preamble");
    assert_eq!(pre.find_all("w:ind")[0].attr("w:firstLine"), Some("640"));
    let sp = &pre.find_all("w:spacing")[0];
    // 579 twips: 22 lines on the 225 mm text block (580 leaves room for 21).
    assert_eq!((sp.attr("w:line"), sp.attr("w:lineRule")), (Some("579"), Some("exact")));
    // Tables: fixed widths summing to the text width, 五号 宋体; table 三 in the size that
    // puts it on one page with whole header words and whole numbers (六号 for this report:
    // its four-digit 其他 and 总计 need 0.636 em a digit, DejaVu Sans's, and at 小五 the
    // labels left would run over the page).
    for (i, t) in tables(&tree).into_iter().enumerate() {
        let grid: usize =
            t.find_all("w:gridCol").iter().map(|g| g.attr("w:w").expect("w").parse::<usize>().expect("num")).sum();
        assert_eq!(grid, 11906 - 1587 - 1474);
        assert_eq!(t.find_all("w:tblLayout")[0].attr("w:type"), Some("fixed"));
        // The size is the paragraph style's, never written in a cell.
        let style = if i == 1 { "TableText6" } else { "TableText" };
        assert!(t.find_all("w:sz").is_empty() && t.find_all("w:rFonts").is_empty(), "table {i}");
        let paras = t.find_all("w:p");
        assert!(!paras.is_empty());
        for p in paras {
            assert_eq!(p.find_all("w:pStyle").first().and_then(|s| s.attr("w:val")), Some(style), "table {i}");
        }
    }
    // 小五 on exact 11.5 pt lines, the rest of TableText (宋体) inherited.
    let small = style("TableTextSmall5");
    assert_eq!(small.find_all("w:basedOn")[0].attr("w:val"), Some("TableText"));
    assert_eq!(small.find_all("w:sz")[0].attr("w:val"), Some("18"));
    assert_eq!(small.find_all("w:spacing")[0].attr("w:line"), Some("230"));
    // Header rows of tables 三 and 四 repeat on each page; section 二's blocks do not.
    let repeats: Vec<usize> = tables(&tree).iter().map(|t| t.find_all("w:tblHeader").len()).collect();
    assert_eq!(repeats, [0, 3, 3]);
    // The page number at the foot: — PAGE —.
    let bytes = docx(&sample(Edition::E2021), &defaults()).expect("docx");
    let footer = unzip(&bytes, "word/footer1.xml");
    assert!(footer.contains("<w:instrText>PAGE</w:instrText>"), "{footer}");
    let f = parse(&footer);
    assert_eq!(f.text(), "— 1 —");
}

// ---- narrative ----

fn overview_paragraphs(r: &Report, t: &Templates) -> Vec<String> {
    let (_, tree) = document(r, t);
    let paras = paragraphs(&tree);
    let start = paras.iter().position(|p| p == "一、总体情况").expect("一") + 1;
    let end = paras.iter().position(|p| p == "二、主动公开政府信息情况").expect("二");
    paras[start..end].to_vec()
}

fn section_paragraphs(r: &Report, heading: &str) -> Vec<String> {
    let (_, tree) = document(r, &defaults());
    let paras = paragraphs(&tree);
    let start = paras.iter().position(|p| p == heading).expect("heading") + 1;
    paras[start..].iter().take_while(|p| !SECTIONS.iter().any(|s| s.heading == p.as_str())).cloned().collect()
}

#[test]
fn default_overview_states_the_figures() {
    let mut r = blank(Edition::E2021, "江源区教育局", 2023);
    common_set(&mut r, "new_received", "total", 15);
    common_set(&mut r, "carried_over", "total", 2);
    common_set(&mut r, "granted", "total", 9);
    common_set(&mut r, "denied_state_secret", "total", 1);
    common_set(&mut r, "denied_third_party", "total", 2);
    common_set(&mut r, "result_total", "total", 16);
    common_set(&mut r, "carried_forward", "total", 1);
    let in_force = r.form().active_rows().position(|(_, row)| row.id == "regulations").expect("row");
    r.active[in_force][2] = n(3);
    r.review[0][4] = n(2);
    r.review[1][4] = n(1);
    r.review[2][4] = n(1);
    let p = overview_paragraphs(&r, &defaults());
    assert_eq!(p.len(), 6, "{p:?}");
    assert!(p[0].starts_with("2023年，江源区教育局认真贯彻落实"), "{}", p[0]);
    assert!(p[1].starts_with("（一）主动公开情况。2023年，本机关制发规章0件"), "{}", p[1]);
    assert!(p[1].contains("现行有效规章3件"), "{}", p[1]);
    assert!(p[1].contains("收取行政事业性收费0万元"), "{}", p[1]);
    assert_eq!(
        p[2],
        "（二）依申请公开情况。2023年，本机关新收政府信息公开申请15件，上年结转2件。本年度办理16件，其中予以公开9件，部分公开0件，不予公开3件，无法提供0件，不予处理0件，其他处理0件；结转下年度继续办理1件。本年度因政府信息公开工作被申请行政复议2件，被提起行政诉讼2件。"
    );
    assert!(p[3].starts_with("（三）政府信息管理。"));

    let quiet = blank(Edition::E2019, "江源区教育局", 2020);
    let p = overview_paragraphs(&quiet, &defaults());
    assert_eq!(
        p[2],
        "（二）依申请公开情况。2020年，本机关未收到政府信息公开申请，无上年结转申请。本年度未发生因政府信息公开工作引起的行政复议、行政诉讼案件。"
    );
    assert!(p[1].contains("政府集中采购项目0个，采购总金额0万元"), "{}", p[1]);
}

fn common_set(r: &mut Report, row: &str, col: &str, v: i64) {
    let ri = r.form().requests_row(row).expect("row");
    let ci = nianbao::form::requests_column(col).expect("col");
    r.requests[ri][ci] = n(v);
}

#[test]
fn workbook_text_is_used_verbatim_with_its_sub_heads_in_kaiti() {
    let mut r = sample(Edition::E2021);
    r.text.overview = Text {
        text: "2023年，本区持续推进政务公开。\n（一）主动公开情况。全年主动公开信息3575条。\n（二）依申请公开情况\n　　全年未收到申请。"
            .into(),
        cell: None,
    };
    let p = overview_paragraphs(&r, &defaults());
    assert_eq!(
        p,
        [
            "2023年，本区持续推进政务公开。",
            "（一）主动公开情况。全年主动公开信息3575条。",
            "（二）依申请公开情况",
            "全年未收到申请。"
        ]
    );
    let (_, tree) = document(&r, &defaults());
    let body = tree.child("w:document").and_then(|d| d.child("w:body")).expect("body");
    let para = body.children("w:p").find(|p| p.text().starts_with("（一）主动公开情况。全年")).expect("para");
    let runs: Vec<(String, Option<String>)> = para
        .children("w:r")
        .map(|r| (r.text(), r.find_all("w:rFonts")[0].attr("w:eastAsia").map(String::from)))
        .collect();
    assert_eq!(
        runs,
        [
            ("（一）主动公开情况。".to_string(), Some("楷体_GB2312".to_string())),
            ("全年主动公开信息3575条。".to_string(), Some("仿宋_GB2312".to_string()))
        ]
    );
    let whole = body.children("w:p").find(|p| p.text() == "（二）依申请公开情况").expect("sub-head alone");
    assert_eq!(whole.find_all("w:rFonts")[0].attr("w:eastAsia"), Some("楷体_GB2312"));
}

#[test]
fn narrative_text_is_data_never_a_template() {
    let mut r = sample(Edition::E2021);
    r.text.problems =
        Text { text: "模板变量 {{ agency }} 与 {% if x %} 原样保留 <b>&amp;".into(), cell: None };
    let p = section_paragraphs(&r, "五、存在的主要问题及改进情况");
    assert_eq!(p, ["模板变量 {{ agency }} 与 {% if x %} 原样保留 <b>&amp;"]);
}

#[test]
fn tabs_become_word_tabs_and_reports_do_not_share_text() {
    let mut r = sample(Edition::E2021);
    r.text.problems = Text { text: "甲\t乙\t\t丙 <私用\u{E000}0\u{E001}>".into(), cell: None };
    let (xml, _) = document(&r, &defaults());
    assert!(
        xml.contains(
            "<w:t xml:space=\"preserve\">甲</w:t><w:tab /><w:t xml:space=\"preserve\">乙</w:t><w:tab /><w:tab />\
             <w:t xml:space=\"preserve\">丙 &lt;私用\u{E000}0\u{E001}&gt;</w:t>"
        ),
        "tabs and escapes"
    );
    // The element pieces are built once per process: a second report of the same edition
    // shows its own figures and text, none of the first one's.
    let mut other = sample(Edition::E2021);
    other.requests[0][0] = n(987_654);
    other.text.problems = Text { text: "第二份报告".into(), cell: None };
    let (xml2, tree2) = document(&other, &defaults());
    assert!(xml2.contains(">987654<") && !xml2.contains(">100<"), "second report's own number");
    assert!(xml.contains(">100<") && !xml.contains(">987654<"), "first report unchanged");
    assert_eq!(section_paragraphs(&other, "五、存在的主要问题及改进情况"), ["第二份报告"]);
    assert_eq!(cells(tables(&tree2)[1])[3][1].1, "987654");
}

#[test]
fn control_characters_are_dropped_and_the_docx_stays_valid() {
    let mut r = sample(Edition::E2021);
    r.text.overview = Text { text: "总体\u{0001}情况\u{000B}良好\u{FFFF}。".into(), cell: None };
    r.active_extra = vec![Line { text: "发布\u{0008}总数量：4267".into(), cell: None }];
    let bytes = docx(&r, &defaults()).expect("docx");
    let xml = unzip(&bytes, "word/document.xml");
    assert!(!xml.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t'), "control char in xml");
    let tree = parse(&xml);
    let paras = paragraphs(&tree);
    assert!(paras.contains(&"总体情况良好。".to_string()), "{paras:?}");
    assert!(paras.contains(&"发布总数量：4267".to_string()), "{paras:?}");
}

#[test]
fn section_6_states_the_information_fee_in_the_2021_edition() {
    let mut r = sample(Edition::E2021);
    assert_eq!(
        section_paragraphs(&r, "六、其他需要报告的事项"),
        ["本年度未收取信息处理费。", "本年度无其他需要报告的事项。"]
    );
    r.fee.count = Some(n(0));
    r.fee.amount = Some(n(0));
    assert_eq!(section_paragraphs(&r, "六、其他需要报告的事项")[0], "本年度未收取信息处理费。");
    r.fee.count = Some(n(3));
    r.fee.amount = Some(Value::number(Decimal::from_str("0.15").expect("dec")));
    r.text.other_matters = Text { text: "本年度办理人大代表建议2件。".into(), cell: None };
    assert_eq!(
        section_paragraphs(&r, "六、其他需要报告的事项"),
        ["本年度收取信息处理费3次，金额0.15万元。", "本年度办理人大代表建议2件。"]
    );
    // A text that already speaks of the fee is printed alone, verbatim.
    r.text.other_matters = Text { text: "本年度未收取信息处理费。无其他事项。".into(), cell: None };
    assert_eq!(section_paragraphs(&r, "六、其他需要报告的事项"), ["本年度未收取信息处理费。无其他事项。"]);
    // The 2019 edition has no fee sentence.
    let old = sample(Edition::E2019);
    assert_eq!(section_paragraphs(&old, "六、其他需要报告的事项"), ["本年度无其他需要报告的事项。"]);
}

#[test]
fn a_template_overrides_its_default_file_by_file() {
    let t = Templates::new(vec![(
        "problems.j2".into(),
        "{{ agency }}本年度新收申请{{ requests.new_received.total }}件，复议{{ sums.review }}件。\n".into(),
    )]);
    let r = sample(Edition::E2021);
    let (_, tree) = document(&r, &t);
    let paras = paragraphs(&tree);
    let at = paras.iter().position(|p| p == "五、存在的主要问题及改进情况").expect("五");
    assert_eq!(paras[at + 1], "白山市江源区人民政府本年度新收申请106件，复议74件。");
    // The other parts keep their defaults.
    assert_eq!(paras[0], "白山市江源区人民政府2023年度政府信息公开工作年度报告");
}

#[test]
fn a_misspelt_variable_is_an_error_naming_template_and_line() {
    let t = Templates::new(vec![(
        "overview.j2".into(),
        "第一行{{ agency }}\n第二行{{ requests.new_recieved.total }}\n".into(),
    )]);
    let err = docx(&sample(Edition::E2021), &t).expect_err("strict undefined").to_string();
    assert!(err.contains("overview.j2"), "{err}");
    assert!(err.contains("第 2 行"), "{err}");
    assert!(err.contains("未定义"), "{err}");
    let t = Templates::new(vec![("title.j2".into(), "{% if %}".into())]);
    let err = docx(&sample(Edition::E2021), &t).expect_err("syntax").to_string();
    assert!(err.contains("title.j2") && err.contains("第 1 行") && err.contains("语法错误"), "{err}");
}

/// Writes docx + JSON pairs for scripts/render-check.sh when no samples exist:
/// `NIANBAO_RENDER_DIR=dir cargo test --test main docx::render_inputs -- --ignored`.
#[test]
#[ignore]
fn render_inputs() {
    let dir = std::env::var("NIANBAO_RENDER_DIR").expect("NIANBAO_RENDER_DIR");
    for edition in Edition::ALL {
        let r = sample(edition);
        let bytes = docx(&r, &defaults()).expect("docx");
        let name = format!("generated-{edition}");
        std::fs::write(format!("{dir}/{name}.docx"), bytes).expect("write docx");
        let json = nianbao::write::json::report(&r, &[]);
        std::fs::write(format!("{dir}/{name}.json"), json.to_string()).expect("write json");
    }
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let r = sample(Edition::E2021);
    let a = docx(&r, &defaults()).expect("docx");
    let b = docx(&r, &defaults()).expect("docx");
    assert!(a == b, "two conversions of one report differ");
    // The package holds exactly the parts its content types name.
    let z = zip::ZipArchive::new(std::io::Cursor::new(&a)).expect("zip");
    let mut names: Vec<&str> = z.file_names().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
            "word/footer2.xml",
            "word/settings.xml",
            "word/styles.xml",
            "word/theme/theme1.xml"
        ]
    );
    let fonts = unzip(&a, "word/fontTable.xml");
    assert!(
        fonts.contains(
            r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:panose1 w:val="02010609030101010101"/><w:charset w:val="86"/>"#
        ),
        "{fonts}"
    );
    // Every font names its PANOSE class, and every Chinese font its substitute and charset.
    assert_eq!(fonts.matches("<w:font ").count(), 6, "{fonts}");
    assert_eq!(fonts.matches("<w:panose1 w:val=\"").count(), 6, "{fonts}");
    assert_eq!(fonts.matches(r#"<w:charset w:val="86"/>"#).count(), 5, "{fonts}");
    assert!(
        fonts.contains(r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/>"#)
    );
}

#[test]
fn property_elements_are_in_schema_order() {
    let (_, tree) = document(&sample(Edition::E2021), &defaults());
    let order = |el: &El| -> Vec<String> {
        el.kids.iter().filter_map(|n| if let Node::El(e) = n { Some(e.name.clone()) } else { None }).collect()
    };
    // w:pPr: keepNext … spacing, ind, jc, rPr; w:rPr: rFonts before sz.
    let heading = tree.find_all("w:p").into_iter().find(|p| p.text() == "一、总体情况").expect("heading");
    let ppr = heading.child("w:pPr").expect("pPr");
    let names = order(ppr);
    let pos = |n: &str| names.iter().position(|x| x == n).unwrap_or_else(|| panic!("no {n} in {names:?}"));
    assert!(pos("w:keepNext") < pos("w:spacing") && pos("w:spacing") < pos("w:ind") && pos("w:ind") < pos("w:jc"));
    let rpr = heading.find_all("w:r")[0].child("w:rPr").expect("rPr");
    // 三号 text 0.25 pt condensed: 28 characters a line.
    assert_eq!(order(rpr), ["w:rFonts", "w:spacing", "w:sz", "w:szCs"]);
    assert_eq!(rpr.child("w:spacing").and_then(|s| s.attr("w:val")), Some("-5"));
    let sect = tree.find_all("w:sectPr");
    assert_eq!(order(sect[0])[0], "w:footerReference");
}
