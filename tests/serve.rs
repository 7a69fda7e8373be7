//! `nianbao serve` (issue 18) over real sockets: the binary listens on 127.0.0.1 at a
//! random port; every route, 413, 422, the hostile catalogue, `/api/check` equal to
//! `check --format json`, `--store`, a clean stop; and a real browser through WebDriver.

use crate::common::*;
use nianbao::convert::{convert, no_previous, Settings};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) const WRONG_TOTAL: &str = "2023-某某县市场监督管理局-总计有误.xlsx";

/// A running `nianbao serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
    /// The thread draining the log; it ends when the server's stderr closes.
    drain: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        Server::start_env(args, &[])
    }

    /// As [`Server::start`], with these environment variables set.
    pub fn start_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .env("NIANBAO_FIXED_TIME", "1700000000")
            // The archive's time zone as the library's default (Beijing), which `converted` uses.
            .env("TZ", "CST-8")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nianbao serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        // Drain the log all along, or a full pipe would block the server.
        let drain = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.split("http://").nth(1).and_then(|s| s.split('/').next()) {
                    let _ = tx.send(addr.to_string());
                }
                sink.lock().expect("log").push(line);
            }
        });
        let addr = rx.recv_timeout(Duration::from_secs(20)).expect("server prints its address");
        Server { child, base: format!("http://{addr}"), log, drain: Some(drain) }
    }

    /// The server's peak resident memory so far (Linux), in KB.
    pub fn peak_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    /// SIGTERM, then the exit status within `secs`.
    fn terminate(&mut self, secs: u64) -> Option<std::process::ExitStatus> {
        // SAFETY: signalling a child this test started.
        #[cfg(unix)]
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        // Windows has no SIGTERM: end the child outright.
        #[cfg(not(unix))]
        let _ = self.child.kill();
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if let Ok(Some(s)) = self.child.try_wait() {
                // The log's last lines may still be in the pipe when the process has
                // exited: read to its end before the caller looks at the log.
                // (A few seconds at most: a child of the server could hold the pipe open.)
                let waited = Instant::now();
                while self.drain.as_ref().is_some_and(|d| !d.is_finished()) && waited.elapsed() < Duration::from_secs(5)
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client")
}

/// A multipart body with one file field.
pub fn multipart(field: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----nianbao-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) fn header(r: &reqwest::blocking::Response, name: &str) -> String {
    r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// What `nianbao check --format json FILE` prints: (exit code, stdout, stderr).
pub(crate) fn cli_check(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--format", "json"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run check");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).trim().to_string(),
    )
}

/// The library's conversion of a sample, as the CLI's `convert` does it.
fn converted(path: &Path) -> nianbao::convert::Converted {
    let bytes = std::fs::read(path).expect("read sample");
    let name = path.file_name().expect("name").to_string_lossy();
    let s = Settings { fixed_time: Some(1_700_000_000), ..Settings::default() };
    convert(&bytes, &name, &no_previous, &s).expect("convert sample")
}

/// Percent-encoding of RFC 5987, to compare `filename*`.
pub(crate) fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn serve_pages_headers_template_rules_and_health() {
    let server = Server::start(&[]);
    let c = client();

    let r = c.get(server.url("/healthz")).send().expect("healthz");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().expect("body"), "ok");

    let r = c.get(server.url("/")).send().expect("index");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    let csp = header(&r, "content-security-policy");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("http"), "no external source: {csp}");
    assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
    let html = r.text().expect("body");
    assert!(html.contains(
        "<form class=\"upload\" id=\"upload\" method=\"post\" action=\"/\" enctype=\"multipart/form-data\">"
    ));
    // Workbooks and the published reports the API reads, said and offered by the file field.
    assert!(html.contains("name=\"file\" accept=\".xlsx,.xlsm,.xls,.ods,.html,.htm,.mht,.mhtml,.docx,.pdf\""));
    assert!(html.contains(
        "统计表支持 xlsx、xlsm、xls、ods；已发布的年度报告支持网页（html、htm、mht、mhtml）、Word 文档（docx）和 PDF；不超过 20 MB"
    ));
    assert!(html.contains("action=\"/template.xlsx\""));
    assert!(html.contains("href=\"/rules\""));
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing loaded from elsewhere");

    let r = c.get(server.url("/rules")).send().expect("rules");
    assert_eq!(r.status(), 200);
    let html = r.text().expect("body");
    assert!(html.contains("<tr><td><code>T3-ROW-TOTAL</code></td><td class=\"error\">错误</td>"), "{html}");
    assert_eq!(html.matches("<tr><td><code>").count(), nianbao::check::rules::RULES.len());

    let r = c.get(server.url("/static/style.css")).send().expect("css");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "text/css; charset=utf-8");
    let r = c.get(server.url("/static/app.js")).send().expect("js");
    assert_eq!(r.status(), 200);
    assert!(r.text().expect("js").contains("dataTransfer"));

    let r = c.get(server.url("/static/../Cargo.toml")).send().expect("traversal");
    assert_eq!(r.status(), 404);
    let r = c.get(server.url("/no/such/page")).send().expect("404");
    assert_eq!(r.status(), 404);
    assert!(r.text().expect("body").contains("没有这个页面"));
    let r = c.get(server.url(&format!("/r/{}", "0".repeat(64)))).send().expect("unknown result");
    assert_eq!(r.status(), 404);
    assert!(r.text().expect("body").contains("找不到这个结果"));

    let r = c
        .get(server.url("/template.xlsx"))
        .query(&[("edition", "2019"), ("agency", "某某县交通运输局"), ("year", "2024")])
        .send()
        .expect("template");
    assert_eq!(r.status(), 200);
    let name = "某某县交通运输局2024年政府信息公开工作年度报告统计表（2019年版）.xlsx";
    assert_eq!(
        header(&r, "content-disposition"),
        format!("attachment; filename=\"template.xlsx\"; filename*=UTF-8''{}", pct(name))
    );
    let report = read_bytes(&r.bytes().expect("xlsx"), "template.xlsx");
    assert_eq!(report.edition, nianbao::Edition::E2019);
    assert_eq!(report.agency.value.as_deref(), Some("某某县交通运输局"));
    assert_eq!(report.year.value, Some(2024));
    let r = c.get(server.url("/template.xlsx?year=abc")).send().expect("bad year");
    assert_eq!(r.status(), 400);
    assert!(r.text().expect("body").contains("年度“abc”不是 2000 到 2100 之间的年份"));

    // One line per request.
    let log = server.log();
    assert!(log.iter().any(|l| l.ends_with("ms") && l.contains(" GET /healthz 200 ")), "{log:?}");
}

