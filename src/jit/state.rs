//! The per-thread JIT state: the runtime-call anchor, the entry-trampoline chain, and the
//! pending-exception slot of the helpers' error convention.
//!
//! JIT code reaches it through the pinned register `r14` (`r15` holds the `ThreadState`). It is
//! `#[repr(C)]` because the trampolines in `asm/` address its fields by the offsets below.
//!
//! Where it lives: the `jit` field of `ThreadState`, at offset 8 right after `shadow_top`
//! (`thread::JIT_OFFSET`), so `r14 = r15 + 8` while JIT code runs and a walker of a held
//! thread finds its anchors from its thread state ([`of`]). Helpers that only know they run on
//! the current thread reach it through [`current`]: a thread-local pointer that
//! `JitCode::invoke` sets to the state of the thread state it enters compiled code with
//! ([`enter`]), restored when it returns.
//!
//! Invariants:
//! - `last_pc != 0` exactly while the innermost JIT activation of this thread is blocked in a
//!   runtime call made through the runtime-call trampoline; `last_fp` is then that
//!   activation's `rbp`.
//! - `entry_fp` is the `rbp` of the innermost active entry trampoline (0 when no JIT code runs);
//!   that trampoline's frame holds the `last_pc`/`last_fp`/`entry_fp` it replaced, so the
//!   anchors of interrupted JIT segments form a chain through the native stack.
//! - `pending` holds an owned exception (raw `Value` bits) between a helper returning the error
//!   sentinel and the JIT code's caller taking it; 0 otherwise.

use crate::object::{PyErr, Value};
pub(crate) use crate::thread::JitThreadState;
use crate::thread::ThreadState;
use std::cell::Cell;
use std::mem::offset_of;

/// Offset of `last_pc`.
pub const LAST_PC: usize = offset_of!(JitThreadState, last_pc);
/// Offset of `last_fp`.
pub const LAST_FP: usize = offset_of!(JitThreadState, last_fp);
/// Offset of `entry_fp`.
pub const ENTRY_FP: usize = offset_of!(JitThreadState, entry_fp);

thread_local! {
    // The JIT state compiled code on this thread runs with (null: none entered yet).
    static CURRENT: Cell<*mut JitThreadState> = const { Cell::new(std::ptr::null_mut()) };
    // Fallback for a thread that asks before entering compiled code (a leaked, zeroed state).
    static SPARE: Cell<*mut JitThreadState> = const { Cell::new(std::ptr::null_mut()) };
}

/// This thread's current JIT state: the one of the thread state compiled code was last entered
/// with on this thread.
pub fn current() -> *mut JitThreadState {
    let p = CURRENT.with(|c| c.get());
    if !p.is_null() {
        return p;
    }
    SPARE.with(|s| {
        if s.get().is_null() {
            s.set(Box::into_raw(Box::new(JitThreadState::new())));
        }
        s.get()
    })
}

/// Asks this thread's next safepoint poll to call the runtime (`jit_safepoint`), if compiled
/// code runs on it: what a drop inside compiled code does when it left work for the thread (a
/// dropped generator's `finally`), so that the work runs at the next poll instead of when
/// control gets back to the interpreter.
pub fn request_poll() {
    let p = CURRENT.with(|c| c.get());
    if p.is_null() {
        return;
    }
    // SAFETY: a non-null `CURRENT` is the `jit` field of the thread state compiled code was
    // entered with on this thread (`enter`), at `JIT_OFFSET` in it, alive while it runs; the
    // poll byte is atomic (handshake requesters set it too, and only the owner clears it).
    unsafe {
        let ts = (p as usize - crate::thread::JIT_OFFSET as usize) as *const ThreadState;
        crate::thread::ask_poll(&(*ts).poll, &(*ts).stack_trip);
    }
}

/// Makes `ts`'s JIT state the current one of this thread; returns the previous one, for
/// [`leave`].
pub fn enter(ts: &mut ThreadState) -> *mut JitThreadState {
    CURRENT.with(|c| c.replace(&mut ts.jit))
}

/// Restores the current JIT state saved by [`enter`].
pub fn leave(prev: *mut JitThreadState) {
    CURRENT.with(|c| c.set(prev));
}

/// The JIT state of the thread that owns `ts` (its field).
pub fn of(ts: &ThreadState) -> *mut JitThreadState {
    &ts.jit as *const JitThreadState as *mut JitThreadState
}

/// Stores `err` as this thread's pending exception (dropping a stale one, which would be a bug).
pub fn set_pending(err: PyErr) {
    let st = current();
    // SAFETY: the current JIT state belongs to this thread's running thread state, which no
    // other thread touches while we run; no reference to it is held across this call (JIT
    // code reads it only after the helper returned).
    unsafe {
        let old = std::mem::replace(&mut (*st).pending, err.into_value().into_bits());
        debug_assert_eq!(old, 0, "a pending JIT exception was never taken");
        if old != 0 {
            drop(Value::from_bits(old));
        }
    }
}

/// Takes this thread's pending exception.
///
/// Panics if there is none: an error sentinel without an exception is a JIT bug.
pub fn take_pending() -> PyErr {
    let st = current();
    // SAFETY: as in `set_pending`.
    let bits = unsafe { std::mem::take(&mut (*st).pending) };
    assert_ne!(bits, 0, "JIT error return without a pending exception");
    // SAFETY: `pending` holds an owned exception value stored by `set_pending`.
    PyErr::from_value(unsafe { Value::from_bits(bits) })
}
