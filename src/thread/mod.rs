//! Thread states and the interpreter-wide runtime state.
//!
//! A [`ThreadState`] belongs to one OS thread and is passed as `&mut` to everything that runs
//! Python code on it. Its first word is the top of the thread's shadow stack (the ABI offset JIT
//! code uses through its pinned thread-state register).

mod runtime;
mod state;

pub use runtime::{runtime, Runtime, Stats, MAX_DEPTH};
pub use state::{ThreadState, SHADOW_TOP_OFFSET};
