//! Name caches: what a lookup of a global or builtin name found, kept with the key versions of
//! the globals and builtins dicts (`dict_lock`) under which it holds, so that the interpreter
//! and compiled code can answer the next lookup without taking the dicts' locks. A code object
//! keeps one per name (`CodeObject::name_caches`); the interpreter reads it with
//! [`NameCache::lookup`], compiled code inline (`jit::globals`, whose docs give the steps).
//!
//! A cache points to a [`Record`]: the value found (held *weakly*: a strong reference would
//! close the cycle code -> cache -> function -> code for every recursive function) and the
//! latest versions, under which it was found, of the name's key bucket in the globals and in
//! the builtins dict. A lookup that finds the same value again refreshes the versions in place,
//! under a sequence lock; another value takes a new record.
//!
//! Invariants:
//! - A record's value never changes, and records are never freed before their cache: a
//!   reader may still hold a replaced one. A cache replaces its record at most
//!   [`MAX_RECORDS`] times; after that its misses for new values stay on the slow path (a
//!   global rebound in a loop would otherwise grow the list without bound; freeing replaced
//!   records once no reader can hold them, after a grace period through the threads'
//!   safepoints, would lift that).
//! - A record's versions are read between two loads of its sequence word, which must be equal
//!   and even; except a global's record (builtins version [`ANY_VERSION`], which a record never
//!   gains or loses), whose one version word is read once.

use super::rc::WeakRef;
use super::{DictLock, Object, Value};
use parking_lot::Mutex;
use std::mem::{offset_of, ManuallyDrop};
use std::sync::atomic::{fence, AtomicBool, AtomicPtr, AtomicU64, Ordering};

/// How many records a site makes over its life (about 40 bytes each).
pub const MAX_RECORDS: usize = 64;

/// A record's builtins version when the name was found in the globals: then the builtins do
/// not matter (the global shadows them, and removing it changes the globals version). Bucket
/// versions count up from 1 and never reach it.
pub const ANY_VERSION: u64 = u64::MAX;

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
    /// holds a weak reference (`WeakRef::into_raw`).
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
            v.downgrade()?.into_raw() as usize
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
            // SAFETY: a heap `bits` came from `WeakRef::into_raw` (`Record::new`) and is released
            // once, here.
            drop(unsafe { WeakRef::from_raw(self.bits as *const Object) });
        }
    }
}

/// The cache of one `LoadGlobal` site (compiled code reads `current` at offset 0).
#[repr(C)]
#[derive(Default)]
pub struct NameCache {
    /// The record compiled code reads; null until the first lookup.
    current: AtomicPtr<Record>,
    /// Records replaced so far (kept: a reader may still hold one). Boxed, so that they
    /// stay where readers found them while the vector grows.
    #[allow(clippy::vec_box)]
    retired: Mutex<Vec<Box<Record>>>,
    /// Set once the site made its last record: its misses that find a new value skip the
    /// lock above.
    exhausted: AtomicBool,
    /// The hash of the name (0 in a cache made with `default`).
    hash: u64,
    /// The key bucket of `hash` (`dict_lock::key_bucket`), whose versions lookups compare.
    bucket: usize,
}

impl NameCache {
    /// The cache of a name whose hash is `hash`, which it keeps for the interpreter's loads.
    pub fn for_hash(hash: u64) -> NameCache {
        NameCache {
            current: AtomicPtr::default(),
            retired: Mutex::default(),
            exhausted: AtomicBool::default(),
            hash,
            bucket: super::dict_lock::key_bucket(hash),
        }
    }

    /// The hash of the name, as made with [`NameCache::for_hash`] (0 otherwise).
    #[inline(always)]
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Whether the site made its last record: a lookup that finds a value other than the
    /// current record's ([`NameCache::holds`]) records nothing.
    #[inline]
    pub fn exhausted(&self) -> bool {
        self.exhausted.load(Ordering::Relaxed)
    }

    /// Whether the current record holds `v`.
    #[inline]
    pub fn holds(&self, v: &Value) -> bool {
        let cur = self.current.load(Ordering::Acquire);
        // SAFETY: published records live as long as the cache.
        !cur.is_null() && unsafe { (*cur).bits } == v.bits()
    }

    /// Records that `v` was the answer under `versions`: the current record's versions are
    /// refreshed if it holds `v`, else a new record replaces it. Inline up to the common no-op
    /// of a site that made its last record (a name a loop rebinds: every load of it misses).
    #[inline]
    pub fn install(&self, v: &Value, versions: (u64, u64)) {
        if self.exhausted() && !self.holds(v) {
            return;
        }
        self.record(v, versions);
    }

