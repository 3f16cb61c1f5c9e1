//! The `traceback` module, and the printing of uncaught exceptions.
//!
//! The job: print, format and extract stack traces byte for byte as CPython 3.13's
//! `Lib/traceback.py` does: `Traceback (most recent call last):`, one
//! `  File "...", line N, in name` entry per frame with its source line and `~~~^^^` carets,
//! `[Previous line repeated N more times]` for recursion, chained exceptions, the final
//! `Type: message` line with "Did you mean" suggestions and notes, and SyntaxError's caret
//! line. [`print_uncaught`] is what CPython's default `sys.excepthook` prints (in colour when
//! stderr is a terminal, as `_colorize.can_colorize()` decides; `colorize=True` asks for colour
//! from the formatting functions, as in CPython).
//!
//! Layout:
//! - [`format`](mod@format): one entry's text, carets (re-parsing the statement with `ruff_python_parser`)
//!   and repeat collapsing — pure functions;
//! - `exception`: chains, exception-only lines, SyntaxError, limits;
//! - `suggest`: "Did you mean" (Levenshtein as in `Python/suggestions.c`);
//! - `summary`: the `FrameSummary` and `StackSummary` objects;
//! - `text`: Python `str`/`textwrap` semantics the formatter is specified in; `tables`:
//!   data generated from CPython 3.13 (Unicode widths, builtins, `dir()` listings).
//!
//! Invariants:
//! - nothing here builds a frame object that CPython would not need either: traceback entries
//!   and `extract_stack()`/`print_stack()` without a frame argument read code and instruction
//!   only (the functions of this module are natives and push no frame, so the first stack entry
//!   is their Python caller); `tb_frame` is read only by NameError suggestions (the innermost
//!   frame, as CPython) and by `walk_tb`/`walk_stack`, which return frames;
//! - formatting a traceback is linear in its length, and entries hidden by repeat collapsing
//!   are never formatted; each distinct (code, instruction) is formatted at most once per call.

pub mod format;

mod exception;
mod suggest;
mod summary;
#[rustfmt::skip]
mod tables;
mod text;

pub(crate) use exception::format_tb_plain;
pub use exception::Limit;
pub use summary::{FrameSummary, StackSummary};

use crate::code::CodeObject;
use crate::frame::{stack_entries, FrameObject, Traceback};
use crate::object::exc::err;
use crate::object::{ExcKind, KwArgs, NativeFn, Object, PyErr, PyResult, TypeId, Value};
use crate::stdlib::{io, native, new_module};
use crate::thread::{runtime, ThreadState};
use format::{collapse, format_code_frame, CodeKey};
use std::collections::HashMap;
use std::sync::Arc;
use summary::{format_summaries, int_arg, opt_int, summary_from_item};

