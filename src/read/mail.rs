//! Mail intake: the workbooks a department emails, taken from the saved message (`.eml`,
//! RFC 5322/MIME) or a mailbox export (`mbox`). Parsing is mail-parser's; this module only
//! decides which parts are workbooks (by their bytes, never by the declared type), opens zip
//! attachments through the same bounds as workbooks, and keeps the sender's particulars for
//! the summary, the archive and the reply draft. No file system here.

/// Defined with the crate's other errors: a mail file that gives no message is an input
/// that cannot be read ([`crate::error::ReadError::Mail`]).
pub use crate::error::MailError;
pub use crate::model::Origin;
use crate::read::open::sniff;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::borrow::Cow;
use std::io::{Cursor, Read};

/// At most this many workbooks are taken from one message; more is refused as hostile.
pub const MAX_ATTACHMENTS: usize = 200;
/// A workbook attachment larger than this is refused: a department's statistical workbook
/// is well under 1 MB, and this is the web upload's default limit (`serve --max-upload`).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// A mail file (`.eml`, `mbox`) larger than this is not read. Larger than a workbook's
/// limit: base64 makes an attachment a third larger, and a message with an attachment over
/// [`MAX_ATTACHMENT_BYTES`] must still be read to say which attachment it is. Reading one
/// costs about twice its size (the text and the decoded parts).
pub const MAX_MAIL_BYTES: u64 = 96 * 1024 * 1024;
/// Messages deeper than this (forwarded inside forwarded…) are not searched further.
const MAX_DEPTH: usize = 8;
/// A zip attachment's entries are inflated up to this many bytes each and in all.
const MAX_ZIP_ENTRY: u64 = MAX_ATTACHMENT_BYTES as u64;
const MAX_ZIP_TOTAL: u64 = 128 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 1000;

/// What kind of mail file some bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One message (`.eml`).
    Message,
    /// A mailbox of messages, each starting with a `From ` line.
    Mbox,
    /// An Outlook `.msg` file (a compound file with `__substg1.0_` streams).
    OutlookMsg,
    /// A TNEF `winmail.dat` saved on its own.
    Tnef,
}

/// Tells mail files from workbooks and everything else, by content.
pub fn kind(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(&TNEF_MAGIC) {
        return Some(Kind::Tnef);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return is_outlook_msg(bytes).then_some(Kind::OutlookMsg);
    }
    // A zip (xlsx, docx, ods) begins with a byte no header name has: no need to decode
    // its first 4 KB as text to know it is no message.
    if bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(b"From ") {
        return Some(Kind::Mbox);
    }
    looks_like_headers(head).then_some(Kind::Message)
}

const TNEF_MAGIC: [u8; 4] = [0x78, 0x9F, 0x3E, 0x22];

/// Whether a compound file is an Outlook message rather than an xls workbook.
fn is_outlook_msg(bytes: &[u8]) -> bool {
    let Ok(cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return false };
    let found = cf.walk().any(|e| e.name().starts_with("__substg1.0_"));
    found
}

/// A message begins with header fields (`Name: value`), one of them a field every mail
/// client writes. Workbooks (zip, compound files) never start like this.
/// Header bytes that are not UTF-8 (raw GBK from older clients) do not make it less a message.
fn looks_like_headers(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let mut known = 0;
    for line in text.lines().take(60) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else { return false };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if ["from", "to", "subject", "date", "message-id", "mime-version", "received", "return-path"]
            .contains(&name.as_str())
        {
            known += 1;
        }
    }
    known >= 2
}

/// A workbook taken from a message.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Its file name as the sender gave it (decoded), or `附件N.xlsx` when it has none.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A part that looks meant as a report but cannot be read (TNEF, broken zip, too large…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The attachment's name, where the problem is one attachment's.
    pub attachment: Option<String>,
    /// What is wrong, in Chinese, naming the attachment.
    pub message: String,
}

/// One message: who sent it, the workbooks in it, and what could not be taken and why.
#[derive(Debug, Clone)]
pub struct Mail {
    pub origin: Origin,
    pub attachments: Vec<Attachment>,
    pub problems: Vec<Problem>,
}

