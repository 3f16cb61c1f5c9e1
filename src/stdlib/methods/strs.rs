//! Methods of `str`. Positions are code point indices, as in Python; the ASCII case indexes
//! bytes directly.

use super::super::builtins::args;
use super::bad_receiver;
use super::strclass::{
    capitalize, casefold, isalnum, isalpha, isascii, isdecimal, isdigit, isidentifier, islower,
    isnumeric, isprintable, isspace, istitle, isupper, lower, swapcase, title, upper,
};
use crate::object::exc::err;
use crate::object::ops::arith::is_py_space;
use crate::object::ops::{self, index_i64};
use crate::object::{alloc, ExcKind, KwArgs, NativeFn, PyResult, PyStr, Value};
use crate::thread::ThreadState;

/// `str` methods.
pub const METHODS: &[(&str, NativeFn)] = &[
    ("join", join),
    ("split", split),
    ("rsplit", rsplit),
    ("strip", strip),
    ("lstrip", lstrip),
    ("rstrip", rstrip),
    ("startswith", startswith),
    ("endswith", endswith),
    ("upper", upper),
    ("lower", lower),
    ("swapcase", swapcase),
    ("casefold", casefold),
    ("title", title),
    ("capitalize", capitalize),
    ("replace", replace),
    ("find", find),
    ("rfind", rfind),
    ("index", index),
    ("rindex", rindex),
    ("count", count),
    ("splitlines", splitlines),
    ("isdigit", isdigit),
    ("isdecimal", isdecimal),
    ("isnumeric", isnumeric),
    ("isalpha", isalpha),
    ("isalnum", isalnum),
    ("isspace", isspace),
    ("isupper", isupper),
    ("islower", islower),
    ("istitle", istitle),
    ("isidentifier", isidentifier),
    ("isprintable", isprintable),
    ("isascii", isascii),
    ("center", center),
    ("ljust", ljust),
    ("rjust", rjust),
    ("zfill", zfill),
    ("partition", partition),
    ("rpartition", rpartition),
    ("removeprefix", removeprefix),
    ("removesuffix", removesuffix),
    ("expandtabs", expandtabs),
    ("format", super::strformat::format),
];

pub(super) fn this<'a>(a: &'a [Value], name: &str) -> PyResult<(&'a PyStr, &'a [Value])> {
    match a.split_first() {
        Some((recv, rest)) => match recv.as_pystr() {
            Some(s) => Ok((s, rest)),
            None => Err(bad_receiver("str", name, Some(recv))),
        },
        None => Err(bad_receiver("str", name, None)),
    }
}

/// Byte offset of code point `ci` in `s` (`s.len()` past the end).
fn byte_at(s: &PyStr, ci: usize) -> usize {
    if s.is_ascii() {
        return ci.min(s.as_str().len());
    }
    s.as_str()
        .char_indices()
        .nth(ci)
        .map_or(s.as_str().len(), |(b, _)| b)
}

/// Code point index of byte offset `b`.
fn char_at(s: &PyStr, b: usize) -> usize {
    if s.is_ascii() {
        return b;
    }
    s.as_str()[..b].chars().count()
}

/// `start`/`end` arguments (CPython's `ADJUST_INDICES`: negative counts from the end, `end`
/// clamped to the length, `start` not), as code point indices.
fn range_args(s: &PyStr, start: Option<&Value>, end: Option<&Value>) -> PyResult<(i64, i64)> {
    let n = s.char_len() as i64;
    let conv = |v: Option<&Value>, default: i64| -> PyResult<i64> {
        match v {
            None => Ok(default),
            Some(v) if v.is_none() => Ok(default),
            Some(v) => match ops::arith::as_int(v) {
                Some(ops::arith::Int::Small(i)) => Ok(i),
                Some(ops::arith::Int::Big(b)) => Ok(if b.sign() == num_bigint::Sign::Minus {
                    i64::MIN
                } else {
                    i64::MAX
                }),
                None => Err(err::type_error(
                    "slice indices must be integers or None or have an __index__ method",
                )),
            },
        }
    };
    let (mut st, mut en) = (conv(start, 0)?, conv(end, n)?);
    if en > n {
        en = n;
    } else if en < 0 {
        en = (en.saturating_add(n)).max(0);
    }
    if st < 0 {
        st = (st.saturating_add(n)).max(0);
    }
    Ok((st, en))
}

