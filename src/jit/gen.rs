//! Compiled generators and coroutines: a JIT activation whose native frame lives in its
//! generator, so that it survives between resumptions (Cinder's generator frames, and its
//! `materializePyFrameForGen` for `gi_frame`).
//!
//! The life of a compiled generator frame, in steps:
//!
//! 1. **Creation** ([`JitGenFrame::new`]): calling the generator function binds the arguments
//!    into a heap block laid out exactly as the code's native frame ([`layout`]), with `fp` at
//!    its top. The block owns the function and globals words, the shadow frame head (unlinked,
//!    `data` already the JIT's tagged info pointer) and the locals. The exit-pc word says
//!    "suspended at instruction 0" (the `ReturnGenerator`).
//! 2. **Resumption** ([`JitGenFrame::resume`]): the entry trampoline (as
//!    `shadowframe_jit_resume`) calls the code's entry with `(fp, sent, mode)`. The compiled
//!    entry (`compile::gen`) stores the caller's `rbp` and return address in the block's top two
//!    words, so the walker's step 3 (`walk.rs`) sees an ordinary JIT frame whose caller is the
//!    entry trampoline, points `rbp` at the block (`rsp` stays on the thread's native stack,
//!    where the body's calls push their return addresses), links the shadow frame again without
//!    touching `data` (a frame object built while suspended stays the frame's), and jumps to the
//!    resume stub of the instruction it was suspended at.
//! 3. **Suspension**: a `yield` (or a `yield from`/`await` whose delegate yielded) stores the
//!    value, the instruction and the suspended flag in the block, hands its observers over
//!    (`frame::suspend_foreign`, only if the shadow frame is `MATERIALIZED` or `OBSERVED`),
//!    unlinks the shadow frame and returns `(value, 1)`: the locals and the live stack slots stay
//!    in the block, owned.
//! 4. **End**: a return or an exception leaves through the common epilogue (hand-off, locals
//!    dropped, shadow frame unlinked) and returns `(value, 0)` or `(0, 0)`; the block then only
//!    holds the function and globals words, released when the generator drops the frame.
//!    A generator dropped while suspended hands its frame object the final state with no caller
//!    (`frame::exit_suspended_foreign`) and drops the locals and live stack slots of its
//!    suspension point ([`ResumePoint`]).
//!
//! Invariant: the block never moves while the generator holds it (its shadow frame, and any
//! frame object reading it, point into it), and it is touched by one thread at a time: the one
//! running it, or whoever holds its generator's lock while it is suspended.

use super::layout::{
    self, gen_block_size, EXIT_PC, FUNC, GEN_SUSPENDED, GLOBALS, LAZY, ORIG_DATA, SHADOW,
};
use super::trampoline::shadowframe_jit_resume;
use super::{state, JitCode, JitCodeInfo, ResumePoint};
use crate::code::Instr;
use crate::interp::{Sent, TierGenFrame, TierResumed};
use crate::object::cycles::{Edge, Graveyard};
use crate::object::value::NULL_BITS;
use crate::object::{Function, KwArgs, PyResult, Value};
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use smallvec::SmallVec;
use std::alloc::Layout;
use std::sync::Arc;

/// How a resumption enters the frame (the `mode` argument of the compiled entry).
#[repr(usize)]
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ResumeMode {
    /// `send(v)`/`next()`: `v` is the suspending instruction's result (a `YieldFrom` runs
    /// again to pass it on).
    Value = 0,
    /// The delegate of the `YieldFrom` finished with the value: it replaces the delegate.
    Delegated = 1,
    /// The pending exception is raised at the suspending instruction.
    Throw = 2,
}

/// The frame of a compiled generator or coroutine (see the module docs).
pub struct JitGenFrame {
    /// Keeps the code object, and so its compiled code and `info`, alive.
    code: Arc<crate::code::CodeObject>,
    info: *const JitCodeInfo,
    /// The heap block; `fp = block + frame_size`.
    block: std::ptr::NonNull<u8>,
    layout: Layout,
    /// It returned or raised: locals and stack are gone, only `FUNC`/`GLOBALS` remain owned.
    finished: bool,
}

// SAFETY: the block is owned by this value alone; it is used by the thread that resumes it
// (which holds the generator's `Running` state) or, while suspended, under the generator's
// lock, so no two threads touch it at once (module invariant). The values it holds are
// thread-safe reference-counted words.
unsafe impl Send for JitGenFrame {}

