//! One test per defect fixed, named after it, each failing on the code before its fix.
//! Sections follow the issue that reported the defects; a new defect gets a test here.

#[allow(unused_imports)]
use crate::common::*;

// ---------------------------------------------------------------------------------------
// Issue 26, mail: header injection, mbox `From ` lines, 8-bit GBK headers, stored zips,
// output and draft names.
// ---------------------------------------------------------------------------------------

// (mail tests)

/// The reply draft of one message with no workbook, as `convert` writes it.
fn mail_draft(eml: &[u8]) -> Vec<u8> {
    let m = nianbao::read::mail::message(eml).expect("a message");
    let problems = vec!["邮件中没有工作簿附件".to_string()];
    let c = nianbao::write::reply::Compose {
        from: Some("政务公开办 <gkb@example.gov.cn>"),
        template: None,
        now: 1_705_300_000,
    };
    nianbao::write::reply::reply(&m.origin, &[], &problems, &c).expect("a draft")
}

/// Base64 of some text, for encoded-word headers built in a test.
fn b64(s: &str) -> String {
    b64_bytes(s.as_bytes())
}

fn b64_bytes(s: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.chunks(3) {
        let n = c.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= c.len() { A[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// A message from `from` (raw header bytes: GBK where a test needs it) with `subject` and one
/// base64 attachment per `(raw filename, bytes)`.
pub(crate) fn eml_bytes(from: &[u8], subject: &[u8], date: &str, attachments: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut m = Vec::new();
    for (name, value) in [(&b"From: "[..], from), (b"Subject: ", subject), (b"Date: ", date.as_bytes())] {
        m.extend_from_slice(name);
        m.extend_from_slice(value);
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(
        b"To: gkb@example.gov.cn\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n",
    );
    m.extend_from_slice(b"--BB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n");
    for (name, bytes) in attachments {
        m.extend_from_slice(b"--BB\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"");
        m.extend_from_slice(name);
        m.extend_from_slice(b"\"\r\n\r\n");
        let text = b64_bytes(bytes);
        for line in text.as_bytes().chunks(76) {
            m.extend_from_slice(line);
            m.extend_from_slice(b"\r\n");
        }
    }
    m.extend_from_slice(b"--BB--\r\n");
    m
}

/// A zip of `(name, bytes)` entries, stored without compression.
fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        z.start_file(*name, opts).expect("zip entry");
        z.write_all(bytes).expect("zip write");
    }
    z.finish().expect("zip").into_inner()
}

/// The header names of a message, lower case, in order.
fn header_names(eml: &[u8]) -> Vec<String> {
    let parsed = mail_parser::MessageParser::default().parse(eml).expect("the draft parses");
    parsed.headers().iter().map(|h| h.name().to_ascii_lowercase()).collect()
}

#[test]
fn reply_draft_subject_cannot_plant_a_bcc_header() {
    let eml = format!(
        "From: =?UTF-8?Q?=E5=BC=A0=E4=B8=89=0D=0ACc:_spy@elsewhere.example?= <zhang@example.cn>\r\n\
         To: gkb@example.gov.cn\r\n\
         Subject: =?UTF-8?B?{}?=\r\n\
         Date: Mon, 15 Jan 2024 09:30:00 +0800\r\n\
         Message-ID: <id1@example.cn>\r\n\
         References: <r1@example.cn>\r\n <r2@example.cn\r\n Bcc: other@elsewhere.example>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n正文\r\n",
        b64("Re: x\r\nBcc: someone@elsewhere.example\nX-Evil:\u{2028}1\u{85}")
    );
    let draft = mail_draft(eml.as_bytes());
    let text = String::from_utf8_lossy(&draft);
    let planted =
        text.lines().filter(|l| ["bcc:", "cc:", "x-evil:"].iter().any(|h| l.to_ascii_lowercase().starts_with(h)));
    assert_eq!(planted.count(), 0, "no planted header line in the draft:\n{text}");
    let mut names = header_names(&draft);
    names.sort();
    assert_eq!(
        names,
        ["content-type", "date", "from", "in-reply-to", "message-id", "mime-version", "references", "subject", "to"]
    );
    let parsed = mail_parser::MessageParser::default().parse(&draft).expect("the draft parses");
    assert_eq!(parsed.subject(), Some("Re: x Bcc: someone@elsewhere.example X-Evil: 1"));
    let to = parsed.to().and_then(|a| a.first()).expect("To");
    assert_eq!(to.address(), Some("zhang@example.cn"));
    assert_eq!(to.name(), Some("张三 Cc: spy@elsewhere.example"));
    let refs = parsed.references().as_text_list().map(|l| l.len()).unwrap_or(0);
    assert_eq!(refs, 3, "References: the message's two and its own id");

    // A bare LF in a GBK Q-encoded subject, a CRLF inside the address.
    let eml = "From: =?GBK?B?wO7LxA==?= <li@example.cn\r\n Bcc: x@elsewhere.example>\r\n\
         Subject: =?GBK?Q?=B1=A8=CB=CD=0ABcc:_someone@elsewhere.example?=\r\n\
         Date: Mon, 15 Jan 2024 09:31:00 +0800\r\n\
         Message-ID: <id2@example.cn\r\n Bcc: x@elsewhere.example>\r\n\
         MIME-Version: 1.0\r\n\r\n正文\r\n";
    let draft = mail_draft(eml.as_bytes());
    let mut names = header_names(&draft);
    names.sort();
    assert_eq!(
        names,
        ["content-type", "date", "from", "in-reply-to", "message-id", "mime-version", "references", "subject", "to"]
    );
    let parsed = mail_parser::MessageParser::default().parse(&draft).expect("the draft parses");
    assert_eq!(parsed.subject(), Some("回复：报送 Bcc: someone@elsewhere.example"));
    let to = parsed.to().and_then(|a| a.first()).expect("To");
    assert_eq!((to.name(), to.address()), (Some("李四"), Some("li@example.cnBcc: x@elsewhere.example")));
}

#[test]
fn stored_zip_of_workbooks_is_opened_not_refused_as_a_broken_workbook() {
    let a = std::fs::read(sample("2020-江源区.xlsx")).expect("sample");
    let b = std::fs::read(sample("2023-某某县市场监督管理局.xlsx")).expect("sample");
    let zip = stored_zip(&[("江源区.xlsx", &a), ("市场监督管理局.xlsx", &b)]);
    // The inner workbooks' part names are visible in the stored bytes.
    assert!(zip.windows(15).any(|w| w == b"xl/workbook.xml"));
    assert!(nianbao::read::open::sniff(&zip).is_err(), "a zip of workbooks is no workbook");
    let eml = eml_bytes(b"zhang@example.cn", b"tables", "Mon, 15 Jan 2024 09:30:00 +0800", &[(b"tables.zip", &zip)]);
    let m = nianbao::read::mail::message(&eml).expect("a message");
    let names: Vec<_> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["tables.zip/江源区.xlsx", "tables.zip/市场监督管理局.xlsx"]);
    assert_eq!(m.attachments[0].bytes, a);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    // A workbook itself is still told by its entries, stored or not.
    assert_eq!(nianbao::read::open::sniff(&a).ok().map(|f| f.name()), Some("xlsx"));
}

/// Runs nianbao with a fixed clock; (exit code, stdout, stderr).
fn mail_cli(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env("NIANBAO_FIXED_TIME", "1700000000")
        .env("NO_COLOR", "1")
        .output()
        .expect("nianbao runs");
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The names in a folder that are not hidden, sorted.
fn listed(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.retain(|n| !n.starts_with('.'));
    v.sort();
    v
}

#[test]
fn mbox_with_an_unescaped_from_line_keeps_every_other_message() {
    let mbox = "From MAILER-DAEMON Mon Jan 15 09:30:12 2024\n\
        From: zhang@example.cn\nSubject: first\nDate: Mon, 15 Jan 2024 09:30:00 +0800\nMessage-ID: <m1@example.cn>\n\n\
        From 2024 on, the figures are final.\n\
        From zhang@example.cn Mon Jan 15 09:29:00 2024\n\
        a quoted line after an unescaped separator-like line\n\n\
        From MAILER-DAEMON Mon Jan 15 09:31:12 2024\n\
        From: li@example.cn\nSubject: second\nDate: Mon, 15 Jan 2024 09:31:00 +0800\nMessage-ID: <m2@example.cn>\n\nbody\n";
    let msgs = nianbao::read::mail::messages(mbox.as_bytes()).expect("the mailbox is read");
    let subjects: Vec<_> = msgs.iter().map(|m| m.origin.subject.as_str()).collect();
    assert_eq!(subjects, ["first", "second"]);
    assert!(msgs.iter().all(|m| m.problems.is_empty()), "{:?}", msgs[0].problems);

    // A piece with no headers at all is named, by its number; the rest are read.
    let mbox = "From MAILER-DAEMON Mon Jan 15 09:30:12 2024\nno headers here\n\n\
        From MAILER-DAEMON Mon Jan 15 09:31:12 2024\n\
        From: li@example.cn\nSubject: second\nDate: Mon, 15 Jan 2024 09:31:00 +0800\n\nbody\n";
    let msgs = nianbao::read::mail::messages(mbox.as_bytes()).expect("the mailbox is read");
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        msgs[0].problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        ["邮箱中第 1 封邮件缺少邮件头（分隔行“From …”之后不是“发件人:”“主题:”等邮件头），未读取；其余邮件照常读取"]
    );
    assert_eq!(msgs[1].origin.subject, "second");
    assert!(msgs[1].problems.is_empty());
    // Text that only begins with `From ` is no mailbox at all.
    assert_eq!(
        nianbao::read::mail::messages(b"From here on, the figures are final.\nno headers\n").err(),
        Some(nianbao::read::mail::MailError::NotMail)
    );

    // `convert` says so, naming the piece, and still writes the other message's draft.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("收件箱.mbox");
    std::fs::write(&path, mbox).expect("write");
    let out = dir.path().join("out");
    let (code, _, err) = mail_cli(&["convert".as_ref(), path.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("收件箱.mbox（无法识别的邮件）：邮箱中第 1 封邮件缺少邮件头（分隔行“From …”之后不是“发件人:”“主题:”等邮件头），未读取；其余邮件照常读取"),
        "{err}"
    );
    assert_eq!(listed(&out.join("回复")), ["2024-01-15 0931 li@example.cn.eml"]);
}

#[test]
fn convert_of_saved_mail_never_overwrites_its_own_outputs() {
    let jy = std::fs::read(sample("2020-江源区.xlsx")).expect("sample");
    let sc = std::fs::read(sample("2023-某某县市场监督管理局.xlsx")).expect("sample");
    let wrong = std::fs::read(sample("2023-某某县市场监督管理局-总计有误.xlsx")).expect("sample");
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "统计表.xlsx".as_bytes();
    // Three messages of one sender each attaching 统计表.xlsx; the third attaches two.
    let mut files = Vec::new();
    for (i, atts) in
        [vec![(name, &jy[..])], vec![(name, &sc[..])], vec![(name, &wrong[..]), (name, &jy[..])]].iter().enumerate()
    {
        let date = format!("Mon, 15 Jan 2024 09:3{i}:00 +0800");
        let eml = eml_bytes("张三 <zhang@example.cn>".as_bytes(), b"report", &date, atts);
        let path = dir.path().join(format!("{i}.eml"));
        std::fs::write(&path, eml).expect("write");
        files.push(path);
    }
    let out = dir.path().join("out");
    let mut args: Vec<&std::ffi::OsStr> = vec!["convert".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    args.extend(["-o".as_ref(), out.as_os_str()]);
    let (code, _, err) = mail_cli(&args);
    assert_eq!(code, Some(1), "the wrong total is an error finding: {err}");
    let docx: Vec<_> = listed(&out).into_iter().filter(|n| n.ends_with(".docx")).collect();
    assert_eq!(
        docx,
        ["张三 - 统计表.docx", "张三 - 统计表（2）.docx", "张三 - 统计表（3）.docx", "张三 - 统计表（4）.docx"]
    );
    assert_eq!(listed(&out).iter().filter(|n| n.ends_with(".xlsx")).count(), 4);
    // Each report is its own workbook's: 江源区 first, 市场监督管理局 second.
    let archive = |n: &str| nianbao::read::read(&std::fs::read(out.join(n)).expect("archive"), n, &Default::default());
    let agency = |n: &str| archive(n).ok().and_then(|r| r.agency.value);
    assert_eq!(agency("张三 - 统计表.xlsx").as_deref(), Some("江源区"));
    assert_eq!(agency("张三 - 统计表（2）.xlsx").as_deref(), Some("某某县市场监督管理局"));
}

#[test]
fn reply_drafts_of_one_sender_in_one_minute_never_overwrite_each_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    let mut files = Vec::new();
    for i in 0..12 {
        let eml = eml_bytes(
            "张三 <zhang@example.cn>".as_bytes(),
            format!("report {i}").as_bytes(),
            "Mon, 15 Jan 2024 09:30:00 +0800",
            &[],
        );
        let path = dir.path().join(format!("{i:02}.eml"));
        std::fs::write(&path, &eml).expect("write");
        if i < 3 {
            std::fs::write(inbox.join(format!("{i:02}.eml")), &eml).expect("write");
        }
        files.push(path);
    }
    let out = dir.path().join("out");
    let mut args: Vec<&std::ffi::OsStr> = vec!["convert".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    args.extend(["-o".as_ref(), out.as_os_str()]);
    let (code, _, err) = mail_cli(&args);
    assert_eq!(code, Some(2), "no workbook in any message: {err}");
    let mut expected = vec!["2024-01-15 0930 张三.eml".to_string()];
    expected.extend((2..=12).map(|n| format!("2024-01-15 0930 张三（{n}）.eml")));
    expected.sort();
    assert_eq!(listed(&out.join("回复")), expected);
    // Each draft answers its own message.
    let subject = |n: &str| {
        let eml = std::fs::read(out.join("回复").join(n)).expect("draft");
        mail_parser::MessageParser::default().parse(&eml).and_then(|m| m.subject().map(str::to_string))
    };
    assert_eq!(subject("2024-01-15 0930 张三.eml").as_deref(), Some("回复：report 0"));
    assert_eq!(subject("2024-01-15 0930 张三（12）.eml").as_deref(), Some("回复：report 11"));
    // A second run adds drafts; it never replaces one.
    let (_, _, err) = mail_cli(&["convert".as_ref(), files[0].as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(listed(&out.join("回复")).len(), 13, "{err}");
    assert_eq!(subject("2024-01-15 0930 张三（12）.eml").as_deref(), Some("回复：report 11"));

    // `watch`: three messages, three drafts.
    let watched = dir.path().join("watched");
    let (code, _, err) = mail_cli(&[
        "watch".as_ref(),
        inbox.as_os_str(),
        "-o".as_ref(),
        watched.as_os_str(),
        "--once".as_ref(),
        "--settle".as_ref(),
        "0".as_ref(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        listed(&watched.join("回复")),
        ["2024-01-15 0930 张三.eml", "2024-01-15 0930 张三（2）.eml", "2024-01-15 0930 张三（3）.eml"]
    );
}

#[test]
fn raw_gbk_mail_headers_are_read_as_gbk_not_refused_or_mojibake() {
    let eml = std::fs::read(fixture("mail/foxmail-raw-gbk-headers.eml")).expect("fixture");
    assert!(std::str::from_utf8(&eml).is_err(), "the fixture's headers are raw GBK bytes");
    assert_eq!(nianbao::read::mail::kind(&eml), Some(nianbao::read::mail::Kind::Message));
    let m = nianbao::read::mail::message(&eml).expect("a message");
    assert_eq!(m.origin.name.as_deref(), Some("王五"));
    assert_eq!(m.origin.sender, "王五 <wangwu@example.gov.cn>");
    assert_eq!(m.origin.subject, "报送2023年政府信息公开年报统计表");
    let names: Vec<_> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["统计表（王五）.xlsx"]);
    assert_eq!(m.attachments[0].bytes, std::fs::read(sample("2023-某某县市场监督管理局.xlsx")).expect("sample"));

    // The same through `check`: the attachment is named as the sender gave it.
    let (code, out, err) = mail_cli(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        fixture("mail/foxmail-raw-gbk-headers.eml").as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let line: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(line["file"], "foxmail-raw-gbk-headers.eml#统计表（王五）.xlsx");
    assert_eq!(line["mail"]["sender"], "王五 <wangwu@example.gov.cn>");
    assert_eq!(line["mail"]["subject"], "报送2023年政府信息公开年报统计表");
}

// ---------------------------------------------------------------------------------------
// Issue 26, serve and the zip guard: inflated parts bounded whatever their name, work
// stopped when its request ends, the cache key, header-read timeouts, result URLs.
// ---------------------------------------------------------------------------------------

// (serve tests)

/// A narrative template that fails at rendering (a variable no report has) is the
/// server's fault, not the department's: serve answered 422, "cannot read this workbook",
/// as for an unreadable upload.
#[test]
fn serve_blames_the_upload_for_a_template_that_fails() {
    use crate::serve::{client, header, json, multipart, Server, WRONG_TOTAL};
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("overview.j2"), "{{ no_such_figure }}\n").expect("template");
    let server = Server::start(&["--templates", dir.path().to_str().expect("utf-8")]);
    let c = client();
    let bytes = std::fs::read(sample(WRONG_TOTAL)).expect("sample");
    let said = format!("无法生成 {WRONG_TOTAL} 的 Word 报告：模板 overview.j2 第 1 行：使用了未定义的变量");
    let r = c.post(server.url(&format!("/api/check?name={WRONG_TOTAL}"))).body(bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 500);
    assert_eq!(header(&r, "content-type"), "application/json; charset=utf-8");
    assert_eq!(json(&r.text().expect("body"))["error"], said.as_str());
    let r = c.post(server.url(&format!("/api/convert?name={WRONG_TOTAL}"))).body(bytes.clone()).send().expect("api");
    assert_eq!(r.status(), 500);
    let (ctype, body) = multipart("file", WRONG_TOTAL, &bytes);
    let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
    assert_eq!(r.status(), 500);
    let page = r.text().expect("page");
    assert!(page.contains("服务器出错，未能生成结果") && page.contains("模板 overview.j2 第 1 行"), "{page}");
    // The upload that is at fault is still told so.
    let r = c.post(server.url("/api/check")).body(b"not a workbook".to_vec()).send().expect("api");
    assert_eq!(r.status(), 422);
}

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

mod batch {
    use crate::cli::{good_report, run};
    use nianbao::write::template::filled;
    use serde_json::Value as Json;
    use std::fs;
    use std::path::Path;

    fn s(p: &Path) -> &str {
        p.to_str().expect("utf-8 path")
    }

    fn summary(out: &Path) -> Json {
        serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary.json")).expect("json")
    }

    /// (file, status, first_error, duplicate) of every row of summary.json.
    fn rows(j: &Json) -> Vec<(String, String, String, String)> {
        let text = |v: &Json| v.as_str().unwrap_or("").to_string();
        j["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| (text(&f["file"]), text(&f["status"]), text(&f["first_error"]), text(&f["duplicate"])))
            .collect()
    }

    /// The rows of 汇总.xlsx's sheet 汇总 as text.
    #[cfg(target_os = "linux")]
    fn summary_sheet(out: &Path) -> Vec<Vec<String>> {
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("汇总.xlsx")).expect("汇总.xlsx");
        let sheet = calamine::Reader::worksheet_range(&mut wb, "汇总").expect("sheet 汇总");
        sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    /// A folder whose full path is longer than the system takes (PATH_MAX, 4096 bytes):
    /// listing it fails even for root, as an unreadable share folder does. Made one level at
    /// a time relative to the last, which no path limit stops.
    #[cfg(target_os = "linux")]
    fn too_deep(parent: &Path, first: &str) -> String {
        use std::os::unix::ffi::OsStrExt;
        let name = |i: usize| format!("{}{i}", "深".repeat(60));
        let c = |s: &[u8]| std::ffi::CString::new(s).expect("no NUL");
        let mut fd = {
            let p = c(parent.as_os_str().as_bytes());
            // SAFETY: a valid C string; the descriptor is closed below.
            unsafe { libc::open(p.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY) }
        };
        assert!(fd >= 0);
        let mut rel = Vec::new();
        for i in 0..30 {
            let n = if i == 0 { first.to_string() } else { name(i) };
            let cn = c(n.as_bytes());
            // SAFETY: `fd` is an open directory, `cn` a valid C string.
            unsafe {
                assert_eq!(libc::mkdirat(fd, cn.as_ptr(), 0o755), 0);
                let next = libc::openat(fd, cn.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
                libc::close(fd);
                fd = next;
            }
            assert!(fd >= 0);
            rel.push(n);
        }
        // SAFETY: the last directory opened.
        unsafe { libc::close(fd) };
        // The first level that cannot be listed: where the whole path passes 4096 bytes.
        let mut path = parent.as_os_str().len();
        let mut cut = Vec::new();
        for n in rel {
            path += 1 + n.len();
            cut.push(n);
            if path >= 4096 {
                break;
            }
        }
        cut.join("/")
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_unreadable_subfolder_stops_batch_before_it_converts_anything() {
        let dir = tempfile::tempdir().expect("tmp");
        let (inbox, out) = (dir.path().join("inbox"), dir.path().join("out"));
        fs::create_dir_all(inbox.join("教育局")).expect("mkdir");
        fs::write(inbox.join("教育局/统计表.xlsx"), filled(&good_report("某县教育局", 2023)).expect("xlsx"))
            .expect("write");
        let folder = too_deep(&inbox, "深层");
        // A folder reached by a link is not entered (it may lead out or round), but said;
        // a file gone between listing and reading (here a link whose file is gone) is a row.
        fs::create_dir_all(dir.path().join("别处")).expect("mkdir");
        std::os::unix::fs::symlink(dir.path().join("别处"), inbox.join("链接文件夹")).expect("symlink");
        std::os::unix::fs::symlink("已删除.xlsx", inbox.join("已移走.xlsx")).expect("symlink");
        let o = run(&["batch", s(&inbox), "-o", s(&out)]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(out.join("教育局/统计表.docx").is_file() && out.join("教育局/统计表.xlsx").is_file());
        let why = format!("无法读取文件夹 {folder}（文件名或路径过长或无效），其中的文件均未转换");
        assert_eq!(
            rows(&summary(&out)),
            [
                (
                    "已移走.xlsx".into(),
                    "unreadable".into(),
                    "无法读取 已移走.xlsx：这是一个链接，它指向的 已删除.xlsx 不存在（已被移动或删除？）".into(),
                    String::new()
                ),
                ("教育局/统计表.xlsx".into(), "ok".into(), String::new(), String::new()),
                (folder.clone(), "unreadable".into(), why.clone(), String::new()),
                (
                    "链接文件夹".into(),
                    "skipped".into(),
                    "这是指向文件夹的链接，未进入，其中的文件未转换（请把文件夹本身放入输入文件夹）".into(),
                    String::new()
                ),
            ]
        );
        let sheet = summary_sheet(&out);
        let row = sheet.iter().find(|r| r[0] == folder).expect("the folder's row in 汇总.xlsx");
        assert!(row.contains(&why), "{row:?}");
        assert!(stderr.contains("1 个已转换") && stderr.contains("1 个无法读取"), "{stderr}");
        assert!(stderr.contains("1 个文件夹无法读取（见汇总），1 个已跳过"), "{stderr}");
    }

    #[test]
    fn convert_on_the_archive_workbook_nianbao_wrote_writes_nothing_and_exits_0() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = |n: &str| dir.path().join(n);
        let input = p("in/教育局.xlsx");
        fs::create_dir_all(p("in")).expect("mkdir");
        fs::write(&input, filled(&good_report("某县教育局", 2023)).expect("xlsx")).expect("write");
        let fixed =
            |args: &[&str]| crate::cli::bin().env("NIANBAO_FIXED_TIME", "1700000000").args(args).output().expect("run");
        let o = fixed(&["convert", s(&input), "-o", s(&p("first"))]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));

        // Named on the command line, the archive is read back: a new Word report, the same
        // as the one made from the department's workbook.
        let archive = p("first/教育局.xlsx");
        let o = fixed(&["convert", s(&archive), "-o", s(&p("again"))]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("教育局.xlsx（某县教育局2023年度，2021年版）：0 个错误，0 个警告"), "{stdout}");
        assert_eq!(fs::read(p("again/教育局.docx")).expect("docx"), fs::read(p("first/教育局.docx")).expect("docx"));
        assert!(p("again/教育局.xlsx").is_file());
        // `check` reads it too.
        let o = run(&["check", s(&archive)]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));

        // A batch's 汇总.xlsx is no agency's report: refused, nothing written, exit 2.
        let o = run(&["batch", s(&p("in")), "-o", s(&p("batch"))]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let summary_xlsx = p("batch/汇总.xlsx");
        let refused = "无法读取 汇总.xlsx：这是 nianbao 生成的汇总表（多个机关的合计），不是一个机关的统计表";
        let from_summary = p("from-summary");
        for args in [vec!["convert", s(&summary_xlsx), "-o", s(&from_summary)], vec!["check", s(&summary_xlsx)]] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
            assert!(said.contains(refused), "{args:?}: {said}");
        }
        assert!(!from_summary.exists());

        // `batch` and `watch` keep skipping their own outputs in a folder, and say why.
        fs::copy(&archive, p("in/归档副本.xlsx")).expect("copy");
        let o = run(&["batch", s(&p("in")), "-o", s(&p("batch"))]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let why = "这是 nianbao 生成的归档工作簿，不作为输入（要从它重新生成报告，请用 nianbao convert 单独转换它）";
        assert_eq!(
            rows(&summary(&p("batch"))),
            [
                ("归档副本.xlsx".into(), "skipped".into(), why.to_string(), String::new()),
                ("教育局.xlsx".into(), "ok".into(), String::new(), String::new()),
            ]
        );
        let o = run(&["watch", s(&p("in")), "-o", s(&p("watched")), "--once", "--settle", "0"]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(p("in/done/归档副本.xlsx").is_file() && !p("watched/归档副本.docx").exists());
        assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("归档副本.xlsx\t跳过：{why}，已放入 done/")));
    }

    #[cfg(unix)]
    #[test]
    fn watch_leaves_a_symlinked_workbook_in_the_inbox_without_a_word() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tmp");
        let p = |n: &str| dir.path().join(n);
        let (inbox, out) = (p("inbox"), p("out"));
        for d in ["inbox", "共享/教育局", "共享/空文件夹"] {
            fs::create_dir_all(p(d)).expect("mkdir");
        }
        let workbook = |n: &str, agency: &str| {
            fs::write(p(n), filled(&good_report(agency, 2023)).expect("xlsx")).expect("write");
            fs::read(p(n)).expect("read")
        };
        let edu = workbook("共享/教育局/统计表.xlsx", "某县教育局");
        let fin = workbook("共享/财政局.xlsx", "某县财政局");
        workbook("inbox/民政局.xlsx", "某县民政局");
        // Outside the inbox, by a relative and by an absolute link: the target is converted.
        symlink("../共享/教育局/统计表.xlsx", inbox.join("教育局.xlsx")).expect("symlink");
        symlink(p("共享/财政局.xlsx"), inbox.join("财政局.xlsx")).expect("symlink");
        // To a file of the inbox itself: that file is converted once, not again through the link.
        symlink("民政局.xlsx", inbox.join("乙链接.xlsx")).expect("symlink");
        symlink("不存在.xlsx", inbox.join("断开.xlsx")).expect("symlink");
        symlink("循环.xlsx", inbox.join("循环.xlsx")).expect("symlink");
        symlink(p("共享/空文件夹"), inbox.join("文件夹.xlsx")).expect("symlink");

        let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let ls = |d: &Path| {
            let mut v: Vec<String> = fs::read_dir(d)
                .expect("ls")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect();
            v.sort();
            v
        };
        assert_eq!(ls(&inbox), ["done", "failed", "文件夹.xlsx"]);
        assert_eq!(ls(&inbox.join("done")), ["乙链接.xlsx", "教育局.xlsx", "民政局.xlsx", "财政局.xlsx"]);
        assert_eq!(ls(&inbox.join("failed")), ["循环.xlsx", "循环.xlsx.错误.txt", "断开.xlsx", "断开.xlsx.错误.txt"]);
        assert_eq!(
            ls(&out),
            ["教育局.docx", "教育局.xlsx", "民政局.docx", "民政局.xlsx", "财政局.docx", "财政局.xlsx"]
        );
        // The links were moved, never their targets; they still lead to them.
        assert_eq!(fs::read(p("共享/教育局/统计表.xlsx")).expect("target"), edu);
        assert_eq!(fs::read(p("共享/财政局.xlsx")).expect("target"), fin);
        assert!(fs::symlink_metadata(inbox.join("done/教育局.xlsx")).expect("link").file_type().is_symlink());
        assert_eq!(fs::read(inbox.join("done/教育局.xlsx")).expect("through the link"), edu);
        let archive = fs::read(out.join("教育局.xlsx")).expect("archive");
        assert_eq!(crate::common::read_bytes(&archive, "教育局.xlsx").agency.value.as_deref(), Some("某县教育局"));
        assert_eq!(
            fs::read_to_string(inbox.join("failed/断开.xlsx.错误.txt")).expect("note"),
            format!(
                "无法读取 断开.xlsx：这是一个链接，它指向的 {} 不存在（已被移动或删除？）\n",
                inbox.join("不存在.xlsx").display()
            )
        );
        assert_eq!(
            fs::read_to_string(inbox.join("failed/循环.xlsx.错误.txt")).expect("note"),
            "无法读取 循环.xlsx：符号链接循环（链接指向自身，或几个链接互相指向）\n"
        );
        let log = String::from_utf8_lossy(&o.stdout);
        for line in [
            "文件夹.xlsx\t跳过：这是指向文件夹的链接，不是工作簿；请把其中的工作簿本身放入收件文件夹",
            "乙链接.xlsx\t跳过：这是指向收件文件夹中 民政局.xlsx 的链接，不经链接重复转换，链接已放入 done/",
            "教育局.xlsx\t已转换为 教育局.docx、教育局.xlsx",
        ] {
            assert!(log.contains(line), "{line}\n{log}");
        }
    }

    #[test]
    fn the_readme_is_behind_the_code_on_the_first_command_and_the_rust_version() {
        let root = env!("CARGO_MANIFEST_DIR");
        let readme = fs::read_to_string(Path::new(root).join("README.md")).expect("README");
        // The block after "The first command prints …", as `convert samples/2020-江源区.xlsx -o out`.
        let start = readme.find("```\n2020-江源区.xlsx（").expect("the first command's output") + 4;
        let shown = &readme[start..start + readme[start..].find("```").expect("end of block")];
        let dir = tempfile::tempdir().expect("tmp");
        let o = crate::cli::bin()
            .current_dir(dir.path())
            .args(["convert", s(&Path::new(root).join("samples/2020-江源区.xlsx")), "-o", "out"])
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&o.stdout), shown);
        let cargo = fs::read_to_string(Path::new(root).join("Cargo.toml")).expect("Cargo.toml");
        let version = cargo
            .lines()
            .find_map(|l| l.strip_prefix("rust-version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .expect("rust-version");
        assert!(readme.contains(&format!("**Rust {version} or newer**")), "README names another Rust than {version}");
    }

    /// A department sends v1, then a corrected v2, then v1 again: the last is what it wants
    /// now, not a duplicate of outputs that v2 has since replaced.
    #[test]
    fn watch_calls_an_earlier_version_sent_again_a_duplicate_of_what_replaced_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let (inbox, out) = (dir.path().join("inbox"), dir.path().join("out"));
        fs::create_dir_all(&inbox).expect("mkdir");
        let v1 = filled(&good_report("某县教育局", 2023)).expect("xlsx");
        let mut corrected = good_report("某县教育局", 2023);
        let form = nianbao::form::Edition::E2021.form();
        for id in ["new_received", "granted", "result_total"] {
            let row = form.requests_row(id).expect("row");
            crate::common::set(&mut corrected.requests[row][0], 5);
            crate::common::set(&mut corrected.requests[row][6], 6);
        }
        let v2 = filled(&corrected).expect("xlsx");
        let received = |archive: &Path| {
            let r = crate::common::read_bytes(&fs::read(archive).expect("archive"), "教育局.xlsx");
            crate::common::req(&r, "new_received", "total")
        };
        let watch = || run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
        for (name, bytes, total) in
            [("教育局.xlsx", &v1, 4), ("教育局-修改.xlsx", &v2, 6), ("教育局-原版.xlsx", &v1, 4)]
        {
            fs::write(inbox.join(name), bytes).expect("write");
            let o = watch();
            let log = String::from_utf8_lossy(&o.stdout);
            assert_eq!(o.status.code(), Some(0), "{log}");
            assert_eq!(received(&out.join("教育局.xlsx")), total, "after {name}: {log}");
        }
        let old = fs::read_dir(out.join("旧版")).expect("旧版").count();
        assert_eq!(old, 4, "v1's and v2's pairs of outputs kept");
    }

    #[test]
    fn empty_files_are_reported_as_duplicates_of_each_other() {
        let dir = tempfile::tempdir().expect("tmp");
        let (inbox, out) = (dir.path().join("inbox"), dir.path().join("out"));
        fs::create_dir_all(&inbox).expect("mkdir");
        for n in ["甲.xlsx", "乙.xlsx", "丙.xls"] {
            fs::write(inbox.join(n), b"").expect("write");
        }
        // The same broken bytes twice are not one report either.
        for n in ["坏1.xlsx", "坏2.xlsx"] {
            fs::write(inbox.join(n), b"PK\x03\x04broken").expect("write");
        }
        let o = run(&["batch", s(&inbox), "-o", s(&out)]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        let row = |n: &str, why: &str| {
            (n.to_string(), "unreadable".to_string(), format!("无法读取 {n}：{why}"), String::new())
        };
        let (empty, broken) =
            ("文件为空", "工作簿已损坏，无法打开：压缩包中没有工作簿内容，文件可能不完整或不是 Excel 文件");
        assert_eq!(
            rows(&summary(&out)),
            [
                row("丙.xls", empty),
                row("乙.xlsx", empty),
                row("坏1.xlsx", broken),
                row("坏2.xlsx", broken),
                row("甲.xlsx", empty)
            ]
        );
        assert!(stderr.contains("5 个无法读取，0 个重复"), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------
// Issue 30, the Word report: numbers never broken over two lines.
// ---------------------------------------------------------------------------------------

// (docx tests)

/// 淮安市 2024 (3,119 new requests): table 三's 总计 column printed `311` over `9`. The
/// column is now as wide as four digits need in the widest font that may print them, and
/// each number cell says `w:noWrap`.
#[test]
fn a_four_digit_total_of_table_three_is_not_broken_over_two_lines() {
    use nianbao::form::Kind;
    use nianbao::Edition;
    let r = crate::render::counts_report(Edition::E2021, 4);
    let totals: Vec<String> = r.requests.iter().filter_map(|row| row.last()).map(|v| v.display(Kind::Count)).collect();
    assert_eq!(totals[0], "8935");
    let bytes = nianbao::write::docx::docx(&r, &Default::default()).expect("docx");
    let xml = crate::docx::unzip(&bytes, "word/document.xml");
    for total in &totals {
        let at = xml.find(&format!(">{total}</w:t>")).unwrap_or_else(|| panic!("no {total}"));
        let cell = &xml[xml[..at].rfind("<w:tc>").expect("its cell")..at];
        assert!(cell.contains("<w:noWrap /><w:vAlign w:val=\"center\" />"), "{total} may wrap: {cell}");
    }
    // As LibreOffice prints it, where installed: every 总计 one word on one line.
    if let Some(broken) = crate::render::broken_in("位数-2021-4", &totals) {
        assert!(broken.is_empty(), "总计 broken over two lines: {broken:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Issue 25, the reader: every workbook read right or refused clearly.
// ---------------------------------------------------------------------------------------

// (reader tests)

/// A workbook of two agencies whose table 四 is a list, one line typed a character more,
/// last year's tables below: the workbook's parts were found with an index that knew no
/// label a character off, so the list was refused and the whole workbook with it, though
/// each part's own read places the line (READ-LABEL). Of 2,000 seeds of this set, at least
/// 10 were refused; none is now (these two among them).
#[test]
fn reader_a_list_line_a_character_off_refused_a_workbook_of_two_agencies() {
    use crate::variants::perturb::Pert;
    let perts = [Pert::CharMore, Pert::LastYearBelow, Pert::ReviewList, Pert::SecondAgency];
    for seed in [620_761_076, 620_761_112] {
        assert_eq!(crate::variants::xlsx_fail(seed, &perts), None, "seed {seed}");
    }
}

/// Table 四 as a list twice, this year's whole and last year's below with a result typed a
/// character more (`结的果纠正`), in a workbook with a second agency's sheet: last year's
/// copy, refused on its own (`找不到“复议后起诉—结果纠正”行`), refused the whole workbook
/// though the report year chose this year's copy (variant seed 620761266, found by a run
/// of 6,000; the smallest set below).
#[test]
fn reader_a_mistyped_line_of_last_years_list_refused_this_years() {
    use crate::variants::perturb::Pert;
    let perts = [Pert::CharMore, Pert::LastYearBelow, Pert::ReviewList, Pert::SecondAgency];
    assert_eq!(crate::variants::xlsx_fail(620_761_266, &perts), None);
}

/// The numbers a workbook of tests/evidence_books.rs reads to, or the reader's message.
fn evidence_read(bytes: &[u8]) -> Result<Vec<Vec<Vec<Option<String>>>>, String> {
    crate::evidence_books::read_opts(bytes, &Default::default())
        .map(|r| crate::layouts::Data::of(&r))
        .map_err(|e| e.to_string())
}

/// Findings of one rule of a workbook read: the cells they name.
fn evidence_findings(bytes: &[u8], rule: &str) -> Vec<String> {
    let r = crate::evidence_books::read_opts(bytes, &Default::default()).expect("read");
    nianbao::check::check(&r, Default::default())
        .iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.cell.as_ref().map(|c| c.to_string()))
        .collect()
}

/// The READ-CHOICE notes of a workbook read: (cell, message).
fn evidence_choices(bytes: &[u8]) -> Vec<(String, String)> {
    let r = crate::evidence_books::read_opts(bytes, &Default::default()).expect("read");
    crate::read_evidence::notes(&r, nianbao::model::NoteKind::Choice)
}

/// A hidden `自然人` column (last year's numbers) left of the visible one, both under the
/// title's report year: refused, asking to delete one, though only one can be seen.
#[test]
fn reader_a_hidden_column_beside_its_visible_copy_was_refused() {
    let bytes = crate::evidence_books::natural_person_hidden(&[1]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(
        evidence_choices(&bytes),
        [(
            "统计表!C20".to_string(),
            "“三、收到和处理政府信息公开申请情况”表的数字有2处可读：“统计表!B20”（2023年，隐藏）、“统计表!C20”（2023年）；报告年度不能区分它们，读取了未隐藏的“统计表!C20”，隐藏的“统计表!B20”未读取；如需读取隐藏的一处，请取消隐藏并删除另一处".to_string()
        )]
    );
}

/// Last year's tables above this year's on one sheet, their rows hidden, no year heading
/// over either: refused as two places with nothing to tell them apart.
#[test]
fn reader_a_hidden_block_of_rows_above_the_visible_one_was_refused() {
    let bytes = crate::evidence_books::two_copies_hidden(true, false);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    let said = |table: &str, hidden: &str, read: &str| {
        format!("“{table}”表的数字有2处可读：“统计表!{hidden}”（2023年，隐藏）、“统计表!{read}”（2023年）；报告年度不能区分它们，读取了未隐藏的“统计表!{read}”，隐藏的“统计表!{hidden}”未读取；如需读取隐藏的一处，请取消隐藏并删除另一处")
    };
    assert_eq!(
        evidence_choices(&bytes),
        [
            ("统计表!B57".to_string(), said("二、主动公开政府信息情况", "A6", "A57")),
            ("统计表!B72".to_string(), said("三、收到和处理政府信息公开申请情况", "A21", "A72")),
            ("统计表!A102".to_string(), said("四、政府信息公开行政复议、行政诉讼情况", "A48", "A99")),
        ]
    );
}

/// Last year's tables on a first sheet named `上年` (no title), this year's on a titled
/// sheet: refused as two places, the name not taken for the year it says.
#[test]
fn reader_a_sheet_named_shangnian_was_not_taken_for_last_years() {
    use crate::evidence_books::{cur, old, read_opts, two_sheets};
    let bytes = two_sheets(("上年", None, &old()), ("年报", Some(2023), &cur()));
    let r = read_opts(&bytes, &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
    assert_eq!(
        (choice.taken.as_slice(), choice.left.as_slice(), choice.reason.as_str()),
        (&["年报".to_string()][..], &["上年".to_string()][..], "工作表“上年”的名称表明是上一年度的")
    );
}

/// Sheets `上年` and `本年`, neither titled: refused, though `本年` names this year's.
#[test]
fn reader_a_sheet_named_bennian_was_not_taken_for_this_years() {
    use crate::evidence_books::{cur, old, read_opts, two_sheets};
    let bytes = two_sheets(("本年", None, &cur()), ("上年", None, &old()));
    let r = read_opts(&bytes, &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
    assert_eq!(
        (choice.taken.as_slice(), choice.left.as_slice(), choice.reason.as_str()),
        (&["本年".to_string()][..], &["上年".to_string()][..], "工作表“上年”的名称表明是上一年度的")
    );
}

/// A sheet named `2022年` whose own title says 2023, beside a sheet titled 2022: the name
/// overrode the title, both were 2022's, and the workbook was refused.
#[test]
fn reader_a_sheet_name_overrode_the_year_of_its_own_title() {
    use crate::evidence_books::{cur, old, read_opts, two_sheets};
    let bytes = two_sheets(("旧表", Some(2022), &old()), ("2022年", Some(2023), &cur()));
    let opts = nianbao::read::Options { year: Some(2023), ..Default::default() };
    let r = read_opts(&bytes, &opts).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
    assert_eq!(
        (choice.taken.as_slice(), choice.left.as_slice(), choice.reason.as_str()),
        (&["2022年".to_string()][..], &["旧表".to_string()][..], "工作表名称或标题写明的年度是报告年度 2023 年")
    );
}

/// Table 四 as one long list (`行政复议 | 结果维持 | 3`): refused, `找不到“结果纠正”列`.
#[test]
fn reader_table_four_as_one_long_list_was_refused() {
    use crate::evidence_books::{cur, with_review_list, ListStyle};
    let bytes = with_review_list(&cur(), ListStyle::Two, None);
    assert_eq!(evidence_read(&bytes), Ok(cur().expected()));
}

/// A number typed with its unit above table 三 (`2083件`, 规章's 现行有效件数) was taken for a
/// heading naming the year 2083: table 三 refused as another year's block.
#[test]
fn reader_a_number_with_its_unit_was_taken_for_a_year_heading() {
    let (bytes, d) = crate::evidence_books::number_with_unit_above_table_three();
    assert_eq!(evidence_read(&bytes), Ok(d.expected()));
}

/// Table 三 on a sheet of its own, this year's copy (its first label retyped) above last
/// year's: this year's rows were looked for down into last year's copy, whose labels match
/// better, so the two were one copy and last year's was read with nothing said.
#[test]
fn reader_table_three_above_last_years_copy_took_its_rows_from_it() {
    let bytes = crate::evidence_books::table_three_copies_this_years_retyped();
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["依申请公开!A4"]);
}

/// Two `其中` rows of one kind under 一、本年新收, each within it and together over it:
/// nothing was said (each was only checked alone).
#[test]
fn reader_of_which_rows_together_over_their_row_went_unchecked() {
    let c = crate::evidence_books::cur();
    let new = &c.requests[0];
    let two_thirds: Vec<i64> = new.iter().map(|n| n * 2 / 3).collect();
    let bytes = crate::evidence_books::with_of_which_rows(&[
        ("其中：属于国家秘密", two_thirds.clone()),
        ("其中：其他", two_thirds.clone()),
    ]);
    assert_eq!(evidence_read(&bytes), Ok(c.expected()));
    let r = crate::evidence_books::read_opts(&bytes, &Default::default()).expect("read");
    let said: Vec<(String, String)> = nianbao::check::check(&r, Default::default())
        .iter()
        .filter(|f| f.rule == "T3-SUBTOTAL-PART")
        .map(|f| (f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default(), f.message.clone()))
        .collect();
    // Every column where two thirds twice exceed the whole (all but zeros).
    let over: Vec<usize> = (0..7).filter(|&k| two_thirds[k] * 2 > new[k]).collect();
    assert_eq!(said.len(), over.len(), "{said:?}");
    assert_eq!(
        said[0],
        (
            "统计表!B21".to_string(),
            format!(
                "“一、本年新收政府信息公开申请数量”行下自行添加的2个“其中”行（其中：属于国家秘密、其中：其他，官方表格没有这些行）同列之和为 {}（{} + {}），不应大于该行的 {}",
                two_thirds[0] * 2,
                two_thirds[0],
                two_thirds[0],
                new[0]
            )
        )
    );
}

/// A `其中` row under a `其中` row (indented): compared with the row of the form above
/// both, never with the `其中` row it is a part of.
#[test]
fn reader_an_of_which_row_under_an_of_which_row_was_compared_with_the_forms_row() {
    let c = crate::evidence_books::cur();
    let new = &c.requests[0];
    let half: Vec<i64> = new.iter().map(|n| n / 2).collect();
    let over: Vec<i64> = half.iter().map(|n| n + 1).collect();
    let bytes = crate::evidence_books::with_of_which_rows(&[
        ("其中：通过互联网提交", half.clone()),
        ("　　其中：政府网站", over),
    ]);
    assert_eq!(evidence_read(&bytes), Ok(c.expected()));
    let r = crate::evidence_books::read_opts(&bytes, &Default::default()).expect("read");
    let said: Vec<(String, String)> = nianbao::check::check(&r, Default::default())
        .iter()
        .filter(|f| f.rule == "T3-SUBTOTAL-PART")
        .map(|f| (f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default(), f.message.clone()))
        .collect();
    assert_eq!(said.len(), 7, "{said:?}");
    assert_eq!(
        said[0],
        (
            "统计表!B23".to_string(),
            format!(
                "自行添加的“其中：政府网站”行（官方表格没有此行）填写为 {}，不应大于其所属的“其中：通过互联网提交”行同列的 {}",
                half[0] + 1,
                half[0]
            )
        )
    );
}

#[test]
fn reader_a_label_a_character_off_refused_the_whole_table() {
    // Table 四's `结果维持` and section 二's `行政许可` a character off: refused before.
    let bytes = crate::evidence_books::relabelled(&[("行政许可", "行政许"), ("结果维持", "结果的维持")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["统计表!A10", "统计表!A52", "统计表!F52", "统计表!K52"]);
}

#[test]
fn reader_a_label_equally_near_two_labels_was_read_as_one_silently() {
    // `本年制止件数` is one character off `本年制发件数` and `本年废止件数`: it was read as the
    // first with nothing said; no telling which it is, so the table is refused naming it.
    let bytes = crate::evidence_books::relabelled(&[("本年制发件数", "本年制止件数")]);
    let err = evidence_read(&bytes).expect_err("refused");
    assert!(
        err.ends_with("找不到“本年制发件数”列（工作表“统计表”；最接近的是单元格 统计表!B5 的“本年制止件数”）"),
        "{err}"
    );
}

#[test]
fn reader_section_two_as_one_long_list_was_refused() {
    let bytes = crate::evidence_books::listed();
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_an_of_which_row_over_its_row_went_unchecked() {
    let c = crate::evidence_books::cur();
    let bytes = crate::evidence_books::with_of_which(c.requests[0][0] - c.requests[0][0] / 3 + 1);
    assert_eq!(evidence_read(&bytes), Ok(c.expected()));
    // Said once, on the row's cell, with the other `其中` row of its kind (issue 25 §4).
    assert_eq!(evidence_findings(&bytes, "T3-SUBTOTAL-PART"), ["统计表!B21"]);
    assert!(evidence_findings(&bytes, "READ-LABEL").is_empty());
}

#[test]
fn reader_a_table_four_column_worded_otherwise_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("结果纠正", "改判撤销")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["统计表!B52", "统计表!G52", "统计表!L52"]);
}

#[test]
fn reader_a_section_two_row_worded_otherwise_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("行政许可", "许可类事项")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["统计表!A10"]);
}

#[test]
fn reader_two_copies_on_one_sheet_took_last_years_where_this_years_label_matched_less_well() {
    // This year's copy with `行政强` (a character off): last year's copy, whose labels all
    // match, was read in its place with nothing said.
    let bytes = crate::evidence_books::two_copies_retyped(&[("行政强制", "行政强")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-CHOICE").len(), 3);
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["统计表!A67"]);
}

#[test]
fn reader_heji_for_zongji_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("总计", "合计")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_danwei_for_jigou_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("科研机构", "科研单位"), ("法律服务机构", "法律服务单位")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_one_column_label_worded_otherwise_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("社会公益组织", "公益团体")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["统计表!G22"]);
}

#[test]
fn reader_a_column_per_year_read_last_years_silently() {
    let bytes = crate::evidence_books::year_columns(true, crate::evidence_books::Years::Under, ["2022年", "2023年"]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-CHOICE"), ["统计表!C21"]);
}

#[test]
fn reader_two_copies_on_one_sheet_read_the_first_silently() {
    let (bytes, _) = crate::evidence_books::two_copies(true);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-CHOICE").len(), 3);
}

#[test]
fn reader_two_copies_on_one_sheet_with_no_year_were_not_refused() {
    let (bytes, _) = crate::evidence_books::two_copies(false);
    let err = evidence_read(&bytes).expect_err("refused");
    assert!(err.contains("“统计表!A7”（2022年）、“统计表!A59”（2023年）"), "{err}");
}

#[test]
fn reader_an_added_subtotal_column_went_unchecked() {
    let bytes = crate::evidence_books::with_subtotal();
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "T3-SUBTOTAL"), ["统计表!H21"]);
}

#[test]
fn reader_table_four_transposed_was_refused() {
    let bytes = crate::evidence_books::shaped(crate::evidence_books::Shape::Transposed);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_table_four_split_in_two_blocks_was_refused() {
    let bytes = crate::evidence_books::shaped(crate::evidence_books::Shape::Split);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

/// Table 四 transposed with a column per year (`2022年` | `2023年` under each result) was
/// read from the column its header stands over, last year's; and once that shape was
/// refused, last year's copy of the tables below, under its `2022年` heading, was read in
/// its place. Both silently (variant seed 620757849; the smallest set below).
#[test]
fn reader_table_four_transposed_with_year_columns_read_last_years_silently() {
    use crate::variants::perturb::Pert;
    let fail = |perts: &[Pert]| crate::variants::xlsx_fail(620_757_849, perts);
    for perts in [
        &[Pert::ColSubtotal, Pert::YearColumns, Pert::ReviewTransposed][..],
        &[Pert::YearColumns, Pert::LastYearBelow, Pert::ReviewTransposed][..],
    ] {
        assert_ne!(fail(perts), Some(crate::variants::judge::Fail::Silent), "{perts:?}");
    }
}

// edges:

/// A chart sheet before the data sheet made the whole workbook `工作簿已损坏`.
#[test]
fn a_chart_sheet_before_the_data_made_the_workbook_damaged() {
    let d = crate::read_edges::data(21);
    let r = read_bytes(&crate::read_edges::chartsheet_first(&d), "图表在前.xlsx");
    assert_eq!(crate::layouts::Data::of(&r), d.expected());
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
}

/// An xlsm with an Excel 4 macro sheet was refused as damaged (`Unrecognized sheet:type`).
#[test]
fn a_macro_sheet_made_the_workbook_damaged() {
    let d = crate::read_edges::data(22);
    let bytes = crate::read_edges::macrosheet_first(&d);
    let names: Vec<String> = nianbao::read::open::open(&bytes)
        .map(|(_, sheets)| sheets.iter().map(|s| s.name.to_string()).collect())
        .unwrap_or_else(|e| vec![e.to_string()]);
    assert_eq!(names, ["统计表"]);
    assert_eq!(crate::layouts::Data::of(&read_bytes(&bytes, "宏.xlsm")), d.expected());
}

/// Formulas saved without results other than same-sheet sums (`=D5+D6-D28` in 结转下年度,
/// `='底稿'!$B$1`, a sum over such a formula) were VAL-FORMULA errors, their numbers unread.
#[test]
fn formulas_other_than_same_sheet_sums_were_left_unread() {
    let d = crate::read_edges::data(23);
    let r = read_bytes(&crate::read_edges::formulas_workbook(&d).0, "公式.xlsx");
    let f = d.edition.form();
    let truth = |id: &str, col: usize| d.requests[f.requests_row(id).expect("row")][col];
    assert_eq!(req(&r, "new_received", "natural_person"), truth("new_received", 0));
    assert_eq!(req(&r, "new_received", "total"), truth("new_received", 6));
    assert_eq!(req(&r, "carried_forward", "natural_person"), truth("carried_forward", 0));
    assert_eq!(rev(&r, "review", "total"), d.review[0][4]);
}

/// A title with its year in Chinese digits (`二〇二三年度`) gave neither agency nor year.
#[test]
fn a_year_in_chinese_digits_left_agency_and_year_missing() {
    let d = crate::read_edges::data(24);
    let bytes = crate::read_edges::titled(&d, &[("A1", "某某县教育局二〇二三年度政府信息公开工作年度报告")]);
    let r = read_bytes(&bytes, "统计表.xlsx");
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
}

/// A title over two cells (`某某县教育局` | `2023年度政府信息公开工作年度报告`) left the
/// agency missing.
#[test]
fn a_title_over_two_cells_left_the_agency_missing() {
    let d = crate::read_edges::data(24);
    let bytes = crate::read_edges::titled(&d, &[("A1", "某某县教育局"), ("B1", "2023年度政府信息公开工作年度报告")]);
    let r = read_bytes(&bytes, "统计表.xlsx");
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
    assert_eq!(r.agency.cell.map(|c| c.to_string()).as_deref(), Some("统计表!A1"));
}

/// A workbook that is no report (a 政务公开考核评分表) was asked to fill in its edition
/// (`无法判断报告格式版本…`) instead of being told it is not a report.
#[test]
fn a_workbook_that_is_no_report_was_asked_for_its_edition() {
    let e = nianbao::read::read(&crate::read_edges::assessment_form(), "考核.xlsx", &Default::default())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert!(e.as_ref().is_err_and(|m| m.starts_with("不是政府信息公开年报统计表")), "{e:?}");
}

// published inputs (issue 26 class, issue 28):

/// Raw deflate of `mib` MB of zeros: one deflated megabyte repeated, never held expanded.
fn deflated_zeros(mib: u64) -> Vec<u8> {
    deflated_bytes(0, mib)
}

/// Raw deflate of `mib` MB of `byte`.
fn deflated_bytes(byte: u8, mib: u64) -> Vec<u8> {
    let block = crate::hostile::deflate_block(&vec![byte; 1 << 20]);
    let mut data = Vec::with_capacity(block.len() * mib as usize + 2);
    for _ in 0..mib {
        data.extend_from_slice(&block);
    }
    data.extend_from_slice(&[0x03, 0x00]); // the final, empty block
    data
}

/// The zlib stream PDF's FlateDecode holds, of `mib` MB of zeros, with its true checksum.
fn zlib_zeros(mib: u64) -> Vec<u8> {
    let mut z = vec![0x78, 0xda];
    z.extend(deflated_zeros(mib));
    let b = ((mib << 20) % 65521) as u32;
    z.extend_from_slice(&(b << 16 | 1).to_be_bytes());
    z
}

/// A stream object with this dictionary (and its true length) and data.
fn pdf_stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<<{dict}/Length {}>>stream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// A PDF of one page whose contents are these streams (objects 4…), then `more` objects.
fn pdf_with_contents(contents: &[Vec<u8>], more: &[Vec<u8>]) -> Vec<u8> {
    let refs: String = (0..contents.len()).map(|i| format!("{} 0 R ", i + 4)).collect();
    let mut objects = vec![
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec(),
        format!("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents[{refs}]>>").into_bytes(),
    ];
    objects.extend(contents.iter().cloned());
    objects.extend(more.iter().cloned());
    crate::published::pdf_of_bytes(&objects)
}

const PDF_STREAM_BOMB: &str =
    "PDF 文件过大：第 1 个数据流解压后超过 32 MB（单个数据流的上限），不像年度报告，可能是“压缩炸弹”";

#[test]
fn a_pdf_content_stream_inflating_to_2_gb_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("dir");
    let bomb = pdf_with_contents(&[pdf_stream("/Filter/FlateDecode", &zlib_zeros(2048))], &[]);
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    let p = crate::hostile::write(dir.path(), "炸弹.pdf", &bomb);
    crate::hostile::refused(&p, PDF_STREAM_BOMB);
}

#[test]
fn a_pdf_of_many_streams_inflating_to_2_gb_together_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("dir");
    // A megabyte of 0xFF each: what the guard's other decoders refuse at once, so the
    // test's time is the inflating it bounds.
    let mut one = vec![0x78, 0xda];
    one.extend(deflated_bytes(0xff, 1));
    let one = pdf_stream("/Filter/FlateDecode", &one);
    let bomb = pdf_with_contents(&vec![one; 2048], &[]);
    let p = crate::hostile::write(dir.path(), "多个数据流.pdf", &bomb);
    crate::hostile::refused(
        &p,
        "PDF 文件过大：其中的数据流解压后合计超过 160 MB（整个 PDF 的上限），不像年度报告，可能是“压缩炸弹”",
    );
}

/// lopdf inflates object streams while it loads, before a page is read; the filter's
/// name is written with an escape (`#44` is `D`) that a guard reading dictionaries would miss.
#[test]
fn a_pdf_object_stream_inflating_to_2_gb_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("dir");
    let objstm = pdf_stream("/Type/ObjStm/N 1/First 4/Filter/Flate#44ecode", &zlib_zeros(2048));
    let bomb = pdf_with_contents(&[pdf_stream("", b"BT ET")], &[objstm]);
    let p = crate::hostile::write(dir.path(), "对象流.pdf", &bomb);
    crate::hostile::refused(
        &p,
        "PDF 文件过大：第 2 个数据流解压后超过 32 MB（单个数据流的上限），不像年度报告，可能是“压缩炸弹”",
    );
}

#[test]
fn a_word_document_zip_bomb_is_refused_as_a_word_document_not_a_workbook() {
    use crate::hostile::{raw_zip, refused, stored, write, Entry};
    let dir = tempfile::tempdir().expect("dir");
    let types = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    let document = Entry { name: "word/document.xml", method: 8, crc: 0, size: 100 << 20, data: deflated_zeros(100) };
    let bomb = raw_zip(&[stored("[Content_Types].xml", types), document]);
    let p = write(dir.path(), "年报.docx", &bomb);
    refused(&p, "Word 文档过大：word/document.xml 解压后超过 48 MB（单个部件的上限），不像年度报告，可能是“压缩炸弹”");
}

/// `rowspan=65534 colspan=1000` on every row: two hundred such tables of a sheet's limits
/// (5,000 × 200) took 3.6 GB and were killed after 28 s; one table past the cell limit is
/// refused, named.
#[test]
fn a_web_page_table_whose_spans_expand_past_the_cell_limit_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let rows = "<tr><td rowspan=65534 colspan=1000>x</td></tr>".repeat(200);
    let page =
        format!("<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table><table>{rows}</table></body></html>");
    let p = crate::hostile::write(dir.path(), "合并单元格.html", page.as_bytes());
    crate::hostile::refused(
        &p,
        "这是网页（HTML）文件，其中第 2 个表格展开合并单元格后超过 20000 个单元格，不像年度报告的统计表",
    );
}

/// pdf-extract reads every page, whatever the count: a PDF of 600 pages is refused before.
#[test]
fn a_pdf_of_more_pages_than_the_page_limit_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().expect("dir");
    let kids: String = (0..600).map(|i| format!("{} 0 R ", i + 3)).collect();
    let mut objects =
        vec![b"<</Type/Catalog/Pages 2 0 R>>".to_vec(), format!("<</Type/Pages/Kids[{kids}]/Count 600>>").into_bytes()];
    objects.extend((0..600).map(|_| b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>".to_vec()));
    let p = crate::hostile::write(dir.path(), "六百页.pdf", &crate::published::pdf_of_bytes(&objects));
    crate::hostile::refused(&p, "PDF 文件有 600 页，超过 500 页的上限，不像一份政府信息公开工作年度报告");
}

/// An encrypted PDF that opens without a password (copying restricted) was decrypted and
/// its streams inflated by the PDF crates without the stream guard's limit (the guard cannot
/// measure encrypted streams): it is refused, saying what to submit instead.
#[test]
fn an_encrypted_pdf_is_refused_before_its_streams_are_inflated_unmeasured() {
    let objects: Vec<Vec<u8>> = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        "<</Length 0>>stream\n\nendstream",
        "<</Filter/Standard/V 1/R 2/Length 40/P -44\
/O<0000000000000000000000000000000000000000000000000000000000000000>\
/U<0000000000000000000000000000000000000000000000000000000000000000>>>",
    ]
    .iter()
    .map(|o| o.as_bytes().to_vec())
    .collect();
    let pdf = crate::published::pdf_of_bytes(&objects);
    let text = String::from_utf8_lossy(&pdf).replace(
        "/Root 1 0 R>>",
        "/Root 1 0 R/Encrypt 5 0 R/ID[<0123456789ABCDEF0123456789ABCDEF><0123456789ABCDEF0123456789ABCDEF>]>>",
    );
    let e =
        nianbao::read::read(text.as_bytes(), "加密.pdf", &Default::default()).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(
        e,
        Err("PDF 文件已加密（设有打开密码或权限密码），无法安全读取：请提交未加密的 PDF，或报告的网页、Word 文档"
            .into())
    );
}

// (published tests)

/// A PDF whose page tree names an ancestor among its `/Kids`: lopdf's walk skipped the node
/// it had seen and the file was read as some of its pages (said as a PDF without text).
#[test]
fn a_pdf_whose_page_tree_is_cyclic_is_refused_as_damaged() {
    let dir = tempfile::tempdir().expect("tmp");
    let cyclic = crate::published::pdf_of_bytes(&[
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec(),
        b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R 4 0 R]/Count 1>>".to_vec(),
        b"<</Type/Page/Parent 3 0 R/MediaBox[0 0 595 842]/Contents 5 0 R>>".to_vec(),
        pdf_stream("", b"BT /F1 12 Tf 72 720 Td (x) Tj ET"),
    ]);
    let p = crate::hostile::write(dir.path(), "页面树循环.pdf", &cyclic);
    crate::hostile::refused(&p, "PDF 文件已损坏，无法打开：其页面树相互嵌套引用");
}

/// A content stream of eight million glyphs (8 MB, under the stream guard's limit): every
/// glyph was drawn (76 s for thirty million in a debug build) and then said as no table;
/// drawing now stops at the glyph limit.
#[test]
fn a_pdf_of_millions_of_glyphs_is_refused_at_the_glyph_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let line = format!("BT /F1 10 Tf 50 700 Td ({}) Tj ET\n", "A".repeat(1000));
    let content = line.repeat(8_000);
    let pdf = crate::published::pdf_of_bytes(&[
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec(),
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>".to_vec(),
        pdf_stream("", content.as_bytes()),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>".to_vec(),
    ]);
    let p = crate::hostile::write(dir.path(), "八百万字.pdf", &pdf);
    crate::hostile::refused(
        &p,
        "PDF 文件中的文字超过 1000000 个字符，不像一份政府信息公开工作年度报告（年报只有几万字）",
    );
}

/// A 50 MB web page (平潭's report padded with paragraphs): parsed whole, 434 MB peak and
/// 48 s in a debug build (1.1 GB for one of small elements); now refused before it is
/// decoded or parsed.
#[test]
fn a_web_page_of_50_mb_is_refused_before_it_is_parsed() {
    if !crate::published::shared_present() {
        return;
    }
    let page = std::fs::read_to_string(crate::published::published("pingtan-2023.html")).expect("page");
    let at = page.find("</body>").expect("body");
    let pad = format!("<p>{}</p>\n", "政府信息公开工作稳步推进。".repeat(40));
    let big = format!("{}{}{}", &page[..at], pad.repeat((50 << 20) / pad.len()), &page[at..]);
    let dir = tempfile::tempdir().expect("tmp");
    let p = crate::hostile::write(dir.path(), "大网页.html", big.as_bytes());
    let r = crate::hostile::refused(
        &p,
        "这是网页（HTML）文件，大小 50.0 MB，超过 8 MB 的上限，不像一份政府信息公开工作年度报告的网页（年报网页通常不足 1 MB）：请提交报告的 PDF 或 Word 文档",
    );
    if let Some(kb) = r.peak_kb {
        // The file read (50 MB) and little more.
        assert!(kb < 100 * 1024, "peak {kb} KB");
    }
}

/// Text set in a composite font with no `/ToUnicode` (Identity-H): pdf-extract gives the
/// glyph numbers as letters (`āȂ…`), and the file was said to be "not a report"; it is a
/// PDF without a usable text layer, which needs the original file.
#[test]
fn a_pdf_set_in_a_font_without_a_unicode_map_asks_for_the_original_file() {
    let content = "BT /F1 12 Tf 72 720 Td <0101020203030404050506060707> Tj ET\n".repeat(40);
    let pdf = crate::published::pdf_of_bytes(&[
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec(),
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>".to_vec(),
        pdf_stream("", content.as_bytes()),
        b"<</Type/Font/Subtype/Type0/BaseFont/SimSun/Encoding/Identity-H/DescendantFonts[6 0 R]>>".to_vec(),
        b"<</Type/Font/Subtype/CIDFontType2/BaseFont/SimSun/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/DW 1000/FontDescriptor 7 0 R>>".to_vec(),
        b"<</Type/FontDescriptor/FontName/SimSun/Flags 4/FontBBox[0 0 1000 1000]/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 700/StemV 80>>".to_vec(),
    ]);
    let dir = tempfile::tempdir().expect("tmp");
    let p = crate::hostile::write(dir.path(), "无映射字体.pdf", &pdf);
    crate::hostile::refused(
        &p,
        "这个 PDF 没有可用的文字层（可能是扫描件、图片版，或字体没有文字映射），无法读取其中的数字：请提交原始的 Word 文档、网页或统计表",
    );
}

/// A web page's row of table 三 with one cell too many: the reader read the table's ten
/// columns and the 5 printed past them was lost without a word.
#[test]
fn a_number_printed_past_its_tables_columns_is_refused_naming_table_and_row() {
    if !crate::published::shared_present() {
        return;
    }
    let page = std::fs::read_to_string(crate::published::published("pingtan-2023.html")).expect("page");
    let at = page.find("2.重复申请").expect("row");
    let end = at + page[at..].find("</tr>").expect("row end");
    let edited = format!("{}<td><p>5</p></td>{}", &page[..end], &page[end..]);
    let dir = tempfile::tempdir().expect("tmp");
    let p = crate::hostile::write(dir.path(), "多一格.html", edited.as_bytes());
    crate::hostile::refused(
        &p,
        "这是网页（HTML）文件，其中第 2 个表格“2.重复申请”一行的数字 5 印在表格各列之外（第 11 列，表格只有 10 列），无法对应到表格的列：请核对原文件",
    );
}

// ---------------------------------------------------------------------------------------
// Issue 27: one way in. A file, a mail's attachment and an upload go through one function
// (`cli/input.rs`): the differences each command's own copy had.
// ---------------------------------------------------------------------------------------

// (input tests)

/// A message attaching the sample with a wrong total, saved as `来信.eml` in `dir`.
fn saved_mail_with_errors(dir: &std::path::Path) -> std::path::PathBuf {
    let wrong = std::fs::read(sample("2023-某某县市场监督管理局-总计有误.xlsx")).expect("sample");
    let eml = eml_bytes(
        "张三 <zhang@example.cn>".as_bytes(),
        b"report",
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("统计表.xlsx".as_bytes(), &wrong[..])],
    );
    let path = dir.join("来信.eml");
    std::fs::write(&path, eml).expect("write");
    path
}

/// `convert x.eml --pdf` made no PDF of the attachments' Word reports: the mail loop never
/// queued them, where a workbook named directly got its PDF.
#[test]
#[cfg(unix)]
fn convert_of_a_saved_mail_with_pdf_made_no_pdf() {
    let dir = tempfile::tempdir().expect("tmp");
    let (soffice, log) = crate::pdf::fake_soffice(dir.path(), true);
    let eml = saved_mail_with_errors(dir.path());
    let out = dir.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_SOFFICE", &soffice)
        .args(["convert".as_ref(), eml.as_os_str(), "-o".as_ref(), out.as_os_str(), "--pdf".as_ref()])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.join("张三 - 统计表.docx").is_file(), "{err}");
    assert!(out.join("张三 - 统计表.pdf").is_file(), "{err}");
    assert_eq!(std::fs::read_to_string(log).unwrap_or_default().lines().count(), 1);
}

/// `convert --strict x.eml` wrote nothing for an attachment with errors and said nothing
/// of why, where a workbook named directly says `--strict 下不生成报告`.
#[test]
fn convert_strict_of_a_saved_mail_did_not_say_why_nothing_was_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let eml = saved_mail_with_errors(dir.path());
    let out = dir.path().join("out");
    let (code, _, err) =
        mail_cli(&["convert".as_ref(), eml.as_os_str(), "-o".as_ref(), out.as_os_str(), "--strict".as_ref()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.lines().any(|l| l == "张三 - 统计表.xlsx：有错误，--strict 下不生成报告"), "{err}");
    assert!(!out.join("张三 - 统计表.docx").exists());
}

/// `serve` made the annotated copy for any finding, a mail reply only for an error or a
/// warning: a workbook with info findings alone (blanks read as 0) got a copy marking
/// nothing from the API and none in the reply. Both now follow one rule.
#[test]
fn serve_annotated_a_workbook_whose_findings_are_all_info_where_mail_did_not() {
    use crate::serve::{client, Server};
    let bytes = std::fs::read(fixture("blanks-and-dashes.xlsx")).expect("fixture");
    let server = Server::start(&[]);
    let r = client().post(server.url("/api/convert")).body(bytes).send().expect("convert");
    assert_eq!(r.status(), 200);
    let zip_bytes = r.bytes().expect("zip");
    let zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.as_ref())).expect("zip");
    assert_eq!(zip.file_names().collect::<Vec<_>>(), ["report.docx", "archive.xlsx", "report.json"]);
}

// (blocks tests)

/// The READ-CHOICE notes of a read: (cell, message).
fn blocks_choices(r: &nianbao::Report) -> Vec<(String, String)> {
    crate::read_evidence::notes(r, nianbao::model::NoteKind::Choice)
}

/// Two copies of the tables on one sheet under year headings, this year's below: a label
/// retyped in this year's copy lowered its match, the better-matched copy (last year's) was
/// taken, and the duplicate detection, which compared only copies matched as well, never saw
/// this year's. The report was last year's figures with nothing said.
#[test]
fn blocks_a_label_retyped_in_one_copy_read_the_other_years_copy_silently() {
    use crate::evidence_books::{cur, read_opts, two_copies_retyped};
    for to in ["一、本年新收的政府信息公开申请数量", "一、本年新收政府信息公开申请数量（单位：件）"]
    {
        let bytes = two_copies_retyped(&[("一、本年新收政府信息公开申请数量", to)]);
        let r = read_opts(&bytes, &Default::default()).expect("read");
        assert_eq!(crate::layouts::Data::of(&r), cur().expected(), "{to}");
        let choices = blocks_choices(&r);
        assert!(
            choices.iter().any(|(_, m)| m.starts_with(
                "“三、收到和处理政府信息公开申请情况”表在工作簿中有2处：“统计表!A22”（2022年）、“统计表!A74”（2023年）；读取了2023年的一处"
            )),
            "{to}: {choices:?}"
        );
    }
}

/// A second agency's tables on a sheet of their own, the first agency's tables on a sheet
/// each (the title on the first): only a set holding all three tables counted as an
/// agency's report, so the first agency's (spread over three sheets) did not, and the
/// second agency's tables were read under the first agency's name.
#[test]
fn blocks_a_second_agency_beside_tables_on_sheets_of_their_own_was_read_silently() {
    use crate::evidence_books::*;
    let (a, b) = (agency_data("甲镇人民政府", 11), agency_data("乙镇人民政府", 12));
    let f = a.edition.form();
    let mut s1 = Grid::default();
    s1.t(0, 0, "甲镇人民政府2023年度政府信息公开工作年度报告（统计表）");
    active(&mut s1, 2, 0, f, &a);
    let mut s2 = Grid::default();
    requests(&mut s2, 0, f, &[("", &a)], Years::Under, None);
    let mut s3 = Grid::default();
    review(&mut s3, 0, 0, f, &a);
    let mut s4 = Grid::default();
    titled_tables(&mut s4, 0, &b);
    let bytes = workbook_sheets(&[("主动公开", &s1), ("依申请公开", &s2), ("复议诉讼", &s3), ("乙镇", &s4)]);
    let err = read_opts(&bytes, &Default::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "工作簿中有多个机关的统计表（工作表“主动公开”（甲镇人民政府）、“乙镇”（乙镇人民政府）），不能作为一份报告读取：请每个机关单独保存为一个文件，或用 --sheet 指定要读取的工作表"
    );
    let all = nianbao::read::read_all(&bytes, "汇总.xlsx", &Default::default()).expect("read_all");
    let got: Vec<_> = all.iter().map(|r| (r.agency.value.clone(), crate::layouts::Data::of(r))).collect();
    assert_eq!(got, [(Some("甲镇人民政府".into()), a.expected()), (Some("乙镇人民政府".into()), b.expected())]);
}

/// Two copies of the tables side by side under year headings, the title naming 2023:
/// section 二's copies were told apart by rows only, so the two copies on the same rows were
/// one candidate, the left one (last year's) was read, and nothing was said; the block
/// selector could not reach the right copy either.
#[test]
fn blocks_copies_side_by_side_read_last_years_section_two_silently() {
    use crate::evidence_books::{cur, old, read_opts, side_by_side};
    let r = read_opts(&side_by_side(true), &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    let choices = blocks_choices(&r);
    assert_eq!(
        choices.first().map(|c| c.1.as_str()),
        Some(
            "“二、主动公开政府信息情况”表在工作簿中有2处：“统计表!A7”（2022年）、“统计表!U7”（2023年）；读取了2023年的一处（其上方的标题写明报告年度），其余未读取；如需读取另一处，请用 --sheet '统计表!A7' 指定"
        )
    );
    let at = |cell: &str| nianbao::read::Options { sheet: Some(format!("统计表!{cell}")), ..Default::default() };
    let r = read_opts(&side_by_side(false), &at("A3")).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), old().expected());
}

/// Two copies under year headings, a row label of section 二 retyped in this year's copy so
/// that it no longer reads whole: last year's copy was refused in its place, but the rows
/// were then gathered from anywhere, the retyped row from last year's copy, with nothing
/// said. Now the row is placed by its position in this year's copy, and said.
#[test]
fn blocks_a_broken_row_of_this_years_section_two_was_taken_from_last_years_copy() {
    use crate::evidence_books::{cur, read_opts, two_copies_retyped};
    let bytes = two_copies_retyped(&[("行政处罚", "执法决定")]);
    let r = read_opts(&bytes, &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    let labels = crate::read_evidence::notes(&r, nianbao::model::NoteKind::Label);
    assert_eq!(labels.len(), 1, "{labels:?}");
    assert!(labels[0].1.contains("“执法决定”"), "{labels:?}");
}

/// Two copies under year headings, table 四's first header (`行政复议`, where the table is
/// found from) retyped in this year's copy: only last year's copy was found, and read.
#[test]
fn blocks_this_years_table_four_unrecognised_read_last_years_copy() {
    use crate::evidence_books::{read_opts, two_copies_retyped};
    let bytes = two_copies_retyped(&[("行政复议", "复议案件")]);
    let err = read_opts(&bytes, &Default::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“四、政府信息公开行政复议、行政诉讼情况”表只在“统计表!A49”找到，那是其上方标明2022年的一块（报告年度是 2023 年），不是本年度的表：本年度的这张表找不到（其标签可能被改动），请核对后改为官方文字"
    );
}

// (lead tests)

/// The first row of a group written with its group's label in one cell, as formats.md and
/// a table copied from a web page give it (`（三）不予公开 1.属于国家秘密`), was read by
/// position with a READ-LABEL asking the clerk to correct a label that is right.
#[test]
fn a_group_label_before_its_first_row_in_one_cell_was_said_to_be_worded_otherwise() {
    use crate::evidence_books::{cur, read_opts, relabelled};
    let bytes = relabelled(&[
        ("1.属于国家秘密", "（三）不予公开 1.属于国家秘密"),
        ("1.本机关不掌握相关政府信息", "（四）无法提供1.本机关不掌握相关政府信息"),
        ("1.信访举报投诉类申请", "（五）不予处理 1.信访举报投诉类申请"),
    ]);
    let r = read_opts(&bytes, &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    assert_eq!(crate::read_evidence::notes(&r, nianbao::model::NoteKind::Label), []);
}

/// The blank form kept on a sheet before the filled one: its title's placeholder `XX单位`
/// made it a second agency (refused, or a report of `XX单位` from `read_all`), and as one
/// agency's two sets the blank one, standing first, would be read.
#[test]
fn the_blank_form_beside_the_filled_one_was_a_second_agency() {
    use crate::evidence_books::{blank_form_first, cur, read_opts};
    let bytes = blank_form_first();
    let all = nianbao::read::read_all(&bytes, "年报.xlsx", &Default::default()).expect("read_all");
    assert_eq!(all.len(), 1);
    let r = read_opts(&bytes, &Default::default()).expect("read");
    assert_eq!(r.agency.value.as_deref(), Some("某某县教育局"));
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
    assert_eq!(
        (choice.taken.as_slice(), choice.left.as_slice(), choice.reason.as_str()),
        (&["年报".to_string()][..], &["模板".to_string()][..], "其余一套的数字全部空白或为 0（空白模板）")
    );
}

/// A column given twice under one header, both under the title's report year (a hidden
/// column beside its visible copy): the refusal told the clerk to name the report year
/// with `--year`, which cannot tell the two apart.
#[test]
fn two_columns_of_the_report_year_were_refused_asking_for_year() {
    let bytes = crate::evidence_books::natural_person_twice();
    let e = crate::evidence_books::read_opts(&bytes, &Default::default()).expect_err("refused").to_string();
    assert!(e.contains("都是报告年度的，无法判断读取哪一处：请删除多余的一处（包括隐藏的行或列）后再提交"), "{e}");
    assert!(!e.contains("--year"), "{e}");
}

// ---------------------------------------------------------------------------------------
// Issue 25 §5: a workbook holding several agencies' reports, everywhere (serve, the
// annotated copy, mail replies, the summary).
// ---------------------------------------------------------------------------------------

// (several tests)

/// A county's workbook of two townships (sheets `甲镇`, `乙镇`), each with one wrong number:
/// the 总计 of its new requests one more than its row.
pub(crate) fn two_townships_wrong() -> Vec<u8> {
    use crate::evidence_books::{agency_data, collection};
    let (mut a, mut b) = (agency_data("甲镇人民政府", 51), agency_data("乙镇人民政府", 52));
    a.requests[0][6] += 1;
    b.requests[0][6] += 1;
    collection(&[("甲镇", &a), ("乙镇", &b)])
}

/// `check --annotate` of a workbook of several agencies wrote a copy per agency, each
/// marking only its own part: a clerk had to open two copies of one workbook, neither
/// showing every error. One copy now marks every part.
#[test]
fn check_annotate_of_several_agencies_wrote_a_copy_per_agency_each_marking_its_part() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("汇总.xlsx");
    std::fs::write(&file, two_townships_wrong()).expect("write");
    let out = dir.path().join("标注");
    std::fs::create_dir(&out).expect("mkdir");
    let (code, stdout, err) = mail_cli(&["check".as_ref(), "--annotate".as_ref(), out.as_os_str(), file.as_os_str()]);
    assert_eq!(code, Some(1), "{stdout}{err}");
    assert_eq!(listed(&out), ["汇总.xlsx"]);
    let copy = std::fs::read(out.join("汇总.xlsx")).expect("annotated");
    let (green, colours) = crate::check::fills_by_cell(&copy);
    let red: Vec<&str> =
        colours.iter().filter(|(_, fill)| fill.as_str() == "FFFFC7CE").map(|(c, _)| c.as_str()).collect();
    assert_eq!(red, ["乙镇!H21", "甲镇!H21"]);
    // Both parts' other cells read are green.
    assert!(green.contains("甲镇!B21") && green.contains("乙镇!B21"), "{green:?}");
    let comments: String = crate::check::unzip(&copy)
        .into_iter()
        .filter(|(name, _)| name.starts_with("xl/comments"))
        .map(|(_, xml)| xml)
        .collect();
    assert_eq!(comments.matches("T3-ROW-TOTAL").count(), 2, "{comments}");
}

/// An attachment of a draft: its name, content type and bytes.
pub(crate) type Attached = (String, String, Vec<u8>);

/// The draft of a mail's reply: its plain body's lines (trimmed, blank lines dropped) and
/// its attachments.
pub(crate) fn reply_draft(path: &std::path::Path) -> (Vec<String>, Vec<Attached>) {
    use mail_parser::MimeHeaders;
    let draft = std::fs::read(path).expect("draft");
    let parsed = mail_parser::MessageParser::default().parse(&draft).expect("draft parses");
    let body = parsed.body_text(0).expect("body");
    let lines = body.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    let attached = parsed
        .attachments()
        .map(|a| {
            let ctype =
                a.content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).unwrap_or_default();
            (a.attachment_name().unwrap_or_default().to_string(), ctype, a.contents().to_vec())
        })
        .collect();
    (lines, attached)
}

/// A mailed web page of a report was not taken at all (the message had "no workbook"), and
/// a published report converted by mail had no annotated copy for its reply. Now the reply
/// lists its findings by their place in the page and attaches `<附件>（已标注）.html`, the
/// page `check --annotate` writes.
#[test]
fn mail_reply_to_a_published_report_attached_no_annotated_copy() {
    let page = crate::published::published("shanghai-szfbgt-2019.html");
    if !page.is_file() {
        eprintln!("跳过：没有 shared/published/（用 NIANBAO_SHARED_DIR 指明 shared 文件夹）");
        return;
    }
    let bytes = std::fs::read(&page).expect("page");
    let dir = tempfile::tempdir().expect("tmp");
    let eml = eml_bytes(
        "张三 <zhang@example.cn>".as_bytes(),
        "报送年报".as_bytes(),
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("上海2019.html".as_bytes(), &bytes[..])],
    );
    let path = dir.path().join("来信.eml");
    std::fs::write(&path, eml).expect("write");
    let out = dir.path().join("out");
    let (code, stdout, err) = mail_cli(&["convert".as_ref(), path.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, Some(1), "{stdout}{err}");
    assert_eq!(listed(&out), ["回复", "张三 - 上海2019.docx", "张三 - 上海2019.xlsx"]);
    let (lines, attached) = reply_draft(&out.join("回复/2024-01-15 0930 张三.eml"));
    assert_eq!(lines[2], "1. 上海2019.html");
    assert_eq!(lines[3], "上海市人民政府办公厅2019年度报告：发现 11 个错误、0 个警告。");
    assert!(
        lines[4].starts_with("- 错误［T3-ROW-TOTAL］第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列：“（一）予以公开”行：自然人与法人或其他组织各列之和（272）应等于总计（0）"),
        "{lines:?}"
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with("- 错误")).count(), 11);
    assert!(
        lines[15].starts_with("请按上述提示核对更正后重新发送；随信附上的标注网页（上海2019（已标注）.html）"),
        "{lines:?}"
    );
    // Errors: no Word report; the annotated page, as `check --annotate` makes it.
    let names: Vec<(&str, &str)> = attached.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect();
    assert_eq!(names, [("上海2019（已标注）.html", "text/html")]);
    let report = nianbao::read::read(&bytes, "张三 - 上海2019.html", &Default::default()).expect("read");
    let findings = nianbao::check::check(&report, Default::default());
    let want = nianbao::write::marked::marked_tables(&report, &findings).expect("marked");
    assert_eq!(String::from_utf8(attached[0].2.clone()).expect("utf-8"), want);
    assert_eq!(want.matches("class=\"n error\"").count(), 11);
}

/// The reply to a workbook of several agencies headed each agency's item with the
/// attachment's name alone (`1. 汇总.xlsx`, `2. 汇总.xlsx`), the agency only on the next
/// line: each item is now headed by its agency, `1. 甲镇人民政府（汇总.xlsx）`.
#[test]
fn reply_to_several_agencies_headed_every_item_with_the_same_attachment_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let eml = eml_bytes(
        "张三 <zhang@example.cn>".as_bytes(),
        "报送年报".as_bytes(),
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[
            ("汇总.xlsx".as_bytes(), &two_townships_wrong()[..]),
            ("江源区.xlsx".as_bytes(), &std::fs::read(crate::common::sample("2020-江源区.xlsx")).expect("sample")[..]),
        ],
    );
    let path = dir.path().join("来信.eml");
    std::fs::write(&path, eml).expect("write");
    let out = dir.path().join("out");
    let (code, stdout, err) = mail_cli(&["convert".as_ref(), path.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, Some(1), "{stdout}{err}");
    let (lines, _) = reply_draft(&out.join("回复/2024-01-15 0930 张三.eml"));
    let heads: Vec<&str> = lines.iter().map(String::as_str).filter(|l| l.starts_with(char::is_numeric)).collect();
    // One report of an attachment keeps its name alone, as before.
    assert_eq!(heads, ["1. 甲镇人民政府（汇总.xlsx）", "2. 乙镇人民政府（汇总.xlsx）", "3. 江源区.xlsx"]);
}

/// The docx with its core properties' author replaced, as a clerk's copy under another name.
fn docx_by(docx: &[u8], author: &str) -> Vec<u8> {
    use std::io::{Read as _, Write as _};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        if name == "docProps/core.xml" {
            let xml = String::from_utf8(bytes).expect("utf-8");
            assert!(xml.contains("<dc:creator>nianbao</dc:creator>"), "{xml}");
            bytes = xml
                .replace("<dc:creator>nianbao</dc:creator>", &format!("<dc:creator>{author}</dc:creator>"))
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("zip").into_inner()
}

/// An old output folder left inside INDIR: `batch` skipped its Word report and archive but
/// read the PDF `--pdf` had made of the report through LibreOffice as a published report,
/// counting the agency twice. That PDF carries the Word report's author (`nianbao`) and
/// LibreOffice as its producer: it is skipped, saying so, in `batch` and `watch`; a
/// LibreOffice PDF of a report under another author is still read. Needs LibreOffice.
#[test]
fn own_libreoffice_pdf_inside_indir_was_read_as_a_published_report() {
    let Some(soffice) = crate::published::soffice() else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir_all(inbox.join("张三改过")).expect("mkdir");
    std::fs::copy(crate::common::sample("2020-江源区.xlsx"), inbox.join("江源区.xlsx")).expect("copy");
    let old = inbox.join("上次结果");
    let sample = crate::common::sample("2020-江源区.xlsx");
    let (code, stdout, err) =
        mail_cli(&["convert".as_ref(), sample.as_os_str(), "-o".as_ref(), old.as_os_str(), "--pdf".as_ref()]);
    assert_eq!(code, Some(0), "{stdout}{err}");
    assert_eq!(listed(&old), ["2020-江源区.docx", "2020-江源区.pdf", "2020-江源区.xlsx"]);
    let own = std::fs::read(old.join("2020-江源区.pdf")).expect("pdf");
    let info = nianbao::read::published::pdf_info_naming(&own, "nianbao").expect("its Info");
    assert_eq!(info.author.as_deref(), Some("nianbao"));
    assert!(info.producer.as_deref().is_some_and(|p| p.starts_with("LibreOffice")), "{info:?}");
    // The same report under a clerk's name, exported by LibreOffice.
    let theirs = dir.path().join("报告.docx");
    std::fs::write(&theirs, docx_by(&std::fs::read(old.join("2020-江源区.docx")).expect("docx"), "张三")).expect("w");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    let o = std::process::Command::new(&soffice)
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(inbox.join("张三改过"))
        .arg(&theirs)
        .output()
        .expect("run soffice");
    assert!(inbox.join("张三改过/报告.pdf").is_file(), "{}", String::from_utf8_lossy(&o.stderr));

    let (code, stdout, err) = mail_cli(&["batch".as_ref(), inbox.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, Some(0), "{stdout}{err}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary")).expect("json");
    let rows: Vec<(String, String, String)> = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("file"), s("status"), s("agency"))
        })
        .collect();
    let row = |f: &str, st: &str, a: &str| (f.to_string(), st.to_string(), a.to_string());
    assert_eq!(
        rows,
        [
            row("上次结果/2020-江源区.docx", "skipped", ""),
            row("上次结果/2020-江源区.pdf", "skipped", ""),
            row("上次结果/2020-江源区.xlsx", "skipped", ""),
            row("张三改过/报告.pdf", "ok", "江源区"),
            row("江源区.xlsx", "ok", "江源区"),
        ]
    );
    let pdf_row = summary["files"].as_array().expect("files").iter().find(|r| r["file"] == "上次结果/2020-江源区.pdf");
    assert_eq!(
        pdf_row.map(|r| r["first_error"].clone()),
        Some(serde_json::json!("这是 nianbao 生成的 PDF 报告（由其 Word 报告经 LibreOffice 转换），不作为输入（要读取它，请用 nianbao check 或 convert 单独指明它）"))
    );

    // `watch` leaves it in done/ unconverted, saying why.
    let (drop, out2) = (dir.path().join("drop"), dir.path().join("out2"));
    std::fs::create_dir_all(&drop).expect("mkdir");
    std::fs::write(drop.join("2020-江源区.pdf"), &own).expect("write");
    let args: [&std::ffi::OsStr; 7] = [
        "watch".as_ref(),
        drop.as_os_str(),
        "-o".as_ref(),
        out2.as_os_str(),
        "--once".as_ref(),
        "--settle".as_ref(),
        "0".as_ref(),
    ];
    let (code, stdout, err) = mail_cli(&args);
    assert_eq!(code, Some(0), "{stdout}{err}");
    assert_eq!(listed(&drop.join("done")), ["2020-江源区.pdf"]);
    let log = stdout + &err;
    assert!(
        log.contains("跳过：这是 nianbao 生成的 PDF 报告（由其 Word 报告经 LibreOffice 转换），不作为输入"),
        "{log}"
    );
    assert!(listed(&out2).iter().all(|n| !n.ends_with(".docx")), "{:?}", listed(&out2));
}

