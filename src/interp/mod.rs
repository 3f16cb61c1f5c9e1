//! The bytecode interpreter. (Being written: signatures are the contract.)

use crate::code::CodeObject;
use crate::object::{KwArgs, PyResult, Value};
use crate::thread::ThreadState;
use std::sync::Arc;

/// Calls any callable with positional and keyword arguments.
pub fn call(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
    kwargs: KwArgs,
) -> PyResult<Value> {
    let _ = (ts, callee, args, kwargs);
    todo!("call")
}

/// Runs module code with `globals` as its globals (and locals).
pub fn run_module(ts: &mut ThreadState, code: Arc<CodeObject>, globals: Value) -> PyResult<Value> {
    let _ = (ts, code, globals);
    todo!("run_module")
}
