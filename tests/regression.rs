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
