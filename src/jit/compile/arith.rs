//! Arithmetic and comparisons: `BinaryOp`/`InplaceOp` and `Compare` (fused with a following
//! `PopJumpIf*`), with their small-int cases inline behind tag and overflow guards and the
//! generic helper on the cold path; and the flag-to-bool and conditional-jump emitters.
//!
//! Operand fusion: a small-int constant right operand is an immediate (its `LoadConst` stores
//! nothing), and then a local left operand may be read in place (its `LoadFast` stores nothing,
//! [`Cx::local_left_at`]). Every cold path of such an instruction first writes the skipped
//! operands into their slots ([`Cx::const_slot_entry`]), so the runtime and deoptimization see
//! the stack the interpreter would. A failed guard of `+ - *` or of a compare deoptimizes
//! (`deopt_stub`); those of `// % & | ^` take the runtime path.

use super::Cx;
use crate::code::{BinOp, CmpOp, Instr};
use crate::jit::helpers as h;
use crate::object::value::{FALSE_BITS, TRUE_BITS};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// Conditions of `Compare`, for `cmovcc`/`jcc` on tagged small ints (tagging is monotone:
/// `(x << 1) | 1` preserves signed order, so tagged words compare like the ints).
#[derive(Copy, Clone)]
pub(super) enum Cond {
    L,
    Le,
    E,
    Ne,
    G,
    Ge,
}

impl Cond {
    pub(super) fn of(op: CmpOp) -> Cond {
        match op {
            CmpOp::Lt => Cond::L,
            CmpOp::Le => Cond::Le,
            CmpOp::Eq => Cond::E,
            CmpOp::Ne => Cond::Ne,
            CmpOp::Gt => Cond::G,
            CmpOp::Ge => Cond::Ge,
        }
    }

    pub(super) fn negate(self) -> Cond {
        match self {
            Cond::L => Cond::Ge,
            Cond::Le => Cond::G,
            Cond::E => Cond::Ne,
            Cond::Ne => Cond::E,
            Cond::G => Cond::Le,
            Cond::Ge => Cond::L,
        }
    }
}

/// Binary operations whose small-int case runs inline ([`Cx::binary`]).
fn inline_binop(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add
            | BinOp::Sub
            | BinOp::Mul
            | BinOp::FloorDiv
            | BinOp::Mod
            | BinOp::And
            | BinOp::Or
            | BinOp::Xor
    )
}

