//! The frame's words: the addresses of stack slots and locals, constants and names embedded as
//! immediates, the reference counting of what the slots hold, and the instructions that only
//! move words between them (`LoadFast`, `StoreFast`, `DeleteFast`, `PopTop`, `Copy`, `Swap`).
//!
//! Ownership matches the interpreter's value stack: a slot or local owns its word. The one
//! exception is a callee-window slot holding the running function, which has no reference of
//! its own (`analysis::CalleeWindows`): it gets one before the stack is handed over
//! ([`Cx::own_window_slots`]) and is released only if it is not that function. Immediates
//! (small ints, None, bools, the NULL marker) need no counting; heap words are told apart inline.

use super::Cx;
use crate::code::Instr;
use crate::jit::layout::FUNC;
use crate::jit::refcount::{emit_decref_rdi, emit_incref_rax};
use crate::object::value::NULL_BITS;
use crate::object::Value;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};

impl Cx<'_> {
    /// The `rbp` offset of value-stack slot `j`.
    pub(super) fn slot(&self, j: u32) -> i32 {
        self.l.slot(j)
    }

    /// The `rbp` offset of local `i`.
    pub(super) fn local(&self, i: u32) -> i32 {
        self.l.local(i)
    }

    /// The word of name `i`, as an immediate (the code object keeps it alive).
    pub(super) fn name(&self, i: u32) -> i64 {
        self.code.names[i as usize].bits() as i64
    }

    /// The local whose `LoadFast` the `LoadAttr` at `pc` reads in place, if they fuse: the
    /// `LoadFast` is right before it and nothing jumps in between. The `LoadFast` then stores
    /// nothing and the attribute load borrows the local (`helpers::jit_load_attr_local`): no
    /// reference is taken and released around it.
    pub(super) fn local_attr_at(&self, pc: usize) -> Option<u32> {
        if pc == 0 || !matches!(self.code.instrs.get(pc), Some(Instr::LoadAttr(_))) {
            return None;
        }
        if self.an.is_target[pc] {
            return None;
        }
        match self.code.instrs[pc - 1] {
            Instr::LoadFast(i) => Some(i),
            _ => None,
        }
    }

    /// `rax = ` local `i`, for an instruction that reads it in place instead of its fused
    /// `LoadFast` at `load_pc` (depth `d` there): with that `LoadFast`'s UnboundLocalError,
    /// out of line, unless the local is bound on every path there.
    pub(super) fn read_fused_local(&mut self, i: u32, load_pc: usize, d: u32) {
        let src = self.local(i);
        dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
        if !self.an.bound_at(load_pc, i) {
            let unbound = self.ops.new_dynamic_label();
            dynasm!(self.ops ; .arch x64 ; cmp rax, NULL_BITS as i32 ; je =>unbound);
            // The error is the `LoadFast`'s: its instruction, its depth.
            let pc = std::mem::replace(&mut self.pc, load_pc);
            self.cold(move |cx| {
                dynasm!(cx.ops ; .arch x64 ; =>unbound);
                cx.unbound(i, d);
            });
            self.pc = pc;
        }
    }

    /// `rax = v`, cloned.
    pub(super) fn load_value(&mut self, v: &Value) {
        let bits = v.bits() as i64;
        dynasm!(self.ops ; .arch x64 ; mov rax, QWORD bits);
        if v.is_heap() {
            emit_incref_rax(&mut self.ops);
        }
    }

    /// Clones the word in `rax` (heap words only); `rax` is preserved.
    pub(super) fn incref_rax(&mut self) {
        emit_incref_rax(&mut self.ops);
    }

    /// Drops the owned word at `[rbp + disp]` (a decref call for heap words only).
    pub(super) fn drop_at(&mut self, disp: i32) {
        dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + disp]);
        emit_decref_rdi(&mut self.ops);
    }

    /// Before the value stack up to `depth` is handed over (cut by an error, taken by a
    /// deoptimization): every callee-window slot below `depth` that holds the running function
    /// without a reference gets one (`analysis::CalleeWindows`).
    pub(super) fn own_window_slots(&mut self, depth: u32) {
        let an = self.an;
        for &s in an.windows.live[self.pc].iter().filter(|&&s| s < depth) {
            self.own_if_running(self.slot(s));
        }
    }

    /// Releases the word at `[rbp + disp]` where the instruction leaves the frame consistent,
    /// polling if that left a generator's `finally` to run ([`Cx::decref_rdi_polled`]); not if
    /// `running` and it is the running function (a callee-window slot holding it has no
    /// reference of its own).
    pub(super) fn drop_at_polled(&mut self, disp: i32, running: bool) {
        let skip = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + disp]);
        if running {
            dynasm!(self.ops ; .arch x64 ; cmp rdi, [rbp + FUNC] ; je =>skip);
        }
        self.decref_rdi_polled();
        dynasm!(self.ops ; .arch x64 ; =>skip);
    }

    /// Increments the word at `[rbp + disp]` if it is the running function (a window slot
    /// holding it has no reference of its own).
    pub(super) fn own_if_running(&mut self, disp: i32) {
        let skip = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rbp + disp]
            ; cmp rax, [rbp + FUNC]
            ; jne =>skip
        );
        emit_incref_rax(&mut self.ops);
        dynasm!(self.ops ; .arch x64 ; =>skip);
    }

    /// Compiles one instruction that only moves words between locals and stack slots at
    /// depth `d` (a `LoadFast` fused into the instruction two ahead emits nothing and never
    /// comes here: [`Cx::local_left_at`]).
    pub(super) fn slot_instr(&mut self, instr: Instr, d: u32) {
        match instr {
            Instr::LoadFast(i) => {
                let src = self.local(i);
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
                if !self.an.bound_at(self.pc, i) {
                    let bound = self.ops.new_dynamic_label();
                    dynasm!(self.ops ; .arch x64 ; cmp rax, NULL_BITS as i32 ; jne =>bound);
                    self.unbound(i, d);
                    dynasm!(self.ops ; .arch x64 ; =>bound);
                }
                self.incref_rax();
                let s = self.result_dest(self.slot(d));
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::StoreFast(i) => {
                let s = self.slot(d - 1);
                let dst = self.local(i);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rax, [rbp + s]
                    ; mov rdi, [rbp + dst]
                    ; mov [rbp + dst], rax
                );
                self.decref_rdi_polled();
            }
            Instr::DeleteFast(i) => {
                let dst = self.local(i);
                let ok = self.ops.new_dynamic_label();
                dynasm!(self.ops
                    ; .arch x64
                    ; cmp QWORD [rbp + dst], NULL_BITS as i32
                    ; jne =>ok
                );
                self.unbound(i, d);
                dynasm!(self.ops
                    ; .arch x64
                    ; =>ok
                    ; mov rdi, [rbp + dst]
                    ; mov eax, NULL_BITS as i32
                    ; mov [rbp + dst], rax
                );
                self.decref_rdi_polled();
            }
            Instr::PopTop => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + s]);
                self.decref_rdi_polled();
            }
            Instr::Copy(i) => {
                let (src, dst) = (self.slot(d - i), self.slot(d));
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
                self.incref_rax();
                dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rax);
            }
            Instr::Swap(i) => {
                let (top, other) = (self.slot(d - 1), self.slot(d - i));
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rax, [rbp + top]
                    ; mov rcx, [rbp + other]
                    ; mov [rbp + top], rcx
                    ; mov [rbp + other], rax
                );
            }
            other => unreachable!("not a local or stack instruction: {other:?}"),
        }
    }
}
