//! The command line as a Chinese office meets it: help in Chinese from top to bottom,
//! clap's and the system's errors in Chinese, usage mistakes exiting 64, outputs named
//! for what they are.

use crate::cli::{bin, run};
use std::fs;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every subcommand named in `nianbao --help`.
fn subcommands() -> Vec<String> {
    let o = run(&["--help"]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let list = text.split("命令:\n").nth(1).expect("a 命令 heading").split("\n\n").next().unwrap_or("");
    list.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn every_help_is_chinese_and_every_option_is_described() {
    let subs = subcommands();
    assert_eq!(subs, ["template", "convert", "batch", "watch", "check", "serve", "rules", "completions", "manpage"]);
    let mut pages = vec![(String::from("nianbao"), run(&["--help"]))];
    for sub in &subs {
        pages.push((sub.clone(), run(&[sub, "--help"])));
        // -h gives the same page.
        assert_eq!(run(&[sub, "-h"]).stdout, pages.last().expect("page").1.stdout, "{sub} -h");
    }
    for (name, o) in pages {
        assert_eq!(o.status.code(), Some(0), "{name}");
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        for english in
            ["Usage:", "Options:", "Arguments:", "Commands:", "Print help", "Print version", "[default", "[possible"]
        {
            assert!(!text.contains(english), "{name} --help says {english:?}:\n{text}");
        }
        assert!(text.contains("用法：nianbao"), "{name}:\n{text}");
        assert!(text.contains("  -h, --help") && text.contains("显示此帮助"), "{name}:\n{text}");
        assert!(text.contains("\n示例：\n  nianbao"), "{name} has examples:\n{text}");
        assert!(text.trim_end().ends_with("64  命令行用法有误"), "{name} ends with the exit codes:\n{text}");
        // Every argument and option line has a description after the name.
        let mut described = 0;
        for section in ["参数:\n", "选项:\n"] {
            let Some(body) = text.split(section).nth(1) else { continue };
            for line in body.split("\n\n").next().unwrap_or("").lines() {
                let spec = line.trim_start();
                assert!(spec.starts_with('-') || spec.starts_with('<'), "{name}: {line:?}");
                let desc = spec.split("  ").skip(1).collect::<String>();
                assert!(!desc.trim().is_empty(), "{name}: no description on {line:?}");
                described += 1;
            }
        }
        assert!(described >= 1, "{name}:\n{text}");
    }
    let convert = String::from_utf8_lossy(&run(&["convert", "--help"]).stdout).into_owned();
    assert!(convert.contains("-o, --output <文件夹>") && convert.contains("输出文件夹"), "{convert}");
    assert!(convert.contains("--edition <版本>"), "{convert}");
    let template = String::from_utf8_lossy(&run(&["template", "--help"]).stdout).into_owned();
    assert!(template.contains("-o, --output <文件.xlsx>") && template.contains("输出文件（.xlsx"), "{template}");
    let version = run(&["-V"]);
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(version.starts_with(&format!("nianbao {} (commit ", env!("CARGO_PKG_VERSION"))), "{version}");
}

#[test]
fn clap_errors_are_chinese_and_exit_64() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["check", "--year", "abc", "a.xlsx"],
            "nianbao：--year <年度> 的值“abc”无效：年度应为四位数字，如 2023\n用法：nianbao check <文件>... [选项]\n",
        ),
        (&["check", "--fromat", "json", "a.xlsx"], "nianbao：不认识的选项 --fromat，是否想用 --format？\n"),
        (
            &["convert", "a.xlsx"],
            "nianbao：缺少必需的参数：--output <文件夹>\n用法：nianbao convert <文件>... -o <文件夹> [选项]\n",
        ),
        (&["check", "--format", "xml", "a.xlsx"], "nianbao：--format <格式> 的值“xml”无效，可选：text、json"),
        (&["chek", "a.xlsx"], "nianbao：没有“chek”这个命令，是否想用 check？\n"),
        (
            &["batch", "in", "-o", "out", "--jobs", "0"],
            "nianbao：--jobs <个数> 的值“0”无效：并行任务数应为正整数，如 4\n",
        ),
    ];
    for (args, want) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(64), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with(want), "{args:?}:\n{err}");
        assert!(err.contains("详细说明请运行 nianbao"), "{err}");
        assert!(!err.contains("error:") && !err.contains("Usage") && !err.contains("tip:"), "{err}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    // No command at all: the help, on standard error, as a usage mistake.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(64));
    assert!(stderr(&o).contains("用法：nianbao <命令> [选项]"), "{}", stderr(&o));
}

