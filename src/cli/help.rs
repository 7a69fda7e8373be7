//! The command line in Chinese: help layout, examples and exit codes under every command,
//! value checks with Chinese messages, and clap's errors rendered in Chinese.

use super::{Cli, Command as Cmd, EXIT_USAGE};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory};
use std::path::Path;

/// Every command's help: clap's own words (`Usage:`) replaced by ours.
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

macro_rules! after {
    ($examples:literal) => {
        concat!(
            "示例：\n",
            $examples,
            "\n\n",
            "退出码：
  0   全部完成，没有错误
  1   有错误（使用 --strict 时警告也算）
  2   有文件无法读取或写入
  64  命令行用法有误"
        )
    };
}

pub const AFTER_MAIN: &str = after!(
    "  nianbao template -o 统计表.xlsx                  生成空白统计表
  nianbao check 2023年报.xlsx                      核查统计表
  nianbao convert 2023年报.xlsx -o 输出            生成 Word 报告和归档工作簿

每个命令的详细说明：nianbao <命令> --help"
);
pub const AFTER_TEMPLATE: &str = after!(
    "  nianbao template -o 统计表.xlsx
  nianbao template --agency 某某县市场监督管理局 --year 2023 -o 2023年统计表.xlsx
  nianbao template --edition 2019 -o 2020年统计表.xlsx"
);
pub const AFTER_CONVERT: &str = after!(
    "  nianbao convert 2023年报.xlsx -o 输出
  nianbao convert 2023年报.xlsx --previous 2022年报.xlsx -o 输出
  nianbao convert 甲局.xlsx 乙局.xlsx --strict -o 输出"
);
pub const AFTER_BATCH: &str = after!(
    "  nianbao batch 收到的统计表 -o 输出
  nianbao batch 2023 -o 输出2023 --previous-dir 2022 --jobs 2
  nianbao batch 收到的年报 -o 结果 --expect 应报送名单.xlsx"
);
pub const AFTER_WATCH: &str = after!(
    "  nianbao watch 收件箱 -o 输出
  nianbao watch /mnt/共享/收件箱 -o 输出 --poll 10
  nianbao watch 收件箱 -o 输出 --once              （供定时任务使用）"
);
pub const AFTER_CHECK: &str = after!(
    "  nianbao check 2023年报.xlsx
  nianbao check *.xlsx --annotate 标注
  nianbao check 2023年报.xlsx --previous 2022年报.xlsx --format json"
);
pub const AFTER_SERVE: &str = concat!(
    "示例：
  nianbao serve                                     在本机 http://127.0.0.1:8080 打开网页
  nianbao serve --listen 0.0.0.0:8080 --store 收件存档   供单位内网使用，并保存收到的统计表

",
    "退出码：
  0   正常停止（Ctrl-C 或 SIGTERM）
  2   无法监听该地址或无法写入存档文件夹
  64  命令行用法有误"
);
pub const AFTER_RULES: &str = concat!(
    "示例：
  nianbao rules
  nianbao rules --markdown > 规则.md

",
    "退出码：
  0   成功
  64  命令行用法有误"
);
pub const AFTER_COMPLETIONS: &str = concat!(
    "示例：
  nianbao completions bash > ~/.local/share/bash-completion/completions/nianbao
  nianbao completions zsh > ~/.zfunc/_nianbao
  nianbao completions powershell >> $PROFILE

",
    "退出码：
  0   成功
  64  命令行用法有误"
);
pub const AFTER_MANPAGE: &str = concat!(
    "示例：
  nianbao manpage > nianbao.1 && man ./nianbao.1
  nianbao manpage -o /usr/local/share/man/man1

",
    "退出码：
  0   成功
  2   无法写入
  64  命令行用法有误"
);

/// The whole command line, with Chinese help and flags on every command.
pub fn command() -> clap::Command {
    localize(Cli::command(), true)
}

fn localize(cmd: clap::Command, top: bool) -> clap::Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a| {
            let heading = if a.is_positional() { "参数" } else { "选项" };
            a.help_heading(heading)
        })
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("显示此帮助").help_heading("选项"));
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    cmd.mut_subcommands(|s| localize(s, false))
}

/// `--year`: four digits.
pub fn parse_year(s: &str) -> Result<i32, String> {
    let t = s.trim();
    match t.parse::<i32>() {
        Ok(y) if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) && y >= 1000 => Ok(y),
        _ => Err("年度应为四位数字，如 2023".into()),
    }
}

/// `--jobs`: a whole number from 1.
pub fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("并行任务数应为正整数，如 4".into()),
    }
}

/// `--poll`, `--settle`: seconds, fractions allowed.
pub fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.0..=86_400.0).contains(&x) => Ok(x),
        _ => Err("应为秒数（0 到 86400），如 1 或 0.5".into()),
    }
}

/// A time limit: above 0 (a limit of 0 would refuse everything), at most a day.
pub fn parse_limit_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.01..=86_400.0).contains(&x) => Ok(x),
        _ => Err("应为大于 0 的秒数（0.01 到 86400），如 10 或 0.5".into()),
    }
}

/// The subcommand's name, for messages and usage lines.
pub fn name_of(c: &Cmd) -> &'static str {
    match c {
        Cmd::Template { .. } => "template",
        Cmd::Convert { .. } => "convert",
        Cmd::Batch { .. } => "batch",
        Cmd::Watch { .. } => "watch",
        Cmd::Check { .. } => "check",
        Cmd::Rules { .. } => "rules",
        Cmd::Serve { .. } => "serve",
        Cmd::Completions { .. } => "completions",
        Cmd::Manpage { .. } => "manpage",
    }
}

