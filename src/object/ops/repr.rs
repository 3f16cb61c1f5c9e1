//! `repr()` and `str()` of every kind of value, as CPython 3.13 prints them: the shortest float
//! repr (`0.1`, `1e+16`), str quoting and escapes, containers with self-reference markers
//! (`[[...]]`, `{...}`), exception messages (KeyError's repr of a single argument), and the
//! `<function f at 0x...>` family.
//!
//! Invariants: a container's items are cloned out before any element is printed (its lock is
//! never held across a repr); a per-thread stack of the containers being printed stops infinite
//! recursion, as `Py_ReprEnter` does.

use super::super::exc::Exception;
use super::super::{ExcKind, Object, PyResult, TypeId, Value};
use super::{arith, type_name};
use crate::thread::ThreadState;
use std::cell::RefCell;

thread_local! {
    static REPR_STACK: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with `id` marked as being printed; returns `None` if it already is (a cycle).
fn guarded(id: usize, f: impl FnOnce() -> PyResult<String>) -> PyResult<Option<String>> {
    let entered = REPR_STACK.with(|s| {
        let mut s = s.borrow_mut();
        if s.contains(&id) {
            false
        } else {
            s.push(id);
            true
        }
    });
    if !entered {
        return Ok(None);
    }
    let r = f();
    REPR_STACK.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(pos) = s.iter().rposition(|&x| x == id) {
            s.remove(pos);
        }
    });
    r.map(Some)
}

/// `repr(v)` (`PyObject_Repr`: one unit of the C recursion budget).
pub fn repr(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    if v.is_heap() {
        let _depth = super::enter_recursive_call(ts, " while getting the repr of an object")?;
        return repr_inner(ts, v);
    }
    repr_inner(ts, v)
}

