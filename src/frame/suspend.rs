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
use super::{materialize, FrameObject, InterpreterFrame};
use crate::object::Value;
use crate::thread::ThreadState;
use std::sync::Arc;

/// The generator frame `frame` yields: prepare its observers for the time it is unlinked.
/// Call while it is still linked on `ts`'s stack.
pub fn suspend_frame(ts: &mut ThreadState, frame: &mut InterpreterFrame) {
    if let Some(lazy) = frame.lazy.take() {
        if Arc::strong_count(&lazy) > 1 && lazy.object().is_none() && frame.frame_obj.is_none() {
            // SAFETY: the frame is linked on our own stack (the caller's contract).
            let _ = unsafe { materialize(ts, &mut frame.shadow) };
        }
    }
    if let Some(obj) = &frame.frame_obj {
        frame_object(obj).set_running(None);
    }
}

/// The suspended generator frame `frame` runs again on `ts`. Call once it is linked.
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
        if obj.ref_count() > 1 {
            frame_object(&obj).take_ownership(frame.locals.clone(), frame.pc, Back::None);
        }
    }
}

fn frame_object(v: &Value) -> &FrameObject {
    v.downcast::<FrameObject>()
        .expect("an activation's frame object")
}
