//! The baseline compiler: one pass over the bytecode, emitting x86-64 with dynasmrt.
//!
//! How an activation runs, in steps:
//!
//! 0. **Frameless entry.** If the code's first instructions lead to a return through nothing
//!    but small-int comparisons of its arguments (a recursion's base case), the entry point
//!    runs that path first, with no frame and no shadow frame: nothing on it can observe the
//!    activation (no call, helper, safepoint or error). Anything else jumps to the prologue,
//!    which runs the code from the start, or, where a comparison left the path, to that
//!    comparison's resumption entry: a copy of the prologue that goes on where the comparison
//!    leads (`leaf`).
//! 1. **Prologue.** `push rbp; mov rbp, rsp; sub rsp, frame_size` (the frame never changes size
//!    again). Count the frame in `ts.headroom` (held in `r13` while compiled code runs,
//!    `pinned`) and check the recursion limit (a negative headroom) and the native stack limit
//!    *before* storing anything, so a RecursionError belongs to the caller as in the
//!    interpreter (the failure gives the count back). Store `func`/`globals`, move the bound
//!    arguments into local slots (ownership moves with the words), fill the other locals with
//!    the NULL marker, write `orig_data`, and push the shadow frame (publication last; the top
//!    is held in `r12`). The stack compare also notices a requested safepoint poll
//!    (`ThreadState::stack_trip`): such an entry finishes the frame out of line and polls.
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
//!    object or a lazy traceback record must be handed the final state; then the shadow frame
//!    is popped and `ts.headroom` incremented, the locals are dropped (as CPython clears a
//!    frame's locals once it is off the stack: a local whose release leaves a generator's
//!    `finally` to run polls, served as at the caller's call site), and the result (or 0) is
//!    returned. So a caller polls for nothing after a call returns.
//!
//! Reference counting matches the interpreter: a load clones (an `incref` call for heap words
//! only, tested inline), a store drops the old value, helpers consume what the instruction pops.
//! Immediates (small ints, None, bools, the NULL marker) need nothing.
//!
//! This module holds the compilation state (`Cx`), the driver (`emit`) and the instruction
//! dispatch; the emitters are `impl Cx` blocks in submodules, by what they emit: `frame`
//! (prologue, error ladder, epilogue), `sites` (runtime calls, guards, safepoint polls,
//! failing), `slots` (frame words and their references), `cold` (out-of-line paths), `leaf`
//! (the frameless entry), and one module per instruction family: `arith`, `branch`, `build`,
//! `calls`, `exc`, `gen`, `globals`.

use super::analysis::Analysis;
use super::debug_map::DebugEntry;
use super::emit::{emit_leaf_call, emit_materialized_branch};
use super::helpers as h;
use super::layout::{FrameLayout, EXIT_PC, GLOBALS, SCRATCH, SHADOW};
use super::Unsupported;
use crate::code::{CodeObject, Instr};
use crate::object::{attr_cache, ExcKind, TypeId, Value};
use arith::Cond;
use dynasmrt::x64::Assembler;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi, ExecutableBuffer};

// The frame and what every emitter shares (`impl Cx` blocks).
mod cold;
mod frame;
mod sites;
mod slots;

// Per-family emitters (`impl Cx` blocks).
mod arith;
mod branch;
mod build;
mod calls;
mod exc;
mod gen;
mod globals;
mod leaf;

/// The output of the compiler, before it is wrapped into a `JitCode`.
pub struct Emitted {
    /// The executable code; the entry point is at offset 0.
    pub buf: ExecutableBuffer,
    /// Debug-map sites (offsets into `buf`).
    pub sites: Vec<DebugEntry>,
    /// Values the code embeds that the code object does not own (kept alive by the JitCode).
    pub extra_consts: Vec<Value>,
}

/// Code with at most this many locals returns through an epilogue of its own at each
/// `ReturnValue` (no exit pc stored, no jump), the common one otherwise (its size grows with
/// the locals it releases).
const INLINE_EPILOGUE_LOCALS: u32 = 4;

