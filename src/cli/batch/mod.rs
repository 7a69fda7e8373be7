//! `nianbao batch`: every workbook under a folder, converted in parallel, with a summary
//! across agencies. Files that cannot be read are listed, never skipped silently.

mod expect;
mod pace;
mod previous;

use super::convert::settings;
use super::fsio::{
    is_special_kind, name_text, path_text, printable, read_cost, read_input_weighed, remove_stale_temporaries,
    sanitize, sync_folder, write_atomic, write_message, write_outputs, written_by_nianbao, Durability, NOT_REGULAR,
};
use super::oserr::kind_text;
use super::signal;
use super::{ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use nianbao::convert::{convert, Previous, Settings};
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
use std::time::SystemTime;

pub struct Args<'a> {
    pub input: &'a Path,
    pub out: &'a Path,
    pub jobs: Option<usize>,
    pub previous_dir: Option<&'a Path>,
    /// `--expect`: the list of agencies that should report.
    pub expect: Option<&'a Path>,
    pub strict: bool,
    pub templates: Option<&'a Path>,
    pub pdf: bool,
    pub read: &'a ReadArgs,
    /// The From line of reply drafts to mailed workbooks.
    pub from: Option<&'a str>,
}

/// Whether a file name is a workbook to convert: not a lock, temporary or hidden file.
pub fn is_workbook_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    if name.starts_with('.') || name.starts_with("~$") || lower.ends_with(".tmp") || lower.ends_with(".part") {
        return false;
    }
    [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|e| lower.ends_with(e))
}

/// What [`discover`] found under a folder.
#[derive(Default)]
pub struct Found {
    /// Every workbook and saved mail, relative paths, sorted.
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
            } else if is_workbook_name(&name) || super::mailin::is_mail_name(&name) {
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

/// What happened to one input.
enum Done {
    /// Converted, as its summary entry; refused by `--strict`; the file's modification time;
    /// why its outputs could not be written, if they could not.
    Converted(Box<Entry>, bool, Option<SystemTime>, Option<String>),
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
struct Job<'a> {
    out: &'a Path,
    s: &'a Settings,
    prev: Previous<'a>,
    strict: bool,
    budget: &'a Budget,
}

/// Converts one input to `stem` under the output folder, once its share of the memory
/// budget is free.
fn process(input: &Path, stem: &Path, rel: &str, job: &Job<'_>) -> Done {
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
        Some(size) if size > SMALL_FILE => Some(job.budget.take(read_cost(input))),
        _ => None,
    };
    let (bytes, cost) = match read_input_weighed(input) {
        Ok(b) => b,
        Err(msg) => {
            job.budget.give(taken.unwrap_or(0));
            return Done::Unreadable(String::new(), super::fsio::unreadable(rel, msg).to_string());
        }
    };
    let taken = taken.unwrap_or_else(|| job.budget.take(cost));
    let mtime = meta.and_then(|m| m.modified().ok());
    let done = convert_one(bytes, mtime, stem, rel, job);
    job.budget.give(taken);
    done
}

