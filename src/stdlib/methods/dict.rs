//! Methods of `dict`.

use super::super::builtins::args;
use super::bad_receiver;
use crate::object::dict::HashKey;
use crate::object::ops::containers::{dict_update, dict_value, key_error};
use crate::object::ops::views::{DictView, ViewKind};
use crate::object::DictLock;
use crate::object::{ExcKind, KwArgs, NativeFn, PyErr, PyResult, Value};
use crate::thread::ThreadState;

/// `dict` methods.
pub const METHODS: &[(&str, NativeFn)] = &[
    ("get", get),
    ("keys", keys),
    ("values", values),
    ("items", items),
    ("pop", pop),
    ("popitem", popitem),
    ("setdefault", setdefault),
    ("update", update),
    ("copy", copy),
    ("clear", clear),
];

fn this<'a>(a: &'a [Value], name: &str) -> PyResult<(&'a Value, &'a DictLock, &'a [Value])> {
    match a.split_first() {
        Some((recv, rest)) => match recv.as_dict() {
            Some(d) => Ok((recv, d, rest)),
            None => Err(bad_receiver("dict", name, Some(recv))),
        },
        None => Err(bad_receiver("dict", name, None)),
    }
}

fn get(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, d, rest) = this(a, "get")?;
    args::expect(rest, kw, "dict.get", "get", 1, 2)?;
    let hk = crate::object::KeyRef::new(&rest[0])?;
    let found = d.read().get(&hk).cloned();
    Ok(found.unwrap_or_else(|| rest.get(1).cloned().unwrap_or(Value::NONE)))
}

fn view(a: &[Value], kw: KwArgs, name: &str, kind: ViewKind) -> PyResult<Value> {
    let (recv, _, rest) = this(a, name)?;
    args::no_args(rest, kw, &format!("dict.{name}"))?;
    Ok(DictView::new_value(recv.clone(), kind))
}

fn keys(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    view(a, kw, "keys", ViewKind::Keys)
}

fn values(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    view(a, kw, "values", ViewKind::Values)
}

fn items(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    view(a, kw, "items", ViewKind::Items)
}

fn pop(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, d, rest) = this(a, "pop")?;
    args::expect(rest, kw, "dict.pop", "pop", 1, 2)?;
    let hk = HashKey::new(rest[0].clone())?;
    let removed = d.lock().shift_remove(&hk);
    match removed {
        Some(v) => Ok(v),
        None => rest.get(1).cloned().ok_or_else(|| key_error(&rest[0])),
    }
}

fn popitem(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, d, rest) = this(a, "popitem")?;
    args::no_args(rest, kw, "dict.popitem")?;
    let last = d.lock().pop();
    match last {
        Some((k, v)) => Ok(Value::tuple(vec![k.key, v])),
        None => Err(PyErr::new(
            ExcKind::KeyError,
            "popitem(): dictionary is empty",
        )),
    }
}

fn setdefault(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, d, rest) = this(a, "setdefault")?;
    args::expect(rest, kw, "dict.setdefault", "setdefault", 1, 2)?;
    let hk = HashKey::new(rest[0].clone())?;
    let default = rest.get(1).cloned().unwrap_or(Value::NONE);
    let mut g = d.lock();
    Ok(g.entry(hk).or_insert(default).clone())
}

fn update(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, _, rest) = this(a, "update")?;
    args::check_count("update", rest.len(), 0, 1)?;
    if let Some(other) = rest.first() {
        dict_update(ts, recv, other)?;
    }
    for (k, v) in kw {
        crate::object::ops::setitem(ts, recv, k, v.clone())?;
    }
    Ok(Value::NONE)
}

fn copy(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, d, rest) = this(a, "copy")?;
    args::no_args(rest, kw, "dict.copy")?;
    let c = d.read().clone();
    Ok(dict_value(c))
}

fn clear(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, d, rest) = this(a, "clear")?;
    args::no_args(rest, kw, "dict.clear")?;
    let old = std::mem::take(&mut *d.lock());
    drop(old);
    Ok(Value::NONE)
}
