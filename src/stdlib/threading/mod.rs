//! The `threading` module of the subset: `Thread`, `Event`, `Lock`, `get_ident`,
//! `get_native_id`, `current_thread`, `main_thread`, `active_count`, `enumerate`,
//! `excepthook`.
//!
//! Each `Thread` runs on its own OS thread, in parallel with every other (no GIL), with its own
//! registered `ThreadState` (`thread::Registered`) and a native stack as large as the main
//! program's share needs (`THREAD_STACK`), so deep recursion in a thread is a RecursionError.
//! The thread's bottom Python frame is a small bootstrap function (`run`, compiled from
//! [`BOOTSTRAP_SRC`]), as CPython's threads have `threading.py` frames below their target (its
//! `Thread.run` is the one right below the target, and so is ours); the default excepthook
//! leaves its traceback entry out of the report, which shows only the program's own frames.
//!
//! Life of a thread, in steps:
//! 1. `start()` moves the object from *initial* to *starting*, spawns the OS thread and waits
//!    (detached) until the thread is *started*, so `ident` is known when `start` returns.
//! 2. The thread registers its state, publishes its ident, and calls the bootstrap, which calls
//!    `target(*args, **kwargs)`.
//! 3. An exception goes to `threading.excepthook`; the default one ignores SystemExit and
//!    prints CPython's report (`Exception in thread NAME:` and the traceback, on `sys.stderr`).
//! 4. The thread unregisters (its ident leaves `sys._current_frames()`), then the object becomes
//!    *stopped* and `join` returns.
//!
//! At exit the main program joins every non-daemon thread (`shutdown`), as CPython's
//! `threading._shutdown` does.

mod sync;

pub use sync::{Event, Lock};

use super::builtins::args;
use super::{dict_get, dict_set, io, native, new_module};
use crate::frame::Traceback;
use crate::object::exc::err;
use crate::object::ops::arith::{as_float, as_int};
use crate::object::{
    Builtin, ExcKind, KwArgs, NativeFn, NativeObject, Object, PyErr, PyResult, TypeId, Value,
};
use crate::thread::{self, runtime, Registered, ThreadState};
use parking_lot::{Condvar, Mutex};
use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Native stack of each thread (virtual: pages are touched only as deep recursion needs them).
pub const THREAD_STACK: usize = 256 << 20;
/// Kept free below the native-recursion check.
const STACK_RESERVE: usize = 1 << 20;

/// The Python source of the bottom frame of every thread.
pub const BOOTSTRAP_SRC: &str = "def run(thread):\n    _invoke(thread)\n";
const BOOTSTRAP_FILE: &str = "<threading>";

/// A method bound to `this`.
pub(crate) fn bound_method(
    name: &'static str,
    func: NativeFn,
    this: &Value,
    owner: &'static str,
) -> Value {
    Value::from_object(Object::Builtin(Builtin {
        name,
        func,
        bound: Some(this.clone()),
        owner,
    }))
}

/// A timeout argument in seconds (None or `None`: no timeout).
pub(crate) fn timeout_arg(v: Option<&Value>) -> PyResult<Option<f64>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Some(f) = as_float(v) {
        if f.is_nan() {
            return Err(err::value_error("Invalid value NaN (not a number)"));
        }
        return Ok(Some(f));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(b as i64 as f64));
    }
    if let Some(i) = as_int(v) {
        return Ok(Some(i.to_f64()?));
    }
    Err(err::type_error(format!(
        "'{}' object cannot be interpreted as an integer or float",
        v.py_type().name()
    )))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunState {
    Initial,
    Starting,
    Started(u64),
    Stopped(u64),
}

/// A `threading.Thread`.
pub struct ThreadObj {
    target: Value,
    args: Value,
    kwargs: Value,
    name: Mutex<String>,
    daemon: AtomicBool,
    main: bool,
    st: Mutex<RunState>,
    cv: Condvar,
}

impl ThreadObj {
    fn state(&self) -> RunState {
        *self.st.lock()
    }

