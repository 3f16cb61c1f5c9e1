//! The dynasm x86-64 baseline JIT, the interpreter's compiled tier.
//!
//! Public: [`emit`], the shadow-frame ABI as dynasm emitters for any JIT, and [`tier`], which
//! installs this JIT as the interpreter's compiled tier. The rest is private to the crate.
//!
//! A compiled function runs with no interpreter frame: its activation is a fixed-size native
//! frame holding a two-word shadow frame, its fast locals and its value stack (see `layout`
//! and `asm/README.md`). Frame objects, tracebacks and `_current_frames` find it through the
//! shadow stack, and learn its current instruction from the return address of the call it is
//! blocked in (`walk`, `debug_map`).
//!
//! Pieces:
//! - [`tier`]: when functions are compiled (`--jit=hot|all`) and how calls enter compiled code;
//! - `layout`: the native frame and the entry trampoline's frame, offset by offset;
//! - `state`: the per-thread JIT words (runtime-call anchor, entry chain, pending exception);
//! - `trampoline`: `asm/x86_64/trampolines.s` (entry and runtime-call trampolines);
//! - [`emit`]: public emitters of the shadow-frame ABI for any dynasm JIT;
//! - `analysis`, `compile`: the baseline compiler;
//! - `helpers`: the `extern "C"` runtime helpers compiled code calls;
//! - `refcount`: reference counts of heap words, inline;
//! - `calls`: direct calls between compiled functions (per-site inline caches);
//! - `globals`: per-site caches of global and builtin names, checked by dict versions;
//! - `deopt`: a failed guard continues the activation in the interpreter;
//! - `debug_map`: return address -> instruction;
//! - `walk`: the JIT-aware stack walk;
//! - `frames`: the materializer (`frame::ForeignFrames` and the materialization hook);
//! - `gen`: compiled generators and coroutines, whose frames live in their generators.
//!
//! Safepoints: compiled code polls `ThreadState::poll` at function entry, at loop headers (the
//! targets of backward jumps) and on return from every runtime call (in the runtime-call
//! trampoline); a set byte calls `helpers::jit_safepoint`, which serves pending handshakes
//! (`thread::handshake`) while the activation is anchored.
//!
//! Limits: module code stays interpreted (`Unsupported`; every instruction of the bytecode
//! compiles, exception handlers and generators included).

#![cfg_attr(not(target_arch = "x86_64"), allow(unused))]

#[cfg(target_arch = "x86_64")]
pub(crate) mod analysis;
#[cfg(target_arch = "x86_64")]
pub(crate) mod bound;
#[cfg(target_arch = "x86_64")]
pub(crate) mod calls;
#[cfg(target_arch = "x86_64")]
pub(crate) mod compile;
#[cfg(target_arch = "x86_64")]
pub(crate) mod debug_map;
#[cfg(target_arch = "x86_64")]
pub(crate) mod deopt;
#[cfg(target_arch = "x86_64")]
pub mod emit;
#[cfg(target_arch = "x86_64")]
pub(crate) mod frames;
#[cfg(target_arch = "x86_64")]
pub(crate) mod gen;
#[cfg(target_arch = "x86_64")]
pub(crate) mod globals;
#[cfg(target_arch = "x86_64")]
pub(crate) mod helpers;
#[cfg(target_arch = "x86_64")]
pub(crate) mod layout;
#[cfg(target_arch = "x86_64")]
pub(crate) mod pinned;
#[cfg(target_arch = "x86_64")]
pub(crate) mod refcount;
#[cfg(target_arch = "x86_64")]
pub(crate) mod state;
#[cfg(target_arch = "x86_64")]
pub mod tier;
#[cfg(target_arch = "x86_64")]
pub(crate) mod trampoline;
#[cfg(target_arch = "x86_64")]
pub(crate) mod walk;

#[cfg(all(test, target_arch = "x86_64"))]
mod tests;

use crate::code::Instr;
use std::fmt;

/// Why a code object stays interpreted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unsupported {
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
pub(crate) use self::x64::*;