#[test]
fn an_output_folder_named_like_a_file_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let sample = crate::common::sample("2020-江源区.xlsx");
    for name in ["report.docx", "归档.XLSX"] {
        let out = dir.path().join(name);
        let o = run(&["convert", s(&sample), "-o", s(&out)]);
        assert_eq!(o.status.code(), Some(64), "{name}");
        let err = stderr(&o);
        assert!(err.starts_with(&format!("nianbao：-o 应为输出文件夹，而 {} 像一个文件名", out.display())), "{err}");
        assert!(!out.exists(), "{name} must not be created");
    }
    let o = run(&["batch", s(dir.path()), "-o", s(&dir.path().join("汇总.xlsx"))]);
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
}

#[test]
fn the_template_is_named_xlsx() {
    let dir = tempfile::tempdir().expect("tmp");
    let ods = dir.path().join("统计表.ods");
    let o = run(&["template", "-o", s(&ods)]);
    assert_eq!(o.status.code(), Some(64));
    assert!(stderr(&o).contains("输出文件名应以 .xlsx 结尾"), "{}", stderr(&o));
    assert!(!ods.exists());
    let bare = dir.path().join("统计表");
    let o = run(&["template", "-o", s(&bare)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = fs::read(dir.path().join("统计表.xlsx")).expect("统计表.xlsx written");
    assert!(bytes.starts_with(b"PK"));
    assert!(!bare.exists());
}

#[test]
fn system_errors_are_chinese_and_name_the_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("一个文件");
    fs::write(&file, b"x").expect("write");
    let sample = crate::common::sample("2020-江源区.xlsx");
    let out = file.join("输出");
    let o = run(&["convert", s(&sample), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "无法写入 2020-江源区.xlsx 的输出（{}）：路径中有一段是文件，不是文件夹\n",
            out.join("2020-江源区").display()
        )
    );

    let missing = dir.path().join("没有这个文件.xlsx");
    let o = run(&["check", s(&missing)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "无法读取 没有这个文件.xlsx：找不到该文件或文件夹\n");

    let o = run(&["template", "-o", s(&dir.path().join("没有的文件夹/统计表.xlsx").join("x.xlsx"))]);
    assert_eq!(o.status.code(), Some(0), "a template's folder is created: {}", stderr(&o));
    let o = run(&["template", "-o", s(&file.join("统计表.xlsx"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).ends_with("：路径中有一段是文件，不是文件夹\n"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("os error"), "{}", stderr(&o));
}

#[test]
fn edition_option_exists_where_the_message_points() {
    // Table 四 alone: a report whose edition its labels cannot tell.
    let fixture = crate::common::fixture("edition-ambiguous.xlsx");
    let o = run(&["check", s(&fixture)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("或使用 --edition"), "{}", stderr(&o));
    // Forced to 2021, the reader looks for the 2021 tables instead of giving up on the edition.
    let o = run(&["check", s(&fixture), "--edition", "2021"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("找不到“二、主动公开政府信息情况（第二十条第（一）项规章）”表"), "{}", stderr(&o));
    for sub in ["convert", "batch", "watch"] {
        let help = String::from_utf8_lossy(&run(&[sub, "--help"]).stdout).into_owned();
        assert!(help.contains("--edition <版本>"), "{sub}");
    }
}

#[test]
fn completions_and_manpage() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef nianbao"),
        ("fish", "complete -c nianbao"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains(marker), "{shell}: {}", &text[..text.len().min(300)]);
        assert!(text.contains("convert") && text.contains("previous-dir"), "{shell}");
    }
    let o = run(&["manpage"]);
    assert_eq!(o.status.code(), Some(0));
    let man = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(man.starts_with(".ie \\n(.g .ds Aq \\(aq") || man.contains(".TH nianbao 1"), "{man}");
    assert!(man.contains(".SH 用法") && man.contains(".SH 命令") && !man.contains(".SH SYNOPSIS"), "{man}");
    let dir = tempfile::tempdir().expect("tmp");
    let o = bin().args(["manpage", "-o", s(dir.path())]).output().expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = fs::read_to_string(dir.path().join("nianbao-convert.1")).expect("nianbao-convert.1");
    assert!(page.contains(".TH nianbao-convert 1") && page.contains("输出文件夹"), "{page}");
    assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 10);
}

/// `转换时间` of an archive and its document property `dcterms:created`.
fn archive_times(xlsx: &Path) -> (String, String) {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(xlsx).expect("archive");
    let info = wb.worksheet_range("基本信息").expect("基本信息");
    let mut converted = String::new();
    for row in info.rows() {
        if let [Data::String(l), Data::String(v), ..] = row {
            if l == "转换时间" {
                converted = v.clone();
            }
        }
    }
    let mut zip = zip::ZipArchive::new(fs::File::open(xlsx).expect("open")).expect("zip");
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").expect("core.xml"), &mut core).expect("read");
    let created = core.split("<dcterms:created xsi:type=\"dcterms:W3CDTF\">").nth(1).and_then(|t| t.split('<').next());
    (converted, created.unwrap_or_default().to_string())
}

#[test]
fn times_are_local_with_their_offset() {
    let dir = tempfile::tempdir().expect("tmp");
    let sample = crate::common::sample("2020-江源区.xlsx");
    // 2026-11-30 03:35:02 UTC.
    let cases = [
        ("Asia/Shanghai", "2026-11-30 11:35:02 +08:00", "2026-11-30T11:35:02+08:00"),
        ("CST-8", "2026-11-30 11:35:02 +08:00", "2026-11-30T11:35:02+08:00"),
        ("UTC0", "2026-11-30 03:35:02 +00:00", "2026-11-30T03:35:02+00:00"),
        ("<+0545>-5:45", "2026-11-30 09:20:02 +05:45", "2026-11-30T09:20:02+05:45"),
    ];
    for (tz, text, w3c) in cases {
        let out = dir.path().join(tz.replace(['/', '<', '>', ':'], "_"));
        let o = bin()
            .args(["convert", s(&sample), "-o", s(&out)])
            .env("TZ", tz)
            .env("NIANBAO_FIXED_TIME", "1796009702")
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (converted, created) = archive_times(&out.join("2020-江源区.xlsx"));
        assert_eq!((converted.as_str(), created.as_str()), (text, w3c), "TZ={tz}");
    }
    // The same fixed time and zone give the same bytes.
    let again = dir.path().join("again");
    let o = bin()
        .args(["convert", s(&sample), "-o", s(&again)])
        .env("TZ", "CST-8")
        .env("NIANBAO_FIXED_TIME", "1796009702")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        fs::read(again.join("2020-江源区.xlsx")).expect("again"),
        fs::read(dir.path().join("CST-8").join("2020-江源区.xlsx")).expect("first")
    );
}

#[test]
fn watch_log_lines_carry_the_offset() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("收件箱");
    fs::create_dir_all(&inbox).expect("mkdir");
    fs::copy(crate::common::sample("2020-江源区.xlsx"), inbox.join("江源区.xlsx")).expect("copy");
    let o = bin()
        .args(["watch", s(&inbox), "-o", s(&dir.path().join("out")), "--once", "--settle", "0"])
        .env("TZ", "<+0545>-5:45")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = log.lines().find(|l| l.contains("江源区.xlsx")).expect("a log line");
    let stamp = line.split('\t').next().unwrap_or("");
    assert_eq!(stamp.len(), "2026-11-30 09:20:02 +05:45".len(), "{line}");
    assert!(stamp.ends_with(" +05:45") && stamp.as_bytes()[4] == b'-', "{line}");
}
