//! The `shadowpy` driver: what `src/bin/shadowpy.rs` runs. It sets the runtime up as CPython's
//! `python3 FILE` does (the JIT mode, `sys.argv`, the main thread, `__main__`'s globals), runs
//! the program, and shuts down in CPython's order: wait for the non-daemon threads, flush the
//! standard streams, finalize `__main__`, write the statistics.
//!
//! ```text
//! shadowpy [--jit=off|hot|all] [--stats=PATH] FILE [ARGS...]
//! ```
//!
//! stdout, stderr and the exit status are CPython 3.13's for the same program.
//!
//! Debugging aids:
//! - `SHADOWPY_DEBUG_COLLECT_CYCLES_AT_EXIT=1`: the runtime tracks container objects and frees
//!   the reference cycles left at exit, so a leak checker reports only real leaks (what
//!   `scripts/valgrind_conformance.sh` runs);
//! - `SHADOWPY_DEBUG_PANIC=SITE:N`: the Nth pass through a site panics, to test the panic
//!   paths.

use crate::compile::{compile_module, CompileError};
use crate::object::{ExcKind, PyErr, Value};
use crate::stdlib::{self, io};
use crate::thread::{runtime, Registered, ThreadState};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: shadowpy [--jit=off|hot|all] [--stats=PATH] FILE [ARGS...]

Runs the Python program FILE (a subset of Python 3.13) on the shadowframe runtime.

options:
  --jit=MODE    off: interpret every function; hot: compile functions once they are hot;
                all: compile every function before its first call. Every mode prints
                the same bytes.
  --stats=PATH  at exit, write a JSON object of runtime statistics to PATH
                (frame_objects_created, functions_compiled, deopts, traceback_entries)
  -h, --help    show this help
";

/// Native stack of the thread that runs the program. Interpreted Python-to-Python calls use no
/// native stack; this bounds native re-entry (builtins calling back into Python) and the JIT
/// (room for `thread::MAX_DEPTH` JIT frames of up to about 500 bytes).
const MAIN_STACK: usize = 1 << 31;
/// Kept free below the native-recursion check, for the runtime's own frames.
const STACK_RESERVE: usize = 1 << 20;

struct Options {
    jit: String,
    stats: Option<PathBuf>,
    file: String,
    args: Vec<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut jit = "off".to_owned();
    let mut stats = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if a == "-h" || a == "--help" {
            print!("{USAGE}");
            std::process::exit(0);
        } else if let Some(m) = a.strip_prefix("--jit=") {
            if !matches!(m, "off" | "hot" | "all") {
                return Err(format!(
                    "invalid --jit mode '{m}' (expected off, hot or all)"
                ));
            }
            jit = m.to_owned();
        } else if let Some(p) = a.strip_prefix("--stats=") {
            stats = Some(PathBuf::from(p));
        } else if a.starts_with('-') && a != "-" {
            return Err(format!("unknown option '{a}'"));
        } else {
            return Ok(Options {
                jit,
                stats,
                file: a,
                args: it.collect(),
            });
        }
    }
    Err("no program given".to_owned())
}

/// See the module docs.
const COLLECT_CYCLES_ENV: &str = "SHADOWPY_DEBUG_COLLECT_CYCLES_AT_EXIT";

/// The `shadowpy` command line: parses `std::env::args`, runs the program on a thread with a
/// large native stack, and returns its exit status (CPython's for the same program; 2 for a
/// usage error; 70 if the runtime panicked).
pub fn main() -> ExitCode {
    if std::env::var_os(COLLECT_CYCLES_ENV).is_some_and(|v| v == "1") {
        crate::object::cycles::enable_tracking();
    }
    if let Ok(spec) = std::env::var("SHADOWPY_DEBUG_PANIC") {
        if let Err(e) = crate::interp::fault::arm_from_spec(&spec) {
            eprintln!("shadowpy: {e}");
            return ExitCode::from(2);
        }
    }
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("shadowpy: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let worker = std::thread::Builder::new()
        .name("main".into())
        .stack_size(MAIN_STACK)
        .spawn(move || run_program(opts));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            // Keep what the program printed before (the panic released the stream's lock).
            io::flush_all();
            eprintln!("shadowpy: internal error: the runtime panicked");
            ExitCode::from(70)
        }
    }
}

/// The script path made absolute and normalised lexically, as CPython's `os.path.abspath`.
fn absolute(file: &str) -> String {
    use std::path::Component;
    let p = Path::new(file);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(p),
            Err(_) => return file.to_owned(),
        }
    };
    let mut out = PathBuf::from("/");
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out.to_string_lossy().into_owned()
}