    fn ident(&self) -> Option<u64> {
        match self.state() {
            RunState::Started(i) | RunState::Stopped(i) => Some(i),
            _ => None,
        }
    }

    fn set_state(&self, s: RunState) {
        *self.st.lock() = s;
        self.cv.notify_all();
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);
static MAIN: OnceLock<Value> = OnceLock::new();
static BOOT: OnceLock<Value> = OnceLock::new();
static DEFAULT_HOOK: OnceLock<Value> = OnceLock::new();
/// The threads started and not known to be stopped, for `enumerate` and the shutdown join.
static STARTED: Mutex<Vec<Value>> = Mutex::new(Vec::new());

/// Records `ts` as the main thread's state (its `threading.main_thread()` object).
pub fn set_main_thread(ts: &mut ThreadState) {
    let obj = MAIN
        .get_or_init(|| {
            Value::native(ThreadObj {
                target: Value::NONE,
                args: Value::tuple(vec![]),
                kwargs: Value::NONE,
                name: Mutex::new("MainThread".into()),
                daemon: AtomicBool::new(false),
                main: true,
                st: Mutex::new(RunState::Started(ts.ident())),
                cv: Condvar::new(),
            })
        })
        .clone();
    ts.thread_obj = obj;
}

/// Joins every started non-daemon thread (the main program's exit path).
pub fn shutdown(ts: &mut ThreadState) {
    loop {
        let pending: Vec<Value> = STARTED
            .lock()
            .iter()
            .filter(|v| {
                v.downcast::<ThreadObj>().is_some_and(|t| {
                    !t.daemon.load(Ordering::Relaxed) && !matches!(t.state(), RunState::Stopped(_))
                })
            })
            .cloned()
            .collect();
        if pending.is_empty() {
            return;
        }
        for v in pending {
            if let Some(t) = v.downcast::<ThreadObj>() {
                join_obj(ts, t, None);
            }
        }
    }
}

fn this_thread(a: &[Value]) -> PyResult<&ThreadObj> {
    a.first()
        .and_then(|v| v.downcast::<ThreadObj>())
        .ok_or_else(|| err::type_error("descriptor requires a 'Thread' object"))
}

/// `Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)`.
fn thread_new(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let p = args::parse(
        a,
        kw,
        "Thread",
        &["group", "target", "name", "args", "kwargs", "daemon"],
        5,
        0,
    )?;
    if p[0].as_ref().is_some_and(|g| !g.is_none()) {
        return Err(PyErr::new(
            ExcKind::AssertionError,
            "group argument must be None for now",
        ));
    }
    let target = p[1].clone().unwrap_or(Value::NONE);
    let name = match p[2].as_ref().filter(|n| !n.is_none()) {
        Some(n) => crate::object::ops::str(ts, n)?,
        None => {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
            let mut name = format!("Thread-{n}");
            if !target.is_none() {
                if let Ok(tn) = crate::object::ops::getattr(ts, &target, "__name__") {
                    name += &format!(" ({})", crate::object::ops::str(ts, &tn)?);
                }
            }
            name
        }
    };
    let daemon = match p[5].as_ref().filter(|d| !d.is_none()) {
        Some(d) => crate::object::ops::truthy(ts, d)?,
        None => current_thread_obj(ts)
            .downcast::<ThreadObj>()
            .is_some_and(|t| t.daemon.load(Ordering::Relaxed)),
    };
    Ok(Value::native(ThreadObj {
        target,
        args: p[3].clone().unwrap_or_else(|| Value::tuple(vec![])),
        kwargs: p[4].clone().unwrap_or(Value::NONE),
        name: Mutex::new(name),
        daemon: AtomicBool::new(daemon),
        main: false,
        st: Mutex::new(RunState::Initial),
        cv: Condvar::new(),
    }))
}

fn start(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(&a[1.min(a.len())..], kw, "start", "start", 0, 0)?;
    let t = this_thread(a)?;
    {
        let mut st = t.st.lock();
        if *st != RunState::Initial {
            return Err(err::runtime_error("threads can only be started once"));
        }
        *st = RunState::Starting;
    }
    bootstrap_fn(ts)?;
    let obj = a[0].clone();
    let child = obj.clone();
    // From here on, object locks take their atomic path (`object::lock`, "One thread").
    crate::object::lock::share();
    let spawned = std::thread::Builder::new()
        .stack_size(THREAD_STACK)
        .spawn(move || thread_main(child));
    if spawned.is_err() {
        t.set_state(RunState::Initial);
        return Err(err::runtime_error("can't start new thread"));
    }
    {
        // Forget the stopped ones: the list only serves `enumerate` and the shutdown join.
        let mut started = STARTED.lock();
        started.retain(|v| {
            v.downcast::<ThreadObj>()
                .is_some_and(|t| !matches!(t.state(), RunState::Stopped(_)))
        });
        started.push(obj);
    }
    // Step 1: wait (detached) until the thread published its ident.
    thread::blocking(ts, || {
        let mut st = t.st.lock();
        while *st == RunState::Starting {
            t.cv.wait(&mut st);
        }
    });
    Ok(Value::NONE)
}

/// The body of every thread (steps 2 to 4 of the module docs).
fn thread_main(obj: Value) {
    let Some(t) = obj.downcast::<ThreadObj>() else {
        return;
    };
    let mut reg = Registered::new();
    let ident = reg.ident();
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let ts: &mut ThreadState = &mut reg;
        ts.set_native_stack(THREAD_STACK, STACK_RESERVE);
        ts.thread_obj = obj.clone();
        t.set_state(RunState::Started(ident));
        let boot = BOOT.get().cloned().unwrap_or(Value::NONE);
        if let Err(e) = crate::interp::call(ts, &boot, std::slice::from_ref(&obj), &[]) {
            // As CPython, SystemExit goes to the hook too (the default one ignores it).
            report(ts, &obj, e);
        }
        ts.exc_info = Value::NONE;
    }));
    if ran.is_err() {
        io::flush_all();
        eprintln!("shadowpy: internal error: a thread's runtime panicked");
    }
    // Step 4: leave the registry before anyone can see the thread stopped.
    drop(reg);
    t.set_state(RunState::Stopped(ident));
}

