//! Generator frames between resumptions: an [`InterpreterFrame`] that its generator owns while
//! it is not linked on any thread's stack.
//!
//! The life of a generator frame's observers, in steps:
//!
//! 1. While the generator runs, its frame is an ordinary linked activation (its shadow frame
//!    sits on the stack of the thread that resumed it, so `f_back` is the resumer).
//! 2. At a `yield` ([`suspend_frame`], still linked): a lazy traceback record that someone else
//!    holds is turned into the frame object (a record cannot follow an unlinked shadow frame),
//!    and the frame object, if any, is told it is suspended: it keeps reading the frame's locals
//!    and instruction, and answers `f_back` with None.
//! 3. `gi_frame` of a suspended generator ([`suspended_frame_object`]) builds the frame object
//!    in the suspended state; the frame's shadow frame is retagged `MATERIALIZED` when it is
//!    linked again.
//! 4. On resumption ([`resume_frame`], once linked) the frame object reads it as running again.
//! 5. A generator that finishes ends its frame as any activation ends ([`super::exit_frame`]);
//!    one dropped while suspended hands its final state over with no caller
//!    ([`exit_suspended`]).
//!
//! Invariant: the frame's memory (a `Box`) does not move or get reused while its generator
//! holds it, so a suspended frame object's pointer stays valid until step 5.

use super::activation::Activation;
use super::lazy::Back;
use super::LazyRef;
use super::{materialize, FrameObject, InterpreterFrame};
use crate::object::Value;
use crate::shadow::{ShadowFrame, Tag};
use crate::thread::ThreadState;

/// The generator frame `frame` yields: prepare its observers for the time it is unlinked.
/// Call while it is still linked on `ts`'s stack. Inline up to the common case, a frame with
/// no observers.
#[inline]
pub fn suspend_frame(ts: &mut ThreadState, frame: &mut InterpreterFrame) {
    if frame.lazy.is_some() || frame.frame_obj.is_some() {
        suspend_observed(ts, frame);
    }
}

/// [`suspend_frame`] of a frame with a lazy record or a frame object.
#[inline(never)]
fn suspend_observed(ts: &mut ThreadState, frame: &mut InterpreterFrame) {
    if frame.lazy.as_ref().is_some_and(held_live) && frame.frame_obj.is_none() {
        // Materialized while the record is still the frame's, so that the record learns its
        // object and never follows the shadow frame again.
        // SAFETY: the frame is linked on our own stack (the caller's contract).
        let _ = unsafe { materialize(ts, &mut frame.shadow) };
    }
    frame.lazy = None;
    if let Some(obj) = &frame.frame_obj {
        frame_object(obj).set_running(None);
    }
}

/// Someone besides the activation holds `lazy`, and it still follows the activation.
fn held_live(lazy: &LazyRef) -> bool {
    LazyRef::count(lazy) > 1 && lazy.object().is_none()
}

/// `suspend_frame` for a foreign (JIT) generator activation that yields: the same steps
/// through the [`ForeignFrames`](super::ForeignFrames) vtable. Its suspended instruction must
/// already be readable (`ForeignFrames::suspended_instr`), since materializing it here cannot
/// walk to it.
///
/// # Safety
/// `sf` is a foreign activation linked on `ts`'s stack (the calling thread's), about to unlink.
pub unsafe fn suspend_foreign(ts: &mut ThreadState, sf: *mut ShadowFrame) {
    // A claim on this activation (see `unwind`) gets its identity before it unlinks.
    super::unwind::settle(ts);
    // SAFETY: caller's contract.
    unsafe {
        let act = Activation::of(sf);
        let Activation::Foreign(_, vt) = act else {
            panic!("suspend_foreign of an interpreted activation");
        };
        let slot = vt.lazy_slot(sf);
        if *slot != 0 {
            if let Some(lazy) = act.lazy() {
                if held_live(&lazy) && act.frame_object().is_none() {
                    let _ = materialize(ts, sf);
                }
            }
            // The activation's own reference goes; nothing is left to hand off to it.
            drop(LazyRef::from_raw(*slot));
            *slot = 0;
            (*sf).data &= !Tag::OBSERVED.bits();
        }
        if let Some(obj) = act.frame_object() {
            frame_object(&obj).set_running(None);
        }
    }
}

/// `resume_frame` for a foreign generator activation, called just before its JIT links it
/// again: its frame object, if any, reads it as running on `ts` from now on.
///
/// # Safety
/// `sf` is a suspended foreign activation kept by its generator, which `ts`'s thread resumes.
pub unsafe fn resume_foreign(ts: &ThreadState, sf: *mut ShadowFrame) {
    // SAFETY: caller's contract (the data word is the generator's to read).
    if let Some(obj) = unsafe { Activation::of(sf).frame_object() } {
        frame_object(&obj).set_running(Some(ts));
    }
}

/// `suspended_frame_object` for a suspended foreign activation: its frame object, built now
/// if needed. The shadow frame is retagged `MATERIALIZED` at once (its JIT keeps the data word
/// as it is when it links the frame again).
///
/// # Safety
/// `sf` is a suspended foreign activation kept alive by its generator, which calls
/// [`resume_foreign`] before it runs again and [`exit_suspended_foreign`] or its JIT's exit
/// path before its memory goes.
pub unsafe fn suspended_foreign_object(sf: *mut ShadowFrame) -> Value {
    // SAFETY: caller's contract.
    unsafe {
        let act = Activation::of(sf);
        if let Some(obj) = act.frame_object() {
            return obj;
        }
        let obj = FrameObject::new_suspended(act);
        act.set_frame_object(&obj);
        obj
    }
}

/// `exit_suspended` for a foreign activation whose generator drops it while suspended at
/// instruction `pc`: its frame object takes the final locals, with no caller.
///
/// # Safety
/// `sf` is a suspended foreign activation kept by its generator, with its locals in place.
pub unsafe fn exit_suspended_foreign(sf: *mut ShadowFrame, pc: usize) {
    // SAFETY: caller's contract.
    unsafe { super::walk::end_foreign(sf, pc, || Back::None) }
}

/// The suspended generator frame `frame` runs again on `ts`. Call once it is linked.
#[inline]
pub fn resume_frame(ts: &ThreadState, frame: &InterpreterFrame) {
    if let Some(obj) = &frame.frame_obj {
        frame_object(obj).set_running(Some(ts));
    }
}

/// `gi_frame` / `cr_frame` of a suspended generator: its frame's object, built now if needed.
pub fn suspended_frame_object(frame: &mut InterpreterFrame) -> Value {
    if let Some(obj) = &frame.frame_obj {
        return obj.clone();
    }
    // SAFETY: the generator keeps `frame` boxed and alive while suspended, sets the object
    // running before it links the frame, and hands it the final state (`exit_suspended` or
    // `exit_frame`) before the frame is freed.
    let obj = unsafe { FrameObject::new_suspended(Activation::Interp(frame)) };
    frame.frame_obj = Some(obj.clone());
    obj
}

/// A generator is dropped (or closed without running) while its frame is suspended: its frame
/// object, if someone holds it, takes the final locals and instruction, with no caller.
pub fn exit_suspended(frame: &mut InterpreterFrame) {
    frame.lazy = None;
    if let Some(obj) = frame.frame_obj.take() {
        if !obj.is_unique() {
            frame_object(&obj).take_ownership(frame.locals.clone(), frame.pc, Back::None);
        }
    }
}

fn frame_object(v: &Value) -> &FrameObject {
    v.downcast::<FrameObject>()
        .expect("an activation's frame object")
}
