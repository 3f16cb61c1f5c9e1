//! Owners: the threads that own objects, and the queues of objects waiting for their merge.
//!
//! Job: give each thread that runs Python code an owner id, and carry out rule 4 of the
//! parent module: an object that another thread released while its `shared` count was 0 is
//! queued to its owner, who merges it at its next safepoint ([`Ownership::drain`]).
//!
//! The protocol, in steps:
//! 1. [`Ownership::begin`] takes a new id (ids are never reused) and publishes the thread's
//!    queue in the table of owners, with the address of the poll byte its safepoints test.
//! 2. A releaser that set `QUEUED` ([`queue`]) finds the owner's queue in the table and, under
//!    the queue's lock, pushes the object and sets the poll byte, unless the queue is closed.
//! 3. The owner, at a safepoint, takes the queued objects under the lock and merges each
//!    (`merge_queued`), which releases the queue's reference.
//! 4. When the thread stops owning ([`Ownership`]'s drop), it first gives up its id for the
//!    thread-local one (so it never touches an owned `local` again), then closes its queue and
//!    merges what it held, then leaves the table.
//! 5. A releaser that finds no open queue for the id (the owner is gone: step 4 happened
//!    before, through the lock) merges the object itself: the owner's `local` can no longer
//!    change, and the releaser is the only merger because it is the one that set `QUEUED`.
//!    An orphan is adopted the same way by [`adopt_orphan`], which sets `QUEUED` itself.
//! 6. A releaser that finds the owner *parked* (blocked: `join`, `sleep`, a lock, an event;
//!    [`Ownership::park`]) merges the object itself under the queue's lock, which the owner
//!    needs to unpark, then releases its reference as to any merged object: the object is
//!    freed in the releasing thread, at the release, so what its drop does (a generator's
//!    `finally`, reached through a container) happens where and when CPython would do it.
//!    Only a releaser racing with a *running* owner leaves the free to the owner's next
//!    safepoint. (Objects whose own drop runs code are shared from birth and never queued:
//!    `rc::alloc_with`.)
//!
//! Lock order: the table's lock and a queue's lock are never held together.

use super::{
    decref_shared, flags, header, merge_queued, shared, top, Object, FLAGS_SHIFT, MERGED, OWNER,
};
use super::{NOT_AN_OWNER, QUEUED};
use parking_lot::Mutex;
use std::cell::RefCell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU32, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

/// A thread's queue of objects to merge.
struct Queue {
    state: Mutex<QueueState>,
}

struct QueueState {
    /// False once the owner stopped owning (step 4).
    open: bool,
    /// Object addresses, each with the queue's reference.
    objects: Vec<usize>,
    /// The owner is blocked and counts nothing ([`Ownership::park`]): releasers merge its
    /// objects themselves, under this lock, instead of queuing them.
    parked: bool,
    /// The owner's poll byte (valid while `open`).
    poll: *const AtomicU8,
    /// The owner's stack word, tripped with the byte (valid while `open`).
    trip: *const AtomicUsize,
}

// SAFETY: `poll` is only dereferenced under the lock while `open`, and the owner keeps it
// alive until it closes the queue (`Ownership::begin`'s contract).
unsafe impl Send for QueueState {}

/// The owners that still own: id and queue.
static OWNERS: Mutex<Vec<(u32, Arc<Queue>)>> = Mutex::new(Vec::new());
/// The next id to give (0 is the merged objects' `tid`; `NOT_AN_OWNER` is nobody).
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

fn lookup(tid: u32) -> Option<Arc<Queue>> {
    OWNERS
        .lock()
        .iter()
        .find(|(id, _)| *id == tid)
        .map(|(_, q)| q.clone())
}

thread_local! {
    /// The queue this thread queued to last: a thread that releases many objects of one
    /// owner (a consumer) finds its queue without the table's lock. A closed queue answers
    /// as the table would (step 5), so a stale entry is harmless.
    static LAST: RefCell<Option<(u32, Arc<Queue>)>> = const { RefCell::new(None) };
}

