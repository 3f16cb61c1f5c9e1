//! Runtime helpers: the `extern "C"` functions JIT code calls for everything it does not inline.
//!
//! Conventions (the compiler relies on each):
//! 1. The first argument is always `*mut ThreadState` (`rdi = r15`).
//! 2. Value arguments are raw words. A helper *consumes* (takes ownership of, and drops) every
//!    value the instruction pops, unless its docs say it borrows; values it pushes are returned
//!    or written owned. This mirrors the interpreter, which pops its inputs into owned `Value`s
//!    and drops them when the instruction ends, so reference counts match exactly.
//! 3. Errors: a helper that fails returns 0 (never a valid `Value` word: heap pointers are non-
//!    null and immediates have low bits set) and leaves the exception in the thread's pending
//!    slot ([`state::set_pending`]). Helpers returning a status return 1 for success.
//! 4. Every body runs inside `catch_unwind`: a panic (a bug in the runtime, or one inside an
//!    operation the helper calls) becomes a pending `SystemError` and the sentinel, never an unwind
//!    through JIT frames, which have no unwind tables.
//! 5. Helpers that can run Python code or observe frames are called through the runtime-call
//!    trampoline (which anchors the caller); [`jit_decref`],
//!    [`jit_record_error`], [`jit_unwind_exit`], [`jit_recursion_error`],
//!    [`jit_materialized_exit`] and [`jit_for_iter_fast`] are leaf calls.

use super::state;
use crate::object::name_cache::NameCache;
use crate::object::value::NULL_BITS;
use crate::object::{ops, AttrCache, ExcKind, HashKey, Object, PyErr, PyResult, Value};
use crate::thread::ThreadState;
use smallvec::SmallVec;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Takes ownership of a raw word.
///
/// # Safety
/// `w` must be an owned `Value` word that nobody else will drop.
#[inline(always)]
unsafe fn own(w: usize) -> Value {
    // SAFETY: caller's contract.
    unsafe { Value::from_bits(w) }
}

/// Borrows a raw word as a `Value` without taking its reference.
///
/// # Safety
/// `w` must be a live `Value` word that stays owned by someone else for the borrow's duration.
#[inline(always)]
unsafe fn borrow(w: usize) -> std::mem::ManuallyDrop<Value> {
    // SAFETY: caller's contract; ManuallyDrop never releases the reference.
    std::mem::ManuallyDrop::new(unsafe { Value::from_bits(w) })
}

/// # Safety
/// `ts` must be the running thread's state, passed by JIT code from `r15`.
#[inline(always)]
pub(super) unsafe fn tstate<'a>(ts: *mut ThreadState) -> &'a mut ThreadState {
    // SAFETY: caller's contract; JIT code holds no other reference to it across the call.
    unsafe { &mut *ts }
}

fn panic_error(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    PyErr::new(
        ExcKind::SystemError,
        format!("panic in a JIT runtime helper: {msg}"),
    )
}

/// Runs a helper body: `Ok(word)` is returned, an error or a panic becomes the pending exception
/// and 0.
///
/// A panic that unwound through Python frames the helper had linked (the interpreter running a
/// callee) left their freed shadow frames on this thread's stack, and any frame object of them
/// pointing to freed memory: nothing can run safely after that, so it is a clean abort with a
/// message instead of an exception ([`stack_intact`]).
fn guarded(f: impl FnOnce() -> PyResult<usize>) -> usize {
    let f = || {
        crate::interp::fault::point(crate::interp::fault::Site::Helper);
        let r = f();
        // A generator the helper dropped (an argument, a replaced value): the trampoline's
        // poll after this call runs its `finally`.
        poll_for_finalizers();
        r
    };
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(w)) => {
            debug_assert_ne!(w, 0, "0 is the error sentinel");
            w
        }
        Ok(Err(e)) => {
            state::set_pending(e);
            0
        }
        Err(p) => {
            let err = panic_error(p);
            if !stack_intact() {
                eprintln!(
                    "shadowpy: fatal: {} (it unwound through Python frames); aborting",
                    err.exception()
                        .args
                        .as_tuple()
                        .and_then(|a| a.first().and_then(|m| m.as_str().map(str::to_owned)))
                        .unwrap_or_default()
                );
                std::process::abort();
            }
            state::set_pending(err);
            0
        }
    }
}

