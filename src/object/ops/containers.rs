//! Containers: subscription (`[]` get/set/del, with CPython's slice semantics), `len`, `in`,
//! concatenation and repetition, set algebra (CPython's algorithms, so results iterate in its
//! order) and dict updates.
//!
//! Invariants: no container lock is held while comparing elements or running Python code (list
//! items are read one at a time; dict and set keys never run code when hashed or compared).

use super::super::dict::{Dict, HashKey, KeyRef};
use super::super::exc::err;
use super::super::{alloc, ExcKind, Object, PyErr, PyResult, Range, Value};
use super::arith::{as_int, Int};
pub use super::sets::{set_algebra, set_binop, set_inplace, set_update, set_value};
use super::{iter, repeat_count, type_name};
use crate::thread::ThreadState;

/// Number of values in a range.
pub fn range_len(r: &Range) -> u64 {
    // The distance between two i64s fits in a u64, so no 128-bit division (a library call
    // that cost every `for` over a range 60 instructions); a unit step divides by nothing.
    let (span, step) = if r.step > 0 && r.start < r.stop {
        (r.stop.abs_diff(r.start) - 1, r.step.unsigned_abs())
    } else if r.step < 0 && r.start > r.stop {
        (r.start.abs_diff(r.stop) - 1, r.step.unsigned_abs())
    } else {
        return 0;
    };
    if step == 1 {
        return span + 1;
    }
    span / step + 1
}

/// A one-character str.
pub fn char_value(c: char) -> Value {
    let mut buf = [0u8; 4];
    Value::str(c.encode_utf8(&mut buf))
}

/// A new dict value.
pub fn dict_value(d: Dict) -> Value {
    Value::from_object(Object::Dict(crate::object::DictLock::new(d)))
}

/// A KeyError carrying `key` as its single argument.
pub fn key_error(key: &Value) -> PyErr {
    PyErr::with_args(ExcKind::KeyError, vec![key.clone()])
}

/// A sequence index: ints and bools; `None` when `v` is not an int (the caller words the error);
/// ints beyond the index range raise IndexError like CPython.
fn seq_index(v: &Value) -> Option<PyResult<i64>> {
    match as_int(v)? {
        Int::Small(i) => Some(Ok(i)),
        Int::Big(b) => Some(
            num_traits::ToPrimitive::to_i64(b)
                .ok_or_else(|| err::index_error("cannot fit 'int' into an index-sized integer")),
        ),
    }
}

/// Normalizes index `i` of a sequence of length `len` (negative counts from the end).
fn norm_index(i: i64, len: usize) -> Option<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j as u64 >= len as u64 {
        None
    } else {
        Some(j as usize)
    }
}

fn slice_part(v: &Value) -> PyResult<Option<i64>> {
    if v.is_none() {
        return Ok(None);
    }
    match as_int(v) {
        Some(Int::Small(i)) => Ok(Some(i)),
        Some(Int::Big(b)) => Ok(Some(if b.sign() == num_bigint::Sign::Minus {
            i64::MIN
        } else {
            i64::MAX
        })),
        None => Err(err::type_error(
            "slice indices must be integers or None or have an __index__ method",
        )),
    }
}

/// CPython's `PySlice_Unpack` + `PySlice_AdjustIndices`: `(start, stop, step, length)`.
pub fn slice_indices(
    start: &Value,
    stop: &Value,
    step: &Value,
    len: usize,
) -> PyResult<(i64, i64, i64, usize)> {
    let step = match slice_part(step)? {
        None => 1,
        Some(0) => return Err(err::value_error("slice step cannot be zero")),
        Some(s) => s.max(-i64::MAX),
    };
    let len = len as i64;
    let adjust = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(mut x) => {
                if x < 0 {
                    x = x.saturating_add(len);
                    if x < 0 {
                        x = if step < 0 { -1 } else { 0 };
                    }
                } else if x >= len {
                    x = if step < 0 { len - 1 } else { len };
                }
                x
            }
        }
    };
    let start = adjust(slice_part(start)?, if step < 0 { len - 1 } else { 0 });
    let stop = adjust(slice_part(stop)?, if step < 0 { -1 } else { len });
    let n = if step < 0 {
        if stop < start {
            ((start - stop - 1) / (-step) + 1) as usize
        } else {
            0
        }
    } else if start < stop {
        ((stop - start - 1) / step + 1) as usize
    } else {
        0
    };
    Ok((start, stop, step, n))
}

