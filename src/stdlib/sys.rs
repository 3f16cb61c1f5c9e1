//! The `sys` module: recursion limit, frame introspection (`_getframe`, `_getframemodulename`,
//! `_current_frames`),
//! the exception being handled, standard streams, `argv`.
//!
//! `_getframe` builds a frame object only for the frame it returns; `_getframemodulename` builds
//! none (it reads the function's module from the shadow stack). Both raise their audit events
//! (see [`super::audit`]); `addaudithook`/`audit` and `unraisablehook`/`__unraisablehook__` live
//! in [`super::audit`] and [`super::unraisable`].

use super::audit::{audit, sys_addaudithook, sys_audit};
use super::{excepthook, io, native, new_module, unraisable};
use crate::frame;
use crate::object::exc::err;
use crate::object::{ExcKind, KwArgs, Object, PyErr, PyResult, Value};
use crate::thread::{runtime, ThreadState};

/// Largest recursion limit accepted (C `int`, as CPython).
const C_INT_MAX: i64 = i32::MAX as i64;

/// An int argument as CPython's `PyLong_AsInt`: TypeError for non-ints, OverflowError when it
/// does not fit a C int.
pub fn c_int_arg(v: &Value) -> PyResult<i64> {
    if let Some(b) = v.as_bool() {
        return Ok(b as i64);
    }
    match v.as_small() {
        Some(i) if (i32::MIN as i64..=C_INT_MAX).contains(&i) => Ok(i),
        Some(_) => Err(err::overflow("Python int too large to convert to C int")),
        None => match v.obj() {
            Some(Object::Int(_)) => Err(err::overflow("Python int too large to convert to C int")),
            _ => Err(err::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                v.py_type().name()
            ))),
        },
    }
}

fn no_kwargs(name: &str, kw: KwArgs) -> PyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(err::type_error(format!(
            "{name}() takes no keyword arguments"
        )))
    }
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    if args.len() < min || args.len() > max {
        let msg = if min == max {
            format!(
                "{name}() takes exactly {min} argument{} ({} given)",
                if min == 1 { "" } else { "s" },
                args.len()
            )
        } else {
            format!(
                "{name}() takes at most {max} argument{} ({} given)",
                if max == 1 { "" } else { "s" },
                args.len()
            )
        };
        return Err(err::type_error(msg));
    }
    Ok(())
}

fn setrecursionlimit(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    no_kwargs("setrecursionlimit", kw)?;
    arity("setrecursionlimit", args, 1, 1)?;
    let n = c_int_arg(&args[0])?;
    if n < 1 {
        return Err(err::value_error(
            "recursion limit must be greater or equal than 1",
        ));
    }
    let depth = ts.depth() as i64;
    if depth >= n {
        return Err(PyErr::new(
            ExcKind::RecursionError,
            format!("cannot set the recursion limit to {n} at the recursion depth {depth}: the limit is too low"),
        ));
    }
    crate::thread::set_recursion_limit(ts, n as usize);
    Ok(Value::NONE)
}

fn getrecursionlimit(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    arity("getrecursionlimit", args, 0, 0)?;
    Ok(Value::int(runtime().requested_recursion_limit() as i64))
}

fn depth_arg(args: &[Value]) -> PyResult<i64> {
    match args.first() {
        None => Ok(0),
        Some(v) => c_int_arg(v),
    }
}

fn getframe(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    if !kw.is_empty() {
        return Err(err::type_error(
            "sys._getframe() takes no keyword arguments",
        ));
    }
    if args.len() > 1 {
        return Err(err::type_error(format!(
            "_getframe expected at most 1 argument, got {}",
            args.len()
        )));
    }
    let frame = frame::getframe(ts, depth_arg(args)?)?;
    // CPython audits after finding the frame, with the frame object it is about to return.
    audit(ts, "sys._getframe", std::slice::from_ref(&frame))?;
    Ok(frame)
}

fn getframemodulename(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let mut depth = args.first().cloned();
    for (k, v) in kw {
        match k.as_str() {
            Some("depth") if depth.is_none() => depth = Some(v.clone()),
            Some(name) => {
                return Err(err::type_error(format!(
                    "_getframemodulename() got an unexpected keyword argument '{name}'"
                )))
            }
            None => return Err(err::type_error("keywords must be strings")),
        }
    }
    arity("_getframemodulename", args, 0, 1)?;
    let d = match depth {
        Some(v) => c_int_arg(&v)?,
        None => 0,
    };
    // CPython audits before walking the stack, with the depth as given.
    audit(ts, "sys._getframemodulename", &[Value::int(d)])?;
    Ok(frame::getframe_module_name(ts, d))
}

