//! Ctrl-C: the first one sets a flag that the runner checks before every
//! trial and the engine at every cycle, so a run stops within a simulated
//! month and returns through the normal error path (the output folder's `Drop` deletes what was staged). A second
//! Ctrl-C, for a run that does not stop, exits at once with code 130 —
//! unless it comes within [`SAME_PRESS`] of the first: GNU `timeout -s INT`
//! signals the command and then its whole process group, so the command
//! gets SIGINT twice at once, and exiting on the echo would skip the clean
//! stop (and `--keep-partial`'s files) the first one asked for.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// When the first Ctrl-C came.
static FIRST: OnceLock<Instant> = OnceLock::new();

/// A second SIGINT this soon after the first is the same press, echoed
/// (module docs); a person's second Ctrl-C comes later.
pub const SAME_PRESS: Duration = Duration::from_millis(300);

/// Whether Ctrl-C has been pressed since the process started.
#[inline]
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Installs the Ctrl-C (SIGINT, SIGTERM) handler; later calls do nothing.
/// If another handler is already installed, Ctrl-C keeps its default
/// behaviour.
pub fn catch_ctrl_c() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // The handler runs on one thread of its own, one signal at a time.
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                if FIRST.get().is_some_and(|t| t.elapsed() < SAME_PRESS) {
                    return;
                }
                // Not `eprintln!`: it panics if stderr cannot be written.
                let _ = std::io::Write::write_all(&mut std::io::stderr(), b"error: interrupted\n");
                std::process::exit(EXIT_CODE);
            }
            let _ = FIRST.set(Instant::now());
        });
    });
}

/// The exit status of an interrupted run: 128 + SIGINT, as shells report it.
pub const EXIT_CODE: i32 = 130;

/// A run stopped by Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// `Err(Interrupted)` once Ctrl-C has been pressed.
pub fn check() -> Result<(), Interrupted> {
    if interrupted() {
        Err(Interrupted)
    } else {
        Ok(())
    }
}
