//! The streaming xlsx reader (`read/xlsx`) against calamine, its reference: every xlsx the
//! repository holds or makes — fixtures, samples, the hostile catalogue and the guard's
//! metering cases, mutated workbooks, and 2,000 generated variants at the variant run's
//! fixed seed — is read with both, and both must give the same sheets (names, order,
//! hidden state, every cell) or refuse it the same way. `NIANBAO_READER=calamine` makes
//! every command read with calamine, to compare by hand.

use crate::common::{fixture, sample};
use nianbao::error::ReadError;
use nianbao::read::open::{open_with, Sheet, XlsxReader};
use std::path::{Path, PathBuf};

/// Each sheet as text: name, hidden, cells (Debug, so a NaN equals itself).
fn shown(sheets: &[Sheet]) -> Vec<String> {
    sheets.iter().map(|s| format!("{} hidden={} {:?}", s.name, s.hidden, s.cells)).collect()
}

/// The refusal as compared: its kind, and the whole message where a limit or a check
/// before the parsers made it (those must read the same whoever parses); calamine's own
/// parse errors are English, the streaming reader's Chinese, so only the kind there.
fn refusal(e: &ReadError) -> String {
    match e {
        ReadError::Corrupt(m) if m.starts_with("压缩包") => format!("Corrupt {m}"),
        ReadError::Corrupt(_) => "Corrupt".into(),
        e => e.to_string(),
    }
}

/// The package without the fonts, fills and borders of its styles.xml, where it has them.
fn without_font_styles(bytes: &[u8]) -> Option<Vec<u8>> {
    let i = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?.index_for_name("xl/styles.xml")?;
    let mut cut = false;
    let out = with_part_edited(bytes, i, |d| {
        let mut xml = String::from_utf8_lossy(d).into_owned();
        for tag in ["fonts", "fills", "borders"] {
            if let (Some(a), Some(b)) = (xml.find(&format!("<{tag}")), xml.find(&format!("</{tag}>"))) {
                if a < b {
                    xml.replace_range(a..b + tag.len() + 3, "");
                    cut = true;
                }
            }
        }
        *d = xml.into_bytes();
    });
    cut.then_some(out)
}

/// The difference between the two readers on one file, if any. One difference is kept
/// (README, "Reading xlsx"): calamine refuses a workbook whose styles.xml has a damaged
/// font, fill or border, which the streaming reader does not read (only number formats
/// tell a cell's meaning); there the stream must read what calamine reads once those
/// sections are gone.
fn difference(what: &str, bytes: &[u8]) -> Option<String> {
    let stream = open_with(bytes, XlsxReader::Stream);
    let mut reference = open_with(bytes, XlsxReader::Calamine);
    if let (Ok(_), Err(_)) = (&stream, &reference) {
        if let Some(plain) = without_font_styles(bytes) {
            reference = open_with(&plain, XlsxReader::Calamine);
        }
    }
    match (&stream, &reference) {
        (Ok((f, a)), Ok((g, b))) if f == g && shown(a) == shown(b) => None,
        (Ok((_, a)), Ok((_, b))) => {
            let (a, b) = (shown(a), shown(b));
            let at = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)).unwrap_or(0);
            let cut = |s: Option<&String>| s.map(|s| s.chars().take(600).collect::<String>()).unwrap_or_default();
            Some(format!("{what}: sheet {at} differs:\n  stream:   {}\n  calamine: {}", cut(a.get(at)), cut(b.get(at))))
        }
        (Err(a), Err(b)) if refusal(a) == refusal(b) => None,
        (a, b) => Some(format!(
            "{what}: stream {:?} / calamine {:?}",
            a.as_ref().map(|(_, s)| s.len()).map_err(|e| e.to_string()),
            b.as_ref().map(|(_, s)| s.len()).map_err(|e| e.to_string())
        )),
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("xlsx" | "xlsm" | "xls" | "ods")) {
            out.push(p);
        }
    }
}