// ---------------------------------------------------------------------------------------
// Issue 29, reading xlsx at the floor: the streaming reader (read/xlsx) and the defects of
// calamine's reading it does not share.
// ---------------------------------------------------------------------------------------

// (readfast tests)

/// A worksheet whose shared formula names index 10¹¹ (`<f t="shared" si="99999999999"
/// ref="B1:B2">`): calamine sized its table of shared formulas by the index, asking for
/// terabytes, and the process aborted (no panic to catch), ending a whole batch.
#[test]
fn a_shared_formula_index_of_ten_to_the_eleventh_aborted_the_process() {
    use nianbao::read::open::{open_with, XlsxReader};
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(0, 0, 1.0).expect("A1");
    ws.write_formula(0, 1, "=A1").expect("B1");
    let bytes = wb.save_to_buffer().expect("save");
    let sheet = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice()))
        .expect("zip")
        .index_for_name("xl/worksheets/sheet1.xml")
        .expect("sheet");
    let huge = crate::reader_equal::with_part_edited(&bytes, sheet, |d| {
        let xml = String::from_utf8_lossy(d).replacen("<f>", r#"<f t="shared" si="99999999999" ref="B1:B2">"#, 1);
        assert!(xml.contains("99999999999"), "a formula to share");
        *d = xml.into_bytes();
    });
    let e = open_with(&huge, XlsxReader::Stream).map(|_| ()).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "工作簿已损坏，无法打开：xl/worksheets/sheet1.xml 无法读取：共享公式的编号 si=\"99999999999\" 过大，不像 Excel 保存的文件"
    );
    // An ordinary index reads: the formula's cached result.
    let (_, sheets) = open_with(&bytes, XlsxReader::Stream).expect("read");
    assert_eq!(sheets[0].get(0, 1), &nianbao::read::value::Raw::Float(0.0));
}

