//! Narrative templates (minijinja): the title, the preamble and the three narrative sections,
//! rendered from a context built from the report. Defaults are embedded; a folder overrides
//! them file by file. Strict undefined, so a misspelt variable fails with template and line.

use crate::error::TemplateError;
use crate::form::{ActiveCol, ActiveRow, Edition, Kind, ReqCol, ReqRow, ReviewCol, ReviewGroup, RowKey, SectionId};
use crate::model::{Report, Value};
use crate::number;
use crate::write::json;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value as Ctx};
use rust_decimal::Decimal;
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
/// use, and shared by clones (compiling took ~40% of a Word report's time); the defaults
/// once a process.
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
        // The embedded defaults are compiled once a process, whichever `Templates` asks.
        static DEFAULTS_COMPILED: OnceLock<Result<Environment<'static>, TemplateError>> = OnceLock::new();
        let compiled = if self.overrides.is_empty() { &DEFAULTS_COMPILED } else { &*self.compiled };
        compiled.get_or_init(|| compile(&self.overrides)).as_ref().map_err(Clone::clone)
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
    let ctx = context(report);
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
fn number(v: &Value, kind: Kind, unit: Option<&str>) -> Ctx {
    match (v.num, kind) {
        (Some(n), Kind::Amount) => {
            let unit = v.unit.as_deref().or(unit).unwrap_or("万元");
            Ctx::from(format!("{n}{unit}"))
        }
        (Some(n), _) => int(n),
        (None, _) => Ctx::from(v.raw.as_str()),
    }
}

/// The sum of the 总计 of rows of table 三.
fn total(report: &Report, rows: impl IntoIterator<Item = ReqRow>) -> Decimal {
    rows.into_iter().filter_map(|r| report.requests_at(r, ReqCol::Total)).map(Value::n).sum()
}

/// A sum for the templates: an integer where whole, else its text.
fn int(d: Decimal) -> Ctx {
    match number::whole(d) {
        Some(i) => whole(i),
        None => Ctx::from(number::text(d)),
    }
}

/// An integer as the context always held it (from JSON: unsigned where not negative).
fn whole(i: i64) -> Ctx {
    u64::try_from(i).map_or(Ctx::from(i), Ctx::from)
}

/// The template context: every figure by its ids, a few sums, the narrative text, the fee,
/// the contact lines. templates/README.md lists the names. Built as the template engine's
/// values directly: a JSON document converted for each report cost more than the rendering.
pub fn context(report: &Report) -> Ctx {
    // The tables as the JSON report projects them; table 四 under `review_litigation`, as
    // there, and under `review`, the name templates have always used.
    let mut tables: [Vec<(&'static str, Ctx)>; 3] = Default::default();
    json::rows(
        report,
        |n, m: &mut Vec<(&'static str, Ctx)>| m.push((n.col, number(n.value, n.kind, n.column.unit))),
        |s, id, m| {
            let t = match s {
                SectionId::Active => 0,
                SectionId::Requests => 1,
                _ => 2,
            };
            tables[t].push((id, Ctx::from_iter(m)));
        },
    );
    let [active, requests, review] = tables.map(Ctx::from_iter);
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
    let sums = Ctx::from_iter([
        ("received", int(total(report, [ReqRow::NewReceived, ReqRow::CarriedOver]))),
        ("denied", int(total(report, group("denied_")))),
        ("unable", int(total(report, group("unable_")))),
        ("rejected", int(total(report, group("rejected_")))),
        ("other", int(total(report, group("other")))),
        ("review", int(review_total(ReviewGroup::Review))),
        (
            "litigation",
            int(review_total(ReviewGroup::LitigationDirect) + review_total(ReviewGroup::LitigationAfterReview)),
        ),
        ("decisions", int(decisions)),
    ]);

    let fee_count = report.fee.count.as_ref();
    let fee_amount = report.fee.amount.as_ref();
    let charged = fee_count.is_some_and(|v| v.n() > Decimal::ZERO) || fee_amount.is_some_and(|v| v.n() > Decimal::ZERO);
    let fee = Ctx::from_iter([
        ("charged", Ctx::from(charged)),
        ("count", fee_count.map_or(whole(0), |v| number(v, Kind::Count, None))),
        ("amount", fee_amount.map_or(Ctx::from("0万元"), |v| number(v, Kind::Amount, Some("万元")))),
    ]);

    let c = &report.contact;
    let details: Vec<String> = [("地址", &c.address), ("邮政编码", &c.postcode), ("咨询电话", &c.phone)]
        .iter()
        .filter_map(|(l, v)| v.as_deref().map(|v| format!("{l}：{v}")))
        .collect();
    let line = |t: &Option<String>| Ctx::from(t.as_deref());
    let contact = Ctx::from_iter([
        ("website", line(&c.website)),
        ("office", line(&c.office)),
        ("address", line(&c.address)),
        ("postcode", line(&c.postcode)),
        ("phone", line(&c.phone)),
        ("details", Ctx::from(details.join("；"))),
    ]);

    Ctx::from_iter([
        ("agency", Ctx::from(report.agency_name())),
        ("year", report.year.value.map_or(Ctx::from(""), |y| whole(i64::from(y)))),
        ("edition", Ctx::from(report.edition.id())),
        ("notice", Ctx::from(report.edition.notice())),
        ("is_2021", Ctx::from(report.edition == Edition::E2021)),
        ("active", active),
        ("extra", report.active_extra.iter().map(|l| Ctx::from(l.text.as_str())).collect()),
        ("requests", requests),
        ("review_litigation", review.clone()),
        ("review", review),
        ("sums", sums),
        ("fee", fee),
        ("contact", contact),
        (
            "text",
            Ctx::from_iter([
                ("overview", Ctx::from(report.text.overview.text.as_str())),
                ("problems", Ctx::from(report.text.problems.text.as_str())),
                ("other_matters", Ctx::from(report.text.other_matters.text.as_str())),
            ]),
        ),
    ])
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
        let at = |path: &str| {
            path.split('.').try_fold(c.clone(), |v, k| v.get_attr(k)).map(|v| v.to_string()).unwrap_or_default()
        };
        assert_eq!(at("review.review.total"), "3");
        assert_eq!(at("review_litigation.review.total"), "3");
        assert_eq!(at("review_litigation.litigation_after_review.upheld"), "2");
        assert_eq!(c.get_attr("review_litigation").ok(), c.get_attr("review").ok());
        assert_eq!(at("sums.review"), "3");
        assert_eq!(at("active.fees.amount_wan"), "0万元");
    }
}
