//! The routes: pages, downloads and the API.

use super::store::{self, Entry, Made};
use super::{disposition, size_text, typed, App};
use crate::cli::fsio::Durability;
use crate::cli::input::{take, Input, Job, Source};
use crate::cli::print::json_array_text;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use nianbao::write::json;
use nianbao::{Edition, Report};
use serde::Deserialize;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Why a request produced no result. The messages are the command line's.
#[derive(Debug)]
pub enum Fail {
    /// The body is larger than `--max-upload` (its size in bytes).
    TooLarge(usize),
    /// The workbook cannot be read: the same message as `nianbao check` prints. The
    /// department's upload is at fault (422).
    Unreadable(String),
    /// The server's own failure, not the upload's: a template that fails, an output that
    /// cannot be made, a panic caught (500).
    Internal(String),
    /// No job free in time, or the request took too long.
    Busy(String),
    NotFound(String),
    BadRequest(String),
}

impl Fail {
    fn status(&self) -> StatusCode {
        match self {
            Fail::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Fail::Unreadable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Fail::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Fail::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Fail::NotFound(_) => StatusCode::NOT_FOUND,
            Fail::BadRequest(_) => StatusCode::BAD_REQUEST,
        }
    }

    fn message(&self) -> String {
        match self {
            Fail::TooLarge(max) => format!("文件过大：上传上限为 {}，统计表不应超过这个大小", size_text(*max)),
            Fail::Unreadable(m) | Fail::Internal(m) | Fail::Busy(m) | Fail::NotFound(m) | Fail::BadRequest(m) => {
                m.clone()
            }
        }
    }

    /// `{"error": "…"}` for the API, the page with the message otherwise.
    /// A conversion's failure: the upload's when it could not be read, the server's otherwise.
    fn of(e: &nianbao::Error) -> Fail {
        if e.is_read() {
            Fail::Unreadable(e.to_string())
        } else {
            Fail::Internal(e.to_string())
        }
    }

    pub fn respond(&self, api: bool, app: &App) -> Response {
        if api {
            let body = serde_json::json!({ "error": self.message() }).to_string();
            typed(self.status(), "application/json; charset=utf-8", body)
        } else {
            let html = app.pages.error(self.status(), &self.message(), app.max_upload);
            typed(self.status(), "text/html; charset=utf-8", html)
        }
    }
}

/// A received workbook: the name it is shown under and its bytes.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

/// The name shown for a workbook sent without one.
const UNNAMED: &str = "上传的工作簿";

/// The last component of a name a browser sent (old browsers send the whole path).
fn base_name(name: &str) -> String {
    let n = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if n.is_empty() {
        UNNAMED.into()
    } else {
        n.chars().take(200).collect()
    }
}

/// Reads the workbook of a request: multipart field `file`, or the raw body.
async fn receive(app: &App, req: Request, name: Option<String>) -> Result<Upload, Fail> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let max = app.max_upload;
    if multipart {
        let mut form = Multipart::from_request(req, &())
            .await
            .map_err(|e| Fail::BadRequest(format!("无法读取上传的表单：{}", e.body_text())))?;
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => return Err(Fail::BadRequest("表单中没有文件（字段名应为 file）".into())),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(Fail::TooLarge(max)),
                Err(e) => return Err(Fail::BadRequest(format!("无法读取上传的表单：{}", e.body_text()))),
            };
            if field.name() != Some("file") {
                continue;
            }
            let filename = field.file_name().map(base_name);
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(Fail::TooLarge(max)),
                Err(e) => return Err(Fail::BadRequest(format!("无法读取上传的文件：{}", e.body_text()))),
            };
            if bytes.len() > max {
                return Err(Fail::TooLarge(max));
            }
            let name = name.or(filename).unwrap_or_else(|| UNNAMED.into());
            return Ok(Upload { name, bytes: bytes.to_vec() });
        }
    }
    let body = Limited::new(req.into_body(), max);
    match body.collect().await {
        Ok(c) => Ok(Upload { name: name.unwrap_or_else(|| UNNAMED.into()), bytes: c.to_bytes().to_vec() }),
        Err(e) if e.is::<LengthLimitError>() => Err(Fail::TooLarge(max)),
        Err(e) => Err(Fail::BadRequest(format!("无法接收上传的文件：{e}"))),
    }
}

