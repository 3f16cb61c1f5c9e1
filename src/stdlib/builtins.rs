//! (being written)
use crate::object::Value;

/// The builtins module's dict.
pub fn make_builtins_dict() -> Value {
    todo!("builtins")
}