/// The module object.
pub fn make_module(ts: &mut ThreadState) -> Value {
    let _ = ts;
    let funcs: &[(&'static str, NativeFn)] = &[
        ("print_exc", print_exc),
        ("format_exc", format_exc),
        ("print_exception", print_exception),
        ("format_exception", format_exception),
        ("format_exception_only", format_exception_only),
        ("extract_tb", extract_tb),
        ("format_tb", format_tb),
        ("print_tb", print_tb),
        ("extract_stack", extract_stack),
        ("format_stack", format_stack),
        ("print_stack", print_stack),
        ("format_list", format_list),
        ("print_list", print_list),
        ("walk_stack", walk_stack),
        ("walk_tb", walk_tb),
        ("clear_frames", clear_frames),
    ];
    let mut members: Vec<(&str, Value)> = funcs
        .iter()
        .map(|&(name, f)| (name, native(name, "traceback", f)))
        .collect();
    members.push(("FrameSummary", TypeId::FrameSummary.object()));
    members.push(("StackSummary", TypeId::StackSummary.object()));
    new_module("traceback", members)
}

/// Prints an uncaught exception to `sys.stderr` as CPython's default `sys.excepthook` does
/// (`traceback._print_exception_bltin`: chained exceptions, `sys.tracebacklimit` applied as
/// 3.13 applies it there). `SystemExit` is the caller's business.
pub fn print_uncaught(ts: &mut ThreadState, exc: &Value) {
    let tb = traceback_of(exc);
    let colorize = can_colorize();
    let text = exception::format_exception(ts, exc, &tb, Limit::Builtin, true, colorize).concat();
    let file = sys_attr("stderr")
        .filter(|f| !f.is_none())
        .or_else(|| sys_attr("__stderr__"))
        .unwrap_or_else(io::stderr);
    if file.is_none() || io::write_to(ts, &file, &text).is_err() {
        use std::io::Write;
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// `_Py_CalculateSuggestions(candidates, name)` of CPython 3.13: the candidate closest to
/// `name` by `Python/suggestions.c`'s Levenshtein distance (case flips cost 1, other edits 2,
/// at most a third of the characters changed; the first on ties; none from 750 candidates on).
/// For messages outside tracebacks, e.g. the interpreter's "got an unexpected keyword argument
/// 'bb'. Did you mean 'b'?".
pub fn calculate_suggestions<'a, S: AsRef<str>>(
    candidates: &'a [S],
    name: &str,
) -> Option<&'a str> {
    suggest::closest(candidates, name)
}

/// `exc.__traceback__` (None for non-exceptions).
fn traceback_of(exc: &Value) -> Value {
    exc.as_exception()
        .map_or(Value::NONE, |e| e.state.lock().traceback.clone())
}

/// `sys.<name>`, if the sys module is loaded and has it.
fn sys_attr(name: &str) -> Option<Value> {
    let sys = runtime().modules.lock().get("sys").cloned()?;
    match sys.obj() {
        Some(Object::Module(m)) => crate::stdlib::dict_get(&m.dict, name),
        _ => None,
    }
}

/// Writes `text` as `print(text, file=file, end="")` does: `file` None means `sys.stderr`
/// (and `sys.stdout` when that is None; nothing when both are).
fn write_out(ts: &mut ThreadState, file: Option<&Value>, text: &str) -> PyResult<()> {
    let file = match file.filter(|f| !f.is_none()) {
        Some(f) => f.clone(),
        None => match sys_attr("stderr") {
            Some(f) if !f.is_none() => f,
            Some(_) => match sys_attr("stdout") {
                Some(f) if !f.is_none() => f,
                _ => return Ok(()),
            },
            None => io::stderr(),
        },
    };
    if text.is_empty() {
        return Ok(());
    }
    io::write_to(ts, &file, text)
}

/// A Python function's signature, for binding a native call's arguments.
struct Sig {
    name: &'static str,
    /// Parameter names: positional ones first, then keyword-only ones.
    params: &'static [&'static str],
    /// How many leading parameters are positional-only.
    posonly: usize,
    /// How many parameters can be passed positionally.
    positional: usize,
    /// How many leading parameters are required.
    required: usize,
    /// Takes `**kwargs` (unknown keywords are accepted and ignored).
    varkw: bool,
}

