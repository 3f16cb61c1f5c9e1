//! The frameless entry of compiled code (see [`crate::code::leaf`] for why such a call needs no
//! frame and the rules it follows). [`Cx::leaf_entry`] emits the code's path at the entry
//! point, before the prologue; [`Cx::leaf_inline`] emits it again where the code calls the
//! running function (a recursion), on the arguments in place, so that a base case is not even
//! called: no call is as unobservable as a frameless one.
//!
//! The emitted path, in the steps of `code::leaf`: the comparisons, each argument operand
//! tested to be a small int the first time it is read (a failed test jumps to the prologue, or
//! to the call; an outcome that leaves the path jumps to the comparison's resumption entry, or
//! to a call of it, where it has one: a prologue that goes on at the instruction the
//! comparison would have led to, so the activation does not compare again what its caller
//! just compared); the arguments not proved small ints
//! and not returned, tested to be immediates; the depth last (the checks commute, and a call
//! that leaves the path earlier then pays for the prologue's check only); the result in `rax`.
//! It reads the arguments where the caller passed them (`[rdx]`, or the call's argument slots,
//! the last one maybe in `rdx`) and clobbers only `rax` and `rcx`.

use super::arith::Cond;
use super::frame::RESUME_ARGS;
use super::Cx;
use crate::code::leaf::{LeafPath, Operand};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// Register numbers of the path's result (`Cx::leaf_steps`).
const RAX: u8 = 0;
const RDX: u8 = 2;

/// The tagged word of an operand that is an `i32` immediate, if it is one.
fn imm32(o: Operand) -> Option<i32> {
    match o {
        Operand::Imm(bits) => i32::try_from(bits as i64).ok(),
        Operand::Arg(_) => None,
    }
}

/// Where the path reads the arguments.
#[derive(Copy, Clone)]
pub(super) enum Args {
    /// Where the caller passed them to the entry point: `[rdx]`.
    Entry,
    /// In the running activation's frame, at `[rbp + off]`: the argument slots of a call of
    /// the running function, answered in place ([`Cx::leaf_inline`]); if the flag is set, the
    /// last one is in `rdx` instead, a small int ([`Cx::takes_rdx`]).
    Frame(i32, bool),
}

