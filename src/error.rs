//! Fatal errors: no report can be produced from the file. Each names what was looked
//! for and where; the CLI prefixes the file name.

use std::sync::Arc;
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
    /// Two places for one number that both carry the report year (a hidden column beside
    /// its visible copy): no year tells them apart, so `--year` is no way out.
    #[error("“{table}”表的数字有不止一处可读：{places}，都是报告年度的，无法判断读取哪一处：请删除多余的一处（包括隐藏的行或列）后再提交{hint}")]
    SameYear { table: String, places: String, hint: String },
    /// One row of a table typed on more than one row with different numbers.
    #[error("“{table}”表中“{label}”一行出现了不止一次（{places}），数字各不相同，无法判断读取哪一行：请删除多余的行（也可能是隐藏的行）后再提交")]
    DuplicateRow { table: String, label: String, places: String },
    /// A table as one long list naming one of its numbers on two lines.
    #[error("“{table}”表中“{label}”有不止一行：{places}，无法判断读取哪一行：请删除多余的一行后再提交")]
    TwoLines { table: String, label: String, places: String },
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
    /// A mail file that gives no message at all.
    #[error(transparent)]
    Mail(#[from] MailError),
}

/// Why a mail file gives no message at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MailError {
    #[error("这是 Outlook 的 .msg 文件，无法直接读取：请把邮件另存为 .eml（Outlook 网页版、新版 Outlook、Foxmail、Thunderbird 都能“另存为 .eml”），或把附件另存后直接转换")]
    OutlookMsg,
    #[error("这是 Outlook 的 winmail.dat（TNEF 格式），其中的附件无法直接读取：请让发件人以“纯文本”或“HTML”格式重新发送邮件，或在 Outlook 中把附件另存后再转换")]
    Tnef,
    #[error("不是可以读取的邮件（缺少邮件头）")]
    NotMail,
    #[error("邮箱文件中没有邮件")]
    EmptyMbox,
}

