//! `nianbao batch`: every workbook under a folder, converted in parallel, with a summary
//! across agencies. Files that cannot be read are listed, never skipped silently.

mod expect;
mod pace;
mod previous;

use super::convert::settings;
use super::fsio::{
    free_name, is_special_kind, name_text, path_text, printable, read_cost, read_input_weighed,
    remove_stale_temporaries, sanitize, sync_folder, write_atomic, write_message, Durability, Own, NOT_REGULAR,
};
use super::input::{
    arrival, canonical, part_name, replaces_input, take, Arrival, Input, Job, Source, Taken, PUBLISHED_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
};
use super::oserr::kind_text;
use super::signal;
use super::{ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
#[cfg(test)]
use nianbao::convert::Settings;
use nianbao::finding::{count, Severity};
use nianbao::read::sha256_hex;
use nianbao::summary::{Entry, Summary};
use nianbao::Report;
use pace::{Budget, Flusher, SMALL_FILE};
use previous::PreviousIndex;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

pub struct Args<'a> {
    pub input: &'a Path,
    pub out: &'a Path,
    pub jobs: Option<usize>,
    pub previous_dir: Option<&'a Path>,
    /// `--expect`: the list of agencies that should report.
    pub expect: Option<&'a Path>,
    /// `--archives`: nianbao's own archive workbooks are inputs too (results of several
    /// machines combined), not skipped as this tool's output.
    pub archives: bool,
    pub strict: bool,
    pub templates: Option<&'a Path>,
    pub pdf: bool,
    pub read: &'a ReadArgs,
    /// The From line of reply drafts to mailed workbooks.
    pub from: Option<&'a str>,
}

/// Whether a file name is an input to convert: a workbook (xlsx, xlsm, xls, ods) or a
/// published report (a web page `.html`/`.htm`, a saved `.mht`/`.mhtml`, `.docx`, PDF; a
/// `.doc`, to say to save it as `.docx`), not a lock, temporary or hidden file.
pub fn is_input_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    if name.starts_with('.') || name.starts_with("~$") || lower.ends_with(".tmp") || lower.ends_with(".part") {
        return false;
    }
    let Some((_, ext)) = lower.rsplit_once('.') else { return false };
    WORKBOOK_EXTENSIONS.iter().chain(PUBLISHED_EXTENSIONS).chain(&["doc"]).any(|e| *e == ext)
}

/// What [`discover`] found under a folder.
#[derive(Default)]
pub struct Found {
    /// Every input (workbook, published report) and saved mail, relative paths, sorted.
    pub files: Vec<PathBuf>,
    /// Subfolders (or entries) that could not be listed, relative, with the cause in
    /// Chinese: the rest of the folder is still taken.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Links to folders, not followed (a link may lead out of INDIR or round in a loop),
    /// with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Why a link to a folder under INDIR is not followed.
const LINK_TO_FOLDER: &str = "这是指向文件夹的链接，未进入，其中的文件未转换（请把文件夹本身放入输入文件夹）";

/// Every workbook under `dir`, relative paths, sorted; `skip` (the output folder) is
/// left out. Symbolic links to folders are not followed. Names are kept as the system gives
/// them (not UTF-8 ones too); FIFOs and devices with a workbook's name are listed, so that
/// the caller can say it skips them. Only `dir` itself failing to list is an error: a
/// subfolder that cannot be read (a share's `System Volume Information`) is listed in
/// [`Found::unreadable`].
pub fn discover(dir: &Path, skip: Option<&Path>) -> anyhow::Result<Found> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut found = Found::default();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let abs = dir.join(&rel);
        let entries = match std::fs::read_dir(&abs) {
            Ok(entries) => entries,
            Err(e) if rel.as_os_str().is_empty() => {
                return Err(anyhow::Error::new(e).context(format!("无法读取文件夹 {}", abs.display())));
            }
            Err(e) => {
                let why = format!("无法读取文件夹 {}（{}），其中的文件均未转换", path_text(&rel), kind_text(&e));
                found.unreadable.push((rel, why));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    // The listing broke off: what was listed is taken, the rest is named.
                    let why =
                        format!("读取文件夹 {} 时出错（{}），其中的文件可能未全部转换", path_text(&rel), kind_text(&e));
                    found.unreadable.push((rel.clone(), why));
                    break;
                }
            };
            let os_name = entry.file_name();
            let name = name_text(&os_name);
            let path = rel.join(&os_name);
            let ft = match entry.file_type() {
                Ok(ft) => ft,
                Err(e) => {
                    let why = format!("无法读取 {}：{}", path_text(&path), kind_text(&e));
                    found.unreadable.push((path, why));
                    continue;
                }
            };
            if ft.is_dir() {
                if name.starts_with('.')
                    || skip.as_ref().is_some_and(|s| entry.path().canonicalize().ok().as_ref() == Some(s))
                {
                    continue;
                }
                stack.push(path);
            } else if is_input_name(&name) || super::mailin::is_mail_name(&name) {
                found.files.push(path);
            } else if ft.is_symlink()
                && !name.starts_with('.')
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir())
            {
                found.skipped.push((path, LINK_TO_FOLDER.to_string()));
            }
        }
    }
    found.files.sort();
    found.unreadable.sort();
    found.skipped.sort();
    Ok(found)
}

