//! One test per defect fixed, named after it, each failing on the code before its fix.
//! Sections follow the issue that reported the defects; a new defect gets a test here.

#[allow(unused_imports)]
use crate::common::*;

// ---------------------------------------------------------------------------------------
// Issue 26, mail: header injection, mbox `From ` lines, 8-bit GBK headers, stored zips,
// output and draft names.
// ---------------------------------------------------------------------------------------

// (mail tests)

// ---------------------------------------------------------------------------------------
// Issue 26, serve and the zip guard: inflated parts bounded whatever their name, work
// stopped when its request ends, the cache key, header-read timeouts, result URLs.
// ---------------------------------------------------------------------------------------

// (serve tests)

/// A result computed with `?previous=` was cached by the workbook's bytes and name and
/// served to a later upload of the same workbook without `previous`; `--store` kept one
/// folder for both.
#[test]
fn serve_cache_mixes_a_cross_year_result_into_later_uploads() {
    use crate::serve::{cli_check, client, Server, WRONG_TOTAL};
    let dir = tempfile::tempdir().expect("tmp");
    let c = client();
    // Last year's workbook of the same agency, whose carried-forward figures differ.
    let last_bytes =
        nianbao::write::template::filled(&crate::cli::good_report("某某县市场监督管理局", 2022)).expect("2022");
    let last = crate::hostile::write(dir.path(), "2022.xlsx", &last_bytes);
    let this = sample(WRONG_TOTAL);
    let this_bytes = std::fs::read(&this).expect("2023");
    let server = Server::start(&["--store", dir.path().join("store").to_str().expect("utf-8")]);
    let r = c.post(server.url("/api/check?name=2022.xlsx")).body(last_bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 200);
    let sha = nianbao::read::sha256_hex(&last_bytes).to_ascii_uppercase();
    let ask = |previous: Option<&str>| {
        let mut q = vec![("name", WRONG_TOTAL)];
        q.extend(previous.map(|p| ("previous", p)));
        let r = c.post(server.url("/api/check")).query(&q).body(this_bytes.clone()).send().expect("api");
        assert_eq!(r.status(), 200);
        r.text().expect("json")
    };
    let (with, without) = (ask(Some(&sha)), ask(None));
    let (_, cross_year, _) = cli_check(&["--previous", last.to_str().expect("utf-8"), this.to_str().expect("utf-8")]);
    let (_, alone, _) = cli_check(&[this.to_str().expect("utf-8")]);
    assert_ne!(cross_year, alone, "the pair has cross-year findings");
    assert_eq!(with, cross_year);
    assert_eq!(without, alone);
    // And the other way round, now both are cached.
    assert_eq!(ask(Some(&sha)), cross_year);
    // --store: one folder per result, each with its own JSON.
    let mut kept: Vec<String> = std::fs::read_dir(dir.path().join("store"))
        .expect("store")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path().join("report.json")).expect("json"))
        .collect();
    kept.sort();
    let (_, last_alone, _) = cli_check(&[last.to_str().expect("utf-8")]);
    let mut want = vec![last_alone, cross_year, alone];
    want.sort();
    assert_eq!(kept, want);
}

/// `/r/<id in upper case>` answered 404 while `previous=` accepted upper case.
#[test]
fn serve_result_page_in_upper_case_answers_404() {
    use crate::serve::{client, header, multipart, Server, WRONG_TOTAL};
    let server = Server::start(&[]);
    let c = client();
    let (ctype, body) = multipart("file", WRONG_TOTAL, &std::fs::read(sample(WRONG_TOTAL)).expect("sample"));
    let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
    assert_eq!(r.status(), 303);
    let at = header(&r, "location").to_ascii_uppercase().replace("/R/", "/r/");
    let r = c.get(server.url(&at)).send().expect("page");
    assert_eq!(r.status(), 200, "{at}");
    assert!(r.text().expect("page").contains("<strong>3 个错误，2 个警告</strong>"));
    let r = c.get(server.url(&format!("{at}/report.json"))).send().expect("json");
    assert_eq!(r.status(), 200, "{at}");
}

