//! Generic operations on values, with CPython 3.13's semantics and error messages: arithmetic
//! ([`arith`]) and number/text conversions ([`numconv`]), comparison
//! ([`compare`](mod@compare)), repr/str ([`repr`](mod@repr)), formatting
//! ([`format`](mod@format), printf-style [`percent`]), containers and slicing ([`containers`]),
//! set algebra ([`sets`]), iteration ([`iter`]), attributes ([`attr`]), sorting ([`sort`]) and
//! dict views ([`views`]).
//!
//! The functions re-exported here are the contract the interpreter and the JIT's runtime helpers
//! call. Every one takes the thread state, because native objects and calls back into Python
//! (sort keys, ...) need it.
//!
//! Invariants:
//! - no container lock is held while anything that can run Python code or lock another container
//!   runs (repr of an element, `==` of elements, calls): items are cloned out first;
//! - user errors are `PyErr`s, never panics;
//! - int results are normalized (small whenever they fit).

pub mod arith;
pub mod attr;
pub mod compare;
pub mod containers;
pub mod format;
pub mod iter;
pub mod numconv;
pub mod percent;
pub mod repr;
pub mod sets;
pub mod sort;
pub mod views;

pub use attr::{getattr, getattr_name, load_method_name, setattr};
pub use compare::{compare, eq};
pub use containers::{contains, delitem, getitem, len, setitem};
pub use format::format;
pub use iter::{get_iter, iter_next, iter_next_raw, unpack, IterState};
pub use repr::{repr, str};

use super::exc::err;
use super::{alloc, Object, PyErr, PyResult, Value};
use crate::code::{BinOp, UnOp};
use crate::thread::ThreadState;
use arith::{as_int, Int};

thread_local! {
    static C_DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// CPython's C recursion budget as seen from Python code (`Py_C_RECURSION_LIMIT`, 10000 on
/// Linux, minus the unit the eval loop holds): nested `repr`, `str` and comparisons of containers
/// fail with RecursionError at the same depth as in CPython 3.13.
pub const C_RECURSION_LIMIT: u32 = 9999;

/// One unit of the per-thread C recursion budget, released on drop.
pub struct CDepth(());

impl Drop for CDepth {
    fn drop(&mut self) {
        C_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Takes one unit of the C recursion budget (CPython's `Py_EnterRecursiveCall(what)`):
/// RecursionError `maximum recursion depth exceeded{what}` when it is spent or the native stack
/// is nearly exhausted.
pub fn enter_recursive_call(ts: &ThreadState, what: &str) -> PyResult<CDepth> {
    let d = C_DEPTH.with(|d| d.get());
    if d >= C_RECURSION_LIMIT || ts.native_stack_exhausted() {
        return Err(PyErr::new(
            super::ExcKind::RecursionError,
            format!("maximum recursion depth exceeded{what}"),
        ));
    }
    C_DEPTH.with(|c| c.set(d + 1));
    Ok(CDepth(()))
}

/// [`enter_recursive_call`] for code without a thread state at hand (hashing nested tuples).
pub fn enter_recursive_call_plain(what: &str) -> PyResult<CDepth> {
    let d = C_DEPTH.with(|d| d.get());
    if d >= C_RECURSION_LIMIT {
        return Err(PyErr::new(
            super::ExcKind::RecursionError,
            format!("maximum recursion depth exceeded{what}"),
        ));
    }
    C_DEPTH.with(|c| c.set(d + 1));
    Ok(CDepth(()))
}

/// `type(v).__name__`.
#[inline]
pub fn type_name(v: &Value) -> &'static str {
    v.py_type().name()
}

/// `a op b`.
pub fn binary_op(ts: &mut ThreadState, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if let Some(r) = arith::small_binop(op, x, y) {
            return r;
        }
    }
    binop(ts, op, a, b, false)
}

/// `a op= b`: in place for lists (`+=` extends, `*=` repeats), sets (`|= &= -= ^=`) and dicts
/// (`|=`), like `a op b` otherwise.
pub fn inplace_op(ts: &mut ThreadState, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if let Some(r) = arith::small_binop(op, x, y) {
            return r;
        }
    }
    match (a.obj(), op) {
        (Some(Object::List(l)), BinOp::Add) => {
            let items = iter::collect(ts, b)?;
            alloc::extend(&mut l.lock(), items)?;
            return Ok(a.clone());
        }
        (Some(Object::List(l)), BinOp::Mul) => {
            if let Some(n) = as_int(b) {
                let n = repeat_count(n)?;
                let mut g = l.lock();
                let items = g.clone();
                if n == 0 {
                    g.clear();
                } else if !items.is_empty() {
                    check_repeat_size(items.len(), n)?;
                    alloc::reserve(&mut g, items.len() * (n - 1))?;
                    for _ in 1..n {
                        g.extend(items.iter().cloned());
                    }
                }
                return Ok(a.clone());
            }
        }
        (Some(Object::Set(_)), BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor) => {
            if matches!(b.obj(), Some(Object::Set(_))) {
                containers::set_inplace(op, a, b)?;
                return Ok(a.clone());
            }
        }
        (Some(Object::Dict(_)), BinOp::Or) => {
            containers::dict_update(ts, a, b)?;
            return Ok(a.clone());
        }
        _ => {}
    }
    binop(ts, op, a, b, true)
}

fn op_symbol(op: BinOp, inplace: bool) -> String {
    let s = if op == BinOp::Pow {
        "** or pow()"
    } else {
        op.symbol()
    };
    if inplace {
        if op == BinOp::Pow {
            return "**=".to_owned();
        }
        format!("{s}=")
    } else {
        s.to_owned()
    }
}

/// The TypeError of an operator its operands do not support.
pub fn unsupported(op: BinOp, a: &Value, b: &Value, inplace: bool) -> PyErr {
    err::type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op_symbol(op, inplace),
        type_name(a),
        type_name(b)
    ))
}

