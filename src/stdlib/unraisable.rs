//! Unraisable exceptions: [`write_unraisable`] (CPython's `PyErr_WriteUnraisable`),
//! [`write_unraisable_msg`] (`PyErr_FormatUnraisable`), and `sys.unraisablehook` /
//! `sys.__unraisablehook__`.
//!
//! An exception that cannot propagate (raised while closing a generator that is being
//! finalized, by an audit hook during shutdown, by `sys.stdout.flush()` at exit, ...) is handed
//! to `sys.unraisablehook` as an `UnraisableHookArgs` object with the fields `exc_type`,
//! `exc_value`, `exc_traceback`, `err_msg` and `object`. The steps, as CPython 3.13 takes them:
//!
//! 1. If the exception has no traceback and a Python frame runs, it gets a one-entry traceback
//!    of the current frame. That frame is found through [`crate::frame::eval_get_frame`], the
//!    materialization hook: only the top frame gets a frame object (DESIGN.md, "The hook").
//! 2. The `sys.unraisablehook` audit event is raised with `(hook, args)`; then the hook is
//!    called. A missing or `None` hook means the default one.
//! 3. If the audit hook raises, its exception is reported instead with the message
//!    `"Exception ignored in audit hook"`; if `sys.unraisablehook` raises, its exception is
//!    reported with `"Exception ignored in sys.unraisablehook"` and the hook as the object.
//!    Those second reports always use the default hook, and errors while writing them are
//!    dropped: reporting never raises.
//!
//! The default hook writes to `sys.stderr` (nothing when it is `None` or missing):
//! `Exception ignored in: <repr of object>` (or `<err_msg>: <repr>`, or `<err_msg>:` without an
//! object), then the traceback as CPython 3.13.0's C fallback prints it (3.13.0's
//! `traceback._print_exception_bltin` rejects the file argument the C code passes, so the
//! fallback is what users see): no carets, no chained exceptions, no notes, and the last line is
//! `Type: str(value)` even when the message is empty.

use super::traceback::format_tb_plain;
use super::{dict_get, io, native};
use crate::frame::{add_traceback_entry, eval_get_frame, Back, FrameObject};
use crate::object::exc::err;
use crate::object::{ops, KwArgs, NativeObject, Object, PyErr, PyResult, TypeId, Value};
use crate::thread::{runtime, ThreadState};
use std::any::Any;
use std::sync::OnceLock;

/// The message of an unraisable exception raised by an audit hook of `sys.unraisablehook`.
const IN_AUDIT_HOOK: &str = "Exception ignored in audit hook";
/// The message of an exception raised by `sys.unraisablehook` itself.
const IN_HOOK: &str = "Exception ignored in sys.unraisablehook";

/// Reports an exception that cannot be raised, as `PyErr_WriteUnraisable(obj)`: the default
/// hook prints `Exception ignored in: <repr(obj)>` (no header line when `obj` is `None`), the
/// traceback and the exception. Never fails; runs `sys.unraisablehook` and audit hooks, which
/// may run Python code.
///
/// E.g. a generator whose `close()` during finalization raised `err`:
/// `write_unraisable(ts, err, Some(generator))`.
pub fn write_unraisable(ts: &mut ThreadState, err: PyErr, obj: Option<Value>) {
    write_unraisable_msg(ts, err, None, obj);
}

/// Reports an exception that cannot be raised with a message of its own, as
/// `PyErr_FormatUnraisable(msg)` (`obj` None) does: the default hook prints `<msg>: <repr(obj)>`
/// or, without an object, `<msg>:`, then the traceback and the exception. `msg` is the whole
/// message, e.g. `"Exception ignored on flushing sys.stdout"`; `None` gives
/// [`write_unraisable`]'s `Exception ignored in: ` form. The hook sees `msg` as `err_msg`.
pub fn write_unraisable_msg(
    ts: &mut ThreadState,
    err: PyErr,
    msg: Option<&str>,
    obj: Option<Value>,
) {
    let exc = err.into_value();
    attach_current_frame(ts, &exc);
    let err_msg = msg.map_or(Value::NONE, Value::str);
    let obj = obj.unwrap_or(Value::NONE);
    let args = HookArgs::value(&exc, err_msg.clone(), obj.clone());
    let (exc, err_msg, obj) = match call_hook(ts, &args) {
        Ok(true) => return,
        Ok(false) => (exc, err_msg, obj),
        Err((e, msg, obj)) => (e.into_value(), Value::str(msg), obj),
    };
    let tb = traceback_of(&exc);
    // The last resort: a failure to write the report has nowhere to go.
    let _ = write_default(ts, &exc, &tb, &err_msg, &obj);
}

