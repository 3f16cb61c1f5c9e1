//! Iteration: the builtin iterator kinds ([`IterState`]), `iter()`, `next()`, unpacking, and
//! [`collect`] (any iterable into a `Vec`).
//!
//! Invariants: an iterator's lock is held only while it reads its own state and the container it
//! walks (one item at a time); composite iterators (`enumerate`, `zip`, `map`, `filter`) release
//! their lock before advancing the iterators they wrap or calling functions, so Python code run
//! by those never finds the lock taken. Dict and set iterators raise CPython's RuntimeError when
//! the container's size changes under them.

use super::super::exc::err;
use super::super::iters::{RangeIter, SeqIter};
use super::super::{alloc, ExcKind, Object, PyErr, PyResult, Value};
use super::views::{DictView, ViewKind};
use super::{containers, type_name};
use crate::thread::ThreadState;
use parking_lot::Mutex;

/// State of a builtin iterator.
pub enum IterState {
    /// Over a str, by byte offset.
    Str {
        /// The str.
        s: Value,
        /// Byte offset of the next character.
        pos: usize,
    },
    /// Over a dict's keys, values or items.
    Dict {
        /// The dict.
        dict: Value,
        /// Next entry index.
        pos: usize,
        /// The size the dict had when iteration began (`usize::MAX` once it changed).
        len: usize,
        /// What to yield.
        kind: ViewKind,
        /// Iterating from the end (`reversed(dict)`).
        reverse: bool,
    },
    /// Over a set.
    Set {
        /// The set.
        set: Value,
        /// Next table slot.
        pos: usize,
        /// The size at the start (`usize::MAX` once it changed).
        len: usize,
    },
    /// `reversed(list)` / `reversed(tuple)`: `index` counts the items left.
    Reversed {
        /// The list or tuple.
        seq: Value,
        /// Items left (the next item is at `index - 1`).
        index: usize,
    },
    /// A snapshot of items (native iterables, `reversed(str)`, ...).
    Items {
        /// The items.
        items: Vec<Value>,
        /// Next index.
        index: usize,
        /// The CPython type name to print.
        name: &'static str,
    },
    /// `enumerate(it, start)`.
    Enumerate {
        /// The wrapped iterator.
        it: Value,
        /// The next count.
        count: Value,
    },
    /// `zip(*its)`.
    Zip {
        /// The wrapped iterators.
        its: Vec<Value>,
    },
    /// `map(func, *its)`.
    Map {
        /// The function.
        func: Value,
        /// The wrapped iterators.
        its: Vec<Value>,
    },
    /// `filter(func, it)` (`func` None: truthiness).
    Filter {
        /// The predicate or None.
        func: Value,
        /// The wrapped iterator.
        it: Value,
    },
    /// Exhausted for good.
    Exhausted,
}

impl IterState {
    /// Reports each value the iterator holds (for the cycle collector).
    pub(crate) fn traverse(&self, each: &mut dyn FnMut(&Value)) {
        match self {
            IterState::Str { s: v, .. }
            | IterState::Dict { dict: v, .. }
            | IterState::Set { set: v, .. }
            | IterState::Reversed { seq: v, .. } => each(v),
            IterState::Items { items, .. } => items.iter().for_each(each),
            IterState::Enumerate { it, count } => {
                each(it);
                each(count);
            }
            IterState::Zip { its } => its.iter().for_each(each),
            IterState::Map { func, its } => {
                each(func);
                its.iter().for_each(each);
            }
            IterState::Filter { func, it } => {
                each(func);
                each(it);
            }
            IterState::Exhausted => {}
        }
    }

