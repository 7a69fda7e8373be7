//! Published reports — web pages, Word documents, PDFs — read into the same tables as a
//! workbook: the real examples of `../shared/published/` to the numbers a reader sees in
//! them, nianbao's own Word report back through docx, LibreOffice's PDF and HTML, and what
//! is refused.

use crate::common::*;
use nianbao::check::{self, Context};
use nianbao::model::{Report, State};
use nianbao::read::{self, Options};
use nianbao::Edition;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A file of the shared examples: CI has a copy of shared/ beside the clone; a work tree
/// elsewhere names it with `NIANBAO_SHARED_DIR`.
pub(crate) fn published(name: &str) -> PathBuf {
    match std::env::var_os("NIANBAO_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir).join("published").join(name),
        None => Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/published/")).join(name),
    }
}

/// A PDF of these objects (1 the catalog), with its xref.
fn pdf_of(objects: &[&str]) -> Vec<u8> {
    pdf_of_bytes(&objects.iter().map(|o| o.as_bytes().to_vec()).collect::<Vec<_>>())
}

/// A PDF of these objects, which may hold binary stream data.
pub(crate) fn pdf_of_bytes(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).bytes());
        pdf.extend_from_slice(o);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").bytes());
    }
    pdf.extend(format!("trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    pdf
}

/// A PDF of one empty page (a scan's page holds an image and no text).
fn pdf_without_text() -> Vec<u8> {
    pdf_of(&[
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        "<</Length 0>>stream\n\nendstream",
    ])
}

fn read_published(name: &str) -> Report {
    let bytes = std::fs::read(published(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    read::read(&bytes, name, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refused(bytes: &[u8], name: &str) -> String {
    match read::read(bytes, name, &Options::default()) {
        Ok(_) => panic!("{name} was read"),
        Err(e) => e.to_string(),
    }
}

fn rev(r: &Report, group: &str, col: &str) -> i64 {
    let v = r.review_value(group, col).unwrap_or_else(|| panic!("no {group}/{col}"));
    v.num.and_then(|d| d.to_string().parse().ok()).unwrap_or_else(|| panic!("{group}/{col}: {:?}", v.raw))
}

/// Every number of the three tables, in order, as text.
fn numbers(r: &Report) -> Vec<String> {
    let all = r.active.iter().chain(&r.requests).chain(&r.review).flatten();
    all.map(|v| v.num.map(|d| d.normalize().to_string()).unwrap_or_else(|| format!("?{}", v.raw))).collect()
}

/// The rule codes the checks find, each with its cell.
fn findings(r: &Report) -> Vec<(String, String)> {
    check::check(r, Context::default())
        .into_iter()
        .map(|f| (f.rule.to_string(), f.cell.map(|c| c.to_string()).unwrap_or_default()))
        .collect()
}

fn cli(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args).output().expect("run nianbao");
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn pingtan_2023_web_page_reads_to_its_numbers() {
    if !shared_present() {
        return;
    }
    let r = read_published("pingtan-2023.html");
    assert_eq!(r.edition, Edition::E2021);
    assert_eq!(r.agency.value.as_deref(), Some("平潭综合实验区"));
    assert_eq!(r.year.value, Some(2023));
    // Table 二.
    assert_eq!(act(&r, "normative_documents", "issued"), "77");
    assert_eq!(act(&r, "normative_documents", "repealed"), "132");
    assert_eq!(act(&r, "normative_documents", "in_force"), "470");
    assert_eq!(act(&r, "licensing", "decisions"), "2629");
    assert_eq!(act(&r, "penalty", "decisions"), "1330");
    assert_eq!(act(&r, "enforcement", "decisions"), "54");
    assert_eq!(act(&r, "fees", "amount_wan"), "5949.088667");
    // Table 三: `商业<br>企业` is one header; rows under rowspan group labels.
    assert_eq!(req(&r, "new_received", "natural_person"), 80);
    assert_eq!(req(&r, "new_received", "commercial"), 1);
    assert_eq!(req(&r, "new_received", "total"), 81);
    assert_eq!(req(&r, "partly_granted", "natural_person"), 19);
    assert_eq!(req(&r, "partly_granted", "total"), 20);
    assert_eq!(req(&r, "denied_query_matter", "natural_person"), 2);
    assert_eq!(req(&r, "unable_not_held", "total"), 31);
    assert_eq!(req(&r, "other_no_correction", "total"), 1);
    assert_eq!(req(&r, "other_misc", "natural_person"), 1);
    assert_eq!(req(&r, "result_total", "total"), 81);
    assert_eq!(req(&r, "carried_forward", "total"), 0);
    assert_eq!(req_cell(&r, "granted", "total"), "表格2!J6");
    // Table 四.
    assert_eq!((rev(&r, "review", "upheld"), rev(&r, "review", "corrected"), rev(&r, "review", "total")), (1, 1, 2));
    assert_eq!(rev(&r, "litigation_direct", "upheld"), 4);
    assert_eq!(rev(&r, "litigation_direct", "pending"), 1);
    assert_eq!(rev(&r, "litigation_direct", "total"), 5);
    assert_eq!(rev(&r, "litigation_after_review", "other"), 1);
    assert_eq!(rev(&r, "litigation_after_review", "total"), 2);
    // The narrative: sections 一, 五, 六, without the preamble or the tables' headings.
    assert!(r.text.overview.text.starts_with("2023年，平潭综合实验区坚持以习近平"), "{}", r.text.overview.text);
    assert!(r.text.overview.text.contains("（五）监督保障方面\n常态化开展日监测"), "{}", r.text.overview.text);
    assert!(!r.text.overview.text.contains("本报告根据"));
    assert!(r.text.problems.text.starts_with("存在的问题主要有以下几个方面"), "{}", r.text.problems.text);
    assert_eq!(r.text.other_matters.text, "2023年，无收取信息处理费情况。");
    // The rules run: the text's 393 against the table's 470, no broken relation.
    let f = findings(&r);
    assert!(f.contains(&("TEXT-NUMBERS".into(), "正文!B2".into())), "{f:?}");
    assert!(!f.iter().any(|(rule, _)| rule.starts_with("T3-") || rule.starts_with("T4-")), "{f:?}");
}

#[test]
fn shanghai_2019_web_page_blank_totals_are_found() {
    if !shared_present() {
        return;
    }
    let r = read_published("shanghai-szfbgt-2019.html");
    assert_eq!(r.edition, Edition::E2019);
    assert_eq!(r.agency.value.as_deref(), Some("上海市人民政府办公厅"));
    assert_eq!(r.year.value, Some(2019));
    assert_eq!(act(&r, "regulations", "made"), "13");
    assert_eq!(act(&r, "regulations", "total_public"), "524");
    assert_eq!(act(&r, "normative_documents", "total_public"), "368");
    assert_eq!(act(&r, "procurement", "items"), "6");
    assert_eq!(req(&r, "new_received", "natural_person"), 821);
    assert_eq!(req(&r, "new_received", "commercial"), 35);
    assert_eq!(req(&r, "new_received", "legal_service"), 2);
    assert_eq!(req(&r, "new_received", "total"), 859);
    assert_eq!(req(&r, "carried_over", "total"), 18);
    assert_eq!(req(&r, "granted", "natural_person"), 258);
    assert_eq!(req(&r, "unable_not_held", "natural_person"), 252);
    assert_eq!(req(&r, "rejected_petition", "natural_person"), 148);
    assert_eq!(req(&r, "result_total", "natural_person"), 767);
    assert_eq!(req(&r, "result_total", "total"), 805);
    assert_eq!(req(&r, "carried_forward", "total"), 72);
    // The page leaves 总计 blank on most result rows: read as 0, said, and each found.
    let v = r.request("granted", "total").expect("granted total");
    assert_eq!(v.state, State::Blank);
    assert_eq!(req_cell(&r, "granted", "total"), "表格2!J6");
    assert_eq!((rev(&r, "review", "upheld"), rev(&r, "review", "pending"), rev(&r, "review", "total")), (5, 2, 7));
    assert_eq!((rev(&r, "litigation_direct", "upheld"), rev(&r, "litigation_direct", "total")), (8, 9));
    assert_eq!(rev(&r, "litigation_after_review", "total"), 0);
    let f = findings(&r);
    let row_totals: Vec<&str> = f.iter().filter(|(rule, _)| rule == "T3-ROW-TOTAL").map(|(_, c)| c.as_str()).collect();
    assert_eq!(row_totals.len(), 11, "{f:?}");
    assert!(row_totals.contains(&"表格2!J6") && row_totals.contains(&"表格2!J20"), "{f:?}");
    assert!(r.text.problems.text.starts_with("（一）主要问题"), "{}", r.text.problems.text);
    assert_eq!(r.text.other_matters.text, "无。");
}

#[test]
fn huaian_2024_pdf_reads_by_glyph_position() {
    if !shared_present() {
        return;
    }
    let r = read_published("huaian-szf-2024.pdf");
    assert_eq!(r.edition, Edition::E2021);
    assert_eq!(r.agency.value.as_deref(), Some("淮安市人民政府"));
    assert_eq!(r.year.value, Some(2024));
    assert_eq!(act(&r, "regulations", "issued"), "1");
    assert_eq!(act(&r, "regulations", "in_force"), "11");
    assert_eq!(act(&r, "normative_documents", "repealed"), "26");
    assert_eq!(act(&r, "normative_documents", "in_force"), "66");
    assert_eq!(act(&r, "licensing", "decisions"), "447228");
    assert_eq!(act(&r, "penalty", "decisions"), "3985758");
    assert_eq!(act(&r, "enforcement", "decisions"), "88283");
    assert_eq!(act(&r, "fees", "amount_wan"), "96171.6");
    // Plain text glues these cells (`000505`): by position each is its own.
    assert_eq!(req(&r, "new_received", "natural_person"), 3001);
    assert_eq!(req(&r, "new_received", "legal_service"), 61);
    assert_eq!(req(&r, "new_received", "other_org"), 4);
    assert_eq!(req(&r, "new_received", "total"), 3119);
    assert_eq!(req(&r, "granted", "total"), 1362);
    assert_eq!(req(&r, "partly_granted", "natural_person"), 447);
    assert_eq!(req(&r, "denied_law_forbids", "commercial"), 1);
    assert_eq!(req(&r, "denied_query_matter", "total"), 105);
    assert_eq!(req(&r, "unable_not_held", "total"), 769);
    // Rows on the next page, and labels printed over three lines.
    assert_eq!(req(&r, "unable_needs_creation", "natural_person"), 11);
    assert_eq!(req(&r, "other_no_correction", "total"), 71);
    assert_eq!(req(&r, "other_fee_unpaid", "total"), 6);
    assert_eq!(req(&r, "other_misc", "total"), 110);
    assert_eq!(req(&r, "result_total", "total"), 3050);
    assert_eq!(req(&r, "carried_forward", "total"), 103);
    // Table 四, printed after its three-level header.
    assert_eq!(rev(&r, "review", "upheld"), 72);
    assert_eq!(rev(&r, "review", "total"), 351);
    assert_eq!(rev(&r, "litigation_direct", "corrected"), 4);
    assert_eq!(rev(&r, "litigation_direct", "total"), 26);
    assert_eq!(rev(&r, "litigation_after_review", "pending"), 6);
    assert_eq!(rev(&r, "litigation_after_review", "total"), 20);
    assert!(r.text.overview.text.starts_with("2024年，我市坚持以习近平"), "{}", r.text.overview.text);
    assert!(r.text.problems.text.contains('。'), "{}", r.text.problems.text);
    let f = findings(&r);
    assert!(
        !f.iter().any(|(rule, _)| rule.starts_with("T3-") || rule.starts_with("T4-") || rule.starts_with("T2-")),
        "{f:?}"
    );
}

#[test]
fn blank_docx_template_reads_as_the_blank_2021_tables() {
    if !shared_present() {
        return;
    }
    let r = read_published("blank-template-2021-govnianbao.docx");
    assert_eq!(r.edition, Edition::E2021);
    assert_eq!(r.agency.value, None);
    assert_eq!(r.year.value, None);
    let values: Vec<_> = r.active.iter().chain(&r.requests).chain(&r.review).flatten().collect();
    assert_eq!(values.len(), 10 + 25 * 7 + 15);
    assert!(values.iter().all(|v| v.state == State::Blank), "a number in the blank template");
    assert_eq!(req_cell(&r, "granted", "natural_person"), "表格2!D6");
    let f = findings(&r);
    assert_eq!(f.iter().filter(|(rule, _)| rule == "META-MISSING").count(), 2, "{f:?}");
}

#[test]
fn check_and_convert_take_published_reports() {
    if !shared_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let pdf = published("huaian-szf-2024.pdf");
    let (code, out, err) = cli(&["check", pdf.to_str().expect("path")]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("huaian-szf-2024.pdf（淮安市人民政府2024年度，2021年版）：0 个错误"), "{out}");
    let html = published("shanghai-szfbgt-2019.html");
    let (code, out, _) = cli(&["check", html.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("错误[T3-ROW-TOTAL] 第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列："),
        "{out}"
    );
    let o = dir.path().to_str().expect("dir");
    let (code, out, err) = cli(&["convert", pdf.to_str().expect("path"), "-o", o]);
    assert_eq!(code, Some(0), "{out}{err}");
    // The Word report made from the PDF reads back to the PDF's numbers.
    let docx = std::fs::read(dir.path().join("huaian-szf-2024.docx")).expect("docx written");
    assert!(dir.path().join("huaian-szf-2024.xlsx").is_file());
    let back = read::read(&docx, "huaian-szf-2024.docx", &Options::default()).expect("read back");
    assert_eq!(numbers(&back), numbers(&read_published("huaian-szf-2024.pdf")));
}

/// The 2021 sample's Word report, as nianbao writes it.
fn sample_docx() -> (Report, Vec<u8>) {
    sample_docx_of("2023-某某县市场监督管理局.xlsx")
}

/// A sample's Word report, as nianbao writes it.
fn sample_docx_of(name: &str) -> (Report, Vec<u8>) {
    let bytes = std::fs::read(sample(name)).expect("sample");
    let c =
        nianbao::convert::convert(&bytes, name, &nianbao::convert::no_previous, &Default::default()).expect("convert");
    (c.report, c.docx)
}

#[test]
fn own_word_report_reads_back_to_the_same_numbers() {
    let (source, docx) = sample_docx();
    let back = read::read(&docx, "报告.docx", &Options::default()).expect("read docx");
    assert_eq!(back.edition, source.edition);
    assert_eq!(back.agency.value, source.agency.value);
    assert_eq!(back.year.value, source.year.value);
    assert_eq!(numbers(&back), numbers(&source));
    assert!(numbers(&source).iter().any(|n| n != "0"), "the sample has numbers");
    assert!(!back.text.overview.text.is_empty());
    assert!(findings(&back).iter().all(|(rule, _)| !rule.starts_with("T")), "{:?}", findings(&back));
}

pub(crate) fn soffice() -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join("soffice")).find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("NIANBAO_RENDER_REQUIRED").is_none(),
            "NIANBAO_RENDER_REQUIRED is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("published: LibreOffice (soffice) not installed, the PDF and HTML round trips are skipped");
    }
    found
}

#[test]
fn own_word_report_through_libreoffice_pdf_and_html_reads_the_same() {
    let Some(soffice) = soffice() else { return };
    // Both editions: the 2021 sample and 江源区's 2020 report of the 2019 edition.
    for sample in ["2023-某某县市场监督管理局.xlsx", "2020-江源区.xlsx"] {
        through_libreoffice(&soffice, sample);
    }
}

fn through_libreoffice(soffice: &Path, sample: &str) {
    let (source, docx) = sample_docx_of(sample);
    assert_eq!(source.edition, if sample.starts_with("2020") { Edition::E2019 } else { Edition::E2021 });
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("报告.docx");
    std::fs::write(&path, docx).expect("write");
    let docx_back = read::read(&std::fs::read(&path).expect("docx"), "报告.docx", &Options::default()).expect("docx");
    assert_eq!(numbers(&docx_back), numbers(&source), "{sample} docx");
    for to in ["pdf", "html"] {
        let out = dir.path().join(to);
        let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
        let o = Command::new(soffice)
            .args([profile.as_str(), "--headless", "--convert-to", to, "--outdir"])
            .arg(&out)
            .arg(&path)
            .output()
            .expect("run soffice");
        let made = out.join(format!("报告.{to}"));
        assert!(made.is_file(), "soffice made no {to}: {}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&made).expect("read");
        let back = read::read(&bytes, "报告", &Options::default()).unwrap_or_else(|e| panic!("{sample} {to}: {e}"));
        assert_eq!(back.edition, source.edition, "{sample} {to}");
        assert_eq!(numbers(&back), numbers(&source), "{sample} {to}");
        assert_eq!(back.agency.value, source.agency.value, "{sample} {to}");
        assert_eq!(back.year.value, source.year.value, "{sample} {to}");
    }
}

#[test]
fn pages_in_gbk_and_saved_as_mht_read_the_same() {
    if !shared_present() {
        return;
    }
    let page = std::fs::read_to_string(published("pingtan-2023.html")).expect("page");
    let want = numbers(&read_published("pingtan-2023.html"));
    let gbk_page = page.replace(
        "<meta charset=\"utf-8\" />",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
    );
    let (gbk, _, bad) = encoding_rs::GBK.encode(&gbk_page);
    assert!(!bad);
    let r = read::read(&gbk, "gbk.htm", &Options::default()).expect("gbk page");
    assert_eq!(numbers(&r), want);
    assert_eq!(r.agency.value.as_deref(), Some("平潭综合实验区"));
    let mht = format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"; type=\"text/html\"\r\n\r\n--b\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-Location: file:///C:/page.htm\r\n\r\n{page}\r\n--b--\r\n"
    );
    let r = read::read(mht.as_bytes(), "page.mht", &Options::default()).expect("mht");
    assert_eq!(numbers(&r), want);
}

#[test]
fn messy_cells_of_a_page_read_as_a_reader_sees_them() {
    if !shared_present() {
        return;
    }
    // Tables numbered 一/二/三, a number with a note, a dash, a label over two lines, a
    // title with a version suffix.
    let page = std::fs::read_to_string(published("pingtan-2023.html")).expect("page");
    let page = page
        .replace("二、主动公开政府信息情况", "一、主动公开政府信息情况")
        .replace("三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况")
        .replace(">470<", ">470（含自然失效 29 件）<")
        .replace(">132<", ">—<")
        .replace(
            "平潭综合实验区2023年度政府信息公开工作年度报告\n</div>",
            "平潭综合实验区2023年度政府信息公开工作年度报告（图片版）\n</div>",
        )
        .replace("2.重复申请", "2.重复<br/>申请");
    assert!(page.contains("470（含自然失效 29 件）") && page.contains("2.重复<br/>申请") && page.contains(">—<"));
    let r = read::read(page.as_bytes(), "messy.html", &Options::default()).expect("read");
    assert_eq!(act(&r, "normative_documents", "in_force"), "470");
    assert_eq!(act(&r, "normative_documents", "repealed"), "0");
    assert_eq!(r.active_value("normative_documents", "repealed").map(|v| v.state), Some(State::Blank));
    assert_eq!(req(&r, "rejected_repeated", "total"), 1);
    assert_eq!(r.agency.value.as_deref(), Some("平潭综合实验区"));
    let f = findings(&r);
    assert!(f.iter().any(|(rule, _)| rule == "VAL-BLANK"), "{f:?}");
}

#[test]
fn what_cannot_be_read_is_refused_never_guessed() {
    let shell = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某局2023年度政府信息公开工作年度报告</title></head>
<body><div id="app"></div><script>var infoGuid = "0a1b";</script></body></html>"#
        .as_bytes();
    assert_eq!(
        refused(shell, "shell.html"),
        "这是网页框架，正文由脚本加载：请在浏览器中打开后另存为“网页，全部”，或下载附件 PDF"
    );
    // A PDF with a page and no text layer (a scan).
    let scan = pdf_without_text();
    assert_eq!(
        refused(&scan, "scan.pdf"),
        "这个 PDF 没有可用的文字层（可能是扫描件、图片版，或字体没有文字映射），无法读取其中的数字：请提交原始的 Word 文档、网页或统计表"
    );
    // A form that draws itself: pdf-extract would recurse until the stack overflows.
    let cycle = pdf_of(&[
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</XObject<</X1 5 0 R>>>>>>",
        "<</Length 6>>stream\n/X1 Do\nendstream",
        "<</Type/XObject/Subtype/Form/BBox[0 0 10 10]/Length 6>>stream\n/X1 Do\nendstream",
    ]);
    assert_eq!(refused(&cycle, "cycle.pdf"), "PDF 文件已损坏，无法打开：其中的图形对象相互嵌套引用（或嵌套过深）");
    let page = b"<html><body><p>\xe9\x80\x9a\xe7\x9f\xa5</p></body></html>";
    assert_eq!(refused(page, "notice.html"), "这是网页（HTML）文件，不是政府信息公开工作年度报告：其中没有表格");
}

#[test]
fn a_pdf_row_that_does_not_fit_names_its_page() {
    let Some(soffice) = soffice() else { return };
    // The sample's report with one row label changed: that row's numbers have no place.
    let (_, docx) = sample_docx();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).expect("read part");
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).expect("utf8");
            assert!(xml.contains("属于行政执法案卷"));
            data = xml.replace("属于行政执法案卷", "属于其他案卷").into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        std::io::Write::write_all(&mut out, &data).expect("write");
    }
    let edited = out.finish().expect("zip").into_inner();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("改.docx");
    std::fs::write(&path, edited).expect("write");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    Command::new(&soffice)
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .expect("soffice");
    let pdf = std::fs::read(dir.path().join("改.pdf")).expect("pdf made");
    let e = refused(&pdf, "改.pdf");
    assert!(e.starts_with("PDF 第3页“"), "{e}");
    assert!(e.contains("应为“7.属于行政执法案卷”行"), "{e}");
}

