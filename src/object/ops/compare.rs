//! Rich comparison: numbers across int/bool/float (exactly), strs by code point, tuples and lists
//! lexicographically, dicts and sets by contents, everything else by identity; ordering of
//! unorderable types is CPython's TypeError.
//!
//! Invariant: no container lock is held while comparing elements (elements are read one at a
//! time, or cloned out).

use super::super::dict::HashKey;
use super::super::exc::err;
use super::super::{Object, PyErr, PyResult, Value};
use super::{arith, containers, type_name};
use crate::code::CmpOp;
use crate::thread::ThreadState;
use std::cmp::Ordering;

/// `a op b` for rich comparisons (a bool value).
pub fn compare(ts: &mut ThreadState, op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
    rich_bool(ts, op, a, b).map(Value::bool)
}

/// `a == b` as a bool, with the identity shortcut containers use (`PyObject_RichCompareBool`:
/// `x == x` for any `x`, even a NaN).
pub fn eq(ts: &mut ThreadState, a: &Value, b: &Value) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    if a.is_small() && b.is_small() {
        return Ok(false);
    }
    rich_bool(ts, CmpOp::Eq, a, b)
}

/// `a < b` as a bool (what sorting, `min` and `max` use).
pub fn lt(ts: &mut ThreadState, a: &Value, b: &Value) -> PyResult<bool> {
    rich_bool(ts, CmpOp::Lt, a, b)
}

fn apply(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

/// The TypeError of an ordering between unorderable values.
pub fn not_supported(op: CmpOp, a: &Value, b: &Value) -> PyErr {
    err::type_error(format!(
        "'{}' not supported between instances of '{}' and '{}'",
        op.symbol(),
        type_name(a),
        type_name(b)
    ))
}

/// One unit of the C recursion budget for comparing containers (`PyObject_RichCompare`).
fn recursion_guard(ts: &ThreadState) -> PyResult<super::CDepth> {
    super::enter_recursive_call(ts, " in comparison")
}

/// `a op b` as a bool.
pub fn rich_bool(ts: &mut ThreadState, op: CmpOp, a: &Value, b: &Value) -> PyResult<bool> {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return Ok(apply(op, x.cmp(&y)));
    }
    if let Some(ord) = arith::num_compare(a, b) {
        return Ok(match ord {
            Some(o) => apply(op, o),
            None => op == CmpOp::Ne,
        });
    }
    let is_eq = matches!(op, CmpOp::Eq | CmpOp::Ne);
    // A FrameLocalsProxy compares equal as the mapping it shows (PEP 667).
    if is_eq {
        for (side, other, proxy_first) in [(a, b, true), (b, a, false)] {
            if side.py_type() == crate::object::TypeId::FrameLocalsProxy {
                let snapshot = crate::stdlib::builtins::call_type(
                    ts,
                    crate::object::TypeId::Dict,
                    std::slice::from_ref(side),
                    &[],
                )?;
                return if proxy_first {
                    rich_bool(ts, op, &snapshot, other)
                } else {
                    rich_bool(ts, op, other, &snapshot)
                };
            }
        }
    }
    match (a.obj(), b.obj()) {
        (Some(Object::Str(x)), Some(Object::Str(y))) => {
            if is_eq && x.hash() != y.hash() {
                return Ok(op == CmpOp::Ne);
            }
            return Ok(apply(op, x.as_str().cmp(y.as_str())));
        }
        (Some(Object::Tuple(x)), Some(Object::Tuple(y))) => {
            let _depth = recursion_guard(ts)?;
            return seq_compare(ts, op, Seq::Slice(x), Seq::Slice(y));
        }
        (Some(Object::List(_)), Some(Object::List(_))) => {
            let _depth = recursion_guard(ts)?;
            return seq_compare(ts, op, Seq::List(a), Seq::List(b));
        }
        (Some(Object::Dict(_)), Some(Object::Dict(_))) if is_eq => {
            let _depth = recursion_guard(ts)?;
            let e = dict_eq(ts, a, b)?;
            return Ok(e == (op == CmpOp::Eq));
        }
        (Some(Object::Set(_)), Some(Object::Set(_))) => return Ok(set_compare(op, a, b)),
        (Some(Object::Range(x)), Some(Object::Range(y))) if is_eq => {
            let (lx, ly) = (containers::range_len(x), containers::range_len(y));
            let same =
                lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step)));
            return Ok(same == (op == CmpOp::Eq));
        }
        (Some(Object::Slice(a1, a2, a3)), Some(Object::Slice(b1, b2, b3))) => {
            let x = [a1.clone(), a2.clone(), a3.clone()];
            let y = [b1.clone(), b2.clone(), b3.clone()];
            return seq_compare(ts, op, Seq::Slice(&x), Seq::Slice(&y));
        }
        (Some(Object::Native(n)), _) | (_, Some(Object::Native(n))) if is_eq => {
            if let Some(r) = super::views::view_eq(ts, a, b, &**n) {
                let e = r?;
                return Ok(e == (op == CmpOp::Eq));
            }
        }
        _ => {}
    }
    match op {
        CmpOp::Eq => Ok(a.is(b)),
        CmpOp::Ne => Ok(!a.is(b)),
        _ => Err(not_supported(op, a, b)),
    }
}