impl Sig {
    /// Binds `args`/`kw` to the parameters: `None` for those not passed.
    fn bind(&self, args: &[Value], kw: KwArgs) -> PyResult<Vec<Option<Value>>> {
        let name = self.name;
        if args.len() > self.positional {
            let takes = if self.required == self.positional {
                format!("{}", self.positional)
            } else {
                format!("from {} to {}", self.required, self.positional)
            };
            let plural = if self.positional == 1 && self.required == 1 {
                ""
            } else {
                "s"
            };
            let were = if args.len() == 1 { "was" } else { "were" };
            return Err(err::type_error(format!(
                "{name}() takes {takes} positional argument{plural} but {} {were} given",
                args.len()
            )));
        }
        let mut bound: Vec<Option<Value>> = vec![None; self.params.len()];
        for (slot, a) in bound.iter_mut().zip(args) {
            *slot = Some(a.clone());
        }
        let mut posonly_as_kw = Vec::new();
        for (k, v) in kw {
            let key = k.as_str().unwrap_or("");
            match self.params.iter().position(|p| *p == key) {
                Some(i) if i >= self.posonly => {
                    if bound[i].is_some() {
                        return Err(err::type_error(format!(
                            "{name}() got multiple values for argument '{key}'"
                        )));
                    }
                    bound[i] = Some(v.clone());
                }
                Some(_) if !self.varkw => posonly_as_kw.push(format!("'{key}'")),
                _ if self.varkw => {}
                _ => {
                    return Err(err::type_error(format!(
                        "{name}() got an unexpected keyword argument '{key}'"
                    )))
                }
            }
        }
        if !posonly_as_kw.is_empty() {
            return Err(err::type_error(format!(
                "{name}() got some positional-only arguments passed as keyword arguments: {}",
                posonly_as_kw.join(", ")
            )));
        }
        let missing: Vec<String> = (0..self.required)
            .filter(|&i| bound[i].is_none())
            .map(|i| format!("'{}'", self.params[i]))
            .collect();
        if !missing.is_empty() {
            let list = match missing.len() {
                1 => missing[0].clone(),
                n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
            };
            return Err(err::type_error(format!(
                "{name}() missing {} required positional argument{}: {list}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            )));
        }
        Ok(bound)
    }
}

/// A `limit` argument.
fn limit_arg(v: &Option<Value>) -> PyResult<Limit> {
    match v {
        None => Ok(Limit::Default),
        Some(v) if v.is_none() => Ok(Limit::Default),
        Some(v) => Ok(Limit::Given(int_arg(v)?)),
    }
}

/// Truthiness of a flag argument: the builtin constants, ints, strs and containers.
fn truthy(v: &Value) -> bool {
    if let Some(b) = v.as_bool() {
        return b;
    }
    if let Some(i) = v.as_small() {
        return i != 0;
    }
    match v.obj() {
        None => false,
        Some(Object::Str(s)) => !s.as_str().is_empty(),
        Some(Object::List(l)) => !l.lock().is_empty(),
        Some(Object::Tuple(t)) => !t.is_empty(),
        Some(Object::Dict(d)) => !d.read().is_empty(),
        Some(_) => true,
    }
}

/// A `chain` argument.
fn chain_arg(v: &Option<Value>) -> bool {
    v.as_ref().is_none_or(truthy)
}

/// A flag passed through `**kwargs` (`colorize=`).
fn kw_flag(kw: KwArgs, name: &str) -> bool {
    kw.iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .is_some_and(|(_, v)| truthy(v))
}

/// `_colorize.can_colorize()`: colour on a terminal, as the environment allows.
fn can_colorize() -> bool {
    let var = |name: &str| std::env::var_os(name);
    match var("PYTHON_COLORS").as_deref().and_then(|v| v.to_str()) {
        Some("0") => return false,
        Some("1") => return true,
        _ => {}
    }
    if var("NO_COLOR").is_some() {
        return false;
    }
    if var("FORCE_COLOR").is_some() {
        return true;
    }
    if var("TERM").as_deref().and_then(|v| v.to_str()) == Some("dumb") {
        return false;
    }
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(2) == 1 }
}

/// `exc` must be an exception or None (`_parse_value_tb` with neither value nor tb given).
fn check_exception_arg(exc: &Value) -> PyResult<Value> {
    if exc.is_none() || exc.as_exception().is_some() {
        Ok(exc.clone())
    } else {
        Err(err::type_error(format!(
            "Exception expected for value, {} found",
            exc.py_type().name()
        )))
    }
}

/// `TracebackException` reads `value.__suppress_context__`, which only exceptions (and None,
/// special-cased) have.
fn check_value(value: &Value) -> PyResult<()> {
    if value.is_none() || value.as_exception().is_some() {
        return Ok(());
    }
    let e = PyErr::new(
        ExcKind::AttributeError,
        format!(
            "'{}' object has no attribute '__suppress_context__'",
            value.py_type().name()
        ),
    );
    e.exception()
        .set_attr("name", Value::str("__suppress_context__"));
    e.exception().set_attr("obj", value.clone());
    Err(e)
}

/// A `tb` argument: None or a traceback.
fn check_tb(tb: &Value) -> PyResult<()> {
    if tb.is_none() || tb.downcast::<Traceback>().is_some() {
        return Ok(());
    }
    let e = PyErr::new(
        ExcKind::AttributeError,
        format!(
            "'{}' object has no attribute 'tb_frame'",
            tb.py_type().name()
        ),
    );
    e.exception().set_attr("name", Value::str("tb_frame"));
    e.exception().set_attr("obj", tb.clone());
    Err(e)
}

/// `_parse_value_tb(exc, value, tb)`: the exception to print and its traceback.
fn parse_value_tb(
    exc: &Value,
    value: &Option<Value>,
    tb: &Option<Value>,
) -> PyResult<(Value, Value)> {
    match (value, tb) {
        (None, None) => {
            let v = check_exception_arg(exc)?;
            let tb = traceback_of(&v);
            Ok((v, tb))
        }
        (Some(v), Some(t)) => {
            check_value(v)?;
            check_tb(t)?;
            Ok((v.clone(), t.clone()))
        }
        _ => Err(err::value_error(
            "Both or neither of value and tb must be given",
        )),
    }
}

fn lines_value(lines: Vec<String>) -> Value {
    Value::list(lines.into_iter().map(Value::string).collect())
}

/// `sys.exception()`.
fn current_exception(ts: &ThreadState) -> Value {
    ts.handled_exception()
}

fn print_exc(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "print_exc",
        params: &["limit", "file", "chain"],
        posonly: 0,
        positional: 3,
        required: 0,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let limit = limit_arg(&a[0])?;
    let exc = current_exception(ts);
    let tb = traceback_of(&exc);
    let text = exception::format_exception(ts, &exc, &tb, limit, chain_arg(&a[2]), false).concat();
    write_out(ts, a[1].as_ref(), &text)?;
    Ok(Value::NONE)
}

fn format_exc(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "format_exc",
        params: &["limit", "chain"],
        posonly: 0,
        positional: 2,
        required: 0,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let limit = limit_arg(&a[0])?;
    let exc = current_exception(ts);
    let tb = traceback_of(&exc);
    let text = exception::format_exception(ts, &exc, &tb, limit, chain_arg(&a[1]), false).concat();
    Ok(Value::string(text))
}

fn print_exception(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "print_exception",
        params: &["exc", "value", "tb", "limit", "file", "chain"],
        posonly: 1,
        positional: 6,
        required: 1,
        varkw: true,
    };
    let a = SIG.bind(args, kw)?;
    let exc = a[0].clone().unwrap_or(Value::NONE);
    let (value, tb) = parse_value_tb(&exc, &a[1], &a[2])?;
    let limit = limit_arg(&a[3])?;
    let colorize = kw_flag(kw, "colorize");
    let text =
        exception::format_exception(ts, &value, &tb, limit, chain_arg(&a[5]), colorize).concat();
    write_out(ts, a[4].as_ref(), &text)?;
    Ok(Value::NONE)
}

fn format_exception(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "format_exception",
        params: &["exc", "value", "tb", "limit", "chain"],
        posonly: 1,
        positional: 5,
        required: 1,
        varkw: true,
    };
    let a = SIG.bind(args, kw)?;
    let exc = a[0].clone().unwrap_or(Value::NONE);
    let (value, tb) = parse_value_tb(&exc, &a[1], &a[2])?;
    let limit = limit_arg(&a[3])?;
    Ok(lines_value(exception::format_exception(
        ts,
        &value,
        &tb,
        limit,
        chain_arg(&a[4]),
        kw_flag(kw, "colorize"),
    )))
}