/// `target(*args, **kwargs)` of the thread object (what `Thread.run` does).
fn invoke(ts: &mut ThreadState, obj: &Value) -> PyResult<Value> {
    let t = obj
        .downcast::<ThreadObj>()
        .ok_or_else(|| err::type_error("_invoke() needs a Thread"))?;
    if t.target.is_none() {
        return Ok(Value::NONE);
    }
    let pos = match t.args.as_tuple() {
        Some(items) => items.to_vec(),
        None => crate::object::ops::iter::collect(ts, &t.args).map_err(|_| {
            err::type_error(format!(
                "{}() argument after * must be an iterable, not {}",
                callee_name(ts, &t.target),
                t.args.py_type().name()
            ))
        })?,
    };
    let mut kw = Vec::new();
    if !t.kwargs.is_none() {
        let Some(d) = t.kwargs.as_dict() else {
            return Err(err::type_error(format!(
                "{}() argument after ** must be a mapping, not {}",
                callee_name(ts, &t.target),
                t.kwargs.py_type().name()
            )));
        };
        let items: Vec<(Value, Value)> = d
            .read()
            .iter()
            .map(|(k, v)| (k.key.clone(), v.clone()))
            .collect();
        for (k, v) in items {
            if k.as_str().is_none() {
                return Err(err::type_error("keywords must be strings"));
            }
            kw.push((k, v));
        }
    }
    crate::interp::call(ts, &t.target, &pos, &kw)
}

fn callee_name(ts: &mut ThreadState, f: &Value) -> String {
    crate::object::ops::getattr(ts, f, "__qualname__")
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| f.py_type().name().to_owned())
}

fn invoke_builtin(ts: &mut ThreadState, a: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let obj = a
        .first()
        .ok_or_else(|| err::type_error("_invoke() needs a Thread"))?;
    invoke(ts, obj)
}

