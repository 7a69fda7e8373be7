//! Mail intake (`nianbao::read::mail`) and reply drafts (`write::reply`), on messages saved the way
//! Outlook, Foxmail and Thunderbird save them (tests/fixtures/mail/, made by
//! scripts/make_mail_fixtures.py).

use crate::common::{fixture, sample};
use nianbao::convert::{convert, no_previous, Settings};
use nianbao::read::mail::{self, Kind, MailError};
use nianbao::write::reply::{self, Compose, Item, Outcome};
use std::time::Instant;

fn mail_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("mail/{name}"))).unwrap()
}

fn one(name: &str) -> mail::Mail {
    let mut msgs = mail::messages(&mail_fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(msgs.len(), 1, "{name}");
    msgs.remove(0)
}

#[test]
fn outlook_gb2312_name_and_sender() {
    let m = one("outlook-gb2312-name.eml");
    assert_eq!(m.origin.name.as_deref(), Some("张三"));
    assert_eq!(m.origin.address.as_deref(), Some("zhangsan@scj.example.gov.cn"));
    assert_eq!(m.origin.sender, "张三 <zhangsan@scj.example.gov.cn>");
    assert_eq!(m.origin.subject, "报送2023年政府信息公开工作年度报告统计表");
    assert_eq!(m.origin.date.as_deref(), Some("2024-01-15 09:30:12 +08:00"));
    assert_eq!(m.origin.message_id.as_deref(), Some("000001da4771$1a2b3c4d$4e5f6071@scj.example.gov.cn"));
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].name, "某某县市场监督管理局2023年政府信息公开统计表.xlsx");
    assert_eq!(m.attachments[0].bytes, std::fs::read(sample("2023-某某县市场监督管理局.xlsx")).unwrap());
    assert_eq!(m.origin.input_name(&m.attachments[0].name), "张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx");
    assert!(m.problems.is_empty());
}

#[test]
fn foxmail_gbk_q_name_with_octet_stream_type() {
    let m = one("foxmail-gbk-q-name.eml");
    assert_eq!(m.origin.name.as_deref(), Some("李四"));
    assert_eq!(m.origin.subject, "年报统计表");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].name, "统计表（总计有误）.xlsx");
    assert_eq!(m.attachments[0].bytes, std::fs::read(sample("2023-某某县市场监督管理局-总计有误.xlsx")).unwrap());
}

#[test]
fn thunderbird_rfc2231_name_split_over_parameters() {
    let m = one("thunderbird-rfc2231-name.eml");
    assert_eq!(m.origin.name.as_deref(), Some("王五"));
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].name, "江源区2020年度政府信息公开工作年度报告统计表（定稿）.xlsx");
    assert_eq!(m.attachments[0].bytes, std::fs::read(sample("2020-江源区.xlsx")).unwrap());
}

#[test]
fn forwarded_message_carries_the_workbook() {
    let m = one("forwarded.eml");
    // The outer sender forwarded it: the reply goes to the one who sent it to us.
    assert_eq!(m.origin.name.as_deref(), Some("赵六"));
    assert_eq!(m.origin.subject, "转发：报送统计表");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].name, "某某县市场监督管理局2023年政府信息公开统计表.xlsx");
}

#[test]
fn zip_attachment_gives_each_workbook() {
    let m = one("zip-of-two-workbooks.eml");
    let names: Vec<_> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["tables.zip/市场监督管理局.xlsx", "tables.zip/江源区.xlsx"]);
    assert_eq!(m.attachments[1].bytes, std::fs::read(sample("2020-江源区.xlsx")).unwrap());
}

#[test]
fn message_without_workbook_says_why() {
    let m = one("no-attachment.eml");
    assert!(m.attachments.is_empty());
    assert_eq!(m.why_empty().as_deref(), Some("邮件中没有工作簿附件"));
}

#[test]
fn tnef_attachment_is_named_not_ignored() {
    let m = one("tnef-winmail-dat.eml");
    assert!(m.attachments.is_empty());
    let why = m.why_empty().unwrap();
    assert!(why.contains("winmail.dat") && why.contains("TNEF"), "{why}");
}

