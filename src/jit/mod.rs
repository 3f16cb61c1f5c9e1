//! The dynasm x86-64 baseline JIT (issue 3, phase 1: compiled and tested on its own, not yet
//! called by the interpreter).
//!
//! A compiled function runs with no interpreter frame: its activation is a fixed-size native
//! frame holding a two-word shadow frame, its fast locals and its value stack (see [`layout`]
//! and `asm/README.md`). Frame objects, tracebacks and `_current_frames` find it through the
//! shadow stack, and learn its current instruction from the return address of the call it is
//! blocked in ([`walk`], [`debug_map`]).
//!
//! Pieces:
//! - [`layout`]: the native frame and the entry trampoline's frame, offset by offset;
//! - [`state`]: the per-thread JIT words (runtime-call anchor, entry chain, pending exception);
//! - [`trampoline`]: `asm/x86_64/trampolines.s` (entry and runtime-call trampolines);
//! - [`emit`]: public emitters of the shadow-frame ABI for any dynasm JIT;
//! - [`analysis`], [`compile`](mod@compile): the baseline compiler;
//! - [`helpers`]: the `extern "C"` runtime helpers compiled code calls;
//! - [`debug_map`]: return address -> instruction;
//! - [`walk`]: the JIT-aware stack walk.
//!
//! Phase-1 limits (each is a follow-up of issue 3): generators and module code stay interpreted
//! ([`Unsupported`]; every instruction of the bytecode compiles, exception handlers included);
//! a failed guard calls the generic helper instead of deoptimizing; no materialization hook is
//! installed, so traceback entries of JIT frames carry no frame identity (`tb_frame` is None),
//! `sys._getframe` must not be pointed at a JIT activation, and an exception must not leave an
//! interpreted frame whose caller is a JIT activation (`exit_frame` asks for the caller's
//! identity); calls always go through the runtime (no direct JIT-to-JIT calls); safepoint polls
//! (handshakes) are not emitted.

#![cfg_attr(not(target_arch = "x86_64"), allow(unused))]

#[cfg(target_arch = "x86_64")]
pub mod analysis;
#[cfg(target_arch = "x86_64")]
pub mod compile;
#[cfg(target_arch = "x86_64")]
pub mod debug_map;
#[cfg(target_arch = "x86_64")]
pub mod emit;
#[cfg(target_arch = "x86_64")]
pub mod helpers;
#[cfg(target_arch = "x86_64")]
pub mod layout;
#[cfg(target_arch = "x86_64")]
pub mod state;
#[cfg(target_arch = "x86_64")]
pub mod trampoline;
#[cfg(target_arch = "x86_64")]
pub mod walk;

#[cfg(all(test, target_arch = "x86_64"))]
mod tests;

use crate::code::Instr;
use std::fmt;

/// Why a code object stays interpreted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Unsupported {
    /// The instruction at this index is not compiled yet.
    Instr(usize, Instr),
    /// The code object as a whole (its kind, its exception table, ...).
    Code(&'static str),
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::Instr(pc, i) => write!(f, "instruction {pc} ({i:?}) is not compiled"),
            Unsupported::Code(why) => write!(f, "not compiled: {why}"),
        }
    }
}

impl std::error::Error for Unsupported {}

#[cfg(target_arch = "x86_64")]
pub use self::x64::*;

#[cfg(target_arch = "x86_64")]
mod x64 {
    use super::compile::emit as emit_code;
    use super::debug_map::DebugMap;
    use super::layout::FrameLayout;
    use super::{analysis, state, trampoline, Unsupported};
    use crate::code::CodeObject;
    use crate::object::exc::err;
    use crate::object::{Function, PyResult, Value};
    use crate::thread::{runtime, Stats, ThreadState};
    use dynasmrt::ExecutableBuffer;
    use std::sync::Arc;

    /// What answers for the activations of one compiled code object: the pointee of their
    /// shadow frames' `data` (and `orig_data`) words.
    ///
    /// Invariant: 16-byte aligned and at a fixed address (boxed inside [`JitCode`]) for as long
    /// as any activation of the code may run.
    #[repr(C, align(16))]
    pub struct JitCodeInfo {
        /// The bytecode it was compiled from.
        pub code: Arc<CodeObject>,
        /// Its native frame layout.
        pub layout: FrameLayout,
        /// Return address / guard address -> instruction.
        pub debug_map: DebugMap,
        buf: Option<ExecutableBuffer>,
        extra_consts: Vec<Value>,
    }