/// After a panic in a helper: is the calling activation still the top of the shadow stack?
///
/// A helper that can run Python code is called through the runtime-call trampoline, which
/// records the caller's frame pointer (`last_fp`); its shadow frame is at a fixed offset from
/// it. A leaf helper (`last_pc` 0) links no frame.
fn stack_intact() -> bool {
    let st = state::current();
    // SAFETY: the current JIT state is the field of this thread's running `ThreadState`, at
    // `JIT_OFFSET` from its start (the `ThreadState` layout invariant); only this thread touches
    // it, and no reference to either is held here.
    unsafe {
        let (last_pc, last_fp) = ((*st).last_pc, (*st).last_fp);
        if last_pc == 0 {
            return true;
        }
        let ts = (st as *const u8).sub(crate::thread::JIT_OFFSET as usize) as *const ThreadState;
        let expected = (last_fp as isize + super::layout::SHADOW as isize) as usize;
        (*ts).shadow_top as usize == expected
    }
}

pub(super) fn value(f: impl FnOnce() -> PyResult<Value>) -> usize {
    guarded(|| f().map(Value::into_bits))
}

fn status(f: impl FnOnce() -> PyResult<()>) -> usize {
    guarded(|| f().map(|()| 1))
}

// ---------------------------------------------------------------------------------------------
// Safepoints.

/// The slow path of a safepoint poll: serves this thread's pending handshakes. Called through
/// the runtime-call trampoline (the caller is anchored, so handshakes can walk it); never fails.
///
/// # Safety
/// Called by JIT code (or the trampoline) only, with `ts` the running thread's state.
pub unsafe extern "C" fn jit_safepoint(ts: *mut ThreadState) -> usize {
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: called with the running thread's state; JIT code holds no reference into it.
        let ts = unsafe { tstate(ts) };
        crate::thread::handshake::serve(ts);
        // The `finally` of generators dropped by compiled code since the last poll.
        crate::interp::gen::poll_finalizers(ts);
    }));
    if r.is_err() {
        // A handshake operation only reads frames and builds frame objects; a panic there is a
        // runtime bug that cannot be reported to anyone from here: abort, saying so (the panic
        // message is already out).
        eprintln!("shadowpy: fatal: a runtime panic while serving a handshake; aborting");
        std::process::abort();
    }
    1
}

/// The slow path of a prologue whose stack compare tripped while the native stack has room:
/// a poll was asked for (`ThreadState::stack_trip`), or the word was left tripped by one that
/// was served since. Restores the word; the runtime-call trampoline then serves the poll on
/// its way back if the byte is set, as at any safepoint (the activation is consistent and
/// anchored at its start). Never fails.
///
/// # Safety
/// Called by JIT code only, through the runtime-call trampoline, with `ts` the running
/// thread's state.
pub unsafe extern "C" fn jit_entry_poll(ts: *mut ThreadState) -> usize {
    // SAFETY: the running thread's state; the word is atomic.
    unsafe { (*ts).untrip() };
    1
}

// ---------------------------------------------------------------------------------------------
// Reference counting (leaf).

/// `drop` of an owned heap word. Leaf (dropping runs no Python code in this runtime).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_decref(w: usize) {
    let r = catch_unwind(|| {
        // SAFETY: JIT code gives up its reference here.
        drop(unsafe { own(w) });
        // This leaf call cannot run a dropped generator's `finally`: the next poll does.
        poll_for_finalizers();
    });
    if r.is_err() {
        // A panicking destructor cannot be reported as a Python error from here.
        std::process::abort();
    }
}

