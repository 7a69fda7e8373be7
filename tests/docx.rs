//! Tests of the docx stage.
