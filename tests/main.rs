//! One integration-test binary: each module covers one stage or command.

mod common;

mod archive;
mod check;
mod cli;
mod docx;
mod hostile;
mod mail;
mod read;
