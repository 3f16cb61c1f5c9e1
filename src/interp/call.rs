//! Calls: binding arguments to a function's parameters, and calling any callable from Rust.

use super::eval::run_frame;
use crate::code::{CodeFlags, CodeObject};
use crate::frame::InterpreterFrame;
use crate::object::exc::err;
use crate::object::{ExcKind, Function, KwArgs, Object, PyErr, PyResult, Value};
use crate::stdlib::builtins::call_type;
use crate::thread::ThreadState;

/// Calls any callable with positional and keyword arguments. A Python function runs in a new
/// eval-loop invocation (this is the native re-entry path used by builtins such as `sorted`).
pub fn call(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
    kwargs: KwArgs,
) -> PyResult<Value> {
    match callee.obj() {
        Some(Object::Function(func)) => {
            if ts.native_stack_exhausted() {
                return Err(recursion_error());
            }
            if func.code.flags.intersects(GEN_FLAGS) {
                return super::gen::create(ts, callee, func, args, kwargs);
            }
            super::gen::poll_finalizers(ts);
            if let Some(r) =
                super::tier::tier().and_then(|t| t.call(ts, callee, func, args, kwargs))
            {
                return r;
            }
            let mut frame = new_function_frame(ts, callee, func, args, kwargs)?;
            frame.is_entry = true;
            run_frame(ts, frame)
        }
        _ => call_native(ts, callee, args, kwargs),
    }
}

/// Code flags of functions whose call creates a generator or coroutine.
pub(super) const GEN_FLAGS: CodeFlags = CodeFlags::GENERATOR.union(CodeFlags::COROUTINE);

/// Calls anything that is not a Python function.
pub(super) fn call_native(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
    kwargs: KwArgs,
) -> PyResult<Value> {
    if let Some(r) = call_builtin_or_type(ts, callee, args, kwargs) {
        return r;
    }
    match callee.obj() {
        Some(Object::Function(_)) => call(ts, callee, args, kwargs),
        _ => Err(err::type_error(format!(
            "'{}' object is not callable",
            callee.py_type().name()
        ))),
    }
}

/// Calls `callee` if it is a builtin function or a type; `None` for anything else. Always
/// inline up to the call of an unbound builtin function (`len(x)`), the eval loop's common
/// case; a bound one and a type go through calls out of line.
#[inline(always)]
pub(super) fn call_builtin_or_type(
    ts: &mut ThreadState,
    callee: &Value,
    args: &[Value],
    kwargs: KwArgs,
) -> Option<PyResult<Value>> {
    match callee.obj()? {
        Object::Builtin(b) => {
            super::fault::point(super::fault::Site::Builtin);
            Some(match &b.bound {
                None => (b.func)(ts, args, kwargs),
                Some(receiver) => call_bound_builtin(ts, b, receiver, args, kwargs),
            })
        }
        Object::Type(t) => Some(call_type(ts, *t, args, kwargs)),
        _ => None,
    }
}

/// A builtin bound to `receiver`, called with it as its first argument.
#[inline(never)]
fn call_bound_builtin(
    ts: &mut ThreadState,
    b: &crate::object::Builtin,
    receiver: &Value,
    args: &[Value],
    kwargs: KwArgs,
) -> PyResult<Value> {
    let mut full = Vec::with_capacity(args.len() + 1);
    full.push(receiver.clone());
    full.extend_from_slice(args);
    (b.func)(ts, &full, kwargs)
}

/// The RecursionError of a too deep stack.
#[cold]
pub fn recursion_error() -> PyErr {
    PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded")
}

/// The RecursionError of a call when the thread's Python stack is as deep as the recursion
/// limit allows (the error belongs to the caller, as in CPython).
#[inline]
pub(super) fn check_recursion(ts: &ThreadState) -> PyResult<()> {
    if ts.at_recursion_limit() {
        return Err(recursion_error());
    }
    Ok(())
}

/// A new frame for calling `func` with the given arguments bound, or the binding error.
/// Checks the recursion limit ([`check_recursion`]).
pub(super) fn new_function_frame(
    ts: &mut ThreadState,
    callee: &Value,
    func: &Function,
    args: &[Value],
    kwargs: KwArgs,
) -> PyResult<Box<InterpreterFrame>> {
    check_recursion(ts)?;
    let mut frame = ts.frames.alloc_function(callee.clone());
    if let Err(e) = bind_args(&func.code, func, args, kwargs, &mut frame.locals) {
        ts.frames.release(frame);
        return Err(e);
    }
    Ok(frame)
}

