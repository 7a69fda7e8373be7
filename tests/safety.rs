//! Never lose, overwrite or mix a department's data (issue 14): each test runs the binary
//! the way a records office runs it and failed before the fix it covers.
// Some tests are Unix-only (FIFOs, signals, shell stand-ins); on Windows their helpers rest.
#![cfg_attr(not(unix), allow(unused_imports, dead_code))]

use crate::cli::{bin, good_report, run};
use crate::common::*;
use nianbao::form::Edition;
use nianbao::write::template::filled;
use serde_json::Value as Json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn write_workbook(path: &Path, r: &nianbao::Report) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, filled(r).expect("workbook")).expect("write");
}

/// Sets a file's modification time to `secs` after an arbitrary fixed point.
fn set_mtime(path: &Path, secs: u64) {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs);
    fs::File::options().write(true).open(path).expect("open").set_modified(t).expect("set mtime");
}

/// Every file under a folder, relative, sorted; hidden ones (locks, records) left out.
fn visible_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("prefix").to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Every file under a folder whose name ends in `.tmp`.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if e.file_name().to_string_lossy().ends_with(".tmp") {
                out.push(p);
            }
        }
    }
    out
}

fn summary(out: &Path) -> Json {
    serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary.json")).expect("json")
}

fn row<'a>(summary: &'a Json, file: &str) -> &'a Json {
    summary["files"].as_array().expect("files").iter().find(|f| f["file"] == file).expect("row")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The agency an archive workbook names.
fn archive_agency(path: &Path) -> String {
    let r = read_bytes(&fs::read(path).expect("archive"), "a.xlsx");
    r.agency.value.unwrap_or_default()
}

/// Whether a Word report's text contains `needle`.
fn docx_contains(path: &Path, needle: &str) -> bool {
    use std::io::Read;
    let bytes = fs::read(path).expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("document.xml").read_to_string(&mut xml).expect("read");
    xml.contains(needle)
}

