//! `nianbao watch`: a drop folder converted unattended. A file is touched only once it has
//! stopped changing, claimed by renaming it into `.processing/`, and moved to `done/` or
//! `failed/` only after its outputs are in place, so a kill at any moment loses nothing.

use super::batch::is_workbook_name;
use super::convert::settings;
use super::fsio::{
    is_special, name_text, printable, read_input, remove_stale_temporaries, safe_stem, write_atomic, write_message,
    write_outputs, written_by_nianbao, Durability, Lock, NOT_REGULAR,
};
use super::signal;
use super::{ReadArgs, EXIT_OK, EXIT_UNREADABLE};
use anyhow::Context as _;
use nianbao::convert::{convert, no_previous, Settings};
use nianbao::finding::{Finding, Severity};
use nianbao::read::sha256_hex;
use notify::{RecursiveMode, Watcher};
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

pub struct Args<'a> {
    pub inbox: &'a Path,
    pub out: &'a Path,
    pub poll: Option<f64>,
    pub once: bool,
    pub settle: f64,
    pub templates: Option<&'a Path>,
    pub pdf: bool,
    pub read: &'a ReadArgs,
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
    /// Length of the seen file when last read: reread when another watcher appended to it.
    seen_len: u64,
    /// (agency, year) → (output stem, note in failed/).
    agencies: HashMap<(String, i32), (String, String)>,
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
}

/// What converting a claimed file came to.
struct Outcome {
    /// The log line's result.
    log: String,
    /// Converted without error findings (to done/), or not (to failed/ with `note`).
    ok: bool,
    note: String,
    /// The outputs could not be written: the file stays claimed and is retried.
    retry: bool,
    /// The report's agency and year and its output stem, to record after the note.
    record: Option<(String, i32, String)>,
}

impl Outcome {
    fn failed(log: String, note: String) -> Outcome {
        Outcome { log, ok: false, note, retry: false, record: None }
    }
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
    let p = dir.join(os_name);
    if !p.exists() {
        return p;
    }
    let name = name_text(os_name);
    let name = name.as_str();
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..).map(|n| dir.join(format!("{stem}（{n}）{ext}"))).find(|p| !p.exists()).unwrap_or(p)
}

