//! Calls out of the eval loop, and the access to the running frame's value stack they share
//! with it.
//!
//! A call to a Python function that the interpreter runs yields the callee's frame
//! ([`Called::Frame`]) for the loop to link and run, with no native recursion; any other call
//! (through the tier, creating a generator, a native callable) runs to completion here. A
//! builtin or a type called from `Call`/`CallMethod` reads its arguments where they lie on the
//! value stack: a waiting frame's value stack is touched only by the loop that runs it (see
//! [`stack_at`]).
//!
//! The helpers the loop runs on every call are `#[inline]`: this module may be compiled in
//! another codegen unit than `execute`, which would then call them out of line.

use crate::frame::InterpreterFrame;
use crate::interp::call::{call_builtin_or_type, call_native, new_function_frame, split_kwargs};
use crate::interp::{call, gen, tier};
use crate::object::{Object, PyResult, Value};
use crate::thread::ThreadState;
use smallvec::SmallVec;

type Args = SmallVec<[Value; 8]>;

/// What calling a value from the loop produced.
pub(super) enum Called {
    /// A Python function's frame, ready to run.
    Frame(Box<InterpreterFrame>),
    /// The result of a native call.
    Value(Value),
}

#[inline]
pub(super) fn call_value(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> PyResult<Called> {
    if let Some(Object::Function(func)) = callee.obj() {
        if func.code.flags.intersects(call::GEN_FLAGS) {
            return gen::create(ts, callee, func, args, kw).map(Called::Value);
        }
        if let Some(r) = tier::tier().and_then(|t| t.call(ts, callee, func, args, kw)) {
            return r.map(Called::Value);
        }
        return new_function_frame(ts, callee, func, args, kw).map(Called::Frame);
    }
    call_native(ts, callee, args, kw).map(Called::Value)
}

/// The frame of `Call(n)` when the interpreter runs the callee itself (no tier is installed)
/// and it is a Python function: the callee and its arguments move straight from `f`'s stack
/// into the new frame (its function and first locals; `call::new_function_frame_owned` when
/// defaults fill the other parameters). `None`: any other call (nothing moved). On an error
/// (a RecursionError, a wrong argument count) they are dropped, with the stack or as
/// unwinding would have dropped them from it.
#[inline]
pub(super) fn stack_call_frame(
    ts: &mut ThreadState,
    f: &mut InterpreterFrame,
    n: usize,
) -> PyResult<Option<Box<InterpreterFrame>>> {
    let at = f.stack.len() - n - 1;
    let tiered = tier::tier().is_some();
    if f.stack[at].is_null() {
        // A callee window's marker (`interp::names::load_callee_global`): the running function.
        if !tiered {
            if let Some(frame) = running_function_frame(ts, f, at, n)? {
                return Ok(Some(frame));
            }
        }
        // Any other call takes it as a value: with a reference.
        f.stack[at] = f.func().clone();
    }
    if tiered {
        // The tier takes calls by slice, before the arguments leave the stack.
        return Ok(None);
    }
    match f.stack[at].obj() {
        Some(Object::Function(func))
            if !func.code.flags.intersects(call::GEN_FLAGS) && func.code.argcount as usize == n => {
        }
        Some(Object::Function(func)) if !func.code.flags.intersects(call::GEN_FLAGS) => {
            // Fewer arguments than parameters (defaults fill the rest), or too many.
            let callee = std::mem::replace(&mut f.stack[at], Value::NONE);
            let frame = call::new_function_frame_owned(ts, callee, f.stack.drain(at + 1..));
            f.stack.pop(); // the callee's place
            return frame.map(Some);
        }
        _ => return Ok(None),
    }
    call::check_recursion(ts)?;
    let base = f.stack.as_mut_ptr();
    // SAFETY: the callee and the `n` arguments above it are the stack's slots `at..=at + n`;
    // cutting the stack to `at` first hands their references over to us (should anything
    // below panic, they leak, which is safe), and nothing touches that part of the buffer
    // until the frame took them: the callee becomes its function (which keeps the code
    // alive), the arguments move into its first `n` locals (unbound, needing no drop: the
    // code has `argcount == n` parameters, and a frame has a local for each).
    let frame = unsafe {
        f.stack.set_len(at);
        let mut frame = ts.frames.alloc_function(base.add(at).read());
        move_values(base.add(at + 1), frame.locals.as_mut_ptr(), n);
        frame
    };
    Ok(Some(frame))
}

/// The frame of a call of `f`'s own function whose callee slot `at` holds a callee window's
/// marker, when the `n` arguments fill the parameters exactly: the new frame borrows the
/// function from `f`, which stays below it (no reference counted: threads running one
/// function would otherwise all count it on one shared word). `None`: any other call (nothing
/// moved). Its move mirrors `stack_call_frame`'s own on purpose: one helper for both, with a
/// flag, made LLVM compile the eval loop's calls 17 instructions longer.
#[inline]
fn running_function_frame(
    ts: &mut ThreadState,
    f: &mut InterpreterFrame,
    at: usize,
    n: usize,
) -> PyResult<Option<Box<InterpreterFrame>>> {
    let Some(func) = f.func().as_function() else {
        return Ok(None);
    };
    if func.code.flags.intersects(call::GEN_FLAGS) || func.code.argcount as usize != n {
        return Ok(None);
    }
    call::check_recursion(ts)?;
    let base = f.stack.as_mut_ptr();
    // SAFETY: as in `stack_call_frame`: the marker (an immediate, nothing to drop) and the `n`
    // arguments above it are slots `at..=at + n`, handed over by cutting the stack to `at`;
    // the arguments move into the new frame's first `n` locals. The new frame borrows `f`'s
    // function: `f` is the running frame, which stays below the new one in this run of the
    // eval loop until the new one is released, and is not a generator's (windows exist only
    // in other code).
    let frame = unsafe {
        f.stack.set_len(at);
        let mut frame = ts.frames.alloc_function_borrowed(f.func());
        move_values(base.add(at + 1), frame.locals.as_mut_ptr(), n);
        frame
    };
    Ok(Some(frame))
}

/// Moves `n` values from `src` to `dst`: the arguments of a call. Most calls pass one or two,
/// which move as plain words: a loop (which LLVM unrolls by four behind a remainder loop) or a
/// call of `memcpy` costs several times more for them.
///
/// # Safety
/// `src` holds `n` values that the caller gives up; `dst` has room for `n` values that need
/// no drop; the two do not overlap.
#[inline(always)]
unsafe fn move_values(src: *const Value, dst: *mut Value, n: usize) {
    // SAFETY: caller's contract.
    unsafe {
        match n {
            0 => {}
            1 => dst.write(src.read()),
            2 => {
                dst.write(src.read());
                dst.add(1).write(src.add(1).read());
            }
            _ => std::ptr::copy_nonoverlapping(src, dst, n),
        }
    }
}

/// [`call_value`] of positional arguments the call may take over (a Python function run by
/// the interpreter gets them moved into its frame), after [`tier_call_in_place`] declined: a
/// Python function is not asked of the tier again (it counts the calls that make a function
/// hot, once per call).
#[inline]
pub(super) fn call_value_owned(
    ts: &mut ThreadState,
    callee: Value,
    args: Args,
) -> PyResult<Called> {
    if let Some(Object::Function(func)) = callee.obj() {
        if !func.code.flags.intersects(call::GEN_FLAGS) {
            return call::new_function_frame_owned(ts, callee, args.into_iter()).map(Called::Frame);
        }
    }
    call_value(ts, &callee, &args, &[])
}

/// `CallMethod(n)`/`CallMethodKw(n)` (the keyword names already popped) through the general
/// path: takes the callee, the receiver (unless NULL) and the `n` arguments off the stack.
/// Without keywords, [`tier_call_in_place`] was tried first ([`call_value_owned`]).
#[inline]
pub(super) fn call_method(
    ts: &mut ThreadState,
    f: &mut InterpreterFrame,
    n: usize,
    kwnames: Option<Value>,
) -> PyResult<Called> {
    let mut args = take_args(f, n);
    let receiver = f.stack.pop().expect("the receiver");
    let callee = f.stack.pop().expect("the callee");
    if !receiver.is_null() {
        args.insert(0, receiver);
    }
    match &kwnames {
        Some(names) => {
            let (pos, kw) = split_kwargs(&args, names);
            call_value(ts, &callee, pos, &kw)
        }
        None => call_value_owned(ts, callee, args),
    }
}

/// Calls a builtin function or a type whose place on the value stack of the frame at `fp` is
/// `callee_at`, with the positional arguments from `args_at` to the top of the stack read
/// where they lie (`call::call_builtin_or_type`); then drops the callee, the arguments and
/// whatever lies between them (a NULL receiver) off the stack. `None`: another kind of callee
/// (nothing done).
// Inline, with `call_builtin_or_type`'s common case (an unbound builtin function: `len(x)`).
#[inline(always)]
pub(super) fn native_call_in_place(
    ts: &mut ThreadState,
    fp: *mut InterpreterFrame,
    callee_at: usize,
    args_at: usize,
) -> Option<PyResult<Value>> {
    // SAFETY: the caller's contract is `call_site`'s.
    let (callee, args) = unsafe { call_site(fp, callee_at, args_at) };
    let r = call_builtin_or_type(ts, callee, args, &[])?;
    // SAFETY: as above; the borrows are no longer used.
    drop_above(unsafe { &mut (*fp).stack }, callee_at);
    Some(r)
}

/// Calls a Python function that the tier runs compiled, whose place on the value stack of the
/// frame at `fp` is `callee_at`, with the positional arguments from `args_at` to the top read
/// where they lie, as [`native_call_in_place`] does; then drops the callee, the arguments and
/// whatever lies between them. `None`: no tier, another kind of callee, or a call the tier
/// leaves to the interpreter (nothing done). Taking the arguments off the stack first cost a
/// call from interpreted into compiled code 90 instructions.
#[inline]
pub(super) fn tier_call_in_place(
    ts: &mut ThreadState,
    fp: *mut InterpreterFrame,
    callee_at: usize,
    args_at: usize,
) -> Option<PyResult<Value>> {
    let t = tier::tier()?;
    // SAFETY: the caller's contract is `call_site`'s.
    let (callee, args) = unsafe { call_site(fp, callee_at, args_at) };
    let Some(Object::Function(func)) = callee.obj() else {
        return None;
    };
    if func.code.flags.intersects(call::GEN_FLAGS) {
        return None;
    }
    let r = t.call(ts, callee, func, args, &[])?;
    // SAFETY: as above; the borrows are no longer used.
    drop_above(unsafe { &mut (*fp).stack }, callee_at);
    Some(r)
}

/// The callee at `callee_at` and the arguments from `args_at` to the top of the value stack of
/// the running frame `fp`, borrowed where they lie for one call.
///
/// # Safety
/// `fp` is the running frame (see the eval loop's module docs) and the slots exist; the
/// borrows end before the stack is pushed onto or cut. Then they stay valid during the call:
/// the values are live in the stack's buffer, a heap block apart from the frame; while the
/// callee runs, this frame waits at its call instruction, and only the loop running a frame
/// pushes onto or pops its value stack; observers of a waiting frame (frame objects,
/// `f_locals`, handshakes, the cycle collector) read its locals and instruction, never its
/// value stack. So the buffer neither moves nor changes under these borrows.
#[inline(always)]
unsafe fn call_site<'s>(
    fp: *mut InterpreterFrame,
    callee_at: usize,
    args_at: usize,
) -> (&'s Value, &'s [Value]) {
    // SAFETY: caller's contract.
    unsafe {
        let stack = &(*fp).stack;
        let base = stack.as_ptr();
        (
            &*base.add(callee_at),
            std::slice::from_raw_parts(base.add(args_at), stack.len() - args_at),
        )
    }
}