impl JitGenFrame {
    /// The frame of a new generator of `func` (whose compiled code is `jc`) with the arguments
    /// bound, suspended before its first instruction. Fails as the interpreter's call does
    /// (recursion limit, binding errors).
    pub fn new(
        ts: &mut ThreadState,
        jc: &JitCode,
        callee: &Value,
        func: &Function,
        args: &[Value],
        kwargs: KwArgs,
    ) -> PyResult<JitGenFrame> {
        if ts.at_recursion_limit() {
            return Err(crate::interp::recursion_error());
        }
        let info = jc.info();
        let l = info.layout;
        let mut bound: SmallVec<[Value; 8]> =
            smallvec::smallvec![Value::NULL; info.code.argcount as usize];
        crate::interp::bind_args(&info.code, func, args, kwargs, &mut bound)?;
        let layout = Layout::from_size_align(gen_block_size(&l), 16).expect("a small frame");
        // SAFETY: the layout has a nonzero size.
        let raw = unsafe { std::alloc::alloc_zeroed(layout) };
        let Some(block) = std::ptr::NonNull::new(raw) else {
            std::alloc::handle_alloc_error(layout)
        };
        let frame = JitGenFrame {
            code: info.code.arc(),
            info,
            block,
            layout,
            finished: false,
        };
        let data = super::emit::jit_shadow_data(info as *const JitCodeInfo);
        // SAFETY: every offset written is inside the fresh block (`frame_size` bytes below `fp`
        // plus two words at it); the words written are owned ones the block keeps.
        unsafe {
            frame.put(FUNC, callee.clone().into_bits());
            frame.put(GLOBALS, func.globals.clone().into_bits());
            frame.put(ORIG_DATA, data);
            frame.put(SHADOW + crate::shadow::DATA_OFFSET, data);
            frame.put(SHADOW + crate::shadow::PREV_OFFSET, 0);
            frame.put(LAZY, 0);
            frame.put_u32(EXIT_PC, 0);
            frame.put_u32(GEN_SUSPENDED, 1);
            let argc = bound.len().min(l.nlocals as usize);
            for (i, v) in bound.into_iter().enumerate() {
                if i < argc {
                    frame.put(l.local(i as u32), v.into_bits());
                }
            }
            for i in argc as u32..l.nlocals {
                frame.put(l.local(i), NULL_BITS);
            }
        }
        Ok(frame)
    }

    /// The frame base (`rbp` while it runs).
    fn fp(&self) -> usize {
        // SAFETY: the info outlives the frame (we hold its code object).
        self.block.as_ptr() as usize + unsafe { (*self.info).layout.frame_size() } as usize
    }

    fn info(&self) -> &JitCodeInfo {
        // SAFETY: as in `fp`.
        unsafe { &*self.info }
    }

    /// # Safety
    /// `off` is a word of the native frame layout, inside the block.
    unsafe fn put(&self, off: i32, w: usize) {
        // SAFETY: caller's contract; the block is ours.
        unsafe { *((self.fp() as isize + off as isize) as *mut usize) = w }
    }

    /// # Safety
    /// As for [`JitGenFrame::put`].
    unsafe fn put_u32(&self, off: i32, w: u32) {
        // SAFETY: caller's contract.
        unsafe { *((self.fp() as isize + off as isize) as *mut u32) = w }
    }

    /// # Safety
    /// As for [`JitGenFrame::put`].
    unsafe fn get(&self, off: i32) -> usize {
        // SAFETY: caller's contract.
        unsafe { *((self.fp() as isize + off as isize) as *const usize) }
    }

    /// The suspension point it waits at.
    fn point(&self) -> ResumePoint {
        let pc = self.pc();
        self.info()
            .resume_point(pc)
            .expect("a suspended generator frame waits at one of its resume points")
    }
}

impl TierGenFrame for JitGenFrame {
    fn resume(&mut self, ts: &mut ThreadState, sent: Sent) -> TierResumed {
        debug_assert!(
            !self.finished,
            "a finished generator frame is never resumed"
        );
        let sf = self.shadow();
        // SAFETY: the frame is suspended and ours; it is linked by the compiled entry below,
        // on this thread, before anything can observe it through the frame object (only a
        // materialized frame has one to tell).
        unsafe {
            if (*sf).kind() == crate::shadow::Kind::Materialized {
                crate::frame::resume_foreign(ts, sf);
            }
        }
        let prev = state::enter(ts);
        let (word, mode) = match sent {
            Sent::Value(v) => (v.into_bits(), ResumeMode::Value),
            Sent::Delegated(v) => (v.into_bits(), ResumeMode::Delegated),
            Sent::Throw(e) => {
                state::set_pending(e);
                (0, ResumeMode::Throw)
            }
        };
        let tsp: *mut ThreadState = ts;
        // SAFETY: the trampoline pins `ts` and its JIT state for the compiled code, whose entry
        // takes `(fp, sent, mode)` for generator code (`compile::gen`); the block is alive and
        // suspended at one of the code's resume points; `word` is owned and moves into the
        // frame (or is 0 for a throw).
        let r = unsafe {
            shadowframe_jit_resume(
                tsp as *mut std::ffi::c_void,
                &raw mut (*tsp).jit,
                self.info().entry(),
                self.fp(),
                word,
                mode as usize,
            )
        };
        let out = if r.value == 0 {
            self.finished = true;
            // The exception leaves compiled code: its traceback must be whole.
            crate::frame::publish_unwound(ts);
            TierResumed::Raised(state::take_pending())
        } else {
            // SAFETY: a nonzero result is an owned value word.
            let v = unsafe { Value::from_bits(r.value) };
            if r.yielded != 0 {
                TierResumed::Yielded(v)
            } else {
                self.finished = true;
                TierResumed::Returned(v)
            }
        };
        state::leave(prev);
        out
    }

