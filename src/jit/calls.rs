//! Direct calls between compiled functions: one monomorphic cache per `Call(n)` site.
//!
//! A site's [`CallCache`] remembers the first compiled function it called whose parameters take
//! exactly the site's `n` positional arguments. From then on the compiled site compares the
//! callee word with the cached one and, when equal, calls the callee's entry directly (no
//! runtime helper, no entry trampoline): the callee's native frame sits right below the
//! caller's, and the walker finds the caller's instruction through the callee's return-address
//! slot (`asm/README.md`, "Finding each JIT activation's current instruction").
//!
//! Invariants:
//! - A cache is filled at most once (`filling` is claimed first, then `entry` and `globals` are
//!   written, then `func` is published with Release) and never changes afterwards, so JIT code
//!   that reads `func` (a plain load; x86-64 does not reorder loads with loads) and finds it equal
//!   to its callee also reads that callee's `entry` and `globals`.
//! - The cache holds a *weak* reference to the function: it keeps the function's allocation, so
//!   no other object can take the cached address while the cache compares callees with it, but
//!   not the function. A strong one would close the cycle code object -> compiled code -> cache
//!   -> function -> code object (a recursive function caches itself), which nothing frees. When
//!   a callee equals the cached word, the caller holds that very function, alive, and with it
//!   its code object, that code's compiled code (whose entry is cached) and its globals.
//! - A direct call is only taken when the callee needs no argument binding beyond moving the
//!   `n` words: `n == argcount` (the subset has no `*args`, `**kwargs` or keyword-only
//!   parameters, and defaults only fill missing arguments).

use super::compiled;
use super::helpers::{call_unbound_builtin, tstate, value, StackWords};
use crate::object::rc::WeakRef;
use crate::object::{Object, Value};
use crate::thread::ThreadState;
use std::mem::offset_of;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The inline cache of one call site (addressed by compiled code at the offsets below).
#[repr(C)]
#[derive(Default)]
pub struct CallCache {
    /// The cached callee (an owned `Value` word), 0 while empty.
    pub func: AtomicUsize,
    /// Its compiled entry.
    pub entry: AtomicUsize,
    /// Its globals (borrowed from the function).
    pub globals: AtomicUsize,
    filling: AtomicBool,
    /// Keeps the cached function's allocation (not the function): see the module docs.
    keep: OnceLock<WeakRef>,
}

/// Offset of [`CallCache::func`].
pub const FUNC: i32 = offset_of!(CallCache, func) as i32;
/// Offset of [`CallCache::entry`].
pub const ENTRY: i32 = offset_of!(CallCache, entry) as i32;
/// Offset of [`CallCache::globals`].
pub const GLOBALS: i32 = offset_of!(CallCache, globals) as i32;

impl CallCache {
    /// Caches `callee` if the cache is empty and a direct call with `n` arguments can run it.
    fn offer(&self, callee: &Value, n: usize) {
        if self.func.load(Ordering::Relaxed) != 0 {
            return;
        }
        let Some(Object::Function(f)) = callee.obj() else {
            return;
        };
        if f.code.argcount as usize != n {
            return;
        }
        let Some(jc) = compiled(&f.code) else {
            return;
        };
        if jc.is_generator() {
            // Calling it creates a generator (`interp::gen`): its entry is a resumption.
            return;
        }
        let Some(weak) = callee.downgrade() else {
            return;
        };
        if self.filling.swap(true, Ordering::Acquire) {
            return; // another thread fills it
        }
        let _ = self.keep.set(weak);
        self.entry.store(jc.entry(), Ordering::Relaxed);
        self.globals.store(f.globals.bits(), Ordering::Relaxed);
        // Publish last: a reader that sees `func` sees the words above (module docs).
        self.func.store(callee.bits(), Ordering::Release);
    }
}

/// The slow path of a cached `Call(n)` site: `[callee, arg1..argN]` at `base` (consumed).
/// Calls through the runtime, then offers the callee to the site's cache.
///
/// # Safety
/// Called by JIT code only, under the helper conventions of [`super::helpers`]; `cache` is the
/// site's cache, owned by the running code's `JitCodeInfo`.
pub unsafe extern "C" fn jit_call_cached(
    ts: *mut ThreadState,
    base: *const usize,
    n: usize,
    cache: *const CallCache,
) -> usize {
    value(|| {
        // SAFETY: `ts` from `r15`; `base..base + n + 1` are the instruction's owned words,
        // which this helper consumes.
        let (ts, words) = unsafe { (tstate(ts), StackWords::new(base, n + 1)) };
        let (callee, args) = (&words.0[0], &words.0[1..]);
        // No cache offer for a builtin (only Python functions are cached).
        if let Some(r) = call_unbound_builtin(ts, callee, args) {
            return r;
        }
        // SAFETY: the cache lives in the running code's info.
        let cache = unsafe { &*cache };
        // Offer before the call (a recursive call would otherwise only be cached once the
        // whole recursion returned) and after it (the call may have compiled the callee).
        cache.offer(callee, n);
        let r = crate::interp::call(ts, callee, args, &[]);
        cache.offer(callee, n);
        r
    })
}

#[cfg(test)]
mod tests {
    use super::CallCache;
    use crate::object::{Function, Object, Value};
    use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

    /// A cache filled with a function does not keep it alive (the cycle code -> compiled code ->
    /// cache -> function -> code must not form), yet keeps comparing against its address.
    #[test]
    fn a_filled_cache_does_not_own_its_function() {
        let module = crate::compile::compile_module("def f(n):\n    return f(n)\n", "<cache>")
            .expect("compiles");
        let code = module
            .consts
            .iter()
            .find_map(|c| match c.obj() {
                Some(Object::Code(c)) => Some(c.clone()),
                _ => None,
            })
            .expect("the code of f");
        super::super::compile(&code).expect("f compiles");
        let f = Value::from_object(Object::Function(Function {
            code: code.clone(),
            globals: Value::dict(),
            defaults: Box::new([]),
            names: Box::new(crate::object::FunctionNames {
                name: Value::str("f"),
                qualname: Value::str("f"),
                module: Value::str("__main__"),
            }),
            calls: AtomicU32::new(0),
            jit_entry: AtomicUsize::new(0),
        }));
        let cache = CallCache::default();
        cache.offer(&f, 1);
        assert_eq!(cache.func.load(Ordering::Relaxed), f.bits());
        assert_ne!(cache.entry.load(Ordering::Relaxed), 0);
        let weak = f.downgrade().expect("heap");
        drop(f);
        assert!(
            crate::object::Value::upgrade(&weak).is_none(),
            "the cache kept the function alive"
        );
        // The address stays reserved while the cache compares with it.
        assert_eq!(weak.as_ptr() as usize, cache.func.load(Ordering::Relaxed));
        drop(cache);
    }
}
