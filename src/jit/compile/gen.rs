//! Generator and coroutine code: the resumable entry, the resume stubs, `yield`, `yield from`
//! and the suspension exit. The frame itself lives in the generator (see `jit::gen`).
//!
//! How a compiled generator runs, in steps:
//!
//! 1. **Entry** (`entry(fp, sent, mode)`, called by the entry trampoline with `rsp = 8 mod
//!    16`). Store the caller's return address and `rbp` in the block's top words (`fp + 8`,
//!    `fp`), so a walker steps out of this frame exactly as out of a stack frame; set `rbp =
//!    fp`; `sub rsp, 8` to realign (`rsp` stays on the thread's stack, where calls push). Link
//!    the shadow frame again (`emit_shadow_relink`: its `data` word is kept), count the depth,
//!    clear the suspended flag, and jump to the resume stub of the exit-pc instruction.
//! 2. **Resume stubs** (out of line, one per suspension point). `Value`: the sent word becomes
//!    the suspending instruction's result (written to its stack slot); `ReturnGenerator` and
//!    `YieldValue` continue at the next instruction, `YieldFrom` runs again to pass it on.
//!    `Delegated` (a `YieldFrom` only): the result replaces the delegate, continue after it.
//!    `Throw`: fail at the suspending instruction with the pending exception (its handler or
//!    the error ladder, with the slots live while suspended). Each path then polls for a
//!    safepoint, as a function entry does.
//! 3. **Yield**: the value goes to the scratch word, the instruction to the exit-pc word; the
//!    shared suspension exit sets the suspended flag, hands observers over if the shadow frame
//!    is `MATERIALIZED` or `OBSERVED` (`jit_gen_suspend`), unlinks the shadow frame, uncounts
//!    the depth and returns `(value, 1)` with `rsp` and `rbp` restored from the block.
//! 4. **Exit**: returns and errors take the common epilogue, whose last step is
//!    [`Cx::leave`] (`(value, 0)`, or `(0, 0)` with the exception pending).
//!
//! Guards never deoptimize here: a deoptimized activation continues in an interpreter frame,
//! which cannot become this generator's frame between resumptions. A failed guard takes the
//! generic helper instead (the path every code takes once its deopt budget is spent).

use super::Cx;
use crate::code::Instr;
use crate::jit::emit::emit_materialized_branch;
use crate::jit::gen::ResumeMode;
use crate::jit::helpers as h;
use crate::jit::layout::{EXIT_PC, GEN_SUSPENDED, RET_ADDR, SAVED_RBP, SCRATCH, SHADOW};
use crate::jit::pinned;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// The generator parts of a compilation.
pub(super) struct GenCx {
    /// `(instruction, resume stub)` of every suspension point, in instruction order.
    resumes: Vec<(usize, DynamicLabel)>,
    /// The shared suspension exit.
    suspend: DynamicLabel,
}

impl GenCx {
    /// The generator parts for `cx`'s code, if it is generator code.
    pub(super) fn new(cx: &mut Cx<'_>) -> Option<GenCx> {
        let info = cx.info as *const crate::jit::JitCodeInfo;
        // SAFETY: the info is boxed and its resume points are set before compilation.
        let points = unsafe { &(*info).resume_points };
        if points.is_empty() {
            return None;
        }
        Some(GenCx {
            resumes: points
                .iter()
                .map(|p| (p.pc as usize, cx.ops.new_dynamic_label()))
                .collect(),
            suspend: cx.ops.new_dynamic_label(),
        })
    }
}