/// Asks for the thread's next poll if a drop left a generator's `finally` to run (the poll
/// runs it, at the instruction that dropped it: `jit_safepoint`).
fn poll_for_finalizers() {
    if crate::interp::gen::finalizers_pending() {
        state::request_poll();
    }
}

// ---------------------------------------------------------------------------------------------
// Names and attributes.

fn name_str(name: &Value) -> &str {
    name.as_str().expect("names are strs")
}

/// `globals[name] = v` (consumes `v`). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_store_global(
    ts: *mut ThreadState,
    globals: usize,
    name: usize,
    v: usize,
) -> usize {
    status(|| {
        // SAFETY: both words are owned by the function / code object, alive during the call;
        // `v` consumed.
        let (_ts, globals, name, v) =
            unsafe { (tstate(ts), borrow(globals), borrow(name), own(v)) };
        let key = HashKey::new((*name).clone())?;
        let old = globals
            .as_dict()
            .expect("globals is a dict")
            .lock()
            .insert(key, v);
        drop(old);
        Ok(())
    })
}

/// `obj.name` (consumes `obj`).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_load_attr(
    ts: *mut ThreadState,
    obj: usize,
    name: usize,
    cache: *const AttrCache,
    names: *const NameCache,
) -> usize {
    value(|| {
        // SAFETY: `obj` consumed; `name` and the caches borrowed from the code object.
        let (ts, obj, name) = unsafe { (tstate(ts), own(obj), borrow(name)) };
        // SAFETY: as above.
        let (cache, names) = unsafe { (&*cache, &*names) };
        load_attr(ts, &obj, &name, cache, names)
    })
}

/// `obj.name` through the caches of the name's loads: a module member through the name's
/// cache (as the interpreter's `LoadAttr`), a native's attribute through its type's getter.
#[inline(always)]
fn load_attr(
    ts: &mut ThreadState,
    obj: &Value,
    name: &Value,
    cache: &AttrCache,
    names: &NameCache,
) -> PyResult<Value> {
    if let Some(Object::Module(_)) = obj.obj() {
        if let Some(v) = crate::interp::module_attr(obj, name, names) {
            return Ok(v);
        }
    }
    cache.getattr(ts, obj, name)
}

/// `obj.name` for `obj` borrowed from a local of the caller: a `LoadFast` fused with the
/// `LoadAttr` after it (`compile::slots`), which saves the pair of reference counts.
///
/// # Safety
/// As for [`jit_load_attr`], with `obj` borrowed: the local keeps its reference for the whole
/// call, because nothing can write the caller's locals meanwhile (an attribute of the subset's
/// objects runs no Python code, and other threads reach a running frame's locals only in a
/// handshake, which this call does not serve).
pub unsafe extern "C" fn jit_load_attr_local(
    ts: *mut ThreadState,
    obj: usize,
    name: usize,
    cache: *const AttrCache,
    names: *const NameCache,
) -> usize {
    value(|| {
        // SAFETY: `obj` borrowed from the caller's local; `name` and the caches from the code
        // object.
        let (ts, obj, name) = unsafe { (tstate(ts), borrow(obj), borrow(name)) };
        // SAFETY: as above.
        let (cache, names) = unsafe { (&*cache, &*names) };
        load_attr(ts, &obj, &name, cache, names)
    })
}