/// The byte window `start..end` (code points) of `s`, when at least `min_len` code points fit.
fn window(s: &PyStr, (st, en): (i64, i64), min_len: usize) -> Option<(usize, usize)> {
    if en - st < min_len as i64 {
        return None;
    }
    Some((byte_at(s, st as usize), byte_at(s, en as usize)))
}

/// `_PyArg_BadArgument`'s name for a value's type (`None` for None).
fn arg_type_name(v: &Value) -> &'static str {
    if v.is_none() {
        "None"
    } else {
        ops::type_name(v)
    }
}

fn str_arg<'a>(v: &'a Value, fname: &str, pos: usize) -> PyResult<&'a str> {
    v.as_str().ok_or_else(|| {
        let which = if pos == 0 {
            "argument".to_owned()
        } else {
            format!("argument {pos}")
        };
        err::type_error(format!(
            "{fname}() {which} must be str, not {}",
            arg_type_name(v)
        ))
    })
}

fn join(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (sep, rest) = this(a, "join")?;
    let it = args::exactly_one(rest, kw, "str.join")?;
    let items = match ops::iter::collect(ts, it) {
        Ok(items) => items,
        Err(e) if e.matches(crate::object::ExcKind::TypeError) => {
            return Err(err::type_error("can only join an iterable"))
        }
        Err(e) => return Err(e),
    };
    // Sized first: the result of joining big strings can be too big to allocate.
    let size = items
        .iter()
        .map(|item| item.as_str().map_or(0, str::len))
        .chain(std::iter::repeat_n(
            sep.as_str().len(),
            items.len().saturating_sub(1),
        ))
        .try_fold(0usize, usize::checked_add)
        .ok_or_else(err::memory_error)?;
    let mut out = alloc::string_with_capacity(size)?;
    for (i, item) in items.iter().enumerate() {
        let Some(s) = item.as_str() else {
            return Err(err::type_error(format!(
                "sequence item {i}: expected str instance, {} found",
                ops::type_name(item)
            )));
        };
        if i > 0 {
            out.push_str(sep.as_str());
        }
        out.push_str(s);
    }
    Ok(Value::string(out))
}

fn sep_arg(v: &Option<Value>) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.as_str() {
            Some("") => Err(err::value_error("empty separator")),
            Some(s) => Ok(Some(s.to_owned())),
            None => Err(err::type_error(format!(
                "must be str or None, not {}",
                ops::type_name(v)
            ))),
        },
    }
}

fn maxsplit_arg(v: &Option<Value>) -> PyResult<i64> {
    match v {
        None => Ok(-1),
        Some(v) => index_i64(v),
    }
}

fn strs(parts: Vec<&str>) -> Value {
    Value::list(parts.into_iter().map(Value::str).collect())
}

/// Python's whitespace split (`str.split()`), at most `maxsplit` splits (negative: no limit).
pub fn split_whitespace(s: &str, maxsplit: i64) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(is_py_space);
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 >= maxsplit {
            out.push(rest);
            break;
        }
        match rest.find(is_py_space) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = rest[i..].trim_start_matches(is_py_space);
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out
}

fn rsplit_whitespace(s: &str, maxsplit: i64) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s.trim_end_matches(is_py_space);
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 >= maxsplit {
            out.push(rest);
            break;
        }
        match rest.rfind(is_py_space) {
            Some(i) => {
                let c = rest[i..].chars().next().map_or(1, char::len_utf8);
                out.push(&rest[i + c..]);
                rest = rest[..i].trim_end_matches(is_py_space);
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out.reverse();
    out
}

fn split(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "split")?;
    let p = args::parse(rest, kw, "split", &["sep", "maxsplit"], 2, 0)?;
    let max = maxsplit_arg(&p[1])?;
    let sep = sep_arg(&p[0])?;
    let text = s.as_str();
    Ok(match sep {
        None => strs(split_whitespace(text, max)),
        Some(sep) => strs(split_on(text, sep.as_str(), max)),
    })
}

