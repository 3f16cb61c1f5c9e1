//! This crate's JIT keeps two thread-state words in registers while its code runs, so that a
//! call and a return chain no store and load through memory (each such chain cost fib about
//! 5%): `r12` is `ts.shadow_top` and `r13` is `ts.headroom`.
//!
//! Invariants (`asm/x86_64/trampolines.s` keeps them):
//! - The entry trampoline loads both registers from the thread state and stores them back
//!   when compiled code returns to it.
//! - The runtime-call trampoline stores both before the helper runs, and reloads both after
//!   (and after the safepoint it may serve). A helper sees a current thread state, and may
//!   change it: a deoptimization pops a frame; a handshake can refresh the headroom.
//! - A leaf call that may read either word, or serve a handshake, goes through
//!   [`emit_leaf_call_synced`]. The leaf helpers of the hot paths read neither: a release,
//!   an iterator step, or a cached attribute getter.
//!
//! So the words in memory are current whenever anything other than compiled code can look at
//! them: this thread's runtime, or another thread let in at a safepoint. The public emitters of
//! [`super::emit`] keep the memory form, for embedding JITs, which run outside this pinning.

use super::emit::emit_leaf_call;
use crate::shadow::PREV_OFFSET;
use crate::thread::{HEADROOM_OFFSET, SHADOW_TOP_OFFSET};
use dynasmrt::{dynasm, DynasmApi};

/// Pushes the shadow frame at `rbp + sf_disp` with `data`, which also goes to
/// `rbp + orig_disp` (`emit::emit_shadow_push_with_orig`, the top in `r12`). Clobbers `rax`.
pub(crate) fn emit_push<A: DynasmApi>(ops: &mut A, sf_disp: i32, data: usize, orig_disp: i32) {
    let dat = sf_disp + crate::shadow::DATA_OFFSET;
    dynasm!(ops
        ; .arch x64
        ; mov [rbp + sf_disp + PREV_OFFSET], r12
        ; mov rax, QWORD data as i64
        ; mov [rbp + dat], rax
        ; mov [rbp + orig_disp], rax
        ; lea r12, [rbp + sf_disp]
    );
}

/// Links the shadow frame at `rbp + sf_disp` again, its `data` kept (a resumed generator's,
/// `emit::emit_shadow_relink`, the top in `r12`).
pub(crate) fn emit_relink<A: DynasmApi>(ops: &mut A, sf_disp: i32) {
    dynasm!(ops
        ; .arch x64
        ; mov [rbp + sf_disp + PREV_OFFSET], r12
        ; lea r12, [rbp + sf_disp]
    );
}

/// Pops the shadow frame at `rbp + sf_disp`, which is the top (`emit::emit_shadow_pop`, the
/// top in `r12`).
pub(crate) fn emit_pop<A: DynasmApi>(ops: &mut A, sf_disp: i32) {
    dynasm!(ops ; .arch x64 ; mov r12, [rbp + sf_disp + PREV_OFFSET]);
}

/// A leaf call (`emit::emit_leaf_call`) with the pinned words in memory for it: stored before,
/// reloaded after (the helper may change them).
pub(crate) fn emit_leaf_call_synced<A: DynasmApi>(ops: &mut A, helper: usize) {
    dynasm!(ops
        ; .arch x64
        ; mov [r15 + SHADOW_TOP_OFFSET], r12
        ; mov [r15 + HEADROOM_OFFSET], r13
    );
    emit_leaf_call(ops, helper);
    dynasm!(ops
        ; .arch x64
        ; mov r12, [r15 + SHADOW_TOP_OFFSET]
        ; mov r13, [r15 + HEADROOM_OFFSET]
    );
}