impl Mail {
    /// The `n`th piece of a mailbox (from 1) that is no message: named, not read. Its
    /// origin is empty (a message always has a sender, `未知发件人` at least).
    fn broken(n: usize) -> Mail {
        let message = format!(
            "邮箱中第 {n} 封邮件缺少邮件头（分隔行“From …”之后不是“发件人:”“主题:”等邮件头），未读取；其余邮件照常读取"
        );
        Mail {
            origin: Origin::default(),
            attachments: Vec::new(),
            problems: vec![Problem { attachment: None, message }],
        }
    }

    fn problem(&mut self, attachment: &str, message: String) {
        self.problems.push(Problem { attachment: Some(attachment.to_string()), message });
    }

    /// Why a message gives no workbook, when it gives none.
    pub fn why_empty(&self) -> Option<String> {
        if !self.attachments.is_empty() {
            return None;
        }
        Some(if self.problems.is_empty() {
            "邮件中没有工作簿附件".to_string()
        } else {
            self.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；")
        })
    }
}

/// Every message in a mail file (one for `.eml`, each of an `mbox`). A piece of a mailbox
/// that is no message is named in its place (its problem says which and why); the other
/// messages are read.
pub fn messages(bytes: &[u8]) -> Result<Vec<Mail>, MailError> {
    match kind(bytes) {
        Some(Kind::Message) => Ok(vec![message(bytes)?]),
        Some(Kind::Mbox) => {
            let out: Vec<Mail> = split_mbox(bytes)
                .iter()
                .enumerate()
                .map(|(i, raw)| match looks_like_headers(raw).then(|| message(raw)) {
                    Some(Ok(m)) => m,
                    _ => Mail::broken(i + 1),
                })
                .collect();
            if out.is_empty() {
                return Err(MailError::EmptyMbox);
            }
            // Not one message: no mailbox, only text that begins with `From `.
            if out.iter().all(|m| m.origin.sender.is_empty()) {
                return Err(MailError::NotMail);
            }
            Ok(out)
        }
        Some(Kind::OutlookMsg) => Err(MailError::OutlookMsg),
        Some(Kind::Tnef) => Err(MailError::Tnef),
        None => Err(MailError::NotMail),
    }
}

/// Whether a line starting `From ` separates two messages of a mailbox: `From <sender>
/// <date>` with a time and a year (`From MAILER-DAEMON Mon Jan 15 09:30:12 2024`,
/// Thunderbird's `From - Mon Jan 15 …`). A body line such as `From 2024 on, …` is not one:
/// mailboxes written without quoting (mboxo) keep such lines unescaped.
fn is_separator(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else { return false };
    let text = String::from_utf8_lossy(rest);
    let mut words = text.split_whitespace();
    let Some(_sender) = words.next() else { return false };
    let (mut time, mut year) = (false, false);
    for w in words {
        let b = w.as_bytes();
        time |= b.len() >= 5 && b[2] == b':' && b[..2].iter().chain(&b[3..5]).all(u8::is_ascii_digit);
        year |= b.len() == 4 && b.iter().all(u8::is_ascii_digit) && (b[0] == b'1' || b[0] == b'2');
    }
    time && year
}

/// The messages of an mbox: each begins after a separator line ([`is_separator`]); a
/// `>From ` line in a body is unquoted by one `>` (mboxrd), as mail clients write it. A
/// piece that does not begin with header fields follows a `From ` line that was body text
/// after all: it is joined back to the message before it. A message without such lines is
/// borrowed, not copied: a mailbox is read at about its own size.
fn split_mbox<'a>(bytes: &'a [u8]) -> Vec<Cow<'a, [u8]>> {
    // Each piece: where its separator line starts, and where its text starts.
    let mut pieces: Vec<(usize, Cow<'a, [u8]>)> = Vec::new();
    // The start of the current piece's separator and text, and its copy once a line had
    // to be unquoted.
    let mut current: Option<(usize, usize, Option<Vec<u8>>)> = None;
    let mut at = 0;
    let finish = |cur: Option<(usize, usize, Option<Vec<u8>>)>, end: usize, out: &mut Vec<(usize, Cow<'a, [u8]>)>| {
        if let Some((sep, start, copy)) = cur {
            out.push((
                sep,
                match copy {
                    Some(v) => Cow::Owned(v),
                    None => Cow::Borrowed(&bytes[start..end]),
                },
            ));
        }
    };
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let start = at;
        at += line.len();
        if is_separator(line) || (current.is_none() && line.starts_with(b"From ")) {
            finish(current.take(), start, &mut pieces);
            current = Some((start, at, None));
            continue;
        }
        let Some((_, msg_start, copy)) = current.as_mut() else { continue };
        let quoted = line.iter().position(|&b| b != b'>').filter(|&i| i > 0 && line[i..].starts_with(b"From "));
        match (quoted, copy.as_mut()) {
            (Some(_), None) => {
                let mut v = bytes[*msg_start..start].to_vec();
                v.extend_from_slice(&line[1..]);
                *copy = Some(v);
            }
            (Some(_), Some(v)) => v.extend_from_slice(&line[1..]),
            (None, Some(v)) => v.extend_from_slice(line),
            (None, None) => {}
        }
    }
    finish(current, bytes.len(), &mut pieces);
    let mut out: Vec<Cow<'a, [u8]>> = Vec::new();
    for (sep, text) in pieces {
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let (false, Some(last)) = (looks_like_headers(&text), out.last_mut()) {
            // The separator line, as it stood, and the text after it belong to the body.
            let line_end = memchr::memchr(b'\n', &bytes[sep..]).map_or(bytes.len(), |i| sep + i + 1);
            let joined = last.to_mut();
            joined.extend_from_slice(&bytes[sep..line_end]);
            joined.extend_from_slice(&text);
            continue;
        }
        out.push(text);
    }
    out
}

