//! The `builtins` module: the builtin functions, the builtin types (calling one constructs an
//! instance: [`call_type`]) and every builtin exception type, with CPython 3.13's behaviour and
//! argument errors ([`args`]).

pub mod args;
mod types;

pub use types::{call_type, set_from_items, PlainObject};

use super::io;
use super::native;
use crate::code::{BinOp, CmpOp};
use crate::object::dict::HashKey;
use crate::object::exc::{err, new_exception};
use crate::object::ops::arith::{self, as_float, as_int, float_value, Int};
use crate::object::ops::iter::{get_iter, iter_next, new_iter, IterState};
use crate::object::ops::views::{DictView, ViewKind};
use crate::object::ops::{self, compare, containers, index_i64, repr, type_name};
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
    Ok(Value::string(ops::repr(ts, v)?))
}

fn b_ascii(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "ascii")?;
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

fn int_arg(v: &Value) -> PyResult<Int<'_>> {
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

fn b_any(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "any")?;
    let it = get_iter(ts, v)?;
    while let Some(x) = iter_next(ts, &it)? {
        if ops::truthy(ts, &x)? {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

fn b_all(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let v = args::exactly_one(a, kw, "all")?;
    let it = get_iter(ts, v)?;
    while let Some(x) = iter_next(ts, &it)? {
        if !ops::truthy(ts, &x)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

fn b_sum(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    if a.is_empty() && kw.is_empty() {
        return Err(err::type_error(
            "sum() takes at least 1 positional argument (0 given)",
        ));
    }
    let p = args::parse(a, kw, "sum", &["iterable", "start"], 2, 0)?;
    let Some(iterable) = &p[0] else {
        return Err(err::type_error(
            "sum() takes at least 1 positional argument (0 given)",
        ));
    };
    let mut acc = p[1].clone().unwrap_or(Value::int(0));
    if acc.as_str().is_some() {
        return Err(err::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    let it = get_iter(ts, iterable)?;
    // CPython's phases: exact C-long ints, then floats with Neumaier compensation, then generic
    // `+`. Each phase hands the first item it cannot take to the next one.
    let mut pending: Option<Value> = None;
    if let (Some(mut total), None) = (acc.as_small(), acc.as_bool()) {
        loop {
            let Some(x) = iter_next(ts, &it)? else {
                return Ok(Value::int(total));
            };
            let add = match as_int(&x) {
                Some(Int::Small(b)) => total.checked_add(b),
                _ => None,
            };
            match add {
                Some(t) => total = t,
                None => {
                    acc = ops::binary_op(ts, BinOp::Add, &Value::int(total), &x)?;
                    break;
                }
            }
        }
    }
    if let Some(mut f) = as_float(&acc) {
        let mut c = 0.0f64;
        loop {
            let Some(x) = iter_next(ts, &it)? else {
                if c != 0.0 && c.is_finite() {
                    f += c;
                }
                return Ok(float_value(f));
            };
            if let Some(v) = as_float(&x) {
                let t = f + v;
                if f.abs() >= v.abs() {
                    c += (f - t) + v;
                } else {
                    c += (v - t) + f;
                }
                f = t;
                continue;
            }
            if let Some(Int::Small(i)) = as_int(&x) {
                f += i as f64;
                continue;
            }
            if c != 0.0 && c.is_finite() {
                f += c;
            }
            acc = float_value(f);
            pending = Some(x);
            break;
        }
    }
    if let Some(x) = pending {
        acc = ops::binary_op(ts, BinOp::Add, &acc, &x)?;
    }
    while let Some(x) = iter_next(ts, &it)? {
        acc = ops::binary_op(ts, BinOp::Add, &acc, &x)?;
    }
    Ok(acc)
}

fn min_max(
    ts: &mut ThreadState,
    a: &[Value],
    kw: KwArgs,
    name: &str,
    op: CmpOp,
) -> PyResult<Value> {
    let (mut key, mut default) = (None, None);
    for (k, v) in kw {
        match k.as_str().unwrap_or("") {
            "key" => key = Some(v.clone()).filter(|v| !v.is_none()),
            "default" => default = Some(v.clone()),
            other => {
                return Err(err::type_error(format!(
                    "{name}() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    if a.is_empty() {
        return Err(err::type_error(format!(
            "{name} expected at least 1 argument, got 0"
        )));
    }
    if a.len() > 1 && default.is_some() {
        return Err(err::type_error(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        )));
    }
    let items: Vec<Value> = if a.len() == 1 {
        let it = get_iter(ts, &a[0])?;
        let mut v = Vec::new();
        while let Some(x) = iter_next(ts, &it)? {
            v.push(x);
        }
        v
    } else {
        a.to_vec()
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => crate::interp::call(ts, f, std::slice::from_ref(&item), &[])?,
            None => item.clone(),
        };
        best = match best {
            None => Some((k, item)),
            Some((bk, bv)) => {
                if compare::rich_bool(ts, op, &k, &bk)? {
                    Some((k, item))
                } else {
                    Some((bk, bv))
                }
            }
        };
    }
    match best {
        Some((_, v)) => Ok(v),
        None => {
            default.ok_or_else(|| err::value_error(format!("{name}() iterable argument is empty")))
        }
    }
}

fn b_min(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    min_max(ts, a, kw, "min", CmpOp::Lt)
}

fn b_max(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    min_max(ts, a, kw, "max", CmpOp::Gt)
}

fn b_sorted(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::check_count("sorted", a.len(), 1, 1)?;
    let mut items = ops::iter::collect(ts, &a[0])?;
    let p = args::parse(&[], kw, "sort", &["key", "reverse"], 0, 0)?;
    let reverse = match &p[1] {
        Some(r) => ops::truthy(ts, r)?,
        None => false,
    };
    let key = p[0].clone().filter(|k| !k.is_none());
    ops::sort::sort_values(ts, &mut items, key.as_ref(), reverse)?;
    Ok(Value::list(items))
}

fn b_reversed(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "reversed", "reversed", 1, 1)?;
    let v = &a[0];
    let state = match v.obj() {
        Some(Object::List(l)) => IterState::Reversed {
            seq: v.clone(),
            index: l.lock().len(),
        },
        Some(Object::Tuple(t)) => IterState::Reversed {
            seq: v.clone(),
            index: t.len(),
        },
        Some(Object::Str(s)) => {
            let mut items: Vec<Value> = s.as_str().chars().map(containers::char_value).collect();
            items.reverse();
            IterState::Items {
                items,
                index: 0,
                name: "reversed",
            }
        }
        Some(Object::Range(r)) => {
            let n = containers::range_len(r);
            let last = r.start as i128 + (n as i128 - 1) * r.step as i128;
            IterState::Range {
                next: last as i64,
                step: r.step.wrapping_neg(),
                remaining: n,
            }
        }
        Some(Object::Dict(d)) => IterState::Dict {
            dict: v.clone(),
            pos: 0,
            len: d.lock().len(),
            kind: ViewKind::Keys,
            reverse: true,
        },
        Some(Object::Native(n)) => match n.as_any().downcast_ref::<DictView>() {
            Some(view) => IterState::Dict {
                dict: view.dict.clone(),
                pos: 0,
                len: view.dict.as_dict().map_or(0, |d| d.lock().len()),
                kind: view.kind,
                reverse: true,
            },
            None => return Err(not_reversible(v)),
        },
        _ => return Err(not_reversible(v)),
    };
    let _ = ts;
    Ok(new_iter(state))
}

fn not_reversible(v: &Value) -> PyErr {
    err::type_error(format!("'{}' object is not reversible", type_name(v)))
}

fn b_enumerate(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    for (k, _) in kw {
        let n = k.as_str().unwrap_or("");
        if n != "iterable" && n != "start" {
            return Err(err::type_error(format!(
                "'{n}' is an invalid keyword argument for enumerate()"
            )));
        }
    }
    let p = args::parse(a, kw, "enumerate", &["iterable", "start"], 2, 1)?;
    let Some(iterable) = &p[0] else {
        return Err(err::type_error(
            "enumerate() missing required argument 'iterable'",
        ));
    };
    let count = match &p[1] {
        Some(s) => {
            let i = int_arg(s)?;
            match i {
                Int::Small(x) => Value::int(x),
                Int::Big(_) => s.clone(),
            }
        }
        None => Value::int(0),
    };
    let it = get_iter(ts, iterable)?;
    Ok(new_iter(IterState::Enumerate { it, count }))
}

fn b_zip(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let mut strict = false;
    for (k, v) in kw {
        match k.as_str().unwrap_or("") {
            "strict" => strict = ops::truthy(ts, v)?,
            other => {
                return Err(err::type_error(format!(
                    "zip() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    let mut its = Vec::with_capacity(a.len());
    for v in a {
        its.push(get_iter(ts, v)?);
    }
    if strict {
        return zip_strict(ts, its);
    }
    Ok(new_iter(IterState::Zip { its }))
}

/// `zip(..., strict=True)`: checked eagerly (the iterables are consumed now; results as a
/// snapshot iterator).
fn zip_strict(ts: &mut ThreadState, its: Vec<Value>) -> PyResult<Value> {
    let mut rows = Vec::new();
    if !its.is_empty() {
        'outer: loop {
            let mut row = Vec::with_capacity(its.len());
            for (i, it) in its.iter().enumerate() {
                match iter_next(ts, it)? {
                    Some(v) => row.push(v),
                    None => {
                        if i > 0 {
                            let s = if i == 1 { " " } else { "s 1-" };
                            return Err(err::value_error(format!(
                                "zip() argument {} is shorter than argument{s}{i}",
                                i + 1
                            )));
                        }
                        for (j, other) in its.iter().enumerate().skip(1) {
                            if iter_next(ts, other)?.is_some() {
                                let s = if j == 1 { " " } else { "s 1-" };
                                return Err(err::value_error(format!(
                                    "zip() argument {} is longer than argument{s}{j}",
                                    j + 1
                                )));
                            }
                        }
                        break 'outer;
                    }
                }
            }
            rows.push(Value::tuple(row));
        }
    }
    Ok(new_iter(IterState::Items {
        items: rows,
        index: 0,
        name: "zip",
    }))
}

fn b_map(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_kw(kw, "map")?;
    if a.len() < 2 {
        return Err(err::type_error("map() must have at least two arguments."));
    }
    let mut its = Vec::with_capacity(a.len() - 1);
    for v in &a[1..] {
        its.push(get_iter(ts, v)?);
    }
    Ok(new_iter(IterState::Map {
        func: a[0].clone(),
        its,
    }))
}

fn b_filter(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "filter", "filter", 2, 2)?;
    let it = get_iter(ts, &a[1])?;
    Ok(new_iter(IterState::Filter {
        func: a[0].clone(),
        it,
    }))
}

fn b_iter(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "iter", "iter", 1, 2)?;
    if a.len() == 2 {
        return Err(PyErr::new(
            ExcKind::NotImplementedError,
            "iter(callable, sentinel) is not supported",
        ));
    }
    get_iter(ts, &a[0])
}

fn b_next(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(a, kw, "next", "next", 1, 2)?;
    match iter_next(ts, &a[0])? {
        Some(v) => Ok(v),
        None => match a.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(PyErr::with_args(ExcKind::StopIteration, vec![])),
        },
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

/// `globals()`: the globals dict of the running function.
pub fn globals(ts: &mut ThreadState) -> PyResult<Value> {
    let f = current_frame(ts)?;
    match f.downcast::<crate::FrameObject>() {
        Some(fo) => Ok(fo.globals().clone()),
        None => Err(err::runtime_error("no current frame")),
    }
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
                .map(|d| d.lock().keys().map(|k| k.key.clone()).collect::<Vec<_>>());
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
                    d.lock()
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
