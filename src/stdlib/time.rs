//! (being written)
use crate::object::Value;
use crate::thread::ThreadState;

/// The module object.
pub fn make_module(ts: &mut ThreadState) -> Value {
    let _ = ts;
    todo!("time module")
}