fn slice_of<T: Clone>(items: &[T], start: i64, step: i64, n: usize) -> Vec<T> {
    (0..n)
        .map(|k| items[(start + k as i64 * step) as usize].clone())
        .collect()
}

/// `container[key]`.
pub fn getitem(ts: &mut ThreadState, container: &Value, key: &Value) -> PyResult<Value> {
    let Some(obj) = container.obj() else {
        return Err(not_subscriptable(container));
    };
    match obj {
        Object::List(l) => {
            if let Some(i) = seq_index(key) {
                let i = i?;
                let g = l.lock();
                return norm_index(i, g.len())
                    .map(|j| g[j].clone())
                    .ok_or_else(|| err::index_error("list index out of range"));
            }
            if let Some(Object::Slice(a, b, c)) = key.obj() {
                let items = l.lock().clone();
                let (start, _, step, n) = slice_indices(a, b, c, items.len())?;
                return Ok(Value::list(slice_of(&items, start, step, n)));
            }
            Err(err::type_error(format!(
                "list indices must be integers or slices, not {}",
                type_name(key)
            )))
        }
        Object::Tuple(t) => {
            if let Some(i) = seq_index(key) {
                return norm_index(i?, t.len())
                    .map(|j| t[j].clone())
                    .ok_or_else(|| err::index_error("tuple index out of range"));
            }
            if let Some(Object::Slice(a, b, c)) = key.obj() {
                let (start, _, step, n) = slice_indices(a, b, c, t.len())?;
                if n == t.len() && step == 1 {
                    return Ok(container.clone());
                }
                return Ok(Value::tuple(slice_of(t, start, step, n)));
            }
            Err(err::type_error(format!(
                "tuple indices must be integers or slices, not {}",
                type_name(key)
            )))
        }
        Object::Str(s) => {
            if let Some(i) = seq_index(key) {
                let j = norm_index(i?, s.char_len())
                    .ok_or_else(|| err::index_error("string index out of range"))?;
                let c = if s.is_ascii() {
                    s.as_str().as_bytes()[j] as char
                } else {
                    s.as_str().chars().nth(j).unwrap_or(' ')
                };
                return Ok(char_value(c));
            }
            if let Some(Object::Slice(a, b, c)) = key.obj() {
                let (start, stop, step, n) = slice_indices(a, b, c, s.char_len())?;
                if step == 1 {
                    if n == s.char_len() {
                        return Ok(container.clone());
                    }
                    if s.is_ascii() {
                        return Ok(Value::str(
                            &s.as_str()[start as usize..stop.max(start) as usize],
                        ));
                    }
                }
                let chars: Vec<char> = s.as_str().chars().collect();
                let out: String = slice_of(&chars, start, step, n).into_iter().collect();
                return Ok(Value::string(out));
            }
            Err(err::type_error(format!(
                "string indices must be integers, not '{}'",
                type_name(key)
            )))
        }
        Object::Dict(d) => {
            let hk = KeyRef::new(key)?;
            let found = d.read().get(&hk).cloned();
            found.ok_or_else(|| key_error(key))
        }
        Object::Range(r) => {
            let len = range_len(r);
            if let Some(i) = seq_index(key) {
                let i = i.map_err(|_| err::index_error("range object index out of range"))?;
                let j = if i < 0 {
                    i as i128 + len as i128
                } else {
                    i as i128
                };
                if j < 0 || j >= len as i128 {
                    return Err(err::index_error("range object index out of range"));
                }
                return Ok(Value::int((r.start as i128 + j * r.step as i128) as i64));
            }
            if let Some(Object::Slice(a, b, c)) = key.obj() {
                let (start, stop, step, _) = slice_indices(a, b, c, len as usize)?;
                let too_big = || err::overflow("Python int too large to convert to C ssize_t");
                let at = |k: i64| i64::try_from(r.start as i128 + k as i128 * r.step as i128);
                return Ok(Value::from_object(Object::Range(Range {
                    start: at(start).map_err(|_| too_big())?,
                    stop: at(stop).map_err(|_| too_big())?,
                    step: r.step.checked_mul(step).ok_or_else(too_big)?,
                })));
            }
            Err(err::type_error(format!(
                "range indices must be integers or slices, not {}",
                type_name(key)
            )))
        }
        Object::Native(n) => match n.getitem(ts, key) {
            Some(r) => r,
            None => Err(not_subscriptable(container)),
        },
        Object::Type(t) => Err(err::type_error(format!(
            "type '{}' is not subscriptable",
            t.name()
        ))),
        _ => Err(not_subscriptable(container)),
    }
}

