//! Methods of `set` (CPython's algorithms, so results iterate in its order).

use super::super::builtins::args;
use super::bad_receiver;
use crate::code::BinOp;
use crate::object::dict::{HashKey, SetTable};
use crate::object::ops::containers::{key_error, set_algebra, set_update, set_value};
use crate::object::ops::iter::collect;
use crate::object::{ExcKind, KwArgs, NativeFn, Object, PyErr, PyResult, Value};
use crate::thread::ThreadState;
use parking_lot::Mutex;

/// `set` methods.
pub const METHODS: &[(&str, NativeFn)] = &[
    ("add", add),
    ("remove", remove),
    ("discard", discard),
    ("pop", pop),
    ("update", update),
    ("union", union),
    ("intersection", intersection),
    ("difference", difference),
    ("symmetric_difference", symmetric_difference),
    ("issubset", issubset),
    ("issuperset", issuperset),
    ("isdisjoint", isdisjoint),
    ("copy", copy),
    ("clear", clear),
    ("intersection_update", intersection_update),
    ("difference_update", difference_update),
    ("symmetric_difference_update", symmetric_difference_update),
];

fn this<'a>(a: &'a [Value], name: &str) -> PyResult<(&'a Value, &'a Mutex<SetTable>, &'a [Value])> {
    match a.split_first() {
        Some((recv, rest)) => match recv.obj() {
            Some(Object::Set(s)) => Ok((recv, s, rest)),
            _ => Err(bad_receiver("set", name, Some(recv))),
        },
        None => Err(bad_receiver("set", name, None)),
    }
}

/// The keys of any iterable as a table (a set's own table when it is one).
fn table_of(ts: &mut ThreadState, v: &Value) -> PyResult<SetTable> {
    if let Some(Object::Set(s)) = v.obj() {
        return Ok(s.lock().clone());
    }
    let mut t = SetTable::new();
    set_update(ts, &mut t, v)?;
    Ok(t)
}

fn add(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "add")?;
    let x = args::exactly_one(rest, kw, "set.add")?;
    let hk = HashKey::new(x.clone())?;
    s.lock().add(hk);
    Ok(Value::NONE)
}

fn remove(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "remove")?;
    let x = args::exactly_one(rest, kw, "set.remove")?;
    let hk = HashKey::new(x.clone())?;
    if s.lock().remove(&hk) {
        Ok(Value::NONE)
    } else {
        Err(key_error(x))
    }
}

fn discard(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "discard")?;
    let x = args::exactly_one(rest, kw, "set.discard")?;
    let hk = HashKey::new(x.clone())?;
    s.lock().remove(&hk);
    Ok(Value::NONE)
}

fn pop(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "pop")?;
    args::no_args(rest, kw, "set.pop")?;
    let v = s.lock().pop();
    v.ok_or_else(|| PyErr::new(ExcKind::KeyError, "pop from an empty set"))
}

fn update(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "update")?;
    args::no_kw(kw, "set.update")?;
    for other in rest {
        if other.is(recv) {
            continue;
        }
        add_all(ts, s, other)?;
    }
    Ok(Value::NONE)
}

/// `set_update_internal`: merges a set's table, else adds the items one by one in iteration
/// order (which is what fixes the resulting order).
fn add_all(ts: &mut ThreadState, s: &Mutex<SetTable>, other: &Value) -> PyResult<()> {
    match other.obj() {
        Some(Object::Set(o)) => {
            let t = o.lock().clone();
            s.lock().merge(&t);
        }
        Some(Object::Dict(d)) => {
            let keys: Vec<HashKey> = d.read().keys().cloned().collect();
            let mut g = s.lock();
            g.presize_for(keys.len());
            for k in keys {
                g.add(k);
            }
        }
        _ => {
            for item in collect(ts, other)? {
                let hk = HashKey::new(item)?;
                s.lock().add(hk);
            }
        }
    }
    Ok(())
}

fn union(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "union")?;
    args::no_kw(kw, "set.union")?;
    let r = Mutex::new(s.lock().copy());
    for other in rest {
        add_all(ts, &r, other)?;
    }
    Ok(set_value(r.into_inner()))
}

fn intersection(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "intersection")?;
    args::no_kw(kw, "set.intersection")?;
    let mut r = s.lock().copy();
    for other in rest {
        r = intersect(ts, &r, other, other.is(recv))?;
    }
    Ok(set_value(r))
}

/// `set_intersection` against any iterable: sets by CPython's smaller-side walk, others in
/// iteration order.
fn intersect(ts: &mut ThreadState, x: &SetTable, other: &Value, same: bool) -> PyResult<SetTable> {
    if let Some(Object::Set(o)) = other.obj() {
        let y = o.lock().clone();
        return Ok(set_algebra(BinOp::And, x, &y, same));
    }
    let mut r = SetTable::new();
    for item in collect(ts, other)? {
        let hk = HashKey::new(item)?;
        if x.contains(&hk) {
            r.add(hk);
        }
    }
    Ok(r)
}

