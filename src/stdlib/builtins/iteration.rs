//! The builtins that consume or build iterators: `any`, `all`, `sum` (CPython's exact-int and
//! compensated-float fast paths), `min`, `max`, `sorted`, `reversed`, `enumerate`, `zip`, `map`,
//! `filter`, `iter`, `next`.
//!
//! Invariant: no lock is held while an iterator advances or a key function runs.

use super::{args, int_arg};
use crate::code::{BinOp, CmpOp};
use crate::object::exc::err;
use crate::object::iters::RangeIter;
use crate::object::ops::arith::{as_float, as_int, float_value, Int};
use crate::object::ops::iter::{get_iter, iter_next, new_iter, IterState};
use crate::object::ops::views::{DictView, ViewKind};
use crate::object::ops::{self, compare, containers, type_name};
use crate::object::{ExcKind, KwArgs, Object, PyErr, PyResult, Value};
use crate::thread::ThreadState;

pub(super) fn b_any(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "any")?;
    let it = get_iter(ts, v)?;
    while let Some(x) = iter_next(ts, &it)? {
        if ops::truthy(ts, &x)? {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

pub(super) fn b_all(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "all")?;
    let it = get_iter(ts, v)?;
    while let Some(x) = iter_next(ts, &it)? {
        if !ops::truthy(ts, &x)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

pub(super) fn b_sum(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    if a.is_empty() && kw.is_empty() {
        return Err(err::type_error(
            "sum() takes at least 1 positional argument (0 given)",
        ));
    }
    let p = args::parse(a, kw, "sum", &["iterable", "start"], 2, 0)?;
    let Some(iterable) = &p[0] else {
        return Err(err::type_error(
            "sum() takes at least 1 positional argument (0 given)",
        ));
    };
    let mut acc = p[1].clone().unwrap_or(Value::int(0));
    if acc.as_str().is_some() {
        return Err(err::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    let it = get_iter(ts, iterable)?;
    // CPython's phases: exact C-long ints, then floats with Neumaier compensation, then generic
    // `+`. Each phase hands the first item it cannot take to the next one.
    let mut pending: Option<Value> = None;
    if let (Some(mut total), None) = (acc.as_small(), acc.as_bool()) {
        loop {
            let Some(x) = iter_next(ts, &it)? else {
                return Ok(Value::int(total));
            };
            let add = match as_int(&x) {
                Some(Int::Small(b)) => total.checked_add(b),
                _ => None,
            };
            match add {
                Some(t) => total = t,
                None => {
                    acc = ops::binary_op(ts, BinOp::Add, &Value::int(total), &x)?;
                    break;
                }
            }
        }
    }
    if let Some(mut f) = as_float(&acc) {
        let mut c = 0.0f64;
        loop {
            let Some(x) = iter_next(ts, &it)? else {
                if c != 0.0 && c.is_finite() {
                    f += c;
                }
                return Ok(float_value(f));
            };
            if let Some(v) = as_float(&x) {
                let t = f + v;
                if f.abs() >= v.abs() {
                    c += (f - t) + v;
                } else {
                    c += (v - t) + f;
                }
                f = t;
                continue;
            }
            if let Some(Int::Small(i)) = as_int(&x) {
                f += i as f64;
                continue;
            }
            if c != 0.0 && c.is_finite() {
                f += c;
            }
            acc = float_value(f);
            pending = Some(x);
            break;
        }
    }
    if let Some(x) = pending {
        acc = ops::binary_op(ts, BinOp::Add, &acc, &x)?;
    }
    while let Some(x) = iter_next(ts, &it)? {
        acc = ops::binary_op(ts, BinOp::Add, &acc, &x)?;
    }
    Ok(acc)
}

fn min_max(
    ts: &mut ThreadState,
    a: &[Value],
    kw: KwArgs,
    name: &str,
    op: CmpOp,
) -> PyResult<Value> {
    let (mut key, mut default) = (None, None);
    for (k, v) in kw {
        match k.as_str().unwrap_or("") {
            "key" => key = Some(v.clone()).filter(|v| !v.is_none()),
            "default" => default = Some(v.clone()),
            other => {
                return Err(err::type_error(format!(
                    "{name}() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    if a.is_empty() {
        return Err(err::type_error(format!(
            "{name} expected at least 1 argument, got 0"
        )));
    }
    if a.len() > 1 && default.is_some() {
        return Err(err::type_error(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        )));
    }
    let items: Vec<Value> = if a.len() == 1 {
        let it = get_iter(ts, &a[0])?;
        let mut v = Vec::new();
        while let Some(x) = iter_next(ts, &it)? {
            v.push(x);
        }
        v
    } else {
        a.to_vec()
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => crate::interp::call(ts, f, std::slice::from_ref(&item), &[])?,
            None => item.clone(),
        };
        best = match best {
            None => Some((k, item)),
            Some((bk, bv)) => {
                if compare::rich_bool(ts, op, &k, &bk)? {
                    Some((k, item))
                } else {
                    Some((bk, bv))
                }
            }
        };
    }
    match best {
        Some((_, v)) => Ok(v),
        None => {
            default.ok_or_else(|| err::value_error(format!("{name}() iterable argument is empty")))
        }
    }
}

pub(super) fn b_min(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    min_max(ts, a, kw, "min", CmpOp::Lt)
}

pub(super) fn b_max(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    min_max(ts, a, kw, "max", CmpOp::Gt)
}

pub(super) fn b_sorted(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::check_count("sorted", a.len(), 1, 1)?;
    let mut items = ops::iter::collect(ts, &a[0])?;
    let p = args::parse(&[], kw, "sort", &["key", "reverse"], 0, 0)?;
    let reverse = match &p[1] {
        Some(r) => ops::truthy(ts, r)?,
        None => false,
    };
    let key = p[0].clone().filter(|k| !k.is_none());
    ops::sort::sort_values(ts, &mut items, key.as_ref(), reverse)?;
    Ok(Value::list(items))
}

pub(super) fn b_reversed(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "reversed", "reversed", 1, 1)?;
    let v = &a[0];
    let state = match v.obj() {
        Some(Object::List(l)) => IterState::Reversed {
            seq: v.clone(),
            index: l.lock().len(),
        },
        Some(Object::Tuple(t)) => IterState::Reversed {
            seq: v.clone(),
            index: t.len(),
        },
        Some(Object::Str(s)) => {
            let mut items: Vec<Value> = s.as_str().chars().map(containers::char_value).collect();
            items.reverse();
            IterState::Items {
                items,
                index: 0,
                name: "reversed",
            }
        }
        Some(Object::Range(r)) => {
            let n = containers::range_len(r);
            let last = r.start as i128 + (n as i128 - 1) * r.step as i128;
            let it = RangeIter::new(last as i64, r.step.wrapping_neg(), n);
            return Ok(Value::from_object(Object::RangeIter(it)));
        }
        Some(Object::Dict(d)) => IterState::Dict {
            dict: v.clone(),
            pos: 0,
            len: d.read().len(),
            kind: ViewKind::Keys,
            reverse: true,
        },
        Some(Object::Native(n)) => match n.downcast_ref::<DictView>() {
            Some(view) => IterState::Dict {
                dict: view.dict.clone(),
                pos: 0,
                len: view.dict.as_dict().map_or(0, |d| d.read().len()),
                kind: view.kind,
                reverse: true,
            },
            None => return Err(not_reversible(v)),
        },
        _ => return Err(not_reversible(v)),
    };
    let _ = ts;
    Ok(new_iter(state))
}

fn not_reversible(v: &Value) -> PyErr {
    err::type_error(format!("'{}' object is not reversible", type_name(v)))
}

pub(super) fn b_enumerate(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    for (k, _) in kw {
        let n = k.as_str().unwrap_or("");
        if n != "iterable" && n != "start" {
            return Err(err::type_error(format!(
                "'{n}' is an invalid keyword argument for enumerate()"
            )));
        }
    }
    let p = args::parse(a, kw, "enumerate", &["iterable", "start"], 2, 0)?;
    let Some(iterable) = &p[0] else {
        return Err(err::type_error(
            "enumerate() missing required argument 'iterable'",
        ));
    };
    let count = match &p[1] {
        Some(s) => {
            let i = int_arg(s)?;
            match i {
                Int::Small(x) => Value::int(x),
                Int::Big(_) => s.clone(),
            }
        }
        None => Value::int(0),
    };
    let it = get_iter(ts, iterable)?;
    Ok(new_iter(IterState::Enumerate { it, count }))
}

pub(super) fn b_zip(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let mut strict = false;
    for (k, v) in kw {
        match k.as_str().unwrap_or("") {
            "strict" => strict = ops::truthy(ts, v)?,
            other => {
                return Err(err::type_error(format!(
                    "zip() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    let mut its = Vec::with_capacity(a.len());
    for v in a {
        its.push(get_iter(ts, v)?);
    }
    if strict {
        return zip_strict(ts, its);
    }
    Ok(new_iter(IterState::Zip { its }))
}

/// `zip(..., strict=True)`: checked eagerly (the iterables are consumed now; results as a
/// snapshot iterator).
fn zip_strict(ts: &mut ThreadState, its: Vec<Value>) -> PyResult<Value> {
    let mut rows = Vec::new();
    if !its.is_empty() {
        'outer: loop {
            let mut row = Vec::with_capacity(its.len());
            for (i, it) in its.iter().enumerate() {
                match iter_next(ts, it)? {
                    Some(v) => row.push(v),
                    None => {
                        if i > 0 {
                            let s = if i == 1 { " " } else { "s 1-" };
                            return Err(err::value_error(format!(
                                "zip() argument {} is shorter than argument{s}{i}",
                                i + 1
                            )));
                        }
                        for (j, other) in its.iter().enumerate().skip(1) {
                            if iter_next(ts, other)?.is_some() {
                                let s = if j == 1 { " " } else { "s 1-" };
                                return Err(err::value_error(format!(
                                    "zip() argument {} is longer than argument{s}{j}",
                                    j + 1
                                )));
                            }
                        }
                        break 'outer;
                    }
                }
            }
            rows.push(Value::tuple(row));
        }
    }
    Ok(new_iter(IterState::Items {
        items: rows,
        index: 0,
        name: "zip",
    }))
}

pub(super) fn b_map(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_kw(kw, "map")?;
    if a.len() < 2 {
        return Err(err::type_error("map() must have at least two arguments."));
    }
    let mut its = Vec::with_capacity(a.len() - 1);
    for v in &a[1..] {
        its.push(get_iter(ts, v)?);
    }
    Ok(new_iter(IterState::Map {
        func: a[0].clone(),
        its,
    }))
}

pub(super) fn b_filter(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "filter", "filter", 2, 2)?;
    let it = get_iter(ts, &a[1])?;
    Ok(new_iter(IterState::Filter {
        func: a[0].clone(),
        it,
    }))
}

pub(super) fn b_iter(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "iter", "iter", 1, 2)?;
    if a.len() == 2 {
        return Err(PyErr::new(
            ExcKind::NotImplementedError,
            "iter(callable, sentinel) is not supported",
        ));
    }
    get_iter(ts, &a[0])
}

pub(super) fn b_next(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "next", "next", 1, 2)?;
    let next = match a[0].downcast::<crate::interp::gen::Generator>() {
        // A generator's return value rides on the StopIteration.
        Some(g) if g.kind() == crate::interp::gen::GenKind::Generator => {
            match crate::interp::gen::next_or_stop(ts, g) {
                Err(e) if a.len() == 2 && e.matches(ExcKind::StopIteration) => None,
                r => Some(r?),
            }
        }
        // A StopIteration raised inside the iterator goes on as it is (value and traceback),
        // unless there is a default.
        _ => match crate::object::ops::iter_next_raw(ts, &a[0]) {
            Err(e) if a.len() == 2 && e.matches(ExcKind::StopIteration) => None,
            r => r?,
        },
    };
    match next {
        Some(v) => Ok(v),
        None => match a.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(PyErr::with_args(ExcKind::StopIteration, vec![])),
        },
    }
}
