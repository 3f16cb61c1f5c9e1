//! The per-thread JIT state: the runtime-call anchor, the entry-trampoline chain, and the
//! pending-exception slot of the helpers' error convention.
//!
//! JIT code reaches it through the pinned register `r14` (`r15` holds the `ThreadState`). It is
//! `#[repr(C)]` because the trampolines in `asm/` address its fields by the offsets below.
//!
//! Where it lives: for now one per OS thread in a thread-local ([`current`]), because this
//! walks of other threads (issue 4) are not built yet. Its intended home is a `jit: JitThreadState`
//! field of `ThreadState` right after `shadow_top` (offset 8), at which point `r14` becomes
//! `r15 + 8` and [`of`] becomes a field access; nothing else changes.
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
use crate::thread::ThreadState;
use std::cell::UnsafeCell;
use std::mem::offset_of;

/// The JIT's per-thread words (see the module docs).
#[repr(C)]
#[derive(Debug, Default)]
pub struct JitThreadState {
    /// Return address of the innermost JIT activation's current runtime call (0: none).
    pub last_pc: usize,
    /// Frame base (`rbp`) of that activation.
    pub last_fp: usize,
    /// `rbp` of the innermost active entry trampoline (0: none).
    pub entry_fp: usize,
    /// Pending exception of a failed helper (owned `Value` bits, 0: none).
    pub pending: usize,
}

/// Offset of `last_pc`.
pub const LAST_PC: usize = offset_of!(JitThreadState, last_pc);
/// Offset of `last_fp`.
pub const LAST_FP: usize = offset_of!(JitThreadState, last_fp);
/// Offset of `entry_fp`.
pub const ENTRY_FP: usize = offset_of!(JitThreadState, entry_fp);
/// Offset of `pending`.
pub const PENDING: usize = offset_of!(JitThreadState, pending);

impl JitThreadState {
    /// The state of a thread that runs no JIT code.
    pub const fn new() -> JitThreadState {
        JitThreadState {
            last_pc: 0,
            last_fp: 0,
            entry_fp: 0,
            pending: 0,
        }
    }
}

thread_local! {
    // `const` init and no destructor: the slot lives (at a fixed address) for the whole life of
    // the thread, which is what a pinned register needs.
    static STATE: UnsafeCell<JitThreadState> = const { UnsafeCell::new(JitThreadState::new()) };
}

/// This thread's JIT state.
pub fn current() -> *mut JitThreadState {
    STATE.with(|s| s.get())
}

/// The JIT state of the thread that owns `ts`.
///
/// For now: the thread-local of the calling thread, which must be `ts`'s own (walks of other
/// threads need the field in `ThreadState`; see the module docs).
pub fn of(ts: &ThreadState) -> *mut JitThreadState {
    let _ = ts;
    current()
}

/// Stores `err` as this thread's pending exception (dropping a stale one, which would be a bug).
pub fn set_pending(err: PyErr) {
    let st = current();
    // SAFETY: the thread-local is only touched by its own thread, and no reference to it is held
    // across this call (JIT code reads it only after the helper returned).
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
