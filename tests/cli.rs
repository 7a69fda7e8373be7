//! Tests of the commands run as a user runs them: exit codes, messages, files written,
//! nothing half-written left behind.

use crate::common::*;
use nianbao::form::Edition;
use nianbao::write::template::filled;
use serde_json::Value as Json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
#[cfg(unix)] // only the watch test that sends signals waits
use std::time::{Duration, Instant};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    c.env("NO_COLOR", "1");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run nianbao")
}

pub(crate) fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A consistent 2021-edition report: 3 natural persons and 1 company, all granted.
pub fn good_report(agency: &str, year: i32) -> nianbao::Report {
    let mut r = blank(Edition::E2021, agency, year);
    let form = Edition::E2021.form();
    let row = |id: &str| form.requests_row(id).expect("row");
    for id in ["new_received", "granted", "result_total"] {
        set(&mut r.requests[row(id)][0], 3);
        set(&mut r.requests[row(id)][1], 1);
        set(&mut r.requests[row(id)][6], 4);
    }
    set(&mut r.review[0][0], 1);
    set(&mut r.review[0][4], 1);
    r.text.overview.text = format!("{year}年，本机关收到政府信息公开申请4件。");
    r.text.other_matters.text = "本年度未收取信息处理费。".into();
    r
}

pub(crate) fn write_workbook(path: &Path, r: &nianbao::Report) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, filled(r).expect("workbook")).expect("write");
}

/// Every file under a folder, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
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

