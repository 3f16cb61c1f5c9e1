//! Global-name caches: one per `LoadGlobal` site, so a compiled load of a global or builtin
//! name (the function a call site calls, most often) is a few compares instead of a runtime
//! call that locks the globals dict.
//!
//! A site's [`GlobalCache`] points to a [`Record`]: the value found, and the latest versions,
//! under which it was found, of the name's key bucket in the globals and in the builtins dicts
//! (`object::dict_lock`: a bucket's version is unique across all watched dicts and changes
//! with every change to a key of the bucket). The compiled fast path, in steps:
//! 1. Load the record pointer; none yet: slow path. Load the record's sequence word; odd (a
//!    refresh is writing the versions): slow path.
//! 2. Compare the record's versions with the current versions of the name's bucket in the
//!    activation's globals (their version words found through the globals word at
//!    [`buckets_offset`]; none: slow path) and in the builtins (found through an absolute
//!    address), then the sequence word with the one loaded first; any difference: slow path.
//!    Equal versions mean the dicts are in a state in which the record's value was the
//!    answer.
//! 3. An immediate (small int, `None`, a bool) is the answer as it is. A heap value is taken
//!    with an increment of its strong count only if that count is not zero
//!    (`refcount::emit_upgrade_rax`, or [`jit_global_upgrade`]): the record holds the value
//!    *weakly* (a strong reference would close the cycle code -> compiled code -> record ->
//!    function -> code for every recursive function), which keeps its allocation, so reading
//!    the count is sound even after another thread rebound the name and freed the object
//!    between steps 2 and 3; then the upgrade fails and the slow path answers. The load takes
//!    effect at step 2.
//!
//! The slow path ([`jit_load_global_cached`]) looks the name up under the locks, as the
//! interpreter does, and refreshes the record's versions if it found the same value (the
//! common miss: another global of the same bucket changed), or installs a new record.
//!
//! Invariants:
//! - A record's value never changes, and records are never freed before their cache: a
//!   reader may still hold a replaced one. A site replaces its record at most [`MAX_RECORDS`]
//!   times; after that its misses for new values stay on the slow path (a global rebound in a
//!   loop would otherwise grow the list without bound; freeing replaced records once no reader
//!   can hold them, after a grace period through the threads' safepoints, would lift that).
//! - The cache lives in the code's `JitCodeInfo`, which outlives every activation of the code.

use super::helpers::{tstate, value};
use crate::object::{Object, Value};
use crate::thread::{runtime, ThreadState};
use parking_lot::Mutex;
use std::mem::{offset_of, ManuallyDrop};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

/// How many records a site makes over its life (about 40 bytes each).
pub const MAX_RECORDS: usize = 64;

/// What lookups of one site found: a value, and the latest versions under which it was the
/// answer. The value never changes (another value takes a new record); the versions are
/// refreshed in place, under a sequence lock, when a lookup finds the same value again after
/// the dicts changed (a module-level loop assigning other globals changes the versions at every
/// iteration, not the answer).
#[repr(C)]
pub struct Record {
    /// Even while the versions are stable; odd while a refresh writes them.
    pub seq: AtomicU64,
    /// Version of the globals dict.
    pub gver: AtomicU64,
    /// Version of the builtins dict.
    pub bver: AtomicU64,
    /// The value's word: an immediate, or the address of a heap object of which the record
    /// holds a weak reference (`Weak::into_raw`).
    pub bits: usize,
}

/// Offset of [`Record::seq`].
pub const SEQ: i32 = offset_of!(Record, seq) as i32;
/// Offset of [`Record::gver`].
pub const GVER: i32 = offset_of!(Record, gver) as i32;
/// Offset of [`Record::bver`].
pub const BVER: i32 = offset_of!(Record, bver) as i32;
/// Offset of [`Record::bits`].
pub const BITS: i32 = offset_of!(Record, bits) as i32;

impl Record {
    fn new(v: &Value, (gver, bver): (u64, u64)) -> Option<Record> {
        let bits = if v.is_heap() {
            Weak::into_raw(v.downgrade()?) as usize
        } else {
            v.bits()
        };
        Some(Record {
            seq: AtomicU64::new(0),
            gver: AtomicU64::new(gver),
            bver: AtomicU64::new(bver),
            bits,
        })
    }

