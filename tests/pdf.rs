//! `--pdf` run as a user runs it, with a stand-in for LibreOffice (a shell script that logs
//! each start and writes a PDF per report, or none): how many starts a batch costs, where
//! the PDFs go, and that a missing PDF never costs the Word report or the archive.
// Some tests are Unix-only (FIFOs, signals, shell stand-ins); on Windows their helpers rest.
#![cfg_attr(not(unix), allow(unused_imports, dead_code))]

use crate::cli::{bin, good_report};
use nianbao::write::template::filled;
use std::fs;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A stand-in `soffice`: each start appends its arguments as one line to `log`; with
/// `make`, each `.docx` argument gets `<outdir>/<stem>.pdf`.
#[cfg(unix)]
pub(crate) fn fake_soffice(dir: &Path, make: bool) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("soffice.log");
    let script = dir.join("soffice");
    let body = if make {
        r#"out=""; prev=""
for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
for a in "$@"; do case "$a" in *.docx) printf '%%PDF-1.7 stand-in\n' > "$out/$(basename "$a" .docx).pdf";; esac; done"#
    } else {
        "echo 'Error: source file could not be loaded' >&2"
    };
    fs::write(&script, format!("#!/bin/sh\necho \"$@\" >> '{}'\n{body}\n", log.display())).expect("script");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    (script, log)
}

fn workbooks(dir: &Path, n: usize) {
    for i in 0..n {
        // Two folders with the same file names: their PDFs must not collide.
        let p = dir.join(if i % 2 == 0 { "甲" } else { "乙" }).join(format!("第{}号.xlsx", i / 2));
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(&p, filled(&good_report(&format!("某县第{i}局"), 2023)).expect("workbook")).expect("write");
    }
}

fn starts(log: &Path) -> Vec<String> {
    fs::read_to_string(log).unwrap_or_default().lines().map(str::to_string).collect()
}

#[test]
#[cfg(unix)]
fn a_batch_starts_libreoffice_once_per_folder_name_clash_and_puts_each_pdf_beside_its_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let (soffice, log) = fake_soffice(dir.path(), true);
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    workbooks(&inbox, 40);
    let o = bin()
        .env("NIANBAO_SOFFICE", &soffice)
        .args(["batch", s(&inbox), "-o", s(&out), "--jobs", "2", "--pdf"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // 甲/第0号 and 乙/第0号 share a stem: two calls, each writing into its own folder.
    let calls = starts(&log);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls.iter().map(|c| c.matches(".docx").count()).collect::<Vec<_>>(), [20, 20]);
    for c in &calls {
        assert!(c.starts_with("-env:UserInstallation=file:///"), "{c}");
        assert!(
            c.contains(r#"--convert-to pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}"#),
            "{c}"
        );
    }
    assert!(err.contains("PDF：40 个已生成，0 个未能生成（LibreOffice 启动 2 次）"), "{err}");
    for i in 0..20 {
        for folder in ["甲", "乙"] {
            let pdf = out.join(folder).join(format!("第{i}号.pdf"));
            assert_eq!(fs::read(&pdf).expect("pdf"), b"%PDF-1.7 stand-in\n", "{}", pdf.display());
            assert!(out.join(folder).join(format!("第{i}号.docx")).is_file());
        }
    }
    // LibreOffice's profile and output folder are gone, and no temporary name is left.
    let profile = calls[0].split_whitespace().next().unwrap_or("").trim_start_matches("-env:UserInstallation=file://");
    assert!(!Path::new(profile).exists(), "{profile}");
    let left: Vec<_> = walk(&out).into_iter().filter(|p| p.ends_with(".tmp")).collect();
    assert!(left.is_empty(), "{left:?}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("ls").flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path().display().to_string());
        }
    }
    out
}

#[test]
#[cfg(unix)]
fn a_pdf_that_cannot_be_made_is_a_warning_and_exit_3_and_the_report_and_archive_stay() {
    let dir = tempfile::tempdir().expect("tmp");
    let (soffice, log) = fake_soffice(dir.path(), false);
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    workbooks(&inbox, 1);
    let input = inbox.join("甲/第0号.xlsx");
    let o = bin()
        .env("NIANBAO_SOFFICE", &soffice)
        .args(["convert", s(&input), "-o", s(&out), "--pdf"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    let docx = out.join("第0号.docx");
    assert!(
        err.contains(&format!(
            "警告：无法为 {} 生成 PDF（LibreOffice 未输出该文件：Error: source file could not be loaded），Word 报告和归档工作簿已照常生成",
            docx.display()
        )),
        "{err}"
    );
    // Tried twice (a fresh start for what the first left), then given up.
    assert_eq!(starts(&log).len(), 2);
    let mut names: Vec<String> =
        fs::read_dir(&out).expect("ls").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["第0号.docx", "第0号.xlsx"]);
}

#[test]
fn without_libreoffice_pdf_stops_before_converting_anything() {
    let dir = tempfile::tempdir().expect("tmp");
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    workbooks(&inbox, 1);
    let missing = dir.path().join("没有这个程序");
    for args in [
        vec!["convert", s(&inbox.join("甲/第0号.xlsx")), "-o", s(&out), "--pdf"],
        vec!["batch", s(&inbox), "-o", s(&out), "--pdf"],
        vec!["watch", s(&inbox), "-o", s(&out), "--once", "--pdf"],
    ] {
        let o = bin().env("NIANBAO_SOFFICE", &missing).args(&args).output().expect("run");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("环境变量 NIANBAO_SOFFICE 指向的 {} 不存在或不是文件。", missing.display())),
            "{err}"
        );
        assert!(err.contains("sudo apt-get install libreoffice-writer-nogui"), "{err}");
        assert!(!out.join("第0号.docx").exists() && !out.join("甲").exists(), "{args:?} converted before failing");
        assert!(inbox.join("甲/第0号.xlsx").is_file(), "{args:?} moved the input");
    }
}

#[test]
#[cfg(unix)]
fn watch_makes_the_pdfs_of_a_sweep_with_one_start() {
    let dir = tempfile::tempdir().expect("tmp");
    let (soffice, log) = fake_soffice(dir.path(), true);
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    fs::create_dir_all(&inbox).expect("mkdir");
    for i in 0..3 {
        let r = good_report(&format!("某县第{i}局"), 2023);
        fs::write(inbox.join(format!("局{i}.xlsx")), filled(&r).expect("workbook")).expect("write");
    }
    let o = bin()
        .env("NIANBAO_SOFFICE", &soffice)
        .args(["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0", "--pdf"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(starts(&log).len(), 1);
    let stdout = String::from_utf8_lossy(&o.stdout);
    for i in 0..3 {
        assert!(out.join(format!("局{i}.pdf")).is_file());
        assert!(stdout.contains(&format!("\t局{i}.pdf\t已生成 PDF")), "{stdout}");
    }
}
