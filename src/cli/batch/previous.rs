//! `--previous-dir`: last year's reports of the agencies in a batch, for the cross-year checks:
//! workbooks, archives and published reports (web page, docx, PDF) alike, matched by agency.

use super::{discover, is_input_name};
use crate::cli::fsio::{display_name, name_text, read_input};
use nianbao::read;
use nianbao::Report;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Last year's reports by agency: every workbook of the folder, read once, kept by path.
pub(super) struct PreviousIndex {
    by_agency: BTreeMap<String, Vec<(i32, PathBuf)>>,
    opts: read::Options,
}

impl PreviousIndex {
    pub(super) fn build(dir: &Path, opts: &read::Options) -> anyhow::Result<Self> {
        let mut by_agency: BTreeMap<String, Vec<(i32, PathBuf)>> = BTreeMap::new();
        let found = discover(dir, None)?;
        for (rel, why) in &found.unreadable {
            eprintln!("警告：--previous-dir 中的 {}：{why}", crate::cli::fsio::path_text(rel));
        }
        for rel in found.files {
            if !rel.file_name().is_some_and(|n| is_input_name(&name_text(n))) {
                continue;
            }
            let path = dir.join(&rel);
            let Ok(bytes) = read_input(&path) else { continue };
            if let Ok(r) = read::read(&bytes, &display_name(&path), opts) {
                if let (Some(a), Some(y)) = (r.agency.value.clone(), r.year.value) {
                    by_agency.entry(a).or_default().push((y, path));
                }
            }
        }
        Ok(PreviousIndex { by_agency, opts: opts.clone() })
    }

    /// The report of the same agency for the year before (or the latest earlier year).
    pub(super) fn lookup(&self, r: &Report) -> Option<Report> {
        let (agency, year) = (r.agency.value.as_ref()?, r.year.value?);
        let (_, path) = self.by_agency.get(agency)?.iter().filter(|(y, _)| *y < year).max_by_key(|(y, _)| *y)?;
        let bytes = read_input(path).ok()?;
        read::read(&bytes, &display_name(path), &self.opts).ok()
    }
}