fn not_subscriptable(v: &Value) -> PyErr {
    err::type_error(format!("'{}' object is not subscriptable", type_name(v)))
}

/// `container[key] = value`.
pub fn setitem(ts: &mut ThreadState, container: &Value, key: &Value, value: Value) -> PyResult<()> {
    let Some(obj) = container.obj() else {
        return Err(no_assignment(container));
    };
    match obj {
        Object::List(l) => {
            if let Some(i) = seq_index(key) {
                let i = i?;
                let old = {
                    let mut g = l.lock();
                    let j = norm_index(i, g.len())
                        .ok_or_else(|| err::index_error("list assignment index out of range"))?;
                    std::mem::replace(&mut g[j], value)
                };
                drop(old);
                return Ok(());
            }
            if let Some(Object::Slice(a, b, c)) = key.obj() {
                // The slice is checked (step 0) before the value is iterated.
                let len = l.lock().len();
                slice_indices(a, b, c, len)?;
                let items = match iter::collect(ts, &value) {
                    Ok(items) => items,
                    Err(e) if e.matches(ExcKind::TypeError) && !is_iterable(&value) => {
                        return Err(err::type_error("must assign iterable to extended slice"))
                    }
                    Err(e) => return Err(e),
                };
                let mut g = l.lock();
                let (start, stop, step, n) = slice_indices(a, b, c, g.len())?;
                if step == 1 {
                    let stop = stop.max(start) as usize;
                    let removed: Vec<Value> = g.splice(start as usize..stop, items).collect();
                    drop(g);
                    drop(removed);
                    return Ok(());
                }
                if items.len() != n {
                    return Err(err::value_error(format!(
                        "attempt to assign sequence of size {} to extended slice of size {n}",
                        items.len()
                    )));
                }
                for (k, v) in items.into_iter().enumerate() {
                    let j = (start + k as i64 * step) as usize;
                    g[j] = v;
                }
                return Ok(());
            }
            Err(err::type_error(format!(
                "list indices must be integers or slices, not {}",
                type_name(key)
            )))
        }
        Object::Dict(d) => {
            let hk = HashKey::new(key.clone())?;
            let old = d.lock().insert(hk, value);
            drop(old);
            Ok(())
        }
        Object::Native(n) => match n.setitem(ts, key, &value) {
            Some(r) => r,
            None => Err(no_assignment(container)),
        },
        _ => Err(no_assignment(container)),
    }
}

fn is_iterable(v: &Value) -> bool {
    match v.obj() {
        Some(
            Object::List(_)
            | Object::Tuple(_)
            | Object::Str(_)
            | Object::Dict(_)
            | Object::Set(_)
            | Object::Range(_)
            | Object::Iter(_)
            | Object::RangeIter(_)
            | Object::SeqIter(_),
        ) => true,
        Some(Object::Native(n)) => n.is_iterator(),
        _ => false,
    }
}

fn no_assignment(v: &Value) -> PyErr {
    err::type_error(format!(
        "'{}' object does not support item assignment",
        type_name(v)
    ))
}