/// The repr itself (what `tp_repr` computes), without taking a recursion unit.
fn repr_inner(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    if let Some(i) = v.as_small() {
        return Ok(i.to_string());
    }
    if let Some(b) = v.as_bool() {
        return Ok(if b { "True" } else { "False" }.to_owned());
    }
    if v.is_none() {
        return Ok("None".to_owned());
    }
    let Some(obj) = v.obj() else {
        return Ok("<NULL>".to_owned());
    };
    match obj {
        Object::Int(b) => arith::int_to_decimal(arith::Int::Big(b)),
        Object::Float(f) => Ok(float_repr(*f)),
        Object::Str(s) => Ok(str_repr(s.as_str())),
        Object::Tuple(items) => {
            if items.is_empty() {
                return Ok("()".to_owned());
            }
            let items = items.to_vec();
            let r = guarded(v.id(), || {
                let mut out = String::from("(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&repr(ts, item)?);
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
                Ok(out)
            })?;
            Ok(r.unwrap_or_else(|| "(...)".to_owned()))
        }
        Object::List(l) => {
            let items = l.lock().clone();
            if items.is_empty() {
                return Ok("[]".to_owned());
            }
            let r = guarded(v.id(), || Ok(format!("[{}]", join_reprs(ts, &items)?)))?;
            Ok(r.unwrap_or_else(|| "[...]".to_owned()))
        }
        Object::Dict(d) => {
            let items: Vec<(Value, Value)> = d
                .read()
                .iter()
                .map(|(k, v)| (k.key.clone(), v.clone()))
                .collect();
            if items.is_empty() {
                return Ok("{}".to_owned());
            }
            let r = guarded(v.id(), || {
                let mut out = String::from("{");
                for (i, (k, val)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&repr(ts, k)?);
                    out.push_str(": ");
                    out.push_str(&repr(ts, val)?);
                }
                out.push('}');
                Ok(out)
            })?;
            Ok(r.unwrap_or_else(|| "{...}".to_owned()))
        }
        Object::Set(s) => {
            let items = s.lock().keys();
            if items.is_empty() {
                return Ok("set()".to_owned());
            }
            let r = guarded(v.id(), || Ok(format!("{{{}}}", join_reprs(ts, &items)?)))?;
            Ok(r.unwrap_or_else(|| "set(...)".to_owned()))
        }
        Object::Range(r) => Ok(if r.step == 1 {
            format!("range({}, {})", r.start, r.stop)
        } else {
            format!("range({}, {}, {})", r.start, r.stop, r.step)
        }),
        Object::Slice(a, b, c) => Ok(format!(
            "slice({}, {}, {})",
            repr(ts, a)?,
            repr(ts, b)?,
            repr(ts, c)?
        )),
        Object::Function(f) => Ok(format!(
            "<function {} at {:#x}>",
            f.names.qualname.as_str().unwrap_or("?"),
            v.id()
        )),
        Object::Builtin(b) => Ok(match &b.bound {
            Some(recv) => format!(
                "<built-in method {} of {} object at {:#x}>",
                b.name,
                type_name(recv),
                recv.id()
            ),
            None if is_module_owner(b.owner) => format!("<built-in function {}>", b.name),
            None => format!("<method '{}' of '{}' objects>", b.name, b.owner),
        }),
        Object::Type(t) => Ok(format!("<class '{}'>", type_qualified_name(*t))),
        Object::Exception(e) => exc_repr(ts, e),
        Object::Code(c) => Ok(format!(
            "<code object {} at {:#x}, file \"{}\", line {}>",
            c.name,
            v.id(),
            c.filename,
            c.first_line
        )),
        Object::Module(m) => {
            let name = m.name.as_str().unwrap_or("?").to_owned();
            match crate::stdlib::dict_get(&m.dict, "__file__")
                .and_then(|f| f.as_str().map(str::to_owned))
            {
                Some(file) => Ok(format!("<module '{name}' from '{file}'>")),
                None => Ok(format!("<module '{name}' (built-in)>")),
            }
        }
        Object::Iter(it) => {
            let name = it.lock().type_name();
            Ok(format!("<{name} object at {:#x}>", v.id()))
        }
        Object::RangeIter(_) => Ok(format!("<range_iterator object at {:#x}>", v.id())),
        Object::SeqIter(it) => Ok(format!("<{} object at {:#x}>", it.type_name(), v.id())),
        Object::Native(n) => {
            let r = guarded(v.id(), || n.repr(v, ts))?;
            // A mapping-like proxy prints its cycle as a dict does.
            let cycle = if n.py_type() == TypeId::FrameLocalsProxy {
                "{...}"
            } else {
                "..."
            };
            Ok(r.unwrap_or_else(|| cycle.to_owned()))
        }
    }
}

fn join_reprs(ts: &mut ThreadState, items: &[Value]) -> PyResult<String> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&repr(ts, item)?);
    }
    Ok(out)
}

/// Owners of builtins that are modules (their functions print as `<built-in function f>`);
/// any other owner is a type (`<method 'append' of 'list' objects>`).
pub fn is_module_owner(owner: &str) -> bool {
    matches!(
        owner,
        "builtins" | "sys" | "time" | "traceback" | "threading" | "_thread" | "math" | "gc" | "_io"
    )
}

/// The module a builtin type belongs to (`__module__`).
pub fn type_module(t: TypeId) -> &'static str {
    match t {
        TypeId::TextIO => "_io",
        TypeId::FrameSummary | TypeId::StackSummary => "traceback",
        _ => "builtins",
    }
}

/// The name in `<class '...'>`: qualified by the module unless it is `builtins`.
pub fn type_qualified_name(t: TypeId) -> String {
    match type_module(t) {
        "builtins" => t.name().to_owned(),
        m => format!("{m}.{}", t.name()),
    }
}

/// `str(v)` (`PyObject_Str`: one unit of the C recursion budget; types without a `__str__` of
/// their own use their repr directly).
pub fn str(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    match v.obj() {
        Some(Object::Str(s)) => Ok(s.as_str().to_owned()),
        Some(Object::Exception(e)) => {
            let _depth = super::enter_recursive_call(ts, " while getting the str of an object")?;
            exc_str(ts, e)
        }
        Some(_) => {
            let _depth = super::enter_recursive_call(ts, " while getting the str of an object")?;
            repr_inner(ts, v)
        }
        None => repr_inner(ts, v),
    }
}

