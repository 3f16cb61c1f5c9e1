//! Handshakes: running an operation on another thread's state without stopping the world.
//!
//! Job: let one thread (the *requester*) read or materialize the frames of another (the
//! *target*) while both run in parallel with no GIL. Shadow frames live on native stacks, which
//! no epoch can protect, so the target's stack is only ever read while the target cannot change
//! it: either the target runs the operation itself at a *safepoint*, or the target is
//! *detached* (blocked in `time.sleep`, `join`, `Lock.acquire`, `Event.wait`, or waiting for a
//! handshake of its own) and *held*: the requester runs the operation holding the target's
//! control lock, which the target needs to re-attach.
//!
//! The protocol, in steps (`run_on`):
//!
//! 1. If the target is the requester itself, run the operation directly.
//! 2. The requester *detaches itself* first, so that a third thread, or the target, that wants
//!    a handshake on the requester meanwhile is served instead of deadlocking on it.
//! 3. It locks the target's control block. If the target exited (`ts` is null), there is
//!    nothing to do. If the target is detached, the requester runs the operation on the
//!    target's state under the lock (the target cannot re-attach until it is released) and is
//!    done.
//! 4. Otherwise it queues the operation, sets the target's `poll` byte, and waits on the
//!    target's condition variable until the operation is done.
//! 5. The target polls the byte at every safepoint (in JIT code: function entry, loop heads,
//!    return from a runtime call; in the interpreter: frame entry and taken jumps, which
//!    include every loop back-edge), which costs a load and a not-taken branch. When it is set, the target takes the queue
//!    under the lock, runs the operations on its own state (its stack is consistent there: JIT
//!    activations are anchored by the runtime-call trampoline), marks them done under the lock
//!    and notifies.
//! 6. If instead the target detaches while an operation is queued, detaching notifies; the
//!    waiting requester wakes, finds it detached, takes its operation out of the queue and runs
//!    it as in step 3. If the target exits, its exit path runs whatever is queued (on an empty
//!    stack) before it marks itself exited. So whoever removes an operation from the queue runs
//!    it, and every operation is done exactly once before its requester returns.
//! 7. The requester re-attaches (step 2): it locks its own control block, which waits while
//!    someone else is running an operation on it.
//!
//! Deadlock freedom: a thread holds at most one control lock at a time, and never while it
//! waits for another thread, except that the requester of step 3 runs the operation under the
//! target's lock; operations only build frame objects and read frames (no Python code, no
//! blocking, no other control lock). A requester always waits detached, so two threads asking
//! for each other's frames serve each other. A target blocked on a lock held by the requester
//! is detached, so step 3 applies.
//!
//! Orderings: `poll` is a hint. Requesters store 1 under the control lock; the owner's fast path
//! loads it Relaxed (a stale 0 only delays the handshake to a later safepoint) and its slow path
//! takes the lock, which orders everything the requester queued before it. All other shared
//! state is under the control lock.

use super::registry::{Ctl, ThreadEntry};
use super::ThreadState;
use parking_lot::{Mutex, MutexGuard};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

type Job = Box<dyn FnOnce(&mut ThreadState) + Send + 'static>;

/// A queued handshake operation.
pub(crate) struct Op {
    job: Mutex<Option<Job>>,
    /// Set under the target's control lock once the job ran (or was dropped).
    done: AtomicBool,
}

impl Op {
    /// Runs the job on `ts` (once; later calls do nothing).
    fn run(&self, ts: &mut ThreadState) {
        let job = self.job.lock().take();
        if let Some(job) = job {
            job(ts);
        }
    }
}

/// Is a handshake pending for this thread? (The fast path of every safepoint.)
#[inline(always)]
pub fn poll_pending(ts: &ThreadState) -> bool {
    // Relaxed: see the module docs ("Orderings").
    ts.poll.load(Ordering::Relaxed) != 0
}

/// A safepoint: serves pending handshakes. The caller's stack must be consistent (every frame
/// linked, interpreter frames' `pc` current, JIT frames anchored).
#[inline(always)]
pub fn safepoint(ts: &mut ThreadState) {
    if poll_pending(ts) {
        serve(ts);
    }
}

/// Step 5 of the protocol: runs the queued operations on our own state.
#[cold]
#[inline(never)]
pub fn serve(ts: &mut ThreadState) {
    let Some(entry) = ts.entry.clone() else {
        ts.poll_served();
        return;
    };
    let ops = {
        let mut c = entry.ctl.lock();
        ts.poll_served();
        std::mem::take(&mut c.queue)
    };
    // Objects other threads released to us (`object::rc`), after clearing the byte: one
    // queued from now on sets it again.
    if let Some(o) = &ts.ownership {
        o.drain();
    }
    if ops.is_empty() {
        return;
    }
    for op in &ops {
        op.run(ts);
    }
    let _c = entry.ctl.lock();
    for op in &ops {
        op.done.store(true, Ordering::Relaxed);
    }
    entry.cv.notify_all();
}