/// Output stems (relative, without extension) for every input: folders mirrored, names
/// made safe, never two the same (case-insensitive), never the summary's own names, and
/// never a name whose output would replace an input (`is_input`, given the stem's path).
pub fn output_stems(inputs: &[PathBuf], is_input: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut used: HashSet<String> = ["汇总", "summary"].iter().map(|s| s.to_string()).collect();
    inputs
        .iter()
        .map(|rel| {
            let parent: PathBuf = rel
                .parent()
                .map(|p| p.components().map(|c| sanitize(&name_text(c.as_os_str()))).collect())
                .unwrap_or_default();
            let stem = sanitize(&rel.file_stem().map(name_text).unwrap_or_default());
            let mut candidate = parent.join(&stem);
            let mut n = 2;
            while is_input(&candidate) || !used.insert(candidate.to_string_lossy().to_lowercase()) {
                candidate = parent.join(format!("{stem}（{n}）"));
                n += 1;
            }
            candidate
        })
        .collect()
}

/// One report of an input: its summary entry, whether `--strict` refused it, its Word
/// report for `--pdf`, why its outputs could not be written.
struct Report1 {
    entry: Box<Entry>,
    refused: bool,
    docx: Option<PathBuf>,
    unwritable: Option<String>,
}

/// What happened to one input.
enum Done {
    /// Converted: each report it held, and the file's modification time.
    Converted(Vec<Report1>, Option<SystemTime>),
    Unreadable(String, String),
    /// Left alone: a FIFO or device, or a workbook nianbao wrote.
    Skipped(String),
    /// Not started: the batch was stopped by a signal.
    NotStarted,
    /// A saved message or mailbox: taken after the files before it, in order
    /// ([`super::mailin::batch`]).
    Mail,
}

/// What every file of one batch is converted with.
struct Work<'a> {
    job: &'a Job<'a>,
    budget: &'a Budget,
    /// Output stems taken (relative, lower case): the reports of a workbook holding several
    /// are named `<stem> - <agency>` beside them.
    stems: &'a Mutex<HashSet<String>>,
    /// `--archives`: archive workbooks are read, not skipped.
    archives: bool,
}