/// The fast path of [`jit_load_attr_local`], as a leaf call (no runtime-call trampoline): `obj.name`
/// when `obj`'s type is the one the cache holds and its getter is a leaf
/// ([`NativeObject::leaf_getter`](crate::object::NativeObject::leaf_getter): no Python code, no
/// frame observed, the same answer again), as a value word; 0 otherwise, also when the getter
/// fails or panics: the site then calls `jit_load_attr_local`, which calls it again and reports
/// what it says.
///
/// # Safety
/// Called by JIT code only: `ts` the running thread's state, `obj` borrowed from the caller's
/// local (as in `jit_load_attr_local`), `cache` from the code object.
pub unsafe extern "C" fn jit_load_attr_leaf(
    ts: *mut ThreadState,
    obj: usize,
    cache: *const AttrCache,
) -> usize {
    let get = || {
        // SAFETY: per the contract.
        let (ts, obj, cache) = unsafe { (tstate(ts), borrow(obj), &*cache) };
        match cache.get_leaf(ts, &obj) {
            Some(Ok(v)) => v.into_bits(),
            _ => 0,
        }
    };
    catch_unwind(AssertUnwindSafe(get)).unwrap_or(0)
}

/// `obj.name = v` (consumes both). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_store_attr(
    ts: *mut ThreadState,
    obj: usize,
    name: usize,
    v: usize,
) -> usize {
    status(|| {
        // SAFETY: as in `jit_load_attr`.
        let (ts, obj, name, v) = unsafe { (tstate(ts), own(obj), borrow(name), own(v)) };
        ops::setattr(ts, &obj, name_str(&name), v)
    })
}

/// `LoadMethod`: consumes `obj`, writes `[callable, self_or_null]` to `out[0..2]`. Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_load_method(
    ts: *mut ThreadState,
    obj: usize,
    name: usize,
    out: *mut usize,
    names: *const NameCache,
) -> usize {
    status(|| {
        // SAFETY: as in `jit_load_attr`; `out` points to two stack slots of the caller.
        let (ts, obj, name, names) = unsafe { (tstate(ts), own(obj), borrow(name), &*names) };
        let (callable, recv) = match crate::interp::module_attr(&obj, &name, names) {
            Some(v) => (v, None),
            None => ops::load_method_name(ts, &obj, &name)?,
        };
        // SAFETY: two writable slots; their previous contents were consumed.
        unsafe {
            *out = callable.into_bits();
            *out.add(1) = recv.unwrap_or(Value::NULL).into_bits();
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Calls.

type Args = SmallVec<[Value; 8]>;

/// Takes `n` owned words at `p` (for an instruction that keeps them).
///
/// # Safety
/// `p..p+n` must be owned `Value` words that the caller gives up.
pub(super) unsafe fn take(p: *const usize, n: usize) -> Args {
    // SAFETY: caller's contract.
    (0..n).map(|i| unsafe { own(*p.add(i)) }).collect()
}

/// `n` owned stack words, read in place as values and dropped when this goes: a call's
/// callee and arguments, which the instruction consumes but the callee only borrows (no copy,
/// unlike [`take`]).
pub(super) struct StackWords<'a>(pub(super) &'a [Value]);

impl StackWords<'_> {
    /// # Safety
    /// `p..p+n` must be owned `Value` words that the caller gives up, and that nothing reads or
    /// writes until this is dropped (the stack slots of the calling instruction).
    pub(super) unsafe fn new(p: *const usize, n: usize) -> Self {
        // SAFETY: caller's contract; `Value` is a transparent word.
        StackWords(unsafe { std::slice::from_raw_parts(p as *const Value, n) })
    }
}

impl Drop for StackWords<'_> {
    fn drop(&mut self) {
        for v in self.0 {
            // SAFETY: each word is owned (`new`) and read out once, here.
            drop(unsafe { std::ptr::read(v) });
        }
    }
}

/// Calls `callee` if it is an unbound builtin (`len`, `sys._getframe`, a builtin type's method
/// with its receiver first in `args`): straight to its body, with no dispatch on the callee's
/// kind; `None` for any other callee.
#[inline]
pub(super) fn call_unbound_builtin(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
) -> Option<PyResult<Value>> {
    match callee.obj() {
        Some(Object::Builtin(b)) if b.bound.is_none() => {
            // The same fault-injection site as the interpreter's builtin calls.
            crate::interp::fault::point(crate::interp::fault::Site::Builtin);
            Some((b.func)(ts, args, &[]))
        }
        _ => None,
    }
}

/// The arguments of a method call after its `[callable, self_or_null]`: the receiver first,
/// unless the slot is NULL (a plain callable was loaded).
fn method_args(words: &[Value]) -> &[Value] {
    if words[1].is_null() {
        &words[2..]
    } else {
        &words[1..]
    }
}

/// `CallKw(n)`: `[callee, arg1..argN, kwnames]` at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_call_kw(ts: *mut ThreadState, base: *const usize, n: usize) -> usize {
    value(|| {
        // SAFETY: n + 2 consumed stack words.
        let (ts, words) = unsafe { (tstate(ts), StackWords::new(base, n + 2)) };
        let (callee, args, kwnames) = (&words.0[0], &words.0[1..=n], &words.0[n + 1]);
        let (pos, kw) = crate::interp::split_kwargs(args, kwnames);
        crate::interp::call(ts, callee, pos, &kw)
    })
}

