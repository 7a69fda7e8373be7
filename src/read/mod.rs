//! Reading: any workbook's bytes → one typed [`Report`]. Tables are found by their labels,
//! the edition by which labels are there, metadata and narrative by labelled cells.

pub mod choose;
mod duplicate;
pub mod formula;
mod guard;
pub mod hidden;
pub mod index;
pub mod label;
mod list;
mod macrosheet;
pub mod mail;
mod meta;
mod near;
pub mod open;
mod place;
pub mod published;
mod reports;
mod shapes;
mod sheet;
mod subtotal;
mod table;
pub mod tables;
pub mod value;
mod xlsx;
pub mod years;
mod zipped;

use crate::cell::CellRef;
use crate::error::ReadError;
use crate::form::{self, info, Edition, Form, Kind};
use crate::model::{Contact, Fee, Narrative, Report, Text};
use index::{Hit, Index};
use label::Pattern;
use sha2::{Digest, Sha256};
use value::Raw;

pub use meta::parse_title;
pub use open::Format;

/// What the command line adds to what the workbook says.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Used where the workbook names no agency.
    pub agency: Option<String>,
    /// Used where the workbook names no year.
    pub year: Option<i32>,
    /// Forces the edition instead of telling it from the labels.
    pub edition: Option<Edition>,
    /// Reads the tables on this sheet where the workbook holds more than one set.
    pub sheet: Option<String>,
    /// Builds the report's read map (every number's cell and the labels it was read
    /// under) for `check --explain`: a tenth of the read's time, so only when asked.
    pub explain: bool,
}

/// Reads a workbook, or a published report (web page, Word document, PDF) laid out as
/// one, from its bytes. `file` is the name the report carries.
pub fn read(bytes: &[u8], file: &str, opts: &Options) -> Result<Report, ReadError> {
    read_parsed(&parse(bytes)?, bytes, file, opts)
}

/// A file parsed once, for the reader and for whatever else needs its cells (the
/// annotator's copy of an xls or ods), so nothing opens it twice.
pub enum Parsed {
    /// A workbook: its format (an xlsx is annotated by patching its parts) and its sheets,
    /// uncalculated formulas evaluated where they can be.
    Workbook { format: Format, sheets: Vec<open::Sheet> },
    /// A published report laid out as sheets.
    Published(published::Published),
}

/// Parses a file's bytes: a workbook's sheets, or a published report's tables as sheets.
pub fn parse(bytes: &[u8]) -> Result<Parsed, ReadError> {
    Ok(match published::detect(bytes) {
        Some(kind) => Parsed::Published(published::open(bytes, kind)?),
        None => {
            let (format, mut sheets) = open::open(bytes)?;
            formula::resolve(&mut sheets);
            Parsed::Workbook { format, sheets }
        }
    })
}

/// Reads the report of a parsed file; `bytes` are the file's, for its digest.
pub fn read_parsed(parsed: &Parsed, bytes: &[u8], file: &str, opts: &Options) -> Result<Report, ReadError> {
    match parsed {
        Parsed::Published(p) => {
            let mut report = read_sheets(&p.sheets, bytes, file, opts).map_err(|e| p.refusal(e))?;
            report.printed = p.tables.clone();
            Ok(report)
        }
        Parsed::Workbook { sheets, .. } => read_sheets(sheets, bytes, file, opts),
    }
}

/// Reads every report a workbook holds: one per agency where it holds several agencies'
/// tables (a sheet or a block each, told apart by the agency their titles name), in
/// workbook order, each from its own part of the workbook; else the one report `read`
/// gives. With `--sheet`, the one report that names.
pub fn read_all(bytes: &[u8], file: &str, opts: &Options) -> Result<Vec<Report>, ReadError> {
    read_all_parsed(&parse(bytes)?, bytes, file, opts)
}

/// [`read_all`] of a file parsed already (the per-input conversion keeps the parse for
/// the annotated copy).
pub fn read_all_parsed(parsed: &Parsed, bytes: &[u8], file: &str, opts: &Options) -> Result<Vec<Report>, ReadError> {
    let sheets = match parsed {
        Parsed::Workbook { sheets, .. } if opts.sheet.is_none() => sheets,
        _ => return read_parsed(parsed, bytes, file, opts).map(|r| vec![r]),
    };
    match read_one(sheets, bytes, file, opts) {
        Err(ReadError::SeveralReports { .. }) => split(sheets, opts)?
            .iter()
            .map(|p| {
                read_one(&p.sheets(sheets), bytes, file, opts).map_err(|e| ReadError::InPart {
                    place: p.place.clone(),
                    agency: p.agency.clone(),
                    error: Box::new(e),
                })
            })
            .collect(),
        r => r.map(|r| vec![r]),
    }
}

