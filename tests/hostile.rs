//! Tests of bad and hostile input: every case a clear message, exit 2, bounded cost.
