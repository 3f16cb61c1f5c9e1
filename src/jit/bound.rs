//! Definite assignment: which locals are bound before each instruction on every path that
//! reaches it, so that a `LoadFast` of such a local compiles without its unbound check (and
//! may be fused into the instruction that reads it, as an argument's is).
//!
//! A forward data-flow over the bytecode, in steps:
//! 1. The entry state holds the parameters (bound by the call).
//! 2. `StoreFast(i)` binds `i`, `DeleteFast(i)` unbinds it; nothing else changes the state.
//!    (Writes through a frame's `f_locals` can only bind a local, never unbind one, so they
//!    cannot make an answer here wrong.)
//! 3. Edges: the fall-through, a jump's target, and the handler of an instruction an
//!    exception-table entry protects, which receives the state *before* the instruction (it
//!    may raise before its own store).
//! 4. Where paths meet, the states intersect; the iteration stops when nothing changes (each
//!    state only loses bits, so it ends).

use crate::code::{CodeObject, Instr};

/// The locals bound before each instruction (see the module docs).
#[derive(Debug, Default)]
pub struct Bound {
    /// Words of bits per instruction.
    words: usize,
    /// `words` words per instruction; all zero where unreachable.
    bits: Vec<u64>,
}

impl Bound {
    /// Is local `local` bound on every path to instruction `pc`?
    pub fn at(&self, pc: usize, local: u32) -> bool {
        let (w, b) = (local as usize / 64, local % 64);
        self.bits
            .get(pc * self.words + w)
            .is_some_and(|word| word & (1 << b) != 0)
    }

    /// The analysis of `code`, whose instructions are all reachable-checked already (the
    /// depth analysis refuses jumps out of the code).
    pub fn of(code: &CodeObject, nlocals: usize) -> Bound {
        let n = code.instrs.len();
        let words = nlocals.div_ceil(64).max(1);
        let mut bits = vec![0u64; n * words];
        let mut reached = vec![false; n];
        let mut entry = vec![0u64; words];
        for i in 0..(code.argcount as usize).min(nlocals) {
            entry[i / 64] |= 1 << (i % 64);
        }
        let mut work = Vec::new();
        // Step 4: intersect `state` into instruction `pc`'s, queueing it if that changed.
        let mut meet = |pc: usize, state: &[u64], bits: &mut [u64], work: &mut Vec<usize>| {
            if pc >= n {
                return;
            }
            let dst = &mut bits[pc * words..(pc + 1) * words];
            if !reached[pc] {
                reached[pc] = true;
                dst.copy_from_slice(state);
                work.push(pc);
            } else if dst.iter().zip(state).any(|(d, s)| d & !s != 0) {
                dst.iter_mut().zip(state).for_each(|(d, s)| *d &= s);
                work.push(pc);
            }
        };
        meet(0, &entry, &mut bits, &mut work);
        let mut state = vec![0u64; words];
        while let Some(pc) = work.pop() {
            state.copy_from_slice(&bits[pc * words..(pc + 1) * words]);
            let instr = code.instrs[pc];
            // Step 3: the handler gets the state before the instruction.
            if let Some(h) = code.handler_for(pc) {
                meet(h.target as usize, &state, &mut bits, &mut work);
            }
            // Step 2.
            match instr {
                Instr::StoreFast(i) if (i as usize) < nlocals => {
                    state[i as usize / 64] |= 1 << (i % 64);
                }
                Instr::DeleteFast(i) if (i as usize) < nlocals => {
                    state[i as usize / 64] &= !(1 << (i % 64));
                }
                _ => {}
            }
            if let Some(t) = instr.jump_target() {
                meet(t as usize, &state, &mut bits, &mut work);
            }
            if !instr.is_terminal() {
                meet(pc + 1, &state, &mut bits, &mut work);
            }
        }
        Bound { words, bits }
    }
}

#[cfg(test)]
mod tests {
    use crate::compile::tests::{code_named, compile};

    /// The locals bound before the `LoadFast`s of function `f` of `src`, by local name.
    fn bound_loads(src: &str) -> Vec<(String, bool)> {
        let module = compile(src);
        let code = code_named(&module, "f");
        let bound = super::Bound::of(&code, code.varnames.len());
        code.instrs
            .iter()
            .enumerate()
            .filter_map(|(pc, i)| match i {
                crate::code::Instr::LoadFast(l) => {
                    Some((code.varnames[*l as usize].to_string(), bound.at(pc, *l)))
                }
                _ => None,
            })
            .collect()
    }

    fn all(loads: &[(String, bool)], name: &str) -> Vec<bool> {
        loads
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, b)| *b)
            .collect()
    }

    #[test]
    fn stores_bind_on_every_path() {
        let loads = bound_loads(
            "def f(a, c):\n    x = 0\n    if c:\n        y = 1\n    else:\n        y = 2\n        z = 3\n    while a:\n        x += y\n        a -= 1\n    return x + y + z + a\n",
        );
        assert_eq!(all(&loads, "x"), vec![true, true]);
        assert!(all(&loads, "y").iter().all(|b| *b));
        assert_eq!(all(&loads, "z"), vec![false], "bound on one branch only");
        assert!(all(&loads, "a").iter().all(|b| *b), "a parameter");
    }

    #[test]
    fn deletes_and_handlers_unbind() {
        let loads = bound_loads(
            "def f(a):\n    del a\n    try:\n        b = 1\n        c = g()\n    except ValueError:\n        return b + c\n    d = 1\n    for i in range(3):\n        d = i\n    return a + i + d\n",
        );
        // After `del a`, and in the handler (entered before `b` may be stored, and before
        // `c` is), nothing assigned in the try is bound; `i` is inside the loop, but after it
        // may never have been bound; `d` was before it.
        assert_eq!(all(&loads, "a"), vec![false]);
        assert_eq!(all(&loads, "b"), vec![false]);
        assert_eq!(all(&loads, "c"), vec![false]);
        assert_eq!(all(&loads, "i"), vec![true, false]);
        assert_eq!(all(&loads, "d"), vec![true]);
    }
}
