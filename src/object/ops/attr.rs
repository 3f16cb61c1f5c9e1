//! Attributes: `getattr`, `setattr` and the method lookup of `LoadMethod`, for every kind of
//! value (modules through their dict, native objects through [`NativeObject::getattr`],
//! exceptions, functions, code objects, type objects, builtin methods of builtin types), with
//! CPython's AttributeError messages and its `name`/`obj` attributes (for "Did you mean"
//! suggestions).
//!
//! [`NativeObject::getattr`]: crate::object::NativeObject::getattr

use super::super::exc::{err, Exception};
use super::super::{Builtin, ExcKind, Object, PyErr, PyResult, Value};
use super::arith::{as_int, Int};
use super::{repr, type_name};
use crate::stdlib::methods::lookup_method;
use crate::thread::ThreadState;
use parking_lot::Mutex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// `getattr(v, name)`.
pub fn getattr(ts: &mut ThreadState, v: &Value, name: &str) -> PyResult<Value> {
    match lookup_attr(ts, v, name)? {
        Some(x) => Ok(x),
        None => Err(attr_error(v, name)),
    }
}

/// A module member found by the interned name `name` (a str value from a code object), with no
/// conversion to `&str` and no hashing of its bytes: the probe compares the key by identity.
/// `None` when `v` is not a module, or for dunder names (`__class__`, `__dict__` answer before
/// the module's dict does), or when the member is missing: then take the general path.
fn module_member(v: &Value, name: &Value) -> Option<Value> {
    let Some(Object::Module(m)) = v.obj() else {
        return None;
    };
    let s = name.as_pystr()?;
    if s.as_str().starts_with("__") {
        return None;
    }
    let d = m.dict.as_dict()?.read();
    crate::object::dict::get_name(&d, m.dict.bits(), name, s.hash()).cloned()
}

/// `getattr(v, name)` for a name given as a str value (the `LoadAttr` of a code object).
pub fn getattr_name(ts: &mut ThreadState, v: &Value, name: &Value) -> PyResult<Value> {
    let s = name.as_str().expect("names are strs");
    match v.obj() {
        Some(Object::Module(_)) => {
            if let Some(x) = module_member(v, name) {
                return Ok(x);
            }
        }
        // A native object's own attributes answer first in `lookup_attr` too (after
        // `__class__`, which none of them defines): `tb.tb_next`, `f.f_back` in one call.
        Some(Object::Native(n)) => {
            if let Some(r) = n.getattr(v, ts, s) {
                return r;
            }
        }
        _ => {}
    }
    getattr(ts, v, s)
}

/// [`load_method`] for a name given as a str value (the `LoadMethod` of a code object).
pub fn load_method_name(
    ts: &mut ThreadState,
    v: &Value,
    name: &Value,
) -> PyResult<(Value, Option<Value>)> {
    if let Some(x) = module_member(v, name) {
        return Ok((x, None));
    }
    load_method(ts, v, name.as_str().expect("names are strs"))
}

/// The AttributeError for a missing attribute, with `name` and `obj` set.
pub fn attr_error(v: &Value, name: &str) -> PyErr {
    let msg = match v.obj() {
        Some(Object::Module(m)) => format!(
            "module '{}' has no attribute '{name}'",
            m.name.as_str().unwrap_or("?")
        ),
        Some(Object::Type(t)) => format!("type object '{}' has no attribute '{name}'", t.name()),
        _ => format!("'{}' object has no attribute '{name}'", type_name(v)),
    };
    let e = PyErr::new(ExcKind::AttributeError, msg);
    e.exception().set_attr("name", Value::str(name));
    e.exception().set_attr("obj", v.clone());
    e
}

/// A builtin method bound to `recv` (from an unbound method of the method tables).
pub fn bind_method(method: &Value, recv: &Value) -> Value {
    match method.obj() {
        Some(Object::Builtin(b)) => Value::from_object(Object::Builtin(Builtin {
            name: b.name,
            func: b.func,
            bound: Some(recv.clone()),
            owner: b.owner,
        })),
        _ => method.clone(),
    }
}

fn opt_tuple(items: &[Value]) -> Value {
    if items.is_empty() {
        Value::NONE
    } else {
        Value::tuple(items.to_vec())
    }
}