#[cfg(target_arch = "x86_64")]
mod x64 {
    use super::calls::CallCache;
    use super::compile::emit as emit_code;
    use super::debug_map::DebugMap;
    use super::layout::FrameLayout;
    use super::{analysis, state, trampoline, Unsupported};
    use crate::code::{CodeObject, Instr};
    use crate::object::exc::err;
    use crate::object::{KwArgs, PyResult, Value};
    use crate::thread::{Stat, Stats, ThreadState};
    use dynasmrt::ExecutableBuffer;
    use smallvec::SmallVec;
    use std::sync::Arc;

    /// The code object a [`JitCodeInfo`] was compiled from, borrowed without a reference count.
    ///
    /// Invariant: the code object outlives the info. It does: compiled code lives in the code
    /// object's own tier slot ([`compile`]) and is dropped with it. (A counted reference would
    /// be a cycle, code -> compiled code -> code, that nothing frees.)
    pub struct CodeRef(std::ptr::NonNull<CodeObject>);

    impl CodeRef {
        /// The code object's address (`Arc::as_ptr`), counting no reference.
        pub fn as_ptr(&self) -> *const CodeObject {
            self.0.as_ptr()
        }

        /// A new counted reference to the code object.
        pub fn arc(&self) -> Arc<CodeObject> {
            // SAFETY: the pointer came from `Arc::as_ptr` of a code object that is alive (the
            // type's invariant); adding a count before `from_raw` leaves its own count intact.
            unsafe {
                Arc::increment_strong_count(self.0.as_ptr());
                Arc::from_raw(self.0.as_ptr())
            }
        }
    }

    impl std::ops::Deref for CodeRef {
        type Target = CodeObject;
        fn deref(&self) -> &CodeObject {
            // SAFETY: the code object outlives the info (the type's invariant).
            unsafe { self.0.as_ref() }
        }
    }

    /// What answers for the activations of one compiled code object: the pointee of their
    /// shadow frames' `data` (and `orig_data`) words.
    ///
    /// Invariant: 16-byte aligned and at a fixed address (boxed inside [`JitCode`]) for as long
    /// as any activation of the code may run.
    #[repr(C, align(16))]
    pub struct JitCodeInfo {
        /// The bytecode it was compiled from.
        pub code: CodeRef,
        /// Its native frame layout.
        pub layout: FrameLayout,
        /// Return address / guard address -> instruction.
        pub debug_map: DebugMap,
        buf: Option<ExecutableBuffer>,
        extra_consts: Vec<Value>,
        /// Deoptimizations so far (compiled guards compare it with `deopt::DEOPT_BUDGET`).
        pub deopts: std::sync::atomic::AtomicU32,
        /// One inline cache per `Call(n)` site, in instruction order (compiled code embeds
        /// their addresses).
        call_caches: Box<[CallCache]>,
        /// Generator code: its suspension points, by instruction (empty for other code).
        pub resume_points: Box<[ResumePoint]>,
    }

    /// Where a compiled generator can be suspended: its `ReturnGenerator` (never started) and
    /// each reachable `YieldValue`/`YieldFrom`.
    #[derive(Copy, Clone, Debug, PartialEq, Eq)]
    pub struct ResumePoint {
        /// The instruction it is suspended at.
        pub pc: u32,
        /// Value-stack slots that hold owned values while it is suspended there (for a
        /// `YieldFrom`, the top one is the delegate).
        pub live_depth: u32,
    }

    impl JitCodeInfo {
        /// Generator or coroutine code: its entry resumes a generator frame (`gen`), it is
        /// never called as a function.
        pub fn is_generator(&self) -> bool {
            !self.resume_points.is_empty()
        }

        /// The suspension point at instruction `pc`, if it is one.
        pub fn resume_point(&self, pc: usize) -> Option<ResumePoint> {
            self.resume_points
                .binary_search_by_key(&pc, |r| r.pc as usize)
                .ok()
                .map(|i| self.resume_points[i])
        }
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
    ///
    /// Retirement: when a `JitCode` is dropped (with its code object), its info (machine code,
    /// debug map, constants) is not freed at once but handed to crossbeam-epoch
    /// (`defer_unchecked`), and every JIT stack walk runs pinned (`frames::JitFrames`'s walk).
    /// Why it cannot be freed under a reader: a walker reaches a code info only through the
    /// `orig_data` word of a linked shadow frame, or a return address it maps through that
    /// info's debug map; the activation keeps its function, and so the code object, alive
    /// while it is linked, and a walk that started before a code object went away (a handshake
    /// reading an entry record's saved return address, an embedder's sampler holding a return
    /// address) finishes before the epoch lets the info go.
    pub struct JitCode {
        info: std::mem::ManuallyDrop<Box<JitCodeInfo>>,
    }

