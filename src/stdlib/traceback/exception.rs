//! Exceptions as `traceback.TracebackException` prints them: the chain of causes and contexts,
//! each exception's traceback, and its final lines (`format_exception_only`): `Type: message`
//! with "Did you mean" suggestions, SyntaxError's source line and carets, and `__notes__`.
//!
//! Invariants: each exception of a chain is printed once (cycles through `__cause__` /
//! `__context__` end at the first exception seen again, as CPython's `_seen` set does); the
//! chain is printed oldest first, the exception passed in last. Exceptions are builtin types
//! only (the subset has no classes), so the type prefix is always the bare `__qualname__`.

use super::format::{collapse, colors, format_code_frame, format_code_frame_with, CodeKey};
use super::suggest;
use super::text::{char_len, char_slice, is_space, py_slice_bounds};
use crate::frame::Traceback;
use crate::object::exc::Exception;
use crate::object::{ops, ExcKind, Object, PyResult, Value};
use crate::thread::ThreadState;
use std::collections::{HashMap, HashSet};

/// `_cause_message`.
pub(super) const CAUSE_MESSAGE: &str =
    "\nThe above exception was the direct cause of the following exception:\n\n";
/// `_context_message`.
pub(super) const CONTEXT_MESSAGE: &str =
    "\nDuring handling of the above exception, another exception occurred:\n\n";
/// The header of a non-empty traceback.
pub(super) const HEADER: &str = "Traceback (most recent call last):\n";

/// How many entries of a stack or traceback to show.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Limit {
    /// `limit=None`: `sys.tracebacklimit` if set (first N entries), else all.
    Default,
    /// `limit=N`: the first N entries, or the last `-N` when negative.
    Given(i64),
    /// `BUILTIN_EXCEPTION_LIMIT` (the default excepthook): `sys.tracebacklimit` if set, applied
    /// as CPython 3.13 does, `entries[len - limit:]` with Python's slice semantics; else all.
    Builtin,
}

impl Limit {
    /// The `(start, end)` range of `len` entries to show, `tracebacklimit` being the value of
    /// `sys.tracebacklimit` (if it is set to an int).
    pub(super) fn range(self, len: usize, tracebacklimit: Option<i64>) -> (usize, usize) {
        let tbl = tracebacklimit.map(|l| l.max(0));
        match (self, tbl) {
            (Limit::Given(n), _) | (Limit::Default, Some(n)) => {
                if n >= 0 {
                    (0, (n as u64).min(len as u64) as usize)
                } else {
                    (len.saturating_sub(n.unsigned_abs() as usize), len)
                }
            }
            (Limit::Builtin, Some(n)) => {
                let mut start = len as i64 - n;
                if start < 0 {
                    start = (start + len as i64).max(0);
                }
                (start as usize, len)
            }
            (Limit::Default | Limit::Builtin, None) => (0, len),
        }
    }

    /// Does applying this limit need the number of entries first?
    pub(super) fn needs_len(self, tracebacklimit: Option<i64>) -> bool {
        match self {
            Limit::Given(n) => n < 0,
            Limit::Default => false,
            Limit::Builtin => tracebacklimit.is_some(),
        }
    }
}

/// `sys.tracebacklimit`, if the program set it to an int.
pub(super) fn sys_tracebacklimit() -> Option<i64> {
    let sys = crate::thread::runtime()
        .modules
        .lock()
        .get("sys")
        .cloned()?;
    let Some(Object::Module(m)) = sys.obj() else {
        return None;
    };
    let v = crate::stdlib::dict_get(&m.dict, "tracebacklimit")?;
    v.as_small().or_else(|| v.as_bool().map(i64::from))
}

/// The entries of a traceback chain from `tb` on.
fn tb_entries(tb: &Value) -> impl Iterator<Item = &Traceback> {
    std::iter::successors(tb.downcast::<Traceback>(), |t| {
        t.next_ref().downcast::<Traceback>()
    })
}