/// The agencies' parts of a workbook that holds several reports.
fn split(sheets: &[open::Sheet], opts: &Options) -> Result<Vec<reports::Part>, ReadError> {
    let mut ix = Index::new(sheets);
    let (edition, report_year) = setting(&ix, opts)?;
    // The tables are found as each part's read finds them: labels a character off too.
    ix.set_near(near::near_labels(&ix, edition.form()));
    let kinds = choose::all_candidates(&ix, edition.form(), report_year)?;
    Ok(choose::parts(&ix, &kinds))
}

/// The edition, and the report year that decides between two places for one number.
fn setting(ix: &Index, opts: &Options) -> Result<(Edition, Option<i32>), ReadError> {
    let edition = match opts.edition {
        Some(e) => e,
        None => detect_edition(ix)?,
    };
    // The year the workbook's 基本信息 names decides between sets of tables, as --year does.
    let info_year = || labelled(ix, &[info::YEAR], true).and_then(|(_, r)| parse_year(&r));
    // Else the titles, where they all name one year.
    Ok((edition, opts.year.or_else(info_year).or_else(|| years::titles_year(ix))))
}

/// Reads the report from its sheets; `bytes` are the file's, for its digest. Where the
/// workbook holds several agencies' reports, `--sheet` reads the one its sheet or cell is in.
fn read_sheets(sheets: &[open::Sheet], bytes: &[u8], file: &str, opts: &Options) -> Result<Report, ReadError> {
    let e = match read_one(sheets, bytes, file, opts) {
        Err(e @ ReadError::SeveralReports { .. }) => e,
        r => return r,
    };
    let Some(name) = opts.sheet.as_deref() else { return Err(e) };
    let ix = Index::new(sheets);
    let (sheet, cell) = choose::named_place(&ix, name)?;
    let parts = split(sheets, opts)?;
    let holding: Vec<&reports::Part> = parts.iter().filter(|p| p.holds(sheet, cell.map(|c| c.0))).collect();
    let [part] = holding.as_slice() else { return Err(e) };
    let mut report = read_one(&part.sheets(sheets), bytes, file, opts)?;
    // The other agencies' parts were left: said as any choice of sheets is.
    let others = parts.iter().filter(|p| p.place != part.place).map(|p| format!("{}（{}）", p.place, p.agency));
    match &mut report.read_choice {
        Some(c) => c.left.extend(others),
        None => {
            report.read_choice = Some(crate::model::ReadChoice {
                taken: vec![part.place.clone()],
                left: others.collect(),
                reason: "按 --sheet 指定".into(),
            })
        }
    }
    Ok(report)
}

