//! `threading.Event` and `threading.Lock` (`_thread.lock`): parking_lot primitives whose
//! blocking waits *detach* the thread (`thread::blocking`), so a handshake on a thread blocked
//! here is served by its requester instead of waiting for it.

use super::{bound_method, timeout_arg};
use crate::object::exc::err;
use crate::object::{KwArgs, NativeObject, PyResult, TypeId, Value};
use crate::stdlib::builtins::args;
use crate::thread::{self, ThreadState};
use parking_lot::{Condvar, Mutex};
use std::any::Any;
use std::time::{Duration, Instant};

/// Waits on `cv` until `done(state)` or the deadline (None: forever); true if done.
fn wait_until<T>(
    m: &Mutex<T>,
    cv: &Condvar,
    deadline: Option<Instant>,
    done: impl Fn(&T) -> bool,
) -> bool {
    let mut g = m.lock();
    while !done(&g) {
        match deadline {
            None => cv.wait(&mut g),
            Some(d) => {
                if cv.wait_until(&mut g, d).timed_out() {
                    return done(&g);
                }
            }
        }
    }
    true
}

fn deadline(secs: Option<f64>) -> Option<Instant> {
    secs.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9)))
}

/// `threading.Event`.
pub struct Event {
    flag: Mutex<bool>,
    cv: Condvar,
}

impl Event {
    /// A cleared event.
    pub fn new() -> Event {
        Event {
            flag: Mutex::new(false),
            cv: Condvar::new(),
        }
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        *self.flag.lock() = true;
        self.cv.notify_all();
    }

    /// Is the flag set?
    pub fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    /// Waits (detached) until set or `secs` elapsed; the flag on return.
    pub fn wait(&self, ts: &mut ThreadState, secs: Option<f64>) -> bool {
        if self.is_set() {
            return true;
        }
        if secs.is_some_and(|s| s <= 0.0) {
            return false;
        }
        let d = deadline(secs);
        thread::blocking(ts, || wait_until(&self.flag, &self.cv, d, |f| *f))
    }
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

fn this_event(a: &[Value]) -> PyResult<&Event> {
    a.first()
        .and_then(|v| v.downcast::<Event>())
        .ok_or_else(|| err::type_error("descriptor requires a 'Event' object"))
}

fn ev_set(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(&a[1.min(a.len())..], kw, "Event.set", "set", 0, 0)?;
    this_event(a)?.set();
    Ok(Value::NONE)
}

fn ev_clear(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(&a[1.min(a.len())..], kw, "Event.clear", "clear", 0, 0)?;
    *this_event(a)?.flag.lock() = false;
    Ok(Value::NONE)
}

fn ev_is_set(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::expect(&a[1.min(a.len())..], kw, "Event.is_set", "is_set", 0, 0)?;
    Ok(Value::bool(this_event(a)?.is_set()))
}

fn ev_wait(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let ev = this_event(a)?;
    let p = args::parse(&a[1..], kw, "wait", &["timeout"], 1, 0)?;
    let secs = timeout_arg(p[0].as_ref())?;
    Ok(Value::bool(ev.wait(ts, secs)))
}

impl NativeObject for Event {
    fn py_type(&self) -> TypeId {
        TypeId::Other("Event")
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn getattr(&self, this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        let m = |n, f| Some(Ok(bound_method(n, f, this, "Event")));
        match name {
            "set" => m("set", ev_set),
            "clear" => m("clear", ev_clear),
            "is_set" => m("is_set", ev_is_set),
            "isSet" => m("isSet", ev_is_set),
            "wait" => m("wait", ev_wait),
            _ => None,
        }
    }
    fn repr(&self, this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        let st = if self.is_set() { "set" } else { "unset" };
        Ok(format!("<threading.Event at {:#x}: {st}>", this.id()))
    }
}

/// `_thread.lock`: a non-reentrant lock any thread may release.
pub struct Lock {
    locked: Mutex<bool>,
    cv: Condvar,
}

impl Lock {
    /// An unlocked lock.
    pub fn new() -> Lock {
        Lock {
            locked: Mutex::new(false),
            cv: Condvar::new(),
        }
    }

