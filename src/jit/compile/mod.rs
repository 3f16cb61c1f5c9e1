//! The baseline compiler: one pass over the bytecode, emitting x86-64 with dynasmrt.
//!
//! How an activation runs, in steps:
//!
//! 1. **Prologue.** `push rbp; mov rbp, rsp; sub rsp, frame_size` (the frame never changes size
//!    again). Check the recursion limit (`ts.depth` against the runtime's limit) and the native
//!    stack limit *before* pushing anything, so a RecursionError belongs to the caller as in the
//!    interpreter. Store `func`/`globals`, move the bound arguments into local slots (ownership
//!    moves with the words), fill the other locals with the NULL marker, write `orig_data`,
//!    push the shadow frame (publication last), and count the frame in `ts.depth`.
//! 2. **Body.** Each instruction reads and writes fixed slots: the value-stack depth is static
//!    (see [`analysis`](super::analysis)). Small-int `+ - *` and comparisons run inline behind tag
//!    and overflow guards; a failed guard calls the generic helper (full deoptimization comes
//!    later). Everything else calls a runtime helper through the runtime-call trampoline, which
//!    anchors this activation; each such call site gets a debug-map entry. The cold paths of
//!    the common instructions (guard failures, runtime calls, errors) are emitted after the
//!    body (`Cx::cold`), so that the fast paths fall through from one instruction to the next.
//! 3. **Errors.** A helper returning 0 means "exception pending". The site stores its
//!    instruction index in the exit-pc slot and jumps to the landing pad of the exception
//!    handler covering it (see `exc`: the stack is cut to the handler's depth, as the
//!    interpreter's `unwind` does), or else into the error ladder at its current
//!    depth: `err[d]` drops slot `d-1` and falls into `err[d-1]`, ..., `err[0]` records the
//!    traceback entry and ends the activation in one helper (`jit_unwind_exit`, which moves the
//!    locals into the frame's lazy record) and returns 0 through the epilogue. So every owned
//!    value is dropped exactly once on every path, as the interpreter drops its value stack
//!    when a frame unwinds.
//! 4. **Epilogue.** One `test` of the MATERIALIZED and OBSERVED bits decides whether a frame
//!    object or a lazy traceback record must be handed the final state; then the locals are dropped, the shadow frame popped (restore
//!    first), `ts.depth` decremented, and the result (or 0) returned.
//!
//! Reference counting matches the interpreter: a load clones (an `incref` call for heap words
//! only, tested inline), a store drops the old value, helpers consume what the instruction pops.
//! Immediates (small ints, None, bools, the NULL marker) need nothing.

mod calls;
mod globals;

use super::analysis::Analysis;
use super::debug_map::{DebugEntry, SiteKind};
use super::emit::{
    emit_leaf_call, emit_materialized_branch, emit_runtime_call, emit_shadow_pop, emit_shadow_push,
    jit_shadow_data,
};
use super::helpers as h;
use super::layout::{FrameLayout, EXIT_PC, FUNC, GLOBALS, LAZY, ORIG_DATA, SCRATCH, SHADOW};
use super::refcount::{emit_decref_rdi, emit_decref_rdi_polling, emit_incref_rax};
use super::Unsupported;
use crate::code::{BinOp, CmpOp, CodeObject, Instr};
use crate::object::value::{FALSE_BITS, NULL_BITS, TRUE_BITS};
use crate::object::{ExcKind, TypeId, Value};
use crate::thread::{runtime, ThreadState, POLL_OFFSET};
use dynasmrt::x64::Assembler;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi, ExecutableBuffer};
use std::mem::offset_of;

// Per-family emitters (`impl Cx` blocks).
mod build;
mod exc;
mod gen;

/// The output of the compiler, before it is wrapped into a `JitCode`.
pub struct Emitted {
    /// The executable code; the entry point is at offset 0.
    pub buf: ExecutableBuffer,
    /// Debug-map sites (offsets into `buf`).
    pub sites: Vec<DebugEntry>,
    /// Values the code embeds that the code object does not own (kept alive by the JitCode).
    pub extra_consts: Vec<Value>,
}

const DEPTH: i32 = offset_of!(ThreadState, depth) as i32;
const NATIVE_LIMIT: i32 = offset_of!(ThreadState, native_stack_limit) as i32;

/// Conditions of `Compare`, for `cmovcc`/`jcc` on tagged small ints (tagging is monotone:
/// `(x << 1) | 1` preserves signed order, so tagged words compare like the ints).
#[derive(Copy, Clone)]
enum Cond {
    L,
    Le,
    E,
    Ne,
    G,
    Ge,
}

impl Cond {
    fn of(op: CmpOp) -> Cond {
        match op {
            CmpOp::Lt => Cond::L,
            CmpOp::Le => Cond::Le,
            CmpOp::Eq => Cond::E,
            CmpOp::Ne => Cond::Ne,
            CmpOp::Gt => Cond::G,
            CmpOp::Ge => Cond::Ge,
        }
    }

    fn negate(self) -> Cond {
        match self {
            Cond::L => Cond::Ge,
            Cond::Le => Cond::G,
            Cond::E => Cond::Ne,
            Cond::Ne => Cond::E,
            Cond::G => Cond::Le,
            Cond::Ge => Cond::L,
        }
    }
}

struct Cx<'a> {
    ops: Assembler,
    code: &'a CodeObject,
    an: &'a Analysis,
    l: FrameLayout,
    info: usize,
    pcs: Vec<DynamicLabel>,
    errs: Vec<DynamicLabel>,
    /// Landing pads of the exception handlers.
    exc: exc::Pads,
    epilogue: DynamicLabel,
    sites: Vec<DebugEntry>,
    extra: Vec<Value>,
    pc: usize,
    /// Address of the next unused `CallCache` of the code info (one per `Call(n)`, in order).
    next_cache: usize,
    /// Out-of-line safepoint stubs: (stub label, resume label, instruction index).
    polls: Vec<(DynamicLabel, DynamicLabel, usize)>,
    /// Generator code: its resume stubs and suspension exit (None for other code).
    gen: Option<gen::GenCx>,
    /// The globals of the function being compiled, if known: global loads get a guard for
    /// the value found there now (`globals`).
    globals: Option<&'a Value>,
    /// Cold paths of instructions (guard failures, runtime calls, errors), emitted after the
    /// body so that the fast paths fall through from one instruction to the next: each with
    /// the index of its instruction (debug-map sites, handlers and deoptimization read it).
    cold: Vec<(usize, ColdPath<'a>)>,
}

