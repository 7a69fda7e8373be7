//! Generates N varied, realistic workbooks for the bulk benchmark:
//! `cargo run --release --example gen_workbooks -- DIR N`.
//! Both editions, several agencies per folder, every total consistent except in every
//! tenth file (a broken row total), so the summary has errors to count.

use nianbao::model::{Report, Value};
use nianbao::write::template::filled;
use nianbao::Edition;
use rust_decimal::Decimal;
use std::path::PathBuf;

/// A small deterministic generator: the same N gives the same files.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, max: u64) -> i64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % (max + 1)) as i64
    }
}

fn num(n: i64) -> Value {
    Value::number(Decimal::from(n))
}

fn report(i: usize, rng: &mut Lcg) -> Report {
    let edition = if i % 4 == 3 { Edition::E2019 } else { Edition::E2021 };
    let year = if edition == Edition::E2019 { 2020 } else { 2023 };
    let mut r = Report::blank(edition);
    r.agency.value = Some(format!("第{}县{}局", i / 20 + 1, ["教育", "财政", "民政", "交通运输", "自然资源"][i % 5]));
    r.year.value = Some(year);
    let form = edition.form();
    for (ri, (block, _)) in form.active_rows().enumerate() {
        for (ci, _) in block.columns.iter().enumerate() {
            r.active[ri][ci] = num(rng.next(300));
        }
    }
    // Requests: applicant columns random, totals consistent.
    let cols = form.requests_columns.len();
    let row = |id: &str| form.requests_row(id).unwrap_or(0);
    let total_row = row("result_total");
    let results: Vec<usize> = (0..form.requests_rows.len())
        .filter(|&k| form.requests_rows[k].groups.first() == Some(&"三、本年度办理结果") && k != total_row)
        .collect();
    for &k in &results {
        for c in 0..cols - 1 {
            r.requests[k][c] = num(if rng.next(3) == 0 { rng.next(9) } else { 0 });
        }
    }
    for c in 0..cols - 1 {
        let sum: i64 = results.iter().map(|&k| r.requests[k][c].n().to_string().parse::<i64>().unwrap_or(0)).sum();
        let forward = rng.next(3);
        let carried = rng.next(2).min(sum + forward);
        r.requests[total_row][c] = num(sum);
        r.requests[row("carried_forward")][c] = num(forward);
        r.requests[row("carried_over")][c] = num(carried);
        r.requests[row("new_received")][c] = num(sum + forward - carried);
    }
    for k in 0..form.requests_rows.len() {
        let s: Decimal = r.requests[k][..cols - 1].iter().map(Value::n).sum();
        r.requests[k][cols - 1] = Value::number(s);
    }
    for g in 0..3 {
        let parts: Vec<i64> = (0..4).map(|_| rng.next(2)).collect();
        for (c, p) in parts.iter().enumerate() {
            r.review[g][c] = num(*p);
        }
        r.review[g][4] = num(parts.iter().sum());
    }
    if i % 10 == 9 {
        let k = row("granted");
        r.requests[k][cols - 1] = Value::number(r.requests[k][cols - 1].n() + Decimal::ONE);
    }
    r.text.overview.text = format!("{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。");
    r
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bench-in".into()));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let mut rng = Lcg(20_240_101);
    for i in 0..n {
        let r = report(i, &mut rng);
        let sub = dir.join(format!("{:03}", i / 100));
        if let Err(e) = std::fs::create_dir_all(&sub) {
            eprintln!("{}: {e}", sub.display());
            std::process::exit(2);
        }
        let bytes = match filled(&r) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("workbook {i}: {e}");
                std::process::exit(2);
            }
        };
        let path = sub.join(format!("{i:05}-{}.xlsx", r.agency.value.as_deref().unwrap_or("")));
        if let Err(e) = std::fs::write(&path, bytes) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
    }
    println!("{n} workbooks in {}", dir.display());
}
