//! Biased reference counting: the strong and weak counts of every heap [`Object`].
//!
//! Job: make the reference counting of the common case (an object used by the thread that
//! created it) plain loads and stores, while any thread may still share, count and free any
//! object, with no GIL. An atomic read-modify-write costs some 13 plain increments on the
//! machines we measure (`benches/atomics.rs`), and a Python program increments and decrements
//! counts more than it does anything else. This is the scheme of CPython's free-threaded build
//! (PEP 703, after Choi et al., "Biased reference counting", PACT 2018).
//!
//! Layout: each object lives in an [`RcBox`], a 16-byte header before it; a heap `Value` word
//! is the address of the object, so the header is at fixed negative offsets from it (JIT code
//! uses them: [`LOCAL_OFFSET`], [`TID_OFFSET`], [`WORD_OFFSET`]):
//!
//! | offset | field | written by |
//! |---|---|---|
//! | -16 | `local`: u32, the owner's count | the owner only (relaxed loads and stores) |
//! | -12 | `tid`: u32, the owner's id, 0 once merged | the owner, or the one merging it |
//! | -8  | `word`: the shared count, 2 flag bits, the weak count | anyone, atomically |
//!
//! `word` = `shared << 26 | flags << 24 | weak`: `shared` a signed 38-bit count of the
//! references added and released by other threads (negative when they released more than
//! they added: references the owner created and handed over), `weak` the weak references plus
//! one held by all the strong ones together (as in `Arc`), and `flags` one of:
//! - `0`: the owner counts in `local`, the others in `shared`;
//! - [`QUEUED`]: another thread released a reference while `shared` was 0, and handed that
//!   reference to the owner's queue instead of making `shared` negative: the owner merges the
//!   counts at its next safepoint (`owners`), and the merge releases that reference;
//! - [`MERGED`]: `shared` is the whole count, `local` is 0 and `tid` 0: every thread counts
//!   atomically, and the one that takes it to 0 frees the object.
//!
//! The rules (a thread's id is [`owner`]; a thread that registered no ownership has none):
//! 1. A new object is owned by its creating thread: `local` 1, `shared` 0. A thread with no
//!    id creates it merged: `shared` 1; so does any thread for an object whose drop can run
//!    code (a generator that may run its `finally`), which must be freed by whichever thread
//!    releases it last, at once, as CPython frees it. (A helper thread working for a waiting
//!    owner, the compiler's, creates under the owner's id: [`Lent`].)
//! 2. Increment: the owner adds 1 to `local` (plain); any other thread adds 1 to `shared`.
//! 3. Decrement by the owner: `local - 1`; at 0 the owner *merges*: if `word` is exactly its
//!    initial value (no shared count, no flag, no weak reference: nobody else can reach the
//!    object) it frees it; otherwise it sets `MERGED` with one extra shared reference, clears
//!    `tid`, and releases that reference, freeing the object if it was the last. (Once merged,
//!    another thread may free the object at any moment: the extra reference is what lets the
//!    owner still write `tid`.)
//! 4. Decrement by another thread (compare-and-swap): if `shared` is 0 and no flag is set, it
//!    sets `QUEUED` and queues the object to its owner (or, if the owner exited or is parked
//!    in a blocking call, merges it itself: `owners`, steps 5 and 6); otherwise `shared - 1`,
//!    and if that leaves `MERGED` with 0, it frees the object.
//! 5. Sum: the number of strong references is `local + shared - (1 if QUEUED)`, and it is 0
//!    exactly when the object is freed: by rule 3's owner, by rule 4's last releaser of a
//!    merged object, or by the merge of a queued one.
//!
//! Why a plain `local` is enough: only the thread whose id is `tid` reads or writes it, except
//! the merge of an object whose owner exited (`owners`), which happens after the owner gave
//! up its id, and is done by the one thread that set `QUEUED`. Ids are never reused.
//!
//! Weak references ([`WeakRef`]): a weak upgrade by the owner adds to `local` (an object whose
//! `tid` is the caller's is alive: its owner has not merged it, so `local` is at least 1); by
//! anyone else it adds 1 to `shared` unless the word says `MERGED` with 0 (dead, or being
//! freed). Rule 3's plain free is sound against an upgrade because it requires the weak count
//! to be 1: no weak reference exists, and making one needs a strong one.
//!
//! Immortal objects: a `local` of `u32::MAX` is never incremented or decremented again (the
//! count overflowed: the object is leaked rather than freed early).

