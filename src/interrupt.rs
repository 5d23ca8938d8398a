//! Ctrl-C: the first one sets a flag that the runner checks before every
//! trial and the engine at every cycle, so a run stops within a simulated
//! month and returns through the normal error path (the output folder's `Drop` deletes what was staged). A second
//! Ctrl-C, for a run that does not stop, exits at once with code 130.

use std::fmt;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

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
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                // Not `eprintln!`: it panics if stderr cannot be written.
                let _ = std::io::Write::write_all(&mut std::io::stderr(), b"error: interrupted\n");
                std::process::exit(EXIT_CODE);
            }
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