    impl JitCodeInfo {
        /// Entry address of the compiled code.
        pub fn entry(&self) -> usize {
            self.buf
                .as_ref()
                .map_or(0, |b| b.ptr(dynasmrt::AssemblyOffset(0)) as usize)
        }

        /// Size of the machine code in bytes.
        pub fn code_size(&self) -> usize {
            self.buf.as_ref().map_or(0, |b| b.len())
        }
    }

    /// A compiled code object: owns the executable buffer, the debug map and the frame layout.
    pub struct JitCode {
        info: Box<JitCodeInfo>,
    }

    impl std::ops::Deref for JitCode {
        type Target = JitCodeInfo;
        fn deref(&self) -> &JitCodeInfo {
            &self.info
        }
    }

    impl std::fmt::Debug for JitCode {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "<jit code {} at {:#x}, {} bytes>",
                self.code.qualname,
                self.entry(),
                self.code_size()
            )
        }
    }

    /// Compiles `code`, or says why it must stay interpreted.
    pub fn compile(code: &Arc<CodeObject>) -> Result<JitCode, Unsupported> {
        let an = analysis::analyze(code)?;
        let layout = FrameLayout::new(code.varnames.len() as u32, an.max_depth);
        // The info is boxed first: the code embeds its address (shadow data, error records).
        let mut info = Box::new(JitCodeInfo {
            code: code.clone(),
            layout,
            debug_map: DebugMap::default(),
            buf: None,
            extra_consts: Vec::new(),
        });
        let addr = &*info as *const JitCodeInfo as usize;
        let out = emit_code(code, &an, layout, addr)?;
        let base = out.buf.ptr(dynasmrt::AssemblyOffset(0)) as usize;
        info.debug_map = DebugMap::new(base, out.buf.len(), out.sites);
        info.buf = Some(out.buf);
        info.extra_consts = out.extra_consts;
        Stats::bump(&runtime().stats.functions_compiled);
        Ok(JitCode { info })
    }

    impl JitCode {
        /// The code info (the shadow-frame pointee of this code's activations).
        pub fn info(&self) -> &JitCodeInfo {
            &self.info
        }

        /// Calls the compiled code as `func(*args)` through the entry trampoline.
        ///
        /// # Safety
        /// `ts` must be the calling thread's state; `func` must be a function whose code is
        /// the one this was compiled from (checked); `self` must outlive the call (it does: it
        /// is borrowed) and no other code may unlink shadow frames it did not push.
        pub unsafe fn invoke(
            &self,
            ts: &mut ThreadState,
            func: &Value,
            args: &[Value],
        ) -> PyResult<Value> {
            let f = func
                .as_function()
                .ok_or_else(|| err::type_error("JIT code invoked without a function"))?;
            assert!(
                Arc::ptr_eq(&f.code, &self.code),
                "JitCode::invoke with a function of another code object"
            );
            // The interpreter checks the limit before binding (CPython's order); the prologue
            // checks it again for callers that enter compiled code directly.
            if ts.depth >= runtime().recursion_limit() {
                return Err(crate::interp::recursion_error());
            }
            let bound = bind_positional(&self.code, f, args)?;
            let words: Vec<usize> = bound.into_iter().map(Value::into_bits).collect();
            let jit = state::of(ts);
            // SAFETY: the trampoline pins `ts`/`jit` for the compiled code, which follows the
            // ABI of asm/README.md; `func` (and so its globals) outlives the call; the argument
            // words are owned and move into the activation's local slots.
            let r = unsafe {
                trampoline::shadowframe_jit_enter(
                    ts as *mut ThreadState as *mut std::ffi::c_void,
                    jit,
                    self.entry(),
                    func.bits(),
                    f.globals.bits(),
                    words.as_ptr(),
                )
            };
            if r == 0 {
                Err(state::take_pending())
            } else {
                // SAFETY: a nonzero result is an owned Value word.
                Ok(unsafe { Value::from_bits(r) })
            }
        }
    }

    /// Binds positional arguments and defaults to the parameters (the interpreter's binding,
    /// so errors read the same).
    fn bind_positional(code: &CodeObject, func: &Function, args: &[Value]) -> PyResult<Vec<Value>> {
        let mut out = vec![Value::NULL; code.argcount as usize];
        crate::interp::bind_args(code, func, args, &[], &mut out)?;
        Ok(out)
    }
}
