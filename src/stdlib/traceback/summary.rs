//! `traceback.FrameSummary` and `traceback.StackSummary` objects.
//!
//! A `FrameSummary` is built from a code object and an instruction (no frame object needed) or
//! from plain values (`format_list` tuples, the constructor). Its source lines are read lazily:
//! from the code's [`Source`] when it came from code (the text the program was compiled from),
//! else from the file on disk, as `linecache` does. A `StackSummary` is a list of
//! `FrameSummary` values with a `format()` method.
//!
//! Invariants: a `FrameSummary` is immutable once built (its lazily read lines are computed
//! once); a `StackSummary` only ever holds `FrameSummary` values.

use super::format::{
    collapse, first_line, format_frame_colored, lines_of, summary_positions, FrameData,
};
use crate::code::{CodeObject, Source};
use crate::object::exc::err;
use crate::object::{
    Builtin, KwArgs, NativeFn, NativeObject, Object, PyErr, PyResult, TypeId, Value,
};
use crate::thread::ThreadState;
use parking_lot::Mutex;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Where a summary's source lines come from.
enum LineSource {
    /// The source its code was compiled from.
    Code(Arc<Source>),
    /// The file named `filename`, read as `linecache` reads it.
    File,
}

/// `traceback.FrameSummary`.
pub struct FrameSummary {
    filename: Arc<str>,
    lineno: Option<i64>,
    end_lineno: Option<i64>,
    colno: Option<i64>,
    end_colno: Option<i64>,
    name: Arc<str>,
    source: LineSource,
    /// `_lines`, once looked up.
    lines: OnceLock<Option<String>>,
    /// `locals`: (name, repr) pairs.
    locals: Option<Vec<(String, String)>>,
}

impl FrameSummary {
    /// The summary of instruction `pc` of `code`: with column positions (`full`, as for
    /// traceback entries) or with the line only (as for stack entries).
    pub fn from_code(code: &CodeObject, pc: usize, full: bool) -> FrameSummary {
        let (lineno, end_lineno, colno, end_colno) = summary_positions(code, pc, full);
        FrameSummary {
            filename: code.filename.clone(),
            lineno,
            end_lineno,
            colno,
            end_colno,
            name: code.name.clone(),
            source: LineSource::Code(code.source.clone()),
            lines: OnceLock::new(),
            locals: None,
        }
    }

    /// `FrameSummary(filename, lineno, name, line=line, end_lineno=..., colno=...,
    /// end_colno=...)`: with `line` None the line is looked up in the file.
    pub fn new(
        filename: &str,
        lineno: Option<i64>,
        name: &str,
        line: Option<String>,
        end_lineno: Option<i64>,
        colno: Option<i64>,
        end_colno: Option<i64>,
    ) -> FrameSummary {
        let lines = OnceLock::new();
        if line.is_some() {
            let _ = lines.set(line);
        }
        FrameSummary {
            filename: filename.into(),
            lineno,
            end_lineno: end_lineno.or(lineno),
            colno,
            end_colno,
            name: name.into(),
            source: LineSource::File,
            lines,
            locals: None,
        }
    }

    /// `_lines`: the source lines of the entry (see [`FrameData::lines`]).
    fn lines(&self) -> Option<&str> {
        self.lines
            .get_or_init(|| match &self.source {
                LineSource::Code(src) => lines_of(
                    |n| u32::try_from(n).ok().and_then(|n| src.line(n)),
                    self.lineno,
                    self.end_lineno,
                ),
                LineSource::File => {
                    let file = linecache_lines(&self.filename);
                    lines_of(
                        |n| {
                            let i = usize::try_from(n.checked_sub(1)?).ok()?;
                            file.get(i).map(String::as_str)
                        },
                        self.lineno,
                        self.end_lineno,
                    )
                }
            })
            .as_deref()
    }

    /// `line`: the first source line, stripped (None when the line number is unknown).
    pub fn line(&self) -> Option<&str> {
        self.lines().map(first_line)
    }

    /// What formatting reads.
    pub fn data(&self) -> FrameData<'_> {
        FrameData {
            filename: &self.filename,
            lineno: self.lineno,
            end_lineno: self.end_lineno,
            colno: self.colno,
            end_colno: self.end_colno,
            name: &self.name,
            lines: self.lines(),
            locals: self.locals.as_deref(),
        }
    }

    /// `(filename, lineno, name, line)`.
    fn quad(&self) -> [Value; 4] {
        [
            Value::str(&self.filename),
            opt_int(self.lineno),
            Value::str(&self.name),
            self.line().map_or(Value::NONE, Value::str),
        ]
    }
}

