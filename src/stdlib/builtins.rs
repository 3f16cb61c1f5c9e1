//! The `builtins` module: the builtin functions, the builtin types (calling one constructs an
//! instance: [`call_type`]) and every builtin exception type, with CPython 3.13's behaviour and
//! argument errors ([`args`]).

pub mod args;
mod iteration;
mod types;

pub use types::call_type;

use iteration::{
    b_all, b_any, b_enumerate, b_filter, b_iter, b_map, b_max, b_min, b_next, b_reversed, b_sorted,
    b_sum, b_zip,
};

use super::io;
use super::native;
use crate::code::BinOp;
use crate::object::dict::HashKey;
use crate::object::exc::{err, new_exception};
use crate::object::ops::arith::{self, as_float, as_int, float_value, Int};
use crate::object::ops::{self, containers, index_i64, repr, type_name};
use crate::object::{ExcKind, KwArgs, Object, PyErr, PyResult, TypeId, Value};
use crate::thread::ThreadState;

/// The builtins module's dict: every builtin function, type and exception type.
pub fn make_builtins_dict() -> Value {
    let d = Value::dict();
    let set = |name: &str, v: Value| super::dict_set(&d, name, v);
    set("__name__", Value::str("builtins"));
    for &(name, func) in FUNCTIONS {
        set(name, native(name, "builtins", func));
    }
    for t in [
        TypeId::Int,
        TypeId::Bool,
        TypeId::Float,
        TypeId::Str,
        TypeId::List,
        TypeId::Tuple,
        TypeId::Dict,
        TypeId::Set,
        TypeId::Range,
        TypeId::Slice,
        TypeId::Type,
        TypeId::Object,
    ] {
        set(t.name(), t.object());
    }
    for &k in ExcKind::ALL {
        set(k.name(), TypeId::Exc(k).object());
    }
    d
}

const FUNCTIONS: &[(&str, crate::object::NativeFn)] = &[
    ("print", b_print),
    ("len", b_len),
    ("repr", b_repr),
    ("ascii", b_ascii),
    ("abs", b_abs),
    ("hash", b_hash),
    ("id", b_id),
    ("callable", b_callable),
    ("hex", b_hex),
    ("oct", b_oct),
    ("bin", b_bin),
    ("ord", b_ord),
    ("chr", b_chr),
    ("any", b_any),
    ("all", b_all),
    ("sum", b_sum),
    ("min", b_min),
    ("max", b_max),
    ("sorted", b_sorted),
    ("reversed", b_reversed),
    ("enumerate", b_enumerate),
    ("zip", b_zip),
    ("map", b_map),
    ("filter", b_filter),
    ("iter", b_iter),
    ("next", b_next),
    ("isinstance", b_isinstance),
    ("issubclass", b_issubclass),
    ("hasattr", b_hasattr),
    ("getattr", b_getattr),
    ("setattr", b_setattr),
    ("delattr", b_delattr),
    ("divmod", b_divmod),
    ("pow", b_pow),
    ("round", b_round),
    ("format", b_format),
    ("globals", b_globals),
    ("locals", b_locals),
    ("vars", b_vars),
    ("dir", b_dir),
    ("exit", b_exit),
    ("quit", b_exit),
];

fn str_or_none(v: &Option<Value>, what: &str, default: &'static str) -> PyResult<String> {
    match v {
        None => Ok(default.to_owned()),
        Some(v) if v.is_none() => Ok(default.to_owned()),
        Some(v) => v.as_str().map(str::to_owned).ok_or_else(|| {
            err::type_error(format!(
                "{what} must be None or a string, not {}",
                type_name(v)
            ))
        }),
    }
}

/// The current `sys.stdout` (what `print` writes to by default): the `sys` module's attribute
/// when `sys` was imported (a program may replace it), else the process stdout.
pub fn current_stdout() -> Value {
    let sys = crate::thread::runtime().modules.lock().get("sys").cloned();
    if let Some(Object::Module(m)) = sys.as_ref().and_then(|s| s.obj()) {
        if let Some(out) = super::dict_get(&m.dict, "stdout") {
            return out;
        }
    }
    io::stdout()
}

