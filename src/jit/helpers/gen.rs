//! Helpers of generator and coroutine code: `yield from`/`await` delegation, the iterator and
//! awaitable checks before it, and the hand-off of a frame's observers when it suspends.
//!
//! Same conventions as the parent module. [`jit_yield_from`] returns two words (`rax:rdx`,
//! which the runtime-call trampoline passes back untouched); [`jit_gen_suspend`] is a leaf.

use super::{borrow, own, tstate, value};
use crate::interp::gen::{awaitable, send_into, yield_from_iter, Step};
use crate::jit::{state, JitCodeInfo};
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What [`jit_yield_from`] did, in `rax:rdx`.
#[repr(C)]
pub struct YieldFromStep {
    /// 0: failed (exception pending). Otherwise, if `yielded`, the owned value the delegate
    /// yielded; if not, 1 (the result is already in the delegate's slot).
    pub value: usize,
    /// 1 if the delegate yielded (the frame suspends), 0 if it finished.
    pub yielded: usize,
}

/// `YieldFrom` on the stack slots `slots[0]` = the delegate (borrowed, stays owned by its slot
/// unless it finished) and `slots[1]` = the value to send (consumed). If the delegate yields,
/// returns the yielded value; if it finishes, drops it and writes its result into `slots[0]`.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_yield_from(ts: *mut ThreadState, slots: *mut usize) -> YieldFromStep {
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the two slots are the instruction's inputs, as documented above.
        let (ts, sub, v) = unsafe { (tstate(ts), borrow(*slots), own(*slots.add(1))) };
        match send_into(ts, &sub, v)? {
            Step::Yielded(y) => Ok((y.into_bits(), 1)),
            Step::Returned(r) => {
                // SAFETY: the delegate's slot owned it; the result takes its place.
                unsafe {
                    drop(own(*slots));
                    *slots = r.into_bits();
                }
                Ok((1, 0))
            }
        }
    }));
    let (value, yielded) = match r {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            state::set_pending(e);
            (0, 0)
        }
        Err(p) => {
            state::set_pending(super::panic_error(p));
            (0, 0)
        }
    };
    YieldFromStep { value, yielded }
}

/// `GetYieldFromIter` (consumes `v`): the iterator a `yield from` delegates to, checked against
/// the code of `info` (a coroutine is only delegated to from a coroutine).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs; `info` is the calling
/// activation's code info.
pub unsafe extern "C" fn jit_yield_from_iter(
    ts: *mut ThreadState,
    info: *const JitCodeInfo,
    v: usize,
) -> usize {
    value(|| {
        // SAFETY: consumed input; the info outlives its activation.
        let (ts, info, v) = unsafe { (tstate(ts), &*info, own(v)) };
        yield_from_iter(ts, &info.code, v)
    })
}

/// `GetAwaitable` (consumes `v`).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs.
pub unsafe extern "C" fn jit_get_awaitable(ts: *mut ThreadState, v: usize) -> usize {
    value(|| {
        let _ = ts;
        // SAFETY: consumed input.
        awaitable(unsafe { own(v) })
    })
}

/// A generator activation (shadow frame `sf`, still linked) suspends and someone observed it:
/// hand its frame object and lazy record over to the suspended state
/// (`frame::suspend_foreign`). Its suspended instruction is already in its frame. Leaf.
///
/// # Safety
/// Called by JIT code only, with its thread state and its own linked shadow frame.
pub unsafe extern "C" fn jit_gen_suspend(ts: *mut ThreadState, sf: *mut ShadowFrame) {
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: JIT code passes its thread state and its own linked shadow frame.
        unsafe { crate::frame::suspend_foreign(tstate(ts), sf) }
    }));
    if r.is_err() {
        // A frame object left reading a frame that runs again unannounced: no safe way on.
        eprintln!("shadowframe: fatal: panic while a JIT generator frame suspended");
        std::process::abort();
    }
}
