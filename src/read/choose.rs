//! Choosing the tables where a workbook holds more than one candidate for them: a hidden
//! sheet with last year's figures, sheets `2022年` and `2023年`, a glossary repeating the
//! labels, one sheet per township. The choice is deliberate and said (READ-CHOICE), never
//! the first match in sheet order.

use super::index::{Hit, Index, Pos};
use super::tables::{self, Table};
use super::years::{self, Mark};
use crate::error::ReadError;
use crate::form::{Form, SectionId};
use crate::model::{NoteKind, ReadChoice, ReadNote};

/// The tables taken, which choice was made, and the sheets left out.
pub struct Chosen {
    pub active: Table,
    pub requests: Table,
    pub review: Table,
    pub choice: Option<ReadChoice>,
    /// Sheets holding only tables that were not taken: their title or year is no report's.
    pub left_sheets: Vec<usize>,
    /// What was decided inside the tables taken, and between two copies on one sheet.
    pub notes: Vec<ReadNote>,
}

/// What a sheet says about the set of tables on it: tables on sheets with the same tag
/// belong to one set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag {
    hidden: bool,
    year: Option<i32>,
    agency: Option<String>,
    /// `上年` or `本年` in the sheet's name (`上年`, `去年`, `上一年度`; `本年`, `今年`),
    /// where its title names no year.
    mark: Option<Mark>,
}

impl Tag {
    /// Whether the sheet says it is the report year's.
    fn is_report(&self, report_year: Option<i32>) -> bool {
        (report_year.is_some() && self.year == report_year) || self.mark == Some(Mark::Current)
    }

    /// Whether the sheet says it is another year's: named `上年`, or naming a year other
    /// than the report's.
    fn is_other(&self, report_year: Option<i32>) -> bool {
        self.mark == Some(Mark::Previous) || (report_year.is_some() && self.year.is_some() && self.year != report_year)
    }
}

/// What a sheet says about its tables' year and agency: the year its own title writes
/// (`某某局2023年度…`), else the one its name writes (`2022年`, `上年`, `本年`), as strong
/// as a heading over a block. `上年` is the year before the report year, `本年` the
/// report year.
fn tag(ix: &Index, sheet: usize, report_year: Option<i32>) -> Tag {
    let title = ix
        .texts
        .iter()
        .filter(|t| t.sheet == sheet)
        .find_map(|t| ix.raw(t.sheet, t.row, t.col).as_str().and_then(super::parse_title));
    let (hidden, agency) = (ix.sheets[sheet].hidden, title.as_ref().and_then(|t| t.0.clone()));
    if let Some((_, y)) = title {
        return Tag { hidden, year: Some(y), agency, mark: None };
    }
    let (year, mark) = match years::column_mark(&ix.sheets[sheet].name) {
        Some(Mark::Year(y)) => (Some(y), None),
        Some(Mark::Previous) => (report_year.map(|y| y - 1), Some(Mark::Previous)),
        Some(Mark::Current) => (report_year, Some(Mark::Current)),
        None => (None, None),
    };
    Tag { hidden, year, agency, mark }
}

/// How many cells of a sheet are numbers: of two failed candidates, the one on the sheet
/// with numbers names the error (a glossary sheet has none).
fn sheet_numbers(ix: &Index, sheet: usize) -> usize {
    ix.sheets[sheet]
        .cells
        .values()
        .filter(|r| matches!(r, super::value::Raw::Int(_) | super::value::Raw::Float(_)))
        .count()
}

