//! Embedding shadowframe with a JIT of your own: a complete, tiny dynasm JIT that lives outside
//! the crate, whose activations keep no interpreter frames and still show up, with the right
//! names and line numbers, in `sys._getframe`, `traceback.print_stack` and tracebacks.
//!
//! ```text
//! cargo run --release --example embed_custom_jit
//! ```
//!
//! The steps, in the order this file takes them:
//!
//! 1. **Compile the Python source** with `shadowframe::compile::compile_module`. The module
//!    defines `countdown(n)`; its `CodeObject` (name, filename, positions) is what our JIT
//!    "implements", so frames, tracebacks and line numbers come from it as for interpreted code.
//! 2. **Generate machine code** for `countdown` with dynasm ([`demo::compile_countdown`]). Each
//!    activation is a fixed native frame ([`demo::layout`]) holding a two-word `ShadowFrame`,
//!    pushed and popped with the crate's public emitters (`shadowframe::jit::emit`: the
//!    shadow-frame ABI, with the thread state pinned in `r15`). Every call the code makes is a
//!    *site* of a small debug map, `return address -> instruction index`: that is how a blocked
//!    activation's current instruction is found later, with nothing stored per call.
//! 3. **Call into the runtime safely**: every helper is `extern "C"` and runs its body under
//!    `catch_unwind` ([`demo::guarded`]), so no panic unwinds through JIT frames; a Python
//!    exception comes back as `0` with the error kept in [`demo::PENDING`]. Helpers are called
//!    through a seven-instruction stub that records the return address of the call in the
//!    caller's frame (`layout::RT_RET`) while the helper runs: the anchor the stack walk reads.
//! 4. **Tell `frame` how to read our activations**: implement `frame::ForeignFrames`
//!    ([`demo::DemoFrames`]: code, function, globals, locals from the native frame, the
//!    lazy-record slot, and a stack walk that maps return addresses through the debug map) and
//!    register it with `frame::set_foreign_frames`.
//! 5. **Install the materialization hook** ([`demo::materialize`]): our shadow frames go through
//!    `frame::materialize_foreign`, the rest through the default, `frame::get_frame_object`.
//!    Frame objects are built only for what someone observes.
//! 6. **Hand off at exit**: the epilogue tests the `MATERIALIZED | OBSERVED` bits with one
//!    instruction and, when one is set, calls `frame::exit_foreign`, so that a held frame object
//!    or a traceback keeps the activation's final locals and line.
//! 7. **Plug into the interpreter** as its compiled tier, `interp::Tier` ([`demo::DemoTier`]):
//!    the interpreter offers every call of a Python function to it, and it runs `countdown` on
//!    our machine code.
//! 8. **Run the module**: interpreted `main()` calls JIT `countdown(3)`, which recurses natively
//!    down to 0 and calls back into interpreted `report()`, which looks at the stack and raises.
//!    Everything it prints mixes JIT and interpreted frames; `shadow_stack()`, a builtin of this
//!    example, shows which is which.

#[cfg(target_arch = "x86_64")]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(demo::run_on_own_thread())
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    eprintln!("embed_custom_jit: this example generates x86-64 code");
}

#[cfg(target_arch = "x86_64")]
pub mod demo {
    use dynasmrt::x64::Assembler;
    use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi, ExecutableBuffer};
    use shadowframe::code::{BinOp, CmpOp, CodeObject, Instr};
    use shadowframe::compile::compile_module;
    use shadowframe::frame::{self, ForeignFrames};
    use shadowframe::interp::{self, Tier};
    use shadowframe::jit::emit::{
        emit_materialized_test, emit_shadow_pop, emit_shadow_push, jit_shadow_data,
    };
    use shadowframe::object::NULL_BITS;
    use shadowframe::object::{ExcKind, Function, KwArgs, PyErr, PyResult, Value};
    use shadowframe::shadow::{ShadowFrame, ShadowWalk, Tag};
    use shadowframe::stdlib;
    use shadowframe::thread::{runtime, ThreadState, HEADROOM_OFFSET, NATIVE_STACK_LIMIT_OFFSET};
    use std::cell::RefCell;
    use std::mem::ManuallyDrop;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::Arc;

    /// The program. `countdown` is the function our JIT implements; everything else is
    /// interpreted.
    pub const SOURCE: &str = r#"import sys
