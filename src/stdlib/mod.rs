//! Builtins and the modules of the subset: `builtins`, `sys`, `traceback`, `time`, `threading`;
//! audit hooks (`audit`) and unraisable-exception reports (`unraisable`).
//!
//! Every function here is a [`crate::object::NativeFn`]; modules are created once, on first
//! import, and cached in the runtime's module table.
//!
//! For an embedder: [`init`] before running code; [`dict_get`], [`dict_set`] and [`native`] to
//! build a module's globals; [`print_uncaught_exception`] for an exception that ended the
//! program; [`flush_std_files`] and [`flush_all`] at exit, in that order (CPython's).

pub(crate) mod audit;
pub(crate) mod builtins;
pub(crate) mod excepthook;
pub(crate) mod io;
pub(crate) mod methods;
pub(crate) mod sys;
pub(crate) mod threading;
pub(crate) mod time;
pub(crate) mod traceback;
pub(crate) mod unraisable;

pub use excepthook::print_uncaught_exception;
pub use io::{flush_all, flush_std_files};

use crate::object::exc::ExcKind;
use crate::object::{Builtin, HashKey, Module, NativeFn, Object, PyErr, PyResult, Value};
use crate::thread::{runtime, ThreadState};

/// Issues a `RuntimeWarning` at the current frame as the default `warnings` filters print it:
/// once per location and message, `file:line: RuntimeWarning: msg`, the source line, and (for a
/// warning about an object, `about_object`) CPython's note that tracemalloc is off.
/// With `nowhere` (interpreter shutdown) it names `<sys>:0` and no source line.
pub(crate) fn warn_runtime(ts: &mut ThreadState, msg: &str, about_object: bool, nowhere: bool) {
    static SEEN: parking_lot::Mutex<Vec<(String, u32, String)>> =
        parking_lot::Mutex::new(Vec::new());
    if nowhere {
        let _ = io::write_to(
            ts,
            &io::stderr(),
            &format!("<sys>:0: RuntimeWarning: {msg}\n"),
        );
        return;
    }
    let top = crate::frame::stack_entries(ts, 0).into_iter().next();
    let (file, line, source) = match &top {
        Some(e) => {
            let line = e.code.line_of(e.pc).unwrap_or(0);
            let text = e.code.source.line(line).map(|l| l.trim().to_owned());
            (e.code.filename.to_string(), line, text)
        }
        None => ("sys".to_owned(), 1, None),
    };
    {
        let mut seen = SEEN.lock();
        let key = (file.clone(), line, msg.to_owned());
        if seen.contains(&key) {
            return;
        }
        seen.push(key);
    }
    let mut text = format!("{file}:{line}: RuntimeWarning: {msg}\n");
    if let Some(src) = source.filter(|s| !s.is_empty()) {
        text.push_str(&format!("  {src}\n"));
    }
    if about_object {
        text.push_str(
            "RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n",
        );
    }
    let _ = io::write_to(ts, &io::stderr(), &text);
}

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
    // Interned: the names code objects look up are the same objects (found by identity).
    let key = HashKey::new(Value::interned(name)).expect("str keys hash");
    dict.as_dict().expect("a dict").lock().insert(key, value);
}

/// `dict[name]`, if present.
pub fn dict_get(dict: &Value, name: &str) -> Option<Value> {
    dict.as_dict()?
        .read()
        .get(&crate::object::StrKey::new(name))
        .cloned()
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
