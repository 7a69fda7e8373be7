//! Rules on the narrative and plausibility: TEXT-FEE, TEXT-YEAR, TEXT-SCOPE, TEXT-NUMBERS,
//! TEXT-LENGTH, PLAUS-REGULATIONS. They warn only where the text says something clearly.

use super::rules;
use crate::cell::CellRef;
use crate::finding::Finding;
use crate::form::{ActiveCol, ActiveRow, Edition, ReqCol, ReqRow, ReviewCol, ReviewGroup, RowKey};
use crate::model::{Place, Report, State, Text, Value};
use crate::number::fold_digits;
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::OnceLock;

pub(crate) fn check(r: &Report, out: &mut Vec<Finding>) {
    text_fee(r, out);
    text_year(r, out);
    text_scope(r, out);
    text_numbers(r, out);
    text_length(r, out);
    plaus_regulations(r, out);
}

/// The 2021 notice's limit on 一、总体情况.
pub(crate) const OVERVIEW_LIMIT: usize = 1000;

fn parts(r: &Report) -> [&Text; 3] {
    [&r.text.overview, &r.text.problems, &r.text.other_matters]
}

/// A fee cell with nothing in it says nothing; `0` or `无` typed says none was charged.
fn stated(v: &Option<Value>) -> bool {
    v.as_ref().is_some_and(|v| !(v.state == State::Blank && v.raw.trim().is_empty()))
}

/// TEXT-FEE: the 2021 edition's section 六 must state the 信息处理费.
fn text_fee(r: &Report, out: &mut Vec<Finding>) {
    // With no text of its own, the report's section 六 is written from the defaults,
    // which state the fee; only an agency's own text can leave it out.
    if r.edition != Edition::E2021
        || r.text.other_matters.is_empty()
        || r.text.other_matters.text.contains("信息处理费")
    {
        return;
    }
    if stated(&r.fee.count) || stated(&r.fee.amount) {
        return;
    }
    out.push(rules::TEXT_FEE.finding(
        r.text.other_matters.cell.clone(),
        "“六、其他需要报告的事项”未说明信息处理费：请写明本年收取信息处理费的次数和金额（未收取也应写明），或在“基本信息”表填写收费次数和金额".into(),
    ));
}

/// TEXT-YEAR: an overview that never names the report year, or names last year more often.
fn text_year(r: &Report, out: &mut Vec<Finding>) {
    let (Some(year), t) = (r.year.value, &r.text.overview) else { return };
    if t.is_empty() {
        return;
    }
    let text = fold_digits(&t.text);
    let this = count_year(&text, year);
    let last = count_year(&text, year - 1);
    let message = if this == 0 {
        format!("“一、总体情况”中没有出现“{year}年”，请核对是否沿用了其他年度的文字")
    } else if last > this {
        format!(
            "“一、总体情况”写“{}年”{last} 次，多于报告年度“{year}年”的 {this} 次，可能沿用了上年报告的文字",
            year - 1
        )
    } else {
        return;
    };
    out.push(rules::TEXT_YEAR.finding(t.cell.clone(), message));
}

/// Occurrences of `2023年` not preceded by another digit.
fn count_year(text: &str, year: i32) -> usize {
    let needle = format!("{year}年");
    text.match_indices(&needle)
        .filter(|(i, _)| !text[..*i].chars().next_back().is_some_and(|c| c.is_ascii_digit()))
        .count()
}

/// What kind of agency a name says it is, for TEXT-SCOPE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgencyKind {
    District,
    County,
    /// Any other people's government (市, 乡, 镇 …).
    Government,
    /// A department (局, 委, 办 …): no wording is flagged.
    Department,
}

pub(crate) fn agency_kind(name: &str) -> AgencyKind {
    let n: String = name.split_whitespace().collect();
    let n = n.trim_end_matches(['）', ')']);
    let gov = n.ends_with("人民政府") || n.ends_with("政府");
    let place = n.trim_end_matches("人民政府").trim_end_matches("政府");
    let department =
        ["局", "委", "办", "室", "会", "院", "所", "处", "站", "中心", "队", "厅", "部"].iter().any(|s| n.ends_with(s));
    if gov || !department {
        if place.ends_with('区') {
            return AgencyKind::District;
        }
        if place.ends_with('县') {
            return AgencyKind::County;
        }
        if gov {
            return AgencyKind::Government;
        }
    }
    AgencyKind::Department
}