/// The same bytes uploaded under a second name replaced the name shown on the first
/// uploader's result page.
#[test]
fn serve_second_name_for_the_same_bytes_replaces_the_first_uploaders_name() {
    use crate::serve::{client, header, multipart, Server, WRONG_TOTAL};
    let server = Server::start(&[]);
    let c = client();
    let bytes = std::fs::read(sample(WRONG_TOTAL)).expect("sample");
    let upload = |name: &str| {
        let (ctype, body) = multipart("file", name, &bytes);
        let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
        assert_eq!(r.status(), 303);
        header(&r, "location")
    };
    let (first, second) = (upload("甲局统计表.xlsx"), upload("乙局统计表.xlsx"));
    assert_ne!(first, second);
    let json = |at: &str| {
        let r = c.get(server.url(&format!("{at}/report.json"))).send().expect("json");
        crate::serve::json(&r.text().expect("json"))["file"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(json(&first), "甲局统计表.xlsx");
    assert_eq!(json(&second), "乙局统计表.xlsx");
}

/// A connection that sent `GET / HTTP/1.1\r\n` and stopped was held for ever; enough of
/// them locked everyone out. Now such a connection, and one idle after its request, is
/// closed after `--idle-timeout`, and others are served meanwhile.
#[test]
fn serve_has_no_header_read_timeout() {
    use crate::serve::{client, Server};
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let server = Server::start(&["--idle-timeout", "1"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let open = |what: &[u8]| {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        s.write_all(what).expect("send");
        s
    };
    let start = Instant::now();
    let mut slow: Vec<_> = (0..64).map(|_| open(b"GET / HTTP/1.1\r\n")).collect();
    // Served while they hang.
    let r = client().get(server.url("/healthz")).send().expect("health");
    assert_eq!(r.status(), 200);
    // A kept-alive connection that goes quiet after one answer.
    let mut idle = open(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes());
    let mut buf = [0u8; 4096];
    let n = idle.read(&mut buf).expect("answer");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200 OK"));
    slow.push(idle);
    for (i, s) in slow.iter_mut().enumerate() {
        // Closed by the server: end of stream (after any 408 answer), not a read timeout.
        let mut rest = Vec::new();
        let end = s.read_to_end(&mut rest);
        assert!(
            end.is_ok() || end.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "{i}: {end:?}"
        );
    }
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(6), "{waited:?}");
    assert_eq!(client().get(server.url("/healthz")).send().expect("health").status(), 200);
}

/// A conversion went on after its request had ended (503 on the time limit): it kept a
/// job and wrote its result to `--store` that nobody would fetch. The workbook (3.5 million
/// characters in a count cell) converts in about a second, well past the 0.3 s limit.
#[test]
fn serve_keeps_converting_after_the_request_has_ended() {
    use crate::serve::{client, Server};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("tmp");
    let server = Server::start(&["--store", dir.path().to_str().expect("utf-8"), "--jobs", "1", "--timeout", "0.3"]);
    let r = client()
        .post(server.url("/api/check?name=大文本.xlsx"))
        .body(crate::hostile::text_xlsx(100_000, 3_500_000))
        .send()
        .expect("api");
    assert_eq!(r.status(), 503);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !server.log().iter().any(|l| l == "nianbao serve：大文本.xlsx 的请求已结束，停止转换") {
        assert!(Instant::now() < deadline, "{:?}", server.log());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_dir(dir.path()).expect("store").count(), 0);
}

/// The guard counted only parts named `*.xml`: a worksheet part the rels name
/// `sheet1.bin`, or with no extension, or reached by `../` or `/xl/…`, expanded unbounded
/// (3.1 GB of memory from a 3 MB file).
#[test]
fn zip_bomb_guard_bypassed_by_a_worksheet_part_not_named_xml() {
    use crate::hostile::{refused, renamed_sheet_bomb, write};
    let dir = tempfile::tempdir().expect("tmp");
    for (i, (part, target)) in [
        ("xl/worksheets/sheet1.bin", "worksheets/sheet1.bin"),
        ("xl/worksheets/sheet1", "worksheets/sheet1"),
        ("xl/sheet1.dat", "../xl/sheet1.dat"),
        ("xl/data/sheet1.xml.gz", "/xl/data/sheet1.xml.gz"),
    ]
    .into_iter()
    .enumerate()
    {
        let bomb = renamed_sheet_bomb(part, target);
        assert!(bomb.len() < 8 << 20, "{part}: {}", bomb.len());
        refused(
            &write(dir.path(), &format!("炸弹{i}.xlsx"), &bomb),
            &format!("工作簿过大：{part} 解压后超过 48 MB（单个部件的上限），不像统计表，可能是“压缩炸弹”"),
        );
    }
}

/// Every part was counted once, but calamine opens a worksheet part once per sheet naming
/// it: 200 sheets naming one 40 MB part inflated 8 GB.
#[test]
fn zip_bomb_guard_bypassed_by_one_part_named_by_many_sheets() {
    use crate::hostile::{one_part_for_many_sheets, refused, write};
    let dir = tempfile::tempdir().expect("tmp");
    refused(
        &write(dir.path(), "同一部件.xlsx", &one_part_for_many_sheets()),
        "工作簿过大：读取时解压合计超过 96 MB（整个工作簿的上限；同一部件被反复读取），不像统计表，可能是“压缩炸弹”",
    );
}

/// A single part over the 48 MB part limit was reported as `解压后超过 96 MB`, the package
/// limit it had not reached.
#[test]
fn zip_part_over_48_mb_reported_as_over_96_mb() {
    use crate::hostile::{refused, renamed_sheet_bomb, write};
    let dir = tempfile::tempdir().expect("tmp");
    let bomb = renamed_sheet_bomb("xl/worksheets/sheet1.xml", "worksheets/sheet1.xml");
    refused(
        &write(dir.path(), "炸弹.xlsx", &bomb),
        "工作簿过大：xl/worksheets/sheet1.xml 解压后超过 48 MB（单个部件的上限），不像统计表，可能是“压缩炸弹”",
    );
}

// ---------------------------------------------------------------------------------------
// Issue 26, batch, watch and convert: unreadable subfolders, nianbao's own archive named
// explicitly, empty files, symlinks.
// ---------------------------------------------------------------------------------------

// (batch tests)

// ---------------------------------------------------------------------------------------
// Issue 30, the Word report: numbers never broken over two lines.
// ---------------------------------------------------------------------------------------

// (docx tests)

// ---------------------------------------------------------------------------------------
// Issue 25, the reader: every workbook read right or refused clearly.
// ---------------------------------------------------------------------------------------

// (reader tests)
