//! What differs between Linux, other Unix systems and Windows, in one place, so that the rest
//! of the command line is the same code everywhere. Each function gives the same guarantee on
//! every platform; only the means differ.

use std::path::Path;

/// Whether [`sync_filesystem`] flushes files written earlier, so that writing a file may leave
/// its flush to that one call. Only Linux has `syncfs`: elsewhere each file is flushed
/// (`File::sync_all`: `fsync`, or `FlushFileBuffers` on Windows) before it is renamed.
pub const SYNC_FS_COVERS_FILES: bool = cfg!(target_os = "linux");

/// Flushes the whole file system holding `dir` to disk (Linux `syncfs`). Where
/// [`SYNC_FS_COVERS_FILES`] is false there is nothing left to flush: every file was flushed
/// when it was written. (Windows could flush a volume only with administrator rights.)
pub fn sync_filesystem(dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let f = std::fs::File::open(dir)?;
        // SAFETY: syncfs only reads the descriptor, which `f` keeps open for the call.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// `nianbao check … | head` must end quietly, as other command-line tools do, not with a
/// panic message about a closed pipe. Call first thing in `main`, before any thread starts.
pub fn end_quietly_on_closed_pipe() {
    // Unix: the default SIGPIPE disposition ends the process silently at the first write to
    // a closed pipe (Rust ignores SIGPIPE, which would turn it into an error and a panic).
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Windows has no SIGPIPE: a write to a closed pipe fails (ERROR_NO_DATA) and `println!`
    // panics. The same silent end: a panic hook that exits without a message for exactly
    // that panic, and leaves every other panic to the default hook.
    #[cfg(windows)]
    {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("");
            if is_closed_pipe_panic(message) {
                std::process::exit(CLOSED_PIPE_EXIT);
            }
            default(info);
        }));
    }
}

/// The exit code after a closed pipe on Windows: what a Unix shell reports for a process
/// ended by SIGPIPE (128 + 13), so scripts see the same code on both.
#[cfg_attr(not(windows), allow(dead_code))]
pub const CLOSED_PIPE_EXIT: i32 = 141;

/// Whether a panic message is the standard library's for a write to a closed stdout or
/// stderr (`failed printing to stdout: 管道正在被关闭。 (os error 232)`, or on English
/// Windows `The pipe is being closed. (os error 232)`; error 109 is a broken pipe).
#[cfg_attr(not(windows), allow(dead_code))]
pub fn is_closed_pipe_panic(message: &str) -> bool {
    (message.starts_with("failed printing to stdout") || message.starts_with("failed printing to stderr"))
        && (message.ends_with("(os error 232)") || message.ends_with("(os error 109)"))
}

#[cfg(test)]
mod tests {
    use super::is_closed_pipe_panic;

    #[test]
    fn only_the_closed_pipe_panic_is_silenced() {
        assert!(is_closed_pipe_panic("failed printing to stdout: The pipe is being closed. (os error 232)"));
        assert!(is_closed_pipe_panic("failed printing to stdout: 管道正在被关闭。 (os error 232)"));
        assert!(is_closed_pipe_panic("failed printing to stderr: The pipe has been ended. (os error 109)"));
        // A full disk behind a redirect, or any other panic, still reports itself.
        assert!(!is_closed_pipe_panic(
            "failed printing to stdout: There is not enough space on the disk. (os error 112)"
        ));
        assert!(!is_closed_pipe_panic("index out of bounds: the len is 3 but the index is 7 (os error 232)"));
    }
}