/// `text` split at each `sep` (not empty), at most `max` times (negative: no limit). A
/// one-character separator is searched as a `char` (a byte scan), not as a substring.
fn split_on<'a>(text: &'a str, sep: &str, max: i64) -> Vec<&'a str> {
    let mut chars = sep.chars();
    match (chars.next(), chars.next(), max < 0) {
        (Some(c), None, true) => text.split(c).collect(),
        (Some(c), None, false) => text.splitn(max as usize + 1, c).collect(),
        (_, _, true) => text.split(sep).collect(),
        (_, _, false) => text.splitn(max as usize + 1, sep).collect(),
    }
}

fn rsplit(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "rsplit")?;
    let p = args::parse(rest, kw, "rsplit", &["sep", "maxsplit"], 2, 0)?;
    let max = maxsplit_arg(&p[1])?;
    let sep = sep_arg(&p[0])?;
    let text = s.as_str();
    Ok(match sep {
        None => strs(rsplit_whitespace(text, max)),
        Some(sep) => {
            let mut parts: Vec<&str> = if max < 0 {
                text.rsplit(sep.as_str()).collect()
            } else {
                text.rsplitn(max as usize + 1, sep.as_str()).collect()
            };
            parts.reverse();
            strs(parts)
        }
    })
}

fn strip_impl(a: &[Value], kw: KwArgs, name: &str, left: bool, right: bool) -> PyResult<Value> {
    let (s, rest) = this(a, name)?;
    args::expect(rest, kw, &format!("str.{name}"), name, 0, 1)?;
    let text = s.as_str();
    let out = match rest.first() {
        None => trim(text, is_py_space, left, right),
        Some(v) if v.is_none() => trim(text, is_py_space, left, right),
        Some(v) => match v.as_str() {
            Some(chars) => trim(text, |c| chars.contains(c), left, right),
            None => return Err(err::type_error(format!("{name} arg must be None or str"))),
        },
    };
    if out.len() == text.len() {
        return Ok(a[0].clone());
    }
    Ok(Value::str(out))
}

fn trim(s: &str, pred: impl Fn(char) -> bool + Copy, left: bool, right: bool) -> &str {
    let s = if left { s.trim_start_matches(pred) } else { s };
    if right {
        s.trim_end_matches(pred)
    } else {
        s
    }
}

fn strip(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    strip_impl(a, kw, "strip", true, true)
}

fn lstrip(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    strip_impl(a, kw, "lstrip", true, false)
}

fn rstrip(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    strip_impl(a, kw, "rstrip", false, true)
}

fn affix(a: &[Value], kw: KwArgs, name: &str, start: bool) -> PyResult<Value> {
    let (s, rest) = this(a, name)?;
    args::expect(rest, kw, &format!("str.{name}"), name, 1, 3)?;
    let bounds = range_args(s, rest.get(1), rest.get(2))?;
    let test = |p: &str| {
        let plen = p.chars().count();
        match window(s, bounds, plen) {
            Some((b0, b1)) => {
                let w = &s.as_str()[b0..b1];
                if start {
                    w.starts_with(p)
                } else {
                    w.ends_with(p)
                }
            }
            None => false,
        }
    };
    match (rest[0].as_str(), rest[0].as_tuple()) {
        (Some(p), _) => Ok(Value::bool(test(p))),
        (_, Some(items)) => {
            for item in items {
                let Some(p) = item.as_str() else {
                    return Err(err::type_error(format!(
                        "tuple for {name} must only contain str, not {}",
                        ops::type_name(item)
                    )));
                };
                if test(p) {
                    return Ok(Value::TRUE);
                }
            }
            Ok(Value::FALSE)
        }
        _ => Err(err::type_error(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            ops::type_name(&rest[0])
        ))),
    }
}

fn startswith(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    affix(a, kw, "startswith", true)
}

fn endswith(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    affix(a, kw, "endswith", false)
}