    /// New versions for the same value. Writers are serialized by the cache's lock. A reader
    /// (compiled code: load `seq`, the versions, `bits`, `seq` again; plain loads, which
    /// x86-64 keeps in order) trusts what it read only if `seq` was even and unchanged, so it
    /// never pairs one refresh's `gver` with another's `bver`. Either pair is a state in which
    /// the value was the answer anyway; the lock keeps the pair whole.
    fn refresh(&self, (gver, bver): (u64, u64)) {
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s + 1, Ordering::Relaxed);
        // The odd sequence is visible before either version changes.
        std::sync::atomic::fence(Ordering::Release);
        self.gver.store(gver, Ordering::Relaxed);
        self.bver.store(bver, Ordering::Relaxed);
        self.seq.store(s + 2, Ordering::Release);
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        if self.bits & 0b11 == 0 {
            // SAFETY: a heap `bits` came from `Weak::into_raw` (`Record::new`) and is released
            // once, here.
            drop(unsafe { Weak::from_raw(self.bits as *const Object) });
        }
    }
}

/// The cache of one `LoadGlobal` site (compiled code reads `current` at offset 0).
#[repr(C)]
#[derive(Default)]
pub struct GlobalCache {
    /// The record compiled code reads; null until the first lookup.
    current: AtomicPtr<Record>,
    /// Records replaced so far (kept: a reader may still hold one). Boxed, so that they
    /// stay where readers found them while the vector grows.
    #[allow(clippy::vec_box)]
    retired: Mutex<Vec<Box<Record>>>,
    /// Set once the site made its last record: its misses that find a new value skip the
    /// lock above.
    exhausted: AtomicBool,
}

impl GlobalCache {
    /// Records that `v` was the answer under `versions`: the current record's versions are
    /// refreshed if it holds `v`, else a new record replaces it.
    fn install(&self, v: &Value, versions: (u64, u64)) {
        let held = |cur: *mut Record| {
            // SAFETY: published records live as long as the cache.
            !cur.is_null() && unsafe { (*cur).bits } == v.bits()
        };
        if self.exhausted.load(Ordering::Relaxed) && !held(self.current.load(Ordering::Acquire)) {
            return;
        }
        let mut retired = self.retired.lock();
        let cur = self.current.load(Ordering::Acquire);
        if held(cur) {
            // The same value (a heap one cannot have moved to another object: the record's
            // weak reference keeps its allocation).
            // SAFETY: as above; refreshes are serialized by `retired`'s lock, held here.
            unsafe { (*cur).refresh(versions) };
            return;
        }
        if self.exhausted.load(Ordering::Relaxed) {
            return;
        }
        if retired.len() >= MAX_RECORDS {
            self.exhausted.store(true, Ordering::Relaxed);
            return;
        }
        let Some(rec) = Record::new(v, versions) else {
            return;
        };
        // Release: a reader that loads the pointer sees the record's fields.
        let old = self
            .current
            .swap(Box::into_raw(Box::new(rec)), Ordering::AcqRel);
        if !old.is_null() {
            // SAFETY: every non-null `current` came from `Box::into_raw` above, and a swapped
            // out one is owned by nobody else.
            retired.push(unsafe { Box::from_raw(old) });
        }
    }

    /// The current record's versions and word (tests).
    #[cfg(test)]
    fn current(&self) -> Option<(u64, u64, usize)> {
        let p = self.current.load(Ordering::Acquire);
        // SAFETY: published records stay alive as long as the cache.
        (!p.is_null()).then(|| unsafe {
            let r = &*p;
            (
                r.gver.load(Ordering::Relaxed),
                r.bver.load(Ordering::Relaxed),
                r.bits,
            )
        })
    }
}