fn run(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(&a[1.min(a.len())..], kw, "run", "run", 0, 0)?;
    this_thread(a)?;
    invoke(ts, &a[0])
}

/// The bootstrap function (compiled once).
fn bootstrap_fn(ts: &mut ThreadState) -> PyResult<Value> {
    if let Some(f) = BOOT.get() {
        return Ok(f.clone());
    }
    let code = crate::compile::compile_module(BOOTSTRAP_SRC, BOOTSTRAP_FILE)
        .map_err(|e| err::runtime_error(format!("threading bootstrap: {}", e.msg)))?;
    let globals = Value::dict();
    dict_set(&globals, "__name__", Value::str("threading"));
    dict_set(
        &globals,
        "_invoke",
        native("_invoke", "threading", invoke_builtin),
    );
    crate::interp::run_module(ts, code, globals.clone())?;
    let f = dict_get(&globals, "run").ok_or_else(|| err::runtime_error("no bootstrap"))?;
    Ok(BOOT.get_or_init(|| f).clone())
}

fn join_obj(ts: &mut ThreadState, t: &ThreadObj, secs: Option<f64>) {
    let deadline = secs.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9)));
    thread::blocking(ts, || {
        let mut st = t.st.lock();
        while !matches!(*st, RunState::Stopped(_)) {
            match deadline {
                None => t.cv.wait(&mut st),
                Some(d) => {
                    if t.cv.wait_until(&mut st, d).timed_out() {
                        return;
                    }
                }
            }
        }
    });
}

fn join(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let t = this_thread(a)?;
    let p = args::parse(&a[1..], kw, "join", &["timeout"], 1, 0)?;
    let secs = timeout_arg(p[0].as_ref())?;
    match t.state() {
        RunState::Initial | RunState::Starting => {
            return Err(err::runtime_error(
                "cannot join thread before it is started",
            ))
        }
        RunState::Started(i) if i == ts.ident() => {
            return Err(err::runtime_error("cannot join current thread"))
        }
        _ => {}
    }
    join_obj(ts, t, secs);
    Ok(Value::NONE)
}

fn is_alive(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(&a[1.min(a.len())..], kw, "is_alive", "is_alive", 0, 0)?;
    Ok(Value::bool(matches!(
        this_thread(a)?.state(),
        RunState::Started(_)
    )))
}

fn get_name(_ts: &mut ThreadState, a: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::str(&this_thread(a)?.name.lock()))
}

fn is_daemon(_ts: &mut ThreadState, a: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::bool(this_thread(a)?.daemon.load(Ordering::Relaxed)))
}

