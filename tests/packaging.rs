//! The Windows drag-and-drop .bat files, tested as far as Linux allows: their bytes (CRLF, no
//! byte-order mark, only ASCII before `chcp 65001`, nothing cmd would take for a block or a
//! redirection), and the lines run by a small interpreter of the few cmd statements they use,
//! which gives the nianbao command line they build for files dropped on them. That command
//! line is then run with the Linux binary. What cannot be tested here is cmd.exe itself.

use crate::cli::bin;
use crate::common::sample;
use std::collections::HashMap;
use std::fs;
use std::path::Path;

const CONVERT_BAT: &str = "packaging/拖入此处转换.bat";
const CHECK_BAT: &str = "packaging/拖入此处检查.bat";

fn bat_bytes(name: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).expect("read .bat")
}

/// The lines of a .bat file, after checking the bytes cmd.exe reads.
fn bat_lines(name: &str) -> Vec<String> {
    let bytes = bat_bytes(name);
    assert!(!bytes.starts_with(b"\xef\xbb\xbf"), "{name}: a BOM would make cmd reject the first line");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "{name}: the last line must end in CRLF");
    let body = text.strip_suffix("\r\n").unwrap_or(&text);
    let lines: Vec<String> = body.split("\r\n").map(str::to_string).collect();
    assert!(lines.iter().all(|l| !l.contains('\n') && !l.contains('\r')), "{name}: a line without CRLF");
    // cmd decodes each line in the code page current when it reaches it: until the switch to
    // UTF-8, only ASCII; then the switch before anything else.
    assert_eq!(lines[0], "@echo off", "{name}");
    assert_eq!(lines[1], "chcp 65001 >nul", "{name}");
    for (i, l) in lines.iter().enumerate().skip(2) {
        // No parenthesised blocks: a `)` in a dropped file's folder name would end one.
        assert!(!l.contains('(') && !l.contains(')'), "{name}:{}: ASCII parenthesis: {l}", i + 1);
        // `&`, `|`, `<`, `>` and `^` outside quotes are cmd syntax; none is meant after chcp.
        let mut quoted = false;
        for c in l.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                assert!(!"&|<>^".contains(c), "{name}:{}: unquoted `{c}`: {l}", i + 1);
            }
        }
    }
    lines
}

/// What running a .bat did.
#[derive(Debug, Default)]
struct Run {
    /// The program and arguments of the one external command, as the program receives them.
    command: Option<Vec<String>>,
    echoed: Vec<String>,
    /// How many lines were echoed before the external command ran.
    echoed_before_command: usize,
    paused: bool,
    exit: i32,
}

/// Runs the statements the .bat files use, with `%0` in `bat_dir` and the arguments `args` as
/// Explorer passes a drop (each path quoted when it contains a blank). `exists` answers
/// `if exist`, `program` runs the external command and gives its exit code. An unknown
/// statement fails the test, so the files cannot outgrow what is tested.
fn interpret(
    lines: &[String],
    bat_dir: &str,
    args: &[&str],
    exists: &dyn Fn(&str) -> bool,
    program: &mut dyn FnMut(&[String]) -> i32,
) -> Run {
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut run = Run::default();
    let mut errorlevel = 0;
    let mut pc = 0;
    while pc < lines.len() {
        let raw = lines[pc].trim_start();
        pc += 1;
        vars.insert("ERRORLEVEL".into(), errorlevel.to_string());
        let line = expand(raw, bat_dir, args, &vars);
        let mut stmt = line.as_str();
        // `if` guards: the rest of the line runs only when the condition holds.
        let mut taken = true;
        loop {
            if let Some(rest) = stmt.strip_prefix("if not exist ") {
                let (path, rest) = quoted_word(rest);
                taken &= !exists(&path);
                stmt = rest;
            } else if let Some(rest) = stmt.strip_prefix("if ") {
                let (a, rest) = quoted_word(rest);
                let rest = rest.strip_prefix("==").expect("if A==B");
                let (b, rest) = quoted_word(rest);
                taken &= a == b;
                stmt = rest;
            } else {
                break;
            }
        }
        if !taken {
            continue;
        }
        if stmt.is_empty() || stmt.starts_with(':') || stmt.starts_with("rem ") || stmt == "setlocal" {
            continue;
        }
        if stmt == "@echo off" || stmt == "chcp 65001 >nul" {
            continue;
        }
        if stmt == "echo." {
            run.echoed.push(String::new());
        } else if let Some(text) = stmt.strip_prefix("echo ") {
            run.echoed.push(text.to_string());
        } else if let Some(assign) = stmt.strip_prefix("set \"").and_then(|s| s.strip_suffix('"')) {
            let (k, v) = assign.split_once('=').expect("set \"K=V\"");
            vars.insert(k.to_string(), v.to_string());
        } else if let Some(label) = stmt.strip_prefix("goto ") {
            let target = format!(":{label}");
            pc = lines.iter().position(|l| l.trim() == target).unwrap_or_else(|| panic!("no label {label}"));
        } else if stmt == "pause" {
            run.paused = true;
        } else if let Some(code) = stmt.strip_prefix("exit /b ") {
            run.exit = code.parse().expect("exit code");
            return run;
        } else if stmt.starts_with('"') {
            assert!(run.command.is_none(), "one external command per run");
            let argv = split_command_line(stmt);
            run.echoed_before_command = run.echoed.len();
            errorlevel = program(&argv);
            run.command = Some(argv);
        } else {
            panic!("statement the test does not know: {stmt}");
        }
    }
    run
}

