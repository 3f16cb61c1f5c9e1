//! Helpers of errors and frame exits, all leaf calls: recording a failing instruction's
//! traceback entry, ending an activation that an exception leaves (`frame::unwind_foreign`, or
//! `frame::append_to_run` for a recursion unwinding), the recursion-limit and unbound-local
//! errors, and the hand-off of a materialized or observed activation's final state.
//!
//! Same conventions as the parent module (`ts` first, popped values consumed, 0 with the
//! exception pending on error, bodies under `catch_unwind`; a panic that cannot become a
//! Python error here aborts).

use super::{guarded, own, tstate};
use crate::frame::{add_traceback_entry_chained, lazy_frame_of};
use crate::jit::state;
use crate::jit::walk::caller_anchor;
use crate::jit::JitCodeInfo;
use crate::object::PyErr;
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The thread's pending exception, borrowed from its slot (which keeps its reference: no
/// clone, no release), or None if nothing is pending.
fn pending_borrowed() -> Option<std::mem::ManuallyDrop<PyErr>> {
    let st = state::current();
    // SAFETY: the pending slot is this thread's; the exception stays owned by it.
    let bits = unsafe { (*st).pending };
    // SAFETY: a nonzero slot holds an owned exception word; the handle is never dropped.
    (bits != 0).then(|| std::mem::ManuallyDrop::new(PyErr::from_value(unsafe { own(bits) })))
}

/// The instruction `pc` of the activation of `info` (shadow frame `sf`) failed with the pending
/// exception, which now unwinds to a handler of this frame or leaves it: chain `__context__`
/// and add this frame's traceback entry, as the interpreter's unwinder does for a fresh error.
/// The entry refers to the activation through its lazy record, so no frame object is built
/// unless `tb_frame` is read. Leaf; returns nothing.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state; `sf` is the caller's linked shadow
/// frame).
pub unsafe extern "C" fn jit_record_error(
    ts: *mut ThreadState,
    info: *const JitCodeInfo,
    pc: usize,
    sf: *mut ShadowFrame,
) {
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: called by JIT code with its thread state and its own (live) code info.
        let (ts, info) = unsafe { (tstate(ts), &*info) };
        let Some(e) = pending_borrowed() else {
            return;
        };
        // SAFETY: `sf` is the failing activation's own linked shadow frame, on this thread.
        let identity = unsafe { lazy_frame_of(ts, sf) };
        // `__context__` chaining runs when the traceback is still empty (a fresh raise).
        add_traceback_entry_chained(&e, identity, info.code.arc(), pc, || {
            crate::interp::set_context(ts, &e)
        });
    }));
    if r.is_err() {
        std::process::abort();
    }
}

/// The instruction `pc` of the activation of shadow frame `sf` failed with the pending
/// exception `pending` (the raw word of the thread's pending slot, which keeps it) and no
/// handler of the frame covers it: record the frame's traceback entry (with `__context__`
/// chaining for a fresh error) and end the activation in one step (`frame::unwind_foreign`,
/// or `frame::append_to_run` for a recursion unwinding). Its locals move into its lazy record
/// or its run: the epilogue finds them `None` and its tag bits clear. Leaf; returns nothing.
///
/// # Safety
/// Called by JIT code only, from the error ladder's last rung, under the conventions of the
/// module docs (`ts` is the running thread's state; `sf` is the caller's linked shadow frame,
/// about to end; `pending` is the pending slot's word).
pub unsafe extern "C" fn jit_unwind_exit(
    ts: *mut ThreadState,
    pc: usize,
    sf: *mut ShadowFrame,
    pending: usize,
) {
    if pending == 0 {
        return;
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: called by JIT code with its thread state; `sf` is the failing activation's
        // own linked shadow frame, on this thread, and it ends: its epilogue only drops its
        // (now moved) locals and unlinks.
        unsafe {
            let ts = tstate(ts);
            // A recursion unwinding: the frame joins its callee's run without the vtable.
            if let Some(ending) = crate::jit::frames::ending(sf) {
                if crate::frame::append_to_run(ts, sf, pc, pending, ending) {
                    return;
                }
            }
            // The slot keeps its reference: this handle is never dropped.
            let e = std::mem::ManuallyDrop::new(PyErr::from_value(own(pending)));
            crate::frame::unwind_foreign(ts, sf, pc, &e, || crate::interp::set_context(ts, &e))
        };
    }));
    if r.is_err() {
        // The lazy record may hold half the frame's state: no safe way on.
        eprintln!("shadowframe: fatal: panic while a JIT frame unwound");
        std::process::abort();
    }
}