impl NativeObject for ThreadObj {
    fn py_type(&self) -> TypeId {
        TypeId::Other(if self.main { "_MainThread" } else { "Thread" })
    }

    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        for v in [&self.target, &self.args, &self.kwargs] {
            visit(crate::object::cycles::Edge::Value(v));
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn getattr(&self, this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        let m = |n, f| Some(Ok(bound_method(n, f, this, "Thread")));
        match name {
            "name" => Some(Ok(Value::str(&self.name.lock()))),
            "ident" | "native_id" => Some(Ok(self
                .ident()
                .map_or(Value::NONE, |i| Value::int(i as i64)))),
            "daemon" => Some(Ok(Value::bool(self.daemon.load(Ordering::Relaxed)))),
            "start" => m("start", start),
            "join" => m("join", join),
            "is_alive" => m("is_alive", is_alive),
            "run" => m("run", run),
            "getName" => m("getName", get_name),
            "isDaemon" => m("isDaemon", is_daemon),
            _ => None,
        }
    }
    fn setattr(&self, ts: &mut ThreadState, name: &str, value: &Value) -> Option<PyResult<()>> {
        match name {
            "name" => Some(crate::object::ops::str(ts, value).map(|s| *self.name.lock() = s)),
            "daemon" => Some((|| {
                if self.state() != RunState::Initial {
                    return Err(err::runtime_error(
                        "cannot set daemon status of active thread",
                    ));
                }
                let d = crate::object::ops::truthy(ts, value)?;
                self.daemon.store(d, Ordering::Relaxed);
                Ok(())
            })()),
            _ => None,
        }
    }
    fn repr(&self, _this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        let (mut status, ident) = match self.state() {
            RunState::Initial | RunState::Starting => ("initial".to_owned(), None),
            RunState::Started(i) => ("started".to_owned(), Some(i)),
            RunState::Stopped(i) => ("stopped".to_owned(), Some(i)),
        };
        if self.daemon.load(Ordering::Relaxed) {
            status += " daemon";
        }
        if let Some(i) = ident {
            status += &format!(" {i}");
        }
        Ok(format!(
            "<{}({}, {status})>",
            self.py_type().name(),
            self.name.lock()
        ))
    }
}

/// The `threading.Thread` object of the running thread.
fn current_thread_obj(ts: &mut ThreadState) -> Value {
    if !ts.thread_obj.is_none() {
        return ts.thread_obj.clone();
    }
    if let Some(m) = MAIN.get() {
        if m.downcast::<ThreadObj>().and_then(|t| t.ident()) == Some(ts.ident()) {
            return m.clone();
        }
    }
    // A thread the threading module did not start (an embedder's): a dummy, as CPython's.
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
    let obj = Value::native(ThreadObj {
        target: Value::NONE,
        args: Value::tuple(vec![]),
        kwargs: Value::NONE,
        name: Mutex::new(format!("Dummy-{n}")),
        daemon: AtomicBool::new(true),
        main: false,
        st: Mutex::new(RunState::Started(ts.ident())),
        cv: Condvar::new(),
    });
    ts.thread_obj = obj.clone();
    obj
}

fn get_ident(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "get_ident")?;
    Ok(Value::int(ts.ident() as i64))
}

fn get_native_id(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "get_native_id")?;
    // SAFETY: gettid has no preconditions.
    Ok(Value::int(unsafe { libc::gettid() } as i64))
}

fn current_thread(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "current_thread")?;
    Ok(current_thread_obj(ts))
}

fn main_thread(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "main_thread")?;
    Ok(MAIN.get().cloned().unwrap_or(Value::NONE))
}

fn alive() -> Vec<Value> {
    let mut out: Vec<Value> = MAIN.get().cloned().into_iter().collect();
    out.extend(
        STARTED
            .lock()
            .iter()
            .filter(|v| {
                v.downcast::<ThreadObj>()
                    .is_some_and(|t| matches!(t.state(), RunState::Started(_)))
            })
            .cloned(),
    );
    out
}

fn active_count(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "active_count")?;
    Ok(Value::int(alive().len() as i64))
}

fn enumerate(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "enumerate")?;
    Ok(Value::list(alive()))
}

fn event_new(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "Event")?;
    Ok(Value::native(Event::new()))
}

fn lock_new(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "Lock")?;
    Ok(Value::native(Lock::new()))
}

/// `threading.ExceptHookArgs`: what `excepthook` receives.
pub struct ExceptHookArgs {
    exc_type: Value,
    exc_value: Value,
    exc_traceback: Value,
    thread: Value,
}