impl Cx<'_> {
    /// Emits the frameless path of `path` at the entry point; it jumps to `full` (the
    /// prologue, emitted next) wherever it cannot go on, or to the resumption entry of a
    /// comparison that left the path (`Cx::resumes`).
    pub(super) fn leaf_entry(&mut self, path: &LeafPath, full: DynamicLabel) {
        // A resumption entry takes the arguments in registers (`RESUME_ARGS`): a stub per
        // entry loads them from the caller's array, `rdx` last.
        let (stubs, left) = self.entry_stubs();
        let r = self.leaf_steps(path, Args::Entry, full, &left);
        debug_assert_eq!(r, RAX, "arguments at the entry are in memory");
        dynasm!(self.ops ; .arch x64 ; ret);
        let n = self.code.argcount as usize;
        for (stub, entry) in stubs.into_iter().flatten() {
            dynasm!(self.ops ; .arch x64 ; =>stub);
            for (i, &r) in RESUME_ARGS[..n].iter().enumerate().rev() {
                dynasm!(self.ops ; .arch x64 ; mov Rq(r), [rdx + 8 * i as i32]);
            }
            dynasm!(self.ops ; .arch x64 ; jmp =>entry);
        }
    }

    /// Per comparison of the path, the stub that calls or enters its resumption entry, where it
    /// has one: `(stub, entry)`, and the stub labels alone (the `left` of
    /// [`Cx::leaf_inline`]).
    #[allow(clippy::type_complexity)]
    pub(super) fn entry_stubs(
        &mut self,
    ) -> (
        Vec<Option<(DynamicLabel, DynamicLabel)>>,
        Vec<Option<DynamicLabel>>,
    ) {
        let stubs: Vec<_> = (self.resumes.clone().into_iter())
            .map(|r| r.map(|entry| (self.ops.new_dynamic_label(), entry)))
            .collect();
        let left = stubs.iter().map(|s| s.map(|(stub, _)| stub)).collect();
        (stubs, left)
    }

    /// The frameless path of the running function's own code for a call of it whose
    /// arguments are in the frame at `args` (the call site knows the callee is the running
    /// function): the call answered without calling, as unobservable as the call it saves.
    /// Falls through with the result in the register it returns (`rax`, or `rdx` if that is
    /// the argument it returns), or jumps to `call` (the call site's call), or to `left[k]`
    /// where comparison `k` left the path and `left[k]` is not None (the call site's call of
    /// that comparison's resumption entry).
    pub(super) fn leaf_inline(
        &mut self,
        path: &LeafPath,
        (args, rdx): (i32, bool),
        call: DynamicLabel,
        left: &[Option<DynamicLabel>],
    ) -> u8 {
        self.leaf_steps(path, Args::Frame(args, rdx), call, left)
    }

    /// The steps of the module docs, the result in the register returned (`rax`, or `rdx` where
    /// the argument returned is there already); a comparison that leaves the path goes to its
    /// `left` label if it has one, anything else to `out`.
    fn leaf_steps(
        &mut self,
        path: &LeafPath,
        args: Args,
        out: DynamicLabel,
        left: &[Option<DynamicLabel>],
    ) -> u8 {
        // Step 2.
        let n = self.code.argcount as usize;
        let mut proven = vec![false; n];
        let in_rdx = matches!(args, Args::Frame(_, true)).then(|| n as u32 - 1);
        if let Some(i) = in_rdx {
            proven[i as usize] = true;
        }
        for (k, c) in path.conds.iter().enumerate() {
            match (c.lhs, imm32(c.rhs)) {
                // The argument in `rdx`, compared in place.
                (Operand::Arg(i), Some(imm)) if Some(i) == in_rdx => {
                    dynasm!(self.ops ; .arch x64 ; cmp rdx, imm)
                }
                (lhs, Some(imm)) => {
                    self.leaf_operand(lhs, false, args, &mut proven, out);
                    dynasm!(self.ops ; .arch x64 ; cmp rax, imm);
                }
                (lhs, None) => {
                    self.leaf_operand(lhs, false, args, &mut proven, out);
                    self.leaf_operand(c.rhs, true, args, &mut proven, out);
                    dynasm!(self.ops ; .arch x64 ; cmp rax, rcx);
                }
            }
            let leaves = if c.holds {
                Cond::of(c.op).negate()
            } else {
                Cond::of(c.op)
            };
            // Both operands are small ints here: the outcome is the comparison's own.
            let to = left.get(k).copied().flatten().unwrap_or(out);
            self.jcc(leaves, to);
        }
        // Step 3.
        for (i, proven) in proven.into_iter().enumerate() {
            if proven || path.ret == Operand::Arg(i as u32) {
                continue;
            }
            self.leaf_load(false, args, i as u32);
            dynasm!(self.ops ; .arch x64 ; test al, 0b11 ; jz =>out);
        }
        // Step 1, last: a call that leaves the path before pays for the prologue's check only.
        dynasm!(self.ops ; .arch x64 ; test r13, r13 ; jle =>out);
        // Step 4.
        match path.ret {
            Operand::Arg(i) if Some(i) == in_rdx => return RDX,
            Operand::Arg(i) => self.leaf_load(false, args, i),
            Operand::Imm(bits) => dynasm!(self.ops ; .arch x64 ; mov rax, QWORD bits as i64),
        }
        RAX
    }

    /// Loads operand `o` of a comparison into `rax` (`rcx` if `second`), testing an argument
    /// to be a small int (jumping to `out` if not) the first time it is read.
    fn leaf_operand(
        &mut self,
        o: Operand,
        second: bool,
        args: Args,
        proven: &mut [bool],
        out: DynamicLabel,
    ) {
        match o {
            Operand::Arg(i) => {
                self.leaf_load(second, args, i);
                if !std::mem::replace(&mut proven[i as usize], true) {
                    match second {
                        false => dynasm!(self.ops ; .arch x64 ; test al, 1 ; jz =>out),
                        true => dynasm!(self.ops ; .arch x64 ; test cl, 1 ; jz =>out),
                    }
                }
            }
            Operand::Imm(bits) => {
                let bits = bits as i64;
                match second {
                    false => dynasm!(self.ops ; .arch x64 ; mov rax, QWORD bits),
                    true => dynasm!(self.ops ; .arch x64 ; mov rcx, QWORD bits),
                }
            }
        }
    }

    /// Loads argument `i` into `rax` (`rcx` if `second`).
    fn leaf_load(&mut self, second: bool, args: Args, i: u32) {
        let off = 8 * i as i32;
        let last = i + 1 == self.code.argcount;
        match (args, second) {
            (Args::Frame(_, true), false) if last => dynasm!(self.ops ; .arch x64 ; mov rax, rdx),
            (Args::Frame(_, true), true) if last => dynasm!(self.ops ; .arch x64 ; mov rcx, rdx),
            (Args::Entry, false) => dynasm!(self.ops ; .arch x64 ; mov rax, [rdx + off]),
            (Args::Entry, true) => dynasm!(self.ops ; .arch x64 ; mov rcx, [rdx + off]),
            (Args::Frame(base, _), false) => {
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + base + off])
            }
            (Args::Frame(base, _), true) => {
                dynasm!(self.ops ; .arch x64 ; mov rcx, [rbp + base + off])
            }
        }
    }
}
