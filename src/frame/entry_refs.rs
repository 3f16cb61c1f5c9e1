//! Traceback entries' references to their segment, taken and given back in bulk.
//!
//! A walk of a 1,000,000-frame traceback builds an entry per frame and later frees them all.
//! Were each entry to hold a strong count of its segment's `Arc`, every entry would cost two
//! atomic read-modify-writes on one contended word. Instead the entries of a segment count
//! themselves in `Segment::entries`, and all of them together hold one strong count:
//!
//! 1. The segment's publication makes its first entry, whose reference ([`take_first`]) takes
//!    `entries` from 0 to 1 and the entries' strong count. Every later batch of `n` entries
//!    built together is built from a live entry of the segment ([`take`]: one atomic add of
//!    `n`), so `entries` is at least 1 then: it never starts from 0 again.
//! 2. Each entry holds one [`EntryRef`]. Dropping it alone subtracts 1.
//! 3. A drop of a chain of entries hands their references to a [`Releases`], which subtracts
//!    once per run of entries of one segment. The subtraction that reaches 0 gives back the
//!    strong count (and may free the segment).
//!
//! Invariant: `entries` is the number of live [`EntryRef`]s of the segment plus the references
//! held by [`Taken`]s and [`Releases`]es, and it is nonzero exactly while the entries hold
//! their strong count.

use super::segment::Segment;
use crate::object::cycles::Edge;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;

/// The count of entry references in a [`Segment`].
#[derive(Default)]
pub(super) struct EntryCount(AtomicUsize);

impl EntryCount {
    /// The count now (for the cycle collector, which runs alone).
    pub(super) fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// The reference of a segment's first entry, made at its publication (module docs, step 1).
pub(super) fn take_first(segment: &Arc<Segment>) -> EntryRef {
    // Relaxed: like `Arc::clone`, a new reference is made from one the caller holds.
    let before = segment.entries().0.fetch_add(1, Ordering::Relaxed);
    assert_eq!(before, 0, "a segment is published once");
    // SAFETY: `segment` is a live `Arc` (borrowed for the call).
    unsafe { Arc::increment_strong_count(Arc::as_ptr(segment)) };
    EntryRef(AtomicPtr::new(Arc::as_ptr(segment) as *mut Segment))
}

/// `n` references to the segment of `of`, taken with one atomic add, to be handed out one per
/// entry; those never handed out are given back on drop.
pub(super) fn take(of: &EntryRef, n: usize) -> Taken<'_> {
    let segment = of.get();
    // Relaxed: as in `take_first`. `of` is live, so the count is not 0 and the entries keep
    // their strong count.
    segment.entries().0.fetch_add(n, Ordering::Relaxed);
    Taken { segment, left: n }
}

/// References taken by [`take`] and not yet handed out.
pub(super) struct Taken<'a> {
    segment: &'a Segment,
    left: usize,
}

impl Taken<'_> {
    /// One of the references.
    pub(super) fn next(&mut self) -> EntryRef {
        assert!(self.left > 0, "more entry references handed out than taken");
        self.left -= 1;
        EntryRef(AtomicPtr::new(
            self.segment as *const Segment as *mut Segment,
        ))
    }
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        if self.left > 0 {
            // SAFETY: the `left` references are ours, taken by `take`.
            unsafe { release(NonNull::from(self.segment), self.left) };
        }
    }
}

/// One traceback entry's reference to its segment. Null only once handed to a [`Releases`]
/// (by the drop of its entry).
pub(super) struct EntryRef(AtomicPtr<Segment>);

impl EntryRef {
    /// The segment.
    pub(super) fn get(&self) -> &Segment {
        // Relaxed: the pointer never changes while the entry is shared (only a drop, which
        // owns the entry, clears it).
        let p = self.0.load(Ordering::Relaxed);
        // SAFETY: a live reference keeps the segment alive (module invariant), and it is not
        // null while anyone but its dropper can see it.
        unsafe { &*p }
    }

    /// The cycle collector's edge for this reference (see `Segment::edge_with_strong`).
    pub(super) fn edge(&self) -> Edge<'_> {
        let segment = self.get();
        // SAFETY: the segment is in an `Arc` (`Segment::new`) that the entries hold a strong
        // count of (module invariant); the borrowed `Arc` is not dropped.
        let arc = std::mem::ManuallyDrop::new(unsafe { Arc::from_raw(segment as *const Segment) });
        segment.edge_with_strong(Arc::strong_count(&arc))
    }
}

impl Drop for EntryRef {
    fn drop(&mut self) {
        if let Some(p) = NonNull::new(*self.0.get_mut()) {
            // SAFETY: this reference is ours, and nobody uses it after the drop.
            unsafe { release(p, 1) };
        }
    }
}

