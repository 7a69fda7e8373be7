//! The server-rendered pages: minijinja templates embedded in the binary, the official
//! tables drawn by `write::html`.

use super::size_text;
use super::store::{Entry, Made};
use axum::http::StatusCode;
use minijinja::{context, AutoEscape, Environment, Value};
use nianbao::check::rules::RULES;
use nianbao::finding::{count, Severity};
use nianbao::write::layout::edition_title;

pub const STYLE: &str = include_str!("../../../templates/web/style.css");
pub const SCRIPT: &str = include_str!("../../../templates/web/app.js");

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/web/base.html.j2")),
    ("upload.html", include_str!("../../../templates/web/upload.html.j2")),
    ("index.html", include_str!("../../../templates/web/index.html.j2")),
    ("result.html", include_str!("../../../templates/web/result.html.j2")),
    ("several.html", include_str!("../../../templates/web/several.html.j2")),
    ("error.html", include_str!("../../../templates/web/error.html.j2")),
    ("rules.html", include_str!("../../../templates/web/rules.html.j2")),
];

pub struct Pages {
    env: Environment<'static>,
}

impl Pages {
    pub fn new() -> anyhow::Result<Self> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        for (name, source) in TEMPLATES {
            env.add_template(name, source).map_err(|e| anyhow::anyhow!("页面模板 {name} 有误：{e}"))?;
        }
        env.add_global("version", env!("CARGO_PKG_VERSION"));
        env.add_global("accept", accept());
        Ok(Pages { env })
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String, String> {
        self.env.get_template(name).and_then(|t| t.render(ctx)).map_err(|e| format!("页面生成失败：{e}"))
    }

    pub fn index(&self, max_upload: usize) -> String {
        let this_year = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(2025, |d| nianbao::date::civil_from_days(d.as_secs() as i64 / 86_400).0 - 1);
        self.render(
            "index.html",
            context! { max_upload => size_text(max_upload), rule_count => RULES.len(), this_year },
        )
        .unwrap_or_else(|m| fallback(&m))
    }

    pub fn error(&self, status: StatusCode, message: &str, max_upload: usize) -> String {
        let title = match status {
            StatusCode::UNPROCESSABLE_ENTITY => "无法读取这个文件",
            StatusCode::PAYLOAD_TOO_LARGE => "文件过大",
            StatusCode::SERVICE_UNAVAILABLE => "服务器繁忙",
            StatusCode::NOT_FOUND => "找不到",
            StatusCode::INTERNAL_SERVER_ERROR => "服务器出错，未能生成结果",
            _ => "请求有误",
        };
        // After a refused upload the form is offered again at once.
        let upload = matches!(status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::PAYLOAD_TOO_LARGE);
        self.render("error.html", context! { title, message, upload, max_upload => size_text(max_upload) })
            .unwrap_or_else(|_| fallback(message))
    }

    pub fn rules(&self) -> String {
        let rules: Vec<Value> = RULES
            .iter()
            .map(|r| {
                context! { code => r.code, severity => r.severity.id(), severity_zh => r.severity.zh(), description => r.description }
            })
            .collect();
        self.render("rules.html", context! { rules }).unwrap_or_else(|m| fallback(&m))
    }

    /// The result page of an upload: its one report's, or for several the list of them
    /// (`n` None) or the page of the `n`th (from 1).
    pub fn result(&self, e: &Entry, n: Option<usize>, max_upload: usize) -> Result<String, String> {
        match (e.several(), n) {
            (true, None) => self.several(e, max_upload),
            (_, n) => {
                let n = n.unwrap_or(1);
                let m = e.part(n).ok_or_else(|| format!("页面生成失败：没有第 {n} 份报告"))?;
                self.report(e, m, n, max_upload)
            }
        }
    }

