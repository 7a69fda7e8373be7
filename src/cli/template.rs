//! `nianbao template`: the blank standard workbook.

use super::fsio::write_atomic;
use super::EXIT_OK;
use anyhow::Context;
use nianbao::Edition;
use std::path::Path;

pub fn run(edition: &str, agency: Option<String>, year: Option<i32>, output: &Path) -> anyhow::Result<u8> {
    let edition = Edition::parse(edition).unwrap_or(Edition::E2021);
    let bytes = nianbao::write::template::template(edition, agency.as_deref(), year).context("生成统计表失败")?;
    write_atomic(output, &bytes).with_context(|| format!("无法写入 {}", output.display()))?;
    println!("已生成 {}（{}年版）", output.display(), edition);
    Ok(EXIT_OK)
}
