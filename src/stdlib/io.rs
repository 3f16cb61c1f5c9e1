//! Text streams: `sys.stdout` and `sys.stderr` (`_io.TextIOWrapper` objects), and writing to any
//! file-like object (`print(file=...)`).
//!
//! stdout is block-buffered in a process-wide buffer, written out when it grows past
//! [`BUFFER_SIZE`], at exit ([`flush_all`]), on `flush()`, and before anything is written to
//! stderr (so interleaved output keeps its order, as a terminal user would see it). stderr is
//! unbuffered. Write errors (a closed pipe) are ignored: they never panic.

use crate::object::exc::err;
use crate::object::{Builtin, KwArgs, NativeObject, Object, PyResult, TypeId, Value};
use crate::thread::ThreadState;
use parking_lot::Mutex;
use std::any::Any;
use std::io::Write;
use std::sync::OnceLock;

/// stdout is written out once its buffer holds this many bytes.
pub const BUFFER_SIZE: usize = 8192;

/// Which stream.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Stream {
    /// File descriptor 1.
    Stdout,
    /// File descriptor 2.
    Stderr,
}

/// A text stream object.
pub struct TextIO {
    stream: Stream,
    buf: Mutex<Vec<u8>>,
}

impl TextIO {
    fn new(stream: Stream) -> TextIO {
        TextIO {
            stream,
            buf: Mutex::new(Vec::new()),
        }
    }

    /// Writes `s` (buffered for stdout).
    pub fn write_str(&self, s: &str) {
        match self.stream {
            Stream::Stdout => {
                let mut b = self.buf.lock();
                b.extend_from_slice(s.as_bytes());
                if b.len() >= BUFFER_SIZE {
                    write_fd(Stream::Stdout, &b);
                    b.clear();
                }
            }
            Stream::Stderr => {
                flush_stdout();
                write_fd(Stream::Stderr, s.as_bytes());
            }
        }
    }

    /// Writes out what is buffered.
    pub fn flush(&self) {
        let mut b = self.buf.lock();
        if !b.is_empty() {
            write_fd(self.stream, &b);
            b.clear();
        }
    }

    fn name(&self) -> &'static str {
        match self.stream {
            Stream::Stdout => "<stdout>",
            Stream::Stderr => "<stderr>",
        }
    }
}

fn write_fd(stream: Stream, bytes: &[u8]) {
    // Errors (EPIPE when the reader went away, ...) are deliberately ignored.
    match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(bytes);
            let _ = out.flush();
        }
        Stream::Stderr => {
            let mut out = std::io::stderr().lock();
            let _ = out.write_all(bytes);
            let _ = out.flush();
        }
    }
}

fn stdout_obj() -> &'static Value {
    static OUT: OnceLock<Value> = OnceLock::new();
    OUT.get_or_init(|| Value::native(TextIO::new(Stream::Stdout)))
}

fn stderr_obj() -> &'static Value {
    static ERR: OnceLock<Value> = OnceLock::new();
    ERR.get_or_init(|| Value::native(TextIO::new(Stream::Stderr)))
}

/// The `sys.stdout` object (a singleton).
pub fn stdout() -> Value {
    stdout_obj().clone()
}

/// The `sys.stderr` object (a singleton).
pub fn stderr() -> Value {
    stderr_obj().clone()
}

fn flush_stdout() {
    if let Some(t) = stdout_obj().downcast::<TextIO>() {
        t.flush();
    }
}

/// Writes out everything buffered (call at exit, and before the process writes to fd 1 or 2
/// by other means).
pub fn flush_all() {
    flush_stdout();
    if let Some(t) = stderr_obj().downcast::<TextIO>() {
        t.flush();
    }
}

/// What `Py_FinalizeEx` does to the standard streams at exit (`flush_std_files`): flushes
/// `sys.stdout` and `sys.stderr` as the program left them (skipping `None` and closed ones), a
/// failure on `sys.stdout` reported as unraisable ("Exception ignored on flushing sys.stdout"),
/// one on `sys.stderr` dropped; then the process's own streams. False if a flush failed (the
/// process then exits with status 120, as CPython's `Py_RunMain`).
pub fn flush_std_files(ts: &mut ThreadState) -> bool {
    let mut ok = true;
    let sys = crate::thread::runtime().modules.lock().get("sys").cloned();
    if let Some(Object::Module(m)) = sys.as_ref().and_then(|s| s.obj()) {
        for (name, report) in [("stdout", true), ("stderr", false)] {
            let Some(file) = super::dict_get(&m.dict, name) else {
                continue;
            };
            if file.is_none() || is_closed(ts, &file) {
                continue;
            }
            if let Err(e) = flush_method(ts, &file) {
                ok = false;
                if report {
                    super::unraisable::write_unraisable_msg(
                        ts,
                        e,
                        Some("Exception ignored on flushing sys.stdout"),
                        None,
                    );
                }
            }
        }
    }
    flush_all();
    ok
}