fn replace(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "replace")?;
    if rest.len() + kw.len() > 3 {
        return Err(err::type_error(format!(
            "replace() takes at most 3 arguments ({} given)",
            rest.len() + kw.len()
        )));
    }
    if rest.len() < 2 {
        return Err(err::type_error(format!(
            "replace() takes at least 2 positional arguments ({} given)",
            rest.len()
        )));
    }
    let p = args::parse(rest, kw, "replace", &["old", "new", "count"], 3, 2)?;
    let old = str_arg(&rest[0], "replace", 1)?;
    let new = str_arg(&rest[1], "replace", 2)?;
    let count = match &p[2] {
        Some(v) => index_i64(v)?,
        None => -1,
    };
    let text = s.as_str();
    // Sized before it is built: `'a' * 10**6` with each `a` replaced by a megabyte is a
    // MemoryError, not an abort halfway through.
    let occurrences = if old.is_empty() {
        s.char_len() + 1
    } else {
        text.matches(old).count()
    };
    let replaced = if count < 0 {
        occurrences
    } else {
        occurrences.min(count as usize)
    };
    let size = (new.len() as u128 * replaced as u128 + text.len() as u128)
        .saturating_sub(old.len() as u128 * replaced as u128);
    let mut out =
        alloc::string_with_capacity(usize::try_from(size).map_err(|_| err::memory_error())?)?;
    if old.is_empty() {
        // `new` before each of the first `replaced` characters (and at the end).
        let mut done = 0;
        for c in text.chars() {
            if done < replaced {
                out.push_str(new);
                done += 1;
            }
            out.push(c);
        }
        if done < replaced {
            out.push_str(new);
        }
    } else {
        let mut last = 0;
        for (at, _) in text.match_indices(old).take(replaced) {
            out.push_str(&text[last..at]);
            out.push_str(new);
            last = at + old.len();
        }
        out.push_str(&text[last..]);
    }
    Ok(Value::string(out))
}

fn find_impl(a: &[Value], kw: KwArgs, name: &str, reverse: bool) -> PyResult<Option<usize>> {
    let (s, rest) = this(a, name)?;
    args::expect(rest, kw, &format!("str.{name}"), name, 1, 3)?;
    let sub = str_arg(&rest[0], name, 1)?;
    let bounds = range_args(s, rest.get(1), rest.get(2))?;
    let Some((b0, b1)) = window(s, bounds, sub.chars().count()) else {
        return Ok(None);
    };
    let window = &s.as_str()[b0..b1];
    let found = if reverse {
        window.rfind(sub)
    } else {
        window.find(sub)
    };
    Ok(found.map(|b| char_at(s, b0 + b)))
}

fn find(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    Ok(Value::int(
        find_impl(a, kw, "find", false)?.map_or(-1, |i| i as i64),
    ))
}

fn rfind(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    Ok(Value::int(
        find_impl(a, kw, "rfind", true)?.map_or(-1, |i| i as i64),
    ))
}

fn index(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    match find_impl(a, kw, "index", false)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(err::value_error("substring not found")),
    }
}

fn rindex(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    match find_impl(a, kw, "rindex", true)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(err::value_error("substring not found")),
    }
}

fn count(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "count")?;
    args::expect(rest, kw, "str.count", "count", 1, 3)?;
    let sub = str_arg(&rest[0], "count", 1)?;
    let bounds = range_args(s, rest.get(1), rest.get(2))?;
    let Some((b0, b1)) = window(s, bounds, sub.chars().count()) else {
        return Ok(Value::int(0));
    };
    let window = &s.as_str()[b0..b1];
    let n = if sub.is_empty() {
        window.chars().count() + 1
    } else {
        window.matches(sub).count()
    };
    Ok(Value::int(n as i64))
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn splitlines(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "splitlines")?;
    let p = args::parse(rest, kw, "splitlines", &["keepends"], 1, 0)?;
    let keep = match &p[0] {
        Some(v) => ops::truthy(ts, v)?,
        None => false,
    };
    let text = s.as_str();
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_line_break(c) {
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(_, '\n')) = iter.peek() {
                    iter.next();
                    end += 1;
                }
            }
            out.push(Value::str(if keep {
                &text[start..end]
            } else {
                &text[start..i]
            }));
            start = end;
        }
    }
    if start < text.len() {
        out.push(Value::str(&text[start..]));
    }
    Ok(Value::list(out))
}

