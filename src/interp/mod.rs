//! The bytecode interpreter: the eval loop ([`eval`]) and calls ([`call`]).
//!
//! Every interpreted activation pushes a shadow frame (embedded in its [`InterpreterFrame`]), so
//! the shadow stack is always the whole Python stack.

mod call;
mod eval;
pub mod gen;
mod tier;

pub(crate) use call::bind_args;
pub use call::{call, recursion_error};
pub(crate) use eval::{chain_if_new, load_global, make_raise, run_frame, unbound_local};
pub use tier::{set_tier, Tier};

use crate::code::CodeObject;
use crate::frame::InterpreterFrame;
use crate::object::{PyResult, Value};
use crate::thread::{runtime, ThreadState};
use std::sync::Arc;

// The JIT's helpers run these for the instructions of the same names.
pub(crate) use eval::{
    active_exception, before_with, build_map, build_set, build_string, delete_global,
    exception_matches, format_value, import_from, make_function, set_add, with_except_start,
};

/// Runs module code with `globals` as its globals (and namespace).
pub fn run_module(ts: &mut ThreadState, code: Arc<CodeObject>, globals: Value) -> PyResult<Value> {
    if ts.depth >= runtime().recursion_limit() {
        return Err(recursion_error());
    }
    let mut frame: Box<InterpreterFrame> = ts.frames.alloc(&code, Value::NONE, globals);
    frame.is_entry = true;
    eval::run_frame(ts, frame)
}
