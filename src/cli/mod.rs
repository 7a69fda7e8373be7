//! The command line: one file per subcommand. This is the only code that touches the
//! file system.

mod batch;
mod check;
mod clock;
mod convert;
mod fsio;
mod help;
mod input;
mod load;
mod mailin;
mod manpage;
pub mod oserr;
mod pdf;
pub mod platform;
mod print;
mod rules;
mod serve;
mod signal;
mod template;
mod watch;

use clap::{Parser, Subcommand};
use help::{parse_jobs, parse_limit_seconds, parse_seconds, parse_year};
use std::path::PathBuf;

pub use help::{command, render_error, usage_error};

/// Exit codes, as the README documents them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;
/// A mistake on the command line (EX_USAGE of sysexits.h).
pub const EXIT_USAGE: u8 = 64;

/// What `nianbao --version` prints after the name: the version, the commit and the target
/// it was built for (set by build.rs), e.g. `0.1.0 (commit 1a2b3c4d5, x86_64-pc-windows-gnu)`.
pub const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("NIANBAO_COMMIT"), ", ", env!("NIANBAO_TARGET"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "nianbao",
    version = VERSION,
    about = "政府信息公开工作年度报告：读取统计表、核查勾稽关系、生成 Word 报告和归档工作簿",
    override_usage = "nianbao <命令> [选项]",
    after_help = help::AFTER_MAIN
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadArgs {
    /// 机关名称，工作簿未写明时使用
    #[arg(long, value_name = "名称")]
    pub agency: Option<String>,
    /// 报告年度（四位数字），工作簿未写明时使用
    #[arg(long, value_name = "年度", value_parser = parse_year)]
    pub year: Option<i32>,
    /// 工作簿中有多套统计表时，读取此工作表上的一套；同一工作表上有两套时写“工作表!单元格”（如 '统计表!A59'），读取从该单元格起的一套
    #[arg(long, value_name = "工作表")]
    pub sheet: Option<String>,
    /// 报告格式版本：2019 或 2021（不写时按表格标签判断）
    #[arg(long, value_name = "版本", value_enum, hide_possible_values = true)]
    pub edition: Option<EditionArg>,
}

/// `--edition`: the form's edition as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EditionArg {
    #[value(name = "2019")]
    E2019,
    #[value(name = "2021")]
    E2021,
}

impl From<EditionArg> for nianbao::Edition {
    fn from(e: EditionArg) -> Self {
        match e {
            EditionArg::E2019 => nianbao::Edition::E2019,
            EditionArg::E2021 => nianbao::Edition::E2021,
        }
    }
}

