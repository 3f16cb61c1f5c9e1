//! `LoadGlobal(i)`: the site's global-name cache when the versions match, the runtime
//! otherwise (the fast path's steps are in [`crate::jit::globals`]).

use super::Cx;
use crate::jit::globals::{
    self as g, builtins_version_addr, jit_load_global_cached, version_offset, GlobalCache,
};
use crate::jit::layout::GLOBALS;
use crate::jit::refcount::emit_upgrade_rax;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};

impl Cx<'_> {
    /// Emits `LoadGlobal(i)` at depth `d` (the value is pushed into slot `d`).
    pub(super) fn load_global(&mut self, i: u32, d: u32) {
        let name = self.name(i);
        let cache = self.next_global as i64;
        self.next_global += std::mem::size_of::<GlobalCache>();
        let voff = version_offset();
        let bver = builtins_version_addr() as i64;
        let s = self.slot(d);
        let slow = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov rcx, QWORD cache
            ; mov rcx, [rcx]
            ; test rcx, rcx
            ; jz =>slow
            ; mov rdx, [rbp + GLOBALS]
            ; mov rax, [rdx + voff]
            ; cmp rax, [rcx + g::GVER]
            ; jne =>slow
            ; mov rdx, QWORD bver
            ; mov rax, [rdx]
            ; cmp rax, [rcx + g::BVER]
            ; jne =>slow
            ; mov rax, [rcx + g::BITS]
            ; test al, 3
            ; jnz =>done
        );
        emit_upgrade_rax(&mut self.ops, slow);
        dynasm!(self.ops
            ; .arch x64
            ; jmp =>done
            ; =>slow
            ; mov rsi, [rbp + GLOBALS]
            ; mov rdx, QWORD name
            ; mov rcx, QWORD cache
        );
        self.rt(jit_load_global_cached as *const () as usize);
        self.on_error(d);
        dynasm!(self.ops ; .arch x64 ; =>done ; mov [rbp + s], rax);
    }
}
