//! Stopping on a signal. `batch` and `watch` finish (or drop) the file in hand, clean up and
//! write what they have; the exit code says which signal stopped them (130 for Ctrl-C /
//! SIGINT, 143 for SIGTERM, 129 for SIGHUP), as shells expect.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Once;

/// The number of the first signal received; 0 for none.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
static INSTALL: Once = Once::new();

const SIGINT: i32 = 2;

/// Installs the handlers (once per process).
pub fn install() {
    INSTALL.call_once(install_handlers);
}

#[cfg(unix)]
fn install_handlers() {
    extern "C" fn on_signal(sig: libc::c_int) {
        // Only an atomic store: async-signal-safe. The first signal is the one reported.
        let _ = SIGNAL.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
    }
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a zeroed sigaction with a handler that only stores to an atomic; SA_RESTART
        // so reads and writes in progress are resumed rather than failing with EINTR.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Windows: Ctrl-C, Ctrl-Break and closing the console, through `ctrlc`, all reported as
/// an interruption (exit 130).
#[cfg(not(unix))]
fn install_handlers() {
    let _ = ctrlc::set_handler(|| {
        let _ = SIGNAL.compare_exchange(0, SIGINT, Ordering::SeqCst, Ordering::SeqCst);
    });
}

/// Whether a stopping signal has arrived.
pub fn stopped() -> bool {
    SIGNAL.load(Ordering::SeqCst) != 0
}

/// The exit code for the signal received: 128 + its number.
pub fn exit_code() -> u8 {
    let sig = SIGNAL.load(Ordering::SeqCst);
    let sig = if sig == 0 { SIGINT } else { sig };
    u8::try_from(128 + sig).unwrap_or(130)
}

/// A closed stdout (`nianbao batch … | head`) must not kill the process: writes to it then
/// fail with an error that the progress lines ignore. Unix only; Windows has no SIGPIPE.
pub fn ignore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting SIGPIPE's disposition to "ignore" has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// Prints a progress line on stdout; a closed stdout is not an error.
pub fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}
