//! Calling type objects: `int(...)`, `str(...)`, `list(...)`, `ValueError(...)`, ... (CPython's
//! constructors, their conversions and their errors).

use super::args;
use crate::object::dict::SetTable;
use crate::object::exc::{err, new_exception};
use crate::object::ops::arith::{self, as_float, as_int, float_value, to_f64};
use crate::object::ops::containers::{dict_update, dict_value, set_update, set_value};
use crate::object::ops::{self, index_i64, iter, type_name};
use crate::object::{ExcKind, KwArgs, NativeObject, Object, PyErr, PyResult, Range, TypeId, Value};
use crate::thread::ThreadState;
use std::any::Any;

/// Calls the type object of `t` with `args` and `kwargs`: constructs an instance (or, for
/// `type`, answers the type of its argument).
pub fn call_type(ts: &mut ThreadState, t: TypeId, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    match t {
        TypeId::Int => new_int(ts, a, kw),
        TypeId::Bool => {
            args::expect(a, kw, "bool", "bool", 0, 1)?;
            match a.first() {
                Some(v) => Ok(Value::bool(ops::truthy(ts, v)?)),
                None => Ok(Value::FALSE),
            }
        }
        TypeId::Float => {
            args::expect(a, kw, "float", "float", 0, 1)?;
            match a.first() {
                Some(v) => new_float(v),
                None => Ok(float_value(0.0)),
            }
        }
        TypeId::Str => new_str(ts, a, kw),
        TypeId::List => {
            args::expect(a, kw, "list", "list", 0, 1)?;
            match a.first() {
                Some(v) => Ok(Value::list(iter::collect(ts, v)?)),
                None => Ok(Value::list(vec![])),
            }
        }
        TypeId::Tuple => {
            args::expect(a, kw, "tuple", "tuple", 0, 1)?;
            match a.first() {
                Some(v) if v.as_tuple().is_some() => Ok(v.clone()),
                Some(v) => Ok(Value::tuple(iter::collect(ts, v)?)),
                None => Ok(Value::tuple(vec![])),
            }
        }
        TypeId::Dict => {
            args::check_count("dict", a.len(), 0, 1)?;
            let d = dict_value(Default::default());
            if let Some(src) = a.first() {
                dict_update(ts, &d, src)?;
            }
            for (k, v) in kw {
                ops::setitem(ts, &d, k, v.clone())?;
            }
            Ok(d)
        }
        TypeId::Set => {
            args::expect(a, kw, "set", "set", 0, 1)?;
            let mut table = SetTable::new();
            if let Some(src) = a.first() {
                set_update(ts, &mut table, src)?;
            }
            Ok(set_value(table))
        }
        TypeId::Range => new_range(a, kw),
        TypeId::Slice => {
            args::expect(a, kw, "slice", "slice", 1, 3)?;
            let (start, stop, step) = match a {
                [stop] => (Value::NONE, stop.clone(), Value::NONE),
                [start, stop] => (start.clone(), stop.clone(), Value::NONE),
                [start, stop, step, ..] => (start.clone(), stop.clone(), step.clone()),
                [] => return Err(err::type_error("slice expected at least 1 argument, got 0")),
            };
            Ok(Value::from_object(Object::Slice(start, stop, step)))
        }
        TypeId::Type => {
            args::no_kw(kw, "type")?;
            match a {
                [v] => Ok(v.type_object()),
                [_, _, _] => Err(err::type_error(
                    "type() with 3 arguments (class creation) is not supported",
                )),
                _ => Err(err::type_error("type() takes 1 or 3 arguments")),
            }
        }
        TypeId::Object => {
            if !a.is_empty() || !kw.is_empty() {
                return Err(err::type_error("object() takes no arguments"));
            }
            Ok(Value::native(PlainObject))
        }
        TypeId::NoneType => {
            if !a.is_empty() || !kw.is_empty() {
                return Err(err::type_error("NoneType takes no arguments"));
            }
            Ok(Value::NONE)
        }
        TypeId::Exc(k) => new_exc(k, a, kw),
        TypeId::FrameSummary => crate::stdlib::traceback::frame_summary_new(ts, a, kw),
        other => Err(err::type_error(format!(
            "cannot create '{}' instances",
            other.name()
        ))),
    }
}

/// `object()`: a featureless instance.
pub struct PlainObject;