/// Parses one message and takes its workbooks.
pub fn message(bytes: &[u8]) -> Result<Mail, MailError> {
    let bytes = headers_as_utf8(bytes);
    let parsed = MessageParser::default().parse(&bytes[..]).ok_or(MailError::NotMail)?;
    if parsed.headers().is_empty() {
        return Err(MailError::NotMail);
    }
    let origin = origin(&parsed);
    let mut mail = Mail { origin, attachments: Vec::new(), problems: Vec::new() };
    let mut published = Vec::new();
    collect(&parsed, 0, &mut mail, &mut published);
    // A message with a workbook often carries its cover letter or the report's draft as a
    // PDF or Word document: only a message without one is taken as sending published reports.
    if mail.attachments.is_empty() {
        for (name, taken) in published {
            match taken {
                Ok(bytes) => mail.attachments.push(Attachment { name, bytes }),
                Err(message) => mail.problem(&name, message),
            }
        }
    }
    if mail.attachments.len() > MAX_ATTACHMENTS {
        // Counting stops past the limit: the message says "more than", not how many.
        mail.attachments.clear();
        mail.problems.push(Problem {
            attachment: None,
            message: format!("邮件附件过多（超过 {MAX_ATTACHMENTS} 个工作簿），未读取"),
        });
    }
    Ok(mail)
}

/// The message with every header line that is not UTF-8 decoded as GBK (GB18030) and
/// written as UTF-8: older Foxmail and web mail write names, subjects and attachment names
/// as raw 8-bit GBK, which mail-parser would read as UTF-8 and turn into `�`. Header lines
/// are the message's own, each MIME part's (after a `--boundary` line, up to the blank
/// line) and a forwarded message's (after a `message/rfc822` part's); bodies are left as
/// they are. A message that is UTF-8 throughout is not copied.
fn headers_as_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    if std::str::from_utf8(bytes).is_ok() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    let mut boundaries: Vec<Vec<u8>> = Vec::new();
    let mut in_headers = true;
    // The part being read is a forwarded message: its own headers follow the blank line.
    let mut forwarded = false;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if in_headers {
            if text.is_empty() {
                in_headers = std::mem::take(&mut forwarded);
            } else {
                if let Some(b) = boundary(text) {
                    boundaries.push(b);
                }
                forwarded |= memchr::memmem::find(&text.to_ascii_lowercase(), b"message/rfc822").is_some();
            }
            match std::str::from_utf8(line) {
                Ok(_) => out.extend_from_slice(line),
                Err(_) => out.extend_from_slice(encoding_rs::GB18030.decode_without_bom_handling(line).0.as_bytes()),
            }
            continue;
        }
        out.extend_from_slice(line);
        // `--boundary` opens a part (headers follow); `--boundary--` closes the multipart.
        if let Some(rest) = text.strip_prefix(b"--") {
            in_headers = boundaries.iter().any(|b| b.as_slice() == rest);
        }
    }
    Cow::Owned(out)
}