// (probe tests)

/// Table 四 with its groups in another order (复议后起诉 first, 行政复议 last) or 总计
/// first in each group: the fifteen sub-headers were given to the groups by position, so
/// 复议后起诉's numbers were read as 行政复议's with nothing said, or the table was refused
/// (`找不到“结果维持”列`) though every label was there.
#[test]
fn table_four_groups_and_columns_in_another_order_were_read_by_position() {
    use crate::evidence_books::{cur, read_opts, review_reordered};
    for (groups, columns) in [
        ([2, 1, 0], [0, 1, 2, 3, 4]),
        ([1, 2, 0], [4, 0, 1, 2, 3]),
        ([0, 2, 1], [1, 0, 2, 3, 4]),
        ([0, 1, 2], [3, 2, 1, 0, 4]),
    ] {
        let r = read_opts(&review_reordered(groups, columns), &Default::default())
            .unwrap_or_else(|e| panic!("{groups:?} {columns:?}: {e}"));
        assert_eq!(crate::layouts::Data::of(&r), cur().expected(), "{groups:?} {columns:?}");
        assert_eq!(crate::read_evidence::notes(&r, nianbao::model::NoteKind::Label), [], "{groups:?} {columns:?}");
    }
}

/// A count typed as text with its unit, between 2000 and 2100 (`2031件` in section 二), was
/// taken for a heading naming the year 2031 over the tables below it: table 三 was refused
/// as "the block of 2031, not the report year's".
#[test]
fn a_count_typed_like_a_year_was_a_heading_over_the_tables_below() {
    use crate::evidence_books::{count_typed_like_a_year, read_opts};
    for n in [2031, 2023, 2100] {
        let (bytes, truth) = count_typed_like_a_year(n);
        let r = read_opts(&bytes, &Default::default()).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(crate::layouts::Data::of(&r), truth.expected(), "{n}");
        assert_eq!(r.year.value, Some(2023));
    }
}

