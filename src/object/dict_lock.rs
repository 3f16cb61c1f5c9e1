//! `DictLock`: the lock of a dict, and the key versions that let caches read a dict without it.
//!
//! A dict can be *watched* ([`DictLock::watch`]). A watched dict carries [`KEY_BUCKETS`] version
//! words, one per bucket of keys (a key's bucket comes from its hash). Every change to a key
//! gives its bucket a new version, drawn from one process-wide counter (in per-thread blocks),
//! before the change is made and under the lock; a change the guard cannot attribute to one key
//! (anything done through `&mut Dict`: `clear`, `pop`, `entry`, ...) gives every bucket a new
//! version. So no two states of a bucket of any watched dicts share a version, and a cache that
//! remembers a bucket's version together with what it read under the lock (the value of a key
//! of that bucket, or its absence) is valid exactly while the bucket's version is unchanged:
//! the JIT's global-name caches (`jit::globals`) compare it without taking the lock. A
//! module-level loop that assigns `i` leaves the caches of `len` and of the module's functions
//! valid (unless their names share `i`'s bucket).
//!
//! Unwatched dicts have no version words (a null pointer), and pay one load per change.
//! Versions are never 0, so a cache can use 0 for "no version".

use super::dict::{name_index, Dict, HashKey};
use super::lock::{SpinGuard, SpinMutex};
use super::Value;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

/// Version words per watched dict (8 KiB: only globals, builtins and module dicts are watched).
/// Fewer buckets make unrelated names share versions: with 64, the ten globals of a small
/// script already had two pairs in common buckets (the birthday bound), so a loop assigning one
/// name kept missing the caches of another (`benches/programs/module_loop.py`: `i` and
/// `FACTOR`, `last` and `scale`).
pub const KEY_BUCKETS: usize = 1024;

/// The version words of a watched dict.
type Buckets = [AtomicU64; KEY_BUCKETS];

/// The source of versions (0 is never handed out), in blocks of [`VERSION_BLOCK`].
static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

/// Versions a thread takes from [`NEXT_VERSION`] at a time: a store to a watched dict (a
/// module-level assignment) draws its version from the thread's block with plain operations,
/// and one locked add in this many renews it. Versions only need to be unique (caches compare
/// them for equality), which disjoint blocks keep; their order across threads means nothing.
const VERSION_BLOCK: u64 = 256;

thread_local! {
    /// This thread's block of versions: the next one and the end (empty at first).
    static VERSIONS: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
}

fn next_version() -> u64 {
    VERSIONS.with(|c| {
        let (next, end) = c.get();
        if next < end {
            c.set((next + 1, end));
            return next;
        }
        let start = NEXT_VERSION.fetch_add(VERSION_BLOCK, Ordering::Relaxed);
        c.set((start + 1, start + VERSION_BLOCK));
        start
    })
}

/// The bucket of a key with this hash (the top bits of a Fibonacci mix: str hashes and small
/// int hashes alike spread).
#[inline]
pub fn key_bucket(hash: u64) -> usize {
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - KEY_BUCKETS.trailing_zeros())) as usize
}

/// The lock of a dict (a `SpinMutex`: see `object::lock`). `lock` and `read` both take it
/// exclusively today: readers take `read` so that a reader-writer lock can replace it without
/// touching them (a `parking_lot::RwLock` made oversubscribed threads much slower: its writers
/// wait for preempted readers, and busy readers that never sleep starve the threads that wait
/// on them for handshakes). Only [`DictLock::lock`] can change the dict, and it keeps a watched
/// dict's versions (module docs).
pub struct DictLock {
    /// Boxed: an `IndexMap` and its lock beside the version pointer would make every `Object`
    /// 80 bytes, not 64 (the dict is the only kind that large).
    map: Box<SpinMutex<Dict>>,
    /// Null while unwatched; set once, under the lock, and freed with the dict.
    buckets: AtomicPtr<Buckets>,
}

impl DictLock {
    /// A dict's lock around `d`.
    pub fn new(d: Dict) -> DictLock {
        DictLock {
            map: Box::new(SpinMutex::new(d)),
            buckets: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// Exclusive access, for changes (module docs: how they move a watched dict's versions).
    #[inline]
    pub fn lock(&self) -> DictWrite<'_> {
        DictWrite {
            guard: self.map.lock(),
            lock: self,
        }
    }

    /// Access for lookups (exclusive too, for now: see the type); leaves the versions alone.
    #[inline]
    pub fn read(&self) -> DictRead<'_> {
        DictRead(self.map.lock())
    }