    /// The CPython type name of this iterator (`list_iterator`, `zip`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            IterState::Str { s, .. } => match s.as_pystr() {
                Some(p) if p.is_ascii() => "str_ascii_iterator",
                _ => "str_iterator",
            },
            IterState::Dict { kind, reverse, .. } => match (kind, reverse) {
                (ViewKind::Keys, false) => "dict_keyiterator",
                (ViewKind::Values, false) => "dict_valueiterator",
                (ViewKind::Items, false) => "dict_itemiterator",
                (ViewKind::Keys, true) => "dict_reversekeyiterator",
                (ViewKind::Values, true) => "dict_reversevalueiterator",
                (ViewKind::Items, true) => "dict_reverseitemiterator",
            },
            IterState::Set { .. } => "set_iterator",
            IterState::Reversed { seq, .. } => match seq.obj() {
                Some(Object::List(_)) => "list_reverseiterator",
                _ => "reversed",
            },
            IterState::Items { name, .. } => name,
            IterState::Enumerate { .. } => "enumerate",
            IterState::Zip { .. } => "zip",
            IterState::Map { .. } => "map",
            IterState::Filter { .. } => "filter",
            IterState::Exhausted => "iterator",
        }
    }
}

/// A new iterator object.
pub fn new_iter(state: IterState) -> Value {
    Value::from_object(Object::Iter(Mutex::new(state)))
}

/// `iter(v)` of a value the caller gives up (the eval loop's `GetIter`): a range that nothing
/// else references becomes its own iterator in place (`for i in range(n)` allocates once).
#[inline]
pub fn get_iter_owned(ts: &mut ThreadState, mut v: Value) -> PyResult<Value> {
    if let Some(Object::Range(r)) = v.obj() {
        let it = RangeIter::new(r.start, r.step, containers::range_len(r));
        if v.replace_sole(Object::RangeIter(it)).is_ok() {
            return Ok(v);
        }
    }
    get_iter(ts, &v)
}

/// `iter(v)`.
pub fn get_iter(ts: &mut ThreadState, v: &Value) -> PyResult<Value> {
    let Some(obj) = v.obj() else {
        return Err(not_iterable(v));
    };
    let state = match obj {
        Object::List(_) | Object::Tuple(_) => {
            return Ok(Value::from_object(Object::SeqIter(SeqIter::new(v.clone()))));
        }
        Object::Str(_) => IterState::Str {
            s: v.clone(),
            pos: 0,
        },
        Object::Range(r) => {
            let it = RangeIter::new(r.start, r.step, containers::range_len(r));
            return Ok(Value::from_object(Object::RangeIter(it)));
        }
        Object::Dict(d) => IterState::Dict {
            dict: v.clone(),
            pos: 0,
            len: d.read().len(),
            kind: ViewKind::Keys,
            reverse: false,
        },
        Object::Set(s) => IterState::Set {
            set: v.clone(),
            pos: 0,
            len: s.lock().len(),
        },
        Object::Iter(_) | Object::RangeIter(_) | Object::SeqIter(_) => return Ok(v.clone()),
        Object::Native(n) => {
            if n.is_iterator() {
                return Ok(v.clone());
            }
            if let Some(view) = n.downcast_ref::<DictView>() {
                let len = view.dict.as_dict().map_or(0, |d| d.read().len());
                IterState::Dict {
                    dict: view.dict.clone(),
                    pos: 0,
                    len,
                    kind: view.kind,
                    reverse: false,
                }
            } else {
                match n.iter_items(ts) {
                    Some(items) => IterState::Items {
                        items: items?,
                        index: 0,
                        name: "iterator",
                    },
                    None => return Err(not_iterable(v)),
                }
            }
        }
        _ => return Err(not_iterable(v)),
    };
    Ok(new_iter(state))
}

/// TypeError: `'int' object is not iterable`.
pub fn not_iterable(v: &Value) -> PyErr {
    err::type_error(format!("'{}' object is not iterable", type_name(v)))
}

/// `next(it)`: `None` when exhausted. TypeError if `it` is not an iterator.
///
/// A StopIteration raised by Python code the iterator calls (a `map` or `filter` function)
/// also means exhausted, as every CPython consumer of `tp_iternext` takes it; only `next()`
/// and `yield from` see it ([`iter_next_raw`]).
#[inline]
pub fn iter_next(ts: &mut ThreadState, it: &Value) -> PyResult<Option<Value>> {
    match iter_next_raw(ts, it) {
        Err(e) if e.matches(ExcKind::StopIteration) => Ok(None),
        r => r,
    }
}

