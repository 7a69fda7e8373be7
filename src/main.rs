//! The `nianbao` binary: parse the arguments, run one command, choose the exit code.

mod cli;

use clap::FromArgMatches;
use std::process::ExitCode;

fn main() -> ExitCode {
    restore_sigpipe();
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

/// `nianbao check … | head` must end quietly, as other command-line tools do, not panic
/// on a closed pipe.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
