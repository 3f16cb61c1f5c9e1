//! Callee windows: a `LoadGlobal` whose value nothing reads but the `Call` it is the callee of,
//! a few straight-line instructions later. Both tiers leave the running function in such a
//! slot without a reference when the global names it (a recursion's call): the caller's frame
//! keeps it alive, and the `Call` knows, so the call counts no reference to a function that
//! every thread running it would otherwise count on one shared word.
//!
//! A window, in steps (what [`callee_windows`] checks from each `LoadGlobal` at depth `b`):
//! 1. Only straight-line instructions whose stack effect is known follow (`window_safe`): no
//!    jump, no return, no store to a name, nothing that suspends the frame; none of them is a
//!    jump or handler target (control enters a window only at its `LoadGlobal`).
//! 2. None of them pops the slot: the depth stays above `b` until
//! 3. a `Call(k)` whose callee is slot `b` closes it.
//!
//! Generator and coroutine code has none (its frames outlive their callers' activations).

use super::{CodeFlags, CodeObject, Instr};

/// `(pops, pushes)` of an instruction on the value stack (a conditional jump's when it falls
/// through; values an instruction reads in place count as popped and pushed back).
pub fn stack_effect(instr: &Instr) -> (u32, u32) {
    use Instr::*;
    match *instr {
        Nop | DeleteFast(_) | Jump(_) | DeleteGlobal(_) => (0, 0),
        LoadConst(_) | LoadFast(_) | LoadGlobal(_) | LoadAssertionError | ImportName(_) => (0, 1),
        StoreFast(_) | StoreGlobal(_) | PopTop | PopExcept => (1, 0),
        LoadAttr(_) | UnaryOp(_) | GetIter => (1, 1),
        StoreAttr(_) | DeleteSubscr => (2, 0),
        LoadMethod(_) => (1, 2),
        Call(n) => (n + 1, 1),
        CallKw(n) | CallMethod(n) => (n + 2, 1),
        CallMethodKw(n) => (n + 3, 1),
        BinarySubscr | BinaryOp(_) | InplaceOp(_) | Compare(_) | Is(_) | Contains(_) => (2, 1),
        StoreSubscr => (3, 0),
        PopJumpIfFalse(_) | PopJumpIfTrue(_) => (1, 0),
        JumpIfFalseOrPop(_) | JumpIfTrueOrPop(_) => (1, 0),
        Copy(_) => (0, 1),
        Swap(_) => (0, 0),
        BuildTuple(n) | BuildList(n) | BuildSet(n) | BuildSlice(n) | BuildString(n) => (n, 1),
        BuildMap(n) => (2 * n, 1),
        FormatValue(flags) => (1 + (flags >> 2 & 1), 1),
        ListAppend(_) | SetAdd(_) => (1, 0),
        MapAdd(_) => (2, 0),
        MakeFunction(flags) => (1 + (flags & 1), 1),
        PushExcInfo | BeforeWith => (1, 2),
        CheckExcMatch => (2, 2),
        WithExceptStart => (4, 5),
        ImportFrom(_) => (1, 2),
        Reraise(k) => (1 + u32::from(k == 1), 0),
        UnpackSequence(n) => (1, n),
        ForIter(_) => (0, 1),
        ReturnValue => (1, 0),
        Raise(k) => (k, 0),
        ReturnGenerator => (0, 1),
        YieldValue | GetYieldFromIter | GetAwaitable => (1, 1),
        YieldFrom => (2, 1),
    }
}

/// Instructions allowed inside a window (step 1): straight-line, and none suspends the frame.
fn window_safe(instr: &Instr) -> bool {
    use Instr::*;
    matches!(
        instr,
        LoadConst(_)
            | LoadFast(_)
            | LoadGlobal(_)
            | LoadAttr(_)
            | LoadMethod(_)
            | UnaryOp(_)
            | BinaryOp(_)
            | BinarySubscr
            | Is(_)
            | Contains(_)
            | Call(_)
            | CallKw(_)
            | CallMethod(_)
            | CallMethodKw(_)
            | BuildTuple(_)
            | BuildList(_)
    )
}

/// By instruction: the index of the `Call` that closes the window the instruction opens (a
/// `LoadGlobal`), if it opens one.
pub fn callee_windows(code: &CodeObject) -> Vec<Option<u32>> {
    let n = code.instrs.len();
    let mut windows = vec![None; n];
    if code
        .flags
        .intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE)
    {
        return windows;
    }
    let mut is_target = vec![false; n];
    let targets = code.instrs.iter().filter_map(Instr::jump_target);
    for t in targets.chain(code.exc_table.iter().map(|e| e.target)) {
        if let Some(x) = is_target.get_mut(t as usize) {
            *x = true;
        }
    }
    for (start, window) in windows.iter_mut().enumerate() {
        if !matches!(code.instrs[start], Instr::LoadGlobal(_)) {
            continue;
        }
        // The depth above the window's slot (the loaded value is 1).
        let mut above = 1u32;
        let rest = code
            .instrs
            .iter()
            .zip(&is_target)
            .enumerate()
            .skip(start + 1);
        for (pc, (&instr, &target)) in rest {
            if target || !window_safe(&instr) {
                break;
            }
            let (pops, pushes) = stack_effect(&instr);
            if let Instr::Call(k) = instr {
                if above == k + 1 {
                    *window = Some(pc as u32);
                    break;
                }
            }
            if pops >= above {
                break;
            }
            above = above - pops + pushes;
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::callee_windows;
    use crate::code::{CodeObject, Instr};
    use crate::compile::tests::{code_named, compile};
    use std::sync::Arc;

    fn function(src: &str, name: &str) -> Arc<CodeObject> {
        code_named(&compile(src), name)
    }

    /// The (LoadGlobal, Call) pairs of `code`'s windows.
    fn pairs(code: &CodeObject) -> Vec<(usize, usize)> {
        callee_windows(code)
            .iter()
            .enumerate()
            .filter_map(|(pc, w)| w.map(|c| (pc, c as usize)))
            .collect()
    }

    #[test]
    fn a_recursions_calls_open_windows() {
        let fib = function(
            "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
            "fib",
        );
        let p = pairs(&fib);
        assert_eq!(p.len(), 2, "{:?}", fib.instrs);
        for (start, call) in p {
            assert!(matches!(fib.instrs[start], Instr::LoadGlobal(_)));
            assert!(matches!(fib.instrs[call], Instr::Call(1)));
        }
        // Nested calls inside a window, and a callee that is an argument of another call.
        let nested = function("def f(x):\n    return g(h(x), k(1))\n", "f");
        assert_eq!(pairs(&nested).len(), 3);
    }

    #[test]
    fn anything_else_reading_the_value_has_none() {
        for (src, name) in [
            // The global as a value, an attribute's receiver, a method call's receiver.
            ("def f():\n    x = g\n    return x\n", "f"),
            ("def f():\n    return g.attr\n", "f"),
            ("def f():\n    return g.meth(1)\n", "f"),
            // A keyword call, a conditional in the arguments (a jump target inside).
            ("def f(a):\n    return g(a, k=1)\n", "f"),
            ("def f(a):\n    return g(1 if a else 2)\n", "f"),
            // Generator code.
            ("def f(a):\n    yield g(a)\n", "f"),
        ] {
            assert!(pairs(&function(src, name)).is_empty(), "{src}");
        }
    }
}