impl NativeObject for PlainObject {
    fn py_type(&self) -> TypeId {
        TypeId::Object
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn new_exc(k: ExcKind, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let allowed: &[&'static str] = if k.is_subclass(ExcKind::AttributeError) {
        &["name", "obj"]
    } else if k.is_subclass(ExcKind::NameError) {
        &["name"]
    } else if k.is_subclass(ExcKind::ImportError) {
        &["name", "path", "name_from"]
    } else {
        &[]
    };
    if !kw.is_empty() && allowed.is_empty() {
        return Err(err::type_error(format!(
            "{}() takes no keyword arguments",
            k.name()
        )));
    }
    let e = new_exception(k, a.to_vec());
    if let Some(exc) = e.as_exception() {
        for (name, v) in kw {
            let n = name.as_str().unwrap_or("");
            match allowed.iter().find(|a| **a == n) {
                Some(a) => exc.set_attr(a, v.clone()),
                None => {
                    return Err(err::type_error(format!(
                        "{}() got an unexpected keyword argument '{n}'",
                        k.name()
                    )))
                }
            }
        }
        if k.is_subclass(ExcKind::ImportError) {
            if let Some(first) = a.first() {
                exc.set_attr("msg", first.clone());
            }
        }
    }
    Ok(e)
}

fn invalid_literal(s: &Value, base: u32, ts: &mut ThreadState) -> PyErr {
    err::value_error(format!(
        "invalid literal for int() with base {base}: {}",
        ops::repr(ts, s).unwrap_or_default()
    ))
}

fn new_int(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::check_count("int", a.len(), 0, 2)?;
    if a.len() + kw.len() > 2 {
        return Err(err::type_error(format!(
            "int() takes at most 2 arguments ({} given)",
            a.len() + kw.len()
        )));
    }
    let mut base_arg: Option<Value> = None;
    for (k, v) in kw {
        match k.as_str() {
            Some("base") => base_arg = Some(v.clone()),
            Some(other) => {
                return Err(err::type_error(format!(
                    "int() got an unexpected keyword argument '{other}'"
                )))
            }
            None => {}
        }
    }
    args::check_count("int", a.len() + usize::from(base_arg.is_some()), 0, 2)?;
    if a.len() == 2 {
        base_arg = Some(a[1].clone());
    }
    let Some(x) = a.first() else {
        if base_arg.is_some() {
            return Err(err::type_error("int() missing string argument"));
        }
        return Ok(Value::int(0));
    };
    if let Some(b) = base_arg {
        let base = index_i64(&b)?;
        if !(base == 0 || (2..=36).contains(&base)) {
            return Err(err::value_error("int() base must be >= 2 and <= 36, or 0"));
        }
        let Some(s) = x.as_str() else {
            return Err(err::type_error(
                "int() can't convert non-string with explicit base",
            ));
        };
        return match arith::parse_int(s, base as u32) {
            Some(r) => r,
            None => Err(invalid_literal(x, base as u32, ts)),
        };
    }
    if let Some(i) = as_int(x) {
        return Ok(match i {
            arith::Int::Small(v) => Value::int(v),
            arith::Int::Big(_) => x.clone(),
        });
    }
    if let Some(f) = as_float(x) {
        return arith::float_to_int(f);
    }
    if let Some(s) = x.as_str() {
        return match arith::parse_int(s, 10) {
            Some(r) => r,
            None => Err(invalid_literal(x, 10, ts)),
        };
    }
    Err(err::type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        type_name(x)
    )))
}

fn new_float(v: &Value) -> PyResult<Value> {
    if let Some(f) = as_float(v) {
        return Ok(float_value(f));
    }
    if let Some(r) = to_f64(v) {
        return Ok(float_value(r?));
    }
    if let Some(s) = v.as_str() {
        return match arith::parse_float(s) {
            Some(f) => Ok(float_value(f)),
            None => Err(err::value_error(format!(
                "could not convert string to float: {}",
                ops::repr::str_repr(s)
            ))),
        };
    }
    Err(err::type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        type_name(v)
    )))
}

fn new_str(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    // `str(i)` and `str(s)`: no argument parsing, no formatting machinery.
    if let ([v], true) = (a, kw.is_empty()) {
        if let Some(n) = v.as_small() {
            let mut s = String::with_capacity(20);
            crate::object::str::push_i64(&mut s, n);
            return Ok(Value::str(&s));
        }
        if v.as_str().is_some() {
            return Ok(v.clone());
        }
    }
    let p = args::parse(a, kw, "str", &["object", "encoding", "errors"], 3, 0)?;
    if a.len() > 3 {
        return Err(err::type_error(format!(
            "str expected at most 3 arguments, got {}",
            a.len()
        )));
    }
    if let Some(enc) = &p[1] {
        if enc.as_str().is_none() {
            return Err(err::type_error(format!(
                "str() argument 'encoding' must be str, not {}",
                type_name(enc)
            )));
        }
        return Err(err::type_error("decoding str is not supported"));
    }
    match &p[0] {
        None => Ok(Value::str("")),
        Some(v) if v.as_str().is_some() => Ok(v.clone()),
        Some(v) => Ok(Value::string(ops::str(ts, v)?)),
    }
}

fn range_arg(v: &Value) -> PyResult<i64> {
    match as_int(v) {
        Some(arith::Int::Small(i)) => Ok(i),
        // The subset's ranges have i64 bounds (not all of which are small ints).
        Some(arith::Int::Big(b)) => i64::try_from(b)
            .map_err(|_| err::overflow("Python int too large to convert to C ssize_t")),
        None => Err(err::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(v)
        ))),
    }
}

fn new_range(a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "range", "range", 1, 3)?;
    let (start, stop, step) = match a {
        [stop] => (0, range_arg(stop)?, 1),
        [start, stop] => (range_arg(start)?, range_arg(stop)?, 1),
        [start, stop, step, ..] => {
            let (s, e, st) = (range_arg(start)?, range_arg(stop)?, range_arg(step)?);
            if st == 0 {
                return Err(err::value_error("range() arg 3 must not be zero"));
            }
            (s, e, st)
        }
        [] => return Err(err::type_error("range expected at least 1 argument, got 0")),
    };
    Ok(Value::from_object(Object::Range(Range {
        start,
        stop,
        step,
    })))
}