/// Marks this thread detached: until [`attach`], it touches neither its state nor its stack,
/// and handshakes on it are run by their requesters.
pub fn detach(ts: &mut ThreadState) {
    if let Some(entry) = &ts.entry {
        let mut c = entry.ctl.lock();
        debug_assert!(!c.detached, "nested detach");
        c.detached = true;
        if !c.queue.is_empty() {
            // Step 6: waiting requesters run their operations themselves now.
            entry.cv.notify_all();
        }
    }
}

/// Re-attaches after [`detach`]: waits while a requester is running an operation on us.
pub fn attach(ts: &mut ThreadState) {
    if let Some(entry) = ts.entry.clone() {
        entry.ctl.lock().detached = false;
        safepoint(ts);
    }
}

/// Runs `f` detached: for blocking calls that must not hold up handshakes. `f` must not touch
/// the thread state (it does not get it), nor clone or drop a `Value`: the thread's ownership
/// of its objects is parked meanwhile, so that other threads free them at once
/// (`object::rc::Ownership::park`).
pub fn blocking<R>(ts: &mut ThreadState, f: impl FnOnce() -> R) -> R {
    if let Some(o) = &ts.ownership {
        o.park();
    }
    detach(ts);
    let r = f();
    if let Some(o) = &ts.ownership {
        o.unpark();
    }
    attach(ts);
    r
}

/// Runs the queued operation of a detached target under its lock (step 3 / 6).
fn run_held(c: &mut MutexGuard<'_, Ctl>, op: &Op) {
    // SAFETY: `ts` is non-null (checked by the caller under this lock) and the target is
    // detached: it does not touch its state until it re-attaches, which needs the lock we hold.
    let target = unsafe { &mut *c.ts };
    op.run(target);
    op.done.store(true, Ordering::Relaxed);
}

/// Runs `f` on `target`'s thread state, at a safepoint of that thread or while it is detached
/// and held (the protocol of the module docs). `None` if the thread exited first.
///
/// `f` must not block, run Python code or start handshakes of its own.
pub fn run_on<R: Send>(
    ts: &mut ThreadState,
    target: &Arc<ThreadEntry>,
    f: impl FnOnce(&mut ThreadState) -> R + Send,
) -> Option<R> {
    // Step 1.
    if ts.entry.as_ref().is_some_and(|e| Arc::ptr_eq(e, target)) {
        return Some(f(ts));
    }
    let mut out: Option<R> = None;
    let slot = SendPtr(&mut out as *mut Option<R>);
    let job: Box<dyn FnOnce(&mut ThreadState) + Send + '_> = Box::new(move |t| {
        let slot = slot;
        // SAFETY: `out` outlives the job: `run_on` does not return before the job ran or was
        // dropped (step 6), and only the job writes it meanwhile.
        unsafe { *slot.0 = Some(f(t)) };
    });
    // SAFETY: only the lifetime is extended. The job borrows `f`'s captures and `out`, all of
    // which outlive it: `run_on` waits until `done` (set after the job ran or was dropped) or
    // takes the job back before returning, so the job never runs or exists past this frame.
    let job: Job =
        unsafe { std::mem::transmute::<Box<dyn FnOnce(&mut ThreadState) + Send + '_>, Job>(job) };
    let op = Arc::new(Op {
        job: Mutex::new(Some(job)),
        done: AtomicBool::new(false),
    });
    // Step 2.
    detach(ts);
    {
        let mut c = target.ctl.lock();
        if c.ts.is_null() {
            // Step 3: exited.
        } else if c.detached {
            run_held(&mut c, &op);
        } else {
            // Step 4.
            c.queue.push(op.clone());
            // SAFETY: `ts` is non-null under the lock, so the state is alive; the poll byte
            // and the stack word are atomics that their owner expects others to store to.
            unsafe { super::state::ask_poll(&(*c.ts).poll, &(*c.ts).stack_trip) };
            while !op.done.load(Ordering::Relaxed) {
                if c.detached && !c.ts.is_null() {
                    // Step 6: take it back and run it ourselves.
                    if let Some(i) = c.queue.iter().position(|o| Arc::ptr_eq(o, &op)) {
                        c.queue.remove(i);
                        run_held(&mut c, &op);
                        break;
                    }
                }
                target.cv.wait(&mut c);
            }
        }
    }
    // The job is gone (ran, or never queued): drop it now if it did not run.
    drop(op.job.lock().take());
    // Step 7.
    attach(ts);
    out
}

struct SendPtr<T>(*mut T);
// SAFETY: the pointee is written by exactly one thread (the one running the job) while the
// owner waits, and read by the owner only after the job is done (ordered by the control lock).
unsafe impl<T: Send> Send for SendPtr<T> {}

/// The exit path of a registered thread (called by `Registered::drop`, after it left the
/// registry): serve what is queued, then mark the state gone.
pub(crate) fn exit(ts: &mut ThreadState, entry: &Arc<ThreadEntry>) {
    let mut c = entry.ctl.lock();
    let ops = std::mem::take(&mut c.queue);
    for op in &ops {
        // Our own state, on an empty stack: the operations find no frames.
        op.run(ts);
        op.done.store(true, Ordering::Relaxed);
    }
    c.ts = std::ptr::null_mut();
    c.detached = false;
    ts.poll_served();
    entry.cv.notify_all();
}
