//! Public dynasm emitters for the shadow-frame ABI, for this crate's JIT and for any JIT that
//! embeds the crate.
//!
//! Register and memory conventions every emitter here assumes (the ABI of `asm/README.md`):
//! - `r15` holds `*mut ThreadState`; `ThreadState::shadow_top` is at offset
//!   [`SHADOW_TOP_OFFSET`] (0).
//! - `r14` holds `*mut JitThreadState` (`= r15 + thread::JIT_OFFSET`) while JIT code runs (set
//!   by the entry trampoline).
//! - `rbp` is the activation's frame base and the shadow frame lives at `rbp + sf_disp`
//!   (16-byte aligned; this crate's JIT uses `layout::SHADOW`).
//! - `rax` is the only register an emitter clobbers, unless its docs say otherwise; flags are
//!   clobbered.
//!
//! The publication order is the invariant walkers rely on: a push writes `prev` and `data`
//! first and stores the frame into `shadow_top` last; a pop restores `prev` into `shadow_top`
//! first (and touches nothing else). At every instruction boundary the thread's shadow stack is
//! therefore a well-formed list that a walker on the same thread (or one let in at a safepoint)
//! can follow.

use crate::shadow::{Tag, DATA_OFFSET, PREV_OFFSET};
use crate::thread::SHADOW_TOP_OFFSET;
use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, AssemblyOffset, DynamicLabel, DynasmApi, DynasmLabelApi};

/// The `data` word of a JIT activation's shadow frame: `pointee | JIT | OWNED_BY_JIT`.
///
/// `pointee` is whatever answers for the activation (this crate's JIT: its `JitCodeInfo`); it
/// must be 16-byte aligned and outlive every activation that points to it.
pub fn jit_shadow_data<T>(pointee: *const T) -> usize {
    let p = pointee as usize;
    assert_eq!(p & Tag::MASK, 0, "shadow pointees are 16-byte aligned");
    p | (Tag::JIT | Tag::OWNED_BY_JIT).bits()
}

/// Pushes the shadow frame at `rbp + sf_disp` with the tagged word `data`.
///
/// Emits (5 instructions, clobbers `rax`):
/// ```text
/// mov rax, [r15 + shadow_top]      ; prev = ts.shadow_top
/// mov [rbp + sf_disp], rax
/// mov rax, data                    ; data = pointee | JIT | OWNED_BY_JIT
/// mov [rbp + sf_disp + 8], rax
/// lea rax, [rbp + sf_disp]
/// mov [r15 + shadow_top], rax      ; publish last
/// ```
pub fn emit_shadow_push<A: DynasmApi>(ops: &mut A, sf_disp: i32, data: usize) {
    let prev = sf_disp + PREV_OFFSET;
    let dat = sf_disp + DATA_OFFSET;
    let data = data as i64;
    dynasm!(ops
        ; .arch x64
        ; mov rax, [r15 + SHADOW_TOP_OFFSET]
        ; mov [rbp + prev], rax
        ; mov rax, QWORD data
        ; mov [rbp + dat], rax
        ; lea rax, [rbp + sf_disp]
        ; mov [r15 + SHADOW_TOP_OFFSET], rax
    );
}

/// Links again the shadow frame at `rbp + sf_disp`, whose `data` word is already set: a
/// resumed generator's frame, which keeps its shadow frame (and whatever materialization wrote
/// into `data` while it was suspended) between resumptions.
///
/// Emits (4 instructions, clobbers `rax`):
/// ```text
/// mov rax, [r15 + shadow_top]      ; prev = ts.shadow_top
/// mov [rbp + sf_disp], rax
/// lea rax, [rbp + sf_disp]
/// mov [r15 + shadow_top], rax      ; publish last
/// ```
pub fn emit_shadow_relink<A: DynasmApi>(ops: &mut A, sf_disp: i32) {
    let prev = sf_disp + PREV_OFFSET;
    dynasm!(ops
        ; .arch x64
        ; mov rax, [r15 + SHADOW_TOP_OFFSET]
        ; mov [rbp + prev], rax
        ; lea rax, [rbp + sf_disp]
        ; mov [r15 + SHADOW_TOP_OFFSET], rax
    );
}

/// Pops the shadow frame at `rbp + sf_disp`, which must be the top: `ts.shadow_top = sf.prev`.
///
/// Emits (2 instructions, clobbers `rax`):
/// ```text
/// mov rax, [rbp + sf_disp]         ; sf.prev
/// mov [r15 + shadow_top], rax
/// ```
pub fn emit_shadow_pop<A: DynasmApi>(ops: &mut A, sf_disp: i32) {
    let prev = sf_disp + PREV_OFFSET;
    dynasm!(ops
        ; .arch x64
        ; mov rax, [rbp + prev]
        ; mov [r15 + SHADOW_TOP_OFFSET], rax
    );
}

/// Tests the hand-off bits of the shadow frame at `rbp + sf_disp`: one `test` instruction, no
/// register clobbered. Afterwards `ZF = 0` (take `jnz`) iff the activation has been
/// materialized or observed (someone holds its frame object or its lazy traceback record), so
/// they must be handed the final state before the frame goes (`frame::exit_foreign`).
///
/// ```text
/// test byte [rbp + sf_disp + 8], MATERIALIZED | OBSERVED
/// ```
pub fn emit_materialized_test<A: DynasmApi>(ops: &mut A, sf_disp: i32) {
    let dat = sf_disp + DATA_OFFSET;
    let bit = Tag::HAND_OFF as i8;
    dynasm!(ops
        ; .arch x64
        ; test BYTE [rbp + dat], bit
    );
}

/// [`emit_materialized_test`] followed by `jnz label`.
pub fn emit_materialized_branch<A: DynasmLabelApi<Relocation = X64Relocation>>(
    ops: &mut A,
    sf_disp: i32,
    label: DynamicLabel,
) {
    emit_materialized_test(ops, sf_disp);
    dynasm!(ops
        ; .arch x64
        ; jnz =>label
    );
}

/// Calls runtime helper `helper` through the runtime-call trampoline, which anchors this
/// activation (return address + `rbp`) in the thread's JIT state while the helper runs.
///
/// The caller loads the helper's arguments after the first into `rsi`, `rdx`, `rcx`, `r8`, `r9`;
/// this emitter sets `rdi = r15` (every helper takes the thread state first), `r11 = helper`,
/// and clobbers `rax` and everything a System V call clobbers. `rsp` must be 16-byte aligned.
///
/// Returns the offset of the call's return address: the key of the call site in the debug map.
pub fn emit_runtime_call<A: DynasmApi>(ops: &mut A, helper: usize) -> AssemblyOffset {
    let h = helper as i64;
    let t = super::trampoline::rt_call_addr() as i64;
    dynasm!(ops
        ; .arch x64
        ; mov rdi, r15
        ; mov r11, QWORD h
        ; mov rax, QWORD t
        ; call rax
    );
    ops.offset()
}

/// Calls a leaf helper directly (no anchor): only for helpers that run no Python code and never
/// observe the stack (reference counting, error records). Same register rules as
/// [`emit_runtime_call`] except that `rdi` is the caller's to load.
pub fn emit_leaf_call<A: DynasmApi>(ops: &mut A, helper: usize) {
    let h = helper as i64;
    dynasm!(ops
        ; .arch x64
        ; mov rax, QWORD h
        ; call rax
    );
}
