//! Observing a thread's Python stack through its shadow frames: the entry points behind
//! `sys._getframe`, `sys._getframemodulename`, `PyEval_GetFrame` and `traceback.extract_stack`.
//!
//! Each reads an activation's code and current instruction from its shadow frame and builds a
//! frame object only for the activation it returns.

use super::activation::{foreign_frames, Activation};
use super::lazy::Back;
use super::LazyRef;
use super::{materialize, FrameObject, InterpreterFrame, LazyFrame};
use crate::code::CodeObject;
use crate::object::exc::err;
use crate::object::{PyResult, Value};
use crate::shadow::{Kind, ShadowFrame, ShadowWalk, Tag};
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

impl ThreadState {
    /// `PyThreadState_GetFrame`: the frame object of this thread's innermost running Python
    /// function, built now if nothing observed it before, or None when no Python code runs.
    /// The same as [`eval_get_frame`].
    pub fn get_frame(&mut self) -> Option<Value> {
        eval_get_frame(self)
    }
}

/// `sys._getframemodulename(depth)`: `__module__` of the function running `depth` calls down,
/// with no frame object built. None past the bottom.
pub fn getframe_module_name(ts: &ThreadState, depth: i64) -> Value {
    let Some(sf) = nth(ts, depth.max(0) as usize) else {
        return Value::NONE;
    };
    // SAFETY: linked on our own stack.
    let act = unsafe { Activation::of(sf) };
    // SAFETY: as above.
    if let Some(func) = unsafe { act.func() }.as_function() {
        return func.names.module.clone();
    }
    // SAFETY: as above.
    unsafe { act.globals() }
        .as_dict()
        .and_then(|d| {
            d.read()
                .get(&crate::object::StrKey::new("__name__"))
                .cloned()
        })
        .unwrap_or(Value::NONE)
}

/// Code and instruction of every activation from `skip` calls below the top down to the bottom,
/// innermost first. Builds no frame object.
pub fn stack_entries(ts: &ThreadState, skip: usize) -> Vec<StackEntry> {
    let mut out = Vec::new();
    let mut visit = |sf: *mut ShadowFrame, foreign_pc: Option<usize>| {
        // SAFETY: each visited frame is linked on our own stack.
        let act = unsafe { Activation::of(sf) };
        out.push(StackEntry {
            // SAFETY: as above.
            code: unsafe { act.code() },
            // SAFETY: as above (an interpreted activation answers for itself).
            pc: foreign_pc.unwrap_or_else(|| unsafe { act.pc(ts) }),
        });
        true
    };
    match foreign_frames() {
        // SAFETY: walking our own thread's stack.
        Some(f) => unsafe { f.walk(ts, &mut visit) },
        None => {
            // SAFETY: walking our own thread's stack; frames stay linked during the walk.
            for sf in unsafe { ShadowWalk::new(ts.shadow_top) } {
                visit(sf, None);
            }
        }
    }
    out.drain(..skip.min(out.len()));
    out
}

/// The identity of the activation of `sf` for tracebacks and `f_back` links: its frame object
/// if it has one, else its lazy record (created now if needed). Null = the bottom.
///
/// # Safety
/// `sf` must be null or linked on `ts`'s stack, on the current thread.
pub unsafe fn lazy_frame_of(ts: &ThreadState, sf: *mut ShadowFrame) -> Back {
    super::unwind::settle(ts);
    if sf.is_null() {
        return Back::None;
    }
    // SAFETY: caller's contract; nothing holds a reference into the activation while we run.
    unsafe {
        let act = Activation::of(sf);
        if let Some(obj) = act.frame_object() {
            return Back::Object(obj);
        }
        if let Some(lazy) = act.lazy() {
            return Back::Lazy(lazy);
        }
        let lazy = LazyFrame::live(sf, ts);
        act.set_lazy(lazy.clone());
        Back::Lazy(lazy)
    }
}

/// What an ending activation leaves behind: its final locals and instruction; its code and
/// globals come from `parts`, called (once) only when a lazy record needs them, so that an
/// activation whose record nobody holds copies nothing.
struct Final<'a, P: FnOnce() -> (Arc<CodeObject>, Value)> {
    parts: P,
    locals: &'a [Value],
    pc: usize,
}

/// Hands an ending activation's final state to its frame object and lazy record, if anyone
/// still holds them. `obj`/`lazy` are the activation's own references, given up here. `back`
/// gives the caller's identity, asked only if someone holds either.
fn hand_off<P: FnOnce() -> (Arc<CodeObject>, Value)>(
    back: impl FnOnce() -> Back,
    obj: Option<Value>,
    lazy: Option<LazyRef>,
    last: Final<'_, P>,
) {
    let Final { parts, locals, pc } = last;
    let obj = obj.filter(|o| !o.is_unique());
    let lazy = lazy.filter(|l| LazyRef::count(l) > 1);
    if obj.is_none() && lazy.is_none() {
        return;
    }
    // The caller's identity (what their `f_back` answers), cloned only if both need it. Built
    // even when the record turns out not to be live any more: then it has the frame object,
    // which holds it, so the object is held and needs it anyway.
    let back = back();
    let (obj_back, lazy_back) = match (&obj, &lazy) {
        (Some(_), Some(_)) => (Some(back.clone()), Some(back)),
        (Some(_), None) => (Some(back), None),
        _ => (None, Some(back)),
    };
    if let (Some(o), Some(back)) = (obj, obj_back) {
        o.downcast::<FrameObject>()
            .expect("frame object")
            .take_ownership(locals.to_vec(), pc, back);
    }
    if let (Some(l), Some(back)) = (lazy, lazy_back) {
        // Only a record still `Live` takes the state (one that got its frame object answers
        // with that object, which took its own copy above).
        l.end_with(|| {
            let (code, globals) = parts();
            super::lazy::Ended {
                code,
                globals,
                locals: locals.iter().cloned().collect(),
                pc,
                back,
            }
        });
    }
}

