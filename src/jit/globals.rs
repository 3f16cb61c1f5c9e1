//! Global-name loads in compiled code: the code object's name caches
//! (`object::name_cache::NameCache`, shared with the interpreter) read inline, so a compiled
//! load of a global or builtin name (the function a call site calls, most often) is a few
//! compares instead of a runtime call that locks the globals dict.
//!
//! A cache points to a record: the value found, and the latest versions, under which it was
//! found, of the name's key bucket in the globals and in the builtins dicts
//! (`object::dict_lock`: a bucket's version is unique across all watched dicts and changes
//! with every change to a key of the bucket). The compiled fast path, in steps:
//! 1. Load the current version of the name's bucket in the activation's globals (the version
//!    words are found through the globals word at [`buckets_offset`]; none: slow path). Load
//!    the record pointer; none yet: slow path.
//! 2. A global's record (builtins version `name_cache::ANY_VERSION`): compare its one version
//!    word with the current one. A builtin's record (out of line): load its sequence word (odd:
//!    a refresh is writing the versions: slow path), compare both versions with the current
//!    ones of the globals and of the builtins (found through an absolute address), then the
//!    sequence word with the one loaded first. Any difference: slow path.
//!    Equal versions mean the dicts are in a state in which the record's value was the
//!    answer.
//! 3. An immediate (small int, `None`, a bool) is the answer as it is. A heap value is taken
//!    with a new strong reference only if the object is alive (`refcount::emit_upgrade_rax`:
//!    the owner's plain increment, or another thread's compare-and-swap that fails on a dead
//!    object, see `object::rc`): the record holds the value *weakly*, which keeps its
//!    allocation, so reading the counts is sound even after another thread rebound the name
//!    and freed the object between steps 2 and 3; then the upgrade fails and the slow path
//!    answers. The load takes effect at step 2.
//!
//! Between the two loads of step 1, when the globals of the function being compiled were
//! known, a load checks for the value the name had in them at compile time: one compare of
//! the bucket's version with the version of that moment, the value an immediate in the code
//! (`compile::globals`). A global's record provided both, and keeps the value's allocation
//! for step 3; any other version (the name was rebound, or another dict) goes on with the
//! record.
//!
//! A load that opens a callee window for the running function (a recursion's call: the
//! name's value at compile time is a function of this code whose globals are the ones compiled
//! for) checks that first, with two independent loads: the running function is that value
//! (so its globals, which it keeps alive, are those), and the name's version word in those
//! globals, at its absolute address (a dict's version words never move while it lives), is
//! the compile-time version. Anything else goes on with the steps above, out of line; where
//! the window holds only loads and arithmetic, a value other than the running function then
//! runs a copy of the window compiled out of line (`compile::globals`), so the window's own
//! call knows its callee and compares nothing.
//!
//! The slow path ([`jit_load_global_cached`]) looks the name up under the locks, as the
//! interpreter does, and refreshes the record's versions if it found the same value (the
//! common miss: another global of the same bucket changed), or installs a new record.
//!
//! The caches live in the code object, which outlives every activation of its compiled code
//! (and the compiled code itself).

use super::helpers::{tstate, value};
pub use crate::object::name_cache::{NameCache, BITS, BVER, GVER, SEQ};
use crate::object::Value;
use crate::thread::{runtime, ThreadState};
use std::mem::ManuallyDrop;
use std::sync::atomic::AtomicPtr;
use std::sync::OnceLock;

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
    cache: *const NameCache,
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
        crate::interp::fill_global_cache(cache, &globals, &name)
    })
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
}
