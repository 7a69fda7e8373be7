//! `nianbao serve`: a web page where a department checks its workbook before sending it,
//! and an HTTP API for office systems. axum on tokio; every conversion runs on the blocking
//! pool through the same `convert::convert` as the command line. No path from a request
//! reaches the file system: `--store` names what it keeps by the workbook's SHA-256.

mod handlers;
mod pages;
mod store;

use super::ReadArgs;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use nianbao::convert::Settings;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tower_http::set_header::SetResponseHeaderLayer;

/// Room for a multipart body's boundaries and headers around the file.
const MULTIPART_SLACK: usize = 64 * 1024;

/// No external source of any kind: the page works offline and loads only its own CSS and JS.
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub struct Args<'a> {
    pub listen: &'a str,
    pub templates: Option<&'a Path>,
    pub store: Option<&'a Path>,
    pub max_upload: &'a str,
    pub jobs: Option<usize>,
    /// `--timeout`: a request that takes longer gets 503.
    pub timeout: f64,
    /// `--queue-wait`: how long an upload or a conversion waits for a free slot before 503.
    pub queue_wait: f64,
    /// `--idle-timeout`: how long a connection may take to send a request head, or sit idle
    /// between requests, before it is closed.
    pub idle_timeout: f64,
}

/// What every handler shares.
pub struct App {
    pub settings: Settings,
    pub results: Mutex<store::Results>,
    /// `--store`: where received workbooks and their outputs are kept.
    pub disk: Option<PathBuf>,
    pub max_upload: usize,
    /// At most `--jobs` conversions at once.
    pub jobs: Arc<Semaphore>,
    /// Bodies being received: bounds the memory uploads can hold at once.
    pub uploads: Semaphore,
    pub pages: pages::Pages,
    /// A request that takes longer than this gets 503.
    pub request_limit: Duration,
    /// How long an upload or a conversion waits for a free slot before 503.
    pub queue_wait: Duration,
    /// How long a connection may take to send a request head, or sit idle, before it is closed.
    pub idle_limit: Duration,
    /// What, besides a request, changes a result: the version and the settings (templates,
    /// fixed time, zone). Part of every result's key.
    pub fingerprint: String,
}

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let max_upload = parse_size(a.max_upload)
        .ok_or_else(|| anyhow::anyhow!("无法理解 --max-upload {}：请写成 20MB、512KB 或字节数", a.max_upload))?;
    let addr: SocketAddr = a
        .listen
        .parse()
        .map_err(|_| anyhow::anyhow!("无法理解 --listen {}：请写成 127.0.0.1:8080 的形式", a.listen))?;
    let settings = super::convert::settings(&ReadArgs::default(), a.templates)?;
    // The templates as read, before compiling, so the text is the same from run to run.
    let templates = a.templates.map(super::fsio::load_templates).transpose()?;
    let fingerprint = nianbao::read::sha256_hex(
        format!(
            "nianbao {}\n{:?}\n{templates:?}\n{:?}\n{:?}",
            env!("CARGO_PKG_VERSION"),
            settings.read,
            settings.fixed_time,
            settings.zone
        )
        .as_bytes(),
    );
    let disk = match a.store {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("无法创建存档文件夹 {}：{}", dir.display(), super::fsio::io_message(&e))
            })?;
            Some(dir.to_path_buf())
        }
        None => None,
    };
    let jobs = a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let app = Arc::new(App {
        settings,
        results: Mutex::new(store::Results::new(store::MAX_RESULTS, store::MAX_BYTES)),
        disk,
        max_upload,
        jobs: Arc::new(Semaphore::new(jobs)),
        uploads: Semaphore::new((jobs * 8).max(16)),
        pages: pages::Pages::new()?,
        request_limit: Duration::from_secs_f64(a.timeout),
        queue_wait: Duration::from_secs_f64(a.queue_wait),
        idle_limit: Duration::from_secs_f64(a.idle_timeout),
        fingerprint,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(jobs + 4)
        .build()
        .map_err(|e| anyhow::anyhow!("无法启动服务：{e}"))?;
    runtime.block_on(serve(addr, app, jobs))
}

/// Connections are served by hand rather than through `axum::serve`, which sets no timer:
/// a connection that sends half a request head, or sits idle between requests, is closed
/// after `--idle-timeout` instead of being held for ever.
async fn serve(addr: SocketAddr, app: Arc<App>, jobs: usize) -> anyhow::Result<u8> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("无法监听 {addr}：{e}"))?;
    let local = listener.local_addr().map_err(|e| anyhow::anyhow!("无法监听 {addr}：{e}"))?;
    eprintln!(
        "nianbao serve：正在监听 http://{local}/（同时转换 {jobs} 个，上传上限 {}，按 Ctrl-C 停止）",
        size_text(app.max_upload)
    );
    let idle = app.idle_limit;
    let router = router(app);
    // `stop` closes when the server stops; each connection holds a `done` receiver, so
    // `done_tx.closed()` is when the last one has finished.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let (done_tx, done_rx) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: pause rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let (stop_tx, done_rx) = (stop_tx.clone(), done_rx.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            // The header timer runs from the moment a request head is awaited, so it bounds
            // both a slow head and the idle time between keep-alive requests.
            builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(idle).keep_alive(true);
            let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            let mut stopping = std::pin::pin!(stop_tx.closed());
            let mut stopped = false;
            loop {
                tokio::select! {
                    _ = conn.as_mut() => break,
                    () = &mut stopping, if !stopped => {
                        stopped = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(done_rx);
        });
    }
    drop((stop_rx, done_rx));
    done_tx.closed().await;
    eprintln!("nianbao serve：已停止");
    Ok(super::EXIT_OK)
}

