//! `nianbao manpage`: the man pages, from the same command definitions as `--help`.

use super::fsio::write_atomic;
use super::{oserr, EXIT_OK};
use std::io::Write;
use std::path::Path;

/// clap_mangen's section headings, in Chinese.
const HEADINGS: &[(&str, &str)] = &[
    (".SH NAME", ".SH 名称"),
    (".SH SYNOPSIS", ".SH 用法"),
    (".SH DESCRIPTION", ".SH 说明"),
    (".SH OPTIONS", ".SH 选项"),
    (".SH SUBCOMMANDS", ".SH 命令"),
    (".SH EXTRA", ".SH 示例与退出码"),
    (".SH VERSION", ".SH 版本"),
    (".SH AUTHORS", ".SH 作者"),
];

/// One page as roff text.
pub fn page(cmd: clap::Command) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    for (en, zh) in HEADINGS {
        text = text.replace(en, zh);
    }
    Ok(text)
}

/// Without a folder, `nianbao.1` on standard output; with one, a page per command in it.
pub fn run(out: Option<&Path>) -> anyhow::Result<u8> {
    let root = super::command();
    let Some(dir) = out else {
        let _ = std::io::stdout().write_all(page(root)?.as_bytes());
        return Ok(EXIT_OK);
    };
    let mut pages = vec![("nianbao.1".to_string(), page(root.clone())?)];
    for sub in root.get_subcommands() {
        let name = format!("nianbao-{}", sub.get_name());
        pages.push((
            format!("{name}.1"),
            page(sub.clone().display_name(name).bin_name(format!("nianbao {}", sub.get_name())))?,
        ));
    }
    for (file, text) in pages {
        let path = dir.join(&file);
        write_atomic(&path, text.as_bytes()).map_err(|e| anyhow::anyhow!("无法写入 {}", oserr::describe(&path, &e)))?;
        println!("已生成 {}", path.display());
    }
    Ok(EXIT_OK)
}
