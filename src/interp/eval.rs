//! The eval loop.
//!
//! One invocation of [`run_frame`] runs an entry frame and every Python function it calls,
//! without native recursion: a Python-to-Python call pushes a frame on the invocation's frame
//! list and keeps looping (CPython 3.11+'s inlined calls), so interpreted recursion is bounded by
//! the recursion limit and memory, never by the native stack.
//!
//! Aliasing discipline: the loop reaches the running frame through a raw pointer and takes a
//! fresh `&mut` for each access, never holding one across a call into the runtime, because the
//! runtime may observe the frame (`sys._getframe(1).f_locals[...] = ...`) through its frame
//! object while the loop waits.
//!
//! Unwinding, in steps (CPython's `error:`/`exception_unwind:`):
//!
//! 1. An instruction fails: a *fresh* error gets `__context__` from the exception being handled
//!    and a traceback entry for this frame; a re-raise gets neither.
//! 2. The exception table entry covering the failing instruction, if any, unwinds the value stack
//!    to its depth, pushes the failing instruction's index if asked, pushes the exception and
//!    jumps to the handler.
//! 3. Otherwise the frame ends (handing its state to any frame object or traceback record that
//!    refers to it), and the caller continues at step 1 with a traceback entry of its own.

// Frames are boxed so their addresses (shadow-frame pointees) never move while they run.
#![allow(clippy::vec_box)]

use super::call::{call_builtin_or_type, call_native, new_function_frame};
use crate::code::{CodeObject, Instr};
use crate::frame::{add_traceback_entry_chained, exit_frame, lazy_frame_of, InterpreterFrame};
use crate::object::dict::get_name;
use crate::object::exc::err;
use crate::object::{ops, ExcKind, Function, HashKey, Object, PyErr, PyResult, TypeId, Value};
use crate::shadow;
use crate::stdlib;
use crate::thread::{runtime, ThreadState};
use smallvec::SmallVec;
use std::sync::atomic::AtomicU32;
use std::sync::Arc;

type Args = SmallVec<[Value; 8]>;

/// How a run of instructions in one frame ended.
enum Outcome {
    /// The entry frame returned (it is still linked).
    Return(Value),
    /// An instruction failed.
    Error(Failure),
    /// The (generator) frame suspends, yielding the value; its instruction stays at the
    /// instruction that suspended it.
    Yield(Value),
}

/// A failing instruction.
struct Failure {
    err: PyErr,
    /// A new raise (context + traceback entry), or a re-raise (neither).
    fresh: bool,
    /// The instruction whose handler applies.
    at: usize,
}

/// How a run of the loop ended.
enum Exit {
    /// The entry frame returned.
    Return(Value),
    /// The entry frame (a generator's) suspended; it is still linked, on top of the list.
    Yield(Value),
    /// The entry frame ended with an exception.
    Error(PyErr),
}

/// Runs `entry` (already bound) to completion and returns its result.
pub(crate) fn run_frame(ts: &mut ThreadState, entry: Box<InterpreterFrame>) -> PyResult<Value> {
    let mut frames = ts.frames.take_list();
    enter(ts, &mut frames, entry);
    // Safepoint: function entry.
    crate::thread::safepoint(ts);
    let exit = drive(ts, &mut frames, None);
    ts.frames.give_list(frames);
    match exit {
        Exit::Return(v) => Ok(v),
        Exit::Error(e) => Err(e),
        // Only generator code yields, and its frames run through `resume_generator`.
        Exit::Yield(_) => unreachable!("a yield outside a generator frame"),
    }
}

/// Runs the linked frames until the entry frame (the first) returns, fails or yields; `pending`
/// is a failure to unwind first (an exception thrown into a generator).
fn drive(
    ts: &mut ThreadState,
    frames: &mut Vec<Box<InterpreterFrame>>,
    mut pending: Option<Failure>,
) -> Exit {
    loop {
        if let Some(mut failure) = pending.take() {
            loop {
                match unwind(ts, frames, failure) {
                    Unwound::Handled => break,
                    Unwound::Left(e) => return Exit::Error(e),
                    Unwound::Caller(f) => failure = f,
                }
            }
        }
        match execute(ts, frames) {
            Outcome::Return(v) => {
                let done = leave(ts, frames);
                debug_assert!(done, "execute returns only out of the entry frame");
                return Exit::Return(v);
            }
            Outcome::Error(failure) => {
                super::gen::poll_finalizers(ts);
                pending = Some(failure)
            }
            Outcome::Yield(v) => {
                debug_assert_eq!(frames.len(), 1, "only entry frames yield");
                return Exit::Yield(v);
            }
        }
    }
}

/// How a generator's frame is resumed.
pub enum Sent {
    /// `send(v)` / `next()`: the suspending instruction's result is `v` (a `YieldFrom` runs
    /// again to pass it on).
    Value(Value),
    /// The `yield from`/`await` the frame waits in finished (its delegate returned `r`, or was
    /// thrown into and returned): the instruction's result is `r`.
    Delegated(Value),
    /// `throw(e)`: `e` is raised at the suspending instruction.
    Throw(PyErr),
}

/// What a generator's frame did when resumed.
pub(crate) enum Resumed {
    /// It suspended again, yielding the value; the frame goes back to its generator.
    Yielded(Value, Box<InterpreterFrame>),
    /// It returned (the frame is gone).
    Returned(Value),
    /// It raised (the frame is gone).
    Raised(PyErr),
}