/// `getattr(v, name)`, `Ok(None)` when the attribute does not exist (for `hasattr` and
/// `getattr` with a default).
pub fn lookup_attr(ts: &mut ThreadState, v: &Value, name: &str) -> PyResult<Option<Value>> {
    if name == "__class__" {
        return Ok(Some(v.type_object()));
    }
    if let Some(obj) = v.obj() {
        match obj {
            Object::Module(m) => {
                if name == "__dict__" {
                    return Ok(Some(m.dict.clone()));
                }
                return Ok(crate::stdlib::dict_get(&m.dict, name));
            }
            Object::Native(n) => {
                if let Some(r) = n.getattr(v, ts, name) {
                    return r.map(Some);
                }
                return Ok(lookup_method(n.py_type(), name).map(|m| bind_method(&m, v)));
            }
            Object::Exception(e) => {
                if let Some(x) = exception_attr(e, name) {
                    return Ok(Some(x));
                }
            }
            Object::Function(f) => {
                let x = match name {
                    "__name__" => Some(f.names.name.clone()),
                    "__qualname__" => Some(f.names.qualname.clone()),
                    "__module__" => Some(f.names.module.clone()),
                    "__code__" => Some(crate::object::code_value(&f.code)),
                    "__defaults__" => Some(opt_tuple(&f.defaults)),
                    "__globals__" => Some(f.globals.clone()),
                    "__doc__" | "__kwdefaults__" => Some(Value::NONE),
                    "__builtins__" => crate::thread::runtime().builtins.get().cloned(),
                    _ => None,
                };
                if x.is_some() {
                    return Ok(x);
                }
            }
            Object::Code(c) => {
                let strs = |names: &[std::sync::Arc<str>]| {
                    Value::tuple(names.iter().map(|n| Value::str(n)).collect())
                };
                let x = match name {
                    "co_name" => Some(Value::str(&c.name)),
                    "co_qualname" => Some(Value::str(&c.qualname)),
                    "co_filename" => Some(Value::str(&c.filename)),
                    "co_firstlineno" => Some(Value::int(c.first_line as i64)),
                    "co_varnames" => Some(strs(&c.varnames)),
                    "co_argcount" => Some(Value::int(c.argcount as i64)),
                    "co_posonlyargcount" | "co_kwonlyargcount" => Some(Value::int(0)),
                    "co_nlocals" => Some(Value::int(c.varnames.len() as i64)),
                    "co_names" => Some(Value::tuple(c.names.clone())),
                    "co_consts" => Some(Value::tuple(c.consts.clone())),
                    "co_cellvars" | "co_freevars" => Some(Value::tuple(vec![])),
                    "co_stacksize" => Some(Value::int(c.max_stack as i64)),
                    "co_flags" => Some(Value::int(code_flags(c))),
                    _ => None,
                };
                if x.is_some() {
                    return Ok(x);
                }
            }
            Object::Type(t) => {
                let x = match name {
                    "__name__" | "__qualname__" => Some(Value::str(t.name())),
                    "__module__" => Some(Value::str(repr::type_module(*t))),
                    "__doc__" => Some(Value::NONE),
                    "__base__" => Some(t.base().map_or(Value::NONE, |b| b.object())),
                    "__bases__" => Some(Value::tuple(
                        t.base().map(|b| b.object()).into_iter().collect(),
                    )),
                    "__mro__" => {
                        let mut mro = vec![];
                        let mut cur = Some(*t);
                        while let Some(c) = cur {
                            mro.push(c.object());
                            cur = c.base();
                        }
                        Some(Value::tuple(mro))
                    }
                    _ => lookup_method(*t, name),
                };
                return Ok(x);
            }
            Object::Builtin(b) => {
                let x = match name {
                    "__name__" => Some(Value::str(b.name)),
                    "__qualname__" => Some(if repr::is_module_owner(b.owner) {
                        Value::str(b.name)
                    } else {
                        Value::string(format!("{}.{}", b.owner, b.name))
                    }),
                    "__self__" => Some(b.bound.clone().unwrap_or(Value::NONE)),
                    "__module__" => Some(if repr::is_module_owner(b.owner) {
                        Value::str(b.owner)
                    } else {
                        Value::NONE
                    }),
                    "__doc__" => Some(Value::NONE),
                    _ => None,
                };
                if x.is_some() {
                    return Ok(x);
                }
            }
            Object::Range(r) => {
                let x = match name {
                    "start" => Some(Value::int(r.start)),
                    "stop" => Some(Value::int(r.stop)),
                    "step" => Some(Value::int(r.step)),
                    _ => None,
                };
                if x.is_some() {
                    return Ok(x);
                }
            }
            Object::Slice(a, b, c) => {
                let x = match name {
                    "start" => Some(a.clone()),
                    "stop" => Some(b.clone()),
                    "step" => Some(c.clone()),
                    _ => None,
                };
                if x.is_some() {
                    return Ok(x);
                }
            }
            Object::Float(_) => {
                let x = match name {
                    "real" => Some(v.clone()),
                    "imag" => Some(super::arith::float_value(0.0)),
                    _ => None,
                };
                if x.is_some() {
                    return Ok(x);
                }
            }
            _ => {}
        }
    }
    if let Some(i) = as_int(v) {
        let as_plain = || match i {
            Int::Small(x) => Value::int(x),
            Int::Big(_) => v.clone(),
        };
        let x = match name {
            "real" | "numerator" => Some(as_plain()),
            "imag" => Some(Value::int(0)),
            "denominator" => Some(Value::int(1)),
            _ => None,
        };
        if x.is_some() {
            return Ok(x);
        }
    }
    Ok(lookup_method(v.py_type(), name).map(|m| bind_method(&m, v)))
}