/// `stack.truncate(len)`, as a loop that stays inline (a call's few values: the slice drop
/// `truncate` makes went out of line, at four times the instructions).
#[inline(always)]
fn drop_above(stack: &mut Vec<Value>, len: usize) {
    while stack.len() > len {
        drop(stack.pop());
    }
}

/// The value `below` places under the top of the value stack of the running frame at `fp` (0:
/// the top), borrowed from the stack's buffer for the length of one call into the runtime
/// (no clone: a heap value would cost two atomic operations).
///
/// # Safety
/// `fp` is the running frame, whose stack holds more than `below` values. The reference must
/// not outlive the instruction, nor be held across a push or pop of this stack. Then it stays
/// valid during any call: while the runtime runs, this frame waits at its instruction, only
/// the loop running a frame pushes onto or pops its stack, and observers of a waiting frame
/// read its locals and instruction, never its value stack (as for `native_call_in_place`),
/// so the value stays where it is, owned by the stack; the reference points into the stack's
/// buffer, a heap block apart from the frame, which others may borrow meanwhile.
#[inline]
pub(super) unsafe fn stack_at<'s>(fp: *mut InterpreterFrame, below: usize) -> &'s Value {
    // SAFETY: caller's contract; the index is in bounds (checked in debug builds).
    unsafe {
        let stack = &(*fp).stack;
        debug_assert!(below < stack.len());
        &*stack.as_ptr().add(stack.len() - 1 - below)
    }
}

#[inline]
pub(super) fn take_args(f: &mut InterpreterFrame, n: usize) -> Args {
    let len = f.stack.len();
    f.stack.drain(len - n..).collect()
}

#[inline]
pub(super) fn take_vec(f: &mut InterpreterFrame, n: usize) -> Vec<Value> {
    let len = f.stack.len();
    f.stack.split_off(len - n)
}
