//! Where an instruction meets the runtime: helper calls through the runtime-call trampoline
//! and guards, each recorded as a debug-map site of the current instruction; safepoint polls;
//! and failing, to the landing pad of the handler covering the instruction or else down the
//! frame's error ladder.
//!
//! Invariants: a call site's offset is its return address (a walker blocked in the helper finds
//! the instruction there); a failure stores the instruction index in `EXIT_PC` before it jumps;
//! the poll stubs are emitted out of line by `tail` (`frame`).

use super::Cx;
use crate::jit::debug_map::{DebugEntry, SiteKind};
use crate::jit::emit::emit_runtime_call;
use crate::jit::helpers as h;
use crate::jit::layout::EXIT_PC;
use crate::jit::refcount::emit_decref_rdi_polling;
use crate::thread::POLL_OFFSET;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};

impl Cx<'_> {
    /// Calls `helper` through the runtime-call trampoline and records the call site.
    pub(super) fn rt(&mut self, helper: usize) {
        let off = emit_runtime_call(&mut self.ops, helper);
        self.sites.push(DebugEntry {
            offset: off.0 as u32,
            instr: self.pc as u32,
            kind: SiteKind::Call,
        });
    }

    /// Records a guard site at the current address (right after its conditional jump).
    pub(super) fn guard_site(&mut self) {
        let off = self.ops.offset().0 as u32;
        self.sites.push(DebugEntry {
            offset: off,
            instr: self.pc as u32,
            kind: SiteKind::Guard,
        });
    }

    /// A safepoint poll (`cmp byte [r15 + POLL], 0; jne stub`): a load and a not-taken branch
    /// inline; the stub, emitted out of line by `tail`, calls `jit_safepoint` through the
    /// runtime-call trampoline (so the activation is anchored at this instruction while the
    /// handshake walks it) and jumps back.
    pub(super) fn poll(&mut self) {
        let stub = self.ops.new_dynamic_label();
        let back = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; cmp BYTE [r15 + POLL_OFFSET], 0
            ; jne =>stub
            ; =>back
        );
        self.polls.push((stub, back, self.pc));
    }

    /// Releases the word in `rdi` where the instruction leaves the frame consistent (a store to
    /// or deletion of a local, a popped result): if that freed a generator whose `finally`
    /// must run, a safepoint poll runs it here, at this instruction, as CPython's refcounting
    /// does (the poll stub is `poll`'s).
    pub(super) fn decref_rdi_polled(&mut self) {
        let stub = self.ops.new_dynamic_label();
        let back = self.ops.new_dynamic_label();
        emit_decref_rdi_polling(&mut self.ops, Some((stub, back)));
        self.polls.push((stub, back, self.pc));
    }

    /// Unconditionally fails the current instruction with `depth` owned stack slots live: to
    /// its handler's landing pad if one covers it, else down the frame's error ladder.
    pub(super) fn fail(&mut self, depth: u32) {
        self.own_window_slots(depth);
        let pc = self.pc as i32;
        let err = match self.handler_pad(depth) {
            Some(pad) => pad,
            None => self.errs[depth as usize],
        };
        dynasm!(self.ops
            ; .arch x64
            ; mov DWORD [rbp + EXIT_PC], pc
            ; jmp =>err
        );
    }

    /// After a helper call: fail with `depth` live slots if it returned the sentinel.
    pub(super) fn on_error(&mut self, depth: u32) {
        let ok = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; test rax, rax ; jnz =>ok);
        self.fail(depth);
        dynasm!(self.ops ; .arch x64 ; =>ok);
    }

    /// The UnboundLocalError path of local `i` with `depth` live slots (does not return).
    pub(super) fn unbound(&mut self, i: u32, depth: u32) {
        let info = self.info as i64;
        dynasm!(self.ops ; .arch x64 ; mov rsi, QWORD info ; mov edx, i as i32);
        self.rt(h::jit_unbound_local as *const () as usize);
        self.fail(depth);
    }
}