/// Waits for a child, killing it after `limit` (a hang fails the test instead of the run).
fn wait_limited(mut child: Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let o = child.wait_with_output().expect("wait");
            panic!("nianbao did not finish within {limit:?}: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn spawn(args: &[&str]) -> Child {
    bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn")
}

// 1. `batch DIR -o DIR` replaced the department's workbooks by their archives.
#[test]
fn batch_into_its_own_input_folder_is_refused_and_replaces_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("各单位");
    write_workbook(&input.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    let before = fs::read(input.join("教育局.xlsx")).expect("read");
    let o = run(&["batch", s(&input), "-o", s(&input)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("就是输入文件夹：归档工作簿会覆盖各单位的统计表"), "{}", stderr(&o));
    assert_eq!(fs::read(input.join("教育局.xlsx")).expect("read"), before);
    assert_eq!(visible_files(&input), ["教育局.xlsx"]);
}

// 1. An output name that leads to an input (the output folder a link to the input's, or a
// link in it to an input) is never written through: checked by `stat` first, then resolved.
#[cfg(unix)]
#[test]
fn outputs_reached_through_links_never_replace_an_input() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("各单位");
    write_workbook(&input.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    let before = fs::read(input.join("教育局.xlsx")).expect("read");
    let alias = dir.path().join("别名");
    std::os::unix::fs::symlink(&input, &alias).expect("link");
    let o = run(&["convert", s(&input.join("教育局.xlsx")), "-o", s(&alias)]);
    assert!(stderr(&o).contains("教育局.xlsx：输出的归档工作簿会覆盖输入文件，请换一个输出文件夹"), "{}", stderr(&o));
    assert_eq!(fs::read(input.join("教育局.xlsx")).expect("read"), before);
    assert_eq!(visible_files(&input), ["教育局.xlsx"]);
    // A link in a batch's output folder to an input: the output takes another name.
    let out = dir.path().join("out");
    fs::create_dir_all(&out).expect("mkdir");
    std::os::unix::fs::symlink(input.join("教育局.xlsx"), out.join("教育局.xlsx")).expect("link");
    let o = run(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read(input.join("教育局.xlsx")).expect("read"), before);
    assert_eq!(archive_agency(&out.join("教育局（2）.xlsx")), "某县教育局");
    assert!(fs::symlink_metadata(out.join("教育局.xlsx")).expect("link").file_type().is_symlink());
}

// 1. Outputs are never taken as inputs: an archive nianbao wrote, and OUTDIR inside INDIR.
#[test]
fn batch_skips_what_nianbao_wrote_and_its_own_output_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    let out = input.join("输出");
    write_workbook(&input.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    // An archive from an earlier conversion, dropped among the inputs.
    let earlier = dir.path().join("earlier");
    let o = run(&["convert", s(&input.join("教育局.xlsx")), "-o", s(&earlier)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fs::copy(earlier.join("教育局.xlsx"), input.join("归档副本.xlsx")).expect("copy");
    for _ in 0..2 {
        let o = run(&["batch", s(&input), "-o", s(&out)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout.contains("跳过 归档副本.xlsx：这是 nianbao 生成的归档工作簿，不作为输入（要从它重新生成报告，请用 nianbao convert 单独转换它）"),
            "{stdout}"
        );
        let j = summary(&out);
        let names: Vec<&str> =
            j["files"].as_array().expect("files").iter().filter_map(|f| f["file"].as_str()).collect();
        assert_eq!(names, ["归档副本.xlsx", "教育局.xlsx"], "the second run reads no output");
        assert_eq!(row(&j, "归档副本.xlsx")["status"], "skipped");
        assert_eq!(row(&j, "归档副本.xlsx")["in_totals"], false);
        assert_eq!(row(&j, "归档副本.xlsx")["not_in_totals_reason"], "skipped");
        assert_eq!(j["totals"][0]["reports"], 1);
    }
}

// 2. `watch X -o X` claimed its own archives as new inputs until the disk filled.
#[test]
fn watch_refuses_its_inbox_or_claimed_folders_as_output() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("收件");
    write_workbook(&inbox.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    for out in [inbox.clone(), inbox.join("done"), inbox.join(".processing/x")] {
        let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("不能是收件文件夹"), "{}", stderr(&o));
        assert!(inbox.join("教育局.xlsx").exists(), "nothing claimed");
        assert!(!inbox.join("教育局.docx").exists());
    }
}

// 3. Two inputs with one name: the second overwrote the first.
#[test]
fn convert_gives_two_inputs_of_one_name_their_own_outputs() {
    let dir = tempfile::tempdir().expect("tmp");
    write_workbook(&dir.path().join("A/统计表.xlsx"), &good_report("甲局", 2023));
    write_workbook(&dir.path().join("B/统计表.xlsx"), &good_report("乙局", 2023));
    // The same stem with another extension (the reader goes by content, not by name).
    write_workbook(&dir.path().join("C/统计表.xls"), &good_report("丙局", 2023));
    let out = dir.path().join("out");
    let o = run(&[
        "convert",
        s(&dir.path().join("A/统计表.xlsx")),
        s(&dir.path().join("B/统计表.xlsx")),
        s(&dir.path().join("C/统计表.xls")),
        "-o",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        visible_files(&out),
        ["统计表.docx", "统计表.xlsx", "统计表（2）.docx", "统计表（2）.xlsx", "统计表（3）.docx", "统计表（3）.xlsx"]
    );
    assert_eq!(archive_agency(&out.join("统计表.xlsx")), "甲局");
    assert_eq!(archive_agency(&out.join("统计表（2）.xlsx")), "乙局");
    assert_eq!(archive_agency(&out.join("统计表（3）.xlsx")), "丙局");
    assert!(docx_contains(&out.join("统计表（2）.docx"), "乙局"));
}

// 3. `check --annotate` with two inputs of one name.
#[test]
fn annotate_gives_two_inputs_of_one_name_their_own_copies() {
    let dir = tempfile::tempdir().expect("tmp");
    write_workbook(&dir.path().join("A/统计表.xlsx"), &good_report("甲局", 2023));
    write_workbook(&dir.path().join("B/统计表.xlsx"), &good_report("乙局", 2023));
    let out = dir.path().join("标注");
    let o = run(&[
        "check",
        s(&dir.path().join("A/统计表.xlsx")),
        s(&dir.path().join("B/统计表.xlsx")),
        "--annotate",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(visible_files(&out), ["统计表.xlsx", "统计表（2）.xlsx"]);
    assert_eq!(archive_agency(&out.join("统计表.xlsx")), "甲局");
    assert_eq!(archive_agency(&out.join("统计表（2）.xlsx")), "乙局");
}

// 3. Two `convert` processes into one folder at once: never a mixed pair.
#[test]
fn two_converts_into_one_folder_never_leave_a_mixed_pair() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("A/统计表.xlsx");
    let b = dir.path().join("B/统计表.xlsx");
    write_workbook(&a, &good_report("甲局", 2023));
    write_workbook(&b, &good_report("乙局", 2023));
    let out = dir.path().join("out");
    for round in 0..12 {
        let p = spawn(&["convert", s(&a), "-o", s(&out)]);
        let q = spawn(&["convert", s(&b), "-o", s(&out)]);
        for c in [p, q] {
            let o = wait_limited(c, Duration::from_secs(60));
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
        let agency = archive_agency(&out.join("统计表.xlsx"));
        assert!(docx_contains(&out.join("统计表.docx"), &agency), "round {round}: the pair is mixed");
        assert!(temporaries(&out).is_empty());
    }
}

// 4. Overlapping watchers: a second one waits, `--once` leaves; no good file in failed/.
#[cfg(unix)]
#[test]
fn overlapping_watchers_never_fail_good_files_or_convert_twice() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("out");
    fs::create_dir_all(&inbox).expect("mkdir");
    let watcher = || {
        bin()
            .args(["watch", s(&inbox), "-o", s(&out), "--poll", "0.2", "--settle", "0.3"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn watch")
    };
    let first = watcher();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !inbox.join("done").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let second = watcher();
    // cron's `--once` while a watcher runs: leaves at once, touching nothing.
    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("另一个 nianbao watch 正在处理此文件夹"), "{}", stderr(&o));
    for i in 0..8 {
        write_workbook(&inbox.join(format!("机关{i}.xlsx")), &good_report(&format!("某县机关{i}"), 2023));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while fs::read_dir(inbox.join("done")).map(|d| d.count()).unwrap_or(0) < 8 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut logs = String::new();
    for c in [first, second] {
        let _ = Command::new("kill").args(["-TERM", &c.id().to_string()]).status();
        let o = wait_limited(c, Duration::from_secs(30));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        logs.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    assert_eq!(visible_files(&inbox.join("done")).len(), 8, "{logs}");
    assert!(visible_files(&inbox.join("failed")).is_empty(), "{logs}");
    assert_eq!(visible_files(&out).len(), 16, "{:?}", visible_files(&out));
    assert_eq!(logs.matches("已转换为").count(), 8, "each file converted once: {logs}");
}

// 5. An unwritable output is nianbao's problem: batch says 无法写入, exits 2, still writes
// the summary, and leaves neither output of the pair.
#[test]
fn batch_reports_unwritable_outputs_apart_and_still_writes_the_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    let out = dir.path().join("out");
    write_workbook(&input.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    write_workbook(&input.join("财政局.xlsx"), &good_report("某县财政局", 2023));
    // A folder where the Word report should go: its rename fails as on a full disk.
    fs::create_dir_all(out.join("教育局.docx/占位")).expect("mkdir");
    let o = run(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 个无法读取"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 个无法写入输出"), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(row(&j, "教育局.xlsx")["status"], "unwritable");
    assert!(row(&j, "教育局.xlsx")["first_error"].as_str().unwrap_or("").starts_with("无法写入 教育局.xlsx 的输出"));
    assert_eq!(j["counts"]["unwritable"], 1);
    assert_eq!(j["counts"]["unreadable"], 0);
    assert_eq!(row(&j, "财政局.xlsx")["status"], "ok");
    assert!(!out.join("教育局.xlsx").exists(), "both outputs or neither");
    assert!(out.join("财政局.docx").exists() && out.join("财政局.xlsx").exists());
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

// 5. watch: a good workbook whose outputs cannot be written stays claimed, not failed/.
#[test]
fn watch_keeps_a_file_whose_outputs_cannot_be_written_and_converts_it_later() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("out");
    write_workbook(&inbox.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    fs::create_dir_all(out.join("教育局.docx/占位")).expect("mkdir");
    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(log.contains("无法写入输出"), "{log}");
    assert!(inbox.join(".processing/教育局.xlsx").exists());
    assert!(visible_files(&inbox.join("failed")).is_empty());
    assert!(!out.join("教育局.xlsx").exists());
    // The disk is fixed: the next run converts it.
    fs::remove_dir_all(out.join("教育局.docx")).expect("rm");
    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(visible_files(&inbox.join("done")), ["教育局.xlsx"]);
    assert_eq!(visible_files(&out), ["教育局.docx", "教育局.xlsx"]);
}

fn template_dir(root: &Path, name: &str, text: &str) -> PathBuf {
    let d = root.join(format!("模板-{}", name.replace('.', "-")));
    fs::create_dir_all(&d).expect("mkdir");
    fs::write(d.join(name), text).expect("write");
    d
}

// 6. Hostile templates: bounded in time and output, a clear error naming the template.
#[test]
fn hostile_templates_stop_with_a_message_naming_the_template() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("教育局.xlsx");
    write_workbook(&input, &good_report("某县教育局", 2023));
    let cases = [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "模板 overview.j2 第 1 行：运算步骤过多",
        ),
        ("{% for i in range(1000) %}{{ \"长\" * 100000 }}{% endfor %}", "模板 overview.j2：输出超过 1024 KB"),
    ];
    for (text, message) in cases {
        let t = template_dir(dir.path(), "overview.j2", text);
        let out = dir.path().join("out");
        let started = Instant::now();
        let o = run(&["convert", s(&input), "-o", s(&out), "--templates", s(&t)]);
        assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
        assert!(!out.join("教育局.docx").exists());
    }
}

// 6. A template syntax error is reported once, before any file, in batch and watch.
#[test]
fn a_template_syntax_error_is_reported_once_before_any_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    for i in 0..3 {
        write_workbook(&input.join(format!("机关{i}.xlsx")), &good_report(&format!("某县机关{i}"), 2023));
    }
    let t = template_dir(dir.path(), "overview.j2", "正文{% if %}");
    let out = dir.path().join("out");
    let o = run(&["batch", s(&input), "-o", s(&out), "--templates", s(&t)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.matches("模板 overview.j2 第 1 行：语法错误").count(), 1, "{err}");
    assert!(err.contains("叙述模板有错误，未转换任何文件"), "{err}");
    assert!(!out.exists() || visible_files(&out).is_empty(), "nothing converted");
    let o = run(&["watch", s(&input), "-o", s(&out), "--once", "--settle", "0", "--templates", s(&t)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).matches("语法错误").count(), 1, "{}", stderr(&o));
    assert_eq!(visible_files(&input).len(), 3, "no file claimed or failed");
}

// 7. A stopped batch: summary marked incomplete, no temporaries, no stale summary, 143/130.
#[cfg(unix)]
#[test]
fn a_terminated_batch_cleans_up_and_writes_an_incomplete_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    for i in 0..100 {
        write_workbook(&input.join(format!("机关{i:03}.xlsx")), &good_report(&format!("某县机关{i}"), 2023));
    }
    for (signal, code) in [("-TERM", 143), ("-INT", 130)] {
        let out = dir.path().join(format!("out{signal}"));
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(out.join("summary.json"), "{\"files\": [\"上次运行\"]}").expect("old summary");
        let child = spawn(&["batch", s(&input), "-o", s(&out), "--jobs", "1"]);
        // Stopped once the first report is written.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !visible_files(&out).iter().any(|f| f.ends_with(".docx")) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill").args([signal, &child.id().to_string()]).status();
        let o = wait_limited(child, Duration::from_secs(60));
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        assert!(stderr(&o).contains("已中断"), "{}", stderr(&o));
        let j = summary(&out);
        assert_eq!(j["complete"], false);
        let n = j["files"].as_array().expect("files").len();
        assert!((1..100).contains(&n), "{n}");
        assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), n, "one line per file processed");
        let docx = visible_files(&out).iter().filter(|f| f.ends_with(".docx")).count();
        assert_eq!(docx, n, "a report for every row, none beyond");
        assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
    }
}

// 7. A closed stdout (`batch … | head`) is not fatal: every file converted, summary written.
#[cfg(unix)]
#[test]
fn a_batch_whose_stdout_is_closed_keeps_going() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    let out = dir.path().join("out");
    for i in 0..5 {
        write_workbook(&input.join(format!("机关{i}.xlsx")), &good_report(&format!("某县机关{i}"), 2023));
    }
    let mut child = spawn(&["batch", s(&input), "-o", s(&out)]);
    drop(child.stdout.take());
    let o = wait_limited(child, Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(j["complete"], true);
    assert_eq!(j["files"].as_array().expect("files").len(), 5);
    assert_eq!(visible_files(&out).len(), 12);
}

/// A report of 某县财政局 2023 with `n` 行政复议 cases: a corrected version differs in them.
fn finance(n: i64) -> nianbao::Report {
    let mut r = good_report("某县财政局", 2023);
    set(&mut r.review[0][0], n);
    set(&mut r.review[0][4], n);
    r
}

// 8. A corrected resubmission was summed twice; the newest file by mtime counts.
#[test]
fn batch_sums_each_agency_year_once_the_newest_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    let out = dir.path().join("out");
    // The corrected file sorts first but was saved last.
    write_workbook(&input.join("财政局-更正.xlsx"), &finance(2));
    write_workbook(&input.join("财政局.xlsx"), &finance(1));
    write_workbook(&input.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    set_mtime(&input.join("财政局.xlsx"), 0);
    set_mtime(&input.join("财政局-更正.xlsx"), 3600);
    let o = run(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(j["totals"][0]["reports"], 2);
    assert_eq!(j["totals"][0]["review_litigation"]["review"]["total"], 3);
    assert_eq!(j["totals"][0]["requests"]["new_received"]["total"], 8);
    let old = row(&j, "财政局.xlsx");
    assert_eq!(old["in_totals"], false);
    assert_eq!(old["not_in_totals_reason"], "superseded");
    assert_eq!(
        old["duplicate"],
        "与“财政局-更正.xlsx”是同一机关同一年度的报告，但数字不同；以较新的“财政局-更正.xlsx”计入合计，本文件未计入"
    );
    assert_eq!(row(&j, "财政局-更正.xlsx")["in_totals"], true);
    assert_eq!(row(&j, "财政局-更正.xlsx")["not_in_totals_reason"], Json::Null);
    assert_eq!(row(&j, "教育局.xlsx")["in_totals"], true);
    // The other way round: the older file is left out whichever is read first.
    set_mtime(&input.join("财政局.xlsx"), 7200);
    let o = run(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(j["totals"][0]["review_litigation"]["review"]["total"], 2);
    assert_eq!(row(&j, "财政局-更正.xlsx")["not_in_totals_reason"], "superseded");
    assert_eq!(row(&j, "财政局.xlsx")["in_totals"], true);
}

// 8. watch: a resubmission replaces the previous outputs (kept in 旧版/) and its note.
#[test]
fn watch_replaces_a_resubmissions_outputs_and_clears_its_note() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("out");
    let mut wrong = finance(1);
    let granted = Edition::E2021.form().requests_row("granted").expect("row");
    set(&mut wrong.requests[granted][6], 5);
    write_workbook(&inbox.join("财政局.xlsx"), &wrong);
    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(visible_files(&inbox.join("failed")), ["财政局.xlsx", "财政局.xlsx.错误.txt"]);
    let first_docx = fs::read(out.join("财政局.docx")).expect("docx");

    write_workbook(&inbox.join("财政局.xlsx"), &finance(1));
    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(
        log.contains("已转换为 财政局.docx、财政局.xlsx（同一机关同一年度的新版本，旧的输出已移到 旧版/）"),
        "{log}"
    );
    assert_eq!(visible_files(&inbox.join("failed")), ["财政局.xlsx"], "the stale note is gone");
    assert_eq!(visible_files(&inbox.join("done")), ["财政局.xlsx"]);
    let files = visible_files(&out);
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.contains(&"财政局.docx".to_string()) && files.contains(&"财政局.xlsx".to_string()));
    let old: Vec<&String> = files.iter().filter(|f| f.starts_with("旧版/财政局.")).collect();
    assert_eq!(old.len(), 2, "{files:?}");
    let old_docx = old.iter().find(|f| f.ends_with(".docx")).expect("old docx");
    assert_eq!(fs::read(out.join(old_docx)).expect("old"), first_docx);
    assert_ne!(fs::read(out.join("财政局.docx")).expect("new"), first_docx);
}

// Also: FIFOs and links to FIFOs never block and are listed as skipped.
#[cfg(unix)]
#[test]
fn fifos_never_block_and_are_listed_as_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    write_workbook(&input.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    let fifo = input.join("管道.xlsx");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    std::os::unix::fs::symlink(&fifo, input.join("链接.xlsx")).expect("symlink");
    let out = dir.path().join("out");
    let o = wait_limited(spawn(&["batch", s(&input), "-o", s(&out)]), Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = summary(&out);
    for f in ["管道.xlsx", "链接.xlsx"] {
        assert_eq!(row(&j, f)["status"], "skipped");
        assert_eq!(row(&j, f)["first_error"], "不是普通文件（可能是命名管道、设备或套接字），已跳过");
    }
    let o = wait_limited(spawn(&["convert", s(&input.join("链接.xlsx")), "-o", s(&out)]), Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法读取 链接.xlsx：不是普通文件"), "{}", stderr(&o));
    let o = wait_limited(
        spawn(&["watch", s(&input), "-o", s(&dir.path().join("wout")), "--once", "--settle", "0"]),
        Duration::from_secs(30),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(log.contains("管道.xlsx\t跳过：不是普通文件"), "{log}");
    assert!(fifo.exists(), "the FIFO stays where it is");
}

// Also: names that are not UTF-8 (GBK from Windows zip tools) are read by their bytes.
#[cfg(target_os = "linux")]
#[test]
fn gbk_file_names_are_read_and_get_readable_outputs() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    // 甲局.xlsx and 乙局.xlsx in GBK: both are `��.xlsx` when decoded as UTF-8 lossily.
    let names: [&[u8]; 2] = [b"\xbc\xd7\xbe\xd6.xlsx", b"\xd2\xd2\xbe\xd6.xlsx"];
    for (n, agency) in names.iter().zip(["甲局", "乙局"]) {
        write_workbook(&input.join(std::ffi::OsStr::from_bytes(n)), &good_report(agency, 2023));
    }
    let out = dir.path().join("out");
    let o = run(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(visible_files(&out), ["summary.json", "乙局.docx", "乙局.xlsx", "汇总.xlsx", "甲局.docx", "甲局.xlsx"]);
    assert_eq!(archive_agency(&out.join("甲局.xlsx")), "甲局");
    assert_eq!(row(&summary(&out), "乙局.xlsx")["status"], "ok");
}

// Also: a 250-byte name still gets its note in failed/ (shortened), linked in the log.
#[test]
fn a_long_name_still_gets_its_note() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    fs::create_dir_all(&inbox).expect("mkdir");
    let name = format!("{}.xlsx", "局".repeat(81));
    assert_eq!(name.len(), 248);
    fs::write(inbox.join(&name), b"PK\x03\x04 broken").expect("write");
    let out = dir.path().join("out");
    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let failed = visible_files(&inbox.join("failed"));
    assert_eq!(failed.len(), 2, "{failed:?}");
    let note = failed.iter().find(|f| f.ends_with(".错误.txt")).expect("note");
    assert!(note.len() <= 255 && note.ends_with("….错误.txt"), "{note}");
    let text = fs::read_to_string(inbox.join("failed").join(note)).expect("note");
    assert!(text.starts_with(&format!("无法读取 {name}：")), "{text}");
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(log.contains(&format!("说明见 {}", inbox.join("failed").join(note).display())), "{log}");
}

// Also: out-of-range numbers are refused with a message, not a panic; --jobs is capped.
#[test]
fn out_of_range_options_are_refused_or_capped() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    fs::create_dir_all(&inbox).expect("mkdir");
    let out = dir.path().join("out");
    for (opt, value, message) in [
        ("--settle", "inf", "--settle <秒> 的值“inf”无效"),
        ("--poll", "1e300", "--poll <秒> 的值“1e300”无效"),
        ("--settle", "-1", "--settle <秒> 的值“-1”无效"),
    ] {
        // Out-of-range values are usage mistakes: exit 64 with the command's usage.
        let o = run(&["watch", s(&inbox), "-o", s(&out), &format!("{opt}={value}")]);
        assert_eq!(o.status.code(), Some(64), "{opt} {value}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    write_workbook(&inbox.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    let o = run(&["batch", s(&inbox), "-o", s(&out), "--jobs", "100000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("--jobs 100000 过大，按 64 个并行任务处理"), "{}", stderr(&o));
}

// Also: control characters in an agency name are escaped on the terminal.
#[test]
fn control_characters_are_escaped_in_text_output() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    write_workbook(&input.join("响铃.xlsx"), &good_report("某局\u{7}\u{1b}[2J", 2023));
    let o = run(&["check", s(&input.join("响铃.xlsx"))]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    assert!(text.contains("某局\\u{7}\\u{1b}[2J"), "{text}");
}

// 17: `convert` leaves no empty output folder when nothing was converted, and an `-o`
// naming a file is refused.
#[test]
fn convert_creates_its_folder_only_with_the_first_output() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("坏.xlsx");
    fs::write(&bad, b"PK\x03\x04 broken").expect("write");
    let out = dir.path().join("out");
    let o = run(&["convert", s(&bad), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists(), "no empty folder left behind");
    // A folder named like a file is a usage mistake (exit 64), refused before anything is read.
    let o = run(&["convert", s(&bad), "-o", s(&dir.path().join("报告.docx"))]);
    assert_eq!(o.status.code(), Some(64));
    assert!(stderr(&o).contains("报告.docx"), "{}", stderr(&o));
    assert!(!dir.path().join("报告.docx").exists());
}

// Also (memory): a workbook whose text alone would cost more than the 300 MB a batch may
// use is refused before it is parsed.
#[test]
fn a_workbook_with_too_much_text_is_refused_before_reading() {
    use std::io::{Read, Write};
    let good = filled(&good_report("某县教育局", 2023)).expect("workbook");
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good)).expect("zip");
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(data).expect("utf-8");
            let extra = "<si><t>公开透明公开透明公开透明公开透明公开透明公开透明</t></si>".repeat(300_000);
            data = text.replace("</sst>", &format!("{extra}</sst>")).into_bytes();
        }
        zout.start_file(name, opts).expect("start");
        zout.write_all(&data).expect("write");
    }
    let bytes = zout.finish().expect("finish").into_inner();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("文字过多.xlsx");
    fs::write(&path, bytes).expect("write");
    let started = Instant::now();
    let o = run(&["check", s(&path)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("无法读取 文字过多.xlsx：工作簿的文字内容过多（共享字符串解压后 25 MB，统计表不应超过 24 MB），请删除多余的文字后另存"),
        "{}",
        stderr(&o)
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}
