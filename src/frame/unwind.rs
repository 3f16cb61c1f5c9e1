//! Unwinding foreign (JIT) activations: one cheap step per frame, the frames published together
//! when the unwinding stops (as one segment), and callers' identities settled late.
//!
//! An exception that leaves `N` JIT frames would otherwise give each of them a live lazy record
//! while its callee ends (the callee's `f_back` must name it), end that record when the frame
//! itself ends, and lock the exception once per frame to prepend its entry. Instead, a thread
//! keeps one [`PendingUnwind`]: the *run* of frames that ended by the exception and whose
//! entries are not in its traceback yet, innermost first. [`unwind_foreign`], per frame:
//!
//! 1. **Continue or settle.** If something is pending for another exception or for a caller
//!    that is not this activation, it is settled first ([`settle`]).
//! 2. **Identity.** An activation with a frame object or a lazy record takes the general path:
//!    [`settle`] (a run waiting for this caller gets its identity), its traceback entry, then
//!    [`exit_foreign`](super::exit_foreign).
//! 3. **Append.** Otherwise the frame's final state (code, globals, instruction, its locals
//!    *moved* out: its epilogue finds them `None`) is appended to the run. The first frame of a
//!    run chains `__context__` if the traceback is still empty, as a fresh raise does.
//! 4. **Caller.** If the caller is a JIT activation nothing observed yet, the run waits for it:
//!    the caller gets `OBSERVED`, so it cannot end, be suspended, deoptimized or observed
//!    without settling. Otherwise the run is settled at once.
//!
//! A frame that continues a run with its callee's code and globals (a recursion unwinding) is
//! the common case: its JIT reads the frame's state itself and takes steps 3 and 4 without
//! the vtable ([`append_to_run`]), or falls back to [`unwind_foreign`]. This crate's JIT goes
//! further and compiles those two steps into each frame's error path ([`RunAbi`]: the run's
//! fields at fixed offsets, appended in place), calling neither while the run's chunks have
//! room and the caller can wait.
//!
//! [`publish`] moves the run into one [`Segment`] (no record per frame: they are built when a
//! frame is read) and puts the entry of its outermost frame in front of the exception's
//! traceback, under one lock (the next entries are built as `tb_next` is read, see
//! `traceback.rs`). The segment's outermost frame's `f_back` is the run's caller,
//! whose identity may not exist yet: the segment waits as the *claim*, settled by [`settle`],
//! which builds the caller's identity.
//!
//! Invariants, while anything is pending (a run or a claim):
//! - the caller is linked on the owning thread's stack, a JIT activation with `OBSERVED`;
//! - every operation that creates, ends or moves an activation's identity settles first
//!   (`lazy_frame_of`, materialization, `exit_foreign`, `transfer_foreign`, suspension,
//!   reading a lazy record); settling early is always correct;
//! - nobody can read the exception's traceback while its run is unpublished: the run only
//!   grows while JIT frames unwind with no code of their own running, and every way out of
//!   that (a handler's entry, a JIT-to-runtime return with the exception: `publish` there)
//!   publishes or settles first.
//!
//! Another thread that reads the exception while this one is still unwinding it (it would need
//! the exception object while it is in flight) sees the entries published so far, and an
//! `f_back` of None where a claim is pending.

use super::activation::Activation;
use super::chunked::Chunked;
use super::lazy::Back;
use super::segment::{Run, Segment, Site};
use super::walk::{exit_foreign, lazy_frame_of};
use crate::object::{PyErr, Value};
use crate::shadow::{Kind, ShadowFrame, Tag};
use crate::thread::ThreadState;
use std::cell::{Cell, UnsafeCell};
use std::mem::{offset_of, size_of};
use std::sync::Arc;

/// A thread's unwinding state (see the module docs). Only its owning thread touches it, through
/// [`PendingUnwind::borrow_mut`], or compiled code through [`RunAbi`] while no borrow is live.
#[derive(Default)]
pub(crate) struct PendingUnwind {
    /// Set while a borrow is live (a `RefCell`'s flag, at an offset compiled code can test).
    busy: Cell<bool>,
    state: UnsafeCell<Pending>,
}