/// A workbook copied from last year with the year changed in the title only: 基本信息's
/// 报告年度 (or a `填报年度：` cell) named another year than the title, and one of them was
/// taken with nothing said.
#[test]
fn report_years_written_apart_were_taken_silently() {
    use crate::evidence_books::{cur, read_opts, years_written_apart};
    use nianbao::model::NoteKind;
    let r = read_opts(&years_written_apart(Some(2022), None), &Default::default()).expect("read");
    assert_eq!(r.year.value, Some(2022));
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    assert_eq!(
        crate::read_evidence::notes(&r, NoteKind::Choice),
        [(
            "基本信息!B2".to_string(),
            "工作簿中的报告年度前后不一致：“基本信息!B2”（基本信息）写的是 2022 年，“统计表!A1”（标题）写的是 2023 年；已按 2022 年读取，请核对后把各处改为同一报告年度".to_string()
        )]
    );
    let r = read_opts(&years_written_apart(None, Some(2022)), &Default::default()).expect("read");
    assert_eq!(r.year.value, Some(2023));
    assert_eq!(
        crate::read_evidence::notes(&r, NoteKind::Choice),
        [(
            "统计表!A1".to_string(),
            "工作簿中的报告年度前后不一致：“统计表!A1”（标题）写的是 2023 年，“统计表!A2”（填写的年度）写的是 2022 年；已按 2023 年读取，请核对后把各处改为同一报告年度".to_string()
        )]
    );
    // The same year everywhere is no choice.
    let r = read_opts(&years_written_apart(Some(2023), Some(2023)), &Default::default()).expect("read");
    assert_eq!(crate::read_evidence::notes(&r, NoteKind::Choice), []);
}

