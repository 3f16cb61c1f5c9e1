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
//!    trampoline (which anchors the caller); [`jit_incref`], [`jit_decref`],
//!    [`jit_record_error`], [`jit_unwind_exit`], [`jit_recursion_error`],
//!    [`jit_materialized_exit`] and [`jit_for_iter_fast`] are leaf calls.

use super::state;
use super::JitCodeInfo;
use crate::code::{BinOp, CmpOp, UnOp};
use crate::frame::{add_traceback_entry_chained, lazy_frame_of};
use crate::object::value::NULL_BITS;
use crate::object::{ops, ExcKind, HashKey, Object, PyErr, PyResult, Value};
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use num_bigint::BigInt;
use smallvec::SmallVec;
use std::borrow::Cow;
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

// ---------------------------------------------------------------------------------------------
// Reference counting (leaf).

/// `Value::clone` of a heap word; returns the word. Leaf.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_incref(w: usize) -> usize {
    // SAFETY: JIT code calls this only with a live heap word it holds a reference to.
    let v = unsafe { borrow(w) };
    std::mem::forget((*v).clone());
    w
}

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

// ---------------------------------------------------------------------------------------------
// Errors and frame exit (leaf).

/// The thread's pending exception, borrowed from its slot (which keeps its reference: no
/// clone, no release), or None if nothing is pending.
fn pending_borrowed() -> Option<std::mem::ManuallyDrop<PyErr>> {
    let st = state::current();
    // SAFETY: the pending slot is this thread's; the exception stays owned by it.
    let bits = unsafe { (*st).pending };
    // SAFETY: a nonzero slot holds an owned exception word; the handle is never dropped.
    (bits != 0).then(|| std::mem::ManuallyDrop::new(PyErr::from_value(unsafe { own(bits) })))
}

/// Asks for the thread's next poll if a drop left a generator's `finally` to run (the poll
/// runs it, at the instruction that dropped it: `jit_safepoint`).
fn poll_for_finalizers() {
    if crate::interp::gen::finalizers_pending() {
        state::request_poll();
    }
}

/// The instruction `pc` of the activation of `info` (shadow frame `sf`) failed with the pending
/// exception, which now unwinds to a handler of this frame or leaves it: chain `__context__`
/// and add this frame's traceback entry, as the interpreter's unwinder does for a fresh error.
/// The entry refers to the activation through its lazy record, so no frame object is built
/// unless `tb_frame` is read. Leaf; returns nothing.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state; `sf` is the caller's linked shadow
/// frame).
pub unsafe extern "C" fn jit_record_error(
    ts: *mut ThreadState,
    info: *const JitCodeInfo,
    pc: usize,
    sf: *mut ShadowFrame,
) {
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: called by JIT code with its thread state and its own (live) code info.
        let (ts, info) = unsafe { (tstate(ts), &*info) };
        let Some(e) = pending_borrowed() else {
            return;
        };
        // SAFETY: `sf` is the failing activation's own linked shadow frame, on this thread.
        let identity = unsafe { lazy_frame_of(ts, sf) };
        // `__context__` chaining runs when the traceback is still empty (a fresh raise).
        add_traceback_entry_chained(&e, identity, info.code.arc(), pc, || {
            crate::interp::set_context(ts, &e)
        });
    }));
    if r.is_err() {
        std::process::abort();
    }
}

/// The instruction `pc` of the activation of shadow frame `sf` failed with the pending
/// exception `pending` (the raw word of the thread's pending slot, which keeps it) and no
/// handler of the frame covers it: record the frame's traceback entry (with `__context__`
/// chaining for a fresh error) and end the activation in one step (`frame::unwind_foreign`,
/// or `frame::append_to_run` for a recursion unwinding). Its locals move into its lazy record
/// or its run: the epilogue finds them `None` and its tag bits clear. Leaf; returns nothing.
///
/// # Safety
/// Called by JIT code only, from the error ladder's last rung, under the conventions of the
/// module docs (`ts` is the running thread's state; `sf` is the caller's linked shadow frame,
/// about to end; `pending` is the pending slot's word).
pub unsafe extern "C" fn jit_unwind_exit(
    ts: *mut ThreadState,
    pc: usize,
    sf: *mut ShadowFrame,
    pending: usize,
) {
    if pending == 0 {
        return;
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: called by JIT code with its thread state; `sf` is the failing activation's
        // own linked shadow frame, on this thread, and it ends: its epilogue only drops its
        // (now moved) locals and unlinks.
        unsafe {
            let ts = tstate(ts);
            // A recursion unwinding: the frame joins its callee's run without the vtable.
            if let Some(ending) = super::frames::ending(sf) {
                if crate::frame::append_to_run(ts, sf, pc, pending, ending) {
                    return;
                }
            }
            // The slot keeps its reference: this handle is never dropped.
            let e = std::mem::ManuallyDrop::new(PyErr::from_value(own(pending)));
            crate::frame::unwind_foreign(ts, sf, pc, &e, || crate::interp::set_context(ts, &e))
        };
    }));
    if r.is_err() {
        // The lazy record may hold half the frame's state: no safe way on.
        eprintln!("shadowframe: fatal: panic while a JIT frame unwound");
        std::process::abort();
    }
}

