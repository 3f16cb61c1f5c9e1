#![warn(missing_docs)]
//! # shadowframe
//!
//! A Python runtime in which JIT-compiled code keeps no interpreter frames while it runs: each
//! activation pushes a two-word [`shadow::ShadowFrame`], and a frame object is built only for the
//! activations something observes (`sys._getframe`, tracebacks, `sys._current_frames`, ...),
//! through one materialization hook ([`frame::materialize`]). (An activation that nothing can
//! observe, because it runs nothing that could, such as a recursion's base case, runs with no
//! frame at all: [`code::leaf`].)
//!
//! Layers, each depending only on those above it in this list: [`shadow`] (the shadow stack),
//! [`object`] (values), [`code`] (code objects), [`thread`] (thread and runtime state),
//! [`frame`] (frames, frame objects, tracebacks), [`compile`], [`interp`], [`stdlib`], [`jit`];
//! [`run`] is the `shadowpy` command line on top of them.
//!
//! What an embedder uses is public and documented; the rest is private to the crate. A JIT
//! written outside the crate pushes shadow frames with [`jit::emit`], tells [`frame`] how to
//! read its activations ([`frame::ForeignFrames`]) and runs as the interpreter's compiled tier
//! ([`interp::Tier`]): `examples/embed_custom_jit.rs` is a complete one.
//!
//! Running Python code, and looking at its frames from Rust:
//!
//! ```
//! use shadowframe::object::Value;
//! use shadowframe::{compile, interp, stdlib, ThreadState};
//!
//! stdlib::init();
//! let mut ts = ThreadState::new();
//! let source = "import sys\n\ndef f(n):\n    return sys._getframe().f_lineno * n\n\nx = f(2)\n";
//! let code = compile::compile_module(source, "demo.py").expect("compiles");
//! let globals = Value::dict();
//! stdlib::dict_set(&globals, "__name__", Value::str("__main__"));
//! interp::run_module(&mut ts, code, globals.clone()).expect("runs");
//! // `f` ran line 4 and returned 4 * 2.
//! assert_eq!(stdlib::dict_get(&globals, "x").and_then(|x| x.as_small()), Some(8));
//! // Nothing runs now: there is no frame to get.
//! assert!(ts.get_frame().is_none());
//! ```

#[cfg(feature = "mimalloc")]
pub mod alloc;
pub mod code;
pub mod compile;
pub mod frame;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
pub mod interp;
pub mod jit;
pub mod object;
pub mod run;
pub mod shadow;
pub mod stdlib;
pub mod thread;

pub use frame::{eval_get_frame, FrameObject};
pub use shadow::ShadowFrame;
pub use thread::ThreadState;