/// `del container[key]`.
pub fn delitem(ts: &mut ThreadState, container: &Value, key: &Value) -> PyResult<()> {
    let Some(obj) = container.obj() else {
        return Err(no_deletion(container));
    };
    match obj {
        Object::List(l) => {
            if let Some(i) = seq_index(key) {
                let i = i?;
                let old = {
                    let mut g = l.lock();
                    let j = norm_index(i, g.len())
                        .ok_or_else(|| err::index_error("list assignment index out of range"))?;
                    g.remove(j)
                };
                drop(old);
                return Ok(());
            }
            if let Some(Object::Slice(a, b, c)) = key.obj() {
                let mut g = l.lock();
                let (start, _, step, n) = slice_indices(a, b, c, g.len())?;
                let mut doomed: Vec<usize> =
                    (0..n).map(|k| (start + k as i64 * step) as usize).collect();
                doomed.sort_unstable();
                let mut removed = Vec::with_capacity(n);
                for &j in doomed.iter().rev() {
                    removed.push(g.remove(j));
                }
                drop(g);
                drop(removed);
                return Ok(());
            }
            Err(err::type_error(format!(
                "list indices must be integers or slices, not {}",
                type_name(key)
            )))
        }
        Object::Dict(d) => {
            let hk = HashKey::new(key.clone())?;
            let old = d.lock().shift_remove(&hk);
            match old {
                Some(_) => Ok(()),
                None => Err(key_error(key)),
            }
        }
        Object::Native(n) => match n.delitem(ts, key) {
            Some(r) => r,
            None => Err(no_deletion(container)),
        },
        _ => Err(no_deletion(container)),
    }
}

fn no_deletion(v: &Value) -> PyErr {
    err::type_error(format!(
        "'{}' object doesn't support item deletion",
        type_name(v)
    ))
}

/// `len(v)`.
pub fn len(ts: &mut ThreadState, v: &Value) -> PyResult<usize> {
    let no_len = || err::type_error(format!("object of type '{}' has no len()", type_name(v)));
    match v.obj().ok_or_else(no_len)? {
        Object::Str(s) => Ok(s.char_len()),
        Object::List(l) => Ok(l.lock().len()),
        Object::Tuple(t) => Ok(t.len()),
        Object::Dict(d) => Ok(d.read().len()),
        Object::Set(s) => Ok(s.lock().len()),
        Object::Range(r) => {
            let n = range_len(r);
            if n > i64::MAX as u64 {
                return Err(err::overflow(
                    "Python int too large to convert to C ssize_t",
                ));
            }
            Ok(n as usize)
        }
        Object::Native(n) => n.len(ts).unwrap_or_else(|| Err(no_len())),
        _ => Err(no_len()),
    }
}