    /// [`NameCache::install`] past its inline test, under the cache's lock.
    #[inline(never)]
    fn record(&self, v: &Value, versions: (u64, u64)) {
        let held = |cur: *mut Record| {
            // SAFETY: published records live as long as the cache.
            !cur.is_null() && unsafe { (*cur).bits } == v.bits()
        };
        let mut retired = self.retired.lock();
        let cur = self.current.load(Ordering::Acquire);
        // SAFETY: as above.
        let any = |cur: *mut Record| unsafe { (*cur).bver.load(Ordering::Relaxed) } == ANY_VERSION;
        if held(cur) && any(cur) == (versions.1 == ANY_VERSION) {
            // The same value (a heap one cannot have moved to another object: the record's
            // weak reference keeps its allocation), found in the same dict as before (a
            // record's `ANY_VERSION` never changes: readers of a global's record read one
            // version word, without the sequence lock).
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

    /// The current record's globals version and word, if it is a global's record (builtins
    /// version [`ANY_VERSION`]): the value was the name's in the globals whose bucket had that
    /// version. Compiled code may compare a bucket with it for good: versions are never
    /// reused, and the record (kept as long as the cache, even once replaced) keeps a heap
    /// value's allocation.
    pub fn current_global(&self) -> Option<(u64, usize)> {
        let p = self.current.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: published records live as long as the cache.
        let r = unsafe { &*p };
        (r.bver.load(Ordering::Relaxed) == ANY_VERSION)
            .then(|| (r.gver.load(Ordering::Acquire), r.bits))
    }

    /// The current record's versions and word (tests).
    #[cfg(test)]
    pub(crate) fn current(&self) -> Option<(u64, u64, usize)> {
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

impl Drop for NameCache {
    fn drop(&mut self) {
        let p = *self.current.get_mut();
        if !p.is_null() {
            // SAFETY: as in `install`; the cache is going away, so no reader is left.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

impl NameCache {
    /// The cached answer for the cache's name in `globals`, then the dict `builtins`
    /// gives (asked only for a builtin's record: a global's, the common case, needs no
    /// builtins), if the record's versions are the dicts' current ones and its value is still
    /// alive.
    #[inline]
    pub fn lookup<'b>(
        &self,
        globals: &DictLock,
        builtins: impl FnOnce() -> Option<&'b DictLock>,
    ) -> Option<Value> {
        self.current_record(globals, builtins)?.value()
    }

    /// [`NameCache::lookup`], except that an answer that is the heap object `held`, which the
    /// caller holds, comes back as [`Value::NULL`], with no new reference taken.
    #[inline]
    pub fn lookup_unless<'b>(
        &self,
        globals: &DictLock,
        builtins: impl FnOnce() -> Option<&'b DictLock>,
        held: &Value,
    ) -> Option<Value> {
        let r = self.current_record(globals, builtins)?;
        if held.is_heap() && r.bits == held.bits() {
            return Some(Value::NULL);
        }
        r.value()
    }

    /// The current record, if its versions are the dicts' current ones.
    #[inline(always)]
    fn current_record<'b>(
        &self,
        globals: &DictLock,
        builtins: impl FnOnce() -> Option<&'b DictLock>,
    ) -> Option<&Record> {
        let p = self.current.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: published records live as long as the cache.
        let r = unsafe { &*p };
        if r.bver.load(Ordering::Relaxed) == ANY_VERSION {
            // A global's record: one version word, read once, and a value that never changes.
            let gver = globals.bucket_version(self.bucket);
            return (gver != 0 && gver == r.gver.load(Ordering::Acquire)).then_some(r);
        }
        let s = r.seq.load(Ordering::Acquire);
        if s & 1 != 0 {
            return None;
        }
        let gver = globals.bucket_version(self.bucket);
        if gver == 0 || gver != r.gver.load(Ordering::Relaxed) {
            return None;
        }
        if r.bver.load(Ordering::Relaxed) != builtins().map_or(0, |b| b.bucket_version(self.bucket))
        {
            return None;
        }
        // The versions were read before the sequence word is read again.
        fence(Ordering::Acquire);
        (r.seq.load(Ordering::Relaxed) == s).then_some(r)
    }
}

impl Record {
    /// A new reference to the value, or None if a heap value was freed. Always inline, with
    /// the upgrade of a heap value out of line (`Value::upgrade`): whether LLVM inlined this
    /// into the eval loop's global loads otherwise changed with unrelated code (+4% of
    /// `module_loop`'s instructions when it did not).
    #[inline(always)]
    fn value(&self) -> Option<Value> {
        if self.bits & 0b11 != 0 {
            // SAFETY: an immediate word owns nothing.
            return Some(unsafe { Value::from_bits(self.bits) });
        }
        // SAFETY: a heap `bits` is the weak reference this live record holds.
        unsafe { upgrade(self.bits) }
    }
}

/// A new strong reference to the heap object at `bits`, or None if it was freed (its count
/// is incremented only from a nonzero value; this cannot panic).
///
/// # Safety
/// `bits` must be the heap word of a live [`Record`], whose weak reference keeps the
/// allocation.
#[inline(always)]
pub unsafe fn upgrade(bits: usize) -> Option<Value> {
    // SAFETY: the record holds a weak reference made by `WeakRef::into_raw`; the rebuilt
    // handle is not dropped, leaving the record's count as it was.
    let weak = ManuallyDrop::new(unsafe { WeakRef::from_raw(bits as *const Object) });
    Value::upgrade(&weak)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record holds its value weakly: the value can go, and the upgrade then fails.
    #[test]
    fn a_record_does_not_keep_its_value() {
        let cache = NameCache::default();
        let v = Value::list(vec![Value::NONE]);
        cache.install(&v, (1, 2));
        let (g, b, bits) = cache.current().unwrap();
        assert_eq!((g, b, bits), (1, 2, v.bits()));
        let rec = || {
            // SAFETY: published records live as long as the cache.
            unsafe { &*cache.current.load(Ordering::Acquire) }
        };
        assert_eq!(rec().value().map(|u| u.bits()), Some(v.bits()));
        drop(v);
        assert!(rec().value().is_none(), "the record kept its value alive");
        let _ = bits;
    }

    /// Finding the same value under new versions refreshes the record in place: no new
    /// record, and the sequence word moves by two.
    #[test]
    fn the_same_value_refreshes_the_record() {
        let cache = NameCache::default();
        let v = Value::list(Vec::new());
        cache.install(&v, (1, 2));
        for g in 3..(MAX_RECORDS as u64 * 3) {
            cache.install(&v, (g, 2));
        }
        let last = MAX_RECORDS as u64 * 3 - 1;
        assert_eq!(cache.current(), Some((last, 2, v.bits())));
        assert!(cache.retired.lock().is_empty());
        // SAFETY: published records live as long as the cache.
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

    #[test]
    fn a_record_never_changes_between_global_and_builtin() {
        // The same value found in the globals, then (the global deleted) in the builtins: a
        // new record, since readers of a global's record skip the sequence lock.
        let cache = NameCache::default();
        let v = Value::list(Vec::new());
        cache.install(&v, (1, ANY_VERSION));
        cache.install(&v, (2, ANY_VERSION));
        assert!(cache.retired.lock().is_empty());
        cache.install(&v, (3, 7));
        assert_eq!(cache.current(), Some((3, 7, v.bits())));
        assert_eq!(cache.retired.lock().len(), 1);
        cache.install(&v, (4, ANY_VERSION));
        assert_eq!(cache.current(), Some((4, ANY_VERSION, v.bits())));
        assert_eq!(cache.retired.lock().len(), 2);
    }

    /// A site stops recording after `MAX_RECORDS` records.
    #[test]
    fn a_site_makes_a_bounded_number_of_records() {
        let cache = NameCache::default();
        for i in 0..(MAX_RECORDS as i64 + 10) {
            cache.install(&Value::small(i).unwrap(), (i as u64 + 1, 0));
        }
        let (g, _, _) = cache.current().unwrap();
        assert_eq!(g, MAX_RECORDS as u64 + 1);
        assert_eq!(cache.retired.lock().len(), MAX_RECORDS);
    }

    /// `lookup` answers while the name's key versions stand, from the globals or the builtins,
    /// and stops when either dict changes that key.
    #[test]
    fn lookups_follow_key_versions() {
        use crate::object::{Dict, HashKey};
        let (g, b) = (
            DictLock::new(Dict::default()),
            DictLock::new(Dict::default()),
        );
        let (x, y) = (
            HashKey::new(Value::str("x")).unwrap(),
            HashKey::new(Value::str("yy")).unwrap(),
        );
        g.watch(&g.read());
        b.watch(&b.read());
        b.lock().insert(x.clone(), Value::small(1).unwrap());
        let cache = NameCache::for_hash(x.hash);
        assert!(cache.lookup(&g, || Some(&b)).is_none(), "empty");
        cache.install(
            &Value::small(1).unwrap(),
            (g.key_version(x.hash), b.key_version(x.hash)),
        );
        assert_eq!(
            cache.lookup(&g, || Some(&b)).and_then(|v| v.as_small()),
            Some(1)
        );
        if crate::object::dict_lock::key_bucket(y.hash)
            != crate::object::dict_lock::key_bucket(x.hash)
        {
            g.lock().insert(y, Value::NONE);
            assert!(
                cache.lookup(&g, || Some(&b)).is_some(),
                "another key's bucket"
            );
        }
        g.lock().insert(x.clone(), Value::small(2).unwrap());
        assert!(
            cache.lookup(&g, || Some(&b)).is_none(),
            "the global shadows the builtin"
        );
    }
}
