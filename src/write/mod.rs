//! Writing: the report → bytes. Each writer is a pure function of the model.

pub mod annotate;
pub mod archive;
pub mod docx;
pub mod html;
pub mod info;
pub mod json;
pub mod layout;
pub mod marked;
pub mod narrative;
pub mod ooxml;
pub mod reply;
pub mod sheet;
pub mod summary;
pub mod template;
pub mod theme;
pub mod xlsx;