fn format_exception_only(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "format_exception_only",
        params: &["exc", "value", "show_group"],
        posonly: 1,
        positional: 2,
        required: 1,
        varkw: true,
    };
    let a = SIG.bind(args, kw)?;
    let value = a[1].clone().or_else(|| a[0].clone()).unwrap_or(Value::NONE);
    check_value(&value)?;
    Ok(lines_value(exception::format_exception_only(
        ts,
        &value,
        &Value::NONE,
        kw_flag(kw, "colorize"),
    )))
}

/// The `FrameSummary` values of a traceback's entries, limited.
fn tb_summaries(tb: &Value, limit: Limit) -> Vec<Value> {
    let entries: Vec<&Traceback> = std::iter::successors(tb.downcast::<Traceback>(), |t| {
        t.next_ref().downcast::<Traceback>()
    })
    .collect();
    let (start, end) = limit.range(entries.len(), exception::sys_tracebacklimit());
    entries[start..end]
        .iter()
        .map(|t| Value::native(FrameSummary::from_code(t.code(), t.pc(), true)))
        .collect()
}

fn extract_tb(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "extract_tb",
        params: &["tb", "limit"],
        posonly: 0,
        positional: 2,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let tb = a[0].clone().unwrap_or(Value::NONE);
    check_tb(&tb)?;
    let items = tb_summaries(&tb, limit_arg(&a[1])?);
    Ok(Value::native(StackSummary::new(items)))
}

fn format_tb(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "format_tb",
        params: &["tb", "limit"],
        posonly: 0,
        positional: 2,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let tb = a[0].clone().unwrap_or(Value::NONE);
    check_tb(&tb)?;
    Ok(lines_value(exception::format_tb_entries(
        &tb,
        limit_arg(&a[1])?,
        false,
    )))
}

