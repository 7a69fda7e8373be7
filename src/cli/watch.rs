//! `nianbao watch`: a drop folder converted unattended. A file is touched only once it has
//! stopped changing, claimed by renaming it into `.processing/`, and moved to `done/` or
//! `failed/` only after its outputs are in place, so a kill at any moment loses nothing.

use super::batch::is_workbook_name;
use super::convert::settings;
use super::fsio::{read_input, safe_stem, write_atomic, write_outputs, Durability};
use super::{ReadArgs, EXIT_OK};
use anyhow::Context as _;
use nianbao::convert::{convert, no_previous, Settings};
use nianbao::finding::{Finding, Severity};
use nianbao::read::sha256_hex;
use notify::{RecursiveMode, Watcher};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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
/// The rescan that catches what events missed, when events are used.
const RESCAN: Duration = Duration::from_secs(30);

/// The folder's state between scans.
struct Watch<'a> {
    inbox: PathBuf,
    out: PathBuf,
    settings: Settings,
    /// (size, mtime) of each candidate and since when it has been unchanged.
    pending: HashMap<PathBuf, (u64, Option<SystemTime>, Instant)>,
    seen: HashMap<String, String>,
    settle: Duration,
    stop: &'a AtomicBool,
    /// `--pdf`: the reports of a sweep, converted together at its end.
    pdf: Option<super::pdf::Pdf>,
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, for log lines.
pub fn utc_now() -> String {
    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    nianbao::date::utc_text(secs)
}

