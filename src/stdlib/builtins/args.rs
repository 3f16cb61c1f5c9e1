//! Argument checking for builtin functions and methods, with the messages CPython's calling
//! conventions produce:
//!
//! - `METH_O`: `len() takes exactly one argument (2 given)` ([`exactly_one`]);
//! - `METH_NOARGS`: `list.copy() takes no arguments (1 given)` ([`no_args`]);
//! - Argument Clinic, positional only: `divmod expected 2 arguments, got 1` ([`expect`]);
//! - Argument Clinic with keywords: `split() takes at most 2 arguments (3 given)`,
//!   `sort() got an unexpected keyword argument 'x'` ([`parse`]).
//!
//! For methods, `args` here excludes the receiver.

use crate::object::exc::err;
use crate::object::{KwArgs, PyResult, Value};

/// TypeError unless there are no keyword arguments: `{qual}() takes no keyword arguments`.
pub fn no_kw(kw: KwArgs, qual: &str) -> PyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(err::type_error(format!(
            "{qual}() takes no keyword arguments"
        )))
    }
}

/// `METH_O`: exactly one positional argument.
pub fn exactly_one<'a>(args: &'a [Value], kw: KwArgs, qual: &str) -> PyResult<&'a Value> {
    no_kw(kw, qual)?;
    match args {
        [x] => Ok(x),
        _ => Err(err::type_error(format!(
            "{qual}() takes exactly one argument ({} given)",
            args.len()
        ))),
    }
}

/// `METH_NOARGS`: no arguments at all.
pub fn no_args(args: &[Value], kw: KwArgs, qual: &str) -> PyResult<()> {
    no_kw(kw, qual)?;
    if args.is_empty() {
        Ok(())
    } else {
        Err(err::type_error(format!(
            "{qual}() takes no arguments ({} given)",
            args.len()
        )))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The positional count check of Argument Clinic (`_PyArg_CheckPositional`).
pub fn check_count(name: &str, n: usize, min: usize, max: usize) -> PyResult<()> {
    if n < min {
        let at = if min == max { "" } else { "at least " };
        return Err(err::type_error(format!(
            "{name} expected {at}{min} argument{}, got {n}",
            plural(min)
        )));
    }
    if n > max {
        let at = if min == max { "" } else { "at most " };
        return Err(err::type_error(format!(
            "{name} expected {at}{max} argument{}, got {n}",
            plural(max)
        )));
    }
    Ok(())
}

/// Argument Clinic, positional only: no keywords (`{qual}() takes no keyword arguments`), then
/// `min..=max` positional arguments (`{name} expected ...`).
pub fn expect(
    args: &[Value],
    kw: KwArgs,
    qual: &str,
    name: &str,
    min: usize,
    max: usize,
) -> PyResult<()> {
    no_kw(kw, qual)?;
    check_count(name, args.len(), min, max)
}

/// Argument Clinic with keywords: binds positional arguments and keywords to `names`
/// (`max_pos` of them may be positional); `required` leading parameters must be given.
pub fn parse(
    args: &[Value],
    kw: KwArgs,
    fname: &str,
    names: &[&str],
    max_pos: usize,
    required: usize,
) -> PyResult<Vec<Option<Value>>> {
    let total = args.len() + kw.len();
    if args.len() > max_pos {
        if max_pos == 0 {
            return Err(err::type_error(format!(
                "{fname}() takes no positional arguments"
            )));
        }
        return Err(err::type_error(format!(
            "{fname}() takes at most {max_pos} argument{} ({} given)",
            plural(max_pos),
            args.len()
        )));
    }
    if total > names.len() {
        return Err(err::type_error(format!(
            "{fname}() takes at most {} argument{} ({total} given)",
            names.len(),
            plural(names.len())
        )));
    }
    let mut out: Vec<Option<Value>> = vec![None; names.len()];
    for (i, a) in args.iter().enumerate() {
        out[i] = Some(a.clone());
    }
    for (k, v) in kw {
        let key = k.as_str().unwrap_or("");
        match names.iter().position(|n| *n == key) {
            Some(i) if i < args.len() => {
                return Err(err::type_error(format!(
                    "argument for {fname}() given by name ('{key}') and position ({})",
                    i + 1
                )))
            }
            Some(i) => out[i] = Some(v.clone()),
            None => {}
        }
    }
    // As `_PyArg_UnpackKeywords`: missing required arguments are reported before unknown
    // keywords.
    for (i, slot) in out.iter().enumerate().take(required) {
        if slot.is_none() {
            return Err(err::type_error(format!(
                "{fname}() missing required argument '{}' (pos {})",
                names[i],
                i + 1
            )));
        }
    }
    for (k, _) in kw {
        let key = k.as_str().unwrap_or("");
        if !names.contains(&key) {
            return Err(err::type_error(format!(
                "{fname}() got an unexpected keyword argument '{key}'"
            )));
        }
    }
    Ok(out)
}
