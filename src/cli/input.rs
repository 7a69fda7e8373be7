//! One way in (as ripgrep's `Haystack`): whatever arrives — a workbook, a published report,
//! a saved mail with its attachments, an upload — is told apart once ([`arrival`]) and
//! becomes one [`Input`] per report file, and [`take`] is what `convert`, `batch`, `watch`
//! and `serve` do with each: read and check every report it holds, name each report's
//! outputs, refuse an output that would replace an input, write the Word report and the
//! archive, make the annotated copy. The commands differ only in how they say what came
//! of it (a printed line, a summary row, a log line, a page).

use super::fsio::{write_message, write_outputs, written_by_nianbao, Durability, Own};
use super::pdf::Pdf;
use nianbao::convert::{convert_all, report_stems, Converted, Previous, Settings};
use nianbao::finding::{count, Severity};
use nianbao::read::mail::{self, Mail, MailError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The extensions of the workbooks taken, and of the published reports (a `.doc` aside,
/// taken only to say to save it as `.docx`): one list for the folder scans and the page's
/// file field. What a file is, is told by its content.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];
pub const PUBLISHED_EXTENSIONS: &[&str] = &["html", "htm", "mht", "mhtml", "docx", "pdf"];

/// What bytes that arrived are, told once by their content.
pub enum Arrival {
    /// A file nianbao wrote: `convert` and `check` read an archive back (a new report from
    /// it) and refuse a summary; `batch` and `watch` skip both.
    Own(Own),
    /// A saved message or mailbox: its messages, each with its attachments, or why none.
    Mail(Result<Vec<Mail>, MailError>),
    /// A workbook or a published report, for the reader to tell apart.
    Report,
}

/// Tells what arrived.
pub fn arrival(bytes: &[u8]) -> Arrival {
    if let Some(own) = written_by_nianbao(bytes) {
        return Arrival::Own(own);
    }
    if mail::kind(bytes).is_some() {
        return Arrival::Mail(mail::messages(bytes));
    }
    Arrival::Report
}

/// Where an input came from.
pub enum Source<'a> {
    /// A file given or found.
    File,
    /// An attachment of a message (a workbook in a zip attached: its path in the zip).
    Mail(&'a Mail),
    /// The body of an HTTP request.
    Upload,
}

/// One report file to take: its name (the report carries it, messages say it), its
/// bytes, where it came from.
pub struct Input<'a> {
    pub name: String,
    pub bytes: &'a [u8],
    pub source: Source<'a>,
}

impl Input<'_> {
    /// The message a mailed input came in, for the archive's 来信 fields.
    fn origin(&self) -> Option<&nianbao::model::Origin> {
        match &self.source {
            Source::Mail(m) => Some(&m.origin),
            _ => None,
        }
    }
}

/// What a command gives every input it takes.
pub struct Job<'a> {
    pub settings: &'a Settings,
    pub previous: Previous<'a>,
    /// Warnings refuse too: nothing is written for a report with an error or a warning.
    pub strict: bool,
    /// The folder outputs go to; None: kept in memory (`serve`).
    pub out: Option<&'a Path>,
    pub durability: Durability,
    /// Every input's canonical path: no output replaces one.
    pub inputs: &'a HashSet<PathBuf>,
    /// Make the annotated copy of inputs that are not mail (a mail's is always made, for
    /// the reply).
    pub annotate: bool,
}

/// One report of an input and what became of its outputs.
pub struct Made {
    pub c: Converted,
    /// Its output stem, relative to the output folder.
    pub stem: String,
    /// Not written: `--strict` and an error or a warning.
    pub refused: bool,
    /// Where its Word report went, or the message why its outputs were not written; None
    /// when none were to be written.
    pub written: Option<Result<(PathBuf, PathBuf), String>>,
}

/// Everything taken from one input.
pub struct Taken {
    pub made: Vec<Made>,
    /// The annotated copy (None: nothing to mark, or not asked; a published report's is an
    /// HTML page), or the message why it could not be made: said by the caller, never dropped.
    pub annotated: Result<Option<Vec<u8>>, String>,
}