    /// Watches the dict (a no-op if it is already watched), under its lock: `guard` must come
    /// from this dict.
    pub fn watch(&self, guard: &DictRead<'_>) {
        debug_assert!(std::ptr::eq(&*guard.0, self.map.data_ptr()));
        if !self.buckets.load(Ordering::Relaxed).is_null() {
            return;
        }
        // One fresh version for every bucket: buckets of one dict are never compared with
        // each other, and the version differs from those of every other dict.
        let v = next_version();
        let b: Box<Buckets> = Box::new(std::array::from_fn(|_| AtomicU64::new(v)));
        // Release: a reader that finds the pointer finds initialized words.
        self.buckets.store(Box::into_raw(b), Ordering::Release);
    }

    /// The current version of the bucket of keys with hash `hash` (0: unwatched).
    #[inline]
    pub fn key_version(&self, hash: u64) -> u64 {
        self.bucket_version(key_bucket(hash))
    }

    /// The current version of bucket `bucket` (a `key_bucket`; 0: unwatched).
    #[inline]
    pub fn bucket_version(&self, bucket: usize) -> u64 {
        debug_assert!(bucket < KEY_BUCKETS);
        let b = self.buckets.load(Ordering::Acquire);
        if b.is_null() {
            return 0;
        }
        // SAFETY: a non-null pointer is the dict's own words, freed only with the dict;
        // `bucket` is in range (a `key_bucket`, which the debug assertion checks).
        unsafe { (*b).get_unchecked(bucket).load(Ordering::Acquire) }
    }

    /// The address of the version-words pointer (null while unwatched), for compiled code that
    /// compares a bucket's version in place: the words are at `[ptr + 8 * key_bucket(hash)]`.
    pub fn buckets_addr(&self) -> usize {
        &self.buckets as *const AtomicPtr<Buckets> as usize
    }

    /// The address of the version words (`None` while unwatched): once set, it stays for as
    /// long as the dict lives. The word of keys with hash `h` is at `+ 8 * key_bucket(h)`.
    pub fn buckets_ptr(&self) -> Option<usize> {
        let b = self.buckets.load(Ordering::Acquire);
        (!b.is_null()).then_some(b as usize)
    }

    /// Gives the bucket of `hash` (or, with `None`, every bucket) a new version; a no-op when
    /// unwatched. Called under the lock, before the change.
    fn bump(&self, hash: Option<u64>) {
        let b = self.buckets.load(Ordering::Relaxed);
        if b.is_null() {
            return;
        }
        // SAFETY: as in `key_version`.
        let b = unsafe { &*b };
        match hash {
            Some(h) => b[key_bucket(h)].store(next_version(), Ordering::Release),
            None => {
                let v = next_version();
                b.iter().for_each(|w| w.store(v, Ordering::Release));
            }
        }
    }
}

impl Drop for DictLock {
    fn drop(&mut self) {
        let b = *self.buckets.get_mut();
        if !b.is_null() {
            // SAFETY: set once from `Box::into_raw` in `watch`; the dict is going away, and
            // compiled code reads the words only through a live dict.
            drop(unsafe { Box::from_raw(b) });
        }
    }
}

/// Read access to a dict (from [`DictLock::read`]): no changes through it, so it leaves a
/// watched dict's versions alone.
pub struct DictRead<'a>(SpinGuard<'a, Dict>);

impl std::ops::Deref for DictRead<'_> {
    type Target = Dict;
    #[inline]
    fn deref(&self) -> &Dict {
        &self.0
    }
}

/// Write access to a dict (from [`DictLock::lock`]). Its own `insert` and `shift_remove` give
/// the key's bucket a new version; any other change goes through `&mut Dict` (`DerefMut`),
/// which gives every bucket one first.
pub struct DictWrite<'a> {
    guard: SpinGuard<'a, Dict>,
    lock: &'a DictLock,
}

