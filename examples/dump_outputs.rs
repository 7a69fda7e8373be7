//! Writes every output of every workbook under the given folders, to compare the writers
//! before and after a change: `cargo run --example dump_outputs -- OUT samples tests/fixtures`,
//! then `scripts/compare-outputs.sh OLD NEW`. Per input `NAME`: `NAME.docx`, `NAME.archive.xlsx`
//! and `NAME.annotated.xlsx` (with fixed times, so equal inputs give equal bytes); one
//! `summary.xlsx` over all of them.

use nianbao::convert::{convert, no_previous, Settings};
use nianbao::summary::Summary;
use nianbao::write::{annotate::annotate, summary::workbook};
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| ["xlsx", "xls", "xlsm", "ods"].contains(&x.to_str().unwrap_or(""))) {
            out.push(p);
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: dump_outputs OUT DIR...")?);
    std::fs::create_dir_all(&out)?;
    let mut inputs = Vec::new();
    for dir in args {
        walk(Path::new(&dir), &mut inputs);
    }
    inputs.sort();
    let settings = Settings { fixed_time: Some(1_700_000_000), ..Settings::default() };
    let mut summary = Summary::default();
    for path in &inputs {
        let bytes = std::fs::read(path)?;
        let name = path.to_string_lossy().replace('/', "__");
        match convert(&bytes, &name, &no_previous, &settings) {
            Ok(c) => {
                std::fs::write(out.join(format!("{name}.docx")), &c.docx)?;
                std::fs::write(out.join(format!("{name}.archive.xlsx")), &c.archive)?;
                let parsed = nianbao::read::parse(&bytes);
                if let Some(wb) = parsed.as_ref().ok().and_then(|p| nianbao::convert::workbook(p, &bytes)) {
                    match annotate(wb, &c.findings) {
                        Ok(a) => std::fs::write(out.join(format!("{name}.annotated.xlsx")), a)?,
                        Err(e) => std::fs::write(out.join(format!("{name}.annotated.err")), e.to_string())?,
                    }
                }
                summary.add_report(name, &c.report, &c.findings, false, None);
            }
            Err(e) => std::fs::write(out.join(format!("{name}.err")), e.to_string())?,
        }
    }
    std::fs::write(out.join("summary.xlsx"), workbook(&summary)?)?;
    println!("{} inputs → {}", inputs.len(), out.display());
    Ok(())
}