/// A result's id: the SHA-256 of everything that changes it (the workbook's bytes, the
/// name the report shows, the previous year's result, the server's version and settings),
/// so two requests share a result, in memory and in `--store`, only when it is the same.
fn result_id(app: &App, sha: &str, name: &str, previous: Option<&Entry>) -> String {
    let previous = previous.map_or("", |p| p.id.as_str());
    let key = format!("nianbao-result\n{}\n{sha}\n{}:{name}\n{previous}", app.fingerprint, name.len());
    nianbao::read::sha256_hex(key.as_bytes())
}

/// Last year's report for a report of this upload, from an earlier upload (`?previous=`):
/// its one report, or of several the one of the same agency.
fn last_year(previous: &Entry, r: &Report) -> Option<Report> {
    let m = match previous.reports.as_slice() {
        [one] => Some(one),
        several => several.iter().find(|m| m.report.agency.value.is_some() && m.report.agency.value == r.agency.value),
    };
    m.map(|m| m.report.clone())
}

/// Set when the request that asked for a conversion has ended (answered 503, timed out,
/// its client gone): the request's future is dropped, and this with it.
struct Ended(Arc<AtomicBool>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Converts on the blocking pool, at most `--jobs` at once; keeps the result in memory
/// (and on disk with `--store`). Work whose request has ended stops at the next stage.
async fn process(app: &Arc<App>, up: Upload, previous: Option<Arc<Entry>>) -> Result<Arc<Entry>, Fail> {
    let sha = nianbao::read::sha256_hex(&up.bytes);
    let id = result_id(app, &sha, &up.name, previous.as_deref());
    if let Some(e) = app.results.lock().ok().and_then(|mut r| r.get(&id)) {
        return Ok(e);
    }
    let permit = tokio::time::timeout(app.queue_wait, app.jobs.clone().acquire_owned())
        .await
        .map_err(|_| Fail::Busy("服务器繁忙：正在处理的文件太多，请稍后重试".into()))?
        .map_err(|_| Fail::Busy("服务正在停止".into()))?;
    let ended = Ended(Arc::new(AtomicBool::new(false)));
    let gone = ended.0.clone();
    let app2 = app.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let stop = || {
            if !gone.load(Ordering::Relaxed) {
                return Ok(());
            }
            eprintln!("nianbao serve：{} 的请求已结束，停止转换", up.name);
            Err(Fail::Busy("请求已结束，转换未完成".into()))
        };
        // The request may have ended while the job waited for a thread.
        stop()?;
        let lookup = |r: &Report| previous.as_deref().and_then(|p| last_year(p, r));
        let inputs = Default::default();
        let job = Job {
            settings: &app2.settings,
            previous: &lookup,
            strict: false,
            out: None,
            durability: Durability::Now,
            inputs: &inputs,
            annotate: true,
        };
        let input = Input { name: up.name.clone(), bytes: &up.bytes, source: Source::Upload };
        let taken = take(&input, &job, "", str::to_string).map_err(|e| Fail::of(&e))?;
        #[cfg(debug_assertions)]
        injected_fault(&up.name)?;
        let annotated = taken.annotated.unwrap_or_else(|msg| {
            // Said in the log; the page offers the other outputs.
            eprintln!("nianbao serve：{msg}");
            None
        });
        if taken.made.is_empty() {
            return Err(Fail::Unreadable(format!("无法读取 {}：没有读到报告", up.name)));
        }
        stop()?;
        let (reports, json) = outputs(taken.made, &up.name)?;
        stop()?;
        let entry = Entry { id, sha, reports, annotated, json };
        if let Some(dir) = &app2.disk {
            if let Err(e) = store::keep(dir, &up.bytes, &entry) {
                eprintln!("nianbao serve：无法写入存档 {}：{e}", dir.join(&entry.id).display());
            }
        }
        Ok(Arc::new(entry))
    });
    let entry = task.await.map_err(|_| Fail::Internal("转换失败：内部错误".into()))??;
    drop(ended);
    if let Ok(mut r) = app.results.lock() {
        r.insert(entry.clone());
    }
    Ok(entry)
}