fn code_flags(c: &crate::code::CodeObject) -> i64 {
    use crate::code::CodeFlags;
    let mut f = 0;
    if !c.is_module() {
        f |= 0x3; // CO_OPTIMIZED | CO_NEWLOCALS
    }
    if c.flags.contains(CodeFlags::GENERATOR) {
        f |= 0x20;
    }
    if c.flags.contains(CodeFlags::COROUTINE) {
        f |= 0x80;
    }
    f
}

/// Attributes of exception instances (data attributes; methods come from the method table).
fn exception_attr(e: &Exception, name: &str) -> Option<Value> {
    let st = || e.state.lock();
    let first_arg = || {
        e.args
            .as_tuple()
            .and_then(|t| t.first().cloned())
            .unwrap_or(Value::NONE)
    };
    match name {
        "args" => Some(e.args.clone()),
        "__traceback__" => Some(st().traceback.clone()),
        "__context__" => Some(st().context.clone()),
        "__cause__" => Some(st().cause.clone()),
        "__suppress_context__" => Some(Value::bool(e.suppress_context())),
        "__dict__" => Some(Value::dict()),
        _ => {
            if let Some(v) = e.attr(name) {
                return Some(v);
            }
            let k = e.kind;
            let is = |base: ExcKind| k.is_subclass(base);
            match name {
                "value" if is(ExcKind::StopIteration) => Some(first_arg()),
                "code" if is(ExcKind::SystemExit) => Some(match e.args.as_tuple() {
                    Some([]) | None => Value::NONE,
                    Some([one]) => one.clone(),
                    Some(_) => e.args.clone(),
                }),
                "name"
                    if is(ExcKind::NameError)
                        || is(ExcKind::AttributeError)
                        || is(ExcKind::ImportError) =>
                {
                    Some(Value::NONE)
                }
                "obj" if is(ExcKind::AttributeError) => Some(Value::NONE),
                "path" | "name_from" if is(ExcKind::ImportError) => Some(Value::NONE),
                "msg" if is(ExcKind::SyntaxError) || is(ExcKind::ImportError) => Some(first_arg()),
                "filename"
                | "lineno"
                | "offset"
                | "text"
                | "end_lineno"
                | "end_offset"
                | "print_file_and_line"
                    if is(ExcKind::SyntaxError) =>
                {
                    Some(Value::NONE)
                }
                "errno" | "strerror" | "filename" | "filename2" if is(ExcKind::OSError) => {
                    Some(Value::NONE)
                }
                _ => None,
            }
        }
    }
}

/// Interns an attribute name (exception attributes are keyed by `&'static str`; the set of
/// names a program uses is bounded by its source).
pub fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = NAMES.get_or_init(|| Mutex::new(HashSet::new())).lock();
    if let Some(&s) = set.get(name) {
        return s;
    }
    let s: &'static str = Box::leak(name.to_owned().into_boxed_str());
    set.insert(s);
    s
}

