//! Workbooks that arrive by mail: a saved message (`.eml`) or mailbox (`mbox`) given where a
//! workbook is expected is opened, each attached workbook converted as an input of its own
//! named `<sender> - <attachment>`, and a reply draft written for every message to
//! `OUTDIR/回复/<来信时间> <来信人>.eml`. One loop over a message's workbooks
//! ([`each_attachment`]) and one naming rule serve `convert`, `batch` and `watch`.

use super::fsio::{free_name, io_message, sanitize, write_new, MAX_INPUT_BYTES};
use super::input::{part_name, take, Input, Job, Source, Taken};
use nianbao::convert::{Converted, Settings};
use nianbao::finding::{count, Severity};
use nianbao::read::mail::{self, Kind, Mail, MAX_MAIL_BYTES};
use nianbao::write::reply::{self, Compose, Item, Outcome};
use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Whether a file name is a saved message or mailbox to look for in a folder (`batch`,
/// `watch`): `.eml`, `.mbox`, and Outlook's `.msg`, which is named to say how to save it.
pub fn is_mail_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    !name.starts_with('.') && [".eml", ".mbox", ".msg"].iter().any(|e| lower.ends_with(e))
}

/// Reads an input as [`super::fsio::read_input`] does, but lets a saved message or mailbox
/// be larger than a workbook (up to [`MAX_MAIL_BYTES`]): a message with a 50 MB attachment
/// must be read to say which attachment is too large.
pub fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    let refused = match super::fsio::read_input(path) {
        Ok(b) => return Ok(b),
        Err(msg) => msg,
    };
    let Ok(meta) = std::fs::metadata(path) else { return Err(refused) };
    if !meta.is_file() || meta.len() <= MAX_INPUT_BYTES {
        return Err(refused);
    }
    let Ok(mut f) = std::fs::File::open(path) else { return Err(refused) };
    let mut head = Vec::new();
    if (&mut f).take(4096).read_to_end(&mut head).is_err()
        || !matches!(mail::kind(&head), Some(Kind::Message | Kind::Mbox))
    {
        return Err(refused);
    }
    if meta.len() > MAX_MAIL_BYTES {
        return Err(format!(
            "邮件文件过大（{} MB），超过 {} MB，未读取：请在邮件客户端中把统计表附件另存后直接转换",
            meta.len() / 1_048_576,
            MAX_MAIL_BYTES / 1_048_576
        ));
    }
    let mut bytes = head;
    f.take(MAX_MAIL_BYTES + 1 - bytes.len() as u64).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    Ok(bytes)
}

/// How a message is named where a tool reads it (`check --format json`, the summary's
/// 邮件文件): the mail file's name, and for a mailbox `#N`, the message's number from 1.
pub fn message_ref(file: &str, index: usize, of: usize) -> String {
    if of > 1 {
        format!("{file}#{}", index + 1)
    } else {
        file.to_string()
    }
}

/// How an attachment is named where a tool reads it: `信.eml#统计表.xlsx`,
/// `收件箱.mbox#2#统计表.xlsx`, `信.eml#表.zip/江源区.xlsx`.
pub fn attachment_id(message: &str, attachment: &str) -> String {
    format!("{message}#{attachment}")
}

/// Where a message is from, for messages to the user: `张三 <a@b.cn> 的邮件《主题》`.
/// A piece of a mailbox that is no message has no sender: `无法识别的邮件`.
pub fn described(m: &Mail) -> String {
    if m.origin.sender.is_empty() {
        return "无法识别的邮件".to_string();
    }
    format!("{} 的邮件《{}》", m.origin.sender, m.origin.subject)
}

/// What a failed conversion of an attachment says: a read failure names the attachment
/// as the message holds it and the message; any other failure what could not be made.
pub fn failure(e: nianbao::Error, attachment: &str, m: &Mail) -> String {
    if e.is_read() {
        format!("无法读取 {attachment}（{}）：{}", described(m), e.reason())
    } else {
        e.in_file(attachment).to_string()
    }
}

