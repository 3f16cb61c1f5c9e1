//! Observing a thread's Python stack through its shadow frames: the entry points behind
//! `sys._getframe`, `sys._getframemodulename`, `PyEval_GetFrame` and `traceback.extract_stack`.
//!
//! Each reads an activation's code and current instruction from its shadow frame and builds a
//! frame object only for the activation it returns.

use super::lazy::Back;
use super::{materialize, FrameObject, InterpreterFrame, LazyFrame};
use crate::code::CodeObject;
use crate::object::exc::err;
use crate::object::{PyResult, Value};
use crate::shadow::{Kind, ShadowFrame, ShadowWalk};
use crate::thread::ThreadState;
use std::sync::Arc;

/// An activation as a stack walk sees it: code and current instruction.
#[derive(Clone)]
pub struct StackEntry {
    /// Its code.
    pub code: Arc<CodeObject>,
    /// Index of its current instruction.
    pub pc: usize,
}

/// The interpreter frame behind a shadow frame, if the activation is interpreted.
///
/// # Safety
/// `sf` must be linked on `ts`'s stack and `ts` must be the current thread's.
unsafe fn interp_frame(ts: &ThreadState, sf: *mut ShadowFrame) -> Option<*mut InterpreterFrame> {
    let _ = ts;
    // SAFETY: caller's contract.
    let s = unsafe { &*sf };
    match s.kind() {
        Kind::Interpreted => Some(s.pointer()),
        Kind::Materialized => {
            // The frame object of an interpreted activation: the activation embeds `sf`.
            let off = std::mem::offset_of!(InterpreterFrame, shadow);
            Some((sf as usize - off) as *mut InterpreterFrame)
        }
        Kind::Jit => None,
    }
}

/// Code and instruction of the activation of `sf`.
///
/// # Safety
/// As for `interp_frame`.
unsafe fn entry_of(ts: &ThreadState, sf: *mut ShadowFrame) -> StackEntry {
    // SAFETY: forwarded.
    match unsafe { interp_frame(ts, sf) } {
        Some(f) => {
            // SAFETY: linked, so alive; read only.
            let f = unsafe { &*f };
            StackEntry {
                code: f.code.clone(),
                pc: f.pc,
            }
        }
        None => panic!("JIT activations are answered by the JIT's hook"),
    }
}

/// The `depth`-th shadow frame from the top (0 = top).
fn nth(ts: &ThreadState, depth: usize) -> Option<*mut ShadowFrame> {
    // SAFETY: walking our own thread's stack; frames stay linked during the walk.
    unsafe { ShadowWalk::new(ts.shadow_top) }.nth(depth)
}

/// `sys._getframe(depth)`: the frame object `depth` calls below the top (negative = 0).
pub fn getframe(ts: &mut ThreadState, depth: i64) -> PyResult<Value> {
    let sf = nth(ts, depth.max(0) as usize)
        .ok_or_else(|| err::value_error("call stack is not deep enough"))?;
    // SAFETY: `sf` is linked on our own stack.
    Ok(unsafe { materialize(ts, sf) })
}

/// `PyEval_GetFrame` / `PyThreadState_GetFrame`: the top frame object, if any frame runs.
pub fn eval_get_frame(ts: &mut ThreadState) -> Option<Value> {
    let top = ts.shadow_top;
    // SAFETY: the top of our own stack is linked.
    (!top.is_null()).then(|| unsafe { materialize(ts, top) })
}

/// `sys._getframemodulename(depth)`: `__module__` of the function running `depth` calls down,
/// with no frame object built. None past the bottom.
pub fn getframe_module_name(ts: &ThreadState, depth: i64) -> Value {
    let Some(sf) = nth(ts, depth.max(0) as usize) else {
        return Value::NONE;
    };
    // SAFETY: linked on our own stack.
    let Some(f) = (unsafe { interp_frame(ts, sf) }) else {
        return Value::NONE;
    };
    // SAFETY: alive while linked; read only.
    let f = unsafe { &*f };
    if let Some(func) = f.func.as_function() {
        return func.module.clone();
    }
    f.globals
        .as_dict()
        .and_then(|d| {
            let key = crate::object::HashKey::new(Value::str("__name__")).ok()?;
            d.lock().get(&key).cloned()
        })
        .unwrap_or(Value::NONE)
}

/// Code and instruction of every activation from `skip` calls below the top down to the bottom,
/// innermost first. Builds no frame object.
pub fn stack_entries(ts: &ThreadState, skip: usize) -> Vec<StackEntry> {
    // SAFETY: walking our own thread's stack.
    unsafe { ShadowWalk::new(ts.shadow_top) }
        .skip(skip)
        // SAFETY: each yielded frame is linked on our own stack.
        .map(|sf| unsafe { entry_of(ts, sf) })
        .collect()
}

/// The identity of the activation of `sf` for tracebacks and `f_back` links: its frame object
/// if it has one, else its lazy record (created now if needed). Null = the bottom.
///
/// # Safety
/// `sf` must be null or linked on `ts`'s stack, on the current thread.
pub unsafe fn lazy_frame_of(ts: &ThreadState, sf: *mut ShadowFrame) -> Back {
    if sf.is_null() {
        return Back::None;
    }
    // SAFETY: caller's contract.
    let f =
        unsafe { interp_frame(ts, sf) }.expect("JIT activations are answered by the JIT's hook");
    // SAFETY: linked, so alive; the eval loop holds no reference into it while we run.
    let f = unsafe { &mut *f };
    if let Some(obj) = &f.frame_obj {
        return Back::Object(obj.clone());
    }
    let lazy = f
        .lazy
        .get_or_insert_with(|| LazyFrame::live(&mut f.shadow, ts))
        .clone();
    Back::Lazy(lazy)
}

/// The activation of `frame` ends: hand its state to its frame object and lazy record, if
/// anyone still holds them. Call before unlinking its shadow frame.
pub fn exit_frame(ts: &ThreadState, frame: &mut InterpreterFrame) {
    let obj = frame.frame_obj.take();
    let lazy = frame.lazy.take();
    let obj_held = obj.as_ref().is_some_and(|o| o.ref_count() > 1);
    let lazy_held = lazy
        .as_ref()
        .is_some_and(|l| Arc::strong_count(l) > 1 && l.object().is_none());
    if !obj_held && !lazy_held {
        return;
    }
    // SAFETY: the caller's shadow frame is linked below ours on this thread.
    let back = unsafe { lazy_frame_of(ts, frame.shadow.prev) };
    if let Some(o) = obj.filter(|_| obj_held) {
        o.downcast::<FrameObject>()
            .expect("frame object")
            .take_ownership(frame, back.clone());
    }
    if let Some(l) = lazy.filter(|_| lazy_held) {
        l.set_ended(super::lazy::Ended {
            code: frame.code.clone(),
            globals: frame.globals.clone(),
            locals: frame.locals.clone(),
            pc: frame.pc,
            back,
        });
    }
}

/// `PyEval_GetGlobals`: the globals of the top activation, with no frame object built.
pub fn current_globals(ts: &ThreadState) -> Option<Value> {
    let top = ts.shadow_top;
    if top.is_null() {
        return None;
    }
    // SAFETY: the top of our own stack is linked.
    let f = unsafe { interp_frame(ts, top) }?;
    // SAFETY: alive while linked; read only.
    Some(unsafe { &*f }.globals.clone())
}