fn b_print(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (mut sep, mut end, mut file, mut flush) = (None, None, None, None);
    for (k, v) in kw {
        match k.as_str().unwrap_or("") {
            "sep" => sep = Some(v.clone()),
            "end" => end = Some(v.clone()),
            "file" => file = Some(v.clone()),
            "flush" => flush = Some(v.clone()),
            other => {
                return Err(err::type_error(format!(
                    "print() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    let sep = str_or_none(&sep, "sep", " ")?;
    let end = str_or_none(&end, "end", "\n")?;
    let file = match file {
        Some(f) if !f.is_none() => f,
        _ => current_stdout(),
    };
    if let Some(t) = file.downcast::<io::TextIO>() {
        // Our own stream: build the line and write it once.
        let mut out = String::new();
        for (i, v) in a.iter().enumerate() {
            if i > 0 {
                out.push_str(&sep);
            }
            match v.as_str() {
                Some(s) => out.push_str(s),
                None => out.push_str(&ops::str(ts, v)?),
            }
        }
        out.push_str(&end);
        t.write_str(&out);
    } else {
        for (i, v) in a.iter().enumerate() {
            if i > 0 {
                io::write_to(ts, &file, &sep)?;
            }
            let s = ops::str(ts, v)?;
            io::write_to(ts, &file, &s)?;
        }
        io::write_to(ts, &file, &end)?;
    }
    if let Some(f) = flush {
        if ops::truthy(ts, &f)? {
            io::flush_file(ts, &file)?;
        }
    }
    Ok(Value::NONE)
}

fn b_len(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "len")?;
    Ok(Value::int(ops::len(ts, v)? as i64))
}

fn b_repr(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "repr")?;
    // CPython's CALL_BUILTIN_O takes a unit of the C recursion budget.
    let _depth = ops::enter_recursive_call(ts, " while calling a Python object")?;
    Ok(Value::string(ops::repr(ts, v)?))
}

fn b_ascii(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "ascii")?;
    let _depth = ops::enter_recursive_call(ts, " while calling a Python object")?;
    Ok(Value::string(repr::ascii_escape(&ops::repr(ts, v)?)))
}

fn b_abs(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "abs")?;
    if let Some(i) = as_int(v) {
        return Ok(match i {
            Int::Small(x) => Value::int(x.abs()),
            Int::Big(b) => arith::int_value(num_traits::Signed::abs(b)),
        });
    }
    if let Some(f) = as_float(v) {
        return Ok(float_value(f.abs()));
    }
    Err(err::type_error(format!(
        "bad operand type for abs(): '{}'",
        type_name(v)
    )))
}

fn b_hash(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "hash")?;
    Ok(Value::int(crate::object::dict::hash(v)? as i64))
}

fn b_id(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "id")?;
    Ok(arith::int_value(num_bigint::BigInt::from(v.id())))
}

/// `callable(v)`.
pub fn is_callable(v: &Value) -> bool {
    matches!(
        v.obj(),
        Some(Object::Function(_) | Object::Builtin(_) | Object::Type(_))
    )
}

fn b_callable(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "callable")?;
    Ok(Value::bool(is_callable(v)))
}

pub(super) fn int_arg(v: &Value) -> PyResult<Int<'_>> {
    as_int(v).ok_or_else(|| {
        err::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(v)
        ))
    })
}

fn radix(a: &[Value], kw: KwArgs, name: &str, r: u32) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, name)?;
    Ok(Value::string(arith::int_to_radix(int_arg(v)?, r)))
}

fn b_hex(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    radix(a, kw, "hex", 16)
}

fn b_oct(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    radix(a, kw, "oct", 8)
}

fn b_bin(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    radix(a, kw, "bin", 2)
}

fn b_ord(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "ord")?;
    let Some(s) = v.as_pystr() else {
        return Err(err::type_error(format!(
            "ord() expected string of length 1, but {} found",
            type_name(v)
        )));
    };
    let mut chars = s.as_str().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(Value::int(c as i64)),
        _ => Err(err::type_error(format!(
            "ord() expected a character, but string of length {} found",
            s.char_len()
        ))),
    }
}

fn b_chr(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "chr")?;
    let i = int_arg(v)?;
    let c = i
        .to_i64()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n < 0x110000)
        .ok_or_else(|| err::value_error("chr() arg not in range(0x110000)"))?;
    match char::from_u32(c) {
        Some(ch) => Ok(containers::char_value(ch)),
        // Lone surrogates cannot live in a Rust str.
        None => Err(err::value_error(format!(
            "chr() of a surrogate ({c:#x}) is not supported"
        ))),
    }
}