fn assert_none(differences: Vec<String>, read: usize, least: usize) {
    assert!(read >= least, "only {read} files compared");
    assert!(differences.is_empty(), "{} of {read} differ:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn every_fixture_and_sample_reads_the_same_with_both_readers() {
    let mut files = Vec::new();
    files_under(&fixture(""), &mut files);
    files_under(&sample(""), &mut files);
    let differences: Vec<String> =
        files.iter().filter_map(|p| difference(&p.display().to_string(), &std::fs::read(p).expect("read"))).collect();
    let read =
        files.iter().filter(|p| std::fs::read(p).is_ok_and(|b| open_with(&b, XlsxReader::Stream).is_ok())).count();
    assert!(read >= 40, "{read} of {} read", files.len());
    assert_none(differences, files.len(), 45);
}

#[test]
fn the_hostile_catalogue_reads_or_is_refused_the_same_with_both_readers() {
    let cases = [crate::hostile::catalogue(), crate::hostile::metering_cases()].concat();
    let n = cases.len();
    let differences: Vec<String> = cases.into_iter().filter_map(|(name, bytes)| difference(&name, &bytes)).collect();
    assert_none(differences, n, 25);
}

/// The index of the `pick`th XML part (modulo their number).
fn xml_part(bytes: &[u8], pick: usize) -> usize {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let xml: Vec<usize> =
        (0..zin.len()).filter(|&i| zin.by_index(i).is_ok_and(|f| f.name().ends_with(".xml"))).collect();
    xml[pick % xml.len()]
}

/// The package with its part at `target` edited by `edit`, re-deflated.
pub(crate) fn with_part_edited(bytes: &[u8], target: usize, edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("part");
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("inflate");
        if i == target {
            if let Some(edit) = edit.take() {
                edit(&mut data);
            }
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        zout.write_all(&data).expect("write");
    }
    zout.finish().expect("finish").into_inner()
}

/// What the edits insert: the markup where the readers' decisions lie.
const SNIPPETS: [&str; 24] = [
    " t=\"s\"",
    " t=\"str\"",
    " t=\"e\"",
    " t=\"b\"",
    " t=\"d\"",
    " t=\"inlineStr\"",
    " t=\"n\"",
    " s=\"1\"",
    " r=\"C9\"",
    " hidden=\"1\"",
    "<f>SUM(A1:A2)</f>",
    "<f t=\"shared\" si=\"0\" ref=\"B2:B9\">A1+1</f>",
    "<f t=\"shared\" si=\"0\"/>",
    "<v>1e3</v>",
    "<v>#N/A</v>",
    "<is><t>内联</t></is>",
    "<r><t xml:space=\"preserve\"> 甲 </t></r>",
    "<rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh>",
    "_x000D_",
    "&amp;&#20013;",
    "<c r=\"D4\" t=\"b\"><v>true</v></c>",
    "<row r=\"7\" hidden=\"1\"><c><v>5</v></c><c t=\"str\"><v>x_x0041_</v></c></row>",
    "<![CDATA[<甲>]]>",
    "<col min=\"2\" max=\"3\" hidden=\"1\"/>",
];

/// What the edits write over a byte.
const CHARS: &[u8] = b"<>\"'&/=_x:;#0123456789tsrvfc ";

/// Workbooks whose parts are edited one edit at a time, at random from a fixed seed: byte
/// spans deleted, duplicated or overwritten, markup inserted anywhere.
fn mutated_parts(n: usize) -> Vec<Vec<u8>> {
    let bases: Vec<Vec<u8>> = ["2023-某某县市场监督管理局.xlsx", "2020-江源区.xlsx"]
        .iter()
        .map(|f| std::fs::read(sample(f)).expect("sample"))
        .chain(
            ["uncached-formulas.xlsx", "numbers-as-text.xlsx", "hidden-last-year-first.xlsx"]
                .iter()
                .map(|f| std::fs::read(fixture(f)).expect("fixture")),
        )
        .collect();
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m.max(1) as u64) as usize
    };
    (0..n)
        .map(|i| {
            let (kind, pick, a, b, c) = (next(4), next(64), next(1 << 30), next(64), next(SNIPPETS.len()));
            let base = &bases[i % bases.len()];
            with_part_edited(base, xml_part(base, pick), |d| {
                let at = a % d.len().max(1);
                let end = (at + 1 + b).min(d.len());
                match kind {
                    0 => {
                        d.drain(at..end);
                    }
                    1 => {
                        let span = d[at..end].to_vec();
                        d.splice(at..at, span);
                    }
                    2 => {
                        if let Some(byte) = d.get_mut(at) {
                            *byte = CHARS[b % CHARS.len()];
                        }
                    }
                    _ => {
                        d.splice(at..at, SNIPPETS[c].bytes());
                    }
                }
            })
        })
        .collect()
}

