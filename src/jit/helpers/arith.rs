//! Helpers of arithmetic and comparison: the generic operations behind the inline small-int
//! cases (a failed guard lands here), with big ints computed directly, and truth tests and
//! `in`.
//!
//! Same conventions as the parent module (`ts` first, popped values consumed, 0 with the
//! exception pending on error, bodies under `catch_unwind`).

use super::{borrow, guarded, own, tstate, value};
use crate::code::{BinOp, CmpOp, UnOp};
use crate::object::{ops, Object, Value};
use crate::thread::ThreadState;
use num_bigint::BigInt;
use std::borrow::Cow;

fn int_of(v: &Value) -> Option<Cow<'_, BigInt>> {
    if let Some(i) = v.as_small() {
        return Some(Cow::Owned(BigInt::from(i)));
    }
    match v.obj() {
        Some(Object::Int(b)) => Some(Cow::Borrowed(b)),
        _ => None,
    }
}

/// A normalized int value (small when it fits).
fn int_value(b: BigInt) -> Value {
    use num_traits::ToPrimitive;
    match b.to_i64() {
        Some(i) => Value::int(i),
        None => Value::from_object(Object::Int(b)),
    }
}

/// `+ - *` of two ints (small or big): the slow path of the inline small-int guards.
fn int_arith(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) {
        return None;
    }
    let (x, y) = (int_of(a)?, int_of(b)?);
    let (x, y) = (x.as_ref(), y.as_ref());
    Some(int_value(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        _ => x * y,
    }))
}

fn binop_of(op: usize) -> BinOp {
    const ALL: [BinOp; 13] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::TrueDiv,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::MatMul,
    ];
    ALL[op]
}

fn cmpop_of(op: usize) -> CmpOp {
    const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Gt,
        CmpOp::Ge,
    ];
    ALL[op]
}

fn unop_of(op: usize) -> UnOp {
    const ALL: [UnOp; 4] = [UnOp::Neg, UnOp::Pos, UnOp::Not, UnOp::Invert];
    ALL[op]
}

/// `a op b` (consumes both). `op` is `BinOp as u8`.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_binary_op(
    ts: *mut ThreadState,
    op: usize,
    a: usize,
    b: usize,
) -> usize {
    value(|| {
        // SAFETY: helper convention 2 (consumed inputs); `ts` from `r15`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let op = binop_of(op);
        match int_arith(op, &a, &b) {
            Some(v) => Ok(v),
            None => ops::binary_op(ts, op, &a, &b),
        }
    })
}

/// `a op= b` (consumes both).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_inplace_op(
    ts: *mut ThreadState,
    op: usize,
    a: usize,
    b: usize,
) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let op = binop_of(op);
        match int_arith(op, &a, &b) {
            Some(v) => Ok(v),
            None => ops::inplace_op(ts, op, &a, &b),
        }
    })
}

/// `op a` (consumes `a`).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_unary_op(ts: *mut ThreadState, op: usize, a: usize) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a) = unsafe { (tstate(ts), own(a)) };
        let op = unop_of(op);
        if let (UnOp::Neg, Some(x)) = (op, int_of(&a)) {
            return Ok(int_value(-x.into_owned()));
        }
        ops::unary_op(ts, op, &a)
    })
}

/// `a op b` for rich comparisons (consumes both).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_compare(ts: *mut ThreadState, op: usize, a: usize, b: usize) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let op = cmpop_of(op);
        if let (Some(x), Some(y)) = (int_of(&a), int_of(&b)) {
            let o = x.as_ref().cmp(y.as_ref());
            use std::cmp::Ordering::*;
            return Ok(Value::bool(match op {
                CmpOp::Lt => o == Less,
                CmpOp::Le => o != Greater,
                CmpOp::Eq => o == Equal,
                CmpOp::Ne => o != Equal,
                CmpOp::Gt => o == Greater,
                CmpOp::Ge => o != Less,
            }));
        }
        ops::compare(ts, op, &a, &b)
    })
}

/// `bool(v)` (borrows `v`): 1 = false, 2 = true, 0 = error.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_truthy(ts: *mut ThreadState, v: usize) -> usize {
    guarded(|| {
        // SAFETY: `v` stays owned by its stack slot during the call.
        let (ts, v) = unsafe { (tstate(ts), borrow(v)) };
        let b = if let Some(b) = v.as_bool() {
            b
        } else if v.is_none() {
            false
        } else if let Some(i) = v.as_small() {
            i != 0
        } else if let Some(Object::Int(_)) = v.obj() {
            true // normalized: a big int is never zero
        } else {
            ops::truthy(ts, &v)?
        };
        Ok(if b { 2 } else { 1 })
    })
}

/// `a in b` (`invert`: `not in`), consuming both; returns a bool word.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_contains(
    ts: *mut ThreadState,
    invert: usize,
    a: usize,
    b: usize,
) -> usize {
    value(|| {
        // SAFETY: as in `jit_binary_op`.
        let (ts, a, b) = unsafe { (tstate(ts), own(a), own(b)) };
        let r = ops::contains(ts, &b, &a)?;
        Ok(Value::bool(r != (invert != 0)))
    })
}