/// The `boundary=` parameter a header line declares, if any.
fn boundary(line: &[u8]) -> Option<Vec<u8>> {
    let lower = line.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"boundary=")? + b"boundary=".len();
    let value = &line[at..];
    let value = match value.strip_prefix(b"\"") {
        Some(q) => &q[..memchr::memchr(b'"', q).unwrap_or(q.len())],
        None => &value[..value.iter().position(|&b| b == b';' || b.is_ascii_whitespace()).unwrap_or(value.len())],
    };
    (!value.is_empty()).then(|| value.to_vec())
}

/// A header value taken from a message, made safe to write into another header: every
/// control character (C0 with CR and LF, DEL, C1) and line or paragraph separator, with
/// the blanks around it, becomes one space (blanks are collapsed and trimmed), so no decoded value can start a header line of
/// its own in the reply draft (`Subject: =?UTF-8?B?…?=` decoding to `x\r\nBcc: …`). Every
/// value [`Origin`] and attachment names hold passes through here.
pub fn header_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut gap = false;
    for c in raw.chars() {
        if c.is_control() || c.is_whitespace() || c == '\u{2028}' || c == '\u{2029}' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    out
}

fn origin(m: &mail_parser::Message<'_>) -> Origin {
    let from = m.from().and_then(|a| a.first());
    let name = from.and_then(|a| a.name()).map(header_value).filter(|s| !s.is_empty());
    let address = from.and_then(|a| a.address()).map(header_value).filter(|s| !s.is_empty());
    let sender = match (&name, &address) {
        (Some(n), Some(a)) => format!("{n} <{a}>"),
        (Some(n), None) => n.clone(),
        (None, Some(a)) => a.clone(),
        (None, None) => "未知发件人".to_string(),
    };
    let date = m.date().map(|d| {
        let sign = if d.tz_before_gmt { '-' } else { '+' };
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {sign}{:02}:{:02}",
            d.year, d.month, d.day, d.hour, d.minute, d.second, d.tz_hour, d.tz_minute
        )
    });
    let references = m
        .references()
        .as_text_list()
        .map(|l| l.iter().map(|s| header_value(s)).collect::<Vec<_>>())
        .or_else(|| m.references().as_text().map(|s| vec![header_value(s)]))
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    Origin {
        sender,
        address,
        name,
        date,
        timestamp: m.date().map(|d| d.to_timestamp()),
        subject: header_value(m.subject().unwrap_or("")),
        message_id: m.message_id().map(header_value).filter(|s| !s.is_empty()),
        references,
    }
}

/// A published report attached (web page, Word document, PDF), by its name: its bytes, or
/// why it is not taken (too large).
type PublishedPart = (String, Result<Vec<u8>, String>);

/// Walks every part (forwarded messages included, to a bounded depth) for workbooks, and
/// puts the published reports attached in `published`.
fn collect(m: &mail_parser::Message<'_>, depth: usize, mail: &mut Mail, published: &mut Vec<PublishedPart>) {
    for (i, part) in m.parts.iter().enumerate() {
        if mail.attachments.len() + published.len() > MAX_ATTACHMENTS {
            return;
        }
        match &part.body {
            PartType::Message(inner) => {
                if depth + 1 < MAX_DEPTH {
                    collect(inner, depth + 1, mail, published);
                }
            }
            PartType::Multipart(_) => {}
            PartType::Text(_) | PartType::Html(_) if part.attachment_name().is_none() => {}
            _ => {
                // The root part of a single-part message is its body, not an attachment,
                // unless it is itself a workbook.
                let raw_headers = m.raw_message().get(part.offset_header as usize..part.offset_body as usize);
                let declared = raw_headers
                    .and_then(rfc2231_name)
                    .or_else(|| part.attachment_name().map(str::to_string))
                    .map(|s| header_value(&s))
                    .filter(|s| !s.is_empty());
                take(declared, part.contents(), i, mail, published);
            }
        }
    }
}