#[test]
fn upload_redirects_to_the_result_page_with_marked_cells_and_downloads() {
    let server = Server::start(&[]);
    let c = client();
    let path = sample(WRONG_TOTAL);
    let bytes = std::fs::read(&path).expect("sample");
    let (ctype, body) = multipart("file", WRONG_TOTAL, &bytes);
    let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
    assert_eq!(r.status(), 303);
    // The result's id: lower-case hex, of more than the workbook's bytes.
    let id = header(&r, "location").strip_prefix("/r/").expect("result location").to_string();
    assert!(id.len() == 64 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
    assert_ne!(id, nianbao::read::sha256_hex(&bytes));

    let r = c.get(server.url(&format!("/r/{id}"))).send().expect("result");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store");
    let html = r.text().expect("page");
    assert!(html.contains("<h1>某某县市场监督管理局 2023年度 核查结果</h1>"));
    assert!(html.contains("<strong>3 个错误，2 个警告</strong>"));
    assert!(html.contains("2021年版（国办公开办函〔2021〕30号）"));
    // 依申请公开!J7, the wrong 总计 of （一）予以公开: red, its message on hover, an anchor.
    let j7 = "<td class=\"n error\" id=\"t2-r7-c10\" title=\"错误[T3-ROW-TOTAL] “（一）予以公开”行“总计”填写为 22，";
    assert!(html.contains(j7), "{html}");
    assert!(html.contains("tabindex=\"0\">22</td>"));
    assert!(html.contains("<a href=\"#t2-r7-c10\">依申请公开!J7</a>"));
    assert!(html.contains("<td class=\"n error\" id=\"t2-r28-c5\""), "商业企业 of （七）总计");
    assert!(html.contains("<td class=\"n error\" id=\"t3-r5-c5\""), "行政复议 总计");
    assert_eq!(html.matches("class=\"n error\"").count(), 3);
    // The two warnings are about the narrative (基本信息!B10): listed, not in a table.
    assert_eq!(html.matches("<span class=\"cell\">基本信息!B10</span>").count(), 2);
    assert_eq!(html.matches("<li class=\"warning\">").count(), 2);
    assert_eq!(html.matches("<li class=\"error\">").count(), 3);
    for f in ["report.docx", "archive.xlsx", "annotated.xlsx", "report.json"] {
        assert!(html.contains(&format!("href=\"/r/{id}/{f}\"")), "{f}");
    }

    let expected = converted(&path);
    let stem = "某某县市场监督管理局2023年政府信息公开工作年度报告";
    let r = c.get(server.url(&format!("/r/{id}/report.docx"))).send().expect("docx");
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "content-disposition"),
        format!("attachment; filename=\"report.docx\"; filename*=UTF-8''{}", pct(&format!("{stem}.docx")))
    );
    assert_eq!(r.bytes().expect("docx").as_ref(), expected.docx.as_slice());
    let r = c.get(server.url(&format!("/r/{id}/archive.xlsx"))).send().expect("archive");
    assert_eq!(
        header(&r, "content-disposition"),
        format!("attachment; filename=\"archive.xlsx\"; filename*=UTF-8''{}", pct(&format!("{stem}（归档）.xlsx")))
    );
    assert_eq!(r.bytes().expect("archive").as_ref(), expected.archive.as_slice());
    let r = c.get(server.url(&format!("/r/{id}/annotated.xlsx"))).send().expect("annotated");
    assert_eq!(r.status(), 200);
    let annotated = r.bytes().expect("annotated");
    let parsed = nianbao::read::parse(&bytes).expect("parse");
    let wb = nianbao::convert::workbook(&parsed, &bytes).expect("a workbook");
    let read = nianbao::write::annotate::read_cells(&expected.report);
    let want = nianbao::write::annotate::annotate_read(wb, &expected.findings, &read).expect("annotate");
    assert_eq!(annotated.as_ref(), want.as_slice());
    let r = c.get(server.url(&format!("/r/{id}/report.json"))).send().expect("json");
    assert_eq!(header(&r, "content-type"), "application/json; charset=utf-8");
    let (code, stdout, _) = cli_check(&[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(r.text().expect("json"), stdout);
    let r = c.get(server.url(&format!("/r/{id}/secret.txt"))).send().expect("unknown file");
    assert_eq!(r.status(), 404);
}

#[test]
fn api_check_equals_check_format_json_for_every_sample_and_fixture() {
    let server = Server::start(&[]);
    let c = client();
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples"), fixture(""), fixture("check")] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| ["xlsx", "xls", "xlsm", "ods"].contains(&&*e.to_string_lossy())))
            .collect();
        v.sort();
        files.extend(v);
    }
    assert!(files.len() >= 22, "{}", files.len());
    let (mut ok, mut refused, mut several) = (0, 0, 0);
    for path in &files {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let bytes = std::fs::read(path).expect("read");
        let (code, mut stdout, stderr) = cli_check(&[path.to_str().expect("utf-8")]);
        // Several agencies' reports (issue 25 §5): the API answers them as one array.
        if stdout.lines().count() > 1 {
            let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
                .args(["check".as_ref(), "--format".as_ref(), "json-array".as_ref(), path.as_os_str()])
                .output()
                .expect("check");
            stdout = String::from_utf8_lossy(&o.stdout).into_owned();
            several += 1;
        }
        let r = c.post(server.url("/api/check")).query(&[("name", &name)]).body(bytes).send().expect("api");
        let status = r.status().as_u16();
        let text = r.text().expect("body");
        if code == 2 {
            assert_eq!(status, 422, "{name}");
            assert_eq!(json(&text)["error"], stderr, "{name}");
            refused += 1;
        } else {
            assert_eq!(status, 200, "{name}: {text}");
            assert_eq!(text, stdout, "{name}");
            ok += 1;
        }
    }
    assert!(ok >= 18 && refused >= 2, "{ok} read, {refused} refused");
    assert_eq!(several, 1, "several-townships.xlsx");
    eprintln!("/api/check = check --format json: {ok} read, {refused} refused");

    // The same through a multipart body, named by its field.
    let path = sample(WRONG_TOTAL);
    let (ctype, body) = multipart("file", WRONG_TOTAL, &std::fs::read(&path).expect("sample"));
    let r = c.post(server.url("/api/check")).header("content-type", ctype).body(body).send().expect("api");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().expect("json"), cli_check(&[path.to_str().expect("utf-8")]).1);
}

