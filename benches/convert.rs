//! Time of one conversion without the file system: read a sample-sized workbook, check it,
//! write the Word report and the archive, each stage and the whole. `cargo bench --bench convert`.

use criterion::{criterion_group, criterion_main, Criterion};
use nianbao::check::{self, Context};
use nianbao::convert::{convert, no_previous, Settings};
use nianbao::model::{Report, Text, Value};
use nianbao::read::{self, Options};
use nianbao::write::archive::{archive, Provenance};
use nianbao::write::{docx::docx, narrative::Templates, template::filled};
use nianbao::Edition;
use rust_decimal::Decimal;
use std::hint::black_box;

/// A report of the size of a real one: every table filled, totals consistent, a page of text.
fn report(edition: Edition) -> Report {
    let mut r = Report::blank(edition);
    r.agency.value = Some("白山市江源区人民政府".into());
    r.year.value = Some(if edition == Edition::E2019 { 2020 } else { 2023 });
    for (i, row) in r.active.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = Value::number(Decimal::from(37 * i as i64 + 11 * c as i64));
        }
    }
    let cols = r.form().requests_columns.len();
    for (i, row) in r.requests.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().take(cols - 1).enumerate() {
            *v = Value::number(Decimal::from((i + c) as i64 % 4));
        }
        let total: Decimal = row[..cols - 1].iter().map(Value::n).sum();
        row[cols - 1] = Value::number(total);
    }
    let para = "2023年，本区认真贯彻落实《中华人民共和国政府信息公开条例》，加大公开力度，回应群众关切。";
    r.text.overview = Text { text: [para; 12].join("\n"), cell: None };
    r.text.problems = Text { text: para.repeat(3), cell: None };
    r
}

fn bench(c: &mut Criterion) {
    for edition in Edition::ALL {
        let bytes = filled(&report(edition)).expect("workbook");
        let templates = Templates::default();
        let settings = Settings { fixed_time: Some(0), ..Settings::default() };
        c.bench_function(&format!("convert {edition}"), |b| {
            b.iter(|| {
                let out = convert(black_box(&bytes), "样例.xlsx", &no_previous, &settings).expect("convert");
                black_box((out.findings.len(), out.docx.len(), out.archive.len()))
            })
        });
        let rep = read::read(&bytes, "样例.xlsx", &Options::default()).expect("read");
        c.bench_function(&format!("read {edition}"), |b| {
            b.iter(|| read::read(black_box(&bytes), "样例.xlsx", &Options::default()).expect("read"))
        });
        c.bench_function(&format!("check {edition}"), |b| b.iter(|| check::check(black_box(&rep), Context::default())));
        c.bench_function(&format!("docx {edition}"), |b| b.iter(|| docx(black_box(&rep), &templates).expect("docx")));
        let findings = check::check(&rep, Context::default());
        let p = Provenance::now(Some(0));
        c.bench_function(&format!("archive {edition}"), |b| {
            b.iter(|| archive(black_box(&rep), &findings, &p).expect("archive"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
