//! Writing: the report → bytes. Each writer is a pure function of the model.

pub mod info;
pub mod layout;
pub mod template;