/// Emits one cold path (see `Cx::cold`); it must end in a jump.
type ColdPath<'a> = Box<dyn FnOnce(&mut Cx<'a>) + 'a>;

/// Binary operations whose small-int case runs inline ([`Cx::binary`]).
fn inline_binop(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add
            | BinOp::Sub
            | BinOp::Mul
            | BinOp::FloorDiv
            | BinOp::Mod
            | BinOp::And
            | BinOp::Or
            | BinOp::Xor
    )
}

/// Instructions that are the target of a backward jump (loop headers): they poll for
/// safepoints.
fn loop_heads(code: &CodeObject) -> Vec<bool> {
    let mut heads = vec![false; code.instrs.len()];
    for (pc, i) in code.instrs.iter().enumerate() {
        let t = match *i {
            Instr::Jump(t)
            | Instr::PopJumpIfFalse(t)
            | Instr::PopJumpIfTrue(t)
            | Instr::JumpIfFalseOrPop(t)
            | Instr::JumpIfTrueOrPop(t) => t as usize,
            _ => continue,
        };
        if t <= pc && t < heads.len() {
            heads[t] = true;
        }
    }
    heads
}

/// Compiles `code` (already analyzed) for the code info at address `info`, whose call-site
/// caches start at `caches`.
pub fn emit(
    code: &CodeObject,
    an: &Analysis,
    layout: FrameLayout,
    info: usize,
    caches: usize,
    globals: Option<&Value>,
) -> Result<Emitted, Unsupported> {
    let mut ops = Assembler::new().map_err(|_| Unsupported::Code("no executable memory"))?;
    let pcs = (0..code.instrs.len())
        .map(|_| ops.new_dynamic_label())
        .collect();
    let errs = (0..=an.max_depth)
        .map(|_| ops.new_dynamic_label())
        .collect();
    let epilogue = ops.new_dynamic_label();
    let mut cx = Cx {
        ops,
        code,
        an,
        l: layout,
        info,
        pcs,
        errs,
        exc: exc::Pads::new(code),
        epilogue,
        sites: Vec::new(),
        extra: Vec::new(),
        pc: 0,
        next_cache: caches,
        polls: Vec::new(),
        gen: None,
        globals,
        cold: Vec::new(),
    };
    cx.gen = gen::GenCx::new(&mut cx);
    let heads = loop_heads(code);
    let rec_fail = cx.ops.new_dynamic_label();
    if cx.gen.is_some() {
        // Resumptions poll in their stubs.
        cx.gen_prologue();
    } else {
        cx.prologue(rec_fail);
        cx.poll();
    }
    let mut skip_next = false;
    for pc in 0..code.instrs.len() {
        cx.pc = pc;
        let label = cx.pcs[pc];
        dynasm!(cx.ops ; .arch x64 ; =>label);
        if std::mem::take(&mut skip_next) {
            continue; // fused into the previous instruction
        }
        let Some(d) = an.depth[pc] else { continue };
        if heads.get(pc).copied().unwrap_or(false) {
            cx.poll();
        }
        skip_next = cx.instr(code.instrs[pc], d);
    }
    cx.cold_paths();
    cx.resume_stubs();
    cx.tail(rec_fail);
    cx.handler_pads();
    if let Some(why) = cx.exc.refused.take() {
        return Err(why);
    }
    let Cx {
        ops, sites, extra, ..
    } = cx;
    let buf = ops
        .finalize()
        .map_err(|_| Unsupported::Code("finalizing the code buffer failed"))?;
    Ok(Emitted {
        buf,
        sites,
        extra_consts: extra,
    })
}

impl<'a> Cx<'a> {
    /// Emits `path` out of line, after the body, as part of the current instruction.
    fn cold(&mut self, path: impl FnOnce(&mut Cx<'a>) + 'a) {
        self.cold.push((self.pc, Box::new(path)));
    }

    /// Emits the cold paths (and those they ask for in turn).
    fn cold_paths(&mut self) {
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
    fn slot(&self, j: u32) -> i32 {
        self.l.slot(j)
    }

    fn local(&self, i: u32) -> i32 {
        self.l.local(i)
    }

    /// Calls `helper` through the runtime-call trampoline and records the call site.
    fn rt(&mut self, helper: usize) {
        let off = emit_runtime_call(&mut self.ops, helper);
        self.sites.push(DebugEntry {
            offset: off.0 as u32,
            instr: self.pc as u32,
            kind: SiteKind::Call,
        });
    }

    /// A safepoint poll (`cmp byte [r15 + POLL], 0; jne stub`): a load and a not-taken branch
    /// inline; the stub, emitted out of line by `tail`, calls `jit_safepoint` through the
    /// runtime-call trampoline (so the activation is anchored at this instruction while the
    /// handshake walks it) and jumps back.
    fn poll(&mut self) {
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
    fn decref_rdi_polled(&mut self) {
        let stub = self.ops.new_dynamic_label();
        let back = self.ops.new_dynamic_label();
        emit_decref_rdi_polling(&mut self.ops, Some((stub, back)));
        self.polls.push((stub, back, self.pc));
    }

    /// Records a guard site at the current address (right after its conditional jump).
    fn guard_site(&mut self) {
        let off = self.ops.offset().0 as u32;
        self.sites.push(DebugEntry {
            offset: off,
            instr: self.pc as u32,
            kind: SiteKind::Guard,
        });
    }

    /// Unconditionally fails the current instruction with `depth` owned stack slots live: to
    /// its handler's landing pad if one covers it, else down the frame's error ladder.
    fn fail(&mut self, depth: u32) {
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
    fn on_error(&mut self, depth: u32) {
        let ok = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; test rax, rax ; jnz =>ok);
        self.fail(depth);
        dynasm!(self.ops ; .arch x64 ; =>ok);
    }

    /// Drops the owned word at `[rbp + disp]` (a decref call for heap words only).
    fn drop_at(&mut self, disp: i32) {
        dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + disp]);
        emit_decref_rdi(&mut self.ops);
    }

    /// Before the value stack up to `depth` is handed over (cut by an error, taken by a
    /// deoptimization): every callee-window slot below `depth` that holds the running function
    /// without a reference gets one (`analysis::CalleeWindows`).
    fn own_window_slots(&mut self, depth: u32) {
        let an = self.an;
        for &s in an.windows.live[self.pc].iter().filter(|&&s| s < depth) {
            self.own_if_running(self.slot(s));
        }
    }

    /// Releases the word at `[rbp + disp]` unless it is the running function (a callee-window
    /// slot holding it has no reference of its own).
    pub(super) fn drop_unless_running(&mut self, disp: i32) {
        let skip = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov rdi, [rbp + disp]
            ; cmp rdi, [rbp + FUNC]
            ; je =>skip
        );
        emit_decref_rdi(&mut self.ops);
        dynasm!(self.ops ; .arch x64 ; =>skip);
    }