/// `str(exc)`: `''` without args, `str(arg)` with one (KeyError: `repr(arg)`), else the str of
/// the args tuple.
pub fn exc_str(ts: &mut ThreadState, e: &Exception) -> PyResult<String> {
    let args = e.args.as_tuple().map(<[Value]>::to_vec).unwrap_or_default();
    match args.len() {
        0 => Ok(String::new()),
        1 if e.kind == ExcKind::KeyError => repr(ts, &args[0]),
        1 => str(ts, &args[0]),
        _ => repr(ts, &e.args),
    }
}

/// `repr(exc)`: `Kind()`, `Kind(repr(arg))`, or `Kind` followed by the repr of the args tuple.
pub fn exc_repr(ts: &mut ThreadState, e: &Exception) -> PyResult<String> {
    let args = e.args.as_tuple().map(<[Value]>::to_vec).unwrap_or_default();
    let name = e.kind.name();
    match args.len() {
        1 => Ok(format!("{name}({})", repr(ts, &args[0])?)),
        _ => Ok(format!("{name}{}", repr(ts, &e.args)?)),
    }
}

/// CPython's `float.__repr__`: the shortest string that round-trips, fixed notation when the
/// decimal exponent is in `-4 <= e < 16`, else scientific with a signed two-digit exponent.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let (neg, digits, exp) = shortest_digits(f);
    let decpt = exp + 1;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if -4 < decpt && decpt <= 16 {
        out.push_str(&fixed_from_digits(&digits, decpt, true));
    } else {
        out.push_str(&sci_from_digits(&digits, exp, false));
    }
    out
}

/// The shortest round-tripping decimal digits of a finite, non-zero `f`: `(negative, digits,
/// exponent)` with `|f| = d.ddd * 10**exponent`.
pub fn shortest_digits(f: f64) -> (bool, String, i32) {
    split_sci(&format!("{:e}", f))
}

/// `f` correctly rounded to `prec + 1` significant digits, split as [`shortest_digits`].
pub fn precision_digits(f: f64, prec: usize) -> (bool, String, i32) {
    split_sci(&format!("{:.*e}", prec, f))
}

fn split_sci(s: &str) -> (bool, String, i32) {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    (neg, digits, exp.parse().unwrap_or(0))
}

/// Digits `d1d2...` with the decimal point after `decpt` digits, in fixed notation; with
/// `dot_zero`, an integral result gets `.0`.
pub fn fixed_from_digits(digits: &str, decpt: i32, dot_zero: bool) -> String {
    let n = digits.len() as i32;
    if decpt <= 0 {
        format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
    } else if decpt >= n {
        let mut s = format!("{}{}", digits, "0".repeat((decpt - n) as usize));
        if dot_zero {
            s.push_str(".0");
        }
        s
    } else {
        format!(
            "{}.{}",
            &digits[..decpt as usize],
            &digits[decpt as usize..]
        )
    }
}

/// Digits in scientific notation, CPython style: `1e+16`, `1.5e-07`.
pub fn sci_from_digits(digits: &str, exp: i32, upper: bool) -> String {
    let mut s = String::new();
    s.push_str(&digits[..1]);
    if digits.len() > 1 {
        s.push('.');
        s.push_str(&digits[1..]);
    }
    s.push(if upper { 'E' } else { 'e' });
    s.push(if exp < 0 { '-' } else { '+' });
    s.push_str(&format!("{:02}", exp.unsigned_abs()));
    s
}

/// CPython's `str.__repr__`: single quotes unless the str contains `'` and no `"`; escapes for
/// backslash, the quote, `\t \n \r`, other control characters and non-printable characters.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c => {
                let n = c as u32;
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// `ascii(repr)`: escapes every non-ASCII character of an already computed repr.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

