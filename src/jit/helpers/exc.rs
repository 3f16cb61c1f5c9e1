//! Helpers of exception handling in compiled code: taking the pending exception into a
//! handler, bare `raise` and `Reraise`, and the `except`/`with` instructions.
//!
//! Same conventions as the parent module (`ts` first, popped values consumed, 0 with the
//! exception pending on error, bodies under `catch_unwind`). Two of them bend convention 3 in a
//! documented way, because a re-raise is not an ordinary failure: [`jit_raise_bare`] reports
//! "re-raise the pending exception" as 1, and [`jit_reraise`] always "fails" with the exception
//! it was given. [`jit_take_pending`] is a leaf.

use super::{borrow, guarded, own, status, tstate, value};
use crate::jit::state;
use crate::object::{PyErr, Value};
use crate::thread::ThreadState;
use std::panic::catch_unwind;

/// Moves the pending exception out of the pending slot (`state::take_pending`) and returns its
/// owned word, for a handler's landing pad to push. Leaf. The handler's frame recorded its
/// traceback entry before the jump here, which published any unwinding run before it
/// (`frame::unwind`): the handler sees a whole traceback.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_take_pending(_ts: *mut ThreadState) -> usize {
    match catch_unwind(|| state::take_pending().into_value().into_bits()) {
        Ok(w) => w,
        // No pending exception at a landing pad: a JIT bug that cannot be reported from here.
        Err(_) => std::process::abort(),
    }
}

/// Bare `raise`: returns 1 with the handled exception (`sys.exception()`) pending for a
/// re-raise (no context, no traceback entry), or 0 with a fresh RuntimeError pending when no
/// exception is being handled.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_raise_bare(ts: *mut ThreadState) -> usize {
    status(|| {
        // SAFETY: `ts` from `r15`.
        let ts = unsafe { tstate(ts) };
        let handled = crate::interp::active_exception(ts)?;
        state::set_pending(handled);
        Ok(())
    })
}

/// `Reraise`: makes `exc` the pending exception (consumes it, and `lasti` when nonzero: the
/// caller has already read the instruction index out of it). Always returns 0.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_reraise(_ts: *mut ThreadState, exc: usize, lasti: usize) -> usize {
    guarded(|| {
        // SAFETY: both popped words are consumed; 0 means "no lasti operand".
        let (exc, lasti) = unsafe { (own(exc), (lasti != 0).then(|| own(lasti))) };
        drop(lasti);
        Err(PyErr::from_value(exc))
    })
}

/// `CheckExcMatch`: borrows `exc` (it stays on the stack), consumes `ty`; returns a bool word.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_check_exc_match(
    _ts: *mut ThreadState,
    exc: usize,
    ty: usize,
) -> usize {
    value(|| {
        // SAFETY: `exc` stays owned by its stack slot; `ty` is consumed.
        let (exc, ty) = unsafe { (borrow(exc), own(ty)) };
        Ok(Value::bool(crate::interp::exception_matches(&exc, &ty)?))
    })
}

/// `BeforeWith`: consumes `mgr`, writes `[mgr.__exit__, mgr.__enter__()]` to `out[0..2]`.
/// Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_before_with(
    ts: *mut ThreadState,
    mgr: usize,
    out: *mut usize,
) -> usize {
    status(|| {
        // SAFETY: `mgr` is consumed; `out` points to two stack slots of the caller.
        let (ts, mgr) = unsafe { (tstate(ts), own(mgr)) };
        let (exit, entered) = crate::interp::before_with(ts, &mgr)?;
        // SAFETY: two writable slots; the first one's previous content (mgr) was consumed.
        unsafe {
            *out = exit.into_bits();
            *out.add(1) = entered.into_bits();
        }
        Ok(())
    })
}

/// `WithExceptStart`: `exit(type(exc), exc, tb)`; borrows both (they stay on the stack).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_with_except_start(
    ts: *mut ThreadState,
    exit: usize,
    exc: usize,
) -> usize {
    value(|| {
        // SAFETY: both words stay owned by their stack slots during the call.
        let (ts, exit, exc) = unsafe { (tstate(ts), borrow(exit), borrow(exc)) };
        crate::interp::with_except_start(ts, &exit, (*exc).clone())
    })
}