fn print_tb(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "print_tb",
        params: &["tb", "limit", "file"],
        posonly: 0,
        positional: 3,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let tb = a[0].clone().unwrap_or(Value::NONE);
    check_tb(&tb)?;
    let text = exception::format_tb_entries(&tb, limit_arg(&a[1])?, false).concat();
    write_out(ts, a[2].as_ref(), &text)?;
    Ok(Value::NONE)
}

/// Code and instruction of an activation.
type Entry = (Arc<CodeObject>, usize);

/// The (code, instruction) of each activation from `f` (None: the Python caller) outwards,
/// limited as `StackSummary.extract(walk_stack(f), limit=limit)` limits, innermost first.
fn stack_of(ts: &mut ThreadState, f: &Option<Value>, limit: Limit) -> PyResult<Vec<Entry>> {
    let tbl = exception::sys_tracebacklimit();
    let mut entries: Vec<Entry> = match f.as_ref().filter(|f| !f.is_none()) {
        None => stack_entries(ts, 0)
            .into_iter()
            .map(|e| (e.code, e.pc))
            .collect(),
        Some(frame) => {
            // Walking `f_back` materializes the callers, as CPython's walk does; a positive
            // limit stops the walk early, as `islice` stops the generator.
            let max = match limit.range(usize::MAX, tbl) {
                (0, end) if !limit.needs_len(tbl) => end,
                _ => usize::MAX,
            };
            let mut out = Vec::new();
            let mut cur = frame.clone();
            while out.len() < max {
                let Some(fo) = cur.downcast::<FrameObject>() else {
                    if cur.is_none() {
                        break;
                    }
                    return Err(err::attribute_error(format!(
                        "'{}' object has no attribute 'f_back'",
                        cur.py_type().name()
                    )));
                };
                out.push((fo.code().clone(), fo.pc(ts)));
                if out.len() >= max {
                    break;
                }
                let back = fo.back(ts)?;
                cur = back;
            }
            out
        }
    };
    let (start, end) = limit.range(entries.len(), tbl);
    entries.truncate(end);
    entries.drain(..start);
    Ok(entries)
}

fn stack_arg_sig(name: &'static str, with_file: bool) -> Sig {
    Sig {
        name,
        params: if with_file {
            &["f", "limit", "file"]
        } else {
            &["f", "limit"]
        },
        posonly: 0,
        positional: if with_file { 3 } else { 2 },
        required: 0,
        varkw: false,
    }
}

fn extract_stack(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let a = stack_arg_sig("extract_stack", false).bind(args, kw)?;
    let entries = stack_of(ts, &a[0], limit_arg(&a[1])?)?;
    let items = entries
        .iter()
        .rev()
        .map(|(code, pc)| Value::native(FrameSummary::from_code(code, *pc, false)))
        .collect();
    Ok(Value::native(StackSummary::new(items)))
}

/// `format_list(extract_stack(f, limit))` without building the summaries.
fn format_stack_text(
    ts: &mut ThreadState,
    f: &Option<Value>,
    limit: Limit,
) -> PyResult<Vec<String>> {
    let entries = stack_of(ts, f, limit)?;
    let mut cache: HashMap<(usize, usize), String> = HashMap::new();
    Ok(collapse(
        entries.iter().rev(),
        |(code, pc)| CodeKey::of(code, *pc),
        |(code, pc)| {
            cache
                .entry((Arc::as_ptr(code) as usize, *pc))
                .or_insert_with(|| format_code_frame(code, *pc, false, false))
                .clone()
        },
    ))
}

fn format_stack(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let a = stack_arg_sig("format_stack", false).bind(args, kw)?;
    let lines = format_stack_text(ts, &a[0], limit_arg(&a[1])?)?;
    Ok(lines_value(lines))
}

fn print_stack(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let a = stack_arg_sig("print_stack", true).bind(args, kw)?;
    let text = format_stack_text(ts, &a[0], limit_arg(&a[1])?)?.concat();
    write_out(ts, a[2].as_ref(), &text)?;
    Ok(Value::NONE)
}

/// The items of a list-like argument (list, tuple, StackSummary).
fn items_of(ts: &mut ThreadState, v: &Value) -> PyResult<Vec<Value>> {
    match v.obj() {
        Some(Object::List(l)) => Ok(l.lock().clone()),
        Some(Object::Tuple(t)) => Ok(t.to_vec()),
        Some(Object::Native(n)) => match n.iter_items(ts) {
            Some(r) => r,
            None => Err(err::type_error(format!(
                "'{}' object is not iterable",
                v.py_type().name()
            ))),
        },
        _ => Err(err::type_error(format!(
            "'{}' object is not iterable",
            v.py_type().name()
        ))),
    }
}