fn current_frames(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    no_kwargs("_current_frames", kw)?;
    arity("_current_frames", args, 0, 0)?;
    super::audit::audit(ts, "sys._current_frames", &[])?;
    let d = Value::dict();
    for (ident, f) in frame::current_frames(ts) {
        crate::object::ops::setitem(ts, &d, &Value::int(ident as i64), f)?;
    }
    Ok(d)
}

fn exception(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    arity("exception", args, 0, 0)?;
    Ok(ts.handled_exception())
}

fn exc_info(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    arity("exc_info", args, 0, 0)?;
    let e = ts.handled_exception();
    Ok(match e.as_exception() {
        Some(x) => {
            let tb = x.state.lock().traceback.clone();
            Value::tuple(vec![e.type_object(), e.clone(), tb])
        }
        None => Value::tuple(vec![Value::NONE, Value::NONE, Value::NONE]),
    })
}

fn set_coroutine_origin_tracking_depth(
    ts: &mut ThreadState,
    args: &[Value],
    kw: KwArgs,
) -> PyResult<Value> {
    let name = "set_coroutine_origin_tracking_depth";
    let mut depth = args.first().cloned();
    for (k, v) in kw {
        match k.as_str() {
            Some("depth") if depth.is_none() => depth = Some(v.clone()),
            Some("depth") => {
                return Err(err::type_error(format!(
                    "argument for {name}() given by name ('depth') and position (1)"
                )))
            }
            Some(other) => {
                return Err(err::type_error(format!(
                    "{name}() got an unexpected keyword argument '{other}'"
                )))
            }
            None => return Err(err::type_error("keywords must be strings")),
        }
    }
    arity(name, args, 0, 1)?;
    let Some(depth) = depth else {
        return Err(err::type_error(format!(
            "{name}() missing required argument 'depth' (pos 1)"
        )));
    };
    let d = c_int_arg(&depth)?;
    if d < 0 {
        return Err(err::value_error("depth must be >= 0"));
    }
    ts.coro_origin_depth = d as usize;
    Ok(Value::NONE)
}

fn get_coroutine_origin_tracking_depth(
    ts: &mut ThreadState,
    args: &[Value],
    _kw: KwArgs,
) -> PyResult<Value> {
    arity("get_coroutine_origin_tracking_depth", args, 0, 0)?;
    Ok(Value::int(ts.coro_origin_depth as i64))
}

fn exit(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    arity("exit", args, 0, 1)?;
    Err(PyErr::with_args(ExcKind::SystemExit, args.to_vec()))
}

fn intern(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    arity("intern", args, 1, 1)?;
    if args[0].as_str().is_none() {
        return Err(err::type_error(format!(
            "intern() argument must be str, not {}",
            args[0].py_type().name()
        )));
    }
    Ok(args[0].clone())
}

/// The `sys` module.
pub fn make_module(_ts: &mut ThreadState) -> Value {
    let argv = runtime()
        .argv
        .lock()
        .iter()
        .map(|a| Value::str(a))
        .collect();
    let modules = Value::dict();
    new_module(
        "sys",
        vec![
            (
                "setrecursionlimit",
                native("setrecursionlimit", "sys", setrecursionlimit),
            ),
            (
                "getrecursionlimit",
                native("getrecursionlimit", "sys", getrecursionlimit),
            ),
            ("_getframe", native("_getframe", "sys", getframe)),
            (
                "_getframemodulename",
                native("_getframemodulename", "sys", getframemodulename),
            ),
            (
                "_current_frames",
                native("_current_frames", "sys", current_frames),
            ),
            ("exception", native("exception", "sys", exception)),
            ("exc_info", native("exc_info", "sys", exc_info)),
            ("exit", native("exit", "sys", exit)),
            (
                "set_coroutine_origin_tracking_depth",
                native(
                    "set_coroutine_origin_tracking_depth",
                    "sys",
                    set_coroutine_origin_tracking_depth,
                ),
            ),
            (
                "get_coroutine_origin_tracking_depth",
                native(
                    "get_coroutine_origin_tracking_depth",
                    "sys",
                    get_coroutine_origin_tracking_depth,
                ),
            ),
            ("intern", native("intern", "sys", intern)),
            (
                "addaudithook",
                native("addaudithook", "sys", sys_addaudithook),
            ),
            ("audit", native("audit", "sys", sys_audit)),
            ("excepthook", excepthook::default_hook()),
            ("__excepthook__", excepthook::default_hook()),
            ("unraisablehook", unraisable::default_hook()),
            ("__unraisablehook__", unraisable::default_hook()),
            ("argv", Value::list(argv)),
            ("stdout", io::stdout()),
            ("stderr", io::stderr()),
            ("__stdout__", io::stdout()),
            ("__stderr__", io::stderr()),
            ("maxsize", Value::int(i64::MAX)),
            ("platform", Value::str("linux")),
            ("version", Value::str("3.13.0 (shadowframe)")),
            ("implementation_name", Value::str("shadowframe")),
            ("modules", modules),
        ],
    )
}
