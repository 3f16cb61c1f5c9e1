//! The registry of threads that run Python code: a lock-free, epoch-reclaimed snapshot list.
//!
//! Job: let any thread enumerate the others (`sys._current_frames`, `threading`) while threads
//! register and exit at any time, without a global lock that a walker and an exiting thread
//! could contend on, and without ever reading freed memory.
//!
//! Design (read-copy-update):
//! 1. The registry is one atomic pointer to an immutable `Vec<Arc<ThreadEntry>>` (a published
//!    *snapshot*).
//! 2. A reader pins the epoch, loads the pointer (Acquire), clones the `Arc`s it wants, and
//!    unpins. The `Arc`s keep the entries alive after the unpin; the vector itself is only read
//!    while pinned.
//! 3. A writer (register / unregister) copies the current vector, edits the copy, and publishes
//!    it with a compare-and-swap (AcqRel); on a lost race it retries with the new current one.
//!    The replaced vector is *retired* with `defer_destroy`: crossbeam-epoch frees it only after
//!    every thread that was pinned when it was unlinked has unpinned.
//!
//! Why a snapshot cannot be freed under a reader: a reader reaches a vector only through the
//! registry pointer while pinned; a writer retires a vector only after unlinking it, and the
//! epoch scheme delays its destruction until all guards that could have loaded it are gone.
//!
//! What the `Arc<ThreadEntry>` does *not* keep alive is the thread's `ThreadState`: that belongs
//! to the thread and dies when it exits. The entry's control block (`ThreadEntry::ctl`)
//! guards the pointer: it is non-null exactly until the owner marks itself exited under the
//! lock, and nobody but the owner dereferences it except under that lock (see `handshake`).

use super::ThreadState;
use crate::object::rc::Ownership;
use crossbeam_epoch::{self as epoch, Atomic, Owned};
use parking_lot::{Condvar, Mutex};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A pending handshake operation (see `handshake`).
pub(crate) type OpRef = Arc<super::handshake::Op>;

/// The shared control state of one registered thread (guarded by [`ThreadEntry::ctl`]).
pub(crate) struct Ctl {
    /// The thread's state; null once it exited.
    pub(crate) ts: *mut ThreadState,
    /// Is the thread detached (blocked outside Python code, its stack frozen)?
    pub(crate) detached: bool,
    /// Handshake operations waiting for the thread's next safepoint.
    pub(crate) queue: Vec<OpRef>,
}

/// One registered thread, shared by the thread and by everyone who looks at it.
pub struct ThreadEntry {
    /// `threading.get_ident()` of the thread (`pthread_self`).
    pub ident: u64,
    pub(crate) ctl: Mutex<Ctl>,
    /// Signalled when an operation of the queue is done, or the thread detaches or exits.
    pub(crate) cv: Condvar,
}

// SAFETY: the raw `ThreadState` pointer in `ctl` is only dereferenced under the mutex by a
// thread that checked it is non-null and that the owner is detached (so the owner does not touch
// it), or by the owner itself; everything else is behind the mutex or immutable.
unsafe impl Send for ThreadEntry {}
// SAFETY: as above.
unsafe impl Sync for ThreadEntry {}

impl ThreadEntry {
    /// Has the thread exited?
    pub fn exited(&self) -> bool {
        self.ctl.lock().ts.is_null()
    }
}

static REGISTRY: Atomic<Vec<Arc<ThreadEntry>>> = Atomic::null();

/// `pthread_self()` of the calling thread, as `threading.get_ident()` answers.
pub fn current_ident() -> u64 {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as u64 }
}