mod owners;
#[cfg(test)]
mod tests;

use super::Object;
use std::alloc::Layout;
use std::cell::Cell;
use std::mem::offset_of;
use std::ptr::{self, NonNull};
use std::sync::atomic::{fence, AtomicI64, AtomicU32, Ordering};

pub use owners::{Lent, Ownership};

/// An object with its counts (see the module docs for the fields' rules).
#[repr(C)]
pub struct RcBox {
    local: AtomicU32,
    tid: AtomicU32,
    word: AtomicI64,
    obj: Object,
}

/// Offset of `local` from an object's address.
pub const LOCAL_OFFSET: i32 = offset_of!(RcBox, local) as i32 - OBJ;
/// Offset of `tid` from an object's address.
pub const TID_OFFSET: i32 = offset_of!(RcBox, tid) as i32 - OBJ;
/// Offset of `word` from an object's address.
pub const WORD_OFFSET: i32 = offset_of!(RcBox, word) as i32 - OBJ;
const OBJ: i32 = offset_of!(RcBox, obj) as i32;
const _: () = assert!(LOCAL_OFFSET == -16 && TID_OFFSET == -12 && WORD_OFFSET == -8);
const _: () = assert!(std::mem::size_of::<RcBox>() == 80);

/// One shared reference in `word`.
pub const SHARED_ONE: i64 = 1 << SHARED_SHIFT;
const SHARED_SHIFT: u32 = 26;
/// Shift of the flags in `word` (the shared count is above them, the weak count below).
pub const FLAGS_SHIFT: u32 = 24;
const WEAK_MASK: i64 = (1 << FLAGS_SHIFT) - 1;
/// Flag: queued to its owner for a merge.
pub const QUEUED: i64 = 2;
/// Flag: merged (`shared` is the whole count).
pub const MERGED: i64 = 3;
/// `word >> FLAGS_SHIFT` of a merged object with no reference left: dead, or being freed.
pub const DEAD_TOP: i64 = MERGED;
/// Weak references beyond this many make [`WeakRef::new`] decline (the field has 24 bits).
const WEAK_LIMIT: i64 = 1 << 23;
/// The owner's count of an immortal object.
const IMMORTAL: u32 = u32::MAX;
/// `local` of a freed object (debug builds check it).
#[cfg(debug_assertions)]
const FREED: u32 = 0xdead_beef;
/// The `tid` of a merged object.
const UNOWNED: u32 = 0;
/// The id of a thread that owns nothing (never equal to an object's `tid`).
pub const NOT_AN_OWNER: u32 = u32::MAX;

thread_local! {
    /// This thread's owner id ([`NOT_AN_OWNER`] unless an [`Ownership`] is active on it).
    static OWNER: Cell<u32> = const { Cell::new(NOT_AN_OWNER) };
}

/// The calling thread's owner id ([`NOT_AN_OWNER`] if it owns nothing).
#[inline(always)]
pub fn owner() -> u32 {
    OWNER.with(|c| c.get())
}

#[inline(always)]
fn top(word: i64) -> i64 {
    word >> FLAGS_SHIFT
}

#[inline(always)]
fn shared(word: i64) -> i64 {
    word >> SHARED_SHIFT
}

#[inline(always)]
fn flags(word: i64) -> i64 {
    (word >> FLAGS_SHIFT) & 3
}

/// The header of the object at `p`.
///
/// # Safety
/// `p` must be the object of an `RcBox` whose allocation is alive (a strong or weak reference
/// keeps it).
#[inline(always)]
unsafe fn header<'a>(p: *const Object) -> &'a RcBox {
    // SAFETY: caller's contract; the object is at `OBJ` in its box.
    unsafe { &*((p as *const u8).sub(OBJ as usize) as *const RcBox) }
}

fn layout() -> Layout {
    Layout::new::<RcBox>()
}