/// Each report's outputs as the entry keeps them, and what `/api/check` answers: for one
/// report its line, exactly as `check --format json` prints it (other tools read it); for
/// several, the array `check --format json-array` prints.
fn outputs(made: Vec<crate::cli::input::Made>, name: &str) -> Result<(Vec<Made>, String), Fail> {
    let mut docs = Vec::with_capacity(made.len());
    let mut reports = Vec::with_capacity(made.len());
    for c in made.into_iter().map(|m| m.c) {
        let doc = json::report(&c.report, &c.findings);
        let mut line =
            serde_json::to_string(&doc).map_err(|e| Fail::of(&nianbao::Error::write("JSON", e).in_file(name)))?;
        line.push('\n');
        docs.push(doc);
        reports.push(Made { report: c.report, findings: c.findings, docx: c.docx, archive: c.archive, json: line });
    }
    let json = match reports.as_slice() {
        [one] => one.json.clone(),
        _ => json_array_text(docs),
    };
    Ok((reports, json))
}

/// Debug builds only, for the tests over a socket: `NIANBAO_SERVE_FAULT=panic` panics in
/// the job and `=write` fails as a writer does, after the upload was read: faults of the
/// server's own that no upload can cause.
#[cfg(debug_assertions)]
fn injected_fault(name: &str) -> Result<(), Fail> {
    match std::env::var("NIANBAO_SERVE_FAULT").as_deref() {
        Ok("panic") => panic!("NIANBAO_SERVE_FAULT=panic"),
        Ok("write") => {
            let full = zip::result::ZipError::Io(std::io::Error::other("NIANBAO_SERVE_FAULT=write"));
            Err(Fail::of(&nianbao::Error::write("Word 报告", nianbao::error::WriteError::Docx(full)).in_file(name)))
        }
        _ => Ok(()),
    }
}

/// Holds one of the bounded upload slots while a body is received and converted.
async fn upload_slot(app: &App) -> Result<tokio::sync::SemaphorePermit<'_>, Fail> {
    tokio::time::timeout(app.queue_wait, app.uploads.acquire())
        .await
        .map_err(|_| Fail::Busy("服务器繁忙：同时上传的文件太多，请稍后重试".into()))?
        .map_err(|_| Fail::Busy("服务正在停止".into()))
}

pub async fn index(State(app): State<Arc<App>>) -> Response {
    typed(StatusCode::OK, "text/html; charset=utf-8", app.pages.index(app.max_upload))
}

/// `POST /`: the page's form; 303 to the result.
pub async fn upload(State(app): State<Arc<App>>, req: Request) -> Response {
    let result = async {
        let _slot = upload_slot(&app).await?;
        let up = receive(&app, req, None).await?;
        process(&app, up, None).await
    }
    .await;
    match result {
        Ok(e) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/r/{}", e.id))]).into_response(),
        Err(f) => f.respond(false, &app),
    }
}

/// A result by its id, in either case (ids are shown in lower case, hex is read in both).
fn lookup(app: &App, id: &str) -> Result<Arc<Entry>, Fail> {
    let valid = id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let id = id.to_ascii_lowercase();
    let found = if valid { app.results.lock().ok().and_then(|mut r| r.get(&id)) } else { None };
    found.ok_or_else(|| Fail::NotFound("找不到这个结果：可能已过期（只保留最近的结果），请重新上传工作簿".into()))
}

pub async fn result(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match lookup(&app, &id) {
        Ok(e) => page(&app, &e, None),
        Err(f) => f.respond(false, &app),
    }
}

/// The result page: the one report's, the list of several, or one of several (`n`, from 1).
fn page(app: &App, e: &Entry, n: Option<usize>) -> Response {
    match app.pages.result(e, n, app.max_upload) {
        Ok(html) => typed(StatusCode::OK, "text/html; charset=utf-8", html),
        Err(m) => Fail::Internal(m).respond(false, app),
    }
}

/// `某某局2023年政府信息公开工作年度报告`, or the file's stem when the workbook names no agency.
fn base(r: &Report) -> String {
    let name = match (r.agency.value.as_deref(), r.year.value) {
        (Some(a), Some(y)) => format!("{a}{y}年政府信息公开工作年度报告"),
        (Some(a), None) => format!("{a}政府信息公开工作年度报告"),
        _ => stem(&r.file),
    };
    super::super::fsio::sanitize(&name)
}

/// A file name without its extension.
fn stem(file: &str) -> String {
    file.rsplit_once('.').map_or(file, |(s, _)| s).to_string()
}