impl NativeObject for ExceptHookArgs {
    fn py_type(&self) -> TypeId {
        TypeId::Other("_thread._ExceptHookArgs")
    }

    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        for v in [
            &self.exc_type,
            &self.exc_value,
            &self.exc_traceback,
            &self.thread,
        ] {
            visit(crate::object::cycles::Edge::Value(v));
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn getattr(&self, _this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        Some(Ok(match name {
            "exc_type" => self.exc_type.clone(),
            "exc_value" => self.exc_value.clone(),
            "exc_traceback" => self.exc_traceback.clone(),
            "thread" => self.thread.clone(),
            _ => return None,
        }))
    }
}

/// The default `threading.excepthook(args)`: CPython's report on `sys.stderr`.
fn excepthook(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let arg = args::exactly_one(a, kw, "excepthook")?;
    let args = arg.downcast::<ExceptHookArgs>().ok_or_else(|| {
        err::type_error("_thread._excepthook argument type must be ExceptHookArgs")
    })?;
    if args.exc_type.is(&TypeId::Exc(ExcKind::SystemExit).object()) {
        return Ok(Value::NONE);
    }
    let name = match args.thread.downcast::<ThreadObj>() {
        Some(t) => t.name.lock().clone(),
        None => ts.ident().to_string(),
    };
    let stderr = sys_attr("stderr").unwrap_or_else(io::stderr);
    io::write_to(ts, &stderr, &format!("Exception in thread {name}:\n"))?;
    io::flush_file(ts, &stderr)?;
    // The report shows the program's frames: the bootstrap's entry (CPython prints its own
    // `threading.py` frames there) is left out while printing.
    let exc = args.exc_value.as_exception();
    let saved = exc.map(|x| x.state.lock().traceback.clone());
    if let (Some(x), Some(tb)) = (exc, saved.as_ref()) {
        if let Some(t) = tb.downcast::<Traceback>() {
            if t.code().filename.as_ref() == BOOTSTRAP_FILE {
                x.state.lock().traceback = t.next();
            }
        }
    }
    crate::stdlib::traceback::print_uncaught(ts, &args.exc_value);
    if let (Some(x), Some(tb)) = (exc, saved) {
        x.state.lock().traceback = tb;
    }
    io::flush_file(ts, &stderr)?;
    Ok(Value::NONE)
}

/// Step 3 of the module docs: an uncaught exception of a thread goes to `threading.excepthook`.
fn report(ts: &mut ThreadState, obj: &Value, e: PyErr) {
    let tb = e.exception().state.lock().traceback.clone();
    let hook_args = Value::native(ExceptHookArgs {
        exc_type: e.value().type_object(),
        exc_value: e.value().clone(),
        exc_traceback: tb,
        thread: obj.clone(),
    });
    let hook = runtime()
        .modules
        .lock()
        .get("threading")
        .and_then(|m| match m.obj() {
            Some(Object::Module(md)) => dict_get(&md.dict, "excepthook"),
            _ => None,
        })
        .or_else(|| DEFAULT_HOOK.get().cloned())
        .unwrap_or(Value::NONE);
    if let Err(e2) = crate::interp::call(ts, &hook, &[hook_args], &[]) {
        let stderr = sys_attr("stderr").unwrap_or_else(io::stderr);
        let _ = io::write_to(ts, &stderr, "Exception in threading.excepthook:\n");
        crate::stdlib::traceback::print_uncaught(ts, e2.value());
    }
}

/// `sys.<name>`, if the sys module is loaded and has it.
fn sys_attr(name: &str) -> Option<Value> {
    let sys = runtime().modules.lock().get("sys").cloned()?;
    match sys.obj() {
        Some(Object::Module(m)) => dict_get(&m.dict, name),
        _ => None,
    }
}

/// The module object.
pub fn make_module(ts: &mut ThreadState) -> Value {
    if MAIN.get().is_none() {
        set_main_thread(ts);
    }
    let hook = DEFAULT_HOOK
        .get_or_init(|| native("excepthook", "threading", excepthook))
        .clone();
    let f = |name: &'static str, func| (name, native(name, "threading", func));
    new_module(
        "threading",
        vec![
            f("Thread", thread_new),
            f("Event", event_new),
            f("Lock", lock_new),
            f("get_ident", get_ident),
            f("get_native_id", get_native_id),
            f("current_thread", current_thread),
            f("currentThread", current_thread),
            f("main_thread", main_thread),
            f("active_count", active_count),
            f("activeCount", active_count),
            f("enumerate", enumerate),
            ("excepthook", hook.clone()),
            ("__excepthook__", hook),
            (
                "TIMEOUT_MAX",
                crate::object::ops::arith::float_value(9223372036.0),
            ),
        ],
    )
}