/// Allocates the object `make` builds (written in its allocation: `make` is inlined), owned
/// by the calling thread (rule 1), or merged from the start if `shared` (an object whose drop
/// runs code: whichever thread releases it last must free it at once, as CPython would, not
/// queue it to its creator); returns its address, which owns the one strong reference.
#[inline(always)]
pub fn alloc_with(shared: bool, make: impl FnOnce() -> Object) -> NonNull<Object> {
    // SAFETY: `RcBox` has a nonzero size.
    let raw = unsafe { std::alloc::alloc(layout()) } as *mut RcBox;
    let Some(boxed) = NonNull::new(raw) else {
        std::alloc::handle_alloc_error(layout());
    };
    let me = owner();
    let (local, tid, word) = if me == NOT_AN_OWNER || shared {
        (0, UNOWNED, SHARED_ONE | MERGED << FLAGS_SHIFT | 1)
    } else {
        (1, me, 1)
    };
    // SAFETY: `raw` is a fresh allocation for an `RcBox`; every field is written before any
    // reference to the box is made. (Should `make` panic, the allocation leaks: sound.)
    unsafe {
        ptr::addr_of_mut!((*raw).local).write(AtomicU32::new(local));
        ptr::addr_of_mut!((*raw).tid).write(AtomicU32::new(tid));
        ptr::addr_of_mut!((*raw).word).write(AtomicI64::new(word));
        ptr::addr_of_mut!((*raw).obj).write(make());
    }
    // SAFETY: non-null: inside a non-null allocation.
    unsafe { NonNull::new_unchecked(ptr::addr_of_mut!((*boxed.as_ptr()).obj)) }
}

/// Allocates `obj` (see [`alloc_with`]).
#[inline]
pub fn alloc(obj: Object) -> NonNull<Object> {
    alloc_with(false, || obj)
}

/// Debug builds: `h`'s object was not freed (`free` marks it).
#[inline(always)]
fn check_live(_h: &RcBox) {
    #[cfg(debug_assertions)]
    assert_ne!(
        _h.local.load(Ordering::Relaxed),
        FREED,
        "a freed object's count used"
    );
}

/// The owner's increment: a plain one, which leaves an immortal count (`IMMORTAL`, which
/// wraps to 0) alone. Call only on the owning thread.
#[inline(always)]
fn owner_increment(h: &RcBox) {
    let n = h.local.load(Ordering::Relaxed).wrapping_add(1);
    if n != 0 {
        h.local.store(n, Ordering::Relaxed);
    }
}

/// Adds a strong reference (rule 2).
///
/// # Safety
/// `p` must be a live object of which the caller holds a strong reference.
#[inline(always)]
pub unsafe fn incref(p: *const Object) {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    check_live(h);
    if h.tid.load(Ordering::Relaxed) == owner() {
        owner_increment(h);
    } else {
        // Relaxed, as `Arc::clone`: a holder adds to a count that is at least 1, and nothing
        // is published through the increment.
        h.word.fetch_add(SHARED_ONE, Ordering::Relaxed);
    }
}

/// Releases a strong reference (rules 3 and 4); frees the object if it was the last.
///
/// # Safety
/// `p` must be a live object; the caller gives up one strong reference it holds.
#[inline(always)]
pub unsafe fn decref(p: *const Object) {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    check_live(h);
    if h.tid.load(Ordering::Relaxed) == owner() {
        let l = h.local.load(Ordering::Relaxed);
        // 2..IMMORTAL: a plain decrement that leaves a reference.
        if l.wrapping_sub(2) < IMMORTAL - 2 {
            h.local.store(l - 1, Ordering::Relaxed);
        } else {
            // SAFETY: as above; we are the owner.
            unsafe { decref_local_slow(p, l) }
        }
    } else {
        // SAFETY: as above.
        unsafe { decref_shared(p) }
    }
}

/// Releases a strong reference to `p` if that takes no more than a plain decrement of the count
/// of its owner `me` (the calling thread's [`owner`]): true when done (the owner's count was 2
/// or more, or the object is immortal), false, with nothing done, otherwise (another thread's
/// object, or the last reference of the owner's count: [`decref`] does those).
///
/// # Safety
/// As [`decref`], when it returns true; `me` is the calling thread's [`owner`].
#[inline(always)]
pub unsafe fn decref_plain(p: *const Object, me: u32) -> bool {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    check_live(h);
    if h.tid.load(Ordering::Relaxed) != me {
        return false;
    }
    let l = h.local.load(Ordering::Relaxed);
    if l.wrapping_sub(2) < IMMORTAL - 2 {
        h.local.store(l - 1, Ordering::Relaxed);
        return true;
    }
    l == IMMORTAL
}

