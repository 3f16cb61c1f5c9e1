//! `sys._current_frames()`: every thread's top frame object, with no stop-the-world.
//!
//! In steps:
//! 1. Take a snapshot of the thread registry (`thread::registry`: lock-free, epoch-reclaimed),
//!    so threads may start and exit during the walk.
//! 2. For the calling thread, materialize its own top frame (the same object as
//!    `sys._getframe()` from the caller).
//! 3. For every other thread, run "materialize the top frame" as a handshake on it
//!    (`thread::run_on`): at its next safepoint, or by us while it is detached and held. A
//!    thread that exited in between, or has no Python frame, is left out.
//!
//! Only the top frame of each thread is built; its `f_back` chain is built when read (each link
//! by a handshake while that thread still runs).

use super::eval_get_frame;
use crate::object::Value;
use crate::thread::{self, registry, ThreadState};
use std::sync::Arc;

/// `(ident, top frame object)` of every registered thread that runs Python code.
pub fn current_frames(ts: &mut ThreadState) -> Vec<(u64, Value)> {
    let mut out = Vec::new();
    let mine = ts.entry.clone();
    if mine.is_none() {
        // An unregistered state (an embedder's test): only itself.
        if let Some(f) = eval_get_frame(ts) {
            out.push((ts.ident(), f));
        }
    }
    for entry in registry::snapshot() {
        let frame = if mine.as_ref().is_some_and(|m| Arc::ptr_eq(m, &entry)) {
            eval_get_frame(ts)
        } else {
            thread::run_on(ts, &entry, eval_get_frame).flatten()
        };
        if let Some(f) = frame {
            out.push((entry.ident, f));
        }
    }
    out
}