// SAFETY: the state is only read and written by the thread that owns the `ThreadState` (the
// `caller` pointer is compared and dereferenced only there); the values it holds are `Send`.
unsafe impl Send for PendingUnwind {}

/// The one live borrow of a [`PendingUnwind`].
struct Borrow<'a>(&'a PendingUnwind);

impl PendingUnwind {
    /// The state, exclusively (a second borrow panics, as a `RefCell`'s would).
    fn borrow_mut(&self) -> Borrow<'_> {
        assert!(
            !self.busy.replace(true),
            "the unwinding state is already borrowed"
        );
        Borrow(self)
    }
}

impl std::ops::Deref for Borrow<'_> {
    type Target = Pending;

    fn deref(&self) -> &Pending {
        // SAFETY: `busy` makes this the only borrow (and compiled code tests it too).
        unsafe { &*self.0.state.get() }
    }
}

impl std::ops::DerefMut for Borrow<'_> {
    fn deref_mut(&mut self) -> &mut Pending {
        // SAFETY: as in `deref`.
        unsafe { &mut *self.0.state.get() }
    }
}

impl Drop for Borrow<'_> {
    fn drop(&mut self) {
        self.0.busy.set(false);
    }
}

#[repr(C)]
struct Pending {
    /// The ended frames not yet in `err`'s traceback, innermost first.
    run: Run,
    /// The caller of the run's outermost frame (or of the claim's frame): meaningful while
    /// the run is not empty or a claim is pending.
    caller: *mut ShadowFrame,
    /// The word of `err`'s exception, 0 while `err` is None.
    err_bits: usize,
    /// The exception the run's frames ended by (Some while the run is not empty).
    err: Option<PyErr>,
    /// A published segment whose outermost frame's `f_back` is the run's innermost frame
    /// (once published), or `caller` when the run is empty.
    claim: Option<Arc<Segment>>,
}

impl Pending {
    /// Sets (or clears) the run's exception.
    fn set_err(&mut self, err: Option<PyErr>) {
        self.err_bits = err.as_ref().map_or(0, |e| e.value().bits());
        self.err = err;
    }
}

/// Where a JIT's compiled unwind step finds the pending run, as offsets from the thread's
/// `ThreadState`: what [`append_to_run`] does for a recursion, done in place, for a frame that
/// meets all of
/// 1. the state is not borrowed (`BUSY` byte 0);
/// 2. the run waits for this frame (`CALLER` is its shadow frame) and for this exception
///    (`ERR_BITS` is the pending exception's word, never 0);
/// 3. the frame's code and globals are the last frame's (`LAST_CODE_ADDR`, `LAST_GLOBALS_BITS`);
/// 4. the frame has no identity (not `MATERIALIZED`, lazy-record word 0), and its caller is a
///    JIT activation without one either (kind bits `JIT`, lazy-record word 0), so the run can
///    wait for it;
/// 5. one [`Site`](super::segment::Site) fits before `SITES_END`, and the frame's locals
///    before `LOCALS_END`.
///
/// Then the step writes the `Site` (`pc`, and `group` = `LAST_GROUP`) at `SITES_CUR` and the
/// locals, moved, at `LOCALS_CUR`, advances both cursors and both lengths, tags the frame
/// `OWNED_BY_JIT | JIT`, sets `CALLER` to its caller and tags the caller `OBSERVED`. Anything
/// else takes the helper, which does all of it in Rust.
pub(crate) struct RunAbi;

const fn pending(field: usize) -> i32 {
    (offset_of!(ThreadState, unwind) + offset_of!(PendingUnwind, state) + field) as i32
}

const fn run(field: usize) -> i32 {
    pending(offset_of!(Pending, run) + field)
}

