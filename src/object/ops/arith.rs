//! Numbers: int (small inline / `BigInt` on the heap), bool (an int) and float arithmetic with
//! CPython 3.13's semantics and messages: floor division and modulo round towards negative
//! infinity, `**` with a negative int exponent gives a float, true division of ints is correctly
//! rounded, shifts and bitwise ops use two's complement on unbounded ints.
//!
//! Invariant: every int result goes through [`int_value`]/[`Value::int`], so a result that fits
//! the small range is always small.

use super::super::dict::{num_cmp, NumRef};
use super::super::exc::err;
use super::super::{ExcKind, Object, PyErr, PyResult, Value};
use crate::code::BinOp;
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};
use std::cmp::Ordering;

pub use super::numconv::{
    float_to_int, int_to_decimal, int_to_radix, is_py_space, parse_float, parse_int, round_float,
    round_float_to_int, round_int,
};

/// The largest int (in bits) an operation may build: beyond it, MemoryError rather than an
/// allocation that would abort the process.
pub const MAX_INT_BITS: i64 = 1 << 33;

/// A borrowed int (bools count as ints).
#[derive(Clone, Copy, Debug)]
pub enum Int<'a> {
    /// An int in the small range, or a bool.
    Small(i64),
    /// A big int.
    Big(&'a BigInt),
}

impl Int<'_> {
    /// As a `BigInt`.
    pub fn to_big(self) -> BigInt {
        match self {
            Int::Small(i) => BigInt::from(i),
            Int::Big(b) => b.clone(),
        }
    }

    /// As an `i64`, if it fits.
    pub fn to_i64(self) -> Option<i64> {
        match self {
            Int::Small(i) => Some(i),
            Int::Big(b) => b.to_i64(),
        }
    }

    /// Is it zero?
    pub fn is_zero(&self) -> bool {
        match self {
            Int::Small(i) => *i == 0,
            Int::Big(b) => b.is_zero(),
        }
    }

    /// Is it negative?
    pub fn is_negative(&self) -> bool {
        match self {
            Int::Small(i) => *i < 0,
            Int::Big(b) => b.sign() == Sign::Minus,
        }
    }

    /// As a float (OverflowError when too large).
    pub fn to_f64(self) -> PyResult<f64> {
        match self {
            Int::Small(i) => Ok(i as f64),
            Int::Big(b) => big_to_f64(b),
        }
    }
}

/// The int `v` is (an int or a bool), if it is one.
#[inline]
pub fn as_int(v: &Value) -> Option<Int<'_>> {
    if let Some(i) = v.as_small() {
        return Some(Int::Small(i));
    }
    if let Some(b) = v.as_bool() {
        return Some(Int::Small(b as i64));
    }
    match v.obj()? {
        Object::Int(b) => Some(Int::Big(b)),
        _ => None,
    }
}

/// The float `v` is, if it is a float (not an int).
#[inline]
pub fn as_float(v: &Value) -> Option<f64> {
    match v.obj()? {
        Object::Float(f) => Some(*f),
        _ => None,
    }
}

/// `v` as a float if it is an int, bool or float (`None` otherwise; OverflowError for huge ints).
pub fn to_f64(v: &Value) -> Option<PyResult<f64>> {
    if let Some(f) = as_float(v) {
        return Some(Ok(f));
    }
    as_int(v).map(|i| i.to_f64())
}

/// Normalizes a `BigInt` result: small when it fits.
pub fn int_value(b: BigInt) -> Value {
    match b.to_i64().and_then(Value::small) {
        Some(v) => v,
        None => Value::from_object(Object::Int(b)),
    }
}

/// A float value.
#[inline]
pub fn float_value(f: f64) -> Value {
    Value::from_object(Object::Float(f))
}

/// A big int as a float, correctly rounded; OverflowError when out of range.
pub fn big_to_f64(b: &BigInt) -> PyResult<f64> {
    let bits = b.bits();
    if bits <= 63 {
        return Ok(b.to_i64().map_or(0.0, |i| i as f64));
    }
    // Keep 64 significant bits plus a sticky bit, then let the u64 -> f64 conversion round.
    let mag = b.magnitude();
    let shift = bits - 64;
    let top: u64 = (mag >> shift).to_u64().unwrap_or(u64::MAX);
    let sticky = (mag.trailing_zeros().unwrap_or(0)) < shift;
    // Fold the sticky bit into the lowest bit (bits below the 53 kept are only used for
    // rounding, so this keeps round-half-even correct).
    let top = if sticky { top | 1 } else { top };
    let f = ldexp(top as f64, shift as i32);
    if f.is_infinite() {
        return Err(err::overflow("int too large to convert to float"));
    }
    Ok(if b.sign() == Sign::Minus { -f } else { f })
}