/// `StackSummary.from_list(a_list).format()`.
fn format_list_text(ts: &mut ThreadState, list: &Value) -> PyResult<Vec<String>> {
    let items = items_of(ts, list)?
        .iter()
        .map(summary_from_item)
        .collect::<PyResult<Vec<Value>>>()?;
    Ok(format_summaries(&items, false))
}

fn format_list(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "format_list",
        params: &["extracted_list"],
        posonly: 0,
        positional: 1,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let list = a[0].clone().unwrap_or(Value::NONE);
    Ok(lines_value(format_list_text(ts, &list)?))
}

fn print_list(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "print_list",
        params: &["extracted_list", "file"],
        posonly: 0,
        positional: 2,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let list = a[0].clone().unwrap_or(Value::NONE);
    let text = format_list_text(ts, &list)?.concat();
    write_out(ts, a[1].as_ref(), &text)?;
    Ok(Value::NONE)
}

/// `(frame, frame.f_lineno)`.
fn frame_and_line(ts: &mut ThreadState, frame: &Value) -> PyResult<Value> {
    let fo = frame
        .downcast::<FrameObject>()
        .ok_or_else(|| err::type_error("walk_stack() expects a frame"))?;
    let line = fo.lineno(ts).map(i64::from);
    Ok(Value::tuple(vec![frame.clone(), opt_int(line)]))
}

fn walk_stack(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "walk_stack",
        params: &["f"],
        posonly: 0,
        positional: 1,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let mut f = a[0].clone().unwrap_or(Value::NONE);
    if f.is_none() {
        // CPython starts at `sys._getframe().f_back.f_back.f_back.f_back` of the generator:
        // three frames above the caller (the frames of `StackSummary.extract` when it is the
        // consumer), failing when the stack is too short to follow three `f_back`s.
        let depth = stack_entries(ts, 0).len();
        if depth < 3 {
            let e = PyErr::new(
                ExcKind::AttributeError,
                "'NoneType' object has no attribute 'f_back'",
            );
            e.exception().set_attr("name", Value::str("f_back"));
            e.exception().set_attr("obj", Value::NONE);
            return Err(e);
        }
        if depth == 3 {
            return Ok(Value::list(Vec::new()));
        }
        f = crate::frame::getframe(ts, 3)?;
    }
    let mut out = Vec::new();
    while !f.is_none() {
        out.push(frame_and_line(ts, &f)?);
        let fo = f
            .downcast::<FrameObject>()
            .ok_or_else(|| err::type_error("walk_stack() expects a frame"))?;
        f = fo.back(ts)?;
    }
    Ok(Value::list(out))
}

fn walk_tb(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "walk_tb",
        params: &["tb"],
        posonly: 0,
        positional: 1,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let tb = a[0].clone().unwrap_or(Value::NONE);
    check_tb(&tb)?;
    let mut out = Vec::new();
    let mut cur = tb.downcast::<Traceback>();
    while let Some(t) = cur {
        let frame = t.frame(ts)?;
        out.push(Value::tuple(vec![
            frame,
            opt_int(t.lineno().map(i64::from)),
        ]));
        cur = t.next_ref().downcast::<Traceback>();
    }
    Ok(Value::list(out))
}

fn clear_frames(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "clear_frames",
        params: &["tb"],
        posonly: 0,
        positional: 1,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let tb = a[0].clone().unwrap_or(Value::NONE);
    check_tb(&tb)?;
    let mut cur = tb.downcast::<Traceback>();
    while let Some(t) = cur {
        let frame = t.frame(ts)?;
        if let Some(fo) = frame.downcast::<FrameObject>() {
            // A frame still executing raises RuntimeError, which clear_frames ignores.
            let _ = fo.clear();
        }
        cur = t.next_ref().downcast::<Traceback>();
    }
    Ok(Value::NONE)
}

