//! Tests of the archive stage.
