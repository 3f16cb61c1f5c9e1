//! The eval loop.
//!
//! One invocation of [`run_frame`] runs an entry frame and every Python function it calls,
//! without native recursion: a Python-to-Python call pushes a frame on the invocation's frame
//! list and keeps looping (CPython 3.11+'s inlined calls), so interpreted recursion is bounded by
//! the recursion limit and memory, never by the native stack. A `for` loop over a generator
//! runs the generator's frame the same way until it yields back (CPython's `FOR_ITER_GEN`): a
//! generator frame that is not its invocation's entry frame is such a frame, and its yield,
//! return or exception ends the resumption (`gen::Generator::end_inline`).
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

mod calls;
mod generators;

use self::calls::{
    call_method, call_value, call_value_owned, native_call_in_place, stack_at, stack_call_frame,
    take_args, take_vec, tier_call_in_place, Called,
};
pub use self::generators::Sent;
use self::generators::{end_inline, end_inline_raised, suspend_top};
pub(crate) use self::generators::{resume_generator, Resumed};
use super::call::{split_kwargs, GEN_FLAGS};
use super::gen::Generator;
use super::instr_ops::{
    active_exception, before_with, build_map, build_set, build_string, exception_matches,
    format_value, import_from, list_append, make_function, make_raise, set_add, set_context,
    unbound_local, with_except_start,
};
use super::names::{
    delete_global, load_callee_global, load_global_cached, module_attr_cached, name_key, name_str,
};
use crate::code::{CodeObject, Instr};
use crate::frame::{add_traceback_entry_chained, exit_frame, lazy_frame_of, InterpreterFrame};
use crate::object::exc::err;
use crate::object::{ops, ExcKind, Object, PyErr, PyResult, TypeId, Value};
use crate::shadow;
use crate::stdlib;
use crate::thread::ThreadState;
use std::sync::Arc;

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

/// Links a new frame: shadow frame, depth.
// Inlined, like `leave`: each is a handful of stores that every call runs, which cost less in
// `execute` than a call (measured). `FramePool::release`, with its loop over the locals, stays
// out of line: inlined, it makes the whole loop slower.
#[inline(always)]
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
    ts.frame_pushed();
    frames.push(frame);
}