/// Extensions of files, not folders: an output folder named so is a slip of the user.
const FILE_EXTENSIONS: &[&str] = &["docx", "doc", "xlsx", "xlsm", "xls", "ods", "pdf", "json"];

/// Why an output named on the command line is refused, if it is.
pub fn refused_output(c: &Cmd) -> Option<String> {
    let folder = match c {
        Cmd::Convert { output, .. } | Cmd::Batch { output, .. } | Cmd::Watch { output, .. } => output,
        _ => return None,
    };
    let ext = extension(folder)?;
    if !FILE_EXTENSIONS.contains(&ext.as_str()) || folder.is_dir() {
        return None;
    }
    Some(format!(
        "-o 应为输出文件夹，而 {} 像一个文件名（.{ext}）。报告和归档工作簿会按输入文件名生成在该文件夹中，如：-o 输出",
        folder.display()
    ))
}

/// The lower-case extension of a path, if any.
pub fn extension(p: &Path) -> Option<String> {
    p.extension().map(|e| e.to_string_lossy().to_lowercase())
}

/// Prints a usage mistake with the command's usage line and returns [`EXIT_USAGE`].
pub fn usage_error(msg: &str, sub: &str) -> u8 {
    eprintln!("nianbao：{msg}");
    eprintln!("{}", usage_hint(Some(sub)));
    EXIT_USAGE
}

/// `用法：…` of a subcommand (or of nianbao) and where to read more.
fn usage_hint(sub: Option<&str>) -> String {
    let mut root = command();
    let (usage, more) = match sub.and_then(|s| root.find_subcommand_mut(s)) {
        Some(c) => (c.render_usage().to_string(), format!("nianbao {} --help", c.get_name())),
        None => (root.render_usage().to_string(), "nianbao --help".to_string()),
    };
    let usage = usage.trim();
    let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
    format!("用法：{usage}\n详细说明请运行 {more}")
}

/// What clap found wrong, in Chinese, with the usage line; the exit code to end with.
/// Help and version requests are printed as they are and end with 0.
pub fn render_error(e: &clap::Error, args: &[String]) -> (String, u8, bool) {
    let sub = subcommand_in(args);
    let ctx = |k: ContextKind| e.get(k).map(value_text).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return (e.to_string(), 0, true),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return (e.to_string(), EXIT_USAGE, false),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidSubcommand => {
            let mut m = format!("没有“{}”这个命令", ctx(ContextKind::InvalidSubcommand));
            let s = ctx(ContextKind::SuggestedSubcommand);
            if !s.is_empty() {
                m.push_str(&format!("，是否想用 {s}？"));
            }
            m
        }
        ErrorKind::UnknownArgument => {
            let arg = ctx(ContextKind::InvalidArg);
            let mut m = if arg.starts_with('-') {
                format!("不认识的选项 {arg}")
            } else {
                format!("多余的参数“{arg}”")
            };
            let s = ctx(ContextKind::SuggestedArg);
            let s = if s.is_empty() { ctx(ContextKind::SuggestedSubcommand) } else { s };
            if !s.is_empty() {
                m.push_str(&format!("，是否想用 {s}？"));
            } else if arg.starts_with('-') && arg.len() > 1 {
                m.push_str(&format!("（若这是文件名，请写作 -- {arg} 或 ./{arg}）"));
            }
            m
        }
        ErrorKind::InvalidValue => {
            let (arg, value) = (ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue));
            let valid = ctx(ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} 缺少值")
            } else if valid.is_empty() {
                format!("{arg} 的值“{value}”无效")
            } else {
                format!("{arg} 的值“{value}”无效，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            let (arg, value) = (ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue));
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            format!("{arg} 的值“{value}”无效：{why}")
        }
        ErrorKind::NoEquals | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{} 缺少值", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues => format!("{} 的值太多", ctx(ContextKind::InvalidArg)),
        ErrorKind::ArgumentConflict => {
            format!("{} 不能与 {} 同时使用", ctx(ContextKind::InvalidArg), ctx(ContextKind::PriorArg))
        }
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8 编码）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    (format!("nianbao：{msg}\n{}", usage_hint(sub.as_deref())), EXIT_USAGE, false)
}

/// A context value as text: lists joined with `、`.
fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The subcommand named on the command line, if any: the first word that is one.
fn subcommand_in(args: &[String]) -> Option<String> {
    let root = Cli::command();
    args.iter().skip(1).find(|a| root.find_subcommand(a.as_str()).is_some()).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits() {
        assert_eq!(parse_year("2023"), Ok(2023));
        assert_eq!(parse_year(" 2020 "), Ok(2020));
        for bad in ["abc", "23", "20230", "-2023", "２０２３", ""] {
            assert_eq!(parse_year(bad), Err("年度应为四位数字，如 2023".to_string()), "{bad}");
        }
    }

    #[test]
    fn jobs_and_seconds() {
        assert_eq!(parse_jobs("4"), Ok(4));
        assert!(parse_jobs("0").is_err());
        assert_eq!(parse_seconds("0.5"), Ok(0.5));
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("-1").is_err());
    }

    #[test]
    fn the_exit_codes_block_is_the_same_everywhere() {
        for after in [AFTER_MAIN, AFTER_TEMPLATE, AFTER_CONVERT, AFTER_BATCH, AFTER_WATCH, AFTER_CHECK] {
            assert!(after.ends_with("64  命令行用法有误"), "{after}");
        }
    }
}