/// TEXT-SCOPE: the text speaks of the agency as another kind of agency.
fn text_scope(r: &Report, out: &mut Vec<Finding>) {
    let kind = agency_kind(r.agency_name());
    let county: &[&str] = &["全县", "我县", "本县"];
    let district: &[&str] = &["我区", "全区", "本区"];
    let bureau: &[&str] = &["我局", "本局"];
    let (words, what): (Vec<&str>, &str) = match kind {
        AgencyKind::District => ([county, bureau].concat(), "区人民政府"),
        AgencyKind::County => ([district, bureau].concat(), "县人民政府"),
        AgencyKind::Government => (bureau.to_vec(), "人民政府"),
        AgencyKind::Department => return,
    };
    let mut hits: Vec<(String, usize)> = Vec::new();
    let mut cells: Vec<CellRef> = Vec::new();
    for t in parts(r) {
        let mut here = false;
        for w in &words {
            let n = count_word(&t.text, w);
            if n > 0 {
                here = true;
                match hits.iter_mut().find(|(x, _)| x == w) {
                    Some(h) => h.1 += n,
                    None => hits.push((w.to_string(), n)),
                }
            }
        }
        if here {
            cells.extend(t.cell.clone());
        }
    }
    if hits.is_empty() {
        return;
    }
    let list: Vec<String> = hits.iter().map(|(w, n)| format!("“{w}”{n} 处")).collect();
    let mut cells = cells.into_iter();
    out.push(
        rules::TEXT_SCOPE
            .finding(
                cells.next(),
                format!(
                    "“{}”是{what}，正文却写了{}，可能沿用了其他机关的报告，请核对",
                    r.agency_name(),
                    list.join("、")
                ),
            )
            .related(cells.collect()),
    );
}

/// Occurrences of a word, leaving out `本区域`/`全区域` (本行政区域 is said by everyone).
fn count_word(text: &str, w: &str) -> usize {
    text.match_indices(w).filter(|(i, m)| !text[i + m.len()..].starts_with('域')).count()
}

/// A number the narrative states, with the table figures it may equal.
struct Claim {
    what: &'static str,
    re: &'static str,
    table: &'static str,
}

const CLAIMS: [Claim; 5] = [
    Claim {
        what: "收到申请",
        re: r"(?:收到|新收)[^。；，,;]{0,20}?申请(?:共计|合计|共|数量为|数量|数为|为)?(\d+)件",
        table: "表三“一、本年新收政府信息公开申请数量”总计",
    },
    Claim {
        what: "现行有效", re: r"现行有效[^。；;\d]{0,20}?(\d+)件", table: "表二“现行有效件数”"
    },
    Claim {
        what: "行政复议", re: r"行政复议[^。，；、,;和及与诉\d]{0,6}?(\d+)件", table: "表四“行政复议”总计"
    },
    Claim {
        what: "行政诉讼",
        re: r"行政诉讼[^。，；、,;和及与复\d]{0,6}?(\d+)件",
        table: "表四两类“行政诉讼”总计之和",
    },
    Claim {
        what: "予以公开", re: r"予以公开[^。，；、,;部或和及\d]{0,3}?(\d+)件", table: "表三“（一）予以公开”总计"
    },
];

fn claim_regexes() -> &'static Vec<Regex> {
    static RE: OnceLock<Vec<Regex>> = OnceLock::new();
    RE.get_or_init(|| CLAIMS.iter().filter_map(|c| Regex::new(c.re).ok()).collect())
}

/// The table figures a claim may equal, and the cells they come from.
fn accepted(r: &Report, what: &str) -> Option<(Vec<Decimal>, Vec<CellRef>)> {
    let req = |row: ReqRow| r.requests_at(row, ReqCol::Total);
    let rev = |g: ReviewGroup| r.review_at(g, ReviewCol::Total);
    let nums = |vs: &[Option<&Value>]| -> Option<(Vec<Decimal>, Vec<CellRef>)> {
        let ns: Option<Vec<Decimal>> = vs.iter().map(|v| v.and_then(|v| v.num)).collect();
        Some((ns?, vs.iter().filter_map(|v| v.and_then(|v| v.cell.clone())).collect()))
    };
    match what {
        "收到申请" => {
            // 共收到申请15件（含上年结转3件） also counts 二、上年结转.
            let (n, cells) = nums(&[req(ReqRow::NewReceived), req(ReqRow::CarriedOver)])?;
            Some((vec![n[0], n[0] + n[1]], cells))
        }
        "现行有效" => {
            if r.edition != Edition::E2021 {
                return None;
            }
            let (n, cells) = nums(&[
                r.active_at(ActiveRow::Regulations, ActiveCol::InForce),
                r.active_at(ActiveRow::NormativeDocuments, ActiveCol::InForce),
            ])?;
            Some((vec![n[0] + n[1], n[0], n[1]], cells))
        }
        "行政复议" => nums(&[rev(ReviewGroup::Review)]),
        "行政诉讼" => {
            let (n, cells) = nums(&[rev(ReviewGroup::LitigationDirect), rev(ReviewGroup::LitigationAfterReview)])?;
            Some((vec![n[0] + n[1]], cells))
        }
        "予以公开" => nums(&[req(ReqRow::Granted)]),
        _ => None,
    }
}

