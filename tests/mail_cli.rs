//! Mail files given to `check`, `batch` and `watch` (issue 19): what each prints and writes
//! for the messages of tests/fixtures/mail/.

use crate::common::{fixture, sample};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env("NIANBAO_FIXED_TIME", "1700000000")
        .env("NO_COLOR", "1")
        .output()
        .expect("nianbao runs")
}

fn mail(name: &str) -> PathBuf {
    fixture(&format!("mail/{name}"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_lines(o: &Output) -> Vec<Json> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// (rule, cell) of each finding of a JSON report.
fn rules(doc: &Json) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["rule"].as_str().unwrap_or("").to_string(), f["cell"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn check_json_names_the_message_and_the_attachment() {
    let eml = mail("foxmail-gbk-q-name.eml");
    let o = nianbao(&["check", s(&eml), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let docs = json_lines(&o);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d["file"], "foxmail-gbk-q-name.eml#统计表（总计有误）.xlsx");
    assert_eq!(d["agency"], "某某县市场监督管理局");
    assert_eq!(d["year"], 2023);
    assert_eq!(
        d["mail"],
        serde_json::json!({
            "file": "foxmail-gbk-q-name.eml",
            "message": 1,
            "attachment": "统计表（总计有误）.xlsx",
            "sender": "李四 <lisi@example.gov.cn>",
            "date": "2024-01-16 14:05:33 +08:00",
            "subject": "年报统计表",
            "message_id": "202401161405330874511@example.gov.cn",
        })
    );
    assert_eq!(
        rules(d),
        pairs(&[
            ("T3-ROW-TOTAL", "依申请公开!J7"),
            ("T3-RESULT-TOTAL", "依申请公开!E28"),
            ("T4-TOTAL", "复议诉讼!E5"),
            ("TEXT-NUMBERS", "基本信息!B10"),
            ("TEXT-NUMBERS", "基本信息!B10"),
        ])
    );
    // The workbook's own JSON has the same keys, less "mail", and the same findings.
    let own = nianbao(&["check", s(&sample("2023-某某县市场监督管理局-总计有误.xlsx")), "--format", "json"]);
    let own = &json_lines(&own)[0];
    let keys = |j: &Json| j.as_object().expect("object").keys().cloned().collect::<Vec<_>>();
    let mut with_mail = keys(own);
    with_mail.push("mail".into());
    with_mail.sort();
    let mut got = keys(d);
    got.sort();
    assert_eq!(got, with_mail);
    assert_eq!(d["findings"], own["findings"]);
}

#[test]
fn check_mbox_gives_a_line_per_attachment_and_per_empty_message() {
    let o = nianbao(&["check", s(&mail("three-messages.mbox")), "--format", "json"]);
    // The third message has no workbook.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let docs = json_lines(&o);
    let files: Vec<&str> = docs.iter().map(|d| d["file"].as_str().unwrap_or("")).collect();
    assert_eq!(
        files,
        [
            "three-messages.mbox#1#某某县市场监督管理局2023年政府信息公开统计表.xlsx",
            "three-messages.mbox#2#统计表（总计有误）.xlsx",
            "three-messages.mbox#3",
        ]
    );
    assert_eq!(docs[0]["findings"], serde_json::json!([]));
    assert_eq!(docs[1]["mail"]["message"], 2);
    assert_eq!(
        docs[2]["error"],
        "three-messages.mbox#3（Zhou Ba <zhouba@example.gov.cn> 的邮件《年报统计表》）：邮件中没有工作簿附件"
    );
    assert_eq!(docs[2]["mail"]["attachment"], Json::Null);
    assert_eq!(docs[2]["mail"]["message_id"], "noatt-20240120@example.gov.cn");
}

#[test]
fn check_a_message_without_workbook_says_so_and_fails() {
    let o = nianbao(&["check", s(&mail("no-attachment.eml"))]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(o.stdout, b"");
    assert_eq!(
        stderr(&o),
        "no-attachment.eml（Zhou Ba <zhouba@example.gov.cn> 的邮件《年报统计表》）：邮件中没有工作簿附件\n"
    );
}

#[test]
fn check_annotates_attachments_named_after_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let ann = dir.path().join("标注");
    let o = nianbao(&[
        "check",
        s(&mail("foxmail-gbk-q-name.eml")),
        s(&mail("zip-of-two-workbooks.eml")),
        "--annotate",
        s(&ann),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(names(&ann), ["市场监督管理局.xlsx", "江源区.xlsx", "统计表（总计有误）.xlsx"]);
    // The attachment is marked exactly as the same workbook given as a file.
    let own = dir.path().join("直接");
    let o = nianbao(&["check", s(&sample("2023-某某县市场监督管理局-总计有误.xlsx")), "--annotate", s(&own)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(ann.join("统计表（总计有误）.xlsx")).expect("annotated attachment"),
        std::fs::read(own.join("2023-某某县市场监督管理局-总计有误.xlsx")).expect("annotated file")
    );
}

/// A message carrying a 50 MB "workbook" (71 MB as base64), above the 20 MB an attachment
/// may have: refused naming the message and the attachment, nothing half-written.
#[test]
fn fifty_mb_attachment_is_refused_naming_message_and_attachment() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut data = vec![0u8; 50 * 1024 * 1024];
    data[..4].copy_from_slice(b"PK\x03\x04");
    let eml = mail_builder::MessageBuilder::new()
        .from(("张三", "zhangsan@example.gov.cn"))
        .to("gkb@example.gov.cn")
        .subject("年报")
        .message_id("big@example.gov.cn")
        .text_body("附件是统计表。")
        .attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "统计表.xlsx", data)
        .write_to_vec()
        .expect("message");
    assert!(eml.len() > 64 * 1024 * 1024, "larger than a workbook may be: {}", eml.len());
    let path = dir.path().join("大附件.eml");
    std::fs::write(&path, &eml).expect("write");
    drop(eml);
    let refusal = "大附件.eml#统计表.xlsx（张三 <zhangsan@example.gov.cn> 的邮件《年报》）：附件 统计表.xlsx 过大（50 MB），统计表附件不应超过 20 MB，未读取：请删除多余的工作表、图片后另存再发送";

    let o = nianbao(&["check", s(&path), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), format!("{refusal}\n"));
    let docs = json_lines(&o);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["file"], "大附件.eml#统计表.xlsx");
    assert_eq!(docs[0]["error"], refusal);

    let out = dir.path().join("out");
    let o = nianbao(&["convert", s(&path), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with(&format!("{refusal}\n")), "{}", stderr(&o));
    // No report, no archive, no temporary: only the reply telling the sender.
    assert_eq!(names(&out), ["回复"]);
    let drafts = names(&out.join("回复"));
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    let reply = std::fs::read(out.join("回复").join(&drafts[0])).expect("draft");
    let parsed = mail_parser::MessageParser::default().parse(&reply).expect("draft parses");
    let body = parsed.body_text(0).expect("body").to_string();
    assert!(body.contains("附件 统计表.xlsx 过大（50 MB）"), "{body}");
    assert_eq!(parsed.attachments().count(), 0);
}

fn summary(out: &Path) -> Json {
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary.json")).expect("JSON")
}

/// Each row as (file, status, in_totals, not_in_totals_reason, duplicate).
fn rows(j: &Json) -> Vec<(String, String, bool, String, String)> {
    j["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or("").to_string(),
                r["status"].as_str().unwrap_or("").to_string(),
                r["in_totals"].as_bool().unwrap_or(true),
                r["not_in_totals_reason"].as_str().unwrap_or("").to_string(),
                r["duplicate"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn row<'a>(j: &'a Json, file: &str) -> &'a Json {
    j["files"].as_array().expect("files").iter().find(|r| r["file"] == file).unwrap_or_else(|| panic!("{file}"))
}

#[test]
fn batch_takes_mail_beside_workbooks_with_the_message_in_the_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("收件");
    let out = dir.path().join("结果");
    std::fs::create_dir_all(input.join("乡镇")).expect("mkdir");
    for (from, to) in [
        (mail("three-messages.mbox"), input.join("导出.mbox")),
        (mail("thunderbird-rfc2231-name.eml"), input.join("江源区来信.eml")),
        // The same message saved twice: taken once.
        (mail("thunderbird-rfc2231-name.eml"), input.join("重复保存.eml")),
        (sample("2020-江源区.xlsx"), input.join("2020-江源区.xlsx")),
    ] {
        std::fs::copy(from, to).expect("copy");
    }
    // Zhou Ba again, in the same minute, in another message.
    let again = std::fs::read_to_string(mail("no-attachment.eml")).expect("fixture");
    let again = again.replace("<noatt-20240120@example.gov.cn>", "<noatt-again@example.gov.cn>");
    assert!(again.contains("noatt-again"));
    std::fs::write(input.join("乡镇/空信.eml"), again).expect("write");
    let o = nianbao(&["batch", s(&input), "-o", s(&out), "--jobs", "2", "--from", "政务公开办 <gkb@example.gov.cn>"]);
    // Two messages without a workbook (exit 2), one workbook with errors.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let j = summary(&out);
    let superseded = "与“李四 - 统计表（总计有误）.xlsx”是同一机关同一年度的报告，但数字不同；以较新的“李四 - 统计表（总计有误）.xlsx”计入合计，本文件未计入";
    let kept = "与“张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx”是同一机关同一年度的报告，但数字不同；本文件较新，计入合计";
    let r = |f: &str, st: &str, t: bool, why: &str, dup: &str| (f.into(), st.into(), t, why.into(), dup.into());
    assert_eq!(
        rows(&j),
        [
            r("2020-江源区.xlsx", "ok", true, "", ""),
            r("Zhou Ba - 导出.mbox#3", "unreadable", false, "unreadable", ""),
            r("乡镇/Zhou Ba - 空信.eml", "unreadable", false, "unreadable", ""),
            r("张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx", "ok", false, "superseded", superseded),
            r("李四 - 统计表（总计有误）.xlsx", "errors", true, "", kept),
            r(
                "王五 - 江源区2020年度政府信息公开工作年度报告统计表（定稿）.xlsx",
                "ok",
                false,
                "duplicate",
                "与“2020-江源区.xlsx”内容完全相同"
            ),
            r("王五 - 重复保存.eml", "skipped", false, "skipped", ""),
        ]
    );
    assert_eq!(row(&j, "2020-江源区.xlsx")["mail"], Json::Null);
    assert_eq!(
        row(&j, "李四 - 统计表（总计有误）.xlsx")["mail"],
        serde_json::json!({
            "file": "导出.mbox",
            "message": 2,
            "attachment": "统计表（总计有误）.xlsx",
            "sender": "李四 <lisi@example.gov.cn>",
            "date": "2024-01-16 14:05:33 +08:00",
            "subject": "年报统计表",
            "message_id": "202401161405330874511@example.gov.cn",
        })
    );
    let empty = row(&j, "乡镇/Zhou Ba - 空信.eml");
    assert_eq!(
        empty["first_error"],
        "乡镇/空信.eml（Zhou Ba <zhouba@example.gov.cn> 的邮件《年报统计表》）：邮件中没有工作簿附件"
    );
    assert_eq!(empty["mail"]["file"], "乡镇/空信.eml");
    assert_eq!(
        row(&j, "王五 - 重复保存.eml")["first_error"],
        "与 江源区来信.eml 是同一封邮件（Message-ID 相同），未重复处理"
    );
    assert_eq!(empty["mail"]["attachment"], Json::Null);
    assert_eq!(j["totals"][0]["year"], 2020);
    assert_eq!(j["totals"][1]["year"], 2023);
    assert_eq!(j["totals"][1]["reports"], 1);

    // 汇总.xlsx: the mail columns after the older ones.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("汇总.xlsx")).expect("汇总.xlsx");
    let sheet = calamine::Reader::worksheet_range(&mut wb, "汇总").expect("sheet 汇总");
    let table: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let head = &table[0];
    let at = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(head[at("计入合计") + 1..], ["来信人", "来信时间", "邮件主题", "Message-ID", "邮件文件"]);
    let mbox_row = table.iter().find(|r| r[0] == "Zhou Ba - 导出.mbox#3").expect("row");
    assert_eq!(
        mbox_row[at("来信人")..],
        [
            "Zhou Ba <zhouba@example.gov.cn>",
            "2024-01-20 11:00:00 +08:00",
            "年报统计表",
            "noatt-20240120@example.gov.cn",
            "导出.mbox#3"
        ]
    );
    let plain = table.iter().find(|r| r[0] == "2020-江源区.xlsx").expect("row");
    assert!(plain[at("来信人")..].iter().all(String::is_empty), "{plain:?}");

    // Outputs beside the workbooks (乡镇/ gave none); a reply per message, two of one sender
    // in one minute kept apart.
    assert_eq!(
        names(&out),
        [
            "2020-江源区.docx",
            "2020-江源区.xlsx",
            "summary.json",
            "回复",
            "张三 - 某某县市场监督管理局2023年政府信息公开统计表.docx",
            "张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx",
            "李四 - 统计表（总计有误）.docx",
            "李四 - 统计表（总计有误）.xlsx",
            "汇总.xlsx",
            "王五 - 江源区2020年度政府信息公开工作年度报告统计表（定稿）.docx",
            "王五 - 江源区2020年度政府信息公开工作年度报告统计表（定稿）.xlsx",
        ]
    );
    assert_eq!(
        names(&out.join("回复")),
        [
            "2021-01-20 1642 王五.eml",
            "2024-01-15 0930 张三.eml",
            "2024-01-16 1405 李四.eml",
            "2024-01-20 1100 Zhou Ba.eml",
            "2024-01-20 1100 Zhou Ba（2）.eml",
        ]
    );
    let draft = std::fs::read(out.join("回复/2024-01-16 1405 李四.eml")).expect("draft");
    let parsed = mail_parser::MessageParser::default().parse(&draft).expect("draft parses");
    assert_eq!(parsed.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("gkb@example.gov.cn"));
    assert_eq!(parsed.in_reply_to().as_text(), Some("202401161405330874511@example.gov.cn"));
    let body = parsed.body_text(0).expect("body");
    assert!(body.contains("［T3-ROW-TOTAL］依申请公开!J7"), "{body}");
}

/// The same agency and year in two messages: the later message by its Date counts, whatever
/// the files' order; on the same Date the later file.
#[test]
fn batch_counts_the_later_message_of_an_agency_and_year() {
    let dir = tempfile::tempdir().expect("tmp");
    let later = "与“张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx”是同一机关同一年度的报告，但数字不同；本文件较新，计入合计";
    let zs = "张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx";
    let ls = "李四 - 统计表（总计有误）.xlsx";

    // a.eml (16 January) sorts before b.eml (15 January): a counts.
    let input = dir.path().join("按时间");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::copy(mail("foxmail-gbk-q-name.eml"), input.join("a.eml")).expect("copy");
    std::fs::copy(mail("outlook-gb2312-name.eml"), input.join("b.eml")).expect("copy");
    let out = dir.path().join("out1");
    let o = nianbao(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(row(&j, ls)["in_totals"], true);
    assert_eq!(row(&j, ls)["duplicate"], later);
    assert_eq!(row(&j, zs)["in_totals"], false);
    assert_eq!(row(&j, zs)["not_in_totals_reason"], "superseded");
    assert_eq!(
        row(&j, zs)["duplicate"],
        format!("与“{ls}”是同一机关同一年度的报告，但数字不同；以较新的“{ls}”计入合计，本文件未计入")
    );
    assert_eq!(j["totals"][0]["reports"], 1);
    // The one summed is 李四's: 予以公开 22 as he sent it.
    assert_eq!(j["totals"][0]["requests"]["granted"]["total"], 22);

    // Both dated 16 January 14:05:33: the later file, 2.eml, counts.
    let input = dir.path().join("同一时间");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::copy(mail("foxmail-gbk-q-name.eml"), input.join("1.eml")).expect("copy");
    let text = std::fs::read_to_string(mail("outlook-gb2312-name.eml")).expect("fixture");
    let same = text.replace("Date: Mon, 15 Jan 2024 09:30:12 +0800", "Date: Tue, 16 Jan 2024 14:05:33 +0800");
    assert_ne!(same, text);
    std::fs::write(input.join("2.eml"), same).expect("write");
    let out = dir.path().join("out2");
    let o = nianbao(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(row(&j, zs)["in_totals"], true);
    assert_eq!(row(&j, zs)["duplicate"], format!("与“{ls}”是同一机关同一年度的报告，但数字不同；本文件较新，计入合计"));
    assert_eq!(row(&j, ls)["not_in_totals_reason"], "superseded");
    assert_eq!(
        row(&j, ls)["duplicate"],
        format!("与“{zs}”是同一机关同一年度的报告，但数字不同；以较新的“{zs}”计入合计，本文件未计入")
    );
    assert_eq!(j["totals"][0]["requests"]["granted"]["total"], 21);
}

#[test]
fn watch_once_takes_an_eml_to_done_with_outputs_and_draft() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("收件");
    let out = dir.path().join("输出");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    std::fs::copy(mail("outlook-gb2312-name.eml"), inbox.join("张三来信.eml")).expect("copy");
    let o = nianbao(&[
        "watch",
        s(&inbox),
        "-o",
        s(&out),
        "--once",
        "--settle",
        "0",
        "--from",
        "政务公开办 <gkb@example.gov.cn>",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&inbox.join("done")), ["张三来信.eml"]);
    assert_eq!(names(&inbox.join("failed")), Vec::<String>::new());
    assert_eq!(names(&inbox.join(".processing")), Vec::<String>::new());
    let stem = "张三 - 某某县市场监督管理局2023年政府信息公开统计表";
    assert_eq!(
        names(&out).into_iter().filter(|n| !n.starts_with('.')).collect::<Vec<_>>(),
        ["回复".to_string(), format!("{stem}.docx"), format!("{stem}.xlsx")]
    );
    let log = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(
        log.contains(&format!(
            "张三来信.eml\t{stem}.xlsx：已转换为 {stem}.docx、{stem}.xlsx；回复草稿 → 回复/2024-01-15 0930 张三.eml"
        )),
        "{log}"
    );
    let draft = std::fs::read(out.join("回复/2024-01-15 0930 张三.eml")).expect("draft");
    let parsed = mail_parser::MessageParser::default().parse(&draft).expect("draft parses");
    assert_eq!(parsed.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("zhangsan@scj.example.gov.cn"));
    assert_eq!(parsed.subject(), Some("回复：报送2023年政府信息公开工作年度报告统计表"));
    assert_eq!(parsed.in_reply_to().as_text(), Some("000001da4771$1a2b3c4d$4e5f6071@scj.example.gov.cn"));
    let attached: Vec<_> = parsed.attachments().filter_map(mail_parser::MimeHeaders::attachment_name).collect();
    assert_eq!(attached, ["某某县市场监督管理局2023年度政府信息公开工作年度报告.docx"]);
    assert!(parsed.body_text(0).expect("body").contains("核查无误"));
}

#[test]
fn mail_file_over_96_mb_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("巨大.eml");
    let mut bytes = std::fs::read(mail("no-attachment.eml")).expect("fixture");
    bytes.resize(97 * 1024 * 1024, b'x');
    std::fs::write(&path, bytes).expect("write");
    let o = nianbao(&["check", s(&path)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "无法读取 巨大.eml：邮件文件过大（97 MB），超过 96 MB，未读取：请在邮件客户端中把统计表附件另存后直接转换\n"
    );
    // Not a mail: the workbook's limit and message stay.
    let other = dir.path().join("大表.xlsx");
    std::fs::write(&other, vec![b'P'; 65 * 1024 * 1024]).expect("write");
    let o = nianbao(&["check", s(&other)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "无法读取 大表.xlsx：文件过大（65 MB），统计表不应超过 64 MB\n");
}

/// A backlog is taken in name order: a message sent earlier than the one whose report of the
/// same agency and year is current does not replace it, its outputs go to 旧版/.
#[test]
fn watch_keeps_the_later_message_of_an_agency_and_year() {
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("收件");
    let out = dir.path().join("输出");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    // a.eml, 16 January, is taken before b.eml, 15 January.
    std::fs::copy(mail("foxmail-gbk-q-name.eml"), inbox.join("a.eml")).expect("copy");
    std::fs::copy(mail("outlook-gb2312-name.eml"), inbox.join("b.eml")).expect("copy");
    let o = nianbao(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let later = "李四 - 统计表（总计有误）";
    let earlier = "张三 - 某某县市场监督管理局2023年政府信息公开统计表";
    assert_eq!(
        names(&out).into_iter().filter(|n| !n.starts_with('.')).collect::<Vec<_>>(),
        ["回复".to_string(), "旧版".to_string(), format!("{later}.docx"), format!("{later}.xlsx")]
    );
    let old = names(&out.join("旧版"));
    assert_eq!(old.len(), 2, "{old:?}");
    assert!(old[0].starts_with(&format!("{earlier}.20")) && old[0].ends_with(".docx"), "{old:?}");
    assert!(old[1].starts_with(&format!("{earlier}.20")) && old[1].ends_with(".xlsx"), "{old:?}");
    assert_eq!(names(&inbox.join("done")), ["b.eml"]);
    assert_eq!(names(&inbox.join("failed")), ["a.eml", "a.eml.错误.txt"]);
    let log = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(
        log.contains(&format!("同一机关同一年度已有较晚来信的报告“{later}”，本报告来信较早，已放入 旧版/{earlier}.20")),
        "{log}"
    );
}

/// An Outlook `.msg` beside the workbooks is listed with what to do, never skipped silently.
#[test]
fn outlook_msg_in_batch_and_watch_says_to_save_as_eml() {
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    cf.create_stream("__substg1.0_0037001F").expect("stream");
    let msg = cf.into_inner().into_inner();
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("收件");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("来信.msg"), &msg).expect("write");
    let why = "这是 Outlook 的 .msg 文件，无法直接读取：请把邮件另存为 .eml（Outlook 网页版、新版 Outlook、Foxmail、Thunderbird 都能“另存为 .eml”），或把附件另存后直接转换";

    let out = dir.path().join("结果");
    let o = nianbao(&["batch", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let j = summary(&out);
    assert_eq!(
        rows(&j),
        [("来信.msg".to_string(), "unreadable".to_string(), false, "unreadable".to_string(), String::new())]
    );
    assert_eq!(row(&j, "来信.msg")["first_error"], format!("无法读取 来信.msg：{why}"));

    let watched = dir.path().join("监视结果");
    let o = nianbao(&["watch", s(&input), "-o", s(&watched), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&input.join("failed")), ["来信.msg", "来信.msg.错误.txt"]);
    assert_eq!(
        std::fs::read_to_string(input.join("failed/来信.msg.错误.txt")).expect("note"),
        format!("无法读取 来信.msg：{why}\n")
    );
}

/// A message attaching a county's workbook of two townships, each with a wrong total:
/// `convert` writes a Word report and archive per agency and one reply draft listing each
/// agency's findings, with the one annotated copy, which marks both townships' cells.
#[test]
fn convert_replies_to_a_workbook_of_two_agencies_with_each_agencys_findings() {
    let dir = tempfile::tempdir().expect("tmp");
    let eml = crate::regression::eml_bytes(
        "张三 <zhang@example.cn>".as_bytes(),
        "报送年报".as_bytes(),
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("汇总.xlsx".as_bytes(), &crate::regression::two_townships_wrong()[..])],
    );
    let path = dir.path().join("来信.eml");
    std::fs::write(&path, eml).expect("write");
    let out = dir.path().join("out");
    let o = nianbao(&["convert", s(&path), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        names(&out),
        [
            "回复",
            "张三 - 汇总 - 乙镇人民政府.docx",
            "张三 - 汇总 - 乙镇人民政府.xlsx",
            "张三 - 汇总 - 甲镇人民政府.docx",
            "张三 - 汇总 - 甲镇人民政府.xlsx"
        ]
    );
    assert_eq!(names(&out.join("回复")), ["2024-01-15 0930 张三.eml"]);
    let draft = std::fs::read(out.join("回复/2024-01-15 0930 张三.eml")).expect("draft");
    let parsed = mail_parser::MessageParser::default().parse(&draft).expect("draft parses");
    let body = parsed.body_text(0).expect("body");
    let lines: Vec<&str> = body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let heads: Vec<&str> =
        lines.iter().copied().filter(|l| l.starts_with(char::is_numeric) || l.contains("年度统计表")).collect();
    assert_eq!(
        heads,
        [
            "1. 甲镇人民政府（汇总.xlsx）",
            "甲镇人民政府2023年度统计表：发现 1 个错误、1 个警告。",
            "2. 乙镇人民政府（汇总.xlsx）",
            "乙镇人民政府2023年度统计表：发现 1 个错误、1 个警告。"
        ]
    );
    let errors: Vec<&str> = lines.iter().copied().filter(|l| l.starts_with("- 错误")).collect();
    assert_eq!(errors.len(), 2, "{body}");
    assert!(
        errors[0].starts_with("- 错误［T3-ROW-TOTAL］甲镇!H21：“一、本年新收政府信息公开申请数量”行“总计”填写为 266，")
    );
    assert!(
        errors[1].starts_with("- 错误［T3-ROW-TOTAL］乙镇!H21：“一、本年新收政府信息公开申请数量”行“总计”填写为 224，")
    );
    // No Word report (errors); one annotated copy, both townships marked.
    let attached: Vec<_> = parsed.attachments().collect();
    let names: Vec<_> = attached.iter().filter_map(|a| mail_parser::MimeHeaders::attachment_name(*a)).collect();
    assert_eq!(names, ["汇总（已标注）.xlsx"]);
    let (_, colours) = crate::check::fills_by_cell(attached[0].contents());
    let red: Vec<&str> =
        colours.iter().filter(|(_, fill)| fill.as_str() == "FFFFC7CE").map(|(c, _)| c.as_str()).collect();
    assert_eq!(red, ["乙镇!H21", "甲镇!H21"]);
}

/// `watch` takes a mailed PDF of a published report as it takes a mailed workbook: the
/// reply carries the Word report (no error) and the annotated page (one warning), named
/// after the attachment.
#[test]
fn watch_replies_to_a_mailed_pdf_report_with_its_annotated_page() {
    let pdf = crate::published::published("huaian-szf-2024.pdf");
    if !pdf.is_file() {
        eprintln!("跳过：没有 shared/published/（用 NIANBAO_SHARED_DIR 指明 shared 文件夹）");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (inbox, out) = (dir.path().join("收件"), dir.path().join("输出"));
    std::fs::create_dir_all(&inbox).expect("mkdir");
    let bytes = std::fs::read(&pdf).expect("pdf");
    let eml = crate::regression::eml_bytes(
        "王五 <wangwu@example.cn>".as_bytes(),
        "淮安年报".as_bytes(),
        "Tue, 16 Jan 2024 10:00:00 +0800",
        &[("淮安2024.pdf".as_bytes(), &bytes[..])],
    );
    std::fs::write(inbox.join("王五来信.eml"), eml).expect("write");
    let o = nianbao(&["watch", s(&inbox), "-o", s(&out), "--once", "--settle", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&inbox.join("done")), ["王五来信.eml"]);
    assert_eq!(names(&out.join("回复")), ["2024-01-16 1000 王五.eml"]);
    let (lines, attached) = crate::regression::reply_draft(&out.join("回复/2024-01-16 1000 王五.eml"));
    assert_eq!(lines[2], "1. 淮安2024.pdf");
    assert_eq!(lines[3], "淮安市人民政府2024年度报告：发现 0 个错误、1 个警告。");
    assert!(
        lines[4].starts_with("- 警告［TEXT-LENGTH］正文“一、总体情况（总述）”：“一、总体情况”共 1290 字"),
        "{lines:?}"
    );
    let names: Vec<(&str, &str)> = attached.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect();
    assert_eq!(
        names,
        [
            (
                "淮安市人民政府2024年度政府信息公开工作年度报告.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            ("淮安2024（已标注）.html", "text/html")
        ]
    );
    let page = String::from_utf8(attached[1].2.clone()).expect("utf-8");
    assert!(page.contains("<h1>淮安市人民政府2024年度政府信息公开工作年度报告 问题标注</h1>"), "{page}");
    assert!(page.contains("<li class=\"warning\">警告[TEXT-LENGTH] 正文“一、总体情况（总述）”："), "{page}");
}

/// A PDF, web page or Word document beside a workbook in one message is its cover letter or
/// the report's draft, no input (as before); alone, it is the published report sent.
#[test]
fn a_pdf_beside_a_workbook_is_no_input_and_alone_is_the_report() {
    let workbook = std::fs::read(sample("2020-江源区.xlsx")).expect("sample");
    let pdf = crate::published::pdf_of_bytes(&[b"<</Type/Catalog>>".to_vec()]);
    let docx = std::fs::read(crate::published::published("blank-template-2021-govnianbao.docx")).unwrap_or_default();
    let both = crate::regression::eml_bytes(
        b"a@example.cn",
        b"x",
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("报送函.pdf".as_bytes(), &pdf[..]), ("江源区.xlsx".as_bytes(), &workbook[..])],
    );
    let m = nianbao::read::mail::message(&both).expect("message");
    let taken: Vec<&str> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(taken, ["江源区.xlsx"]);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let alone = crate::regression::eml_bytes(
        b"a@example.cn",
        b"x",
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("年报.pdf".as_bytes(), &pdf[..]), ("年报.docx".as_bytes(), &docx[..])],
    );
    let m = nianbao::read::mail::message(&alone).expect("message");
    let taken: Vec<&str> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    let want: &[&str] = if docx.is_empty() { &["年报.pdf"] } else { &["年报.pdf", "年报.docx"] };
    assert_eq!(taken, want);
}

/// A published report attached over the attachment limit is refused by its size, naming it,
/// when it is what the message sends; beside a workbook it is not read at all.
#[test]
fn a_published_attachment_over_the_limit_is_refused_by_size() {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(21 * 1024 * 1024, b' ');
    let alone = crate::regression::eml_bytes(
        b"a@example.cn",
        b"x",
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("年报.pdf".as_bytes(), &pdf[..])],
    );
    let m = nianbao::read::mail::message(&alone).expect("message");
    assert!(m.attachments.is_empty());
    let problems: Vec<(Option<&str>, &str)> =
        m.problems.iter().map(|p| (p.attachment.as_deref(), p.message.as_str())).collect();
    assert_eq!(problems, [(Some("年报.pdf"), "附件 年报.pdf 过大（21 MB），年度报告附件不应超过 20 MB，未读取")]);
    let workbook = std::fs::read(sample("2020-江源区.xlsx")).expect("sample");
    let both = crate::regression::eml_bytes(
        b"a@example.cn",
        b"x",
        "Mon, 15 Jan 2024 09:30:00 +0800",
        &[("年报.pdf".as_bytes(), &pdf[..]), ("江源区.xlsx".as_bytes(), &workbook[..])],
    );
    let m = nianbao::read::mail::message(&both).expect("message");
    assert_eq!(m.attachments.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["江源区.xlsx"]);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
}
