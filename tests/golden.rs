//! Golden files: each sample's `word/document.xml` and its archive's sheets, parsed and
//! pretty-printed, as insta snapshots (`tests/snapshots/`), so a change of layout shows as a
//! readable diff. Review a change with `cargo insta review` (or accept the `.snap.new` files);
//! on CI (`CI=true`) a difference fails and nothing is written.

use crate::common::sample;
use nianbao::convert::{convert, no_previous, Settings};
use quick_xml::events::Event;
use quick_xml::{Reader, Writer};
use std::io::{Cursor, Read};

/// The samples, by a short ASCII name for the snapshot files.
const SAMPLES: [(&str, &str); 3] = [
    ("2020-jiangyuan", "2020-江源区.xlsx"),
    ("2023-market", "2023-某某县市场监督管理局.xlsx"),
    ("2023-market-total-wrong", "2023-某某县市场监督管理局-总计有误.xlsx"),
];

/// XML with one element per line, indented by depth; text stays inline with its element.
fn pretty(xml: &[u8]) -> String {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 1);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Eof => break,
            // The line break after the declaration.
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
            e => writer.write_event(e).expect("write"),
        }
        buf.clear();
    }
    String::from_utf8(writer.into_inner()).expect("utf-8")
}

fn part(package: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).expect("zip");
    let mut out = Vec::new();
    zip.by_name(name).expect(name).read_to_end(&mut out).expect("read");
    out
}

fn converted(file: &str) -> nianbao::convert::Converted {
    let bytes = std::fs::read(sample(file)).expect("sample");
    let settings = Settings { fixed_time: Some(1_700_000_000), ..Settings::default() };
    convert(&bytes, file, &no_previous, &settings).expect("convert")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn word_document_of_each_sample() {
    for (name, file) in SAMPLES {
        let docx = converted(file).docx;
        let xml = pretty(&part(&docx, "word/document.xml"));
        settings().bind(|| insta::assert_snapshot!(format!("docx-{name}"), xml));
    }
}

#[test]
fn archive_sheets_of_each_sample() {
    for (name, file) in SAMPLES {
        let archive = converted(file).archive;
        let zip = zip::ZipArchive::new(Cursor::new(&archive)).expect("zip");
        let mut parts: Vec<String> = zip
            .file_names()
            .filter(|n| n.starts_with("xl/worksheets/") || *n == "xl/workbook.xml" || *n == "xl/sharedStrings.xml")
            .map(str::to_string)
            .collect();
        // sheet2 before sheet10.
        parts.sort_by_key(|n| (n.len(), n.clone()));
        let mut text = String::new();
        for p in &parts {
            text.push_str(&format!("==== {p}\n{}\n", pretty(&part(&archive, p))));
        }
        // The provenance names the version; a release should not rewrite the snapshots.
        let text = text.replace(&format!("<t>nianbao {}</t>", env!("CARGO_PKG_VERSION")), "<t>nianbao [version]</t>");
        let text = text.replace(&format!("<t>{}</t>", env!("CARGO_PKG_VERSION")), "<t>[version]</t>");
        settings().bind(|| insta::assert_snapshot!(format!("archive-{name}"), text));
    }
}