/// `StackSummary.format()` of `extract_tb(tb, limit)`: the formatted entries of a traceback
/// chain, repeats collapsed. Builds no frame object; each distinct (code, instruction) is
/// formatted once.
pub(super) fn format_tb_entries(tb: &Value, limit: Limit, colorize: bool) -> Vec<String> {
    let tbl = sys_tracebacklimit();
    let len = if limit.needs_len(tbl) {
        tb_entries(tb).count()
    } else {
        usize::MAX
    };
    let (start, end) = limit.range(len, tbl);
    let mut cache: HashMap<(usize, usize), String> = HashMap::new();
    collapse(
        tb_entries(tb).skip(start).take(end - start),
        |t| CodeKey::of(t.code(), t.pc()),
        |t| {
            cache
                .entry((std::sync::Arc::as_ptr(t.code()) as usize, t.pc()))
                .or_insert_with(|| format_code_frame(t.code(), t.pc(), true, colorize))
                .clone()
        },
    )
}

/// `PyTraceBack_Print` of CPython 3.13 (the C printer the default `sys.unraisablehook` falls
/// back to): the header and the last `sys.tracebacklimit` entries (default 1000; none, and no
/// header, when it is 0 or less), repeats collapsed as `StackSummary.format` does, each entry
/// with its one source line (if `source`) and no carets. Empty when `tb` is not a traceback.
pub(crate) fn format_tb_plain(tb: &Value, source: bool) -> String {
    /// `PyTraceBack_LIMIT`.
    const DEFAULT_LIMIT: i64 = 1000;
    if tb.downcast::<Traceback>().is_none() {
        return String::new();
    }
    let limit = sys_tracebacklimit().unwrap_or(DEFAULT_LIMIT);
    if limit <= 0 {
        return String::new();
    }
    let len = tb_entries(tb).count();
    let skip = len.saturating_sub(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut cache: HashMap<(usize, usize), String> = HashMap::new();
    let entries = collapse(
        tb_entries(tb).skip(skip),
        |t| CodeKey::of(t.code(), t.pc()),
        |t| {
            cache
                .entry((std::sync::Arc::as_ptr(t.code()) as usize, t.pc()))
                .or_insert_with(|| format_code_frame_with(t.code(), t.pc(), false, false, source))
                .clone()
        },
    );
    let mut out = String::from(HEADER);
    out.extend(entries);
    out
}

/// One link of a printed chain: the exception, the traceback printed with it, and the message
/// that introduces it after the older exception it was caused by (or raised while handling).
struct Link {
    msg: Option<&'static str>,
    value: Value,
    tb: Value,
}

/// The chain printed for `value` (with traceback `tb`), newest first: following `__cause__`,
/// else `__context__` unless `__suppress_context__`, never to an exception already in it.
fn chain_of(value: &Value, tb: &Value, chain: bool) -> Vec<Link> {
    let mut links = vec![Link {
        msg: None,
        value: value.clone(),
        tb: tb.clone(),
    }];
    if !chain {
        return links;
    }
    let mut seen: HashSet<usize> = HashSet::from([value.id()]);
    let mut cur = value.clone();
    while let Some(exc) = cur.as_exception() {
        let (cause, context, suppress) = {
            let st = exc.state.lock();
            (st.cause.clone(), st.context.clone(), exc.suppress_context())
        };
        let next = if cause.as_exception().is_some() && !seen.contains(&cause.id()) {
            Some((CAUSE_MESSAGE, cause))
        } else if !suppress && context.as_exception().is_some() && !seen.contains(&context.id()) {
            Some((CONTEXT_MESSAGE, context))
        } else {
            None
        };
        let Some((msg, next)) = next else { break };
        seen.insert(next.id());
        let next_tb = next
            .as_exception()
            .map_or(Value::NONE, |e| e.state.lock().traceback.clone());
        links.last_mut().expect("the root is first").msg = Some(msg);
        links.push(Link {
            msg: None,
            value: next.clone(),
            tb: next_tb,
        });
        cur = next;
    }
    links
}

/// `TracebackException(type(value), value, tb, limit=limit, compact=True).format(chain=chain,
/// colorize=colorize)`.
pub(super) fn format_exception(
    ts: &mut ThreadState,
    value: &Value,
    tb: &Value,
    limit: Limit,
    chain: bool,
    colorize: bool,
) -> Vec<String> {
    let links = chain_of(value, tb, chain);
    let mut out = Vec::new();
    for link in links.iter().rev() {
        if let Some(msg) = link.msg {
            out.push(msg.to_owned());
        }
        let stack = format_tb_entries(&link.tb, limit, colorize);
        if !stack.is_empty() {
            out.push(HEADER.to_owned());
            out.extend(stack);
        }
        out.extend(format_exception_only(ts, &link.value, &link.tb, colorize));
    }
    out
}

/// `_safe_string(v, what, str)`.
fn safe_str(ts: &mut ThreadState, v: &Value, what: &str) -> String {
    if v.is_none() {
        return "None".to_owned();
    }
    str_of(ts, v).unwrap_or_else(|_| format!("<{what} str() failed>"))
}

/// `_safe_string(v, what, repr)`.
fn safe_repr(ts: &mut ThreadState, v: &Value, what: &str) -> String {
    ops::repr(ts, v).unwrap_or_else(|_| format!("<{what} repr() failed>"))
}

/// `str(exc)` for the builtin exception types.
pub(super) fn exception_str(ts: &mut ThreadState, exc: &Exception) -> PyResult<String> {
    let args = exc.args.as_tuple().unwrap_or(&[]).to_vec();
    let attr = |name: &str| exc.attr(name).filter(|v| !v.is_none());
    if exc.kind.is_subclass(ExcKind::OSError) {
        let (errno, strerror, filename) = match (attr("errno"), attr("strerror")) {
            (Some(e), Some(s)) => (Some(e), Some(s), attr("filename")),
            _ if (2..=5).contains(&args.len()) => (
                Some(args[0].clone()),
                Some(args[1].clone()),
                args.get(2).cloned().filter(|v| !v.is_none()),
            ),
            _ => (None, None, None),
        };
        if let (Some(errno), Some(strerror)) = (errno, strerror) {
            let e = str_of(ts, &errno)?;
            let s = str_of(ts, &strerror)?;
            return Ok(match filename {
                Some(f) => format!("[Errno {e}] {s}: {}", ops::repr(ts, &f)?),
                None => format!("[Errno {e}] {s}"),
            });
        }
    }
    if exc.kind.is_subclass(ExcKind::SyntaxError) {
        if let Some(msg) = syntax_field(exc, SyntaxField::Msg) {
            let msg = str_of(ts, &msg)?;
            let filename = syntax_field(exc, SyntaxField::Filename).and_then(|f| {
                f.as_str()
                    .map(|s| s.rsplit('/').next().unwrap_or(s).to_owned())
            });
            let lineno = syntax_field(exc, SyntaxField::Lineno).and_then(|l| l.as_small());
            return Ok(match (filename, lineno) {
                (Some(f), Some(l)) => format!("{msg} ({f}, line {l})"),
                (Some(f), None) => format!("{msg} ({f})"),
                (None, Some(l)) => format!("{msg} (line {l})"),
                (None, None) => msg,
            });
        }
    }
    match args.len() {
        0 => Ok(String::new()),
        1 if exc.kind == ExcKind::KeyError => ops::repr(ts, &args[0]),
        1 => str_of(ts, &args[0]),
        _ => ops::repr(ts, &exc.args),
    }
}

/// `str(v)`, without a call for strs and small ints.
fn str_of(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    if let Some(s) = v.as_str() {
        return Ok(s.to_owned());
    }
    if let Some(i) = v.as_small() {
        return Ok(i.to_string());
    }
    ops::str(ts, v)
}

/// The attributes of a SyntaxError.
#[derive(Copy, Clone, PartialEq, Eq)]
enum SyntaxField {
    Msg,
    Filename,
    Lineno,
    Offset,
    Text,
    EndLineno,
    EndOffset,
}

/// A SyntaxError attribute: the one set on the instance, else what `SyntaxError(msg, (filename,
/// lineno, offset, text, end_lineno, end_offset))` would have set from its args. `None` for None.
fn syntax_field(exc: &Exception, field: SyntaxField) -> Option<Value> {
    let name = match field {
        SyntaxField::Msg => "msg",
        SyntaxField::Filename => "filename",
        SyntaxField::Lineno => "lineno",
        SyntaxField::Offset => "offset",
        SyntaxField::Text => "text",
        SyntaxField::EndLineno => "end_lineno",
        SyntaxField::EndOffset => "end_offset",
    };
    if let Some(v) = exc.attr(name) {
        return (!v.is_none()).then_some(v);
    }
    let args = exc.args.as_tuple()?;
    if field == SyntaxField::Msg {
        return args.first().cloned().filter(|v| !v.is_none());
    }
    if args.len() != 2 {
        return None;
    }
    let info = args[1].as_tuple()?;
    let i = match field {
        SyntaxField::Filename => 0,
        SyntaxField::Lineno => 1,
        SyntaxField::Offset => 2,
        SyntaxField::Text => 3,
        SyntaxField::EndLineno => 4,
        SyntaxField::EndOffset => 5,
        SyntaxField::Msg => unreachable!(),
    };
    info.get(i).cloned().filter(|v| !v.is_none())
}

/// What `_format_syntax_error` reads of a SyntaxError, as plain data.
#[derive(Clone, Debug, Default)]
pub struct SyntaxErrorInfo {
    /// `filename`.
    pub filename: Option<String>,
    /// `str(lineno)`.
    pub lineno: Option<String>,
    /// `str(end_lineno)`.
    pub end_lineno: Option<String>,
    /// `text`.
    pub text: Option<String>,
    /// `offset` (1-based, in characters).
    pub offset: Option<i64>,
    /// `end_offset`.
    pub end_offset: Option<i64>,
    /// `msg`.
    pub msg: Option<String>,
}

/// An int attribute as i64 (`bool` counts as int; anything else as unknown).
fn int_of(v: &Value) -> Option<i64> {
    v.as_small().or_else(|| v.as_bool().map(i64::from))
}

fn syntax_info(ts: &mut ThreadState, exc: &Exception) -> SyntaxErrorInfo {
    let mut text_of = |f: SyntaxField| {
        syntax_field(exc, f).map(|v| str_of(ts, &v).unwrap_or_else(|_| String::from("?")))
    };
    SyntaxErrorInfo {
        filename: text_of(SyntaxField::Filename),
        lineno: text_of(SyntaxField::Lineno),
        end_lineno: text_of(SyntaxField::EndLineno),
        text: text_of(SyntaxField::Text),
        msg: text_of(SyntaxField::Msg),
        offset: syntax_field(exc, SyntaxField::Offset).and_then(|v| int_of(&v)),
        end_offset: syntax_field(exc, SyntaxField::EndOffset).and_then(|v| int_of(&v)),
    }
}

/// `TracebackException._format_syntax_error(stype)`.
#[cfg(test)]
pub fn format_syntax_error(stype: &str, se: &SyntaxErrorInfo) -> Vec<String> {
    format_syntax_error_colored(stype, se, false)
}

/// `TracebackException._format_syntax_error(stype, colorize=colorize)`.
pub fn format_syntax_error_colored(
    stype: &str,
    se: &SyntaxErrorInfo,
    colorize: bool,
) -> Vec<String> {
    let (magenta, reset) = if colorize {
        (colors::MAGENTA, colors::RESET)
    } else {
        ("", "")
    };
    let mut out = Vec::new();
    let mut filename_suffix = String::new();
    if let Some(lineno) = &se.lineno {
        let filename = se
            .filename
            .as_deref()
            .filter(|f| !f.is_empty())
            .unwrap_or("<string>");
        out.push(format!(
            "  File {magenta}\"{filename}\"{reset}, line {magenta}{lineno}{reset}\n"
        ));
    } else if let Some(filename) = &se.filename {
        filename_suffix = format!(" ({filename})");
    }
    if let Some(text) = &se.text {
        let rtext = text.trim_end_matches('\n');
        let ltext = rtext.trim_start_matches([' ', '\n', '\x0c']);
        let spaces = (char_len(rtext) - char_len(ltext)) as i64;
        match se.offset {
            None => out.push(format!("    {ltext}\n")),
            Some(mut offset) => {
                let mut end_offset = if se.lineno == se.end_lineno {
                    match se.end_offset {
                        None | Some(0) => offset,
                        Some(e) => e,
                    }
                } else {
                    char_len(rtext) as i64 + 1
                };
                let text_len = char_len(text) as i64;
                if !text.is_empty() && offset > text_len {
                    offset = char_len(rtext) as i64 + 1;
                }
                if !text.is_empty() && end_offset > text_len {
                    end_offset = char_len(rtext) as i64 + 1;
                }
                if offset >= end_offset || end_offset < 0 {
                    end_offset = offset + 1;
                }
                let colno = offset - 1 - spaces;
                let end_colno = end_offset - 1 - spaces;
                if colno >= 0 {
                    let caretspace: String = ltext
                        .chars()
                        .take(colno as usize)
                        .map(|c| if is_space(c) { c } else { ' ' })
                        .collect();
                    let carets = "^".repeat((end_colno - colno).max(0) as usize);
                    if colorize {
                        let n = char_len(ltext);
                        let (a, b) = py_slice_bounds(n, 0, colno);
                        let (c, d) = py_slice_bounds(n, colno, end_colno);
                        let (e, f) = py_slice_bounds(n, end_colno, i64::MAX);
                        out.push(format!(
                            "    {}{}{}{}{}\n",
                            char_slice(ltext, a, b),
                            colors::BOLD_RED,
                            char_slice(ltext, c, d),
                            colors::RESET,
                            char_slice(ltext, e, f)
                        ));
                        out.push(format!(
                            "    {caretspace}{}{carets}{}\n",
                            colors::BOLD_RED,
                            colors::RESET
                        ));
                    } else {
                        out.push(format!("    {ltext}\n"));
                        out.push(format!("    {caretspace}{carets}\n"));
                    }
                } else {
                    out.push(format!("    {ltext}\n"));
                }
            }
        }
    }
    let msg = se
        .msg
        .as_deref()
        .filter(|m| !m.is_empty())
        .unwrap_or("<no detail available>");
    if colorize {
        out.push(format!(
            "{}{stype}{}: {}{msg}{}{filename_suffix}\n",
            colors::BOLD_MAGENTA,
            colors::RESET,
            colors::MAGENTA,
            colors::RESET
        ));
    } else {
        out.push(format!("{stype}: {msg}{filename_suffix}\n"));
    }
    out
}

/// `_format_final_exc_line(stype, valuestr)`.
#[cfg(test)]
pub fn final_exc_line(stype: &str, valuestr: &str) -> String {
    final_exc_line_colored(stype, valuestr, false)
}

/// `_format_final_exc_line(stype, valuestr, colorize=colorize)`.
pub fn final_exc_line_colored(stype: &str, valuestr: &str, colorize: bool) -> String {
    match (valuestr.is_empty(), colorize) {
        (true, false) => format!("{stype}\n"),
        (false, false) => format!("{stype}: {valuestr}\n"),
        (true, true) => format!("{}{stype}{}\n", colors::BOLD_MAGENTA, colors::RESET),
        (false, true) => format!(
            "{}{stype}{}: {}{valuestr}{}\n",
            colors::BOLD_MAGENTA,
            colors::RESET,
            colors::MAGENTA,
            colors::RESET
        ),
    }
}

/// The `__notes__` lines of an exception.
fn notes_lines(ts: &mut ThreadState, exc: &Exception, out: &mut Vec<String>) {
    let Some(notes) = exc.attr("__notes__") else {
        return;
    };
    if notes.is_none() {
        return;
    }
    let items: Option<Vec<Value>> = match notes.obj() {
        Some(Object::List(l)) => Some(l.lock().clone()),
        Some(Object::Tuple(t)) => Some(t.to_vec()),
        _ => None,
    };
    match items {
        Some(items) => {
            for note in items {
                let note = safe_str(ts, &note, "note");
                out.extend(note.split('\n').map(|l| format!("{l}\n")));
            }
        }
        None => out.push(format!("{}\n", safe_repr(ts, &notes, "__notes__"))),
    }
}

/// `format_exception_only` of one exception (`value` may be None or, from the legacy
/// three-argument calls, any object): its final lines. `tb` is the traceback NameError
/// suggestions look into.
pub(super) fn format_exception_only(
    ts: &mut ThreadState,
    value: &Value,
    tb: &Value,
    colorize: bool,
) -> Vec<String> {
    let Some(exc) = value.as_exception() else {
        let stype = value.py_type().name();
        let s = safe_str(ts, value, "exception");
        return vec![final_exc_line_colored(stype, &s, colorize)];
    };
    let stype = exc.kind.name();
    let mut out = Vec::new();
    if exc.kind.is_subclass(ExcKind::SyntaxError) {
        let info = syntax_info(ts, exc);
        out.extend(format_syntax_error_colored(stype, &info, colorize));
    } else {
        let mut s =
            exception_str(ts, exc).unwrap_or_else(|_| "<exception str() failed>".to_owned());
        add_suggestion(ts, exc, tb, &mut s);
        out.push(final_exc_line_colored(stype, &s, colorize));
    }
    notes_lines(ts, exc, &mut out);
    out
}

/// Appends the "Did you mean" / "Did you forget to import" hints of `TracebackException`.
fn add_suggestion(ts: &mut ThreadState, exc: &Exception, tb: &Value, s: &mut String) {
    let str_attr = |name: &str| exc.attr(name).and_then(|v| v.as_str().map(str::to_owned));
    if exc.kind.is_subclass(ExcKind::ImportError) {
        if let Some(wrong) = str_attr("name_from") {
            if let Some(sugg) = suggest::compute(ts, exc, tb, &wrong) {
                s.push_str(&format!(". Did you mean: '{sugg}'?"));
            }
        }
    } else if exc.kind.is_subclass(ExcKind::NameError)
        || exc.kind.is_subclass(ExcKind::AttributeError)
    {
        let Some(wrong) = str_attr("name") else {
            return;
        };
        let sugg = suggest::compute(ts, exc, tb, &wrong);
        if let Some(sugg) = &sugg {
            s.push_str(&format!(". Did you mean: '{sugg}'?"));
        }
        if exc.kind.is_subclass(ExcKind::NameError) && suggest::is_stdlib_module(&wrong) {
            if sugg.is_some() {
                s.push_str(&format!(" Or did you forget to import '{wrong}'?"));
            } else {
                s.push_str(&format!(". Did you forget to import '{wrong}'?"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn se(lineno: Option<&str>, text: Option<&str>, offset: Option<i64>) -> SyntaxErrorInfo {
        SyntaxErrorInfo {
            filename: Some("/t/x.py".into()),
            lineno: lineno.map(Into::into),
            end_lineno: lineno.map(Into::into),
            text: text.map(Into::into),
            offset,
            end_offset: None,
            msg: Some("invalid syntax".into()),
        }
    }

    #[test]
    fn syntax_errors_like_cpython() {
        // traceback.format_exception_only(SyntaxError("invalid syntax",
        //     ("/t/x.py", 3, 9, "    x = = 1\n", 3, 10)))
        let mut info = se(Some("3"), Some("    x = = 1\n"), Some(9));
        info.end_offset = Some(10);
        assert_eq!(
            format_syntax_error("SyntaxError", &info).concat(),
            "  File \"/t/x.py\", line 3\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n"
        );
        // A range over several lines runs to the end of the text:
        // SyntaxError("'(' was never closed", ("/t/x.py", 1, 5, "f = (1,\n", 2, 1))
        let info = SyntaxErrorInfo {
            end_lineno: Some("2".into()),
            end_offset: Some(1),
            msg: Some("'(' was never closed".into()),
            ..se(Some("1"), Some("f = (1,\n"), Some(5))
        };
        assert_eq!(
            format_syntax_error("SyntaxError", &info).concat(),
            "  File \"/t/x.py\", line 1\n    f = (1,\n        ^^^\nSyntaxError: '(' was never closed\n"
        );
        // No line number: the file name goes after the message.
        let info = se(None, None, None);
        assert_eq!(
            format_syntax_error("SyntaxError", &info).concat(),
            "SyntaxError: invalid syntax (/t/x.py)\n"
        );
        // Offset past the text, tabs kept for alignment, empty message.
        let mut info = se(Some("1"), Some("\tab\n"), Some(40));
        info.msg = Some(String::new());
        assert_eq!(
            format_syntax_error("IndentationError", &info).concat(),
            "  File \"/t/x.py\", line 1\n    \tab\n    \t  ^\nIndentationError: <no detail available>\n"
        );
    }

    fn attribute_error(msg: &str, name: &str, obj: Value) -> Value {
        let e = crate::object::exc::new_exception(ExcKind::AttributeError, vec![Value::str(msg)]);
        let exc = e.as_exception().unwrap();
        exc.set_attr("name", Value::str(name));
        exc.set_attr("obj", obj);
        e
    }

    #[test]
    fn suggestions_in_final_lines() {
        // Lines from CPython 3.13's traceback.format_exception_only.
        let mut ts = ThreadState::new();
        let mut only = |v: &Value| format_exception_only(&mut ts, v, &Value::NONE, false).concat();
        let cases = [
            (
                attribute_error("'list' object has no attribute 'apend'", "apend", Value::list(vec![])),
                "AttributeError: 'list' object has no attribute 'apend'. Did you mean: 'append'?\n",
            ),
            (
                attribute_error("'str' object has no attribute 'uper'", "uper", Value::str("")),
                "AttributeError: 'str' object has no attribute 'uper'. Did you mean: 'upper'?\n",
            ),
            (
                attribute_error(
                    "type object 'int' has no attribute 'frm_bytes'",
                    "frm_bytes",
                    crate::object::TypeId::Int.object(),
                ),
                "AttributeError: type object 'int' has no attribute 'frm_bytes'. Did you mean: 'from_bytes'?\n",
            ),
            (
                attribute_error(
                    "'ValueError' object has no attribute 'ars'",
                    "ars",
                    crate::object::exc::new_exception(ExcKind::ValueError, vec![]),
                ),
                "AttributeError: 'ValueError' object has no attribute 'ars'. Did you mean: 'args'?\n",
            ),
            (
                attribute_error("'list' object has no attribute '__len'", "__len", Value::list(vec![])),
                "AttributeError: 'list' object has no attribute '__len'. Did you mean: '__le__'?\n",
            ),
            (
                attribute_error("'bool' object has no attribute 'bit_lenght'", "bit_lenght", Value::TRUE),
                "AttributeError: 'bool' object has no attribute 'bit_lenght'. Did you mean: 'bit_length'?\n",
            ),
            (
                attribute_error("'NoneType' object has no attribute 'foo'", "foo", Value::NONE),
                "AttributeError: 'NoneType' object has no attribute 'foo'\n",
            ),
        ];
        for (value, expected) in &cases {
            assert_eq!(only(value), *expected);
        }
        // A module's candidates are its dict keys.
        let module = crate::stdlib::new_module("m", vec![("getrecursionlimit", Value::NONE)]);
        let e = attribute_error(
            "module 'm' has no attribute 'getrecursionlimt'",
            "getrecursionlimt",
            module,
        );
        assert_eq!(
            only(&e),
            "AttributeError: module 'm' has no attribute 'getrecursionlimt'. Did you mean: 'getrecursionlimit'?\n"
        );
        // NameError of a stdlib module name, without a traceback to look into.
        let e = crate::object::exc::new_exception(
            ExcKind::NameError,
            vec![Value::str("name 'sys' is not defined")],
        );
        e.as_exception()
            .unwrap()
            .set_attr("name", Value::str("sys"));
        assert_eq!(
            only(&e),
            "NameError: name 'sys' is not defined. Did you forget to import 'sys'?\n"
        );
    }

    #[test]
    fn colours_like_cpython() {
        // format_exception_only(..., colorize=True) of CPython 3.13.
        let mut info = se(Some("3"), Some("    x = = 1\n"), Some(9));
        info.end_offset = Some(10);
        assert_eq!(
            format_syntax_error_colored("SyntaxError", &info, true).concat(),
            "  File \x1b[35m\"/t/x.py\"\x1b[0m, line \x1b[35m3\x1b[0m\n    x = \x1b[1;31m=\x1b[0m 1\n        \x1b[1;31m^\x1b[0m\n\x1b[1;35mSyntaxError\x1b[0m: \x1b[35minvalid syntax\x1b[0m\n"
        );
        assert_eq!(
            final_exc_line_colored("ValueError", "x", true),
            "\x1b[1;35mValueError\x1b[0m: \x1b[35mx\x1b[0m\n"
        );
        assert_eq!(
            final_exc_line_colored("ValueError", "", true),
            "\x1b[1;35mValueError\x1b[0m\n"
        );
    }

    #[test]
    fn final_lines() {
        assert_eq!(final_exc_line("ValueError", ""), "ValueError\n");
        assert_eq!(final_exc_line("KeyError", "'k'"), "KeyError: 'k'\n");
    }

    #[test]
    fn limits() {
        // limit=2 of 5: the first two; limit=-2: the last two.
        assert_eq!(Limit::Given(2).range(5, None), (0, 2));
        assert_eq!(Limit::Given(-2).range(5, None), (3, 5));
        assert_eq!(Limit::Given(9).range(5, None), (0, 5));
        assert_eq!(Limit::Given(-9).range(5, None), (0, 5));
        assert_eq!(Limit::Given(0).range(5, None), (0, 0));
        // sys.tracebacklimit for print_exception(limit=None): the first N.
        assert_eq!(Limit::Default.range(5, Some(2)), (0, 2));
        assert_eq!(Limit::Default.range(5, Some(-1)), (0, 0));
        // ... and for the excepthook, CPython 3.13's `frames[len - limit:]`: with
        // sys.tracebacklimit = 5 and 4 entries only the last one prints.
        assert_eq!(Limit::Builtin.range(4, Some(5)), (3, 4));
        assert_eq!(Limit::Builtin.range(4, Some(2)), (2, 4));
        assert_eq!(Limit::Builtin.range(4, Some(9)), (0, 4));
        assert_eq!(Limit::Builtin.range(4, None), (0, 4));
    }
}
