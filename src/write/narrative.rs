//! Narrative templates (minijinja): the title, the preamble and the three narrative sections,
//! rendered from a context built from the report. Defaults are embedded; a folder overrides
//! them file by file. Strict undefined, so a misspelt variable fails with template and line.

use crate::error::TemplateError;
use crate::form::{ActiveCol, ActiveRow, Edition, Kind, ReqCol, ReqRow, ReviewCol, ReviewGroup, RowKey};
use crate::model::{Report, Value};
use crate::number;
use crate::write::json;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};
use std::sync::{Arc, OnceLock};

/// The embedded default templates, by file name (templates/README.md documents them).
pub(crate) const DEFAULTS: [(&str, &str); 5] = [
    ("title.j2", include_str!("../../templates/title.j2")),
    ("preamble.j2", include_str!("../../templates/preamble.j2")),
    ("overview.j2", include_str!("../../templates/overview.j2")),
    ("problems.j2", include_str!("../../templates/problems.j2")),
    ("other_matters.j2", include_str!("../../templates/other_matters.j2")),
];

/// Template sources by name; empty means the embedded defaults. Compiled once, on first
/// use, and shared by clones (compiling took ~40% of a Word report's time).
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// (file name, source): each replaces the default of that name; other names are
    /// available to `{% include %}` and `{% import %}`.
    overrides: Vec<(String, String)>,
    compiled: Arc<OnceLock<Result<Environment<'static>, TemplateError>>>,
}

impl Templates {
    /// The defaults with these files replacing or adding to them.
    pub fn new(mut overrides: Vec<(String, String)>) -> Self {
        overrides.sort();
        Templates { overrides, compiled: Arc::default() }
    }

    /// Compiles the templates now: a syntax error is reported once, before any file is
    /// converted, naming the template and line.
    pub fn check(&self) -> Result<(), TemplateError> {
        self.environment().map(|_| ())
    }

    fn environment(&self) -> Result<&Environment<'static>, TemplateError> {
        self.compiled.get_or_init(|| compile(&self.overrides)).as_ref().map_err(Clone::clone)
    }
}

fn compile(overrides: &[(String, String)]) -> Result<Environment<'static>, TemplateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // The output is plain text for Word runs, never HTML.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // A hostile template (nested `range(100000)` loops) stops after this many instructions;
    // the defaults use a few thousand per report.
    env.set_fuel(Some(FUEL));
    for (name, src) in DEFAULTS {
        if !overrides.iter().any(|(n, _)| n == name) {
            env.add_template(name, src)?;
        }
    }
    for (name, src) in overrides {
        env.add_template_owned(name.clone(), src.clone())?;
    }
    Ok(env)
}

/// Instructions one template may run for one report.
pub(crate) const FUEL: u64 = 1_000_000;
/// The most text one template may render for one report.
pub(crate) const MAX_RENDERED_BYTES: usize = 1024 * 1024;

/// Collects rendered text, failing once it passes [`MAX_RENDERED_BYTES`].
struct Capped {
    text: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + buf.len() > MAX_RENDERED_BYTES {
            self.over = true;
            return Err(std::io::Error::other("rendered text too large"));
        }
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The rendered narrative: each part one string, one paragraph per non-empty line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub title: String,
    pub preamble: String,
    pub overview: String,
    pub problems: String,
    pub other_matters: String,
}

/// Renders every part of the narrative for a report.
pub fn render(report: &Report, templates: &Templates) -> Result<Rendered, TemplateError> {
    let env = templates.environment()?;
    let ctx = minijinja::Value::from_serialize(context(report));
    let part = |name: &str| -> Result<String, TemplateError> {
        let t = env.get_template(name)?;
        let mut out = Capped { text: Vec::new(), over: false };
        match t.render_captured_to(&ctx, &mut out) {
            Ok(_) => String::from_utf8(out.text).map_err(|_| TemplateError::NotText(name.into())),
            Err(_) if out.over => Err(TemplateError::TooLong { name: name.into(), kb: MAX_RENDERED_BYTES / 1024 }),
            Err(e) => Err(e.into()),
        }
    };
    Ok(Rendered {
        title: part("title.j2")?.trim().to_string(),
        preamble: part("preamble.j2")?,
        overview: part("overview.j2")?,
        problems: part("problems.j2")?,
        other_matters: part("other_matters.j2")?,
    })
}

/// A number for the templates: an integer where whole, the amount as typed with its unit,
/// the raw text of an unreadable cell.
fn number(v: &Value, kind: Kind, unit: Option<&str>) -> Json {
    match (v.num, kind) {
        (Some(n), Kind::Amount) => {
            let unit = v.unit.as_deref().or(unit).unwrap_or("万元");
            Json::String(format!("{n}{unit}"))
        }
        (Some(n), _) => int(n),
        (None, _) => Json::String(v.raw.clone()),
    }
}

