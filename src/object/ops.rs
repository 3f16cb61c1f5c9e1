//! Generic operations on values: arithmetic, comparison, truth, containers, iteration, repr and
//! str, attribute access. (Being written: signatures are the contract the interpreter uses.)

use super::{PyResult, Value};
use crate::code::{BinOp, CmpOp, UnOp};
use crate::thread::ThreadState;

/// State of a builtin iterator.
pub enum IterState {
    /// Placeholder until the iterator kinds land.
    Exhausted,
}

/// `a op b`.
pub fn binary_op(ts: &mut ThreadState, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let _ = (ts, op, a, b);
    todo!("binary_op")
}

/// `a op= b` (in place for lists).
pub fn inplace_op(ts: &mut ThreadState, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let _ = (ts, op, a, b);
    todo!("inplace_op")
}

/// `op a`.
pub fn unary_op(ts: &mut ThreadState, op: UnOp, a: &Value) -> PyResult<Value> {
    let _ = (ts, op, a);
    todo!("unary_op")
}

/// `a op b` for rich comparisons.
pub fn compare(ts: &mut ThreadState, op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
    let _ = (ts, op, a, b);
    todo!("compare")
}

/// `a == b` as a bool.
pub fn eq(ts: &mut ThreadState, a: &Value, b: &Value) -> PyResult<bool> {
    let _ = (ts, a, b);
    todo!("eq")
}

/// `bool(v)`.
pub fn truthy(ts: &mut ThreadState, v: &Value) -> PyResult<bool> {
    let _ = (ts, v);
    todo!("truthy")
}

/// `item in container`.
pub fn contains(ts: &mut ThreadState, container: &Value, item: &Value) -> PyResult<bool> {
    let _ = (ts, container, item);
    todo!("contains")
}

/// `container[key]`.
pub fn getitem(ts: &mut ThreadState, container: &Value, key: &Value) -> PyResult<Value> {
    let _ = (ts, container, key);
    todo!("getitem")
}

/// `container[key] = value`.
pub fn setitem(ts: &mut ThreadState, container: &Value, key: &Value, value: Value) -> PyResult<()> {
    let _ = (ts, container, key, value);
    todo!("setitem")
}

/// `del container[key]`.
pub fn delitem(ts: &mut ThreadState, container: &Value, key: &Value) -> PyResult<()> {
    let _ = (ts, container, key);
    todo!("delitem")
}

/// `iter(v)`.
pub fn get_iter(ts: &mut ThreadState, v: &Value) -> PyResult<Value> {
    let _ = (ts, v);
    todo!("get_iter")
}

/// `next(it)`: `None` when exhausted.
pub fn iter_next(ts: &mut ThreadState, it: &Value) -> PyResult<Option<Value>> {
    let _ = (ts, it);
    todo!("iter_next")
}

/// `repr(v)`.
pub fn repr(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    let _ = (ts, v);
    todo!("repr")
}

/// `str(v)`.
pub fn str(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    let _ = (ts, v);
    todo!("str")
}

/// `format(v, spec)`.
pub fn format(ts: &mut ThreadState, v: &Value, spec: &str) -> PyResult<String> {
    let _ = (ts, v, spec);
    todo!("format")
}

/// `len(v)`.
pub fn len(ts: &mut ThreadState, v: &Value) -> PyResult<usize> {
    let _ = (ts, v);
    todo!("len")
}

/// `getattr(v, name)`.
pub fn getattr(ts: &mut ThreadState, v: &Value, name: &str) -> PyResult<Value> {
    let _ = (ts, v, name);
    todo!("getattr")
}

/// `setattr(v, name, value)`.
pub fn setattr(ts: &mut ThreadState, v: &Value, name: &str, value: Value) -> PyResult<()> {
    let _ = (ts, v, name, value);
    todo!("setattr")
}

/// Method lookup for `LoadMethod`: `(callable, Some(receiver))` when `v` has a builtin method
/// `name` (the callable is unbound and takes the receiver as `args[0]`), else
/// `(getattr(v, name), None)`.
pub fn load_method(
    ts: &mut ThreadState,
    v: &Value,
    name: &str,
) -> PyResult<(Value, Option<Value>)> {
    Ok((getattr(ts, v, name)?, None))
}

/// Unpacks an iterable into exactly `n` values, in order.
pub fn unpack(ts: &mut ThreadState, v: &Value, n: usize) -> PyResult<Vec<Value>> {
    let _ = (ts, v, n);
    todo!("unpack")
}
