//! One test per defect fixed, named after it, each failing on the code before its fix.
//! Sections follow the issue that reported the defects; a new defect gets a test here.

#[allow(unused_imports)]
use crate::common::*;

// ---------------------------------------------------------------------------------------
// Issue 26, mail: header injection, mbox `From ` lines, 8-bit GBK headers, stored zips,
// output and draft names.
// ---------------------------------------------------------------------------------------

// (mail tests)

// ---------------------------------------------------------------------------------------
// Issue 26, serve and the zip guard: inflated parts bounded whatever their name, work
// stopped when its request ends, the cache key, header-read timeouts, result URLs.
// ---------------------------------------------------------------------------------------

// (serve tests)

// ---------------------------------------------------------------------------------------
// Issue 26, batch, watch and convert: unreadable subfolders, nianbao's own archive named
// explicitly, empty files, symlinks.
// ---------------------------------------------------------------------------------------

// (batch tests)

// ---------------------------------------------------------------------------------------
// Issue 30, the Word report: numbers never broken over two lines.
// ---------------------------------------------------------------------------------------

// (docx tests)

// ---------------------------------------------------------------------------------------
// Issue 25, the reader: every workbook read right or refused clearly.
// ---------------------------------------------------------------------------------------

// (reader tests)

/// The numbers a workbook of tests/evidence_books.rs reads to, or the reader's message.
fn evidence_read(bytes: &[u8]) -> Result<Vec<Vec<Vec<Option<String>>>>, String> {
    crate::evidence_books::read_opts(bytes, &Default::default())
        .map(|r| crate::layouts::Data::of(&r))
        .map_err(|e| e.to_string())
}

/// Findings of one rule of a workbook read: the cells they name.
fn evidence_findings(bytes: &[u8], rule: &str) -> Vec<String> {
    let r = crate::evidence_books::read_opts(bytes, &Default::default()).expect("read");
    nianbao::check::check(&r, Default::default())
        .iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.cell.as_ref().map(|c| c.to_string()))
        .collect()
}

#[test]
fn reader_heji_for_zongji_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("总计", "合计")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_danwei_for_jigou_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("科研机构", "科研单位"), ("法律服务机构", "法律服务单位")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_one_column_label_worded_otherwise_refused_the_whole_table() {
    let bytes = crate::evidence_books::relabelled(&[("社会公益组织", "公益团体")]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-LABEL"), ["统计表!G22"]);
}

#[test]
fn reader_a_column_per_year_read_last_years_silently() {
    let bytes = crate::evidence_books::year_columns(true, crate::evidence_books::Years::Under, ["2022年", "2023年"]);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-CHOICE"), ["统计表!C21"]);
}

#[test]
fn reader_two_copies_on_one_sheet_read_the_first_silently() {
    let (bytes, _) = crate::evidence_books::two_copies(true);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "READ-CHOICE").len(), 3);
}

#[test]
fn reader_two_copies_on_one_sheet_with_no_year_were_not_refused() {
    let (bytes, _) = crate::evidence_books::two_copies(false);
    let err = evidence_read(&bytes).expect_err("refused");
    assert!(err.contains("“统计表!A7”（2022年）、“统计表!A59”（2023年）"), "{err}");
}

#[test]
fn reader_an_added_subtotal_column_went_unchecked() {
    let bytes = crate::evidence_books::with_subtotal();
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
    assert_eq!(evidence_findings(&bytes, "T3-SUBTOTAL"), ["统计表!H21"]);
}

#[test]
fn reader_table_four_transposed_was_refused() {
    let bytes = crate::evidence_books::shaped(crate::evidence_books::Shape::Transposed);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}

#[test]
fn reader_table_four_split_in_two_blocks_was_refused() {
    let bytes = crate::evidence_books::shaped(crate::evidence_books::Shape::Split);
    assert_eq!(evidence_read(&bytes), Ok(crate::evidence_books::cur().expected()));
}