/// Runs a generator's suspended frame until it yields, returns or raises. The caller has
/// checked the recursion limit and swapped in the generator's handled exception.
pub(crate) fn resume_generator(
    ts: &mut ThreadState,
    mut frame: Box<InterpreterFrame>,
    sent: Sent,
) -> Resumed {
    frame.is_entry = true;
    let mut pending = None;
    match sent {
        Sent::Value(v) => {
            if !matches!(frame.code.instrs[frame.pc], Instr::YieldFrom) {
                frame.pc += 1;
            }
            frame.stack.push(v);
        }
        Sent::Delegated(r) => {
            drop(frame.stack.pop());
            frame.stack.push(r);
            frame.pc += 1;
        }
        Sent::Throw(err) => {
            pending = Some(Failure {
                err,
                fresh: true,
                at: frame.pc,
            })
        }
    }
    let mut frames = ts.frames.take_list();
    enter(ts, &mut frames, frame);
    crate::frame::resume_frame(ts, &frames[0]);
    // Safepoint: function entry (a resumption enters the generator's frame).
    crate::thread::safepoint(ts);
    let exit = drive(ts, &mut frames, pending);
    let top = frames.pop();
    ts.frames.give_list(frames);
    match exit {
        Exit::Return(v) => Resumed::Returned(v),
        Exit::Error(e) => Resumed::Raised(e),
        Exit::Yield(v) => {
            let mut frame = top.expect("the generator's frame");
            crate::frame::suspend_frame(ts, &mut frame);
            let sf: *mut shadow::ShadowFrame = &mut frame.shadow;
            // SAFETY: the generator's frame is the top of our stack (the entry of this run).
            unsafe { shadow::pop(ts.shadow_top_ptr(), sf) };
            ts.depth -= 1;
            frame.is_entry = false;
            Resumed::Yielded(v, frame)
        }
    }
}

/// Links a new frame: shadow frame, depth.
fn enter(
    ts: &mut ThreadState,
    frames: &mut Vec<Box<InterpreterFrame>>,
    mut frame: Box<InterpreterFrame>,
) {
    frame.tag_self();
    let sf: *mut shadow::ShadowFrame = &mut frame.shadow;
    // SAFETY: the frame is boxed (stable address) and is unlinked in `leave` before it is
    // dropped or recycled; links nest with the frame list.
    unsafe { shadow::push(ts.shadow_top_ptr(), sf) };
    ts.depth += 1;
    frames.push(frame);
}

/// Unlinks the top frame after handing its state off; true if it was the entry frame.
fn leave(ts: &mut ThreadState, frames: &mut Vec<Box<InterpreterFrame>>) -> bool {
    let mut frame = frames.pop().expect("a frame to leave");
    exit_frame(ts, &mut frame);
    let sf: *mut shadow::ShadowFrame = &mut frame.shadow;
    // SAFETY: the top frame of this invocation is the shadow-stack top (links nest).
    unsafe { shadow::pop(ts.shadow_top_ptr(), sf) };
    ts.depth -= 1;
    let entry = frame.is_entry;
    ts.frames.release(frame);
    entry
}

enum Unwound {
    /// A handler in the current frame takes it.
    Handled,
    /// The entry frame ended with it.
    Left(PyErr),
    /// The frame ended; the caller continues unwinding.
    Caller(Failure),
}

fn unwind(
    ts: &mut ThreadState,
    frames: &mut Vec<Box<InterpreterFrame>>,
    failure: Failure,
) -> Unwound {
    let Failure { err, fresh, at } = failure;
    let fp: *mut InterpreterFrame = &mut **frames.last_mut().expect("a frame");
    if fresh {
        // SAFETY: `fp` is the running top frame, linked on our own stack; no other reference
        // into it is live while `lazy_frame_of` records its identity.
        let identity = unsafe { lazy_frame_of(ts, &mut (*fp).shadow) };
        // SAFETY: as above; a short shared borrow.
        let frame = unsafe { &*fp };
        // `__context__` chaining runs when the traceback is still empty (a fresh raise).
        add_traceback_entry_chained(&err, identity, frame.code.clone(), frame.pc, || {
            set_context(ts, &err)
        });
    }
    // SAFETY: as above; no other borrow of the frame is live.
    let frame = unsafe { &mut *fp };
    if let Some(h) = frame.code.handler_for(at).copied() {
        frame.stack.truncate(h.depth as usize);
        if h.lasti {
            frame.stack.push(Value::int(frame.pc as i64));
        }
        frame.stack.push(err.into_value());
        frame.pc = h.target as usize;
        return Unwound::Handled;
    }
    if leave(ts, frames) {
        return Unwound::Left(err);
    }
    let caller = frames.last().expect("a caller");
    Unwound::Caller(Failure {
        err,
        fresh: true,
        at: caller.pc,
    })
}

/// `__context__` chaining at raise time (CPython's `_PyErr_SetObject`), cutting cycles. The
/// unwinders call it for an error that a frame sees fail for the first time (its traceback is
/// still empty: a builtin's error, or a new `raise`); an exception that comes out of a callee
/// was chained where it was raised and keeps its context (CPython chains at the raise, never
/// while unwinding).
pub(crate) fn set_context(ts: &ThreadState, err: &PyErr) {
    let handled = &ts.handled_exception();
    if handled.is_none() || handled.is(err.value()) {
        return;
    }
    // If `err` already appears in the context chain of the handled exception, cut it there.
    let mut o = handled.clone();
    while let Some(exc) = o.as_exception() {
        let ctx = exc.state.lock().context.clone();
        if ctx.is(err.value()) {
            exc.state.lock().context = Value::NONE;
            break;
        }
        o = ctx;
    }
    err.exception().state.lock().context = handled.clone();
}