/// The candidates of one table, and the error to show if there is none.
fn candidates(
    ix: &Index,
    report_year: Option<i32>,
    attempts: impl Iterator<Item = (usize, Result<Table, ReadError>)>,
    none: impl FnOnce() -> ReadError,
) -> Result<Vec<Table>, ReadError> {
    let mut ok = Vec::new();
    let mut errs: Vec<(usize, ReadError)> = Vec::new();
    for (sheet, r) in attempts {
        match r {
            Ok(t) => ok.push(t),
            Err(e) => errs.push((sheet, e)),
        }
    }
    // A table found with two places for its numbers and nothing to tell them apart: no
    // other copy (last year's block, another sheet) is read in its place.
    if let Some(i) =
        errs.iter().position(|(_, e)| matches!(e, ReadError::Ambiguous { .. } | ReadError::SameYear { .. }))
    {
        return Err(errs.swap_remove(i).1);
    }
    // This year's table broken on a visible sheet and last year's hidden copy whole: the
    // hidden copy is not read in its place (a report of last year's figures); the visible
    // sheet's error is shown.
    let visible_err = errs
        .iter()
        .enumerate()
        .filter(|(_, (s, _))| !ix.sheets[*s].hidden && sheet_numbers(ix, *s) > 0)
        .filter(|_| !ok.is_empty() && ok.iter().all(|t| ix.sheets[t.span.sheet].hidden))
        .max_by_key(|(_, (s, _))| sheet_numbers(ix, *s))
        .map(|(i, _)| i);
    if let Some(i) = visible_err {
        return Err(errs.swap_remove(i).1);
    }
    // Likewise on one sheet: this year's table there could not be read, and every copy that
    // could stands under a heading naming another year than the report's (last year's
    // block below): that copy is not read in its place.
    let other_year = |t: &Table| {
        let heading = years::heading_year(ix, (t.anchor.sheet, t.anchor.row, t.anchor.col)).map(|m| m.0);
        report_year.is_some() && heading.is_some() && heading != report_year
    };
    if !ok.is_empty() && ok.iter().all(other_year) {
        if let Some(i) = errs.iter().position(|(s, _)| ok.iter().any(|t| t.span.sheet == *s)) {
            return Err(errs.swap_remove(i).1);
        }
    }
    if ok.is_empty() {
        // Counted only here: while some candidate reads, the failures say nothing.
        let mut best: Option<(usize, ReadError)> = None;
        for (sheet, e) in errs {
            let n = sheet_numbers(ix, sheet);
            if best.as_ref().is_none_or(|(m, _)| n > *m) {
                best = Some((n, e));
            }
        }
        return Err(best.map_or_else(none, |(_, e)| e));
    }
    // A block of labels with no numbers beside it is not a table while a table exists.
    if ok.iter().any(|t| !t.is_label_block()) {
        ok.retain(|t| !t.is_label_block());
    }
    Ok(ok)
}

/// Every candidate of the three tables: section 二, table 三, table 四.
pub fn all_candidates(ix: &Index, form: &Form, report_year: Option<i32>) -> Result<[Vec<Table>; 3], ReadError> {
    // Section 二 sheet by sheet; failing that, each row wherever it is (blocks spread over
    // several sheets). With no sheet holding any of it, that read names what is missing.
    let active_sheets = tables::active_sheets(ix, form);
    let anywhere = || tables::read_active(ix, form, None);
    let per_sheet: Vec<(usize, Result<Table, ReadError>)> = active_sheets
        .iter()
        .flat_map(|&s| tables::active_bands(ix, form, s).into_iter().map(move |b| (s, b)))
        .map(|(s, band)| (s, tables::read_active(ix, form, Some((s, band)))))
        .collect();
    // Rows gathered from anywhere are for blocks spread over sheets, where no copy is whole;
    // where one is and was refused (this year's copy broken, last year's whole), gathering
    // would take the broken row from the other copy.
    let whole = per_sheet.iter().any(|(_, r)| r.is_ok());
    let active = match candidates(ix, report_year, per_sheet.into_iter(), || {
        anywhere().err().unwrap_or(ReadError::EditionUnknown)
    }) {
        Ok(ts) => ts,
        Err(e) if whole => return Err(e),
        Err(e) => match anywhere() {
            Ok(t) => vec![t],
            Err(_) => return Err(e),
        },
    };
    let anchors: Vec<Hit> = tables::requests_anchors(ix, form).into_iter().take(16).collect();
    let requests = candidates(
        ix,
        report_year,
        anchors.iter().map(|&h| (h.sheet, tables::requests_at(ix, form, h, report_year))),
        || tables::requests_not_found(ix),
    )?;
    let anchors: Vec<Hit> = tables::review_anchors(ix, form).into_iter().take(16).collect();
    let review = candidates(
        ix,
        report_year,
        anchors.iter().map(|&h| (h.sheet, super::shapes::review_any(ix, form, h, report_year))),
        || tables::review_not_found(ix),
    );
    // No `行政复议` cell of its own: table 四 as a list whose cells name group and result
    // together (`行政复议-结果维持`).
    let review = match review {
        Err(e) if anchors.is_empty() => {
            let copies: Vec<Table> =
                super::list::review_list(ix, form, None).into_iter().map(|(_, t)| t).collect::<Result<_, _>>()?;
            if copies.is_empty() {
                return Err(e);
            }
            copies
        }
        r => r?,
    };
    Ok([active, requests, review])
}