/// The prologue found the recursion limit (or the native stack) exhausted: drop the `n` bound
/// arguments at `args` and fail with RecursionError. Leaf; returns 0.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_recursion_error(
    _ts: *mut ThreadState,
    args: *const usize,
    n: usize,
) -> usize {
    guarded(|| {
        for i in 0..n {
            // SAFETY: the prologue hands over `n` owned argument words.
            drop(unsafe { own(*args.add(i)) });
        }
        Err(crate::interp::recursion_error())
    })
}

/// Fails with UnboundLocalError for local `i` of the code of `info`. Returns 0.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_unbound_local(
    _ts: *mut ThreadState,
    info: *const JitCodeInfo,
    i: usize,
) -> usize {
    guarded(|| {
        // SAFETY: JIT code passes its own live code info.
        let code = unsafe { &(*info).code };
        Err(crate::interp::unbound_local(code, i as u32))
    })
}

/// The epilogue found the activation materialized or observed: hand its final state (locals,
/// exit instruction, the caller's identity) to its frame object and lazy record before the
/// locals are dropped. Leaf (it runs no Python code and does not walk the stack).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state; `sf` is the caller's linked shadow
/// frame, about to be popped).
pub unsafe extern "C" fn jit_materialized_exit(
    ts: *mut ThreadState,
    sf: *mut ShadowFrame,
    pc: usize,
) {
    #[cfg(test)]
    MATERIALIZED_EXITS.with(|m| m.borrow_mut().push((sf as usize, pc)));
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: JIT code passes its thread state and its own linked shadow frame, which ends.
        unsafe { crate::frame::exit_foreign(tstate(ts), sf, pc) }
    }));
    if r.is_err() {
        // The frame object would keep pointing into a dead native frame: no safe way on.
        eprintln!("shadowframe: fatal: panic while a JIT frame handed off its state");
        std::process::abort();
    }
}

#[cfg(test)]
thread_local! {
    /// `(shadow frame, exit pc)` of every materialized hand-off on this thread (tests only).
    pub(crate) static MATERIALIZED_EXITS: std::cell::RefCell<Vec<(usize, usize)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

// ---------------------------------------------------------------------------------------------
// Arithmetic and comparison.

fn int_of(v: &Value) -> Option<Cow<'_, BigInt>> {
    if let Some(i) = v.as_small() {
        return Some(Cow::Owned(BigInt::from(i)));
    }
    match v.obj() {
        Some(Object::Int(b)) => Some(Cow::Borrowed(b)),
        _ => None,
    }
}

/// A normalized int value (small when it fits).
fn int_value(b: BigInt) -> Value {
    use num_traits::ToPrimitive;
    match b.to_i64() {
        Some(i) => Value::int(i),
        None => Value::from_object(Object::Int(b)),
    }
}

/// `+ - *` of two ints (small or big): the slow path of the inline small-int guards.
fn int_arith(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) {
        return None;
    }
    let (x, y) = (int_of(a)?, int_of(b)?);
    let (x, y) = (x.as_ref(), y.as_ref());
    Some(int_value(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        _ => x * y,
    }))
}

fn binop_of(op: usize) -> BinOp {
    const ALL: [BinOp; 13] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::TrueDiv,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::MatMul,
    ];
    ALL[op]
}

fn cmpop_of(op: usize) -> CmpOp {
    const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Gt,
        CmpOp::Ge,
    ];
    ALL[op]
}

fn unop_of(op: usize) -> UnOp {
    const ALL: [UnOp; 4] = [UnOp::Neg, UnOp::Pos, UnOp::Not, UnOp::Invert];
    ALL[op]
}