/// The owner's decrement of a count of 1 (or of an immortal object).
#[cold]
#[inline(never)]
unsafe fn decref_local_slow(p: *const Object, l: u32) {
    if l == IMMORTAL {
        return;
    }
    debug_assert_eq!(l, 1, "an owned object with no owner's reference");
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    h.local.store(0, Ordering::Relaxed);
    // Acquire: pairs with the Release of other threads' decrements (rule 4), which happen
    // before the free.
    let w = h.word.load(Ordering::Acquire);
    if w == 1 {
        // Rule 3's plain free: no shared count, no flag, no weak reference.
        // SAFETY: the last reference is gone and nobody can make a new one.
        unsafe { free(p) };
        return;
    }
    // SAFETY: we are the owner and just released our count's last reference.
    unsafe { merge(p, w, 0) };
}

/// The merge itself: sets `MERGED` with `shared + delta` references (`delta` the owner's
/// count, less the queue's reference if there was one) and clears `tid` and `local`; frees the
/// object if no reference is left. `w` is a recent value of the word.
///
/// With references left, another thread may free the object as soon as the word says merged,
/// so the merge adds one reference of its own, clears the fields, then releases it
/// ([`disown`]). With none left, nobody else can reach the object (a weak upgrade fails on a
/// merged object with no reference), and the merge frees it itself.
///
/// # Safety
/// The caller may clear `local` and `tid`: it is the owner, or the owner exited and the
/// caller set `QUEUED`.
unsafe fn merge(p: *const Object, mut w: i64, delta: i64) -> i64 {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    loop {
        let count = shared(w) + delta;
        let ours = (count != 0) as i64;
        let merged = (count + ours) << SHARED_SHIFT | MERGED << FLAGS_SHIFT | (w & WEAK_MASK);
        // AcqRel: Acquire pairs with other threads' releases (they happen before a free);
        // Release so that a later releaser that frees the object sees our writes to it.
        match h
            .word
            .compare_exchange_weak(w, merged, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) if count == 0 => {
                // SAFETY: merged with no reference left (rule 5): ours to free.
                unsafe { free(p) };
                return 0;
            }
            Ok(_) => {
                // SAFETY: merged, with the reference added for us.
                unsafe { disown(p) };
                return count;
            }
            Err(cur) => w = cur,
        }
    }
}

/// Ends an owner's claim on a just-merged object: clears `tid`, then releases the reference
/// the merge added for the purpose (freeing the object if it was the last).
///
/// # Safety
/// The object is merged and the caller holds the reference its merge added.
unsafe fn disown(p: *const Object) {
    // SAFETY: caller's contract: our reference keeps the object.
    let h = unsafe { header(p) };
    h.local.store(0, Ordering::Relaxed);
    // Release, after the merge: a releaser that reads `tid` 0 (Acquire, `decref_shared`) then
    // finds the word merged, and never queues the object to nobody.
    h.tid.store(UNOWNED, Ordering::Release);
    // Merged: a plain decrement, which frees at 0 (rule 4).
    let old = h.word.fetch_sub(SHARED_ONE, Ordering::Release);
    if top(old - SHARED_ONE) == DEAD_TOP {
        fence(Ordering::Acquire);
        // SAFETY: merged, and we released the last reference.
        unsafe { free(p) };
    }
}

/// A decrement by a thread that does not own the object (rule 4).
#[inline(never)]
unsafe fn decref_shared(p: *const Object) {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    // Before the word (Acquire, see `decref_local_slow`): the owner to queue to, if we queue.
    let tid = h.tid.load(Ordering::Acquire);
    let mut w = h.word.load(Ordering::Relaxed);
    loop {
        let queue = top(w) == 0;
        let new = if queue {
            w | QUEUED << FLAGS_SHIFT
        } else {
            w - SHARED_ONE
        };
        // Release: our uses of the object happen before whoever frees it (as `Arc::drop`).
        match h
            .word
            .compare_exchange_weak(w, new, Ordering::Release, Ordering::Relaxed)
        {
            Ok(_) => {
                if queue {
                    // SAFETY: our reference now belongs to the queue (rule 4).
                    unsafe { owners::queue(p, tid) };
                } else if top(new) == DEAD_TOP {
                    fence(Ordering::Acquire);
                    // SAFETY: merged, and we released the last reference.
                    unsafe { free(p) };
                }
                return;
            }
            Err(cur) => w = cur,
        }
    }
}