#[test]
fn api_previous_convert_zip_and_errors() {
    let server = Server::start(&[]);
    let c = client();
    let last = sample("2020-江源区.xlsx");
    let this = sample(WRONG_TOTAL);
    let last_bytes = std::fs::read(&last).expect("2020");
    let r = c.post(server.url("/api/check?name=2020-江源区.xlsx")).body(last_bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 200);
    let sha = nianbao::read::sha256_hex(&last_bytes);
    let r = c
        .post(server.url("/api/check"))
        .query(&[("name", WRONG_TOTAL), ("previous", &sha)])
        .body(std::fs::read(&this).expect("2023"))
        .send()
        .expect("api previous");
    assert_eq!(r.status(), 200);
    let (_, stdout, _) = cli_check(&["--previous", last.to_str().expect("utf-8"), this.to_str().expect("utf-8")]);
    assert_eq!(r.text().expect("json"), stdout);

    let r = c.post(server.url(&format!("/api/check?previous={}", "a".repeat(64)))).body("x").send().expect("api");
    assert_eq!(r.status(), 404);
    assert_eq!(
        json(&r.text().expect("body"))["error"],
        format!("找不到 previous={} 的上年工作簿：请先上传它（只保留最近的结果）", "a".repeat(64))
    );

    let r = c.post(server.url("/api/check")).body(b"not a workbook".to_vec()).send().expect("api");
    assert_eq!(r.status(), 422);
    assert_eq!(header(&r, "content-type"), "application/json; charset=utf-8");
    assert_eq!(
        json(&r.text().expect("body"))["error"],
        "无法读取 上传的工作簿：不是 Excel 或 ODS 工作簿（这是文本或 CSV 文件，请在 Excel 中另存为 xlsx）"
    );

    let r = c.post(server.url(&format!("/api/convert?name={WRONG_TOTAL}"))).body(std::fs::read(&this).expect("2023"));
    let r = r.send().expect("convert");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "application/zip");
    let zip_bytes = r.bytes().expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.as_ref())).expect("zip");
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    assert_eq!(names, ["report.docx", "archive.xlsx", "report.json", "annotated.xlsx"]);
    let expected = converted(&this);
    let mut docx = Vec::new();
    zip.by_name("report.docx").expect("docx").read_to_end(&mut docx).expect("read");
    assert_eq!(docx, expected.docx);
    let mut report = String::new();
    zip.by_name("report.json").expect("json").read_to_string(&mut report).expect("read");
    assert_eq!(report, cli_check(&[this.to_str().expect("utf-8")]).1);

    // A clean workbook: no annotated copy.
    let clean = sample("2023-某某县市场监督管理局.xlsx");
    let r = c.post(server.url("/api/convert")).body(std::fs::read(&clean).expect("clean")).send().expect("convert");
    let zip_bytes = r.bytes().expect("zip");
    let zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.as_ref())).expect("zip");
    assert_eq!(zip.file_names().collect::<Vec<_>>(), ["report.docx", "archive.xlsx", "report.json"]);
}

