//! Methods of `list` and `tuple`.
//!
//! Invariant: the list's lock is never held while comparing elements or calling Python code;
//! searches read one item at a time.

use super::super::builtins::args;
use super::bad_receiver;
use crate::object::exc::err;
use crate::object::lock::SpinMutex;
use crate::object::ops::{self, index_i64};
use crate::object::{alloc, KwArgs, NativeFn, PyResult, Value};
use crate::thread::ThreadState;

/// `list` methods.
pub const LIST_METHODS: &[(&str, NativeFn)] = &[
    ("append", append),
    ("extend", extend),
    ("insert", insert),
    ("pop", pop),
    ("remove", remove),
    ("index", list_index),
    ("count", list_count),
    ("sort", sort),
    ("reverse", reverse),
    ("copy", copy),
    ("clear", clear),
];

/// `tuple` methods.
pub const TUPLE_METHODS: &[(&str, NativeFn)] = &[("index", tuple_index), ("count", tuple_count)];

/// A list method's receiver, its list, and the remaining arguments.
type ListArgs<'a> = (&'a Value, &'a SpinMutex<Vec<Value>>, &'a [Value]);

fn this_list<'a>(a: &'a [Value], name: &str) -> PyResult<ListArgs<'a>> {
    match a.split_first() {
        Some((recv, rest)) => match recv.as_list() {
            Some(l) => Ok((recv, l, rest)),
            None => Err(bad_receiver("list", name, Some(recv))),
        },
        None => Err(bad_receiver("list", name, None)),
    }
}

fn this_tuple<'a>(a: &'a [Value], name: &str) -> PyResult<(&'a [Value], &'a [Value])> {
    match a.split_first() {
        Some((recv, rest)) => match recv.as_tuple() {
            Some(t) => Ok((t, rest)),
            None => Err(bad_receiver("tuple", name, Some(recv))),
        },
        None => Err(bad_receiver("tuple", name, None)),
    }
}

fn append(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "append")?;
    let x = args::exactly_one(rest, kw, "list.append")?;
    alloc::push(&mut l.lock(), x.clone())?;
    Ok(Value::NONE)
}

fn extend(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "extend")?;
    let x = args::exactly_one(rest, kw, "list.extend")?;
    let items = ops::iter::collect(ts, x)?;
    alloc::extend(&mut l.lock(), items)?;
    Ok(Value::NONE)
}

fn insert(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "insert")?;
    args::expect(rest, kw, "list.insert", "insert", 2, 2)?;
    let i = index_i64(&rest[0])?;
    let mut g = l.lock();
    let n = g.len() as i64;
    let pos = if i < 0 { (i + n).max(0) } else { i.min(n) };
    alloc::reserve(&mut g, 1)?;
    g.insert(pos as usize, rest[1].clone());
    Ok(Value::NONE)
}

fn pop(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "pop")?;
    args::expect(rest, kw, "list.pop", "pop", 0, 1)?;
    let i = match rest.first() {
        Some(v) => index_i64(v)?,
        None => -1,
    };
    let mut g = l.lock();
    if g.is_empty() {
        return Err(err::index_error("pop from empty list"));
    }
    let n = g.len() as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(err::index_error("pop index out of range"));
    }
    Ok(g.remove(j as usize))
}

/// Finds `x` in the list from `start` (exclusive `stop`), comparing with `==` outside the lock.
fn find_in_list(
    ts: &mut ThreadState,
    l: &SpinMutex<Vec<Value>>,
    x: &Value,
    start: usize,
    stop: usize,
) -> PyResult<Option<usize>> {
    let mut i = start;
    while i < stop {
        let Some(item) = l.lock().get(i).cloned() else {
            break;
        };
        if ops::eq(ts, &item, x)? {
            return Ok(Some(i));
        }
        i += 1;
    }
    Ok(None)
}

fn remove(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "remove")?;
    let x = args::exactly_one(rest, kw, "list.remove")?;
    match find_in_list(ts, l, x, 0, usize::MAX)? {
        Some(i) => {
            let old = {
                let mut g = l.lock();
                (i < g.len()).then(|| g.remove(i))
            };
            drop(old);
            Ok(Value::NONE)
        }
        None => Err(err::value_error("list.remove(x): x not in list")),
    }
}

