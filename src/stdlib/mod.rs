//! Builtins and the modules of the subset: `builtins`, `sys`, `traceback`, `time`, `threading`.
//!
//! Every function here is a [`crate::object::NativeFn`]; modules are created once, on first
//! import, and cached in the runtime's module table.

pub mod builtins;
pub mod io;
pub mod methods;
pub mod sys;
pub mod threading;
pub mod time;
pub mod traceback;

use crate::object::exc::ExcKind;
use crate::object::{Builtin, HashKey, Module, NativeFn, Object, PyErr, PyResult, Value};
use crate::thread::{runtime, ThreadState};

/// A builtin function value.
pub fn native(name: &'static str, owner: &'static str, func: NativeFn) -> Value {
    Value::from_object(Object::Builtin(Builtin {
        name,
        func,
        bound: None,
        owner,
    }))
}

/// Sets `dict[name] = value` on a dict value (names are always hashable).
pub fn dict_set(dict: &Value, name: &str, value: Value) {
    let key = HashKey::new(Value::str(name)).expect("str keys hash");
    dict.as_dict().expect("a dict").lock().insert(key, value);
}

/// `dict[name]`, if present.
pub fn dict_get(dict: &Value, name: &str) -> Option<Value> {
    let key = HashKey::new(Value::str(name)).expect("str keys hash");
    dict.as_dict()?.lock().get(&key).cloned()
}

/// A new module object named `name` with the given members.
pub fn new_module(name: &str, members: Vec<(&str, Value)>) -> Value {
    let dict = Value::dict();
    dict_set(&dict, "__name__", Value::str(name));
    for (k, v) in members {
        dict_set(&dict, k, v);
    }
    Value::from_object(Object::Module(Module {
        name: Value::str(name),
        dict,
    }))
}

/// Creates the builtins module and registers the importable modules. Idempotent.
pub fn init() {
    let rt = runtime();
    rt.builtins.get_or_init(builtins::make_builtins_dict);
}

/// `import name`.
pub fn import(ts: &mut ThreadState, name: &str) -> PyResult<Value> {
    if let Some(m) = runtime().modules.lock().get(name) {
        return Ok(m.clone());
    }
    let module = match name {
        "sys" => sys::make_module(ts),
        "traceback" => traceback::make_module(ts),
        "time" => time::make_module(ts),
        "threading" => threading::make_module(ts),
        _ => {
            let e = PyErr::new(
                ExcKind::ModuleNotFoundError,
                format!("No module named '{name}'"),
            );
            e.exception().set_attr("name", Value::str(name));
            return Err(e);
        }
    };
    runtime()
        .modules
        .lock()
        .insert(name.to_owned(), module.clone());
    Ok(module)
}
