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
    let m = nianbao::mail::message(eml).expect("a message");
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
fn eml_bytes(from: &[u8], subject: &[u8], date: &str, attachments: &[(&[u8], &[u8])]) -> Vec<u8> {
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
    let m = nianbao::mail::message(&eml).expect("a message");
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
    let msgs = nianbao::mail::messages(mbox.as_bytes()).expect("the mailbox is read");
    let subjects: Vec<_> = msgs.iter().map(|m| m.origin.subject.as_str()).collect();
    assert_eq!(subjects, ["first", "second"]);
    assert!(msgs.iter().all(|m| m.problems.is_empty()), "{:?}", msgs[0].problems);

    // A piece with no headers at all is named, by its number; the rest are read.
    let mbox = "From MAILER-DAEMON Mon Jan 15 09:30:12 2024\nno headers here\n\n\
        From MAILER-DAEMON Mon Jan 15 09:31:12 2024\n\
        From: li@example.cn\nSubject: second\nDate: Mon, 15 Jan 2024 09:31:00 +0800\n\nbody\n";
    let msgs = nianbao::mail::messages(mbox.as_bytes()).expect("the mailbox is read");
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        msgs[0].problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        ["邮箱中第 1 封邮件缺少邮件头（分隔行“From …”之后不是“发件人:”“主题:”等邮件头），未读取；其余邮件照常读取"]
    );
    assert_eq!(msgs[1].origin.subject, "second");
    assert!(msgs[1].problems.is_empty());
    // Text that only begins with `From ` is no mailbox at all.
    assert_eq!(
        nianbao::mail::messages(b"From here on, the figures are final.\nno headers\n").err(),
        Some(nianbao::mail::MailError::NotMail)
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
    assert_eq!(nianbao::mail::kind(&eml), Some(nianbao::mail::Kind::Message));
    let m = nianbao::mail::message(&eml).expect("a message");
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
