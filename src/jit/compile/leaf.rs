//! The frameless entry: a path from a function's first instruction to a `ReturnValue` that
//! nothing can observe runs at the entry point, before the prologue, with no frame at all.
//!
//! An activation is observable only through what it runs: a call or a runtime helper (either
//! can read the stack: `sys._getframe`, a traceback, a handshake at a safepoint poll), or an
//! error (its traceback entry). A path that only compares small-int arguments and constants and
//! returns an argument or a constant does none of these, so whether its activation had a
//! frame cannot be told apart. That is the base case of most recursions (`if n < 2: return n`),
//! and there a call costs a few compares instead of the whole activation protocol.
//!
//! [`leaf_path`] finds such a path in the bytecode. [`Cx::leaf_entry`] emits it at the entry
//! point; [`Cx::leaf_inline`] emits it again where the code calls the running function (a
//! recursion), on the arguments in place, so that a base case is not even called: no call
//! is as unobservable as a frameless one. Both in steps:
//!
//! 1. **Depth.** The recursion limit is checked as the prologue checks it: a call at the limit
//!    takes the full entry, which raises RecursionError. (Emitted last, just before the return:
//!    the checks commute, and a call that leaves the path then pays for one check only.)
//! 2. **Comparisons.** Each one's argument operands are tested to be small ints, then compared;
//!    a failed test, or an outcome that leaves the path, jumps to the full entry. The path has
//!    changed nothing, so the full entry running the code from its first instruction is the
//!    same as continuing where the path stopped.
//! 3. **Arguments.** The activation owns its arguments (the prologue would move them into its
//!    locals and drop them at exit). Every argument but the one returned must be an immediate
//!    (a small int, None, a bool: nothing to drop); those the comparisons did not prove small
//!    ints are tested.
//! 4. **Return.** The returned argument moves to the caller, as a return does; a constant is an
//!    immediate and needs nothing.
//!
//! The path reads the arguments where the caller passed them (`rdx`, or the call's argument
//! slots) and clobbers only `rax` and `rcx`.

use super::arith::Cond;
use super::{Cx, DEPTH};
use crate::code::{CmpOp, CodeFlags, CodeObject, Instr};
use crate::object::Value;
use crate::thread::runtime;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// A value the path reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Operand {
    /// Argument `i`, as the caller passed it.
    Arg(u32),
    /// An immediate constant's word (a small int, None or a bool).
    Imm(usize),
}

/// A path from the first instruction to a return that only compares and returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LeafPath {
    /// The comparisons, in order, with the outcome each must have for the path to go on.
    conds: Vec<(Operand, CmpOp, Operand, bool)>,
    /// What it returns.
    ret: Operand,
}

/// The longest path looked for, in instructions: base cases are short.
const MAX_STEPS: usize = 16;

/// The frameless path of `code`, if its first instructions have one (see the module docs).
pub(super) fn leaf_path(code: &CodeObject) -> Option<LeafPath> {
    if code
        .flags
        .intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE)
    {
        return None;
    }
    walk(code, 0, Vec::new(), Vec::new(), MAX_STEPS)
}

/// Follows the path from `pc` with the operands `stack` pushed so far and the comparisons
/// `conds` passed; at a comparison, the fall-through first, then the jump.
fn walk(
    code: &CodeObject,
    mut pc: usize,
    mut stack: Vec<Operand>,
    mut conds: Vec<(Operand, CmpOp, Operand, bool)>,
    mut budget: usize,
) -> Option<LeafPath> {
    loop {
        budget = budget.checked_sub(1)?;
        match *code.instrs.get(pc)? {
            Instr::Nop => {}
            Instr::LoadFast(i) if i < code.argcount => stack.push(Operand::Arg(i)),
            Instr::LoadConst(k) => {
                let v = &code.consts[k as usize];
                let immediate = v.is_small() || v.is(&Value::NONE) || v.as_bool().is_some();
                if !immediate {
                    return None;
                }
                stack.push(Operand::Imm(v.bits()));
            }
            Instr::Compare(op) => {
                let rhs = stack.pop()?;
                let lhs = stack.pop()?;
                // Small ints only: a comparison with None or a bool takes the full entry.
                let small = |o: Operand| match o {
                    Operand::Arg(_) => true,
                    Operand::Imm(bits) => bits & 1 == 1,
                };
                if !small(lhs) || !small(rhs) {
                    return None;
                }
                let (target, jump_if) = match *code.instrs.get(pc + 1)? {
                    Instr::PopJumpIfFalse(t) => (t as usize, false),
                    Instr::PopJumpIfTrue(t) => (t as usize, true),
                    _ => return None,
                };
                // Forward only: the path never loops.
                if target <= pc + 1 {
                    return None;
                }
                let mut fall = conds.clone();
                fall.push((lhs, op, rhs, !jump_if));
                if let Some(p) = walk(code, pc + 2, stack.clone(), fall, budget) {
                    return Some(p);
                }
                conds.push((lhs, op, rhs, jump_if));
                pc = target;
                continue;
            }
            Instr::Jump(t) if t as usize > pc => {
                pc = t as usize;
                continue;
            }
            Instr::ReturnValue => {
                let ret = stack.pop()?;
                return stack.is_empty().then_some(LeafPath { conds, ret });
            }
            _ => return None,
        }
        pc += 1;
    }
}

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
    /// the running function, answered in place ([`Cx::leaf_inline`]).
    Frame(i32),
}