    /// The page of one report: its tables drawn with the marked cells, its findings, its
    /// downloads (under `/r/<id>` for the one report of an upload, `/r/<id>/<n>` for one of
    /// several).
    fn report(&self, e: &Entry, m: &Made, n: usize, max_upload: usize) -> Result<String, String> {
        let r = &m.report;
        let drawn = nianbao::write::html::tables(r, &m.findings).map_err(|err| format!("绘制表格失败：{err}"))?;
        let tables: Vec<Value> = drawn
            .tables
            .iter()
            .map(|t| context! { section => t.section, html => Value::from_safe_string(t.html.clone()) })
            .collect();
        let findings: Vec<Value> = m
            .findings
            .iter()
            .zip(&drawn.anchors)
            .map(|(f, anchor)| {
                context! {
                    severity => f.severity.id(),
                    severity_zh => f.severity.zh(),
                    rule => f.rule,
                    // A published report's place as a reader finds it; a workbook's cell.
                    cell => f.location.as_ref().map(|l| l.to_string()).or_else(|| f.cell.as_ref().map(|c| c.to_string())),
                    anchor,
                    message => &f.message,
                }
            })
            .collect();
        let (errors, warnings) = (count(&m.findings, Severity::Error), count(&m.findings, Severity::Warning));
        let agency = r.agency.value.clone();
        let year = r.year.value;
        let heading = match (&agency, year) {
            (Some(a), Some(y)) => format!("{a} {y}年度 核查结果"),
            (Some(a), None) => format!("{a} 核查结果"),
            _ => format!("{} 核查结果", r.file),
        };
        self.render(
            "result.html",
            context! {
                heading,
                id => &e.id,
                n,
                of => e.reports.len(),
                agency,
                year,
                edition => edition_title(r.edition),
                file => &r.file,
                // A web page, Word document or PDF: corrected where it was published, not re-filled.
                published => r.is_published(),
                errors,
                warnings,
                infos => count(&m.findings, Severity::Info),
                verdict => verdict(errors, warnings),
                annotated => e.annotated.as_ref().map(|_| e.annotated_file()),
                tables,
                findings,
                max_upload => size_text(max_upload),
            },
        )
    }

    /// The page of an upload holding several agencies' reports: a row each (agency, year,
    /// findings counted, its page and downloads), the annotated copy marking every one.
    fn several(&self, e: &Entry, max_upload: usize) -> Result<String, String> {
        let reports: Vec<Value> = e
            .reports
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let (errors, warnings) = (count(&m.findings, Severity::Error), count(&m.findings, Severity::Warning));
                context! {
                    n => i + 1,
                    agency => m.report.agency.value.clone(),
                    year => m.report.year.value,
                    edition => m.report.edition.id(),
                    errors,
                    warnings,
                    verdict => verdict(errors, warnings),
                }
            })
            .collect();
        let file = e.reports.first().map_or("", |m| m.report.file.as_str());
        let errors: usize = e.reports.iter().map(|m| count(&m.findings, Severity::Error)).sum();
        let warnings: usize = e.reports.iter().map(|m| count(&m.findings, Severity::Warning)).sum();
        self.render(
            "several.html",
            context! {
                heading => format!("{file} 核查结果"),
                id => &e.id,
                file,
                reports,
                errors,
                warnings,
                verdict => verdict(errors, warnings),
                annotated => e.annotated.as_ref().map(|_| e.annotated_file()),
                max_upload => size_text(max_upload),
            },
        )
    }
}

/// The file field's `accept`: every workbook and published report the reader takes.
fn accept() -> String {
    use crate::cli::input::{PUBLISHED_EXTENSIONS, WORKBOOK_EXTENSIONS};
    let all: Vec<String> = WORKBOOK_EXTENSIONS.iter().chain(PUBLISHED_EXTENSIONS).map(|e| format!(".{e}")).collect();
    all.join(",")
}

/// The verdict's class: `error`, `warning` or `ok`.
fn verdict(errors: usize, warnings: usize) -> &'static str {
    if errors > 0 {
        "error"
    } else if warnings > 0 {
        "warning"
    } else {
        "ok"
    }
}

/// A page that cannot fail to render, for a template error (a bug, never the user's input).
fn fallback(message: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>nianbao</title><p>{}</p></html>",
        nianbao::write::html::escape(message)
    )
}