#[test]
fn mbox_of_three_messages() {
    let bytes = mail_fixture("three-messages.mbox");
    assert_eq!(mail::kind(&bytes), Some(Kind::Mbox));
    let msgs = mail::messages(&bytes).unwrap();
    assert_eq!(msgs.len(), 3);
    let senders: Vec<_> = msgs.iter().map(|m| m.origin.name.clone().unwrap_or_default()).collect();
    assert_eq!(senders, ["张三", "李四", "Zhou Ba"]);
    assert_eq!(msgs[0].attachments[0].bytes, std::fs::read(sample("2023-某某县市场监督管理局.xlsx")).unwrap());
    assert_eq!(msgs[1].attachments[0].name, "统计表（总计有误）.xlsx");
    assert!(msgs[2].attachments.is_empty());
}

#[test]
fn kinds_are_told_by_content() {
    assert_eq!(mail::kind(&mail_fixture("outlook-gb2312-name.eml")), Some(Kind::Message));
    assert_eq!(mail::kind(&std::fs::read(sample("2020-江源区.xlsx")).unwrap()), None);
    assert_eq!(mail::kind(&std::fs::read(fixture("edition-2019.xls")).unwrap()), None);
    assert_eq!(mail::kind(&std::fs::read(fixture("edition-2021.ods")).unwrap()), None);
    assert_eq!(mail::kind(&[0x78, 0x9F, 0x3E, 0x22, 0, 0]), Some(Kind::Tnef));
    assert_eq!(mail::messages(&[0x78, 0x9F, 0x3E, 0x22, 0, 0]).unwrap_err(), MailError::Tnef);
    assert_eq!(mail::kind(b"just some text\nnot a mail"), None);
}

#[test]
fn outlook_msg_file_gets_a_message_saying_what_to_do() {
    // A compound file with the streams Outlook writes for a .msg.
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    cf.create_stream("__substg1.0_0037001F").unwrap();
    let bytes = cf.into_inner().into_inner();
    assert_eq!(mail::kind(&bytes), Some(Kind::OutlookMsg));
    let e = mail::messages(&bytes).unwrap_err();
    assert!(e.to_string().contains(".eml"), "{e}");
}

#[test]
fn hostile_nested_mime_is_bounded() {
    let t = Instant::now();
    let m = one("hostile-nested-1000.eml");
    assert!(m.attachments.is_empty());
    assert_eq!(m.why_empty().as_deref(), Some("邮件中没有工作簿附件"));
    assert!(t.elapsed().as_secs() < 10);
}

#[test]
fn hostile_two_thousand_attachments_are_refused() {
    let m = one("hostile-2000-attachments.eml");
    assert!(m.attachments.is_empty());
    assert_eq!(m.why_empty().as_deref(), Some("邮件附件过多（超过 200 个工作簿），未读取"));
}

#[test]
fn hostile_broken_base64_ends_in_the_readers_message() {
    let m = one("hostile-broken-base64.eml");
    assert_eq!(m.attachments.len(), 1, "a part named .xlsx is kept so the reader names the defect");
    let e = nianbao::read::read(&m.attachments[0].bytes, "broken.xlsx", &Default::default()).unwrap_err();
    assert!(!e.to_string().is_empty());
}

fn drafted(name: &str, from: Option<&str>) -> (mail::Mail, Vec<u8>) {
    let m = one(name);
    let s = Settings::default();
    let converted: Vec<_> =
        m.attachments.iter().map(|a| convert(&a.bytes, &a.name, &no_previous, &s).unwrap()).collect();
    let annotated: Vec<_> = m
        .attachments
        .iter()
        .zip(&converted)
        .map(|(a, c)| {
            let parsed = nianbao::read::parse(&a.bytes).unwrap();
            nianbao::write::annotate::annotate(nianbao::convert::workbook(&parsed, &a.bytes).unwrap(), &c.findings)
                .unwrap()
        })
        .collect();
    let items: Vec<_> = m
        .attachments
        .iter()
        .zip(&converted)
        .zip(&annotated)
        .map(|((a, c), ann)| {
            let errors = nianbao::finding::count(&c.findings, nianbao::Severity::Error) > 0;
            Item {
                name: &a.name,
                outcome: Outcome::Converted {
                    report: &c.report,
                    findings: &c.findings,
                    docx: (!errors).then_some(c.docx.as_slice()),
                    annotated: (!c.findings.is_empty()).then_some(ann.as_slice()),
                },
            }
        })
        .collect();
    let problems: Vec<String> = m.problems.iter().map(|p| p.message.clone()).collect();
    let eml =
        reply::reply(&m.origin, &items, &problems, &Compose { from, template: None, now: 1_705_300_000 }).unwrap();
    (m.clone(), eml)
}

