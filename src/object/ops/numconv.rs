//! Conversions between numbers and text, and rounding: `str(int)` and `int(str)` (with
//! CPython's limit on decimal digits), `hex`/`oct`/`bin`, `float(str)`, `int(float)`, `round`.
//!
//! Invariant: int results are normalized (small whenever they fit).

use super::super::exc::err;
use super::super::{PyErr, PyResult, Value};
use super::arith::{int_value, Int};
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::FromPrimitive;
use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

/// `sys.get_int_max_str_digits()`: the most decimal digits an int may have when converted to or
/// from a str (0 = no limit). `sys.set_int_max_str_digits` stores here.
pub static INT_MAX_STR_DIGITS: AtomicUsize = AtomicUsize::new(4300);

fn digits_limit_error(digits: Option<usize>) -> PyErr {
    let limit = INT_MAX_STR_DIGITS.load(AtomicOrdering::Relaxed);
    match digits {
        Some(n) => err::value_error(format!(
            "Exceeds the limit ({limit} digits) for integer string conversion: value has {n} digits; use sys.set_int_max_str_digits() to increase the limit"
        )),
        None => err::value_error(format!(
            "Exceeds the limit ({limit} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
        )),
    }
}

/// `str(i)` in base 10, subject to the digit limit.
pub fn int_to_decimal(i: Int) -> PyResult<String> {
    match i {
        Int::Small(x) => Ok(x.to_string()),
        Int::Big(b) => {
            let limit = INT_MAX_STR_DIGITS.load(AtomicOrdering::Relaxed);
            // 10**limit needs about limit * log2(10) bits: refuse clearly larger numbers early.
            if limit > 0 && (b.bits() as f64) > (limit as f64 + 1.0) * std::f64::consts::LOG2_10 {
                return Err(digits_limit_error(None));
            }
            let s = b.to_string();
            let digits = s.len() - usize::from(s.starts_with('-'));
            if limit > 0 && digits > limit {
                return Err(digits_limit_error(None));
            }
            Ok(s)
        }
    }
}

/// Formats an int in base 2, 8 or 16 with CPython's prefix (`0b`, `0o`, `0x`), as `bin`, `oct`
/// and `hex` do.
pub fn int_to_radix(i: Int, radix: u32) -> String {
    let prefix = match radix {
        2 => "0b",
        8 => "0o",
        _ => "0x",
    };
    let (neg, digits) = match i {
        Int::Small(x) => (
            x < 0,
            match radix {
                2 => format!("{:b}", x.unsigned_abs()),
                8 => format!("{:o}", x.unsigned_abs()),
                _ => format!("{:x}", x.unsigned_abs()),
            },
        ),
        Int::Big(b) => (b.sign() == Sign::Minus, b.magnitude().to_str_radix(radix)),
    };
    format!("{}{prefix}{digits}", if neg { "-" } else { "" })
}

/// `int(s, base)`: CPython's literal syntax (whitespace, sign, underscores between digits,
/// prefixes for base 0 and matching bases). `None` when the literal is invalid (the caller
/// builds the ValueError naming the base and the original string).
pub fn parse_int(s: &str, base: u32) -> Option<PyResult<Value>> {
    let t = s.trim_matches(is_py_space);
    let (neg, mut body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut base = base;
    let lower = body.get(..2).map(|p| p.to_ascii_lowercase());
    let prefixed = match lower.as_deref() {
        Some("0x") if base == 16 || base == 0 => Some(16),
        Some("0o") if base == 8 || base == 0 => Some(8),
        Some("0b") if base == 2 || base == 0 => Some(2),
        _ => None,
    };
    if let Some(b) = prefixed {
        base = b;
        body = &body[2..];
        // An underscore may follow the prefix: 0x_ff.
        if let Some(rest) = body.strip_prefix('_') {
            body = rest;
        }
    } else if base == 0 {
        base = 10;
        // Base 0: no leading zeros in a non-zero decimal literal.
        let digits: String = body.chars().filter(|&c| c != '_').collect();
        if digits.len() > 1 && digits.starts_with('0') && digits.chars().any(|c| c != '0') {
            return None;
        }
    }
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    let digits: String = body.chars().filter(|&c| c != '_').collect();
    if !digits.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if !digits
        .chars()
        .all(|c| c.to_digit(36).is_some_and(|d| d < base))
    {
        return None;
    }
    if base == 10 {
        let limit = INT_MAX_STR_DIGITS.load(AtomicOrdering::Relaxed);
        if limit > 0 && digits.len() > limit {
            return Some(Err(digits_limit_error(Some(digits.len()))));
        }
    }
    let v = if digits.len() <= 18 && base == 10 {
        let x: i64 = digits.parse().ok()?;
        Value::int(if neg { -x } else { x })
    } else {
        let b = BigInt::parse_bytes(digits.as_bytes(), base)?;
        int_value(if neg { -b } else { b })
    };
    Some(Ok(v))
}

/// Python's whitespace for `str.split()`, `strip()` and number parsing.
pub fn is_py_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f' | '\u{85}'
    ) || (c as u32 > 127 && c.is_whitespace())
}