/// A workbook copied from another agency: the title names one agency, the
/// `填报单位（盖章）：` cell under it another, and the title's was taken with nothing said.
#[test]
fn agencies_written_apart_were_taken_silently() {
    use crate::evidence_books::{read_opts, titled, TITLE};
    use nianbao::model::NoteKind;
    let r =
        read_opts(&titled(TITLE, Some("填报单位（盖章）：某某县卫生健康委员会")), &Default::default()).expect("read");
    assert_eq!(r.agency.value.as_deref(), Some("某某县教育局"));
    assert_eq!(
        crate::read_evidence::notes(&r, NoteKind::Choice),
        [(
            "统计表!A1".to_string(),
            "工作簿中的机关名称前后不一致：“统计表!A1”（标题）写的是“某某县教育局”，“统计表!A2”（填写的单位）写的是“某某县卫生健康委员会”；已按“某某县教育局”读取，请核对后把各处改为同一机关名称".to_string()
        )]
    );
    // One agency written with its seal note is one agency.
    let r =
        read_opts(&titled(TITLE, Some("填报单位（盖章）：某某县教育局（盖章）")), &Default::default()).expect("read");
    assert_eq!(crate::read_evidence::notes(&r, NoteKind::Choice), []);
}

/// A title written as a heading of a document, `某某局关于2023年度政府信息公开工作年度报告`:
/// the agency was read as `某某局关于` with nothing said.
#[test]
fn a_title_with_guanyu_gave_the_agency_with_the_preposition() {
    use crate::evidence_books::{read_opts, titled};
    let r = read_opts(&titled("某某县教育局关于2023年度政府信息公开工作年度报告", None), &Default::default())
        .expect("read");
    assert_eq!((r.agency.value.as_deref(), r.year.value), (Some("某某县教育局"), Some(2023)));
}

