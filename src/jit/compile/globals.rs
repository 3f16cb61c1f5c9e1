//! `LoadGlobal(i)`: the site's global-name cache when the versions match, the runtime
//! otherwise (the fast path's steps are in [`crate::jit::globals`]). A load that opens a
//! callee window leaves the running function in its slot without a reference
//! (`analysis::CalleeWindows`).

use super::Cx;
use crate::code::Instr;
use crate::jit::globals::{
    self as g, buckets_offset, builtins_buckets_addr, jit_load_global_cached, NameCache,
};
use crate::jit::layout::{FUNC, GLOBALS};
use crate::jit::refcount::{emit_decref_rdi, emit_upgrade_rax};
use crate::object::dict_lock::key_bucket;
use crate::object::Value;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

impl Cx<'_> {
    /// The globals version and value word a guard of `LoadGlobal(i)` can check for, when the
    /// globals of the function being compiled are known: what the name's cache holds (looked
    /// up now if the cache is empty, as the first execution would), if it is a global's record
    /// and the bucket of these globals is at its version. The value then lives in the dict
    /// for as long as the version holds, and its allocation for as long as the record (see
    /// `NameCache::current_global`).
    fn known_global(&self, i: u32, hash: u64) -> Option<(u64, usize)> {
        let globals = self.globals?;
        let cache = &self.code.name_caches()[i as usize];
        if cache.current_global().is_none() {
            // A missing name is the running code's error to raise, not the compiler's.
            let _ = crate::interp::fill_global_cache(cache, globals, &self.code.names[i as usize]);
        }
        let (gver, bits) = cache.current_global()?;
        (globals.as_dict()?.key_version(hash) == gver).then_some((gver, bits))
    }

    /// Does global `i` name a function of the code being compiled, in the globals known at
    /// compile time? (Only a layout hint for the call through it: `calls`.)
    fn global_runs_this_code(&self, i: u32) -> bool {
        let Some(name) = self.code.names[i as usize].as_str() else {
            return false;
        };
        self.globals
            .and_then(|g| crate::stdlib::dict_get(g, name))
            .and_then(|v| v.as_function().map(|f| std::ptr::eq(&*f.code, self.code)))
            .unwrap_or(false)
    }

    /// The guard of a `LoadGlobal` for a value known at compile time: if the version of the
    /// name's bucket in the activation's globals (in `rax`, kept for the record path) is
    /// `gver` (no other dict's bucket ever has it), the value is `bits`; an immediate as it
    /// is, a heap value with a new reference (taken only if its count is not zero: another
    /// thread may have rebound the name since the compare; then `slow` answers), or none for
    /// the running function in a callee window. Any other version falls through to the record
    /// path emitted next; the answer is at `done` in `rax`.
    fn known_global_guard(
        &mut self,
        (gver, bits): (i64, i64),
        window: bool,
        slow: dynasmrt::DynamicLabel,
        done: dynasmrt::DynamicLabel,
    ) {
        let other = self.ops.new_dynamic_label();
        match i32::try_from(gver) {
            Ok(v) => dynasm!(self.ops ; .arch x64 ; cmp rax, v),
            Err(_) => dynasm!(self.ops ; .arch x64 ; mov r9, QWORD gver ; cmp rax, r9),
        }
        dynasm!(self.ops
            ; .arch x64
            ; jne =>other
            ; mov rax, QWORD bits
        );
        if bits & 3 == 0 {
            self.own_global_rax(window, slow, done);
        }
        dynasm!(self.ops ; .arch x64 ; jmp =>done ; =>other);
    }

    /// A reference to the heap value in `rax`, found through a record that holds it weakly
    /// (`emit_upgrade_rax`: `slow` answers if it is gone), or none for the running function in
    /// a callee window (then on to `done` at once).
    fn own_global_rax(
        &mut self,
        window: bool,
        slow: dynasmrt::DynamicLabel,
        done: dynasmrt::DynamicLabel,
    ) {
        if window {
            dynasm!(self.ops ; .arch x64 ; cmp rax, [rbp + FUNC] ; je =>done);
        }
        emit_upgrade_rax(&mut self.ops, slow);
    }

    /// The fast check of a load that opens a callee window for the running function
    /// ([`Cx::self_global_fast`]) can apply: the version and value of global `i` known now, and
    /// the address of its bucket's version word, when that value is a function of this code
    /// whose globals are the ones the code is compiled for.
    fn self_global(&self, i: u32, hash: u64) -> Option<(u64, usize, usize)> {
        let (gver, bits) = self.known_global(i, hash)?;
        let globals = self.globals?;
        // SAFETY: `known_global` found `bits` in the globals just now, which hold it.
        let value = std::mem::ManuallyDrop::new(unsafe { Value::from_bits(bits) });
        let f = value.as_function()?;
        let runs_this = std::ptr::eq(&*f.code, self.code) && f.globals.is(globals);
        let words = globals.as_dict()?.buckets_ptr()?;
        runs_this.then_some((gver, bits, words + 8 * key_bucket(hash)))
    }

    /// The load's check when the running function is most likely the global's value: the
    /// running function is `bits`, and the version word at `word` (of its globals) is `gver`.
    /// Neither load depends on another: the running function's identity tells its globals,
    /// which it keeps alive (and a dict's version words live as long as the dict). Then the
    /// answer is `bits` in `rax`, with no reference (a callee window); anything else goes to
    /// `general`.
    fn self_global_fast(&mut self, (gver, bits, word): (u64, usize, usize), general: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, QWORD bits as i64
            ; cmp rax, [rbp + FUNC]
            ; jne =>general
            ; mov rcx, QWORD word as i64
        );
        match i32::try_from(gver) {
            Ok(v) => dynasm!(self.ops ; .arch x64 ; cmp QWORD [rcx], v),
            Err(_) => dynasm!(self.ops ; .arch x64 ; mov r9, QWORD gver as i64 ; cmp [rcx], r9),
        }
        dynasm!(self.ops ; .arch x64 ; jne =>general);
    }

    /// Emits `LoadGlobal(i)` at depth `d` (the value is pushed into slot `d`).
    pub(super) fn load_global(&mut self, i: u32, d: u32) {
        let hash = self.code.names[i as usize]
            .as_pystr()
            .expect("names are strs")
            .hash();
        let s = self.slot(d);
        let window = self.an.windows.load[self.pc];
        if window {
            self.window_self[d as usize] = self.global_runs_this_code(i);
        }
        let done = self.ops.new_dynamic_label();
        self.window_known[d as usize] = false;
        match window.then(|| self.self_global(i, hash)).flatten() {
            Some(fast) => {
                let general = self.ops.new_dynamic_label();
                self.self_global_fast(fast, general);
                let again = self.window_to_copy();
                let (load, cache) = (self.pc, self.next_cache);
                self.window_known[d as usize] = again.is_some();
                self.cold(move |cx| {
                    dynasm!(cx.ops ; .arch x64 ; =>general);
                    let Some(end) = again else {
                        cx.load_global_general(i, d, done);
                        dynasm!(cx.ops ; .arch x64 ; jmp =>done);
                        return;
                    };
                    // The running function after all: back to the window. Anything else
                    // runs the window's copy, whose call compares.
                    let found = cx.ops.new_dynamic_label();
                    cx.load_global_general(i, d, found);
                    dynasm!(cx.ops
                        ; .arch x64
                        ; =>found
                        ; cmp rax, [rbp + FUNC]
                        ; je =>done
                        ; mov [rbp + s], rax
                    );
                    cx.window_again((load + 1, end), d, cache);
                });
            }
            None => self.load_global_general(i, d, done),
        }
        dynasm!(self.ops ; .arch x64 ; =>done ; mov [rbp + s], rax);
    }

    /// The `Call` that closes the callee window opened by the `LoadGlobal` being compiled, if
    /// the window can be compiled twice ([`Cx::window_again`]): straight-line loads and
    /// arithmetic in between (no call, whose cache the copy would take again; no jump target,
    /// no state another instruction leaves), in non-generator code.
    fn window_to_copy(&self) -> Option<usize> {
        let d = self.an.depth[self.pc]?;
        if self.gen.is_some() {
            return None;
        }
        for pc in self.pc + 1..self.code.instrs.len() {
            if self.an.is_target[pc] {
                return None;
            }
            match self.code.instrs[pc] {
                Instr::LoadFast(_) | Instr::LoadConst(_) | Instr::BinaryOp(_) | Instr::Nop => {}
                Instr::Call(n) => {
                    let closes = self.an.windows.call[pc] && self.an.depth[pc]? == d + n + 1;
                    return (closes && pc + 1 < self.code.instrs.len()).then_some(pc);
                }
                _ => return None,
            }
        }
        None
    }

    /// Compiles the instructions `from..=end` of a callee window at depth `b` again, out of
    /// line, for a callee that is not the running function (its slot holds it, owned): the
    /// copy's `Call` makes no assumption about it and takes the call cache `cache`, the
    /// window's own; then on to the instruction after the window, as the original goes.
    fn window_again(&mut self, (from, end): (usize, usize), b: u32, cache: usize) {
        let saved = (self.next_cache, self.returns_scratch, self.pc);
        self.next_cache = cache;
        self.window_self[b as usize] = false;
        self.window_known[b as usize] = false;
        let mut skip_next = false;
        for pc in from..=end {
            self.pc = pc;
            if std::mem::take(&mut skip_next) {
                continue;
            }
            let Some(d) = self.an.depth[pc] else { continue };
            skip_next = self.instr(self.code.instrs[pc], d);
        }
        debug_assert!(
            self.rdx_result.is_none(),
            "the copy's call is not the running function's"
        );
        let next = self.pcs[end + 1];
        dynasm!(self.ops ; .arch x64 ; jmp =>next);
        (self.next_cache, self.returns_scratch, self.pc) = saved;
    }

    /// `LoadGlobal(i)` at depth `d` through the name's cache, the answer in `rax` at `done` or
    /// at the end of what this emits.
    fn load_global_general(&mut self, i: u32, d: u32, done: DynamicLabel) {
        let name = self.name(i);
        // The code object's cache of this name (shared with the interpreter and every other
        // load of the name in this code).
        let cache = &self.code.name_caches()[i as usize] as *const NameCache as i64;
        let boff = buckets_offset();
        let bbuckets = builtins_buckets_addr() as i64;
        let hash = self.code.names[i as usize]
            .as_pystr()
            .expect("names are strs")
            .hash();
        let word = (8 * key_bucket(hash)) as i32;
        let s = self.slot(d);
        let window = self.an.windows.load[self.pc];
        let slow = self.ops.new_dynamic_label();
        let builtin = self.ops.new_dynamic_label();
        let value = self.ops.new_dynamic_label();
        // The current version of the name's bucket in the activation's globals, in `rax`.
        dynasm!(self.ops
            ; .arch x64
            ; mov rdx, [rbp + GLOBALS]
            ; mov rdx, [rdx + boff]
            ; test rdx, rdx
            ; jz =>slow
            ; mov rax, [rdx + word]
        );
        if let Some((gver, bits)) = self.known_global(i, hash) {
            self.known_global_guard((gver as i64, bits as i64), window, slow, done);
        }
        // A global's record (builtins version ANY) needs one version word, read once: no
        // sequence lock. A builtin's record compares both words between two reads of its
        // sequence word (out of line, below).
        dynasm!(self.ops
            ; .arch x64
            ; mov rcx, QWORD cache
            ; mov rcx, [rcx]
            ; test rcx, rcx
            ; jz =>slow
            ; cmp QWORD [rcx + g::BVER], -1 // ANY_VERSION
            ; jne =>builtin
            ; cmp rax, [rcx + g::GVER]
            ; jne =>slow
            ; =>value
            ; mov rax, [rcx + g::BITS]
            ; test al, 3
            ; jnz =>done
        );
        self.own_global_rax(window, slow, done);
        // Out of line: a builtin's record, and the runtime path.
        self.cold(move |cx| {
            dynasm!(cx.ops
                ; .arch x64
                ; =>builtin
                ; mov r8, [rcx + g::SEQ]
                ; test r8b, 1
                ; jnz =>slow
                ; cmp rax, [rcx + g::GVER]
                ; jne =>slow
                ; mov rdx, QWORD bbuckets
                ; mov rdx, [rdx]
                ; test rdx, rdx
                ; jz =>slow
                ; mov rax, [rdx + word]
                ; cmp rax, [rcx + g::BVER]
                ; jne =>slow
                ; cmp r8, [rcx + g::SEQ]
                ; jne =>slow
                ; jmp =>value
                ; =>slow
                ; mov rsi, [rbp + GLOBALS]
                ; mov rdx, QWORD name
                ; mov rcx, QWORD cache
            );
            cx.rt(jit_load_global_cached as *const () as usize);
            cx.on_error(d);
            if window {
                // The slow path returns a reference: give it back if the slot holds `func`
                // (which its caller keeps alive, so this is never the last one).
                dynasm!(cx.ops
                    ; .arch x64
                    ; cmp rax, [rbp + FUNC]
                    ; jne =>done
                    ; mov [rbp + s], rax
                    ; mov rdi, rax
                );
                emit_decref_rdi(&mut cx.ops);
                dynasm!(cx.ops ; .arch x64 ; mov rax, [rbp + s]);
            }
            dynasm!(cx.ops ; .arch x64 ; jmp =>done);
        });
    }
}
