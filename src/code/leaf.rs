//! Frameless paths: a path from a function's first instruction to a `ReturnValue` that
//! nothing can observe, which a call can run with no frame at all.
//!
//! An activation is observable only through what it runs: a call or a runtime operation
//! (either can read the stack: `sys._getframe`, a traceback, a handshake served at a
//! safepoint, a finalizer run by a drop), or an error (its traceback entry). A path that only
//! compares small-int arguments and constants and returns an argument or a constant does none
//! of these, so whether its activation had a frame cannot be told apart. That is the base case
//! of most recursions (`if n < 2: return n`); the JIT answers such a call without a frame
//! (`jit::compile::leaf`), under these rules:
//!
//! 1. **Depth.** A call at the recursion limit raises RecursionError as any call does: the
//!    path is taken only below it.
//! 2. **Comparisons.** Each one's argument operands must be small ints and compare as the path
//!    needs; otherwise the call runs the code as usual, from its first instruction (the path
//!    changed nothing, so that is the same as going on from where it stopped).
//! 3. **Arguments.** The activation owns its arguments, and dropping one could run a finalizer:
//!    every argument but the one returned must be an immediate (a small int, None, a bool).
//! 4. **Return.** The returned argument goes to the caller, as a return does.
//! 5. **Leaving the path.** A comparison of small ints that has the other outcome leaves the
//!    path for a known instruction ([`Cond`]'s `otherwise`); the activation may start there: the
//!    instructions it skips only compared small ints, which no one can observe either.

use super::{CmpOp, CodeFlags, CodeObject, Instr};
use crate::object::Value;

/// A value the path reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    /// Argument `i`, as the caller passed it.
    Arg(u32),
    /// An immediate constant's word (a small int, None or a bool).
    Imm(usize),
}

/// A comparison on the path.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Cond {
    pub(crate) lhs: Operand,
    pub(crate) op: CmpOp,
    pub(crate) rhs: Operand,
    /// The outcome the comparison must have for the path to go on.
    pub(crate) holds: bool,
    /// Where the code goes on when the comparison has the other outcome (every comparison
    /// before it having held), if its value stack is empty there: a caller that evaluated
    /// the comparisons on small ints can start the activation there, past them (5 in the
    /// module docs).
    pub(crate) otherwise: Option<u32>,
}

/// A path from the first instruction to a return that only compares and returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafPath {
    /// The comparisons, in order.
    pub(crate) conds: Vec<Cond>,
    /// What it returns.
    pub(crate) ret: Operand,
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
    mut conds: Vec<Cond>,
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
                // The stack after the jump pops the comparison's result, either way.
                let resumable = |at: usize| stack.is_empty().then_some(at as u32);
                let mut fall = conds.clone();
                fall.push(Cond {
                    lhs,
                    op,
                    rhs,
                    holds: !jump_if,
                    otherwise: resumable(target),
                });
                if let Some(p) = walk(code, pc + 2, stack.clone(), fall, budget) {
                    return Some(p);
                }
                conds.push(Cond {
                    lhs,
                    op,
                    rhs,
                    holds: jump_if,
                    otherwise: resumable(pc + 2),
                });
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

#[cfg(test)]
mod tests {
    use super::{leaf_path, Cond, LeafPath, Operand};
    use crate::code::{CmpOp, CodeObject};
    use crate::compile::tests::{code_named, compile};
    use crate::object::Value;
    use std::sync::Arc;

    fn function(src: &str, name: &str) -> Arc<CodeObject> {
        code_named(&compile(src), name)
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
                conds: vec![Cond {
                    lhs: Operand::Arg(0),
                    op: CmpOp::Lt,
                    rhs: small(2),
                    holds: true,
                    otherwise: Some(6),
                }],
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
                conds: vec![Cond {
                    lhs: Operand::Arg(0),
                    op: CmpOp::Ne,
                    rhs: small(0),
                    holds: false,
                    otherwise: Some(4),
                }],
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