#[test]
fn template_then_check_reads_the_blank_workbook() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("空白.xlsx");
    let o = run(&["template", "--edition", "2019", "--agency", "某某局", "--year", "2020", "-o", s(&out)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["check", "--format", "json", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let j: Json = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(j["edition"], "2019");
    assert_eq!(j["agency"], "某某局");
    assert_eq!(j["year"], 2020);
    assert_eq!(j["requests"]["carried_forward"]["total"], 0);
    assert!(fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().ends_with(".tmp")));
}

#[test]
fn unreadable_file_exits_2_with_a_message_naming_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("乱码.xlsx");
    fs::write(&bad, b"\x00\x01\x02 not a workbook at all").expect("write");
    let o = run(&["check", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("无法读取 乱码.xlsx"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn batch_reports_every_file_and_sums_the_good_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("in");
    let out = dir.path().join("out");
    write_workbook(&inbox.join("教育局/统计表.xlsx"), &good_report("某县教育局", 2023));
    write_workbook(&inbox.join("财政局/统计表.xlsx"), &good_report("某县财政局", 2023));
    // The same content twice, and the same agency again with other figures.
    fs::copy(inbox.join("教育局/统计表.xlsx"), inbox.join("教育局/统计表-再次发送.xlsx")).expect("copy");
    let mut other = good_report("某县财政局", 2023);
    set(&mut other.review[0][0], 2);
    set(&mut other.review[0][4], 2);
    write_workbook(&inbox.join("财政局/修改后.xlsx"), &other);
    // The corrected report was saved last: it, not the first one, is summed.
    fs::File::options()
        .write(true)
        .open(inbox.join("财政局/修改后.xlsx"))
        .and_then(|f| f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60)))
        .expect("mtime");
    fs::write(inbox.join("坏文件.xlsx"), b"PK\x03\x04 truncated").expect("write");
    fs::write(inbox.join("~$统计表.xlsx"), b"lock").expect("write");
    fs::write(inbox.join(".hidden.xlsx"), b"hidden").expect("write");
    fs::write(inbox.join("说明.txt"), b"not a workbook").expect("write");

    let o = run(&["batch", s(&inbox), "-o", s(&out), "--jobs", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("[5/5]"), "one line per file when piped: {stdout}");

    let summary: Json =
        serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary.json")).expect("json");
    let files = summary["files"].as_array().expect("files");
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap_or("")).collect();
    assert_eq!(
        names,
        [
            "坏文件.xlsx",
            "教育局/统计表-再次发送.xlsx",
            "教育局/统计表.xlsx",
            "财政局/修改后.xlsx",
            "财政局/统计表.xlsx"
        ]
    );
    let by = |n: &str| files.iter().find(|f| f["file"] == n).expect("row");
    assert_eq!(by("坏文件.xlsx")["status"], "unreadable");
    assert!(by("坏文件.xlsx")["first_error"].as_str().unwrap_or("").contains("坏文件.xlsx"));
    assert_eq!(by("教育局/统计表.xlsx")["status"], "ok");
    assert_eq!(by("教育局/统计表.xlsx")["figures"]["new_received"], 4);
    let same_content = ["教育局/统计表-再次发送.xlsx", "教育局/统计表.xlsx"]
        .iter()
        .filter(|n| by(n)["duplicate"].as_str().unwrap_or("").contains("内容完全相同"))
        .count();
    assert_eq!(same_content, 1, "exactly one of the two copies is flagged");
    assert!(by("财政局/统计表.xlsx")["duplicate"].as_str().unwrap_or("").contains("数字不同"));
    assert_eq!(summary["counts"]["unreadable"], 1);

    assert_eq!(by("财政局/统计表.xlsx")["in_totals"], false);
    assert_eq!(by("财政局/统计表.xlsx")["not_in_totals_reason"], "superseded");
    assert_eq!(by("坏文件.xlsx")["not_in_totals_reason"], "unreadable");
    assert_eq!(by("财政局/修改后.xlsx")["in_totals"], true);

    // 合计: one report per agency and year (the newer 财政局 one), the duplicate content
    // not counted twice.
    let totals = summary["totals"].as_array().expect("totals");
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0]["reports"], 2);
    assert_eq!(totals[0]["requests"]["new_received"]["total"], 8);
    assert_eq!(totals[0]["review_litigation"]["review"]["total"], 3);

    // Outputs mirror the folders; the two 统计表 do not collide; nothing half-written.
    let written = files_under(&out);
    for f in [
        "教育局/统计表.docx",
        "教育局/统计表.xlsx",
        "财政局/统计表.docx",
        "财政局/统计表.xlsx",
        "汇总.xlsx",
        "summary.json",
    ] {
        assert!(written.contains(&f.to_string()), "{f} missing in {written:?}");
    }
    assert!(written.iter().all(|f| !f.ends_with(".tmp")), "{written:?}");
    assert!(!written.iter().any(|f| f.contains("坏文件")), "{written:?}");

    // The summary workbook reads as a workbook with its sheets.
    let xlsx = fs::read(out.join("汇总.xlsx")).expect("汇总");
    let (_, sheets) = nianbao::read::open::open(&xlsx).expect("open 汇总");
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_ref()).collect();
    assert_eq!(names, ["汇总", "合计", "核查结果"]);
    // The 合计 sheet is the official layout: nianbao reads it back as a report of the sums.
    let sum = read_bytes(&xlsx, "汇总.xlsx");
    assert_eq!(req(&sum, "new_received", "total"), 8);
    assert_eq!(req(&sum, "new_received", "natural_person"), 6);
    assert_eq!(req(&sum, "granted", "commercial"), 2);
    assert!(
        req_cell(&sum, "new_received", "total").starts_with("合计!J"),
        "{}",
        req_cell(&sum, "new_received", "total")
    );
    let review_total = sum.review_value("review", "total").and_then(|v| v.num).map(|d| d.to_string());
    assert_eq!(review_total.as_deref(), Some("3"));
}

/// The state of a watched inbox: files in done/ and failed/, outputs.
fn listing(inbox: &Path, out: &Path) -> (Vec<String>, Vec<String>, Vec<String>) {
    let ls = |d: PathBuf| -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .map(|r| r.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        v.retain(|n| !n.starts_with('.'));
        v.sort();
        v
    };
    (ls(inbox.join("done")), ls(inbox.join("failed")), ls(out.to_path_buf()))
}