/// Reads the one report of these sheets.
fn read_one(sheets: &[open::Sheet], bytes: &[u8], file: &str, opts: &Options) -> Result<Report, ReadError> {
    let mut ix = Index::new(sheets);
    let (edition, report_year) = setting(&ix, opts)?;
    let form = edition.form();
    let near = near::near_labels(&ix, form);
    ix.set_near(near);
    let mut report = Report::blank(edition);
    report.file = file.to_string();
    report.sha256 = sha256_hex(bytes);

    let chosen = choose::choose(&ix, form, opts.sheet.as_deref(), report_year)?;
    // Only `check --explain` shows it: a tenth of the read's time.
    let mut map = if opts.explain { read_map(&ix, form, &chosen) } else { Vec::new() };
    // Every label a character or so off that a table was read under is said.
    let tables = [
        (form::SectionId::Active, &chosen.active),
        (form::SectionId::Requests, &chosen.requests),
        (form::SectionId::ReviewLitigation, &chosen.review),
    ];
    let near_notes: Vec<_> =
        tables.iter().flat_map(|(id, t)| near::notes(&ix, t, form::section(*id).heading)).collect();
    let (active_span, requests_span, review_span) = (chosen.active.span, chosen.requests.span, chosen.review.span);
    report.active = chosen.active.values;
    report.requests = chosen.requests.values;
    report.review = chosen.review.values;
    report.unknown_labels = chosen.requests.unknown;
    report.read_choice = chosen.choice;
    report.read_notes = chosen.notes;
    report.read_notes.extend(near_notes);
    report.subtotals = chosen.requests.subtotals;
    // Last year's copy names last year: its title is not this report's.
    for s in chosen.left_sheets {
        ix.skip[s] = true;
    }

    {
        let span = active_span;
        // Stop at whichever table comes next on the same sheet.
        let next = [requests_span, review_span]
            .iter()
            .filter(|s| s.sheet == span.sheet && s.first_row > span.last_row)
            .map(|s| s.first_row)
            .min();
        let next_heading = ix
            .find(form::section(form::SectionId::Requests).heading, None)
            .into_iter()
            .chain(ix.find(form::REQUESTS_NOTE, None))
            .filter(|h| h.sheet == span.sheet && h.row > span.last_row)
            .map(|h| h.row)
            .min();
        let stop = match (next, next_heading) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        report.active_extra = tables::read_active_extra(&ix, span, stop, &known_labels(form));
    }

    meta::read_meta(&ix, opts, &mut report);
    if opts.explain {
        for (field, cell) in [("agency", &report.agency.cell), ("year", &report.year.cell)] {
            if let Some(c) = cell {
                let label = sheets
                    .iter()
                    .find(|s| s.name == c.sheet)
                    .map(|s| s.get(c.row, c.col).text().trim().to_string())
                    .unwrap_or_default();
                map.push(crate::model::ReadEntry { field: field.into(), cell: c.clone(), label });
            }
        }
    }
    // Cells the form lacks are listed, never read as the form's.
    if opts.explain {
        for s in &report.subtotals {
            if let Some(cell) = &s.value.cell {
                let (field, label) = match s.kind {
                    crate::model::SubtotalKind::Sum => {
                        ("extra.subtotal", format!("{}（官方表格没有此列，只按“{}”各列之和核对）", s.label, s.of))
                    }
                    crate::model::SubtotalKind::Part => {
                        ("extra.of_which", format!("{}（官方表格没有此行，只核对不大于“{}”行）", s.label, s.of))
                    }
                    crate::model::SubtotalKind::PartOfSeveral => (
                        "extra.of_which",
                        format!("{}（官方表格没有此行，只核对与同级的“其中”行之和不大于“{}”行）", s.label, s.of),
                    ),
                    // The row's own cell, read as the form's.
                    crate::model::SubtotalKind::Parts => continue,
                };
                map.push(crate::model::ReadEntry { field: field.into(), cell: cell.clone(), label });
            }
        }
    }
    report.read_map = map;
    report.text = read_narrative(&ix);
    report.contact = read_contact(&ix);
    if edition == Edition::E2021 {
        report.fee = read_fee(&ix);
    }
    Ok(report)
}

