//! `nianbao batch`: every workbook under a folder, converted in parallel, with a summary
//! across agencies. Files that cannot be read are listed, never skipped silently.

use super::convert::settings;
use super::fsio::{display_name, read_input, sanitize, sync_folder, write_atomic, write_outputs, Durability};
use super::{ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use nianbao::convert::{convert, Converted, Previous, Settings};
use nianbao::finding::{count, Severity};
use nianbao::read::{self, sha256_hex};
use nianbao::summary::Summary;
use nianbao::Report;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub struct Args<'a> {
    pub input: &'a Path,
    pub out: &'a Path,
    pub jobs: Option<usize>,
    pub previous_dir: Option<&'a Path>,
    pub strict: bool,
    pub templates: Option<&'a Path>,
    pub pdf: bool,
    pub read: &'a ReadArgs,
}

/// Whether a file name is a workbook to convert: not a lock, temporary or hidden file.
pub fn is_workbook_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    if name.starts_with('.') || name.starts_with("~$") || lower.ends_with(".tmp") || lower.ends_with(".part") {
        return false;
    }
    [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|e| lower.ends_with(e))
}

/// Every workbook under `dir`, relative paths, sorted; `skip` (the output folder) is
/// left out. Symbolic links to folders are not followed.
pub fn discover(dir: &Path, skip: Option<&Path>) -> anyhow::Result<Vec<PathBuf>> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let abs = dir.join(&rel);
        let entries = std::fs::read_dir(&abs).with_context(|| format!("无法读取文件夹 {}", abs.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(ft) = entry.file_type() else { continue };
            let path = rel.join(&name);
            if ft.is_dir() {
                if name.starts_with('.')
                    || skip.as_ref().is_some_and(|s| entry.path().canonicalize().ok().as_ref() == Some(s))
                {
                    continue;
                }
                stack.push(path);
            } else if (ft.is_file() || ft.is_symlink()) && is_workbook_name(&name) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Output stems (relative, without extension) for every input: folders mirrored, names
/// made safe, never two the same (case-insensitive), never the summary's own names.
pub fn output_stems(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut used: HashSet<String> = ["汇总", "summary"].iter().map(|s| s.to_string()).collect();
    inputs
        .iter()
        .map(|rel| {
            let parent: PathBuf = rel
                .parent()
                .map(|p| p.components().map(|c| sanitize(&c.as_os_str().to_string_lossy())).collect())
                .unwrap_or_default();
            let stem = sanitize(&rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            let mut candidate = parent.join(&stem);
            let mut n = 2;
            while !used.insert(candidate.to_string_lossy().to_lowercase()) {
                candidate = parent.join(format!("{stem}（{n}）"));
                n += 1;
            }
            candidate
        })
        .collect()
}

/// Last year's reports by agency: every workbook of the folder, read once, kept by path.
struct PreviousIndex {
    by_agency: BTreeMap<String, Vec<(i32, PathBuf)>>,
    opts: read::Options,
}

impl PreviousIndex {
    fn build(dir: &Path, opts: &read::Options) -> anyhow::Result<Self> {
        let mut by_agency: BTreeMap<String, Vec<(i32, PathBuf)>> = BTreeMap::new();
        for rel in discover(dir, None)? {
            let path = dir.join(&rel);
            let Ok(bytes) = read_input(&path) else { continue };
            if let Ok(r) = read::read(&bytes, &display_name(&path), opts) {
                if let (Some(a), Some(y)) = (r.agency.value.clone(), r.year.value) {
                    by_agency.entry(a).or_default().push((y, path));
                }
            }
        }
        Ok(PreviousIndex { by_agency, opts: opts.clone() })
    }

    /// The report of the same agency for the year before (or the latest earlier year).
    fn lookup(&self, r: &Report) -> Option<Report> {
        let (agency, year) = (r.agency.value.as_ref()?, r.year.value?);
        let (_, path) = self.by_agency.get(agency)?.iter().filter(|(y, _)| *y < year).max_by_key(|(y, _)| *y)?;
        let bytes = read_input(path).ok()?;
        read::read(&bytes, &display_name(path), &self.opts).ok()
    }
}

/// What happened to one input.
enum Done {
    Converted(Box<Converted>, bool),
    Unreadable(String, String),
}

fn process(input: &Path, out: &Path, stem: &Path, rel: &str, s: &Settings, prev: Previous<'_>, strict: bool) -> Done {
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(msg) => return Done::Unreadable(String::new(), format!("无法读取 {rel}：{msg}")),
    };
    let c = match convert(&bytes, rel, prev, s) {
        Ok(c) => c,
        Err(e) => return Done::Unreadable(sha256_hex(&bytes), format!("无法读取 {rel}：{e}")),
    };
    let refused = strict && (count(&c.findings, Severity::Error) + count(&c.findings, Severity::Warning)) > 0;
    if !refused {
        let base = out.join(stem);
        let dir = base.parent().unwrap_or(out);
        if let Err(e) = write_outputs(dir, &file_name(&base), &c, Durability::Later) {
            return Done::Unreadable(c.report.sha256.clone(), format!("无法写入 {} 的输出：{e}", rel));
        }
    }
    Done::Converted(Box::new(c), refused)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// How many files are converted before their results are folded into the summary:
/// bounds memory whatever the number of files.
const CHUNK: usize = 128;

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let s = settings(a.read, a.templates)?;
    let mut pdf = super::pdf::Pdf::when(a.pdf, Durability::Later)?;
    if !a.input.is_dir() {
        anyhow::bail!("输入文件夹 {} 不存在或不是文件夹", a.input.display());
    }
    std::fs::create_dir_all(a.out).with_context(|| format!("无法创建输出文件夹 {}", a.out.display()))?;
    let inputs = discover(a.input, Some(a.out))?;
    let stems = output_stems(&inputs);
    let previous = a.previous_dir.map(|d| PreviousIndex::build(d, &s.read)).transpose()?;
    let lookup = |r: &Report| previous.as_ref().and_then(|p| p.lookup(r));

    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = a.jobs.filter(|n| *n > 0) {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().context("无法启动并行任务")?;

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

    let mut summary = Summary::default();
    let total = inputs.len();
    let mut done = 0usize;
    for (chunk_in, chunk_stems) in inputs.chunks(CHUNK).zip(stems.chunks(CHUNK)) {
        let results: Vec<Done> = pool.install(|| {
            chunk_in
                .par_iter()
                .zip(chunk_stems.par_iter())
                .map(|(rel, stem)| {
                    let shown = rel.to_string_lossy().replace('\\', "/");
                    let d = process(&a.input.join(rel), a.out, stem, &shown, &s, &lookup, a.strict);
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                    d
                })
                .collect()
        });
        for (rel, d) in chunk_in.iter().zip(results) {
            done += 1;
            let shown = rel.to_string_lossy().replace('\\', "/");
            let line = match d {
                Done::Converted(c, refused) => {
                    // `done` counts from 1 over all inputs: this input's stem is stems[done - 1].
                    if let (Some(p), false) = (&mut pdf, refused) {
                        p.add(super::pdf::docx_path(a.out, &stems[done - 1]));
                    }
                    summary.add_report(shown.clone(), &c.report, &c.findings, refused);
                    let (e, w) = (count(&c.findings, Severity::Error), count(&c.findings, Severity::Warning));
                    format!("{shown}：{}（{e} 个错误，{w} 个警告）", if refused { "有问题，未生成" } else { "已转换" })
                }
                Done::Unreadable(hash, msg) => {
                    summary.add_unreadable(shown.clone(), hash, msg.clone());
                    msg
                }
            };
            match &bar {
                Some(b) => b.set_message(shown),
                None => println!("[{done}/{total}] {line}"),
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(p) = &mut pdf {
        eprintln!("正在用 LibreOffice 生成 PDF……");
        p.flush();
        eprintln!("PDF：{} 个已生成，{} 个未能生成（LibreOffice 启动 {} 次）", p.made, p.failed, p.starts);
    }
    // Every output of the batch on the disk at once, before the summary that lists them.
    // A failure here is the disk's (the files are written and renamed): say so, and still
    // write the summary of what was converted.
    if let Err(e) = sync_folder(a.out) {
        eprintln!("警告：无法确认输出已全部写入磁盘（{}：{e}），请检查磁盘后再归档", a.out.display());
    }
    let xlsx = nianbao::write::summary::workbook(&summary).context("生成汇总表失败")?;
    write_atomic(&a.out.join("汇总.xlsx"), &xlsx).context("无法写入 汇总.xlsx")?;
    let json = serde_json::to_string_pretty(&nianbao::write::summary::json(&summary))?;
    write_atomic(&a.out.join("summary.json"), json.as_bytes()).context("无法写入 summary.json")?;

    use nianbao::summary::Status;
    let (ok, errors, unreadable, refused) = (
        summary.count(Status::Ok),
        summary.count(Status::Errors),
        summary.count(Status::Unreadable),
        summary.count(Status::Refused),
    );
    let dups = summary.rows.iter().filter(|r| !r.duplicate.is_empty()).count();
    eprintln!(
        "共 {total} 个文件：{ok} 个已转换，{errors} 个有错误，{refused} 个因 --strict 未生成，{unreadable} 个无法读取，{dups} 个重复；汇总见 {}",
        a.out.join("汇总.xlsx").display()
    );
    let code = if unreadable > 0 {
        EXIT_UNREADABLE
    } else if errors + refused > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    Ok(pdf.map_or(code, |p| p.exit_code(code)))
}