/// `setattr(v, name, value)`.
pub fn setattr(ts: &mut ThreadState, v: &Value, name: &str, value: Value) -> PyResult<()> {
    match v.obj() {
        Some(Object::Exception(e)) => return set_exception_attr(ts, e, name, value),
        Some(Object::Module(m)) => {
            crate::stdlib::dict_set(&m.dict, name, value);
            return Ok(());
        }
        Some(Object::Native(n)) => {
            if let Some(r) = n.setattr(ts, name, &value) {
                return r;
            }
        }
        _ => {}
    }
    let readonly = match v.obj() {
        Some(Object::Type(t)) => {
            return Err(err::type_error(format!(
                "cannot set '{name}' attribute of immutable type '{}'",
                t.name()
            )))
        }
        Some(Object::Function(_)) => matches!(
            name,
            "__name__"
                | "__qualname__"
                | "__module__"
                | "__code__"
                | "__defaults__"
                | "__globals__"
        ),
        _ => lookup_attr(ts, v, name)?.is_some(),
    };
    if readonly {
        return Err(err::attribute_error(format!(
            "'{}' object attribute '{name}' is read-only",
            type_name(v)
        )));
    }
    let e = PyErr::new(
        ExcKind::AttributeError,
        format!(
            "'{}' object has no attribute '{name}' and no __dict__ for setting new attributes",
            type_name(v)
        ),
    );
    e.exception().set_attr("name", Value::str(name));
    e.exception().set_attr("obj", v.clone());
    Err(e)
}

fn set_exception_attr(
    ts: &mut ThreadState,
    e: &Exception,
    name: &str,
    value: Value,
) -> PyResult<()> {
    let is_exc_or_none = |v: &Value| v.is_none() || v.as_exception().is_some();
    match name {
        "__traceback__" => {
            let ok = value.is_none() || value.obj().is_some_and(|o| o.is_traceback());
            if !ok {
                return Err(err::type_error("__traceback__ must be a traceback or None"));
            }
            let old = std::mem::replace(&mut e.state.lock().traceback, value);
            drop(old);
        }
        "__cause__" => {
            if !is_exc_or_none(&value) {
                return Err(err::type_error(
                    "exception cause must be None or derive from BaseException",
                ));
            }
            let old = {
                let mut st = e.state.lock();
                e.set_suppress_context(&mut st, true);
                std::mem::replace(&mut st.cause, value)
            };
            drop(old);
        }
        "__context__" => {
            if !is_exc_or_none(&value) {
                return Err(err::type_error(
                    "exception context must be None or derive from BaseException",
                ));
            }
            let old = std::mem::replace(&mut e.state.lock().context, value);
            drop(old);
        }
        "__suppress_context__" => {
            let Some(b) = value.as_bool() else {
                return Err(err::type_error("attribute value type must be bool"));
            };
            e.set_suppress_context(&mut e.state.lock(), b);
        }
        "args" => {
            let _ = super::iter::collect(ts, &value)?;
            return Err(PyErr::new(
                ExcKind::NotImplementedError,
                "assigning to the 'args' of an exception is not supported by shadowpy",
            ));
        }
        _ => e.set_attr(intern(name), value),
    }
    Ok(())
}

/// Method lookup for `LoadMethod`: `(callable, Some(receiver))` when `v` has a builtin method
/// `name` (the callable is unbound, cached, and takes the receiver as `args[0]`), else
/// `(getattr(v, name), None)`.
pub fn load_method(
    ts: &mut ThreadState,
    v: &Value,
    name: &str,
) -> PyResult<(Value, Option<Value>)> {
    let plain = !matches!(
        v.obj(),
        Some(Object::Module(_) | Object::Native(_) | Object::Type(_))
    );
    if plain {
        if let Some(m) = lookup_method(v.py_type(), name) {
            if let Some(Object::Exception(e)) = v.obj() {
                // An instance attribute shadows the method.
                if e.attr(name).is_some() {
                    return Ok((getattr(ts, v, name)?, None));
                }
            }
            return Ok((m, Some(v.clone())));
        }
    }
    Ok((getattr(ts, v, name)?, None))
}
