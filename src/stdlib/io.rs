//! (being written)
use crate::object::{PyResult, Value};
use crate::thread::ThreadState;

/// `sys.stdout`. (Stub until written.)
pub fn stdout() -> Value {
    todo!("stdout")
}
/// `sys.stderr`. (Stub until written.)
pub fn stderr() -> Value {
    todo!("stderr")
}
/// Writes `s` to a file object. (Stub until written.)
pub fn write_to(ts: &mut ThreadState, file: &Value, s: &str) -> PyResult<()> {
    let _ = (ts, file, s);
    todo!("write_to")
}
/// Flushes stdout and stderr. (Stub until written.)
pub fn flush_all() {}