/// Runs instructions of the top frame of `frames`, and of the Python functions it calls and
/// returns to, until the entry frame returns or yields, or an instruction fails.
///
/// A call links the callee and goes on in it; a return unlinks the frame and goes on in the
/// caller: neither leaves this function, so `fp` and `code` follow the running frame.
fn execute(ts: &mut ThreadState, frames: &mut Vec<Box<InterpreterFrame>>) -> Outcome {
    let mut fp: *mut InterpreterFrame = &mut **frames.last_mut().expect("a running frame");
    // SAFETY: `fp` is the top frame of the running invocation; the frame holds its code alive
    // for as long as it runs, and `code` is switched whenever `fp` is.
    let mut code: &CodeObject = unsafe { &*Arc::as_ptr(&(*fp).code) };
    // The running instruction's index lives in a register; the frame gets it at each
    // instruction, before anything can observe the frame (the runtime, an error).
    // SAFETY: as above; a read.
    let mut pc = unsafe { (*fp).pc };
    // Makes the top of `frames` the running frame (after a call or a return).
    macro_rules! switch_to_top {
        () => {
            fp = &mut **frames.last_mut().expect("a running frame");
            // SAFETY: as for the entry frame above.
            code = unsafe { &*Arc::as_ptr(&(*fp).code) };
        };
    }
    // Links the callee's frame and runs it.
    macro_rules! call_frame {
        ($fr:expr) => {{
            enter(ts, frames, $fr);
            // Safepoint: function entry.
            crate::thread::safepoint(ts);
            switch_to_top!();
            pc = f!().pc;
            continue;
        }};
    }
    macro_rules! f {
        () => {
            // SAFETY: see the module docs: a fresh, short-lived borrow of the running frame.
            unsafe { &mut *fp }
        };
    }
    macro_rules! pop {
        () => {
            f!().stack
                .pop()
                .expect("value stack underflow (compiler bug)")
        };
    }
    macro_rules! top {
        () => {
            f!().stack
                .last()
                .expect("value stack underflow (compiler bug)")
        };
    }
    macro_rules! fail {
        ($e:expr) => {
            return Outcome::Error(Failure {
                err: $e,
                fresh: true,
                at: pc,
            })
        };
    }
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(e) => fail!(e),
            }
        };
    }
    loop {
        f!().pc = pc;
        match code.instrs[pc] {
            Instr::Nop => {}
            Instr::LoadConst(i) => f!().stack.push(code.consts[i as usize].clone()),
            Instr::LoadFast(i) => {
                let v = f!().locals[i as usize].clone();
                if v.is_null() {
                    fail!(unbound_local(code, i));
                }
                f!().stack.push(v);
            }
            Instr::StoreFast(i) => {
                let v = pop!();
                let old = std::mem::replace(&mut f!().locals[i as usize], v);
                drop(old);
            }
            Instr::DeleteFast(i) => {
                let old = std::mem::replace(&mut f!().locals[i as usize], Value::NULL);
                if old.is_null() {
                    fail!(unbound_local(code, i));
                }
                drop(old);
            }
            Instr::LoadGlobal(i) => {
                let v = tri!(load_global_cached(code, i as usize, &f!().globals));
                f!().stack.push(v);
            }
            Instr::StoreGlobal(i) => {
                let v = pop!();
                let key = name_key(&code.names[i as usize]);
                let old = f!()
                    .globals
                    .as_dict()
                    .expect("globals is a dict")
                    .lock()
                    .insert(key, v);
                drop(old);
            }
            Instr::DeleteGlobal(i) => {
                tri!(delete_global(&f!().globals, &code.names[i as usize]));
            }
            Instr::LoadAttr(i) => {
                let obj = pop!();
                let v = match module_attr_cached(code, i as usize, &obj) {
                    Some(v) => v,
                    None => tri!(ops::getattr_name(ts, &obj, &code.names[i as usize])),
                };
                f!().stack.push(v);
            }
            Instr::StoreAttr(i) => {
                let obj = pop!();
                let v = pop!();
                tri!(ops::setattr(ts, &obj, name_str(&code.names[i as usize]), v));
            }
            Instr::LoadMethod(i) => {
                let obj = pop!();
                let (callable, receiver) = match module_attr_cached(code, i as usize, &obj) {
                    Some(v) => (v, None),
                    None => tri!(ops::load_method_name(ts, &obj, &code.names[i as usize])),
                };
                f!().stack.push(callable);
                f!().stack.push(receiver.unwrap_or(Value::NULL));
            }
            Instr::Call(n) => {
                if let Some(fr) = tri!(stack_call_frame(ts, f!(), n as usize)) {
                    call_frame!(fr);
                }
                let at = f!().stack.len() - n as usize - 1;
                if let Some(r) = native_call_in_place(ts, fp, at, at + 1) {
                    let v = tri!(r);
                    f!().stack.push(v);
                    super::gen::poll_finalizers(ts);
                    pc += 1;
                    continue;
                }
                let args = take_args(f!(), n as usize);
                let callee = pop!();
                match call_value_owned(ts, callee, args) {
                    Ok(Called::Frame(fr)) => call_frame!(fr),
                    Ok(Called::Value(v)) => f!().stack.push(v),
                    Err(e) => fail!(e),
                }
            }
            Instr::CallKw(n) => {
                let kwnames = pop!();
                let args = take_args(f!(), n as usize);
                let callee = pop!();
                let (pos, kw) = split_kwargs(&args, &kwnames);
                match call_value(ts, &callee, pos, &kw) {
                    Ok(Called::Frame(fr)) => call_frame!(fr),
                    Ok(Called::Value(v)) => f!().stack.push(v),
                    Err(e) => fail!(e),
                }
            }
            Instr::CallMethod(n) => {
                // [callee, receiver or NULL, arguments...]: a receiver is the first argument.
                let at = f!().stack.len() - n as usize - 2;
                let first = if f!().stack[at + 1].is_null() {
                    at + 2
                } else {
                    at + 1
                };
                match native_call_in_place(ts, fp, at, first) {
                    Some(r) => {
                        let v = tri!(r);
                        f!().stack.push(v);
                    }
                    None => match tri!(call_method(ts, f!(), n as usize, None)) {
                        Called::Frame(fr) => call_frame!(fr),
                        Called::Value(v) => f!().stack.push(v),
                    },
                }
            }
            Instr::CallMethodKw(n) => {
                let kwnames = pop!();
                match tri!(call_method(ts, f!(), n as usize, Some(kwnames))) {
                    Called::Frame(fr) => call_frame!(fr),
                    Called::Value(v) => f!().stack.push(v),
                }
            }
            Instr::BinarySubscr => {
                let key = pop!();
                let container = pop!();
                let v = tri!(ops::getitem(ts, &container, &key));
                f!().stack.push(v);
            }
            Instr::StoreSubscr => {
                let key = pop!();
                let container = pop!();
                let v = pop!();
                tri!(ops::setitem(ts, &container, &key, v));
            }
            Instr::DeleteSubscr => {
                let key = pop!();
                let container = pop!();
                tri!(ops::delitem(ts, &container, &key));
            }
            Instr::BinaryOp(op) => {
                let b = pop!();
                let a = pop!();
                // Two small ints: the arithmetic inline, unless the result needs a big int.
                let v = match (a.as_small(), b.as_small()) {
                    (Some(x), Some(y)) => match ops::arith::small_binop(op, x, y) {
                        Some(r) => tri!(r),
                        None => tri!(ops::binary_op(ts, op, &a, &b)),
                    },
                    _ => tri!(ops::binary_op(ts, op, &a, &b)),
                };
                f!().stack.push(v);
            }
            Instr::InplaceOp(op) => {
                let b = pop!();
                let a = pop!();
                // Two small ints: the arithmetic inline, unless the result needs a big int.
                let v = match (a.as_small(), b.as_small()) {
                    (Some(x), Some(y)) => match ops::arith::small_binop(op, x, y) {
                        Some(r) => tri!(r),
                        None => tri!(ops::inplace_op(ts, op, &a, &b)),
                    },
                    _ => tri!(ops::inplace_op(ts, op, &a, &b)),
                };
                f!().stack.push(v);
            }
            Instr::UnaryOp(op) => {
                let a = pop!();
                let v = tri!(ops::unary_op(ts, op, &a));
                f!().stack.push(v);
            }
            Instr::Compare(op) => {
                let b = pop!();
                let a = pop!();
                let v = match (a.as_small(), b.as_small()) {
                    (Some(x), Some(y)) => Value::bool(small_compare(op, x, y)),
                    _ => tri!(ops::compare(ts, op, &a, &b)),
                };
                f!().stack.push(v);
            }
            Instr::Is(invert) => {
                let b = pop!();
                let a = pop!();
                f!().stack.push(Value::bool(a.is(&b) != invert));
            }
            Instr::Contains(invert) => {
                let b = pop!();
                let a = pop!();
                let r = tri!(ops::contains(ts, &b, &a));
                f!().stack.push(Value::bool(r != invert));
            }
            Instr::Jump(t) => {
                pc = t as usize;
                f!().pc = pc;
                back_edge(ts);
                continue;
            }
            Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t) => {
                let v = pop!();
                let b = match v.as_bool() {
                    Some(b) => b,
                    None => tri!(ops::truthy(ts, &v)),
                };
                if b == matches!(code.instrs[pc], Instr::PopJumpIfTrue(_)) {
                    pc = t as usize;
                    f!().pc = pc;
                    back_edge(ts);
                    continue;
                }
            }
            Instr::JumpIfFalseOrPop(t) | Instr::JumpIfTrueOrPop(t) => {
                // SAFETY: the top of our own stack, read in place during the call (see
                // `stack_at`).
                let v = unsafe { stack_at(fp, 0) };
                let b = match v.as_bool() {
                    Some(b) => b,
                    None => tri!(ops::truthy(ts, v)),
                };
                if b == matches!(code.instrs[pc], Instr::JumpIfTrueOrPop(_)) {
                    pc = t as usize;
                    f!().pc = pc;
                    back_edge(ts);
                    continue;
                }
                pop!();
            }
            Instr::PopTop => {
                pop!();
            }
            Instr::Copy(i) => {
                let s = &mut f!().stack;
                let v = s[s.len() - i as usize].clone();
                s.push(v);
            }
            Instr::Swap(i) => {
                let s = &mut f!().stack;
                let n = s.len();
                s.swap(n - 1, n - i as usize);
            }
            Instr::BuildTuple(n) => {
                let items = take_vec(f!(), n as usize);
                f!().stack.push(Value::tuple(items));
            }
            Instr::BuildList(n) => {
                let items = take_vec(f!(), n as usize);
                f!().stack.push(Value::list(items));
            }
            Instr::BuildMap(n) => {
                let items = take_vec(f!(), 2 * n as usize);
                let d = tri!(build_map(ts, items));
                f!().stack.push(d);
            }
            Instr::BuildSet(n) => {
                let items = take_vec(f!(), n as usize);
                let s = tri!(build_set(ts, items));
                f!().stack.push(s);
            }
            Instr::BuildSlice(n) => {
                let step = if n == 3 { pop!() } else { Value::NONE };
                let stop = pop!();
                let start = pop!();
                f!().stack
                    .push(Value::from_object(Object::Slice(start, stop, step)));
            }
            Instr::BuildString(n) => {
                let parts = take_vec(f!(), n as usize);
                f!().stack.push(build_string(&parts));
            }
            Instr::FormatValue(flags) => {
                let spec = if flags & 4 != 0 { Some(pop!()) } else { None };
                let v = pop!();
                let out = tri!(format_value(ts, flags, v, spec));
                f!().stack.push(out);
            }
            Instr::ListAppend(i) => {
                let v = pop!();
                // SAFETY: a value of our own stack, read in place during the call (`stack_at`).
                let list = unsafe { stack_at(fp, i as usize - 1) };
                tri!(list_append(list, v));
            }
            Instr::SetAdd(i) | Instr::MapAdd(i) => {
                let is_map = matches!(code.instrs[pc], Instr::MapAdd(_));
                let v = pop!();
                let k = if is_map { pop!() } else { Value::NONE };
                // SAFETY: a value of our own stack, read in place during the call (`stack_at`).
                let target = unsafe { stack_at(fp, i as usize - 1) };
                if is_map {
                    tri!(ops::setitem(ts, target, &k, v));
                } else {
                    tri!(set_add(target, v));
                }
            }
            Instr::UnpackSequence(n) => {
                let seq = pop!();
                let items = tri!(ops::unpack(ts, &seq, n as usize));
                f!().stack.extend(items.into_iter().rev());
            }
            Instr::GetIter => {
                let v = pop!();
                let it = tri!(ops::get_iter(ts, &v));
                f!().stack.push(it);
            }
            Instr::ForIter(t) => {
                // SAFETY: the top of our own stack, read in place during the call (see
                // `stack_at`): the iterator stays there until it is exhausted.
                let it = unsafe { stack_at(fp, 0) };
                match tri!(ops::iter_next(ts, it)) {
                    Some(v) => f!().stack.push(v),
                    None => {
                        pop!();
                        super::gen::poll_finalizers(ts);
                        pc = t as usize;
                        continue;
                    }
                }
            }
            Instr::MakeFunction(flags) => {
                let code_v = pop!();
                let defaults = if flags & 1 != 0 {
                    pop!()
                } else {
                    Value::tuple(vec![])
                };
                let v = make_function(&f!().globals, &code_v, &defaults);
                f!().stack.push(v);
            }
            Instr::ReturnValue => {
                let v = pop!();
                if f!().is_entry {
                    return Outcome::Return(v);
                }
                leave(ts, frames);
                super::gen::poll_finalizers(ts);
                switch_to_top!();
                f!().stack.push(v);
                pc = f!().pc + 1;
                continue;
            }
            Instr::Raise(kind) => match kind {
                0 => {
                    let handled = tri!(active_exception(ts));
                    return Outcome::Error(Failure {
                        err: handled,
                        fresh: false,
                        at: pc,
                    });
                }
                _ => {
                    let cause = if kind == 2 { Some(pop!()) } else { None };
                    let exc = pop!();
                    fail!(match make_raise(ts, exc, cause) {
                        Ok(e) | Err(e) => e,
                    });
                }
            },
            Instr::Reraise(arg) => {
                let exc = pop!();
                if arg == 1 {
                    let lasti = pop!();
                    if let Some(i) = lasti.as_small() {
                        f!().pc = i as usize;
                    }
                }
                return Outcome::Error(Failure {
                    err: PyErr::from_value(exc),
                    fresh: false,
                    at: pc,
                });
            }
            Instr::PushExcInfo => {
                let exc = pop!();
                let prev = std::mem::replace(&mut ts.exc_info, exc.clone());
                f!().stack.push(prev);
                f!().stack.push(exc);
            }
            Instr::PopExcept => {
                let prev = pop!();
                ts.exc_info = prev;
            }
            Instr::CheckExcMatch => {
                let ty = pop!();
                let exc = top!().clone();
                let m = tri!(exception_matches(&exc, &ty));
                f!().stack.push(Value::bool(m));
            }
            Instr::BeforeWith => {
                let mgr = pop!();
                let (exit, entered) = tri!(before_with(ts, &mgr));
                f!().stack.push(exit);
                f!().stack.push(entered);
            }
            Instr::WithExceptStart => {
                let s = &f!().stack;
                let n = s.len();
                let exc = s[n - 1].clone();
                let exit = s[n - 4].clone();
                let r = tri!(with_except_start(ts, &exit, exc));
                f!().stack.push(r);
            }
            Instr::ImportName(i) => {
                let m = tri!(stdlib::import(ts, name_str(&code.names[i as usize])));
                f!().stack.push(m);
            }
            Instr::ImportFrom(i) => {
                let m = top!().clone();
                let v = tri!(import_from(ts, &m, name_str(&code.names[i as usize])));
                f!().stack.push(v);
            }
            Instr::LoadAssertionError => f!()
                .stack
                .push(TypeId::Exc(ExcKind::AssertionError).object()),
            Instr::ReturnGenerator => {
                // Never run: a generator's frame starts suspended here.
                fail!(err::system_error("ReturnGenerator executed"))
            }
            Instr::YieldValue => {
                let v = pop!();
                return Outcome::Yield(v);
            }
            Instr::YieldFrom => {
                let v = pop!();
                let sub = top!().clone();
                match tri!(super::gen::send_into(ts, &sub, v)) {
                    super::gen::Step::Yielded(y) => return Outcome::Yield(y),
                    super::gen::Step::Returned(r) => {
                        pop!();
                        f!().stack.push(r);
                    }
                }
            }
            Instr::GetYieldFromIter => {
                let v = pop!();
                let it = tri!(super::gen::yield_from_iter(ts, code, v));
                f!().stack.push(it);
            }
            Instr::GetAwaitable => {
                let v = pop!();
                let it = tri!(super::gen::awaitable(v));
                f!().stack.push(it);
            }
        }
        // Generators dropped by this instruction are finalized while it is still the current
        // one (a warning or unraisable report names its line, as CPython's would).
        super::gen::poll_finalizers(ts);
        pc += 1;
    }
}

