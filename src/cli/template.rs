//! `nianbao template`: the blank standard workbook.

use super::fsio::write_atomic;
use super::{help, oserr, usage_error, EXIT_OK};
use anyhow::Context;
use nianbao::Edition;
use std::path::{Path, PathBuf};

pub fn run(edition: Edition, agency: Option<String>, year: Option<i32>, output: &Path) -> anyhow::Result<u8> {
    let output = match xlsx_name(output) {
        Ok(p) => p,
        Err(msg) => return Ok(usage_error(&msg, "template")),
    };
    let bytes = nianbao::write::template::template(edition, agency.as_deref(), year).context("生成统计表失败")?;
    write_atomic(&output, &bytes).map_err(|e| anyhow::anyhow!("无法写入 {}", oserr::describe(&output, &e)))?;
    println!("已生成 {}（{}年版）", output.display(), edition);
    Ok(EXIT_OK)
}

/// The template is an xlsx file: a name without an extension gets `.xlsx`, another
/// extension (`.ods`, `.xls`) is refused, since the file would not open as what it says.
fn xlsx_name(output: &Path) -> Result<PathBuf, String> {
    match help::extension(output).as_deref() {
        Some("xlsx") => Ok(output.to_path_buf()),
        None if !output.as_os_str().is_empty() => {
            let mut name = output.as_os_str().to_owned();
            name.push(".xlsx");
            Ok(PathBuf::from(name))
        }
        _ => Err(format!(
            "统计表是 xlsx 工作簿，输出文件名应以 .xlsx 结尾（而不是 {}），如：-o 统计表.xlsx",
            output.display()
        )),
    }
}