fn run_program(opts: Options) -> u8 {
    // SAFETY: this thread runs the program; the process's first thread only waits for it, the
    // compiler's thread runs while this one waits for it, and every other thread is a Python
    // thread, which `threading` starts after `object::lock::share`.
    unsafe { crate::object::lock::assume_one_thread() };
    #[cfg(target_arch = "x86_64")]
    match opts.jit.parse::<crate::jit::tier::Mode>() {
        Ok(mode) => crate::jit::tier::install(mode),
        Err(e) => {
            eprintln!("shadowpy: {e}");
            return 2;
        }
    }
    // Registered (boxed, in the thread registry) so that other threads can find it.
    let mut registered = Registered::new();
    let ts: &mut ThreadState = &mut registered;
    ts.set_native_stack(MAIN_STACK, STACK_RESERVE);
    crate::stdlib::threading::set_main_thread(ts);
    let filename = absolute(&opts.file);
    let source = match std::fs::read(&filename) {
        Ok(bytes) => bytes,
        Err(e) => {
            let errno = e.raw_os_error().unwrap_or(0);
            eprintln!(
                "shadowpy: can't open file '{filename}': [Errno {errno}] {}",
                strerror(&e)
            );
            return 2;
        }
    };
    {
        let mut argv = runtime().argv.lock();
        argv.push(opts.file.clone());
        argv.extend(opts.args.iter().cloned());
    }
    stdlib::init();
    let code = match String::from_utf8(source) {
        Ok(text) => compile_module(&text, &filename),
        Err(e) => {
            // CPython's tokenizer error for a file that is not UTF-8 (no encoding declaration
            // is supported): a bare message with no location block.
            let pos = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
            let msg = format!(
                "Non-UTF-8 code starting with '\\x{:02x}' in file {filename} on line {line}, but no encoding declared; see https://peps.python.org/pep-0263/ for details",
                bytes[pos]
            );
            let err = PyErr::new(ExcKind::SyntaxError, msg);
            stdlib::traceback::print_uncaught(ts, err.value());
            return 1;
        }
    };
    let mut main_globals = None;
    let status = match code {
        Err(e) => {
            let exc = syntax_error(&e);
            stdlib::traceback::print_uncaught(ts, exc.value());
            1
        }
        Ok(code) => {
            let globals = Value::dict();
            stdlib::dict_set(&globals, "__name__", Value::str("__main__"));
            stdlib::dict_set(&globals, "__file__", Value::str(&filename));
            stdlib::dict_set(&globals, "__doc__", Value::NONE);
            main_globals = Some(globals.clone());
            match crate::interp::run_module(ts, code, globals) {
                Ok(_) => 0,
                Err(e) => handle_uncaught(ts, e),
            }
        }
    };
    // As CPython's `threading._shutdown`: wait for the non-daemon threads.
    stdlib::threading::shutdown(ts);
    // Flushing `sys.stdout` can fail (the program replaced it): CPython reports that as
    // unraisable and exits with 120.
    let status = if io::flush_std_files(ts) { status } else { 120 };
    // Then the main module's globals go (CPython's order: flush, then finalize modules).
    if let Some(globals) = main_globals {
        crate::interp::finalize_module(ts, &globals);
    }
    io::flush_all();
    // Only when no other thread runs (a daemon thread may still be running Python code).
    let others = crate::thread::registry::snapshot()
        .iter()
        .filter(|e| !e.exited())
        .count()
        > 1;
    if std::env::var_os(COLLECT_CYCLES_ENV).is_some_and(|v| v == "1") && !others {
        // The references other threads released to us are merged first: a queued object's
        // count is not final until then (`object::rc`).
        if let Some(o) = &ts.ownership {
            o.drain();
        }
        crate::object::cycles::collect_cycles();
    }
    if let Some(path) = opts.stats {
        if let Err(e) = std::fs::write(&path, runtime().stats.to_json() + "\n") {
            eprintln!("shadowpy: cannot write stats to {}: {e}", path.display());
        }
    }
    status
}

fn strerror(e: &std::io::Error) -> String {
    let s = e.to_string();
    // Rust appends " (os error N)"; CPython prints the bare strerror text.
    match s.find(" (os error") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// The exit status for an exception that reached the top: SystemExit's code, else 1 after the
/// traceback is printed.
fn handle_uncaught(ts: &mut ThreadState, e: PyErr) -> u8 {
    if e.matches(ExcKind::SystemExit) {
        let args = e.exception().args.clone();
        let code = args
            .as_tuple()
            .and_then(|a| a.first().cloned())
            .unwrap_or(Value::NONE);
        if code.is_none() {
            return 0;
        }
        if let Some(i) = code.as_small() {
            return i as u8;
        }
        io::flush_all();
        let text = crate::object::ops::str(ts, &code).unwrap_or_default();
        let _ = io::write_to(ts, &io::stderr(), &format!("{text}\n"));
        return 1;
    }
    io::flush_all();
    match stdlib::excepthook::print_uncaught_exception(ts, e) {
        // `sys.excepthook` raised SystemExit: exit as if the program had.
        Some(exit) => handle_uncaught(ts, exit),
        None => 1,
    }
}

/// The SyntaxError exception CPython would raise for a compile error.
fn syntax_error(e: &CompileError) -> PyErr {
    let kind = ExcKind::from_name(e.kind).unwrap_or(ExcKind::SyntaxError);
    let num = |n: u32| {
        if n == 0 {
            Value::NONE
        } else {
            Value::int(n as i64)
        }
    };
    let text = e.text.as_deref().map_or(Value::NONE, Value::str);
    let details = Value::tuple(vec![
        Value::str(&e.filename),
        num(e.line),
        num(e.offset),
        text.clone(),
        num(e.end_line),
        num(e.end_offset),
    ]);
    let err = PyErr::with_args(kind, vec![Value::str(&e.msg), details]);
    let exc = err.exception();
    exc.set_attr("msg", Value::str(&e.msg));
    exc.set_attr("filename", Value::str(&e.filename));
    exc.set_attr("lineno", num(e.line));
    exc.set_attr("offset", num(e.offset));
    exc.set_attr("text", text);
    exc.set_attr("end_lineno", num(e.end_line));
    exc.set_attr("end_offset", num(e.end_offset));
    exc.set_attr("print_file_and_line", Value::NONE);
    err
}