impl Watch<'_> {
    fn load_seen(&mut self) {
        if let Ok(text) = fs::read_to_string(self.out.join(SEEN)) {
            for line in text.lines() {
                if let Some((h, stem)) = line.split_once('\t') {
                    self.seen.insert(h.to_string(), stem.to_string());
                }
            }
        }
    }

    fn record_seen(&mut self, hash: &str, stem: &str) -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new().create(true).append(true).open(self.out.join(SEEN))?;
        f.write_all(format!("{hash}\t{stem}\n").as_bytes())?;
        f.sync_all()?;
        self.seen.insert(hash.to_string(), stem.to_string());
        Ok(())
    }

    /// Rereads the seen file if another watcher sharing OUTDIR appended to it.
    fn reload_seen(&mut self) {
        let len = fs::metadata(self.out.join(SEEN)).map(|m| m.len()).unwrap_or(0);
        if len != self.seen_len {
            self.load_seen();
        }
    }

    fn load_agencies(&mut self) {
        if let Ok(text) = fs::read_to_string(self.out.join(AGENCIES)) {
            for line in text.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                if let [agency, year, stem, note] = f[..] {
                    if let Ok(y) = year.parse() {
                        self.agencies.insert((agency.to_string(), y), (stem.to_string(), note.to_string()));
                    }
                }
            }
        }
    }

    fn record_agency(&mut self, agency: &str, year: i32, stem: &str, note: &str) -> std::io::Result<()> {
        // Tabs and line breaks in an agency name would break the record's line.
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let mut f = fs::OpenOptions::new().create(true).append(true).open(self.out.join(AGENCIES))?;
        f.write_all(format!("{}\t{year}\t{}\t{}\n", clean(agency), clean(stem), clean(note)).as_bytes())?;
        f.sync_all()?;
        self.agencies.insert((clean(agency), year), (clean(stem), clean(note)));
        Ok(())
    }

    /// Candidates in the inbox, top level only. FIFOs and devices with a workbook's name
    /// (or links to them) are logged once and left alone: opening one would block.
    fn candidates(&mut self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.inbox) else { return Vec::new() };
        let mut v = Vec::new();
        for e in entries.flatten() {
            let name = name_text(&e.file_name());
            if !is_workbook_name(&name) || name.starts_with(".~lock") {
                continue;
            }
            let Ok(t) = e.file_type() else { continue };
            if t.is_file() {
                v.push(e.path());
            } else if !t.is_dir() && is_special(&e.path()) && self.reported.insert(e.path()) {
                signal::say(&format!("{}\t{}\t跳过：{NOT_REGULAR}", utc_now(), printable(&name)));
            }
        }
        v.sort();
        v
    }

    /// Files whose size and modification time have not changed for `settle`.
    fn stable(&mut self) -> Vec<PathBuf> {
        let now = Instant::now();
        let mut ready = Vec::new();
        let current: HashSet<PathBuf> = self.candidates().into_iter().collect();
        self.pending.retain(|p, _| current.contains(p));
        for p in current {
            let Ok(meta) = fs::metadata(&p) else { continue };
            let sig = (meta.len(), meta.modified().ok());
            match self.pending.get(&p) {
                Some(&(len, mtime, since)) if (len, mtime) == sig => {
                    if now.duration_since(since) >= self.settle {
                        ready.push(p);
                    }
                }
                _ => {
                    // A file last modified longer ago than `settle` has already settled.
                    let old = sig.1.and_then(|m| m.elapsed().ok()).is_some_and(|age| age >= self.settle);
                    if old && !self.pending.contains_key(&p) {
                        ready.push(p);
                    } else {
                        self.pending.insert(p, (sig.0, sig.1, now));
                    }
                }
            }
        }
        ready.sort();
        ready
    }

    /// Claims a file by renaming it into `.processing/`, then converts it.
    fn claim_and_process(&mut self, path: &Path) {
        let Some(name) = path.file_name() else { return };
        let target = free_path(&self.inbox.join(PROCESSING), name);
        if fs::rename(path, &target).is_err() {
            // Gone or locked by its writer: it is seen again at the next scan.
            return;
        }
        self.pending.remove(path);
        self.process(&target);
    }

    /// Converts a claimed file and moves it on. Safe to repeat after a crash. When its
    /// outputs cannot be written (a full disk, a read-only folder) the file is not the
    /// department's fault: it stays claimed and is retried later.
    fn process(&mut self, claimed: &Path) {
        let started = Instant::now();
        let os_name = claimed.file_name().unwrap_or_default().to_os_string();
        let name = name_text(&os_name);
        let o = match read_input(claimed) {
            Err(msg) => {
                let e = super::fsio::unreadable(&name, msg);
                Outcome::failed(e.brief(), format!("{e}\n"))
            }
            Ok(bytes) if written_by_nianbao(&bytes) => Outcome {
                log: "这是 nianbao 生成的归档工作簿或汇总表，不作为输入，已放入 done/".into(),
                ok: true,
                note: String::new(),
                retry: false,
                record: None,
            },
            Ok(bytes) => self.convert_bytes(&bytes, &name, claimed),
        };
        let elapsed = started.elapsed().as_millis();
        if o.retry {
            let wait = self.retry.get(claimed).map_or(RETRY_FIRST, |&(_, w)| (w * 2).min(RETRY_MAX));
            self.retry.insert(claimed.to_path_buf(), (Instant::now() + wait, wait));
            self.unwritten += 1;
            signal::say(&format!(
                "{}\t{}\t{}；文件留在 {PROCESSING}/，{} 秒后重试\t{elapsed} ms",
                utc_now(),
                printable(&name),
                printable(&o.log),
                wait.as_secs()
            ));
            return;
        }
        self.retry.remove(claimed);
        let dest_dir = self.inbox.join(if o.ok { DONE } else { FAILED });
        let dest = free_path(&dest_dir, &os_name);
        let mut note_name = String::new();
        if !o.ok {
            let txt = note_path(&dest);
            note_name = txt.file_name().map(name_text).unwrap_or_default();
            if let Err(e) = write_atomic(&txt, o.note.as_bytes()) {
                eprintln!("{} 无法写入 {}：{}", utc_now(), txt.display(), write_message(&e));
                note_name.clear();
            } else if !note_name.starts_with(&name_text(dest.file_name().unwrap_or_default())) {
                // A shortened note: the log line links the file and its note.
                signal::say(&format!(
                    "{}\t{}\t说明见 {}",
                    utc_now(),
                    printable(&name),
                    printable(&txt.display().to_string())
                ));
            }
        }
        if let Some((agency, year, stem)) = &o.record {
            if let Err(e) = self.record_agency(agency, *year, stem, &note_name) {
                eprintln!("{} 无法记录已转换的机关和年度：{}", utc_now(), write_message(&e));
            }
        }
        if let Err(e) = fs::rename(claimed, &dest) {
            eprintln!("{} 无法移动 {} 到 {}：{e}", utc_now(), printable(&name), dest_dir.display());
        }
        signal::say(&format!("{}\t{}\t{}\t{elapsed} ms", utc_now(), printable(&name), printable(&o.log)));
    }

    fn convert_bytes(&mut self, bytes: &[u8], name: &str, claimed: &Path) -> Outcome {
        let hash = sha256_hex(bytes);
        self.reload_seen();
        if let Some(stem) = self.seen.get(&hash) {
            return Outcome {
                log: format!("内容与已转换的“{stem}”相同，未重复转换"),
                ok: true,
                note: String::new(),
                retry: false,
                record: None,
            };
        }
        let c = match convert(bytes, name, &no_previous, &self.settings) {
            Ok(c) => c,
            Err(e) => return Outcome::failed(e.brief(), format!("{e}\n")),
        };
        // One watcher at a time picks names and writes in OUTDIR; what another wrote since
        // is read first.
        let lock = match Lock::wait(&self.out.join(OUT_LOCK)) {
            Ok(l) => l,
            Err(e) => return self.unwritable(&e),
        };
        self.reload_seen();
        self.load_agencies();
        let key = c.report.agency.value.clone().zip(c.report.year.value);
        // A resubmission (same agency and year) takes the previous outputs' name; they move
        // to 旧版/ with a time stamp, and its stale note in failed/ goes.
        let previous = key.as_ref().and_then(|k| self.agencies.get(k).cloned());
        let stem = match &previous {
            Some((stem, _)) => stem.clone(),
            None => {
                let stem = safe_stem(claimed);
                // A name taken by other content gets a suffix; the same content keeps its name.
                let taken: HashSet<&String> = self.seen.values().collect();
                (1..)
                    .map(|n| if n == 1 { stem.clone() } else { format!("{stem}（{n}）") })
                    .find(|s| !taken.contains(s))
                    .unwrap_or(stem)
            }
        };
        let mut replaced = false;
        if previous.is_some() {
            match self.move_to_old(&stem) {
                Ok(moved) => replaced = moved,
                Err(e) => return self.unwritable(&e),
            }
        }
        if let Err(e) = write_outputs(&self.out, &stem, &c, Durability::Now) {
            return self.unwritable(&e);
        }
        if let Some(p) = &mut self.pdf {
            p.add(self.out.join(format!("{stem}.docx")));
        }
        if let Err(e) = self.record_seen(&hash, &stem) {
            eprintln!("{} 无法记录已转换文件：{}", utc_now(), write_message(&e));
        }
        drop(lock);
        if let Some((_, note)) = previous.as_ref().filter(|(_, n)| !n.is_empty()) {
            let _ = fs::remove_file(self.inbox.join(FAILED).join(note));
        }
        let record = key.map(|(a, y)| (a, y, stem.clone()));
        let again = if replaced {
            format!("（同一机关同一年度的新版本，旧的输出已移到 {OLD}/）")
        } else {
            String::new()
        };
        let errors: Vec<&Finding> = c.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        if errors.is_empty() {
            Outcome {
                log: format!("已转换为 {stem}.docx、{stem}.xlsx{again}"),
                ok: true,
                note: String::new(),
                retry: false,
                record,
            }
        } else {
            let mut note =
                format!("{name} 有 {} 个错误（报告已生成为 {stem}.docx，请改正后重新提交）：\n", errors.len());
            for f in &errors {
                note.push_str(&format!("{f}\n"));
            }
            Outcome {
                log: format!("有 {} 个错误，已生成报告{again}", errors.len()),
                ok: false,
                note,
                retry: false,
                record,
            }
        }
    }

    /// An output failure: nianbao's problem, the file is retried.
    fn unwritable(&self, e: &std::io::Error) -> Outcome {
        Outcome {
            log: format!("无法写入输出（{}）：{}", self.out.display(), write_message(e)),
            ok: false,
            note: String::new(),
            retry: true,
            record: None,
        }
    }

    /// Moves `stem.docx` and `stem.xlsx` to `旧版/stem.<time>.docx` …; whether any was there.
    fn move_to_old(&self, stem: &str) -> std::io::Result<bool> {
        let old = self.out.join(OLD);
        let t = stamp();
        let mut moved = false;
        for ext in ["docx", "xlsx"] {
            let from = self.out.join(format!("{stem}.{ext}"));
            if from.exists() {
                fs::create_dir_all(&old)?;
                let to = free_path(&old, OsStr::new(&format!("{stem}.{t}.{ext}")));
                fs::rename(&from, &to)?;
                moved = true;
            }
        }
        Ok(moved)
    }

    /// Retries the claimed files whose wait is over.
    fn retry_due(&mut self) {
        let now = Instant::now();
        let mut due: Vec<PathBuf> =
            self.retry.iter().filter(|(_, (at, _))| *at <= now).map(|(p, _)| p.clone()).collect();
        due.sort();
        for p in due {
            if signal::stopped() {
                return;
            }
            if p.exists() {
                self.process(&p);
            } else {
                self.retry.remove(&p);
            }
        }
    }

    /// Finishes what a killed run left in `.processing/`.
    fn recover(&mut self) {
        let dir = self.inbox.join(PROCESSING);
        let Ok(entries) = fs::read_dir(&dir) else { return };
        remove_stale_temporaries(&dir);
        let mut left: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()) && !name_text(&e.file_name()).starts_with('.'))
            .map(|e| e.path())
            .collect();
        left.sort();
        for p in left {
            if signal::stopped() {
                return;
            }
            self.process(&p);
        }
        self.flush_pdf();
    }

    /// Processes every stable file; returns how many.
    fn sweep(&mut self) -> usize {
        let ready = self.stable();
        let mut n = 0;
        for p in ready {
            if signal::stopped() {
                break;
            }
            self.claim_and_process(&p);
            n += 1;
        }
        self.flush_pdf();
        n
    }

    /// The PDFs of the reports written since the last flush, one log line each.
    fn flush_pdf(&mut self) {
        if let Some(p) = &mut self.pdf {
            for made in p.flush() {
                println!("{}\t{}\t已生成 PDF", utc_now(), made.file_name().unwrap_or_default().to_string_lossy());
            }
        }
    }
}

/// The note beside a file in failed/: `<name>.错误.txt`, or for a name too long for that,
/// the name cut short (the note's first line names the file in full; the log links both).
fn note_path(dest: &Path) -> PathBuf {
    let name = dest.file_name().map(name_text).unwrap_or_default();
    let full = format!("{name}.错误.txt");
    if full.len() <= MAX_NAME_BYTES {
        return dest.with_file_name(full);
    }
    let mut short = String::new();
    for c in name.chars() {
        if short.len() + c.len_utf8() > MAX_NAME_BYTES - "….错误.txt".len() - 8 {
            break;
        }
        short.push(c);
    }
    let mut p = dest.with_file_name(format!("{short}….错误.txt"));
    let mut n = 2;
    while p.exists() {
        p = dest.with_file_name(format!("{short}…{n}.错误.txt"));
        n += 1;
    }
    p
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
        seen_len: 0,
        agencies: HashMap::new(),
        settle,
        retry: HashMap::new(),
        unwritten: 0,
        reported: HashSet::new(),
        _inbox_lock: &lock,
        pdf: super::pdf::Pdf::when(a.pdf, Durability::Now)?,
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