/// `isinstance(v, classinfo)` where classinfo is a type or a (nested) tuple of types; `None` if
/// classinfo is neither.
pub fn isinstance(v: &Value, classinfo: &Value) -> Option<bool> {
    if let Some(t) = classinfo.as_type() {
        return Some(t == TypeId::Object || v.py_type().is_subtype(t));
    }
    let items = classinfo.as_tuple()?;
    let mut result = false;
    for item in items {
        if isinstance(v, item)? {
            result = true;
        }
    }
    Some(result)
}

fn b_isinstance(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "isinstance", "isinstance", 2, 2)?;
    isinstance(&a[0], &a[1]).map(Value::bool).ok_or_else(|| {
        err::type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")
    })
}

fn subclass_of(t: TypeId, classinfo: &Value) -> Option<bool> {
    if let Some(c) = classinfo.as_type() {
        return Some(c == TypeId::Object || t.is_subtype(c));
    }
    let items = classinfo.as_tuple()?;
    let mut result = false;
    for item in items {
        if subclass_of(t, item)? {
            result = true;
        }
    }
    Some(result)
}

fn b_issubclass(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "issubclass", "issubclass", 2, 2)?;
    let Some(t) = a[0].as_type() else {
        return Err(err::type_error("issubclass() arg 1 must be a class"));
    };
    subclass_of(t, &a[1]).map(Value::bool).ok_or_else(|| {
        err::type_error("issubclass() arg 2 must be a class, a tuple of classes, or a union")
    })
}

fn attr_name(v: &Value) -> PyResult<&str> {
    v.as_str().ok_or_else(|| {
        err::type_error(format!(
            "attribute name must be string, not '{}'",
            type_name(v)
        ))
    })
}

fn b_hasattr(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "hasattr", "hasattr", 2, 2)?;
    let name = attr_name(&a[1])?;
    match ops::attr::lookup_attr(ts, &a[0], name) {
        Ok(v) => Ok(Value::bool(v.is_some())),
        Err(e) if e.matches(ExcKind::AttributeError) => Ok(Value::FALSE),
        Err(e) => Err(e),
    }
}

fn b_getattr(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "getattr", "getattr", 2, 3)?;
    let name = attr_name(&a[1])?;
    match a.get(2) {
        None => ops::getattr(ts, &a[0], name),
        Some(default) => match ops::getattr(ts, &a[0], name) {
            Ok(v) => Ok(v),
            Err(e) if e.matches(ExcKind::AttributeError) => Ok(default.clone()),
            Err(e) => Err(e),
        },
    }
}

fn b_setattr(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "setattr", "setattr", 3, 3)?;
    let name = attr_name(&a[1])?;
    ops::setattr(ts, &a[0], name, a[2].clone())?;
    Ok(Value::NONE)
}

fn b_delattr(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "delattr", "delattr", 2, 2)?;
    let name = attr_name(&a[1])?;
    if let Some(Object::Module(m)) = a[0].obj() {
        let key = HashKey::new(Value::str(name))?;
        let removed = m.dict.as_dict().and_then(|d| d.lock().shift_remove(&key));
        return match removed {
            Some(_) => Ok(Value::NONE),
            None => Err(ops::attr::attr_error(&a[0], name)),
        };
    }
    Err(ops::attr::attr_error(&a[0], name))
}

fn b_divmod(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "divmod", "divmod", 2, 2)?;
    match arith::divmod(&a[0], &a[1]) {
        Some(r) => r,
        None => Err(err::type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            type_name(&a[0]),
            type_name(&a[1])
        ))),
    }
}

fn b_pow(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let p = args::parse(a, kw, "pow", &["base", "exp", "mod"], 3, 2)?;
    let (Some(base), Some(exp)) = (&p[0], &p[1]) else {
        return Err(err::type_error(
            "pow() missing required argument 'base' (pos 1)",
        ));
    };
    match &p[2] {
        Some(m) if !m.is_none() => match (as_int(base), as_int(exp), as_int(m)) {
            (Some(x), Some(y), Some(z)) => arith::pow_mod(x, y, z),
            _ => {
                let numeric = |v: &Value| as_int(v).is_some() || as_float(v).is_some();
                if numeric(base) && numeric(exp) && numeric(m) {
                    Err(err::type_error(
                        "pow() 3rd argument not allowed unless all arguments are integers",
                    ))
                } else {
                    Err(err::type_error(format!(
                        "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
                        type_name(base),
                        type_name(exp),
                        type_name(m)
                    )))
                }
            }
        },
        _ => ops::binary_op(ts, BinOp::Pow, base, exp),
    }
}