fn router(app: Arc<App>) -> Router {
    let limit = app.max_upload + MULTIPART_SLACK;
    Router::new()
        .route("/", get(handlers::index).post(handlers::upload))
        .route("/r/{id}", get(handlers::result))
        .route("/r/{id}/{file}", get(handlers::download))
        .route("/r/{id}/{n}/{file}", get(handlers::download_part))
        .route("/template.xlsx", get(handlers::template))
        .route("/rules", get(handlers::rules))
        .route("/static/{file}", get(handlers::asset))
        .route("/api/check", post(handlers::api_check))
        .route("/api/convert", post(handlers::api_convert))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(app.clone(), limits))
        .layer(middleware::from_fn(log))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .with_state(app)
}

/// Refuses a declared body above the limit before reading any of it, and bounds each
/// request's time.
async fn limits(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > (app.max_upload + MULTIPART_SLACK) as u64) {
        return handlers::Fail::TooLarge(app.max_upload).respond(api, &app);
    }
    match tokio::time::timeout(app.request_limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => handlers::Fail::Busy(format!(
            "处理超时（超过 {} 秒），请稍后重试",
            seconds_text(app.request_limit.as_secs_f64())
        ))
        .respond(api, &app),
    }
}

/// One line per request: method, path, status, milliseconds.
async fn log(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    eprintln!(
        "{} {method} {path} {} {:.1}ms",
        nianbao::date::utc_text(now),
        res.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    res
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    eprintln!("nianbao serve：正在停止，等待处理中的请求完成");
}

/// `20MB`, `512KB`, `1.5M`, `1048576` → bytes (binary units, as file managers count).
pub fn parse_size(s: &str) -> Option<usize> {
    let t = s.trim().to_ascii_uppercase();
    let t = t.strip_suffix('B').unwrap_or(&t).trim_end();
    let (num, mult) = match t.chars().last()? {
        'K' => (&t[..t.len() - 1], 1024.0),
        'M' => (&t[..t.len() - 1], 1024.0 * 1024.0),
        'G' => (&t[..t.len() - 1], 1024.0 * 1024.0 * 1024.0),
        _ => (t, 1.0),
    };
    let n: f64 = num.trim().parse().ok()?;
    (n.is_finite() && n > 0.0 && n * mult < 4.0 * 1024.0 * 1024.0 * 1024.0).then_some((n * mult) as usize)
}

/// Bytes as people read them: `20 MB`, `512 KB`.
pub fn size_text(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MB", n / (1024 * 1024))
    } else if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} 字节")
    }
}

/// A download's `Content-Disposition`: an ASCII fallback and the real name per RFC 5987,
/// so Chinese names survive every browser.
pub fn disposition(fallback: &str, name: &str) -> String {
    let mut enc = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            enc.push(char::from(b));
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{enc}")
}

/// A response with a status and a body type.
pub fn typed(status: StatusCode, content_type: &'static str, body: impl Into<axum::body::Body>) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

/// Seconds as people write them: `10`, `0.5`.
fn seconds_text(s: f64) -> String {
    let t = format!("{s:.2}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_size("20MB"), Some(20 * 1024 * 1024));
        assert_eq!(parse_size("512kb"), Some(512 * 1024));
        assert_eq!(parse_size("1.5M"), Some(1024 * 1024 * 3 / 2));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("MB"), None);
        assert_eq!(parse_size("-5MB"), None);
        assert_eq!(size_text(20 * 1024 * 1024), "20 MB");
        assert_eq!(size_text(100 * 1024), "100 KB");
    }

    #[test]
    fn download_names_are_encoded_per_rfc_5987() {
        assert_eq!(
            disposition("report.docx", "某局 2023.docx"),
            "attachment; filename=\"report.docx\"; filename*=UTF-8''%E6%9F%90%E5%B1%80%202023.docx"
        );
    }
}
