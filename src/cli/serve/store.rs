//! Results kept in memory, least recently used dropped first, bounded by count and bytes;
//! and `--store`, which keeps every received workbook and its outputs on disk.

use super::super::fsio::{write_renamed, Durability};
use nianbao::finding::Finding;
use nianbao::Report;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The bounds of the issue: the last 500 results or 200 MB.
pub const MAX_RESULTS: usize = 500;
pub const MAX_BYTES: usize = 200 * 1024 * 1024;

/// One report's outputs: a workbook holding several agencies' reports has one each.
#[derive(Debug)]
pub struct Made {
    pub report: Report,
    pub findings: Vec<Finding>,
    pub docx: Vec<u8>,
    pub archive: Vec<u8>,
    /// Exactly the line `check --format json` prints for this report.
    pub json: String,
}

/// One upload's outputs.
#[derive(Debug)]
pub struct Entry {
    /// The result's id: the SHA-256 of everything that made it (see `handlers::result_id`).
    pub id: String,
    /// The workbook's own SHA-256.
    pub sha: String,
    /// Each report the upload holds, in workbook order: one, or one per agency.
    pub reports: Vec<Made>,
    /// The department's workbook with the finding cells of every report marked, when there
    /// are findings.
    pub annotated: Option<Vec<u8>>,
    /// What `/api/check` answers: for one report the line `check --format json` prints;
    /// for several, the array `check --format json-array` prints.
    pub json: String,
}

impl Entry {
    /// The annotated copy's file name: a workbook's marked copy, or for a published
    /// report (web page, Word document, PDF) an HTML page of its tables.
    pub fn annotated_file(&self) -> &'static str {
        if self.reports.iter().all(|m| !m.report.is_published()) {
            "annotated.xlsx"
        } else {
            "annotated.html"
        }
    }

    /// Whether the upload held several agencies' reports.
    pub fn several(&self) -> bool {
        self.reports.len() > 1
    }

    /// The report of `n` (from 1), for a page or a download of one of several.
    pub fn part(&self, n: usize) -> Option<&Made> {
        n.checked_sub(1).and_then(|i| self.reports.get(i))
    }

    /// What the entry holds, roughly: the outputs plus the reports, each about as large as
    /// its JSON.
    pub fn bytes(&self) -> usize {
        let reports: usize = self.reports.iter().map(|m| m.docx.len() + m.archive.len() + 2 * m.json.len()).sum();
        reports + self.annotated.as_ref().map_or(0, Vec::len) + self.json.len()
    }
}

pub struct Results {
    map: HashMap<String, (Arc<Entry>, u64)>,
    tick: u64,
    bytes: usize,
    max_count: usize,
    max_bytes: usize,
}

impl Results {
    pub fn new(max_count: usize, max_bytes: usize) -> Self {
        Results { map: HashMap::new(), tick: 0, bytes: 0, max_count: max_count.max(1), max_bytes }
    }

    pub fn get(&mut self, id: &str) -> Option<Arc<Entry>> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(id).map(|(e, t)| {
            *t = tick;
            e.clone()
        })
    }

    /// The most recently used result of the workbook with this SHA-256.
    pub fn latest_of(&mut self, sha: &str) -> Option<Arc<Entry>> {
        let id = self.map.values().filter(|(e, _)| e.sha == sha).max_by_key(|(_, t)| *t).map(|(e, _)| e.id.clone())?;
        self.get(&id)
    }

    pub fn insert(&mut self, e: Arc<Entry>) {
        self.tick += 1;
        if let Some((old, _)) = self.map.remove(&e.id) {
            self.bytes -= old.bytes();
        }
        self.bytes += e.bytes();
        self.map.insert(e.id.clone(), (e, self.tick));
        // The newest is kept even when it alone is over the byte bound.
        while self.map.len() > self.max_count || (self.bytes > self.max_bytes && self.map.len() > 1) {
            let Some(oldest) = self.map.iter().min_by_key(|(_, (_, t))| *t).map(|(k, _)| k.clone()) else { break };
            if let Some((old, _)) = self.map.remove(&oldest) {
                self.bytes -= old.bytes();
            }
        }
    }

    #[cfg(test)]
    fn ids(&self) -> Vec<String> {
        let mut v: Vec<_> = self.map.keys().cloned().collect();
        v.sort();
        v
    }
}

/// Writes `DIR/<result id>/` as `watch` writes: each file under a temporary name, then renamed.
/// The input keeps the extension of its format; nothing of a request's names is used. One
/// report's outputs lie beside the input; several reports' each in a folder `N/` (from 1,
/// in workbook order), `report.json` and the annotated copy beside the input.
pub fn keep(dir: &Path, input: &[u8], e: &Entry) -> std::io::Result<()> {
    let folder = dir.join(&e.id);
    let ext = nianbao::read::open::sniff(input).map_or("bin", |f| match f {
        nianbao::read::Format::Xlsx => "xlsx",
        nianbao::read::Format::Xls => "xls",
        nianbao::read::Format::Ods => "ods",
    });
    write_renamed(&folder.join(format!("input.{ext}")), input, Durability::Now)?;
    for (path, bytes) in files(e) {
        write_renamed(&folder.join(path), bytes, Durability::Now)?;
    }
    Ok(())
}

/// The outputs of an entry by their path in `--store`'s folder and in `/api/convert`'s zip:
/// `report.docx`, `archive.xlsx`, `report.json` for one report; for several, `report.json`
/// (every report) and `N/report.docx`, `N/archive.xlsx`, `N/report.json` each; then the
/// annotated copy, when there is one.
pub fn files(e: &Entry) -> Vec<(String, &[u8])> {
    let mut out: Vec<(String, &[u8])> = Vec::new();
    match e.reports.as_slice() {
        [one] => {
            out.push(("report.docx".into(), &one.docx));
            out.push(("archive.xlsx".into(), &one.archive));
            out.push(("report.json".into(), e.json.as_bytes()));
        }
        several => {
            out.push(("report.json".into(), e.json.as_bytes()));
            for (i, m) in several.iter().enumerate() {
                out.push((format!("{}/report.docx", i + 1), &m.docx));
                out.push((format!("{}/archive.xlsx", i + 1), &m.archive));
                out.push((format!("{}/report.json", i + 1), m.json.as_bytes()));
            }
        }
    }
    if let Some(a) = &e.annotated {
        out.push((e.annotated_file().into(), a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao::Edition;

    fn entry(id: &str, size: usize) -> Arc<Entry> {
        let made = Made {
            report: Report::blank(Edition::E2021),
            findings: Vec::new(),
            docx: vec![0; size],
            archive: Vec::new(),
            json: String::new(),
        };
        Arc::new(Entry { id: id.into(), sha: String::new(), reports: vec![made], annotated: None, json: String::new() })
    }

    #[test]
    fn least_recently_used_goes_first_by_count_and_by_bytes() {
        let mut r = Results::new(2, 1000);
        r.insert(entry("a", 10));
        r.insert(entry("b", 10));
        assert!(r.get("a").is_some());
        r.insert(entry("c", 10));
        assert_eq!(r.ids(), ["a", "c"]);
        r.insert(entry("d", 995));
        assert_eq!(r.ids(), ["d"]);
        assert_eq!(r.bytes, 995);
    }
}
