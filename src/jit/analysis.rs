//! Static analysis of a code object before compilation: which instructions the baseline
//! compiler supports, the value-stack depth at every instruction, jump targets, and which
//! locals are bound where (`bound`).
//!
//! Why static depths: the JIT keeps the value stack in fixed native slots, so every instruction
//! must know at compile time which slot is the top. The bytecode compiler guarantees (as
//! CPython's does) that every path reaching an instruction arrives with the same depth; the
//! analysis checks it and refuses the code object otherwise instead of miscompiling it.
//!
//! Exception edges count as paths: every reachable instruction covered by an exception-table
//! entry may jump to the entry's handler, which starts at the entry's depth plus `lasti` plus
//! the exception (what the interpreter's unwinder pushes). A covered instruction must run at
//! least at the entry's depth, or the unwinder could not cut the stack down to it.

use super::bound::Bound;
use super::Unsupported;
use crate::code::windows::stack_effect;
use crate::code::{CodeFlags, CodeObject, Instr};

/// What the compiler needs to know about a code object.
#[derive(Debug)]
pub struct Analysis {
    /// Value-stack depth before each instruction (`None`: unreachable).
    pub depth: Vec<Option<u32>>,
    /// Highest depth reached (the number of stack slots).
    pub max_depth: u32,
    /// Is the instruction the target of a jump or of an exception handler?
    pub is_target: Vec<bool>,
    /// The locals bound on every path to each instruction: their loads need no unbound
    /// check ([`Analysis::bound_at`]).
    pub bound: Bound,
    /// Callee windows (see [`CalleeWindows`]).
    pub windows: CalleeWindows,
}

impl Analysis {
    /// Is local `local` bound on every path to instruction `pc`?
    pub fn bound_at(&self, pc: usize, local: u32) -> bool {
        self.bound.at(pc, local)
    }
}

/// Where a callee loaded by `LoadGlobal` may sit in its stack slot *without a reference* when
/// it is the running function itself (a self-recursive call: `fib` calling `fib`).
///
/// The rule that compiled code follows in a window: the window's slot owns a reference exactly
/// when its word differs from the activation's `func` word. The running function needs none:
/// whoever called this activation holds it for the whole activation. Skipping the count for a
/// self-call removes the two atomic operations per call that otherwise make threads running
/// the same recursive function fight over one cache line.
///
/// A window runs from a `LoadGlobal` pushing slot `b` to the `Call(n)` that consumes it
/// (`b = depth - n - 1`), through straight-line instructions only (no jump targets, no
/// branches, nothing that consumes slot `b` or below), in non-generator code. Within it, every
/// path that hands the value stack to someone else first gives the slot its reference back
/// when it holds `func` (an error cutting the stack, a deoptimization), and the `Call`
/// releases the slot only when it holds something else.
#[derive(Debug, Default)]
pub struct CalleeWindows {
    /// The `LoadGlobal` at this index opens a window.
    pub load: Vec<bool>,
    /// The `Call` at this index closes one.
    pub call: Vec<bool>,
    /// Window slots live while the instruction at this index runs (strictly inside windows).
    pub live: Vec<Vec<u32>>,
}

/// The windows of `code` (`code::windows`), with the depth of each one's slot from `depth`.
fn callee_windows(code: &CodeObject, depth: &[Option<u32>]) -> CalleeWindows {
    let n = code.instrs.len();
    let mut w = CalleeWindows {
        load: vec![false; n],
        call: vec![false; n],
        live: vec![Vec::new(); n],
    };
    for (start, end) in crate::code::windows::callee_windows(code)
        .into_iter()
        .enumerate()
    {
        let (Some(end), Some(b)) = (end, depth[start]) else {
            continue;
        };
        let end = end as usize;
        w.load[start] = true;
        w.call[end] = true;
        for live in &mut w.live[start + 1..end] {
            live.push(b);
        }
    }
    w
}

