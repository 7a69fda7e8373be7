//! The report as JSON, exactly the keys of formats.md §7: other tools read it.

use crate::finding::Finding;
use crate::form::Kind;
use crate::model::{Report, Value};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value as Json};

/// A number as JSON: counts as integers, amounts as decimal strings, unreadable as null.
fn number(v: &Value, kind: Kind) -> Json {
    match v.num {
        None => Json::Null,
        Some(n) => match kind {
            Kind::Amount => Json::String(n.to_string()),
            _ => decimal(n),
        },
    }
}

/// A whole decimal as a JSON integer, else as a JSON number.
pub fn decimal(n: Decimal) -> Json {
    if n.fract().is_zero() {
        if let Some(i) = n.to_i64() {
            return Json::from(i);
        }
    }
    n.to_f64().map_or(Json::Null, Json::from)
}

pub fn report(r: &Report, findings: &[Finding]) -> Json {
    let form = r.form();
    let mut active = Map::new();
    for (i, (block, row)) in form.active_rows().enumerate() {
        let mut m = Map::new();
        for (c, col) in block.columns.iter().enumerate() {
            if let Some(v) = r.active.get(i).and_then(|x| x.get(c)) {
                m.insert(col.id.into(), number(v, col.kind));
                if let Some(u) = &v.unit {
                    m.insert(format!("{}_unit", col.id), Json::String(u.clone()));
                }
            }
        }
        active.insert(row.id.into(), Json::Object(m));
    }
    active.insert("extra".into(), r.active_extra.iter().map(|l| Json::String(l.text.clone())).collect());

    let mut requests = Map::new();
    for (ri, row) in form.requests_rows.iter().enumerate() {
        let m: Map<String, Json> = form
            .requests_columns
            .iter()
            .enumerate()
            .filter_map(|(c, col)| r.requests.get(ri)?.get(c).map(|v| (col.id.to_string(), number(v, col.kind))))
            .collect();
        requests.insert(row.id.into(), Json::Object(m));
    }

    let mut review = Map::new();
    for (g, group) in form.review_groups.iter().enumerate() {
        let m: Map<String, Json> = form
            .review_columns
            .iter()
            .enumerate()
            .filter_map(|(c, col)| r.review.get(g)?.get(c).map(|v| (col.id.to_string(), number(v, col.kind))))
            .collect();
        review.insert(group.id.into(), Json::Object(m));
    }

    json!({
        "file": r.file,
        "sha256": r.sha256,
        "edition": r.edition.id(),
        "agency": r.agency.value,
        "year": r.year.value,
        "active": active,
        "requests": requests,
        "review_litigation": review,
        "text": {
            "overview": r.text.overview.text,
            "problems": r.text.problems.text,
            "other_matters": r.text.other_matters.text,
        },
        "findings": findings.iter().map(finding).collect::<Vec<_>>(),
    })
}

/// Adds `"read"` (only with `--explain`): every field read, its cell and its label text.
pub fn add_read_map(doc: &mut Json, r: &Report) {
    let read: Vec<Json> =
        r.read_map.iter().map(|e| json!({"field": e.field, "cell": e.cell.to_string(), "label": e.label})).collect();
    if let Json::Object(m) = doc {
        m.insert("read".into(), Json::Array(read));
    }
}

pub fn finding(f: &Finding) -> Json {
    let mut m = Map::new();
    m.insert("rule".into(), Json::String(f.rule.into()));
    m.insert("severity".into(), Json::String(f.severity.id().into()));
    m.insert("cell".into(), f.cell.as_ref().map_or(Json::Null, |c| Json::String(c.to_string())));
    m.insert("related".into(), f.related.iter().map(|c| Json::String(c.to_string())).collect());
    if let (Some(e), Some(x)) = (f.expected, f.found) {
        m.insert("expected".into(), decimal(e));
        m.insert("found".into(), decimal(x));
    }
    m.insert("message".into(), Json::String(f.message.clone()));
    Json::Object(m)
}
