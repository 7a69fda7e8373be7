//! The archive workbook in print: each part of the narrative in rows no taller than Excel
//! allows, under a merged label, reading back as written; and, where LibreOffice is
//! installed, its PDF holding the whole narrative and title.

use crate::cli::good_report;
use crate::common::*;
use nianbao::write::archive::{self, Provenance};
use std::io::{Cursor, Read};

/// A long 一、总体情况: ten paragraphs of 150 characters, one of 1,500 and a short one.
fn long_overview() -> String {
    let sentence = "本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。";
    let para = |n: usize, tag: usize| format!("（{tag}）{}", sentence.repeat(n));
    let mut paras: Vec<String> = (1..=10).map(|i| para(4, i)).collect();
    paras.push(para(38, 11));
    paras.push("2023年，本机关收到政府信息公开申请4件。".into());
    paras.join("\n")
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    z.by_name(name).expect("part").read_to_string(&mut s).expect("utf-8");
    s
}

#[test]
fn a_long_narrative_is_split_over_rows_and_reads_back_whole() {
    let mut r = good_report("某县教育局", 2023);
    r.text.overview.text = long_overview();
    r.text.problems.text = "存在的主要问题是公开的及时性有待提高。\n下一步将加强培训。".into();
    let bytes = archive::archive(&r, &[], &Provenance::now(Some(0))).expect("archive");
    let info = part(&bytes, "xl/worksheets/sheet1.xml");
    // The label 一、总体情况 merged over the rows of its text, from row 10.
    let merged: Vec<&str> = info
        .split("<mergeCell ref=\"")
        .skip(1)
        .filter_map(|m| m.split('"').next())
        .filter(|m| m.starts_with("A10:"))
        .collect();
    assert_eq!(merged.len(), 1, "{info}");
    let last: u32 = merged[0].trim_start_matches("A10:A").parse().expect("row");
    assert!(last >= 12, "the overview takes several rows: {}", merged[0]);
    // No row is taller than Excel's 409 pt.
    for ht in info.split(" ht=\"").skip(1).filter_map(|h| h.split('"').next()) {
        let h: f64 = ht.parse().expect("height");
        assert!(h <= 409.0, "row height {h}");
    }
    // Every sheet prints on A4, one page wide, its own range, list heads on every page.
    let book = part(&bytes, "xl/workbook.xml");
    let areas: Vec<&str> = book
        .split("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"")
        .skip(1)
        .filter_map(|d| d.split('>').nth(1).and_then(|t| t.split('<').next()))
        .collect();
    let info_last = last + 2 + 2 + 4; // 五, 六, two fee rows, four provenance rows
    assert_eq!(
        areas,
        [
            format!("'基本信息'!$A$1:$B${info_last}").as_str(),
            "'主动公开'!$A$1:$D$15",
            "'依申请公开'!$A$1:$J$29",
            "'复议诉讼'!$A$1:$O$5",
            "'核查结果'!$A$1:$H$2",
            "'数据'!$A$1:$K$201",
        ]
    );
    assert_eq!(book.matches("_xlnm.Print_Titles").count(), 4);
    for (sheet, orientation) in
        [(1, "portrait"), (2, "portrait"), (3, "portrait"), (4, "landscape"), (5, "landscape"), (6, "landscape")]
    {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(
            xml.contains(&format!("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"{orientation}\"")),
            "sheet{sheet}"
        );
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet{sheet}");
    }
    let back = read_bytes(&bytes, "归档.xlsx");
    assert_eq!(back.text.overview.text, r.text.overview.text);
    assert_eq!(back.text.overview.cell.as_ref().map(|c| c.to_string()).as_deref(), Some("基本信息!B10"));
    assert_eq!(back.text.problems.text, r.text.problems.text);
    assert_eq!(back.text.other_matters.text, r.text.other_matters.text);
    assert_eq!(back.agency.value, r.agency.value);
}

#[test]
fn split_pieces_join_to_the_text() {
    let text = long_overview();
    let pieces = nianbao::write::info::split_rows(&text);
    assert!(pieces.len() >= 3, "{}", pieces.len());
    assert_eq!(pieces.concat(), text);
    for p in &pieces {
        assert!(nianbao::write::layout::text_lines(p, 88.0) <= 24, "{p}");
    }
    assert_eq!(nianbao::write::info::split_rows("短文。"), ["短文。"]);
    assert_eq!(nianbao::write::info::split_rows(""), [""]);
}

/// LibreOffice prints the archive to PDF; the PDF's text has the whole narrative and title.
#[test]
fn the_archive_prints_whole() {
    let have = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("soffice") || !have("pdftotext") {
        eprintln!("跳过：未安装 soffice 或 pdftotext，无法检查归档工作簿的打印效果");
        return;
    }
    let mut r = good_report("某县教育局", 2023);
    r.text.overview.text = long_overview();
    let bytes = archive::archive(&r, &[], &Provenance::now(Some(0))).expect("archive");
    let dir = tempfile::tempdir().expect("tmp");
    let xlsx = dir.path().join("归档.xlsx");
    std::fs::write(&xlsx, &bytes).expect("write");
    let o = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&xlsx)
        .env("HOME", dir.path())
        .output()
        .expect("soffice");
    // LibreOffice without Calc (libreoffice-writer-nogui, as render-check installs) cannot
    // load a workbook: that is a missing tool, not a failure of the archive.
    if !dir.path().join("归档.pdf").exists() {
        eprintln!(
            "跳过：LibreOffice 未能把工作簿转为 PDF（是否缺少 Calc 组件？）：{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        return;
    }
    let txt = dir.path().join("归档.txt");
    let o =
        std::process::Command::new("pdftotext").arg(dir.path().join("归档.pdf")).arg(&txt).output().expect("pdftotext");
    assert!(o.status.success());
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let pdf = squash(&std::fs::read_to_string(&txt).expect("text"));
    for para in r.text.overview.text.lines() {
        assert!(pdf.contains(&squash(para)), "missing from the PDF: {para}");
    }
    assert!(pdf.contains("政府信息公开工作年度报告（统计表）"), "title");
    assert!(pdf.contains(&squash(r.text.other_matters.text.as_str())));
}