/// The sum of the 总计 of rows of table 三.
fn total(report: &Report, rows: impl IntoIterator<Item = ReqRow>) -> Decimal {
    rows.into_iter().filter_map(|r| report.requests_at(r, ReqCol::Total)).map(Value::n).sum()
}

/// A sum for the templates: an integer where whole, else its text.
fn int(d: Decimal) -> Json {
    match number::whole(d) {
        Some(i) => json!(i),
        None => Json::String(number::text(d)),
    }
}

/// The template context: every figure by its ids, a few sums, the narrative text, the fee,
/// the contact lines. templates/README.md lists the names.
pub fn context(report: &Report) -> Json {
    // The tables as the JSON report projects them; table 四 under `review_litigation`, as
    // there, and under `review`, the name templates have always used.
    let tables = json::tables(report, |n, m| {
        m.insert(n.col.into(), number(n.value, n.kind, n.column.unit));
    });
    let form = report.form();
    // The rows of one group of results (（三）不予公开 …), by their ids' prefix.
    let group = |prefix: &'static str| {
        form.requests_rows.iter().filter_map(move |r| match r.key {
            RowKey::Requests(k) if k.id().starts_with(prefix) => Some(k),
            _ => None,
        })
    };
    let review_total = |g: ReviewGroup| report.review_at(g, ReviewCol::Total).map(Value::n).unwrap_or_default();
    let decisions: Decimal = [ActiveRow::Licensing, ActiveRow::Penalty, ActiveRow::Enforcement]
        .into_iter()
        .filter_map(|r| report.active_at(r, ActiveCol::Decisions))
        .map(Value::n)
        .sum();
    let sums = json!({
        "received": int(total(report, [ReqRow::NewReceived, ReqRow::CarriedOver])),
        "denied": int(total(report, group("denied_"))),
        "unable": int(total(report, group("unable_"))),
        "rejected": int(total(report, group("rejected_"))),
        "other": int(total(report, group("other"))),
        "review": int(review_total(ReviewGroup::Review)),
        "litigation": int(review_total(ReviewGroup::LitigationDirect) + review_total(ReviewGroup::LitigationAfterReview)),
        "decisions": int(decisions),
    });

    let fee_count = report.fee.count.as_ref();
    let fee_amount = report.fee.amount.as_ref();
    let charged = fee_count.is_some_and(|v| v.n() > Decimal::ZERO) || fee_amount.is_some_and(|v| v.n() > Decimal::ZERO);
    let fee = json!({
        "charged": charged,
        "count": fee_count.map_or(json!(0), |v| number(v, Kind::Count, None)),
        "amount": fee_amount.map_or(json!("0万元"), |v| number(v, Kind::Amount, Some("万元"))),
    });

    let c = &report.contact;
    let details: Vec<String> = [("地址", &c.address), ("邮政编码", &c.postcode), ("咨询电话", &c.phone)]
        .iter()
        .filter_map(|(l, v)| v.as_deref().map(|v| format!("{l}：{v}")))
        .collect();
    let contact = json!({
        "website": c.website, "office": c.office, "address": c.address,
        "postcode": c.postcode, "phone": c.phone, "details": details.join("；"),
    });

    json!({
        "agency": report.agency_name(),
        "year": report.year.value.map_or(json!(""), |y| json!(y)),
        "edition": report.edition.id(),
        "notice": report.edition.notice(),
        "is_2021": report.edition == Edition::E2021,
        "active": tables.active,
        "extra": report.active_extra.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
        "requests": tables.requests,
        "review_litigation": tables.review.clone(),
        "review": tables.review,
        "sums": sums,
        "fee": fee,
        "contact": contact,
        "text": {
            "overview": report.text.overview.text,
            "problems": report.text.problems.text,
            "other_matters": report.text.other_matters.text,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_four_is_under_the_json_key_and_the_old_one() {
        let mut r = Report::blank(Edition::E2021);
        r.review[0][4] = Value::number(Decimal::from(3));
        r.review[2][0] = Value::number(Decimal::from(2));
        let c = context(&r);
        assert_eq!(c["review"]["review"]["total"], json!(3));
        assert_eq!(c["review_litigation"]["review"]["total"], json!(3));
        assert_eq!(c["review_litigation"]["litigation_after_review"]["upheld"], json!(2));
        assert_eq!(c["review_litigation"], c["review"]);
        assert_eq!(c["sums"]["review"], json!(3));
        assert_eq!(c["active"]["fees"]["amount_wan"], json!("0万元"));
    }
}