fn binop(ts: &mut ThreadState, op: BinOp, a: &Value, b: &Value, inplace: bool) -> PyResult<Value> {
    if let Some(r) = arith::num_binop(op, a, b) {
        return r;
    }
    match op {
        BinOp::Add => {
            if let Some(r) = containers::concat(a, b) {
                return r;
            }
        }
        BinOp::Mul => {
            if let Some(n) = as_int(b) {
                if let Some(r) = containers::repeat(a, n) {
                    return r;
                }
            } else if let Some(n) = as_int(a) {
                if let Some(r) = containers::repeat(b, n) {
                    return r;
                }
            }
            let other = if is_sequence(a) {
                Some(b)
            } else if is_sequence(b) {
                Some(a)
            } else {
                None
            };
            if let Some(other) = other {
                return Err(err::type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    type_name(other)
                )));
            }
        }
        BinOp::Mod => {
            if let Some(s) = a.as_str() {
                return Ok(Value::string(percent::percent_format(ts, s, b)?));
            }
        }
        BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor => {
            if let (Some(Object::Set(_)), Some(Object::Set(_))) = (a.obj(), b.obj()) {
                return containers::set_binop(op, a, b);
            }
            if op == BinOp::Or {
                if let (Some(Object::Dict(x)), Some(Object::Dict(_))) = (a.obj(), b.obj()) {
                    let copy = Value::from_object(Object::Dict(crate::object::DictLock::new(
                        x.read().clone(),
                    )));
                    containers::dict_update(ts, &copy, b)?;
                    return Ok(copy);
                }
            }
        }
        _ => {}
    }
    if op == BinOp::Add {
        // Sequence concatenation errors name the sequence type.
        let kind = match a.obj() {
            Some(Object::Str(_)) => Some("str"),
            Some(Object::List(_)) => Some("list"),
            Some(Object::Tuple(_)) => Some("tuple"),
            _ => None,
        };
        if let Some(kind) = kind {
            return Err(err::type_error(format!(
                "can only concatenate {kind} (not \"{}\") to {kind}",
                type_name(b)
            )));
        }
    }
    Err(unsupported(op, a, b, inplace))
}

fn is_sequence(v: &Value) -> bool {
    matches!(
        v.obj(),
        Some(Object::Str(_) | Object::List(_) | Object::Tuple(_))
    )
}

/// A repeat count (`seq * n`): negative counts mean 0; OverflowError beyond the index range,
/// on either side (CPython converts the count to a C ssize_t first).
pub fn repeat_count(n: Int) -> PyResult<usize> {
    match n.to_i64() {
        Some(i) if i <= 0 => Ok(0),
        Some(i) => Ok(i as usize),
        None => Err(err::overflow(
            "cannot fit 'int' into an index-sized integer",
        )),
    }
}

/// The most items (or str bytes) one repetition may produce: beyond it, MemoryError instead of
/// an allocation failure that would abort the process.
pub const MAX_REPEAT: usize = 1 << 32;

/// MemoryError when `len * n` items would be absurdly large.
pub fn check_repeat_size(len: usize, n: usize) -> PyResult<()> {
    match len.checked_mul(n) {
        Some(total) if total <= MAX_REPEAT => Ok(()),
        _ => Err(err::memory_error()),
    }
}

/// `op a`.
pub fn unary_op(ts: &mut ThreadState, op: UnOp, a: &Value) -> PyResult<Value> {
    if op == UnOp::Not {
        return Ok(Value::bool(!truthy(ts, a)?));
    }
    if let Some(v) = arith::num_unary(op, a) {
        return Ok(v);
    }
    let sym = match op {
        UnOp::Neg => "-",
        UnOp::Pos => "+",
        UnOp::Invert => "~",
        UnOp::Not => "not",
    };
    Err(err::type_error(format!(
        "bad operand type for unary {sym}: '{}'",
        type_name(a)
    )))
}

/// `bool(v)`.
pub fn truthy(ts: &mut ThreadState, v: &Value) -> PyResult<bool> {
    if let Some(i) = v.as_small() {
        return Ok(i != 0);
    }
    if let Some(b) = v.as_bool() {
        return Ok(b);
    }
    if v.is_none() {
        return Ok(false);
    }
    let Some(obj) = v.obj() else {
        return Ok(true);
    };
    Ok(match obj {
        Object::Int(_) => true,
        Object::Float(f) => *f != 0.0,
        Object::Str(s) => s.char_len() != 0,
        Object::Tuple(t) => !t.is_empty(),
        Object::List(l) => !l.lock().is_empty(),
        Object::Dict(d) => !d.read().is_empty(),
        Object::Set(s) => !s.lock().is_empty(),
        Object::Range(r) => containers::range_len(r) != 0,
        Object::Native(n) => match n.len(ts) {
            Some(r) => r? != 0,
            None => true,
        },
        _ => true,
    })
}

/// `operator.index(v)` as an `i64`: ints and bools; TypeError for others, IndexError-style
/// OverflowError for ints beyond 64 bits.
pub fn index_i64(v: &Value) -> PyResult<i64> {
    match as_int(v) {
        Some(Int::Small(i)) => Ok(i),
        Some(Int::Big(b)) => num_traits::ToPrimitive::to_i64(b)
            .ok_or_else(|| err::overflow("Python int too large to convert to C ssize_t")),
        None => Err(err::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(v)
        ))),
    }
}
