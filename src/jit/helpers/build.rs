//! Helpers of the container, string, function, import and global-deletion instructions.
//!
//! Same conventions as the parent module. Each body is the interpreter's own function for the
//! instruction (`crate::interp::build_map`, `format_value`, `import_from`, ...), so results and
//! error messages cannot drift; what is left here is moving words in and out of stack slots.

use super::{borrow, name_str, own, status, take, tstate, value};
use crate::object::{ops, Object, Value};
use crate::thread::ThreadState;

/// `BuildMap(n)`: a dict of the `2n` words at `base` (keys and values alternating, consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_build_map(
    ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: 2n consumed stack words.
        let (ts, items) = unsafe { (tstate(ts), take(base, 2 * n)) };
        crate::interp::build_map(ts, items.into_vec())
    })
}

/// `BuildSet(n)`: a set of the `n` words at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_build_set(
    ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n consumed stack words.
        let (ts, items) = unsafe { (tstate(ts), take(base, n)) };
        crate::interp::build_set(ts, items.into_vec())
    })
}

/// `BuildSlice(n)`: `slice(start, stop[, step])` of the `n` (2 or 3) words at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_build_slice(
    _ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n consumed stack words.
        let mut it = unsafe { take(base, n) }.into_iter();
        let (start, stop) = (it.next().expect("start"), it.next().expect("stop"));
        let step = it.next().unwrap_or(Value::NONE);
        Ok(Value::from_object(Object::Slice(start, stop, step)))
    })
}

/// `BuildString(n)`: the concatenation of the `n` str words at `base` (consumed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_build_string(
    _ts: *mut ThreadState,
    base: *const usize,
    n: usize,
) -> usize {
    value(|| {
        // SAFETY: n consumed stack words.
        let parts = unsafe { take(base, n) };
        Ok(crate::interp::build_string(&parts))
    })
}

/// `FormatValue(flags)`: `[v]` or `[v, spec]` at `base` (consumed), formatted.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_format_value(
    ts: *mut ThreadState,
    base: *const usize,
    flags: usize,
) -> usize {
    value(|| {
        let flags = flags as u32;
        let n = 1 + (flags >> 2 & 1) as usize;
        // SAFETY: n consumed stack words.
        let (ts, items) = unsafe { (tstate(ts), take(base, n)) };
        let mut it = items.into_iter();
        let v = it.next().expect("value");
        crate::interp::format_value(ts, flags, v, it.next())
    })
}

/// `ListAppend`: appends `v` (consumed) to `list` (borrowed: it stays on the stack). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_list_append(_ts: *mut ThreadState, list: usize, v: usize) -> usize {
    status(|| {
        // SAFETY: `list` stays owned by its slot; `v` is consumed.
        let (list, v) = unsafe { (borrow(list), own(v)) };
        crate::interp::list_append(&list, v)
    })
}

/// `SetAdd`: adds `v` (consumed) to `set` (borrowed). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_set_add(_ts: *mut ThreadState, set: usize, v: usize) -> usize {
    status(|| {
        // SAFETY: `set` stays owned by its slot; `v` is consumed.
        let (set, v) = unsafe { (borrow(set), own(v)) };
        crate::interp::set_add(&set, v)
    })
}

/// `MapAdd`: `dict[k] = v` (`dict` borrowed, `k` and `v` consumed). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_map_add(
    ts: *mut ThreadState,
    dict: usize,
    k: usize,
    v: usize,
) -> usize {
    status(|| {
        // SAFETY: `dict` stays owned by its slot; `k` and `v` are consumed.
        let (ts, dict, k, v) = unsafe { (tstate(ts), borrow(dict), own(k), own(v)) };
        ops::setitem(ts, &dict, &k, v)
    })
}

/// `MakeFunction(flags)`: `[code]` or `[defaults, code]` at `base` (consumed); the function's
/// globals are the running function's (`globals`, borrowed).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_make_function(
    _ts: *mut ThreadState,
    globals: usize,
    base: *const usize,
    flags: usize,
) -> usize {
    value(|| {
        let n = 1 + (flags & 1);
        // SAFETY: `globals` is owned by the running function; n consumed stack words.
        let (globals, items) = unsafe { (borrow(globals), take(base, n)) };
        let code = items.last().expect("code object");
        let defaults = match n {
            2 => items[0].clone(),
            _ => Value::tuple(vec![]),
        };
        Ok(crate::interp::make_function(&globals, code, &defaults))
    })
}

/// `ImportName`: `import name` (the name is borrowed from the code object).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_import_name(ts: *mut ThreadState, name: usize) -> usize {
    value(|| {
        // SAFETY: `name` is owned by the code object, alive during the call.
        let (ts, name) = unsafe { (tstate(ts), borrow(name)) };
        crate::stdlib::import(ts, name_str(&name))
    })
}

/// `ImportFrom`: `module.name` (`module` borrowed: it stays on the stack).
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_import_from(
    ts: *mut ThreadState,
    module: usize,
    name: usize,
) -> usize {
    value(|| {
        // SAFETY: `module` stays owned by its slot, `name` by the code object.
        let (ts, module, name) = unsafe { (tstate(ts), borrow(module), borrow(name)) };
        crate::interp::import_from(ts, &module, name_str(&name))
    })
}

/// `DeleteGlobal`: `del globals[name]` (both borrowed). Returns 1.
///
/// # Safety
/// Called by JIT code only, under the conventions of the module docs (live, owned or borrowed
/// words as documented; `ts` is the running thread's state).
pub unsafe extern "C" fn jit_delete_global(
    _ts: *mut ThreadState,
    globals: usize,
    name: usize,
) -> usize {
    status(|| {
        // SAFETY: both words are owned by the function / code object, alive during the call.
        let (globals, name) = unsafe { (borrow(globals), borrow(name)) };
        crate::interp::delete_global(&globals, &name)
    })
}