    impl Drop for JitCode {
        fn drop(&mut self) {
            // SAFETY: `info` is taken exactly once, here, and never used again.
            let info = unsafe { std::mem::ManuallyDrop::take(&mut self.info) };
            let guard = crossbeam_epoch::pin();
            // SAFETY: the closure only drops the info; it runs after every thread pinned now
            // has unpinned (no walker can still be reading it), on whichever thread collects
            // it. Dropping an info frees memory and releases constants (atomic reference
            // counts), which is sound on any thread even though `CodeRef` is not `Send`: it is
            // not dereferenced on drop.
            unsafe { guard.defer_unchecked(move || drop(info)) };
        }
    }

    // SAFETY: a JitCode is immutable once built (code bytes, debug map, layout, constants) and
    // its `CodeRef` only reads a code object that outlives it; sharing it between threads that
    // run or walk its activations is sound.
    unsafe impl Send for JitCode {}
    // SAFETY: as above.
    unsafe impl Sync for JitCode {}

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

    type Slot = Result<JitCode, Unsupported>;

    /// The compiled code of `code`, compiling it on first request, or why it stays interpreted.
    ///
    /// The result is cached in the code object's tier slot and lives as long as the code object:
    /// each code object is compiled at most once, by whichever thread asks first.
    #[cfg(test)]
    pub fn compile(code: &Arc<CodeObject>) -> Result<&JitCode, Unsupported> {
        compile_for(code, None)
    }