#[test]
fn mutated_workbooks_read_or_are_refused_the_same_with_both_readers() {
    // `NIANBAO_MUTATIONS=N` runs more (600 by default).
    let n = std::env::var("NIANBAO_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(600);
    let cases = mutated_parts(n);
    let differences: Vec<String> =
        cases.iter().enumerate().filter_map(|(i, b)| difference(&format!("mutation {i}"), b)).collect();
    // Both outcomes are exercised: some edits still read, others are refused.
    let read = cases.iter().filter(|b| open_with(b, XlsxReader::Stream).is_ok()).count();
    assert!(read * 10 >= n && read * 10 <= n * 9, "{read} of {n} mutations read");
    assert_none(differences, cases.len(), n.min(600));
}

#[test]
fn two_thousand_variants_read_the_same_with_both_readers() {
    let n = 2000u64;
    let differences: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = [(0, n / 2), (n / 2, n)]
            .into_iter()
            .map(|(a, b)| {
                s.spawn(move || {
                    (a..b)
                        .filter_map(|i| difference(&format!("variant {i}"), &crate::variants::xlsx_variant(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().expect("thread")).collect()
    });
    assert_none(differences, n as usize, 2000);
}

/// A workbook with rows 3–4 and 8 and columns B–C hidden, and a value in each.
fn hidden_lines_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("统计表").expect("name");
    for r in 0..10u32 {
        for c in 0..5u16 {
            ws.write_number(r, c, f64::from(r * 10 + u32::from(c))).expect("write");
        }
    }
    for r in [2, 3, 7] {
        ws.set_row_hidden(r).expect("row");
    }
    for c in [1, 2] {
        ws.set_column_hidden(c).expect("col");
    }
    wb.save_to_buffer().expect("save")
}

#[test]
fn hidden_rows_and_columns_are_noted_on_the_sheet() {
    let bytes = hidden_lines_workbook();
    let (_, sheets) = open_with(&bytes, XlsxReader::Stream).expect("stream");
    let lines = &sheets[0].lines;
    assert_eq!((lines.rows.as_slice(), lines.cols.as_slice()), (&[(2, 3), (7, 7)][..], &[(1, 2)][..]));
    assert!(lines.row_hidden(3) && lines.row_hidden(7) && !lines.row_hidden(4) && !lines.row_hidden(1));
    assert!(lines.col_hidden(1) && lines.col_hidden(2) && !lines.col_hidden(0) && !lines.col_hidden(3));
    // Hidden cells are read like any other; calamine gives no lines, so with it chosen
    // the lines are the streaming reader's.
    assert_eq!(sheets[0].get(3, 2), &nianbao::read::value::Raw::Float(32.0));
    let (_, reference) = open_with(&bytes, XlsxReader::Calamine).expect("calamine");
    assert_eq!(reference[0].lines, *lines);
    assert_eq!(shown(&sheets), shown(&reference));
}

/// The one difference kept: a damaged font in styles.xml (an attribute value unquoted)
/// refuses the workbook in calamine; the streaming reader, which reads only number formats
/// there, reads it, as calamine reads it without the fonts.
#[test]
fn a_damaged_font_refuses_the_workbook_in_calamine_only() {
    let bytes = hidden_lines_workbook();
    let i = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice()))
        .expect("zip")
        .index_for_name("xl/styles.xml")
        .expect("styles");
    let damaged = with_part_edited(&bytes, i, |d| {
        // The size's value unquoted: `<sz val=11/>`.
        let xml = String::from_utf8_lossy(d).into_owned();
        let at = xml.find("<sz val=\"").expect("a font size") + 8;
        let end = at + 1 + xml[at + 1..].find('"').expect("quote");
        let xml = format!("{}{}{}", &xml[..at], &xml[at + 1..end], &xml[end + 1..]);
        *d = xml.into_bytes();
    });
    let e = open_with(&damaged, XlsxReader::Calamine).map(|_| ()).expect_err("calamine refuses");
    assert!(matches!(e, ReadError::Corrupt(_)), "{e}");
    let (_, sheets) = open_with(&damaged, XlsxReader::Stream).expect("stream reads");
    let (_, reference) = open_with(&without_font_styles(&damaged).expect("fonts cut"), XlsxReader::Calamine)
        .expect("calamine without fonts");
    assert_eq!(shown(&sheets), shown(&reference));
    assert_eq!(sheets[0].get(9, 4), &nianbao::read::value::Raw::Float(94.0));
}

/// `NIANBAO_READER=calamine` reads with calamine: the same report, byte for byte.
#[test]
fn the_reader_switch_reads_the_same_report() {
    let path = sample("2023-某某县市场监督管理局.xlsx");
    let run = |reader: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"));
        cmd.args(["check", "--format", "json"]).arg(&path);
        match reader {
            Some(r) => cmd.env("NIANBAO_READER", r),
            None => cmd.env_remove("NIANBAO_READER"),
        };
        cmd.output().expect("run")
    };
    let (stream, calamine) = (run(None), run(Some("calamine")));
    assert_eq!(stream.status.code(), Some(0), "{}", String::from_utf8_lossy(&stream.stderr));
    assert!(stream.stdout.len() > 1000);
    assert_eq!(stream.stdout, calamine.stdout);
    assert_eq!(stream.stderr, calamine.stderr);
}