/// Gives `exc` a traceback of the current frame if it has none (`_PyTraceBack_FromFrame`).
fn attach_current_frame(ts: &mut ThreadState, exc: &Value) {
    let Some(e) = exc.as_exception() else { return };
    if !e.state.lock().traceback.is_none() {
        return;
    }
    let Some(frame) = eval_get_frame(ts) else {
        return;
    };
    let Some(f) = frame.downcast::<FrameObject>() else {
        return;
    };
    let (code, pc) = (f.code().clone(), f.pc(ts));
    add_traceback_entry(
        &PyErr::from_value(exc.clone()),
        Back::Object(frame),
        &code,
        pc,
    );
}

/// Runs the audit event and `sys.unraisablehook`. `Ok(true)`: the hook handled the report;
/// `Ok(false)`: the default hook must write it; `Err`: a new exception to report with the
/// default hook, with its message and object.
fn call_hook(ts: &mut ThreadState, args: &Value) -> Result<bool, (PyErr, &'static str, Value)> {
    // Without an imported `sys` nobody can have replaced the hook or added an audit hook.
    let hook = match sys_module() {
        None => default_hook(),
        Some(sys) => match sys_dict_get(&sys, "unraisablehook") {
            None => return Ok(false),
            Some(h) => h,
        },
    };
    super::audit::audit(ts, "sys.unraisablehook", &[hook.clone(), args.clone()])
        .map_err(|e| (e, IN_AUDIT_HOOK, Value::NONE))?;
    if hook.is_none() {
        return Ok(false);
    }
    match crate::interp::call(ts, &hook, std::slice::from_ref(args), &[]) {
        Ok(_) => Ok(true),
        Err(e) => Err((e, IN_HOOK, hook)),
    }
}

/// The `sys` module, if imported.
fn sys_module() -> Option<Value> {
    runtime().modules.lock().get("sys").cloned()
}

/// `sys.<name>` from the module's dict.
fn sys_dict_get(sys: &Value, name: &str) -> Option<Value> {
    match sys.obj() {
        Some(Object::Module(m)) => dict_get(&m.dict, name),
        _ => None,
    }
}

/// `exc.__traceback__` (None for non-exceptions).
fn traceback_of(exc: &Value) -> Value {
    exc.as_exception()
        .map_or(Value::NONE, |e| e.state.lock().traceback.clone())
}

/// The default hook's report of `exc` (with traceback `tb`), written to `sys.stderr`.
fn write_default(
    ts: &mut ThreadState,
    exc: &Value,
    tb: &Value,
    err_msg: &Value,
    obj: &Value,
) -> PyResult<()> {
    let file = match sys_module() {
        Some(sys) => match sys_dict_get(&sys, "stderr") {
            Some(f) if !f.is_none() => f,
            _ => return Ok(()),
        },
        None => io::stderr(),
    };
    let text = format_report(ts, exc, tb, err_msg, obj);
    io::write_to(ts, &file, &text)?;
    io::flush_file(ts, &file)
}

/// The text of the default hook's report (`write_unraisable_exc_file` of CPython 3.13.0).
fn format_report(
    ts: &mut ThreadState,
    exc: &Value,
    tb: &Value,
    err_msg: &Value,
    obj: &Value,
) -> String {
    let mut text = String::new();
    let msg = err_msg.as_str();
    if !obj.is_none() {
        text.push_str(msg.unwrap_or("Exception ignored in"));
        text.push_str(": ");
        text.push_str(&ops::repr(ts, obj).unwrap_or_else(|_| "<object repr() failed>".to_owned()));
        text.push('\n');
    } else if let Some(m) = msg {
        text.push_str(m);
        text.push_str(":\n");
    }
    // At shutdown CPython can no longer read source files (its `io` is gone): no source lines.
    text.push_str(&format_tb_plain(tb, !crate::interp::gen::shutting_down()));
    if let Some(e) = exc.as_exception() {
        // Builtin exception types only: `__module__` is `builtins`, so no prefix.
        text.push_str(e.kind.name());
        text.push_str(": ");
        text.push_str(&ops::str(ts, exc).unwrap_or_else(|_| "<exception str() failed>".to_owned()));
        text.push('\n');
    }
    text
}

/// The `sys.unraisablehook` builtin (also `sys.__unraisablehook__`): one object, so the two
/// names are identical until a program rebinds one.
pub fn default_hook() -> Value {
    static HOOK: OnceLock<Value> = OnceLock::new();
    HOOK.get_or_init(|| native("unraisablehook", "sys", sys_unraisablehook))
        .clone()
}