impl DictWrite<'_> {
    /// `d[key] = value`; the old value, if any.
    #[inline]
    pub fn insert(&mut self, key: HashKey, value: Value) -> Option<Value> {
        self.lock.bump(Some(key.hash));
        self.guard.insert(key, value)
    }

    /// `d[name] = value` for a name (a str, normally interned) with hash `hash` that the dict
    /// (whose object is at `addr`) already holds: the value replaced in place, where
    /// `dict::name_index` finds it (no key to build, no probe when the memo holds), and the old
    /// one returned; `Err(value)` if the name is not there.
    #[inline]
    pub fn replace_name(
        &mut self,
        addr: usize,
        name: &Value,
        hash: u64,
        value: Value,
    ) -> Result<Value, Value> {
        let Some(i) = name_index(&self.guard, addr, name, hash) else {
            return Err(value);
        };
        self.lock.bump(Some(hash));
        let (_, slot) = self.guard.get_index_mut(i).expect("the index just found");
        Ok(std::mem::replace(slot, value))
    }

    /// Removes `key` keeping the order of the rest; its value, if it was there.
    #[inline]
    pub fn shift_remove(&mut self, key: &HashKey) -> Option<Value> {
        self.lock.bump(Some(key.hash));
        self.guard.shift_remove(key)
    }
}

impl std::ops::Deref for DictWrite<'_> {
    type Target = Dict;
    #[inline]
    fn deref(&self) -> &Dict {
        &self.guard
    }
}

impl std::ops::DerefMut for DictWrite<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Dict {
        self.lock.bump(None);
        &mut self.guard
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> HashKey {
        HashKey::new(Value::str(s)).unwrap()
    }

    /// Changes move the versions of the changed key's bucket only (or all, through
    /// `&mut Dict`); reads move none; two dicts never share a version.
    #[test]
    fn versions_drawn_by_threads_never_repeat() {
        let drawn: Vec<u64> = (0..4)
            .map(|_| std::thread::spawn(|| (0..1000).map(|_| next_version()).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .chain((0..1000).map(|_| next_version()))
            .collect();
        let unique: std::collections::HashSet<u64> = drawn.iter().copied().collect();
        assert_eq!(unique.len(), drawn.len(), "a version handed out twice");
        assert!(!unique.contains(&0), "0 means no version");
    }

    #[test]
    fn key_versions_follow_changes() {
        let (a, b) = (
            DictLock::new(Dict::default()),
            DictLock::new(Dict::default()),
        );
        let (x, y) = (key("x"), key("y"));
        assert_ne!(
            key_bucket(x.hash),
            key_bucket(y.hash),
            "pick keys of two buckets"
        );
        assert_eq!(a.key_version(x.hash), 0, "unwatched");
        a.watch(&a.read());
        b.watch(&b.read());
        let (ax, ay) = (a.key_version(x.hash), a.key_version(y.hash));
        assert!(ax != 0 && ax != b.key_version(x.hash));
        a.lock().insert(x.clone(), Value::NONE);
        assert_ne!(a.key_version(x.hash), ax);
        assert_eq!(a.key_version(y.hash), ay, "another bucket is left alone");
        drop(a.read().get(&x).cloned());
        let ax2 = a.key_version(x.hash);
        let _ = a.lock().len();
        assert_eq!(
            a.key_version(x.hash),
            ax2,
            "reading through a write guard changes nothing"
        );
        a.lock().shift_remove(&x);
        assert_ne!(a.key_version(x.hash), ax2);
        a.lock().clear();
        assert_ne!(
            a.key_version(y.hash),
            ay,
            "a change through &mut Dict moves every bucket"
        );
    }

    /// `replace_name` replaces a present name's value where it is (order kept, the key's
    /// bucket versioned anew, the old value handed back) and gives an absent name's value back.
    #[test]
    fn replace_name_keeps_the_entry_and_moves_its_version() {
        let d = DictLock::new(Dict::default());
        let (x, y) = (key("x"), key("y"));
        d.lock().insert(x.clone(), Value::small(1).unwrap());
        d.lock().insert(y.clone(), Value::small(2).unwrap());
        d.watch(&d.read());
        let addr = &d as *const DictLock as usize;
        let before = d.key_version(x.hash);
        for round in 0..3 {
            let new = Value::small(10 + round).unwrap();
            let old = d.lock().replace_name(addr, &x.key, x.hash, new);
            let want = if round == 0 { 1 } else { 9 + round };
            assert_eq!(old.ok().and_then(|v| v.as_small()), Some(want));
        }
        assert_ne!(d.key_version(x.hash), before);
        let keys: Vec<_> = d
            .read()
            .keys()
            .map(|k| k.key.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(keys, ["x", "y"], "replaced in place");
        assert_eq!(d.read().get(&x).and_then(Value::as_small), Some(12));
        let z = key("z");
        let back = d.lock().replace_name(addr, &z.key, z.hash, Value::NONE);
        assert!(
            back.is_err_and(|v| v.is_none()),
            "an absent name is not added"
        );
        assert_eq!(d.read().len(), 2);
    }
}