/// References handed in by the drops of a chain of entries, given back once per run of one
/// segment (module docs, step 3); the rest on drop.
#[derive(Default)]
pub(super) struct Releases {
    segment: Option<NonNull<Segment>>,
    n: usize,
}

impl Releases {
    /// Takes the reference of an entry being dropped, which must not use it afterwards.
    pub(super) fn add(&mut self, r: &EntryRef) {
        // Relaxed swap would do as well; a plain load and store (no read-modify-write) suffice
        // because the dropper owns the entry: nobody else reads the pointer now.
        let p = r.0.load(Ordering::Relaxed);
        r.0.store(std::ptr::null_mut(), Ordering::Relaxed);
        let Some(p) = NonNull::new(p) else { return };
        if self.segment != Some(p) {
            self.flush();
            self.segment = Some(p);
        }
        self.n += 1;
    }

    fn flush(&mut self) {
        if let Some(p) = self.segment.take() {
            // SAFETY: the `n` references handed in are ours.
            unsafe { release(p, std::mem::take(&mut self.n)) };
        }
    }
}

impl Drop for Releases {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Gives back `n` references to `segment` (module docs, step 3).
///
/// # Safety
/// The caller owns `n` references to the segment and does not use them afterwards.
unsafe fn release(segment: NonNull<Segment>, n: usize) {
    // SAFETY: the references keep the segment alive until they are given back, here.
    let entries = unsafe { &segment.as_ref().entries().0 };
    // Release: every use of the segment through these references happens before the
    // subtraction; the thread that reaches 0 acquires them all (the fence) before it gives
    // back the strong count, whose own release and acquire order them before the free.
    if entries.fetch_sub(n, Ordering::Release) == n {
        fence(Ordering::Acquire);
        // SAFETY: `entries` reached 0, so the entries' strong count is ours to give back
        // (module invariant); no new reference can be taken from 0 but by the segment's
        // publication, which happened before any entry existed.
        unsafe { Arc::decrement_strong_count(segment.as_ptr() as *const Segment) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(s: &Arc<Segment>) -> usize {
        s.entries().count()
    }

    #[test]
    fn entries_hold_one_strong_count_between_them() {
        let s = Segment::empty_for_tests();
        let first = take_first(&s);
        let mut t = take(&first, 3);
        let (a, b, c) = (t.next(), t.next(), t.next());
        drop(t);
        assert_eq!((Arc::strong_count(&s), entries(&s)), (2, 4));
        drop((first, a));
        let mut rel = Releases::default();
        rel.add(&b);
        rel.add(&c);
        drop((b, c));
        assert_eq!(
            Arc::strong_count(&s),
            2,
            "held until the releases are given back"
        );
        drop(rel);
        assert_eq!((Arc::strong_count(&s), entries(&s)), (1, 0));
    }

    #[test]
    fn references_never_handed_out_are_given_back() {
        let s = Segment::empty_for_tests();
        let first = take_first(&s);
        let mut t = take(&first, 16);
        let a = t.next();
        drop(t);
        assert_eq!(entries(&s), 2);
        drop(first);
        assert_eq!(Arc::strong_count(&s), 2);
        drop(a);
        assert_eq!((Arc::strong_count(&s), entries(&s)), (1, 0));
    }

    #[test]
    fn releases_flush_once_per_segment_run() {
        let (s1, s2) = (Segment::empty_for_tests(), Segment::empty_for_tests());
        let (a, b) = (take_first(&s1), take_first(&s2));
        let c = take(&a, 1).next();
        let mut rel = Releases::default();
        [&a, &b, &c].into_iter().for_each(|r| rel.add(r));
        drop((a, b, c));
        assert_eq!(
            (entries(&s1), entries(&s2)),
            (1, 0),
            "s2's run ended when s1's began"
        );
        drop(rel);
        assert_eq!((Arc::strong_count(&s1), Arc::strong_count(&s2)), (1, 1));
    }

    #[test]
    fn concurrent_drops_give_back_the_strong_count_once() {
        for _ in 0..50 {
            let s = Segment::empty_for_tests();
            let first = take_first(&s);
            let mut t = take(&first, 63);
            let mut refs: Vec<EntryRef> = (0..63).map(|_| t.next()).collect();
            drop(t);
            refs.push(first);
            let second = refs.split_off(32);
            let h = std::thread::spawn(move || {
                let mut rel = Releases::default();
                refs.iter().for_each(|r| rel.add(r));
            });
            drop(second);
            h.join().unwrap();
            assert_eq!((Arc::strong_count(&s), entries(&s)), (1, 0));
        }
    }
}