#[test]
fn reply_to_a_clean_workbook_attaches_the_report() {
    let (m, eml) = drafted("outlook-gb2312-name.eml", Some("政务公开办 <gkb@example.gov.cn>"));
    let parsed = mail_parser::MessageParser::default().parse(&eml).unwrap();
    let to = parsed.to().unwrap().first().unwrap();
    assert_eq!(to.address(), Some("zhangsan@scj.example.gov.cn"));
    assert_eq!(to.name(), Some("张三"));
    assert_eq!(parsed.from().unwrap().first().unwrap().address(), Some("gkb@example.gov.cn"));
    assert_eq!(parsed.subject(), Some("回复：报送2023年政府信息公开工作年度报告统计表"));
    assert_eq!(parsed.in_reply_to().as_text(), m.origin.message_id.as_deref());
    let refs = parsed.references();
    let refs: Vec<String> = refs
        .as_text_list()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .or_else(|| refs.as_text().map(|s| vec![s.to_string()]))
        .unwrap_or_default();
    assert_eq!(refs, [m.origin.message_id.clone().unwrap()]);
    let names: Vec<_> = parsed.attachments().filter_map(|a| mail_parser::MimeHeaders::attachment_name(a)).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with("年度政府信息公开工作年度报告.docx"), "{names:?}");
    let body = parsed.body_text(0).unwrap();
    assert!(body.contains("核查无误"), "{body}");
    assert!(parsed.body_html(0).is_some());
}

#[test]
fn reply_to_a_wrong_workbook_lists_every_finding_with_its_cell() {
    let (m, eml) = drafted("foxmail-gbk-q-name.eml", None);
    let parsed = mail_parser::MessageParser::default().parse(&eml).unwrap();
    assert!(parsed.from().is_none(), "without --from the mail client fills From");
    assert_eq!(parsed.subject(), Some("回复：年报统计表"));
    let body = parsed.body_text(0).unwrap().to_string();
    let c = convert(&m.attachments[0].bytes, &m.attachments[0].name, &no_previous, &Settings::default()).unwrap();
    let shown: Vec<_> = c.findings.iter().filter(|f| f.severity != nianbao::Severity::Info).collect();
    assert!(!shown.is_empty());
    for f in shown {
        let cell = f.cell.as_ref().map(|c| c.to_string()).unwrap_or_default();
        assert!(body.contains(&format!("［{}］{cell}", f.rule)), "{} {cell} missing in\n{body}", f.rule);
    }
    let names: Vec<_> = parsed.attachments().filter_map(|a| mail_parser::MimeHeaders::attachment_name(a)).collect();
    assert_eq!(names, ["统计表（总计有误）（已标注）.xlsx"]);
}

#[test]
fn reply_template_can_be_replaced() {
    let m = one("no-attachment.eml");
    let eml = reply::reply(
        &m.origin,
        &[],
        &[m.why_empty().unwrap()],
        &Compose { from: None, template: Some("自定义：{{ problems[0] }}"), now: 0 },
    )
    .unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&eml).unwrap();
    assert_eq!(parsed.body_text(0).unwrap().trim(), "自定义：邮件中没有工作簿附件");
    let e =
        reply::reply(&m.origin, &[], &[], &Compose { from: None, template: Some("{{ nosuch }}"), now: 0 }).unwrap_err();
    assert!(e.to_string().starts_with("模板 reply.j2 第 1 行："), "{e}");
    assert!(matches!(&e, nianbao::error::ReplyError::Template(t) if t.kind() == minijinja::ErrorKind::UndefinedError));
}

