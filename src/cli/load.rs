//! Loading what a command reads besides its inputs: the reader's options from the
//! command line, and last year's report.

use super::fsio::{display_name, read_input};
use super::ReadArgs;
use nianbao::{read, Report};
use std::path::Path;

pub fn read_options(args: &ReadArgs) -> read::Options {
    read::Options {
        agency: args.agency.clone(),
        year: args.year,
        edition: args.edition.map(nianbao::Edition::from),
        sheet: args.sheet.clone(),
        explain: false,
    }
}

/// Reads last year's workbook or archive for the cross-year rules.
pub fn read_previous(path: &Path, opts: &read::Options) -> anyhow::Result<Report> {
    let name = display_name(path);
    let bytes = read_input(path).map_err(|m| anyhow::anyhow!("无法读取上年报告 {name}：{m}"))?;
    if super::fsio::written_by_nianbao(&bytes) == Some(super::fsio::Own::Summary) {
        anyhow::bail!("无法读取上年报告 {name}：{}", super::fsio::SUMMARY_NOT_A_REPORT);
    }
    // --sheet names a sheet of this year's workbook, not of last year's.
    let opts = read::Options { sheet: None, ..opts.clone() };
    read::read(&bytes, &name, &opts).map_err(|e| anyhow::anyhow!("无法读取上年报告 {name}：{e}"))
}
