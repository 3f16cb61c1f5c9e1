//! Exception handling in compiled code: routing a failing instruction to its handler, and the
//! instructions of `try`/`except`/`finally`/`with` (PushExcInfo, PopExcept, CheckExcMatch,
//! BeforeWith, WithExceptStart, bare `raise`, Reraise).
//!
//! It mirrors the interpreter's `unwind`. When the instruction at `pc` fails with `d` owned
//! stack slots live and the exception-table entry `h` covers `pc`:
//!
//! 1. slots `d-1 .. h.depth` are dropped (each exactly once);
//! 2. a fresh error gets its `__context__` and this frame's traceback entry
//!    (`jit_record_error`); a re-raise (Reraise, bare `raise` of the handled exception) gets
//!    neither;
//! 3. if `h.lasti`, the frame's instruction index is pushed as a small int: the failing
//!    instruction, or for `Reraise 1` the index it restored;
//! 4. the exception is taken from the pending slot and pushed, and control jumps to `h.target`.
//!
//! Uncovered failures keep the frame's error ladder (fresh errors) or, for re-raises, drop the
//! live slots and leave through the epilogue without a traceback entry.
//!
//! Layout: the pads live in the cold tail, one rung per (entry, depth) pair, as a ladder per
//! entry: rung `d` drops slot `d-1` and falls into rung `d-1`; the bottom rung (the entry's
//! depth) records the traceback entry and falls into the entry's `enter` block (steps 3-4),
//! which re-raises jump to directly. The hot path only changes the target of its error jump.
//!
//! Invariants: whenever a pad or `enter` block is entered, the exception is pending and
//! `EXIT_PC` holds the frame's instruction index (a DWORD); slots below the entry's depth are
//! never touched. A failure with fewer live slots than its handler's depth cannot be unwound
//! like the interpreter does, so it refuses the code object ([`Pads::refused`]).

use super::{Cx, EXIT_PC, SCRATCH, SHADOW};
use crate::code::{CodeObject, Instr};
use crate::jit::helpers as h;
use crate::jit::pinned;
use crate::jit::Unsupported;
use crate::thread::ThreadState;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

const EXC_INFO: i32 = offset_of!(ThreadState, exc_info) as i32;

/// The landing pads requested so far, per exception-table entry.
pub(super) struct Pads {
    /// Rung labels of each entry, indexed by depth (`None`: not requested yet).
    rungs: Vec<Vec<Option<DynamicLabel>>>,
    /// Each entry's `enter` block (steps 3-4), once requested.
    enter: Vec<Option<DynamicLabel>>,
    /// Why the code object must stay interpreted, if a failure site contradicts its handler.
    pub(super) refused: Option<Unsupported>,
}

impl Pads {
    pub(super) fn new(code: &CodeObject) -> Pads {
        let n = code.exc_table.len();
        Pads {
            rungs: vec![Vec::new(); n],
            enter: vec![None; n],
            refused: None,
        }
    }
}

