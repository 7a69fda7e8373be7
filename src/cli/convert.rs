//! `nianbao convert`: each input (a workbook, a published report, every workbook a saved mail
//! carries) → `<stem>.docx` and the archive `<stem>.xlsx`, through [`super::input::take`].

use super::fsio::{display_name, distinct_stems, free_name, Durability, Own, SUMMARY_NOT_A_REPORT};
use super::input::{arrival, canonical, failing, take, Arrival, Input, Job, Source, Taken};
use super::load::{read_options, read_previous};
use super::mailin;
use super::print::print_text;
use super::{ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use nianbao::convert::Settings;
use nianbao::read::mail::{Mail, MailError};
use nianbao::Report;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Args<'a> {
    pub files: &'a [PathBuf],
    pub out: &'a Path,
    pub templates: Option<&'a Path>,
    pub previous: Option<&'a Path>,
    pub strict: bool,
    pub pdf: bool,
    pub read: &'a ReadArgs,
    /// The From line of reply drafts to mailed workbooks.
    pub from: Option<&'a str>,
}

pub fn settings(read: &ReadArgs, templates: Option<&Path>) -> anyhow::Result<Settings> {
    let mut s = Settings { read: read_options(read), ..Settings::default() };
    if let Some(dir) = templates {
        s.templates = super::fsio::load_templates(dir)?;
        s.reply_template = std::fs::read_to_string(dir.join("reply.j2")).ok();
    }
    // A template that does not compile is reported once, before any file is converted,
    // rather than blamed on every department's workbook.
    s.templates.check().map_err(|e| anyhow::anyhow!("叙述模板有错误，未转换任何文件：{e}"))?;
    s.fixed_time = std::env::var("NIANBAO_FIXED_TIME").ok().and_then(|v| v.trim().parse().ok());
    s.zone = super::clock::zone().clone();
    Ok(s)
}

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let s = settings(a.read, a.templates)?;
    let previous = a.previous.map(|p| read_previous(p, &s.read)).transpose()?;
    if a.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx") || e.eq_ignore_ascii_case("xlsx"))
        && !a.out.is_dir()
    {
        anyhow::bail!("-o 应为输出文件夹，不是文件名：{}", a.out.display());
    }
    // Two inputs with one name (`A/统计表.xlsx B/统计表.xlsx`, `x.xls x.xlsx`) get distinct
    // outputs; the folder is created with the first output, never left empty.
    let stems = distinct_stems(a.files);
    let lookup = |_: &Report| previous.clone();
    let inputs = canonical(a.files.iter().cloned());
    let job = Job {
        settings: &s,
        previous: &lookup,
        strict: a.strict,
        out: Some(a.out),
        durability: Durability::Now,
        inputs: &inputs,
        annotate: false,
    };
    let mut run = Run {
        job: &job,
        // Outputs of workbooks taken from mail, and of several reports of one workbook, are
        // made distinct from these and each other.
        stems: stems.iter().map(|s| s.to_lowercase()).collect(),
        replies: HashSet::new(),
        pdf: super::pdf::Pdf::when(a.pdf, Durability::Now)?,
        code: EXIT_OK,
    };
    for (path, stem) in a.files.iter().zip(stems) {
        let name = display_name(path);
        let bytes = match super::mailin::read_input(path) {
            Ok(b) => b,
            Err(msg) => {
                eprintln!("{}", super::fsio::unreadable(&name, msg));
                run.code = EXIT_UNREADABLE;
                continue;
            }
        };
        match arrival(&bytes) {
            // A summary is no report; an archive named here is read back (a new report from it).
            Arrival::Own(Own::Summary) => {
                eprintln!("{}", super::fsio::unreadable(&name, SUMMARY_NOT_A_REPORT.into()));
                run.code = EXIT_UNREADABLE;
            }
            Arrival::Mail(msgs) => run.mail(path, msgs, a.from),
            Arrival::Own(Own::Archive | Own::Report | Own::Pdf) | Arrival::Report => {
                let input = Input { name, bytes: &bytes, source: Source::File };
                let _ = run.one(&input, &stem);
            }
        }
    }
    let mut code = run.code;
    if let Some(p) = &mut run.pdf {
        for made in p.flush() {
            println!("  → {}", made.display());
        }
        code = p.exit_code(code);
    }
    Ok(code)
}