/// The name downloads of the whole upload carry: its one report's, or for several reports
/// the workbook's stem.
fn whole(e: &Entry) -> String {
    match e.reports.as_slice() {
        [one] => base(&one.report),
        several => super::super::fsio::sanitize(&stem(several.first().map_or("", |m| m.report.file.as_str()))),
    }
}

/// `GET /r/<id>/<file>`: an output of the upload; `GET /r/<id>/<n>`: the page of its `n`th
/// report (from 1) where it holds several.
pub async fn download(State(app): State<Arc<App>>, Path((id, file)): Path<(String, String)>) -> Response {
    let e = match lookup(&app, &id) {
        Ok(e) => e,
        Err(f) => return f.respond(false, &app),
    };
    if let Some(n) = part_number(&file) {
        return match e.part(n) {
            Some(_) => page(&app, &e, Some(n)),
            None => not_found_page(&app),
        };
    }
    let annotated = |a: &[u8]| -> Response {
        let name = whole(&e);
        let (ctype, name) = if file.ends_with(".html") {
            ("text/html; charset=utf-8", format!("{name}（问题标注）.html"))
        } else {
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", format!("{name}（问题标注）.xlsx"))
        };
        attachment(&file, ctype, &name, a.to_vec())
    };
    match file.as_str() {
        "annotated.html" | "annotated.xlsx" if e.annotated_file() == file => match &e.annotated {
            Some(a) => annotated(a),
            None if file.ends_with(".html") => Fail::NotFound("这份报告没有需要标注的问题".into()).respond(false, &app),
            None => Fail::NotFound("这个工作簿没有需要标注的问题".into()).respond(false, &app),
        },
        "report.json" if e.several() => attachment(
            &file,
            "application/json; charset=utf-8",
            &format!("{}.json", whole(&e)),
            e.json.clone().into_bytes(),
        ),
        "report.docx" | "archive.xlsx" | "report.json" => match e.reports.as_slice() {
            [one] => output(one, &file),
            several => Fail::NotFound(format!(
                "这个工作簿有 {} 个机关的报告：请在结果页分别下载各机关的 Word 报告和归档工作簿",
                several.len()
            ))
            .respond(false, &app),
        },
        _ => not_found_page(&app),
    }
}

/// `GET /r/<id>/<n>/<file>`: an output of the upload's `n`th report (from 1).
pub async fn download_part(
    State(app): State<Arc<App>>,
    Path((id, n, file)): Path<(String, String, String)>,
) -> Response {
    let e = match lookup(&app, &id) {
        Ok(e) => e,
        Err(f) => return f.respond(false, &app),
    };
    match part_number(&n).and_then(|n| e.part(n)) {
        Some(m) if ["report.docx", "archive.xlsx", "report.json"].contains(&file.as_str()) => output(m, &file),
        _ => not_found_page(&app),
    }
}

/// A report's number in a path: `1`, `2`… (at most four digits).
fn part_number(s: &str) -> Option<usize> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// One report's Word report, archive or JSON, named after its agency and year.
fn output(m: &Made, file: &str) -> Response {
    let b = base(&m.report);
    match file {
        "report.docx" => attachment(
            file,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &format!("{b}.docx"),
            m.docx.clone(),
        ),
        "archive.xlsx" => attachment(
            file,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{b}（归档）.xlsx"),
            m.archive.clone(),
        ),
        _ => attachment(file, "application/json; charset=utf-8", &format!("{b}.json"), m.json.clone().into_bytes()),
    }
}

/// A download: its type and its name (`Content-Disposition`, `file` as the ASCII fallback).
fn attachment(file: &str, ctype: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, ctype.to_string()), (header::CONTENT_DISPOSITION, disposition(file, name))],
        bytes,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct TemplateQuery {
    edition: Option<String>,
    agency: Option<String>,
    year: Option<String>,
}

