//! Control flow: `Jump`, `PopJumpIfFalse`/`PopJumpIfTrue` and
//! `JumpIfFalseOrPop`/`JumpIfTrueOrPop`, branching on the truth of a value (bools and small
//! ints inline, anything else through `jit_truthy`), `ForIter`, and the loop headers, where the
//! code polls for safepoints so that a loop without calls still reaches one.
//!
//! A `PopJumpIf*` that follows a `Compare` and is not a jump target is fused into it (`arith`):
//! the compare's cold path branches with [`Cx::pop_branch`] as the `PopJumpIf*` would.

use super::Cx;
use crate::code::{CodeObject, Instr};
use crate::jit::emit::emit_leaf_call;
use crate::jit::helpers as h;
use crate::jit::layout::EXIT_PC;
use crate::object::value::{FALSE_BITS, NULL_BITS, TRUE_BITS};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// Instructions that are the target of a backward jump (loop headers): they poll for
/// safepoints.
pub(super) fn loop_heads(code: &CodeObject) -> Vec<bool> {
    let mut heads = vec![false; code.instrs.len()];
    for (pc, i) in code.instrs.iter().enumerate() {
        let t = match *i {
            Instr::Jump(t)
            | Instr::PopJumpIfFalse(t)
            | Instr::PopJumpIfTrue(t)
            | Instr::JumpIfFalseOrPop(t)
            | Instr::JumpIfTrueOrPop(t) => t as usize,
            _ => continue,
        };
        if t <= pc && t < heads.len() {
            heads[t] = true;
        }
    }
    heads
}

impl Cx<'_> {
    /// `ForIter(t)` at depth `d`: the next item pushed, or the exhausted iterator dropped and
    /// on to `t`. Range, list and tuple iterators step in a leaf call; any other iterator (it
    /// may run Python code) through the runtime, out of line.
    pub(super) fn for_iter(&mut self, t: u32, d: u32) {
        let (it, out) = (self.slot(d - 1), self.slot(d));
        let runtime = self.ops.new_dynamic_label();
        let stepped = self.ops.new_dynamic_label();
        let got = self.ops.new_dynamic_label();
        let target = self.pcs[t as usize];
        dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + it]);
        emit_leaf_call(&mut self.ops, h::jit_for_iter_fast as *const () as usize);
        dynasm!(self.ops
            ; .arch x64
            ; cmp rax, h::FOR_ITER_RUNTIME as i32
            ; je =>runtime
            ; =>stepped
        );
        self.on_error(d);
        dynasm!(self.ops ; .arch x64 ; cmp rax, NULL_BITS as i32 ; jne =>got);
        self.drop_at(it);
        dynasm!(self.ops
            ; .arch x64
            ; jmp =>target
            ; =>got
            ; mov [rbp + out], rax
        );
        self.cold(move |cx| {
            dynasm!(cx.ops ; .arch x64 ; =>runtime ; mov rsi, [rbp + it]);
            cx.rt(h::jit_for_iter as *const () as usize);
            dynasm!(cx.ops ; .arch x64 ; jmp =>stepped);
        });
    }

    /// Branches on the truth of the word at `[rbp + s]` (left in place): bools and small ints
    /// inline; anything else asks `jit_truthy`, which falls through with `rax` = True or False
    /// (failing with `depth` live slots on error).
    fn truthy(&mut self, s: i32, on_true: DynamicLabel, on_false: DynamicLabel, depth: u32) {
        let other = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rbp + s]
            ; cmp rax, TRUE_BITS as i32
            ; je =>on_true
            ; cmp rax, FALSE_BITS as i32
            ; je =>on_false
            ; test al, 1
            ; jz =>other
            ; cmp rax, 1
            ; je =>on_false
            ; jmp =>on_true
            ; =>other
            ; mov rsi, rax
        );
        self.rt(h::jit_truthy as *const () as usize);
        self.on_error(depth);
    }

    /// The owned value in stack slot `j` decides a branch and is popped (depth after: `j`).
    /// Bools and small ints are tested inline; anything else asks `jit_truthy`.
    pub(super) fn pop_branch(&mut self, j: u32, on_true: DynamicLabel, on_false: DynamicLabel) {
        let s = self.slot(j);
        self.truthy(s, on_true, on_false, j + 1);
        dynasm!(self.ops ; .arch x64 ; mov [rbp + EXIT_PC], rax);
        self.drop_at(s);
        dynasm!(self.ops
            ; .arch x64
            ; cmp QWORD [rbp + EXIT_PC], 2
            ; je =>on_true
            ; jmp =>on_false
        );
    }

    /// Compiles one jump instruction at depth `d`.
    pub(super) fn branch_instr(&mut self, instr: Instr, d: u32) {
        match instr {
            Instr::Jump(t) => {
                let l = self.pcs[t as usize];
                dynasm!(self.ops ; .arch x64 ; jmp =>l);
            }
            Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t) => {
                let (target, next) = (self.pcs[t as usize], self.pcs[self.pc + 1]);
                if matches!(instr, Instr::PopJumpIfTrue(_)) {
                    self.pop_branch(d - 1, target, next);
                } else {
                    self.pop_branch(d - 1, next, target);
                }
            }
            Instr::JumpIfFalseOrPop(t) | Instr::JumpIfTrueOrPop(t) => {
                // Jump keeping the value, or pop it and fall through.
                let target = self.pcs[t as usize];
                let pop = self.ops.new_dynamic_label();
                let (on_true, on_false) = if matches!(instr, Instr::JumpIfTrueOrPop(_)) {
                    (target, pop)
                } else {
                    (pop, target)
                };
                let s = self.slot(d - 1);
                self.truthy(s, on_true, on_false, d);
                dynasm!(self.ops
                    ; .arch x64
                    ; cmp rax, 2
                    ; je =>on_true
                    ; jmp =>on_false
                    ; =>pop
                );
                self.drop_at(s);
            }
            other => unreachable!("not a jump instruction: {other:?}"),
        }
    }
}