fn convert_one(bytes: Vec<u8>, mtime: Option<SystemTime>, stem: &Path, rel: &str, job: &Job<'_>) -> Done {
    if super::mailin::is_mail(&bytes) {
        return Done::Mail;
    }
    if let Some(own) = written_by_nianbao(&bytes) {
        return Done::Skipped(own.skip_reason().into());
    }
    let c = match convert(&bytes, rel, job.prev, job.s) {
        Ok(c) => c,
        Err(e) => return Done::Unreadable(sha256_hex(&bytes), e.to_string()),
    };
    drop(bytes);
    let refused = job.strict && (count(&c.findings, Severity::Error) + count(&c.findings, Severity::Warning)) > 0;
    let mut unwritable = None;
    if !refused {
        let base = job.out.join(stem);
        let dir = base.parent().unwrap_or(job.out);
        if let Err(e) = write_outputs(dir, &file_name(&base), &c, Durability::Later) {
            unwritable = Some(format!("无法写入 {rel} 的输出（{}）：{}", base.display(), write_message(&e)));
        }
    }
    // The summary's entry is made here, in parallel; the report itself is not kept.
    let entry = Entry::of(rel.to_string(), &c.report, c.findings, refused);
    Done::Converted(Box::new(entry), refused, mtime, unwritable)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(name_text).unwrap_or_default()
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
    let found = discover(a.input, Some(a.out))?;
    let inputs = found.files;
    let input_set: HashSet<PathBuf> = inputs.iter().filter_map(|r| a.input.join(r).canonicalize().ok()).collect();
    // An output (stem.docx, stem.xlsx) never replaces an input, wherever the folders lie.
    let is_input = |stem: &Path| {
        ["docx", "xlsx"].iter().any(|ext| {
            let p = a.out.join(stem).with_extension(ext);
            p.canonicalize().is_ok_and(|c| input_set.contains(&c))
        })
    };
    let stems = output_stems(&inputs, is_input);
    let previous = a.previous_dir.map(|d| PreviousIndex::build(d, &s.read)).transpose()?;
    let lookup = |r: &Report| previous.as_ref().and_then(|p| p.lookup(r));
    let mut mail = super::mailin::Batch {
        out: a.out,
        s: &s,
        previous: &lookup,
        strict: a.strict,
        from: a.from,
        stems: stems
            .iter()
            .map(|p| p.to_string_lossy().to_lowercase())
            .chain(["汇总".into(), "summary".into()])
            .collect(),
        replies: HashSet::new(),
        seen: Default::default(),
    };
    let mut mail_unwritable = 0usize;

    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = jobs {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().context("无法启动并行任务")?;
    let budget = Budget::new();
    let job = Job { out: a.out, s: &s, prev: &lookup, strict: a.strict, budget: &budget };

    let tty = std::io::stderr().is_terminal();
    let bar = if tty {
        let b = ProgressBar::new(inputs.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };

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
    let total = inputs.len();
    let mut done = 0usize;
    for (chunk_in, chunk_stems) in inputs.chunks(CHUNK).zip(stems.chunks(CHUNK)) {
        if signal::stopped() {
            break;
        }
        let results: Vec<Done> = pool.install(|| {
            chunk_in
                .par_iter()
                .zip(chunk_stems.par_iter())
                .map(|(rel, stem)| {
                    let shown = path_text(rel);
                    let d = process(&a.input.join(rel), stem, &shown, &job);
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                    d
                })
                .collect()
        });
        flusher.nudge();
        for ((rel, stem), d) in chunk_in.iter().zip(chunk_stems).zip(results) {
            let shown = path_text(rel);
            let line = match d {
                Done::NotStarted => continue,
                Done::Mail => {
                    let m = super::mailin::batch(&mut mail, a.input, rel, &mut summary, &mut pdf);
                    mail_unwritable += usize::from(m.unwritable);
                    done += 1;
                    for line in m.lines {
                        match &bar {
                            Some(b) => b.set_message(printable(&line)),
                            None => signal::say(&format!("[{done}/{total}] {}", printable(&line))),
                        }
                    }
                    continue;
                }
                Done::Converted(entry, refused, mtime, unwritable) => {
                    let (e, w) = (count(entry.findings(), Severity::Error), count(entry.findings(), Severity::Warning));
                    // Kept for the whole batch, so copied on this thread: the worker's copy would
                    // stay among the large buffers of that worker's later files and keep glibc
                    // from reusing them (5,000 files peaked at 221 MB instead of ~110).
                    summary.add(Entry::clone(&entry), mtime);
                    match unwritable {
                        Some(msg) => {
                            summary.mark_unwritable(msg.clone());
                            msg
                        }
                        None => {
                            if let (Some(p), false) = (&mut pdf, refused) {
                                p.add(super::pdf::docx_path(a.out, stem));
                            }
                            let what = if refused { "有问题，未生成" } else { "已转换" };
                            format!("{shown}：{what}（{e} 个错误，{w} 个警告）")
                        }
                    }
                }
                Done::Unreadable(hash, msg) => {
                    summary.add_unreadable(shown.clone(), hash, msg.clone());
                    msg
                }
                Done::Skipped(reason) => {
                    let line = format!("跳过 {shown}：{reason}");
                    summary.add_skipped(shown.clone(), reason);
                    line
                }
            };
            done += 1;
            match &bar {
                Some(b) => b.set_message(printable(&shown)),
                None => signal::say(&format!("[{done}/{total}] {}", printable(&line))),
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    summary.complete = !signal::stopped() || done == total;
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
    let folders = found.unreadable.len();
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
    match &summary_written {
        Ok(()) => line.push_str(&format!("；汇总见 {}", a.out.join("汇总.xlsx").display())),
        Err(e) => line.push_str(&format!("；{e:#}")),
    }
    eprintln!("{line}");
    let code = if !summary.complete {
        signal::exit_code()
    } else if unreadable + unwritable + mail_unwritable > 0 || summary_written.is_err() {
        EXIT_UNREADABLE
    } else if errors + refused > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    Ok(pdf.map_or(code, |p| p.exit_code(code)))
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
    let json = serde_json::to_string_pretty(&nianbao::write::summary::json(summary))?;
    write_atomic(&out.join("summary.json"), json.as_bytes())
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
        let job = Job { out: dir.path(), s: &s, prev: &nianbao::convert::no_previous, strict: false, budget: &budget };
        let gone = dir.path().join("已移走.xlsx");
        match process(&gone, Path::new("已移走"), "教育局/已移走.xlsx", &job) {
            Done::Unreadable(hash, msg) => {
                assert_eq!(hash, "");
                assert_eq!(msg, "无法读取 教育局/已移走.xlsx：找不到该文件或文件夹");
            }
            _ => panic!("not an unreadable row"),
        }
        assert_eq!(budget.take(u64::MAX), pace::BUDGET_BYTES);
    }
}
