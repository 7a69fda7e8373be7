//! How fast a batch may go: the memory budget that large files wait for, and the
//! background flush that lets the disk write while the next files convert.

use crate::cli::fsio::sync_folder;
use std::path::Path;
use std::sync::{mpsc, Condvar, Mutex};

/// The files of one batch held in memory at once, by size: a file's conversion costs many
/// times its bytes (a 26 MB workbook with 49 MB of shared strings costs 416 MB), so large
/// files wait for each other whatever `--jobs` says.
pub(super) struct Budget {
    left: Mutex<u64>,
    freed: Condvar,
}

/// What the files converted at once may weigh together (text to parse, as
/// [`crate::cli::fsio::read_input_weighed`] weighs it). At ~8.5 bytes of memory per byte of
/// text, a batch stays under 300 MB whatever `--jobs` says; typical workbooks (~100 KB of
/// text) never wait.
pub(super) const BUDGET_BYTES: u64 = 28 * 1024 * 1024;

/// Files up to this size are weighed after reading them (one open, one read); larger ones
/// before, by their package directory on the disk.
pub(super) const SMALL_FILE: u64 = 1024 * 1024;

impl Budget {
    pub(super) fn new() -> Budget {
        Budget { left: Mutex::new(BUDGET_BYTES), freed: Condvar::new() }
    }

    /// Takes `cost` (at most the whole budget, so any file can run alone); returns what was taken.
    pub(super) fn take(&self, cost: u64) -> u64 {
        let cost = cost.min(BUDGET_BYTES);
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        while *left < cost {
            left = self.freed.wait(left).unwrap_or_else(|p| p.into_inner());
        }
        *left -= cost;
        cost
    }

    pub(super) fn give(&self, cost: u64) {
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        *left += cost;
        self.freed.notify_all();
    }
}

/// Flushes the output's file system in the background after each chunk of files, so that
/// the disk writes while the next chunk converts and the flush before the summary finds
/// little left (a fifth of a 1,000-file batch's time when it all waited for the end). A
/// failure here is left to that last flush to report. Only where a file-system flush
/// covers the files written ([`crate::cli::platform::SYNC_FS_COVERS_FILES`]).
pub(super) struct Flusher {
    nudges: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Flusher {
    pub(super) fn start(out: &Path) -> Flusher {
        if !crate::cli::platform::SYNC_FS_COVERS_FILES {
            return Flusher { nudges: None, thread: None };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let dir = out.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("flush".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    // Nudges that came during the last flush are one flush more, not several.
                    while rx.try_recv().is_ok() {}
                    let _ = sync_folder(&dir);
                }
            })
            .ok();
        Flusher { nudges: thread.as_ref().map(|_| tx), thread }
    }

    pub(super) fn nudge(&self) {
        if let Some(tx) = &self.nudges {
            let _ = tx.send(());
        }
    }

    /// Waits for the flush under way, if any.
    pub(super) fn finish(mut self) {
        self.nudges = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