/// Replaces the published snapshot by `edit(current)` (step 3 of the module docs).
fn update(edit: impl Fn(&[Arc<ThreadEntry>]) -> Vec<Arc<ThreadEntry>>) {
    let guard = epoch::pin();
    let mut cur = REGISTRY.load(Ordering::Acquire, &guard);
    loop {
        // SAFETY: a loaded snapshot stays allocated while we are pinned (module docs, step 3).
        let items: &[Arc<ThreadEntry>] = unsafe { cur.as_ref() }.map_or(&[], |v| v.as_slice());
        let next = Owned::new(edit(items));
        // AcqRel: Release publishes the new vector's contents to readers that Acquire-load it;
        // Acquire orders our next attempt after a competing writer's publication.
        match REGISTRY.compare_exchange(cur, next, Ordering::AcqRel, Ordering::Acquire, &guard) {
            Ok(_) => {
                if !cur.is_null() {
                    // SAFETY: `cur` is now unlinked; readers pinned before this point may still
                    // hold it, and the epoch defers its destruction until they unpin.
                    unsafe { guard.defer_destroy(cur) };
                }
                return;
            }
            Err(e) => cur = e.current,
        }
    }
}

/// The registered threads now (clones of their entries, in registration order).
pub fn snapshot() -> Vec<Arc<ThreadEntry>> {
    let guard = epoch::pin();
    let cur = REGISTRY.load(Ordering::Acquire, &guard);
    // SAFETY: the snapshot stays allocated while pinned (module docs, step 2).
    unsafe { cur.as_ref() }.map_or_else(Vec::new, |v| v.clone())
}

/// A `ThreadState` registered for the calling thread: boxed (its address is what the registry
/// and the JIT's pinned register hold), unregistered and marked exited on drop.
pub struct Registered {
    ts: Box<ThreadState>,
}

impl Registered {
    /// Registers a new thread state for the calling thread (attached).
    pub fn new() -> Registered {
        let mut ts = Box::new(ThreadState::new());
        let entry = Arc::new(ThreadEntry {
            ident: current_ident(),
            ctl: Mutex::new(Ctl {
                ts: &mut *ts,
                detached: false,
                queue: Vec::new(),
            }),
            cv: Condvar::new(),
        });
        ts.entry = Some(entry.clone());
        // SAFETY: the poll byte and the stack word are in the boxed state, which outlives the
        // ownership (dropped by `Drop` below, on this thread: a `Registered` is not `Send`).
        let ownership = unsafe { Ownership::begin(&ts.poll, &ts.stack_trip) };
        ts.owner = ownership.id();
        ts.ownership = Some(ownership);
        update(|v| {
            let mut n = v.to_vec();
            n.push(entry.clone());
            n
        });
        // A `sys.setrecursionlimit` that ran since `ThreadState::new` read the limit may have
        // missed this thread (its registry snapshot came first): read it again now that we
        // are registered. The fences pair with `thread::set_recursion_limit`'s: of its store
        // and its snapshot, and our publication and this load, one of the two sides sees the
        // other's write (no store-buffering outcome), so either it refreshes us or we see it.
        std::sync::atomic::fence(Ordering::SeqCst);
        ts.refresh_recursion_limit();
        Registered { ts }
    }
}

impl Default for Registered {
    fn default() -> Self {
        Registered::new()
    }
}

impl std::ops::Deref for Registered {
    type Target = ThreadState;
    fn deref(&self) -> &ThreadState {
        &self.ts
    }
}

impl std::ops::DerefMut for Registered {
    fn deref_mut(&mut self) -> &mut ThreadState {
        &mut self.ts
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let Some(entry) = self.ts.entry.clone() else {
            return;
        };
        // Leave the registry first: new walkers no longer find us.
        update(|v| {
            v.iter()
                .filter(|e| !Arc::ptr_eq(e, &entry))
                .cloned()
                .collect()
        });
        // Then serve what is queued and mark the state gone, under the lock: a requester that
        // found us before we left sees either a served operation or `ts == null`, never a
        // dangling pointer.
        super::handshake::exit(&mut self.ts, &entry);
        self.ts.thread_obj = crate::object::Value::NONE;
        // Last: objects queued to us are merged, and later releases merge by themselves.
        self.ts.owner = crate::object::rc::NOT_AN_OWNER;
        self.ts.ownership = None;
    }
}