/// What every input of one `convert` shares: the job, the names taken so far, the PDFs to
/// make, the exit code so far.
struct Run<'a> {
    job: &'a Job<'a>,
    /// Output stems taken, lower case.
    stems: HashSet<String>,
    /// Reply drafts written, lower case.
    replies: HashSet<String>,
    pdf: Option<super::pdf::Pdf>,
    code: u8,
}

impl Run<'_> {
    /// Converts one input and prints what came of it: its findings, each output written,
    /// why not. A file and a mail's attachment alike.
    /// Err: the reason the input could not be read, for a reply.
    fn one(&mut self, input: &Input<'_>, base: &str) -> Result<Taken, String> {
        let stems = &mut self.stems;
        let taken = match take(input, self.job, base, |wanted| free_name(wanted, |c| !stems.insert(c.to_lowercase()))) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                self.code = EXIT_UNREADABLE;
                return Err(e.reason());
            }
        };
        for m in &taken.made {
            print_text(&m.c.report, &m.c.findings);
            if failing(&m.c.findings, self.job.strict) {
                self.code = self.code.max(EXIT_FINDINGS);
            }
            if m.refused {
                eprintln!("{}：有错误，--strict 下不生成报告", input.name);
            }
            match &m.written {
                Some(Ok((docx, xlsx))) => println!("  → {}，{}", docx.display(), xlsx.display()),
                Some(Err(msg)) => {
                    eprintln!("{msg}");
                    self.code = EXIT_UNREADABLE;
                }
                None => {}
            }
        }
        if let Err(msg) = &taken.annotated {
            eprintln!("{msg}");
            self.code = EXIT_UNREADABLE;
        }
        taken.queue_pdf(&mut self.pdf);
        Ok(taken)
    }

    /// Every workbook attached to the messages of a mail file, each converted as a file is
    /// (named `<来信人> - <附件>`), and a reply draft per message.
    fn mail(&mut self, path: &Path, msgs: Result<Vec<Mail>, MailError>, from: Option<&str>) {
        let msgs = match msgs {
            Ok(m) => m,
            Err(e) => {
                eprintln!("无法读取 {}：{e}", display_name(path));
                self.code = EXIT_UNREADABLE;
                return;
            }
        };
        for m in &msgs {
            if let (true, Some(why)) = (m.problems.is_empty(), m.why_empty()) {
                eprintln!("{}（{}）：{why}", display_name(path), mailin::described(m));
                self.code = self.code.max(EXIT_UNREADABLE);
            }
            for p in &m.problems {
                let file = p
                    .attachment
                    .as_deref()
                    .map_or(display_name(path), |a| mailin::attachment_id(&display_name(path), a));
                eprintln!("{file}（{}）：{}", mailin::described(m), p.message);
                self.code = self.code.max(EXIT_UNREADABLE);
            }
            let mut done = Vec::with_capacity(m.attachments.len());
            for a in &m.attachments {
                let stems = &mut self.stems;
                let base = mailin::output_stem(m, &a.name, |c| !stems.insert(c.to_lowercase()));
                let input = Input { name: m.origin.input_name(&a.name), bytes: &a.bytes, source: Source::Mail(m) };
                let taken = self.one(&input, &base);
                done.extend(mailin::outcomes(&a.name, taken));
            }
            match mailin::write_reply(
                self.job.out.unwrap_or(Path::new(".")),
                m,
                &done,
                from,
                self.job.settings,
                &mut self.replies,
            ) {
                Ok(Some(p)) => println!("  回复草稿 → {}", p.display()),
                Ok(None) => {}
                Err(msg) => {
                    eprintln!("{msg}");
                    self.code = self.code.max(EXIT_UNREADABLE);
                }
            }
        }
    }
}