/// Why an output could not be made from a report that was read.
#[derive(Debug, Error)]
pub enum WriteError {
    /// The xlsx writer refused a cell, a name or a range (its own words).
    #[error("{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The zip around the Word document.
    #[error("打包 docx 失败（{0}）")]
    Docx(#[source] zip::result::ZipError),
    /// A part of the department's workbook could not be patched (the annotated copy).
    #[error(transparent)]
    Patch(#[from] PatchError),
    /// The department's workbook could not be read again (the annotated copy of an xls or
    /// ods). Boxed: the largest cause, and rare.
    #[error(transparent)]
    Reread(Box<ReadError>),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// A published report (web page, docx, PDF) has no workbook to mark: its annotated copy
    /// is HTML.
    #[error("已发布的年报不是工作簿，无法标注")]
    NotAWorkbook,
}

impl From<ReadError> for WriteError {
    fn from(e: ReadError) -> Self {
        WriteError::Reread(Box::new(e))
    }
}

/// Why a part of a workbook someone else wrote could not be patched: its XML is broken, or
/// it lacks what the patch adds to.
#[derive(Debug, Error)]
pub enum PatchError {
    #[error("不是有效的 xlsx 压缩包（{0}）")]
    NotZip(#[source] zip::result::ZipError),
    /// A member of the package could not be read, or the package written.
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("XML 无法解析（第 {at} 字节）：{source}")]
    Xml {
        at: u64,
        #[source]
        source: quick_xml::Error,
    },
    /// A part the package must have (`workbook.xml`, `[Content_Types].xml`).
    #[error("找不到 {0}")]
    NoPart(&'static str),
    /// `part`: `工作表`, `styles.xml ` (a space before Chinese after Latin).
    #[error("{part}中没有 {element}")]
    NoElement { part: &'static str, element: &'static str },
    #[error("批注绘图部件无法识别")]
    UnknownDrawing,
    #[error("工作表已有旧式绘图对象，无法添加批注")]
    LegacyDrawing,
}

/// Why a narrative template gave no text: each message names the template.
#[derive(Debug, Clone, Error)]
pub enum TemplateError {
    /// minijinja's error (syntax, undefined variable, out of fuel), with template and line.
    #[error("{}", jinja_message(.0))]
    Jinja(#[source] Arc<minijinja::Error>),
    #[error("模板 {0}：输出不是有效的文本")]
    NotText(String),
    #[error("模板 {name}：输出超过 {kb} KB，超出一份报告的合理长度，已停止（请检查模板中的循环）")]
    TooLong { name: String, kb: usize },
}

impl From<minijinja::Error> for TemplateError {
    fn from(e: minijinja::Error) -> Self {
        TemplateError::Jinja(Arc::new(e))
    }
}

/// A template error in Chinese, naming the template and line.
fn jinja_message(e: &minijinja::Error) -> String {
    use minijinja::ErrorKind;
    let what = match e.kind() {
        ErrorKind::UndefinedError => "使用了未定义的变量".to_string(),
        ErrorKind::SyntaxError => "语法错误".to_string(),
        ErrorKind::TemplateNotFound => "找不到模板".to_string(),
        ErrorKind::OutOfFuel => "运算步骤过多（超过上限，可能是过大的循环），已停止".to_string(),
        k => k.to_string(),
    };
    let detail = e.detail().map(|d| format!("（{d}）")).unwrap_or_default();
    match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("模板 {name} 第 {line} 行：{what}{detail}"),
        (Some(name), None) => format!("模板 {name}：{what}{detail}"),
        _ => format!("模板出错：{what}{detail}"),
    }
}

/// Why the reply draft to a message could not be made.
#[derive(Debug, Error)]
pub enum ReplyError {
    #[error("来信没有发件人地址，无法生成回复")]
    NoSender,
    #[error("生成回复邮件失败：{0}")]
    Mail(#[source] std::io::Error),
    #[error("{}", reply_template_message(.0))]
    Template(#[source] minijinja::Error),
    #[error("模板 reply.j2 生成的文字超过 1 MB")]
    TooLong,
}

impl From<minijinja::Error> for ReplyError {
    fn from(e: minijinja::Error) -> Self {
        ReplyError::Template(e)
    }
}

/// `reply.j2`'s error with its line, in minijinja's words.
fn reply_template_message(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("模板 reply.j2 第 {line} 行：{e}"),
        None => format!("模板 reply.j2：{e}"),
    }
}

/// Every failure of the library, with the file it concerns where that is known and its
/// cause. The CLI prints it as it is (`{e}`), once: a read failure says 无法读取, a failure
/// to make an output from a report 无法生成, a failure to store one 无法写入.
#[derive(Debug, Error)]
pub enum Error {
    /// The input could not be read as a report.
    #[error("无法读取 {file}：{cause}")]
    Read {
        /// Boxed so that the error stays small on every `Result` path (clippy's
        /// `result_large_err`): the cause is already the largest part.
        file: Box<str>,
        #[source]
        cause: ReadError,
    },
    /// An output (`what`: the Word report, the archive workbook, an annotated copy, the
    /// summary) could not be made; `file` is the input it was made from.
    #[error("{}：{cause}", made(.file, what))]
    Write {
        what: &'static str,
        file: Option<String>,
        #[source]
        cause: WriteError,
    },
    /// A narrative template could not be rendered, so no Word report; `file` is the input
    /// it was rendered for, `cause` names the template.
    #[error("{}：{cause}", made(.file, "Word 报告"))]
    Template {
        file: Option<String>,
        #[source]
        cause: TemplateError,
    },
    /// An output made could not be stored (`file`: where it was to go).
    #[error("无法写入 {file}：{cause}")]
    Output {
        file: String,
        #[source]
        cause: std::io::Error,
    },
}

/// `无法生成 坏表.xlsx 的标注工作簿`, `无法生成 Word 报告`: a space between Chinese and Latin.
fn made(file: &Option<String>, what: &str) -> String {
    let of = file.as_ref().map(|f| format!(" {f} 的")).unwrap_or_default();
    let gap = if what.starts_with(|c: char| c.is_ascii()) { " " } else { "" };
    format!("无法生成{of}{gap}{what}")
}

impl Error {
    pub fn read(file: impl Into<String>, cause: ReadError) -> Self {
        Error::Read { file: file.into().into_boxed_str(), cause }
    }

    /// A writer's failure, its input not yet known (see [`Error::in_file`]).
    pub fn write(what: &'static str, cause: impl Into<WriteError>) -> Self {
        Error::Write { what, file: None, cause: cause.into() }
    }

    /// A template's failure, its input not yet known (see [`Error::in_file`]).
    pub fn template(cause: TemplateError) -> Self {
        Error::Template { file: None, cause }
    }

    /// A mail file that gives no message: the input is at fault, as for a workbook.
    pub fn mail(file: impl Into<String>, cause: MailError) -> Self {
        Error::read(file, cause.into())
    }

    pub fn output(file: impl Into<String>, cause: std::io::Error) -> Self {
        Error::Output { file: file.into(), cause }
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
        let w = Error::write("标注工作簿", PatchError::NoElement { part: "工作表", element: "sheetData" });
        assert_eq!(w.to_string(), "无法生成标注工作簿：工作表中没有 sheetData");
        assert_eq!(w.in_file("坏表.xlsx").to_string(), "无法生成 坏表.xlsx 的标注工作簿：工作表中没有 sheetData");
        let t = Error::template(TemplateError::NotText("overview.j2".into()));
        assert_eq!(t.to_string(), "无法生成 Word 报告：模板 overview.j2：输出不是有效的文本");
        assert_eq!(
            t.in_file("坏表.xlsx").to_string(),
            "无法生成 坏表.xlsx 的 Word 报告：模板 overview.j2：输出不是有效的文本"
        );
        let r = Error::read("坏表.xlsx", ReadError::Empty);
        assert_eq!((r.brief(), r.reason(), r.is_read()), ("无法读取：文件为空".into(), "文件为空".into(), true));
        let limit = rust_xlsxwriter::XlsxError::RowColumnLimitError;
        let said = format!("无法生成归档工作簿：{limit}");
        let w = Error::write("归档工作簿", limit);
        assert_eq!((w.brief(), w.reason(), w.is_read()), (said.clone(), said, false));
        let disk = std::io::Error::other("磁盘已满");
        assert_eq!(Error::output("out/a.docx", disk).to_string(), "无法写入 out/a.docx：磁盘已满");
        let m = Error::mail("来信.eml", MailError::NotMail);
        assert_eq!((m.to_string(), m.is_read()), ("无法读取 来信.eml：不是可以读取的邮件（缺少邮件头）".into(), true));
    }

    #[test]
    fn a_cause_is_a_type_a_caller_can_ask_for() {
        let w = Error::write("标注工作簿", PatchError::LegacyDrawing);
        let cause = std::error::Error::source(&w).and_then(|c| c.downcast_ref::<WriteError>());
        assert!(matches!(cause, Some(WriteError::Patch(PatchError::LegacyDrawing))), "{cause:?}");
        let bad =
            minijinja::Environment::new().template_from_named_str("overview.j2", "{% if %}").map(|_| ()).unwrap_err();
        let t = Error::template(bad.into());
        assert!(t.to_string().starts_with("无法生成 Word 报告：模板 overview.j2 第 1 行：语法错误"), "{t}");
        let cause = std::error::Error::source(&t).and_then(|c| c.downcast_ref::<TemplateError>());
        assert!(matches!(cause, Some(TemplateError::Jinja(e)) if e.kind() == minijinja::ErrorKind::SyntaxError));
    }
}