/// The agencies' parts of the workbook (issue 25 §5), from where its tables stand.
pub fn parts(ix: &Index, kinds: &[Vec<Table>; 3]) -> Vec<super::reports::Part> {
    let at: Vec<Pos> = kinds.iter().flatten().map(|t| (t.anchor.sheet, t.anchor.row, t.anchor.col)).collect();
    super::reports::parts(ix, &at)
}

/// Every candidate of the three tables, then the set to take.
pub fn choose(ix: &Index, form: &Form, sheet: Option<&str>, report_year: Option<i32>) -> Result<Chosen, ReadError> {
    let (named, named_cell) = match sheet {
        Some(name) => {
            let (i, cell) = named_place(ix, name)?;
            (Some(i), cell)
        }
        None => (None, None),
    };
    let kinds = all_candidates(ix, form, report_year)?;
    only_other_copies(ix, &kinds, report_year)?;
    // Several agencies' reports are not one report; `read_all` reads each, and `--sheet`
    // names one (read through its part, so its title gives agency and year).
    let several = parts(ix, &kinds);
    if several.len() > 1 {
        let (sheets, hint) = super::reports::described(&several);
        return Err(ReadError::SeveralReports { sheets, hint });
    }

    // The sets: tables on sheets with the same tag. A sheet that names no year and no
    // agency (tables on their own sheets, the title on one of them) belongs to the one set
    // of its visibility that does, if there is just one.
    let mut sheet_tag: Vec<Option<Tag>> = vec![None; ix.sheets.len()];
    for t in kinds.iter().flatten() {
        let s = t.span.sheet;
        if sheet_tag[s].is_none() {
            sheet_tag[s] = Some(tag(ix, s, report_year));
        }
    }
    for hidden in [false, true] {
        // Never a set that says it is another year's (a sheet `上年`).
        let mut named_tags: Vec<&Tag> = sheet_tag
            .iter()
            .flatten()
            .filter(|t| t.hidden == hidden && (t.year.is_some() || t.agency.is_some()))
            .filter(|t| !t.is_other(report_year))
            .collect();
        named_tags.dedup();
        named_tags.sort_by_key(|t| (t.year, t.agency.clone()));
        named_tags.dedup();
        if let [only] = named_tags.as_slice() {
            let only = (*only).clone();
            for t in sheet_tag.iter_mut().flatten() {
                if t.hidden == hidden && t.year.is_none() && t.agency.is_none() && t.mark.is_none() {
                    *t = only.clone();
                }
            }
        }
    }
    let mut tags: Vec<Tag> = Vec::new();
    let mut sheet_group: Vec<Option<usize>> = vec![None; ix.sheets.len()];
    for (s, t) in sheet_tag.iter().enumerate() {
        if let Some(t) = t {
            let g = tags.iter().position(|x| x == t).unwrap_or_else(|| {
                tags.push(t.clone());
                tags.len() - 1
            });
            sheet_group[s] = Some(g);
        }
    }
    let groups: Vec<Vec<usize>> =
        kinds.iter().map(|ts| ts.iter().map(|t| sheet_group[t.span.sheet].unwrap_or(0)).collect()).collect();
    let n_groups = tags.len();
    let complete = |g: usize| groups.iter().all(|gs| gs.contains(&g));
    let holds_named = |g: usize| named.is_some_and(|n| sheet_group[n] == Some(g));
    let first_sheet = |g: usize| {
        kinds.iter().flatten().map(|t| t.span.sheet).filter(|&s| sheet_group[s] == Some(g)).min().unwrap_or(usize::MAX)
    };
    // A set whose every number is blank or 0 is the blank form kept beside the filled one
    // (a `模板` sheet), not a report: with nothing else to tell them apart, never read it
    // before a set that holds numbers.
    let mut filled = vec![false; tags.len()];
    for (ts, gs) in kinds.iter().zip(&groups) {
        for (t, &g) in ts.iter().zip(gs) {
            if let (Some(f), true) =
                (filled.get_mut(g), t.values.iter().flatten().any(|v| v.num.is_some_and(|n| !n.is_zero())))
            {
                *f = true;
            }
        }
    }
    let key = |g: usize| {
        let t = &tags[g];
        (
            holds_named(g),
            complete(g),
            !t.hidden,
            t.is_report(report_year),
            !t.is_other(report_year),
            filled[g],
            t.year,
            std::cmp::Reverse(first_sheet(g)),
        )
    };
    let used: Vec<usize> = (0..n_groups).filter(|g| groups.iter().any(|gs| gs.contains(g))).collect();

    let best = used.iter().copied().max_by_key(|&g| key(g)).unwrap_or(0);
    let mut taken = Vec::new();
    for (k, ts) in kinds.iter().enumerate() {
        let pick = |pool: &mut dyn Iterator<Item = usize>| -> Option<usize> {
            pool.min_by_key(|&i| (std::cmp::Reverse(ts[i].score), ts[i].span.sheet, ts[i].span.first_row))
        };
        let on_named = named.and_then(|n| {
            let at = |i: usize| (ts[i].anchor.row, ts[i].anchor.col);
            // `--sheet 'Sheet1!A30'`: the table whose first label is nearest at or below and
            // right of that cell.
            let below = named_cell.and_then(|c| {
                (0..ts.len())
                    .filter(|&i| ts[i].span.sheet == n && at(i) >= c && ts[i].anchor.col >= c.1)
                    .min_by_key(|&i| at(i))
            });
            below.or_else(|| pick(&mut (0..ts.len()).filter(|&i| ts[i].span.sheet == n)))
        });
        let in_best = || pick(&mut (0..ts.len()).filter(|&i| groups[k][i] == best));
        let elsewhere = || {
            let g = (0..ts.len()).map(|i| groups[k][i]).max_by_key(|&g| key(g))?;
            pick(&mut (0..ts.len()).filter(|&i| groups[k][i] == g))
        };
        // Each kind has at least one candidate, so `elsewhere` always finds one.
        taken.push(on_named.or_else(in_best).or_else(elsewhere).unwrap_or(0));
    }

    let mut notes = Vec::new();
    if named_cell.is_none() {
        for (k, ts) in kinds.iter().enumerate() {
            taken[k] = by_heading(ix, k, ts, &groups[k], taken[k], report_year, &mut notes)?;
        }
    }

    let taken_sheets: Vec<usize> = {
        let mut v: Vec<usize> = kinds.iter().zip(&taken).map(|(ts, &i)| ts[i].span.sheet).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut left_sheets: Vec<usize> =
        kinds.iter().flat_map(|ts| ts.iter().map(|t| t.span.sheet)).filter(|s| !taken_sheets.contains(s)).collect();
    left_sheets.sort_unstable();
    left_sheets.dedup();

    let choice = (!left_sheets.is_empty()).then(|| {
        let runner_up = used.iter().copied().filter(|&g| g != best).max_by_key(|&g| key(g));
        let part = |s: &usize| years::part_of_year(&ix.sheets[*s].name);
        let reason = match runner_up {
            _ if named.is_some() => "按 --sheet 指定".to_string(),
            _ if left_sheets.iter().all(part) && !taken_sheets.iter().any(part) => {
                "其余工作表的名称是季度或月份，是年内的一部分".to_string()
            }
            Some(r) => {
                let (a, b) = (key(best), key(r));
                let named_other = || {
                    let first = kinds.iter().flatten().map(|t| t.span.sheet).find(|&s| sheet_group[s] == Some(r));
                    first.filter(|_| tags[r].mark.is_some() && tags[r].is_other(report_year))
                };
                if a.1 != b.1 {
                    "只有这一套统计表完整".to_string()
                } else if a.2 != b.2 {
                    "其余工作表是隐藏的".to_string()
                } else if let (true, Some(s)) = (a.3 != b.3 || a.4 != b.4, named_other()) {
                    format!("工作表“{}”的名称表明是上一年度的", ix.sheets[s].name)
                } else if a.3 != b.3 {
                    format!("工作表名称或标题写明的年度是报告年度 {} 年", report_year.unwrap_or_default())
                } else if a.4 != b.4 {
                    "其余工作表的名称或标题写明的不是报告年度".to_string()
                } else if a.5 != b.5 {
                    "其余一套的数字全部空白或为 0（空白模板）".to_string()
                } else if a.6 != b.6 {
                    match tags[best].year {
                        Some(y) => format!("年度最新（{y} 年）"),
                        None => "未写年度的一套排在前面".to_string(),
                    }
                } else {
                    "排在前面".to_string()
                }
            }
            None => "排在前面".to_string(),
        };
        let name = |s: usize| {
            let sh = &ix.sheets[s];
            if sh.hidden {
                format!("{}（隐藏）", sh.name)
            } else {
                sh.name.to_string()
            }
        };
        ReadChoice {
            taken: taken_sheets.iter().map(|&s| name(s)).collect(),
            left: left_sheets.iter().map(|&s| name(s)).collect(),
            reason,
        }
    });

    let [a, r, v] = kinds;
    let take = |mut ts: Vec<Table>, i: usize| ts.swap_remove(i);
    let (active, requests, review) = (take(a, taken[0]), take(r, taken[1]), take(v, taken[2]));
    for t in [&active, &requests, &review] {
        notes.extend(t.notes.iter().cloned());
    }
    Ok(Chosen { active, requests, review, choice, left_sheets, notes })
}

/// A table whose every candidate is another copy — on hidden sheets while the report's
/// other tables stand on visible ones, or under a heading naming another year than the
/// report's on a sheet where another table stands under the report year's — is this
/// year's table not recognised (a label changed): the other copy is never read in its place.
fn only_other_copies(ix: &Index, kinds: &[Vec<Table>; 3], report_year: Option<i32>) -> Result<(), ReadError> {
    let hidden = |t: &Table| ix.sheets[t.span.sheet].hidden;
    let year = |t: &Table| years::heading_year(ix, (t.anchor.sheet, t.anchor.row, t.anchor.col)).map(|m| m.0);
    let headings = [SectionId::Active, SectionId::Requests, SectionId::ReviewLitigation];
    for (k, ts) in kinds.iter().enumerate() {
        let others = || kinds.iter().enumerate().filter(move |(j, _)| *j != k).flat_map(|(_, o)| o.iter());
        let why = if ts.iter().all(hidden) && others().any(|t| !hidden(t)) {
            "隐藏的工作表".to_string()
        } else if report_year.is_some()
            && ts.iter().all(|t| year(t).is_some_and(|y| Some(y) != report_year))
            && others().any(|o| ts.iter().any(|t| t.span.sheet == o.span.sheet) && year(o) == report_year)
        {
            let y = ts.first().and_then(year).unwrap_or_default();
            format!("其上方标明{y}年的一块（报告年度是 {} 年）", report_year.unwrap_or_default())
        } else {
            continue;
        };
        let places: Vec<String> = ts
            .iter()
            .map(|t| format!("“{}”", years::cell_name(ix, (t.anchor.sheet, t.anchor.row, t.anchor.col))))
            .collect();
        return Err(ReadError::OnlyOtherCopy {
            table: crate::form::section(headings[k]).heading.to_string(),
            places: places.join("、"),
            why,
        });
    }
    Ok(())
}

/// The sheet `--sheet` names, and the cell where it names one (`Sheet1!A30`: the set of
/// tables from that cell on, where two share a sheet).
pub fn named_place(ix: &Index, name: &str) -> Result<(usize, Option<(u32, u32)>), ReadError> {
    let find = |n: &str| ix.sheets.iter().position(|s| s.name.trim() == n.trim());
    if let Some(i) = find(name) {
        return Ok((i, None));
    }
    if let Some((sheet, cell)) = name.rsplit_once('!') {
        let sheet = sheet.trim().trim_matches('\'');
        if let (Some(i), Some(rc)) = (find(sheet), crate::cell::parse_a1(cell.trim())) {
            return Ok((i, Some(rc)));
        }
    }
    Err(ReadError::SheetNotFound { name: name.to_string(), names: ix.sheet_names() })
}

/// Where the chosen set holds a table twice with different numbers (two copies on one
/// sheet under year headings), the copy whose heading names the report year; said with
/// READ-CHOICE. With no heading naming it, the workbook is refused, naming both places.
fn by_heading(
    ix: &Index,
    kind: usize,
    ts: &[Table],
    groups: &[usize],
    taken: usize,
    report_year: Option<i32>,
    notes: &mut Vec<ReadNote>,
) -> Result<usize, ReadError> {
    let numbers = |t: &Table| t.values.iter().flatten().map(|v| (v.num, v.state)).collect::<Vec<_>>();
    let mine = numbers(&ts[taken]);
    let mut all: Vec<usize> = vec![taken];
    // Another copy is one matched as well, or one standing apart (its own rows or sheet):
    // a label worded otherwise in one copy lowers its score, not its claim to be read.
    // The rows its numbers stand on (a span reaches up into the headers, which may stand
    // right under the copy above).
    let rows = |t: &Table| {
        let rows = t.values.iter().flatten().filter_map(|v| v.cell.as_ref().map(|c| c.row));
        rows.clone().min().zip(rows.max()).unwrap_or((t.span.first_row, t.span.last_row))
    };
    let apart = |j: usize| {
        let (a, b) = (rows(&ts[j]), rows(&ts[taken]));
        let beside = ts[j].anchor.col != ts[taken].anchor.col;
        ts[j].span.sheet != ts[taken].span.sheet || a.1 < b.0 || b.1 < a.0 || beside
    };
    all.extend((0..ts.len()).filter(|&j| {
        j != taken
            && groups[j] == groups[taken]
            && (ts[j].score == ts[taken].score || apart(j))
            && numbers(&ts[j]) != mine
    }));
    if all.len() < 2 {
        return Ok(taken);
    }
    all.sort_by_key(|&j| (ts[j].anchor.sheet, ts[j].anchor.row, ts[j].anchor.col));
    let heading = [SectionId::Active, SectionId::Requests, SectionId::ReviewLitigation]
        .map(|id| crate::form::section(id).heading)[kind.min(2)];
    let pos = |j: usize| (ts[j].anchor.sheet, ts[j].anchor.row, ts[j].anchor.col);
    // A sheet per quarter or month beside the whole year's: the parts are no report.
    let part = |j: &usize| years::part_of_year(&ix.sheets[ts[*j].anchor.sheet].name);
    if all.iter().any(part) && !all.iter().all(part) {
        let every: Vec<String> = all.iter().map(|&j| format!("“{}”", years::cell_name(ix, pos(j)))).collect();
        all.retain(|j| !part(j));
        if let [j] = all[..] {
            notes.push(ReadNote {
                kind: NoteKind::Choice,
                cell: ts[j].values.iter().flatten().find_map(|v| v.cell.clone()),
                message: format!(
                    "“{heading}”表在工作簿中有{}处：{}；读取了工作表“{}”的一处，其余工作表的名称是季度或月份（年内的一部分），未读取；如需读取另一处，请用 --sheet 指定工作表",
                    every.len(),
                    every.join("、"),
                    ix.sheets[ts[j].anchor.sheet].name
                ),
            });
            return Ok(j);
        }
    }
    let marks: Vec<Option<i32>> = all.iter().map(|&j| years::heading_year(ix, pos(j)).map(|m| m.0)).collect();
    let places: Vec<String> = all
        .iter()
        .zip(&marks)
        .map(|(&j, m)| years::place_name(ix, pos(j), m.map(|y| format!("{y}年")).as_deref()))
        .collect();
    // Copies on two sheets of one set (a sheet that names nothing joined a titled one) are
    // no heading's to decide: a title there may be the one that named the report year.
    let one_sheet = all.iter().all(|&j| ts[j].anchor.sheet == ts[all[0]].anchor.sheet);
    let pick: Vec<usize> =
        (0..all.len()).filter(|&i| one_sheet && report_year.is_some() && marks[i] == report_year).collect();
    if !one_sheet {
        let (table, places, hint) = (heading.to_string(), places.join("、"), "，或用 --sheet 指定工作表".to_string());
        // Every copy under the report year: `--year` cannot tell them apart.
        let same = report_year.is_some() && marks.iter().all(|m| *m == report_year);
        return Err(if same {
            ReadError::SameYear { table, places, hint }
        } else {
            ReadError::Ambiguous { table, places, hint }
        });
    }
    let [p] = pick.as_slice() else {
        // The year does not decide: visibility does, where one copy alone is visible.
        let tied: Vec<usize> = if pick.is_empty() { (0..all.len()).collect() } else { pick.clone() };
        let at: Vec<Pos> = tied.iter().map(|&i| pos(all[i])).collect();
        if let Some(v) = years::only_visible(ix, &at) {
            let j = all[tied[v]];
            let left: Vec<String> = at.iter().filter(|&&p| p != pos(j)).map(|&p| years::cell_name(ix, p)).collect();
            notes.push(ReadNote {
                kind: NoteKind::Choice,
                cell: ts[j].values.iter().flatten().find_map(|v| v.cell.clone()),
                message: years::visible_message(heading, &places, years::cell_name(ix, pos(j)), &left),
            });
            return Ok(j);
        }
        let hint = format!("，或用 --sheet '{}' 指定从哪个单元格起读取", years::cell_name(ix, pos(all[all.len() - 1])));
        let (table, places) = (heading.to_string(), places.join("、"));
        return Err(if pick.len() > 1 {
            ReadError::SameYear { table, places, hint }
        } else {
            ReadError::Ambiguous { table, places, hint }
        });
    };
    let j = all[*p];
    // The block selector that reads the other place (the first left, where several are).
    let other = all.iter().find(|&&k| k != j).map_or(String::new(), |&k| years::cell_name(ix, pos(k)));
    notes.push(ReadNote {
        kind: NoteKind::Choice,
        cell: ts[j].values.iter().flatten().find_map(|v| v.cell.clone()),
        message: format!(
            "“{heading}”表在工作簿中有{}处：{}；读取了{}年的一处（其上方的标题写明报告年度），其余未读取；如需读取另一处，请用 --sheet '{other}' 指定",
            all.len(),
            places.join("、"),
            report_year.unwrap_or_default()
        ),
    });
    Ok(j)
}