    fn pc(&self) -> usize {
        // SAFETY: the exit-pc word is in the block; while suspended it holds the instruction.
        let word = unsafe { self.get(EXIT_PC) };
        word & 0xffff_ffff
    }

    fn delegate(&self) -> Option<Value> {
        if self.finished || !matches!(self.code.instrs[self.pc()], Instr::YieldFrom) {
            return None;
        }
        let top = self.point().live_depth.checked_sub(1)?;
        // SAFETY: a frame suspended in a `YieldFrom` owns its delegate in the top live slot.
        let w = unsafe { self.get(self.info().layout.slot(top)) };
        // SAFETY: borrowed from the slot, which keeps its reference.
        let v = std::mem::ManuallyDrop::new(unsafe { Value::from_bits(w) });
        Some((*v).clone())
    }

    fn shadow(&mut self) -> *mut ShadowFrame {
        (self.fp() as isize + SHADOW as isize) as *mut ShadowFrame
    }

    // The frame object a materialized frame's `data` word holds is not reported: the word
    // carries tag bits, and a missing edge only keeps garbage alive.
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        for off in self.owned_slots() {
            // SAFETY: each offset is an owned word of the block; `Value` is a transparent word,
            // so the slot is a `Value` in place, borrowed for the visit.
            visit(Edge::Value(unsafe {
                &*(self.slot_ptr(off) as *const Value)
            }));
        }
    }

    fn clear_refs(&mut self, graveyard: &mut Graveyard) {
        for off in self.owned_slots().skip(2) {
            // SAFETY: an owned word of the block moves to the graveyard; the slot keeps the
            // NULL marker, which the drop path releases as the immediate it is.
            let w = unsafe { std::mem::replace(&mut *self.slot_ptr(off), NULL_BITS) };
            // SAFETY: the word was owned by the slot.
            graveyard.bury(unsafe { Value::from_bits(w) });
        }
    }
}

impl JitGenFrame {
    /// Offsets of the words the block owns: function, globals, and while suspended the locals
    /// and the live stack slots of the suspension point.
    fn owned_slots(&self) -> impl Iterator<Item = i32> {
        let l = self.info().layout;
        let (locals, live) = if self.finished {
            (0, 0)
        } else {
            (l.nlocals, self.point().live_depth)
        };
        [FUNC, GLOBALS]
            .into_iter()
            .chain((0..locals).map(move |i| l.local(i)))
            .chain((0..live).map(move |j| l.slot(j)))
    }

    fn slot_ptr(&self, off: i32) -> *mut usize {
        (self.fp() as isize + off as isize) as *mut usize
    }
}

impl Drop for JitGenFrame {
    fn drop(&mut self) {
        let l = self.info().layout;
        if !self.finished {
            let point = self.point();
            let sf = self.shadow();
            // SAFETY: suspended and ours, with its locals in place: its frame object (if
            // anyone holds it) takes them now, with no caller.
            unsafe { crate::frame::exit_suspended_foreign(sf, point.pc as usize) };
            let owned = (0..l.nlocals)
                .map(|i| l.local(i))
                .chain((0..point.live_depth).map(|j| l.slot(j)));
            for off in owned {
                // SAFETY: the locals and the live slots of the suspension point own their
                // words; each is dropped once, here.
                drop(unsafe { Value::from_bits(self.get(off)) });
            }
        }
        // SAFETY: the block owns these two words (`new`); nothing reads them after this.
        unsafe {
            drop(Value::from_bits(self.get(FUNC)));
            drop(Value::from_bits(self.get(GLOBALS)));
            std::alloc::dealloc(self.block.as_ptr(), self.layout);
        }
    }
}

/// The instruction a suspended compiled generator frame resumes at (for
/// `ForeignFrames::suspended_instr`), or None while it runs or for other code.
///
/// # Safety
/// `sf` is the shadow frame of a JIT activation (linked, or a suspended generator's) whose
/// code info is `info`.
pub(super) unsafe fn suspended_instr(info: &JitCodeInfo, sf: *mut ShadowFrame) -> Option<usize> {
    if info.resume_points.is_empty() {
        return None;
    }
    let fp = sf as isize - SHADOW as isize;
    // SAFETY: generator frames keep the flag and the instruction in their exit-pc word.
    let (flag, pc) = unsafe {
        (
            *((fp + GEN_SUSPENDED as isize) as *const u32),
            *((fp + EXIT_PC as isize) as *const u32),
        )
    };
    (flag != 0).then_some(pc as usize)
}

const _: () = assert!(layout::GEN_SUSPENDED == layout::EXIT_PC + 4);