/// Decides by content what one part is: a workbook, a zip of workbooks, TNEF, a published
/// report, or none of these.
fn take(declared: Option<String>, bytes: &[u8], index: usize, mail: &mut Mail, published: &mut Vec<PublishedPart>) {
    let label = declared.clone().unwrap_or_else(|| format!("附件{}", index));
    if bytes.starts_with(&TNEF_MAGIC) {
        mail.problem(&label, format!("附件 {label} 是 Outlook 的 winmail.dat（TNEF 格式），其中的工作簿无法读取：请发件人在 Outlook 中改用“HTML”或“纯文本”格式重新发送"));
        return;
    }
    let named_workbook = declared.as_deref().is_some_and(looks_like_workbook_name);
    // A zip of workbooks is opened whatever its size: its workbooks are bounded one by one.
    if bytes.len() > MAX_ATTACHMENT_BYTES && (named_workbook || sniff(bytes).is_ok()) {
        mail.problem(&label, too_large(&label, bytes.len()));
        return;
    }
    match sniff(bytes) {
        Ok(format) => {
            let name = declared.unwrap_or_else(|| format!("附件{}.{}", index, format.name()));
            mail.attachments.push(Attachment { name, bytes: bytes.to_vec() });
        }
        Err(_) => match published_kind(bytes).filter(|_| !named_workbook) {
            Some(ext) => {
                let name = declared.unwrap_or_else(|| format!("附件{index}.{ext}"));
                let taken = if bytes.len() > MAX_ATTACHMENT_BYTES {
                    Err(format!(
                        "附件 {name} 过大（{} MB），年度报告附件不应超过 {} MB，未读取",
                        bytes.len() / 1_048_576,
                        MAX_ATTACHMENT_BYTES / 1_048_576
                    ))
                } else {
                    Ok(bytes.to_vec())
                };
                published.push((name, taken));
            }
            None if bytes.starts_with(b"PK\x03\x04") => unzip(&label, bytes, mail),
            // Named as a workbook but not one: let the reader say why, naming the file.
            None if named_workbook => mail.attachments.push(Attachment { name: label, bytes: bytes.to_vec() }),
            None => {}
        },
    }
}

/// The extension of a published report these bytes are (web page, saved page, Word
/// document, PDF); a `.doc` is none: it reads as neither.
fn published_kind(bytes: &[u8]) -> Option<&'static str> {
    use crate::read::published::{detect, Kind};
    match detect(bytes)? {
        Kind::Html => Some("html"),
        Kind::Mht => Some("mht"),
        Kind::Docx => Some("docx"),
        Kind::Pdf => Some("pdf"),
        Kind::Doc => None,
    }
}

fn too_large(label: &str, len: usize) -> String {
    format!(
        "附件 {label} 过大（{} MB），统计表附件不应超过 {} MB，未读取：请删除多余的工作表、图片后另存再发送",
        len / 1_048_576,
        MAX_ATTACHMENT_BYTES / 1_048_576
    )
}

fn looks_like_workbook_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods", ".et"].iter().any(|e| lower.ends_with(e))
}

/// The workbooks inside a zip attachment, each bounded in size; names as `包.zip/表.xlsx`.
fn unzip(label: &str, bytes: &[u8], mail: &mut Mail) {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        mail.problem(label, format!("附件 {label} 是损坏的压缩包，无法打开"));
        return;
    };
    if zip.len() > MAX_ZIP_ENTRIES {
        mail.problem(label, format!("附件 {label} 中的文件过多（{} 个），未读取", zip.len()));
        return;
    }
    let mut total = 0u64;
    let before = mail.attachments.len();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else { continue };
        if entry.is_dir() {
            continue;
        }
        let entry_name = header_value(&zip_entry_name(&entry));
        let base = entry_name.rsplit('/').next().unwrap_or(&entry_name).to_string();
        if base.starts_with('.') || base.starts_with("~$") || entry_name.starts_with("__MACOSX/") {
            continue;
        }
        let mut buf = Vec::new();
        let budget = MAX_ZIP_ENTRY.min(MAX_ZIP_TOTAL.saturating_sub(total));
        let name = format!("{label}/{base}");
        match entry.take(budget + 1).read_to_end(&mut buf) {
            Ok(n) if (n as u64) > budget => {
                mail.problem(&name, format!("附件 {label} 中的 {base} 解压后过大，未读取"));
                return;
            }
            Ok(n) => total += n as u64,
            Err(_) => {
                mail.problem(&name, format!("附件 {label} 中的 {base} 已损坏，无法解压"));
                continue;
            }
        }
        if sniff(&buf).is_ok() {
            mail.attachments.push(Attachment { name, bytes: buf });
        }
    }
    if mail.attachments.len() == before {
        mail.problem(label, format!("压缩包 {label} 中没有工作簿"));
    }
}

/// A zip entry's name: UTF-8 where flagged, else the bytes as GBK (Windows zip tools in
/// China write names in the local code page).
fn zip_entry_name<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> String {
    let raw = entry.name_raw();
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GBK.decode(raw);
            text.into_owned()
        }
    }
}

