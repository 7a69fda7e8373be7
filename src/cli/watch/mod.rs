//! `nianbao watch`: a drop folder converted unattended. A file is touched only once it has
//! stopped changing, claimed by renaming it into `.processing/`, and moved to `done/` or
//! `failed/` only after its outputs are in place, so a kill at any moment loses nothing.

use super::batch::is_input_name;
use super::convert::settings;
use super::fsio::{
    is_special, name_text, printable, remove_stale_temporaries, safe_stem, write_atomic, write_message, write_outputs,
    Durability, Lock, NOT_REGULAR,
};
use super::signal;
use super::{ReadArgs, EXIT_OK, EXIT_UNREADABLE};
use anyhow::Context as _;
use nianbao::convert::{no_previous, Settings};
use nianbao::finding::{Finding, Severity};
use nianbao::read::sha256_hex;
use notify::{RecursiveMode, Watcher};
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

mod claim;
mod scan;

pub struct Args<'a> {
    pub inbox: &'a Path,
    pub out: &'a Path,
    pub poll: Option<f64>,
    pub once: bool,
    pub settle: f64,
    pub templates: Option<&'a Path>,
    pub pdf: bool,
    pub read: &'a ReadArgs,
    /// The From line of reply drafts to mailed workbooks.
    pub from: Option<&'a str>,
}

const PROCESSING: &str = ".processing";
const DONE: &str = "done";
const FAILED: &str = "failed";
/// Hashes of converted content, one `sha256<TAB>output stem` a line, in OUTDIR.
const SEEN: &str = ".nianbao-seen.tsv";
/// The agency and year of each converted report and where its outputs and note are, one
/// `agency<TAB>year<TAB>output stem<TAB>note in failed/ (or empty)` a line, in OUTDIR; the
/// last line of an agency and year wins. A resubmission replaces what it lists.
const AGENCIES: &str = ".nianbao-agencies.tsv";
/// Where a resubmission's previous outputs go, time-stamped, in OUTDIR.
const OLD: &str = "旧版";
/// The lock that lets one watcher at a time work an inbox, in INBOX.
const INBOX_LOCK: &str = ".nianbao-watch.lock";
/// The lock held in OUTDIR while a watcher picks output names and writes (several
/// watchers of different inboxes may share an output folder).
const OUT_LOCK: &str = ".nianbao-watch-out.lock";
/// The rescan that catches what events missed, when events are used.
const RESCAN: Duration = Duration::from_secs(30);
/// The first wait before retrying a file whose outputs could not be written; doubled
/// after each failure up to `RETRY_MAX`.
const RETRY_FIRST: Duration = Duration::from_secs(5);
const RETRY_MAX: Duration = Duration::from_secs(300);
/// Why a link to a folder in the inbox is left where it is.
const LINK_TO_FOLDER: &str = "这是指向文件夹的链接，不是工作簿；请把其中的工作簿本身放入收件文件夹";
/// Longest file name most file systems take, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// The folder's state between scans.
struct Watch<'a> {
    inbox: PathBuf,
    out: PathBuf,
    settings: Settings,
    /// (size, mtime) of each candidate and since when it has been unchanged.
    pending: HashMap<PathBuf, (u64, Option<SystemTime>, Instant)>,
    seen: HashMap<String, String>,
    /// Output stem → the hash of the content its outputs now hold (the seen file's last line
    /// for it): content seen before whose outputs a resubmission has since replaced is
    /// converted again, not called a duplicate of what is no longer there.
    current: HashMap<String, String>,
    /// Length of the seen file when last read: reread when another watcher appended to it.
    seen_len: u64,
    /// (agency, year) → (output stem, note in failed/).
    agencies: HashMap<(String, i32), (String, String)>,
    /// (agency, year) → the Date (seconds since 1970) of the message whose report is the
    /// current one, when it came by mail: an earlier message does not replace it.
    mail_dates: HashMap<(String, i32), i64>,
    settle: Duration,
    /// Claimed files whose outputs could not be written: when to retry, and the wait after.
    retry: HashMap<PathBuf, (Instant, Duration)>,
    /// Files whose outputs could not be written in this run.
    unwritten: usize,
    /// Special files (FIFOs, devices) already reported, so each is logged once.
    reported: HashSet<PathBuf>,
    _inbox_lock: &'a Lock,
    /// `--pdf`: the reports of a sweep, converted together at its end.
    pdf: Option<super::pdf::Pdf>,
    /// The From line of reply drafts (`--from`).
    from: Option<String>,
}

/// A report's agency and year, its output stem and, for one that came by mail, the
/// message's Date: what `.nianbao-agencies.tsv` keeps.
struct Record {
    agency: String,
    year: i32,
    stem: String,
    date: Option<i64>,
}

/// `YYYY-MM-DD HH:MM:SS +08:00`, local time with its offset, for log lines.
pub fn utc_now() -> String {
    super::clock::now_text()
}

/// `YYYYMMDD-HHMMSS` (UTC) for the names of superseded outputs: no `:`, valid on Windows.
fn stamp() -> String {
    let t: String = utc_now().chars().filter(char::is_ascii_digit).collect();
    format!("{}-{}", t.get(..8).unwrap_or(""), t.get(8..14).unwrap_or(""))
}

/// A path in `dir` for `name` that is not taken yet: `a.xlsx`, `a（2）.xlsx`, … The name
/// is kept as the system gave it (not UTF-8 ones too) when it is free.
fn free_path(dir: &Path, os_name: &OsStr) -> PathBuf {
    // A dangling link is a name taken too: `exists` follows links, and would let it be replaced.
    let free = |p: &Path| fs::symlink_metadata(p).is_err();
    let p = dir.join(os_name);
    if free(&p) {
        return p;
    }
    let name = name_text(os_name);
    let name = name.as_str();
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..).map(|n| dir.join(format!("{stem}（{n}）{ext}"))).find(|p| free(p)).unwrap_or(p)
}

