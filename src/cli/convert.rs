//! `nianbao convert`: each workbook → `<stem>.docx` and the archive `<stem>.xlsx`.

use super::fsio::{
    display_name, distinct_stems, write_message, write_outputs, written_by_nianbao, Durability, Own,
    SUMMARY_NOT_A_REPORT,
};
use super::load::{read_options, read_previous};
use super::print::print_text;
use super::{ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use nianbao::convert::{convert, Settings};
use nianbao::finding::{count, Severity};
use nianbao::Report;
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
    // Outputs of workbooks taken from mail are made distinct from these and each other.
    let lookup = |_: &Report| previous.clone();
    let mut mail = super::mailin::Batch {
        out: a.out,
        s: &s,
        previous: &lookup,
        strict: a.strict,
        from: a.from,
        stems: stems.iter().map(|s| s.to_lowercase()).collect(),
        replies: Default::default(),
        seen: Default::default(),
    };
    let mut pdf = super::pdf::Pdf::when(a.pdf, Durability::Now)?;
    let mut code = EXIT_OK;
    for (path, stem) in a.files.iter().zip(stems) {
        let name = display_name(path);
        let bytes = match super::mailin::read_input(path) {
            Ok(b) => b,
            Err(msg) => {
                eprintln!("{}", super::fsio::unreadable(&name, msg));
                code = EXIT_UNREADABLE;
                continue;
            }
        };
        // An archive named here is read back (a new report from it); a summary is no report.
        if written_by_nianbao(&bytes) == Some(Own::Summary) {
            eprintln!("{}", super::fsio::unreadable(&name, SUMMARY_NOT_A_REPORT.into()));
            code = EXIT_UNREADABLE;
            continue;
        }
        if super::mailin::is_mail(&bytes) {
            code = code.max(super::mailin::convert(path, &bytes, &mut mail));
            continue;
        }
        let c = match convert(&bytes, &name, &lookup, &s) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                code = EXIT_UNREADABLE;
                continue;
            }
        };
        print_text(&c.report, &c.findings);
        let errors = count(&c.findings, Severity::Error) > 0 || (a.strict && count(&c.findings, Severity::Warning) > 0);
        if errors {
            code = code.max(EXIT_FINDINGS);
            if a.strict {
                eprintln!("{name}：有错误，--strict 下不生成报告");
                continue;
            }
        }
        if a.files.iter().any(|f| {
            same_file(f, &a.out.join(format!("{stem}.xlsx"))) || same_file(f, &a.out.join(format!("{stem}.docx")))
        }) {
            eprintln!("{name}：输出的归档工作簿会覆盖输入文件，请换一个输出文件夹");
            code = EXIT_UNREADABLE;
            continue;
        }
        match write_outputs(a.out, &stem, &c, Durability::Now) {
            Ok((docx, xlsx)) => {
                println!("  → {}，{}", docx.display(), xlsx.display());
                if let Some(p) = &mut pdf {
                    p.add(docx);
                }
            }
            Err(e) => {
                eprintln!("无法写入 {name} 的输出（{}）：{}", a.out.join(&stem).display(), write_message(&e));
                code = EXIT_UNREADABLE;
            }
        }
    }
    if let Some(p) = &mut pdf {
        for made in p.flush() {
            println!("  → {}", made.display());
        }
        code = p.exit_code(code);
    }
    Ok(code)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
