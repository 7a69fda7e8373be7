//! Tests of the cli stage.