/// `item in container`.
pub fn contains(ts: &mut ThreadState, container: &Value, item: &Value) -> PyResult<bool> {
    let Some(obj) = container.obj() else {
        return Err(not_container(container));
    };
    match obj {
        Object::Str(s) => match item.as_str() {
            Some(sub) => Ok(s.as_str().contains(sub)),
            None => Err(err::type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                type_name(item)
            ))),
        },
        Object::List(l) => {
            let mut i = 0;
            loop {
                let Some(x) = l.lock().get(i).cloned() else {
                    return Ok(false);
                };
                if super::eq(ts, &x, item)? {
                    return Ok(true);
                }
                i += 1;
            }
        }
        Object::Tuple(t) => {
            for x in t.iter() {
                if super::eq(ts, x, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Object::Dict(d) => {
            let hk = KeyRef::new(item)?;
            Ok(d.read().contains_key(&hk))
        }
        Object::Set(s) => {
            let hk = HashKey::new(item.clone())?;
            Ok(s.lock().contains(&hk))
        }
        Object::Range(r) => {
            if let Some(i) = as_int(item) {
                let Some(x) = i.to_i64() else {
                    return Ok(false);
                };
                let (x, start, stop, step) =
                    (x as i128, r.start as i128, r.stop as i128, r.step as i128);
                let inside = if step > 0 {
                    start <= x && x < stop
                } else {
                    stop < x && x <= start
                };
                return Ok(inside && (x - start) % step == 0);
            }
            let it = iter::get_iter(ts, container)?;
            while let Some(x) = iter::iter_next(ts, &it)? {
                if super::eq(ts, &x, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Object::Native(n) => {
            if let Some(r) = n.contains(ts, item) {
                return r;
            }
            if n.is_iterator() || n.iter_items(ts).is_some() {
                return iter_contains(ts, container, item);
            }
            Err(not_container(container))
        }
        Object::Iter(_) | Object::RangeIter(_) | Object::SeqIter(_) => {
            iter_contains(ts, container, item)
        }
        _ => Err(not_container(container)),
    }
}

fn iter_contains(ts: &mut ThreadState, container: &Value, item: &Value) -> PyResult<bool> {
    let it = iter::get_iter(ts, container)?;
    while let Some(x) = iter::iter_next(ts, &it)? {
        if super::eq(ts, &x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn not_container(v: &Value) -> PyErr {
    err::type_error(format!(
        "argument of type '{}' is not iterable",
        type_name(v)
    ))
}

/// `a + b` for sequences of the same kind; `None` otherwise.
pub fn concat(a: &Value, b: &Value) -> Option<PyResult<Value>> {
    Some(Ok(match (a.obj()?, b.obj()?) {
        (Object::Str(x), Object::Str(y)) => {
            let mut s = String::with_capacity(x.as_str().len() + y.as_str().len());
            s.push_str(x.as_str());
            s.push_str(y.as_str());
            Value::string(s)
        }
        (Object::List(x), Object::List(y)) => {
            let mut items = x.lock().clone();
            let more = y.lock().clone();
            items.extend(more);
            Value::list(items)
        }
        (Object::Tuple(x), Object::Tuple(y)) => {
            let mut items = x.to_vec();
            items.extend(y.iter().cloned());
            Value::tuple(items)
        }
        _ => return None,
    }))
}

/// `items` repeated `count` times, allocated fallibly (MemoryError past [`super::MAX_REPEAT`]
/// items, or when the allocator refuses).
fn repeat_items(items: &[Value], count: usize) -> PyResult<Vec<Value>> {
    if items.is_empty() {
        // Any count, even an absurd one, without looping over it.
        return Ok(Vec::new());
    }
    super::check_repeat_size(items.len(), count)?;
    let mut out = alloc::vec_with_capacity(items.len() * count)?;
    for _ in 0..count {
        out.extend(items.iter().cloned());
    }
    Ok(out)
}

/// `seq * n` for str, list and tuple; `None` for other types.
pub fn repeat(seq: &Value, n: Int) -> Option<PyResult<Value>> {
    let count = match repeat_count(n) {
        Ok(c) => c,
        Err(e) => return Some(Err(e)),
    };
    let r = match seq.obj()? {
        // A length past what a C ssize_t holds is CPython's OverflowError (before its
        // allocation's MemoryError).
        Object::Str(s)
            if s.char_len()
                .checked_mul(count)
                .is_none_or(|n| n > isize::MAX as usize) =>
        {
            Err(err::overflow("repeated string is too long"))
        }
        Object::Str(s) => super::check_repeat_size(s.as_str().len(), count)
            .and_then(|_| alloc::repeat_str(s.as_str(), count))
            .map(Value::string),
        Object::List(l) => {
            let items = l.lock().clone();
            repeat_items(&items, count).map(Value::list)
        }
        Object::Tuple(t) => repeat_items(t, count).map(Value::tuple),
        _ => return None,
    };
    Some(r)
}

/// `dict.update(other)` / `dict |= other`: from a dict, a mapping native object (keys from
/// `iter_items`, values by subscription), or an iterable of key/value pairs.
pub fn dict_update(ts: &mut ThreadState, d: &Value, other: &Value) -> PyResult<()> {
    let Some(target) = d.as_dict() else {
        return Err(err::type_error(
            "descriptor 'update' requires a 'dict' object",
        ));
    };
    if let Some(src) = other.as_dict() {
        if d.is(other) {
            return Ok(());
        }
        let pairs: Vec<(HashKey, Value)> = src
            .read()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut g = target.lock();
        for (k, v) in pairs {
            g.insert(k, v);
        }
        return Ok(());
    }
    if let Some(Object::Native(n)) = other.obj() {
        if n.downcast_ref::<super::views::DictView>().is_none() {
            if let Some(keys) = n.iter_items(ts) {
                for k in keys? {
                    let v = getitem(ts, other, &k)?;
                    setitem(ts, d, &k, v)?;
                }
                return Ok(());
            }
        }
    }
    let items = iter::collect(ts, other)?;
    for (i, item) in items.into_iter().enumerate() {
        let pair = match item.obj() {
            Some(Object::Tuple(t)) => t.to_vec(),
            Some(Object::List(l)) => l.lock().clone(),
            Some(
                Object::Str(_)
                | Object::Dict(_)
                | Object::Set(_)
                | Object::Iter(_)
                | Object::RangeIter(_)
                | Object::SeqIter(_)
                | Object::Range(_),
            ) => iter::collect(ts, &item)?,
            _ => {
                return Err(err::type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                )))
            }
        };
        if pair.len() != 2 {
            return Err(err::value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            )));
        }
        let mut it = pair.into_iter();
        let (Some(k), Some(v)) = (it.next(), it.next()) else {
            continue;
        };
        setitem(ts, d, &k, v)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &Value) -> Vec<i64> {
        match v.obj() {
            Some(Object::List(l)) => l.lock().iter().map(|x| x.as_small().unwrap()).collect(),
            Some(Object::Tuple(t)) => t.iter().map(|x| x.as_small().unwrap()).collect(),
            Some(Object::Set(s)) => s.lock().iter().map(|x| x.as_small().unwrap()).collect(),
            _ => vec![],
        }
    }

    fn sl(a: Value, b: Value, c: Value) -> Value {
        Value::from_object(Object::Slice(a, b, c))
    }

    /// `range_len` by the definition, in 128-bit arithmetic.
    fn range_len_wide(start: i64, stop: i64, step: i64) -> u64 {
        let (start, stop, step) = (start as i128, stop as i128, step as i128);
        let n = if step > 0 && start < stop {
            (stop - start - 1) / step + 1
        } else if step < 0 && start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        };
        n as u64
    }

    fn edge() -> impl proptest::strategy::Strategy<Value = i64> {
        use proptest::prelude::*;
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MIN + 1),
            Just(i64::MAX),
            Just(i64::MAX - 1),
            Just(0),
            -3i64..3,
            any::<i64>(),
        ]
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #[test]
        fn range_len_counts_every_range_as_the_definition(
            start in edge(),
            stop in edge(),
            step in edge().prop_filter("a range's step is never 0", |s| *s != 0),
        ) {
            let r = Range { start, stop, step };
            proptest::prop_assert_eq!(range_len(&r), range_len_wide(start, stop, step));
        }
    }

    #[test]
    fn slicing() {
        let mut ts = ThreadState::new();
        let l = Value::list((0..10).map(Value::int).collect());
        let r = getitem(
            &mut ts,
            &l,
            &sl(Value::int(8), Value::int(2), Value::int(-2)),
        )
        .unwrap();
        assert_eq!(ints(&r), vec![8, 6, 4]);
        let r = getitem(&mut ts, &l, &sl(Value::NONE, Value::NONE, Value::int(-1))).unwrap();
        assert_eq!(ints(&r), (0..10).rev().collect::<Vec<_>>());
        let s = Value::str("héllo");
        let r = getitem(&mut ts, &s, &sl(Value::NONE, Value::NONE, Value::int(-2))).unwrap();
        assert_eq!(r.as_str(), Some("olh"));
        setitem(
            &mut ts,
            &l,
            &sl(Value::int(2), Value::int(4), Value::NONE),
            Value::list(vec![Value::int(-1)]),
        )
        .unwrap();
        assert_eq!(ints(&l), vec![0, 1, -1, 4, 5, 6, 7, 8, 9]);
        delitem(&mut ts, &l, &sl(Value::NONE, Value::NONE, Value::int(2))).unwrap();
        assert_eq!(ints(&l), vec![1, 4, 6, 8]);
        let e = getitem(&mut ts, &l, &Value::int(10)).unwrap_err();
        assert!(e.matches(ExcKind::IndexError));
        let r = Value::from_object(Object::Range(Range {
            start: 0,
            stop: 10,
            step: 1,
        }));
        let rr = getitem(&mut ts, &r, &sl(Value::NONE, Value::NONE, Value::int(-1))).unwrap();
        assert_eq!(
            super::super::repr(&mut ts, &rr).unwrap(),
            "range(9, -1, -1)"
        );
    }

    #[test]
    fn contains_and_len() {
        let mut ts = ThreadState::new();
        let r = Value::from_object(Object::Range(Range {
            start: 0,
            stop: 10,
            step: 3,
        }));
        assert!(contains(&mut ts, &r, &Value::int(9)).unwrap());
        assert!(!contains(&mut ts, &r, &Value::int(10)).unwrap());
        assert_eq!(len(&mut ts, &r).unwrap(), 4);
        assert!(contains(&mut ts, &Value::str("cat"), &Value::str("a")).unwrap());
        assert!(contains(&mut ts, &Value::int(5), &Value::int(1)).is_err());
    }
}
