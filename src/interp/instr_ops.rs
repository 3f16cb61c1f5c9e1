//! The operations of the instructions that the eval loop and the JIT's runtime helpers both
//! run (`BuildMap`, `FormatValue`, `Raise`, `BeforeWith`, ...), one function each, so that
//! interpreted and compiled code compute the same results and raise the same errors.
//!
//! Also raise-time `__context__` chaining ([`set_context`]), which `Raise` and both unwinders
//! (the eval loop's and compiled code's) share.

use crate::code::CodeObject;
use crate::object::exc::err;
use crate::object::{
    ops, ExcKind, Function, FunctionNames, HashKey, Object, PyErr, PyResult, TypeId, Value,
};
use crate::stdlib;
use crate::thread::ThreadState;
use std::sync::atomic::AtomicU32;

/// The UnboundLocalError of reading local `i` before it is bound.
// Inline: the eval loop builds it in place (`LoadFast`, `DeleteFast`).
#[inline]
pub(crate) fn unbound_local(code: &CodeObject, i: u32) -> PyErr {
    let name = &code.varnames[i as usize];
    PyErr::new(
        ExcKind::UnboundLocalError,
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

/// `__context__` chaining at raise time (CPython's `_PyErr_SetObject`), cutting cycles. The
/// unwinders call it for an error that a frame sees fail for the first time (its traceback is
/// still empty: a builtin's error, or a new `raise`); an exception that comes out of a callee
/// was chained where it was raised and keeps its context (CPython chains at the raise, never
/// while unwinding).
pub(crate) fn set_context(ts: &ThreadState, err: &PyErr) {
    let handled = &ts.handled_exception();
    if handled.is_none() || handled.is(err.value()) {
        return;
    }
    // If `err` already appears in the context chain of the handled exception, cut it there.
    let mut o = handled.clone();
    while let Some(exc) = o.as_exception() {
        let ctx = exc.state.lock().context.clone();
        if ctx.is(err.value()) {
            exc.state.lock().context = Value::NONE;
            break;
        }
        o = ctx;
    }
    err.exception().state.lock().context = handled.clone();
}

/// `MakeFunction`: a function of the code object `code_v` with these defaults and globals.
pub(crate) fn make_function(globals: &Value, code_v: &Value, defaults: &Value) -> Value {
    let code = code_v
        .as_code()
        .expect("MakeFunction on a code object")
        .clone();
    let module = crate::stdlib::dict_get(globals, "__name__").unwrap_or(Value::NONE);
    Value::from_object(Object::Function(Function {
        names: Box::new(FunctionNames {
            name: Value::str(&code.name),
            qualname: Value::str(&code.qualname),
            module,
        }),
        globals: globals.clone(),
        defaults: defaults
            .as_tuple()
            .unwrap_or(&[])
            .to_vec()
            .into_boxed_slice(),
        calls: AtomicU32::new(0),
        jit_entry: Default::default(),
        code,
    }))
}

/// An exception type value or instance, made an instance.
pub(crate) fn instantiate(ts: &mut ThreadState, v: Value) -> PyResult<Value> {
    if v.as_exception().is_some() {
        return Ok(v);
    }
    if let Some(TypeId::Exc(_)) = v.as_type() {
        return super::call::call(ts, &v, &[], &[]);
    }
    Err(err::type_error("exceptions must derive from BaseException"))
}

/// The exception `raise exc [from cause]` raises (the error case is the TypeError to raise).
pub(crate) fn make_raise(
    ts: &mut ThreadState,
    exc: Value,
    cause: Option<Value>,
) -> Result<PyErr, PyErr> {
    let exc = instantiate(ts, exc)?;
    let e = PyErr::from_value(exc);
    // An explicit `raise` chains even an exception raised before (`raise e` in a handler).
    set_context(ts, &e);
    if let Some(cause) = cause {
        let cause = if cause.is_none() {
            cause
        } else {
            instantiate(ts, cause)
                .map_err(|_| err::type_error("exception causes must derive from BaseException"))?
        };
        let x = e.exception();
        let mut st = x.state.lock();
        st.cause = cause;
        x.set_suppress_context(&mut st, true);
    }
    Ok(e)
}

/// `CheckExcMatch`: does `exc` match `except ty` (a type or a tuple of types)?
pub(crate) fn exception_matches(exc: &Value, ty: &Value) -> PyResult<bool> {
    let kind = exc.as_exception().map(|e| e.kind);
    let check = |t: &Value| -> PyResult<bool> {
        match t.as_type() {
            Some(TypeId::Exc(k)) => Ok(kind.is_some_and(|e| e.is_subclass(k))),
            _ => Err(err::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    };
    if let Some(items) = ty.as_tuple() {
        let mut any = false;
        for t in items {
            any |= check(t)?;
        }
        return Ok(any);
    }
    check(ty)
}

/// `BuildMap`: a dict of the alternating keys and values in `items`.
pub(crate) fn build_map(ts: &mut ThreadState, items: Vec<Value>) -> PyResult<Value> {
    let d = Value::dict();
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        ops::setitem(ts, &d, &k, v)?;
    }
    Ok(d)
}

/// `BuildSet`: a set of `items` (through the `set` type, so CPython's set order holds).
pub(crate) fn build_set(ts: &mut ThreadState, items: Vec<Value>) -> PyResult<Value> {
    stdlib::builtins::call_type(ts, TypeId::Set, &[Value::list(items)], &[])
}

/// `BuildString`: the concatenation of the str parts.
pub(crate) fn build_string(parts: &[Value]) -> Value {
    let mut s = String::new();
    for p in parts {
        s.push_str(p.as_str().unwrap_or(""));
    }
    Value::string(s)
}

/// `FormatValue(flags)` of `v` with an optional format spec.
pub(crate) fn format_value(
    ts: &mut ThreadState,
    flags: u32,
    v: Value,
    spec: Option<Value>,
) -> PyResult<Value> {
    let converted = match flags & 3 {
        1 => Value::string(ops::str(ts, &v)?),
        2 => Value::string(ops::repr(ts, &v)?),
        3 => Value::string(ascii(&ops::repr(ts, &v)?)),
        _ => v,
    };
    let spec_str = spec.as_ref().and_then(|s| s.as_str()).unwrap_or("");
    Ok(if spec_str.is_empty() && converted.as_str().is_some() {
        converted
    } else {
        Value::string(ops::format(ts, &converted, spec_str)?)
    })
}

fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            0x80..=0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            0x100..=0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `ListAppend`: appends `v` to the list `target` (a comprehension's): MemoryError when the list
/// cannot grow, as CPython's, rather than an abort.
pub(crate) fn list_append(target: &Value, v: Value) -> PyResult<()> {
    let list = target.as_list().expect("ListAppend on a list");
    crate::object::alloc::push(&mut list.lock(), v)
}

/// `SetAdd`: adds `v` to the set `target`.
pub(crate) fn set_add(target: &Value, v: Value) -> PyResult<()> {
    let key = HashKey::new(v)?;
    match target.obj() {
        Some(Object::Set(set)) => {
            set.lock().insert(key, Value::NONE);
        }
        _ => unreachable!("SetAdd on a set"),
    }
    Ok(())
}

/// Bare `raise`: the exception being handled, or the RuntimeError of having none.
pub(crate) fn active_exception(ts: &ThreadState) -> PyResult<PyErr> {
    let handled = ts.handled_exception();
    if handled.as_exception().is_none() {
        return Err(err::runtime_error("No active exception to reraise"));
    }
    Ok(PyErr::from_value(handled))
}

/// `BeforeWith`: `(mgr.__exit__, mgr.__enter__())`, looked up in CPython's order.
pub(crate) fn before_with(ts: &mut ThreadState, mgr: &Value) -> PyResult<(Value, Value)> {
    let exit = ops::getattr(ts, mgr, "__exit__")?;
    let enter = ops::getattr(ts, mgr, "__enter__")?;
    let entered = super::call::call(ts, &enter, &[], &[])?;
    Ok((exit, entered))
}

/// `WithExceptStart`: `exit(type(exc), exc, exc.__traceback__)`.
pub(crate) fn with_except_start(ts: &mut ThreadState, exit: &Value, exc: Value) -> PyResult<Value> {
    let tb = exc
        .as_exception()
        .map_or(Value::NONE, |e| e.state.lock().traceback.clone());
    super::call::call(ts, exit, &[exc.type_object(), exc, tb], &[])
}

/// `ImportFrom`: `module.name`, or CPython's ImportError.
pub(crate) fn import_from(ts: &mut ThreadState, m: &Value, name: &str) -> PyResult<Value> {
    match ops::getattr(ts, m, name) {
        Ok(v) => Ok(v),
        Err(_) => {
            let mname = m.obj().and_then(|o| match o {
                Object::Module(md) => md.name.as_str().map(str::to_owned),
                _ => None,
            });
            Err(PyErr::new(
                ExcKind::ImportError,
                format!(
                    "cannot import name '{}' from '{}' (unknown location)",
                    name,
                    mname.unwrap_or_default()
                ),
            ))
        }
    }
}