/// A taken jump is a safepoint (every loop has a backward one; forward ones cost the same
/// single test and need no distinction). The frame's `pc` is already the target, so a
/// handshake sees the frame at its loop header.
#[inline(always)]
fn back_edge(ts: &mut ThreadState) {
    if crate::thread::handshake::poll_pending(ts) {
        crate::thread::handshake::serve(ts);
    }
}

/// What calling a value from the loop produced.
enum Called {
    /// A Python function's frame, ready to run.
    Frame(Box<InterpreterFrame>),
    /// The result of a native call.
    Value(Value),
}

fn call_value(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> PyResult<Called> {
    if let Some(Object::Function(func)) = callee.obj() {
        if func.code.flags.intersects(super::call::GEN_FLAGS) {
            return super::gen::create(ts, callee, func, args, kw).map(Called::Value);
        }
        if let Some(r) = super::tier::tier().and_then(|t| t.call(ts, callee, func, args, kw)) {
            return r.map(Called::Value);
        }
        return new_function_frame(ts, callee, func, args, kw).map(Called::Frame);
    }
    call_native(ts, callee, args, kw).map(Called::Value)
}

/// The frame of `Call(n)` when the interpreter runs the callee itself (no tier is installed)
/// and it is a Python function: the callee and its arguments move straight from `f`'s stack
/// into the new frame (`call::new_function_frame_owned`). `None`: any other call (nothing
/// moved). On an error (a RecursionError, a wrong argument count) they are dropped, as
/// unwinding would have dropped them from the stack.
fn stack_call_frame(
    ts: &mut ThreadState,
    f: &mut InterpreterFrame,
    n: usize,
) -> PyResult<Option<Box<InterpreterFrame>>> {
    if super::tier::tier().is_some() {
        // The tier takes calls by slice, before the arguments leave the stack.
        return Ok(None);
    }
    let at = f.stack.len() - n - 1;
    match f.stack[at].obj() {
        Some(Object::Function(func))
            if !func.code.flags.intersects(super::call::GEN_FLAGS)
                && func.code.argcount as usize == n => {}
        Some(Object::Function(func)) if !func.code.flags.intersects(super::call::GEN_FLAGS) => {
            // Defaults or a wrong count: bind through the general path.
            let callee = std::mem::replace(&mut f.stack[at], Value::NONE);
            let frame = super::call::new_function_frame_owned(ts, callee, f.stack.drain(at + 1..));
            f.stack.pop(); // the callee's place
            return frame.map(Some);
        }
        _ => return Ok(None),
    }
    let mut frame = super::call::new_function_frame_unbound(ts, &f.stack[at])?;
    // SAFETY: `frame.locals` holds at least `n` (the code's argcount) unbound locals, which
    // need no drop, and the `n` arguments above `at` move into them: the stack's length is
    // cut to `at + 1` before anything can read or drop them from the stack again.
    unsafe {
        let args = f.stack.as_ptr().add(at + 1);
        std::ptr::copy_nonoverlapping(args, frame.locals.as_mut_ptr(), n);
        f.stack.set_len(at + 1);
    }
    // The frame takes the caller's reference to the function (which keeps the code alive).
    frame.func = f.stack.pop().expect("the callee");
    Ok(Some(frame))
}

/// [`call_value`] of positional arguments the call may take over (a Python function run by
/// the interpreter gets them moved into its frame).
fn call_value_owned(ts: &mut ThreadState, callee: Value, args: Args) -> PyResult<Called> {
    if let Some(Object::Function(func)) = callee.obj() {
        if !func.code.flags.intersects(super::call::GEN_FLAGS) {
            if let Some(r) = super::tier::tier().and_then(|t| t.call(ts, &callee, func, &args, &[]))
            {
                return r.map(Called::Value);
            }
            return super::call::new_function_frame_owned(ts, callee, args.into_iter())
                .map(Called::Frame);
        }
    }
    call_value(ts, &callee, &args, &[])
}

/// `CallMethod(n)`/`CallMethodKw(n)` (the keyword names already popped) through the general
/// path: takes the callee, the receiver (unless NULL) and the `n` arguments off the stack.
fn call_method(
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
        None => call_value(ts, &callee, &args, &[]),
    }
}