/// `str.isprintable()` for one non-ASCII character: false for controls, format characters,
/// separators other than the ASCII space, surrogates, private use and noncharacters (an
/// approximation of the Unicode database that covers the characters programs meet).
pub fn is_printable(c: char) -> bool {
    let n = c as u32;
    if n < 0x80 {
        return (0x20..0x7f).contains(&n);
    }
    !matches!(n,
        0x80..=0xa0
        | 0xad
        | 0x61c
        | 0x1680
        | 0x180e
        | 0x2000..=0x200f
        | 0x2028..=0x202f
        | 0x205f..=0x206f
        | 0x3000
        | 0xd800..=0xf8ff
        | 0xfeff
        | 0xfff0..=0xfffb
        | 0xfffe..=0xffff
        | 0xe0000..=0xe0fff
        | 0xf0000..
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_reprs() {
        let cases: &[(f64, &str)] = &[
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e22, "1e+22"),
            (1e-7, "1e-07"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "-0.0"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (2.0, "2.0"),
            (-2.5, "-2.5"),
            (1.4285714285714285e+29, "1.4285714285714285e+29"),
            (12345.678, "12345.678"),
        ];
        for (f, s) in cases {
            assert_eq!(float_repr(*f), *s, "{f}");
        }
    }

    #[test]
    fn str_reprs() {
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a\"b"), "'a\"b'");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("tab\there\n"), "'tab\\there\\n'");
        assert_eq!(str_repr("é日\u{0}\u{a0}"), "'é日\\x00\\xa0'");
        assert_eq!(str_repr("\\"), "'\\\\'");
    }

    #[test]
    fn nested_reprs() {
        let mut ts = ThreadState::new();
        let inner = Value::list(vec![Value::int(1), Value::str("a")]);
        let outer = Value::tuple(vec![inner.clone(), Value::NONE, Value::TRUE]);
        assert_eq!(repr(&mut ts, &outer).unwrap(), "([1, 'a'], None, True)");
        assert_eq!(
            repr(&mut ts, &Value::tuple(vec![Value::int(1)])).unwrap(),
            "(1,)"
        );
        // Self-reference.
        inner.as_list().unwrap().lock().push(inner.clone());
        assert_eq!(repr(&mut ts, &inner).unwrap(), "[1, 'a', [...]]");
        inner.as_list().unwrap().lock().clear();
    }

    #[test]
    fn recursion_limit_matches_cpython() {
        // CPython 3.13 (from Python code, no builtin call in between): `x == y` and `str(x)` of
        // lists nested 9999 deep work, 10000 deep raise RecursionError.
        let run = || {
            let mut ts = ThreadState::new();
            let nest = |n: usize| {
                let mut l = Value::list(vec![]);
                for _ in 1..n {
                    l = Value::list(vec![l]);
                }
                l
            };
            assert!(str(&mut ts, &nest(9999)).is_ok());
            assert!(str(&mut ts, &nest(10000)).is_err());
            let (a, b) = (nest(9999), nest(9999));
            assert!(crate::object::ops::eq(&mut ts, &a, &b).unwrap());
            let (a, b) = (nest(10000), nest(10000));
            assert!(crate::object::ops::eq(&mut ts, &a, &b).is_err());
        };
        std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn exception_strs() {
        let mut ts = ThreadState::new();
        let e = crate::object::exc::new_exception(ExcKind::KeyError, vec![Value::str("k")]);
        assert_eq!(str(&mut ts, &e).unwrap(), "'k'");
        assert_eq!(repr(&mut ts, &e).unwrap(), "KeyError('k')");
        let e = crate::object::exc::new_exception(
            ExcKind::ValueError,
            vec![Value::int(1), Value::str("x")],
        );
        assert_eq!(str(&mut ts, &e).unwrap(), "(1, 'x')");
        assert_eq!(repr(&mut ts, &e).unwrap(), "ValueError(1, 'x')");
        let e = crate::object::exc::new_exception(ExcKind::StopIteration, vec![]);
        assert_eq!(str(&mut ts, &e).unwrap(), "");
        assert_eq!(repr(&mut ts, &e).unwrap(), "StopIteration()");
    }
}
