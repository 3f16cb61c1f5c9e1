//! # shadowframe
//!
//! A Python runtime in which JIT-compiled code keeps no interpreter frames while it runs: each
//! activation pushes a two-word [`shadow::ShadowFrame`], and a frame object is built only for the
//! activations something observes (`sys._getframe`, tracebacks, `sys._current_frames`, ...),
//! through one materialization hook ([`frame::materialize`]).
//!
//! Layers, each depending only on those above it in this list: [`shadow`] (the shadow stack),
//! [`object`] (values), [`code`] (code objects), [`thread`] (thread and runtime state),
//! [`frame`] (frames, frame objects, tracebacks), [`compile`], [`interp`], [`stdlib`], [`jit`].

#[cfg(feature = "mimalloc")]
pub mod alloc;
pub mod code;
pub mod compile;
pub mod frame;
pub mod interp;
pub mod jit;
pub mod object;
pub mod shadow;
pub mod stdlib;
pub mod thread;

pub use frame::{eval_get_frame, FrameObject};
pub use shadow::ShadowFrame;
pub use thread::ThreadState;
