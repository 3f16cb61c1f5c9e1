//! The `traceback` module and the printing of uncaught exceptions. (Being written.)
use crate::object::Value;
use crate::thread::ThreadState;

/// The module object.
pub fn make_module(ts: &mut ThreadState) -> Value {
    let _ = ts;
    todo!("traceback module")
}

/// Prints an uncaught exception to stderr as CPython's default excepthook. (Stub until written.)
pub fn print_uncaught(ts: &mut ThreadState, exc: &Value) {
    let _ = (ts, exc);
    todo!("print_uncaught")
}