/// The `start`/`stop` of `index(x, start, stop)` as clamped positions in `0..=len`.
fn index_bounds(rest: &[Value], len: usize) -> PyResult<(usize, usize)> {
    let bound = |v: Option<&Value>, default: usize| -> PyResult<usize> {
        let Some(v) = v else {
            return Ok(default);
        };
        let i = match ops::arith::as_int(v) {
            Some(ops::arith::Int::Small(i)) => i,
            Some(ops::arith::Int::Big(b)) => {
                if b.sign() == num_bigint::Sign::Minus {
                    i64::MIN
                } else {
                    i64::MAX
                }
            }
            None => {
                return Err(err::type_error(
                    "slice indices must be integers or have an __index__ method",
                ))
            }
        };
        let n = len as i64;
        let j = if i < 0 {
            (i.saturating_add(n)).max(0)
        } else {
            i.min(n)
        };
        Ok(j as usize)
    };
    Ok((bound(rest.get(1), 0)?, bound(rest.get(2), len)?))
}

fn list_index(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "index")?;
    args::expect(rest, kw, "list.index", "index", 1, 3)?;
    let len = l.lock().len();
    let (start, stop) = index_bounds(rest, len)?;
    match find_in_list(ts, l, &rest[0], start, stop)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(err::value_error(format!(
            "{} is not in list",
            ops::repr(ts, &rest[0])?
        ))),
    }
}

fn list_count(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "count")?;
    let x = args::exactly_one(rest, kw, "list.count")?;
    let mut n = 0;
    let mut i = 0;
    loop {
        let Some(item) = l.lock().get(i).cloned() else {
            break;
        };
        if ops::eq(ts, &item, x)? {
            n += 1;
        }
        i += 1;
    }
    Ok(Value::int(n))
}

fn sort(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "sort")?;
    let p = args::parse(rest, kw, "sort", &["key", "reverse"], 0, 0)?;
    let key = p[0].clone().filter(|k| !k.is_none());
    let reverse = match &p[1] {
        Some(r) => ops::truthy(ts, r)?,
        None => false,
    };
    // As CPython, the list is empty while it is sorted; changes made meanwhile are an error.
    let mut items = std::mem::take(&mut *l.lock());
    let r = ops::sort::sort_values(ts, &mut items, key.as_ref(), reverse);
    let modified = {
        let mut g = l.lock();
        let modified = !g.is_empty();
        let junk = std::mem::replace(&mut *g, items);
        drop(g);
        drop(junk);
        modified
    };
    r?;
    if modified {
        return Err(err::value_error("list modified during sort"));
    }
    Ok(Value::NONE)
}

fn reverse(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "reverse")?;
    args::no_args(rest, kw, "list.reverse")?;
    l.lock().reverse();
    Ok(Value::NONE)
}

fn copy(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "copy")?;
    args::no_args(rest, kw, "list.copy")?;
    let items = l.lock().clone();
    Ok(Value::list(items))
}

fn clear(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (_, l, rest) = this_list(a, "clear")?;
    args::no_args(rest, kw, "list.clear")?;
    let old = std::mem::take(&mut *l.lock());
    drop(old);
    Ok(Value::NONE)
}

fn tuple_index(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (t, rest) = this_tuple(a, "index")?;
    args::expect(rest, kw, "tuple.index", "index", 1, 3)?;
    let (start, stop) = index_bounds(rest, t.len())?;
    for (i, item) in t.iter().enumerate().take(stop).skip(start) {
        if ops::eq(ts, item, &rest[0])? {
            return Ok(Value::int(i as i64));
        }
    }
    Err(err::value_error("tuple.index(x): x not in tuple"))
}

fn tuple_count(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (t, rest) = this_tuple(a, "count")?;
    let x = args::exactly_one(rest, kw, "tuple.count")?;
    let mut n = 0;
    for item in t {
        if ops::eq(ts, item, x)? {
            n += 1;
        }
    }
    Ok(Value::int(n))
}