/// Merges the counts of a queued object into `shared`, releasing the queue's reference, and
/// frees the object if none is left.
///
/// # Safety
/// `p` is a live object whose word has `QUEUED` (or `MERGED`, if its owner merged it since),
/// and the caller holds the queue's reference; `local` is the caller's to read and clear: it
/// is the owner, or the owner exited and the caller is the one that set `QUEUED`.
unsafe fn merge_queued(p: *const Object, extra: i64) -> i64 {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    let local = h.local.load(Ordering::Relaxed);
    if local == IMMORTAL {
        return 1;
    }
    // SAFETY: caller's contract, the one of `merge`.
    unsafe { merge(p, h.word.load(Ordering::Relaxed), local as i64 + extra) }
}

/// Drops the object and gives back the strong references' weak one.
///
/// # Safety
/// The object's last strong reference is gone (rule 5), and this runs once.
unsafe fn free(p: *const Object) {
    // SAFETY: caller's contract: nothing uses the object any more.
    unsafe {
        let h = header(p);
        h.tid.store(UNOWNED, Ordering::Relaxed);
        #[cfg(debug_assertions)]
        {
            let was = h.local.swap(FREED, Ordering::Relaxed);
            assert_ne!(
                was,
                FREED,
                "an object freed twice (word {:#x})",
                h.word.load(Ordering::Relaxed)
            );
        }
        ptr::drop_in_place(p as *mut Object);
        // The strong references' common weak one. If it is the only one, nobody else can
        // reach the allocation (a new weak reference needs a strong one, and there is none), so
        // it is freed with no atomic operation; Acquire pairs with the Release of the weak
        // references released before. Else the last weak reference frees it.
        if h.word.load(Ordering::Acquire) & WEAK_MASK == 1 {
            std::alloc::dealloc((p as *mut u8).sub(OBJ as usize), layout());
        } else {
            release_weak(p);
        }
    }
}

/// Releases one weak reference; frees the allocation with the last.
///
/// # Safety
/// The caller holds a weak reference (or the strong ones' common one) and gives it up.
unsafe fn release_weak(p: *const Object) {
    // SAFETY: caller's contract: the allocation is alive until this decrement.
    let h = unsafe { header(p) };
    // Release/Acquire as `Weak::drop`: every use of the allocation happens before its free.
    if h.word.fetch_sub(1, Ordering::Release) & WEAK_MASK == 1 {
        fence(Ordering::Acquire);
        // SAFETY: no reference of any kind is left; the box came from `alloc_with`.
        unsafe { std::alloc::dealloc((p as *mut u8).sub(OBJ as usize), layout()) };
    }
}

/// A new strong reference from a weak one, unless the object is dead.
///
/// # Safety
/// The caller holds a weak reference to `p` (which keeps the allocation).
#[inline]
pub unsafe fn try_incref(p: *const Object) -> bool {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    if h.tid.load(Ordering::Relaxed) == owner() {
        // Owned by us and not merged: alive, `local` at least 1 (module docs).
        owner_increment(h);
        return true;
    }
    let mut w = h.word.load(Ordering::Relaxed);
    loop {
        if top(w) == DEAD_TOP {
            return false;
        }
        // Acquire on success, as `Weak::upgrade`.
        match h
            .word
            .compare_exchange_weak(w, w + SHARED_ONE, Ordering::Acquire, Ordering::Relaxed)
        {
            Ok(_) => return true,
            Err(cur) => w = cur,
        }
    }
}

/// The number of strong references (rule 5). Exact when no other thread changes it.
///
/// # Safety
/// The caller holds a strong or weak reference to `p`.
pub unsafe fn strong_count(p: *const Object) -> usize {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    let w = h.word.load(Ordering::Acquire);
    let local = h.local.load(Ordering::Relaxed) as i64;
    let queued = (flags(w) == QUEUED) as i64;
    (local + shared(w) - queued).max(0) as usize
}

/// Is the caller's strong reference the only reference of any kind, strong or weak, so that
/// nobody else can reach the object, nor start to? Rule 3's plain-free condition: owned by
/// the calling thread with `local` 1 and `word` at its initial value.
///
/// # Safety
/// The caller holds a strong reference to `p`.
#[inline]
pub unsafe fn is_sole(p: *const Object) -> bool {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    // Acquire: as in `is_exclusive`.
    h.tid.load(Ordering::Relaxed) == owner()
        && h.local.load(Ordering::Relaxed) == 1
        && h.word.load(Ordering::Acquire) == 1
}

