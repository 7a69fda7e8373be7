//! Time per stage of a conversion over a folder of workbooks, for profiling:
//! `cargo run --release --example stage_times -- DIR [read|check|docx|archive]`.
//! Reads up to 200 workbooks of DIR (e.g. made by `gen_workbooks`) and prints the mean
//! milliseconds per file of each stage; with a stage named, loops over only that stage
//! (for `perf record`).

use nianbao::check::{self, Context};
use nianbao::read::{self, Options};
use nianbao::write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: stage_times DIR [stage]")?;
    let only = std::env::args().nth(2).unwrap_or_default();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths.truncate(200);
    let files: Vec<Vec<u8>> = paths.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let t = write::narrative::Templates::default();
    let opts = Options::default();
    let reports: Vec<_> = files.iter().map(|b| read::read(b, "x.xlsx", &opts)).collect::<Result<_, _>>()?;
    let findings: Vec<_> = reports.iter().map(|r| check::check(r, Context::default())).collect();
    let provenance = write::archive::Provenance::now(Some(0));
    let mut total = [0f64; 4];
    let rounds = if only.is_empty() { 3 } else { 20 };
    let run = |k: usize| only.is_empty() || only == ["read", "check", "docx", "archive"][k];
    for _ in 0..rounds {
        for (i, bytes) in files.iter().enumerate() {
            let mut time = |k: usize, f: &mut dyn FnMut()| {
                if run(k) {
                    let s = Instant::now();
                    f();
                    total[k] += s.elapsed().as_secs_f64();
                }
            };
            time(0, &mut || {
                std::hint::black_box(read::read(bytes, "x.xlsx", &opts).ok());
            });
            time(1, &mut || {
                std::hint::black_box(check::check(&reports[i], Context::default()));
            });
            time(2, &mut || {
                std::hint::black_box(write::docx::docx(&reports[i], &t).ok());
            });
            time(3, &mut || {
                std::hint::black_box(write::archive::archive(&reports[i], &findings[i], &provenance).ok());
            });
        }
    }
    let n = files.len() as f64 * rounds as f64 / 1000.0;
    println!(
        "ms per file: read {:.3}  check {:.3}  docx {:.3}  archive {:.3}",
        total[0] / n,
        total[1] / n,
        total[2] / n,
        total[3] / n
    );
    Ok(())
}
