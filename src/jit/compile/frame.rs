//! The frame of an activation: the prologue (step 1 of the module docs) and the tail emitted
//! after the body: the safepoint stubs, the error ladder (step 3), the epilogue (step 4) and the
//! recursion-limit exit.
//!
//! Invariants: the frame is sized once, by the prologue. The limits are checked before the
//! frame stores anything, so a RecursionError belongs to the caller (`jit_recursion_error`
//! drops the arguments). The shadow frame is published only once the frame is consistent, and
//! an entry polls (a tripped stack word) only after that. On the way out every owned word is
//! dropped exactly once: the ladder's rung `d` drops slot `d-1` and falls into rung `d-1`, and
//! the epilogue drops the locals, after the activation is unlinked.

use super::Cx;
use crate::code::CodeObject;
use crate::frame::RunAbi;
use crate::jit::emit::{emit_materialized_branch, jit_shadow_data};
use crate::jit::helpers as h;
use crate::jit::layout::{EXIT_PC, FUNC, GLOBALS, LAZY, ORIG_DATA, SCRATCH, SHADOW};
use crate::jit::pinned;
use crate::jit::refcount::emit_decref_rdi_polling;
use crate::object::value::NULL_BITS;
use crate::shadow::{Tag, DATA_OFFSET, PREV_OFFSET};
use crate::thread::ThreadState;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

/// Offset of the pending-exception slot in the JIT state (`r14`).
const PENDING: i32 = offset_of!(crate::jit::state::JitThreadState, pending) as i32;

/// The kind bits of a shadow frame's `data` (`shadow::Kind`).
const KIND_BITS: i32 = 0b11;

/// Offset of `ts.native_stack_limit`: a frame whose `rsp` lands below it is not entered.
const NATIVE_LIMIT: i32 = offset_of!(ThreadState, native_stack_limit) as i32;

/// Offset of `ts.stack_trip`, the word the prologue compares `rsp` with.
const STACK_TRIP: i32 = crate::thread::STACK_TRIP_OFFSET;

/// The registers in which a resumption entry (`Cx::resumes`) takes the arguments, in order,
/// instead of an array at `rdx` (`rdi` and `rsi` still hold the function and the globals): a
/// call of the running function passes them from where it computed them, with no store and
/// no reload. Code with more parameters has no resumption entries.
pub(super) const RESUME_ARGS: [u8; 4] = [2, 1, 8, 9]; // rdx, rcx, r8, r9