/// [`new_function_frame`] for a call with positional arguments only, which the frame takes
/// over: they move into its locals (the missing ones get the function's defaults), and
/// `callee` becomes the frame's function, with no copies.
pub(super) fn new_function_frame_owned(
    ts: &mut ThreadState,
    callee: Value,
    args: impl ExactSizeIterator<Item = Value>,
) -> PyResult<Box<InterpreterFrame>> {
    let Some(Object::Function(func)) = callee.obj() else {
        unreachable!("new_function_frame_owned of a function");
    };
    let (argcount, given) = (func.code.argcount as usize, args.len());
    if given > argcount {
        // An error: the general path words it.
        let args: smallvec::SmallVec<[Value; 8]> = args.collect();
        return new_function_frame(ts, &callee, func, &args, &[]);
    }
    check_recursion(ts)?;
    // The frame takes the caller's reference to the function (which keeps the code alive).
    let mut frame = ts.frames.alloc_function(callee);
    for (slot, a) in frame.locals.iter_mut().zip(args) {
        *slot = a;
    }
    if given < argcount {
        let (func, locals) = frame.func_and_locals();
        let func = func.as_function().expect("a function's frame");
        if let Err(e) = bind_defaults(&func.code, func, locals) {
            ts.frames.release(frame);
            return Err(e);
        }
    }
    Ok(frame)
}

/// Binds positional and keyword arguments and defaults into `locals` (CPython's messages).
pub(crate) fn bind_args(
    code: &CodeObject,
    func: &Function,
    args: &[Value],
    kwargs: KwArgs,
    locals: &mut [Value],
) -> PyResult<()> {
    let argcount = code.argcount as usize;
    let qualname = || func.names.qualname.as_str().unwrap_or("?").to_owned();
    if args.len() > argcount {
        let ndef = func.defaults.len();
        let takes = if ndef > 0 {
            format!(
                "from {} to {} positional arguments",
                argcount - ndef,
                argcount
            )
        } else {
            format!(
                "{} positional argument{}",
                argcount,
                if argcount == 1 { "" } else { "s" }
            )
        };
        let given = args.len();
        return Err(err::type_error(format!(
            "{}() takes {} but {} {} given",
            qualname(),
            takes,
            given,
            if given == 1 { "was" } else { "were" }
        )));
    }
    for (slot, a) in locals.iter_mut().zip(args.iter()) {
        *slot = a.clone();
    }
    for (name, value) in kwargs {
        let n = name.as_str().unwrap_or("");
        match code.varnames[..argcount].iter().position(|v| &**v == n) {
            Some(i) if !locals[i].is_null() => {
                return Err(err::type_error(format!(
                    "{}() got multiple values for argument '{}'",
                    qualname(),
                    n
                )));
            }
            Some(i) => locals[i] = value.clone(),
            None => {
                let params: Vec<&str> = code.varnames[..argcount].iter().map(|v| &**v).collect();
                let hint = crate::stdlib::traceback::calculate_suggestions(&params, n)
                    .map_or(String::new(), |s| format!(". Did you mean '{s}'?"));
                return Err(err::type_error(format!(
                    "{}() got an unexpected keyword argument '{}'{}",
                    qualname(),
                    n,
                    hint
                )));
            }
        }
    }
    bind_defaults(code, func, locals)
}

/// Binds the defaults of the parameters left unbound in `locals` after the arguments were,
/// or raises the TypeError that names the missing ones (CPython's message).
fn bind_defaults(code: &CodeObject, func: &Function, locals: &mut [Value]) -> PyResult<()> {
    let argcount = code.argcount as usize;
    let first_default = argcount - func.defaults.len();
    let mut missing = Vec::new();
    for (i, slot) in locals.iter_mut().enumerate().take(argcount) {
        if slot.is_null() {
            if i >= first_default {
                *slot = func.defaults[i - first_default].clone();
            } else {
                missing.push(format!("'{}'", code.varnames[i]));
            }
        }
    }
    if !missing.is_empty() {
        let n = missing.len();
        let names = match n {
            1 => missing[0].clone(),
            2 => format!("{} and {}", missing[0], missing[1]),
            _ => format!("{}, and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        return Err(err::type_error(format!(
            "{}() missing {} required positional argument{}: {}",
            func.names.qualname.as_str().unwrap_or("?"),
            n,
            if n == 1 { "" } else { "s" },
            names
        )));
    }
    Ok(())
}

/// The positional arguments and the `(name, value)` keyword arguments of a call whose last
/// `len(kwnames)` arguments are the keywords `kwnames` names (a tuple of strs), as `CallKw`
/// passes them.
#[inline]
pub(crate) fn split_kwargs<'a>(
    args: &'a [Value],
    kwnames: &Value,
) -> (&'a [Value], Vec<(Value, Value)>) {
    let names = kwnames.as_tuple().unwrap_or(&[]);
    let npos = args.len() - names.len();
    let kw = names
        .iter()
        .cloned()
        .zip(args[npos..].iter().cloned())
        .collect();
    (&args[..npos], kw)
}