/// The next value of the range iterator `r` (the object of `it`): without a read-modify-write
/// when `it` is its only reference.
#[inline(always)]
pub fn range_next(it: &Value, r: &crate::object::iters::RangeIter) -> Option<i64> {
    if it.is_exclusive() {
        r.next_exclusive()
    } else {
        r.next()
    }
}

/// [`iter_next`] that passes on a StopIteration raised inside the iterator: `next(it)` re-raises
/// it (with its value and traceback), `next(it, default)` and `yield from` take it as the end.
#[inline]
pub fn iter_next_raw(ts: &mut ThreadState, it: &Value) -> PyResult<Option<Value>> {
    match it.obj() {
        Some(Object::Iter(m)) => next_of(ts, m),
        Some(Object::RangeIter(r)) => Ok(range_next(it, r).map(Value::int)),
        Some(Object::SeqIter(it)) => Ok(it.next()),
        Some(Object::Native(n)) if n.is_iterator() => n.iter_next(it, ts),
        _ => Err(err::type_error(format!(
            "'{}' object is not an iterator",
            type_name(it)
        ))),
    }
}

enum Step {
    Done(Option<Value>),
    Enumerate(Value),
    Zip(Vec<Value>),
    Map(Value, Vec<Value>),
    Filter(Value, Value),
}

fn next_of(ts: &mut ThreadState, m: &Mutex<IterState>) -> PyResult<Option<Value>> {
    let step = {
        let mut st = m.lock();
        match &mut *st {
            IterState::Str { s, pos } => {
                let text = s.as_str().unwrap_or("");
                match text[*pos..].chars().next() {
                    Some(c) => {
                        *pos += c.len_utf8();
                        Step::Done(Some(containers::char_value(c)))
                    }
                    None => {
                        *st = IterState::Exhausted;
                        Step::Done(None)
                    }
                }
            }
            IterState::Dict {
                dict,
                pos,
                len,
                kind,
                reverse,
            } => {
                let Some(d) = dict.as_dict() else {
                    return Ok(None);
                };
                let g = d.read();
                if g.len() != *len {
                    *len = usize::MAX;
                    return Err(err::runtime_error(
                        "dictionary changed size during iteration",
                    ));
                }
                let idx = if *reverse {
                    g.len().checked_sub(*pos + 1)
                } else {
                    Some(*pos)
                };
                match idx.and_then(|i| g.get_index(i)) {
                    Some((k, v)) => {
                        *pos += 1;
                        Step::Done(Some(match kind {
                            ViewKind::Keys => k.key.clone(),
                            ViewKind::Values => v.clone(),
                            ViewKind::Items => Value::tuple(vec![k.key.clone(), v.clone()]),
                        }))
                    }
                    None => {
                        drop(g);
                        *st = IterState::Exhausted;
                        Step::Done(None)
                    }
                }
            }
            IterState::Set { set, pos, len } => {
                let Some(Object::Set(s)) = set.obj() else {
                    return Ok(None);
                };
                let g = s.lock();
                if g.len() != *len {
                    *len = usize::MAX;
                    return Err(err::runtime_error("Set changed size during iteration"));
                }
                match g.next_from(*pos) {
                    Some((next, v)) => {
                        *pos = next;
                        Step::Done(Some(v))
                    }
                    None => {
                        drop(g);
                        *st = IterState::Exhausted;
                        Step::Done(None)
                    }
                }
            }
            IterState::Reversed { seq, index } => {
                if *index == 0 {
                    Step::Done(None)
                } else {
                    *index -= 1;
                    let i = *index;
                    let item = match seq.obj() {
                        Some(Object::List(l)) => l.lock().get(i).cloned(),
                        Some(Object::Tuple(t)) => t.get(i).cloned(),
                        _ => None,
                    };
                    if item.is_none() {
                        *st = IterState::Exhausted;
                    }
                    Step::Done(item)
                }
            }
            IterState::Items { items, index, .. } => {
                let item = items.get(*index).cloned();
                *index += 1;
                Step::Done(item)
            }
            IterState::Enumerate { it, .. } => Step::Enumerate(it.clone()),
            IterState::Zip { its } => Step::Zip(its.clone()),
            IterState::Map { func, its } => Step::Map(func.clone(), its.clone()),
            IterState::Filter { func, it } => Step::Filter(func.clone(), it.clone()),
            IterState::Exhausted => Step::Done(None),
        }
    };
    match step {
        Step::Done(v) => Ok(v),
        Step::Enumerate(inner) => {
            let Some(item) = iter_next_raw(ts, &inner)? else {
                return Ok(None);
            };
            let mut st = m.lock();
            let IterState::Enumerate { count, .. } = &mut *st else {
                return Ok(None);
            };
            let n = count.clone();
            *count = super::arith::num_binop(crate::code::BinOp::Add, &n, &Value::int(1))
                .unwrap_or_else(|| Ok(Value::int(0)))?;
            Ok(Some(Value::tuple(vec![n, item])))
        }
        Step::Zip(its) => {
            if its.is_empty() {
                return Ok(None);
            }
            let mut out = Vec::with_capacity(its.len());
            for it in &its {
                match iter_next_raw(ts, it)? {
                    Some(v) => out.push(v),
                    None => {
                        *m.lock() = IterState::Exhausted;
                        return Ok(None);
                    }
                }
            }
            Ok(Some(Value::tuple(out)))
        }
        Step::Map(func, its) => {
            let mut args = Vec::with_capacity(its.len());
            for it in &its {
                match iter_next_raw(ts, it)? {
                    Some(v) => args.push(v),
                    None => return Ok(None),
                }
            }
            crate::interp::call(ts, &func, &args, &[]).map(Some)
        }
        Step::Filter(func, it) => loop {
            let Some(item) = iter_next_raw(ts, &it)? else {
                return Ok(None);
            };
            let keep = if func.is_none() {
                super::truthy(ts, &item)?
            } else {
                let r = crate::interp::call(ts, &func, std::slice::from_ref(&item), &[])?;
                super::truthy(ts, &r)?
            };
            if keep {
                return Ok(Some(item));
            }
        },
    }
}