/// `sys.__unraisablehook__(unraisable, /)`: writes the report of an `UnraisableHookArgs`.
fn sys_unraisablehook(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    if !kw.is_empty() {
        return Err(err::type_error(
            "sys.unraisablehook() takes no keyword arguments",
        ));
    }
    let [arg] = args else {
        return Err(err::type_error(format!(
            "sys.unraisablehook() takes exactly one argument ({} given)",
            args.len()
        )));
    };
    let Some(a) = arg.downcast::<HookArgs>() else {
        return Err(err::type_error(
            "sys.unraisablehook argument type must be UnraisableHookArgs",
        ));
    };
    write_default(ts, &a.exc_value, &a.exc_traceback, &a.err_msg, &a.object)?;
    Ok(Value::NONE)
}

/// `UnraisableHookArgs`: a read-only 5-tuple with named fields (a struct sequence in CPython).
struct HookArgs {
    exc_type: Value,
    exc_value: Value,
    exc_traceback: Value,
    err_msg: Value,
    object: Value,
}

/// The field names, in tuple order.
const FIELDS: [&str; 5] = [
    "exc_type",
    "exc_value",
    "exc_traceback",
    "err_msg",
    "object",
];

impl HookArgs {
    /// The arguments for reporting `exc`.
    fn value(exc: &Value, err_msg: Value, object: Value) -> Value {
        Value::native(HookArgs {
            exc_type: exc.type_object(),
            exc_value: exc.clone(),
            exc_traceback: traceback_of(exc),
            err_msg,
            object,
        })
    }

    fn items(&self) -> [&Value; 5] {
        [
            &self.exc_type,
            &self.exc_value,
            &self.exc_traceback,
            &self.err_msg,
            &self.object,
        ]
    }
}

impl NativeObject for HookArgs {
    fn py_type(&self) -> TypeId {
        TypeId::Other("UnraisableHookArgs")
    }

    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        for v in [
            &self.exc_type,
            &self.exc_value,
            &self.exc_traceback,
            &self.err_msg,
            &self.object,
        ] {
            visit(crate::object::cycles::Edge::Value(v));
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, _this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        let i = FIELDS.iter().position(|f| *f == name)?;
        Some(Ok(self.items()[i].clone()))
    }

    fn setattr(&self, _ts: &mut ThreadState, name: &str, _value: &Value) -> Option<PyResult<()>> {
        // Struct-sequence fields are read-only members; other names fall through to the
        // generic "no attribute" error.
        FIELDS
            .contains(&name)
            .then(|| Err(err::attribute_error("readonly attribute")))
    }