/// `file.closed`, errors counting as not closed (CPython's `file_is_closed`).
fn is_closed(ts: &mut ThreadState, file: &Value) -> bool {
    match crate::object::ops::getattr(ts, file, "closed") {
        Ok(v) => crate::object::ops::truthy(ts, &v).unwrap_or(false),
        Err(_) => false,
    }
}

/// `file.flush()`, a missing method being an AttributeError (`_PyFile_Flush`).
fn flush_method(ts: &mut ThreadState, file: &Value) -> PyResult<()> {
    if let Some(t) = file.downcast::<TextIO>() {
        t.flush();
        return Ok(());
    }
    let f = crate::object::ops::getattr(ts, file, "flush")?;
    crate::interp::call(ts, &f, &[], &[])?;
    Ok(())
}

/// `file.write(s)`: direct for our streams, else through the object's `write` method.
pub fn write_to(ts: &mut ThreadState, file: &Value, s: &str) -> PyResult<()> {
    if let Some(t) = file.downcast::<TextIO>() {
        t.write_str(s);
        return Ok(());
    }
    let write = crate::object::ops::getattr(ts, file, "write")?;
    crate::interp::call(ts, &write, &[Value::str(s)], &[])?;
    Ok(())
}

/// `file.flush()`: direct for our streams, else through the object's `flush` method if any.
pub fn flush_file(ts: &mut ThreadState, file: &Value) -> PyResult<()> {
    if let Some(t) = file.downcast::<TextIO>() {
        t.flush();
        return Ok(());
    }
    if let Some(f) = crate::object::ops::attr::lookup_attr(ts, file, "flush")? {
        crate::interp::call(ts, &f, &[], &[])?;
    }
    Ok(())
}

fn this(args: &[Value]) -> PyResult<&TextIO> {
    args.first()
        .and_then(|v| v.downcast::<TextIO>())
        .ok_or_else(|| err::type_error("descriptor requires a '_io.TextIOWrapper' object"))
}

fn m_write(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let t = this(args)?;
    if !kw.is_empty() {
        return Err(err::type_error(
            "TextIOWrapper.write() takes no keyword arguments",
        ));
    }
    if args.len() != 2 {
        return Err(err::type_error(format!(
            "TextIOWrapper.write() takes exactly one argument ({} given)",
            args.len().saturating_sub(1)
        )));
    }
    let Some(s) = args[1].as_pystr() else {
        return Err(err::type_error(format!(
            "write() argument must be str, not {}",
            args[1].py_type().name()
        )));
    };
    t.write_str(s.as_str());
    Ok(Value::int(s.char_len() as i64))
}

fn m_flush(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    this(args)?.flush();
    Ok(Value::NONE)
}

fn m_isatty(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let fd = match this(args)?.stream {
        Stream::Stdout => 1,
        Stream::Stderr => 2,
    };
    // SAFETY: isatty only inspects the descriptor.
    Ok(Value::bool(unsafe { libc::isatty(fd) } == 1))
}

fn m_fileno(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::int(match this(args)?.stream {
        Stream::Stdout => 1,
        Stream::Stderr => 2,
    }))
}

fn bound(name: &'static str, func: crate::object::NativeFn, this: &Value) -> Value {
    Value::from_object(Object::Builtin(Builtin {
        name,
        func,
        bound: Some(this.clone()),
        owner: "TextIOWrapper",
    }))
}

impl NativeObject for TextIO {
    fn py_type(&self) -> TypeId {
        TypeId::TextIO
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        Some(Ok(match name {
            "write" => bound("write", m_write, this),
            "flush" => bound("flush", m_flush, this),
            "isatty" => bound("isatty", m_isatty, this),
            "fileno" => bound("fileno", m_fileno, this),
            "name" => Value::str(self.name()),
            "mode" => Value::str("w"),
            "encoding" => Value::str("utf-8"),
            "errors" => Value::str(match self.stream {
                Stream::Stdout => "strict",
                Stream::Stderr => "backslashreplace",
            }),
            "closed" => Value::FALSE,
            "line_buffering" => Value::FALSE,
            _ => return None,
        }))
    }

    fn repr(&self, _this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!(
            "<_io.TextIOWrapper name='{}' mode='w' encoding='utf-8'>",
            self.name()
        ))
    }
}