impl Taken {
    /// Queues every Word report written for `--pdf`.
    pub fn queue_pdf(&self, pdf: &mut Option<Pdf>) {
        if let Some(p) = pdf {
            for (docx, _) in self.made.iter().filter_map(|m| m.written.as_ref()?.as_ref().ok()) {
                p.add(docx.clone());
            }
        }
    }
}

/// Whether `--strict` refuses a report with these findings, or errors fail it anyway.
pub fn failing(findings: &[nianbao::Finding], strict: bool) -> bool {
    count(findings, Severity::Error) > 0 || (strict && count(findings, Severity::Warning) > 0)
}

/// Takes one input: reads and checks every report it holds, names each report's outputs
/// (`base`, or `<base> - <agency>` for each of several; `free` makes the name free where
/// the command keeps names: it gets the wanted stem and gives the one to use), writes them
/// unless refused or they would replace an input, and makes the annotated copy. An input
/// that cannot be read is the error.
pub fn take(
    input: &Input<'_>,
    job: &Job<'_>,
    base: &str,
    mut free: impl FnMut(&str) -> String,
) -> Result<Taken, nianbao::Error> {
    let want_annotated = job.annotate || matches!(input.source, Source::Mail(_));
    let all = convert_all(input.bytes, &input.name, input.origin(), job.previous, job.settings, want_annotated)?;
    let (converted, annotated) = (all.converted, all.annotated.map_err(|e| e.in_file(&input.name).to_string()));
    let stems = report_stems(base, &converted.iter().map(|c| &c.report).collect::<Vec<_>>());
    let made = converted
        .into_iter()
        .zip(stems)
        .map(|(c, wanted)| {
            let stem = if wanted == base { wanted } else { free(&wanted) };
            let refused = job.strict && failing(&c.findings, true);
            let written = match job.out {
                Some(out) if !refused => Some(write(out, &stem, &c, &input.name, job)),
                _ => None,
            };
            Made { c, stem, refused, written }
        })
        .collect();
    Ok(Taken { made, annotated })
}

/// Writes one report's outputs, `<out>/<stem>.docx` and `.xlsx`, unless one would replace
/// an input (`convert out/x.xlsx -o out`).
fn write(out: &Path, stem: &str, c: &Converted, name: &str, job: &Job<'_>) -> Result<(PathBuf, PathBuf), String> {
    let docx = super::pdf::docx_path(out, Path::new(stem));
    let over_input = [docx.clone(), docx.with_extension("xlsx")].iter().any(|p| replaces_input(p, job.inputs));
    if over_input {
        return Err(format!("{name}：输出的归档工作簿会覆盖输入文件，请换一个输出文件夹"));
    }
    let base = out.join(stem);
    let dir = base.parent().unwrap_or(out);
    let file = base.file_name().map(super::fsio::name_text).unwrap_or_default();
    write_outputs(dir, &file, c, job.durability)
        .map_err(|e| format!("无法写入 {name} 的输出（{}）：{}", base.display(), write_message(&e)))
}

/// Whether writing `path` would replace one of `inputs` (canonical paths). A name with
/// nothing there (a fresh output folder: the usual case) replaces nothing, told by one
/// `stat` rather than resolving every folder of the path (a `readlink` each).
pub fn replaces_input(path: &Path, inputs: &HashSet<PathBuf>) -> bool {
    path.symlink_metadata().is_ok() && path.canonicalize().is_ok_and(|c| inputs.contains(&c))
}

/// The canonical paths of inputs, for [`Job::inputs`].
pub fn canonical(paths: impl IntoIterator<Item = PathBuf>) -> HashSet<PathBuf> {
    paths.into_iter().filter_map(|p| p.canonicalize().ok()).collect()
}

/// The name of one of several reports of an input in messages and the summary: `suffix`
/// (` - 某局`) before the extension, `统计表.xlsx` → `统计表 - 某局.xlsx`.
pub fn part_name(name: &str, suffix: &str) -> String {
    match name.rsplit_once('.').filter(|(stem, ext)| !stem.is_empty() && !ext.contains('/')) {
        Some((stem, ext)) => format!("{stem}{suffix}.{ext}"),
        None => format!("{name}{suffix}"),
    }
}