/// Converts one input to `stem` under the output folder, once its share of the memory
/// budget is free.
fn process(input: &Path, stem: &Path, rel: &str, work: &Work<'_>) -> Done {
    if signal::stopped() {
        return Done::NotStarted;
    }
    // One look at the file: what it is, its size and its modification time.
    let meta = std::fs::metadata(input).ok();
    if meta.as_ref().is_some_and(is_special_kind) {
        return Done::Skipped(NOT_REGULAR.to_string());
    }
    if super::mailin::is_mail_name(rel) {
        return Done::Mail;
    }
    // A small file (every real workbook) is read, then weighed from the directory just read;
    // a large one is weighed on the disk first, so that files waiting for the budget hold
    // at most SMALL_FILE bytes each.
    let taken = match meta.as_ref().map(|m| m.len()) {
        Some(size) if size > SMALL_FILE => Some(work.budget.take(read_cost(input))),
        _ => None,
    };
    let (bytes, cost) = match read_input_weighed(input) {
        Ok(b) => b,
        Err(msg) => {
            work.budget.give(taken.unwrap_or(0));
            return Done::Unreadable(String::new(), super::fsio::unreadable(rel, msg).to_string());
        }
    };
    let taken = taken.unwrap_or_else(|| work.budget.take(cost));
    let mtime = meta.and_then(|m| m.modified().ok());
    let done = convert_one(&bytes, mtime, stem, rel, work);
    drop(bytes);
    work.budget.give(taken);
    done
}

fn convert_one(bytes: &[u8], mtime: Option<SystemTime>, stem: &Path, rel: &str, work: &Work<'_>) -> Done {
    match arrival(bytes) {
        Arrival::Mail(_) => return Done::Mail,
        Arrival::Own(Own::Archive) if work.archives => {}
        Arrival::Own(own) => return Done::Skipped(own.skip_reason().into()),
        Arrival::Report => {}
    }
    let input = Input { name: rel.to_string(), bytes, source: Source::File };
    let base = stem.to_string_lossy();
    let free = |wanted: &str| {
        let mut stems = work.stems.lock().unwrap_or_else(|p| p.into_inner());
        free_name(wanted, |c| !stems.insert(c.to_lowercase()))
    };
    match take(&input, work.job, &base, free) {
        Ok(t) => Done::Converted(reports(t, rel, &base), mtime),
        Err(e) => Done::Unreadable(sha256_hex(bytes), e.to_string()),
    }
}

/// The summary's entries of what one input gave, made here, in parallel: the reports
/// themselves are not kept. Each of several reports of one workbook is a row named
/// `<file> - <agency>`.
fn reports(t: Taken, rel: &str, base: &str) -> Vec<Report1> {
    let of = t.made.len();
    t.made
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let row = match m.stem.strip_prefix(base).filter(|_| of > 1) {
                Some(agency) => part_name(rel, agency),
                None => rel.to_string(),
            };
            let (docx, unwritable) = match m.written {
                Some(Ok((docx, _))) => (Some(docx), None),
                Some(Err(msg)) => (None, Some(msg)),
                None => (None, None),
            };
            let entry = Entry::of(row, &m.c.report, m.c.findings, m.refused).part(i, of);
            Report1 { entry: Box::new(entry), refused: m.refused, docx, unwritable }
        })
        .collect()
}