impl Cx<'_> {
    /// Index of the exception-table entry covering `pc` (the first match, as `handler_for`).
    fn entry_at(&self, pc: usize) -> Option<usize> {
        let pc = pc as u32;
        self.code
            .exc_table
            .iter()
            .position(|e| e.start <= pc && pc < e.end)
    }

    /// The entry covering the current instruction, if its depth fits under `depth` live slots
    /// (otherwise the code object is refused and the frame's own error path is used, so the
    /// buffer stays well-formed until `emit` reports the refusal).
    fn covering_entry(&mut self, depth: u32) -> Option<usize> {
        let i = self.entry_at(self.pc)?;
        if depth < self.code.exc_table[i].depth {
            self.exc.refused.get_or_insert(Unsupported::Code(
                "an instruction fails below its handler's stack depth",
            ));
            return None;
        }
        Some(i)
    }

    /// Where a fresh failure of the current instruction with `depth` live slots goes, if a
    /// handler covers it: the rung of its entry's ladder for that depth.
    pub(super) fn handler_pad(&mut self, depth: u32) -> Option<DynamicLabel> {
        let i = self.covering_entry(depth)?;
        let d = depth as usize;
        if self.exc.rungs[i].len() <= d {
            self.exc.rungs[i].resize(d + 1, None);
        }
        let label = match self.exc.rungs[i][d] {
            Some(l) => l,
            None => {
                let l = self.ops.new_dynamic_label();
                self.exc.rungs[i][d] = Some(l);
                l
            }
        };
        Some(label)
    }

    fn enter_label(&mut self, i: usize) -> DynamicLabel {
        match self.exc.enter[i] {
            Some(l) => l,
            None => {
                let l = self.ops.new_dynamic_label();
                self.exc.enter[i] = Some(l);
                l
            }
        }
    }

    /// Re-raises the pending exception from the current instruction with `depth` live slots:
    /// no `__context__`, no traceback entry (the interpreter's `fresh: false`). `EXIT_PC` must
    /// already hold the frame's instruction index.
    fn reraise_pending(&mut self, depth: u32) {
        match self.covering_entry(depth) {
            Some(i) => {
                for j in (self.code.exc_table[i].depth..depth).rev() {
                    let s = self.slot(j);
                    self.drop_at(s);
                }
                let enter = self.enter_label(i);
                dynasm!(self.ops ; .arch x64 ; jmp =>enter);
            }
            None => {
                for j in (0..depth).rev() {
                    let s = self.slot(j);
                    self.drop_at(s);
                }
                let epi = self.epilogue;
                dynasm!(self.ops
                    ; .arch x64
                    ; mov QWORD [rbp + SCRATCH], 0
                    ; jmp =>epi
                );
            }
        }
    }

    /// The cold tail: each entry's ladder (if any failure site asked for one), its record rung
    /// and its `enter` block.
    pub(super) fn handler_pads(&mut self) {
        for i in 0..self.code.exc_table.len() {
            let e = self.code.exc_table[i];
            let rungs = std::mem::take(&mut self.exc.rungs[i]);
            if !rungs.is_empty() {
                for d in (e.depth as usize..rungs.len()).rev() {
                    let l = rungs[d].unwrap_or_else(|| self.ops.new_dynamic_label());
                    dynasm!(self.ops ; .arch x64 ; =>l);
                    if d > e.depth as usize {
                        let s = self.slot(d as u32 - 1);
                        self.drop_at(s);
                    }
                }
                self.record_error();
            } else if self.exc.enter[i].is_none() {
                continue; // nothing can reach this handler by an exception
            }
            let enter = self.enter_label(i);
            dynasm!(self.ops ; .arch x64 ; =>enter);
            let mut top = e.depth;
            if e.lasti {
                let s = self.slot(top);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov eax, DWORD [rbp + EXIT_PC]
                    ; lea rax, [rax + rax + 1] // Value::int(pc)
                    ; mov [rbp + s], rax
                );
                top += 1;
            }
            let s = self.slot(top);
            let target = self.pcs[e.target as usize];
            dynasm!(self.ops ; .arch x64 ; mov rdi, r15);
            pinned::emit_leaf_call_synced(&mut self.ops, h::jit_take_pending as *const () as usize);
            dynasm!(self.ops
                ; .arch x64
                ; mov [rbp + s], rax
                ; jmp =>target
            );
        }
    }

    /// `jit_record_error(ts, info, EXIT_PC, sf)` for the pending exception: the context and
    /// traceback entry of a fresh error, as the error ladder records them. `rcx` is the
    /// activation's shadow frame (the argument the helper is gaining; ignored until then).
    fn record_error(&mut self) {
        let info = self.info as i64;
        dynasm!(self.ops
            ; .arch x64
            ; mov rdi, r15
            ; mov rsi, QWORD info
            ; mov edx, DWORD [rbp + EXIT_PC]
            ; lea rcx, [rbp + SHADOW]
        );
        pinned::emit_leaf_call_synced(&mut self.ops, h::jit_record_error as *const () as usize);
    }

    /// Compiles one exception-handling instruction at depth `d`.
    pub(super) fn exc_instr(&mut self, instr: Instr, d: u32) {
        match instr {
            Instr::Raise(0) => self.raise_bare(d),
            Instr::Reraise(k) => self.reraise(k, d),
            Instr::PushExcInfo => self.push_exc_info(d),
            Instr::PopExcept => self.pop_except(d),
            Instr::CheckExcMatch => {
                let (exc, ty) = (self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + exc] ; mov rdx, [rbp + ty]);
                self.rt(h::jit_check_exc_match as *const () as usize);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + ty], rax);
            }
            Instr::BeforeWith => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + s] ; lea rdx, [rbp + s]);
                self.rt(h::jit_before_with as *const () as usize);
                self.on_error(d - 1);
            }
            Instr::WithExceptStart => {
                // [exit, lasti, prev, exc] stay; the result is pushed.
                let (exit, exc, out) = (self.slot(d - 4), self.slot(d - 1), self.slot(d));
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + exit] ; mov rdx, [rbp + exc]);
                self.rt(h::jit_with_except_start as *const () as usize);
                self.on_error(d);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + out], rax);
            }
            other => unreachable!("not an exception-handling instruction: {other:?}"),
        }
    }

    /// Bare `raise`: re-raises the handled exception, or fails fresh with RuntimeError.
    fn raise_bare(&mut self, d: u32) {
        let again = self.ops.new_dynamic_label();
        let pc = self.pc as i32;
        self.rt(h::jit_raise_bare as *const () as usize);
        dynasm!(self.ops ; .arch x64 ; test rax, rax ; jnz =>again);
        self.fail(d);
        dynasm!(self.ops
            ; .arch x64
            ; =>again
            ; mov DWORD [rbp + EXIT_PC], pc
        );
        self.reraise_pending(d);
    }

    /// `Reraise k`: `[.., (lasti,) exc]`; with `k == 1` the frame's instruction goes back to
    /// `lasti` (what an enclosing `lasti` handler pushes, and the exit pc if none covers it).
    fn reraise(&mut self, k: u32, d: u32) {
        let pc = self.pc as i32;
        let exc = self.slot(d - 1);
        let pops = if k == 1 {
            let l = self.slot(d - 2);
            // The interpreter restores the index only from a small int (compiler output).
            dynasm!(self.ops
                ; .arch x64
                ; mov rax, [rbp + l]
                ; mov ecx, pc
                ; test al, 1
                ; jz >keep
                ; sar rax, 1
                ; mov ecx, eax
                ; keep:
                ; mov [rbp + EXIT_PC], ecx
                ; mov rdx, [rbp + l]
            );
            2
        } else {
            dynasm!(self.ops
                ; .arch x64
                ; mov DWORD [rbp + EXIT_PC], pc
                ; xor edx, edx
            );
            1
        };
        dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + exc]);
        self.rt(h::jit_reraise as *const () as usize);
        self.reraise_pending(d - pops);
    }

    /// `[exc] -> [prev, exc]` with `ts.exc_info = exc`, inline: the thread state's reference to
    /// the previous exception moves to the stack, and `exc` gains one for `ts.exc_info`.
    fn push_exc_info(&mut self, d: u32) {
        let (low, top) = (self.slot(d - 1), self.slot(d));
        dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + low]);
        self.incref_rax();
        dynasm!(self.ops
            ; .arch x64
            ; mov rcx, [r15 + EXC_INFO]
            ; mov [r15 + EXC_INFO], rax
            ; mov [rbp + low], rcx
            ; mov [rbp + top], rax
        );
    }

    /// `[prev] -> []` with `ts.exc_info = prev`, inline; the replaced value is dropped.
    fn pop_except(&mut self, d: u32) {
        let s = self.slot(d - 1);
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rbp + s]
            ; mov rdi, [r15 + EXC_INFO]
            ; mov [r15 + EXC_INFO], rax
        );
        crate::jit::refcount::emit_decref_rdi(&mut self.ops);
    }
}