/// Every item of an iterable, in order.
pub fn collect(ts: &mut ThreadState, v: &Value) -> PyResult<Vec<Value>> {
    match v.obj() {
        // Copies sized by the program (`x += x` doubles a list): allocated fallibly.
        Some(Object::List(l)) => {
            let l = l.lock();
            let mut out = alloc::vec_with_capacity(l.len())?;
            out.extend(l.iter().cloned());
            return Ok(out);
        }
        Some(Object::Tuple(t)) => {
            let mut out = alloc::vec_with_capacity(t.len())?;
            out.extend(t.iter().cloned());
            return Ok(out);
        }
        Some(Object::Str(s)) => {
            return Ok(s.as_str().chars().map(containers::char_value).collect())
        }
        Some(Object::Dict(d)) => return Ok(d.read().keys().map(|k| k.key.clone()).collect()),
        Some(Object::Set(s)) => return Ok(s.lock().keys()),
        Some(Object::Range(r)) => {
            let n = containers::range_len(r);
            if n > super::MAX_REPEAT as u64 {
                return Err(err::memory_error());
            }
            let mut out = alloc::vec_with_capacity(n as usize)?;
            out.extend((0..n as i64).map(|i| Value::int(r.start + i * r.step)));
            return Ok(out);
        }
        _ => {}
    }
    let it = get_iter(ts, v)?;
    let mut out = Vec::new();
    while let Some(x) = iter_next(ts, &it)? {
        alloc::push(&mut out, x)?;
    }
    Ok(out)
}