/// The interpreted activation of `frame` ends: hand its state to its frame object and lazy
/// record, if anyone still holds them. Call before unlinking its shadow frame.
#[inline]
pub fn exit_frame(ts: &ThreadState, frame: &mut InterpreterFrame) {
    // Most frames end unobserved: nothing to hand over, and no call.
    if frame.frame_obj.is_some() || frame.lazy.is_some() {
        hand_off_interpreted(ts, frame);
    }
}

#[inline(never)]
fn hand_off_interpreted(ts: &ThreadState, frame: &mut InterpreterFrame) {
    let obj = frame.frame_obj.take();
    let lazy = frame.lazy.take();
    let prev = frame.shadow.prev;
    hand_off(
        // SAFETY: the caller's shadow frame is linked below ours on this thread.
        || unsafe { lazy_frame_of(ts, prev) },
        obj,
        lazy,
        Final {
            parts: || (frame.code.clone(), frame.globals().clone()),
            locals: &frame.locals,
            pc: frame.pc,
        },
    )
}

/// The foreign (JIT-owned) activation of `sf` ends at instruction `pc`: hand its state to its
/// frame object and lazy record (what a JIT epilogue calls when it finds `MATERIALIZED` or
/// `OBSERVED` set). Takes the activation's own references to both and clears the tag bits.
/// Call before unlinking the shadow frame, while its locals are still in place.
///
/// # Safety
/// `sf` is the linked foreign activation of the calling thread `ts`, and is about to end.
pub unsafe fn exit_foreign(ts: &ThreadState, sf: *mut ShadowFrame, pc: usize) {
    // A claim on this activation (see `unwind`) gets its identity before it ends.
    super::unwind::settle(ts);
    // SAFETY: caller's contract.
    unsafe {
        let prev = (*sf).prev;
        end_foreign(sf, pc, || lazy_frame_of(ts, prev))
    }
}

/// [`exit_foreign`] with the caller's identity given by `back`: also what a suspended
/// generator's foreign frame does when its generator drops it (no caller, `Back::None`).
///
/// # Safety
/// `sf` is a foreign activation that is about to end, linked on the calling thread's stack or
/// owned, unlinked, by a suspended generator (see `suspend.rs`); its locals are in place.
pub(super) unsafe fn end_foreign(sf: *mut ShadowFrame, pc: usize, back: impl FnOnce() -> Back) {
    // SAFETY: caller's contract.
    unsafe {
        let act = Activation::of(sf);
        let Activation::Foreign(_, vt) = act else {
            panic!("exit_foreign of an interpreted activation");
        };
        let data = (*sf).data;
        let obj = ((*sf).kind() == Kind::Materialized)
            // The activation's own reference, held by the data word.
            .then(|| Value::from_bits(data & !Tag::MASK));
        let slot = vt.lazy_slot(sf);
        let lazy = (*slot != 0).then(|| LazyRef::from_raw(*slot));
        *slot = 0;
        // No pointee any more: the activation only unwinds its native frame from here on.
        (*sf).data = (Tag::OWNED_BY_JIT | Tag::JIT).bits();
        hand_off(
            back,
            obj,
            lazy,
            Final {
                parts: || (vt.code(sf), vt.globals(sf)),
                locals: vt.locals(sf),
                pc,
            },
        );
    }
}

/// `PyEval_GetGlobals`: the globals of the top activation, with no frame object built.
pub fn current_globals(ts: &ThreadState) -> Option<Value> {
    let top = ts.shadow_top;
    if top.is_null() {
        return None;
    }
    // SAFETY: the top of our own stack is linked.
    Some(unsafe { Activation::of(top).globals() })
}

/// The foreign activation of `sf` continues as the interpreted activation `frame` (a JIT
/// deoptimizes): its frame object and lazy record, if any, move over and read `frame` from now
/// on, and `sf` loses its hand-off bits (its epilogue must not hand anything off). `frame` must
/// be boxed (its address is what they will read) and not yet running.
///
/// # Safety
/// `sf` is the linked foreign activation of the calling thread `ts`, blocked in the call that
/// deoptimizes it; `frame` is unlinked and has no frame object or lazy record yet.
pub unsafe fn transfer_foreign(
    ts: &ThreadState,
    sf: *mut ShadowFrame,
    frame: &mut InterpreterFrame,
) {
    super::unwind::settle(ts);
    // SAFETY: caller's contract.
    unsafe {
        let Activation::Foreign(_, vt) = Activation::of(sf) else {
            panic!("transfer_foreign of an interpreted activation");
        };
        let data = (*sf).data;
        if (*sf).kind() == Kind::Materialized {
            // The activation's own reference moves from the data word to the frame.
            let obj = Value::from_bits(data & !Tag::MASK);
            obj.downcast::<FrameObject>()
                .expect("frame object")
                .retarget(Activation::Interp(frame));
            frame.frame_obj = Some(obj);
        }
        let slot = vt.lazy_slot(sf);
        if *slot != 0 {
            let lazy = LazyRef::from_raw(*slot);
            *slot = 0;
            lazy.retarget(&raw mut frame.shadow);
            frame.lazy = Some(lazy);
        }
        // No pointee any more: the activation only unwinds its native frame from here on.
        (*sf).data = (Tag::OWNED_BY_JIT | Tag::JIT).bits();
    }
}
