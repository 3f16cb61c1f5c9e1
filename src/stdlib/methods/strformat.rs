//! `str.format(*args, **kwargs)`: replacement fields `{}`, `{0}`, `{name}` with `.attr` and
//! `[key]` lookups, `!r`/`!s`/`!a` conversions and format specs (nested fields allowed), with
//! CPython's errors.

use crate::object::exc::err;
use crate::object::ops::{self, repr};
use crate::object::{KwArgs, PyErr, PyResult, Value};
use crate::thread::ThreadState;

/// `str.format(*args, **kwargs)`: fields `{}`, `{0}`, `{name}`, with `.attr`/`[key]` lookups,
/// `!r`/`!s`/`!a` conversions and format specs (which may contain nested fields).
pub(super) fn format(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let (s, rest) = super::strs::this(a, "format")?;
    let mut auto = 0usize;
    let mut mode = 0u8; // 0 unknown, 1 automatic, 2 manual
    Ok(Value::string(format_str(
        ts,
        s.as_str(),
        rest,
        kw,
        &mut auto,
        &mut mode,
        2,
    )?))
}

fn format_str(
    ts: &mut ThreadState,
    fmt: &str,
    pos: &[Value],
    kw: KwArgs,
    auto: &mut usize,
    mode: &mut u8,
    depth: u32,
) -> PyResult<String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '}' {
            if chars.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(err::value_error("Single '}' encountered in format string"));
        }
        if c != '{' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            out.push('{');
            i += 2;
            continue;
        }
        // Find the matching '}'.
        let start = i + 1;
        let mut level = 1;
        let mut j = start;
        while j < chars.len() {
            match chars[j] {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= chars.len() {
            return Err(err::value_error(if level > 1 {
                "expected '}' before end of string"
            } else {
                "Single '{' encountered in format string"
            }));
        }
        let field: String = chars[start..j].iter().collect();
        i = j + 1;
        if depth == 0 {
            return Err(err::value_error("Max string recursion exceeded"));
        }
        out.push_str(&format_field(ts, &field, pos, kw, auto, mode, depth)?);
    }
    Ok(out)
}

fn format_field(
    ts: &mut ThreadState,
    field: &str,
    pos: &[Value],
    kw: KwArgs,
    auto: &mut usize,
    mode: &mut u8,
    depth: u32,
) -> PyResult<String> {
    // Split "name!conv:spec".
    let (head, spec) = match field.find(':') {
        Some(k) => (&field[..k], &field[k + 1..]),
        None => (field, ""),
    };
    let (name, conv) = match head.find('!') {
        Some(k) => (&head[..k], Some(&head[k + 1..])),
        None => (head, None),
    };
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let (first, mut tail) = name.split_at(first_end);
    let mut value = if first.is_empty() {
        if *mode == 2 {
            return Err(err::value_error(
                "cannot switch from manual field specification to automatic field numbering",
            ));
        }
        *mode = 1;
        let k = *auto;
        *auto += 1;
        pos.get(k).cloned().ok_or_else(|| {
            PyErr::new(
                crate::object::ExcKind::IndexError,
                format!("Replacement index {k} out of range for positional args tuple"),
            )
        })?
    } else if let Ok(k) = first.parse::<usize>() {
        if *mode == 1 {
            return Err(err::value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        *mode = 2;
        pos.get(k).cloned().ok_or_else(|| {
            PyErr::new(
                crate::object::ExcKind::IndexError,
                format!("Replacement index {k} out of range for positional args tuple"),
            )
        })?
    } else {
        kw.iter()
            .find(|(k, _)| k.as_str() == Some(first))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| crate::object::ops::containers::key_error(&Value::str(first)))?
    };
    while !tail.is_empty() {
        if let Some(rest) = tail.strip_prefix('.') {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            value = ops::getattr(ts, &value, &rest[..end])?;
            tail = &rest[end..];
        } else if let Some(rest) = tail.strip_prefix('[') {
            let end = rest
                .find(']')
                .ok_or_else(|| err::value_error("Missing ']' in format string"))?;
            let key = &rest[..end];
            let k = match key.parse::<i64>() {
                Ok(n) => Value::int(n),
                Err(_) => Value::str(key),
            };
            value = ops::getitem(ts, &value, &k)?;
            tail = &rest[end + 1..];
        } else {
            return Err(err::value_error(
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        }
    }
    let value = match conv {
        None => value,
        Some("r") => Value::string(ops::repr(ts, &value)?),
        Some("s") => Value::string(ops::str(ts, &value)?),
        Some("a") => Value::string(repr::ascii_escape(&ops::repr(ts, &value)?)),
        Some(c) => {
            return Err(err::value_error(format!(
                "Unknown conversion specifier {c}"
            )))
        }
    };
    let spec = if spec.contains('{') {
        format_str(ts, spec, pos, kw, auto, mode, depth - 1)?
    } else {
        spec.to_owned()
    };
    ops::format(ts, &value, &spec)
}