/// The prologue found the recursion limit (or the native stack) exhausted: drop the `n` bound
/// arguments at `args` and fail with RecursionError. Leaf; returns 0.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_recursion_error(
    _ts: *mut ThreadState,
    args: *const usize,
    n: usize,
) -> usize {
    guarded(|| {
        for i in 0..n {
            // SAFETY: the prologue hands over `n` owned argument words.
            drop(unsafe { own(*args.add(i)) });
        }
        Err(crate::interp::recursion_error())
    })
}

/// Fails with UnboundLocalError for local `i` of the code of `info`. Returns 0.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_unbound_local(
    _ts: *mut ThreadState,
    info: *const JitCodeInfo,
    i: usize,
) -> usize {
    guarded(|| {
        // SAFETY: JIT code passes its own live code info.
        let code = unsafe { &(*info).code };
        Err(crate::interp::unbound_local(code, i as u32))
    })
}

/// The epilogue found the activation materialized or observed: hand its final state (locals,
/// exit instruction, the caller's identity) to its frame object and lazy record before the
/// locals are dropped. Leaf (it runs no Python code and does not walk the stack).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state; `sf` is the caller's linked shadow
/// frame, about to be popped).
pub unsafe extern "C" fn jit_materialized_exit(
    ts: *mut ThreadState,
    sf: *mut ShadowFrame,
    pc: usize,
) {
    #[cfg(test)]
    MATERIALIZED_EXITS.with(|m| m.borrow_mut().push((sf as usize, pc)));
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: JIT code passes its thread state and its own linked shadow frame, which ends.
        unsafe { crate::frame::exit_foreign(tstate(ts), sf, pc) }
    }));
    if r.is_err() {
        // The frame object would keep pointing into a dead native frame: no safe way on.
        eprintln!("shadowframe: fatal: panic while a JIT frame handed off its state");
        std::process::abort();
    }
}

/// The epilogue of the activation at `fp`, already unlinked from the shadow stack, released a
/// local that left work for a safepoint (a generator's `finally`, `jit_decref`): serve it now,
/// anchored where the caller is blocked (its call site, or the interrupted segment's anchor if
/// the caller is the entry trampoline), as the caller's own poll after the call would be: the
/// native frame at `fp` answers for no shadow frame any more. Leaf; returns nothing.
///
/// # Safety
/// Called by JIT code only, from the epilogue of the live native frame `fp` on this thread,
/// under the conventions of the module docs.
pub unsafe extern "C" fn jit_return_poll(ts: *mut ThreadState, fp: usize) {
    let jit = state::current();
    // SAFETY: our own thread's JIT state, which no one else writes while we run; the native
    // frame at `fp` is alive (its epilogue calls us) and its segment's entry trampoline is
    // below it, so `caller_anchor` reads live words.
    let saved = unsafe {
        let saved = ((*jit).last_pc, (*jit).last_fp, (*jit).entry_fp);
        ((*jit).last_pc, (*jit).last_fp, (*jit).entry_fp) = caller_anchor(fp, saved.2);
        saved
    };
    // SAFETY: the running thread's state; the stack is walkable from the anchor just set.
    unsafe { super::jit_safepoint(ts) };
    // SAFETY: as above; the epilogue goes on as the activation it was.
    unsafe { ((*jit).last_pc, (*jit).last_fp, (*jit).entry_fp) = saved };
}

#[cfg(test)]
thread_local! {
    /// `(shadow frame, exit pc)` of every materialized hand-off on this thread (tests only).
    pub(crate) static MATERIALIZED_EXITS: std::cell::RefCell<Vec<(usize, usize)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}