fn fill_arg(v: Option<&Value>) -> PyResult<char> {
    match v {
        None => Ok(' '),
        Some(v) => match v.as_pystr() {
            Some(p) if p.char_len() == 1 => Ok(p.as_str().chars().next().unwrap_or(' ')),
            Some(_) => Err(err::type_error(
                "The fill character must be exactly one character long",
            )),
            None => Err(err::type_error(format!(
                "The fill character must be a unicode character, not {}",
                ops::type_name(v)
            ))),
        },
    }
}

fn justify(a: &[Value], kw: KwArgs, name: &str) -> PyResult<Value> {
    let (s, rest) = this(a, name)?;
    args::expect(rest, kw, &format!("str.{name}"), name, 1, 2)?;
    let width = index_i64(&rest[0])?;
    let fill = fill_arg(rest.get(1))?;
    let len = s.char_len() as i64;
    if width <= len {
        return Ok(a[0].clone());
    }
    if width as u64 > ops::MAX_REPEAT as u64 {
        return Err(err::memory_error());
    }
    let marg = (width - len) as usize;
    let (left, right) = match name {
        "ljust" => (0, marg),
        "rjust" => (marg, 0),
        _ => {
            let left = marg / 2 + (marg & width as usize & 1);
            (left, marg - left)
        }
    };
    let f = fill.to_string();
    Ok(Value::string(alloc::concat(&[
        &alloc::repeat_str(&f, left)?,
        s.as_str(),
        &alloc::repeat_str(&f, right)?,
    ])?))
}

fn center(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    justify(a, kw, "center")
}

fn ljust(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    justify(a, kw, "ljust")
}

fn rjust(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    justify(a, kw, "rjust")
}

fn zfill(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "zfill")?;
    let w = args::exactly_one(rest, kw, "str.zfill")?;
    let width = index_i64(w)?;
    let len = s.char_len() as i64;
    if width <= len {
        return Ok(a[0].clone());
    }
    if width as u64 > ops::MAX_REPEAT as u64 {
        return Err(err::memory_error());
    }
    let text = s.as_str();
    let zeros = alloc::repeat_str("0", (width - len) as usize)?;
    Ok(Value::string(match text.chars().next() {
        Some('+' | '-') => alloc::concat(&[&text[..1], &zeros, &text[1..]])?,
        _ => alloc::concat(&[&zeros, text])?,
    }))
}

fn partition_impl(a: &[Value], kw: KwArgs, name: &str, reverse: bool) -> PyResult<Value> {
    let (s, rest) = this(a, name)?;
    let sep_v = args::exactly_one(rest, kw, &format!("str.{name}"))?;
    let Some(sep) = sep_v.as_str() else {
        return Err(err::type_error(format!(
            "must be str, not {}",
            ops::type_name(sep_v)
        )));
    };
    if sep.is_empty() {
        return Err(err::value_error("empty separator"));
    }
    let text = s.as_str();
    let found = if reverse {
        text.rfind(sep)
    } else {
        text.find(sep)
    };
    Ok(Value::tuple(match found {
        Some(i) => vec![
            Value::str(&text[..i]),
            sep_v.clone(),
            Value::str(&text[i + sep.len()..]),
        ],
        None if reverse => vec![Value::str(""), Value::str(""), a[0].clone()],
        None => vec![a[0].clone(), Value::str(""), Value::str("")],
    }))
}

fn partition(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    partition_impl(a, kw, "partition", false)
}

fn rpartition(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    partition_impl(a, kw, "rpartition", true)
}

fn removeprefix(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "removeprefix")?;
    let p = args::exactly_one(rest, kw, "str.removeprefix")?;
    let p = str_arg(p, "removeprefix", 0)?;
    Ok(match s.as_str().strip_prefix(p) {
        Some(r) if !p.is_empty() => Value::str(r),
        _ => a[0].clone(),
    })
}

fn removesuffix(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "removesuffix")?;
    let p = args::exactly_one(rest, kw, "str.removesuffix")?;
    let p = str_arg(p, "removesuffix", 0)?;
    Ok(match s.as_str().strip_suffix(p) {
        Some(r) if !p.is_empty() => Value::str(r),
        _ => a[0].clone(),
    })
}