/// Calls a builtin function or a type whose place on the value stack of the frame at `fp` is
/// `callee_at`, with the positional arguments from `args_at` to the top of the stack read
/// where they lie (`call::call_builtin_or_type`); then drops the callee, the arguments and
/// whatever lies between them (a NULL receiver) off the stack. `None`: another kind of callee
/// (nothing done).
fn native_call_in_place(
    ts: &mut ThreadState,
    fp: *mut InterpreterFrame,
    callee_at: usize,
    args_at: usize,
) -> Option<PyResult<Value>> {
    // SAFETY: `fp` is the running frame (see the module docs); a short borrow.
    let stack = unsafe { &(*fp).stack };
    // SAFETY: the callee and the arguments are live values of the stack's buffer, a heap block
    // apart from the frame. While the callee runs, this frame waits at its call instruction,
    // and only the loop running a frame pushes onto or pops its value stack; observers of a
    // waiting frame (frame objects, `f_locals`, handshakes, the cycle collector) read its
    // locals and instruction, never its value stack. So the buffer neither moves nor changes
    // under these borrows, which end before the stack is cut below.
    let (callee, args) = unsafe {
        let base = stack.as_ptr();
        (
            &*base.add(callee_at),
            std::slice::from_raw_parts(base.add(args_at), stack.len() - args_at),
        )
    };
    let r = call_builtin_or_type(ts, callee, args, &[])?;
    // SAFETY: as above; the borrows are no longer used.
    unsafe { &mut *fp }.stack.truncate(callee_at);
    Some(r)
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
unsafe fn stack_at<'s>(fp: *mut InterpreterFrame, below: usize) -> &'s Value {
    // SAFETY: caller's contract; the index is in bounds (checked in debug builds).
    unsafe {
        let stack = &(*fp).stack;
        debug_assert!(below < stack.len());
        &*stack.as_ptr().add(stack.len() - 1 - below)
    }
}

fn take_args(f: &mut InterpreterFrame, n: usize) -> Args {
    let len = f.stack.len();
    f.stack.drain(len - n..).collect()
}

fn take_vec(f: &mut InterpreterFrame, n: usize) -> Vec<Value> {
    let len = f.stack.len();
    f.stack.split_off(len - n)
}

fn split_kwargs<'a>(args: &'a [Value], kwnames: &Value) -> (&'a [Value], Vec<(Value, Value)>) {
    let names = kwnames.as_tuple().unwrap_or(&[]);
    let npos = args.len() - names.len();
    let kw = names
        .iter()
        .cloned()
        .zip(args[npos..].iter().cloned())
        .collect();
    (&args[..npos], kw)
}