/// `GET /template.xlsx?edition=2021&agency=…&year=…`: the blank standard workbook.
pub async fn template(State(app): State<Arc<App>>, Query(q): Query<TemplateQuery>) -> Response {
    let edition = q.edition.as_deref().and_then(Edition::parse).unwrap_or(Edition::E2021);
    let agency = q.agency.map(|a| a.trim().chars().take(100).collect::<String>()).filter(|a| !a.is_empty());
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => None,
        Some(y) => match y.parse::<i32>() {
            Ok(n) if (2000..=2100).contains(&n) => Some(n),
            _ => return Fail::BadRequest(format!("年度“{y}”不是 2000 到 2100 之间的年份")).respond(false, &app),
        },
    };
    let bytes = match nianbao::write::template::template(edition, agency.as_deref(), year) {
        Ok(b) => b,
        Err(e) => return Fail::Internal(format!("生成统计表失败：{e}")).respond(false, &app),
    };
    let name = format!(
        "{}{}政府信息公开工作年度报告统计表（{}年版）.xlsx",
        agency.as_deref().unwrap_or(""),
        year.map(|y| format!("{y}年")).unwrap_or_default(),
        edition.id()
    );
    let name = super::super::fsio::sanitize(&name);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, disposition("template.xlsx", &name)),
        ],
        bytes,
    )
        .into_response()
}

pub async fn rules(State(app): State<Arc<App>>) -> Response {
    typed(StatusCode::OK, "text/html; charset=utf-8", app.pages.rules())
}

pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, ctype) = match file.as_str() {
        "style.css" => (super::pages::STYLE, "text/css; charset=utf-8"),
        "app.js" => (super::pages::SCRIPT, "text/javascript; charset=utf-8"),
        _ => return typed(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found"),
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

fn not_found_page(app: &App) -> Response {
    Fail::NotFound("没有这个页面".into()).respond(false, app)
}

pub async fn not_found(State(app): State<Arc<App>>, req: Request) -> Response {
    let api = req.uri().path().starts_with("/api/");
    Fail::NotFound("没有这个页面".into()).respond(api, &app)
}

#[derive(Debug, Deserialize)]
pub struct ApiQuery {
    /// The SHA-256 of an earlier upload: last year's report, for the cross-year rules.
    previous: Option<String>,
    /// The file name the report carries (the raw body has none).
    name: Option<String>,
}

/// An earlier upload, for `?previous=`: a result's id, or the SHA-256 of the workbook
/// (its latest result), in either case.
fn previous(app: &App, q: &ApiQuery) -> Result<Option<Arc<Entry>>, Fail> {
    match q.previous.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(id) => lookup(app, id)
            .ok()
            .or_else(|| app.results.lock().ok().and_then(|mut r| r.latest_of(&id.to_ascii_lowercase())))
            .map(Some)
            .ok_or_else(|| {
                Fail::NotFound(format!("找不到 previous={id} 的上年工作簿：请先上传它（只保留最近的结果）"))
            }),
    }
}

async fn api_entry(app: &Arc<App>, q: &ApiQuery, req: Request) -> Result<Arc<Entry>, Fail> {
    let prev = previous(app, q)?;
    let _slot = upload_slot(app).await?;
    let up = receive(app, req, q.name.as_deref().map(base_name)).await?;
    process(app, up, prev).await
}

/// `POST /api/check`: exactly what `check --format json` prints for one file.
pub async fn api_check(State(app): State<Arc<App>>, Query(q): Query<ApiQuery>, req: Request) -> Response {
    match api_entry(&app, &q, req).await {
        Ok(e) => typed(StatusCode::OK, "application/json; charset=utf-8", e.json.clone()),
        Err(f) => f.respond(true, &app),
    }
}

/// `POST /api/convert`: a zip of the outputs.
pub async fn api_convert(State(app): State<Arc<App>>, Query(q): Query<ApiQuery>, req: Request) -> Response {
    let e = match api_entry(&app, &q, req).await {
        Ok(e) => e,
        Err(f) => return f.respond(true, &app),
    };
    match zip(&e) {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (header::CONTENT_DISPOSITION, disposition("nianbao.zip", &format!("{}.zip", whole(&e)))),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(m) => Fail::Internal(m).respond(true, &app),
    }
}

/// The outputs as `store::files` lists them: `report.docx`, `archive.xlsx`, `report.json`
/// and, with findings, `annotated.xlsx` (`annotated.html` for a published report); for
/// several reports a folder `N/` each.
fn zip(e: &Entry) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The Office files are compressed already.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in store::files(e) {
        let opts = if name.ends_with(".json") || name.ends_with(".html") { deflated } else { stored };
        w.start_file(name, opts).map_err(|err| format!("打包失败：{err}"))?;
        w.write_all(bytes).map_err(|err| format!("打包失败：{err}"))?;
    }
    w.finish().map(|c| c.into_inner()).map_err(|err| format!("打包失败：{err}"))
}
