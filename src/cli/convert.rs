//! `nianbao convert`: each workbook → `<stem>.docx` and the archive `<stem>.xlsx`.

use super::fsio::{display_name, read_input, safe_stem, write_outputs, Durability};
use super::load::{read_options, read_previous};
use super::print::print_text;
use super::{ReadArgs, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use anyhow::Context as _;
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
    s.fixed_time = std::env::var("NIANBAO_FIXED_TIME").ok().and_then(|v| v.trim().parse().ok());
    Ok(s)
}

pub fn run(a: Args<'_>) -> anyhow::Result<u8> {
    let s = settings(a.read, a.templates)?;
    let previous = a.previous.map(|p| read_previous(p, &s.read)).transpose()?;
    std::fs::create_dir_all(a.out).with_context(|| format!("无法创建输出文件夹 {}", a.out.display()))?;
    let mut code = EXIT_OK;
    for path in a.files {
        let name = display_name(path);
        let bytes = match read_input(path) {
            Ok(b) => b,
            Err(msg) => {
                eprintln!("无法读取 {name}：{msg}");
                code = EXIT_UNREADABLE;
                continue;
            }
        };
        let lookup = |_: &Report| previous.clone();
        if super::mailin::is_mail(&bytes) {
            code = code.max(super::mailin::convert(path, &bytes, a.out, &lookup, &s, a.strict, a.from));
            continue;
        }
        let c = match convert(&bytes, &name, &lookup, &s) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("无法读取 {name}：{e}");
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
        let stem = safe_stem(path);
        if same_file(path, &a.out.join(format!("{stem}.xlsx"))) {
            eprintln!("{name}：输出的归档工作簿会覆盖输入文件，请换一个输出文件夹");
            code = EXIT_UNREADABLE;
            continue;
        }
        let (docx, xlsx) =
            write_outputs(a.out, &stem, &c, Durability::Now).with_context(|| format!("无法写入 {stem} 的输出"))?;
        println!("  → {}，{}", docx.display(), xlsx.display());
    }
    Ok(code)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
