//! `LazyRef`: a counted reference to a [`LazyFrame`], an `Arc` whose count is a plain load and
//! store while the process runs one thread.
//!
//! A frame object that outlives its activation holds its caller's lazy record; a function that
//! returns `sys._getframe()` took and released one on every call, two atomic read-modify-writes
//! of an `Arc` (8% of such a call). The count follows the object locks' mode
//! (`object::lock`, "One thread"): while one thread runs Python code, nobody else reads or
//! writes any count, so `count + 1` stored back is exact; a thread that starts another switches
//! every count to atomic operations first ([`crate::object::lock::share`]), and the new thread
//! sees every plain update made before its start.
//!
//! Invariant: `count` is the number of `LazyRef`s and raw words ([`LazyRef::into_raw`]) of the
//! record; the record is dropped, and its box freed, when it reaches 0 (once: the last one
//! knows it is the last).

use super::LazyFrame;
use crate::object::lock;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicUsize, Ordering};

struct Inner {
    count: AtomicUsize,
    frame: LazyFrame,
}

/// A counted reference to a lazy record (see the module docs).
pub struct LazyRef(NonNull<Inner>);

// SAFETY: the record is `Send + Sync` and the count is maintained atomically whenever more than
// one thread may hold references (module docs).
unsafe impl Send for LazyRef {}
// SAFETY: as above.
unsafe impl Sync for LazyRef {}

/// Counts past this abort, as `Arc`'s do (a leak of that many references is a bug).
const MAX_COUNT: usize = isize::MAX as usize;

impl LazyRef {
    /// A new record, referenced once.
    pub fn new(frame: LazyFrame) -> LazyRef {
        let inner = Box::new(Inner {
            count: AtomicUsize::new(1),
            frame,
        });
        LazyRef(NonNull::from(Box::leak(inner)))
    }

    fn inner(&self) -> &Inner {
        // SAFETY: a `LazyRef` keeps its box alive (module invariant).
        unsafe { self.0.as_ref() }
    }

    /// Adds a reference.
    fn increment(&self) {
        let count = &self.inner().count;
        let old = if lock::shared() {
            // Relaxed, as `Arc::clone`: the new reference is made from one the caller holds.
            count.fetch_add(1, Ordering::Relaxed)
        } else {
            // One thread (module docs).
            let old = count.load(Ordering::Relaxed);
            count.store(old + 1, Ordering::Relaxed);
            old
        };
        if old > MAX_COUNT {
            std::process::abort();
        }
    }

    /// Gives up a reference; true if it was the last.
    fn decrement(&self) -> bool {
        let count = &self.inner().count;
        if lock::shared() {
            // Release, then Acquire by the last one, as `Arc`'s drop: every use of the record
            // through another reference happens before it is dropped.
            if count.fetch_sub(1, Ordering::Release) != 1 {
                return false;
            }
            fence(Ordering::Acquire);
            return true;
        }
        let old = count.load(Ordering::Relaxed);
        count.store(old - 1, Ordering::Relaxed);
        old == 1
    }

    /// The number of references.
    pub fn count(this: &LazyRef) -> usize {
        this.inner().count.load(Ordering::Acquire)
    }

    /// The record's address: its identity.
    pub fn addr(this: &LazyRef) -> usize {
        this.0.as_ptr() as usize
    }

    /// The record, if this is its last reference (none other is left to drop it).
    pub fn into_inner(this: LazyRef) -> Option<LazyFrame> {
        let this = std::mem::ManuallyDrop::new(this);
        if !this.decrement() {
            return None;
        }
        // SAFETY: that was the last reference: nobody else can reach the box, which
        // `LazyRef::new` made.
        let inner = unsafe { Box::from_raw(this.0.as_ptr()) };
        Some(inner.frame)
    }

    /// The reference as a word (a JIT activation's lazy slot), counted until
    /// [`LazyRef::from_raw`] takes it back.
    pub fn into_raw(this: LazyRef) -> usize {
        let this = std::mem::ManuallyDrop::new(this);
        this.0.as_ptr() as usize
    }

    /// Takes back a word of [`LazyRef::into_raw`].
    ///
    /// # Safety
    /// `w` came from `into_raw` and is taken back once.
    pub unsafe fn from_raw(w: usize) -> LazyRef {
        // SAFETY: caller's contract: a nonnull address of a live box.
        LazyRef(unsafe { NonNull::new_unchecked(w as *mut Inner) })
    }

    /// A new reference to the record of a word of [`LazyRef::into_raw`], which stays counted.
    ///
    /// # Safety
    /// `w` came from `into_raw` and was not taken back yet.
    pub unsafe fn clone_raw(w: usize) -> LazyRef {
        // SAFETY: caller's contract; the word's reference keeps the record alive meanwhile.
        let r = std::mem::ManuallyDrop::new(unsafe { LazyRef::from_raw(w) });
        (*r).clone()
    }
}

impl Clone for LazyRef {
    fn clone(&self) -> LazyRef {
        self.increment();
        LazyRef(self.0)
    }
}

impl Drop for LazyRef {
    fn drop(&mut self) {
        if self.decrement() {
            // SAFETY: the last reference: as in `into_inner`.
            drop(unsafe { Box::from_raw(self.0.as_ptr()) });
        }
    }
}

impl std::ops::Deref for LazyRef {
    type Target = LazyFrame;
    fn deref(&self) -> &LazyFrame {
        &self.inner().frame
    }
}

#[cfg(test)]
mod tests {
    use super::LazyRef;
    use crate::frame::LazyFrame;

    #[test]
    fn the_last_reference_frees_the_record_once() {
        let a = LazyFrame::cleared();
        let b = a.clone();
        assert_eq!(LazyRef::count(&a), 2);
        let w = LazyRef::into_raw(b);
        // SAFETY: `w` is counted and not taken back yet.
        let c = unsafe { LazyRef::clone_raw(w) };
        assert_eq!(LazyRef::count(&a), 3);
        assert!(LazyRef::into_inner(c).is_none());
        // SAFETY: taken back once.
        drop(unsafe { LazyRef::from_raw(w) });
        assert_eq!(LazyRef::count(&a), 1);
        assert!(LazyRef::into_inner(a).is_some());
    }

    #[test]
    fn threads_sharing_a_record_count_it_exactly() {
        // Tests run with `SHARED` true: the atomic path.
        let a = LazyFrame::cleared();
        std::thread::scope(|s| {
            for _ in 0..4 {
                let a = &a;
                s.spawn(move || {
                    for _ in 0..10_000 {
                        drop(a.clone());
                    }
                });
            }
        });
        assert_eq!(LazyRef::count(&a), 1);
    }
}
