//! (being written)
use crate::object::Value;

/// The builtins module's dict.
pub fn make_builtins_dict() -> Value {
    todo!("builtins")
}

/// Calls a type object (constructs an int, a list, an exception, ...). (Stub until written.)
pub fn call_type(
    ts: &mut crate::thread::ThreadState,
    t: crate::object::TypeId,
    args: &[Value],
    kwargs: crate::object::KwArgs,
) -> crate::object::PyResult<Value> {
    let _ = (ts, t, args, kwargs);
    todo!("call_type")
}