impl RunAbi {
    pub const BUSY: i32 =
        (offset_of!(ThreadState, unwind) + offset_of!(PendingUnwind, busy)) as i32;
    pub const CALLER: i32 = pending(offset_of!(Pending, caller));
    pub const ERR_BITS: i32 = pending(offset_of!(Pending, err_bits));
    pub const LAST_CODE_ADDR: i32 = run(offset_of!(Run, last_code_addr));
    pub const LAST_GLOBALS_BITS: i32 = run(offset_of!(Run, last_globals_bits));
    /// A `u32`.
    pub const LAST_GROUP: i32 = run(offset_of!(Run, last_group));
    pub const SITES_CUR: i32 = run(offset_of!(Run, sites) + offset_of!(Chunked<Site>, cur));
    pub const SITES_END: i32 = run(offset_of!(Run, sites) + offset_of!(Chunked<Site>, end));
    pub const SITES_LEN: i32 = run(offset_of!(Run, sites) + offset_of!(Chunked<Site>, len));
    pub const LOCALS_CUR: i32 = run(offset_of!(Run, locals) + offset_of!(Chunked<Value>, cur));
    pub const LOCALS_END: i32 = run(offset_of!(Run, locals) + offset_of!(Chunked<Value>, end));
    pub const LOCALS_LEN: i32 = run(offset_of!(Run, locals) + offset_of!(Chunked<Value>, len));
    /// Bytes of a `Site`, and the offsets of its fields (`u32`s).
    pub const SITE_SIZE: i32 = size_of::<Site>() as i32;
    pub const SITE_PC: i32 = offset_of!(Site, pc) as i32;
    pub const SITE_GROUP: i32 = offset_of!(Site, group) as i32;
}

impl Default for Pending {
    fn default() -> Pending {
        Pending {
            run: Run::default(),
            caller: std::ptr::null_mut(),
            err_bits: 0,
            err: None,
            claim: None,
        }
    }
}

impl Drop for PendingUnwind {
    fn drop(&mut self) {
        let p = self.state.get_mut();
        debug_assert!(
            p.run.is_empty() && p.claim.is_none(),
            "a thread ended with an unwind pending"
        );
    }
}

/// Publishes the thread's pending run, if any: its frames become one segment and their
/// traceback entries go into its exception; the caller's identity stays pending (the claim).
/// What the runtime calls where an exception comes out of JIT code into code that may read its
/// traceback.
pub(crate) fn publish(ts: &ThreadState) {
    let mut guard = ts.unwind.borrow_mut();
    let p = &mut *guard;
    if p.run.is_empty() {
        return;
    }
    let err = p.err.take().expect("a run has its exception");
    p.set_err(None);
    let segment = Segment::new(std::mem::take(&mut p.run));
    let n = segment.len();
    super::traceback::prepend_segment(&err, &segment);
    // The previous claim's frame was the callee of the innermost one; the segment's outermost
    // frame waits for the caller now.
    if let Some(inner) = p.claim.replace(segment.clone()) {
        inner.settle_back(Back::Segment {
            index: (n - 1) as u32,
            segment,
        });
    }
}

/// Settles everything pending on this thread: the run is published, and the claim gets its
/// caller's identity (built now if needed) as its `f_back`.
pub(crate) fn settle(ts: &ThreadState) {
    {
        let p = ts.unwind.borrow_mut();
        if p.run.is_empty() && p.claim.is_none() {
            return;
        }
    }
    publish(ts);
    let (claim, caller) = {
        let mut p = ts.unwind.borrow_mut();
        (
            p.claim.take(),
            std::mem::replace(&mut p.caller, std::ptr::null_mut()),
        )
    };
    if let Some(segment) = claim {
        // SAFETY: the module invariant: a claimed caller is linked on this thread's stack.
        // `lazy_frame_of` settles again first: nothing is pending any more.
        let back = unsafe { lazy_frame_of(ts, caller) };
        segment.settle_back(back);
    }
}