import traceback


def countdown(n):
    if n == 0:
        return report(n)
    return countdown(n - 1)


def report(n):
    global held
    held = sys._getframe(1)
    print("report() was called by", held.f_code.co_name, "at line", held.f_lineno)
    print("its locals:", held.f_locals, "and its caller's:", held.f_back.f_locals)
    print("the shadow stack, innermost first:", " <- ".join(shadow_stack()))
    print("the stack, innermost last:")
    traceback.print_stack(file=sys.stdout)
    raise ValueError("the countdown reached zero")


def main():
    try:
        countdown(3)
    except ValueError:
        print("the traceback, through the JIT frames:")
        traceback.print_exc(file=sys.stdout)
    print("the frame held after its activation ended:", held.f_code.co_name, held.f_lineno, held.f_locals)


main()
"#;

    /// The file name the code objects carry (tracebacks print it; source lines come from the
    /// code object, so the file need not exist).
    pub const FILENAME: &str = "embed_demo.py";

    /// The native frame of one `countdown` activation, `rbp`-relative (x86-64, System V).
    ///
    /// ```text
    ///   rbp + 8    return address     into the entry stub, or into a JIT caller
    ///   rbp + 0    saved rbp
    ///   rbp - 8    shadow.data        } ShadowFrame, sf = rbp - 16 (16-byte aligned)
    ///   rbp - 16   shadow.prev        }
    ///   rbp - 24   info               &CompiledCode (survives materialization, unlike data)
    ///   rbp - 32   func               borrowed word of the running function
    ///   rbp - 40   rt_ret             return address of the runtime call in progress, 0: none
    ///   rbp - 48   lazy               the activation's lazy traceback record (0: none)
    ///   rbp - 56   result             owned return word on the way out (0: error)
    ///   rbp - 64   n                  local 0, an owned Value word
    ///   rsp = rbp - 64
    /// ```
    ///
    /// From a shadow frame `sf`: `fp = sf + 16`, and the return address of the call that created
    /// the activation is at `sf + 24`.
    pub mod layout {
        /// The shadow frame.
        pub const SHADOW: i32 = -16;
        /// The code info.
        pub const INFO: i32 = -24;
        /// The function word.
        pub const FUNC: i32 = -32;
        /// The anchor: return address of the runtime call in progress.
        pub const RT_RET: i32 = -40;
        /// The lazy-record slot.
        pub const LAZY: i32 = -48;
        /// The result word.
        pub const RESULT: i32 = -56;
        /// The fast locals (`co_varnames` order, increasing addresses).
        pub const LOCALS: i32 = -64;
        /// How many locals (`countdown` has one: `n`).
        pub const NLOCALS: usize = 1;
        /// Frame size (16-byte multiple: `rsp` stays aligned at every call).
        pub const FRAME_SIZE: i32 = 64;
        /// `fp - sf`.
        pub const FP_FROM_SHADOW: usize = 16;
        /// The activation's own return address, from its shadow frame.
        pub const RET_ADDR_FROM_SHADOW: usize = 24;
    }

    /// What the JIT keeps for a compiled code object: the machine code and its debug map. A
    /// shadow frame's `data` points here (tag `JIT | OWNED_BY_JIT`), so it must be 16-byte
    /// aligned and outlive every activation: it lives in the code object's tier slot.
    #[repr(align(16))]
    pub struct CompiledCode {
        buf: Option<ExecutableBuffer>,
        entry: usize,
        /// `(return address, instruction index)` of every call site, sorted by address.
        debug_map: Vec<(usize, usize)>,
    }

    impl CompiledCode {
        /// The instruction an activation blocked in the call returning to `ret` is executing.
        fn instr_at(&self, ret: usize) -> Option<usize> {
            let i = self.debug_map.binary_search_by_key(&ret, |e| e.0).ok()?;
            Some(self.debug_map[i].1)
        }
    }

    // ---------------------------------------------------------------------------------------
    // Step 3: runtime helpers. `extern "C"`, thread state first, bodies under `catch_unwind`.
    // ---------------------------------------------------------------------------------------

    thread_local! {
        /// The exception a helper (or the JIT code) failed with; the JIT returns 0 meanwhile.
        pub static PENDING: RefCell<Option<PyErr>> = const { RefCell::new(None) };
    }

    fn set_pending(e: PyErr) {
        PENDING.with(|p| *p.borrow_mut() = Some(e));
    }

    fn take_pending() -> PyErr {
        PENDING
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| PyErr::new(ExcKind::SystemError, "JIT code failed without error"))
    }

    /// Runs a helper body: its result word, or 0 with the exception in [`PENDING`]. A panic
    /// becomes a SystemError here: it never unwinds into the JIT frame that called us.
    pub fn guarded(body: impl FnOnce() -> PyResult<usize>) -> usize {
        match catch_unwind(AssertUnwindSafe(body)) {
            Ok(Ok(word)) => word,
            Ok(Err(e)) => {
                set_pending(e);
                0
            }
            Err(_) => {
                set_pending(PyErr::new(ExcKind::SystemError, "a JIT helper panicked"));
                0
            }
        }
    }

    /// A borrowed view of a Value word (no reference taken, none released).
    ///
    /// # Safety
    /// `word` is a live Value word that outlives the view.
    unsafe fn borrowed(word: usize) -> ManuallyDrop<Value> {
        // SAFETY: caller's contract; ManuallyDrop keeps us from releasing the owner's reference.
        ManuallyDrop::new(unsafe { Value::from_bits(word) })
    }

    /// `names[name](arg)` where `names[name]` is a global of `func`'s module (the `LoadGlobal;
    /// LoadFast; Call(1)` of `report(n)`). Returns an owned word, 0 on error.
    extern "C" fn rt_call_global(
        ts: *mut ThreadState,
        func: usize,
        name: usize,
        arg: usize,
    ) -> usize {
        guarded(|| {
            // SAFETY: the JIT passes its pinned thread state (ours, nobody else borrows it while
            // JIT code runs) and the borrowed function and argument words of a live activation.
            let (ts, func, arg) = unsafe { (&mut *ts, borrowed(func), borrowed(arg)) };
            let f = func.as_function().expect("countdown's function word");
            let name = f.code.names[name].as_str().unwrap_or_default().to_owned();
            let callee = stdlib::dict_get(&f.globals, &name)
                .or_else(|| {
                    let builtins = runtime().builtins.get()?;
                    stdlib::dict_get(builtins, &name)
                })
                .ok_or_else(|| {
                    PyErr::new(ExcKind::NameError, format!("name '{name}' is not defined"))
                })?;
            interp::call(ts, &callee, &[(*arg).clone()], &[]).map(Value::into_bits)
        })
    }

    /// The activation of `sf` failed in the call of instruction `pc`: prepend its traceback
    /// entry to the pending exception (`PyTraceBack_Here`). Builds no frame object: the entry
    /// refers to the activation's lazy record.
    extern "C" fn rt_add_traceback(ts: *mut ThreadState, sf: *mut ShadowFrame, pc: usize) -> usize {
        guarded(|| {
            // SAFETY: `sf` is the caller's linked shadow frame on this thread's stack.
            unsafe {
                let ts = &*ts;
                let code = DemoFrames.code(sf);
                let back = frame::lazy_frame_of(ts, sf);
                PENDING.with(|p| {
                    if let Some(e) = &*p.borrow() {
                        frame::add_traceback_entry(e, back, &code, pc);
                    }
                });
            }
            Ok(1)
        })
    }

    /// Step 6: the activation of `sf` ends at instruction `pc` and was materialized or observed:
    /// give its frame object / lazy record the final state.
    extern "C" fn rt_exit(ts: *mut ThreadState, sf: *mut ShadowFrame, pc: usize) -> usize {
        guarded(|| {
            // SAFETY: `sf` is the caller's linked shadow frame, about to end; its locals are
            // still in place (the epilogue calls us before dropping them).
            unsafe { frame::exit_foreign(&*ts, sf, pc) };
            Ok(1)
        })
    }

    /// Releases the local in `slot` and leaves the NULL marker ("unbound") behind.
    extern "C" fn rt_drop_local(_ts: *mut ThreadState, slot: *mut usize) -> usize {
        guarded(|| {
            // SAFETY: `slot` is a local slot of the caller's frame and owns its word.
            drop(unsafe { Value::from_bits(std::ptr::replace(slot, NULL_BITS)) });
            Ok(1)
        })
    }

    /// The prologue found the recursion limit (or the native stack) exhausted. The error
    /// belongs to the caller: the failing activation was never pushed.
    extern "C" fn rt_too_deep(_ts: *mut ThreadState) -> usize {
        guarded(|| Err(interp::recursion_error()))
    }

    // ---------------------------------------------------------------------------------------
    // Step 2: the code generator.
    // ---------------------------------------------------------------------------------------

    /// The bytecode our JIT knows how to implement (`dump_code` prints it):
    /// `if n == 0: return report(n)` / `return countdown(n - 1)`.
    fn expected_bytecode() -> [Instr; 14] {
        use Instr::*;
        [
            LoadFast(0),
            LoadConst(0), // 0
            Compare(CmpOp::Eq),
            PopJumpIfFalse(8),
            LoadGlobal(0), // report
            LoadFast(0),
            Call(1), // 6: report(n)
            ReturnValue,
            LoadGlobal(1), // countdown
            LoadFast(0),
            LoadConst(1), // 1
            BinaryOp(BinOp::Sub),
            Call(1), // 12: countdown(n - 1)
            ReturnValue,
        ]
    }

    /// Instruction indices of the sites in [`expected_bytecode`].
    const REPORT_CALL: usize = 6;
    const REPORT_RETURN: usize = 7;
    const RECURSE_CALL: usize = 12;
    const RECURSE_RETURN: usize = 13;

    /// Compiles `code` if it is the `countdown` our JIT implements, else explains why not.
    ///
    /// Calling convention of the generated function (the *entry*, called from Rust):
    /// `extern "C" fn(ts: *mut ThreadState, func: usize, n: usize) -> usize`: `func` borrowed,
    /// `n` an owned small-int word; returns an owned word or 0 with the error in [`PENDING`].
    /// Inside, `countdown` itself takes `rdi = func`, `rsi = n` and `r15 = ts` (pinned, so the
    /// crate's shadow-frame emitters can use it).
    pub fn compile_countdown(code: &CodeObject) -> Result<Box<CompiledCode>, String> {
        use layout::*;
        let consts_ok = code.consts.first().and_then(Value::as_small) == Some(0)
            && code.consts.get(1).and_then(Value::as_small) == Some(1);
        if code.instrs[..] != expected_bytecode()[..] || code.argcount != 1 || !consts_ok {
            return Err(format!(
                "{}: not the countdown this JIT implements",
                code.qualname
            ));
        }
        // The pointee of our shadow frames: allocated first, so its address can be baked into
        // the code; filled in once the code is finalized.
        let mut info = Box::new(CompiledCode {
            buf: None,
            entry: 0,
            debug_map: Vec::new(),
        });
        let info_addr = &*info as *const CompiledCode;
        let data = jit_shadow_data(info_addr);
        let headroom = HEADROOM_OFFSET;
        let stack_limit = NATIVE_STACK_LIMIT_OFFSET;
        let name_report = match code.instrs[4] {
            Instr::LoadGlobal(i) => i as i64,
            _ => unreachable!("checked above"),
        };

        let mut ops = Assembler::new().map_err(|e| e.to_string())?;
        let mut sites: Vec<(dynasmrt::AssemblyOffset, usize)> = Vec::new();

        // The runtime-call stub: `r11` = helper, `rdi..r9` = its arguments. It records the
        // caller's return address (its call site, a debug-map key) in the caller's frame while
        // the helper runs: the caller's `rbp` is still ours since the stub pushes no frame.
        dynasm!(ops
            ; .arch x64
            ; ->rt_stub:
            ; mov rax, [rsp]
            ; mov [rbp + RT_RET], rax
            ; sub rsp, 8
            ; call r11
            ; add rsp, 8
            ; mov QWORD [rbp + RT_RET], 0
            ; ret
        );

        // The entry from Rust: pin `r15 = ts` (callee-saved: Rust helpers preserve it).
        let entry = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; push rbp
            ; mov rbp, rsp
            ; push r15
            ; sub rsp, 8
            ; mov r15, rdi
            ; mov rdi, rsi
            ; mov rsi, rdx
            ; call ->countdown
            ; add rsp, 8
            ; pop r15
            ; pop rbp
            ; ret
        );

        // A helper call through the stub; its return address is a site for instruction `pc`.
        let rt_call = |ops: &mut Assembler, sites: &mut Vec<_>, helper: usize, pc: usize| {
            dynasm!(ops
                ; .arch x64
                ; mov rdi, r15
                ; mov r11, QWORD helper as i64
                ; call ->rt_stub
            );
            sites.push((ops.offset(), pc));
        };

        // The way out, emitted once per exit so that each exit's instruction is static:
        // hand-off test, drop the locals, pop the shadow frame, headroom + 1, return `result`.
        let epilogue = |ops: &mut Assembler, sites: &mut Vec<_>, exit_pc: usize| {
            emit_materialized_test(ops, SHADOW);
            dynasm!(ops
                ; .arch x64
                ; jz >kept
                ; lea rsi, [rbp + SHADOW]
                ; mov rdx, exit_pc as i32
            );
            rt_call(ops, sites, rt_exit as *const () as usize, exit_pc);
            dynasm!(ops
                ; .arch x64
                ; kept:
                ; test BYTE [rbp + LOCALS], 0b11   // a heap pointer has its low two bits clear
                ; jnz >dropped
                ; lea rsi, [rbp + LOCALS]
            );
            rt_call(ops, sites, rt_drop_local as *const () as usize, exit_pc);
            dynasm!(ops ; .arch x64 ; dropped:);
            emit_shadow_pop(ops, SHADOW);
            dynasm!(ops
                ; .arch x64
                ; add QWORD [r15 + headroom], 1
                ; mov rax, [rbp + RESULT]
                ; mov rsp, rbp
                ; pop rbp
                ; ret
            );
        };

        // After a call site: keep the result; on 0, add our traceback entry and leave through
        // the error exit (its final instruction is the call), else through the normal one.
        let after_call =
            |ops: &mut Assembler, sites: &mut Vec<_>, call_pc: usize, ret_pc: usize| {
                dynasm!(ops
                    ; .arch x64
                    ; mov [rbp + RESULT], rax
                    ; test rax, rax
                    ; jz >failed
                );
                epilogue(ops, sites, ret_pc);
                dynasm!(ops
                    ; .arch x64
                    ; failed:
                    ; lea rsi, [rbp + SHADOW]
                    ; mov rdx, call_pc as i32
                );
                rt_call(ops, sites, rt_add_traceback as *const () as usize, call_pc);
                epilogue(ops, sites, call_pc);
            };

        // countdown(n): prologue.
        dynasm!(ops
            ; .arch x64
            ; ->countdown:
            ; push rbp
            ; mov rbp, rsp
            ; sub rsp, FRAME_SIZE
            // Count the frame against the thread's recursion headroom (negative: past the
            // limit) and check the native stack, before anything is stored.
            ; sub QWORD [r15 + headroom], 1
            ; jl ->too_deep
            ; cmp rsp, [r15 + stack_limit]
            ; jb ->too_deep
            ; mov [rbp + FUNC], rdi
            ; mov [rbp + LOCALS], rsi
            ; mov rax, QWORD info_addr as i64
            ; mov [rbp + INFO], rax
            ; mov QWORD [rbp + RT_RET], 0
            ; mov QWORD [rbp + LAZY], 0
        );
        emit_shadow_push(&mut ops, SHADOW, data);
        dynasm!(ops
            ; .arch x64
            // if n == 0 (the small int 0 is the word 0b1):
            ; cmp QWORD [rbp + LOCALS], 1
            ; jne >recurse
            // return report(n)
            ; mov rsi, [rbp + FUNC]
            ; mov rdx, QWORD name_report
            ; mov rcx, [rbp + LOCALS]
        );
        rt_call(
            &mut ops,
            &mut sites,
            rt_call_global as *const () as usize,
            REPORT_CALL,
        );
        after_call(&mut ops, &mut sites, REPORT_CALL, REPORT_RETURN);
        // return countdown(n - 1): a direct native call. (A real JIT would guard that the
        // global `countdown` is still this function; the reference JIT keeps an inline cache.)
        dynasm!(ops
            ; .arch x64
            ; recurse:
            ; mov rdi, [rbp + FUNC]
            ; mov rsi, [rbp + LOCALS]
            ; sub rsi, 2          // n - 1 on small-int words: (n << 1 | 1) - 2
            ; call ->countdown
        );
        sites.push((ops.offset(), RECURSE_CALL));
        after_call(&mut ops, &mut sites, RECURSE_CALL, RECURSE_RETURN);

        // The prologue's failure: nothing was pushed, return 0 with a RecursionError.
        // The frame was counted: give it back.
        dynasm!(ops ; .arch x64 ; ->too_deep: ; add QWORD [r15 + headroom], 1);
        rt_call(&mut ops, &mut sites, rt_too_deep as *const () as usize, 0);
        dynasm!(ops
            ; .arch x64
            ; xor eax, eax
            ; mov rsp, rbp
            ; pop rbp
            ; ret
        );

        let buf = ops.finalize().map_err(|_| "finalize failed".to_owned())?;
        let mut map: Vec<(usize, usize)> = sites
            .into_iter()
            .map(|(off, pc)| (buf.ptr(off) as usize, pc))
            .collect();
        map.sort_unstable();
        info.entry = buf.ptr(entry) as usize;
        info.debug_map = map;
        info.buf = Some(buf);
        Ok(info)
    }

    // ---------------------------------------------------------------------------------------
    // Step 4: how `frame` reads our activations.
    // ---------------------------------------------------------------------------------------

    /// Our [`ForeignFrames`].
    pub struct DemoFrames;

    /// The frame base of the activation of `sf`.
    fn fp(sf: *mut ShadowFrame) -> usize {
        sf as usize + layout::FP_FROM_SHADOW
    }

    /// The address of slot `off` of the activation of `sf`.
    fn slot(sf: *mut ShadowFrame, off: i32) -> *mut usize {
        (fp(sf) as isize + off as isize) as *mut usize
    }

    /// The code info of the activation of `sf`.
    ///
    /// # Safety
    /// `sf` is a linked activation of our JIT.
    unsafe fn info<'a>(sf: *mut ShadowFrame) -> &'a CompiledCode {
        // SAFETY: the prologue stored the info pointer, which outlives the activation.
        unsafe { &*(*slot(sf, layout::INFO) as *const CompiledCode) }
    }

    /// The instruction the activation of `sf` is executing: the debug-map entry of the return
    /// address of the call it is blocked in, which is either a runtime call (the stub recorded
    /// it in `rt_ret`) or a direct call of the JIT activation above it (`inner`), whose own
    /// return address is at `inner + 24`.
    ///
    /// # Safety
    /// `sf` is a linked activation of our JIT, `inner` null or the shadow frame linked above it.
    unsafe fn current_instr(sf: *mut ShadowFrame, inner: *mut ShadowFrame) -> usize {
        // SAFETY: caller's contract: both frames are linked, so their native frames are alive.
        unsafe {
            let mut ret = *slot(sf, layout::RT_RET);
            if ret == 0 && !inner.is_null() && (*inner).tag().contains(Tag::OWNED_BY_JIT) {
                ret = *((inner as usize + layout::RET_ADDR_FROM_SHADOW) as *const usize);
            }
            info(sf).instr_at(ret).unwrap_or(0)
        }
    }

    // SAFETY: every method reads the native frame of exactly the activation of `sf`, at the
    // offsets of `layout` that `compile_countdown` generated code for.
    unsafe impl ForeignFrames for DemoFrames {
        unsafe fn code(&self, sf: *mut ShadowFrame) -> Arc<CodeObject> {
            // SAFETY: forwarded contract.
            let func = unsafe { self.func(sf) };
            func.as_function().expect("a function word").code.clone()
        }

        unsafe fn func(&self, sf: *mut ShadowFrame) -> Value {
            // SAFETY: forwarded contract; the slot holds the borrowed function word.
            let func = unsafe { borrowed(*slot(sf, layout::FUNC)) };
            (*func).clone()
        }

        unsafe fn globals(&self, sf: *mut ShadowFrame) -> Value {
            // SAFETY: forwarded contract.
            let func = unsafe { self.func(sf) };
            func.as_function().expect("a function word").globals.clone()
        }

        unsafe fn locals(&self, sf: *mut ShadowFrame) -> &mut [Value] {
            // SAFETY: forwarded contract: `NLOCALS` consecutive Value words (a Value is one
            // transparent word) where the running code reads them; the activation is blocked.
            unsafe {
                std::slice::from_raw_parts_mut(
                    slot(sf, layout::LOCALS) as *mut Value,
                    layout::NLOCALS,
                )
            }
        }

        unsafe fn lazy_slot(&self, sf: *mut ShadowFrame) -> *mut usize {
            slot(sf, layout::LAZY)
        }

        unsafe fn walk(
            &self,
            ts: &ThreadState,
            visit: &mut dyn FnMut(*mut ShadowFrame, Option<usize>) -> bool,
        ) {
            let mut inner: *mut ShadowFrame = std::ptr::null_mut();
            // SAFETY: our own thread's stack; every frame stays linked during the walk.
            for sf in unsafe { ShadowWalk::new(ts.shadow_top) } {
                // SAFETY: `sf` is linked; if it is ours, `inner` is the frame above it.
                let pc = unsafe {
                    (*sf)
                        .tag()
                        .contains(Tag::OWNED_BY_JIT)
                        .then(|| current_instr(sf, inner))
                };
                if !visit(sf, pc) {
                    return;
                }
                inner = sf;
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Step 5: the materialization hook.
    // ---------------------------------------------------------------------------------------

    /// Our frames through `materialize_foreign` (which reads them through [`DemoFrames`]),
    /// interpreted ones through the default hook.
    ///
    /// # Safety
    /// As for [`frame::MaterializeHook`].
    pub unsafe fn materialize(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
        // SAFETY: forwarded contract (`sf` is linked on `ts`'s stack, on this thread).
        unsafe {
            if (*sf).tag().contains(Tag::OWNED_BY_JIT) {
                frame::materialize_foreign(ts, sf)
            } else {
                frame::get_frame_object(ts, sf)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Step 7: the interpreter's compiled tier.
    // ---------------------------------------------------------------------------------------

    /// Runs functions whose code object carries our [`CompiledCode`]; declines the rest.
    pub struct DemoTier;

    impl Tier for DemoTier {
        fn call(
            &self,
            ts: &mut ThreadState,
            callee: &Value,
            func: &Function,
            args: &[Value],
            kwargs: KwArgs,
        ) -> Option<PyResult<Value>> {
            let compiled = func.code.tier.get()?.downcast_ref::<CompiledCode>()?;
            // Our code handles `countdown(small int)` only; the interpreter does the rest.
            if args.len() != 1 || !kwargs.is_empty() || !args[0].is_small() {
                return None;
            }
            // SAFETY: `entry` is the entry of code generated for `func`'s code object, with the
            // signature documented on `compile_countdown`; `callee` outlives the call; the
            // argument word is owned and moves into the activation.
            let r = unsafe {
                let entry: extern "C" fn(*mut ThreadState, usize, usize) -> usize =
                    std::mem::transmute(compiled.entry);
                entry(ts, callee.bits(), args[0].clone().into_bits())
            };
            Some(if r == 0 {
                Err(take_pending())
            } else {
                // SAFETY: a nonzero result is an owned Value word.
                Ok(unsafe { Value::from_bits(r) })
            })
        }
    }

    // ---------------------------------------------------------------------------------------
    // For the demo: the shadow stack as Python sees it, with each activation's owner.
    // ---------------------------------------------------------------------------------------

    /// `shadow_stack()`: one string per activation, innermost first: the code name, and
    /// `[JIT]` / `[JIT, materialized]` for ours. Builds no frame object.
    fn shadow_stack(ts: &mut ThreadState, _args: &[Value], _kw: KwArgs) -> PyResult<Value> {
        // Code names in stack order, through the same walk `traceback.print_stack` uses.
        let names = frame::stack_entries(ts, 0);
        // SAFETY: our own thread's stack; the frames stay linked while we read their tags.
        let walk = unsafe { ShadowWalk::new(ts.shadow_top) };
        // SAFETY: every frame the walk yields is linked (above).
        let tags = walk.map(|sf| unsafe { (*sf).tag() });
        let items = names
            .iter()
            .zip(tags)
            .map(|(entry, tag)| {
                let name = &entry.code.name;
                Value::string(match tag {
                    t if t.contains(Tag::OWNED_BY_JIT | Tag::MATERIALIZED) => {
                        format!("{name} [JIT, materialized]")
                    }
                    t if t.contains(Tag::OWNED_BY_JIT) => format!("{name} [JIT]"),
                    _ => name.to_string(),
                })
            })
            .collect();
        Ok(Value::list(items))
    }

    // ---------------------------------------------------------------------------------------
    // Steps 1 and 8: compile, install, run.
    // ---------------------------------------------------------------------------------------

    /// Runs the demo on a new thread with a known native stack (so the JIT prologue's
    /// native-stack check, and the interpreter's, have a real limit); the exit status.
    pub fn run_on_own_thread() -> u8 {
        const STACK: usize = 64 << 20;
        let worker = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || run(STACK));
        worker.map_or(70, |h| h.join().unwrap_or(70))
    }

    /// Runs the demo on this thread, whose native stack is `stack` bytes; the exit status.
    pub fn run(stack: usize) -> u8 {
        let mut ts = ThreadState::new();
        ts.set_native_stack(stack, 1 << 20);
        stdlib::init();

        // Step 1: the module and the code object of `countdown`.
        let module = match compile_module(SOURCE, FILENAME) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("{}: {} (line {})", e.kind, e.msg, e.line);
                return 1;
            }
        };
        let countdown = module
            .consts
            .iter()
            .filter_map(Value::as_code)
            .find(|c| &*c.name == "countdown")
            .expect("the module defines countdown");

        // Step 2: compile it; the code object keeps the result (its tier slot).
        match compile_countdown(countdown) {
            Ok(compiled) => {
                let _ = countdown.tier.set(compiled);
            }
            Err(e) => {
                eprintln!("embed_custom_jit: {e}");
                return 1;
            }
        }

        // Steps 4, 5 and 7: register the vtable, the hook and the tier (once per process).
        static FRAMES: DemoFrames = DemoFrames;
        static TIER: DemoTier = DemoTier;
        assert!(
            frame::set_foreign_frames(&FRAMES),
            "another JIT owns the frames"
        );
        frame::set_materialize_hook(Some(materialize));
        assert!(interp::set_tier(&TIER), "another tier is installed");

        // Step 8: run it.
        let globals = Value::dict();
        stdlib::dict_set(&globals, "__name__", Value::str("__main__"));
        stdlib::dict_set(&globals, "__file__", Value::str(FILENAME));
        let builtin = stdlib::native("shadow_stack", "embed_custom_jit", shadow_stack);
        stdlib::dict_set(&globals, "shadow_stack", builtin);
        let status = match interp::run_module(&mut ts, module, globals) {
            Ok(_) => 0,
            Err(e) => {
                stdlib::flush_all();
                let _ = stdlib::print_uncaught_exception(&mut ts, e);
                1
            }
        };
        stdlib::flush_std_files(&mut ts);
        let frames = runtime()
            .stats
            .get(shadowframe::thread::Stat::FrameObjectsCreated);
        println!("frame objects built: {frames} (only the observed activations)");
        status
    }
}