enum Seq<'a> {
    Slice(&'a [Value]),
    List(&'a Value),
}

impl Seq<'_> {
    fn len(&self) -> usize {
        match self {
            Seq::Slice(s) => s.len(),
            Seq::List(l) => l.as_list().map_or(0, |l| l.lock().len()),
        }
    }

    fn get(&self, i: usize) -> Option<Value> {
        match self {
            Seq::Slice(s) => s.get(i).cloned(),
            Seq::List(l) => l.as_list().and_then(|l| l.lock().get(i).cloned()),
        }
    }
}

fn seq_compare(ts: &mut ThreadState, op: CmpOp, a: Seq, b: Seq) -> PyResult<bool> {
    if matches!(op, CmpOp::Eq | CmpOp::Ne) && a.len() != b.len() {
        return Ok(op == CmpOp::Ne);
    }
    let mut i = 0;
    loop {
        let (Some(x), Some(y)) = (a.get(i), b.get(i)) else {
            break;
        };
        if !eq(ts, &x, &y)? {
            return match op {
                CmpOp::Eq => Ok(false),
                CmpOp::Ne => Ok(true),
                _ => rich_bool(ts, op, &x, &y),
            };
        }
        i += 1;
    }
    Ok(apply(op, a.len().cmp(&b.len())))
}

/// `a == b` for two dicts (values compared with `==`).
pub fn dict_eq(ts: &mut ThreadState, a: &Value, b: &Value) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    let (Some(da), Some(db)) = (a.as_dict(), b.as_dict()) else {
        return Ok(false);
    };
    let items: Vec<(HashKey, Value)> = {
        let g = da.read();
        if g.len() != db.read().len() {
            return Ok(false);
        }
        g.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    for (k, v) in items {
        let other = db.read().get(&k).cloned();
        match other {
            None => return Ok(false),
            Some(w) => {
                if !eq(ts, &v, &w)? {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

fn set_compare(op: CmpOp, a: &Value, b: &Value) -> bool {
    let (Some(oa @ Object::Set(sa)), Some(ob @ Object::Set(sb))) = (a.obj(), b.obj()) else {
        return false;
    };
    let ka: Vec<HashKey> = sa.lock().hash_keys().cloned().collect();
    let kb: Vec<HashKey> = sb.lock().hash_keys().cloned().collect();
    let subset = |x: &[HashKey], y: &Object| -> bool {
        let Object::Set(t) = y else { return false };
        let g = t.lock();
        x.iter().all(|k| g.contains(k))
    };
    let (la, lb) = (ka.len(), kb.len());
    match op {
        CmpOp::Eq => la == lb && subset(&ka, ob),
        CmpOp::Ne => !(la == lb && subset(&ka, ob)),
        CmpOp::Le => la <= lb && subset(&ka, ob),
        CmpOp::Lt => la < lb && subset(&ka, ob),
        CmpOp::Ge => lb <= la && subset(&kb, oa),
        CmpOp::Gt => lb < la && subset(&kb, oa),
    }
}
