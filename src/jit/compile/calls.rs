//! `Call(n)`: a direct call into compiled code when the site's inline cache matches the callee,
//! the runtime otherwise (see [`crate::jit::calls`]).
//!
//! The direct path, in steps:
//! 1. Compare the callee word (stack slot `b`) with the cache's function word; any difference
//!    (another function, an empty cache, a non-function) takes the runtime path. A window
//!    whose global load proved the callee the running function compares nothing
//!    (`Cx::window_known`).
//! 2. `call [cache.entry]` with the entry ABI (`func`, `globals`, `args` = the `n` argument
//!    slots, whose ownership moves into the callee's locals). The return address is a `Call`
//!    site of this instruction in the debug map: it is how a walker blocked in the callee finds
//!    this activation's instruction. A call of the running function with exactly its
//!    parameters first tries the code's frameless path on the arguments in place (`leaf`: then
//!    there is no call at all), then calls this code's prologue directly, with its globals.
//! 3. Drop the callee word (the caller's slot still owned it), then store the result, or fail
//!    at depth `b` if the callee returned the error sentinel (its traceback entry is already
//!    recorded; ours is added by the error path like for any failing instruction). In a
//!    callee window (`analysis::CalleeWindows`) the slot holds the running function without
//!    a reference: it is not dropped. Where the window's global names a function of this code
//!    at compile time (most likely a recursion), the running function is told apart before
//!    the call and that path drops nothing, the other out of line; elsewhere after the call.
//! 4. No poll: a compiled callee's epilogue serves the poll that releasing its locals may have
//!    asked for (a generator's `finally`, which CPython runs before the caller goes on), as at
//!    this call site (`compile` step 4); dropping the callee word polls where it released
//!    something; the runtime path polls in its trampoline.

use super::frame::RESUME_ARGS;
use super::Cx;
use crate::code::leaf::LeafPath;
use crate::code::{CodeFlags, Instr};
use crate::jit::calls::{self as cc, jit_call_cached, CallCache};
use crate::jit::debug_map::{DebugEntry, SiteKind};
use crate::jit::layout::{FUNC, GLOBALS, SCRATCH};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