/// A name not used yet in `used` (compared without case), by [`free_name`]'s rule:
/// `name`, `name（2）`, …; the name is added to `used`.
pub fn unique(name: String, used: &mut HashSet<String>) -> String {
    free_name(&name, |c| !used.insert(c.to_lowercase()))
}

/// The output stem of a workbook taken from a message, `<来信人> - <附件>`, before
/// [`output_stem`] makes it distinct.
pub fn stem(m: &Mail, attachment: &str) -> String {
    let name = m.origin.input_name(attachment);
    let name = name.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or(name);
    sanitize(&name.replace('/', " "))
}

/// The output stem of a workbook taken from a message, for `convert`, `batch` and `watch`
/// alike: [`stem`], made distinct by [`free_name`] from every stem `taken` holds (three
/// messages of one sender each attaching `统计表.xlsx`, one message attaching two).
pub fn output_stem(m: &Mail, attachment: &str, taken: impl FnMut(&str) -> bool) -> String {
    free_name(&stem(m, attachment), taken)
}

/// The name of a message's reply draft, before it is made distinct: `<来信时间> <来信人>`.
fn reply_stem(m: &Mail) -> String {
    let when = m.origin.date.as_deref().map(|d| d.get(..16).unwrap_or(d).replace(':', "")).unwrap_or_default();
    let who = m.origin.name.as_deref().or(m.origin.address.as_deref()).unwrap_or("未知发件人");
    sanitize(format!("{when} {who}").trim())
}

/// What became of each attachment of one message, for the reply.
pub enum Done {
    Converted(Box<Converted>, Option<Vec<u8>>),
    Unreadable(String),
}

/// What became of one attachment, for the reply: each report it held (the annotated copy
/// with the first), or why it could not be read.
pub fn outcomes(attachment: &str, taken: Result<Taken, String>) -> Vec<(String, Done)> {
    match taken {
        Err(reason) => vec![(attachment.to_string(), Done::Unreadable(reason))],
        Ok(t) => {
            let mut annotated = t.annotated.ok().flatten();
            t.made
                .into_iter()
                .map(|m| (attachment.to_string(), Done::Converted(Box::new(m.c), annotated.take())))
                .collect()
        }
    }
}

/// Writes the reply draft of one message to `out/回复/<来信时间> <来信人>.eml`, the name
/// made distinct by [`free_name`] from the drafts written in this run (`used`) and from every
/// file already in the folder: a draft is never replaced, by this run or another process
/// (12 messages of one sender in one minute give 12 drafts). None for a message with no
/// sender address, which has no one to reply to.
pub fn write_reply(
    out: &Path,
    m: &Mail,
    done: &[(String, Done)],
    from: Option<&str>,
    s: &Settings,
    used: &mut HashSet<String>,
) -> Result<Option<PathBuf>, String> {
    if m.origin.address.is_none() {
        return Ok(None);
    }
    let items: Vec<Item<'_>> = done
        .iter()
        .map(|(name, d)| Item {
            name,
            outcome: match d {
                Done::Converted(c, ann) => Outcome::Converted {
                    report: &c.report,
                    findings: &c.findings,
                    docx: (count(&c.findings, Severity::Error) == 0).then_some(c.docx.as_slice()),
                    annotated: ann.as_deref(),
                },
                Done::Unreadable(msg) => Outcome::Unreadable(msg.clone()),
            },
        })
        .collect();
    let now = s.fixed_time.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    });
    let problems: Vec<String> = match m.why_empty() {
        Some(why) => vec![why],
        None => m.problems.iter().map(|p| p.message.clone()).collect(),
    };
    let eml = reply::reply(&m.origin, &items, &problems, &Compose { from, template: s.reply_template.as_deref(), now })
        .map_err(|e| e.to_string())?;
    let dir = out.join("回复");
    let base = reply_stem(m);
    loop {
        let name = free_name(&base, |c| used.contains(&c.to_lowercase()) || dir.join(format!("{c}.eml")).exists());
        used.insert(name.to_lowercase());
        let path = dir.join(format!("{name}.eml"));
        match write_new(&path, &eml) {
            Ok(()) => return Ok(Some(path)),
            // Written by another process since the name was chosen: the next name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("无法写入 {}：{}", path.display(), super::fsio::write_message(&e))),
        }
    }
}

