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