impl Cx<'_> {
    /// Does the `Call` at `pc` take its last argument in `rdx`, a small int not yet stored into
    /// its slot, from the instruction before it (an inline binary operation, `arith`)? Where
    /// the call most likely calls the running function with its parameters, and the code has
    /// a frameless path that tests them: the path reads the argument in the register, with no
    /// tag test, and a resumption entry takes it there (`RESUME_ARGS`). Nothing may jump to
    /// the call, so the only way in is from that instruction.
    pub(super) fn takes_rdx(&self, pc: usize) -> bool {
        let (Some(&Instr::Call(n)), Some(&Some(d))) =
            (self.code.instrs.get(pc), self.an.depth.get(pc))
        else {
            return false;
        };
        (1..=RESUME_ARGS.len() as u32).contains(&n)
            && !self.an.is_target[pc]
            && self.an.windows.call[pc]
            && self.window_self[(d - n - 1) as usize]
            && self.self_callable(n)
            && self.leaf.is_some()
    }

    /// Emits `Call(n)` at depth `d`. With `rdx = Some((merge, _))` ([`Cx::takes_rdx`]), the
    /// instruction before left the last argument in `rdx`, a small int, not stored; its other
    /// paths stored it and jump to `merge`.
    pub(super) fn call(&mut self, n: u32, d: u32, rdx: Option<(DynamicLabel, i32)>) {
        let b = d - n - 1;
        let base = self.slot(b);
        let window = self.an.windows.call[self.pc];
        let cache = self.next_cache as i64;
        self.next_cache += std::mem::size_of::<CallCache>();
        let dst = self.result_dest(base);
        let slow = self.ops.new_dynamic_label();
        let failed = self.ops.new_dynamic_label();
        let stored = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        let start = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; =>start);
        if window && self.window_self[b as usize] {
            // Most likely the running function calling itself (its global names a function
            // of this code): its slot holds no reference, so this path drops nothing; any
            // other callee takes the dropping path, out of line. The running function stays
            // in `rdi`, the callee argument of the call.
            let other = self.ops.new_dynamic_label();
            let other_in = match rdx {
                Some(_) => self.ops.new_dynamic_label(),
                None => other,
            };
            dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + FUNC]);
            if !self.window_known[b as usize] {
                dynasm!(self.ops ; .arch x64 ; cmp rdi, [rbp + base] ; jne =>other_in);
            }
            let callable = self.self_callable(n);
            let called = self.ops.new_dynamic_label();
            match (callable, self.leaf.clone()) {
                (true, Some(path)) => {
                    let args = (n, b, rdx.is_some());
                    self.leaf_or_self_call(&path, args, dst, done, called)
                }
                (true, None) => self.self_call(n, b, self.full_entry),
                (false, _) => {
                    dynasm!(self.ops ; .arch x64 ; mov rax, rdi);
                    self.direct_call(n, b, cache, slow)
                }
            }
            dynasm!(self.ops
                ; .arch x64
                ; =>called
                ; test rax, rax
                ; jz =>failed
                ; mov [rbp + dst], rax
            );
            self.cold(move |cx| {
                dynasm!(cx.ops ; .arch x64 ; =>other ; mov rax, [rbp + base]);
                cx.direct_call_dropping(n, b, cache, slow, failed, false);
                dynasm!(cx.ops ; .arch x64 ; mov [rbp + dst], rax ; jmp =>stored);
            });
            if let Some((merge, last)) = rdx {
                // Any other callee reads the argument from its slot. The instruction before
                // stored it where it did not leave it in `rdx` (a guard failed): tested, it
                // goes the same way; not a small int, to the prologue.
                self.cold(move |cx| {
                    dynasm!(cx.ops
                        ; .arch x64
                        ; =>other_in
                        ; mov [rbp + last], rdx
                        ; jmp =>other
                        ; =>merge
                        ; mov rdx, [rbp + last]
                        ; test dl, 1
                        ; jnz =>start
                        ; mov rax, [rbp + base]
                        ; cmp rax, [rbp + FUNC]
                        ; jne =>other
                    );
                    cx.self_call(n, b, cx.full_entry);
                    dynasm!(cx.ops ; .arch x64 ; jmp =>called);
                });
            }
        } else {
            // Another function, most likely: one path, which tells the running function apart
            // after the call in a window.
            dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + base]);
            self.direct_call_dropping(n, b, cache, slow, failed, window);
            dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rax);
        }
        dynasm!(self.ops ; .arch x64 ; =>stored);
        // Out of line: the failure, and the runtime path.
        self.cold(move |cx| {
            dynasm!(cx.ops ; .arch x64 ; =>failed);
            cx.fail(b);
            dynasm!(cx.ops ; .arch x64 ; =>slow);
            if window {
                // The runtime consumes the callee word: it must own a reference.
                cx.own_if_running(base);
            }
            dynasm!(cx.ops
                ; .arch x64
                ; lea rsi, [rbp + base]
                ; mov edx, n as i32
                ; mov rcx, QWORD cache
            );
            cx.rt(jit_call_cached as *const () as usize);
            cx.on_error(b);
            dynasm!(cx.ops
                ; .arch x64
                ; mov [rbp + dst], rax
                ; jmp =>done
            );
        });
        dynasm!(self.ops ; .arch x64 ; =>done);
    }

    /// Steps 1 and 2: with the callee word in `rax` (slot `b`, the `n` arguments above it),
    /// the direct call if the cache at `cache` holds that function, else on to `slow`. The
    /// result (or 0) is in `rax` afterwards.
    fn direct_call(&mut self, n: u32, b: u32, cache: i64, slow: DynamicLabel) {
        let args = self.call_args(n, b);
        dynasm!(self.ops
            ; .arch x64
            ; mov rcx, QWORD cache
            ; cmp rax, [rcx + cc::FUNC]
            ; jne =>slow
            ; mov rdi, rax
            ; mov rsi, [rcx + cc::GLOBALS]
            ; lea rdx, [rbp + args]
            ; call QWORD [rcx + cc::ENTRY]
        );
        self.call_site();
    }

    /// A call of the running function with exactly its parameters, `n` arguments above the
    /// callee in slot `b` (the last one in `rdx` instead if `rdx`, a small int): the code's
    /// frameless path on the arguments in place (the answer stored into `dst`, then on to
    /// `done`: no call, no poll), else a call into this code: where a comparison left the
    /// path, of that comparison's resumption entry, past what the path compared; anything
    /// else (arguments that are not small ints: rare, out of line) of the prologue. `rdi`
    /// holds the running function. The call's result is in `rax` at `called`.
    fn leaf_or_self_call(
        &mut self,
        path: &LeafPath,
        (n, b, rdx): (u32, u32, bool),
        dst: i32,
        done: DynamicLabel,
        called: DynamicLabel,
    ) {
        let full = self.ops.new_dynamic_label();
        // The prologue takes every argument from its slot.
        let full_in = if rdx {
            self.ops.new_dynamic_label()
        } else {
            full
        };
        // Per comparison: the call of its resumption entry (a stub label and the entry).
        let (stubs, left) = self.entry_stubs();
        let r = self.leaf_inline(path, (self.call_args(n, b), rdx), full_in, &left);
        dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], Rq(r) ; jmp =>done);
        let last = self.slot(b + n);
        let stubs: Vec<_> = stubs.into_iter().flatten().collect();
        if stubs.is_empty() {
            dynasm!(self.ops ; .arch x64 ; =>full_in);
            if rdx {
                dynasm!(self.ops ; .arch x64 ; mov [rbp + last], rdx ; =>full);
            }
            self.self_call(n, b, self.full_entry);
            return;
        }
        for (i, &(stub, entry)) in stubs.iter().enumerate() {
            dynasm!(self.ops ; .arch x64 ; =>stub);
            self.resume_call(n, b, rdx, entry);
            if i + 1 < stubs.len() {
                dynasm!(self.ops ; .arch x64 ; jmp =>called);
            }
        }
        self.cold(move |cx| {
            if rdx {
                dynasm!(cx.ops ; .arch x64 ; =>full_in ; mov [rbp + last], rdx);
            }
            dynasm!(cx.ops ; .arch x64 ; =>full);
            cx.self_call(n, b, cx.full_entry);
            dynasm!(cx.ops ; .arch x64 ; jmp =>called);
        });
    }

    /// A call of the resumption entry `entry` of this code with the `n` arguments above slot
    /// `b` (the last one in `rdx` already if `rdx`) in the registers of `RESUME_ARGS`; `rdi`
    /// holds the running function already (the call site compared it with the callee).
    fn resume_call(&mut self, n: u32, b: u32, rdx: bool, entry: DynamicLabel) {
        let args = self.call_args(n, b);
        let in_slots = if rdx {
            // `rdx` is the first argument's register: the last one moves out of it first.
            let r = RESUME_ARGS[n as usize - 1];
            if n > 1 {
                dynasm!(self.ops ; .arch x64 ; mov Rq(r), rdx);
            }
            n - 1
        } else {
            n
        };
        for i in 0..in_slots {
            let r = RESUME_ARGS[i as usize];
            let off = args + 8 * i as i32;
            dynasm!(self.ops ; .arch x64 ; mov Rq(r), [rbp + off]);
        }
        dynasm!(self.ops
            ; .arch x64
            ; mov rsi, [rbp + GLOBALS]
            ; call =>entry
        );
        self.call_site();
    }

    /// Can a call of the running function with `n` arguments enter this code directly? As
    /// `CallCache::offer` decides for any callee: the arguments fill the parameters exactly,
    /// and the code is not a generator's (calling that creates a generator).
    fn self_callable(&self, n: u32) -> bool {
        n == self.code.argcount
            && self.gen.is_none()
            && !self
                .code
                .flags
                .intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE)
    }

    /// Step 2 for a callee known to be the running function: this code, called with its own
    /// function and globals; no cache to consult. The function may have been compiled again
    /// since this activation began: either code runs the same function. The call goes past
    /// the frameless path (tried at the call site already, with the same arguments and
    /// depth) to `entry`, the prologue (a resumption entry takes its arguments in registers:
    /// [`Cx::resume_call`]).
    fn self_call(&mut self, n: u32, b: u32, entry: DynamicLabel) {
        let args = self.call_args(n, b);
        dynasm!(self.ops
            ; .arch x64
            ; mov rdi, [rbp + FUNC]
            ; mov rsi, [rbp + GLOBALS]
            ; lea rdx, [rbp + args]
            ; call =>entry
        );
        self.call_site();
    }

    /// The frame offset of the `n` argument slots of a call whose callee is slot `b`.
    fn call_args(&self, n: u32, b: u32) -> i32 {
        if n > 0 {
            self.slot(b + 1)
        } else {
            self.slot(b) + 8
        }
    }

    /// The return address just emitted is a call site of the instruction being compiled.
    fn call_site(&mut self) {
        let off = self.ops.offset().0 as u32;
        self.sites.push(DebugEntry {
            offset: off,
            instr: self.pc as u32,
            kind: SiteKind::Call,
        });
    }

    /// [`Cx::direct_call`], then step 3: the callee's word dropped (in a `window`, unless it is
    /// the running function, which its slot holds without a reference), and on to `failed` if
    /// the callee failed; else the result is in `rax`.
    fn direct_call_dropping(
        &mut self,
        n: u32,
        b: u32,
        cache: i64,
        slow: DynamicLabel,
        failed: DynamicLabel,
        window: bool,
    ) {
        self.direct_call(n, b, cache, slow);
        dynasm!(self.ops ; .arch x64 ; mov [rbp + SCRATCH], rax);
        self.drop_at_polled(self.slot(b), window);
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rbp + SCRATCH]
            ; test rax, rax
            ; jz =>failed
        );
    }
}
