//! Methods of `int` (and `bool`), `float`, and exceptions (`with_traceback`, `add_note`).

use super::super::builtins::args;
use super::bad_receiver;
use crate::object::exc::err;
use crate::object::ops::arith::{as_float, as_int, float_value, Int};
use crate::object::{KwArgs, NativeFn, PyResult, Value};
use crate::thread::ThreadState;

/// `int` methods.
pub const INT_METHODS: &[(&str, NativeFn)] = &[
    ("bit_length", bit_length),
    ("bit_count", bit_count),
    ("conjugate", conjugate),
    ("is_integer", int_is_integer),
    ("as_integer_ratio", as_integer_ratio),
];

/// `float` methods.
pub const FLOAT_METHODS: &[(&str, NativeFn)] = &[
    ("is_integer", float_is_integer),
    ("conjugate", float_conjugate),
];

/// Methods of every exception.
pub const EXC_METHODS: &[(&str, NativeFn)] =
    &[("with_traceback", with_traceback), ("add_note", add_note)];

fn this_int<'a>(a: &'a [Value], name: &str) -> PyResult<(Int<'a>, &'a [Value])> {
    match a.split_first() {
        Some((recv, rest)) => match as_int(recv) {
            Some(i) => Ok((i, rest)),
            None => Err(bad_receiver("int", name, Some(recv))),
        },
        None => Err(bad_receiver("int", name, None)),
    }
}

fn bit_length(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (i, rest) = this_int(a, "bit_length")?;
    args::no_args(rest, kw, "int.bit_length")?;
    Ok(Value::int(match i {
        Int::Small(x) => 64 - x.unsigned_abs().leading_zeros() as i64,
        Int::Big(b) => b.bits() as i64,
    }))
}

fn bit_count(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (i, rest) = this_int(a, "bit_count")?;
    args::no_args(rest, kw, "int.bit_count")?;
    Ok(Value::int(match i {
        Int::Small(x) => x.unsigned_abs().count_ones() as i64,
        Int::Big(b) => b.magnitude().count_ones() as i64,
    }))
}

fn plain(i: Int, v: &Value) -> Value {
    match i {
        Int::Small(x) => Value::int(x),
        Int::Big(_) => v.clone(),
    }
}

fn conjugate(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (i, rest) = this_int(a, "conjugate")?;
    args::no_args(rest, kw, "int.conjugate")?;
    Ok(plain(i, &a[0]))
}

fn int_is_integer(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, rest) = this_int(a, "is_integer")?;
    args::no_args(rest, kw, "int.is_integer")?;
    Ok(Value::TRUE)
}

fn as_integer_ratio(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (i, rest) = this_int(a, "as_integer_ratio")?;
    args::no_args(rest, kw, "int.as_integer_ratio")?;
    Ok(Value::tuple(vec![plain(i, &a[0]), Value::int(1)]))
}

fn this_float<'a>(a: &'a [Value], name: &str) -> PyResult<(f64, &'a [Value])> {
    match a.split_first() {
        Some((recv, rest)) => match as_float(recv) {
            Some(f) => Ok((f, rest)),
            None => Err(bad_receiver("float", name, Some(recv))),
        },
        None => Err(bad_receiver("float", name, None)),
    }
}

fn float_is_integer(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (f, rest) = this_float(a, "is_integer")?;
    args::no_args(rest, kw, "float.is_integer")?;
    Ok(Value::bool(f.is_finite() && f.fract() == 0.0))
}

fn float_conjugate(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (f, rest) = this_float(a, "conjugate")?;
    args::no_args(rest, kw, "float.conjugate")?;
    Ok(float_value(f))
}

fn with_traceback(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let Some((recv, rest)) = a.split_first() else {
        return Err(bad_receiver("BaseException", "with_traceback", None));
    };
    if recv.as_exception().is_none() {
        return Err(bad_receiver("BaseException", "with_traceback", Some(recv)));
    }
    let tb = args::exactly_one(rest, kw, "BaseException.with_traceback")?;
    crate::object::ops::setattr(ts, recv, "__traceback__", tb.clone())?;
    Ok(recv.clone())
}

fn add_note(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let Some((recv, rest)) = a.split_first() else {
        return Err(bad_receiver("BaseException", "add_note", None));
    };
    let Some(e) = recv.as_exception() else {
        return Err(bad_receiver("BaseException", "add_note", Some(recv)));
    };
    let note = args::exactly_one(rest, kw, "BaseException.add_note")?;
    if note.as_str().is_none() {
        return Err(err::type_error(format!(
            "note must be a str, not '{}'",
            note.py_type().name()
        )));
    }
    let notes = match e.attr("__notes__") {
        Some(n) if n.as_list().is_some() => n,
        Some(_) => return Err(err::type_error("Cannot add note: __notes__ is not a list")),
        None => {
            let n = Value::list(vec![]);
            e.set_attr("__notes__", n.clone());
            n
        }
    };
    if let Some(l) = notes.as_list() {
        l.lock().push(note.clone());
    }
    Ok(Value::NONE)
}
