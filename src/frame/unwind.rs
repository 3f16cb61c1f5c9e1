//! Unwinding foreign (JIT) activations: one step per frame, and callers' identities settled
//! late.
//!
//! An exception that leaves `N` JIT frames would otherwise give each of them a live lazy record
//! while its callee ends (the callee's `f_back` must name it), then end that record when the
//! frame itself ends. [`unwind_foreign`] does both in one step per frame, in this order:
//!
//! 1. **Claim.** If the thread's [`PendingBack`] names this activation as the caller of the
//!    frame that ended just before, that frame's record gets this activation's identity as its
//!    `f_back` (step 3 builds it); any other pending claim is settled first.
//! 2. **Record.** An activation with no frame object and no lazy record gets its record built
//!    already ended: code, globals, the final instruction, and its locals *moved* out (its
//!    epilogue finds them `None`). One that has an identity takes the general path (traceback
//!    entry, then [`exit_foreign`](super::exit_foreign)).
//! 3. **Caller.** If the caller is a JIT activation nothing observed yet, the record's `f_back`
//!    is left for the caller to settle: the thread's [`PendingBack`] names it, and the caller's
//!    shadow frame gets `OBSERVED` so that it cannot end (nor be suspended, deoptimized or
//!    observed) without settling the claim. Otherwise the caller's identity is linked at once.
//!
//! Invariant: while a claim is pending, its caller is linked on the owning thread's stack. Every
//! operation that creates, ends or moves an activation's identity ([`settle`] callers:
//! `lazy_frame_of`, materialization, `exit_foreign`, `transfer_foreign`, suspension, reading a
//! lazy record) settles the claim first, and the caller's `OBSERVED` bit sends its epilogue to
//! `exit_foreign`. Settling early is always correct: it builds the caller's live record, as an
//! unwind did before claims existed.
//!
//! Another thread that reads the ended frame's `f_back` while the claim is pending (it would
//! need the exception object while this thread is still unwinding it) sees None.

use super::activation::Activation;
use super::lazy::{Back, Ended, INLINE_LOCALS};
use super::walk::{exit_foreign, lazy_frame_of};
use super::LazyFrame;
use crate::object::{PyErr, Value};
use crate::shadow::{Kind, ShadowFrame, Tag};
use crate::thread::ThreadState;
use smallvec::SmallVec;
use std::cell::Cell;
use std::sync::Arc;

/// A thread's claim, if any: the record of an activation that ended by an exception, whose
/// caller (linked, `OBSERVED`, no identity yet) has not given it its `f_back` yet.
#[derive(Default)]
pub(crate) struct PendingBack(Cell<Option<Claim>>);

struct Claim {
    caller: *mut ShadowFrame,
    record: Arc<LazyFrame>,
}

// SAFETY: the claim is only read and written by the thread that owns the `ThreadState` (the
// `caller` pointer is compared and dereferenced only there).
unsafe impl Send for PendingBack {}

/// Settles the thread's pending claim, if any: the caller's identity (built now if needed)
/// becomes the ended record's `f_back`.
pub(crate) fn settle(ts: &ThreadState) {
    if let Some(c) = ts.unwind.0.take() {
        settle_claim(ts, c);
    }
}

/// Gives the claim's record its caller's identity (built now if needed).
fn settle_claim(ts: &ThreadState, c: Claim) {
    // SAFETY: the module invariant: a claimed caller is linked on this thread's stack.
    let back = unsafe { lazy_frame_of(ts, c.caller) };
    c.record.settle_back(back);
}

/// The foreign activation of `sf` fails at instruction `pc` with `err` and no handler of its
/// own: add its traceback entry (chaining `__context__` first through `chain` if the traceback
/// is still empty, as [`add_traceback_entry_chained`](super::add_traceback_entry_chained)) and
/// end it, in the steps of the module docs. What a JIT's error path calls instead of recording
/// the entry and then finding `OBSERVED` in its epilogue: afterwards the shadow frame's tag bits
/// are clear and its locals `None`.
///
/// # Safety
/// `sf` is the linked foreign activation of the calling thread `ts`, about to end; its locals
/// are in place and nothing borrows them.
pub(crate) unsafe fn unwind_foreign(
    ts: &ThreadState,
    sf: *mut ShadowFrame,
    pc: usize,
    err: &PyErr,
    chain: impl FnOnce(),
) {
    // SAFETY: caller's contract.
    unsafe {
        let Activation::Foreign(_, vt) = Activation::of(sf) else {
            panic!("unwind_foreign of an interpreted activation");
        };
        // Step 1: the callee's claim on us, if it is ours; any other is settled now.
        let claim = match ts.unwind.0.take() {
            Some(c) if c.caller == sf => Some(c.record),
            Some(c) => {
                settle_claim(ts, c);
                None
            }
            None => None,
        };
        // Step 2.
        if (*sf).kind() == Kind::Materialized || *vt.lazy_slot(sf) != 0 {
            let identity = lazy_frame_of(ts, sf);
            if let Some(callee) = claim {
                callee.settle_back(identity.clone());
            }
            super::add_traceback_entry_chained(err, identity, vt.code(sf), pc, chain);
            exit_foreign(ts, sf, pc);
            return;
        }
        // Step 3.
        let prev = (*sf).prev;
        let pending = unclaimed(prev);
        let back = if pending {
            Back::None
        } else {
            lazy_frame_of(ts, prev)
        };
        let code = vt.code(sf);
        let record = LazyFrame::ended(Ended {
            code: code.clone(),
            globals: vt.globals(sf),
            locals: moved(vt.locals(sf)),
            pc,
            back,
        });
        if let Some(callee) = claim {
            callee.settle_back(Back::Lazy(record.clone()));
        }
        // Nothing to hand off at exit: the record has it all.
        (*sf).data = (Tag::OWNED_BY_JIT | Tag::JIT).bits();
        super::add_traceback_entry_chained(err, Back::Lazy(record.clone()), code, pc, chain);
        if pending {
            (*prev).data |= Tag::OBSERVED.bits();
            ts.unwind.0.set(Some(Claim {
                caller: prev,
                record,
            }));
        }
    }
}

/// The final locals, moved out (a plain loop: most frames have a few, kept inline).
fn moved(locals: &mut [Value]) -> SmallVec<[Value; INLINE_LOCALS]> {
    let mut out = SmallVec::with_capacity(locals.len());
    for v in locals {
        out.push(std::mem::take(v));
    }
    out
}

/// Is `sf` a JIT activation with no identity yet (its `f_back` claim can wait)?
///
/// # Safety
/// `sf` is null or linked on the calling thread's stack.
unsafe fn unclaimed(sf: *mut ShadowFrame) -> bool {
    if sf.is_null() {
        return false;
    }
    // SAFETY: caller's contract.
    unsafe {
        match Activation::of(sf) {
            Activation::Foreign(_, vt) => {
                (*sf).kind() != Kind::Materialized && *vt.lazy_slot(sf) == 0
            }
            Activation::Interp(_) => false,
        }
    }
}
