//! The hand-written trampolines of `asm/x86_64/trampolines.s`, assembled with `global_asm!`.
//!
//! The field offsets the assembly uses are passed as `const` operands computed from
//! [`JitThreadState`](super::state::JitThreadState) itself, so the Rust struct and the assembly
//! cannot disagree. The entry trampoline's frame offsets are mirrored in
//! [`layout::entry`](super::layout::entry) and checked by a test that walks a real nested stack.

use super::state::{ENTRY_FP, LAST_FP, LAST_PC};
use crate::thread::POLL_OFFSET;
use std::ffi::c_void;

std::arch::global_asm!(
    include_str!("../../asm/x86_64/trampolines.s"),
    LAST_PC = const LAST_PC,
    LAST_FP = const LAST_FP,
    ENTRY_FP = const ENTRY_FP,
    POLL = const POLL_OFFSET,
    HEADROOM = const crate::thread::HEADROOM_OFFSET,
    SAFEPOINT = sym super::helpers::jit_safepoint,
);

extern "C" {
    /// Runs a compiled function: `entry(func, globals, args)` with `r15 = ts` (a
    /// `*mut ThreadState`, opaque to the assembly), `r14 = jit`.
    ///
    /// Returns an owned `Value` word, or 0 with `(*jit).pending` set.
    pub fn shadowframe_jit_enter(
        ts: *mut c_void,
        jit: *mut super::state::JitThreadState,
        entry: usize,
        func: usize,
        globals: usize,
        args: *const usize,
    ) -> usize;

    /// The entry trampoline again (the same code), for resuming a compiled generator:
    /// `entry(fp, sent, mode)` (see `jit::gen`). It returns the callee's `rax` and `rdx`
    /// untouched: the yielded or returned value word (0 with `(*jit).pending` set on error),
    /// and whether it yielded.
    pub fn shadowframe_jit_resume(
        ts: *mut c_void,
        jit: *mut super::state::JitThreadState,
        entry: usize,
        fp: usize,
        sent: usize,
        mode: usize,
    ) -> ResumePair;

    /// The runtime-call trampoline. Never called from Rust (its input is `r11`); its address is
    /// what JIT code calls.
    pub fn shadowframe_jit_rt_call();
}

/// What [`shadowframe_jit_resume`] returns, in `rax:rdx` (System V returns a two-word
/// `repr(C)` struct in that register pair).
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct ResumePair {
    /// The value word the generator yielded or returned; 0 = it raised.
    pub value: usize,
    /// 1 if it yielded (it is suspended again), 0 if it returned or raised.
    pub yielded: usize,
}

/// Address of the runtime-call trampoline, for emitted `call`s.
pub fn rt_call_addr() -> usize {
    shadowframe_jit_rt_call as *const () as usize
}
