//! The Word reports as LibreOffice lays them out, measured on the PDF (`pdftotext
//! -bbox-layout`: each line and word with its box, in points from the page's top left):
//! GB/T 9704 page numbers, the 28 × 22 grid, table 三 on one page with whole header words,
//! the title broken between words, blank cells left blank. The samples and one report per
//! edition with a long agency name are converted once by `nianbao convert --pdf` (one
//! LibreOffice start); without LibreOffice or pdftotext the tests print a notice and pass,
//! unless `NIANBAO_RENDER_REQUIRED` is set (scripts/render-check.sh sets it).

use crate::cli::bin;
use crate::common::{blank, sample};
use nianbao::check::{self, Context};
use nianbao::finding::Severity;
use nianbao::form::{Kind, ReqRow, RowKey};
use nianbao::model::{Report, Value};
use nianbao::read::{self, Options};
use nianbao::Edition;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::sync::OnceLock;

/// A4 and the GB/T 9704 margins, in points.
const PAGE_W: f64 = 595.3;
const MM: f64 = 72.0 / 25.4;
const LEFT: f64 = 28.0 * MM;
const RIGHT: f64 = PAGE_W - 26.0 * MM;
const TOP: f64 = 37.0 * MM;
const BOTTOM: f64 = TOP + 225.0 * MM;
/// One character of the page number's 四号 (14 pt), the 空一字 beside it.
const PAGE_NUM_EM: f64 = 14.0;

/// The long agency names of the extra reports, one per edition.
const LONG_2019: &str = "某某自治区某某市人力资源和社会保障局";
const LONG_2021: &str = "某某省人力资源和社会保障厅";

#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
    /// The words and the right edge of each (pdftotext may put a row's cells on one line).
    words: Vec<(String, f64)>,
}

impl Line {
    fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    fn mid(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }
}