#[test]
fn uploads_above_the_limit_get_413_before_and_while_reading() {
    let server = Server::start(&["--max-upload", "100KB"]);
    let c = client();
    let big = vec![b'x'; 300 * 1024];
    let addr = server.base.trim_start_matches("http://").to_string();
    // Refused by its declared length before the body is read. Every upload here goes
    // through a raw socket: the server answers while the client may still be sending, and
    // an HTTP client then reports the closed connection rather than the answer.
    let (status, answer) = raw_post(&addr, "/api/check", "application/octet-stream", &big);
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large", "{answer}");
    assert_eq!(json(&answer)["error"], "文件过大：上传上限为 100 KB，统计表不应超过这个大小");
    // No Content-Length: refused while reading.
    let mut sock = std::net::TcpStream::connect(&addr).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let mut req =
        format!("POST /api/check HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\n\r\n").into_bytes();
    for chunk in big[..120 * 1024].chunks(8192) {
        req.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        req.extend_from_slice(chunk);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    std::io::Write::write_all(&mut sock, &req).expect("send");
    let mut answer = Vec::new();
    let _ = sock.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"), "{answer}");
    assert!(answer.contains("文件过大：上传上限为 100 KB"), "{answer}");
    // The page says the same, in HTML.
    let (ctype, body) = multipart("file", "big.xlsx", &big);
    let (status, page) = raw_post(&addr, "/", &ctype, &body);
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large", "{page}");
    assert!(page.contains("文件过大：上传上限为 100 KB"), "{page}");
    // A file just over the limit inside a multipart body within the slack.
    // The server answers as soon as the file passes the limit, while the client may still be
    // sending: a raw socket reads that answer whatever became of the rest of the body.
    let (ctype, body) = multipart("file", "big.xlsx", &big[..101 * 1024]);
    let mut sock = std::net::TcpStream::connect(&addr).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let head = format!(
        "POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = std::io::Write::write_all(&mut sock, &[head.as_bytes(), &body].concat());
    let (status, answer) = raw_response(&mut sock);
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large", "{answer}");
    assert_eq!(json(&answer)["error"], "文件过大：上传上限为 100 KB，统计表不应超过这个大小");
    assert_eq!(c.get(server.url("/healthz")).send().expect("up").status(), 200);
}

/// Posts `body` on a connection of its own and reads the answer, whatever became of the
/// rest of the body when the server answered early.
fn raw_post(addr: &str, path: &str, ctype: &str, body: &[u8]) -> (String, String) {
    let mut sock = std::net::TcpStream::connect(addr).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = std::io::Write::write_all(&mut sock, &[head.as_bytes(), body].concat());
    raw_response(&mut sock)
}

/// Opens a connection and sends the head of an upload of `length` bytes but only 100 of
/// them: the server waits for the rest.
fn stalled_upload(addr: &str, length: usize) -> std::net::TcpStream {
    let mut sock = std::net::TcpStream::connect(addr).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let head = format!(
        "POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n"
    );
    std::io::Write::write_all(&mut sock, head.as_bytes()).expect("head");
    std::io::Write::write_all(&mut sock, &[b'P'; 100]).expect("part of the body");
    sock
}

/// The status line and the body of the one response on a raw connection.
pub(crate) fn raw_response(sock: &mut std::net::TcpStream) -> (String, String) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    // Until the head and as many body bytes as it declares are in.
    loop {
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                .and_then(|v| v.parse::<usize>().ok());
            if len.is_some_and(|n| body.len() >= n) {
                return (head.lines().next().unwrap_or_default().to_string(), body.to_string());
            }
        }
        match sock.read(&mut buf) {
            Ok(0) | Err(_) => {
                let text = String::from_utf8_lossy(&got).to_string();
                let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
                return (head.lines().next().unwrap_or_default().to_string(), body.to_string());
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[test]
fn a_request_over_the_time_limit_gets_503_and_the_server_stays_up() {
    let server = Server::start(&["--timeout", "3"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let start = Instant::now();
    let mut sock = stalled_upload(&addr, 10_000);
    let (status, body) = raw_response(&mut sock);
    let waited = start.elapsed();
    assert_eq!(status, "HTTP/1.1 503 Service Unavailable", "{body}");
    assert_eq!(json(&body)["error"], "处理超时（超过 3 秒），请稍后重试");
    // Not before the limit (and, bounded by the socket's own timeout, not never).
    assert!(waited >= Duration::from_millis(2900), "{waited:?}");
    // The next request is served.
    let r = client()
        .post(server.url("/api/check?name=2020-江源区.xlsx"))
        .body(std::fs::read(sample("2020-江源区.xlsx")).expect("sample"))
        .send()
        .expect("api");
    assert_eq!(r.status(), 200);
    assert!(server.log().iter().any(|l| l.contains("POST /api/check 503")), "{:?}", server.log());
}

#[test]
fn uploads_beyond_the_free_slots_wait_then_get_503_and_the_server_recovers() {
    // --jobs 1 leaves 16 upload slots; uploads that stall hold them. More are opened until
    // a new request finds none free (one opened while a request held a slot may itself
    // have been refused).
    let server = Server::start(&["--jobs", "1", "--queue-wait", "0.3", "--timeout", "60"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stalled: Vec<_> = (0..16).map(|_| stalled_upload(&addr, 50_000)).collect();
    let bytes = std::fs::read(sample("2020-江源区.xlsx")).expect("sample");
    let c = client();
    let refused = loop {
        std::thread::sleep(Duration::from_millis(200));
        let r = c.post(server.url("/api/check?name=a.xlsx")).body(bytes.clone()).send().expect("api");
        if r.status() == 503 || stalled.len() >= 48 {
            break r;
        }
        stalled.push(stalled_upload(&addr, 50_000));
    };
    assert_eq!(refused.status(), 503, "{:?}", server.log());
    assert_eq!(json(&refused.text().expect("body"))["error"], "服务器繁忙：同时上传的文件太多，请稍后重试");
    // The page says so in HTML, with the status.
    let (ctype, body) = multipart("file", "a.xlsx", &bytes);
    let page = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("page");
    assert_eq!(page.status(), 503, "{:?}", server.log());
    let page = page.text().expect("page");
    assert!(page.contains("服务器繁忙") && page.contains("同时上传的文件太多"), "{page}");
    // Health is not queued behind uploads.
    assert_eq!(c.get(server.url("/healthz")).send().expect("health").status(), 200);
    // The stalled clients go away: their slots are free again.
    drop(stalled);
    let deadline = Instant::now() + Duration::from_secs(20);
    let served = loop {
        let r = c.post(server.url("/api/check?name=2020-江源区.xlsx")).body(bytes.clone()).send().expect("api");
        if r.status() == 200 || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(served.status(), 200);
    assert_eq!(json(&served.text().expect("json"))["file"], "2020-江源区.xlsx");
}

#[test]
fn serve_refuses_a_time_limit_of_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["serve", "--listen", "127.0.0.1:0", "--timeout", "0"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("应为大于 0 的秒数"), "{out:?}");
}

#[test]
fn hostile_catalogue_gets_the_command_line_message_and_the_server_stays_up() {
    let server = Server::start(&[]);
    let c = client();
    let dir = fixture("hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).expect("hostile").flatten().map(|e| e.path()).collect();
    files.sort();
    assert!(files.len() >= 10);
    for path in &files {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let (code, stdout, stderr) = cli_check(&[path.to_str().expect("utf-8")]);
        let r = c
            .post(server.url("/api/check"))
            .query(&[("name", &name)])
            .body(std::fs::read(path).expect("read"))
            .send()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let status = r.status().as_u16();
        let text = r.text().expect("body");
        if code == 2 {
            assert_eq!(status, 422, "{name}: {text}");
            assert_eq!(json(&text)["error"], stderr, "{name}");
        } else {
            // A stray cell is read with a finding: the same JSON.
            assert_eq!((status, text), (200, stdout), "{name}");
        }
        assert_eq!(c.get(server.url("/healthz")).send().expect("still up").status(), 200, "after {name}");
    }
    // The page shows the message with 422, never a blank page.
    let path = dir.join("pdf-renamed.xlsx");
    let (ctype, body) = multipart("file", "pdf-renamed.xlsx", &std::fs::read(&path).expect("pdf"));
    let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("page");
    assert_eq!(r.status(), 422);
    let html = r.text().expect("page");
    let (_, _, stderr) = cli_check(&[path.to_str().expect("utf-8")]);
    assert!(html.contains("<h1>无法读取这个文件</h1>"));
    assert!(html.contains(&format!("<p class=\"verdict error\" id=\"message\">{stderr}</p>")), "{html}");
}

/// Zip bombs whose worksheet part is not named `*.xml`, and one part named by 200 sheets:
/// 422 with the command line's message, the server's memory bounded, and it goes on serving.
#[test]
fn zip_bombs_of_any_part_name_get_422_and_the_server_stays_small() {
    let server = Server::start(&["--jobs", "2"]);
    let c = client();
    let bombs = [
        ("a.xlsx", crate::hostile::renamed_sheet_bomb("xl/worksheets/sheet1.bin", "worksheets/sheet1.bin")),
        ("b.xlsx", crate::hostile::renamed_sheet_bomb("xl/worksheets/sheet1", "/xl/worksheets/sheet1")),
        ("c.xlsx", crate::hostile::one_part_for_many_sheets()),
    ];
    let messages = [
        "无法读取 a.xlsx：工作簿过大：xl/worksheets/sheet1.bin 解压后超过 48 MB（单个部件的上限），不像统计表，可能是“压缩炸弹”",
        "无法读取 b.xlsx：工作簿过大：xl/worksheets/sheet1 解压后超过 48 MB（单个部件的上限），不像统计表，可能是“压缩炸弹”",
        "无法读取 c.xlsx：工作簿过大：读取时解压合计超过 96 MB（整个工作簿的上限；同一部件被反复读取），不像统计表，可能是“压缩炸弹”",
    ];
    for ((name, bytes), message) in bombs.iter().zip(messages) {
        let r = c.post(server.url("/api/check")).query(&[("name", name)]).body(bytes.clone()).send().expect("api");
        assert_eq!(r.status(), 422, "{name}");
        assert_eq!(json(&r.text().expect("body"))["error"], message);
    }
    assert_eq!(c.get(server.url("/healthz")).send().expect("up").status(), 200);
    // Before: one such upload took the server from 38 MB to 1.1 GB.
    if let Some(kb) = server.peak_kb() {
        assert!(kb < 300 * 1024, "peak {kb} KB");
    }
}

#[test]
fn store_keeps_each_workbook_and_its_outputs_by_hash_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut server = Server::start(&["--store", dir.path().to_str().expect("utf-8"), "--jobs", "1"]);
    let c = client();
    let path = sample(WRONG_TOTAL);
    let bytes = std::fs::read(&path).expect("sample");
    let r = c.post(server.url("/api/check?name=../../etc/passwd")).body(bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 200);
    let folders: Vec<PathBuf> = std::fs::read_dir(dir.path()).expect("store").flatten().map(|e| e.path()).collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let kept = folders[0].clone();
    let id = kept.file_name().expect("id").to_string_lossy().into_owned();
    assert!(id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let mut names: Vec<String> = std::fs::read_dir(&kept)
        .expect("kept")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["annotated.xlsx", "archive.xlsx", "input.xlsx", "report.docx", "report.json"]);
    assert_eq!(std::fs::read(kept.join("input.xlsx")).expect("input"), bytes);
    let report = std::fs::read_to_string(kept.join("report.json")).expect("json");
    assert_eq!(json(&report)["file"], "passwd", "only the last component of a name is shown");
    assert_eq!(std::fs::read_dir(dir.path()).expect("store").count(), 1);

    let status = server.terminate(10).expect("stops within 10 s");
    assert!(status.success(), "{status:?}");
    let log = server.log();
    assert_eq!(log.last().map(String::as_str), Some("nianbao serve：已停止"), "{log:?}");
}

// ---------- a real browser ----------

/// A WebDriver session over chromedriver, the few commands the test needs.
struct Driver {
    http: reqwest::blocking::Client,
    base: String,
    session: String,
}

impl Driver {
    fn call(&self, method: reqwest::Method, path: &str, body: serde_json::Value) -> serde_json::Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let r = self.http.request(method, &url).json_body(&body).send().unwrap_or_else(|e| panic!("{url}: {e}"));
        let v = json(&r.text().expect("webdriver body"));
        assert!(v["value"]["error"].is_null(), "{path}: {v}");
        v["value"].clone()
    }
    fn post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.call(reqwest::Method::POST, path, body)
    }
    fn get(&self, path: &str) -> serde_json::Value {
        self.call(reqwest::Method::GET, path, serde_json::Value::Null)
    }
    fn find(&self, css: &str) -> String {
        let v = self.post("/element", serde_json::json!({"using": "css selector", "value": css}));
        v["element-6066-11e4-a52e-4f735466cecf"].as_str().unwrap_or_else(|| panic!("{css}: {v}")).to_string()
    }
    fn text(&self, el: &str) -> String {
        self.get(&format!("/element/{el}/text")).as_str().unwrap_or("").to_string()
    }
    fn attr(&self, el: &str, name: &str) -> String {
        self.get(&format!("/element/{el}/attribute/{name}")).as_str().unwrap_or("").to_string()
    }
}

/// reqwest's blocking client without its `json` feature: a JSON body by hand.
trait JsonBody {
    fn json_body(self, v: &serde_json::Value) -> Self;
}

impl JsonBody for reqwest::blocking::RequestBuilder {
    fn json_body(self, v: &serde_json::Value) -> Self {
        if v.is_null() {
            self
        } else {
            self.header("content-type", "application/json").body(v.to_string())
        }
    }
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(cmd)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Standard base64, for the screenshot WebDriver returns.
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The main part of a docx: what the document says, whatever the package's timestamps.
fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx");
    let mut s = String::new();
    zip.by_name("word/document.xml").expect("document.xml").read_to_string(&mut s).expect("read");
    s
}

/// Ends chromedriver (and so its browser) however the test ends.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium under chromedriver, downloading into `downloads`; None (and a
/// notice) where they are not installed. The driver ends with the `Kill`.
fn browser(downloads: &Path, profile: &Path) -> Option<(Driver, Kill)> {
    let (Some(driver_bin), Some(chromium)) = (which("chromedriver"), which("chromium")) else {
        println!("SKIPPED browser test: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = free_port();
    let driver = Command::new(driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let kill = Kill(driver);
    let base = format!("http://127.0.0.1:{port}");
    let http = client();
    let start = Instant::now();
    while http.get(format!("{base}/status")).send().map(|r| !r.status().is_success()).unwrap_or(true) {
        assert!(start.elapsed() < Duration::from_secs(30), "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_str().expect("utf-8"),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN",
                     format!("--user-data-dir={}", profile.display())],
            "prefs": {"download.default_directory": downloads.to_str().expect("utf-8"),
                      "download.prompt_for_download": false,
                      "intl.accept_languages": "zh-CN,zh"}
        }
    }}});
    let r = http.post(format!("{base}/session")).json_body(&caps).send().expect("new session");
    let v = json(&r.text().expect("session"));
    let session = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
    Some((Driver { http, base, session }, kill))
}

impl Driver {
    /// Uploads `path` through the page's form and waits for the result page's address.
    fn upload(&self, server: &Server, path: &Path) -> String {
        self.post("/url", serde_json::json!({"url": server.url("/")}));
        let input = self.find("input[type=file]");
        // Chromedriver refuses a path with `..` in it ("path is not canonical"), and the
        // shared examples are found as `../shared` beside the clone.
        let path = path.canonicalize().expect("the uploaded file exists");
        self.post(&format!("/element/{input}/value"), serde_json::json!({"text": path.to_str().expect("utf-8")}));
        let button = self.find("#upload button[type=submit]");
        self.post(&format!("/element/{button}/click"), serde_json::json!({}));
        // The click returns when the form is submitted; on a loaded machine the navigation
        // to the result page can come later, so the address is polled for a while.
        let waited = Instant::now();
        let mut url = self.get("/url");
        while !url.as_str().unwrap_or_default().starts_with(&server.url("/r/"))
            && waited.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(100));
            url = self.get("/url");
        }
        url.as_str().unwrap_or_default().to_string()
    }

    /// Clicks an element and waits for `file` in `dir`, the browser's download.
    fn download(&self, css: &str, dir: &Path, file: &str) -> Vec<u8> {
        let link = self.find(css);
        self.post(&format!("/element/{link}/click"), serde_json::json!({}));
        let path = dir.join(file);
        let start = Instant::now();
        while !path.exists() {
            let seen: Vec<_> = std::fs::read_dir(dir).expect("dir").flatten().map(|e| e.file_name()).collect();
            assert!(start.elapsed() < Duration::from_secs(30), "no download of {file}: {seen:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
        std::fs::read(&path).expect("downloaded")
    }
}

#[test]
fn browser_uploads_sees_the_red_cell_and_downloads_the_report() {
    let profile = tempfile::tempdir().expect("profile");
    let downloads = tempfile::tempdir().expect("downloads");
    let Some((d, _driver)) = browser(downloads.path(), profile.path()) else { return };
    let server = Server::start(&[]);
    let base = d.base.clone();

    d.post("/url", serde_json::json!({"url": server.url("/")}));
    assert_eq!(d.get("/title").as_str(), Some("上传核查 · 政府信息公开工作年度报告统计表核查"));
    let path = sample(WRONG_TOTAL);
    let url = d.upload(&server, &path);
    assert!(url.starts_with(&server.url("/r/")) && url.len() == server.url("/r/").len() + 64, "{url}");
    let verdict = d.find("#verdict strong");
    assert_eq!(d.text(&verdict), "3 个错误，2 个警告");
    let cell = d.find("td.error#t2-r7-c10");
    assert_eq!(d.text(&cell), "22");
    let title = d.attr(&cell, "title");
    assert!(title.starts_with("错误[T3-ROW-TOTAL] “（一）予以公开”行“总计”填写为 22，"), "{title}");
    let colour = d.get(&format!("/element/{cell}/css/background-color"));
    assert_eq!(colour.as_str(), Some("rgba(251, 213, 210, 1)"), "the cell is red");
    let item = d.find("ol.findings li.error a[href='#t2-r7-c10']");
    assert_eq!(d.text(&item), "依申请公开!J7");

    // The page at its full height for the screenshot.
    let height =
        d.post("/execute/sync", serde_json::json!({"script": "return document.body.scrollHeight;", "args": []}));
    let height = height.as_f64().unwrap_or(2000.0).min(6000.0);
    d.post("/window/rect", serde_json::json!({"width": 1280, "height": height as i64 + 140}));
    let png = base64_decode(d.get("/screenshot").as_str().expect("screenshot"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let shot = if std::env::var_os("NIANBAO_UPDATE_SCREENSHOT").is_some() {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/serve.png")
    } else {
        downloads.path().join("serve.png")
    };
    std::fs::write(&shot, &png).expect("save screenshot");

    let got = d.download("#download-docx", downloads.path(), "某某县市场监督管理局2023年政府信息公开工作年度报告.docx");
    let expected = converted(&path);
    assert_eq!(document_xml(&got), document_xml(&expected.docx));
    assert_eq!(got, expected.docx);
    let _ = d.http.delete(format!("{base}/session/{}", d.session)).send();
}

/// A workbook of two agencies through the page in a browser: the list of both reports, the
/// second agency's page with its red cell, its Word report downloaded under its name.
#[test]
fn browser_lists_the_reports_of_a_workbook_of_two_agencies_and_downloads_one() {
    let profile = tempfile::tempdir().expect("profile");
    let downloads = tempfile::tempdir().expect("downloads");
    let Some((d, _driver)) = browser(downloads.path(), profile.path()) else { return };
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("汇总.xlsx");
    let bytes = crate::regression::two_townships_wrong();
    std::fs::write(&path, &bytes).expect("write");
    let url = d.upload(&server, &path);
    let id = url.strip_prefix(&server.url("/r/")).expect("a result").to_string();
    assert_eq!(d.text(&d.find("#verdict strong")), "共 2 个错误，2 个警告");
    let rows: Vec<String> = (1..=2).map(|n| d.text(&d.find(&format!("#report-{n}")))).collect();
    assert_eq!(
        rows,
        [
            "1 甲镇人民政府 2023 1 个错误，1 个警告 Word 报告 归档工作簿 JSON",
            "2 乙镇人民政府 2023 1 个错误，1 个警告 Word 报告 归档工作簿 JSON"
        ]
    );
    let count = d.find("#report-2 td.count");
    let colour = d.get(&format!("/element/{count}/css/background-color"));
    assert_eq!(colour.as_str(), Some("rgba(251, 213, 210, 1)"), "a report with errors is red");

    let link = d.find("#report-2 a");
    d.post(&format!("/element/{link}/click"), serde_json::json!({}));
    assert_eq!(d.get("/url").as_str(), Some(server.url(&format!("/r/{id}/2")).as_str()));
    assert_eq!(d.text(&d.find("h1")), "乙镇人民政府 2023年度 核查结果");
    let red: Vec<String> = {
        let v = d.post("/elements", serde_json::json!({"using": "css selector", "value": "ol.findings li.error a"}));
        v.as_array()
            .expect("elements")
            .iter()
            .map(|e| d.text(e["element-6066-11e4-a52e-4f735466cecf"].as_str().expect("element")))
            .collect()
    };
    assert_eq!(red, ["乙镇!H21"]);
    let got = d.download("#download-docx", downloads.path(), "乙镇人民政府2023年政府信息公开工作年度报告.docx");
    let s = Settings { fixed_time: Some(1_700_000_000), ..Settings::default() };
    let want = nianbao::convert::convert_all(&bytes, "汇总.xlsx", None, &no_previous, &s, false).expect("convert");
    assert_eq!(got, want.converted[1].docx);
    let _ = d.http.delete(format!("{}/session/{}", d.base, d.session)).send();
}

/// A published report's web page through the page in a browser: the file field takes it,
/// the wrong cell is red and named by its place in the page, and the annotated page
/// downloads under the agency's name, the same page `check --annotate` writes.
#[test]
fn browser_uploads_a_published_page_and_downloads_its_annotated_page() {
    let path = crate::published::published("shanghai-szfbgt-2019.html");
    if !path.is_file() {
        println!("SKIPPED: no shared/published/ (NIANBAO_SHARED_DIR names the shared folder)");
        return;
    }
    let profile = tempfile::tempdir().expect("profile");
    let downloads = tempfile::tempdir().expect("downloads");
    let Some((d, _driver)) = browser(downloads.path(), profile.path()) else { return };
    let server = Server::start(&[]);
    let url = d.upload(&server, &path);
    assert!(url.starts_with(&server.url("/r/")), "{url}");
    assert_eq!(d.text(&d.find("#verdict strong")), "11 个错误，0 个警告");
    let cell = d.find("td.error#t2-r7-c10");
    let colour = d.get(&format!("/element/{cell}/css/background-color"));
    assert_eq!(colour.as_str(), Some("rgba(251, 213, 210, 1)"), "the cell is red");
    let item = d.find("ol.findings li.error a[href='#t2-r7-c10']");
    assert_eq!(d.text(&item), "第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列");
    let got = d.download(
        "a[href$='/annotated.html']",
        downloads.path(),
        "上海市人民政府办公厅2019年政府信息公开工作年度报告（问题标注）.html",
    );
    let bytes = std::fs::read(&path).expect("page");
    let report = read_bytes(&bytes, "shanghai-szfbgt-2019.html");
    let findings = nianbao::check::check(&report, nianbao::check::Context::default());
    let want = nianbao::write::marked::marked_tables(&report, &findings).expect("annotated page");
    assert_eq!(String::from_utf8(got).expect("utf-8"), want);
    let _ = d.http.delete(format!("{}/session/{}", d.base, d.session)).send();
}

/// The server's own failures, which no upload can cause (a panic in a job, a writer that
/// fails), answer 500 and name no fault of the workbook; the server stays up. Debug
/// builds only: `NIANBAO_SERVE_FAULT` injects them.
#[cfg(debug_assertions)]
#[test]
fn the_servers_own_failures_answer_500() {
    let c = client();
    let bytes = std::fs::read(sample(WRONG_TOTAL)).expect("sample");
    for (fault, said) in [
        ("panic", "转换失败：内部错误".to_string()),
        ("write", format!("无法生成 {WRONG_TOTAL} 的 Word 报告：打包 docx 失败（i/o error）")),
    ] {
        let server = Server::start_env(&[], &[("NIANBAO_SERVE_FAULT", fault)]);
        let r = c.post(server.url(&format!("/api/check?name={WRONG_TOTAL}"))).body(bytes.clone()).send().expect("api");
        assert_eq!(r.status(), 500, "{fault}");
        assert_eq!(header(&r, "content-type"), "application/json; charset=utf-8");
        assert_eq!(json(&r.text().expect("body"))["error"], said.as_str(), "{fault}");
        let (ctype, body) = multipart("file", WRONG_TOTAL, &bytes);
        let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
        assert_eq!(r.status(), 500, "{fault}");
        let page = r.text().expect("page");
        assert!(page.contains("服务器出错，未能生成结果"), "{fault}: {page}");
        assert!(!page.contains("无法读取这个文件"), "{fault}: {page}");
        // An unreadable upload is still the upload's fault.
        let r = c.post(server.url("/api/check")).body(b"not a workbook".to_vec()).send().expect("api");
        assert_eq!(r.status(), 422, "{fault}");
        assert_eq!(c.get(server.url("/healthz")).send().expect("up").status(), 200, "{fault}");
    }
}

/// A county's workbook of two townships, each with a wrong total (issue 25 §5): the page
/// lists both reports, each with its own page and downloads, and the one annotated copy
/// marks both; `/api/check` answers the array `check --format json-array` prints, and
/// `/api/convert` and `--store` hold a folder per report.
#[test]
fn a_workbook_of_two_agencies_is_a_report_each_on_the_page_in_the_api_and_the_store() {
    let store = tempfile::tempdir().expect("tmp");
    let server = Server::start(&["--store", store.path().to_str().expect("utf-8")]);
    let c = client();
    let bytes = crate::regression::two_townships_wrong();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("汇总.xlsx");
    std::fs::write(&file, &bytes).expect("write");
    let s = Settings { fixed_time: Some(1_700_000_000), ..Settings::default() };
    let want = nianbao::convert::convert_all(&bytes, "汇总.xlsx", None, &no_previous, &s, true).expect("convert");
    let want_annotated = want.annotated.expect("annotated").expect("a copy");
    let agencies = ["甲镇人民政府", "乙镇人民政府"];

    let (ctype, body) = multipart("file", "汇总.xlsx", &bytes);
    let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
    assert_eq!(r.status(), 303);
    let id = header(&r, "location").strip_prefix("/r/").expect("result location").to_string();
    let html = c.get(server.url(&format!("/r/{id}"))).send().expect("page").text().expect("page");
    assert!(html.contains("<h1>汇总.xlsx 核查结果</h1>"), "{html}");
    assert!(html.contains("<strong>共 2 个错误，2 个警告</strong>"), "{html}");
    for (i, agency) in agencies.iter().enumerate() {
        let n = i + 1;
        assert!(html.contains(&format!("<tr class=\"error\" id=\"report-{n}\">")), "{html}");
        assert!(html.contains(&format!("<a href=\"/r/{id}/{n}\">{agency}</a>")), "{html}");
        for f in ["report.docx", "archive.xlsx", "report.json"] {
            assert!(html.contains(&format!("href=\"/r/{id}/{n}/{f}\"")), "{f}");
        }
    }
    assert_eq!(html.matches("<td class=\"count\">1 个错误，1 个警告</td>").count(), 2);
    assert!(html.contains(&format!("href=\"/r/{id}/annotated.xlsx\"")));
    // The whole workbook has no one Word report.
    let r = c.get(server.url(&format!("/r/{id}/report.docx"))).send().expect("docx");
    assert_eq!(r.status(), 404);
    assert!(r
        .text()
        .expect("page")
        .contains("这个工作簿有 2 个机关的报告：请在结果页分别下载各机关的 Word 报告和归档工作簿"));

    // Each report: its page, its Word report and archive named after its agency.
    for (i, (agency, sheet)) in agencies.iter().zip(["甲镇", "乙镇"]).enumerate() {
        let n = i + 1;
        let page = c.get(server.url(&format!("/r/{id}/{n}"))).send().expect("part page").text().expect("page");
        assert!(page.contains(&format!("<h1>{agency} 2023年度 核查结果</h1>")), "{page}");
        assert!(page.contains(&format!("<a href=\"/r/{id}\">返回全部 2 份报告</a>")), "{page}");
        assert!(page.contains(&format!("{sheet}!H21</a>")), "{page}");
        assert!(page.contains("<strong>1 个错误，1 个警告</strong>"), "{page}");
        assert!(page.contains(&format!("href=\"/r/{id}/{n}/report.docx\"")));
        let stem = format!("{agency}2023年政府信息公开工作年度报告");
        let r = c.get(server.url(&format!("/r/{id}/{n}/report.docx"))).send().expect("docx");
        assert_eq!(r.status(), 200);
        assert_eq!(
            header(&r, "content-disposition"),
            format!("attachment; filename=\"report.docx\"; filename*=UTF-8''{}", pct(&format!("{stem}.docx")))
        );
        assert_eq!(r.bytes().expect("docx").as_ref(), want.converted[i].docx.as_slice());
        let r = c.get(server.url(&format!("/r/{id}/{n}/archive.xlsx"))).send().expect("archive");
        assert_eq!(r.bytes().expect("archive").as_ref(), want.converted[i].archive.as_slice());
    }
    assert_eq!(c.get(server.url(&format!("/r/{id}/3"))).send().expect("page").status(), 404);
    assert_eq!(c.get(server.url(&format!("/r/{id}/3/report.docx"))).send().expect("docx").status(), 404);
    let r = c.get(server.url(&format!("/r/{id}/annotated.xlsx"))).send().expect("annotated");
    assert_eq!(
        header(&r, "content-disposition"),
        format!("attachment; filename=\"annotated.xlsx\"; filename*=UTF-8''{}", pct("汇总（问题标注）.xlsx"))
    );
    let annotated = r.bytes().expect("annotated");
    assert_eq!(annotated.as_ref(), want_annotated.as_slice());
    let (_, colours) = crate::check::fills_by_cell(&annotated);
    let red: Vec<&str> =
        colours.iter().filter(|(_, fill)| fill.as_str() == "FFFFC7CE").map(|(c, _)| c.as_str()).collect();
    assert_eq!(red, ["乙镇!H21", "甲镇!H21"]);

    // The JSON: the array of `check --format json-array`; a report's own, its line.
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check".as_ref(), "--format".as_ref(), "json-array".as_ref(), file.as_os_str()])
        .output()
        .expect("check");
    let array = String::from_utf8_lossy(&o.stdout).into_owned();
    let r = c.post(server.url("/api/check?name=汇总.xlsx")).body(bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "application/json; charset=utf-8");
    let text = r.text().expect("json");
    assert_eq!(text, array);
    let got: Vec<String> = json(&text)
        .as_array()
        .expect("an array")
        .iter()
        .map(|j| format!("{} {} {}", j["file"], j["agency"], j["findings"].as_array().map_or(0, Vec::len)))
        .collect();
    assert_eq!(got, ["\"汇总.xlsx\" \"甲镇人民政府\" 2", "\"汇总.xlsx\" \"乙镇人民政府\" 2"]);
    assert_eq!(c.get(server.url(&format!("/r/{id}/report.json"))).send().expect("json").text().expect("json"), array);
    let (_, lines, _) = cli_check(&[file.to_str().expect("utf-8")]);
    let second = c.get(server.url(&format!("/r/{id}/2/report.json"))).send().expect("json").text().expect("json");
    assert_eq!(second, format!("{}\n", lines.lines().nth(1).expect("a second line")));

    let r = c.post(server.url("/api/convert?name=汇总.xlsx")).body(bytes.clone()).send().expect("convert");
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "content-disposition"),
        format!("attachment; filename=\"nianbao.zip\"; filename*=UTF-8''{}", pct("汇总.zip"))
    );
    let zip_bytes = r.bytes().expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.as_ref())).expect("zip");
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    let layout = [
        "report.json",
        "1/report.docx",
        "1/archive.xlsx",
        "1/report.json",
        "2/report.docx",
        "2/archive.xlsx",
        "2/report.json",
        "annotated.xlsx",
    ];
    assert_eq!(names, layout);
    let mut docx = Vec::new();
    zip.by_name("2/report.docx").expect("docx").read_to_end(&mut docx).expect("read");
    assert_eq!(docx, want.converted[1].docx);

    // --store: the same layout beside the input (the page's upload and the API's, the same
    // bytes under the same name, are one result).
    let kept: Vec<PathBuf> = std::fs::read_dir(store.path()).expect("store").flatten().map(|e| e.path()).collect();
    let folder = store.path().join(&id);
    assert_eq!(kept, std::slice::from_ref(&folder));
    for f in layout.iter().chain(&["input.xlsx"]) {
        assert!(folder.join(f).is_file(), "{f}");
    }
    assert_eq!(std::fs::read(folder.join("2/archive.xlsx")).expect("archive"), want.converted[1].archive);
}

/// `?previous=` naming last year's collection workbook: each agency's report is compared
/// with its own agency's report of last year, not the first agency's.
#[test]
fn previous_collection_workbook_gives_each_agency_its_own_last_year() {
    use crate::evidence_books::collection;
    use crate::layouts::{Data, Rng};
    let edition = nianbao::Edition::E2021;
    let row = |id: &str| edition.form().requests_row(id).expect("row");
    let last: Vec<Data> = ["甲镇人民政府", "乙镇人民政府"]
        .iter()
        .zip([71, 72])
        .map(|(a, seed)| Data::consistent(edition, 2022, a, &mut Rng::new(seed)))
        .collect();
    assert_ne!(last[0].requests[row("carried_forward")], last[1].requests[row("carried_forward")]);
    // This year's carried over are last year's carried forward, agency by agency.
    let this: Vec<Data> = last
        .iter()
        .zip([73, 74])
        .map(|(l, seed)| {
            let mut d = crate::evidence_books::agency_data(&l.agency, seed);
            d.requests[row("carried_over")] = l.requests[row("carried_forward")].clone();
            d
        })
        .collect();
    let server = Server::start(&[]);
    let c = client();
    let last_bytes = collection(&[("甲镇", &last[0]), ("乙镇", &last[1])]);
    let r = c.post(server.url("/api/check?name=2022.xlsx")).body(last_bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 200);
    let sha = nianbao::read::sha256_hex(&last_bytes);
    let this_bytes = collection(&[("甲镇", &this[0]), ("乙镇", &this[1])]);
    let r = c
        .post(server.url(&format!("/api/check?name=2023.xlsx&previous={sha}")))
        .body(this_bytes)
        .send()
        .expect("api previous");
    assert_eq!(r.status(), 200);
    let carry: Vec<(String, usize)> = json(&r.text().expect("json"))
        .as_array()
        .expect("an array")
        .iter()
        .map(|j| {
            let findings = j["findings"].as_array().expect("findings");
            (
                j["agency"].as_str().unwrap_or_default().to_string(),
                findings.iter().filter(|f| f["rule"] == "X-CARRY").count(),
            )
        })
        .collect();
    assert_eq!(carry, [("甲镇人民政府".to_string(), 0), ("乙镇人民政府".to_string(), 0)]);
}