/// Every number read with its cell and the label texts it was read under.
fn read_map(ix: &Index, form: &Form, c: &choose::Chosen) -> Vec<crate::model::ReadEntry> {
    let text = |(s, r, col): index::Pos| ix.raw(s, r, col).text().split_whitespace().collect::<String>();
    let mut out = Vec::new();
    let mut push = |field: String, v: &crate::model::Value, labels: Option<&(index::Pos, index::Pos)>| {
        if let (Some(cell), Some(&(row, col))) = (&v.cell, labels) {
            out.push(crate::model::ReadEntry {
                field,
                cell: cell.clone(),
                label: format!("{} / {}", text(row), text(col)),
            });
        }
    };
    for (i, (block, row)) in form.active_rows().enumerate() {
        for (ci, col) in block.columns.iter().enumerate() {
            if let Some(v) = c.active.values.get(i).and_then(|r| r.get(ci)) {
                let l = c.active.labels.get(i).and_then(|r| r.get(ci));
                push(format!("active.{}.{}", row.id, col.id), v, l);
            }
        }
    }
    for (i, row) in form.requests_rows.iter().enumerate() {
        for (ci, col) in form.requests_columns.iter().enumerate() {
            if let Some(v) = c.requests.values.get(i).and_then(|r| r.get(ci)) {
                let l = c.requests.labels.get(i).and_then(|r| r.get(ci));
                push(format!("requests.{}.{}", row.id, col.id), v, l);
            }
        }
    }
    for (i, group) in form.review_groups.iter().enumerate() {
        for (ci, col) in form.review_columns.iter().enumerate() {
            if let Some(v) = c.review.values.get(i).and_then(|r| r.get(ci)) {
                let l = c.review.labels.get(i).and_then(|r| r.get(ci));
                push(format!("review_litigation.{}.{}", group.id, col.id), v, l);
            }
        }
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Labels that are part of the form, never an agency's extra line.
fn known_labels(form: &Form) -> Vec<Pattern> {
    let mut v: Vec<Pattern> = form::SECTIONS.iter().map(|s| Pattern::new(s.heading)).collect();
    v.push(Pattern::new(form::REQUESTS_NOTE));
    v.push(Pattern::new(form::REQUESTS_APPLICANT));
    for b in form.active {
        v.push(Pattern::new(b.heading));
    }
    v
}

/// Tells the edition from the labels only one edition has.
fn detect_edition(ix: &Index) -> Result<Edition, ReadError> {
    let labels = |f: &Form| -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        for (b, r) in f.active_rows() {
            v.push(r.label);
            v.extend(b.columns.iter().map(|c| c.label));
        }
        v.extend(f.requests_rows.iter().map(|r| r.label));
        v
    };
    let (l19, l21) = (labels(&form::FORM_2019), labels(&form::FORM_2021));
    // Visible sheets first: a hidden old copy may be of the other edition.
    let only = |a: &[&'static str], b: &[&'static str], visible: bool| -> usize {
        a.iter()
            .filter(|l| !b.contains(l))
            .filter(|l| ix.find(l, None).iter().any(|h| h.score >= 80 && !(visible && ix.sheets[h.sheet].hidden)))
            .count()
    };
    let (mut s19, mut s21) = (only(&l19, &l21, true), only(&l21, &l19, true));
    if s19 == s21 {
        (s19, s21) = (only(&l19, &l21, false), only(&l21, &l19, false));
    }
    if s19 > s21 {
        return Ok(Edition::E2019);
    }
    if s21 > s19 {
        return Ok(Edition::E2021);
    }
    // No telling labels: the 基本信息 sheet may say, or the year.
    if let Some((_, raw)) = labelled(ix, &[info::EDITION], true) {
        if let Some(e) = Edition::parse(&raw.text()) {
            return Ok(e);
        }
    }
    // A report of unknown edition still has the labels both editions share; another
    // form has hardly any, and is told what it is rather than asked for an edition.
    if official_labels_found(ix) < MIN_REPORT_LABELS {
        return Err(ReadError::NotAReport { found: found_instead(ix) });
    }
    Err(ReadError::EditionUnknown)
}

/// Fewer official labels than this (of four characters or more, matched closely) and the
/// workbook is no report: table 四 alone has six.
const MIN_REPORT_LABELS: usize = 5;

/// How many distinct labels of either edition's tables stand somewhere in the workbook.
fn official_labels_found(ix: &Index) -> usize {
    let mut labels: Vec<&'static str> = Vec::new();
    for f in [&form::FORM_2019, &form::FORM_2021] {
        labels.extend(form::SECTIONS.iter().map(|s| s.heading));
        for (b, r) in f.active_rows() {
            labels.push(b.heading);
            labels.push(r.label);
            labels.extend(b.columns.iter().map(|c| c.label));
        }
        labels.extend(f.requests_rows.iter().map(|r| r.label));
        labels.extend(f.requests_columns.iter().map(|c| c.label));
        labels.extend(f.review_groups.iter().map(|g| g.label));
        labels.extend(f.review_columns.iter().map(|c| c.label));
    }
    labels.sort_unstable();
    labels.dedup();
    labels
        .iter()
        .filter(|l| Pattern::new(l).bare_chars >= 4)
        .filter(|l| ix.find(l, None).iter().any(|h| h.score >= 80))
        .count()
}

/// What a workbook that is no report holds: its sheets' names and its first text, which
/// is usually its title.
fn found_instead(ix: &Index) -> String {
    let mut found = format!("工作表：{}", ix.sheet_names());
    let first = ix.sheets.iter().filter(|s| !s.hidden).find_map(|s| {
        s.cells.values().find_map(|raw| raw.as_str().map(str::trim).filter(|t| !t.is_empty() && t.chars().count() >= 4))
    });
    if let Some(t) = first {
        let short: String = t.chars().take(40).collect();
        let more = if short.len() < t.len() { "…" } else { "" };
        found.push_str(&format!("；标题：“{short}{more}”"));
    }
    found
}

/// The value of a labelled cell: right of the label, or after a colon in the same cell.
/// `info_sheet` limits the search to the 基本信息 sheet.
pub(super) fn labelled(ix: &Index, labels: &[&'static str], info_sheet: bool) -> Option<(CellRef, Raw)> {
    labelled_scan(ix, labels, info_sheet, false).pop()
}

/// Every labelled cell's value, in the order of `labels` and then of the workbook; only
/// the first where `all` is false.
pub(super) fn labelled_scan(ix: &Index, labels: &[&'static str], info_sheet: bool, all: bool) -> Vec<(CellRef, Raw)> {
    let mut out = Vec::new();
    for l in labels {
        let p = Pattern::of(l);
        for t in &ix.texts {
            if (info_sheet && Some(t.sheet) != ix.info_sheet) || ix.skip[t.sheet] {
                continue;
            }
            // Without a colon only a score of 90 or more counts, which needs the same bare
            // label: other lengths are skipped before any comparison.
            if t.colon.is_none() && t.forms.bare_chars != p.bare_chars {
                continue;
            }
            let sheet = &ix.sheets[t.sheet];
            // `填报单位：某某局` in one cell.
            if let Some(colon) = &t.colon {
                if !colon.tail_empty && label::score_cell(&colon.head, p) >= 90 {
                    if let Raw::Str(s) = sheet.get(t.row, t.col) {
                        let v = s.split_once(['：', ':']).map_or("", |x| x.1).trim().to_string();
                        if !v.is_empty() {
                            out.push((CellRef::new(sheet.name.clone(), t.row, t.col), Raw::Str(v)));
                            if !all {
                                return out;
                            }
                            continue;
                        }
                    }
                }
            }
            // `填报单位：` with the value in the next cell.
            let s = match t.colon.as_ref().and_then(|c| c.trimmed.as_ref()) {
                Some(trimmed) => label::score_cell(trimmed, p),
                None => label::score_cell(&t.forms, p),
            };
            if s >= 90 {
                let hit = Hit { sheet: t.sheet, row: t.row, col: t.col, score: 100 };
                if let Some((c, raw)) = ix.value_right_of(hit, 4) {
                    out.push((CellRef::new(sheet.name.clone(), t.row, c), raw.clone()));
                    if !all {
                        return out;
                    }
                }
            }
        }
    }
    out
}

pub(super) fn parse_year(raw: &Raw) -> Option<i32> {
    let t = raw.text();
    let digits: String = t.chars().map(crate::number::ascii_digit).filter(char::is_ascii_digit).collect();
    let y: i32 = digits.get(..4)?.parse().ok()?;
    (2000..=2100).contains(&y).then_some(y)
}

fn text_of(ix: &Index, label: &'static str) -> Text {
    match labelled(ix, &[label], false) {
        Some((cell, raw)) => Text { text: clean_text(&continued(ix, &cell, raw.text())), cell: Some(cell) },
        None => Text::default(),
    }
}

/// A text of the 基本信息 sheet with the rows that continue it: the archive prints a long
/// part over several rows under one merged label, so the value cells below whose label cell
/// is empty belong to it. The parts join as written (each carries its own line breaks).
fn continued(ix: &Index, cell: &CellRef, first: String) -> String {
    let Some(s) = ix.info_sheet.filter(|&s| ix.sheets[s].name == cell.sheet) else { return first };
    let Some(label_col) = cell.col.checked_sub(1) else { return first };
    let mut text = first;
    for row in cell.row + 1.. {
        let next = ix.raw(s, row, cell.col);
        if *ix.raw(s, row, label_col) != Raw::Empty || *next == Raw::Empty {
            break;
        }
        text.push_str(&next.text());
    }
    text
}

/// Line breaks as `\n`, no trailing blanks.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn read_narrative(ix: &Index) -> Narrative {
    let mut parts: Vec<String> = Vec::new();
    let intro = text_of(ix, info::OVERVIEW);
    let mut cell = intro.cell.clone();
    if !intro.is_empty() {
        parts.push(intro.text);
    }
    let more = [info::OVERVIEW_MORE];
    for head in form::OVERVIEW_SUBHEADS.iter().chain(more.iter()) {
        let t = text_of(ix, head);
        if t.is_empty() {
            continue;
        }
        cell = cell.or(t.cell.clone());
        let body = t.text;
        if body.starts_with('（') || body.starts_with('(') || head == &info::OVERVIEW_MORE {
            parts.push(body);
        } else {
            parts.push(format!("{head}。{body}"));
        }
    }
    Narrative {
        overview: Text { text: parts.join("\n"), cell },
        problems: text_of(ix, info::PROBLEMS),
        other_matters: text_of(ix, info::OTHER_MATTERS),
    }
}

fn read_contact(ix: &Index) -> Contact {
    let get =
        |l: &'static str| labelled(ix, &[l], true).map(|(_, r)| r.text().trim().to_string()).filter(|s| !s.is_empty());
    Contact {
        website: get(info::WEBSITE),
        office: get(info::OFFICE),
        address: get(info::ADDRESS),
        postcode: get(info::POSTCODE),
        phone: get(info::PHONE),
    }
}

fn read_fee(ix: &Index) -> Fee {
    let get = |l: &'static str, kind: Kind| {
        labelled(ix, &[l], false).map(|(cell, raw)| {
            let mut v = value::parse(&raw, kind);
            v.cell = Some(cell);
            v
        })
    };
    Fee { count: get(info::FEE_COUNT, Kind::Count), amount: get(info::FEE_AMOUNT, Kind::Amount) }
}
