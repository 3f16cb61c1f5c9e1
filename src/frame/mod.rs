//! Frames: interpreter frames, frame objects built lazily through the materialization hook,
//! their hand-off when an activation ends, lazy tracebacks, and the `f_locals` proxy.
//!
//! The life of an activation's frame object, in steps:
//!
//! 1. The activation runs with only its shadow frame (and, when interpreted, its
//!    `InterpreterFrame`). No frame object exists.
//! 2. An observer (`sys._getframe`, `tb_frame`, `f_back`, ...) asks [`materialize`] for the
//!    activation's frame object. The installed hook ([`set_materialize_hook`]) builds one [`FrameObject`] in the
//!    *live* state, records it in the activation, and retags the shadow frame `MATERIALIZED`. A
//!    second request returns the same object.
//! 3. While the activation runs, the frame object reads its state (line, locals) live from it;
//!    writes through `f_locals` go into the activation.
//! 4. When the activation ends, `FrameObject::take_ownership` copies its final locals and
//!    instruction into the frame object, and links `f_back` to the caller's identity (its frame
//!    object, or a [`LazyFrame`] that builds it on first read). Nothing of the activation is
//!    recycled until that copy is done.
//!
//! Tracebacks ([`Traceback`]) refer to activations through a [`LazyFrame`] (or the frame object
//! when one already exists), so unwinding builds no frame object: `tb_frame` builds it when read.
//! JIT frames unwound by one exception go further (`unwind.rs`, `segment.rs`): they are kept
//! together in one segment, and even their lazy records are built only when one is read.

mod activation;
mod chunked;
mod current;
mod entry_refs;
mod hook;
mod interp_frame;
mod lazy;
mod lazy_ref;
mod locals;
mod object;
mod segment;
mod suspend;
mod traceback;
mod unwind;
mod walk;

pub use activation::{set_foreign_frames, ForeignFrames};
pub use current::current_frames;
pub use hook::{
    get_frame_object, materialize, materialize_foreign, set_materialize_hook, MaterializeHook,
};
pub(crate) use interp_frame::{FramePool, InterpreterFrame};
pub use lazy::{Back, LazyFrame};
pub use lazy_ref::LazyRef;
pub(crate) use locals::FrameLocalsProxy;
pub use object::FrameObject;
pub(crate) use suspend::{exit_suspended, resume_frame, suspend_frame, suspended_frame_object};
pub use suspend::{
    exit_suspended_foreign, resume_foreign, suspend_foreign, suspended_foreign_object,
};
pub(crate) use traceback::add_traceback_entry_chained;
pub use traceback::{add_traceback_entry, Traceback};
pub(crate) use unwind::{
    append_to_run, publish as publish_unwound, unwind_foreign, Ending, PendingUnwind, RunAbi,
};
pub(crate) use walk::{current_globals, exit_frame, getframe_module_name};
pub use walk::{
    eval_get_frame, exit_foreign, getframe, lazy_frame_of, stack_entries, transfer_foreign,
    StackEntry,
};