#[test]
fn watch_once_sorts_files_into_done_and_failed() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("out");
    write_workbook(&inbox.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    fs::copy(inbox.join("教育局.xlsx"), inbox.join("教育局（再次发送）.xlsx")).expect("copy");
    fs::write(inbox.join("损坏.xlsx"), b"PK\x03\x04garbage").expect("write");
    // A workbook with a wrong row total: converted, but sent back through failed/.
    let mut wrong = good_report("某县财政局", 2023);
    let granted = Edition::E2021.form().requests_row("granted").expect("row");
    set(&mut wrong.requests[granted][6], 5);
    write_workbook(&inbox.join("财政局.xlsx"), &wrong);
    fs::write(inbox.join("~$教育局.xlsx"), b"lock").expect("write");
    fs::write(inbox.join("下载中.xlsx.part"), b"partial").expect("write");
    // A file a killed run had claimed.
    fs::create_dir_all(inbox.join(".processing")).expect("mkdir");
    write_workbook(&inbox.join(".processing/民政局.xlsx"), &good_report("某县民政局", 2023));

    let o = run(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (done, failed, outs) = listing(&inbox, &out);
    assert_eq!(done, ["教育局.xlsx", "教育局（再次发送）.xlsx", "民政局.xlsx"]);
    assert_eq!(failed, ["损坏.xlsx", "损坏.xlsx.错误.txt", "财政局.xlsx", "财政局.xlsx.错误.txt"]);
    assert_eq!(outs, ["教育局.docx", "教育局.xlsx", "民政局.docx", "民政局.xlsx", "财政局.docx", "财政局.xlsx"]);
    let why = fs::read_to_string(inbox.join("failed/损坏.xlsx.错误.txt")).expect("错误.txt");
    assert!(why.contains("无法读取 损坏.xlsx"), "{why}");
    let why = fs::read_to_string(inbox.join("failed/财政局.xlsx.错误.txt")).expect("错误.txt");
    assert!(why.contains("错误[T3-ROW-TOTAL] 依申请公开!J7"), "{why}");
    // Lock and partial files stay where they are; .processing is empty.
    assert!(inbox.join("~$教育局.xlsx").exists() && inbox.join("下载中.xlsx.part").exists());
    assert_eq!(fs::read_dir(inbox.join(".processing")).expect("ls").count(), 0);
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(log.contains("教育局（再次发送）.xlsx\t内容与已转换的“教育局”相同，未重复转换"), "{log}");
}

#[cfg(unix)]
#[test]
fn watch_survives_kill_9_and_slow_writers() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("out");
    fs::create_dir_all(&inbox).expect("mkdir");
    let start = |inbox: &Path, out: &Path| {
        bin()
            .args(["watch", s(inbox), "-o", s(out), "--poll", "0.2", "--settle", "0.6"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn watch")
    };
    let mut child = start(&inbox, &out);
    // Drop a burst of files, one written slowly in chunks.
    for i in 0..6 {
        write_workbook(&inbox.join(format!("机关{i}.xlsx")), &good_report(&format!("某县机关{i}"), 2023));
    }
    let slow = filled(&good_report("某县慢速局", 2023)).expect("bytes");
    {
        let mut f = fs::File::create(inbox.join("慢速.xlsx")).expect("create");
        for chunk in slow.chunks(slow.len() / 4 + 1) {
            f.write_all(chunk).expect("chunk");
            f.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    fs::write(inbox.join("坏的.xlsx"), b"not a workbook").expect("write");
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("kill -9");
    let _ = child.wait();
    for i in 6..10 {
        write_workbook(&inbox.join(format!("机关{i}.xlsx")), &good_report(&format!("某县机关{i}"), 2023));
    }
    let mut child = start(&inbox, &out);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (done, failed, _) = listing(&inbox, &out);
        if done.len() == 11 && failed.len() == 2 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // SIGTERM: finish the current file and stop.
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let (done, failed, outs) = listing(&inbox, &out);
    assert_eq!(done.len(), 11, "{done:?}");
    assert!(done.contains(&"慢速.xlsx".to_string()));
    assert_eq!(failed, ["坏的.xlsx", "坏的.xlsx.错误.txt"]);
    assert_eq!(outs.len(), 22, "{outs:?}");
    assert!(files_under(&out).iter().all(|f| !f.ends_with(".tmp")));
    assert_eq!(fs::read_dir(inbox.join(".processing")).expect("ls").count(), 0);
    // Every output is a complete document.
    let docx = fs::read(out.join("慢速.docx")).expect("docx");
    assert!(zip::ZipArchive::new(std::io::Cursor::new(docx)).is_ok());
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let mut child = bin()
        .arg("rules")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read one byte, then close the pipe while nianbao is still printing.
    let mut out = child.stdout.take().expect("stdout");
    let mut one = [0u8; 1];
    out.read_exact(&mut one).expect("read");
    drop(out);
    let mut err = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut err).expect("stderr");
    let _ = child.wait();
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn batch_expect_lists_the_agencies_without_a_report_of_the_year() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("in");
    let out = dir.path().join("out");
    write_workbook(&inbox.join("教育局.xlsx"), &good_report("某县教育局", 2023));
    write_workbook(&inbox.join("财政局.xlsx"), &good_report("某县财政局", 2023));
    // Last year's report does not count for this year.
    write_workbook(&inbox.join("卫健委2022.xlsx"), &good_report("某县卫生健康委员会", 2022));
    // The list as a records office keeps it: a header, a 序号 column, a seal's mark,
    // full-width letters and spaces, a name twice.
    let list = dir.path().join("名单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, (n, name)) in [
        ("序号", "单位名称"),
        ("1", "某县　教育局"),
        ("2", "某县财政局（盖章）"),
        ("3", "某县卫生健康委员会"),
        ("4", "某县民政局"),
        ("5", "某县教育局"),
    ]
    .iter()
    .enumerate()
    {
        match n.parse::<f64>() {
            Ok(v) => ws.write_number(r as u32, 0, v).expect("write"),
            Err(_) => ws.write_string(r as u32, 0, *n).expect("write"),
        };
        ws.write_string(r as u32, 1, *name).expect("write");
    }
    wb.save(&list).expect("save list");

    let o = run(&["batch", s(&inbox), "-o", s(&out), "--expect", s(&list)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("；名单中 2 个机关没有2023年度的报告（见汇总的“未报送”表）"), "{err}");
    let summary: Json =
        serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary.json")).expect("json");
    assert_eq!(summary["missing"], serde_json::json!({"year": 2023, "agencies": ["某县卫生健康委员会", "某县民政局"]}));
    let xlsx = fs::read(out.join("汇总.xlsx")).expect("汇总");
    let (_, sheets) = nianbao::read::open::open(&xlsx).expect("open 汇总");
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_ref()).collect();
    // Two years: 2023's 合计 and 2022's.
    assert_eq!(names, ["汇总", "合计", "合计2023（2021版）", "未报送", "核查结果"]);
    let missing = &sheets[3].cells;
    let text = |r: u32, c: u32| match missing.get(&(r, c)) {
        Some(nianbao::read::value::Raw::Str(s)) => s.clone(),
        Some(nianbao::read::value::Raw::Int(i)) => i.to_string(),
        Some(nianbao::read::value::Raw::Float(f)) => f.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(
        (text(0, 1), text(1, 1), text(2, 1), text(2, 2)),
        ("未报送的机关".into(), "某县卫生健康委员会".into(), "某县民政局".into(), "2023".into())
    );
    assert_eq!(missing.keys().map(|(r, _)| *r).max(), Some(2));

    // A text list, `--year` naming the year; without `--expect` the summary is as before.
    let txt = dir.path().join("名单.txt");
    fs::write(&txt, "某县卫生健康委员会\n某县教育局\n").expect("write");
    let out2 = dir.path().join("out2");
    let o = run(&["batch", s(&inbox), "-o", s(&out2), "--expect", s(&txt), "--year", "2022"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: Json = serde_json::from_slice(&fs::read(out2.join("summary.json")).expect("summary")).expect("json");
    assert_eq!(summary["missing"], serde_json::json!({"year": 2022, "agencies": ["某县教育局"]}));
    let out3 = dir.path().join("out3");
    let o = run(&["batch", s(&inbox), "-o", s(&out3)]);
    assert_eq!(o.status.code(), Some(0));
    let summary: Json = serde_json::from_slice(&fs::read(out3.join("summary.json")).expect("summary")).expect("json");
    assert_eq!(summary.get("missing"), None);
    // A list without a name stops the batch before anything is written.
    fs::write(&txt, "序号\n1\n").expect("write");
    let out4 = dir.path().join("out4");
    let o = run(&["batch", s(&inbox), "-o", s(&out4), "--expect", s(&txt)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("名单中没有机关名称（每行一个机关）"));
    assert!(!out4.exists());
}

/// A county's collection workbook (a sheet per township) is three reports: `check` prints a
/// JSON line each, a text block each, and one annotated copy marking every sheet.
#[test]
fn check_prints_one_json_line_per_report_of_a_collection_workbook() {
    use crate::evidence_books::{agency_data, collection};
    let names = ["甲镇人民政府", "乙镇人民政府", "丙乡人民政府"];
    let data: Vec<_> = names.iter().zip(21..).map(|(n, s)| agency_data(n, s)).collect();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("汇总.xlsx");
    fs::write(&file, collection(&[("甲镇", &data[0]), ("乙镇", &data[1]), ("丙乡", &data[2])])).expect("write");
    let o = run(&["check", "--format", "json", s(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<Json> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let got: Vec<(String, String, i64, i64)> = lines
        .iter()
        .map(|j| {
            (
                j["file"].as_str().unwrap_or_default().to_string(),
                j["agency"].as_str().unwrap_or_default().to_string(),
                j["year"].as_i64().unwrap_or_default(),
                j["requests"]["new_received"]["total"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, String, i64, i64)> =
        data.iter().map(|d| ("汇总.xlsx".to_string(), d.agency.clone(), 2023, d.requests[0][6])).collect();
    assert_eq!(got, want);

    let annotated = dir.path().join("标注");
    fs::create_dir(&annotated).expect("mkdir");
    let o = run(&["check", "--annotate", s(&annotated), s(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let at: Vec<usize> = names.iter().map(|n| text.find(n).unwrap_or(usize::MAX)).collect();
    assert!(at[0] < at[1] && at[1] < at[2] && at[2] < usize::MAX, "{text}");
    let mut files: Vec<String> =
        fs::read_dir(&annotated).expect("ls").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["汇总.xlsx"]);
}

/// A county's collection workbook in a batch: a summary row per agency, each naming the
/// file and its agency (and the file's SHA-256), no duplicate of the other, both summed into
/// the year's total, both reported for `--expect`.
#[test]
fn batch_counts_each_agency_of_a_collection_workbook() {
    use crate::evidence_books::{agency_data, collection};
    let (a, b) = (agency_data("甲镇人民政府", 61), agency_data("乙镇人民政府", 62));
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("收件");
    fs::create_dir_all(inbox.join("乡镇")).expect("mkdir");
    let bytes = collection(&[("甲镇", &a), ("乙镇", &b)]);
    fs::write(inbox.join("乡镇/汇总.xlsx"), &bytes).expect("write");
    let list = dir.path().join("名单.txt");
    fs::write(&list, "甲镇人民政府\n乙镇人民政府\n丙乡人民政府\n").expect("write");
    let out = dir.path().join("结果");
    let o = run(&["batch", s(&inbox), "-o", s(&out), "--expect", s(&list)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("；名单中 1 个机关没有2023年度的报告（见汇总的“未报送”表）"), "{err}");
    let mut written: Vec<String> =
        fs::read_dir(out.join("乡镇")).expect("ls").flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
    written.sort();
    assert_eq!(
        written,
        [
            "汇总 - 乙镇人民政府.docx",
            "汇总 - 乙镇人民政府.xlsx",
            "汇总 - 甲镇人民政府.docx",
            "汇总 - 甲镇人民政府.xlsx"
        ]
    );

    let summary: Json = serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary")).expect("json");
    let sha = nianbao::read::sha256_hex(&bytes);
    let rows: Vec<(String, String, String, bool, i64)> = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or_default().to_string(),
                r["agency"].as_str().unwrap_or_default().to_string(),
                r["sha256"].as_str().unwrap_or_default().to_string(),
                r["in_totals"].as_bool().unwrap_or_default(),
                r["figures"]["new_received"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("乡镇/汇总 - 乙镇人民政府.xlsx".into(), b.agency.clone(), sha.clone(), true, b.requests[0][6]),
            ("乡镇/汇总 - 甲镇人民政府.xlsx".into(), a.agency.clone(), sha.clone(), true, a.requests[0][6]),
        ]
    );
    assert_eq!(summary["counts"]["files"], 2);
    let total = &summary["totals"][0];
    assert_eq!((total["year"].as_i64(), total["reports"].as_i64()), (Some(2023), Some(2)));
    assert_eq!(total["requests"]["new_received"]["total"].as_i64(), Some(a.requests[0][6] + b.requests[0][6]));
    assert_eq!(summary["missing"], serde_json::json!({"year": 2023, "agencies": ["丙乡人民政府"]}));

    // 汇总.xlsx: the same two rows, file and agency.
    let xlsx = fs::read(out.join("汇总.xlsx")).expect("汇总");
    let (_, sheets) = nianbao::read::open::open(&xlsx).expect("open 汇总");
    let text = |r: u32, c: u32| match sheets[0].cells.get(&(r, c)) {
        Some(nianbao::read::value::Raw::Str(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(
        [text(1, 0), text(1, 1), text(2, 0), text(2, 1)],
        ["乡镇/汇总 - 乙镇人民政府.xlsx", "乙镇人民政府", "乡镇/汇总 - 甲镇人民政府.xlsx", "甲镇人民政府"]
    );
    assert_eq!(sheets[0].cells.keys().map(|(r, _)| *r).max(), Some(2));
}

/// Two machines' results combined (issue 29): each city batches its own workbooks; the
/// province batches the cities' archive workbooks with `--archives` and gets the totals of
/// every agency. Without it the archives are skipped as nianbao's own output.
#[test]
fn batch_archives_combines_the_results_of_several_machines() {
    use crate::evidence_books::agency_data;
    let dir = tempfile::tempdir().expect("tmp");
    let books = [("甲市", agency_data("甲市教育局", 71)), ("乙市", agency_data("乙市卫生健康委员会", 72))];
    let province = dir.path().join("全省");
    for (city, data) in &books {
        let inbox = dir.path().join(city);
        fs::create_dir_all(&inbox).expect("mkdir");
        fs::write(inbox.join("年报.xlsx"), crate::evidence_books::collection(&[(city, data)])).expect("write");
        let o = run(&["batch", s(&inbox), "-o", s(&province.join(city))]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Without --archives: nothing converted, every archive said to be skipped.
    let skipped = dir.path().join("跳过");
    let o = run(&["batch", s(&province), "-o", s(&skipped)]);
    let log = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(log.contains("共 6 个文件：0 个已转换"), "{log}");
    assert!(log.contains("这是 nianbao 生成的归档工作簿，不作为输入"), "{log}");

    let out = dir.path().join("合并");
    let o = run(&["batch", s(&province), "-o", s(&out), "--archives"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let summary: Json = serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary")).expect("json");
    let mut agencies: Vec<&str> = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|r| r["agency"].as_str())
        .filter(|a| !a.is_empty())
        .collect();
    agencies.sort();
    assert_eq!(agencies, ["乙市卫生健康委员会", "甲市教育局"]);
    let total = &summary["totals"][0];
    assert_eq!((total["year"].as_i64(), total["reports"].as_i64()), (Some(2023), Some(2)));
    assert_eq!(
        total["requests"]["new_received"]["total"].as_i64(),
        Some(books[0].1.requests[0][6] + books[1].1.requests[0][6])
    );
}
