//! Thread states, the registry of threads, handshakes, and the interpreter-wide runtime state.
//!
//! A [`ThreadState`] belongs to one OS thread and is passed as `&mut` to everything that runs
//! Python code on it. Its first word is the top of the thread's shadow stack (the ABI offset JIT
//! code uses through its pinned thread-state register), followed by the JIT's words and the
//! safepoint poll byte.
//!
//! Threads run in parallel with no GIL. Another thread's stack is read only with that thread's
//! cooperation (`handshake`); registered threads are found through a lock-free,
//! epoch-reclaimed registry (`registry`).

pub(crate) mod handshake;
pub(crate) mod registry;
mod runtime;
mod state;
#[cfg(test)]
mod tests;

pub use handshake::{attach, blocking, detach, run_on, safepoint};
pub use registry::{Registered, ThreadEntry};
pub use runtime::{runtime, Runtime, Stat, Stats, MAX_DEPTH};
pub(crate) use state::{ask_poll, JitThreadState, JIT_OFFSET, STACK_TRIP_OFFSET};
pub use state::{
    ThreadState, HEADROOM_OFFSET, NATIVE_STACK_LIMIT_OFFSET, OWNER_OFFSET, POLL_OFFSET,
    SHADOW_TOP_OFFSET,
};

/// `sys.setrecursionlimit(n)` (checked by the caller): the runtime's limit, then every
/// registered thread's copy (`ThreadState::refresh_recursion_limit`), each at a safepoint of
/// its own or while it is held (`handshake::run_on`), so that every thread counts against the
/// new limit once this returns. A thread registering meanwhile reads the limit after it is
/// registered (`Registered::new`): the fence here pairs with its fence.
pub fn set_recursion_limit(ts: &mut ThreadState, n: usize) {
    runtime().set_recursion_limit(n);
    std::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
    ts.refresh_recursion_limit();
    for entry in registry::snapshot() {
        run_on(ts, &entry, ThreadState::refresh_recursion_limit);
    }
}