fn expandtabs(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = this(a, "expandtabs")?;
    let p = args::parse(rest, kw, "expandtabs", &["tabsize"], 1, 0)?;
    // CPython's tab size is a C int.
    let c_int = || err::overflow("Python int too large to convert to C int");
    let size = match &p[0] {
        Some(v) => match index_i64(v) {
            Ok(i) => i32::try_from(i).map_err(|_| c_int())? as i64,
            Err(e) if e.matches(ExcKind::OverflowError) => return Err(c_int()),
            Err(e) => return Err(e),
        },
        None => 8,
    };
    let mut out = String::new();
    let mut col: i64 = 0;
    for c in s.as_str().chars() {
        match c {
            '\t' => {
                if size > 0 {
                    let n = size - col % size;
                    alloc::push_str(&mut out, &alloc::repeat_str(" ", n as usize)?)?;
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(Value::string(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: NativeFn, recv: &str, rest: Vec<Value>) -> String {
        let mut ts = ThreadState::new();
        let mut a = vec![Value::str(recv)];
        a.extend(rest);
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
    fn splitting() {
        assert_eq!(call(split, "a  b c", vec![]), "['a', 'b', 'c']");
        assert_eq!(
            call(split, "a,b,,c", vec![Value::str(",")]),
            "['a', 'b', '', 'c']"
        );
        assert_eq!(
            call(split, "a=b=c", vec![Value::str("="), Value::int(1)]),
            "['a', 'b=c']"
        );
        assert_eq!(
            call(split, "  a  b  c  ", vec![Value::NONE, Value::int(1)]),
            "['a', 'b  c  ']"
        );
        assert_eq!(
            call(rsplit, "  a  b  c  ", vec![Value::NONE, Value::int(1)]),
            "['  a  b', 'c']"
        );
        assert_eq!(
            call(split, "a b", vec![Value::str("")]),
            "ValueError: empty separator"
        );
        assert_eq!(
            call(splitlines, "line1\nline2\r\nline3", vec![]),
            "['line1', 'line2', 'line3']"
        );
        assert_eq!(call(splitlines, "x\n", vec![]), "['x']");
        assert_eq!(call(splitlines, "", vec![]), "[]");
    }

    #[test]
    fn searching_and_padding() {
        assert_eq!(call(find, "héllo", vec![Value::str("l")]), "2");
        assert_eq!(call(rfind, "héllo", vec![Value::str("l")]), "3");
        assert_eq!(
            call(index, "abc", vec![Value::str("z")]),
            "ValueError: substring not found"
        );
        assert_eq!(call(count, "aaa", vec![Value::str("")]), "4");
        assert_eq!(
            call(center, "abc", vec![Value::int(8), Value::str("*")]),
            "'**abc***'"
        );
        assert_eq!(
            call(center, "ab", vec![Value::int(7), Value::str("*")]),
            "'***ab**'"
        );
        assert_eq!(
            call(center, "ab", vec![Value::int(5), Value::str("*")]),
            "'**ab*'"
        );
        assert_eq!(call(zfill, "-42", vec![Value::int(6)]), "'-00042'");
        assert_eq!(call(title, "they're bill's", vec![]), "\"They'Re Bill'S\"");
        assert_eq!(call(capitalize, "hELLO wORLD", vec![]), "'Hello world'");
        assert_eq!(call(strip, "xxhixx", vec![Value::str("x")]), "'hi'");
        assert_eq!(
            call(
                replace,
                "Shadow",
                vec![Value::str("a"), Value::str(""), Value::int(1)]
            ),
            "'Shdow'"
        );
        assert_eq!(
            call(
                startswith,
                "Shadow",
                vec![Value::tuple(vec![Value::str("x"), Value::str("Sh")])]
            ),
            "True"
        );
        assert!(call(
            super::super::strformat::format,
            "{} {!r} {x}",
            vec![Value::int(1), Value::str("a")]
        )
        .starts_with("KeyError"));
        assert_eq!(
            call(
                super::super::strformat::format,
                "{0:>4}|{1}|{{}}",
                vec![Value::int(1), Value::str("a")]
            ),
            "'   1|a|{}'"
        );
    }
}
