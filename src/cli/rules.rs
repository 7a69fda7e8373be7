//! `nianbao rules`: every rule's code, severity and description, from the one registry.

use super::EXIT_OK;
use nianbao::check::rules::{markdown_table, RULES};

pub fn run(markdown: bool) -> anyhow::Result<u8> {
    if markdown {
        print!("{}", markdown_table());
        return Ok(EXIT_OK);
    }
    let width = RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    for r in RULES {
        println!("{:width$}  {:7}  {}", r.code, r.severity.id(), r.description);
    }
    Ok(EXIT_OK)
}