/// What `convert`, `batch` and `watch` share besides the reader's options: the narrative
/// templates, the reply drafts' sender, the PDF copies. Declared once, as typst's
/// `CompileArgs`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// 覆盖内置叙述模板的文件夹（其中的 *.j2 文件逐个替换内置模板）
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,
    /// 邮件回复草稿的发件人，如 "政务公开办 <gkb@example.gov.cn>"（不填则由邮件客户端填写）
    #[arg(long, value_name = "发件人")]
    pub from: Option<String>,
    /// 同时为每份 Word 报告生成 PDF/A-2b 归档副本（需要 LibreOffice）
    #[arg(long)]
    pub pdf: bool,
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
    #[command(override_usage = "nianbao template -o <文件.xlsx> [选项]", after_help = help::AFTER_TEMPLATE)]
    Template {
        /// 报告格式版本：2019 或 2021（默认 2021）
        #[arg(
            long,
            value_name = "版本",
            value_enum,
            default_value = "2021",
            hide_possible_values = true,
            hide_default_value = true
        )]
        edition: EditionArg,
        /// 预先填入“基本信息”表的机关名称
        #[arg(long, value_name = "名称")]
        agency: Option<String>,
        /// 预先填入“基本信息”表的报告年度（四位数字）
        #[arg(long, value_name = "年度", value_parser = parse_year)]
        year: Option<i32>,
        /// 输出文件（.xlsx；不带扩展名时自动加上）
        #[arg(short = 'o', long = "output", value_name = "文件.xlsx")]
        output: PathBuf,
    },
    /// 生成 Word 报告和归档工作簿
    #[command(override_usage = "nianbao convert <文件>... -o <文件夹> [选项]", after_help = help::AFTER_CONVERT)]
    Convert {
        /// 要转换的统计表（xlsx、xlsm、xls、ods），或已发布的年报（网页 .html/.mht、.docx、PDF），可写多个
        #[arg(required = true, value_name = "文件")]
        files: Vec<PathBuf>,
        /// 输出文件夹，生成 <文件名>.docx（报告）和 <文件名>.xlsx（归档工作簿）；不存在时自动创建
        #[arg(short = 'o', long = "output", value_name = "文件夹")]
        output: PathBuf,
        /// 上一年度的统计表或归档工作簿，用于跨年度核查
        #[arg(long, value_name = "文件")]
        previous: Option<PathBuf>,
        /// 有错误或警告时不生成任何文件
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        output_args: OutputArgs,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 批量转换一个文件夹中的全部统计表，并生成汇总
    #[command(override_usage = "nianbao batch <输入文件夹> -o <文件夹> [选项]", after_help = help::AFTER_BATCH)]
    Batch {
        /// 存放统计表、已发布的年报（网页 .html/.mht、.docx、PDF）及保存的邮件（.eml、.mbox）的文件夹（含子文件夹）
        #[arg(value_name = "输入文件夹")]
        input: PathBuf,
        /// 输出文件夹，按输入的子文件夹结构存放报告和归档工作簿，另有 汇总.xlsx 和 summary.json
        #[arg(short = 'o', long = "output", value_name = "文件夹")]
        output: PathBuf,
        /// 并行任务数（默认为 CPU 核数）
        #[arg(long, value_name = "个数", value_parser = parse_jobs)]
        jobs: Option<usize>,
        /// 上一年度的统计表、归档工作簿或已发布的年报所在文件夹，按机关匹配后做跨年度核查
        #[arg(long, value_name = "文件夹")]
        previous_dir: Option<PathBuf>,
        /// 应报送的机关名单（文本、CSV 或 Excel，每行一个机关）：汇总中列出没有本年度报告的机关
        #[arg(long, value_name = "名单")]
        expect: Option<PathBuf>,
        /// 把文件夹中 nianbao 生成的归档工作簿也作为输入（合并各地的转换结果，例如各市的归档工作簿汇总为全省）
        #[arg(long)]
        archives: bool,
        /// 有错误或警告的统计表不生成报告
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        output_args: OutputArgs,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 监视收件文件夹，自动转换放入的统计表
    #[command(override_usage = "nianbao watch <收件文件夹> -o <文件夹> [选项]", after_help = help::AFTER_WATCH)]
    Watch {
        /// 收件文件夹：放入其中的统计表、已发布的年报（网页、.docx、PDF）或邮件（.eml、.mbox）转换后移到 done/，无法转换的移到 failed/
        #[arg(value_name = "收件文件夹")]
        inbox: PathBuf,
        /// 输出文件夹，存放生成的报告和归档工作簿
        #[arg(short = 'o', long = "output", value_name = "文件夹")]
        output: PathBuf,
        /// 定时扫描间隔（秒），用于收不到文件事件的网络共享文件夹
        #[arg(long, value_name = "秒", value_parser = parse_seconds)]
        poll: Option<f64>,
        /// 处理完现有文件后退出（供定时任务使用）
        #[arg(long)]
        once: bool,
        /// 文件大小和修改时间保持不变多少秒后才处理（默认 1）
        #[arg(long, value_name = "秒", default_value_t = 1.0, value_parser = parse_seconds, hide_default_value = true)]
        settle: f64,
        #[command(flatten)]
        output_args: OutputArgs,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 核查统计表，列出全部问题
    #[command(override_usage = "nianbao check <文件>... [选项]", after_help = help::AFTER_CHECK)]
    Check {
        /// 要核查的统计表（xlsx、xlsm、xls、ods）、已发布的年报（网页 .html/.mht、.docx、PDF）或保存的邮件（.eml、mbox），可写多个
        #[arg(required = true, value_name = "文件")]
        files: Vec<PathBuf>,
        /// 输出格式：text（默认，便于阅读）或 json（供程序读取）
        #[arg(
            long,
            value_name = "格式",
            value_enum,
            default_value = "text",
            hide_possible_values = true,
            hide_default_value = true
        )]
        format: OutputFormat,
        /// 警告也视为错误（退出码 1）
        #[arg(long)]
        strict: bool,
        /// 上一年度的统计表或归档工作簿，用于跨年度核查
        #[arg(long, value_name = "文件")]
        previous: Option<PathBuf>,
        /// 把每个工作簿标注问题单元格后另存到此文件夹（<文件名>.xlsx）
        #[arg(long, value_name = "文件夹")]
        annotate: Option<PathBuf>,
        /// 列出读取的每个数字所在的工作表、单元格和匹配的标签
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 启动网页服务：各部门在浏览器中上传统计表核查，并提供 HTTP 接口
    #[command(override_usage = "nianbao serve [选项]", after_help = help::AFTER_SERVE)]
    Serve {
        /// 监听地址（默认 127.0.0.1:8080，仅本机）；内网使用时写 0.0.0.0:8080
        #[arg(long, value_name = "地址", default_value = "127.0.0.1:8080", hide_default_value = true)]
        listen: String,
        /// 覆盖内置叙述模板的文件夹（*.j2）
        #[arg(long, value_name = "文件夹")]
        templates: Option<PathBuf>,
        /// 把收到的每个工作簿及其输出保存到此文件夹（按结果编号命名）
        #[arg(long, value_name = "文件夹")]
        store: Option<PathBuf>,
        /// 上传文件大小上限（默认 20MB）
        #[arg(long, value_name = "大小", default_value = "20MB", hide_default_value = true)]
        max_upload: String,
        /// 同时转换的文件数（默认为 CPU 核数），其余排队
        #[arg(long, value_name = "数量")]
        jobs: Option<usize>,
        /// 每个请求的处理时限（秒，默认 10），超时回复 503
        #[arg(long, value_name = "秒", default_value_t = 10.0, value_parser = parse_limit_seconds, hide_default_value = true)]
        timeout: f64,
        /// 排队等待空闲位置的时限（秒，默认 5），仍无空位回复 503
        #[arg(long, value_name = "秒", default_value_t = 5.0, value_parser = parse_limit_seconds, hide_default_value = true)]
        queue_wait: f64,
        /// 连接上请求头未发完或连接空闲的时限（秒，默认 15），超时断开连接
        #[arg(long, value_name = "秒", default_value_t = 15.0, value_parser = parse_limit_seconds, hide_default_value = true)]
        idle_timeout: f64,
    },
    /// 列出全部核查规则（代码、严重程度、说明）
    #[command(override_usage = "nianbao rules [选项]", after_help = help::AFTER_RULES)]
    Rules {
        /// 输出 Markdown 表格（README 中的规则表）
        #[arg(long)]
        markdown: bool,
    },
    /// 生成命令行自动补全脚本（输出到屏幕）
    #[command(override_usage = "nianbao completions <终端>", after_help = help::AFTER_COMPLETIONS)]
    Completions {
        /// 终端类型：bash、zsh、fish、powershell 或 elvish
        #[arg(value_name = "终端", hide_possible_values = true)]
        shell: clap_complete::Shell,
    },
    /// 生成 man 手册页（不写 -o 时把 nianbao.1 输出到屏幕）
    #[command(override_usage = "nianbao manpage [-o <文件夹>]", after_help = help::AFTER_MANPAGE)]
    Manpage {
        /// 输出文件夹，写入 nianbao.1 和每个命令的 nianbao-<命令>.1
        #[arg(short = 'o', long = "output", value_name = "文件夹")]
        output: Option<PathBuf>,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    if let Some(msg) = help::refused_output(&cli.command) {
        return Ok(usage_error(&msg, help::name_of(&cli.command)));
    }
    match cli.command {
        Command::Template { edition, agency, year, output } => template::run(edition.into(), agency, year, &output),
        Command::Convert { files, output, previous, strict, output_args: o, read } => convert::run(convert::Args {
            files: &files,
            out: &output,
            templates: o.templates.as_deref(),
            previous: previous.as_deref(),
            strict,
            pdf: o.pdf,
            read: &read,
            from: o.from.as_deref(),
        }),
        Command::Batch { input, output, jobs, previous_dir, expect, archives, strict, output_args: o, read } => {
            batch::run(batch::Args {
                input: &input,
                out: &output,
                jobs,
                previous_dir: previous_dir.as_deref(),
                expect: expect.as_deref(),
                archives,
                strict,
                templates: o.templates.as_deref(),
                pdf: o.pdf,
                read: &read,
                from: o.from.as_deref(),
            })
        }
        Command::Watch { inbox, output, poll, once, settle, output_args: o, read } => watch::run(watch::Args {
            inbox: &inbox,
            out: &output,
            poll,
            once,
            settle,
            templates: o.templates.as_deref(),
            pdf: o.pdf,
            read: &read,
            from: o.from.as_deref(),
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
        Command::Serve { listen, templates, store, max_upload, jobs, timeout, queue_wait, idle_timeout } => {
            serve::run(serve::Args {
                listen: &listen,
                templates: templates.as_deref(),
                store: store.as_deref(),
                max_upload: &max_upload,
                jobs,
                timeout,
                queue_wait,
                idle_timeout,
            })
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut command(), "nianbao", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Manpage { output } => manpage::run(output.as_deref()),
    }
}