/// 平潭's 2022 page as it might read: 结转下年度 3, where the 2023 page carries over 0.
fn pingtan_2022() -> String {
    let page = std::fs::read_to_string(published("pingtan-2023.html")).expect("page");
    let carried = "<p>四、结转下年度继续办理</p></td><td valign=\"center\" width=\"48\"><p>0</p>";
    let total = "<td valign=\"center\" width=\"45\"><p>0</p></td></tr></tbody></table><p><strong>四、";
    assert!(page.contains(carried) && page.contains(total));
    page.replace("平潭综合实验区2023年度", "平潭综合实验区2022年度")
        .replace(carried, &carried.replace("<p>0</p>", "<p>3</p>"))
        .replace(total, &total.replace("<p>0</p>", "<p>3</p>"))
}

#[test]
fn last_years_published_page_serves_as_previous() {
    if !shared_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let prev_path = dir.path().join("平潭2022.html");
    std::fs::write(&prev_path, pingtan_2022()).expect("write");
    let this = published("pingtan-2023.html");
    let (code, out, err) =
        cli(&["check", this.to_str().expect("path"), "--previous", prev_path.to_str().expect("path")]);
    // Both cross-year rules run between two published years (warnings: exit 0).
    assert_eq!(code, Some(0), "{out}{err}");
    // Last year's number is named by its place in last year's page too.
    let line = "警告[X-CARRY] 第2个表格（三、收到和处理政府信息公开申请情况）“二、上年结转政府信息公开申请数量”行“总计”列：“总计”列：本年“二、上年结转”（0）应等于2022年度报告“四、结转下年度继续办理”（第2个表格）（3）";
    assert!(out.lines().any(|l| l.trim() == line), "{out}");
    assert!(
        out.contains("警告[X-IN-FORCE] 第1个表格（二、主动公开政府信息情况）“行政规范性文件”行“现行有效件数”列："),
        "{out}"
    );
}