/// TEXT-NUMBERS: a number the narrative states clearly contradicts the tables.
fn text_numbers(r: &Report, out: &mut Vec<Finding>) {
    let last_year = r.year.value.map(|y| format!("{}年", y - 1));
    // Each part's text as the patterns see it, made once for all the claims.
    let texts = parts(r).map(|t| (t, plain_numbers(&t.text)));
    for (claim, re) in CLAIMS.iter().zip(claim_regexes()) {
        let Some((ok, cells)) = accepted(r, claim.what) else { continue };
        let mut reported: Vec<Decimal> = Vec::new();
        for (t, text) in &texts {
            let text = text.as_str();
            for caps in re.captures_iter(text) {
                let (Some(whole), Some(num)) = (caps.get(0), caps.get(1)) else { continue };
                let Ok(n) = num.as_str().parse::<Decimal>() else { continue };
                // A figure of last year, or a 不予公开, is not this year's claim.
                let clause = clause_before(text, whole.start());
                if ["上年", "去年", "上一年", "同比", "较"].iter().any(|w| clause.contains(w))
                    || last_year.as_deref().is_some_and(|y| clause.contains(y))
                    || (claim.what == "予以公开" && text[..whole.start()].ends_with('不'))
                    || (claim.what == "行政诉讼"
                        && ["复议和", "复议及", "复议与", "复议、"].iter().any(|w| text[..whole.start()].ends_with(w)))
                {
                    continue;
                }
                if ok.contains(&n) || reported.contains(&n) {
                    continue;
                }
                reported.push(n);
                let expected = ok[0];
                out.push(
                    rules::TEXT_NUMBERS
                        .finding(
                            t.cell.clone(),
                            format!(
                                "正文写“{}”，与{}（{}）不符",
                                whole.as_str(),
                                claim.table,
                                crate::number::text(expected)
                            ),
                        )
                        .related(cells.clone())
                        .compare(expected, n),
                );
            }
        }
    }
}

/// The text from the last sentence break to `end`.
fn clause_before(text: &str, end: usize) -> &str {
    let head = &text[..end];
    let start =
        head.rfind(['。', '；', '，', ';', ',']).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    &head[start..]
}

/// Full-width digits folded, thousands separators between digits dropped, spaces between
/// a number and its 件 dropped, so the patterns see `1234件`.
fn plain_numbers(s: &str) -> String {
    let folded = fold_digits(s);
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::with_capacity(folded.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next = chars.get(i + 1).copied();
        if (c == ',' || c == '，')
            && prev_digit
            && chars.get(i + 1..i + 4).is_some_and(|n| n.iter().all(|d| d.is_ascii_digit()))
        {
            continue;
        }
        if c == ' ' && prev_digit && next == Some('件') {
            continue;
        }
        out.push(c);
    }
    out
}

/// TEXT-LENGTH: 一、总体情况 beyond the 2021 notice's 1,000 characters.
fn text_length(r: &Report, out: &mut Vec<Finding>) {
    if r.edition != Edition::E2021 {
        return;
    }
    let n = r.text.overview.text.chars().filter(|c| !c.is_whitespace()).count();
    if n > OVERVIEW_LIMIT {
        out.push(
            rules::TEXT_LENGTH
                .finding(
                    r.text.overview.cell.clone(),
                    format!("“一、总体情况”共 {n} 字，超过2021年版通知要求的 {OVERVIEW_LIMIT} 字以内"),
                )
                .compare(Decimal::from(OVERVIEW_LIMIT), Decimal::from(n)),
        );
    }
}

/// Whether the agency is a township, town or street office.
pub(crate) fn is_township(name: &str) -> bool {
    let n: String = name.split_whitespace().collect();
    ["乡人民政府", "镇人民政府", "乡政府", "镇政府", "街道办事处", "街道办", "街道", "乡", "镇"]
        .iter()
        .any(|s| n.ends_with(s))
}

/// PLAUS-REGULATIONS: a township, town or street office reporting 规章.
fn plaus_regulations(r: &Report, out: &mut Vec<Finding>) {
    if !is_township(r.agency_name()) {
        return;
    }
    let nonzero: Vec<&Value> = r
        .cells()
        .filter(|n| matches!(n.place, Place::Active(ActiveRow::Regulations, _)))
        .map(|n| n.value)
        .filter(|v| v.num.is_some_and(|n| !n.is_zero()))
        .collect();
    let Some(first) = nonzero.first() else { return };
    out.push(
        rules::PLAUS_REGULATIONS
            .finding(
                first.cell.clone(),
                format!(
                    "“{}”是乡镇或街道，无权制定规章，“规章”一行却填了“{}”：规范性文件请填在“{}”一行",
                    r.agency_name(),
                    first.raw,
                    r.form()
                        .active_rows()
                        .find(|(_, x)| x.key == RowKey::Active(ActiveRow::NormativeDocuments))
                        .map_or("规范性文件", |(_, x)| x.label)
                ),
            )
            .related(nonzero[1..].iter().filter_map(|v| v.cell.clone()).collect()),
    );
}