#[inline]
fn small_compare(op: crate::code::CmpOp, x: i64, y: i64) -> bool {
    use crate::code::CmpOp::*;
    match op {
        Lt => x < y,
        Le => x <= y,
        Eq => x == y,
        Ne => x != y,
        Gt => x > y,
        Ge => x >= y,
    }
}

fn name_str(v: &Value) -> &str {
    v.as_str().expect("names are strs")
}

fn name_key(name: &Value) -> HashKey {
    let hash = name.as_pystr().expect("names are strs").hash();
    HashKey {
        hash,
        key: name.clone(),
    }
}

/// The UnboundLocalError of reading local `i` before it is bound.
pub(crate) fn unbound_local(code: &CodeObject, i: u32) -> PyErr {
    let name = &code.varnames[i as usize];
    PyErr::new(
        ExcKind::UnboundLocalError,
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

fn name_error(name: &Value) -> PyErr {
    let e = PyErr::new(
        ExcKind::NameError,
        format!("name '{}' is not defined", name_str(name)),
    );
    e.exception().set_attr("name", name.clone());
    e
}

/// `LoadGlobal(i)` of `code` in `globals`: the code's cache of the name when the dicts' key
/// versions say it holds (no lock taken), else a lookup that fills it.
fn load_global_cached(code: &CodeObject, i: usize, globals: &Value) -> PyResult<Value> {
    let name = &code.names[i];
    let cache = &code.name_caches()[i];
    let hash = name.as_pystr().expect("names are strs").hash();
    let g = globals.as_dict().expect("globals is a dict");
    let b = runtime().builtins.get().and_then(Value::as_dict);
    if let Some(v) = cache.lookup(g, b, hash) {
        return Ok(v);
    }
    fill_global_cache(cache, globals, name)
}

/// The miss path of a global-name cache (the interpreter's, compiled code's, the compiler's):
/// the name looked up under the locks ([`load_global_watched`]), and the answer recorded.
pub(crate) fn fill_global_cache(
    cache: &crate::object::name_cache::NameCache,
    globals: &Value,
    name: &Value,
) -> PyResult<Value> {
    let (v, versions) = load_global_watched(globals, name)?;
    cache.install(&v, versions);
    Ok(v)
}

/// `module.name` for `LoadAttr(i)`/`LoadMethod(i)` of `code` when `obj` is a module and the
/// name a plain member of its dict, through the code's cache of the name as `LoadGlobal` reads
/// the globals: the module dict's key versions say whether the cached value holds (no lock
/// taken); a miss looks the name up under the dict's lock and fills the cache. `None`: not a
/// module, a dunder name, or a name the dict lacks (the general lookup answers).
#[inline]
fn module_attr_cached(code: &CodeObject, i: usize, obj: &Value) -> Option<Value> {
    let Some(Object::Module(m)) = obj.obj() else {
        return None;
    };
    let name = &code.names[i];
    let s = name.as_pystr()?;
    if s.as_str().starts_with("__") {
        return None;
    }
    let d = m.dict.as_dict()?;
    let cache = &code.name_caches()[i];
    if let Some(v) = cache.lookup(d, None, s.hash()) {
        return Some(v);
    }
    let (v, gver) = find_watched(&m.dict, name, s.hash());
    let v = v?;
    cache.install(&v, (gver, crate::object::name_cache::ANY_VERSION));
    Some(v)
}

/// `name` (interned, with hash `hash`) in the dict `dict`, which is watched from now on, and
/// the version of the name's key bucket under which the answer (also an absence) holds.
#[inline(always)]
fn find_watched(dict: &Value, name: &Value, hash: u64) -> (Option<Value>, u64) {
    let d = dict.as_dict().expect("a dict");
    let g = d.read();
    d.watch(&g);
    // Names are interned: the memoized index or the probe finds the key by identity.
    let v = get_name(&g, dict.bits(), name, hash).cloned();
    (v, d.key_version(hash))
}

/// Globals, then builtins, for a cache: the value and the versions of the name's key bucket in
/// the globals and in the builtins dict (both watched from now on) under which the answer
/// holds. The builtins version matters only when the name came from the builtins; for a
/// global it is `name_cache::ANY_VERSION`, which readers skip.
fn load_global_watched(globals: &Value, name: &Value) -> PyResult<(Value, (u64, u64))> {
    let hash = name.as_pystr().expect("names are strs").hash();
    let builtins = runtime().builtins.get();
    let gver = match find_watched(globals, name, hash) {
        (Some(v), gver) => return Ok((v, (gver, crate::object::name_cache::ANY_VERSION))),
        (None, gver) => gver,
    };
    if let Some(b) = builtins {
        let bd = b.as_dict().expect("builtins is a dict");
        let g = bd.read();
        if let Some(v) = get_name(&g, b.bits(), name, hash) {
            bd.watch(&g);
            return Ok((v.clone(), (gver, bd.key_version(hash))));
        }
    }
    Err(name_error(name))
}

fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            0x80..=0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            0x100..=0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `MakeFunction`: a function of the code object `code_v` with these defaults and globals.
pub(crate) fn make_function(globals: &Value, code_v: &Value, defaults: &Value) -> Value {
    let code = code_v
        .as_code()
        .expect("MakeFunction on a code object")
        .clone();
    let module = crate::stdlib::dict_get(globals, "__name__").unwrap_or(Value::NONE);
    Value::from_object(Object::Function(Function {
        name: Value::str(&code.name),
        qualname: Value::str(&code.qualname),
        globals: globals.clone(),
        defaults: defaults
            .as_tuple()
            .unwrap_or(&[])
            .to_vec()
            .into_boxed_slice(),
        module,
        calls: AtomicU32::new(0),
        jit_entry: Default::default(),
        code,
    }))
}

/// An exception type value or instance, made an instance.
pub(crate) fn instantiate(ts: &mut ThreadState, v: Value) -> PyResult<Value> {
    if v.as_exception().is_some() {
        return Ok(v);
    }
    if let Some(TypeId::Exc(_)) = v.as_type() {
        return super::call::call(ts, &v, &[], &[]);
    }
    Err(err::type_error("exceptions must derive from BaseException"))
}

/// The exception `raise exc [from cause]` raises (the error case is the TypeError to raise).
pub(crate) fn make_raise(
    ts: &mut ThreadState,
    exc: Value,
    cause: Option<Value>,
) -> Result<PyErr, PyErr> {
    let exc = instantiate(ts, exc)?;
    let e = PyErr::from_value(exc);
    // An explicit `raise` chains even an exception raised before (`raise e` in a handler).
    set_context(ts, &e);
    if let Some(cause) = cause {
        let cause = if cause.is_none() {
            cause
        } else {
            instantiate(ts, cause)
                .map_err(|_| err::type_error("exception causes must derive from BaseException"))?
        };
        let mut st = e.exception().state.lock();
        st.cause = cause;
        st.suppress_context = true;
    }
    Ok(e)
}

/// `CheckExcMatch`: does `exc` match `except ty` (a type or a tuple of types)?
pub(crate) fn exception_matches(exc: &Value, ty: &Value) -> PyResult<bool> {
    let kind = exc.as_exception().map(|e| e.kind);
    let check = |t: &Value| -> PyResult<bool> {
        match t.as_type() {
            Some(TypeId::Exc(k)) => Ok(kind.is_some_and(|e| e.is_subclass(k))),
            _ => Err(err::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    };
    if let Some(items) = ty.as_tuple() {
        let mut any = false;
        for t in items {
            any |= check(t)?;
        }
        return Ok(any);
    }
    check(ty)
}

/// `DeleteGlobal`: `del globals[name]`, NameError if missing.
pub(crate) fn delete_global(globals: &Value, name: &Value) -> PyResult<()> {
    let old = globals
        .as_dict()
        .expect("globals is a dict")
        .lock()
        .shift_remove(&name_key(name));
    match old {
        Some(_) => Ok(()),
        None => Err(name_error(name)),
    }
}

/// `BuildMap`: a dict of the alternating keys and values in `items`.
pub(crate) fn build_map(ts: &mut ThreadState, items: Vec<Value>) -> PyResult<Value> {
    let d = Value::dict();
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        ops::setitem(ts, &d, &k, v)?;
    }
    Ok(d)
}

/// `BuildSet`: a set of `items` (through the `set` type, so CPython's set order holds).
pub(crate) fn build_set(ts: &mut ThreadState, items: Vec<Value>) -> PyResult<Value> {
    stdlib::builtins::call_type(ts, TypeId::Set, &[Value::list(items)], &[])
}

/// `BuildString`: the concatenation of the str parts.
pub(crate) fn build_string(parts: &[Value]) -> Value {
    let mut s = String::new();
    for p in parts {
        s.push_str(p.as_str().unwrap_or(""));
    }
    Value::string(s)
}

/// `FormatValue(flags)` of `v` with an optional format spec.
pub(crate) fn format_value(
    ts: &mut ThreadState,
    flags: u32,
    v: Value,
    spec: Option<Value>,
) -> PyResult<Value> {
    let converted = match flags & 3 {
        1 => Value::string(ops::str(ts, &v)?),
        2 => Value::string(ops::repr(ts, &v)?),
        3 => Value::string(ascii(&ops::repr(ts, &v)?)),
        _ => v,
    };
    let spec_str = spec.as_ref().and_then(|s| s.as_str()).unwrap_or("");
    Ok(if spec_str.is_empty() && converted.as_str().is_some() {
        converted
    } else {
        Value::string(ops::format(ts, &converted, spec_str)?)
    })
}

/// `ListAppend`: appends `v` to the list `target` (a comprehension's): MemoryError when the list
/// cannot grow, as CPython's, rather than an abort.
pub(crate) fn list_append(target: &Value, v: Value) -> PyResult<()> {
    let list = target.as_list().expect("ListAppend on a list");
    crate::object::alloc::push(&mut list.lock(), v)
}

/// `SetAdd`: adds `v` to the set `target`.
pub(crate) fn set_add(target: &Value, v: Value) -> PyResult<()> {
    let key = HashKey::new(v)?;
    match target.obj() {
        Some(Object::Set(set)) => {
            set.lock().insert(key, Value::NONE);
        }
        _ => unreachable!("SetAdd on a set"),
    }
    Ok(())
}

/// Bare `raise`: the exception being handled, or the RuntimeError of having none.
pub(crate) fn active_exception(ts: &ThreadState) -> PyResult<PyErr> {
    let handled = ts.handled_exception();
    if handled.as_exception().is_none() {
        return Err(err::runtime_error("No active exception to reraise"));
    }
    Ok(PyErr::from_value(handled))
}

/// `BeforeWith`: `(mgr.__exit__, mgr.__enter__())`, looked up in CPython's order.
pub(crate) fn before_with(ts: &mut ThreadState, mgr: &Value) -> PyResult<(Value, Value)> {
    let exit = ops::getattr(ts, mgr, "__exit__")?;
    let enter = ops::getattr(ts, mgr, "__enter__")?;
    let entered = super::call::call(ts, &enter, &[], &[])?;
    Ok((exit, entered))
}

/// `WithExceptStart`: `exit(type(exc), exc, exc.__traceback__)`.
pub(crate) fn with_except_start(ts: &mut ThreadState, exit: &Value, exc: Value) -> PyResult<Value> {
    let tb = exc
        .as_exception()
        .map_or(Value::NONE, |e| e.state.lock().traceback.clone());
    super::call::call(ts, exit, &[exc.type_object(), exc, tb], &[])
}

/// `ImportFrom`: `module.name`, or CPython's ImportError.
pub(crate) fn import_from(ts: &mut ThreadState, m: &Value, name: &str) -> PyResult<Value> {
    match ops::getattr(ts, m, name) {
        Ok(v) => Ok(v),
        Err(_) => {
            let mname = m.obj().and_then(|o| match o {
                Object::Module(md) => md.name.as_str().map(str::to_owned),
                _ => None,
            });
            Err(PyErr::new(
                ExcKind::ImportError,
                format!(
                    "cannot import name '{}' from '{}' (unknown location)",
                    name,
                    mname.unwrap_or_default()
                ),
            ))
        }
    }
}