/// Is `instr` compiled by the baseline compiler? The rest keep their code object interpreted.
pub fn supported(instr: &Instr) -> bool {
    use Instr::*;
    match instr {
        Nop | LoadConst(_) | LoadFast(_) | StoreFast(_) | DeleteFast(_) | LoadGlobal(_)
        | StoreGlobal(_) | LoadAttr(_) | StoreAttr(_) | LoadMethod(_) | Call(_) | CallKw(_)
        | CallMethod(_) | CallMethodKw(_) | BinarySubscr | StoreSubscr | DeleteSubscr
        | BinaryOp(_) | InplaceOp(_) | UnaryOp(_) | Compare(_) | Is(_) | Contains(_) | Jump(_)
        | PopJumpIfFalse(_) | PopJumpIfTrue(_) | JumpIfFalseOrPop(_) | JumpIfTrueOrPop(_)
        | PopTop | Copy(_) | Swap(_) | BuildTuple(_) | BuildList(_) | UnpackSequence(_)
        | GetIter | ForIter(_) | ReturnValue | LoadAssertionError | DeleteGlobal(_)
        | BuildMap(_) | BuildSet(_) | BuildString(_) | FormatValue(_) | ListAppend(_)
        | SetAdd(_) | MapAdd(_) | MakeFunction(_) | Reraise(_) | PushExcInfo | PopExcept
        | CheckExcMatch | BeforeWith | WithExceptStart | ImportName(_) | ImportFrom(_) => true,
        // The interpreter's BuildSlice takes a step only for 3; anything else is not compiler
        // output.
        BuildSlice(n) => *n == 2 || *n == 3,
        Raise(k) => *k <= 2,
        // Generator and coroutine code (compiled with a resumable frame, `compile::gen`).
        ReturnGenerator | YieldValue | YieldFrom | GetYieldFromIter | GetAwaitable => true,
    }
}

/// Analyzes `code`, or says why the baseline compiler cannot take it.
pub fn analyze(code: &CodeObject) -> Result<Analysis, Unsupported> {
    if code.flags.contains(CodeFlags::MODULE) {
        return Err(Unsupported::Code("module code"));
    }
    let is_gen = code
        .flags
        .intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE);
    // Suspension points exist only in generator code, and it starts suspended at its
    // `ReturnGenerator` (the only instruction that may be there), so resuming can dispatch on
    // the instruction index alone.
    let gen_ok = code.instrs.iter().enumerate().all(|(pc, i)| match i {
        Instr::ReturnGenerator => is_gen && pc == 0,
        Instr::YieldValue | Instr::YieldFrom => is_gen,
        _ => !(is_gen && pc == 0),
    });
    if !gen_ok {
        return Err(Unsupported::Code("misplaced generator instructions"));
    }
    if code.instrs.is_empty() {
        return Err(Unsupported::Code("empty code"));
    }
    for (pc, i) in code.instrs.iter().enumerate() {
        if !supported(i) {
            return Err(Unsupported::Instr(pc, *i));
        }
    }
    let n = code.instrs.len();
    let nlocals = code.varnames.len();
    let bad = |why: &'static str| Unsupported::Code(why);
    let table_ok = code
        .exc_table
        .iter()
        .all(|e| e.start <= e.end && e.end as usize <= n && (e.target as usize) < n);
    if !table_ok {
        return Err(bad("exception table entry out of range"));
    }
    let mut depth: Vec<Option<u32>> = vec![None; n];
    let mut is_target = vec![false; n];
    let mut max_depth = 0u32;
    let mut work = vec![(0usize, 0u32)];
    while let Some((pc, d)) = work.pop() {
        if pc >= n {
            return Err(bad("control falls off the end of the code"));
        }
        match depth[pc] {
            Some(old) if old == d => continue,
            Some(_) => return Err(bad("inconsistent stack depth")),
            None => depth[pc] = Some(d),
        }
        let instr = code.instrs[pc];
        let (pops, pushes) = stack_effect(&instr);
        if d < pops {
            return Err(bad("value stack underflow"));
        }
        match instr {
            Instr::Copy(i) | Instr::Swap(i) if i == 0 || i > d => {
                return Err(bad("Copy/Swap deeper than the stack"))
            }
            Instr::LoadFast(i) | Instr::StoreFast(i) | Instr::DeleteFast(i)
                if i as usize >= nlocals =>
            {
                return Err(bad("local index out of range"))
            }
            Instr::LoadConst(i) if i as usize >= code.consts.len() => {
                return Err(bad("constant index out of range"))
            }
            // The target is read after the pushed values are popped: depth i of what is left.
            Instr::ListAppend(i) | Instr::SetAdd(i) | Instr::MapAdd(i)
                if i == 0 || i > d - pops =>
            {
                return Err(bad("ListAppend/SetAdd/MapAdd deeper than the stack"))
            }
            Instr::LoadGlobal(i)
            | Instr::StoreGlobal(i)
            | Instr::DeleteGlobal(i)
            | Instr::LoadAttr(i)
            | Instr::StoreAttr(i)
            | Instr::LoadMethod(i)
            | Instr::ImportName(i)
            | Instr::ImportFrom(i)
                if code
                    .names
                    .get(i as usize)
                    .and_then(|v| v.as_str())
                    .is_none() =>
            {
                return Err(bad("name index out of range"))
            }
            _ => {}
        }
        let after = d - pops + pushes;
        max_depth = max_depth.max(after).max(d);
        if let Some(h) = code.handler_for(pc) {
            if d < h.depth {
                return Err(bad("a handler's depth is above the stack it protects"));
            }
            let hd = h.depth + u32::from(h.lasti) + 1;
            max_depth = max_depth.max(hd);
            is_target[h.target as usize] = true;
            work.push((h.target as usize, hd));
        }
        let mut jump = |t: u32, td: u32, work: &mut Vec<(usize, u32)>| {
            if let Some(x) = is_target.get_mut(t as usize) {
                *x = true;
            }
            work.push((t as usize, td));
        };
        match instr {
            Instr::Jump(t) => jump(t, d, &mut work),
            Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t) => {
                jump(t, d - 1, &mut work);
                work.push((pc + 1, after));
            }
            Instr::JumpIfFalseOrPop(t) | Instr::JumpIfTrueOrPop(t) => {
                jump(t, d, &mut work);
                work.push((pc + 1, after));
            }
            Instr::ForIter(t) => {
                jump(t, d - 1, &mut work);
                work.push((pc + 1, after));
            }
            Instr::ReturnValue | Instr::Raise(_) | Instr::Reraise(_) => {}
            _ => work.push((pc + 1, after)),
        }
    }
    let bound = Bound::of(code, nlocals);
    let windows = callee_windows(code, &depth);
    Ok(Analysis {
        depth,
        max_depth,
        is_target,
        bound,
        windows,
    })
}

