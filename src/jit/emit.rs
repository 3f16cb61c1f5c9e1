//! Public dynasm emitters for the shadow-frame ABI, for this crate's JIT and for any JIT that
//! embeds the crate.
//!
//! Register and memory conventions every emitter here assumes (the ABI of `asm/README.md`):
//! - `r15` holds `*mut ThreadState`; `ThreadState::shadow_top` is at offset
//!   [`SHADOW_TOP_OFFSET`] (0).
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
//!
//! A function that runs with its shadow frame pushed, and a Rust callee that sees it:
//!
//! ```
//! # #[cfg(target_arch = "x86_64")] {
//! use dynasmrt::{dynasm, DynasmApi};
//! use shadowframe::jit::emit::{emit_shadow_pop, emit_shadow_push, jit_shadow_data};
//! use shadowframe::shadow::{ShadowWalk, Tag};
//! use shadowframe::ThreadState;
//!
//! #[repr(align(16))]
//! struct CodeInfo; // what a materializer would read: the code, the debug map, ...
//! static INFO: CodeInfo = CodeInfo;
//!
//! /// Called from the compiled code: how many activations does the thread run?
//! extern "C" fn depth(ts: *mut ThreadState) -> usize {
//!     // SAFETY: the compiled code passes its own thread state, whose stack is well formed.
//!     let top = unsafe { (*ts).shadow_top };
//!     // SAFETY: as above.
//!     assert!(unsafe { (*top).tag() }.contains(Tag::JIT | Tag::OWNED_BY_JIT));
//!     // SAFETY: as above.
//!     unsafe { ShadowWalk::new(top) }.count()
//! }
//!
//! const SF: i32 = -32; // the shadow frame: 16-byte aligned below the saved r15
//! let mut ops = dynasmrt::x64::Assembler::new().unwrap();
//! let start = ops.offset();
//! dynasm!(ops
//!     ; .arch x64
//!     ; push rbp
//!     ; mov rbp, rsp
//!     ; push r15
//!     ; sub rsp, 24
//!     ; mov r15, rdi
//! );
//! emit_shadow_push(&mut ops, SF, jit_shadow_data(&INFO));
//! dynasm!(ops
//!     ; .arch x64
//!     ; mov rdi, r15
//!     ; mov rax, QWORD depth as *const () as i64
//!     ; call rax
//!     ; mov rcx, rax
//! );
//! emit_shadow_pop(&mut ops, SF);
//! dynasm!(ops
//!     ; .arch x64
//!     ; mov rax, rcx
//!     ; add rsp, 24
//!     ; pop r15
//!     ; pop rbp
//!     ; ret
//! );
//! let code = ops.finalize().unwrap();
//! // SAFETY: the buffer holds the function just assembled, with this signature.
//! let run: extern "C" fn(*mut ThreadState) -> usize =
//!     unsafe { std::mem::transmute(code.ptr(start)) };
//! let mut ts = ThreadState::new();
//! assert_eq!(run(&mut ts), 1);
//! assert!(ts.shadow_top.is_null());
//! # }
//! ```

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
    push_with(ops, sf_disp, data, None);
}

/// [`emit_shadow_push`] that also stores `data` at `rbp + orig_disp` before publishing: the
/// word a JIT keeps beside its shadow frame to find its pointee after materialization rewrote
/// `data` (Cinder's `orig_data`). One instruction more than the push alone, not two.
///
/// Emits (7 instructions, clobbers `rax`):
/// ```text
/// mov rax, [r15 + shadow_top]      ; prev = ts.shadow_top
/// mov [rbp + sf_disp], rax
/// mov rax, data
/// mov [rbp + sf_disp + 8], rax
/// mov [rbp + orig_disp], rax
/// lea rax, [rbp + sf_disp]
/// mov [r15 + shadow_top], rax      ; publish last
/// ```
pub fn emit_shadow_push_with_orig<A: DynasmApi>(
    ops: &mut A,
    sf_disp: i32,
    data: usize,
    orig_disp: i32,
) {
    push_with(ops, sf_disp, data, Some(orig_disp));
}

fn push_with<A: DynasmApi>(ops: &mut A, sf_disp: i32, data: usize, orig: Option<i32>) {
    let prev = sf_disp + PREV_OFFSET;
    let dat = sf_disp + DATA_OFFSET;
    let data = data as i64;
    dynasm!(ops
        ; .arch x64
        ; mov rax, [r15 + SHADOW_TOP_OFFSET]
        ; mov [rbp + prev], rax
        ; mov rax, QWORD data
        ; mov [rbp + dat], rax
    );
    if let Some(orig) = orig {
        dynasm!(ops ; .arch x64 ; mov [rbp + orig], rax);
    }
    dynasm!(ops
        ; .arch x64
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

/// Calls runtime helper `helper` through this crate's runtime-call trampoline, which anchors
/// this activation (return address + `rbp`) in the thread's JIT state while the helper runs.
/// Needs `r14 = *mut JitThreadState` (`r15 + thread::JIT_OFFSET`), as set by this crate's entry
/// trampoline: only this crate's JIT calls it (an embedding JIT anchors its own way).
///
/// The caller loads the helper's arguments after the first into `rsi`, `rdx`, `rcx`, `r8`, `r9`;
/// this emitter sets `rdi = r15` (every helper takes the thread state first), `r11 = helper`,
/// and clobbers `rax` and everything a System V call clobbers. `rsp` must be 16-byte aligned.
///
/// Returns the offset of the call's return address: the key of the call site in the debug map.
pub(crate) fn emit_runtime_call<A: DynasmApi>(ops: &mut A, helper: usize) -> AssemblyOffset {
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
pub(crate) fn emit_leaf_call<A: DynasmApi>(ops: &mut A, helper: usize) {
    let h = helper as i64;
    dynasm!(ops
        ; .arch x64
        ; mov rax, QWORD h
        ; call rax
    );
}