fn b_round(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let p = args::parse(a, kw, "round", &["number", "ndigits"], 2, 1)?;
    let Some(number) = &p[0] else {
        return Err(err::type_error(
            "round() missing required argument 'number' (pos 1)",
        ));
    };
    let ndigits = match &p[1] {
        Some(n) if !n.is_none() => Some(index_i64(n)?),
        _ => None,
    };
    if let Some(i) = as_int(number) {
        return Ok(match ndigits {
            None => match i {
                Int::Small(x) => Value::int(x),
                Int::Big(_) => number.clone(),
            },
            Some(n) => arith::round_int(i, n),
        });
    }
    if let Some(f) = as_float(number) {
        return match ndigits {
            None => arith::round_float_to_int(f),
            Some(n) => Ok(float_value(arith::round_float(f, n))),
        };
    }
    Err(err::type_error(format!(
        "type {} doesn't define __round__ method",
        type_name(number)
    )))
}

fn b_format(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "format", "format", 1, 2)?;
    let spec = match a.get(1) {
        Some(s) => s.as_str().ok_or_else(|| {
            err::type_error(format!(
                "format() argument 2 must be str, not {}",
                type_name(s)
            ))
        })?,
        None => "",
    };
    Ok(Value::string(ops::format(ts, &a[0], spec)?))
}

/// The frame object of the running Python function (the caller of a builtin).
fn current_frame(ts: &mut ThreadState) -> PyResult<Value> {
    crate::frame::eval_get_frame(ts).ok_or_else(|| err::runtime_error("no current frame"))
}

/// `globals()`: the globals dict of the running function (read without building a frame
/// object).
pub fn globals(ts: &mut ThreadState) -> PyResult<Value> {
    crate::frame::current_globals(ts).ok_or_else(|| err::runtime_error("no current frame"))
}

/// `locals()`: a new snapshot dict of a function frame's locals; a module frame's globals.
pub fn locals(ts: &mut ThreadState) -> PyResult<Value> {
    let f = current_frame(ts)?;
    let Some(fo) = f.downcast::<crate::FrameObject>() else {
        return Err(err::runtime_error("no current frame"));
    };
    if fo.code().is_module() {
        return Ok(fo.globals().clone());
    }
    let d = Value::dict();
    for (name, v) in fo.locals(ts)? {
        super::dict_set(&d, &name, v);
    }
    Ok(d)
}

fn b_globals(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "globals")?;
    globals(ts)
}

fn b_locals(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "locals")?;
    locals(ts)
}

fn b_vars(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "vars", "vars", 0, 1)?;
    match a.first() {
        None => locals(ts),
        Some(v) => match v.obj() {
            Some(Object::Module(m)) => Ok(m.dict.clone()),
            _ => Err(err::type_error(
                "vars() argument must have __dict__ attribute",
            )),
        },
    }
}