/// Unpacks an iterable into exactly `n` values, in order.
pub fn unpack(ts: &mut ThreadState, v: &Value, n: usize) -> PyResult<Vec<Value>> {
    let fixed = match v.obj() {
        Some(Object::Tuple(t)) => Some(t.to_vec()),
        Some(Object::List(l)) => Some(l.lock().clone()),
        _ => None,
    };
    if let Some(items) = fixed {
        return match items.len().cmp(&n) {
            std::cmp::Ordering::Equal => Ok(items),
            std::cmp::Ordering::Greater => Err(too_many(n)),
            std::cmp::Ordering::Less => Err(not_enough(n, items.len())),
        };
    }
    let it = match get_iter(ts, v) {
        Ok(it) => it,
        Err(e) if e.matches(ExcKind::TypeError) && !is_iterable_type(v) => {
            return Err(err::type_error(format!(
                "cannot unpack non-iterable {} object",
                type_name(v)
            )))
        }
        Err(e) => return Err(e),
    };
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        match iter_next(ts, &it)? {
            Some(x) => out.push(x),
            None => return Err(not_enough(n, out.len())),
        }
    }
    if iter_next(ts, &it)?.is_some() {
        return Err(too_many(n));
    }
    Ok(out)
}

fn is_iterable_type(v: &Value) -> bool {
    match v.obj() {
        Some(Object::Native(n)) => n.is_iterator(),
        Some(Object::Iter(_) | Object::RangeIter(_) | Object::SeqIter(_)) => true,
        _ => false,
    }
}

fn too_many(n: usize) -> PyErr {
    err::value_error(format!("too many values to unpack (expected {n})"))
}

fn not_enough(n: usize, got: usize) -> PyErr {
    err::value_error(format!(
        "not enough values to unpack (expected {n}, got {got})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_iteration_sees_appends() {
        let mut ts = ThreadState::new();
        let l = Value::list(vec![Value::int(1)]);
        let it = get_iter(&mut ts, &l).unwrap();
        assert_eq!(
            iter_next(&mut ts, &it).unwrap().unwrap().as_small(),
            Some(1)
        );
        l.as_list().unwrap().lock().push(Value::int(2));
        assert_eq!(
            iter_next(&mut ts, &it).unwrap().unwrap().as_small(),
            Some(2)
        );
        assert!(iter_next(&mut ts, &it).unwrap().is_none());
        l.as_list().unwrap().lock().push(Value::int(3));
        assert!(iter_next(&mut ts, &it).unwrap().is_none());
    }

    #[test]
    fn dict_size_change_raises() {
        let mut ts = ThreadState::new();
        let d = Value::dict();
        super::super::setitem(&mut ts, &d, &Value::int(1), Value::int(1)).unwrap();
        let it = get_iter(&mut ts, &d).unwrap();
        assert!(iter_next(&mut ts, &it).unwrap().is_some());
        super::super::setitem(&mut ts, &d, &Value::int(2), Value::int(2)).unwrap();
        let e = iter_next(&mut ts, &it).unwrap_err();
        assert!(e.matches(ExcKind::RuntimeError));
    }

    #[test]
    fn unpack_errors() {
        let mut ts = ThreadState::new();
        let t = Value::tuple(vec![Value::int(1), Value::int(2)]);
        assert_eq!(unpack(&mut ts, &t, 2).unwrap().len(), 2);
        let msg = |e: PyErr| {
            let mut ts = ThreadState::new();
            super::super::str(&mut ts, e.value()).unwrap()
        };
        assert_eq!(
            msg(unpack(&mut ts, &t, 3).unwrap_err()),
            "not enough values to unpack (expected 3, got 2)"
        );
        assert_eq!(
            msg(unpack(&mut ts, &t, 1).unwrap_err()),
            "too many values to unpack (expected 1)"
        );
        assert_eq!(
            msg(unpack(&mut ts, &Value::int(5), 2).unwrap_err()),
            "cannot unpack non-iterable int object"
        );
        let s = Value::str("xy");
        let r = unpack(&mut ts, &s, 2).unwrap();
        assert_eq!(r[1].as_str(), Some("y"));
    }
}
