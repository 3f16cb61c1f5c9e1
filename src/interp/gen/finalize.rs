//! What a dropped generator leaves for its thread: the `finally` of a generator dropped while
//! suspended inside a `try` or `with`, and the warning about a coroutine that never ran.
//!
//! A drop can happen anywhere, with no thread state at hand, so it only queues the work on the
//! dropping thread: the generator's frame moves into a fresh generator object waiting to be
//! closed. The eval loop serves the queue before its next instruction, compiled code at its
//! next poll ([`poll_finalizers`]), so the `finally` runs at the instruction that dropped the
//! generator, as under CPython's reference counting. The queue is served in drop order, one
//! drain at a time.

use super::{GenKind, Generator, State};
use crate::object::Value;
use crate::thread::ThreadState;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

impl Drop for Generator {
    fn drop(&mut self) {
        let parked = self.parked.get_mut();
        let State::Suspended(frame) = std::mem::replace(&mut parked.state, State::Finished) else {
            return;
        };
        let pc = frame.pc();
        if pc == 0 && self.kind == GenKind::Coroutine {
            frame.discard(None);
            queue(Pending::NeverAwaited(self.qualname.clone()));
            return;
        }
        let needs_close = pc != 0 && self.code.handler_for(pc).is_some();
        if !needs_close {
            frame.discard(None);
            return;
        }
        // Its `finally` must run: a new object takes the frame over and waits in the queue.
        let exc_state = std::mem::replace(&mut parked.exc_state, Value::NONE);
        let heir = Generator::with_state(
            self.kind,
            self.code.clone(),
            (self.name.clone(), self.qualname.clone()),
            std::mem::replace(&mut self.origin, Value::NONE),
            State::Suspended(frame),
            exc_state,
        );
        queue(Pending::Close(Value::native(heir)));
    }
}

/// Work a dropped generator leaves for its thread.
enum Pending {
    /// Close this generator (it took over a dropped one's frame).
    Close(Value),
    /// A coroutine (this qualname) was dropped without ever running.
    NeverAwaited(Value),
}

fn queue(p: Pending) {
    FINALIZE.with(|q| q.borrow_mut().push_back(p));
    PENDING.with(|p| p.set(true));
}

thread_local! {
    /// Work of dropped generators waiting for this thread (see the module docs).
    static FINALIZE: RefCell<VecDeque<Pending>> = const { RefCell::new(VecDeque::new()) };
    /// `FINALIZE` is not empty (the eval loop's per-instruction check).
    static PENDING: Cell<bool> = const { Cell::new(false) };
    /// `run_finalizers` is running on this thread.
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// The main module is being torn down (see `interp::finalize_module`).
static SHUTDOWN: AtomicBool = AtomicBool::new(false);

/// From now on, dropped coroutines that never ran are reported without a location.
pub(crate) fn begin_shutdown() {
    SHUTDOWN.store(true, Ordering::Relaxed);
}

/// The main module is being torn down (unraisable reports print no source lines from here on).
pub(crate) fn shutting_down() -> bool {
    SHUTDOWN.load(Ordering::Relaxed)
}

/// Is work of dropped generators waiting on this thread?
pub(crate) fn finalizers_pending() -> bool {
    PENDING.with(|p| p.get())
}

/// Closes the generators waiting in this thread's queue, if any: the check every poll point
/// (the eval loop after each instruction, calls from Rust, shutdown) makes.
#[inline(always)]
pub(crate) fn poll_finalizers(ts: &mut ThreadState) {
    if PENDING.with(|p| p.get()) {
        run_finalizers(ts);
    }
}

/// Closes the generators waiting in this thread's queue, reporting their errors as unraisable.
fn run_finalizers(ts: &mut ThreadState) {
    // One drain at a time: the generators closed here run frames that poll too, and the queue
    // must be served in drop order.
    if DRAINING.with(|d| d.replace(true)) {
        return;
    }
    struct Done;
    impl Drop for Done {
        fn drop(&mut self) {
            DRAINING.with(|d| d.set(false));
        }
    }
    let _done = Done;
    loop {
        let next = FINALIZE.with(|q| {
            let mut q = q.borrow_mut();
            let v = q.pop_front();
            if q.is_empty() {
                PENDING.with(|p| p.set(false));
            }
            v
        });
        match next {
            None => return,
            Some(Pending::Close(g)) => {
                let gen = g.downcast::<Generator>().expect("queued generators");
                if let Err(e) = gen.close(ts) {
                    crate::stdlib::unraisable::write_unraisable(ts, e, Some(g.clone()));
                }
            }
            Some(Pending::NeverAwaited(qualname)) => {
                let msg = format!(
                    "coroutine '{}' was never awaited",
                    qualname.as_str().unwrap_or("?")
                );
                // At shutdown CPython's warnings module is gone and its C fallback names no
                // frame: `<sys>:0`.
                let at_exit = SHUTDOWN.load(Ordering::Relaxed);
                crate::stdlib::warn_runtime(ts, &msg, !at_exit, at_exit);
            }
        }
    }
}