    /// [`compile`] for a function whose globals are `globals`: its global loads check first
    /// for the values found there at compile time (any other globals dict takes the general
    /// path of the name caches).
    pub fn compile_for<'c>(
        code: &'c Arc<CodeObject>,
        globals: Option<&Value>,
    ) -> Result<&'c JitCode, Unsupported> {
        let slot = code
            .tier
            .get_or_init(|| Box::new(compile_fresh(code, globals)));
        slot.downcast_ref::<Slot>()
            .expect("the JIT owns the tier slot")
            .as_ref()
            .map_err(|e| *e)
    }

    /// The compiled code of `code` if it was compiled before (no compilation).
    pub fn compiled(code: &CodeObject) -> Option<&JitCode> {
        code.tier.get()?.downcast_ref::<Slot>()?.as_ref().ok()
    }

    fn compile_fresh(code: &Arc<CodeObject>, globals: Option<&Value>) -> Slot {
        // Activations of compiled code must be answerable before the first one runs.
        static FRAMES: std::sync::Once = std::sync::Once::new();
        FRAMES.call_once(super::frames::install);
        let an = analysis::analyze(code)?;
        let layout = FrameLayout::new(code.varnames.len() as u32, an.max_depth);
        // The info is boxed first: the code embeds its address (shadow data, error records).
        let mut info = Box::new(JitCodeInfo {
            code: CodeRef(std::ptr::NonNull::from(&**code)),
            layout,
            debug_map: DebugMap::default(),
            buf: None,
            extra_consts: Vec::new(),
            deopts: Default::default(),
            call_caches: (0..code
                .instrs
                .iter()
                .filter(|i| matches!(i, Instr::Call(_)))
                .count())
                .map(|_| CallCache::default())
                .collect(),
            resume_points: resume_points(code, &an),
        });
        let addr = &*info as *const JitCodeInfo as usize;
        let caches = info.call_caches.as_ptr() as usize;
        let out = emit_code(code, &an, layout, addr, caches, globals)?;
        let base = out.buf.ptr(dynasmrt::AssemblyOffset(0)) as usize;
        info.debug_map = DebugMap::new(base, out.buf.len(), out.sites);
        info.buf = Some(out.buf);
        info.extra_consts = out.extra_consts;
        Stats::bump(Stat::FunctionsCompiled);
        Ok(JitCode {
            info: std::mem::ManuallyDrop::new(info),
        })
    }

    /// The suspension points of generator code, in instruction order.
    fn resume_points(code: &CodeObject, an: &analysis::Analysis) -> Box<[ResumePoint]> {
        code.instrs
            .iter()
            .enumerate()
            .filter_map(|(pc, i)| {
                let live_depth = match (i, an.depth[pc]) {
                    (Instr::ReturnGenerator, Some(0)) => 0,
                    (Instr::YieldValue | Instr::YieldFrom, Some(d)) => d - 1,
                    _ => return None,
                };
                Some(ResumePoint {
                    pc: pc as u32,
                    live_depth,
                })
            })
            .collect()
    }

    impl JitCode {
        /// The code info (the shadow-frame pointee of this code's activations).
        pub fn info(&self) -> &JitCodeInfo {
            &self.info
        }

        /// Calls the compiled code as `func(*args, **kwargs)` through the entry trampoline.
        ///
        /// # Safety
        /// `ts` must be the calling thread's state; `func` must be a function whose code is
        /// the one this was compiled from (checked); no other code may unlink shadow frames it
        /// did not push.
        pub unsafe fn invoke(
            &self,
            ts: &mut ThreadState,
            func: &Value,
            args: &[Value],
            kwargs: KwArgs,
        ) -> PyResult<Value> {
            let f = func
                .as_function()
                .ok_or_else(|| err::type_error("JIT code invoked without a function"))?;
            assert!(
                std::ptr::eq(&*f.code, &*self.code),
                "JitCode::invoke with a function of another code object"
            );
            assert!(
                !self.is_generator(),
                "JitCode::invoke of generator code (a call creates a generator instead)"
            );
            // The interpreter checks the limit before binding (CPython's order); the prologue
            // checks it again for callers that enter compiled code directly.
            if ts.at_recursion_limit() {
                return Err(crate::interp::recursion_error());
            }
            let argcount = self.code.argcount as usize;
            // The argument words, filled by plain loops (a `SmallVec` collected from an
            // iterator cost 40 instructions more).
            let mut inline = [0usize; 8];
            let mut spilled = Vec::new();
            let words: &mut [usize] = match argcount {
                0..=8 => &mut inline[..argcount],
                _ => {
                    spilled.resize(argcount, 0);
                    &mut spilled
                }
            };
            if kwargs.is_empty() && args.len() == argcount {
                // Every parameter given by position (the common call from interpreted code):
                // nothing to bind. The general binding cost this call 150 instructions.
                for (w, a) in words.iter_mut().zip(args) {
                    *w = a.clone().into_bits();
                }
            } else {
                let mut bound: SmallVec<[Value; 8]> = smallvec::smallvec![Value::NULL; argcount];
                crate::interp::bind_args(&self.code, f, args, kwargs, &mut bound)?;
                for (w, v) in words.iter_mut().zip(bound) {
                    *w = v.into_bits();
                }
            }
            let prev = state::enter(ts);
            let tsp: *mut ThreadState = ts;
            // SAFETY: the trampoline pins `ts` and `jit = &ts.jit` (`r14 = r15 + JIT_OFFSET`)
            // for the compiled code, which follows the ABI of asm/README.md; `func` (and so its
            // globals) outlives the call; the argument words are owned and move into the
            // activation's local slots.
            let r = unsafe {
                trampoline::shadowframe_jit_enter(
                    tsp as *mut std::ffi::c_void,
                    &raw mut (*tsp).jit,
                    self.entry(),
                    func.bits(),
                    f.globals.bits(),
                    words.as_ptr(),
                )
            };
            let out = if r == 0 {
                // The exception leaves compiled code: its traceback must be whole.
                crate::frame::publish_unwound(ts);
                Err(state::take_pending())
            } else {
                // SAFETY: a nonzero result is an owned Value word.
                Ok(unsafe { Value::from_bits(r) })
            };
            state::leave(prev);
            out
        }
    }
}
