//! nianbao turns the statistical workbook of a 《政府信息公开工作年度报告》 into the finished
//! report. The stages, each a module:
//!
//! 1. [`read`]: any workbook's bytes → one typed [`model::Report`], tables found by labels;
//! 2. [`check`]: the report → [`finding::Finding`]s, one small function per rule;
//! 3. [`mod@write`]: the report → bytes of the Word document, the archive workbook, the summary.
//!
//! [`form`] describes each edition's tables once; every stage walks it. Only the binary's
//! `cli` module touches the file system.

#![warn(unreachable_pub)]

pub mod cell;
pub mod check;
pub mod convert;
pub mod date;
pub mod error;
pub mod finding;
pub mod form;
pub(crate) mod hash;
pub mod locate;
pub mod model;
pub(crate) mod number;
pub mod read;
pub mod summary;
pub mod write;

pub use error::{Error, ReadError};
pub use finding::{Finding, Severity};
pub use form::Edition;
pub use model::Report;