impl Cx<'_> {
    /// Step 1: the resumable entry.
    pub(super) fn gen_prologue(&mut self) {
        let g = self.gen.as_ref().expect("generator code");
        let resumes = g.resumes.clone();
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rsp]
            ; mov [rdi + RET_ADDR], rax
            ; mov [rdi + SAVED_RBP], rbp
            ; mov rbp, rdi
            ; sub rsp, 8
        );
        pinned::emit_relink(&mut self.ops, SHADOW);
        dynasm!(self.ops
            ; .arch x64
            ; sub r13, 1
            ; mov DWORD [rbp + GEN_SUSPENDED], 0
            ; mov eax, DWORD [rbp + EXIT_PC]
        );
        for (pc, stub) in resumes {
            dynasm!(self.ops ; .arch x64 ; cmp eax, pc as i32 ; je =>stub);
        }
        // Not a resume point: the frame was corrupted.
        dynasm!(self.ops ; .arch x64 ; ud2);
    }

    /// Step 2: the resume stubs (before `tail`, which emits the safepoint stubs they use).
    pub(super) fn resume_stubs(&mut self) {
        let Some(g) = &self.gen else { return };
        let resumes = g.resumes.clone();
        for (pc, stub) in resumes {
            let d = self.an.depth[pc].expect("resume points are reachable");
            let throw = self.ops.new_dynamic_label();
            dynasm!(self.ops
                ; .arch x64
                ; =>stub
                ; cmp edx, ResumeMode::Throw as i32
                ; je =>throw
            );
            match self.code.instrs[pc] {
                Instr::YieldFrom => {
                    let (sub, v) = (self.slot(d - 2), self.slot(d - 1));
                    let delegated = self.ops.new_dynamic_label();
                    let again = self.pcs[pc];
                    dynasm!(self.ops
                        ; .arch x64
                        ; cmp edx, ResumeMode::Delegated as i32
                        ; je =>delegated
                        ; mov [rbp + v], rsi
                    );
                    self.resume_at(pc, again);
                    dynasm!(self.ops ; .arch x64 ; =>delegated ; mov [rbp + SCRATCH], rsi);
                    self.drop_at(sub);
                    dynasm!(self.ops
                        ; .arch x64
                        ; mov rax, [rbp + SCRATCH]
                        ; mov [rbp + sub], rax
                    );
                    let next = self.pcs[pc + 1];
                    self.resume_at(pc + 1, next);
                    dynasm!(self.ops ; .arch x64 ; =>throw);
                    self.pc = pc;
                    self.fail(d - 1);
                }
                _ => {
                    // `ReturnGenerator` (depth 0) or `YieldValue`: the result takes the slot
                    // of the yielded value.
                    let live = d.saturating_sub(1);
                    let s = self.slot(live);
                    dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rsi);
                    let next = self.pcs[pc + 1];
                    self.resume_at(pc + 1, next);
                    dynasm!(self.ops ; .arch x64 ; =>throw);
                    self.pc = pc;
                    self.fail(live);
                }
            }
        }
    }

    /// Polls for a safepoint at instruction `pc` (a resumption is a function entry), then
    /// jumps to `label`.
    fn resume_at(&mut self, pc: usize, label: DynamicLabel) {
        self.pc = pc;
        self.poll();
        dynasm!(self.ops ; .arch x64 ; jmp =>label);
    }

    /// Step 3 for `YieldValue` at depth `d`.
    pub(super) fn yield_value(&mut self, d: u32) {
        let s = self.slot(d - 1);
        dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + s]);
        self.suspend_with_rax();
    }

    /// `YieldFrom` at depth `d` (delegate at `d - 2`, value to send at `d - 1`): send through
    /// `jit_yield_from`; suspend with what the delegate yielded, or go on with its result.
    pub(super) fn yield_from(&mut self, d: u32) {
        let sub = self.slot(d - 2);
        let done = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; lea rsi, [rbp + sub]);
        self.rt(h::jit_yield_from as *const () as usize);
        self.on_error(d - 1);
        dynasm!(self.ops ; .arch x64 ; test edx, edx ; jz =>done);
        self.suspend_with_rax();
        dynasm!(self.ops ; .arch x64 ; =>done);
    }

    /// Suspends at the current instruction, yielding the owned word in `rax`.
    fn suspend_with_rax(&mut self) {
        let pc = self.pc as i32;
        let suspend = self.gen.as_ref().expect("generator code").suspend;
        dynasm!(self.ops
            ; .arch x64
            ; mov [rbp + SCRATCH], rax
            ; mov DWORD [rbp + EXIT_PC], pc
            ; jmp =>suspend
        );
    }

    /// Step 3: the shared suspension exit (emitted by `tail`).
    pub(super) fn suspend_exit(&mut self) {
        let Some(g) = &self.gen else { return };
        let suspend = g.suspend;
        let observed = self.ops.new_dynamic_label();
        let back = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; =>suspend
            ; mov DWORD [rbp + GEN_SUSPENDED], 1
        );
        emit_materialized_branch(&mut self.ops, SHADOW, observed);
        dynasm!(self.ops ; .arch x64 ; =>back);
        pinned::emit_pop(&mut self.ops, SHADOW);
        dynasm!(self.ops
            ; .arch x64
            ; add r13, 1
            ; mov rax, [rbp + SCRATCH]
            ; mov edx, 1
            ; add rsp, 8
            ; mov rbp, [rbp + SAVED_RBP]
            ; ret
            ; =>observed
            ; mov rdi, r15
            ; lea rsi, [rbp + SHADOW]
        );
        pinned::emit_leaf_call_synced(&mut self.ops, h::jit_gen_suspend as *const () as usize);
        dynasm!(self.ops ; .arch x64 ; jmp =>back);
    }

    /// Step 4: the last instructions of the epilogue, with the result word in `rax`: a
    /// generator frame returns `rdx = 0` and restores `rsp`/`rbp` from its block; any other
    /// frame pops its stack frame.
    pub(super) fn leave(&mut self) {
        if self.gen.is_some() {
            dynasm!(self.ops
                ; .arch x64
                ; xor edx, edx
                ; add rsp, 8
                ; mov rbp, [rbp + SAVED_RBP]
                ; ret
            );
        } else {
            // `leave` is `mov rsp, rbp; pop rbp` in one instruction.
            dynasm!(self.ops
                ; .arch x64
                ; leave
                ; ret
            );
        }
    }
}
