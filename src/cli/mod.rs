//! The command line: one file per subcommand. This is the only code that touches the
//! file system.

mod batch;
mod check;
mod convert;
mod fsio;
mod load;
mod mailin;
pub mod platform;
mod print;
mod rules;
mod serve;
mod signal;
mod template;
mod watch;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Exit codes, as the README documents them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

/// What `nianbao --version` prints after the name: the version, the commit and the target
/// it was built for (set by build.rs), e.g. `0.1.0 (commit 1a2b3c4d5, x86_64-pc-windows-gnu)`.
pub const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("NIANBAO_COMMIT"), ", ", env!("NIANBAO_TARGET"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "nianbao",
    version = VERSION,
    about = "政府信息公开工作年度报告：读取统计表、核查勾稽关系、生成 Word 报告和归档工作簿"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadArgs {
    /// 工作簿未写明机关名称时使用
    #[arg(long)]
    pub agency: Option<String>,
    /// 工作簿未写明报告年度时使用
    #[arg(long)]
    pub year: Option<i32>,
    /// 工作簿中有多套统计表时，读取此工作表上的一套
    #[arg(long)]
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    /// One JSON object per file, one per line (JSON Lines).
    Json,
    /// The same objects as one JSON array.
    JsonArray,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成空白的标准统计表（xlsx）
    Template {
        #[arg(long, default_value = "2021", value_parser = ["2019", "2021"])]
        edition: String,
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 生成 Word 报告和归档工作簿
    Convert {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 覆盖内置叙述模板的文件夹（*.j2）
        #[arg(long)]
        templates: Option<PathBuf>,
        /// 上一年度的统计表或归档工作簿，用于跨年度核查
        #[arg(long)]
        previous: Option<PathBuf>,
        /// 有错误（或警告）时不生成任何文件
        #[arg(long)]
        strict: bool,
        /// 邮件回复草稿的发件人，如 "政务公开办 <gkb@example.gov.cn>"（不填则由邮件客户端填写）
        #[arg(long)]
        from: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 批量转换一个文件夹中的全部统计表，并生成汇总
    Batch {
        input: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 并行任务数（默认为 CPU 核数）
        #[arg(long)]
        jobs: Option<usize>,
        /// 上一年度的统计表或归档工作簿所在文件夹，按机关匹配后做跨年度核查
        #[arg(long)]
        previous_dir: Option<PathBuf>,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        templates: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 监视收件文件夹，自动转换放入的统计表
    Watch {
        inbox: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 定时扫描间隔（秒），用于收不到文件事件的网络共享文件夹
        #[arg(long)]
        poll: Option<f64>,
        /// 处理完现有文件后退出（供定时任务使用）
        #[arg(long)]
        once: bool,
        /// 文件大小和修改时间保持不变多少秒后才处理
        #[arg(long, default_value_t = 1.0)]
        settle: f64,
        #[arg(long)]
        templates: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 核查统计表，列出全部问题
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// 警告也视为错误（退出码 1）
        #[arg(long)]
        strict: bool,
        /// 上一年度的统计表或归档工作簿，用于跨年度核查
        #[arg(long)]
        previous: Option<PathBuf>,
        /// 把每个工作簿标注问题单元格后另存到此文件夹（<文件名>.xlsx）
        #[arg(long)]
        annotate: Option<PathBuf>,
        /// 列出读取的每个数字所在的工作表、单元格和匹配的标签
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 启动网页服务：各部门在浏览器中上传统计表核查，并提供 HTTP 接口
    Serve {
        /// 监听地址；内网使用时写 0.0.0.0:8080
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// 覆盖内置叙述模板的文件夹（*.j2）
        #[arg(long)]
        templates: Option<PathBuf>,
        /// 把收到的每个工作簿及其输出保存到此文件夹（按 SHA-256 命名）
        #[arg(long)]
        store: Option<PathBuf>,
        /// 上传文件大小上限
        #[arg(long, default_value = "20MB")]
        max_upload: String,
        /// 同时转换的文件数（默认为 CPU 核数），其余排队
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// 列出全部核查规则（代码、严重程度、说明）
    Rules {
        /// 输出 Markdown 表格（README 中的规则表）
        #[arg(long)]
        markdown: bool,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Template { edition, agency, year, output } => template::run(&edition, agency, year, &output),
        Command::Convert { files, output, templates, previous, strict, from, read } => convert::run(convert::Args {
            files: &files,
            out: &output,
            templates: templates.as_deref(),
            previous: previous.as_deref(),
            strict,
            read: &read,
            from: from.as_deref(),
        }),
        Command::Batch { input, output, jobs, previous_dir, strict, templates, read } => batch::run(batch::Args {
            input: &input,
            out: &output,
            jobs,
            previous_dir: previous_dir.as_deref(),
            strict,
            templates: templates.as_deref(),
            read: &read,
        }),
        Command::Watch { inbox, output, poll, once, settle, templates, read } => watch::run(watch::Args {
            inbox: &inbox,
            out: &output,
            poll,
            once,
            settle,
            templates: templates.as_deref(),
            read: &read,
        }),
        Command::Check { files, format, strict, previous, annotate, explain, read } => check::run(check::Args {
            files: &files,
            format,
            strict,
            previous: previous.as_deref(),
            annotate: annotate.as_deref(),
            explain,
            read: &read,
        }),
        Command::Rules { markdown } => rules::run(markdown),
        Command::Serve { listen, templates, store, max_upload, jobs } => serve::run(serve::Args {
            listen: &listen,
            templates: templates.as_deref(),
            store: store.as_deref(),
            max_upload: &max_upload,
            jobs,
        }),
    }
}