/// The queue of owner `tid`, through this thread's cache.
fn queue_of(tid: u32) -> Option<Arc<Queue>> {
    let cached = LAST
        .try_with(|l| {
            l.borrow()
                .as_ref()
                .and_then(|(id, q)| (*id == tid).then(|| q.clone()))
        })
        .ok()
        .flatten();
    if cached.is_some() {
        return cached;
    }
    let q = lookup(tid)?;
    let _ = LAST.try_with(|l| *l.borrow_mut() = Some((tid, q.clone())));
    Some(q)
}

/// The calling thread's ownership of the objects it creates (steps 1 and 4).
pub struct Ownership {
    id: u32,
    queue: Option<Arc<Queue>>,
    /// Not `Send`: it must end on the thread it began on.
    _thread: PhantomData<*const ()>,
}

impl Ownership {
    /// Makes the calling thread an owner, unless it already is one (then the result owns
    /// nothing and the thread keeps its id) or the ids ran out.
    ///
    /// # Safety
    /// `poll` and `trip` (the thread's poll byte and the stack word its compiled prologues
    /// compare, `thread::ThreadState`) must stay valid until the result is dropped, and the
    /// result must be dropped on the calling thread.
    pub unsafe fn begin(poll: *const AtomicU8, trip: *const AtomicUsize) -> Ownership {
        let none = Ownership {
            id: NOT_AN_OWNER,
            queue: None,
            _thread: PhantomData,
        };
        if OWNER.with(|o| o.get()) != NOT_AN_OWNER {
            return none;
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        if id == 0 || id == NOT_AN_OWNER {
            NEXT_ID.store(NOT_AN_OWNER, Ordering::Relaxed);
            return none;
        }
        let queue = Arc::new(Queue {
            state: Mutex::new(QueueState {
                open: true,
                objects: Vec::new(),
                parked: false,
                poll,
                trip,
            }),
        });
        OWNERS.lock().push((id, queue.clone()));
        OWNER.with(|o| o.set(id));
        Ownership {
            id,
            queue: Some(queue),
            _thread: PhantomData,
        }
    }

    /// The owner id ([`NOT_AN_OWNER`] if this owns nothing): what JIT code compares `tid`s
    /// with.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Declares that this thread is about to block, and until [`Ownership::unpark`] neither
    /// clones nor drops a value it owns: meanwhile, a thread that releases the last reference
    /// it holds to one of our objects merges the object itself (step 6) and frees it at once,
    /// as CPython would, instead of leaving it in our queue until we wake.
    pub fn park(&self) {
        if let Some(q) = &self.queue {
            q.state.lock().parked = true;
        }
    }

    /// Ends [`Ownership::park`] (before this thread counts references again). The lock orders
    /// the merges done meanwhile before our next use of the counts.
    pub fn unpark(&self) {
        if let Some(q) = &self.queue {
            q.state.lock().parked = false;
        }
    }

    /// Merges the objects queued to this thread (step 3). Call on the owning thread, at a
    /// safepoint: freeing an object runs its destructor.
    pub fn drain(&self) {
        let Some(q) = &self.queue else {
            return;
        };
        loop {
            let objects = std::mem::take(&mut q.state.lock().objects);
            if objects.is_empty() {
                return;
            }
            for p in objects {
                // SAFETY: a queued object with the queue's reference (step 2), and we are its
                // owner (or merged it already, leaving `local` 0).
                unsafe { merge_queued(p as *const Object, -1) };
            }
        }
    }
}

/// The calling thread's owner id, lent to a helper thread that works for it while it waits
/// (the compiler's thread: the constants it makes are then owned by the thread that runs the
/// code, not shared for good).
#[derive(Clone, Copy, Debug)]
pub struct Lent(u32);

impl Lent {
    /// The calling thread's id, to lend.
    pub fn of_this_thread() -> Lent {
        Lent(OWNER.with(|o| o.get()))
    }