/// `x * 2**e`.
pub fn ldexp(x: f64, e: i32) -> f64 {
    if e > 1000 {
        ldexp(x * 2f64.powi(1000), e - 1000)
    } else if e < -1000 {
        ldexp(x * 2f64.powi(-1000), e + 1000)
    } else {
        x * 2f64.powi(e)
    }
}

fn zero_div(msg: &str) -> PyErr {
    err::zero_division(msg)
}

/// `x // y` rounded toward negative infinity, for small ints (`y != 0`). Small ints have at
/// most 63 bits, so the quotient cannot overflow (`i64::MIN // -1` is out of their range): the
/// wrapping division compiles to the bare instruction, with no overflow check.
#[inline(always)]
fn floor_div_small(x: i64, y: i64) -> i64 {
    let (q, r) = (x.wrapping_div(y), x.wrapping_rem(y));
    // Truncation rounded toward zero: one less when the remainder's sign is not the divisor's.
    if r != 0 && (r ^ y) < 0 {
        q - 1
    } else {
        q
    }
}

/// `x % y` with the sign of `y`, for small ints (`y != 0`; see [`floor_div_small`]).
#[inline(always)]
fn floor_mod_small(x: i64, y: i64) -> i64 {
    let r = x.wrapping_rem(y);
    if r != 0 && (r ^ y) < 0 {
        r + y
    } else {
        r
    }
}

/// `a op b` for two small ints; `None` when the result needs the big-int path (or the op is not
/// defined on ints). Sums and differences that stay small ints, the interpreter's most common
/// arithmetic, are inline; the rest is a call.
#[inline(always)]
pub fn small_binop(op: BinOp, x: i64, y: i64) -> Option<PyResult<Value>> {
    // Small ints have at most 63 bits, so sums and differences cannot overflow an i64.
    let sum = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        _ => return small_binop_other(op, x, y),
    };
    Some(Ok(match Value::small(sum) {
        Some(v) => v,
        None => Value::int(sum),
    }))
}

/// [`small_binop`] of the other operators (and of sums and differences, which it answers too).
#[inline(never)]
fn small_binop_other(op: BinOp, x: i64, y: i64) -> Option<PyResult<Value>> {
    // Small ints have at most 63 bits, so sums and differences cannot overflow an i64.
    Some(Ok(match op {
        BinOp::Add => Value::int(x + y),
        BinOp::Sub => Value::int(x - y),
        BinOp::Mul => Value::int(x.checked_mul(y)?),
        BinOp::FloorDiv => {
            if y == 0 {
                return Some(Err(zero_div("integer division or modulo by zero")));
            }
            Value::int(floor_div_small(x, y))
        }
        BinOp::Mod => {
            if y == 0 {
                return Some(Err(zero_div("integer modulo by zero")));
            }
            Value::int(floor_mod_small(x, y))
        }
        BinOp::TrueDiv => {
            if y == 0 {
                return Some(Err(zero_div("division by zero")));
            }
            const EXACT: u64 = 1 << 53;
            if x.unsigned_abs() > EXACT || y.unsigned_abs() > EXACT {
                return None;
            }
            float_value(x as f64 / y as f64)
        }
        BinOp::And => Value::int(x & y),
        BinOp::Or => Value::int(x | y),
        BinOp::Xor => Value::int(x ^ y),
        BinOp::LShift => {
            if y < 0 {
                return Some(Err(err::value_error("negative shift count")));
            }
            if x == 0 {
                return Some(Ok(Value::int(0)));
            }
            if y >= 63 {
                return None;
            }
            let r = x << y;
            if r >> y != x {
                return None;
            }
            Value::int(r)
        }
        BinOp::RShift => {
            if y < 0 {
                return Some(Err(err::value_error("negative shift count")));
            }
            Value::int(x >> y.min(63))
        }
        BinOp::Pow => {
            if y < 0 {
                return Some(float_pow(x as f64, y as f64).map(float_value));
            }
            let e = u32::try_from(y).ok()?;
            Value::int(x.checked_pow(e)?)
        }
        BinOp::MatMul => return None,
    }))
}

