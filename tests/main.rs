//! One integration-test binary: each module covers one stage or command.

mod common;

mod archive;
mod check;
mod cli;
mod docx;
mod hostile;
mod layouts;
mod mail;
mod packaging;
mod read;
mod read_layouts;
mod safety;
mod serve;