/// What `batch` gives the mail files it finds: how to take an input, and the names taken
/// so far (output stems relative to OUTDIR, lower case, shared with the files; reply drafts).
pub struct Batch<'a> {
    pub job: &'a Job<'a>,
    pub from: Option<&'a str>,
    pub stems: &'a Mutex<HashSet<String>>,
    pub replies: HashSet<String>,
    /// Message-ID → the message first seen with it: one message saved twice (an `.eml` and
    /// in an exported mailbox) is taken once.
    pub seen: std::collections::HashMap<String, String>,
}

/// What one mail file came to in a batch: a line per row for the progress log, and whether
/// something nianbao had to write could not be written.
pub struct BatchDone {
    pub lines: Vec<String>,
    pub unwritable: bool,
}

/// Takes one mail file of a batch: every attachment converted into the folder mirroring
/// the mail file's, named `<来信人> - <附件>`, a summary row each (with the message's
/// particulars; a message's Date orders resubmissions, as a file's modification time does),
/// a row for a message without a workbook, and a reply draft per message in `OUTDIR/回复/`.
/// Run one mail file at a time, in the files' order: names and the order of resubmissions
/// are settled here.
pub fn batch(
    b: &mut Batch<'_>,
    input: &Path,
    rel: &Path,
    summary: &mut nianbao::summary::Summary,
    pdf: &mut Option<super::pdf::Pdf>,
) -> BatchDone {
    use super::fsio::{name_text, path_text};
    use nianbao::summary::MailInfo;
    let shown = path_text(rel);
    let mut done = BatchDone { lines: Vec::new(), unwritable: false };
    let path = input.join(rel);
    let bytes = match read_input(&path) {
        Ok(b) => b,
        Err(msg) => {
            let msg = format!("无法读取 {shown}：{msg}");
            summary.add_unreadable(shown, String::new(), msg.clone());
            done.lines.push(msg);
            return done;
        }
    };
    let msgs = match mail::messages(&bytes) {
        Ok(m) => m,
        Err(e) => {
            let msg = format!("无法读取 {shown}：{e}");
            summary.add_unreadable(shown, nianbao::read::sha256_hex(&bytes), msg.clone());
            done.lines.push(msg);
            return done;
        }
    };
    drop(bytes);
    let mtime = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    let parent = rel.parent().unwrap_or(Path::new(""));
    let parent_text = path_text(parent);
    let parent_out: PathBuf = parent.components().map(|c| sanitize(&name_text(c.as_os_str()))).collect();
    let file_name = rel.file_name().map(name_text).unwrap_or_default();
    let in_folder =
        |name: &str| if parent_text.is_empty() { name.to_string() } else { format!("{parent_text}/{name}") };
    for (i, m) in msgs.iter().enumerate() {
        let message = message_ref(&file_name, i, msgs.len());
        let info = |attachment: Option<&str>| {
            MailInfo::of(&m.origin, shown.clone(), i + 1, msgs.len(), attachment.map(str::to_string))
        };
        if let Some(id) = &m.origin.message_id {
            if let Some(first) = b.seen.get(id) {
                let why = format!("与 {first} 是同一封邮件（Message-ID 相同），未重复处理");
                done.lines.push(format!("跳过 {}：{why}", in_folder(&message)));
                summary.add_skipped(in_folder(&m.origin.input_name(&message)), why);
                summary.set_mail(info(None));
                continue;
            }
            b.seen.insert(id.clone(), in_folder(&message));
        }
        let when = m
            .origin
            .timestamp
            .and_then(|t| u64::try_from(t).ok())
            .map(|t| std::time::UNIX_EPOCH + std::time::Duration::from_secs(t))
            .or(mtime);
        if let (true, Some(why)) = (m.problems.is_empty(), m.why_empty()) {
            let msg = format!("{}（{}）：{why}", in_folder(&message), described(m));
            summary.add_unreadable(in_folder(&m.origin.input_name(&message)), String::new(), msg.clone());
            summary.set_mail(info(None));
            done.lines.push(msg);
        }
        // Each attachment that cannot be taken is a row of its own, named as it would be.
        for p in &m.problems {
            let file = p.attachment.as_deref().map_or(message.clone(), |a| attachment_id(&message, a));
            let msg = format!("{}（{}）：{}", in_folder(&file), described(m), p.message);
            let name = p.attachment.as_deref().unwrap_or(&message);
            summary.add_unreadable(in_folder(&m.origin.input_name(name)), String::new(), msg.clone());
            summary.set_mail(info(p.attachment.as_deref()));
            done.lines.push(msg);
        }
        let mut results = Vec::with_capacity(m.attachments.len());
        for a in &m.attachments {
            // The output stem, never one taken by another input or attachment.
            let free = |wanted: &str| {
                let mut stems = b.stems.lock().unwrap_or_else(|p| p.into_inner());
                free_name(wanted, |c| !stems.insert(c.to_lowercase()))
            };
            let base = free(&parent_out.join(stem(m, &a.name)).to_string_lossy());
            let st = Path::new(&base).file_name().map(name_text).unwrap_or_default();
            let ext = a.name.rsplit_once('.').map(|(_, e)| format!(".{e}")).unwrap_or_default();
            let row = in_folder(&format!("{st}{ext}"));
            let input = Input { name: row.clone(), bytes: &a.bytes, source: Source::Mail(m) };
            let taken = match take(&input, b.job, &base, &free) {
                Ok(t) => t,
                Err(e) => {
                    let reason = e.reason();
                    let msg = failure(e, &in_folder(&attachment_id(&message, &a.name)), m);
                    summary.add_unreadable(row, nianbao::read::sha256_hex(&a.bytes), msg.clone());
                    summary.set_mail(info(Some(&a.name)));
                    done.lines.push(msg);
                    results.push((a.name.clone(), Done::Unreadable(reason)));
                    continue;
                }
            };
            taken.queue_pdf(pdf);
            if let Err(msg) = &taken.annotated {
                done.lines.push(msg.clone());
            }
            let of = taken.made.len();
            for (i, made) in taken.made.iter().enumerate() {
                let c = &made.c;
                let (e, w) = (count(&c.findings, Severity::Error), count(&c.findings, Severity::Warning));
                let row = match made.stem.strip_prefix(&base).filter(|_| of > 1) {
                    Some(agency) => part_name(&row, agency),
                    None => row.clone(),
                };
                let entry = nianbao::summary::Entry::of(row.clone(), &c.report, c.findings.clone(), made.refused);
                summary.add(entry.part(i, of), when);
                summary.set_mail(info(Some(&a.name)));
                let line = match &made.written {
                    _ if made.refused => format!("{row}：有问题，未生成（{e} 个错误，{w} 个警告）"),
                    Some(Err(msg)) => {
                        summary.mark_unwritable(msg.clone());
                        msg.clone()
                    }
                    _ => format!("{row}：已转换（{e} 个错误，{w} 个警告）"),
                };
                done.lines.push(line);
            }
            results.extend(outcomes(&a.name, Ok(taken)));
        }
        match write_reply(b.job.out.unwrap_or(Path::new(".")), m, &results, b.from, b.job.settings, &mut b.replies) {
            Ok(Some(p)) => done.lines.push(format!("{}：回复草稿 → {}", in_folder(&message), p.display())),
            Ok(None) => {}
            Err(msg) => {
                done.unwritable = true;
                done.lines.push(msg);
            }
        }
    }
    done
}