impl Cx<'_> {
    /// Emits the frameless path of `path` at the entry point; it jumps to `full` (the
    /// prologue, emitted next) wherever it cannot go on.
    pub(super) fn leaf_entry(&mut self, path: &LeafPath, full: DynamicLabel) {
        self.leaf_steps(path, Args::Entry, full);
        dynasm!(self.ops ; .arch x64 ; ret);
    }

    /// The frameless path of the running function's own code for a call of it whose
    /// arguments are in the frame at `args` (the call site knows the callee is the running
    /// function): the call answered without calling, as unobservable as the call it saves.
    /// Falls through with the result in `rax`, or jumps to `call` (the call site's call).
    pub(super) fn leaf_inline(&mut self, path: &LeafPath, args: i32, call: DynamicLabel) {
        self.leaf_steps(path, Args::Frame(args), call);
    }

    /// The steps of the module docs, the result in `rax`; anything else goes to `out`.
    fn leaf_steps(&mut self, path: &LeafPath, args: Args, out: DynamicLabel) {
        // Step 2.
        let mut proven = vec![false; self.code.argcount as usize];
        for &(lhs, op, rhs, holds) in &path.conds {
            self.leaf_operand(lhs, false, args, &mut proven, out);
            match imm32(rhs) {
                Some(k) => dynasm!(self.ops ; .arch x64 ; cmp rax, k),
                None => {
                    self.leaf_operand(rhs, true, args, &mut proven, out);
                    dynasm!(self.ops ; .arch x64 ; cmp rax, rcx);
                }
            }
            let leaves = if holds {
                Cond::of(op).negate()
            } else {
                Cond::of(op)
            };
            self.jcc(leaves, out);
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
        let limit = &runtime().recursion_limit as *const _ as i64;
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [r15 + DEPTH]
            ; mov rcx, QWORD limit
            ; cmp rax, [rcx]
            ; jae =>out
        );
        // Step 4.
        match path.ret {
            Operand::Arg(i) => self.leaf_load(false, args, i),
            Operand::Imm(bits) => dynasm!(self.ops ; .arch x64 ; mov rax, QWORD bits as i64),
        }
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
        match (args, second) {
            (Args::Entry, false) => dynasm!(self.ops ; .arch x64 ; mov rax, [rdx + off]),
            (Args::Entry, true) => dynasm!(self.ops ; .arch x64 ; mov rcx, [rdx + off]),
            (Args::Frame(base), false) => {
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + base + off])
            }
            (Args::Frame(base), true) => {
                dynasm!(self.ops ; .arch x64 ; mov rcx, [rbp + base + off])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{leaf_path, LeafPath, Operand};
    use crate::code::{CmpOp, CodeObject};
    use crate::object::{Object, Value};
    use std::sync::Arc;

    fn function(src: &str, name: &str) -> Arc<CodeObject> {
        let module = crate::compile::compile_module(src, "<leaf>").expect("compiles");
        module
            .consts
            .iter()
            .find_map(|c| match c.obj() {
                Some(Object::Code(c)) if &*c.name == name => Some(c.clone()),
                _ => None,
            })
            .expect("the function's code")
    }

    fn small(i: i64) -> Operand {
        Operand::Imm(Value::small(i).expect("small").bits())
    }

    #[test]
    fn base_cases_have_a_path() {
        let fib = function(
            "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
            "fib",
        );
        assert_eq!(
            leaf_path(&fib),
            Some(LeafPath {
                conds: vec![(Operand::Arg(0), CmpOp::Lt, small(2), true)],
                ret: Operand::Arg(0),
            })
        );
        // The jump side, when the fall-through does not return: `n != 0` must be false.
        let fact = function(
            "def fact(n, acc):\n    if n != 0:\n        return fact(n - 1, acc * n)\n    return 1\n",
            "fact",
        );
        assert_eq!(
            leaf_path(&fact),
            Some(LeafPath {
                conds: vec![(Operand::Arg(0), CmpOp::Ne, small(0), false)],
                ret: small(1),
            })
        );
    }

    #[test]
    fn anything_observable_has_none() {
        for (src, name) in [
            // A call, an attribute, a global, a store, a non-immediate constant.
            (
                "def f(n):\n    if n < 2:\n        return g(n)\n    return g(0)\n",
                "f",
            ),
            (
                "def f(n):\n    if n.x < 2:\n        return 0\n    return 1\n",
                "f",
            ),
            (
                "def f(n):\n    if n < LIMIT:\n        return 0\n    return 1\n",
                "f",
            ),
            (
                "def f(n):\n    m = n\n    if m < 2:\n        return 0\n    return 1\n",
                "f",
            ),
            (
                "def f(n):\n    if n < 2:\n        return 'small'\n    return 'big'\n",
                "f",
            ),
            // A comparison with None takes the full entry (its result is not a small-int one).
            (
                "def f(n):\n    if n == None:\n        return 0\n    return 1\n",
                "f",
            ),
            // Generators never run their body at the call.
            (
                "def f(n):\n    if n < 2:\n        return 0\n    yield 1\n",
                "f",
            ),
        ] {
            assert_eq!(leaf_path(&function(src, name)), None, "{src}");
        }
    }
}