#[test]
fn section_two_as_one_table_per_item_reads_across_sheets() {
    if !shared_present() {
        return;
    }
    // Many sites print each 第二十条 item of section 二 as a table of its own.
    let page = std::fs::read_to_string(published("pingtan-2023.html")).expect("page");
    let item = "<tr><td colspan=\"4\" valign=\"center\"><p>第二十条第";
    // The first item opens the table (`class="firstRow"`); the other three start tables.
    assert_eq!(page.matches(item).count(), 3);
    let split = page.replace(item, &format!("</tbody></table><p>&nbsp;</p><table border=\"1\"><tbody>{item}"));
    let r = read::read(split.as_bytes(), "split.html", &Options::default()).expect("read");
    assert_eq!(numbers(&r), numbers(&read_published("pingtan-2023.html")));
    let cell = |row: &str, col: &str| r.active_value(row, col).and_then(|v| v.cell.as_ref()).map(|c| c.to_string());
    assert_eq!(cell("licensing", "decisions").as_deref(), Some("表格2!B3"));
    assert_eq!(cell("fees", "amount_wan").as_deref(), Some("表格4!B3"));
}

#[test]
fn a_finding_in_a_web_page_names_its_table_row_and_column() {
    if !shared_present() {
        return;
    }
    let html = published("shanghai-szfbgt-2019.html");
    let (code, out, _) = cli(&["check", html.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{out}");
    let want = "  错误[T3-ROW-TOTAL] 第2个表格（三、收到和处理政府信息公开申请情况）“（三）不予公开 / 1.属于国家秘密”行“总计”列：“1.属于国家秘密”行：自然人与法人或其他组织各列之和（14）应等于总计（0）；各申请人列的勾稽关系均相符，应改正本行“总计”";
    assert!(out.lines().any(|l| l == want), "{out}");
    let (_, out, _) = cli(&["check", "--format", "json", html.to_str().expect("path")]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let f = &doc["findings"][0];
    // `cell` stays; the new `location` says the place as a reader finds it.
    assert_eq!(f["cell"], "表格2!J6");
    assert_eq!(
        f["location"],
        serde_json::json!({
            "table": "三、收到和处理政府信息公开申请情况",
            "table_number": 2,
            "row": "（一）予以公开",
            "column": "总计",
            "text": "第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列"
        })
    );
    // The narrative's finding names its part.
    let page = published("pingtan-2023.html");
    let (_, out, _) = cli(&["check", "--format", "json", page.to_str().expect("path")]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let text = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "TEXT-NUMBERS")
        .expect("TEXT-NUMBERS");
    assert_eq!(text["cell"], "正文!B2");
    assert_eq!(
        text["location"],
        serde_json::json!({"table": "正文", "row": "一、总体情况（总述）", "text": "正文“一、总体情况（总述）”"})
    );
}

#[test]
fn a_finding_in_a_pdf_names_its_page() {
    if !shared_present() {
        return;
    }
    let pdf = published("huaian-szf-2024.pdf");
    let prev = published("pingtan-2023.html");
    let (code, out, err) =
        cli(&["check", "--format", "json", pdf.to_str().expect("path"), "--previous", prev.to_str().expect("path")]);
    assert_eq!(code, Some(0), "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let fs = doc["findings"].as_array().expect("findings");
    let carry: Vec<&serde_json::Value> = fs.iter().filter(|f| f["rule"] == "X-CARRY").collect();
    assert_eq!(carry.len(), 2, "{fs:?}");
    assert_eq!(
        carry[1]["location"],
        serde_json::json!({
            "table": "三、收到和处理政府信息公开申请情况",
            "page": 4,
            "row": "二、上年结转政府信息公开申请数量",
            "column": "总计",
            "text": "第4页（三、收到和处理政府信息公开申请情况）“二、上年结转政府信息公开申请数量”行“总计”列"
        })
    );
    let in_force = fs.iter().find(|f| f["rule"] == "X-IN-FORCE").expect("X-IN-FORCE");
    assert_eq!(in_force["location"]["page"], 3);
    assert_eq!(in_force["location"]["row"], "规章");
}

#[test]
fn a_workbooks_findings_have_no_location() {
    let (_, out, _) =
        cli(&["check", "--format", "json", sample("2023-某某县市场监督管理局-总计有误.xlsx").to_str().expect("path")]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let fs = doc["findings"].as_array().expect("findings");
    assert!(!fs.is_empty());
    assert!(fs.iter().all(|f| f.get("location").is_none() && f["cell"].is_string()), "{fs:?}");
}

#[test]
fn annotating_a_published_report_writes_its_tables_as_html() {
    if !shared_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let html = published("shanghai-szfbgt-2019.html");
    let page = published("pingtan-2023.html");
    let d = dir.path().to_str().expect("dir");
    let (code, out, err) = cli(&["check", "--annotate", d, html.to_str().expect("path"), page.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(!dir.path().join("shanghai-szfbgt-2019.xlsx").exists());
    let marked = std::fs::read_to_string(dir.path().join("shanghai-szfbgt-2019.html")).expect("annotated page");
    assert!(marked.starts_with("<!DOCTYPE html>"));
    assert!(marked.contains("<h1>上海市人民政府办公厅2019年度政府信息公开工作年度报告 问题标注</h1>"), "{marked}");
    // The eleven blank totals, each cell red with its message on hover, listed below table 三.
    assert_eq!(marked.matches("class=\"n error\"").count(), 11, "{marked}");
    assert!(
        marked.contains("class=\"n error\" id=\"t2-r7-c10\" title=\"错误[T3-ROW-TOTAL] “（一）予以公开”行："),
        "{marked}"
    );
    assert!(marked.contains("<li class=\"error\"><a href=\"#t2-r7-c10\">错误[T3-ROW-TOTAL] 第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列：</a>"), "{marked}");
    let after_requests = marked.split("<h2>三、收到和处理政府信息公开申请情况</h2>").nth(1).expect("table 三");
    let list = after_requests.split("<h2>").next().expect("its part");
    assert_eq!(list.matches("<li class=\"error\">").count(), 11);
    // Warnings yellow; a finding outside the tables listed after them.
    let marked = std::fs::read_to_string(dir.path().join("pingtan-2023.html")).expect("annotated page");
    assert_eq!(marked.matches("class=\"n error\"").count(), 0);
    let rest = marked.split("<h2>表格以外的问题（标题、正文等）</h2>").nth(1).expect("the rest");
    assert!(rest.contains("<li class=\"warning\">警告[TEXT-NUMBERS] 正文“一、总体情况（总述）”："), "{rest}");
}

#[test]
fn serve_gives_a_published_reports_annotated_copy_as_html() {
    if !shared_present() {
        return;
    }
    let server = crate::serve::Server::start(&[]);
    let page = std::fs::read(published("shanghai-szfbgt-2019.html")).expect("page");
    let r =
        crate::serve::client().post(server.url("/api/convert?name=shanghai.html")).body(page).send().expect("convert");
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_ref())).expect("zip");
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    assert_eq!(names, ["report.docx", "archive.xlsx", "report.json", "annotated.html"]);
    let mut marked = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("annotated.html").expect("annotated"), &mut marked).expect("read");
    assert_eq!(marked.matches("class=\"n error\"").count(), 11, "{marked}");
    assert!(marked.contains("<li class=\"error\"><a href=\"#t2-r7-c10\">错误[T3-ROW-TOTAL] 第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列：</a>"));
}

/// A published page uploaded through the page's form: its result page draws its tables
/// with the wrong cells marked as the annotated copy marks them, lists each finding by its
/// place in the page, says to correct the published report (not to re-upload a filled
/// form), and offers the annotated copy: the very page `check --annotate` writes.
#[test]
fn serve_shows_a_published_reports_result_page_and_its_annotated_page() {
    if !shared_present() {
        return;
    }
    let server = crate::serve::Server::start(&[]);
    let c = crate::serve::client();
    let path = published("shanghai-szfbgt-2019.html");
    let (ctype, body) = crate::serve::multipart("file", "上海2019.html", &std::fs::read(&path).expect("page"));
    let r = c.post(server.url("/")).header("content-type", ctype).body(body).send().expect("upload");
    assert_eq!(r.status(), 303);
    let id = crate::serve::header(&r, "location").strip_prefix("/r/").expect("a result").to_string();
    let page = c.get(server.url(&format!("/r/{id}"))).send().expect("result").text().expect("page");
    assert!(page.contains("<h1>上海市人民政府办公厅 2019年度 核查结果</h1>"), "{page}");
    assert!(page.contains("<strong>11 个错误，0 个警告</strong>"), "{page}");
    assert!(page.contains("下方标红的单元格有误，请核对原报告并更正。"), "{page}");
    assert!(!page.contains("重新上传。"), "{page}");
    assert_eq!(page.matches("class=\"n error\"").count(), 11);
    assert!(
        page.contains(
            "<a href=\"#t2-r7-c10\">第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列</a>"
        ),
        "{page}"
    );
    assert!(
        page.contains(&format!("<a class=\"button secondary\" href=\"/r/{id}/annotated.html\">下载问题标注网页</a>"))
    );
    assert!(!page.contains("annotated.xlsx"));

    let r = c.get(server.url(&format!("/r/{id}/annotated.html"))).send().expect("annotated");
    assert_eq!(r.status(), 200);
    assert_eq!(crate::serve::header(&r, "content-type"), "text/html; charset=utf-8");
    let name = "上海市人民政府办公厅2019年政府信息公开工作年度报告（问题标注）.html";
    assert_eq!(
        crate::serve::header(&r, "content-disposition"),
        format!("attachment; filename=\"annotated.html\"; filename*=UTF-8''{}", crate::serve::pct(name))
    );
    let served = r.text().expect("annotated page");
    let dir = tempfile::tempdir().expect("tmp");
    let copy = dir.path().join("上海2019.html");
    std::fs::copy(&path, &copy).expect("copy");
    let out = dir.path().join("标注");
    std::fs::create_dir(&out).expect("mkdir");
    let (code, _, err) = cli(&["check", "--annotate", out.to_str().expect("dir"), copy.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(served, std::fs::read_to_string(out.join("上海2019.html")).expect("check --annotate's page"));
    // The result page marks the cells the annotated page marks.
    let marked = |html: &str| -> Vec<String> {
        html.split("class=\"n error\" id=\"").skip(1).filter_map(|s| s.split('"').next()).map(String::from).collect()
    };
    assert_eq!(marked(&page).len(), 11);
    assert_eq!(marked(&page), marked(&served));
}

/// Whether the shared examples are here; a test that needs them says so and passes when not.
pub(crate) fn shared_present() -> bool {
    let here = published("pingtan-2023.html").is_file();
    if !here {
        eprintln!("跳过：没有 shared/published/（用 NIANBAO_SHARED_DIR 指明 shared 文件夹）");
    }
    here
}

/// `batch`'s folder scan takes published reports beside workbooks (a real page and a real
/// PDF), a `.doc` is a row saying to save it as `.docx`, nianbao's own Word report is skipped
/// as its output, and `--previous-dir` finds last year's published page by agency.
#[test]
fn batch_takes_published_reports_and_previous_dir_matches_them_by_agency() {
    if !shared_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (inbox, prev, out) = (dir.path().join("in"), dir.path().join("prev"), dir.path().join("out"));
    for d in [&inbox, &prev] {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    std::fs::copy(published("pingtan-2023.html"), inbox.join("平潭2023.html")).expect("copy");
    std::fs::copy(published("huaian-szf-2024.pdf"), inbox.join("淮安2024.pdf")).expect("copy");
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(inbox.join("旧格式.doc"), doc).expect("doc");
    std::fs::write(inbox.join("上次的报告.docx"), sample_docx().1).expect("docx");
    std::fs::write(prev.join("平潭2022.html"), pingtan_2022()).expect("prev");
    let (i, o, p) = (inbox.to_str().expect("path"), out.to_str().expect("path"), prev.to_str().expect("path"));
    let (code, _, err) = cli(&["batch", i, "-o", o, "--previous-dir", p]);
    assert_eq!(code, Some(2), "the .doc is unreadable: {err}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary")).expect("json");
    let row = |file: &str| {
        summary["files"].as_array().expect("files").iter().find(|r| r["file"] == file).cloned().expect(file)
    };
    assert_eq!(row("平潭2023.html")["agency"], "平潭综合实验区");
    assert_eq!(row("平潭2023.html")["status"], "ok");
    assert_eq!(row("淮安2024.pdf")["agency"], "淮安市人民政府");
    assert_eq!(row("淮安2024.pdf")["year"], 2024);
    assert_eq!(row("旧格式.doc")["status"], "unreadable");
    assert_eq!(
        row("旧格式.doc")["first_error"],
        "无法读取 旧格式.doc：这是 Word 97-2003 文档（.doc），请另存为 .docx 后再提交"
    );
    assert_eq!(row("上次的报告.docx")["status"], "skipped");
    assert_eq!(summary["counts"]["files"], 4);
    // The cross-year rule ran against last year's page, found by agency.
    let carry: Vec<&serde_json::Value> = summary["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"] == "平潭2023.html" && f["rule"] == "X-CARRY")
        .collect();
    let cells: Vec<&str> = carry.iter().filter_map(|f| f["cell"].as_str()).collect();
    assert_eq!(cells, ["表格2!D5", "表格2!J5"], "{carry:?}");
    for f in ["平潭2023.docx", "平潭2023.xlsx", "淮安2024.docx", "淮安2024.xlsx"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert!(!out.join("上次的报告.docx").exists());
}

/// `watch` takes a published page dropped in its inbox as it takes a workbook.
#[test]
fn watch_takes_a_published_page() {
    if !shared_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (inbox, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir_all(&inbox).expect("mkdir");
    std::fs::copy(published("pingtan-2023.html"), inbox.join("平潭2023.html")).expect("copy");
    let (i, o) = (inbox.to_str().expect("path"), out.to_str().expect("path"));
    let (code, _, err) = cli(&["watch", i, "-o", o, "--once", "--settle", "0"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(inbox.join("done").join("平潭2023.html").is_file(), "{err}");
    assert!(out.join("平潭2023.docx").is_file() && out.join("平潭2023.xlsx").is_file(), "{err}");
}

#[test]
fn batch_summary_and_archive_name_a_published_findings_place() {
    if !shared_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let inbox = dir.path().join("in");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    std::fs::copy(published("shanghai-szfbgt-2019.html"), inbox.join("上海.html")).expect("copy");
    let out = dir.path().join("out");
    let (code, _, err) = cli(&["batch", inbox.to_str().expect("path"), "-o", out.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{err}");
    let place = "第2个表格（三、收到和处理政府信息公开申请情况）“（一）予以公开”行“总计”列";
    for (file, sheet) in [("汇总.xlsx", "核查结果"), ("上海.xlsx", "核查结果")] {
        let bytes = std::fs::read(out.join(file)).expect(file);
        let (_, sheets) = nianbao::read::open::open(&bytes).expect("open");
        let s = sheets.iter().find(|s| &*s.name == sheet).expect(sheet);
        let places: Vec<String> = s
            .cells
            .iter()
            .filter(|((_, c), _)| *c == 3)
            .filter_map(|(_, v)| match v {
                nianbao::read::value::Raw::Str(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        assert!(places.iter().any(|p| p == place), "{file}: {places:?}");
    }
}