/// A row of table 三 typed twice (a row copied and refilled, the old one kept): the first
/// was read, whatever it held, and the second said to match no official row (`行标签“2.重复申请”
/// 与官方表格的任何一行都不对应（最接近的是“2.重复申请”）`).
#[test]
fn a_row_typed_twice_was_read_from_the_first_copy() {
    use crate::evidence_books::{cur, read_opts, row_typed_twice};
    use nianbao::model::NoteKind;
    // A copy all 0 gives way to the row with numbers, said.
    let r = read_opts(&row_typed_twice("2.重复申请", [0; 7]), &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
    let choice = crate::read_evidence::notes(&r, NoteKind::Choice);
    assert_eq!(choice.len(), 1, "{choice:?}");
    let (cell, message) = &choice[0];
    assert_eq!(
        message,
        &format!("“三、收到和处理政府信息公开申请情况”表中“2.重复申请”一行出现了 2 次（“统计表!A{}”、“{cell}”）：读取了有数字的“{cell}”一行，其余各行全部空白或为 0，未读取；请删除多余的行", &cell["统计表!A".len()..].parse::<u32>().expect("row") - 1)
    );
    // Two copies with numbers: refused, naming both rows.
    let e = read_opts(&row_typed_twice("2.重复申请", [1, 0, 0, 0, 0, 0, 1]), &Default::default())
        .expect_err("refused")
        .to_string();
    assert!(
        e.starts_with("“三、收到和处理政府信息公开申请情况”表中“2.重复申请”一行出现了不止一次（“统计表!A")
            && e.ends_with("），数字各不相同，无法判断读取哪一行：请删除多余的行（也可能是隐藏的行）后再提交"),
        "{e}"
    );
    // The same numbers twice are no choice.
    let f = cur().edition.form();
    let i = f.requests_rows.iter().position(|r| r.label == "2.重复申请").expect("row");
    let same: [i64; 7] = std::array::from_fn(|c| cur().requests[i][c]);
    let r = read_opts(&row_typed_twice("2.重复申请", same), &Default::default()).expect("read");
    assert_eq!(crate::layouts::Data::of(&r), cur().expected());
    assert!(r.unknown_labels.is_empty() && crate::read_evidence::notes(&r, NoteKind::Choice).is_empty());
}

/// A sheet per quarter beside the whole year's sheet `全年`, all under the report year: the
/// workbook was refused asking for `--year`, which cannot tell them apart.
#[test]
fn quarter_sheets_beside_the_whole_year_were_refused_asking_for_year() {
    use crate::evidence_books::{cur, quarters, read_opts};
    for full_first in [true, false] {
        let r = read_opts(&quarters(full_first), &Default::default()).unwrap_or_else(|e| panic!("{full_first}: {e}"));
        assert_eq!(crate::layouts::Data::of(&r), cur().expected(), "{full_first}");
        let choice = r.read_choice.as_ref().expect("a READ-CHOICE");
        assert_eq!(
            (choice.taken.as_slice(), choice.left.len(), choice.reason.as_str()),
            (&["全年".to_string()][..], 4, "其余工作表的名称是季度或月份，是年内的一部分")
        );
    }
}

/// Table 三 transposed (a row per applicant kind): the refusal named no cell and no text
/// (`找不到“自然人”列（工作表“统计表”）`) though the label stood on the sheet.
#[test]
fn a_transposed_table_three_was_refused_naming_no_cell() {
    use crate::evidence_books::{read_opts, requests_transposed};
    let (bytes, row) = requests_transposed();
    let e = read_opts(&bytes, &Default::default()).expect_err("refused").to_string();
    assert_eq!(
        e,
        format!("“三、收到和处理政府信息公开申请情况”表中找不到“自然人”列（工作表“统计表”；“自然人”写在单元格 统计表!A{}，不在这张表的列标签的位置，表格的行列可能与官方表格不同）", row + 1)
    );
}

/// Table 四 split in two blocks with a count typed as text in full-width digits between
/// 2000 and 2100 (`２０４２`): the count was taken for a year marking the numbers' column, and
/// the table refused (`找不到“结果维持”列`). Found by 6,000 variants (review-split + full-width).
#[test]
fn a_count_typed_like_a_year_in_a_split_table_four_marked_a_year() {
    use crate::evidence_books::{read_opts, split_with_text_count};
    let (bytes, truth) = split_with_text_count(2042);
    let r = read_opts(&bytes, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(crate::layouts::Data::of(&r), truth.expected());
}

/// A report summed first and then replaced by a newer one of the same agency and year is
/// taken out of the sums again: the sums that come back to zero are the number 0 in
/// 合计, never "-0" typed as text (Decimal's negative zero, which the summary wrote in
/// every such cell).
#[test]
fn summary_sums_brought_back_to_zero_by_a_resubmission_were_written_as_minus_zero_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    let first = crate::cli::good_report("某县财政局", 2023);
    let mut newer = crate::cli::good_report("某县财政局", 2023);
    set(&mut newer.review[0][0], 2);
    set(&mut newer.review[0][4], 2);
    crate::cli::write_workbook(&inbox.join("a-第一次.xlsx"), &first);
    crate::cli::write_workbook(&inbox.join("b-修改后.xlsx"), &newer);
    std::fs::File::options()
        .write(true)
        .open(inbox.join("b-修改后.xlsx"))
        .and_then(|f| f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60)))
        .expect("mtime");
    let o = crate::cli::run(&["batch", crate::cli::s(&inbox), "-o", crate::cli::s(&out), "--jobs", "1"]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&o.stderr));
    let xlsx = std::fs::read(out.join("汇总.xlsx")).expect("汇总");
    let (_, sheets) = nianbao::read::open::open(&xlsx).expect("open 汇总");
    assert_eq!(&*sheets[1].name, "合计");
    let texts: Vec<_> =
        sheets[1].cells.iter().filter(|(_, v)| matches!(v, nianbao::read::value::Raw::Str(t) if t == "-0")).collect();
    assert!(texts.is_empty(), "{texts:?}");
    let sum = read_bytes(&xlsx, "汇总.xlsx");
    let review_total = sum.review_value("review", "total").and_then(|v| v.num).map(|d| d.to_string());
    assert_eq!(review_total.as_deref(), Some("2"), "the newer report's figures, once");
    let zero = sum.review_value("review", "corrected").and_then(|v| v.num);
    assert_eq!(zero.map(|d| d.to_string()).as_deref(), Some("0"));
}