    fn repr(&self, _this: &Value, ts: &mut ThreadState) -> PyResult<String> {
        let mut out = String::from("UnraisableHookArgs(");
        for (i, (name, v)) in FIELDS.iter().zip(self.items()).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(name);
            out.push('=');
            out.push_str(&ops::repr(ts, v)?);
        }
        out.push(')');
        Ok(out)
    }

    fn getitem(&self, _ts: &mut ThreadState, key: &Value) -> Option<PyResult<Value>> {
        let idx = key.as_small().or_else(|| key.as_bool().map(i64::from));
        Some(match idx {
            None => Err(err::type_error(format!(
                "tuple indices must be integers or slices, not {}",
                key.py_type().name()
            ))),
            Some(i) => {
                let i = if i < 0 { i + FIELDS.len() as i64 } else { i };
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.items().get(i).map(|v| (*v).clone()))
                    .ok_or_else(|| err::index_error("tuple index out of range"))
            }
        })
    }

    fn len(&self, _ts: &mut ThreadState) -> Option<PyResult<usize>> {
        Some(Ok(FIELDS.len()))
    }

    fn iter_items(&self, _ts: &mut ThreadState) -> Option<PyResult<Vec<Value>>> {
        Some(Ok(self.items().into_iter().cloned().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::ExcKind;
    use crate::stdlib;
    use std::cell::RefCell;

    thread_local! {
        /// What `report_here` produced, per test thread.
        static REPORTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    /// `report_here(obj)`: what `write_unraisable(ValueError("boom"), obj)` does before it
    /// looks for a hook (attach the current frame's traceback), then the default hook's text.
    /// Kept off `sys.unraisablehook`, which is shared by every test of the process.
    fn report_here(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
        let exc = PyErr::new(ExcKind::ValueError, "boom").into_value();
        attach_current_frame(ts, &exc);
        let tb = traceback_of(&exc);
        let text = format_report(ts, &exc, &tb, &Value::NONE, &args[0]);
        REPORTS.with(|r| r.borrow_mut().push(text));
        Ok(Value::NONE)
    }

    const SRC: &str = "def f(x):\n    y = x + 1\n    report_here('obj')\n    return y\n";

    /// The module's `f`, with `report_here` in its globals.
    fn module_f(ts: &mut ThreadState) -> Value {
        stdlib::init();
        let code = crate::compile::compile_module(SRC, "unraisable_src.py").expect("compiles");
        let globals = Value::dict();
        stdlib::dict_set(&globals, "__name__", Value::str("unraisable_src"));
        stdlib::dict_set(
            &globals,
            "report_here",
            native("report_here", "test", report_here),
        );
        crate::interp::run_module(ts, code, globals.clone()).expect("module runs");
        stdlib::dict_get(&globals, "f").expect("f defined")
    }

    /// CPython 3.13 (`_testcapi.err_writeunraisable(ValueError("boom"), "obj")` at the same
    /// place): one entry, the current frame's, with no carets.
    const EXPECTED: &str = "Exception ignored in: 'obj'\n\
        Traceback (most recent call last):\n  \
        File \"unraisable_src.py\", line 3, in f\n    \
        report_here('obj')\n\
        ValueError: boom\n";

    #[test]
    fn report_names_the_interpreted_current_frame() {
        let mut ts = ThreadState::new();
        let f = module_f(&mut ts);
        crate::interp::call(&mut ts, &f, &[Value::int(1)], &[]).expect("f runs");
        let got = REPORTS.with(|r| r.borrow_mut().pop()).expect("reported");
        assert_eq!(got, EXPECTED);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn report_names_the_jit_current_frame() {
        let mut ts = ThreadState::new();
        let f = module_f(&mut ts);
        let code = f.as_function().expect("a function").code.clone();
        let jit = crate::jit::compile(&code).expect("compiles");
        // SAFETY: our own thread state, a function of the compiled code, `jit` outlives the call.
        unsafe { jit.invoke(&mut ts, &f, &[Value::int(1)], &[]) }.expect("f runs");
        let got = REPORTS.with(|r| r.borrow_mut().pop()).expect("reported");
        assert_eq!(got, EXPECTED);
    }

    #[test]
    fn without_a_frame_the_report_has_no_traceback() {
        let mut ts = ThreadState::new();
        let f = module_f(&mut ts);
        // No frame runs: nothing to attach, so the report has no traceback.
        let exc = PyErr::new(ExcKind::KeyError, "k").into_value();
        attach_current_frame(&mut ts, &exc);
        assert!(traceback_of(&exc).is_none());
        let text = format_report(
            &mut ts,
            &exc,
            &Value::NONE,
            &Value::str("Exception ignored on flushing sys.stdout"),
            &Value::NONE,
        );
        assert_eq!(
            text,
            "Exception ignored on flushing sys.stdout:\nKeyError: 'k'\n"
        );
        // An empty message still gets its ": " (the C printer's form).
        let empty = PyErr::with_args(ExcKind::ValueError, vec![]).into_value();
        let text = format_report(&mut ts, &empty, &Value::NONE, &Value::NONE, &f);
        assert!(text.starts_with("Exception ignored in: <function f at 0x"));
        assert!(text.ends_with(">\nValueError: \n"));
    }

    #[test]
    fn hook_args_are_a_read_only_named_tuple() {
        let mut ts = ThreadState::new();
        let exc = PyErr::new(ExcKind::KeyError, "k").into_value();
        let args = HookArgs::value(&exc, Value::str("msg"), Value::int(5));
        let get = |ts: &mut ThreadState, name: &str| ops::getattr(ts, &args, name).unwrap();
        assert!(get(&mut ts, "exc_value").is(&exc));
        assert!(get(&mut ts, "exc_type").is(&exc.type_object()));
        assert!(get(&mut ts, "exc_traceback").is_none());
        assert_eq!(get(&mut ts, "err_msg").as_str(), Some("msg"));
        assert_eq!(get(&mut ts, "object").as_small(), Some(5));
        let n = args.downcast::<HookArgs>().unwrap();
        assert_eq!(n.len(&mut ts).unwrap().unwrap(), 5);
        let last = n.getitem(&mut ts, &Value::int(-1)).unwrap().unwrap();
        assert_eq!(last.as_small(), Some(5));
        let e = n.getitem(&mut ts, &Value::int(5)).unwrap().unwrap_err();
        assert!(e.matches(ExcKind::IndexError));
        let e = ops::setattr(&mut ts, &args, "err_msg", Value::NONE).unwrap_err();
        assert!(e.matches(ExcKind::AttributeError));
        let r = ops::repr(&mut ts, &args).unwrap();
        assert_eq!(
            r,
            "UnraisableHookArgs(exc_type=<class 'KeyError'>, exc_value=KeyError('k'), \
             exc_traceback=None, err_msg='msg', object=5)"
        );
        // The default hook refuses anything else.
        let e = sys_unraisablehook(&mut ts, &[Value::int(1)], &[]).unwrap_err();
        assert!(e.matches(ExcKind::TypeError));
    }
}