/// cmd's expansion of `%~dp0`, `%~dp1`, `%~1`, `%*` and `%NAME%`.
fn expand(line: &str, bat_dir: &str, args: &[&str], vars: &HashMap<String, String>) -> String {
    let unquote = |s: &str| s.trim_matches('"').to_string();
    let folder = |s: &str| {
        let s = unquote(s);
        s.rfind(['\\', '/']).map_or_else(String::new, |i| s[..=i].to_string())
    };
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (value, used) = if let Some(r) = after.strip_prefix("~dp0") {
            (bat_dir.to_string(), after.len() - r.len())
        } else if let Some(r) = after.strip_prefix("~dp1") {
            (args.first().map_or_else(String::new, |a| folder(a)), after.len() - r.len())
        } else if let Some(r) = after.strip_prefix("~1") {
            (args.first().map_or_else(String::new, |a| unquote(a)), after.len() - r.len())
        } else if let Some(r) = after.strip_prefix('*') {
            (args.join(" "), after.len() - r.len())
        } else {
            let end = after.find('%').expect("closing %");
            (vars.get(&after[..end]).cloned().unwrap_or_default(), end + 1)
        };
        out.push_str(&value);
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

/// A quoted word at the start of `s`, and the rest after one blank.
fn quoted_word(s: &str) -> (String, &str) {
    let s = s.strip_prefix('"').expect("quoted word");
    let end = s.find('"').expect("closing quote");
    (s[..end].to_string(), s[end + 1..].strip_prefix(' ').unwrap_or(&s[end + 1..]))
}

/// How a Windows program splits its command line (no escaped quotes occur here).
fn split_command_line(s: &str) -> Vec<String> {
    let mut argv = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut started) = (false, false);
    for c in s.chars() {
        match c {
            '"' => (quoted, started) = (!quoted, true),
            ' ' if !quoted => {
                if started {
                    argv.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            _ => (word.push(c), started = true).1,
        }
    }
    if started {
        argv.push(word);
    }
    argv
}

const APP: &str = r"C:\Users\办公室\Downloads\nianbao-0.1.0-x86_64-windows\";
const EXE: &str = r"C:\Users\办公室\Downloads\nianbao-0.1.0-x86_64-windows\nianbao.exe";

#[test]
fn convert_bat_runs_convert_on_every_dropped_file_into_a_folder_beside_them() {
    let lines = bat_lines(CONVERT_BAT);
    // Explorer quotes a dropped path that contains a blank.
    let drop = [r#""D:\2023 年报\教育局.xlsx""#, r#""D:\2023 年报\卫健委 统计表.xls""#];
    let run = interpret(&lines, APP, &drop, &|_| true, &mut |_| 1);
    assert_eq!(
        run.command.expect("nianbao ran"),
        [
            EXE,
            "convert",
            r"D:\2023 年报\教育局.xlsx",
            r"D:\2023 年报\卫健委 统计表.xls",
            "-o",
            r"D:\2023 年报\转换结果"
        ]
    );
    assert_eq!(run.echoed[0], r#"正在转换，结果保存在 "D:\2023 年报\转换结果""#);
    assert_eq!(run.echoed[3], "已生成 Word 报告和归档表，但统计表有错误（见上方），请改正统计表后重新拖入。");
    assert!(run.paused);
    assert_eq!(run.exit, 1);
}

#[test]
fn check_bat_runs_check_annotate_into_a_folder_beside_the_files() {
    let lines = bat_lines(CHECK_BAT);
    let drop = [r#""D:\2023 年报\教育局.xlsx""#, r"D:\其他\卫健委.xlsx"];
    let run = interpret(&lines, APP, &drop, &|_| true, &mut |_| 0);
    assert_eq!(
        run.command.expect("nianbao ran"),
        [EXE, "check", "--annotate", r"D:\2023 年报\核查结果", r"D:\2023 年报\教育局.xlsx", r"D:\其他\卫健委.xlsx"]
    );
    assert_eq!(
        run.echoed[1],
        r#"完成：没有发现错误（如有警告，请逐条核对）。标注过的统计表在 "D:\2023 年报\核查结果""#
    );
    assert!(run.paused);
    assert_eq!(run.exit, 0);
}

#[test]
fn each_exit_code_gets_its_own_message_and_is_passed_on() {
    for (bat, expected) in [
        (
            CONVERT_BAT,
            [
                r#"完成：没有发现错误。Word 报告（.docx）和归档表（.xlsx）在 "D:\报表\转换结果""#,
                "已生成 Word 报告和归档表，但统计表有错误（见上方），请改正统计表后重新拖入。",
                "有文件无法读取或无法写入（原因见上方），这些文件没有转换。",
            ],
        ),
        (
            CHECK_BAT,
            [
                r#"完成：没有发现错误（如有警告，请逐条核对）。标注过的统计表在 "D:\报表\核查结果""#,
                r#"统计表有错误（见上方）。标注过的统计表在 "D:\报表\核查结果"：错误单元格标红，警告标黄，批注写明原因。"#,
                "有文件无法读取或无法写入（原因见上方）。",
            ],
        ),
    ] {
        let lines = bat_lines(bat);
        for (code, message) in (0..).zip(expected) {
            let run = interpret(&lines, APP, &[r"D:\报表\a.xlsx"], &|_| true, &mut |_| code);
            // After the program's output: a blank line, exactly one message, a blank line.
            assert_eq!(run.echoed[run.echoed_before_command..], ["", message, ""], "{bat} exit {code}");
            assert_eq!(run.exit, code, "{bat}");
            assert!(run.paused);
        }
    }
}

#[test]
fn without_files_or_without_nianbao_exe_the_window_explains_and_waits() {
    for bat in [CONVERT_BAT, CHECK_BAT] {
        let lines = bat_lines(bat);
        let mut ran = false;
        let run = interpret(&lines, APP, &[], &|_| true, &mut |_| {
            ran = true;
            0
        });
        assert!(!ran);
        assert_eq!(run.echoed, ["用法：把一个或多个统计表文件（xlsx、xls、ods）拖到本文件的图标上松开。", ""]);
        assert!(run.paused);
        assert_eq!(run.exit, 2);

        // Copied alone to the desktop: nianbao.exe is not beside it.
        let run = interpret(
            &lines,
            r"C:\Users\办公室\Desktop\",
            &[r"D:\a.xlsx"],
            &|p| p != r"C:\Users\办公室\Desktop\nianbao.exe",
            &mut |_| 0,
        );
        assert_eq!(run.echoed[0], "找不到 nianbao.exe：请让本文件和 nianbao.exe 留在同一个文件夹里。");
        assert!(run.command.is_none() && run.paused);
        assert_eq!(run.exit, 2);
    }
}

/// The command line the .bat builds, run with the Linux binary on the bundled sample.
#[test]
fn the_command_lines_the_bat_files_build_work() {
    let dir = tempfile::tempdir().expect("tmp");
    let reports = dir.path().join("2020 年报");
    fs::create_dir_all(&reports).expect("mkdir");
    let input = reports.join("江源区.xlsx");
    fs::copy(sample("2020-江源区.xlsx"), &input).expect("copy");
    let app = format!("{}/", dir.path().join("app").display());
    let dropped = format!("\"{}\"", input.display());
    for (bat, folder, outputs) in
        [(CONVERT_BAT, "转换结果", &["江源区.docx", "江源区.xlsx"][..]), (CHECK_BAT, "核查结果", &["江源区.xlsx"][..])]
    {
        let lines = bat_lines(bat);
        let mut status = None;
        let run = interpret(&lines, &app, &[&dropped], &|_| true, &mut |argv| {
            assert_eq!(argv[0], format!("{app}nianbao.exe"));
            let out = bin().args(&argv[1..]).output().expect("run nianbao");
            status = out.status.code();
            out.status.code().unwrap_or(-1)
        });
        assert_eq!(status, Some(run.exit), "{bat}");
        assert!(run.exit <= 1, "{bat}: {run:?}");
        let mut written: Vec<String> = fs::read_dir(reports.join(folder))
            .expect("output folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        assert_eq!(written, outputs, "{bat}");
    }
}

#[test]
fn version_names_the_commit_and_the_target() {
    let out = bin().arg("--version").output().expect("run nianbao");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let (commit, target) = (env!("NIANBAO_COMMIT"), env!("NIANBAO_TARGET"));
    assert_eq!(text, format!("nianbao {} (commit {commit}, {target})\n", env!("CARGO_PKG_VERSION")));
    // build.rs: git's short hash in a checkout, `unknown` in a tarball.
    assert!(commit == "unknown" || commit.len() == 9 && commit.bytes().all(|b| b.is_ascii_hexdigit()), "{commit}");
    assert!(target.starts_with(std::env::consts::ARCH), "{target}");
}