/// `a op b` for two ints (any size); `None` for operators ints do not define (`@`).
pub fn int_binop(op: BinOp, a: Int, b: Int) -> Option<PyResult<Value>> {
    if let (Int::Small(x), Int::Small(y)) = (a, b) {
        if let Some(r) = small_binop(op, x, y) {
            return Some(r);
        }
    }
    Some(Ok(match op {
        BinOp::Add => int_value(a.to_big() + b.to_big()),
        BinOp::Sub => int_value(a.to_big() - b.to_big()),
        BinOp::Mul => int_value(a.to_big() * b.to_big()),
        BinOp::FloorDiv => {
            if b.is_zero() {
                return Some(Err(zero_div("integer division or modulo by zero")));
            }
            int_value(a.to_big().div_floor(&b.to_big()))
        }
        BinOp::Mod => {
            if b.is_zero() {
                return Some(Err(zero_div("integer modulo by zero")));
            }
            int_value(a.to_big().mod_floor(&b.to_big()))
        }
        BinOp::TrueDiv => return Some(int_true_div(&a.to_big(), &b.to_big()).map(float_value)),
        BinOp::And => int_value(a.to_big() & b.to_big()),
        BinOp::Or => int_value(a.to_big() | b.to_big()),
        BinOp::Xor => int_value(a.to_big() ^ b.to_big()),
        BinOp::LShift => {
            if b.is_negative() {
                return Some(Err(err::value_error("negative shift count")));
            }
            if a.is_zero() {
                return Some(Ok(Value::int(0)));
            }
            match b.to_i64() {
                Some(s) if (a.to_big().bits() as i64).saturating_add(s) <= MAX_INT_BITS => {
                    int_value(a.to_big() << (s as usize))
                }
                Some(_) => return Some(Err(err::memory_error())),
                None => return Some(Err(err::overflow("too many digits in integer"))),
            }
        }
        BinOp::RShift => {
            if b.is_negative() {
                return Some(Err(err::value_error("negative shift count")));
            }
            match b.to_i64() {
                Some(s) if s < (1 << 40) => int_value(a.to_big() >> (s as usize)),
                _ => Value::int(if a.is_negative() { -1 } else { 0 }),
            }
        }
        BinOp::Pow => {
            if b.is_negative() {
                return Some((|| float_pow(a.to_f64()?, b.to_f64()?).map(float_value))());
            }
            return Some(int_pow(a, b));
        }
        BinOp::MatMul => return None,
    }))
}

/// `a ** b` for ints, `b >= 0`.
fn int_pow(a: Int, b: Int) -> PyResult<Value> {
    let base = a.to_big();
    if base.is_zero() || base.is_one() {
        return Ok(int_value(if b.is_zero() { BigInt::one() } else { base }));
    }
    if base == BigInt::from(-1) {
        let odd = match b {
            Int::Small(e) => e & 1 == 1,
            Int::Big(e) => e.is_odd(),
        };
        return Ok(Value::int(if odd { -1 } else { 1 }));
    }
    let e = b
        .to_i64()
        .and_then(|e| u32::try_from(e).ok())
        .filter(|&e| (base.bits() as i128) * (e as i128) <= MAX_INT_BITS as i128)
        .ok_or_else(err::memory_error)?;
    Ok(int_value(num_traits::Pow::pow(&base, e)))
}

/// Correctly rounded `a / b` for ints (CPython's `long_true_divide`).
pub fn int_true_div(a: &BigInt, b: &BigInt) -> PyResult<f64> {
    if b.is_zero() {
        return Err(zero_div("division by zero"));
    }
    if a.is_zero() {
        let neg = b.sign() == Sign::Minus;
        return Ok(if neg { -0.0 } else { 0.0 });
    }
    let negative = (a.sign() == Sign::Minus) != (b.sign() == Sign::Minus);
    let (na, nb) = (a.magnitude(), b.magnitude());
    if na.bits() <= 53 && nb.bits() <= 53 {
        let q = na.to_f64().unwrap_or(0.0) / nb.to_f64().unwrap_or(1.0);
        return Ok(if negative { -q } else { q });
    }
    // Scale so the integer quotient has 55..=56 bits, keep a sticky bit for the remainder.
    let shift: i64 = 55 - (na.bits() as i64 - nb.bits() as i64);
    let (num, den) = if shift >= 0 {
        (na << (shift as usize), nb.clone())
    } else {
        (na.clone(), nb << ((-shift) as usize))
    };
    let (q, r) = num.div_rem(&den);
    let mut q = q.to_u64().unwrap_or(u64::MAX);
    if !r.is_zero() {
        q |= 1;
    }
    let exp = -shift;
    if exp > 1100 {
        return Err(err::overflow(
            "integer division result too large for a float",
        ));
    }
    let f = ldexp(q as f64, exp as i32);
    if f.is_infinite() {
        return Err(err::overflow(
            "integer division result too large for a float",
        ));
    }
    Ok(if negative { -f } else { f })
}

