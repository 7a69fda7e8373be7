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

/// 淮安市 2024 (3,119 new requests): table 三's 总计 column printed `311` over `9`. The
/// column is now as wide as four digits need in the widest font that may print them, and
/// each number cell says `w:noWrap`.
#[test]
fn a_four_digit_total_of_table_three_is_not_broken_over_two_lines() {
    use nianbao::form::Kind;
    use nianbao::Edition;
    let r = crate::render::counts_report(Edition::E2021, 4);
    let totals: Vec<String> = r.requests.iter().filter_map(|row| row.last()).map(|v| v.display(Kind::Count)).collect();
    assert_eq!(totals[0], "8935");
    let bytes = nianbao::write::docx::docx(&r, &Default::default()).expect("docx");
    let xml = crate::docx::unzip(&bytes, "word/document.xml");
    for total in &totals {
        let at = xml.find(&format!(">{total}</w:t>")).unwrap_or_else(|| panic!("no {total}"));
        let cell = &xml[xml[..at].rfind("<w:tc>").expect("its cell")..at];
        assert!(cell.contains("<w:noWrap /><w:vAlign w:val=\"center\" />"), "{total} may wrap: {cell}");
    }
    // As LibreOffice prints it, where installed: every 总计 one word on one line.
    if let Some(broken) = crate::render::broken_in("位数-2021-4", &totals) {
        assert!(broken.is_empty(), "总计 broken over two lines: {broken:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Issue 25, the reader: every workbook read right or refused clearly.
// ---------------------------------------------------------------------------------------

// (reader tests)