    fn try_acquire(&self) -> bool {
        let mut l = self.locked.lock();
        !std::mem::replace(&mut *l, true)
    }

    /// Acquires, waiting (detached) at most `secs` (None: forever); true if acquired.
    pub fn acquire(&self, ts: &mut ThreadState, blocking: bool, secs: Option<f64>) -> bool {
        if self.try_acquire() {
            return true;
        }
        if !blocking {
            return false;
        }
        let d = deadline(secs);
        thread::blocking(ts, || {
            let mut g = self.locked.lock();
            loop {
                if !*g {
                    *g = true;
                    return true;
                }
                match d {
                    None => self.cv.wait(&mut g),
                    Some(d) => {
                        if self.cv.wait_until(&mut g, d).timed_out() && *g {
                            return false;
                        }
                    }
                }
            }
        })
    }

    /// Releases; false if it was not locked.
    pub fn release(&self) -> bool {
        let mut l = self.locked.lock();
        if !*l {
            return false;
        }
        *l = false;
        drop(l);
        self.cv.notify_one();
        true
    }
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

fn this_lock(a: &[Value]) -> PyResult<&Lock> {
    a.first()
        .and_then(|v| v.downcast::<Lock>())
        .ok_or_else(|| err::type_error("descriptor requires a '_thread.lock' object"))
}

fn lock_acquire(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let lock = this_lock(a)?;
    let p = args::parse(&a[1..], kw, "acquire", &["blocking", "timeout"], 2, 0)?;
    let blocking = match &p[0] {
        None => true,
        Some(v) => crate::object::ops::truthy(ts, v)?,
    };
    let timeout = match &p[1] {
        None => -1.0,
        Some(v) => timeout_arg(Some(v))?.unwrap_or(-1.0),
    };
    if !blocking && timeout != -1.0 {
        return Err(err::value_error(
            "can't specify a timeout for a non-blocking call",
        ));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(err::value_error(
            "timeout value must be a non-negative number",
        ));
    }
    if !blocking {
        return Ok(Value::bool(lock.try_acquire()));
    }
    let secs = (timeout >= 0.0).then_some(timeout);
    Ok(Value::bool(lock.acquire(ts, true, secs)))
}

fn lock_enter(ts: &mut ThreadState, a: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let lock = this_lock(a)?;
    Ok(Value::bool(lock.acquire(ts, true, None)))
}

fn lock_release(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let lock = this_lock(a)?;
    args::no_kw(kw, "release")?;
    if a.len() > 1 {
        return Err(err::type_error(format!(
            "lock.release() takes no arguments ({} given)",
            a.len() - 1
        )));
    }
    if !lock.release() {
        return Err(err::runtime_error("release unlocked lock"));
    }
    Ok(Value::NONE)
}

fn lock_exit(_ts: &mut ThreadState, a: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let lock = this_lock(a)?;
    if !lock.release() {
        return Err(err::runtime_error("release unlocked lock"));
    }
    Ok(Value::NONE)
}

fn lock_locked(_ts: &mut ThreadState, a: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::bool(*this_lock(a)?.locked.lock()))
}

impl NativeObject for Lock {
    fn py_type(&self) -> TypeId {
        TypeId::Other("lock")
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn getattr(&self, this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        let m = |n, f| Some(Ok(bound_method(n, f, this, "lock")));
        match name {
            "acquire" => m("acquire", lock_acquire),
            "acquire_lock" => m("acquire_lock", lock_acquire),
            "release" => m("release", lock_release),
            "release_lock" => m("release_lock", lock_release),
            "locked" => m("locked", lock_locked),
            "__enter__" => m("__enter__", lock_enter),
            "__exit__" => m("__exit__", lock_exit),
            _ => None,
        }
    }
    fn repr(&self, this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        let st = if *self.locked.lock() {
            "locked"
        } else {
            "unlocked"
        };
        Ok(format!("<{st} _thread.lock object at {:#x}>", this.id()))
    }
}