impl Cx<'_> {
    /// The right operand of the binary instruction at `self.pc` when the instruction before
    /// pushed it from a small-int constant and nothing jumps in between: its tagged word, as
    /// an `i32` immediate if it fits. The `LoadConst` then stores nothing: the cold paths of
    /// the instruction write the constant into its slot before they read the stack
    /// ([`Cx::const_slot_entry`]).
    fn const_right(&self) -> Option<i32> {
        self.const_operand_at(self.pc)
    }

    /// [`Cx::const_right`] of the instruction at `pc`, if it is a binary operation or a compare.
    pub(super) fn const_operand_at(&self, pc: usize) -> Option<i32> {
        if pc == 0 || pc >= self.code.instrs.len() || self.an.is_target[pc] {
            return None;
        }
        if !matches!(
            self.code.instrs[pc],
            Instr::BinaryOp(_) | Instr::InplaceOp(_) | Instr::Compare(_)
        ) {
            return None;
        }
        let Instr::LoadConst(k) = self.code.instrs[pc - 1] else {
            return None;
        };
        let v = &self.code.consts[k as usize];
        v.as_small()?;
        i32::try_from(v.bits() as isize).ok()
    }

    /// The local whose `LoadFast` pushed the left operand of the instruction at `pc`, when that
    /// instruction has a constant right operand ([`Cx::const_operand_at`]), runs its small-int
    /// case inline, and nothing jumps between the three: the `LoadFast` then stores nothing,
    /// the inline case reads the local itself (a small int needs no reference), and the cold
    /// paths clone the local into its slot before they read the stack
    /// ([`Cx::const_slot_entry`]). The local is bound on every path there, and the
    /// `LoadConst` in between cannot change it.
    pub(super) fn local_left_at(&self, pc: usize) -> Option<u32> {
        self.const_operand_at(pc)?;
        let inline = match self.code.instrs[pc] {
            Instr::Compare(_) => true,
            Instr::BinaryOp(op) | Instr::InplaceOp(op) => inline_binop(op),
            _ => false,
        };
        if !inline || pc < 2 || self.an.is_target[pc - 1] {
            return None;
        }
        match self.code.instrs[pc - 2] {
            Instr::LoadFast(i) if self.an.bound_at(pc - 2, i) => Some(i),
            _ => None,
        }
    }

    /// The cold entry of a path that reads slot `b` of an instruction whose right operand is
    /// the constant `kb` (not stored by its `LoadConst`): writes the constant into the slot,
    /// and clones the local `left` (when [`Cx::local_left_at`] fused its `LoadFast`) into slot
    /// `a`, then jumps to `path`. Emit where control does not fall through.
    fn const_slot_entry(
        &mut self,
        entry: DynamicLabel,
        kb: i32,
        (a, b): (i32, i32),
        left: Option<u32>,
        path: DynamicLabel,
    ) {
        dynasm!(self.ops ; .arch x64 ; =>entry);
        if let Some(i) = left {
            let src = self.local(i);
            dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
            self.incref_rax();
            dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rax);
        }
        dynasm!(self.ops
            ; .arch x64
            ; mov QWORD [rbp + b], kb
            ; jmp =>path
        );
    }

    /// `rax`, `rcx` = the operands at `[rbp + a]` and `[rbp + b]` (the right one from the
    /// immediate `kb` when it is a small-int constant, `const_right`, loaded into `rcx` only
    /// if the operation reads it there), behind a guard that jumps to `fail` unless both are
    /// small ints (a constant needs none).
    fn small_int_operands(&mut self, a: i32, b: i32, kb: Option<(i32, bool)>, fail: DynamicLabel) {
        match kb {
            Some((kb, rcx)) => {
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + a]);
                if rcx {
                    dynasm!(self.ops ; .arch x64 ; mov rcx, kb);
                }
                dynasm!(self.ops ; .arch x64 ; test al, 1 ; jz =>fail);
            }
            None => dynasm!(self.ops
                ; .arch x64
                ; mov rax, [rbp + a]
                ; mov rcx, [rbp + b]
                ; mov edx, eax
                ; and edx, ecx
                ; test dl, 1
                ; jz =>fail
            ),
        }
        self.guard_site();
    }

    /// Floor division of the small ints tagged in `rax` by `rcx`: the untagged quotient in
    /// `rax` and remainder in `rdx`, both rounded as Python rounds (toward negative infinity:
    /// `idiv` truncates toward zero, so a nonzero remainder whose sign differs from the
    /// divisor's moves the quotient down by one and the remainder up by the divisor). A zero
    /// divisor jumps to `slow` (ZeroDivisionError). The operands are 63-bit, so `idiv` cannot
    /// overflow. `r8` = the divisor, `r9` clobbered.
    fn floor_divmod(&mut self, slow: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; mov r8, rcx
            ; sar r8, 1
            ; jz =>slow
            ; sar rax, 1
            ; cqo
            ; idiv r8
            ; test rdx, rdx
            ; jz >exact
            ; mov r9, rdx
            ; xor r9, r8
            ; jns >exact
            ; sub rax, 1
            ; add rdx, r8
            ; exact:
        );
    }

    /// `BinaryOp`/`InplaceOp`: small-int `+ - * // % & | ^` inline behind guards, everything
    /// else (and a failed guard) through `helper`.
    pub(super) fn binary(&mut self, op: BinOp, d: u32, helper: usize) {
        let (a, b) = (self.slot(d - 2), self.slot(d - 1));
        let slow = self.ops.new_dynamic_label();
        let deopt = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        let inline = inline_binop(op);
        // `+ - *` of other types deoptimize (the code was compiled for ints); `// % & | ^` go to
        // the runtime: `"%d" % i` formats a str, `&` and `|` combine sets and bools, and
        // deoptimizing at every such use would leave the rest of the activation interpreted.
        let deopts = matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul);
        let kb = self.const_right();
        let left = self.local_left_at(self.pc);
        // With a constant right operand, the guards enter the cold paths through entries that
        // store it first.
        let (slow_in, deopt_in) = match kb {
            Some(_) => (self.ops.new_dynamic_label(), self.ops.new_dynamic_label()),
            None => (slow, deopt),
        };
        let not_ints = if deopts { deopt_in } else { slow_in };
        if inline {
            let src = left.map_or(a, |i| self.local(i));
            // `x + k` and `x - k` take the constant as an immediate, and the left operand
            // where the result goes.
            let plus_minus_k = matches!((op, kb), (BinOp::Add | BinOp::Sub, Some(_)));
            if plus_minus_k {
                dynasm!(self.ops ; .arch x64 ; mov rdx, [rbp + src] ; test dl, 1 ; jz =>not_ints);
                self.guard_site();
            } else {
                let rcx = !matches!(op, BinOp::Add | BinOp::Sub);
                self.small_int_operands(src, b, kb.map(|k| (k, rcx)), not_ints);
            }
            // Overflow guard: the tagged result overflows i64 exactly when the int result
            // leaves the small range (see asm/README.md "Small-int arithmetic").
            match (op, kb) {
                // `x + k`, `x - k`: `a + (b - 1)`, `a - (b - 1)` with `b - 1` an immediate.
                (BinOp::Add, Some(kb)) => dynasm!(self.ops
                    ; .arch x64
                    ; add rdx, kb - 1
                    ; jo =>deopt_in
                ),
                (BinOp::Sub, Some(kb)) => dynasm!(self.ops
                    ; .arch x64
                    ; sub rdx, kb - 1
                    ; jo =>deopt_in
                ),
                (BinOp::Add, None) => dynasm!(self.ops
                    ; .arch x64
                    ; lea rdx, [rax - 1]
                    ; add rdx, rcx
                    ; jo =>deopt_in
                ),
                (BinOp::Sub, None) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; lea r8, [rcx - 1]
                    ; sub rdx, r8
                    ; jo =>deopt_in
                ),
                // Tagged words combine bit by bit: (2a+1) & (2b+1) = 2(a&b)+1, likewise `|`;
                // `^` clears the tag bit, which is set again.
                (BinOp::And, _) => dynasm!(self.ops ; .arch x64 ; mov rdx, rax ; and rdx, rcx),
                (BinOp::Or, _) => dynasm!(self.ops ; .arch x64 ; mov rdx, rax ; or rdx, rcx),
                (BinOp::Xor, _) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; xor rdx, rcx
                    ; or rdx, 1
                ),
                // `//` and `%` (`floor_divmod`); only the quotient `-2**62 // -1` leaves the
                // small range.
                (BinOp::FloorDiv, _) => {
                    self.floor_divmod(slow_in);
                    dynasm!(self.ops
                        ; .arch x64
                        ; mov rdx, rax
                        ; add rdx, rdx
                        ; jo =>slow_in
                        ; or rdx, 1
                    )
                }
                (BinOp::Mod, _) => {
                    self.floor_divmod(slow_in);
                    dynasm!(self.ops ; .arch x64 ; lea rdx, [rdx * 2 + 1])
                }
                (_, _) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; sar rdx, 1
                    ; lea r8, [rcx - 1]
                    ; imul rdx, r8
                    ; jo =>deopt_in
                    ; or rdx, 1
                ),
            }
            self.guard_site();
            let dst = self.result_dest(a);
            // A call of the running function right after takes the result in `rdx`; the
            // cold paths store it and jump to `done`, which that call binds.
            let hand_over = self.takes_rdx(self.pc + 1);
            // The scratch word is for a `ReturnValue` next, never for a call.
            debug_assert!(!hand_over || dst != crate::jit::layout::SCRATCH);
            if hand_over {
                self.rdx_result = Some((done, dst));
            } else {
                dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rdx);
            }
            self.cold(move |cx| {
                if let Some(kb) = kb {
                    cx.const_slot_entry(slow_in, kb, (a, b), left, slow);
                    if deopts {
                        cx.const_slot_entry(deopt_in, kb, (a, b), left, deopt);
                    }
                }
                if deopts {
                    cx.deopt_stub(deopt, slow, d);
                }
                cx.operands_runtime(op as u8, helper, (a, b), d, slow);
                dynasm!(cx.ops ; .arch x64 ; mov [rbp + dst], rax ; jmp =>done);
            });
            if hand_over {
                return;
            }
        } else {
            if let Some(kb) = kb {
                // Not inline: the runtime path is the only one, and reads the slot.
                dynasm!(self.ops ; .arch x64 ; mov QWORD [rbp + b], kb);
            }
            self.operands_runtime(op as u8, helper, (a, b), d, slow);
            let dst = self.result_dest(a);
            dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rax);
        }
        dynasm!(self.ops ; .arch x64 ; =>done);
    }

    /// The runtime path of a binary instruction or compare at depth `d` (entered at `slow`):
    /// `helper` of the operator `op` and the operands in slots `a` and `b`, the result in
    /// `rax`, for the caller to store.
    fn operands_runtime(
        &mut self,
        op: u8,
        helper: usize,
        (a, b): (i32, i32),
        d: u32,
        slow: DynamicLabel,
    ) {
        dynasm!(self.ops
            ; .arch x64
            ; =>slow
            ; mov esi, op as i32
            ; mov rdx, [rbp + a]
            ; mov rcx, [rbp + b]
        );
        self.rt(helper);
        self.on_error(d - 2);
    }

    /// `Compare`, fused with a following `PopJumpIf*` that is not a jump target.
    pub(super) fn compare(&mut self, op: CmpOp, d: u32) -> bool {
        let (a, b) = (self.slot(d - 2), self.slot(d - 1));
        let next = self.code.instrs.get(self.pc + 1).copied();
        let fused = match next {
            Some(Instr::PopJumpIfFalse(t)) | Some(Instr::PopJumpIfTrue(t))
                if !self.an.is_target[self.pc + 1] && self.pc + 2 < self.pcs.len() =>
            {
                Some((t, matches!(next, Some(Instr::PopJumpIfTrue(_)))))
            }
            _ => None,
        };
        let slow = self.ops.new_dynamic_label();
        let deopt = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        let c = Cond::of(op);
        let kb = self.const_right();
        let left = self.local_left_at(self.pc);
        let deopt_in = match kb {
            Some(_) => self.ops.new_dynamic_label(),
            None => deopt,
        };
        let src = left.map_or(a, |i| self.local(i));
        self.small_int_operands(src, b, kb.map(|k| (k, false)), deopt_in);
        match kb {
            Some(kb) => dynasm!(self.ops ; .arch x64 ; cmp rax, kb),
            None => dynasm!(self.ops ; .arch x64 ; cmp rax, rcx),
        }
        match fused {
            Some((t, jump_if_true)) => {
                // Not taken: on to the instruction after the `PopJumpIf`, whose code comes
                // next (the fused `PopJumpIf` emits none, and the cold paths are out of line).
                let target = self.pcs[t as usize];
                self.jcc(if jump_if_true { c } else { c.negate() }, target);
            }
            None => {
                self.bool_from_flags(c);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rdx);
            }
        }
        self.cold(move |cx| {
            if let Some(kb) = kb {
                cx.const_slot_entry(deopt_in, kb, (a, b), left, deopt);
            }
            cx.deopt_stub(deopt, slow, d);
            let helper = h::jit_compare as *const () as usize;
            cx.operands_runtime(op as u8, helper, (a, b), d, slow);
            dynasm!(cx.ops ; .arch x64 ; mov [rbp + a], rax);
            match fused {
                Some((t, jump_if_true)) => {
                    // The result now sits where the compare leaves it (slot d-2); branch on it
                    // as the PopJumpIf would, at depth d-1.
                    // Errors from here on belong to the PopJumpIf.
                    let target = cx.pcs[t as usize];
                    let after = cx.pcs[cx.pc + 2];
                    cx.pc += 1;
                    if jump_if_true {
                        cx.pop_branch(d - 2, target, after);
                    } else {
                        cx.pop_branch(d - 2, after, target);
                    }
                    cx.pc -= 1;
                }
                None => dynasm!(cx.ops ; .arch x64 ; jmp =>done),
            }
        });
        dynasm!(self.ops ; .arch x64 ; =>done);
        fused.is_some()
    }

    pub(super) fn jcc(&mut self, c: Cond, target: DynamicLabel) {
        match c {
            Cond::L => dynasm!(self.ops ; .arch x64 ; jl =>target),
            Cond::Le => dynasm!(self.ops ; .arch x64 ; jle =>target),
            Cond::E => dynasm!(self.ops ; .arch x64 ; je =>target),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; jne =>target),
            Cond::G => dynasm!(self.ops ; .arch x64 ; jg =>target),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; jge =>target),
        }
    }

    /// `rdx = cond ? True : False` after a `cmp` (flags preserved until the cmov).
    pub(super) fn bool_from_flags(&mut self, c: Cond) {
        dynasm!(self.ops
            ; .arch x64
            ; mov edx, FALSE_BITS as i32
            ; mov r8d, TRUE_BITS as i32
        );
        match c {
            Cond::L => dynasm!(self.ops ; .arch x64 ; cmovl rdx, r8),
            Cond::Le => dynasm!(self.ops ; .arch x64 ; cmovle rdx, r8),
            Cond::E => dynasm!(self.ops ; .arch x64 ; cmove rdx, r8),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; cmovne rdx, r8),
            Cond::G => dynasm!(self.ops ; .arch x64 ; cmovg rdx, r8),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; cmovge rdx, r8),
        }
    }

    /// The local and the constant's word that an `Is` at `pc` compares, when it reads a local
    /// and a constant pushed right before it (`x is None`, `x is not None`) with nothing
    /// jumping in between: the `LoadFast` and the `LoadConst` then store nothing, and the test
    /// compares the local's word with the constant's, taking and releasing no reference
    /// (identity is the word).
    pub(super) fn local_is_const_at(&self, pc: usize) -> Option<(u32, i64)> {
        if pc < 2 || !matches!(self.code.instrs.get(pc), Some(Instr::Is(_))) {
            return None;
        }
        if self.an.is_target[pc] || self.an.is_target[pc - 1] {
            return None;
        }
        match (self.code.instrs[pc - 2], self.code.instrs[pc - 1]) {
            (Instr::LoadFast(i), Instr::LoadConst(k)) => {
                Some((i, self.code.consts[k as usize].bits() as i64))
            }
            _ => None,
        }
    }

    /// `Is(invert)` of a local and a constant ([`Cx::local_is_const_at`]), fused with a
    /// `PopJumpIf` right after it as a compare is: returns true if it consumed that one.
    pub(super) fn is_local_const(&mut self, (local, k): (u32, i64), invert: bool, d: u32) -> bool {
        self.read_fused_local(local, self.pc - 2, d - 2);
        dynasm!(self.ops
            ; .arch x64
            ; mov rcx, QWORD k
            ; cmp rax, rcx
        );
        let c = if invert { Cond::Ne } else { Cond::E };
        match self.code.instrs.get(self.pc + 1).copied() {
            Some(next @ (Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t)))
                if !self.an.is_target[self.pc + 1] =>
            {
                let jump_if_true = matches!(next, Instr::PopJumpIfTrue(_));
                let target = self.pcs[t as usize];
                self.jcc(if jump_if_true { c } else { c.negate() }, target);
                true
            }
            _ => {
                // The bool goes where the `LoadFast` would have put the local (slot d-2).
                self.bool_from_flags(c);
                let s = self.slot(d - 2);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rdx);
                false
            }
        }
    }
}
