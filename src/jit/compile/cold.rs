//! Cold paths: the code an instruction needs only when something unusual happens (a failed
//! guard, a runtime fallback, an error), emitted after the body so that the fast paths fall
//! through from one instruction to the next.
//!
//! An emitter defers such a path with [`Cx::cold`]; once the body is done, `emit` runs the
//! deferred paths ([`Cx::cold_paths`]), and those they defer in turn, each with `pc` set back to
//! its instruction: the debug-map sites, handler pads and deoptimizations it emits belong to
//! that instruction. A cold path never falls through (it ends in a jump), so the paths can be
//! laid out in any order. Also here: the deoptimization stub that a failed guard jumps to
//! ([`Cx::deopt_stub`]).

use super::Cx;
use crate::jit::deopt::{jit_deopt, DEOPT_BUDGET};
use crate::jit::layout::{SCRATCH, SHADOW};
use crate::jit::JitCodeInfo;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

/// Emits one cold path (see `Cx::cold`); it must end in a jump.
pub(super) type ColdPath<'a> = Box<dyn FnOnce(&mut Cx<'a>) + 'a>;

impl<'a> Cx<'a> {
    /// Emits `path` out of line, after the body, as part of the current instruction.
    pub(super) fn cold(&mut self, path: impl FnOnce(&mut Cx<'a>) + 'a) {
        self.cold.push((self.pc, Box::new(path)));
    }

    /// Emits the cold paths (and those they ask for in turn).
    pub(super) fn cold_paths(&mut self) {
        while !self.cold.is_empty() {
            for (pc, path) in std::mem::take(&mut self.cold) {
                let saved = std::mem::replace(&mut self.pc, pc);
                path(self);
                self.pc = saved;
            }
        }
    }
}

impl Cx<'_> {
    /// The target of a failed guard at depth `d` (label `deopt`): deoptimize through
    /// `jit_deopt` and leave through the epilogue with its result, or, once the code object has
    /// used up its deopt budget, continue at `slow` (the generic helper). See
    /// [`crate::jit::deopt`].
    pub(super) fn deopt_stub(&mut self, deopt: DynamicLabel, slow: DynamicLabel, d: u32) {
        let deopts = (self.info + offset_of!(JitCodeInfo, deopts)) as i64;
        let pc = self.pc as i32;
        let epi = self.epilogue;
        if self.gen.is_some() {
            // Generator code never deoptimizes (`gen` module docs).
            dynasm!(self.ops ; .arch x64 ; =>deopt ; jmp =>slow);
            return;
        }
        dynasm!(self.ops
            ; .arch x64
            ; =>deopt
            ; mov rcx, QWORD deopts
            ; cmp DWORD [rcx], DEOPT_BUDGET as i32
            ; jae =>slow
        );
        // The interpreter takes the value stack as owned references.
        self.own_window_slots(d);
        dynasm!(self.ops
            ; .arch x64
            ; lea rsi, [rbp + SHADOW]
            ; mov edx, pc
            ; mov ecx, d as i32
        );
        self.rt(jit_deopt as *const () as usize);
        dynasm!(self.ops
            ; .arch x64
            ; mov [rbp + SCRATCH], rax
            ; jmp =>epi
        );
    }
}