#[test]
fn reply_drafts_parse_in_python_too() {
    let Ok(out) = std::process::Command::new("python3").arg("--version").output() else {
        eprintln!("python3 absent: second reader skipped");
        return;
    };
    assert!(out.status.success());
    let (_, eml) = drafted("foxmail-gbk-q-name.eml", Some("政务公开办 <gkb@example.gov.cn>"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.eml");
    std::fs::write(&path, &eml).unwrap();
    let script = "import sys,email\nfrom email import policy\nm=email.message_from_bytes(open(sys.argv[1],'rb').read(),policy=policy.default)\nprint(m['subject']);print(m['to']);print(m['in-reply-to']);print('|'.join(p.get_filename() for p in m.iter_attachments()))\nprint(m.get_body(('plain',)).get_content())";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "回复：年报统计表");
    assert!(lines[1].contains("lisi@example.gov.cn"), "{}", lines[1]);
    assert_eq!(lines[2], "<202401161405330874511@example.gov.cn>");
    assert_eq!(lines[3], "统计表（总计有误）（已标注）.xlsx");
    assert!(text.contains("T3-"), "{text}");
}

#[test]
fn convert_takes_an_mbox_and_writes_outputs_and_reply_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("convert")
        .arg(fixture("mail/three-messages.mbox"))
        .arg(fixture("mail/zip-of-two-workbooks.eml"))
        .arg("-o")
        .arg(&out)
        .args(["--from", "政务公开办 <gkb@example.gov.cn>"])
        .env("NIANBAO_FIXED_TIME", "1700000000")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    // One message has no workbook (exit 2) and one workbook has error findings.
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Zhou Ba <zhouba@example.gov.cn> 的邮件《年报统计表》）：邮件中没有工作簿附件"),
        "{stderr}"
    );
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Sun Qi - tables.zip 市场监督管理局.docx",
            "Sun Qi - tables.zip 市场监督管理局.xlsx",
            "Sun Qi - tables.zip 江源区.docx",
            "Sun Qi - tables.zip 江源区.xlsx",
            "回复",
            "张三 - 某某县市场监督管理局2023年政府信息公开统计表.docx",
            "张三 - 某某县市场监督管理局2023年政府信息公开统计表.xlsx",
            "李四 - 统计表（总计有误）.docx",
            "李四 - 统计表（总计有误）.xlsx",
        ]
    );
    let mut replies: Vec<String> = std::fs::read_dir(out.join("回复"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    replies.sort();
    assert_eq!(
        replies,
        [
            "2024-01-15 0930 张三.eml",
            "2024-01-16 1405 李四.eml",
            "2024-01-19 1000 Sun Qi.eml",
            "2024-01-20 1100 Zhou Ba.eml"
        ]
    );
    // The archive's 基本信息 keeps the message the workbook came in.
    let archive = std::fs::read(out.join("李四 - 统计表（总计有误）.xlsx")).unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(archive)).unwrap();
    let info = calamine::Reader::worksheet_range(&mut wb, "基本信息").unwrap();
    let rows: Vec<(String, String)> =
        info.rows().map(|r| (r[0].to_string(), r.get(1).map(|c| c.to_string()).unwrap_or_default())).collect();
    let get = |k: &str| rows.iter().find(|(l, _)| l == k).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(get("来信人"), "李四 <lisi@example.gov.cn>");
    assert_eq!(get("来信时间"), "2024-01-16 14:05:33 +08:00");
    assert_eq!(get("邮件主题"), "年报统计表");
    assert_eq!(get("Message-ID"), "202401161405330874511@example.gov.cn");
    // Without a workbook, the reply says so.
    let eml = std::fs::read(out.join("回复/2024-01-20 1100 Zhou Ba.eml")).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&eml).unwrap();
    assert!(parsed.body_text(0).unwrap().contains("邮件中没有工作簿附件"));
}