impl Cx<'_> {
    /// Step 1: the frame, the limit checks (failing to `rec_fail`), the locals and the shadow
    /// frame. The arguments are at `[rdx]`, or in the registers of [`RESUME_ARGS`] if `regs`
    /// (then `rec_fail` must store them into the locals and point `rdx` there: [`Cx::tail`]).
    pub(super) fn prologue(&mut self, rec_fail: DynamicLabel, regs: bool) {
        let size = self.l.frame_size();
        let tripped = self.ops.new_dynamic_label();
        let entered = self.ops.new_dynamic_label();
        // The frame counted first (`rec_fail` gives it back): a headroom that goes negative
        // was at most 0, at the limit. The stack word is the native stack's limit, or above
        // every address while a poll is requested (`ThreadState::stack_trip`): the entry's
        // safepoint poll costs no instruction of its own.
        dynasm!(self.ops
            ; .arch x64
            ; push rbp
            ; mov rbp, rsp
            ; sub rsp, size
            ; sub r13, 1
            ; jl =>rec_fail
            ; cmp rsp, [r15 + STACK_TRIP]
            ; jb =>tripped
        );
        self.enter_frame(regs);
        dynasm!(self.ops ; .arch x64 ; =>entered);
        // Tripped: the native stack ran out, or a poll is asked for; then the activation
        // polls once it is consistent, at its start.
        self.cold(move |cx| {
            dynasm!(cx.ops
                ; .arch x64
                ; =>tripped
                ; cmp rsp, [r15 + NATIVE_LIMIT]
                ; jb =>rec_fail
            );
            cx.enter_frame(regs);
            cx.rt(h::jit_entry_poll as *const () as usize);
            dynasm!(cx.ops ; .arch x64 ; jmp =>entered);
        });
    }

    /// The prologue past the limit checks: the frame's words stored and the shadow frame
    /// pushed.
    fn enter_frame(&mut self, regs: bool) {
        dynasm!(self.ops
            ; .arch x64
            ; mov [rbp + FUNC], rdi
            ; mov [rbp + GLOBALS], rsi
        );
        let argc = (self.code.argcount).min(self.l.nlocals);
        for i in 0..argc {
            let src = 8 * i as i32;
            let dst = self.local(i);
            match regs {
                true => {
                    dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], Rq(RESUME_ARGS[i as usize]))
                }
                false => {
                    dynasm!(self.ops ; .arch x64 ; mov rax, [rdx + src] ; mov [rbp + dst], rax)
                }
            }
        }
        if argc < self.l.nlocals {
            dynasm!(self.ops ; .arch x64 ; mov eax, NULL_BITS as i32);
            for i in argc..self.l.nlocals {
                let dst = self.local(i);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rax);
            }
        }
        let data = jit_shadow_data(self.info as *const u8);
        dynasm!(self.ops ; .arch x64 ; mov QWORD [rbp + LAZY], 0);
        pinned::emit_push(&mut self.ops, SHADOW, data, ORIG_DATA);
    }

    /// A resumption entry (`Cx::resumes`) at `entry`, emitted just before the instruction
    /// at `body` it starts at: the prologue (arguments in registers, failing to
    /// `rec_fail_regs`) and the entry's safepoint (an activation that polls there is at its
    /// start, as at the full entry), then that instruction. Control that reaches this point
    /// from the instruction before jumps over it.
    pub(super) fn resume_entry(
        &mut self,
        entry: DynamicLabel,
        body: DynamicLabel,
        rec_fail_regs: DynamicLabel,
    ) {
        let pc = std::mem::replace(&mut self.pc, 0);
        dynasm!(self.ops ; .arch x64 ; jmp =>body ; =>entry);
        self.prologue(rec_fail_regs, true);
        self.pc = pc;
    }

    /// The error ladder, the epilogue and the cold stubs.
    pub(super) fn tail(&mut self, (rec_fail, rec_fail_regs): (DynamicLabel, DynamicLabel)) {
        for (stub, back, pc) in std::mem::take(&mut self.polls) {
            let saved = std::mem::replace(&mut self.pc, pc);
            dynasm!(self.ops ; .arch x64 ; =>stub);
            self.rt(h::jit_safepoint as *const () as usize);
            dynasm!(self.ops ; .arch x64 ; jmp =>back);
            self.pc = saved;
        }
        for d in (1..self.errs.len()).rev() {
            let l = self.errs[d];
            dynasm!(self.ops ; .arch x64 ; =>l);
            let s = self.slot(d as u32 - 1);
            self.drop_at(s);
        }
        let l0 = self.errs[0];
        let slow = self.ops.new_dynamic_label();
        let moved = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; =>l0 ; mov rcx, [r14 + PENDING]);
        if self.gen.is_none() {
            self.unwind_step(slow, moved);
        }
        dynasm!(self.ops
            ; .arch x64
            ; =>slow
            ; mov rdi, r15
            ; mov esi, DWORD [rbp + EXIT_PC]
            ; lea rdx, [rbp + SHADOW]
        );
        pinned::emit_leaf_call_synced(&mut self.ops, h::jit_unwind_exit as *const () as usize);
        dynasm!(self.ops ; .arch x64 ; mov QWORD [rbp + SCRATCH], 0);

        let epi = self.epilogue;
        let mat = self.hand_off;
        let back = self.ops.new_dynamic_label();
        let dropped = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; =>epi);
        emit_materialized_branch(&mut self.ops, SHADOW, mat);
        dynasm!(self.ops ; .arch x64 ; =>back);
        let polls = self.leave_frame(Some(dropped));
        // The unwind step moved the locals: only the pop is left.
        dynasm!(self.ops ; .arch x64 ; =>moved);
        self.pop_activation();
        dynasm!(self.ops ; .arch x64 ; jmp =>dropped);
        self.return_polls(polls);
        dynasm!(self.ops
            ; .arch x64
            ; =>mat
            ; mov rdi, r15
            ; lea rsi, [rbp + SHADOW]
            ; mov edx, DWORD [rbp + EXIT_PC]
        );
        pinned::emit_leaf_call_synced(
            &mut self.ops,
            h::jit_materialized_exit as *const () as usize,
        );
        dynasm!(self.ops ; .arch x64 ; jmp =>back);
        self.suspend_exit();
        if self.gen.is_some() {
            // Resumptions check the limits before they enter (`interp::gen`).
            return;
        }

        // Recursion limit: nothing is pushed yet; hand the arguments back to be dropped. Those
        // of a resumption entry go into the locals first (the frame is allocated).
        let argc = self.code.argcount.min(self.l.nlocals);
        dynasm!(self.ops ; .arch x64 ; =>rec_fail_regs);
        if argc > 0 && argc as usize <= RESUME_ARGS.len() {
            for i in 0..argc {
                let dst = self.local(i);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], Rq(RESUME_ARGS[i as usize]));
            }
            let args = self.local(0);
            dynasm!(self.ops ; .arch x64 ; lea rdx, [rbp + args]);
        }
        let argc = argc as i32;
        dynasm!(self.ops
            ; .arch x64
            ; =>rec_fail
            ; add r13, 1
            ; mov rdi, r15
            ; mov rsi, rdx
            ; mov edx, argc
        );
        pinned::emit_leaf_call_synced(&mut self.ops, h::jit_recursion_error as *const () as usize);
        dynasm!(self.ops
            ; .arch x64
            ; xor eax, eax
            ; mov rsp, rbp
            ; pop rbp
            ; ret
        );
    }

    /// The epilogue from the hand-off on: the activation unlinked, then the locals released
    /// (popped first, as CPython pops a frame before it clears its locals: a generator
    /// released here runs its `finally` with the caller as the innermost frame), and the
    /// scratch word returned; `dropped`, if given, is bound after the releases. Returns the
    /// poll stubs of the releases, for [`Cx::return_polls`] to emit out of line.
    pub(super) fn leave_frame(
        &mut self,
        dropped: Option<DynamicLabel>,
    ) -> Vec<(DynamicLabel, DynamicLabel)> {
        self.pop_activation();
        let mut polls = Vec::new();
        for i in 0..self.l.nlocals {
            let d = self.local(i);
            let poll = (self.ops.new_dynamic_label(), self.ops.new_dynamic_label());
            dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + d]);
            emit_decref_rdi_polling(&mut self.ops, Some(poll));
            polls.push(poll);
        }
        if let Some(l) = dropped {
            dynasm!(self.ops ; .arch x64 ; =>l);
        }
        dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + SCRATCH]);
        self.leave();
        polls
    }

    /// The stubs of [`Cx::leave_frame`]: a released local left work for a safepoint
    /// (`jit_decref` asked for a poll), served as at the caller's call site, where the caller
    /// goes on (`jit_return_poll`).
    pub(super) fn return_polls(&mut self, polls: Vec<(DynamicLabel, DynamicLabel)>) {
        for (stub, resume) in polls {
            // A handshake served there walks the stack, and may refresh the headroom.
            dynasm!(self.ops
                ; .arch x64
                ; =>stub
                ; mov rdi, r15
                ; mov rsi, rbp
            );
            pinned::emit_leaf_call_synced(&mut self.ops, h::jit_return_poll as *const () as usize);
            dynasm!(self.ops ; .arch x64 ; jmp =>resume);
        }
    }

    /// Unlinks the activation: its shadow frame popped and its frame given back to
    /// `ts.headroom`. From here on the caller is the innermost frame.
    fn pop_activation(&mut self) {
        pinned::emit_pop(&mut self.ops, SHADOW);
        dynasm!(self.ops ; .arch x64 ; add r13, 1);
    }

    /// The compiled unwind step (`frame::RunAbi`): with the pending exception's word in `rcx`,
    /// a frame of a recursion unwinding appends itself to the thread's pending run, as
    /// `frame::append_to_run` would, and goes to `moved` (its locals moved: nothing to drop);
    /// anything the step does not cover goes to `slow`, the helper, with `rcx` intact. No call,
    /// no lock, no reference count: an unwinding recursion costs a few dozen instructions a
    /// frame.
    fn unwind_step(&mut self, slow: DynamicLabel, moved: DynamicLabel) {
        let n = self.l.nlocals as i32;
        let code_addr = self.code as *const CodeObject as i64;
        let prev = SHADOW + PREV_OFFSET;
        let data = SHADOW + DATA_OFFSET;
        // Conditions 1-5 of `RunAbi`, in its order; nothing is written before all hold.
        dynasm!(self.ops
            ; .arch x64
            ; test rcx, rcx
            ; jz =>slow
            ; cmp BYTE [r15 + RunAbi::BUSY], 0
            ; jne =>slow
            ; lea rdx, [rbp + SHADOW]
            ; cmp rdx, [r15 + RunAbi::CALLER]
            ; jne =>slow
            ; cmp rcx, [r15 + RunAbi::ERR_BITS]
            ; jne =>slow
            ; mov rax, QWORD code_addr
            ; cmp rax, [r15 + RunAbi::LAST_CODE_ADDR]
            ; jne =>slow
            ; mov rax, [rbp + GLOBALS]
            ; cmp rax, [r15 + RunAbi::LAST_GLOBALS_BITS]
            ; jne =>slow
            ; test BYTE [rbp + data], Tag::MATERIALIZED.bits() as i8
            ; jnz =>slow
            ; cmp QWORD [rbp + LAZY], 0
            ; jne =>slow
            ; mov r8, [rbp + prev]
            ; test r8, r8
            ; jz =>slow
            ; mov eax, DWORD [r8 + DATA_OFFSET]
            ; and eax, KIND_BITS
            ; cmp eax, Tag::JIT.bits() as i32
            ; jne =>slow
            ; cmp QWORD [r8 + LAZY - SHADOW], 0
            ; jne =>slow
            ; mov rax, [r15 + RunAbi::SITES_CUR]
            ; cmp rax, [r15 + RunAbi::SITES_END]
            ; je =>slow
            ; mov r9, [r15 + RunAbi::LOCALS_CUR]
            ; lea r10, [r9 + 8 * n]
            ; cmp r10, [r15 + RunAbi::LOCALS_END]
            ; ja =>slow
            // The site.
            ; mov r10d, DWORD [rbp + EXIT_PC]
            ; mov DWORD [rax + RunAbi::SITE_PC], r10d
            ; mov r10d, DWORD [r15 + RunAbi::LAST_GROUP]
            ; mov DWORD [rax + RunAbi::SITE_GROUP], r10d
            ; add rax, RunAbi::SITE_SIZE
            ; mov [r15 + RunAbi::SITES_CUR], rax
            ; add QWORD [r15 + RunAbi::SITES_LEN], 1
        );
        // The locals, moved: the frame's words are not dropped (the step ends past the drops).
        for i in 0..self.l.nlocals {
            let d = self.local(i);
            dynasm!(self.ops ; .arch x64 ; mov r11, [rbp + d] ; mov [r9 + 8 * i as i32], r11);
        }
        dynasm!(self.ops
            ; .arch x64
            ; lea r10, [r9 + 8 * n]
            ; mov [r15 + RunAbi::LOCALS_CUR], r10
            ; add QWORD [r15 + RunAbi::LOCALS_LEN], n
            // Nothing to hand off at exit; the run waits for the caller.
            ; mov QWORD [rbp + data], (Tag::OWNED_BY_JIT | Tag::JIT).bits() as i32
            ; mov [r15 + RunAbi::CALLER], r8
            ; or QWORD [r8 + DATA_OFFSET], Tag::OBSERVED.bits() as i32
            ; mov QWORD [rbp + SCRATCH], 0
            ; jmp =>moved
        );
    }
}