#[derive(Debug)]
struct Pdf {
    /// Lines per page, top to bottom.
    pages: Vec<Vec<Line>>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    tag.find(&key)
        .and_then(|at| {
            let rest = &tag[at + key.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .unwrap_or(f64::NAN)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The pages of `pdftotext -bbox-layout` output: each line with its words joined (a space
/// between words only where both sides are ASCII, as in `2020 年` → `2020年`).
fn parse(html: &str) -> Pdf {
    let mut pages: Vec<Vec<Line>> = Vec::new();
    let mut line: Option<Line> = None;
    for raw in html.lines() {
        let t = raw.trim();
        if t.starts_with("<page ") {
            pages.push(Vec::new());
        } else if t.starts_with("<line ") {
            line = Some(Line {
                x0: attr(t, "xMin"),
                y0: attr(t, "yMin"),
                x1: attr(t, "xMax"),
                y1: attr(t, "yMax"),
                text: String::new(),
                words: Vec::new(),
            });
        } else if t.starts_with("<word ") {
            if let (Some(l), Some(open)) = (line.as_mut(), t.find('>')) {
                let word = unescape(t[open + 1..].trim_end_matches("</word>"));
                let ascii_gap = l.text.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
                    && word.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
                if ascii_gap {
                    l.text.push(' ');
                }
                l.text.push_str(&word);
                l.words.push((word, attr(t, "xMax")));
            }
        } else if t == "</line>" {
            if let (Some(l), Some(page)) = (line.take(), pages.last_mut()) {
                page.push(l);
            }
        }
    }
    for page in &mut pages {
        page.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    }
    Pdf { pages }
}

fn found(name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NIANBAO_SOFFICE").filter(|p| name == "soffice" && !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

/// The PDFs of the samples and the long-name reports, by file stem; `None` (after a notice)
/// where LibreOffice or pdftotext is missing.
fn rendered() -> Option<&'static BTreeMap<String, Pdf>> {
    static PDFS: OnceLock<Option<BTreeMap<String, Pdf>>> = OnceLock::new();
    PDFS.get_or_init(render).as_ref()
}

fn render() -> Option<BTreeMap<String, Pdf>> {
    if found("soffice").is_none() || found("pdftotext").is_none() {
        assert!(
            std::env::var_os("NIANBAO_RENDER_REQUIRED").is_none(),
            "NIANBAO_RENDER_REQUIRED is set but LibreOffice (soffice) or pdftotext is not installed"
        );
        eprintln!("render: LibreOffice (soffice) or pdftotext not installed, the render tests are skipped");
        return None;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let mut inputs: Vec<PathBuf> = fs::read_dir(sample(""))
        .expect("samples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    inputs.sort();
    // One report per edition with a long agency name, made from a sample of that edition.
    for (from, agency, stem) in
        [("2020-江源区.xlsx", LONG_2019, "长名称-2019"), ("2023-某某县市场监督管理局.xlsx", LONG_2021, "长名称-2021")]
    {
        let bytes = fs::read(sample(from)).expect("sample");
        let mut r = read::read(&bytes, from, &Options::default()).expect("read sample");
        r.agency.value = Some(agency.to_string());
        let path = dir.path().join(format!("{stem}.xlsx"));
        fs::write(&path, nianbao::write::template::filled(&r).expect("workbook")).expect("write");
        inputs.push(path);
    }
    // Reports whose counts run to 1, 3, 4, 5 and 6 digits, every relation kept.
    for edition in Edition::ALL {
        for digits in DIGITS {
            let path = dir.path().join(format!("{}.xlsx", digits_stem(edition, digits)));
            fs::write(&path, nianbao::write::template::filled(&counts_report(edition, digits)).expect("workbook"))
                .expect("write");
            inputs.push(path);
        }
    }
    let out = dir.path().join("out");
    let o = bin()
        .env("NIANBAO_FIXED_TIME", "1700000000")
        .arg("convert")
        .args(&inputs)
        .arg("-o")
        .arg(&out)
        .arg("--pdf")
        .output()
        .expect("run nianbao");
    let err = String::from_utf8_lossy(&o.stderr);
    // Exit 1: a sample has error findings on purpose; its report is still written.
    assert!(matches!(o.status.code(), Some(0 | 1)), "convert --pdf: {err}");
    let mut pdfs = BTreeMap::new();
    for input in &inputs {
        let stem = input.file_stem().expect("stem").to_string_lossy().into_owned();
        let pdf = out.join(format!("{stem}.pdf"));
        assert!(pdf.is_file(), "no PDF for {stem}: {err}");
        pdfs.insert(stem, parse(&bbox(&pdf)));
    }
    Some(pdfs)
}

fn bbox(pdf: &Path) -> String {
    let html = pdf.with_extension("html");
    let st = Command::new("pdftotext").arg("-bbox-layout").arg(pdf).arg(&html).status().expect("pdftotext");
    assert!(st.success(), "pdftotext {}", pdf.display());
    fs::read_to_string(&html).expect("bbox html")
}

/// The page number line of a page: `— N —` below the text block.
fn page_number(page: &[Line]) -> Option<(&Line, usize)> {
    page.iter().filter(|l| l.y0 > BOTTOM).find_map(|l| {
        let t: String = l.text.chars().filter(|c| !c.is_whitespace()).collect();
        let n = t.strip_prefix('—')?.strip_suffix('—')?.parse().ok()?;
        Some((l, n))
    })
}

#[test]
fn page_numbers_are_odd_right_and_even_left_one_character_in() {
    let Some(pdfs) = rendered() else { return };
    for (name, pdf) in pdfs {
        assert!(pdf.pages.len() >= 3, "{name}: {} pages", pdf.pages.len());
        for (i, page) in pdf.pages.iter().enumerate() {
            let (line, n) = page_number(page).unwrap_or_else(|| panic!("{name} page {}: no — N — at the foot", i + 1));
            assert_eq!(n, i + 1, "{name}: page {} numbered {n}", i + 1);
            if n % 2 == 1 {
                assert!(
                    (line.x1 - (RIGHT - PAGE_NUM_EM)).abs() < 3.0,
                    "{name} page {n}: ends at {:.1} pt, odd pages end one character before the right margin ({:.1})",
                    line.x1,
                    RIGHT - PAGE_NUM_EM
                );
            } else {
                assert!(
                    (line.x0 - (LEFT + PAGE_NUM_EM)).abs() < 3.0,
                    "{name} page {n}: starts at {:.1} pt, even pages start one character after the left margin ({:.1})",
                    line.x0,
                    LEFT + PAGE_NUM_EM
                );
            }
        }
    }
}

/// Ems of a line: a Chinese character one, an ASCII character a half.
fn ems(s: &str) -> f64 {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// Body lines (三号, about 16 pt high and more than 14) inside the text block.
fn body_lines(page: &[Line]) -> Vec<&Line> {
    page.iter()
        .filter(|l| l.y0 >= TOP - 2.0 && l.y1 <= BOTTOM + 2.0 && l.height() > 18.0 && l.height() < 24.0)
        .collect()
}

#[test]
fn body_text_runs_28_characters_a_line_and_22_lines_a_page() {
    let Some(pdfs) = rendered() else { return };
    for (name, pdf) in pdfs {
        // Lines that run from margin to margin: neither a paragraph's last line nor a table's.
        // Lines of Chinese alone: Latin text and the space around it are narrower.
        let full: Vec<f64> = pdf
            .pages
            .iter()
            .flat_map(|p| body_lines(p))
            .filter(|l| l.x1 > RIGHT - 8.0 && l.x0 < LEFT + 8.0 && !l.text.chars().any(|c| c.is_ascii()))
            .map(|l| ems(&l.text))
            .collect();
        assert!(full.len() >= 5, "{name}: only {} full body lines", full.len());
        // ± rounding: a line gives a character to the next where a closing mark may not
        // begin a line, and takes one where a full stop hangs in the margin.
        let exact = full.iter().filter(|&&n| n == 28.0).count();
        let off: Vec<&f64> = full.iter().filter(|&&n| (n - 28.0).abs() > 2.0).collect();
        assert!(
            off.is_empty() && exact * 4 >= full.len() * 3,
            "{name}: {exact} of {} full lines are 28 characters; others: {:?}",
            full.len(),
            full.iter().filter(|&&n| n != 28.0).collect::<Vec<_>>()
        );
        // A page of narrative alone holds 22 lines, on the 225 mm ÷ 22 pitch.
        let pitch = 225.0 * MM / 22.0;
        for (i, page) in pdf.pages.iter().enumerate() {
            let lines = body_lines(page);
            let narrative_only = lines.len() == page.iter().filter(|l| l.y1 <= BOTTOM).count();
            if i == 0 || i + 1 == pdf.pages.len() || !narrative_only {
                continue;
            }
            assert_eq!(lines.len(), 22, "{name} page {}: {} lines", i + 1, lines.len());
            for w in lines.windows(2) {
                let step = w[1].y0 - w[0].y0;
                assert!((step - pitch).abs() < 0.5, "{name} page {}: line pitch {step:.2} pt, not {pitch:.2}", i + 1);
            }
        }
    }
}

/// The page holding table 三 and its lines from the header to the last row.
fn table_three(pdf: &Pdf) -> Option<(usize, Vec<&Line>)> {
    let start = pdf.pages.iter().position(|p| p.iter().any(|l| l.text.contains("申请人情况")))?;
    let page = &pdf.pages[start];
    let top = page.iter().find(|l| l.text.contains("申请人情况"))?.y0;
    let bottom = page.iter().find(|l| l.text.contains("四、结转下年度继续办理")).map_or(f64::INFINITY, |l| l.y1);
    Some((start, page.iter().filter(|l| l.y0 >= top - 40.0 && l.y1 <= bottom + 1.0).collect()))
}

#[test]
fn table_three_sits_on_one_page_with_whole_header_words_and_no_lone_characters() {
    let Some(pdfs) = rendered() else { return };
    for (name, pdf) in pdfs {
        let (page, lines) = table_three(pdf).unwrap_or_else(|| panic!("{name}: no table 三"));
        let last = pdf.pages.iter().position(|p| p.iter().any(|l| l.text.contains("四、结转下年度继续办理")));
        assert_eq!(last, Some(page), "{name}: table 三 starts on page {} and ends on {last:?}", page + 1);
        // pdftotext may put a row's cells on one line: look at its words.
        let words = || lines.iter().flat_map(|l| l.words.iter());
        for word in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "法人或其他组织"]
        {
            assert!(words().any(|(w, _)| w == word), "{name}: header word {word} is broken");
        }
        // Label lines: left of the first number column (自然人's cell).
        let numbers =
            lines.iter().find(|l| l.words.iter().any(|(w, _)| w == "自然人")).map_or(f64::INFINITY, |l| l.x0 - 10.0);
        let lone: Vec<&str> =
            words().filter(|(w, right)| *right < numbers && w.chars().count() == 1).map(|(w, _)| w.as_str()).collect();
        assert!(lone.is_empty(), "{name}: label lines of one character: {lone:?}");
    }
}

#[test]
fn a_long_title_breaks_after_the_agency_or_before_the_report_words() {
    let Some(pdfs) = rendered() else { return };
    for (name, pdf) in pdfs {
        // The title: the 二号 lines at the top of page 1.
        let title: Vec<&Line> = pdf.pages[0].iter().take_while(|l| l.height() > 25.0).collect();
        assert!(!title.is_empty(), "{name}: no title");
        let texts: Vec<String> = title.iter().map(|l| l.text.replace(' ', "")).collect();
        let joined = texts.concat();
        assert!(joined.ends_with("政府信息公开工作年度报告"), "{name}: title {joined}");
        if name.starts_with("长名称") {
            assert!(texts.len() >= 2, "{name}: the long title is on one line: {texts:?}");
        }
        // The agency is what comes before the year.
        let agency_end = joined.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        let words_at = joined.find("政府信息公开工作年度报告").unwrap_or(0);
        let mut at = 0;
        for line in &texts[..texts.len() - 1] {
            at += line.len();
            // Inside the agency: after one of its administrative units.
            let after_unit = at < agency_end
                && ["省", "自治区", "市", "州", "县", "区", "旗", "盟"].iter().any(|u| joined[..at].ends_with(u));
            assert!(
                at == agency_end || at == words_at || after_unit,
                "{name}: title broken inside a word, not after the agency nor before 政府信息公开工作年度报告: {texts:?}"
            );
        }
    }
}

#[test]
fn a_cell_left_blank_in_the_workbook_is_blank_in_the_report() {
    let Some(pdfs) = rendered() else { return };
    let pdf = &pdfs["2020-江源区"];
    // 政府集中采购: the agency left 采购项目数量 and 采购总金额 blank.
    let (page, label) = pdf
        .pages
        .iter()
        .find_map(|p| p.iter().find(|l| l.text == "政府集中采购").map(|l| (p, l)))
        .expect("政府集中采购 row");
    let beside: Vec<&str> = page
        .iter()
        .filter(|l| l.x0 > label.x1 && (l.mid() - label.mid()).abs() < 4.0)
        .map(|l| l.text.as_str())
        .collect();
    assert!(beside.is_empty(), "政府集中采购 shows {beside:?}, the workbook has blanks");
    // Its neighbour 行政事业性收费 has numbers, printed as typed.
    let (page, fees) = pdf
        .pages
        .iter()
        .find_map(|p| p.iter().find(|l| l.text == "行政事业性收费").map(|l| (p, l)))
        .expect("行政事业性收费 row");
    let numbers: Vec<&str> =
        page.iter().filter(|l| l.x0 > fees.x1 && (l.mid() - fees.mid()).abs() < 4.0).map(|l| l.text.as_str()).collect();
    assert_eq!(numbers, ["43", "-5"]);
}

#[test]
fn the_pdf_is_pdf_a_2b_with_every_font_embedded() {
    let Some(_) = rendered() else { return };
    // `rendered` kept only the text; convert one sample again and read the file itself.
    let dir = tempfile::tempdir().expect("tmp");
    let o = bin()
        .args(["convert", sample("2023-某某县市场监督管理局.xlsx").to_str().expect("path"), "-o"])
        .arg(dir.path())
        .arg("--pdf")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = fs::read(dir.path().join("2023-某某县市场监督管理局.pdf")).expect("pdf");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<pdfaid:part>2</pdfaid:part>"), "no PDF/A-2 identification");
    assert!(text.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "not conformance level B");
    if found("pdffonts").is_some() {
        let out =
            Command::new("pdffonts").arg(dir.path().join("2023-某某县市场监督管理局.pdf")).output().expect("pdffonts");
        let list = String::from_utf8_lossy(&out.stdout);
        let fonts: Vec<&str> = list.lines().skip(2).collect();
        assert!(!fonts.is_empty(), "{list}");
        for f in fonts {
            let cols: Vec<&str> = f.split_whitespace().collect();
            // name type [encoding…] emb sub uni id gen: `emb` is the fifth column from the end.
            assert_eq!(cols.get(cols.len().saturating_sub(5)), Some(&"yes"), "font not embedded: {f}");
        }
    }
}

/// The widths of count the digits reports are made with.
pub(crate) const DIGITS: [u32; 5] = [1, 3, 4, 5, 6];

/// The file stem of the report of `edition` with `digits`-digit counts.
pub(crate) fn digits_stem(edition: Edition, digits: u32) -> String {
    format!("位数-{edition}-{digits}")
}

/// A report whose widest counts have `digits` digits in every table (the 总计 of table 三
/// and 四 too), each relation of tables 三 and 四 kept, and a fee with two decimals
/// (`12345.67` for five digits). Cells differ, so that a number broken over two lines
/// cannot be found whole elsewhere in the tables.
pub(crate) fn counts_report(edition: Edition, digits: u32) -> Report {
    let year = if edition == Edition::E2019 { 2020 } else { 2024 };
    let mut r = blank(edition, "淮安市人民政府", year);
    let u = 10i64.pow(digits - 1);
    let num = |n: i64| Value::number(Decimal::from(n));
    // Below `u`: varies a cell without adding a digit.
    let jitter = |a: usize, b: usize| (a as i64 * 37 + b as i64 * 11) % u;
    let form = edition.form();
    for (i, (block, _)) in form.active_rows().enumerate() {
        for (c, col) in block.columns.iter().enumerate() {
            r.active[i][c] = match col.kind {
                Kind::Count => num(u + jitter(i, c) + (i as i64 % 8) * u),
                Kind::Signed => num(if i % 2 == 0 { u + jitter(i, c) } else { -(u + jitter(c, i)) }),
                Kind::Amount => {
                    let whole: String = "1234567".chars().take(digits as usize).collect();
                    Value::number(Decimal::from_str(&format!("{whole}.67")).expect("decimal"))
                }
            };
        }
    }
    // Table 三 in hundredths of `u` (one digit below it for the one-digit report): each
    // applicant column weighted, its results summed into （七）总计, the balance kept by
    // 一 = （七）总计 + 四 − 二, and each row summed into 总计.
    let rows = form.requests_rows;
    let at = |key: ReqRow| rows.iter().position(|r| r.key == RowKey::Requests(key)).expect("row");
    let (new_received, carried_over, result_total, carried_forward) =
        (at(ReqRow::NewReceived), at(ReqRow::CarriedOver), at(ReqRow::ResultTotal), at(ReqRow::CarriedForward));
    let cols = form.requests_columns.len();
    let outer = rows[result_total].groups.first();
    let results: Vec<usize> =
        (0..rows.len()).filter(|&i| i != result_total && rows[i].groups.first() == outer).collect();
    let req = &mut r.requests;
    if digits == 1 {
        // 一 5 + 二 1 = （七）总计 4 + 四 2.
        for (row, n) in [
            (new_received, 5),
            (carried_over, 1),
            (results[0], 2),
            (results[1], 1),
            (results[2], 1),
            (result_total, 4),
            (carried_forward, 2),
        ] {
            req[row][0] = num(n);
        }
    } else {
        let unit = u / 100;
        let weights = [50, 20, 5, 3, 2, 10];
        for (c, w) in weights.into_iter().enumerate() {
            let mut results_sum = 0;
            for (j, &row) in results.iter().enumerate() {
                let base = match j {
                    0 => 4 * w,
                    1 => w,
                    _ => w / 5 * (j as i64 % 3),
                };
                let v = base * unit + jitter(row, c) % unit.max(1);
                req[row][c] = num(v);
                results_sum += v;
            }
            req[result_total][c] = num(results_sum);
            let (over, forward) = (w / 2 * unit + jitter(c, 1) % unit.max(1), w * unit + jitter(c, 2) % unit.max(1));
            req[carried_over][c] = num(over);
            req[carried_forward][c] = num(forward);
            req[new_received][c] = num(results_sum + forward - over);
        }
    }
    for row in req.iter_mut() {
        let total: Decimal = row[..cols - 1].iter().map(Value::n).sum();
        row[cols - 1] = Value::number(total);
    }
    // Table 四: 总计 = the four results, up to 9u.
    for (g, row) in r.review.iter_mut().enumerate() {
        let parts = [4 * u + jitter(g, 0), u + jitter(g, 1), u / 2, u + jitter(g, 3)];
        for (k, p) in parts.iter().enumerate() {
            row[k] = num(*p);
        }
        row[4] = num(parts.iter().sum());
    }
    let errors: Vec<String> = check::check(&r, Context::default())
        .into_iter()
        .filter(|f| f.severity == Severity::Error && f.rule.starts_with('T'))
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect();
    assert!(errors.is_empty(), "{edition} {digits} digits: {errors:?}");
    r
}

#[test]
fn the_digits_reports_have_counts_of_that_many_digits() {
    for edition in Edition::ALL {
        for digits in DIGITS {
            let r = counts_report(edition, digits);
            let widest = |rows: &[Vec<Value>]| {
                rows.iter().flatten().map(|v| v.display(Kind::Count).trim_start_matches('-').len()).max()
            };
            assert_eq!(widest(&r.requests), Some(digits as usize), "{edition} 三 {digits}");
            assert_eq!(widest(&r.review), Some(digits as usize), "{edition} 四 {digits}");
        }
    }
}

/// The numbers tables 二, 三 and 四 print for a report, as the Word report writes them;
/// zeros aside (a blank cell prints blank).
fn table_numbers(r: &Report) -> Vec<String> {
    let form = r.form();
    let mut out = Vec::new();
    for (i, (block, _)) in form.active_rows().enumerate() {
        out.extend(block.columns.iter().enumerate().map(|(c, col)| r.active[i][c].display(col.kind)));
    }
    for row in r.requests.iter().chain(&r.review) {
        out.extend(row.iter().map(|v| v.display(Kind::Count)));
    }
    out.retain(|n| n != "0");
    out
}

/// Whether a word is Chinese characters alone.
fn is_han(w: &str) -> bool {
    w.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Words of the PDF from section 二's heading to section 五's: the tables and the lines
/// between them.
fn table_words(pdf: &Pdf) -> Vec<&str> {
    let lines: Vec<&Line> = pdf.pages.iter().flatten().collect();
    let from = lines.iter().position(|l| l.text.contains("二、主动公开政府信息情况")).unwrap_or(0);
    let to = lines.iter().position(|l| l.text.contains("五、存在的主要问题及改进情况")).unwrap_or(lines.len());
    lines[from..to].iter().flat_map(|l| l.words.iter().map(|(w, _)| w.as_str())).collect()
}

/// Numbers of `wanted` not found whole (one word on one line, a unit such as 万元 may
/// follow) as often as the tables print them.
pub(crate) fn broken_numbers(words: &[&str], wanted: &[String]) -> Vec<String> {
    let mut need: BTreeMap<&str, usize> = BTreeMap::new();
    for n in wanted {
        *need.entry(n.as_str()).or_default() += 1;
    }
    need.into_iter()
        .filter(|(n, count)| {
            let whole = words
                .iter()
                .filter(|w| {
                    w.strip_prefix(n).is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
                })
                .count();
            whole < *count
        })
        .map(|(n, _)| n.to_string())
        .collect()
}

#[test]
fn every_number_of_tables_two_three_and_four_is_whole_from_one_to_six_digits() {
    let Some(pdfs) = rendered() else { return };
    let mut broken = Vec::new();
    for edition in Edition::ALL {
        for digits in DIGITS {
            let stem = digits_stem(edition, digits);
            let pdf = &pdfs[&stem];
            let r = counts_report(edition, digits);
            let wanted = table_numbers(&r);
            // As many numbers as the tables have cells, less the zeros.
            assert!(wanted.len() >= 30, "{stem}: {} numbers", wanted.len());
            let words = table_words(pdf);
            let missing = broken_numbers(&words, &wanted);
            if !missing.is_empty() {
                broken.push(format!("{stem}: {} of {} numbers broken: {missing:?}", missing.len(), wanted.len()));
            }
            // Table 四's labels (after its heading) never leave a character alone on a line.
            let four = words.iter().position(|w| w.contains("四、政府信息公开行政复议")).expect("table 四");
            let lone: Vec<&str> =
                words[four..].iter().copied().filter(|w| w.chars().count() == 1 && is_han(w)).collect();
            if !lone.is_empty() {
                broken.push(format!("{stem}: table 四 labels of one character: {lone:?}"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Writes the digits reports' workbooks to `NIANBAO_RENDER_DIR`, for the PNGs of docs/:
/// `NIANBAO_RENDER_DIR=dir cargo test --test main render::digits_inputs -- --ignored`.
#[test]
#[ignore]
fn digits_inputs() {
    let dir = std::env::var("NIANBAO_RENDER_DIR").expect("NIANBAO_RENDER_DIR");
    for edition in Edition::ALL {
        for digits in DIGITS {
            let path = Path::new(&dir).join(format!("{}.xlsx", digits_stem(edition, digits)));
            fs::write(path, nianbao::write::template::filled(&counts_report(edition, digits)).expect("workbook"))
                .expect("write");
        }
    }
}

/// Numbers of `wanted` not whole in the tables of the rendered report `stem` (a digits
/// report); `None` where LibreOffice or pdftotext is missing.
pub(crate) fn broken_in(stem: &str, wanted: &[String]) -> Option<Vec<String>> {
    let pdf = rendered()?.get(stem).unwrap_or_else(|| panic!("no PDF for {stem}"));
    Some(broken_numbers(&table_words(pdf), wanted))
}