/// The foreign activation of `sf` fails at instruction `pc` with `err` and no handler of its
/// own: record its traceback entry (chaining `__context__` first through `chain` if the
/// traceback is still empty, as [`add_traceback_entry_chained`](super::add_traceback_entry_chained))
/// and end it, in the steps of the module docs. What a JIT's error path calls instead of
/// recording the entry and then finding `OBSERVED` in its epilogue: afterwards the shadow
/// frame's tag bits are clear and its locals `None`.
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
        // Step 1: what is pending must be ours to continue.
        let continues = {
            let p = ts.unwind.borrow_mut();
            if p.run.is_empty() && p.claim.is_none() {
                Some(false)
            } else if p.caller == sf && p.err.as_ref().is_none_or(|e| e.value().is(err.value())) {
                Some(!p.run.is_empty())
            } else {
                None
            }
        };
        let continues = match continues {
            Some(c) => c,
            None => {
                settle(ts);
                false
            }
        };
        // Step 2.
        if (*sf).kind() == Kind::Materialized || *vt.lazy_slot(sf) != 0 {
            let identity = lazy_frame_of(ts, sf);
            super::add_traceback_entry_chained(err, identity, vt.code(sf), pc, chain);
            exit_foreign(ts, sf, pc);
            return;
        }
        // Step 3. A run's first frame chains a fresh exception (its entries come later).
        if !continues && super::traceback::is_empty(err) {
            chain();
        }
        // Nothing to hand off at exit: the run has it all.
        (*sf).data = (Tag::OWNED_BY_JIT | Tag::JIT).bits();
        let prev = (*sf).prev;
        {
            let mut p = ts.unwind.borrow_mut();
            if p.run.is_empty() {
                p.set_err(Some(err.clone()));
            }
            p.run.push(vt, sf, pc);
            p.caller = prev;
        }
        // Step 4.
        if unclaimed(prev) {
            (*prev).data |= Tag::OBSERVED.bits();
        } else {
            settle(ts);
        }
    }
}

/// What an ending foreign activation shows of itself to [`append_to_run`]: read by its own JIT,
/// which knows its frame layout, instead of through the vtable.
pub(crate) struct Ending<'a> {
    /// Its code's address ([`ForeignFrames::code_addr`](super::ForeignFrames::code_addr)).
    pub code_addr: usize,
    /// Its globals' word ([`ForeignFrames::globals_bits`](super::ForeignFrames::globals_bits)).
    pub globals_bits: usize,
    /// Its locals, moved out (left `None`) if the frame is appended.
    pub locals: &'a mut [Value],
}

/// [`unwind_foreign`]'s most common case, without the vtable for the frame itself: a run of
/// the exception whose word is `err_bits` waits for `sf` (its callee ended by it), and `sf`
/// shares the code and globals of that callee (a recursion). Then `sf` joins the run (steps
/// 3 and 4 of the module docs, with nothing to settle or chain first) and this returns true.
/// Otherwise it does nothing and returns false: the caller takes [`unwind_foreign`].
///
/// # Safety
/// As for [`unwind_foreign`]; `frame` is `sf`'s own state, and `sf` has no identity yet (it
/// is not materialized and its lazy-record word is 0).
pub(crate) unsafe fn append_to_run(
    ts: &ThreadState,
    sf: *mut ShadowFrame,
    pc: usize,
    err_bits: usize,
    frame: Ending<'_>,
) -> bool {
    let mut p = ts.unwind.borrow_mut();
    let waits = p.caller == sf && p.err_bits == err_bits;
    if !waits
        || !p
            .run
            .push_same(frame.code_addr, frame.globals_bits, pc, frame.locals)
    {
        return false;
    }
    // SAFETY (the shadow frames): the caller's contract; `prev` is null or linked below `sf`.
    unsafe {
        (*sf).data = (Tag::OWNED_BY_JIT | Tag::JIT).bits();
        let prev = (*sf).prev;
        p.caller = prev;
        drop(p);
        if unclaimed(prev) {
            (*prev).data |= Tag::OBSERVED.bits();
        } else {
            settle(ts);
        }
    }
    true
}

/// Is `sf` a JIT activation with no identity yet (a run can wait for it)?
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