/// An optional int as a value.
pub(super) fn opt_int(v: Option<i64>) -> Value {
    v.map_or(Value::NONE, Value::int)
}

/// `linecache`'s lines of a file: its text split at newlines (universal newlines), empty when
/// it cannot be read. Cached per file and re-read when its size or modification time changes
/// (`linecache.checkcache`).
fn linecache_lines(filename: &str) -> Arc<Vec<String>> {
    type Entry = (Option<std::time::SystemTime>, u64, Arc<Vec<String>>);
    static CACHE: OnceLock<Mutex<HashMap<String, Entry>>> = OnceLock::new();
    let meta = std::fs::metadata(filename).ok();
    let stamp = meta.as_ref().map(|m| (m.modified().ok(), m.len()));
    let cache = CACHE.get_or_init(Default::default);
    if let Some((mtime, size)) = stamp {
        if let Some((m, s, lines)) = cache.lock().get(filename) {
            if *m == mtime && *s == size {
                return lines.clone();
            }
        }
    }
    let lines: Vec<String> = match std::fs::read(filename)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    {
        Some(text) => {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            text.split_inclusive('\n').map(str::to_owned).collect()
        }
        None => Vec::new(),
    };
    let lines = Arc::new(lines);
    if let Some((mtime, size)) = stamp {
        cache
            .lock()
            .insert(filename.to_owned(), (mtime, size, lines.clone()));
    }
    lines
}

/// `tuple[pos]` / `tuple[slice]` over `items`, with Python's index rules.
fn index_items(items: &[Value], key: &Value, what: &str) -> PyResult<Value> {
    if let Some(Object::Slice(start, stop, step)) = key.obj() {
        let len = items.len() as i64;
        let get = |v: &Value| -> PyResult<Option<i64>> {
            if v.is_none() {
                Ok(None)
            } else {
                int_arg(v).map(Some)
            }
        };
        let step = get(step)?.unwrap_or(1);
        if step == 0 {
            return Err(err::value_error("slice step cannot be zero"));
        }
        let clamp = |i: i64, lo: i64, hi: i64| {
            let i = if i < 0 { i + len } else { i };
            i.clamp(lo, hi)
        };
        let (lo, hi) = if step > 0 { (0, len) } else { (-1, len - 1) };
        let start = get(start)?.map_or(if step > 0 { 0 } else { len - 1 }, |i| clamp(i, lo, hi));
        let stop = get(stop)?.map_or(if step > 0 { len } else { -1 }, |i| clamp(i, lo, hi));
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            out.push(items[i as usize].clone());
            i += step;
        }
        return Ok(if what == "tuple" {
            Value::tuple(out)
        } else {
            Value::list(out)
        });
    }
    let i = int_arg(key).map_err(|_| {
        err::type_error(format!(
            "{what} indices must be integers or slices, not {}",
            key.py_type().name()
        ))
    })?;
    let len = items.len() as i64;
    let j = if i < 0 { i + len } else { i };
    if !(0..len).contains(&j) {
        return Err(err::index_error(format!("{what} index out of range")));
    }
    Ok(items[j as usize].clone())
}

/// An int argument (bools count).
pub(super) fn int_arg(v: &Value) -> PyResult<i64> {
    if let Some(i) = v.as_small() {
        return Ok(i);
    }
    if let Some(b) = v.as_bool() {
        return Ok(i64::from(b));
    }
    Err(err::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        v.py_type().name()
    )))
}

impl NativeObject for FrameSummary {
    fn py_type(&self) -> TypeId {
        TypeId::FrameSummary
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, _this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        Some(Ok(match name {
            "filename" => Value::str(&self.filename),
            "lineno" => opt_int(self.lineno),
            "end_lineno" => opt_int(self.end_lineno),
            "colno" => opt_int(self.colno),
            "end_colno" => opt_int(self.end_colno),
            "name" => Value::str(&self.name),
            "line" => self.line().map_or(Value::NONE, Value::str),
            "locals" => match &self.locals {
                None => Value::NONE,
                Some(l) => {
                    let d = Value::dict();
                    for (k, v) in l {
                        crate::stdlib::dict_set(&d, k, Value::str(v));
                    }
                    d
                }
            },
            _ => return None,
        }))
    }

    fn repr(&self, _this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        let lineno = self
            .lineno
            .map_or_else(|| "None".to_owned(), |l| l.to_string());
        Ok(format!(
            "<FrameSummary file {}, line {} in {}>",
            self.filename, lineno, self.name
        ))
    }

    fn getitem(&self, _ts: &mut ThreadState, key: &Value) -> Option<PyResult<Value>> {
        Some(index_items(&self.quad(), key, "tuple"))
    }

    fn len(&self, _ts: &mut ThreadState) -> Option<PyResult<usize>> {
        Some(Ok(4))
    }