    /// Runs `f` on the calling thread (which must own nothing) under the lent id, then gives
    /// it back.
    ///
    /// # Safety
    /// The lender must count no reference (clone or drop no `Value`) and must not be parked
    /// from before this call until after it returned (it waits for this thread: a `join`
    /// orders the borrower's counts before the lender's next ones).
    pub unsafe fn run<R>(self, f: impl FnOnce() -> R) -> R {
        struct Back;
        impl Drop for Back {
            fn drop(&mut self) {
                OWNER.with(|o| o.set(NOT_AN_OWNER));
            }
        }
        let mine = OWNER.with(|o| o.replace(self.0));
        debug_assert_eq!(mine, NOT_AN_OWNER, "a borrower that owns objects itself");
        let _back = Back;
        f()
    }
}

impl Drop for Ownership {
    fn drop(&mut self) {
        let Some(q) = self.queue.take() else {
            return;
        };
        // Step 4: from here on, this thread counts its former objects as a stranger.
        OWNER.with(|o| o.set(NOT_AN_OWNER));
        let objects = {
            let mut s = q.state.lock();
            s.open = false;
            std::mem::take(&mut s.objects)
        };
        for p in objects {
            // SAFETY: as in `drain`; `local` is still ours to read: we stopped using it.
            unsafe { merge_queued(p as *const Object, -1) };
        }
        OWNERS.lock().retain(|(id, _)| *id != self.id);
    }
}

/// Step 2: hands the caller's reference to `p` to the queue of its owner `tid`, or merges it
/// (step 5).
///
/// # Safety
/// The caller set `QUEUED` on `p` (rule 4) and gives up its reference.
#[cold]
pub(super) unsafe fn queue(p: *const Object, tid: u32) {
    if let Some(q) = queue_of(tid) {
        let mut s = q.state.lock();
        if s.open && !s.parked {
            s.objects.push(p as usize);
            // SAFETY: `poll` and `trip` are valid while the queue is open
            // (`Ownership::begin`). The byte, then the word, as `thread::ask_poll` stores them.
            unsafe {
                (*s.poll).store(1, Ordering::SeqCst);
                (*s.trip).store(usize::MAX, Ordering::SeqCst);
            }
            return;
        }
        if s.open {
            // Step 6: the owner is parked and cannot unpark while we hold the lock. Merge,
            // keeping our reference (so nothing is freed under the lock)...
            // SAFETY: we set `QUEUED`, and the parked owner does not touch `local`.
            unsafe { merge_queued(p, 0) };
            drop(s);
            // ... then release it as from any thread: the object is merged now.
            // SAFETY: we still hold the reference we came to release.
            unsafe { decref_shared(p) };
            return;
        }
    }
    // SAFETY: the owner is gone (step 5) and we set `QUEUED`: the merge is ours.
    unsafe { merge_queued(p, -1) };
}

/// The strong count of `p`, owned by `tid`, after merging it, if its owner is gone; None if
/// the owner still owns (or another thread is merging it right now).
///
/// # Safety
/// The caller holds a strong reference to `p`.
pub(super) unsafe fn adopt_orphan(p: *const Object, tid: u32) -> Option<i64> {
    if lookup(tid).is_some_and(|q| q.state.lock().open) {
        return None;
    }
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    let mut w = h.word.load(Ordering::Acquire);
    loop {
        match flags(w) {
            MERGED => return Some(shared(w)),
            0 => {}
            _ => return None,
        }
        let claimed = w | QUEUED << FLAGS_SHIFT;
        match h
            .word
            .compare_exchange_weak(w, claimed, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => break,
            Err(cur) => w = cur,
        }
    }
    debug_assert!(top(w) != MERGED);
    // SAFETY: the owner is gone and we set `QUEUED`; the merge keeps our reference (extra 0).
    Some(unsafe { merge_queued(p, 0) })
}