/// A path in `dir` for `name` that is not taken yet: `a.xlsx`, `a（2）.xlsx`, …
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    if !p.exists() {
        return p;
    }
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

    /// Candidates in the inbox, top level only.
    fn candidates(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.inbox) else { return Vec::new() };
        let mut v: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| {
                is_workbook_name(&e.file_name().to_string_lossy())
                    && !e.file_name().to_string_lossy().starts_with(".~lock")
            })
            .map(|e| e.path())
            .collect();
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
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let target = free_path(&self.inbox.join(PROCESSING), &name);
        if fs::rename(path, &target).is_err() {
            // Gone or locked by its writer: it is seen again at the next scan.
            return;
        }
        self.pending.remove(path);
        self.process(&target);
    }

    /// Converts a claimed file and moves it on. Safe to repeat after a crash.
    fn process(&mut self, claimed: &Path) {
        let started = Instant::now();
        let name = claimed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (result, ok, note) = match read_input(claimed) {
            Err(msg) => (format!("无法读取：{msg}"), false, format!("无法读取 {name}：{msg}\n")),
            Ok(bytes) => self.convert_bytes(&bytes, &name, claimed),
        };
        let dest_dir = self.inbox.join(if ok { DONE } else { FAILED });
        let dest = free_path(&dest_dir, &name);
        if !ok {
            let txt = dest.with_file_name(format!(
                "{}.错误.txt",
                dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            ));
            if let Err(e) = write_atomic(&txt, note.as_bytes()) {
                eprintln!("{} 无法写入 {}：{e}", utc_now(), txt.display());
            }
        }
        if let Err(e) = fs::rename(claimed, &dest) {
            eprintln!("{} 无法移动 {name} 到 {}：{e}", utc_now(), dest_dir.display());
        }
        println!("{}\t{name}\t{result}\t{} ms", utc_now(), started.elapsed().as_millis());
    }

    /// (log result, success, text of the 错误.txt).
    fn convert_bytes(&mut self, bytes: &[u8], name: &str, claimed: &Path) -> (String, bool, String) {
        let hash = sha256_hex(bytes);
        if let Some(stem) = self.seen.get(&hash) {
            return (format!("内容与已转换的“{stem}”相同，未重复转换"), true, String::new());
        }
        let c = match convert(bytes, name, &no_previous, &self.settings) {
            Ok(c) => c,
            Err(e) => return (format!("无法读取：{e}"), false, format!("无法读取 {name}：{e}\n")),
        };
        let stem = safe_stem(claimed);
        // A name taken by other content gets a suffix; the same content keeps its name.
        let taken: HashSet<&String> = self.seen.values().collect();
        let stem = (1..)
            .map(|n| if n == 1 { stem.clone() } else { format!("{stem}（{n}）") })
            .find(|s| !taken.contains(s))
            .unwrap_or(stem);
        if let Err(e) = write_outputs(&self.out, &stem, &c, Durability::Now) {
            return (format!("无法写入输出：{e}"), false, format!("{name}：无法写入输出文件：{e}\n"));
        }
        if let Some(p) = &mut self.pdf {
            p.add(self.out.join(format!("{stem}.docx")));
        }
        if let Err(e) = self.record_seen(&hash, &stem) {
            eprintln!("{} 无法记录已转换文件：{e}", utc_now());
        }
        let errors: Vec<&Finding> = c.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        if errors.is_empty() {
            (format!("已转换为 {stem}.docx、{stem}.xlsx"), true, String::new())
        } else {
            let mut note =
                format!("{name} 有 {} 个错误（报告已生成为 {stem}.docx，请改正后重新提交）：\n", errors.len());
            for f in &errors {
                note.push_str(&format!("{f}\n"));
            }
            (format!("有 {} 个错误，已生成报告", errors.len()), false, note)
        }
    }

    /// Finishes what a killed run left in `.processing/`.
    fn recover(&mut self) {
        let dir = self.inbox.join(PROCESSING);
        let Ok(entries) = fs::read_dir(&dir) else { return };
        let mut left: Vec<PathBuf> =
            entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file())).map(|e| e.path()).collect();
        left.sort();
        for p in left {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let _ = fs::remove_file(&p);
                continue;
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
            if self.stop.load(Ordering::SeqCst) {
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

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    if !a.inbox.is_dir() {
        anyhow::bail!("收件文件夹 {} 不存在或不是文件夹", a.inbox.display());
    }
    for d in [PROCESSING, DONE, FAILED] {
        fs::create_dir_all(a.inbox.join(d)).with_context(|| format!("无法创建 {}", a.inbox.join(d).display()))?;
    }
    fs::create_dir_all(a.out).with_context(|| format!("无法创建输出文件夹 {}", a.out.display()))?;
    // Remove temporaries a killed run left in the output folder.
    if let Ok(entries) = fs::read_dir(a.out) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with('.') && n.ends_with(".tmp") {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second signal while a file is converting still lets it finish.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let mut w = Watch {
        inbox: a.inbox.to_path_buf(),
        out: a.out.to_path_buf(),
        settings: settings(a.read, a.templates)?,
        pending: HashMap::new(),
        seen: HashMap::new(),
        settle: Duration::from_secs_f64(a.settle.max(0.0)),
        stop: &stop,
        pdf: super::pdf::Pdf::when(a.pdf, Durability::Now)?,
    };
    w.load_seen();
    w.recover();

    if a.once {
        // Wait until what is there has settled, then process it all.
        let deadline = Instant::now() + w.settle * 4 + Duration::from_secs(2);
        loop {
            w.sweep();
            if w.candidates().is_empty() || Instant::now() > deadline || stop.load(Ordering::SeqCst) {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        return Ok(EXIT_OK);
    }

    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = None;
    if a.poll.is_none() {
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
    let poll = Duration::from_secs_f64(a.poll.unwrap_or(2.0).max(0.1));
    let tick = Duration::from_millis(250);
    let mut last_scan = Instant::now() - RESCAN;
    eprintln!("{} 开始监视 {}，输出到 {}", utc_now(), a.inbox.display(), a.out.display());
    while !stop.load(Ordering::SeqCst) {
        let event = rx.recv_timeout(tick).is_ok();
        while rx.try_recv().is_ok() {}
        let interval = if watcher.is_some() { RESCAN } else { poll };
        // Pending files are rechecked every tick until they settle.
        if event || !w.pending.is_empty() || last_scan.elapsed() >= interval {
            w.sweep();
            last_scan = Instant::now();
        }
    }
    eprintln!("{} 已停止", utc_now());
    Ok(EXIT_OK)
}