    fn iter_items(&self, _ts: &mut ThreadState) -> Option<PyResult<Vec<Value>>> {
        Some(Ok(self.quad().to_vec()))
    }
}

/// `traceback.StackSummary`: a list of `FrameSummary` values.
pub struct StackSummary {
    items: Mutex<Vec<Value>>,
}

impl StackSummary {
    /// A summary of `items` (each a `FrameSummary` value).
    pub fn new(items: Vec<Value>) -> StackSummary {
        StackSummary {
            items: Mutex::new(items),
        }
    }

    /// A snapshot of the entries.
    pub fn items(&self) -> Vec<Value> {
        self.items.lock().clone()
    }

    /// `StackSummary.format(colorize=colorize)`.
    pub fn format(&self, colorize: bool) -> Vec<String> {
        format_summaries(&self.items(), colorize)
    }
}

/// `StackSummary.format()` of a list of `FrameSummary` values (others are skipped).
pub(super) fn format_summaries(items: &[Value], colorize: bool) -> Vec<String> {
    collapse(
        items.iter().filter_map(|v| v.downcast::<FrameSummary>()),
        |fs| fs.lineno.map(|l| (fs.filename.clone(), l, fs.name.clone())),
        |fs| format_frame_colored(&fs.data(), colorize),
    )
}

/// The `colorize=` keyword of the formatting methods.
fn colorize_kw(kw: KwArgs) -> bool {
    kw.iter()
        .find(|(k, _)| k.as_str() == Some("colorize"))
        .is_some_and(|(_, v)| v.as_bool().unwrap_or(!v.is_none()))
}

fn method(name: &'static str, func: NativeFn, this: &Value) -> Value {
    Value::from_object(Object::Builtin(Builtin {
        name,
        func,
        bound: Some(this.clone()),
        owner: "StackSummary",
    }))
}

fn receiver(args: &[Value]) -> PyResult<&StackSummary> {
    args.first()
        .and_then(|v| v.downcast::<StackSummary>())
        .ok_or_else(|| err::type_error("descriptor needs a 'StackSummary' object"))
}

fn no_kwargs(name: &str, kw: KwArgs) -> PyResult<()> {
    match kw.first() {
        None => Ok(()),
        Some((k, _)) => Err(err::type_error(format!(
            "{name}() got an unexpected keyword argument '{}'",
            k.as_str().unwrap_or("?")
        ))),
    }
}

fn summary_format(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let s = receiver(args)?;
    let lines = s.format(colorize_kw(kw));
    Ok(Value::list(lines.into_iter().map(Value::string).collect()))
}

fn summary_format_frame_summary(
    _ts: &mut ThreadState,
    args: &[Value],
    kw: KwArgs,
) -> PyResult<Value> {
    receiver(args)?;
    let fs = args
        .get(1)
        .and_then(|v| v.downcast::<FrameSummary>())
        .ok_or_else(|| err::type_error("format_frame_summary() needs a FrameSummary"))?;
    Ok(Value::string(format_frame_colored(
        &fs.data(),
        colorize_kw(kw),
    )))
}

fn summary_reverse(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    no_kwargs("reverse", kw)?;
    receiver(args)?.items.lock().reverse();
    Ok(Value::NONE)
}

fn summary_append(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    no_kwargs("append", kw)?;
    let s = receiver(args)?;
    let item = args
        .get(1)
        .ok_or_else(|| err::type_error("list.append() takes exactly one argument (0 given)"))?;
    s.items.lock().push(item.clone());
    Ok(Value::NONE)
}

impl NativeObject for StackSummary {
    fn py_type(&self) -> TypeId {
        TypeId::StackSummary
    }

    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        for v in self.items.lock().iter() {
            visit(crate::object::cycles::Edge::Value(v));
        }
    }

    fn clear_refs(&self, graveyard: &mut crate::object::cycles::Graveyard) {
        graveyard.bury(std::mem::take(&mut *self.items.lock()));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        const METHODS: &[(&str, NativeFn)] = &[
            ("format", summary_format),
            ("format_frame_summary", summary_format_frame_summary),
            ("reverse", summary_reverse),
            ("append", summary_append),
        ];
        let &(name, func) = METHODS.iter().find(|(n, _)| *n == name)?;
        Some(Ok(method(name, func, this)))
    }

    fn repr(&self, _this: &Value, ts: &mut ThreadState) -> PyResult<String> {
        let items = self.items();
        let mut parts = Vec::with_capacity(items.len());
        for item in &items {
            parts.push(crate::object::ops::repr(ts, item)?);
        }
        Ok(format!("[{}]", parts.join(", ")))
    }

    fn getitem(&self, _ts: &mut ThreadState, key: &Value) -> Option<PyResult<Value>> {
        Some(index_items(&self.items(), key, "list"))
    }

    fn len(&self, _ts: &mut ThreadState) -> Option<PyResult<usize>> {
        Some(Ok(self.items.lock().len()))
    }

    fn iter_items(&self, _ts: &mut ThreadState) -> Option<PyResult<Vec<Value>>> {
        Some(Ok(self.items()))
    }
}