/// `CallMethod(n)`: `[callable, self_or_null, arg1..argN]` at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_call_method(
    ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n + 2 consumed stack words.
        let (ts, words) = unsafe { (tstate(ts), StackWords::new(base, n + 2)) };
        let (callee, args) = (&words.0[0], method_args(words.0));
        call_unbound_builtin(ts, callee, args)
            .unwrap_or_else(|| crate::interp::call(ts, callee, args, &[]))
    })
}

/// `CallMethodKw(n)`: `[callable, self_or_null, arg1..argN, kwnames]` at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_call_method_kw(
    ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n + 3 consumed stack words.
        let (ts, words) = unsafe { (tstate(ts), StackWords::new(base, n + 3)) };
        let (kwnames, rest) = words.0.split_last().expect("kwnames");
        let (pos, kw) = crate::interp::split_kwargs(method_args(rest), kwnames);
        crate::interp::call(ts, &rest[0], pos, &kw)
    })
}

// ---------------------------------------------------------------------------------------------
// Containers and iteration.

/// `container[key]` (consumes both).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_subscr(ts: *mut ThreadState, c: usize, k: usize) -> usize {
    value(|| {
        // SAFETY: consumed inputs.
        let (ts, c, k) = unsafe { (tstate(ts), own(c), own(k)) };
        ops::getitem(ts, &c, &k)
    })
}

/// `container[key] = v` (consumes all three). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_store_subscr(
    ts: *mut ThreadState,
    v: usize,
    c: usize,
    k: usize,
) -> usize {
    status(|| {
        // SAFETY: consumed inputs.
        let (ts, v, c, k) = unsafe { (tstate(ts), own(v), own(c), own(k)) };
        ops::setitem(ts, &c, &k, v)
    })
}

/// `del container[key]` (consumes both). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_delete_subscr(ts: *mut ThreadState, c: usize, k: usize) -> usize {
    status(|| {
        // SAFETY: consumed inputs.
        let (ts, c, k) = unsafe { (tstate(ts), own(c), own(k)) };
        ops::delitem(ts, &c, &k)
    })
}

/// A tuple of the `n` words at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_build_tuple(
    _ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n consumed stack words.
        let items = unsafe { take(base, n) };
        Ok(Value::tuple(items.into_vec()))
    })
}

/// A list of the `n` words at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_build_list(
    _ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n consumed stack words.
        let items = unsafe { take(base, n) };
        Ok(Value::list(items.into_vec()))
    })
}

/// `iter(v)` (consumes `v`).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_get_iter(ts: *mut ThreadState, v: usize) -> usize {
    value(|| {
        // SAFETY: consumed input.
        let (ts, v) = unsafe { (tstate(ts), own(v)) };
        ops::iter::get_iter_owned(ts, v)
    })
}