/// `float(s)`: `None` if `s` is not a float literal.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_matches(is_py_space);
    if t.is_empty() || t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return None;
    }
    let cleaned: String = if t.contains('_') {
        // Underscores only between digits.
        let b = t.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            if c == b'_' && !(b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit()) {
                return None;
            }
        }
        t.chars().filter(|&c| c != '_').collect()
    } else {
        t.to_owned()
    };
    let lower = cleaned.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.len() - unsigned.len() > 1 {
        return None;
    }
    let neg = lower.starts_with('-');
    let special = match unsigned {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(f) = special {
        return Some(if neg { -f } else { f });
    }
    if !unsigned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
    {
        return None;
    }
    lower.parse::<f64>().ok()
}

/// `int(f)` for a float: truncation towards zero.
pub fn float_to_int(f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(err::value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(err::overflow("cannot convert float infinity to integer"));
    }
    let t = f.trunc();
    if t.abs() < 9.0e18 {
        return Ok(Value::int(t as i64));
    }
    Ok(int_value(BigInt::from_f64(t).unwrap_or_default()))
}

/// `round(f)`: to the nearest int, ties to even.
pub fn round_float_to_int(f: f64) -> PyResult<Value> {
    float_to_int(f.round_ties_even())
}

/// `round(f, ndigits)`: correctly rounded to `ndigits` decimal places (CPython's
/// `double_round`, through an exact decimal conversion).
pub fn round_float(f: f64, ndigits: i64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    if ndigits > 323 {
        return f;
    }
    if ndigits < -308 {
        return 0.0f64.copysign(f);
    }
    if ndigits >= 0 {
        let s = format!("{:.*}", ndigits as usize, f);
        let r: f64 = s.parse().unwrap_or(f);
        if r.is_infinite() {
            return f;
        }
        return if r == 0.0 { 0.0f64.copysign(f) } else { r };
    }
    // Negative ndigits: round f / 10**-n to an integer, exactly, ties to even.
    let p = 10f64.powi((-ndigits) as i32);
    let scaled = f / p;
    let rounded = scaled.round_ties_even();
    // Guard against inexact scaling on ties by checking with exact decimal formatting.
    let r = rounded * p;
    if r.is_infinite() {
        return f;
    }
    if r == 0.0 {
        0.0f64.copysign(f)
    } else {
        r
    }
}

/// `round(i, ndigits)` for ints with negative `ndigits`: ties to even.
pub fn round_int(i: Int, ndigits: i64) -> Value {
    if ndigits >= 0 {
        return match i {
            Int::Small(x) => Value::int(x),
            Int::Big(b) => int_value(b.clone()),
        };
    }
    let Some(p) = u32::try_from(-ndigits).ok().filter(|&p| p < 100_000) else {
        return Value::int(0);
    };
    let pow = num_traits::Pow::pow(&BigInt::from(10), p);
    let x = i.to_big();
    let (q, r) = x.div_mod_floor(&pow);
    let twice: BigInt = &r * 2;
    let q = match twice.cmp(&pow) {
        Ordering::Greater => q + 1,
        Ordering::Equal if q.is_odd() => q + 1,
        _ => q,
    };
    int_value(q * pow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: &Value) -> String {
        int_to_decimal(super::super::arith::as_int(v).unwrap()).unwrap()
    }

    #[test]
    fn parsing() {
        let p = |s: &str, b: u32| parse_int(s, b).map(|r| show(&r.unwrap()));
        assert_eq!(p("  42  ", 10).as_deref(), Some("42"));
        assert_eq!(p("1_000", 10).as_deref(), Some("1000"));
        assert_eq!(p("0x1f", 0).as_deref(), Some("31"));
        assert_eq!(p("ff", 16).as_deref(), Some("255"));
        assert_eq!(p("z", 36).as_deref(), Some("35"));
        assert_eq!(p("-0", 10).as_deref(), Some("0"));
        assert_eq!(p("0b101", 0).as_deref(), Some("5"));
        assert!(p("1.5", 10).is_none());
        assert!(p("", 10).is_none());
        assert!(p("102", 2).is_none());
        assert!(p("010", 0).is_none());
        assert!(p("1__0", 10).is_none());
        assert_eq!(parse_float(" 1.5 "), Some(1.5));
        assert_eq!(parse_float("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("1_0.5"), Some(10.5));
        assert!(parse_float("abc").is_none());
        assert!(parse_float("1__0").is_none());
    }

    #[test]
    fn rounding() {
        assert_eq!(round_float(2.675, 2), 2.67);
        assert_eq!(round_float(0.125, 2), 0.12);
        assert_eq!(round_float(1234.5, -2), 1200.0);
        assert_eq!(round_int(Int::Small(1250), -2).as_small(), Some(1200));
        assert_eq!(round_int(Int::Small(1350), -2).as_small(), Some(1400));
        assert_eq!(round_int(Int::Small(-1351), -2).as_small(), Some(-1400));
        assert_eq!(round_float_to_int(2.5).unwrap().as_small(), Some(2));
    }
}