/// Unpacks a `format_list` item: a `FrameSummary`, or a 4-item tuple/list
/// `(filename, lineno, name, line)` (`StackSummary.from_list`).
pub(super) fn summary_from_item(item: &Value) -> PyResult<Value> {
    if item.downcast::<FrameSummary>().is_some() {
        return Ok(item.clone());
    }
    let parts: Vec<Value> = match item.obj() {
        Some(Object::Tuple(t)) => t.to_vec(),
        Some(Object::List(l)) => l.lock().clone(),
        _ => {
            return Err(err::type_error(format!(
                "cannot unpack non-iterable {} object",
                item.py_type().name()
            )))
        }
    };
    if parts.len() != 4 {
        return Err(PyErr::new(
            crate::object::ExcKind::ValueError,
            if parts.len() > 4 {
                "too many values to unpack (expected 4)".to_owned()
            } else {
                format!(
                    "not enough values to unpack (expected 4, got {})",
                    parts.len()
                )
            },
        ));
    }
    let filename = parts[0]
        .as_str()
        .ok_or_else(|| err::type_error("FrameSummary filename must be a str"))?;
    let name = parts[2]
        .as_str()
        .ok_or_else(|| err::type_error("FrameSummary name must be a str"))?;
    let lineno = if parts[1].is_none() {
        None
    } else {
        Some(int_arg(&parts[1])?)
    };
    let line = if parts[3].is_none() {
        None
    } else {
        Some(
            parts[3]
                .as_str()
                .ok_or_else(|| err::type_error("FrameSummary line must be a str"))?
                .to_owned(),
        )
    };
    Ok(Value::native(FrameSummary::new(
        filename, lineno, name, line, None, None, None,
    )))
}

#[cfg(test)]
mod tests {
    use super::super::format::format_frame;
    use super::*;

    #[test]
    fn summaries_of_plain_values() {
        let fs = FrameSummary::new(
            "f.py",
            Some(3),
            "g",
            Some("  x = 1".into()),
            None,
            None,
            None,
        );
        assert_eq!(fs.line(), Some("x = 1"));
        assert_eq!(fs.end_lineno, Some(3));
        assert_eq!(
            format_frame(&fs.data()),
            "  File \"f.py\", line 3, in g\n    x = 1\n"
        );
        // A file that cannot be read gives an empty line, not None (linecache's '').
        let fs = FrameSummary::new("/nonexistent/x.py", Some(1), "h", None, None, None, None);
        assert_eq!(fs.line(), Some(""));
        assert_eq!(
            format_frame(&fs.data()),
            "  File \"/nonexistent/x.py\", line 1, in h\n"
        );
    }

    #[test]
    fn summaries_read_files_like_linecache() {
        let dir = std::env::temp_dir().join(format!("sf_tb_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.py");
        std::fs::write(&path, "a = 1\r\n  b = 2  \nc").unwrap();
        let p = path.to_str().unwrap();
        let fs = FrameSummary::new(p, Some(2), "m", None, None, None, None);
        assert_eq!(fs.line(), Some("b = 2"));
        let fs = FrameSummary::new(p, Some(1), "m", None, Some(3), None, None);
        assert_eq!(fs.lines(), Some("a = 1\n  b = 2\nc\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn indexing_like_a_tuple() {
        let items = [Value::int(1), Value::int(2), Value::int(3), Value::int(4)];
        assert_eq!(
            index_items(&items, &Value::int(-1), "tuple")
                .unwrap()
                .as_small(),
            Some(4)
        );
        assert!(index_items(&items, &Value::int(4), "tuple").is_err());
        let sl = Value::from_object(Object::Slice(Value::int(1), Value::NONE, Value::NONE));
        let t = index_items(&items, &sl, "tuple").unwrap();
        assert_eq!(t.as_tuple().unwrap().len(), 3);
        let rev = Value::from_object(Object::Slice(Value::NONE, Value::NONE, Value::int(-2)));
        let t = index_items(&items, &rev, "list").unwrap();
        let got: Vec<i64> = t
            .as_list()
            .unwrap()
            .lock()
            .iter()
            .map(|v| v.as_small().unwrap())
            .collect();
        assert_eq!(got, vec![4, 2]);
    }
}
