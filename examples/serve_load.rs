//! The load client of `scripts/serve-load.sh`: uploads every workbook of a folder to a
//! `nianbao serve` on the loopback address through the page's form (`POST /`, field
//! `file`, success = 303), from C threads each keeping its connection, and prints
//! failures, p50, p99 and the slowest upload.
//! `cargo run --release --example serve_load -- http://127.0.0.1:PORT DIR N C`

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("用法：serve_load http://127.0.0.1:PORT 工作簿文件夹 上传次数 并发数");
        std::process::exit(2);
    }
    let base = args[1].trim_end_matches('/').to_string();
    // Loopback only: this is a load test of a server on this machine.
    let host = base.trim_start_matches("http://").split([':', '/']).next().unwrap_or("");
    if !(host.starts_with("127.") || host == "localhost" || host == "[") {
        eprintln!("serve_load：只对本机地址（127.0.0.0/8、localhost）施压，拒绝 {base}");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[2]);
    let n: usize = args[3].parse().unwrap_or(2000).min(100_000);
    let c: usize = args[4].parse().unwrap_or(16).clamp(1, 256);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no workbooks in {}", dir.display());

    let next = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    let times = Mutex::new(Vec::with_capacity(n));
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..c {
            s.spawn(|| {
                let client = reqwest::blocking::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(30))
                    .build()
                    .expect("client");
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let (name, bytes) = &files[i % files.len()];
                    let (ctype, body) = multipart(name, bytes);
                    let t = Instant::now();
                    let ok = client
                        .post(format!("{base}/"))
                        .header("content-type", ctype)
                        .body(body)
                        .send()
                        .map(|r| r.status().as_u16() == 303)
                        .unwrap_or(false);
                    mine.push(t.elapsed());
                    if !ok {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                times.lock().expect("times").extend(mine);
            });
        }
    });
    let wall = start.elapsed();
    let mut t = times.into_inner().expect("times");
    t.sort();
    let pct = |p: f64| t[((t.len() as f64 * p).ceil() as usize).saturating_sub(1).min(t.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} uploads, concurrency {c}: {} failures, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {:.0} uploads/s",
        failures.load(Ordering::Relaxed),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(t[t.len() - 1]),
        n as f64 / wall.as_secs_f64()
    );
    if failures.load(Ordering::Relaxed) > 0 {
        std::process::exit(1);
    }
}

/// Every `.xlsx` under `dir` (gen_workbooks writes folders of 100).
fn collect(dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for p in entries.flatten().map(|e| e.path()) {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "xlsx") {
            let name = p.file_name().map(|x| x.to_string_lossy().into_owned()).unwrap_or_default();
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.push((name, bytes));
        }
    }
}

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----nianbao-load-boundary-3f9a1c";
    let mut body = Vec::with_capacity(bytes.len() + 256);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