#[cfg(test)]
mod tests {
    use super::analyze;
    use crate::code::{CodeObject, Instr};
    use crate::compile::tests::{code_named, compile};
    use std::sync::Arc;

    fn function(src: &str, name: &str) -> Arc<CodeObject> {
        code_named(&compile(src), name)
    }

    /// (LoadGlobal index, Call index) of each callee window.
    fn windows(src: &str, name: &str) -> Vec<(usize, usize)> {
        let code = function(src, name);
        let an = analyze(&code).expect("analyzes");
        let loads = (0..code.instrs.len()).filter(|&pc| an.windows.load[pc]);
        let calls = (0..code.instrs.len()).filter(|&pc| an.windows.call[pc]);
        let pairs: Vec<_> = loads.zip(calls).collect();
        for &(l, c) in &pairs {
            assert!(matches!(code.instrs[l], Instr::LoadGlobal(_)));
            assert!(matches!(code.instrs[c], Instr::Call(_)));
            assert!((l + 1..c).all(|pc| !an.windows.live[pc].is_empty()));
        }
        pairs
    }

    #[test]
    fn straight_line_calls_of_globals_open_windows() {
        let fib =
            "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n";
        assert_eq!(windows(fib, "fib").len(), 2);
        // Nested: both calls get one, the inner inside the outer.
        let nested = "def f(n):\n    return f(f(n - 1) - 1)\n";
        assert_eq!(windows(nested, "f").len(), 2);
    }

    #[test]
    fn branches_and_generators_open_none() {
        let branchy = "def f(n):\n    return f(n - 1 if n else 0)\n";
        assert!(windows(branchy, "f").is_empty());
        let gen = "def g(n):\n    yield g(n)\n";
        assert!(windows(gen, "g").is_empty());
        // The global is consumed by something other than a call.
        let attr = "def f(n):\n    return X.y(n)\n";
        assert!(windows(attr, "f").is_empty());
    }
}
