//! One integration-test binary: each module covers one stage or command.

mod common;

mod archive;
mod archive_print;
mod check;
mod cli;
mod cli_native;
mod docx;
mod evidence_books;
mod golden;
mod hostile;
mod layouts;
mod mail;
mod mail_cli;
mod packaging;
mod pdf;
mod published;
mod read;
mod read_edges;
mod read_evidence;
mod read_layouts;
mod reader_equal;
mod regression;
mod render;
mod report_native;
mod safety;
mod serve;
mod sheets_equal;
mod template_sheet;
mod variants;