    /// Increments the word at `[rbp + disp]` if it is the running function (a window slot
    /// holding it has no reference of its own).
    pub(super) fn own_if_running(&mut self, disp: i32) {
        let skip = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rbp + disp]
            ; cmp rax, [rbp + FUNC]
            ; jne =>skip
        );
        emit_incref_rax(&mut self.ops);
        dynasm!(self.ops ; .arch x64 ; =>skip);
    }

    /// The right operand of the binary instruction at `self.pc` when the instruction before
    /// pushed it from a small-int constant and nothing jumps in between: its tagged word, as
    /// an `i32` immediate if it fits. The `LoadConst` then stores nothing: the cold paths of
    /// the instruction write the constant into its slot before they read the stack
    /// ([`Cx::const_slot_entry`]).
    fn const_right(&self) -> Option<i32> {
        self.const_operand_at(self.pc)
    }

    /// [`Cx::const_right`] of the instruction at `pc`, if it is a binary operation or a compare.
    fn const_operand_at(&self, pc: usize) -> Option<i32> {
        if pc == 0 || pc >= self.code.instrs.len() || self.an.is_target[pc] {
            return None;
        }
        if !matches!(
            self.code.instrs[pc],
            Instr::BinaryOp(_) | Instr::InplaceOp(_) | Instr::Compare(_)
        ) {
            return None;
        }
        let Instr::LoadConst(k) = self.code.instrs[pc - 1] else {
            return None;
        };
        let v = &self.code.consts[k as usize];
        v.as_small()?;
        i32::try_from(v.bits() as isize).ok()
    }

    /// The local whose `LoadFast` pushed the left operand of the instruction at `pc`, when that
    /// instruction has a constant right operand ([`Cx::const_operand_at`]), runs its small-int
    /// case inline, and nothing jumps between the three: the `LoadFast` then stores nothing,
    /// the inline case reads the local itself (a small int needs no reference), and the cold
    /// paths clone the local into its slot before they read the stack
    /// ([`Cx::const_slot_entry`]). The local is always bound there, and the `LoadConst` in
    /// between cannot change it.
    fn local_left_at(&self, pc: usize) -> Option<u32> {
        self.const_operand_at(pc)?;
        let inline = match self.code.instrs[pc] {
            Instr::Compare(_) => true,
            Instr::BinaryOp(op) | Instr::InplaceOp(op) => inline_binop(op),
            _ => false,
        };
        if !inline || pc < 2 || self.an.is_target[pc - 1] {
            return None;
        }
        match self.code.instrs[pc - 2] {
            Instr::LoadFast(i) if self.an.always_bound[i as usize] => Some(i),
            _ => None,
        }
    }

    /// The cold entry of a path that reads slot `b` of an instruction whose right operand is
    /// the constant `kb` (not stored by its `LoadConst`): writes the constant into the slot,
    /// and clones the local `left` (when [`Cx::local_left_at`] fused its `LoadFast`) into slot
    /// `a`, then jumps to `path`. Emit where control does not fall through.
    fn const_slot_entry(
        &mut self,
        entry: DynamicLabel,
        kb: i32,
        (a, b): (i32, i32),
        left: Option<u32>,
        path: DynamicLabel,
    ) {
        dynasm!(self.ops ; .arch x64 ; =>entry);
        if let Some(i) = left {
            let src = self.local(i);
            dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
            self.incref_rax();
            dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rax);
        }
        dynasm!(self.ops
            ; .arch x64
            ; mov QWORD [rbp + b], kb
            ; jmp =>path
        );
    }

    /// Clones the word in `rax` (heap words only); `rax` is preserved.
    fn incref_rax(&mut self) {
        emit_incref_rax(&mut self.ops);
    }

    /// `rax = v`, cloned.
    fn load_value(&mut self, v: &Value) {
        let bits = v.bits() as i64;
        dynasm!(self.ops ; .arch x64 ; mov rax, QWORD bits);
        if v.is_heap() {
            emit_incref_rax(&mut self.ops);
        }
    }

    fn name(&self, i: u32) -> i64 {
        self.code.names[i as usize].bits() as i64
    }

    fn prologue(&mut self, rec_fail: DynamicLabel) {
        let size = self.l.frame_size();
        let limit = &runtime().recursion_limit as *const _ as i64;
        dynasm!(self.ops
            ; .arch x64
            ; push rbp
            ; mov rbp, rsp
            ; sub rsp, size
            ; mov rax, [r15 + DEPTH]
            ; mov rcx, QWORD limit
            ; cmp rax, [rcx]
            ; jae =>rec_fail
            ; cmp rsp, [r15 + NATIVE_LIMIT]
            ; jb =>rec_fail
            ; mov [rbp + FUNC], rdi
            ; mov [rbp + GLOBALS], rsi
        );
        let argc = (self.code.argcount).min(self.l.nlocals);
        for i in 0..argc {
            let src = 8 * i as i32;
            let dst = self.local(i);
            dynasm!(self.ops ; .arch x64 ; mov rax, [rdx + src] ; mov [rbp + dst], rax);
        }
        if argc < self.l.nlocals {
            dynasm!(self.ops ; .arch x64 ; mov eax, NULL_BITS as i32);
            for i in argc..self.l.nlocals {
                let dst = self.local(i);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rax);
            }
        }
        let data = jit_shadow_data(self.info as *const u8);
        let data_imm = data as i64;
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, QWORD data_imm
            ; mov [rbp + ORIG_DATA], rax
            ; mov QWORD [rbp + LAZY], 0
        );
        emit_shadow_push(&mut self.ops, SHADOW, data);
        dynasm!(self.ops ; .arch x64 ; add QWORD [r15 + DEPTH], 1);
    }

    /// The error ladder, the epilogue and the cold stubs.
    fn tail(&mut self, rec_fail: DynamicLabel) {
        for (stub, back, pc) in std::mem::take(&mut self.polls) {
            let saved = std::mem::replace(&mut self.pc, pc);
            dynasm!(self.ops ; .arch x64 ; =>stub);
            self.rt(h::jit_safepoint as *const () as usize);
            dynasm!(self.ops ; .arch x64 ; jmp =>back);
            self.pc = saved;
        }
        for d in (1..self.errs.len()).rev() {
            let l = self.errs[d];
            dynasm!(self.ops ; .arch x64 ; =>l);
            let s = self.slot(d as u32 - 1);
            self.drop_at(s);
        }
        let l0 = self.errs[0];
        dynasm!(self.ops
            ; .arch x64
            ; =>l0
            ; mov rdi, r15
            ; mov esi, DWORD [rbp + EXIT_PC]
            ; lea rdx, [rbp + SHADOW]
        );
        emit_leaf_call(&mut self.ops, h::jit_unwind_exit as *const () as usize);
        dynasm!(self.ops ; .arch x64 ; mov QWORD [rbp + SCRATCH], 0);

        let epi = self.epilogue;
        let mat = self.ops.new_dynamic_label();
        let back = self.ops.new_dynamic_label();
        dynasm!(self.ops ; .arch x64 ; =>epi);
        emit_materialized_branch(&mut self.ops, SHADOW, mat);
        dynasm!(self.ops ; .arch x64 ; =>back);
        for i in 0..self.l.nlocals {
            let d = self.local(i);
            self.drop_at(d);
        }
        emit_shadow_pop(&mut self.ops, SHADOW);
        dynasm!(self.ops
            ; .arch x64
            ; sub QWORD [r15 + DEPTH], 1
            ; mov rax, [rbp + SCRATCH]
        );
        self.leave();
        dynasm!(self.ops
            ; .arch x64
            ; =>mat
            ; mov rdi, r15
            ; lea rsi, [rbp + SHADOW]
            ; mov edx, DWORD [rbp + EXIT_PC]
        );
        emit_leaf_call(
            &mut self.ops,
            h::jit_materialized_exit as *const () as usize,
        );
        dynasm!(self.ops ; .arch x64 ; jmp =>back);
        self.suspend_exit();
        if self.gen.is_some() {
            // Resumptions check the limits before they enter (`interp::gen`).
            return;
        }

        // Recursion limit: nothing is pushed yet; hand the arguments back to be dropped.
        let argc = self.code.argcount.min(self.l.nlocals) as i32;
        dynasm!(self.ops
            ; .arch x64
            ; =>rec_fail
            ; mov rdi, r15
            ; mov rsi, rdx
            ; mov edx, argc
        );
        emit_leaf_call(&mut self.ops, h::jit_recursion_error as *const () as usize);
        dynasm!(self.ops
            ; .arch x64
            ; xor eax, eax
            ; mov rsp, rbp
            ; pop rbp
            ; ret
        );
    }

    /// The UnboundLocalError path of local `i` with `depth` live slots (does not return).
    fn unbound(&mut self, i: u32, depth: u32) {
        let info = self.info as i64;
        dynasm!(self.ops ; .arch x64 ; mov rsi, QWORD info ; mov edx, i as i32);
        self.rt(h::jit_unbound_local as *const () as usize);
        self.fail(depth);
    }

    fn jcc(&mut self, c: Cond, target: DynamicLabel) {
        match c {
            Cond::L => dynasm!(self.ops ; .arch x64 ; jl =>target),
            Cond::Le => dynasm!(self.ops ; .arch x64 ; jle =>target),
            Cond::E => dynasm!(self.ops ; .arch x64 ; je =>target),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; jne =>target),
            Cond::G => dynasm!(self.ops ; .arch x64 ; jg =>target),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; jge =>target),
        }
    }

    /// `rdx = cond ? True : False` after a `cmp` (flags preserved until the cmov).
    fn bool_from_flags(&mut self, c: Cond) {
        dynasm!(self.ops
            ; .arch x64
            ; mov edx, FALSE_BITS as i32
            ; mov r8d, TRUE_BITS as i32
        );
        match c {
            Cond::L => dynasm!(self.ops ; .arch x64 ; cmovl rdx, r8),
            Cond::Le => dynasm!(self.ops ; .arch x64 ; cmovle rdx, r8),
            Cond::E => dynasm!(self.ops ; .arch x64 ; cmove rdx, r8),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; cmovne rdx, r8),
            Cond::G => dynasm!(self.ops ; .arch x64 ; cmovg rdx, r8),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; cmovge rdx, r8),
        }
    }

    /// Branches on the truth of the word at `[rbp + s]` (left in place): bools and small ints
    /// inline; anything else asks `jit_truthy`, which falls through with `rax` = True or False
    /// (failing with `depth` live slots on error).
    fn truthy(&mut self, s: i32, on_true: DynamicLabel, on_false: DynamicLabel, depth: u32) {
        let other = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, [rbp + s]
            ; cmp rax, TRUE_BITS as i32
            ; je =>on_true
            ; cmp rax, FALSE_BITS as i32
            ; je =>on_false
            ; test al, 1
            ; jz =>other
            ; cmp rax, 1
            ; je =>on_false
            ; jmp =>on_true
            ; =>other
            ; mov rsi, rax
        );
        self.rt(h::jit_truthy as *const () as usize);
        self.on_error(depth);
    }

    /// The owned value in stack slot `j` decides a branch and is popped (depth after: `j`).
    /// Bools and small ints are tested inline; anything else asks `jit_truthy`.
    fn pop_branch(&mut self, j: u32, on_true: DynamicLabel, on_false: DynamicLabel) {
        let s = self.slot(j);
        self.truthy(s, on_true, on_false, j + 1);
        dynasm!(self.ops ; .arch x64 ; mov [rbp + EXIT_PC], rax);
        self.drop_at(s);
        dynasm!(self.ops
            ; .arch x64
            ; cmp QWORD [rbp + EXIT_PC], 2
            ; je =>on_true
            ; jmp =>on_false
        );
    }

    /// Compiles one instruction at depth `d`; returns true if it consumed the next one too.
    fn instr(&mut self, instr: Instr, d: u32) -> bool {
        match instr {
            Instr::Nop => {}
            // A small-int right operand of the next instruction is an immediate there.
            Instr::LoadConst(_) if self.const_operand_at(self.pc + 1).is_some() => {}
            Instr::LoadConst(i) => {
                let v = self.code.consts[i as usize].clone();
                self.load_value(&v);
                let s = self.slot(d);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            // Never executed: a generator starts suspended here and resumes after it.
            Instr::ReturnGenerator => dynasm!(self.ops ; .arch x64 ; ud2),
            Instr::YieldValue => self.yield_value(d),
            Instr::YieldFrom => self.yield_from(d),
            Instr::GetYieldFromIter => {
                let s = self.slot(d - 1);
                let info = self.info as i64;
                dynasm!(self.ops ; .arch x64 ; mov rsi, QWORD info ; mov rdx, [rbp + s]);
                self.rt(h::jit_yield_from_iter as *const () as usize);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::GetAwaitable => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + s]);
                self.rt(h::jit_get_awaitable as *const () as usize);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::LoadAssertionError => {
                let v = TypeId::Exc(ExcKind::AssertionError).object();
                self.load_value(&v);
                self.extra.push(v);
                let s = self.slot(d);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            // The left operand of an instruction two ahead that reads the local itself.
            Instr::LoadFast(i) if self.local_left_at(self.pc + 2) == Some(i) => {}
            Instr::LoadFast(i) => {
                let src = self.local(i);
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
                if !self.an.always_bound[i as usize] {
                    let bound = self.ops.new_dynamic_label();
                    dynasm!(self.ops ; .arch x64 ; cmp rax, NULL_BITS as i32 ; jne =>bound);
                    self.unbound(i, d);
                    dynasm!(self.ops ; .arch x64 ; =>bound);
                }
                self.incref_rax();
                let s = self.slot(d);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::StoreFast(i) => {
                let s = self.slot(d - 1);
                let dst = self.local(i);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rax, [rbp + s]
                    ; mov rdi, [rbp + dst]
                    ; mov [rbp + dst], rax
                );
                self.decref_rdi_polled();
            }
            Instr::DeleteFast(i) => {
                let dst = self.local(i);
                let ok = self.ops.new_dynamic_label();
                dynasm!(self.ops
                    ; .arch x64
                    ; cmp QWORD [rbp + dst], NULL_BITS as i32
                    ; jne =>ok
                );
                self.unbound(i, d);
                dynasm!(self.ops
                    ; .arch x64
                    ; =>ok
                    ; mov rdi, [rbp + dst]
                    ; mov eax, NULL_BITS as i32
                    ; mov [rbp + dst], rax
                );
                self.decref_rdi_polled();
            }
            Instr::LoadGlobal(i) => self.load_global(i, d),
            Instr::StoreGlobal(i) => {
                let name = self.name(i);
                let s = self.slot(d - 1);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + GLOBALS]
                    ; mov rdx, QWORD name
                    ; mov rcx, [rbp + s]
                );
                self.rt(h::jit_store_global as *const () as usize);
                self.on_error(d - 1);
            }
            Instr::LoadAttr(i) => {
                let name = self.name(i);
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + s] ; mov rdx, QWORD name);
                self.rt(h::jit_load_attr as *const () as usize);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::StoreAttr(i) => {
                let name = self.name(i);
                let (v, obj) = (self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + obj]
                    ; mov rdx, QWORD name
                    ; mov rcx, [rbp + v]
                );
                self.rt(h::jit_store_attr as *const () as usize);
                self.on_error(d - 2);
            }
            Instr::LoadMethod(i) => {
                let name = self.name(i);
                let s = self.slot(d - 1);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + s]
                    ; mov rdx, QWORD name
                    ; lea rcx, [rbp + s]
                );
                self.rt(h::jit_load_method as *const () as usize);
                self.on_error(d - 1);
            }
            Instr::Call(n) => self.call(n, d),
            Instr::CallKw(n) | Instr::CallMethod(n) | Instr::CallMethodKw(n) => {
                let (extra, helper) = match instr {
                    Instr::CallKw(_) => (2, h::jit_call_kw as *const () as usize),
                    Instr::CallMethod(_) => (2, h::jit_call_method as *const () as usize),
                    _ => (3, h::jit_call_method_kw as *const () as usize),
                };
                let b = d - n - extra;
                let base = self.slot(b);
                dynasm!(self.ops ; .arch x64 ; lea rsi, [rbp + base] ; mov edx, n as i32);
                self.rt(helper);
                self.on_error(b);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + base], rax);
            }
            Instr::BinarySubscr => {
                let (c, k) = (self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + c] ; mov rdx, [rbp + k]);
                self.rt(h::jit_subscr as *const () as usize);
                self.on_error(d - 2);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + c], rax);
            }
            Instr::StoreSubscr => {
                let (v, c, k) = (self.slot(d - 3), self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + v]
                    ; mov rdx, [rbp + c]
                    ; mov rcx, [rbp + k]
                );
                self.rt(h::jit_store_subscr as *const () as usize);
                self.on_error(d - 3);
            }
            Instr::DeleteSubscr => {
                let (c, k) = (self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + c] ; mov rdx, [rbp + k]);
                self.rt(h::jit_delete_subscr as *const () as usize);
                self.on_error(d - 2);
            }
            Instr::BinaryOp(op) => self.binary(op, d, h::jit_binary_op as *const () as usize),
            Instr::InplaceOp(op) => self.binary(op, d, h::jit_inplace_op as *const () as usize),
            Instr::UnaryOp(op) => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov esi, op as u8 as i32 ; mov rdx, [rbp + s]);
                self.rt(h::jit_unary_op as *const () as usize);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::Compare(op) => return self.compare(op, d),
            Instr::Is(invert) => {
                let (a, b) = (self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + a] ; cmp rax, [rbp + b]);
                self.bool_from_flags(if invert { Cond::Ne } else { Cond::E });
                dynasm!(self.ops ; .arch x64 ; mov [rbp + SCRATCH], rdx);
                self.drop_at(a);
                self.drop_at(b);
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + SCRATCH] ; mov [rbp + a], rax);
            }
            Instr::Contains(invert) => {
                let (a, b) = (self.slot(d - 2), self.slot(d - 1));
                dynasm!(self.ops
                    ; .arch x64
                    ; mov esi, invert as i32
                    ; mov rdx, [rbp + a]
                    ; mov rcx, [rbp + b]
                );
                self.rt(h::jit_contains as *const () as usize);
                self.on_error(d - 2);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rax);
            }
            Instr::Jump(t) => {
                let l = self.pcs[t as usize];
                dynasm!(self.ops ; .arch x64 ; jmp =>l);
            }
            Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t) => {
                let (target, next) = (self.pcs[t as usize], self.pcs[self.pc + 1]);
                if matches!(instr, Instr::PopJumpIfTrue(_)) {
                    self.pop_branch(d - 1, target, next);
                } else {
                    self.pop_branch(d - 1, next, target);
                }
            }
            Instr::JumpIfFalseOrPop(t) | Instr::JumpIfTrueOrPop(t) => {
                // Jump keeping the value, or pop it and fall through.
                let target = self.pcs[t as usize];
                let pop = self.ops.new_dynamic_label();
                let (on_true, on_false) = if matches!(instr, Instr::JumpIfTrueOrPop(_)) {
                    (target, pop)
                } else {
                    (pop, target)
                };
                let s = self.slot(d - 1);
                self.truthy(s, on_true, on_false, d);
                dynasm!(self.ops
                    ; .arch x64
                    ; cmp rax, 2
                    ; je =>on_true
                    ; jmp =>on_false
                    ; =>pop
                );
                self.drop_at(s);
            }
            Instr::PopTop => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rdi, [rbp + s]);
                self.decref_rdi_polled();
            }
            Instr::Copy(i) => {
                let (src, dst) = (self.slot(d - i), self.slot(d));
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + src]);
                self.incref_rax();
                dynasm!(self.ops ; .arch x64 ; mov [rbp + dst], rax);
            }
            Instr::Swap(i) => {
                let (top, other) = (self.slot(d - 1), self.slot(d - i));
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rax, [rbp + top]
                    ; mov rcx, [rbp + other]
                    ; mov [rbp + top], rcx
                    ; mov [rbp + other], rax
                );
            }
            Instr::BuildTuple(n) | Instr::BuildList(n) => {
                let helper = if matches!(instr, Instr::BuildTuple(_)) {
                    h::jit_build_tuple as *const () as usize
                } else {
                    h::jit_build_list as *const () as usize
                };
                let base = self.slot(d - n);
                dynasm!(self.ops ; .arch x64 ; lea rsi, [rbp + base] ; mov edx, n as i32);
                self.rt(helper);
                self.on_error(d - n);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + base], rax);
            }
            Instr::UnpackSequence(n) => {
                let s = self.slot(d - 1);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + s]
                    ; mov edx, n as i32
                    ; lea rcx, [rbp + s]
                );
                self.rt(h::jit_unpack as *const () as usize);
                self.on_error(d - 1);
            }
            Instr::GetIter => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + s]);
                self.rt(h::jit_get_iter as *const () as usize);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + s], rax);
            }
            Instr::ForIter(t) => {
                let (it, out) = (self.slot(d - 1), self.slot(d));
                let got = self.ops.new_dynamic_label();
                let target = self.pcs[t as usize];
                dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + it]);
                self.rt(h::jit_for_iter as *const () as usize);
                self.on_error(d);
                dynasm!(self.ops ; .arch x64 ; cmp rax, NULL_BITS as i32 ; jne =>got);
                self.drop_at(it);
                dynasm!(self.ops
                    ; .arch x64
                    ; jmp =>target
                    ; =>got
                    ; mov [rbp + out], rax
                );
            }
            Instr::ReturnValue => {
                let s = self.slot(d - 1);
                dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + s] ; mov [rbp + SCRATCH], rax);
                for j in (0..d - 1).rev() {
                    let s = self.slot(j);
                    self.drop_at(s);
                }
                let pc = self.pc as i32;
                let epi = self.epilogue;
                dynasm!(self.ops
                    ; .arch x64
                    ; mov DWORD [rbp + EXIT_PC], pc
                    ; jmp =>epi
                );
            }
            Instr::Raise(0)
            | Instr::Reraise(_)
            | Instr::PushExcInfo
            | Instr::PopExcept
            | Instr::CheckExcMatch
            | Instr::BeforeWith
            | Instr::WithExceptStart => self.exc_instr(instr, d),
            Instr::DeleteGlobal(_)
            | Instr::BuildMap(_)
            | Instr::BuildSet(_)
            | Instr::BuildSlice(_)
            | Instr::BuildString(_)
            | Instr::FormatValue(_)
            | Instr::ListAppend(_)
            | Instr::SetAdd(_)
            | Instr::MapAdd(_)
            | Instr::MakeFunction(_)
            | Instr::ImportName(_)
            | Instr::ImportFrom(_) => self.build_instr(instr, d),
            Instr::Raise(k) => {
                if k == 2 {
                    let (e, c) = (self.slot(d - 2), self.slot(d - 1));
                    dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + e] ; mov rdx, [rbp + c]);
                } else {
                    let e = self.slot(d - 1);
                    dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + e] ; xor edx, edx);
                }
                self.rt(h::jit_raise as *const () as usize);
                self.fail(d - k);
            }
        }
        false
    }

    /// The target of a failed guard at depth `d` (label `deopt`): deoptimize through
    /// `jit_deopt` and leave through the epilogue with its result, or, once the code object has
    /// used up its deopt budget, continue at `slow` (the generic helper). See [`super::deopt`].
    fn deopt_stub(&mut self, deopt: DynamicLabel, slow: DynamicLabel, d: u32) {
        let deopts = (self.info + offset_of!(super::JitCodeInfo, deopts)) as i64;
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
            ; cmp DWORD [rcx], super::deopt::DEOPT_BUDGET as i32
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
        self.rt(super::deopt::jit_deopt as *const () as usize);
        dynasm!(self.ops
            ; .arch x64
            ; mov [rbp + SCRATCH], rax
            ; jmp =>epi
        );
    }

    /// `rax`, `rcx` = the operands at `[rbp + a]` and `[rbp + b]` (the right one from the
    /// immediate `kb` when it is a small-int constant, `const_right`), behind a guard that
    /// jumps to `fail` unless both are small ints (a constant needs none).
    fn small_int_operands(&mut self, a: i32, b: i32, kb: Option<i32>, fail: DynamicLabel) {
        match kb {
            Some(kb) => dynasm!(self.ops
                ; .arch x64
                ; mov rax, [rbp + a]
                ; mov rcx, kb
                ; test al, 1
                ; jz =>fail
            ),
            None => dynasm!(self.ops
                ; .arch x64
                ; mov rax, [rbp + a]
                ; mov rcx, [rbp + b]
                ; mov edx, eax
                ; and edx, ecx
                ; test dl, 1
                ; jz =>fail
            ),
        }
        self.guard_site();
    }

    /// Floor division of the small ints tagged in `rax` by `rcx`: the untagged quotient in
    /// `rax` and remainder in `rdx`, both rounded as Python rounds (toward negative infinity:
    /// `idiv` truncates toward zero, so a nonzero remainder whose sign differs from the
    /// divisor's moves the quotient down by one and the remainder up by the divisor). A zero
    /// divisor jumps to `slow` (ZeroDivisionError). The operands are 63-bit, so `idiv` cannot
    /// overflow. `r8` = the divisor, `r9` clobbered.
    fn floor_divmod(&mut self, slow: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; mov r8, rcx
            ; sar r8, 1
            ; jz =>slow
            ; sar rax, 1
            ; cqo
            ; idiv r8
            ; test rdx, rdx
            ; jz >exact
            ; mov r9, rdx
            ; xor r9, r8
            ; jns >exact
            ; sub rax, 1
            ; add rdx, r8
            ; exact:
        );
    }

    /// `BinaryOp`/`InplaceOp`: small-int `+ - * // % & | ^` inline behind guards, everything
    /// else (and a failed guard) through `helper`.
    fn binary(&mut self, op: BinOp, d: u32, helper: usize) {
        let (a, b) = (self.slot(d - 2), self.slot(d - 1));
        let slow = self.ops.new_dynamic_label();
        let deopt = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        let inline = inline_binop(op);
        // `+ - *` of other types deoptimize (the code was compiled for ints); `// % & | ^` go to
        // the runtime: `"%d" % i` formats a str, `&` and `|` combine sets and bools, and
        // deoptimizing at every such use would leave the rest of the activation interpreted.
        let deopts = matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul);
        let kb = self.const_right();
        let left = self.local_left_at(self.pc);
        // With a constant right operand, the guards enter the cold paths through entries that
        // store it first.
        let (slow_in, deopt_in) = match kb {
            Some(_) => (self.ops.new_dynamic_label(), self.ops.new_dynamic_label()),
            None => (slow, deopt),
        };
        let not_ints = if deopts { deopt_in } else { slow_in };
        if inline {
            let src = left.map_or(a, |i| self.local(i));
            self.small_int_operands(src, b, kb, not_ints);
            // Overflow guard: the tagged result overflows i64 exactly when the int result
            // leaves the small range (see asm/README.md "Small-int arithmetic").
            match (op, kb) {
                // `x + k`, `x - k`: `a + (b - 1)`, `a - (b - 1)` with `b - 1` an immediate.
                (BinOp::Add, Some(kb)) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; add rdx, kb - 1
                    ; jo =>deopt_in
                ),
                (BinOp::Sub, Some(kb)) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; sub rdx, kb - 1
                    ; jo =>deopt_in
                ),
                (BinOp::Add, None) => dynasm!(self.ops
                    ; .arch x64
                    ; lea rdx, [rax - 1]
                    ; add rdx, rcx
                    ; jo =>deopt_in
                ),
                (BinOp::Sub, None) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; lea r8, [rcx - 1]
                    ; sub rdx, r8
                    ; jo =>deopt_in
                ),
                // Tagged words combine bit by bit: (2a+1) & (2b+1) = 2(a&b)+1, likewise `|`;
                // `^` clears the tag bit, which is set again.
                (BinOp::And, _) => dynasm!(self.ops ; .arch x64 ; mov rdx, rax ; and rdx, rcx),
                (BinOp::Or, _) => dynasm!(self.ops ; .arch x64 ; mov rdx, rax ; or rdx, rcx),
                (BinOp::Xor, _) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; xor rdx, rcx
                    ; or rdx, 1
                ),
                // `//` and `%` (`floor_divmod`); only the quotient `-2**62 // -1` leaves the
                // small range.
                (BinOp::FloorDiv, _) => {
                    self.floor_divmod(slow_in);
                    dynasm!(self.ops
                        ; .arch x64
                        ; mov rdx, rax
                        ; add rdx, rdx
                        ; jo =>slow_in
                        ; or rdx, 1
                    )
                }
                (BinOp::Mod, _) => {
                    self.floor_divmod(slow_in);
                    dynasm!(self.ops ; .arch x64 ; lea rdx, [rdx * 2 + 1])
                }
                (_, _) => dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, rax
                    ; sar rdx, 1
                    ; lea r8, [rcx - 1]
                    ; imul rdx, r8
                    ; jo =>deopt_in
                    ; or rdx, 1
                ),
            }
            self.guard_site();
            dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rdx);
            self.cold(move |cx| {
                if let Some(kb) = kb {
                    cx.const_slot_entry(slow_in, kb, (a, b), left, slow);
                    if deopts {
                        cx.const_slot_entry(deopt_in, kb, (a, b), left, deopt);
                    }
                }
                if deopts {
                    cx.deopt_stub(deopt, slow, d);
                }
                cx.operands_runtime(op as u8, helper, (a, b), d, slow);
                dynasm!(cx.ops ; .arch x64 ; jmp =>done);
            });
        } else {
            if let Some(kb) = kb {
                // Not inline: the runtime path is the only one, and reads the slot.
                dynasm!(self.ops ; .arch x64 ; mov QWORD [rbp + b], kb);
            }
            self.operands_runtime(op as u8, helper, (a, b), d, slow);
        }
        dynasm!(self.ops ; .arch x64 ; =>done);
    }

    /// The runtime path of a binary instruction or compare at depth `d` (entered at `slow`):
    /// `helper` of the operator `op` and the operands in slots `a` and `b`, the result into
    /// slot `a`.
    fn operands_runtime(
        &mut self,
        op: u8,
        helper: usize,
        (a, b): (i32, i32),
        d: u32,
        slow: DynamicLabel,
    ) {
        dynasm!(self.ops
            ; .arch x64
            ; =>slow
            ; mov esi, op as i32
            ; mov rdx, [rbp + a]
            ; mov rcx, [rbp + b]
        );
        self.rt(helper);
        self.on_error(d - 2);
        dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rax);
    }

    /// `Compare`, fused with a following `PopJumpIf*` that is not a jump target.
    fn compare(&mut self, op: CmpOp, d: u32) -> bool {
        let (a, b) = (self.slot(d - 2), self.slot(d - 1));
        let next = self.code.instrs.get(self.pc + 1).copied();
        let fused = match next {
            Some(Instr::PopJumpIfFalse(t)) | Some(Instr::PopJumpIfTrue(t))
                if !self.an.is_target[self.pc + 1] && self.pc + 2 < self.pcs.len() =>
            {
                Some((t, matches!(next, Some(Instr::PopJumpIfTrue(_)))))
            }
            _ => None,
        };
        let slow = self.ops.new_dynamic_label();
        let deopt = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        let c = Cond::of(op);
        let kb = self.const_right();
        let left = self.local_left_at(self.pc);
        let deopt_in = match kb {
            Some(_) => self.ops.new_dynamic_label(),
            None => deopt,
        };
        let src = left.map_or(a, |i| self.local(i));
        self.small_int_operands(src, b, kb, deopt_in);
        dynasm!(self.ops ; .arch x64 ; cmp rax, rcx);
        match fused {
            Some((t, jump_if_true)) => {
                // Not taken: on to the instruction after the `PopJumpIf`, whose code comes
                // next (the fused `PopJumpIf` emits none, and the cold paths are out of line).
                let target = self.pcs[t as usize];
                self.jcc(if jump_if_true { c } else { c.negate() }, target);
            }
            None => {
                self.bool_from_flags(c);
                dynasm!(self.ops ; .arch x64 ; mov [rbp + a], rdx);
            }
        }
        self.cold(move |cx| {
            if let Some(kb) = kb {
                cx.const_slot_entry(deopt_in, kb, (a, b), left, deopt);
            }
            cx.deopt_stub(deopt, slow, d);
            let helper = h::jit_compare as *const () as usize;
            cx.operands_runtime(op as u8, helper, (a, b), d, slow);
            match fused {
                Some((t, jump_if_true)) => {
                    // The result now sits where the compare leaves it (slot d-2); branch on it
                    // as the PopJumpIf would, at depth d-1.
                    // Errors from here on belong to the PopJumpIf.
                    let target = cx.pcs[t as usize];
                    let after = cx.pcs[cx.pc + 2];
                    cx.pc += 1;
                    if jump_if_true {
                        cx.pop_branch(d - 2, target, after);
                    } else {
                        cx.pop_branch(d - 2, after, target);
                    }
                    cx.pc -= 1;
                }
                None => dynasm!(cx.ops ; .arch x64 ; jmp =>done),
            }
        });
        dynasm!(self.ops ; .arch x64 ; =>done);
        fused.is_some()
    }
}
