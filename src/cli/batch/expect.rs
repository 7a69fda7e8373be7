//! `batch --expect LIST`: the list of agencies read from the disk before the batch starts
//! (a list that cannot be read stops it: the records office asked for the check), and the
//! agencies without a report folded into the summary at the end.

use crate::cli::fsio::read_input;
use nianbao::summary::{expect, Missing, Summary};
use std::path::Path;

/// The agencies on the list, or why it cannot be used.
pub(super) fn read_list(path: &Path) -> anyhow::Result<Vec<String>> {
    let shown = path.display();
    let bytes = read_input(path).map_err(|e| anyhow::anyhow!("无法读取名单 {shown}：{e}"))?;
    expect::parse_list(&bytes).map_err(|e| anyhow::anyhow!("无法读取名单 {shown}：{e}"))
}

/// The agencies of the list without a report of the batch's year (`year`: `--year`).
pub(super) fn missing(list: &[String], summary: &Summary, year: Option<i32>) -> Missing {
    Missing::of(list, summary, year)
}
