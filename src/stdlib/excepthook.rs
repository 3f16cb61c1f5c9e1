//! `sys.excepthook` / `sys.__excepthook__`, and what happens to an exception that reaches the
//! top of the program ([`print_uncaught_exception`], CPython's `_PyErr_PrintEx`), including its
//! `sys.excepthook` audit event.
//!
//! The steps, as CPython 3.13 takes them: `sys.last_exc` (and the legacy `last_type`,
//! `last_value`, `last_traceback`) are set; the `sys.excepthook` audit event is raised with
//! `(hook, type, value, traceback)`: a `RuntimeError` from an audit hook suppresses the report
//! entirely, any other exception is reported as unraisable ("Exception ignored in audit hook")
//! and the report goes on; then the hook is called. If the hook raises, both exceptions are
//! printed ("Error in sys.excepthook:" ... "Original exception was:"), except a `SystemExit`,
//! which the caller must honour as if the program had raised it.

use super::{dict_get, dict_set, native, unraisable};
use crate::object::exc::err;
use crate::object::{ExcKind, KwArgs, Object, PyErr, PyResult, Value};
use crate::thread::{runtime, ThreadState};
use std::sync::OnceLock;

/// The default `sys.excepthook` builtin (also `sys.__excepthook__`).
pub fn default_hook() -> Value {
    static HOOK: OnceLock<Value> = OnceLock::new();
    HOOK.get_or_init(|| native("excepthook", "sys", sys_excepthook))
        .clone()
}

/// `sys.excepthook(exctype, value, traceback, /)`: prints `value` as an uncaught exception (to
/// `sys.stderr`), giving it `traceback` first if it has none.
fn sys_excepthook(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    if !kw.is_empty() {
        return Err(err::type_error("excepthook() takes no keyword arguments"));
    }
    let [_, value, tb] = args else {
        return Err(err::type_error(format!(
            "excepthook expected 3 arguments, got {}",
            args.len()
        )));
    };
    display(ts, value, tb);
    Ok(Value::NONE)
}

/// `PyErr_Display(NULL, value, tb)`.
fn display(ts: &mut ThreadState, value: &Value, tb: &Value) {
    let Some(exc) = value.as_exception() else {
        // What CPython prints when `traceback` refuses the value and its C fallback reports
        // that refusal.
        let text = format!(
            "TypeError: print_exception(): Exception expected for value, {} found\n",
            value.py_type().name()
        );
        let _ = super::io::write_to(ts, &stderr_file(), &text);
        return;
    };
    if tb.downcast::<crate::frame::Traceback>().is_some() {
        let mut st = exc.state.lock();
        if st.traceback.is_none() {
            st.traceback = tb.clone();
        }
    }
    super::traceback::print_uncaught(ts, value);
}

/// `sys.stderr`, or the process's stderr when `sys` is not imported or its `stderr` is unset.
fn stderr_file() -> Value {
    sys_module()
        .and_then(|s| sys_get(&s, "stderr"))
        .filter(|f| !f.is_none())
        .unwrap_or_else(super::io::stderr)
}

fn sys_module() -> Option<Value> {
    runtime().modules.lock().get("sys").cloned()
}

fn sys_get(sys: &Value, name: &str) -> Option<Value> {
    match sys.obj() {
        Some(Object::Module(m)) => dict_get(&m.dict, name),
        _ => None,
    }
}

/// Reports an exception that ended the program, as CPython's `_PyErr_PrintEx` does after its
/// `SystemExit` check (the caller's: `err` is not a `SystemExit`). Returns the `SystemExit`
/// that `sys.excepthook` raised, if it did: the caller exits with it.
pub fn print_uncaught_exception(ts: &mut ThreadState, err: PyErr) -> Option<PyErr> {
    let exc = err.into_value();
    let typ = exc.type_object();
    let tb = exc
        .as_exception()
        .map_or(Value::NONE, |e| e.state.lock().traceback.clone());
    let sys = sys_module();
    let hook = match &sys {
        Some(s) => {
            let Some(Object::Module(m)) = s.obj() else {
                unreachable!("the sys module is a module")
            };
            dict_set(&m.dict, "last_exc", exc.clone());
            dict_set(&m.dict, "last_type", typ.clone());
            dict_set(&m.dict, "last_value", exc.clone());
            dict_set(&m.dict, "last_traceback", tb.clone());
            sys_get(s, "excepthook")
        }
        // Nobody can have replaced the hook (or added an audit hook) without importing sys.
        None => Some(default_hook()),
    };
    let event_args = [
        hook.clone().unwrap_or(Value::NONE),
        typ.clone(),
        exc.clone(),
        tb.clone(),
    ];
    if let Err(e) = super::audit::audit(ts, "sys.excepthook", &event_args) {
        if e.matches(ExcKind::RuntimeError) {
            return None;
        }
        unraisable::write_unraisable_msg(ts, e, Some("Exception ignored in audit hook"), None);
    }
    let Some(hook) = hook else {
        let _ = super::io::write_to(ts, &stderr_file(), "sys.excepthook is missing\n");
        super::traceback::print_uncaught(ts, &exc);
        return None;
    };
    match crate::interp::call(ts, &hook, &[typ, exc.clone(), tb], &[]) {
        Ok(_) => None,
        Err(e) if e.matches(ExcKind::SystemExit) => Some(e),
        Err(e) => {
            super::io::flush_all();
            let file = stderr_file();
            let _ = super::io::write_to(ts, &file, "Error in sys.excepthook:\n");
            super::traceback::print_uncaught(ts, e.value());
            let _ = super::io::write_to(ts, &file, "\nOriginal exception was:\n");
            super::traceback::print_uncaught(ts, &exc);
            None
        }
    }
}
