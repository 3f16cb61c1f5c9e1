//! Audit hooks (PEP 578): `sys.addaudithook`, `sys.audit`, and [`audit`], which the runtime
//! calls for the events CPython 3.13 raises (`sys._getframe`, `sys._getframemodulename`,
//! `sys._current_frames`, `sys.addaudithook`, `sys.unraisablehook`, ...).
//!
//! Invariants:
//! - the hooks are interpreter-wide (as CPython's Python-level hooks are per interpreter) and
//!   can only be added, never removed; `ACTIVE` turns true with the first one and stays true,
//!   so an audit point with no hook installed costs one atomic load and a branch;
//! - the list lock is never held while a hook runs: a hook may add hooks (the running audit
//!   calls them too, as CPython's iteration over its growing list does) or raise events itself;
//! - a hook is called as `hook(event, args)` with `args` a tuple; the first hook that raises
//!   stops the event, and its exception propagates out of the audited operation.

use crate::object::exc::err;
use crate::object::{ExcKind, KwArgs, PyResult, Value};
use crate::thread::ThreadState;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// True once a hook has been added. Release/Acquire: a thread that sees it set also sees the
/// hook the list holds (the list's lock orders that anyway; the flag only gates the slow path).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The hooks, in the order they were added.
static HOOKS: Mutex<Vec<Value>> = Mutex::new(Vec::new());

/// Is any audit hook installed? (CPython's `should_audit`.)
#[inline]
pub fn active() -> bool {
    ACTIVE.load(Ordering::Acquire)
}

/// Raises the audit event `event` with arguments `args` (CPython's `PySys_Audit`): each hook
/// is called as `hook(event, args_tuple)` in the order they were added; the first exception
/// stops the event and is returned. With no hook installed this is one atomic load.
#[inline]
pub fn audit(ts: &mut ThreadState, event: &str, args: &[Value]) -> PyResult<()> {
    if !active() {
        return Ok(());
    }
    run_hooks(ts, Value::str(event), Value::tuple(args.to_vec()))
}

/// Calls every hook with `(event, args)`, including hooks added while this runs.
#[cold]
#[inline(never)]
fn run_hooks(ts: &mut ThreadState, event: Value, args: Value) -> PyResult<()> {
    let mut i = 0;
    loop {
        // Copy the hook out: the lock must not be held while Python code runs.
        let Some(hook) = HOOKS.lock().get(i).cloned() else {
            return Ok(());
        };
        crate::interp::call(ts, &hook, &[event.clone(), args.clone()], &[])?;
        i += 1;
    }
}

/// Appends a hook (no event raised: [`sys_addaudithook`] does that first).
fn add_hook(hook: Value) {
    HOOKS.lock().push(hook);
    ACTIVE.store(true, Ordering::Release);
}

/// `sys.addaudithook(hook)`. As CPython: the existing hooks see a `sys.addaudithook` event
/// first; if one of them raises an `Exception`, the new hook is silently not added, while a
/// `BaseException` that is not an `Exception` propagates. The hook is not checked for being
/// callable (a non-callable hook makes every later event raise TypeError).
pub fn sys_addaudithook(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    // Argument Clinic's parsing of one positional-or-keyword parameter: too many arguments
    // first, then a missing `hook` (an unknown keyword counts as the missing one).
    let given = args.len() + kw.len();
    if given > 1 {
        return Err(err::type_error(format!(
            "addaudithook() takes at most 1 argument ({given} given)"
        )));
    }
    let hook = args.first().cloned().or_else(|| {
        kw.iter()
            .find(|(k, _)| k.as_str() == Some("hook"))
            .map(|(_, v)| v.clone())
    });
    let Some(hook) = hook else {
        return Err(err::type_error(
            "addaudithook() missing required argument 'hook' (pos 1)",
        ));
    };
    match audit(ts, "sys.addaudithook", &[]) {
        Ok(()) => add_hook(hook),
        Err(e) if e.matches(ExcKind::Exception) => {}
        Err(e) => return Err(e),
    }
    Ok(Value::NONE)
}

/// `sys.audit(event, *args)`. As CPython, with no hook installed nothing is checked beyond the
/// presence of `event`.
pub fn sys_audit(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    if !kw.is_empty() {
        return Err(err::type_error("sys.audit() takes no keyword arguments"));
    }
    let Some(event) = args.first() else {
        return Err(err::type_error(
            "audit() missing 1 required positional argument: 'event'",
        ));
    };
    if !active() {
        return Ok(Value::NONE);
    }
    if event.as_str().is_none() {
        return Err(err::type_error(format!(
            "expected str for argument 'event', not {}",
            event.py_type().name()
        )));
    }
    run_hooks(ts, event.clone(), Value::tuple(args[1..].to_vec()))?;
    Ok(Value::NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hooks are process-wide: every test of this module that installs one runs under this
    /// lock and checks only what its own hook saw.
    static SERIAL: Mutex<()> = Mutex::new(());

    #[test]
    fn no_hooks_is_a_no_op() {
        let _g = SERIAL.lock();
        let mut ts = ThreadState::new();
        // Whether or not another test installed a hook, an event nobody raises an error for
        // succeeds.
        if !active() {
            assert!(audit(&mut ts, "x.y", &[Value::int(1)]).is_ok());
            // `sys.audit(1)` with no hook: the event's type is not checked.
            assert!(sys_audit(&mut ts, &[Value::int(1)], &[]).is_ok());
        }
        let e = sys_audit(&mut ts, &[], &[]).unwrap_err();
        assert!(e.matches(ExcKind::TypeError));
    }

    fn recording_hook(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
        let ev = args[0].as_str().unwrap_or("").to_owned();
        if ev == "test.audit.raise" {
            return Err(err::value_error("refused"));
        }
        if ev == "test.audit.record" {
            let t = args[1].as_tuple().expect("args are a tuple");
            assert_eq!(t.len(), 2);
            assert_eq!(t[0].as_small(), Some(7));
            assert_eq!(t[1].as_str(), Some("seven"));
        }
        Ok(Value::NONE)
    }

    #[test]
    fn hooks_see_events_and_their_errors_propagate() {
        let _g = SERIAL.lock();
        let mut ts = ThreadState::new();
        let hook = super::super::native("recording_hook", "test", recording_hook);
        sys_addaudithook(&mut ts, &[hook], &[]).expect("added");
        assert!(active());
        audit(
            &mut ts,
            "test.audit.record",
            &[Value::int(7), Value::str("seven")],
        )
        .expect("the hook accepts it");
        let e = audit(&mut ts, "test.audit.raise", &[]).unwrap_err();
        assert!(e.matches(ExcKind::ValueError));
        let e = sys_audit(&mut ts, &[Value::int(3)], &[]).unwrap_err();
        assert!(e.matches(ExcKind::TypeError));
    }
}