/// `a op b` (consumes both). `op` is `BinOp as u8`.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_binary_op(
    ts: *mut ThreadState,
    op: usize,
    a: usize,
    b: usize,
) -> usize {
    value(|| {
        // SAFETY: helper convention 2 (consumed inputs); `ts` from `r15`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let op = binop_of(op);
        match int_arith(op, &a, &b) {
            Some(v) => Ok(v),
            None => ops::binary_op(ts, op, &a, &b),
        }
    })
}

/// `a op= b` (consumes both).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_inplace_op(
    ts: *mut ThreadState,
    op: usize,
    a: usize,
    b: usize,
) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let op = binop_of(op);
        match int_arith(op, &a, &b) {
            Some(v) => Ok(v),
            None => ops::inplace_op(ts, op, &a, &b),
        }
    })
}

/// `op a` (consumes `a`).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_unary_op(ts: *mut ThreadState, op: usize, a: usize) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a) = unsafe { (tstate(ts), own(a)) };
        let op = unop_of(op);
        if let (UnOp::Neg, Some(x)) = (op, int_of(&a)) {
            return Ok(int_value(-x.into_owned()));
        }
        ops::unary_op(ts, op, &a)
    })
}

/// `a op b` for rich comparisons (consumes both).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_compare(ts: *mut ThreadState, op: usize, a: usize, b: usize) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let op = cmpop_of(op);
        if let (Some(x), Some(y)) = (int_of(&a), int_of(&b)) {
            let o = x.as_ref().cmp(y.as_ref());
            use std::cmp::Ordering::*;
            return Ok(Value::bool(match op {
                CmpOp::Lt => o == Less,
                CmpOp::Le => o != Greater,
                CmpOp::Eq => o == Equal,
                CmpOp::Ne => o != Equal,
                CmpOp::Gt => o == Greater,
                CmpOp::Ge => o != Less,
            }));
        }
        ops::compare(ts, op, &a, &b)
    })
}

/// `bool(v)` (borrows `v`): 1 = false, 2 = true, 0 = error.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_truthy(ts: *mut ThreadState, v: usize) -> usize {
    guarded(|| {
        // SAFETY: `v` stays owned by its stack slot during the call.
        let (ts, v) = unsafe { (tstate(ts), borrow(v)) };
        let b = if let Some(b) = v.as_bool() {
            b
        } else if v.is_none() {
            false
        } else if let Some(i) = v.as_small() {
            i != 0
        } else if let Some(Object::Int(_)) = v.obj() {
            true // normalized: a big int is never zero
        } else {
            ops::truthy(ts, &v)?
        };
        Ok(if b { 2 } else { 1 })
    })
}

/// `a in b` (`invert`: `not in`), consuming both; returns a bool word.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_contains(
    ts: *mut ThreadState,
    invert: usize,
    a: usize,
    b: usize,
) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let r = ops::contains(ts, &b, &a)?;
        Ok(Value::bool(r != (invert != 0)))
    })
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
pub unsafe extern "C" fn jit_load_attr(ts: *mut ThreadState, obj: usize, name: usize) -> usize {
    value(|| {
        // SAFETY: `obj` consumed; `name` borrowed from the code object.
        let (ts, obj, name) = unsafe { (tstate(ts), own(obj), borrow(name)) };
        ops::getattr_name(ts, &obj, &name)
    })
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
) -> usize {
    value(|| {
        // SAFETY: `obj` borrowed from the caller's local; `name` from the code object.
        let (ts, obj, name) = unsafe { (tstate(ts), borrow(obj), borrow(name)) };
        ops::getattr_name(ts, &obj, &name)
    })
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
) -> usize {
    status(|| {
        // SAFETY: as in `jit_load_attr`; `out` points to two stack slots of the caller.
        let (ts, obj, name) = unsafe { (tstate(ts), own(obj), borrow(name)) };
        let (callable, recv) = ops::load_method_name(ts, &obj, &name)?;
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
        ops::get_iter(ts, &v)
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
            Some(Object::RangeIter(r)) => r.next().map(Value::int),
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
// Exception handling, containers, strings, functions and imports: in child modules (same
// conventions as above; `jit_take_pending` is a leaf) so that each file stays short;
// re-exported here, where the compiler looks for every helper.

mod build;
mod exc;
mod gen;

pub use build::*;
pub use exc::*;
pub use gen::*;