/// The state of one compilation, shared by the emitters.
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
    /// The epilogue's hand-off of a materialized or observed activation (exit pc stored), which
    /// goes on with the rest of the epilogue.
    hand_off: DynamicLabel,
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
    cold: Vec<(usize, cold::ColdPath<'a>)>,
    /// The instruction whose `ReturnValue` finds its value in the scratch word already: the
    /// instruction before it wrote its result there instead of into its stack slot
    /// ([`Cx::result_dest`]).
    returns_scratch: Option<usize>,
    /// By stack depth: does the callee window opened there most likely call the running
    /// function (its global names a function of this code now)? Set by the window's
    /// `LoadGlobal`, read by its `Call` (windows hold no jump target: the two are compiled in
    /// order, nothing in between opens a window at the same depth).
    window_self: Vec<bool>,
    /// By stack depth: the window opened there holds the running function on this path for
    /// sure (its `LoadGlobal` checked it, and compiled the window again for anything else:
    /// `globals`); its `Call` compares nothing.
    window_known: Vec<bool>,
    /// The prologue, after the frameless path if there is one: where a call of the running
    /// function from this code goes (its arguments failed that path already, at the call).
    full_entry: DynamicLabel,
    /// The code's frameless path, if it has one (`leaf`).
    leaf: Option<crate::code::leaf::LeafPath>,
    /// Set by an instruction whose fast path leaves its result in `rdx`, a small int, without
    /// storing it, for the `Call` right after it ([`Cx::takes_rdx`]): the label its other paths
    /// jump to once they stored the result, and the slot.
    rdx_result: Option<(DynamicLabel, i32)>,
    /// By comparison of the frameless path: the entry that starts an activation where the
    /// code goes on when that comparison has the other outcome (`code::leaf` step 5), if it
    /// has one: a prologue, then the body from that instruction. A path that evaluated the
    /// comparison (at the entry point, or at a call of the running function) calls it.
    resumes: Vec<Option<DynamicLabel>>,
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
    let hand_off = ops.new_dynamic_label();
    let full_entry = ops.new_dynamic_label();
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
        hand_off,
        sites: Vec::new(),
        extra: Vec::new(),
        pc: 0,
        next_cache: caches,
        polls: Vec::new(),
        gen: None,
        globals,
        cold: Vec::new(),
        returns_scratch: None,
        window_self: vec![false; an.max_depth as usize + 1],
        window_known: vec![false; an.max_depth as usize + 1],
        full_entry,
        leaf: None,
        rdx_result: None,
        resumes: Vec::new(),
    };
    cx.gen = gen::GenCx::new(&mut cx);
    if cx.gen.is_none() {
        cx.leaf = code.leaf().cloned();
    }
    // The resumption entries: at jump targets only (a clean start, which no instruction
    // before it leaves state for), where the value stack is empty; for code whose arguments
    // fit the entries' registers.
    let regs = code.argcount as usize <= frame::RESUME_ARGS.len();
    let resume_at: Vec<Option<usize>> = (cx.leaf.iter().flat_map(|p| &p.conds))
        .map(|c| {
            let pc = c.otherwise? as usize;
            (regs && an.is_target.get(pc) == Some(&true) && an.depth.get(pc) == Some(&Some(0)))
                .then_some(pc)
        })
        .collect();
    cx.resumes = resume_at
        .iter()
        .map(|pc| pc.map(|_| cx.ops.new_dynamic_label()))
        .collect();
    let heads = branch::loop_heads(code);
    let rec_fail = cx.ops.new_dynamic_label();
    let rec_fail_regs = cx.ops.new_dynamic_label();
    if cx.gen.is_some() {
        // Resumptions poll in their stubs.
        cx.gen_prologue();
    } else {
        if let Some(path) = cx.leaf.clone() {
            cx.leaf_entry(&path, full_entry);
        }
        dynasm!(cx.ops ; .arch x64 ; =>full_entry);
        cx.prologue(rec_fail, false);
    }
    let mut skip_next = false;
    for pc in 0..code.instrs.len() {
        cx.pc = pc;
        let label = cx.pcs[pc];
        for (k, at) in resume_at.iter().enumerate() {
            if *at == Some(pc) {
                let entry = cx.resumes[k].expect("a label per entry");
                cx.resume_entry(entry, label, rec_fail_regs);
            }
        }
        dynasm!(cx.ops ; .arch x64 ; =>label);
        // Only a call takes a result in `rdx` (`Cx::takes_rdx`), and only from right before it.
        debug_assert!(cx.rdx_result.is_none() || matches!(code.instrs[pc], Instr::Call(_)));
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
    cx.tail((rec_fail, rec_fail_regs));
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

impl Cx<'_> {
    /// Where the instruction being compiled stores its result, pushed into stack slot `s`: the
    /// scratch word (the return value on the way out) instead, when a `ReturnValue` that
    /// nothing jumps to comes next and so reads it at once; that `ReturnValue` then moves
    /// nothing. Call once per instruction, for the store every path of it ends with.
    fn result_dest(&mut self, s: i32) -> i32 {
        let next = self.pc + 1;
        let returns = matches!(self.code.instrs.get(next), Some(Instr::ReturnValue))
            && !self.an.is_target[next];
        if returns {
            self.returns_scratch = Some(next);
            SCRATCH
        } else {
            s
        }
    }

    /// Compiles one instruction at depth `d`; returns true if it consumed the next one too.
    fn instr(&mut self, instr: Instr, d: u32) -> bool {
        match instr {
            Instr::Nop => {}
            // A small-int right operand of the next instruction is an immediate there.
            Instr::LoadConst(_) if self.const_operand_at(self.pc + 1).is_some() => {}
            // The constant of an identity test of a local, compared as an immediate.
            Instr::LoadConst(_) if self.local_is_const_at(self.pc + 1).is_some() => {}
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
            // The local of an identity test with a constant two ahead, which reads it itself.
            Instr::LoadFast(i)
                if self.local_is_const_at(self.pc + 2).map(|(l, _)| l) == Some(i) => {}
            // The object of the `LoadAttr` right after it, which reads the local itself.
            Instr::LoadFast(i) if self.local_attr_at(self.pc + 1) == Some(i) => {}
            Instr::LoadFast(_)
            | Instr::StoreFast(_)
            | Instr::DeleteFast(_)
            | Instr::PopTop
            | Instr::Copy(_)
            | Instr::Swap(_) => self.slot_instr(instr, d),
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
                // The object: borrowed from its local if the `LoadFast` before was fused, else
                // owned by its slot (the helper consumes it).
                let cache = &self.code.attr_caches()[i as usize] as *const _ as i64;
                let names = &self.code.name_caches()[i as usize] as *const _ as i64;
                let done = self.ops.new_dynamic_label();
                let helper = match self.local_attr_at(self.pc) {
                    Some(l) => {
                        self.read_fused_local(l, self.pc - 1, d - 1);
                        // A cached leaf getter answers without the trampoline (0: it did not);
                        // a site whose getter is not a leaf (or none yet) skips the call.
                        let src = self.local(l);
                        let general = self.ops.new_dynamic_label();
                        dynasm!(self.ops
                            ; .arch x64
                            ; mov rdx, QWORD cache
                            ; cmp BYTE [rdx + attr_cache::LEAF], 0
                            ; je =>general
                            ; mov rdi, r15
                            ; mov rsi, rax
                        );
                        emit_leaf_call(&mut self.ops, h::jit_load_attr_leaf as *const () as usize);
                        dynasm!(self.ops
                            ; .arch x64
                            ; test rax, rax
                            ; jnz =>done
                            ; =>general
                            ; mov rsi, [rbp + src]
                        );
                        h::jit_load_attr_local as *const () as usize
                    }
                    None => {
                        dynasm!(self.ops ; .arch x64 ; mov rsi, [rbp + s]);
                        h::jit_load_attr as *const () as usize
                    }
                };
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rdx, QWORD name
                    ; mov rcx, QWORD cache
                    ; mov r8, QWORD names
                );
                self.rt(helper);
                self.on_error(d - 1);
                dynasm!(self.ops ; .arch x64 ; =>done ; mov [rbp + s], rax);
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
                let names = &self.code.name_caches()[i as usize] as *const _ as i64;
                dynasm!(self.ops
                    ; .arch x64
                    ; mov rsi, [rbp + s]
                    ; mov rdx, QWORD name
                    ; lea rcx, [rbp + s]
                    ; mov r8, QWORD names
                );
                self.rt(h::jit_load_method as *const () as usize);
                self.on_error(d - 1);
            }
            Instr::Call(n) => {
                let rdx = self.rdx_result.take();
                self.call(n, d, rdx)
            }
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
                if let Some(fused) = self.local_is_const_at(self.pc) {
                    return self.is_local_const(fused, invert, d);
                }
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
            Instr::Jump(_)
            | Instr::PopJumpIfFalse(_)
            | Instr::PopJumpIfTrue(_)
            | Instr::JumpIfFalseOrPop(_)
            | Instr::JumpIfTrueOrPop(_) => self.branch_instr(instr, d),
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
            Instr::ForIter(t) => self.for_iter(t, d),
            Instr::ReturnValue => {
                if self.returns_scratch != Some(self.pc) {
                    let s = self.slot(d - 1);
                    dynasm!(self.ops ; .arch x64 ; mov rax, [rbp + s] ; mov [rbp + SCRATCH], rax);
                }
                for j in (0..d - 1).rev() {
                    let s = self.slot(j);
                    self.drop_at(s);
                }
                let pc = self.pc as i32;
                if self.gen.is_some() || self.l.nlocals > INLINE_EPILOGUE_LOCALS {
                    let epi = self.epilogue;
                    dynasm!(self.ops
                        ; .arch x64
                        ; mov DWORD [rbp + EXIT_PC], pc
                        ; jmp =>epi
                    );
                } else {
                    // The epilogue in place: a frame to hand off records this instruction
                    // on its way to the hand-off, out of line.
                    let mat = self.ops.new_dynamic_label();
                    emit_materialized_branch(&mut self.ops, SHADOW, mat);
                    let polls = self.leave_frame(None);
                    let hand_off = self.hand_off;
                    self.cold(move |cx| {
                        dynasm!(cx.ops
                            ; .arch x64
                            ; =>mat
                            ; mov DWORD [rbp + EXIT_PC], pc
                            ; jmp =>hand_off
                        );
                        cx.return_polls(polls);
                    });
                }
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
}
