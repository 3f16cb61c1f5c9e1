//! The bytecode interpreter: the eval loop (`eval`), calls ([`call()`]), generators (`gen`),
//! the global-name caches (`names`) and the instructions' operations shared with the JIT's
//! runtime helpers (`instr_ops`).
//!
//! Every interpreted activation pushes a shadow frame (embedded in its `InterpreterFrame`), so
//! the shadow stack is always the whole Python stack.

mod call;
mod eval;
pub(crate) mod fault;
pub(crate) mod gen;
mod instr_ops;
mod names;
mod tier;

pub(crate) use call::{bind_args, split_kwargs};
pub use call::{call, recursion_error};
pub(crate) use eval::run_frame;
pub(crate) use instr_ops::{make_raise, set_context, unbound_local};
pub(crate) use names::{fill_global_cache, module_attr};
pub use tier::{set_tier, Sent, Tier, TierGenFrame, TierResumed};

use crate::code::CodeObject;
use crate::frame::InterpreterFrame;
use crate::object::{PyResult, Value};
use crate::thread::ThreadState;
use std::sync::Arc;

// The JIT's helpers run these for the instructions of the same names.
pub(crate) use instr_ops::{
    active_exception, before_with, build_map, build_set, build_string, exception_matches,
    format_value, import_from, list_append, make_function, set_add, with_except_start,
};
pub(crate) use names::delete_global;

/// Interpreter shutdown for the main module (CPython's `_PyModule_ClearDict`): its globals are
/// set to None, names starting with one underscore first, then the rest (`__builtins__` stays),
/// each in insertion order, so that suspended generators they held run their `finally` blocks
/// now, in that order. Warnings about never-awaited coroutines name no location from here on
/// (as in CPython, whose warnings machinery is gone by then).
pub fn finalize_module(ts: &mut ThreadState, globals: &Value) {
    gen::begin_shutdown();
    let Some(dict) = globals.as_dict() else {
        return;
    };
    let keys: Vec<crate::object::HashKey> = dict.read().keys().cloned().collect();
    let name = |k: &crate::object::HashKey| k.key.as_str().map(str::to_owned);
    for first_pass in [true, false] {
        for k in &keys {
            let Some(n) = name(k) else { continue };
            let underscore = n.starts_with('_') && !n.starts_with("__");
            if n == "__builtins__" || underscore != first_pass {
                continue;
            }
            let old = dict
                .lock()
                .get_mut(k)
                .map(|v| std::mem::replace(v, Value::NONE));
            drop(old);
            gen::poll_finalizers(ts);
        }
    }
}

/// Runs module code with `globals` as its globals (and namespace).
pub fn run_module(ts: &mut ThreadState, code: Arc<CodeObject>, globals: Value) -> PyResult<Value> {
    if ts.at_recursion_limit() {
        return Err(recursion_error());
    }
    let mut frame: Box<InterpreterFrame> = ts.frames.alloc(&code, Value::NONE, globals);
    frame.is_entry = true;
    eval::run_frame(ts, frame)
}