fn b_dir(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "dir", "dir", 0, 1)?;
    let mut names: Vec<String> = match a.first() {
        None => {
            let l = locals(ts)?;
            let keys = l
                .as_dict()
                .map(|d| d.read().keys().map(|k| k.key.clone()).collect::<Vec<_>>());
            keys.unwrap_or_default()
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        }
        Some(v) => match v.obj() {
            Some(Object::Module(m)) => m
                .dict
                .as_dict()
                .map(|d| {
                    d.read()
                        .keys()
                        .filter_map(|k| k.key.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            _ => {
                let t = match v.as_type() {
                    Some(t) => t,
                    None => v.py_type(),
                };
                let mut n: Vec<String> = super::methods::method_names(t)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                n.push("__class__".to_owned());
                n
            }
        },
    };
    names.sort();
    names.dedup();
    Ok(Value::list(names.into_iter().map(Value::string).collect()))
}

fn b_exit(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "exit", "exit", 0, 1)?;
    Err(PyErr::from_value(new_exception(
        ExcKind::SystemExit,
        a.to_vec(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: crate::object::NativeFn, a: Vec<Value>) -> String {
        let mut ts = ThreadState::new();
        match f(&mut ts, &a, &[]) {
            Ok(v) => ops::repr(&mut ts, &v).unwrap(),
            Err(e) => format!(
                "{}: {}",
                e.kind().name(),
                ops::str(&mut ts, e.value()).unwrap()
            ),
        }
    }

    #[test]
    fn conversions() {
        let ct = |t: TypeId, a: Vec<Value>| {
            let mut ts = ThreadState::new();
            match call_type(&mut ts, t, &a, &[]) {
                Ok(v) => ops::repr(&mut ts, &v).unwrap(),
                Err(e) => format!(
                    "{}: {}",
                    e.kind().name(),
                    ops::str(&mut ts, e.value()).unwrap()
                ),
            }
        };
        assert_eq!(ct(TypeId::Int, vec![Value::str("  42  ")]), "42");
        assert_eq!(
            ct(TypeId::Int, vec![Value::str("abc")]),
            "ValueError: invalid literal for int() with base 10: 'abc'"
        );
        assert_eq!(
            ct(TypeId::Int, vec![Value::str("1"), Value::int(99)]),
            "ValueError: int() base must be >= 2 and <= 36, or 0"
        );
        assert_eq!(ct(TypeId::Int, vec![Value::list(vec![])]), "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'");
        assert_eq!(
            ct(TypeId::Float, vec![Value::str("abc")]),
            "ValueError: could not convert string to float: 'abc'"
        );
        assert_eq!(
            ct(
                TypeId::Range,
                vec![Value::int(1), Value::int(5), Value::int(0)]
            ),
            "ValueError: range() arg 3 must not be zero"
        );
        assert_eq!(
            ct(TypeId::Range, vec![Value::str("3")]),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        assert_eq!(
            ct(
                TypeId::Set,
                vec![Value::list(vec![
                    Value::int(3),
                    Value::int(1),
                    Value::int(3)
                ])]
            ),
            "{1, 3}"
        );
        assert_eq!(
            ct(TypeId::Exc(ExcKind::ValueError), vec![Value::str("x")]),
            "ValueError('x')"
        );
        assert_eq!(
            ct(TypeId::Dict, vec![Value::list(vec![Value::int(1)])]),
            "TypeError: cannot convert dictionary update sequence element #0 to a sequence"
        );
    }

    #[test]
    fn functions() {
        assert_eq!(
            run(b_len, vec![]),
            "TypeError: len() takes exactly one argument (0 given)"
        );
        assert_eq!(
            run(b_divmod, vec![Value::int(-17), Value::int(5)]),
            "(-4, 3)"
        );
        assert_eq!(
            run(b_divmod, vec![Value::int(1)]),
            "TypeError: divmod expected 2 arguments, got 1"
        );
        assert_eq!(run(b_hex, vec![Value::int(-1)]), "'-0x1'");
        assert_eq!(
            run(b_hex, vec![Value::str("1")]),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        assert_eq!(
            run(b_ord, vec![Value::str("ab")]),
            "TypeError: ord() expected a character, but string of length 2 found"
        );
        assert_eq!(
            run(b_chr, vec![Value::int(1114112)]),
            "ValueError: chr() arg not in range(0x110000)"
        );
        assert_eq!(
            run(b_pow, vec![Value::int(2), Value::int(3), Value::int(0)]),
            "ValueError: pow() 3rd argument cannot be 0"
        );
        assert_eq!(
            run(b_pow, vec![Value::int(3), Value::int(-1), Value::int(7)]),
            "5"
        );
        assert_eq!(
            run(b_round, vec![float_value(2.675), Value::int(2)]),
            "2.67"
        );
        assert_eq!(run(b_round, vec![float_value(2.5)]), "2");
        assert_eq!(
            run(b_max, vec![]),
            "TypeError: max expected at least 1 argument, got 0"
        );
        assert_eq!(
            run(b_max, vec![Value::list(vec![])]),
            "ValueError: max() iterable argument is empty"
        );
        assert_eq!(
            run(b_min, vec![Value::int(4), Value::int(2), Value::int(8)]),
            "2"
        );
        assert_eq!(
            run(b_sum, vec![Value::list(vec![Value::str("a")])]),
            "TypeError: unsupported operand type(s) for +: 'int' and 'str'"
        );
        assert_eq!(
            run(b_sorted, vec![]),
            "TypeError: sorted expected 1 argument, got 0"
        );
        assert_eq!(
            run(
                b_sorted,
                vec![Value::list(vec![
                    Value::int(3),
                    Value::str("a"),
                    Value::int(1)
                ])]
            ),
            "TypeError: '<' not supported between instances of 'str' and 'int'"
        );
        assert_eq!(
            run(b_isinstance, vec![Value::TRUE, TypeId::Int.object()]),
            "True"
        );
        assert_eq!(
            run(b_isinstance, vec![Value::int(1), Value::int(2)]),
            "TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union"
        );
        assert_eq!(run(b_abs, vec![Value::TRUE]), "1");
    }
}
