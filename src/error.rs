//! Fatal errors: no report can be produced from the file. Each names what was looked
//! for and where; the CLI prefixes the file name.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("文件为空")]
    Empty,
    /// The file could not be opened at all (not found, no permission, not a regular
    /// file): the file system's words.
    #[error("{0}")]
    File(String),
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
    /// `place`: `工作表“统计表”`, with the nearest text and its cell where there is one.
    #[error("“{table}”表中找不到“{label}”{what}（{place}）")]
    LabelNotFound { table: String, label: String, what: &'static str, place: String },
    #[error("“{table}”表的数字有不止一处可读：{places}，无法判断哪一处是报告年度的；请用 --year 指明报告年度{hint}")]
    Ambiguous { table: String, places: String, hint: String },
    #[error("找不到工作表“{name}”（工作簿中的工作表：{names}）")]
    SheetNotFound { name: String, names: String },
    #[error("工作簿中有多个机关的统计表（工作表{sheets}），不能作为一份报告读取：请每个机关单独保存为一个文件，或用 --sheet 指定要读取的工作表{hint}")]
    SeveralReports { sheets: String, hint: String },
    /// A table found only in another copy (a hidden sheet, a block under another year's
    /// heading) while the report's other tables stand elsewhere: this year's was not found.
    #[error("“{table}”表只在{places}找到，那是{why}，不是本年度的表：本年度的这张表找不到（其标签可能被改动），请核对后改为官方文字")]
    OnlyOtherCopy { table: String, places: String, why: String },
    /// One agency's part of a workbook holding several reports could not be read.
    #[error("工作表“{place}”起的一份（{agency}）：{error}")]
    InPart { place: String, agency: String, error: Box<ReadError> },
    /// A published report (web page, Word document, PDF) that cannot be read as one:
    /// the message says what the file is and what to submit instead.
    #[error("{0}")]
    Published(String),
    #[error("无法判断报告格式版本：既不像2019年版也不像2021年版（请在“基本信息”表填写“版本”，或使用 --edition）")]
    EditionUnknown,
    /// A workbook holding none of the form's tables (another form, a 考核评分表): what was
    /// found instead, sheet names and a title.
    #[error("不是政府信息公开年报统计表：工作簿中没有年报统计表的任何一张表（{found}）；请提交《政府信息公开工作年度报告》统计表")]
    NotAReport { found: String },
}

/// Every failure of the library, with the file it concerns where that is known and its
/// cause. The CLI prints it as it is (`{e}`), once: a read failure says 无法读取, a failure
/// to make an output from a report 无法生成, a failure to store one 无法写入.
#[derive(Debug, Error)]
pub enum Error {
    /// The input could not be read as a report.
    #[error("无法读取 {file}：{cause}")]
    Read {
        file: String,
        #[source]
        cause: ReadError,
    },
    /// An output (`what`: the Word report, the archive workbook, an annotated copy, the
    /// summary) could not be made; `file` is the input it was made from.
    #[error("{}：{cause}", made(.file, what))]
    Write { what: &'static str, file: Option<String>, cause: String },
    /// A narrative template could not be rendered, so no Word report; `file` is the input
    /// it was rendered for, `cause` names the template.
    #[error("{}：{cause}", made(.file, "Word 报告"))]
    Template { file: Option<String>, cause: String },
    /// An output made could not be stored (`file`: where it was to go).
    #[error("无法写入 {file}：{cause}")]
    Output { file: String, cause: String },
}

/// `无法生成 坏表.xlsx 的标注工作簿`, `无法生成 Word 报告`: a space between Chinese and Latin.
fn made(file: &Option<String>, what: &str) -> String {
    let of = file.as_ref().map(|f| format!(" {f} 的")).unwrap_or_default();
    let gap = if what.starts_with(|c: char| c.is_ascii()) { " " } else { "" };
    format!("无法生成{of}{gap}{what}")
}

impl Error {
    pub fn read(file: impl Into<String>, cause: ReadError) -> Self {
        Error::Read { file: file.into(), cause }
    }

    /// A writer's failure, its input not yet known (see [`Error::in_file`]).
    pub fn write(what: &'static str, cause: impl std::fmt::Display) -> Self {
        Error::Write { what, file: None, cause: cause.to_string() }
    }

    pub fn output(file: impl Into<String>, cause: impl std::fmt::Display) -> Self {
        Error::Output { file: file.into(), cause: cause.to_string() }
    }

    /// The message without the file, for a line that names it already (a log of one
    /// file): `无法读取：文件为空`.
    pub fn brief(&self) -> String {
        match self {
            Error::Read { cause, .. } => format!("无法读取：{cause}"),
            Error::Write { what, cause, .. } => format!("{}：{cause}", made(&None, what)),
            Error::Template { cause, .. } => format!("{}：{cause}", made(&None, "Word 报告")),
            Error::Output { cause, .. } => format!("无法写入：{cause}"),
        }
    }

    /// Why, in the words of the stage that failed: what a read failure's message says
    /// after the file (`文件为空`), [`Error::brief`] otherwise.
    pub fn reason(&self) -> String {
        match self {
            Error::Read { cause, .. } => cause.to_string(),
            other => other.brief(),
        }
    }

    /// Whether the input is at fault (it could not be read), not nianbao or the disk.
    pub fn is_read(&self) -> bool {
        matches!(self, Error::Read { .. })
    }

    /// The error naming the input file, where it does not name one yet.
    pub fn in_file(self, name: &str) -> Self {
        match self {
            Error::Write { what, file: None, cause } => Error::Write { what, file: Some(name.to_string()), cause },
            Error::Template { file: None, cause } => Error::Template { file: Some(name.to_string()), cause },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_says_what_failed_and_where() {
        assert_eq!(Error::read("坏表.xlsx", ReadError::Empty).to_string(), "无法读取 坏表.xlsx：文件为空");
        let w = Error::write("标注工作簿", "工作表中没有 sheetData");
        assert_eq!(w.to_string(), "无法生成标注工作簿：工作表中没有 sheetData");
        assert_eq!(w.in_file("坏表.xlsx").to_string(), "无法生成 坏表.xlsx 的标注工作簿：工作表中没有 sheetData");
        let t = Error::Template { file: None, cause: "模板 overview.j2 第 1 行：语法错误".into() };
        assert_eq!(t.to_string(), "无法生成 Word 报告：模板 overview.j2 第 1 行：语法错误");
        assert_eq!(
            t.in_file("坏表.xlsx").to_string(),
            "无法生成 坏表.xlsx 的 Word 报告：模板 overview.j2 第 1 行：语法错误"
        );
        let r = Error::read("坏表.xlsx", ReadError::Empty);
        assert_eq!((r.brief(), r.reason(), r.is_read()), ("无法读取：文件为空".into(), "文件为空".into(), true));
        let w = Error::write("归档工作簿", "行数超出");
        assert_eq!(
            (w.brief(), w.reason(), w.is_read()),
            ("无法生成归档工作簿：行数超出".into(), "无法生成归档工作簿：行数超出".into(), false)
        );
        assert_eq!(Error::output("out/a.docx", "磁盘已满").to_string(), "无法写入 out/a.docx：磁盘已满");
    }
}
