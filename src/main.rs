//! The `nianbao` binary: parse the arguments, run one command, choose the exit code.

mod cli;

use clap::FromArgMatches;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::platform::end_quietly_on_closed_pipe();
    let raw: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let parsed = cli::command().try_get_matches_from(std::env::args_os()).and_then(|m| cli::Cli::from_arg_matches(&m));
    let args = match parsed {
        Ok(a) => a,
        Err(e) => {
            let (text, code, to_stdout) = cli::render_error(&e, &raw);
            if to_stdout {
                print!("{text}");
            } else {
                eprint!("{}", if text.ends_with('\n') { text } else { text + "\n" });
            }
            return ExitCode::from(code);
        }
    };
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("nianbao：{}", cli::oserr::chain_text(&e));
            ExitCode::from(cli::EXIT_UNREADABLE)
        }
    }
}