impl Drop for GlobalCache {
    fn drop(&mut self) {
        let p = *self.current.get_mut();
        if !p.is_null() {
            // SAFETY: as in `install`; the cache is going away, so no reader is left.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

/// Offset of a dict's version-words pointer (`DictLock::buckets_addr`) from the address of
/// its object (the heap word of a dict `Value`): the same for every dict, measured once on a
/// real one.
pub fn buckets_offset() -> i32 {
    static OFFSET: OnceLock<i32> = OnceLock::new();
    *OFFSET.get_or_init(|| {
        let d = Value::dict();
        let lock = d.as_dict().expect("a dict");
        i32::try_from(lock.buckets_addr() as isize - d.bits() as isize)
            .expect("the pointer lies inside the dict's object")
    })
}

/// The address of the version-words pointer of the builtins dict, watched from now on (the
/// compiled code compares its words in place), or of a pointer that stays null when there are
/// no builtins.
pub fn builtins_buckets_addr() -> usize {
    static NONE: AtomicPtr<u64> = AtomicPtr::new(std::ptr::null_mut());
    match runtime().builtins.get().and_then(Value::as_dict) {
        // The runtime keeps its builtins dict for the life of the process.
        Some(b) => {
            b.watch(&b.read());
            b.buckets_addr()
        }
        None => &NONE as *const AtomicPtr<u64> as usize,
    }
}

/// The slow path of a `LoadGlobal` site: `globals[name]`, else `builtins[name]`, else
/// NameError; a found value is recorded in the site's cache. Borrows `globals` and `name`.
///
/// # Safety
/// Called by JIT code only, through the runtime-call trampoline, under the helper conventions
/// of [`super::helpers`]; `cache` is the site's cache, owned by the running code's info.
pub unsafe extern "C" fn jit_load_global_cached(
    ts: *mut ThreadState,
    globals: usize,
    name: usize,
    cache: *const GlobalCache,
) -> usize {
    value(|| {
        // SAFETY: `ts` from `r15`; both words are owned by the function / code object, alive
        // during the call; the cache lives in the running code's info.
        let (_ts, globals, name, cache) = unsafe {
            (
                tstate(ts),
                ManuallyDrop::new(Value::from_bits(globals)),
                ManuallyDrop::new(Value::from_bits(name)),
                &*cache,
            )
        };
        let (v, versions) = crate::interp::load_global_watched(&globals, &name)?;
        cache.install(&v, versions);
        Ok(v)
    })
}

/// A new strong reference to the heap object at `w`, or 0 if it was freed. Leaf.
///
/// # Safety
/// `w` must be the `bits` of a live [`Record`] (a weak reference the record holds).
pub unsafe extern "C" fn jit_global_upgrade(w: usize) -> usize {
    // SAFETY: the record holds a weak reference made by `Weak::into_raw(w)`, so the allocation
    // is alive; the rebuilt handle is not dropped, leaving the record's count as it was.
    let weak = ManuallyDrop::new(unsafe { Weak::from_raw(w as *const Object) });
    // `upgrade` increments the strong count only from a nonzero value, and cannot panic.
    weak.upgrade()
        .map_or(0, |a: Arc<Object>| Value::from_arc(a).into_bits())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::Value;

    fn dict_with(name: &str, v: Value) -> Value {
        let d = Value::dict();
        crate::stdlib::dict_set(&d, name, v);
        d
    }

    /// `buckets_offset` finds the version words of any dict from its object's address.
    #[test]
    fn buckets_offset_reaches_the_version_words() {
        let d = dict_with("x", Value::small(1).unwrap());
        let lock = d.as_dict().unwrap();
        lock.watch(&lock.read());
        let hash = crate::object::HashKey::new(Value::str("x")).unwrap().hash;
        let at = (d.bits() as isize + buckets_offset() as isize) as *const *const u64;
        // SAFETY: the offset points inside the live dict object (what the test checks), at a
        // pointer to its live version words.
        let word = unsafe { *(*at).add(crate::object::dict_lock::key_bucket(hash)) };
        assert_eq!(word, lock.key_version(hash));
    }

    /// A record holds its value weakly: the value can go, and the upgrade then fails.
    #[test]
    fn a_record_does_not_keep_its_value() {
        let cache = GlobalCache::default();
        let v = Value::list(vec![Value::NONE]);
        cache.install(&v, (1, 2));
        let (g, b, bits) = cache.current().unwrap();
        assert_eq!((g, b, bits), (1, 2, v.bits()));
        // SAFETY: `bits` is the live record's word.
        let up = unsafe { jit_global_upgrade(bits) };
        assert_eq!(up, v.bits());
        // SAFETY: `up` is an owned reference made by the upgrade.
        drop(unsafe { Value::from_bits(up) });
        drop(v);
        // SAFETY: as above; the record still holds the allocation.
        assert_eq!(unsafe { jit_global_upgrade(bits) }, 0);
    }

    /// Finding the same value under new versions refreshes the record in place: no new
    /// record, and the sequence word moves by two.
    #[test]
    fn the_same_value_refreshes_the_record() {
        let cache = GlobalCache::default();
        let v = Value::list(Vec::new());
        cache.install(&v, (1, 2));
        for g in 3..(MAX_RECORDS as u64 * 3) {
            cache.install(&v, (g, 2));
        }
        let last = MAX_RECORDS as u64 * 3 - 1;
        assert_eq!(cache.current(), Some((last, 2, v.bits())));
        assert!(cache.retired.lock().is_empty());
        let seq = unsafe {
            (*cache.current.load(Ordering::Acquire))
                .seq
                .load(Ordering::Relaxed)
        };
        assert_eq!(seq, 2 * (last - 2));
        // Another value takes a new record.
        cache.install(&Value::small(5).unwrap(), (last + 1, 2));
        assert_eq!(cache.retired.lock().len(), 1);
    }

    /// A site stops recording after `MAX_RECORDS` records.
    #[test]
    fn a_site_makes_a_bounded_number_of_records() {
        let cache = GlobalCache::default();
        for i in 0..(MAX_RECORDS as i64 + 10) {
            cache.install(&Value::small(i).unwrap(), (i as u64 + 1, 0));
        }
        let (g, _, _) = cache.current().unwrap();
        assert_eq!(g, MAX_RECORDS as u64 + 1);
        assert_eq!(cache.retired.lock().len(), MAX_RECORDS);
    }
}