/// `traceback.FrameSummary(filename, lineno, name, *, lookup_line=True, locals=None, line=None,
/// end_lineno=None, colno=None, end_colno=None)`, for the interpreter to call when a program
/// calls the `FrameSummary` type. `locals` is not captured (CPython keeps reprs of it; pass
/// None).
pub fn frame_summary_new(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "FrameSummary.__init__",
        params: &[
            "filename",
            "lineno",
            "name",
            "lookup_line",
            "locals",
            "line",
            "end_lineno",
            "colno",
            "end_colno",
        ],
        posonly: 0,
        positional: 3,
        required: 3,
        varkw: false,
    };
    // `__init__` counts its `self` in this message (and only in this one).
    if args.len() > SIG.positional {
        return Err(err::type_error(format!(
            "FrameSummary.__init__() takes {} positional arguments but {} were given",
            SIG.positional + 1,
            args.len() + 1
        )));
    }
    let a = SIG.bind(args, kw)?;
    let str_arg = |v: &Option<Value>, what: &str| -> PyResult<String> {
        v.as_ref()
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .ok_or_else(|| err::type_error(format!("FrameSummary {what} must be a str")))
    };
    let opt = |v: &Option<Value>| -> PyResult<Option<i64>> {
        match v {
            Some(v) if !v.is_none() => Ok(Some(int_arg(v)?)),
            _ => Ok(None),
        }
    };
    let line = match &a[5] {
        Some(v) if !v.is_none() => Some(str_arg(&a[5], "line")?),
        _ => None,
    };
    Ok(Value::native(FrameSummary::new(
        &str_arg(&a[0], "filename")?,
        opt(&a[1])?,
        &str_arg(&a[2], "name")?,
        line,
        opt(&a[6])?,
        opt(&a[7])?,
        opt(&a[8])?,
    )))
}

/// `traceback.StackSummary.from_list(a_list)`, for the interpreter to call when a program
/// calls it.
pub fn stack_summary_from_list(
    ts: &mut ThreadState,
    args: &[Value],
    kw: KwArgs,
) -> PyResult<Value> {
    const SIG: Sig = Sig {
        name: "from_list",
        params: &["a_list"],
        posonly: 0,
        positional: 1,
        required: 1,
        varkw: false,
    };
    let a = SIG.bind(args, kw)?;
    let list = a[0].clone().unwrap_or(Value::NONE);
    let items = items_of(ts, &list)?
        .iter()
        .map(summary_from_item)
        .collect::<PyResult<Vec<Value>>>()?;
    Ok(Value::native(StackSummary::new(items)))
}

#[cfg(test)]
mod chain_tests;

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: Sig = Sig {
        name: "format_exception",
        params: &["exc", "value", "tb", "limit", "chain"],
        posonly: 1,
        positional: 5,
        required: 1,
        varkw: true,
    };

    fn kw(pairs: &[(&str, Value)]) -> Vec<(Value, Value)> {
        pairs
            .iter()
            .map(|(k, v)| (Value::str(k), v.clone()))
            .collect()
    }

    fn type_error_text(r: PyResult<Vec<Option<Value>>>) -> String {
        let e = r.expect_err("an error");
        let args = e.exception().args.as_tuple().unwrap().to_vec();
        args[0].as_str().unwrap().to_owned()
    }

    #[test]
    fn binding_like_python() {
        let a = SIG
            .bind(&[Value::NONE], &kw(&[("limit", Value::int(2))]))
            .unwrap();
        assert!(a[0].is_some() && a[3].as_ref().unwrap().as_small() == Some(2));
        assert!(a[1].is_none() && a[4].is_none());
        // **kwargs swallows unknown keywords.
        assert!(SIG
            .bind(&[Value::NONE], &kw(&[("colorize", Value::TRUE)]))
            .is_ok());
        assert_eq!(
            type_error_text(SIG.bind(&[], &[])),
            "format_exception() missing 1 required positional argument: 'exc'"
        );
        let six: Vec<Value> = (0..6).map(Value::int).collect();
        assert_eq!(
            type_error_text(SIG.bind(&six, &[])),
            "format_exception() takes from 1 to 5 positional arguments but 6 were given"
        );
        assert_eq!(
            type_error_text(SIG.bind(&[Value::NONE, Value::NONE], &kw(&[("value", Value::NONE)]))),
            "format_exception() got multiple values for argument 'value'"
        );
        let strict = Sig {
            varkw: false,
            ..SIG
        };
        assert_eq!(
            type_error_text(strict.bind(&[Value::NONE], &kw(&[("bogus", Value::NONE)]))),
            "format_exception() got an unexpected keyword argument 'bogus'"
        );
    }
}