/// Whether two paths are the same folder.
fn same_dir(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The most parallel tasks `--jobs` may ask for.
pub const MAX_JOBS: usize = 64;

/// How many files are converted before their results are folded into the summary:
/// bounds memory whatever the number of files.
const CHUNK: usize = 128;

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    signal::install();
    signal::ignore_sigpipe();
    let s = settings(a.read, a.templates)?;
    let mut pdf = super::pdf::Pdf::when(a.pdf, Durability::Later)?;
    // Before anything is written: a list that cannot be read stops the batch.
    let expected = a.expect.map(expect::read_list).transpose()?;
    let jobs = prepare_folders(&a)?;
    let found = discover(a.input, Some(a.out))?;
    let inputs = &found.files;
    let input_set = canonical(inputs.iter().map(|r| a.input.join(r)));
    // An output (stem.docx, stem.xlsx) never replaces an input, wherever the folders lie.
    let is_input = |stem: &Path| {
        ["docx", "xlsx"].iter().any(|ext| {
            let p = a.out.join(stem).with_extension(ext);
            replaces_input(&p, &input_set)
        })
    };
    let stems = output_stems(inputs, is_input);
    let previous = a.previous_dir.map(|d| PreviousIndex::build(d, &s.read)).transpose()?;
    let lookup = |r: &Report| previous.as_ref().and_then(|p| p.lookup(r));
    let job = Job {
        settings: &s,
        previous: &lookup,
        strict: a.strict,
        out: Some(a.out),
        durability: Durability::Later,
        inputs: &input_set,
        annotate: false,
    };
    let taken_stems: Mutex<HashSet<String>> = Mutex::new(
        stems.iter().map(|p| p.to_string_lossy().to_lowercase()).chain(["汇总".into(), "summary".into()]).collect(),
    );
    let mut mail = super::mailin::Batch {
        job: &job,
        from: a.from,
        stems: &taken_stems,
        replies: HashSet::new(),
        seen: Default::default(),
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = jobs {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().context("无法启动并行任务")?;
    let budget = Budget::new();
    let work = Work { job: &job, budget: &budget, stems: &taken_stems, archives: a.archives };
    let mut p = Progress::new(inputs.len());
    let flusher = Flusher::start(a.out);
    let mut summary = Summary::default();
    for (rel, why) in &found.unreadable {
        signal::say(&printable(why));
        summary.add_unreadable(path_text(rel), String::new(), why.clone());
    }
    for (rel, why) in &found.skipped {
        let shown = path_text(rel);
        signal::say(&format!("跳过 {}：{why}", printable(&shown)));
        summary.add_skipped(shown, why.clone());
    }
    let mut mail_unwritable = 0usize;
    for (chunk_in, chunk_stems) in inputs.chunks(CHUNK).zip(stems.chunks(CHUNK)) {
        if signal::stopped() {
            break;
        }
        let results: Vec<Done> = pool.install(|| {
            chunk_in
                .par_iter()
                .zip(chunk_stems.par_iter())
                .map(|(rel, stem)| {
                    let d = process(&a.input.join(rel), stem, &path_text(rel), &work);
                    p.tick();
                    d
                })
                .collect()
        });
        flusher.nudge();
        for (rel, d) in chunk_in.iter().zip(results) {
            if let Done::Mail = d {
                let m = super::mailin::batch(&mut mail, a.input, rel, &mut summary, &mut pdf);
                mail_unwritable += usize::from(m.unwritable);
                p.done += 1;
                for line in m.lines {
                    p.say(&line);
                }
            } else if let Some(line) = fold(d, &path_text(rel), &mut summary, &mut pdf) {
                p.done += 1;
                p.show(&path_text(rel), &line);
            }
        }
    }
    p.finish();
    summary.complete = !signal::stopped() || p.done == p.total;
    if let (Some(p), true) = (&mut pdf, summary.complete) {
        eprintln!("正在用 LibreOffice 生成 PDF……");
        p.flush();
        eprintln!("PDF：{} 个已生成，{} 个未能生成（LibreOffice 启动 {} 次）", p.made, p.failed, p.starts);
    }
    flusher.finish();
    // Every output of the batch on the disk at once, before the summary that lists them.
    // A failure here is the disk's (the files are written and renamed): say so, and still
    // write the summary of what was converted.
    if let Err(e) = sync_folder(a.out) {
        eprintln!("警告：无法确认输出已全部写入磁盘（{}），请检查磁盘后再归档", super::oserr::describe(a.out, &e));
    }
    if let Some(list) = &expected {
        summary.missing = Some(expect::missing(list, &summary, a.read.year));
    }
    let summary_written = write_summary(&summary, a.out);
    let code =
        closing_line(&summary, &summary_written, found.unreadable.len(), p.total, p.done, a.out, mail_unwritable);
    Ok(pdf.map_or(code, |p| p.exit_code(code)))
}

/// Checks the folders and the job count before anything is written; creates OUTDIR and
/// clears what a killed or earlier run left there. Returns the job count to use.
fn prepare_folders(a: &Args<'_>) -> anyhow::Result<Option<usize>> {
    if !a.input.is_dir() {
        anyhow::bail!("输入文件夹 {} 不存在或不是文件夹", a.input.display());
    }
    if same_dir(a.input, a.out) {
        anyhow::bail!(
            "输出文件夹 {} 就是输入文件夹：归档工作簿会覆盖各单位的统计表，请另选一个输出文件夹",
            a.out.display()
        );
    }
    let jobs = match a.jobs {
        Some(n) if n > MAX_JOBS => {
            eprintln!("--jobs {n} 过大，按 {MAX_JOBS} 个并行任务处理");
            Some(MAX_JOBS)
        }
        j => j.filter(|n| *n > 0),
    };
    std::fs::create_dir_all(a.out).with_context(|| format!("无法创建输出文件夹 {}", a.out.display()))?;
    remove_stale_temporaries(a.out);
    // A previous run's summary would describe other files beside this run's reports, if this
    // run were stopped before writing its own.
    for old in ["summary.json", "汇总.xlsx"] {
        let _ = std::fs::remove_file(a.out.join(old));
    }
    Ok(jobs)
}

/// The progress bar on a terminal, numbered lines otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        Progress { bar, total, done: 0 }
    }

    fn tick(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// A line of a mail file's rows.
    fn say(&self, line: &str) {
        match &self.bar {
            Some(b) => b.set_message(printable(line)),
            None => signal::say(&format!("[{}/{}] {}", self.done, self.total, printable(line))),
        }
    }

    /// A file's line: the bar shows its name, the log the whole line.
    fn show(&self, shown: &str, line: &str) {
        match &self.bar {
            Some(b) => b.set_message(printable(shown)),
            None => signal::say(&format!("[{}/{}] {}", self.done, self.total, printable(line))),
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// Folds what became of one input (not a mail file) into the summary and the PDFs to make;
/// its progress line, or None for a file not started.
fn fold(d: Done, shown: &str, summary: &mut Summary, pdf: &mut Option<super::pdf::Pdf>) -> Option<String> {
    Some(match d {
        Done::NotStarted | Done::Mail => return None,
        Done::Converted(reports, mtime) => {
            let mut lines = Vec::with_capacity(reports.len());
            for r in reports {
                let (e, w) = (count(r.entry.findings(), Severity::Error), count(r.entry.findings(), Severity::Warning));
                let row = r.entry.file().to_string();
                // Kept for the whole batch, so copied on this thread: the worker's copy would
                // stay among the large buffers of that worker's later files and keep glibc
                // from reusing them (5,000 files peaked at 221 MB instead of ~110).
                summary.add(Entry::clone(&r.entry), mtime);
                lines.push(match r.unwritable {
                    Some(msg) => {
                        summary.mark_unwritable(msg.clone());
                        msg
                    }
                    None => {
                        if let (Some(p), Some(docx)) = (pdf.as_mut(), r.docx) {
                            p.add(docx);
                        }
                        let what = if r.refused { "有问题，未生成" } else { "已转换" };
                        format!("{row}：{what}（{e} 个错误，{w} 个警告）")
                    }
                });
            }
            lines.join("；")
        }
        Done::Unreadable(hash, msg) => {
            summary.add_unreadable(shown.to_string(), hash, msg.clone());
            msg
        }
        Done::Skipped(reason) => {
            let line = format!("跳过 {shown}：{reason}");
            summary.add_skipped(shown.to_string(), reason);
            line
        }
    })
}

/// Says what the batch came to in one line, and gives its exit code.
fn closing_line(
    summary: &Summary,
    written: &anyhow::Result<()>,
    folders: usize,
    total: usize,
    done: usize,
    out: &Path,
    mail_unwritable: usize,
) -> u8 {
    use nianbao::summary::Status;
    let (ok, errors, unreadable, refused, unwritable, skipped) = (
        summary.count(Status::Ok),
        summary.count(Status::Errors),
        summary.count(Status::Unreadable),
        summary.count(Status::Refused),
        summary.count(Status::Unwritable),
        summary.count(Status::Skipped),
    );
    let dups = summary.rows.iter().filter(|r| !r.duplicate.is_empty()).count();
    let mut line = format!(
        "共 {total} 个文件：{ok} 个已转换，{errors} 个有错误，{refused} 个因 --strict 未生成，{} 个无法读取，{dups} 个重复",
        unreadable.saturating_sub(folders)
    );
    if folders > 0 {
        line.push_str(&format!("，{folders} 个文件夹无法读取（见汇总）"));
    }
    if unwritable > 0 {
        line.push_str(&format!("，{unwritable} 个无法写入输出（请检查磁盘空间和输出文件夹的权限）"));
    }
    if skipped > 0 {
        line.push_str(&format!("，{skipped} 个已跳过"));
    }
    if let Some(m) = &summary.missing {
        line.push_str(&format!(
            "；名单中 {} 个机关没有{}报告（见汇总的“未报送”表）",
            m.agencies.len(),
            year_text(m.year)
        ));
    }
    if !summary.complete {
        line.push_str(&format!("；已中断，只处理了 {done} 个文件"));
    }
    match written {
        Ok(()) => line.push_str(&format!("；汇总见 {}", out.join("汇总.xlsx").display())),
        Err(e) => line.push_str(&format!("；{e:#}")),
    }
    eprintln!("{line}");
    if !summary.complete {
        signal::exit_code()
    } else if unreadable + unwritable + mail_unwritable > 0 || written.is_err() {
        EXIT_UNREADABLE
    } else if errors + refused > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// `2023年度的`, or nothing where no report names a year.
fn year_text(year: Option<i32>) -> String {
    year.map(|y| format!("{y}年度的")).unwrap_or_default()
}

/// Writes `汇总.xlsx` and `summary.json`.
fn write_summary(summary: &Summary, out: &Path) -> anyhow::Result<()> {
    let xlsx = nianbao::write::summary::workbook(summary).context("生成汇总表失败")?;
    write_atomic(&out.join("汇总.xlsx"), &xlsx)
        .map_err(|e| anyhow::anyhow!("无法写入 汇总.xlsx：{}", write_message(&e)))?;
    let json = nianbao::write::summary::json(summary)?;
    write_atomic(&out.join("summary.json"), &json)
        .map_err(|e| anyhow::anyhow!("无法写入 summary.json：{}", write_message(&e)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file listed, then moved or deleted by someone else before it is read: its row says
    /// so, and the budget it would have taken is whole again.
    #[test]
    fn a_file_that_vanishes_after_listing_is_an_unreadable_row() {
        let dir = tempfile::tempdir().expect("tmp");
        let s = Settings::default();
        let budget = Budget::new();
        let inputs = HashSet::new();
        let job = Job {
            settings: &s,
            previous: &nianbao::convert::no_previous,
            strict: false,
            out: Some(dir.path()),
            durability: Durability::Later,
            inputs: &inputs,
            annotate: false,
        };
        let stems = Mutex::new(HashSet::new());
        let work = Work { job: &job, budget: &budget, stems: &stems, archives: false };
        let gone = dir.path().join("已移走.xlsx");
        match process(&gone, Path::new("已移走"), "教育局/已移走.xlsx", &work) {
            Done::Unreadable(hash, msg) => {
                assert_eq!(hash, "");
                assert_eq!(msg, "无法读取 教育局/已移走.xlsx：找不到该文件或文件夹");
            }
            _ => panic!("not an unreadable row"),
        }
        assert_eq!(budget.take(u64::MAX), pace::BUDGET_BYTES);
    }
}