/// `next(it)` (borrows `it`): the next value, `NULL_BITS` when exhausted, 0 on error.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_for_iter(ts: *mut ThreadState, it: usize) -> usize {
    guarded(|| {
        // SAFETY: `it` stays owned by its stack slot.
        let (ts, it) = unsafe { (tstate(ts), borrow(it)) };
        Ok(match ops::iter_next(ts, &it)? {
            Some(v) => v.into_bits(),
            None => NULL_BITS,
        })
    })
}

/// What [`jit_for_iter_fast`] returns for an iterator it does not step: never a `Value` word
/// (the only immediates whose low bits are `0b10` are None, False, True and the NULL marker).
pub const FOR_ITER_RUNTIME: usize = 0b1_0010;

const _: () = {
    use crate::object::value::{FALSE_BITS, NONE_BITS, TRUE_BITS};
    assert!(FOR_ITER_RUNTIME & 0b11 == 0b10);
    assert!(FOR_ITER_RUNTIME != NONE_BITS && FOR_ITER_RUNTIME != FALSE_BITS);
    assert!(FOR_ITER_RUNTIME != TRUE_BITS && FOR_ITER_RUNTIME != NULL_BITS);
};

/// `next(it)` of a range, list or tuple iterator (borrows `it`), as a leaf call: these step by
/// one atomic operation (`object::iters`), and neither runs Python code nor drops anything.
/// Returns the next value, `NULL_BITS` when exhausted, [`FOR_ITER_RUNTIME`] for any other
/// iterator ([`jit_for_iter`] answers), or 0 after a panic (pending as a SystemError).
///
/// # Safety
/// Called by JIT code only, with `it` a live word its stack slot keeps owned.
pub unsafe extern "C" fn jit_for_iter_fast(it: usize) -> usize {
    let step = || {
        // SAFETY: `it` stays owned by its stack slot.
        let it = unsafe { borrow(it) };
        let next = match it.obj() {
            Some(Object::RangeIter(r)) => ops::iter::range_next(&it, r).map(Value::int),
            Some(Object::SeqIter(s)) => s.next(),
            _ => return FOR_ITER_RUNTIME,
        };
        next.map_or(NULL_BITS, Value::into_bits)
    };
    catch_unwind(step).unwrap_or_else(|p| {
        state::set_pending(panic_error(p));
        0
    })
}

/// `UnpackSequence(n)`: consumes `seq`, writes the items to `out[0..n]` last item first (so the
/// first item ends on top of the stack). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_unpack(
    ts: *mut ThreadState,
    seq: usize,
    n: usize,
    out: *mut usize,
) -> usize {
    status(|| {
        // SAFETY: consumed input.
        let (ts, seq) = unsafe { (tstate(ts), own(seq)) };
        let items = ops::unpack(ts, &seq, n)?;
        for (k, v) in items.into_iter().rev().enumerate() {
            // SAFETY: `out` points to `n` writable stack slots.
            unsafe { *out.add(k) = v.into_bits() };
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Raising.

/// `raise exc` (`cause == 0`) or `raise exc from cause` (consumes both). Always fails: returns 0.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_raise(ts: *mut ThreadState, exc: usize, cause: usize) -> usize {
    guarded(|| {
        // SAFETY: `ts` from `r15`; `exc` is consumed.
        let (ts, exc) = unsafe { (tstate(ts), own(exc)) };
        // SAFETY: `cause` is consumed when nonzero (0 means "no `from` clause").
        let cause = (cause != 0).then(|| unsafe { own(cause) });
        Err(match crate::interp::make_raise(ts, exc, cause) {
            Ok(e) | Err(e) => e,
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Errors and frame exits, arithmetic, exception handling, containers, strings, functions and
// imports: in child modules (same conventions as above; `jit_take_pending` and the helpers of
// `exit` are leaves) so that each file stays short; re-exported here, where the compiler looks
// for every helper.

mod arith;
mod build;
mod exc;
mod exit;
mod gen;

pub use arith::*;
pub use build::*;
pub use exc::*;
pub use exit::*;
pub use gen::*;