/// Unlinks the top frame after handing its state off; true if it was the entry frame.
#[inline(always)]
fn leave(ts: &mut ThreadState, frames: &mut Vec<Box<InterpreterFrame>>) -> bool {
    let mut frame = frames.pop().expect("a frame to leave");
    exit_frame(ts, &mut frame);
    let sf: *mut shadow::ShadowFrame = &mut frame.shadow;
    // SAFETY: the top frame of this invocation is the shadow-stack top (links nest).
    unsafe { shadow::pop(ts.shadow_top_ptr(), sf) };
    ts.frame_popped();
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
    let inline_gen = !frame.is_entry && frame.code.flags.intersects(GEN_FLAGS);
    if leave(ts, frames) {
        return Unwound::Left(err);
    }
    // A generator resumed inline ended by raising: its `for` loop raises what `next` would.
    let err = match inline_gen {
        true => end_inline_raised(ts, frames, err),
        false => err,
    };
    let caller = frames.last().expect("a caller");
    Unwound::Caller(Failure {
        err,
        fresh: true,
        at: caller.pc,
    })
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
    // The value stack's two operations, without the checks `Vec` makes (3-6% of the
    // interpreter's instructions; see each SAFETY comment).
    macro_rules! pop {
        () => {{
            let s = &mut f!().stack;
            let n = s.len();
            debug_assert!(n > 0, "value stack underflow (compiler bug)");
            // SAFETY: `n > 0`, so slot `n - 1` holds a value, which the shortened vector gives
            // up: the assembler verified that every instruction, on every path, finds at least
            // as many values on the stack as it reads (`compile::assemble::max_stack_depth`).
            unsafe {
                s.set_len(n - 1);
                s.as_ptr().add(n - 1).read()
            }
        }};
    }
    macro_rules! push {
        ($v:expr) => {{
            let v = $v;
            let s = &mut f!().stack;
            let n = s.len();
            debug_assert!(n < s.capacity(), "value stack overflow (compiler bug)");
            // SAFETY: slot `n` is allocated and unused: a running frame's stack has room for
            // its code's `max_stack` values (`FramePool::take` reserves them, and nothing
            // shrinks a frame's stack), and the assembler proved that no instruction, on any
            // path, takes the stack deeper than that (`compile::assemble::max_stack_depth`).
            unsafe {
                s.as_mut_ptr().add(n).write(v);
                s.set_len(n + 1);
            }
        }};
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
    // A generator frame suspends with `v`: back to its generator and to the caller, or out of
    // this loop if it is the entry frame (`resume_generator`'s). A generator frame that is not
    // the entry was resumed inline by the `ForIter` of its caller.
    macro_rules! yield_value {
        ($v:expr) => {{
            let v = $v;
            if f!().is_entry {
                return Outcome::Yield(v);
            }
            let frame = suspend_top(ts, frames);
            end_inline(ts, frames, Some(frame));
            switch_to_top!();
            push!(v);
            pc = f!().pc + 1;
            continue;
        }};
    }
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(e) => fail!(e),
            }
        };
    }
    // The instruction at `pc`, a comparison of two small ints (both popped) with outcome
    // `r`: a conditional jump next takes the outcome at once, as it would have popped it
    // (nothing can observe the step between); otherwise the outcome is pushed.
    macro_rules! small_compare_then {
        ($r:expr) => {{
            let r = $r;
            let jump = match code.instrs.get(pc + 1) {
                Some(&Instr::PopJumpIfFalse(t)) => Some((!r, t)),
                Some(&Instr::PopJumpIfTrue(t)) => Some((r, t)),
                _ => None,
            };
            match jump {
                Some((true, t)) => {
                    pc = t as usize;
                    f!().pc = pc;
                    back_edge(ts);
                }
                Some((false, _)) => pc += 2,
                None => {
                    push!(Value::bool(r));
                    pc += 1;
                }
            }
            continue;
        }};
    }
    loop {
        f!().pc = pc;
        debug_assert!(pc < code.instrs.len(), "control off the end of the code");
        // SAFETY: `pc` is a reachable instruction: the entry, a jump or handler target, the
        // instruction after a non-terminal one, or where a suspended or deoptimized frame
        // stopped; the assembler verified that each of those lies inside the code
        // (`compile::assemble::max_stack_depth` fails on control falling off the end).
        match *unsafe { code.instrs.get_unchecked(pc) } {
            Instr::Nop => {}
            // SAFETY (of the unchecked reads of constants and locals): the compiler checked
            // that every local and constant an instruction names exists
            // (`compile::assemble::check_operands`), and a frame has one local per name of its
            // code (`FramePool::alloc`).
            Instr::LoadConst(i) => {
                // SAFETY: see above.
                let k = unsafe { code.consts.get_unchecked(i as usize) };
                let top = f!().stack.last().and_then(Value::as_small);
                if let (Some(y), Some(x)) = (k.as_small(), top) {
                    // A small-int constant, the right operand of the next instruction, whose
                    // left one is a small int: that instruction runs here on the top of the
                    // stack, the constant never pushed (nothing observes the step between).
                    match code.instrs.get(pc + 1) {
                        Some(&(Instr::BinaryOp(op) | Instr::InplaceOp(op))) => {
                            if let Some(r) = ops::arith::small_binop(op, x, y) {
                                pc += 1;
                                match r {
                                    Ok(v) => {
                                        // The old top is a small int: nothing to drop.
                                        *f!().stack.last_mut().expect("the left operand") = v;
                                        pc += 1;
                                        continue;
                                    }
                                    Err(e) => {
                                        pop!();
                                        f!().pc = pc;
                                        fail!(e);
                                    }
                                }
                            }
                        }
                        Some(&Instr::Compare(op)) => {
                            pop!();
                            pc += 1;
                            small_compare_then!(small_compare(op, x, y));
                        }
                        _ => {}
                    }
                }
                push!(k.clone());
            }
            Instr::LoadFast(i) => {
                let locals = &f!().locals;
                // SAFETY: see `LoadConst`.
                let v = unsafe { locals.get_unchecked(i as usize) }.clone();
                if v.is_null() {
                    fail!(unbound_local(code, i));
                }
                push!(v);
            }
            Instr::StoreFast(i) => {
                let v = pop!();
                let locals = &mut f!().locals;
                // SAFETY: see `LoadConst`.
                let slot = unsafe { locals.get_unchecked_mut(i as usize) };
                let old = std::mem::replace(slot, v);
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
                let fr = f!();
                let v = if code.opens_window(pc) {
                    tri!(load_callee_global(
                        code,
                        i as usize,
                        fr.globals(),
                        fr.func()
                    ))
                } else {
                    tri!(load_global_cached(code, i as usize, fr.globals()))
                };
                push!(v);
            }
            Instr::StoreGlobal(i) => {
                let v = pop!();
                let name = &code.names[i as usize];
                let globals = f!().globals();
                let mut d = globals.as_dict().expect("globals is a dict").lock();
                // A rebinding (a module-level loop's variables) replaces the value in place.
                let hash = name.as_pystr().expect("names are strs").hash();
                let old = match d.replace_name(globals.bits(), name, hash, v) {
                    Ok(old) => old,
                    Err(v) => d.insert(name_key(name), v).unwrap_or(Value::NULL),
                };
                drop(d);
                drop(old);
            }
            Instr::DeleteGlobal(i) => {
                tri!(delete_global(f!().globals(), &code.names[i as usize]));
            }
            Instr::LoadAttr(i) => {
                let obj = pop!();
                let v = match module_attr_cached(code, i as usize, &obj) {
                    Some(v) => v,
                    None => tri!(ops::getattr_name(ts, &obj, &code.names[i as usize])),
                };
                push!(v);
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
                push!(callable);
                push!(receiver.unwrap_or(Value::NULL));
            }
            Instr::Call(n) => {
                if let Some(fr) = tri!(stack_call_frame(ts, f!(), n as usize)) {
                    call_frame!(fr);
                }
                let at = f!().stack.len() - n as usize - 1;
                if let Some(r) = native_call_in_place(ts, fp, at, at + 1) {
                    let v = tri!(r);
                    push!(v);
                    super::gen::poll_finalizers(ts);
                    pc += 1;
                    continue;
                }
                if let Some(r) = tier_call_in_place(ts, fp, at, at + 1) {
                    let v = tri!(r);
                    push!(v);
                } else {
                    let args = take_args(f!(), n as usize);
                    let callee = pop!();
                    match call_value_owned(ts, callee, args) {
                        Ok(Called::Frame(fr)) => call_frame!(fr),
                        Ok(Called::Value(v)) => push!(v),
                        Err(e) => fail!(e),
                    }
                }
            }
            Instr::CallKw(n) => {
                let kwnames = pop!();
                let args = take_args(f!(), n as usize);
                let callee = pop!();
                let (pos, kw) = split_kwargs(&args, &kwnames);
                match call_value(ts, &callee, pos, &kw) {
                    Ok(Called::Frame(fr)) => call_frame!(fr),
                    Ok(Called::Value(v)) => push!(v),
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
                match native_call_in_place(ts, fp, at, first)
                    .or_else(|| tier_call_in_place(ts, fp, at, first))
                {
                    Some(r) => {
                        let v = tri!(r);
                        push!(v);
                    }
                    None => match tri!(call_method(ts, f!(), n as usize, None)) {
                        Called::Frame(fr) => call_frame!(fr),
                        Called::Value(v) => push!(v),
                    },
                }
            }
            Instr::CallMethodKw(n) => {
                let kwnames = pop!();
                match tri!(call_method(ts, f!(), n as usize, Some(kwnames))) {
                    Called::Frame(fr) => call_frame!(fr),
                    Called::Value(v) => push!(v),
                }
            }
            Instr::BinarySubscr => {
                let key = pop!();
                let container = pop!();
                let v = tri!(ops::getitem(ts, &container, &key));
                push!(v);
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
                push!(v);
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
                push!(v);
            }
            Instr::UnaryOp(op) => {
                let a = pop!();
                let v = tri!(ops::unary_op(ts, op, &a));
                push!(v);
            }
            Instr::Compare(op) => {
                let b = pop!();
                let a = pop!();
                if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
                    small_compare_then!(small_compare(op, x, y));
                }
                let v = match (a.as_small(), b.as_small()) {
                    (Some(x), Some(y)) => Value::bool(small_compare(op, x, y)),
                    _ => tri!(ops::compare(ts, op, &a, &b)),
                };
                push!(v);
            }
            Instr::Is(invert) => {
                let b = pop!();
                let a = pop!();
                push!(Value::bool(a.is(&b) != invert));
            }
            Instr::Contains(invert) => {
                let b = pop!();
                let a = pop!();
                let r = tri!(ops::contains(ts, &b, &a));
                push!(Value::bool(r != invert));
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
                push!(Value::tuple(items));
            }
            Instr::BuildList(n) => {
                let items = take_vec(f!(), n as usize);
                push!(Value::list(items));
            }
            Instr::BuildMap(n) => {
                let items = take_vec(f!(), 2 * n as usize);
                let d = tri!(build_map(ts, items));
                push!(d);
            }
            Instr::BuildSet(n) => {
                let items = take_vec(f!(), n as usize);
                let s = tri!(build_set(ts, items));
                push!(s);
            }
            Instr::BuildSlice(n) => {
                let step = if n == 3 { pop!() } else { Value::NONE };
                let stop = pop!();
                let start = pop!();
                push!(Value::from_object(Object::Slice(start, stop, step)));
            }
            Instr::BuildString(n) => {
                let parts = take_vec(f!(), n as usize);
                push!(build_string(&parts));
            }
            Instr::FormatValue(flags) => {
                let spec = if flags & 4 != 0 { Some(pop!()) } else { None };
                let v = pop!();
                let out = tri!(format_value(ts, flags, v, spec));
                push!(out);
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
                let it = tri!(ops::iter::get_iter_owned(ts, v));
                push!(it);
            }
            Instr::ForIter(t) => {
                // SAFETY: the top of our own stack, read in place during the call (see
                // `stack_at`): the iterator stays there until it is exhausted.
                let it = unsafe { stack_at(fp, 0) };
                // A range's iterator steps here (`for i in range(n)`: CPython's
                // FOR_ITER_RANGE).
                if let Some(Object::RangeIter(r)) = it.obj() {
                    match ops::iter::range_next(it, r) {
                        Some(i) => push!(Value::int(i)),
                        None => {
                            pop!();
                            super::gen::poll_finalizers(ts);
                            pc = t as usize;
                            continue;
                        }
                    }
                    pc += 1;
                    continue;
                }
                // A generator's interpreted frame runs here, linked above this loop, until it
                // yields back to it (`resume_inline!`) or ends.
                if let Some(frame) = it.downcast::<Generator>().and_then(|g| g.begin_inline(ts)) {
                    enter(ts, frames, frame);
                    let top = frames.last().expect("the generator's frame");
                    crate::frame::resume_frame(ts, top);
                    // Safepoint: function entry (a resumption enters the generator's frame).
                    crate::thread::safepoint(ts);
                    switch_to_top!();
                    pc = f!().pc;
                    continue;
                }
                match tri!(ops::iter_next(ts, it)) {
                    Some(v) => push!(v),
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
                let v = make_function(f!().globals(), &code_v, &defaults);
                push!(v);
            }
            Instr::ReturnValue => {
                let v = pop!();
                if f!().is_entry {
                    return Outcome::Return(v);
                }
                let inline_gen = code.flags.intersects(GEN_FLAGS);
                leave(ts, frames);
                if inline_gen {
                    // A generator resumed by the `for` loop below it finished: the loop ends.
                    drop(v);
                    end_inline(ts, frames, None);
                    switch_to_top!();
                    let Instr::ForIter(t) = code.instrs[f!().pc] else {
                        unreachable!("an inline generator is resumed by ForIter");
                    };
                    pop!();
                    super::gen::poll_finalizers(ts);
                    pc = t as usize;
                    continue;
                }
                super::gen::poll_finalizers(ts);
                switch_to_top!();
                push!(v);
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
                push!(prev);
                push!(exc);
            }
            Instr::PopExcept => {
                let prev = pop!();
                ts.exc_info = prev;
            }
            Instr::CheckExcMatch => {
                let ty = pop!();
                let exc = top!().clone();
                let m = tri!(exception_matches(&exc, &ty));
                push!(Value::bool(m));
            }
            Instr::BeforeWith => {
                let mgr = pop!();
                let (exit, entered) = tri!(before_with(ts, &mgr));
                push!(exit);
                push!(entered);
            }
            Instr::WithExceptStart => {
                let s = &f!().stack;
                let n = s.len();
                let exc = s[n - 1].clone();
                let exit = s[n - 4].clone();
                let r = tri!(with_except_start(ts, &exit, exc));
                push!(r);
            }
            Instr::ImportName(i) => {
                let m = tri!(stdlib::import(ts, name_str(&code.names[i as usize])));
                push!(m);
            }
            Instr::ImportFrom(i) => {
                let m = top!().clone();
                let v = tri!(import_from(ts, &m, name_str(&code.names[i as usize])));
                push!(v);
            }
            Instr::LoadAssertionError => push!(TypeId::Exc(ExcKind::AssertionError).object()),
            Instr::ReturnGenerator => {
                // Never run: a generator's frame starts suspended here.
                fail!(err::system_error("ReturnGenerator executed"))
            }
            Instr::YieldValue => {
                let v = pop!();
                yield_value!(v);
            }
            Instr::YieldFrom => {
                let v = pop!();
                let sub = top!().clone();
                match tri!(super::gen::send_into(ts, &sub, v)) {
                    super::gen::Step::Yielded(y) => yield_value!(y),
                    super::gen::Step::Returned(r) => {
                        pop!();
                        push!(r);
                    }
                }
            }
            Instr::GetYieldFromIter => {
                let v = pop!();
                let it = tri!(super::gen::yield_from_iter(ts, code, v));
                push!(it);
            }
            Instr::GetAwaitable => {
                let v = pop!();
                let it = tri!(super::gen::awaitable(v));
                push!(it);
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