fn difference(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "difference")?;
    args::no_kw(kw, "set.difference")?;
    let x = s.lock().clone();
    let Some((first, more)) = rest.split_first() else {
        return Ok(set_value(x.copy()));
    };
    // `set_difference` with the first argument, then in-place removal for the others.
    let mut r = match first.obj() {
        Some(Object::Set(o)) => {
            let y = o.lock().clone();
            set_algebra(BinOp::Sub, &x, &y, first.is(recv))
        }
        Some(Object::Dict(d)) => {
            let y: Vec<HashKey> = d.read().keys().cloned().collect();
            let mut yt = SetTable::new();
            for k in y {
                yt.add(k);
            }
            set_algebra(BinOp::Sub, &x, &yt, false)
        }
        _ => {
            let mut r = x.copy();
            for item in collect(ts, first)? {
                r.remove(&HashKey::new(item)?);
            }
            r
        }
    };
    for other in more {
        let items = match other.obj() {
            Some(Object::Set(o)) => o.lock().keys(),
            _ => collect(ts, other)?,
        };
        for item in items {
            r.remove(&HashKey::new(item)?);
        }
    }
    Ok(set_value(r))
}

fn symmetric_difference(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "symmetric_difference")?;
    let other = args::exactly_one(rest, kw, "set.symmetric_difference")?;
    // A new set from `other` (a copy of a set, else built item by item), updated with self.
    let mut r = match other.obj() {
        Some(Object::Set(o)) => o.lock().copy(),
        _ => table_of(ts, other)?,
    };
    let x = s.lock().clone();
    if other.is(recv) {
        r.clear();
        return Ok(set_value(r));
    }
    for k in x.hash_keys() {
        if !r.remove(k) {
            r.add(k.clone());
        }
    }
    Ok(set_value(r))
}

fn issubset(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "issubset")?;
    let other = args::exactly_one(rest, kw, "set.issubset")?;
    let y = table_of(ts, other)?;
    let x = s.lock().clone();
    let r = x.hash_keys().all(|k| y.contains(k));
    Ok(Value::bool(r))
}

fn issuperset(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "issuperset")?;
    let other = args::exactly_one(rest, kw, "set.issuperset")?;
    let y = table_of(ts, other)?;
    let x = s.lock().clone();
    let r = y.hash_keys().all(|k| x.contains(k));
    Ok(Value::bool(r))
}

fn isdisjoint(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "isdisjoint")?;
    let other = args::exactly_one(rest, kw, "set.isdisjoint")?;
    let y = table_of(ts, other)?;
    let x = s.lock().clone();
    let r = !x.hash_keys().any(|k| y.contains(k));
    Ok(Value::bool(r))
}

fn copy(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "copy")?;
    args::no_args(rest, kw, "set.copy")?;
    let c = s.lock().copy();
    Ok(set_value(c))
}

fn clear(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, s, rest) = this(a, "clear")?;
    args::no_args(rest, kw, "set.clear")?;
    let old = std::mem::take(&mut *s.lock());
    drop(old);
    Ok(Value::NONE)
}

fn intersection_update(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "intersection_update")?;
    args::no_kw(kw, "set.intersection_update")?;
    let mut r = s.lock().clone();
    for other in rest {
        r = intersect(ts, &r, other, other.is(recv))?;
    }
    *s.lock() = r;
    Ok(Value::NONE)
}

fn difference_update(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "difference_update")?;
    args::no_kw(kw, "set.difference_update")?;
    for other in rest {
        if other.is(recv) {
            s.lock().clear();
            continue;
        }
        let items = match other.obj() {
            Some(Object::Set(o)) => o.lock().keys(),
            _ => collect(ts, other)?,
        };
        let keys: Vec<HashKey> = items
            .into_iter()
            .map(HashKey::new)
            .collect::<PyResult<_>>()?;
        let mut g = s.lock();
        for k in &keys {
            g.remove(k);
        }
    }
    Ok(Value::NONE)
}

fn symmetric_difference_update(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (recv, s, rest) = this(a, "symmetric_difference_update")?;
    let other = args::exactly_one(rest, kw, "set.symmetric_difference_update")?;
    if other.is(recv) {
        s.lock().clear();
        return Ok(Value::NONE);
    }
    let y = table_of(ts, other)?;
    let mut g = s.lock();
    for k in y.hash_keys() {
        if !g.remove(k) {
            g.add(k.clone());
        }
    }
    Ok(Value::NONE)
}
