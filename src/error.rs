//! Fatal errors: no report can be produced from the file. Each names what was looked
//! for and where; the CLI prefixes the file name.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("文件为空")]
    Empty,
    #[error("不是 Excel 或 ODS 工作簿（{0}）")]
    NotAWorkbook(String),
    #[error("工作簿已加密（设有打开密码），请去掉密码后另存再提交")]
    Encrypted,
    #[error("工作簿已损坏，无法打开：{0}")]
    Corrupt(String),
    #[error("工作簿过大：{0}")]
    TooLarge(String),
    #[error("找不到“{label}”表（已查找 {sheets} 个工作表：{names}）")]
    TableNotFound { label: String, sheets: usize, names: String },
    #[error("“{table}”表中找不到“{label}”{what}（工作表“{sheet}”）")]
    LabelNotFound { table: String, label: String, what: &'static str, sheet: String },
    #[error("无法判断报告格式版本：既不像2019年版也不像2021年版（请在“基本信息”表填写“版本”，或使用 --edition）")]
    EditionUnknown,
}

/// A fatal error with the file it happened in.
#[derive(Debug, Error)]
#[error("无法读取 {file}：{source}")]
pub struct FileError {
    pub file: String,
    #[source]
    pub source: ReadError,
}
