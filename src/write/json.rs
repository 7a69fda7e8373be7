//! The report as JSON, exactly the keys of docs/formats.md §7: other tools read it.

use crate::finding::Finding;
use crate::form::{Kind, SectionId};
use crate::model::{NumberRef, Report, Value};
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
    match crate::number::whole(n) {
        Some(i) => Json::from(i),
        None => n.to_f64().map_or(Json::Null, Json::from),
    }
}

/// The three tables as JSON objects, `{row id: {column id: …}}` in form order, each
/// number's entries made by `put`.
pub fn tables(r: &Report, put: impl FnMut(&NumberRef<'_>, &mut Map<String, Json>)) -> Tables {
    let mut t = Tables::default();
    rows(r, put, |s, id, m| {
        t.table(s).insert(id.into(), Json::Object(m));
    });
    t
}

/// Each row of the three tables in form order (table 四: each group), the one projection of
/// the tables that the JSON report and the template context (`write::narrative`) share,
/// under the same ids: `put` adds a number's entries to its row, `close` takes the row
/// whole with its table and id (one insertion per row rather than a keyed lookup per number).
pub fn rows<R: Default>(
    r: &Report,
    mut put: impl FnMut(&NumberRef<'_>, &mut R),
    mut close: impl FnMut(SectionId, &'static str, R),
) {
    let mut row: Option<(SectionId, usize, &'static str, R)> = None;
    for n in r.cells() {
        if row.as_ref().is_some_and(|(s, i, _, _)| (*s, *i) != (n.section, n.at.0)) {
            if let Some((s, _, id, m)) = row.take() {
                close(s, id, m);
            }
        }
        let (_, _, _, m) = row.get_or_insert_with(|| (n.section, n.at.0, n.row, R::default()));
        put(&n, m);
    }
    if let Some((s, _, id, m)) = row {
        close(s, id, m);
    }
}

/// The tables projected by [`tables`].
#[derive(Debug, Default)]
pub struct Tables {
    pub active: Map<String, Json>,
    pub requests: Map<String, Json>,
    /// Table 四, by group: `review_litigation` in the JSON report.
    pub review: Map<String, Json>,
}

impl Tables {
    fn table(&mut self, section: SectionId) -> &mut Map<String, Json> {
        match section {
            SectionId::Active => &mut self.active,
            SectionId::Requests => &mut self.requests,
            _ => &mut self.review,
        }
    }
}

pub fn report(r: &Report, findings: &[Finding]) -> Json {
    let Tables { mut active, requests, review } = tables(r, |n, m| {
        m.insert(n.col.into(), number(n.value, n.kind));
        if let (SectionId::Active, Some(u)) = (n.section, &n.value.unit) {
            m.insert(format!("{}_unit", n.col), Json::String(u.clone()));
        }
    });
    active.insert("extra".into(), r.active_extra.iter().map(|l| Json::String(l.text.clone())).collect());

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
    if let Some(at) = &f.location {
        m.insert("location".into(), location(at));
    }
    m.insert("related".into(), f.related.iter().map(|c| Json::String(c.to_string())).collect());
    if let (Some(e), Some(x)) = (f.expected, f.found) {
        m.insert("expected".into(), decimal(e));
        m.insert("found".into(), decimal(x));
    }
    m.insert("message".into(), Json::String(f.message.clone()));
    Json::Object(m)
}

/// A published report's place (docs/formats.md §7): only the keys that apply.
fn location(at: &crate::locate::Locator) -> Json {
    let mut m = Map::new();
    m.insert("table".into(), Json::String(at.table.clone()));
    if let Some(n) = at.number {
        m.insert("table_number".into(), Json::from(n));
    }
    if let Some(p) = at.page {
        m.insert("page".into(), Json::from(p));
    }
    if let Some(r) = &at.row {
        m.insert("row".into(), Json::String(r.clone()));
    }
    if let Some(c) = &at.column {
        m.insert("column".into(), Json::String(c.clone()));
    }
    if let Some((r, c)) = at.position {
        m.insert("position".into(), json!({"row": r, "column": c}));
    }
    m.insert("text".into(), Json::String(at.to_string()));
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Edition;

    #[test]
    fn tables_keep_the_keys_of_the_formats() {
        let mut r = Report::blank(Edition::E2019);
        r.review[1][2] = Value::number(Decimal::from(5));
        r.active[7][1] = Value { unit: Some("元".into()), ..Value::number(Decimal::new(1250, 2)) };
        let j = report(&r, &[]);
        assert_eq!(j["review_litigation"]["litigation_direct"]["other"], json!(5));
        assert_eq!(j.get("review"), None);
        assert_eq!(j["active"]["procurement"]["amount"], json!("12.50"));
        assert_eq!(j["active"]["procurement"]["amount_unit"], json!("元"));
        assert_eq!(j["requests"]["other"]["total"], json!(0));
        assert_eq!(j["active"]["extra"], json!([]));
    }
}