/// A path with `..` and links resolved; for a folder not yet made, its parent's.
fn resolve(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolve(parent).join(name),
        (_, Some(name)) => std::env::current_dir().map(|d| d.join(name)).unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

/// Seconds from the command line: finite and within `range`, or a clear message.
fn seconds(option: &str, v: f64, range: std::ops::RangeInclusive<f64>) -> anyhow::Result<Duration> {
    if !v.is_finite() || !range.contains(&v) {
        anyhow::bail!("{option} {v} 超出范围：应为 {} 到 {} 之间的秒数", range.start(), range.end());
    }
    Ok(Duration::from_secs_f64(v))
}

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    signal::install();
    signal::ignore_sigpipe();
    let settle = seconds("--settle", a.settle, 0.0..=86_400.0)?;
    let poll = a.poll.map(|p| seconds("--poll", p, 0.1..=86_400.0)).transpose()?;
    if !a.inbox.is_dir() {
        anyhow::bail!("收件文件夹 {} 不存在或不是文件夹", a.inbox.display());
    }
    // Outputs written where the watcher claims files would be claimed as new inputs, or
    // replace the department's files in done/.
    let inbox = resolve(a.inbox);
    let out = resolve(a.out);
    if out == inbox || [PROCESSING, DONE, FAILED].iter().any(|d| out.starts_with(inbox.join(d))) {
        anyhow::bail!(
            "输出文件夹 {} 不能是收件文件夹 {} 本身或其中的 {PROCESSING}、{DONE}、{FAILED}：请另选输出文件夹（如 {}）",
            a.out.display(),
            a.inbox.display(),
            a.inbox.join("输出").display()
        );
    }
    let settings = settings(a.read, a.templates)?;
    let lock_path = a.inbox.join(INBOX_LOCK);
    let lock = match Lock::try_take(&lock_path).with_context(|| format!("无法创建锁文件 {}", lock_path.display()))?
    {
        Some(l) => l,
        None if a.once => {
            eprintln!("另一个 nianbao watch 正在处理此文件夹（{}），本次不处理", a.inbox.display());
            return Ok(EXIT_OK);
        }
        None => {
            eprintln!("{} 另一个 nianbao watch 正在处理此文件夹（{}），等它结束后开始", utc_now(), a.inbox.display());
            loop {
                if signal::stopped() {
                    return Ok(EXIT_OK);
                }
                std::thread::sleep(Duration::from_millis(500));
                if let Some(l) = Lock::try_take(&lock_path)? {
                    break l;
                }
            }
        }
    };
    for d in [PROCESSING, DONE, FAILED] {
        fs::create_dir_all(a.inbox.join(d)).with_context(|| format!("无法创建 {}", a.inbox.join(d).display()))?;
    }
    fs::create_dir_all(a.out).with_context(|| format!("无法创建输出文件夹 {}", a.out.display()))?;
    // Temporaries a killed run left in the output folder; a running nianbao's stay.
    remove_stale_temporaries(a.out);

    let mut w = Watch {
        inbox: a.inbox.to_path_buf(),
        out: a.out.to_path_buf(),
        settings,
        pending: HashMap::new(),
        seen: HashMap::new(),
        current: HashMap::new(),
        seen_len: 0,
        agencies: HashMap::new(),
        mail_dates: HashMap::new(),
        settle,
        retry: HashMap::new(),
        unwritten: 0,
        reported: HashSet::new(),
        _inbox_lock: &lock,
        pdf: super::pdf::Pdf::when(a.pdf, Durability::Now)?,
        from: a.from.map(str::to_string),
    };
    w.load_seen();
    w.load_agencies();
    w.recover();

    if a.once {
        // Wait until what is there has settled, then process it all.
        let deadline = Instant::now() + w.settle * 4 + Duration::from_secs(2);
        loop {
            w.sweep();
            if w.candidates().is_empty() || Instant::now() > deadline || signal::stopped() {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        if w.unwritten > 0 {
            eprintln!(
                "{} 个文件的输出无法写入，已留在 {}，下次运行时重试",
                w.retry.len(),
                a.inbox.join(PROCESSING).display()
            );
            return Ok(EXIT_UNREADABLE);
        }
        return Ok(EXIT_OK);
    }

    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = None;
    if poll.is_none() {
        match notify::recommended_watcher(move |_res| {
            let _ = tx.send(());
        }) {
            Ok(mut wt) => {
                if wt.watch(a.inbox, RecursiveMode::NonRecursive).is_ok() {
                    watcher = Some(wt);
                }
            }
            Err(e) => eprintln!("{} 无法监听文件夹事件（{e}），改为定时扫描", utc_now()),
        }
    }
    let poll = poll.unwrap_or(Duration::from_secs(2));
    let tick = Duration::from_millis(250);
    let mut last_scan = Instant::now() - RESCAN;
    eprintln!("{} 开始监视 {}，输出到 {}", utc_now(), a.inbox.display(), a.out.display());
    while !signal::stopped() {
        let event = rx.recv_timeout(tick).is_ok();
        while rx.try_recv().is_ok() {}
        let interval = if watcher.is_some() { RESCAN } else { poll };
        // Pending files are rechecked every tick until they settle.
        if event || !w.pending.is_empty() || last_scan.elapsed() >= interval {
            w.sweep();
            last_scan = Instant::now();
        }
        w.retry_due();
    }
    eprintln!("{} 已停止", utc_now());
    Ok(EXIT_OK)
}
