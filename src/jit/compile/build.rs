//! Emitters for the container, string, function and import instructions: BuildMap, BuildSet,
//! BuildSlice, BuildString, FormatValue, ListAppend, SetAdd, MapAdd, MakeFunction, ImportName,
//! ImportFrom and DeleteGlobal.
//!
//! Each one is a single runtime call (`jit::helpers`, which reuse the interpreter's functions),
//! so they read and fail exactly as the interpreter's arms do. Slot ownership follows the helper
//! conventions: the values an instruction pops are handed to the helper (which consumes them),
//! the values it only reads in place (a comprehension's list, an imported module) stay owned by
//! their slots, and the result goes to the slot the interpreter would push it to. On failure the
//! live depth passed to `on_error` is the depth without the consumed values.

use super::{Cx, GLOBALS};
use crate::code::Instr;
use crate::jit::helpers as h;
use dynasmrt::{dynasm, DynasmApi};

impl Cx<'_> {
    /// `n` values at the top of a stack of depth `d` go to `helper(ts, &slots[base], n)`; the
    /// result replaces them.
    fn build_from_slots(&mut self, helper: usize, n: u32, d: u32, arg: u32) {
        let base = self.slot(d - n);
        dynasm!(self.ops ; .arch x64 ; lea rsi, [rbp + base] ; mov edx, arg as i32);
        self.rt(helper);
        self.on_error(d - n);
        dynasm!(self.ops ; .arch x64 ; mov [rbp + base], rax);
    }

    /// Compiles one container / string / function / import instruction at depth `d`.
    pub(super) fn build_instr(&mut self, instr: Instr, d: u32) {
        match instr {
            Instr::BuildMap(n) => {
                self.build_from_slots(h::jit_build_map as *const () as usize, 2 * n, d, n)
            }
            Instr::BuildSet(n) => {
                self.build_from_slots(h::jit_build_set as *const () as usize, n, d, n)
            }
            Instr::BuildSlice(n) => {
                self.build_from_slots(h::jit_build_slice as *const () as usize, n, d, n)
            }
            Instr::BuildString(n) => {
                self.build_from_slots(h::jit_build_string as *const () as usize, n, d, n)
            }
            Instr::FormatValue(flags) => {
                let n = 1 + (flags >> 2 & 1);
                self.build_from_slots(h::jit_format_value as *const () as usize, n, d, flags)
            }
            Instr::MakeFunction(flags) => {
                let n = 1 + (flags & 1);
                let base = self.slot(d - n);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + GLOBALS]
                    ; lea rdx, [rbp + base]
                    ; mov ecx, flags as i32
                );
                self.rt(h::jit_make_function as *const () as usize);
                self.on_error(d - n);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + base], rax);
            }
            Instr::ListAppend(i) | Instr::SetAdd(i) => {
                // The target is at depth i once v is popped: slot d-1-i.
                let (target, v) = (self.slot(d - 1 - i), self.slot(d - 1));
                let helper = match instr {
                    Instr::ListAppend(_) => h::jit_list_append as *const () as usize,
                    _ => h::jit_set_add as *const () as usize,
                };
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + target] ; mov rdx, [rbp + v]);
                self.rt(helper);
                self.on_error(d - 1);
            }
            Instr::MapAdd(i) => {
                let (target, k, v) = (self.slot(d - 2 - i), self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + target]
                    ; mov rdx, [rbp + k]
                    ; mov rcx, [rbp + v]
                );
                self.rt(h::jit_map_add as *const () as usize);
                self.on_error(d - 2);
            }
            Instr::ImportName(i) => {
                let (name, out) = (self.name(i), self.slot(d));
                dynasm!(self.ops ; .arch x64 ; mov rsi, QWORD name);
                self.rt(h::jit_import_name as *const () as usize);
                self.on_error(d);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + out], rax);
            }
            Instr::ImportFrom(i) => {
                let (name, m, out) = (self.name(i), self.slot(d - 1), self.slot(d));
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + m] ; mov rdx, QWORD name);
                self.rt(h::jit_import_from as *const () as usize);
                self.on_error(d);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + out], rax);
            }
            Instr::DeleteGlobal(i) => {
                let name = self.name(i);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + GLOBALS]
                    ; mov rdx, QWORD name
                );
                self.rt(h::jit_delete_global as *const () as usize);
                self.on_error(d);
            }
            other => unreachable!("not a build/import instruction: {other:?}"),
        }
    }
}
