//! Global-name caches: one per `LoadGlobal` site, so a compiled load of a global or builtin
//! name (the function a call site calls, most often) is a few compares instead of a runtime
//! call that locks the globals dict.
//!
//! A site's [`GlobalCache`] points to an immutable [`Record`]: the value found, and the
//! versions of the globals and builtins dicts under which it was found (`DictLock::watch`:
//! versions are unique across all watched dicts and change at every `lock`). The compiled fast
//! path, in steps:
//! 1. Load the record pointer; none yet: slow path.
//! 2. Compare the record's versions with the current versions of the activation's globals
//!    (read through the globals word at [`version_offset`]) and of the builtins (an absolute
//!    address); any difference: slow path. Equal versions mean neither dict changed since the
//!    record was made, so its value is the answer.
//! 3. An immediate (small int, `None`, a bool) is the answer as it is. A heap value is taken
//!    with [`jit_global_upgrade`], an increment of its strong count only if that count is not
//!    zero: the record holds the value *weakly* (a strong reference would close the cycle code
//!    -> compiled code -> record -> function -> code for every recursive function), which keeps
//!    its allocation, so reading the count is sound even after another thread rebound the name
//!    and freed the object between steps 2 and 3; then the upgrade fails and the slow path
//!    answers. The load takes effect at step 2.
//!
//! The slow path ([`jit_load_global_cached`]) looks the name up under the locks, as the
//! interpreter does, and installs a new record.
//!
//! Invariants:
//! - Records are never changed, and never freed before their cache: a reader may still hold a
//!   replaced one. A site replaces its record at most [`MAX_RECORDS`] times; after that its
//!   misses stay on the slow path (a global rebound in a loop would otherwise grow the list).
//!
//! Known cost: a version covers the whole dict, so any change of a module's globals (a
//! module-level loop assigning a global, say) makes every site reading that module's globals
//! miss once; a site that misses more than [`MAX_RECORDS`] times stays on the slow path, which
//! is as fast as compiled code was before these caches. Freeing replaced records once no
//! reader can hold them (a grace period through the threads' safepoints) would lift the bound.
//! - The cache lives in the code's `JitCodeInfo`, which outlives every activation of the code.

use super::helpers::{tstate, value};
use crate::object::{Object, Value};
use crate::thread::{runtime, ThreadState};
use parking_lot::Mutex;
use std::mem::{offset_of, ManuallyDrop};
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::{Arc, OnceLock, Weak};

/// How many records a site makes over its life (about 40 bytes each).
pub const MAX_RECORDS: usize = 64;

/// What one lookup found (immutable once published).
#[repr(C)]
pub struct Record {
    /// Version of the globals dict.
    pub gver: u64,
    /// Version of the builtins dict.
    pub bver: u64,
    /// The value's word: an immediate, or the address of a heap object of which `weak` is a
    /// weak reference (`Weak::into_raw`).
    pub bits: usize,
}

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
        Some(Record { gver, bver, bits })
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
    /// Set once the site made its last record: its misses skip the lock above.
    exhausted: AtomicBool,
}

impl GlobalCache {
    /// Publishes a record of `v` found under `versions`.
    fn install(&self, v: &Value, versions: (u64, u64)) {
        if self.exhausted.load(Ordering::Relaxed) {
            return;
        }
        let mut retired = self.retired.lock();
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
        (!p.is_null()).then(|| unsafe { ((*p).gver, (*p).bver, (*p).bits) })
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

/// Offset of a dict's version word from the address of its object (the heap word of a dict
/// `Value`): the same for every dict, measured once on a real one.
pub fn version_offset() -> i32 {
    static OFFSET: OnceLock<i32> = OnceLock::new();
    *OFFSET.get_or_init(|| {
        let d = Value::dict();
        let lock = d.as_dict().expect("a dict");
        i32::try_from(lock.version_addr() as isize - d.bits() as isize)
            .expect("the version word lies inside the dict's object")
    })
}

/// The address of the builtins dict's version word (compared in place by compiled code), or
/// of a word that stays 0 when there are no builtins.
pub fn builtins_version_addr() -> usize {
    static NONE: u64 = 0;
    match runtime().builtins.get().and_then(Value::as_dict) {
        // The runtime keeps its builtins dict for the life of the process.
        Some(b) => b.version_addr(),
        None => &NONE as *const u64 as usize,
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

    /// A watched dict gets a new version at every `lock`, and none at `read`; versions of two
    /// dicts never coincide.
    #[test]
    fn versions_change_with_every_lock() {
        let a = dict_with("x", Value::small(1).unwrap());
        let b = dict_with("x", Value::small(1).unwrap());
        let (da, db) = (a.as_dict().unwrap(), b.as_dict().unwrap());
        assert_eq!(da.version(), 0, "unwatched");
        let va = da.watch(&da.read());
        let vb = db.watch(&db.read());
        assert!(va != 0 && vb != 0 && va != vb);
        assert_eq!(da.watch(&da.read()), va, "watching twice keeps the version");
        drop(da.read());
        assert_eq!(da.version(), va, "a read leaves it");
        drop(da.lock());
        assert_ne!(da.version(), va, "a lock changes it");
        assert_ne!(da.version(), vb);
        assert_eq!(db.version(), vb);
    }

    /// `version_offset` finds the version word of any dict from its object's address.
    #[test]
    fn version_offset_reaches_the_version_word() {
        let d = Value::dict();
        let lock = d.as_dict().unwrap();
        lock.watch(&lock.read());
        let at = (d.bits() as isize + version_offset() as isize) as *const u64;
        // SAFETY: the offset points inside the live dict object (what the test checks).
        assert_eq!(unsafe { *at }, lock.version());
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