/// An RFC 2231 name split over parameters (`filename*0*=UTF-8''%E6%B1…; filename*1*=…`),
/// decoded from all its octets at once: mail clients split names inside a multibyte
/// character, which decoding each piece alone turns into `�`.
fn rfc2231_name(raw_headers: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw_headers);
    // Unfold continuation lines.
    let unfolded = text.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    for param in ["filename", "name"] {
        let mut pieces: Vec<(u32, bool, String)> = Vec::new();
        for line in unfolded.lines() {
            let lower = line.to_ascii_lowercase();
            if !(lower.starts_with("content-disposition:") || lower.starts_with("content-type:")) {
                continue;
            }
            for p in line.split(';').skip(1) {
                let Some((key, value)) = p.split_once('=') else { continue };
                let key = key.trim().to_ascii_lowercase();
                let Some(rest) = key.strip_prefix(param).and_then(|r| r.strip_prefix('*')) else { continue };
                let (num, encoded) = match rest.strip_suffix('*') {
                    Some(n) => (n, true),
                    None => (rest, false),
                };
                let Ok(n) = num.parse::<u32>() else { continue };
                pieces.push((n, encoded, value.trim().trim_matches('"').to_string()));
            }
            if !pieces.is_empty() {
                break;
            }
        }
        if pieces.len() < 2 {
            continue;
        }
        pieces.sort_by_key(|p| p.0);
        let mut charset = "utf-8".to_string();
        let mut octets = Vec::new();
        for (i, (_, encoded, value)) in pieces.iter().enumerate() {
            let mut v = value.as_str();
            if i == 0 && *encoded {
                let mut parts = v.splitn(3, '\'');
                if let (Some(cs), Some(_lang), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
                    charset = cs.to_string();
                    v = rest;
                }
            }
            if *encoded {
                percent_decode(v, &mut octets);
            } else {
                octets.extend_from_slice(v.as_bytes());
            }
        }
        let enc = encoding_rs::Encoding::for_label(charset.as_bytes()).unwrap_or(encoding_rs::UTF_8);
        let (name, _, _) = enc.decode(&octets);
        return Some(name.trim().to_string());
    }
    None
}

fn percent_decode(s: &str, out: &mut Vec<u8>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_lose_every_control_character_and_separator() {
        assert_eq!(header_value("Re: x\r\nBcc: a@b"), "Re: x Bcc: a@b");
        assert_eq!(header_value("a\nb\u{7f}c\u{85}d\u{2028}e\u{2029}f\tg"), "a b c d e f g");
        assert_eq!(header_value("  张三  \r\n"), "张三");
        assert_eq!(header_value("\r\n"), "");
    }

    #[test]
    fn only_a_from_line_with_a_time_and_a_year_separates_messages() {
        assert!(is_separator(b"From MAILER-DAEMON Mon Jan 15 09:30:12 2024\n"));
        assert!(is_separator(b"From - Mon Jan 15 09:30:12 2024\r\n"));
        assert!(is_separator(b"From 1788@xxx Mon Jan 15 09:30:12 +0000 2024\n"));
        assert!(!is_separator(b"From 2024 on, the figures are final.\n"));
        assert!(!is_separator(b"From here at 09:30 we met.\n"));
        assert!(!is_separator(b">From a@b Mon Jan 15 09:30:12 2024\n"));
    }

    #[test]
    fn gbk_header_lines_become_utf8_and_bodies_stay() {
        let (name, _, _) = encoding_rs::GBK.encode("王五");
        let (body, _, _) = encoding_rs::GBK.encode("正文");
        let mut m = b"From: ".to_vec();
        m.extend_from_slice(&name);
        m.extend_from_slice(b" <w@x>\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nX-Name: ");
        m.extend_from_slice(&name);
        m.extend_from_slice(b"\r\n\r\n");
        m.extend_from_slice(&body);
        m.extend_from_slice(b"\r\n--B--\r\n");
        m.extend_from_slice(&body);
        let out = headers_as_utf8(&m);
        let mut expected =
            "From: 王五 <w@x>\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nX-Name: 王五\r\n\r\n"
                .as_bytes()
                .to_vec();
        expected.extend_from_slice(&body);
        expected.extend_from_slice(b"\r\n--B--\r\n");
        expected.extend_from_slice(&body);
        assert_eq!(out.as_ref(), expected.as_slice());
    }
}