fn is_odd_integer(w: f64) -> bool {
    w.is_finite() && w.fract() == 0.0 && (w / 2.0).fract() != 0.0
}

/// `a ** b` for floats (CPython's `float_pow`).
pub fn float_pow(iv: f64, iw: f64) -> PyResult<f64> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let av = iv.abs();
        return Ok(if av == 1.0 {
            1.0
        } else if (iw > 0.0) == (av > 1.0) {
            iw.abs()
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(if iw > 0.0 {
            if odd {
                iv
            } else {
                iv.abs()
            }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(zero_div("0.0 cannot be raised to a negative power"));
        }
        return Ok(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let mut negate = false;
    let mut v = iv;
    if iv < 0.0 {
        if iw != iw.floor() {
            return Err(err::value_error("complex results of ** are not supported"));
        }
        v = -iv;
        negate = is_odd_integer(iw);
    }
    if v == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let r = v.powf(iw);
    if r.is_infinite() {
        return Err(PyErr::with_args(
            ExcKind::OverflowError,
            vec![Value::int(34), Value::str("Numerical result out of range")],
        ));
    }
    Ok(if negate { -r } else { r })
}

/// CPython's `float_divmod` core: `(floor(a / b), a mod b)`; `b != 0`.
pub fn float_divmod_raw(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// `a op b` for floats.
pub fn float_binop(op: BinOp, a: f64, b: f64) -> Option<PyResult<Value>> {
    Some(Ok(float_value(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::TrueDiv => {
            if b == 0.0 {
                return Some(Err(zero_div("float division by zero")));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Some(Err(zero_div("float floor division by zero")));
            }
            float_divmod_raw(a, b).0
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Some(Err(zero_div("float modulo by zero")));
            }
            float_divmod_raw(a, b).1
        }
        BinOp::Pow => return Some(float_pow(a, b).map(float_value)),
        _ => return None,
    })))
}

/// `a op b` when both are numbers (int, bool, float); `None` when either is not a number or the
/// operator is not defined for them.
pub fn num_binop(op: BinOp, a: &Value, b: &Value) -> Option<PyResult<Value>> {
    if let (Some(x), Some(y)) = (a.as_bool(), b.as_bool()) {
        // bool's own `&`, `|`, `^` keep the result a bool.
        match op {
            BinOp::And => return Some(Ok(Value::bool(x & y))),
            BinOp::Or => return Some(Ok(Value::bool(x | y))),
            BinOp::Xor => return Some(Ok(Value::bool(x ^ y))),
            _ => {}
        }
    }
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        return int_binop(op, x, y);
    }
    let fa = to_f64(a)?;
    let fb = to_f64(b)?;
    if matches!(
        op,
        BinOp::And | BinOp::Or | BinOp::Xor | BinOp::LShift | BinOp::RShift | BinOp::MatMul
    ) {
        return None;
    }
    let fa = match fa {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    let fb = match fb {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    float_binop(op, fa, fb)
}

/// `divmod(a, b)` for numbers; `None` if either is not a number.
pub fn divmod(a: &Value, b: &Value) -> Option<PyResult<Value>> {
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        if y.is_zero() {
            return Some(Err(zero_div("integer division or modulo by zero")));
        }
        if let (Int::Small(p), Int::Small(q)) = (x, y) {
            let (d, m) = p.div_mod_floor(&q);
            return Some(Ok(Value::tuple(vec![Value::int(d), Value::int(m)])));
        }
        let (d, m) = x.to_big().div_mod_floor(&y.to_big());
        return Some(Ok(Value::tuple(vec![int_value(d), int_value(m)])));
    }
    let fa = to_f64(a)?;
    let fb = to_f64(b)?;
    Some((|| {
        let (fa, fb) = (fa?, fb?);
        if fb == 0.0 {
            return Err(zero_div("float divmod()"));
        }
        let (d, m) = float_divmod_raw(fa, fb);
        Ok(Value::tuple(vec![float_value(d), float_value(m)]))
    })())
}

/// `pow(a, b, m)` for ints.
pub fn pow_mod(a: Int, b: Int, m: Int) -> PyResult<Value> {
    if m.is_zero() {
        return Err(err::value_error("pow() 3rd argument cannot be 0"));
    }
    let mut modulus = m.to_big();
    let negative_mod = modulus.sign() == Sign::Minus;
    if negative_mod {
        modulus = -modulus;
    }
    let mut base = a.to_big().mod_floor(&modulus);
    let mut exp = b.to_big();
    if exp.sign() == Sign::Minus {
        base = mod_inverse(&base, &modulus)
            .ok_or_else(|| err::value_error("base is not invertible for the given modulus"))?;
        exp = -exp;
    }
    let mut r = base.modpow(&exp, &modulus);
    if negative_mod && !r.is_zero() {
        r -= &modulus;
    }
    Ok(int_value(r))
}

fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let e = a.extended_gcd(m);
    if !e.gcd.is_one() {
        return None;
    }
    Some(e.x.mod_floor(m))
}

/// `-v`, `+v`, `~v` for numbers; `None` if `v` is not a number (or `~` of a float).
pub fn num_unary(op: crate::code::UnOp, v: &Value) -> Option<Value> {
    use crate::code::UnOp;
    if let Some(i) = as_int(v) {
        return Some(match (op, i) {
            (UnOp::Neg, Int::Small(x)) => Value::int(-x),
            (UnOp::Neg, Int::Big(b)) => int_value(-b),
            (UnOp::Pos, Int::Small(x)) => Value::int(x),
            (UnOp::Pos, Int::Big(_)) => v.clone(),
            (UnOp::Invert, Int::Small(x)) => Value::int(!x),
            (UnOp::Invert, Int::Big(b)) => int_value(!b),
            (UnOp::Not, _) => Value::bool(i.is_zero()),
        });
    }
    let f = as_float(v)?;
    match op {
        UnOp::Neg => Some(float_value(-f)),
        UnOp::Pos => Some(float_value(f)),
        UnOp::Not => Some(Value::bool(f == 0.0)),
        UnOp::Invert => None,
    }
}

/// Compares two numbers; `None` if either is not a number, `Some(None)` if unordered (NaN).
pub fn num_compare(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    let x = NumRef::of(a)?;
    let y = NumRef::of(b)?;
    Some(num_cmp(&x, &y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(s: &str) -> Value {
        int_value(s.parse::<BigInt>().unwrap())
    }

    fn binop(op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
        num_binop(op, a, b).unwrap()
    }

    fn show(v: &Value) -> String {
        if let Some(i) = as_int(v) {
            return int_to_decimal(i).unwrap();
        }
        format!("{}", as_float(v).unwrap())
    }

    #[test]
    fn small_floor_division_and_modulo_round_as_python() {
        use crate::object::value::{SMALL_MAX, SMALL_MIN};
        let edges = [
            SMALL_MIN,
            SMALL_MIN + 1,
            -7,
            -3,
            -1,
            1,
            2,
            3,
            7,
            SMALL_MAX - 1,
            SMALL_MAX,
        ];
        let mut xs: Vec<i64> = (-20..=20).collect();
        xs.extend(edges);
        for &x in &xs {
            for &y in xs.iter().filter(|&&y| y != 0) {
                assert_eq!(
                    floor_div_small(x, y),
                    Integer::div_floor(&x, &y),
                    "{x} // {y}"
                );
                assert_eq!(
                    floor_mod_small(x, y),
                    Integer::mod_floor(&x, &y),
                    "{x} % {y}"
                );
            }
        }
    }

    #[test]
    fn small_big_boundary() {
        let max = Value::int(crate::object::value::SMALL_MAX);
        let one = Value::int(1);
        let r = binop(BinOp::Add, &max, &one).unwrap();
        assert!(!r.is_small());
        let back = binop(BinOp::Sub, &r, &one).unwrap();
        assert!(back.is_small());
        assert_eq!(back.as_small(), Some(crate::object::value::SMALL_MAX));
        let p = binop(BinOp::Pow, &Value::int(2), &Value::int(64)).unwrap();
        assert_eq!(show(&p), "18446744073709551616");
        let q = binop(BinOp::FloorDiv, &p, &p).unwrap();
        assert_eq!(q.as_small(), Some(1));
        let m = binop(BinOp::Mul, &Value::int(1 << 40), &Value::int(1 << 40)).unwrap();
        assert_eq!(show(&m), "1208925819614629174706176");
    }

    #[test]
    fn floor_semantics() {
        for (a, b, d, m) in [
            (7, 2, 3, 1),
            (-7, 2, -4, 1),
            (7, -2, -4, -1),
            (-7, -2, 3, -1),
        ] {
            let (x, y) = (Value::int(a), Value::int(b));
            assert_eq!(binop(BinOp::FloorDiv, &x, &y).unwrap().as_small(), Some(d));
            assert_eq!(binop(BinOp::Mod, &x, &y).unwrap().as_small(), Some(m));
        }
        let r = binop(
            BinOp::FloorDiv,
            &big("-1267650600228229401496703205376"),
            &Value::int(3),
        );
        assert_eq!(show(&r.unwrap()), "-422550200076076467165567735126");
        let e = binop(BinOp::Mod, &Value::int(1), &Value::int(0)).unwrap_err();
        assert!(e.matches(ExcKind::ZeroDivisionError));
        let fm = binop(BinOp::Mod, &float_value(-7.5), &Value::int(2)).unwrap();
        assert_eq!(as_float(&fm), Some(0.5));
    }

    #[test]
    fn pow_cases() {
        let r = binop(BinOp::Pow, &Value::int(2), &Value::int(-2)).unwrap();
        assert_eq!(as_float(&r), Some(0.25));
        let e = binop(BinOp::Pow, &Value::int(0), &Value::int(-1)).unwrap_err();
        assert!(e.matches(ExcKind::ZeroDivisionError));
        let r = pow_mod(Int::Small(3), Int::Small(-1), Int::Small(7)).unwrap();
        assert_eq!(r.as_small(), Some(5));
        let r = pow_mod(Int::Small(2), Int::Small(10), Int::Small(-7)).unwrap();
        assert_eq!(r.as_small(), Some(-5));
        assert!(pow_mod(Int::Small(2), Int::Small(-1), Int::Small(4)).is_err());
        let r = binop(BinOp::Pow, &Value::int(-3), &Value::int(3)).unwrap();
        assert_eq!(r.as_small(), Some(-27));
    }

    #[test]
    fn shifts_and_bits() {
        let r = binop(BinOp::LShift, &Value::int(1), &Value::int(100)).unwrap();
        assert_eq!(show(&r), "1267650600228229401496703205376");
        let r = binop(BinOp::RShift, &r, &Value::int(90)).unwrap();
        assert_eq!(r.as_small(), Some(1024));
        assert_eq!(
            binop(BinOp::RShift, &Value::int(-1), &Value::int(5))
                .unwrap()
                .as_small(),
            Some(-1)
        );
        assert!(binop(BinOp::LShift, &Value::int(1), &Value::int(-1)).is_err());
        let inv = num_unary(crate::code::UnOp::Invert, &big("36893488147419103232")).unwrap();
        assert_eq!(show(&inv), "-36893488147419103233");
    }

    #[test]
    fn true_division() {
        let r = int_true_div(&BigInt::from(10).pow(30u32), &BigInt::from(7)).unwrap();
        assert_eq!(r, 1.4285714285714285e+29);
        let r = int_true_div(
            &(BigInt::one() << 63usize),
            &((BigInt::one() << 62usize) + 1),
        )
        .unwrap();
        assert_eq!(r, 2.0);
        assert!(int_true_div(&(BigInt::one() << 10000usize), &BigInt::from(3)).is_err());
        let r = int_true_div(&BigInt::one(), &BigInt::from(10).pow(400u32)).unwrap();
        assert_eq!(r, 0.0);
    }

    #[test]
    fn big_float_conversion() {
        let b: BigInt = BigInt::one() << 1024usize;
        assert!(big_to_f64(&b).is_err());
        let b: BigInt = (BigInt::one() << 80usize) + 1;
        assert_eq!(big_to_f64(&b).unwrap(), 1208925819614629174706176.0);
        let digits = "1".repeat(4301);
        assert!(parse_int(&digits, 10).unwrap().is_err());
    }
}