/// Is the caller's strong reference the only one? Exact for an object owned by the calling
/// thread, merged, or left by an exited owner (which this merges); `false` for one owned by
/// another live thread, whose count only it knows.
///
/// # Safety
/// The caller holds a strong reference to `p`.
pub unsafe fn is_unique(p: *const Object) -> bool {
    // SAFETY: caller's contract (both calls).
    if unsafe { is_exclusive(p) } {
        return true;
    }
    // Not ours and not merged with one reference: an orphan, or another live thread's.
    // SAFETY: as above.
    let tid = unsafe { header(p) }.tid.load(Ordering::Relaxed);
    // SAFETY: as above.
    tid != owner() && tid != UNOWNED && unsafe { owners::adopt_orphan(p, tid) } == Some(1)
}

/// Is the caller's strong reference the only one? [`is_unique`] without the adoption of
/// orphans: false for an object another thread owns or owned. Cheap: two loads for an object
/// the caller owns.
///
/// # Safety
/// The caller holds a strong reference to `p`.
#[inline]
pub unsafe fn is_exclusive(p: *const Object) -> bool {
    // SAFETY: caller's contract.
    let h = unsafe { header(p) };
    if h.tid.load(Ordering::Relaxed) == owner() {
        // Acquire: others' releases happen before our exclusive use.
        return h.local.load(Ordering::Relaxed) == 1 && top(h.word.load(Ordering::Acquire)) == 0;
    }
    let w = h.word.load(Ordering::Acquire);
    flags(w) == MERGED && shared(w) == 1
}

/// A weak reference to a heap object: keeps its allocation, not the object.
pub struct WeakRef(NonNull<Object>);

// SAFETY: a weak reference is a count in an atomic word; the object it may upgrade to is
// `Send + Sync`.
unsafe impl Send for WeakRef {}
// SAFETY: as above.
unsafe impl Sync for WeakRef {}

impl WeakRef {
    /// A weak reference to `p`, or None if the object has too many of them already.
    ///
    /// # Safety
    /// The caller holds a strong reference to `p`.
    pub unsafe fn new(p: *const Object) -> Option<WeakRef> {
        // SAFETY: caller's contract.
        let h = unsafe { header(p) };
        // Relaxed, as `Arc::downgrade` for the count itself: the strong reference keeps the
        // allocation, and the weak one publishes nothing.
        let old = h.word.fetch_add(1, Ordering::Relaxed);
        if old & WEAK_MASK >= WEAK_LIMIT {
            h.word.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        // SAFETY: `p` is the non-null address of a live object.
        Some(WeakRef(unsafe { NonNull::new_unchecked(p as *mut Object) }))
    }

    /// The object's address (reserved while this reference lives).
    pub fn as_ptr(&self) -> *const Object {
        self.0.as_ptr()
    }

    /// Is the object still alive? (A hint when other threads hold it.)
    pub fn is_alive(&self) -> bool {
        // SAFETY: our weak reference keeps the header.
        let h = unsafe { header(self.as_ptr()) };
        top(h.word.load(Ordering::Relaxed)) != DEAD_TOP
    }

    /// Gives up ownership as the object's address (see [`WeakRef::from_raw`]).
    pub fn into_raw(self) -> *const Object {
        std::mem::ManuallyDrop::new(self).as_ptr()
    }

    /// Rebuilds a weak reference from [`WeakRef::into_raw`].
    ///
    /// # Safety
    /// `p` came from `into_raw` and is rebuilt once.
    pub unsafe fn from_raw(p: *const Object) -> WeakRef {
        // SAFETY: `into_raw` gave a non-null address.
        WeakRef(unsafe { NonNull::new_unchecked(p as *mut Object) })
    }
}

impl Clone for WeakRef {
    fn clone(&self) -> WeakRef {
        // SAFETY: our weak reference keeps the header.
        let h = unsafe { header(self.as_ptr()) };
        // Relaxed, as `Weak::clone`. `new` stops at `WEAK_LIMIT`; clones past the field's
        // room abort, as `Arc`'s counts do on overflow, before the carry could reach the flags.
        if h.word.fetch_add(1, Ordering::Relaxed) & WEAK_MASK >= WEAK_MASK - 1024 {
            std::process::abort();
        }
        WeakRef(self.0)
    }
}

impl Drop for WeakRef {
    fn drop(&mut self) {
        // SAFETY: we hold this weak reference and give it up once.
        unsafe { release_weak(self.as_ptr()) }
    }
}

impl std::fmt::Debug for WeakRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WeakRef({:#x})", self.as_ptr() as usize)
    }
}
