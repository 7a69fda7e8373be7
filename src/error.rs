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
    #[error("找不到工作表“{name}”（工作簿中的工作表：{names}）")]
    SheetNotFound { name: String, names: String },
    #[error("工作簿中有多个机关的统计表（工作表{sheets}），不能作为一份报告读取：请每个机关单独保存为一个文件，或用 --sheet 指定要读取的工作表")]
    SeveralReports { sheets: String },
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
