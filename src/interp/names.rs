//! Names: the global-name caches (`LoadGlobal`, and module attributes read as `LoadAttr` or
//! `LoadMethod`), their miss path, and the other accesses to globals by name.
//!
//! A cache's hit takes no lock: the dicts' key versions say whether the cached value still
//! holds. A miss looks the name up under the dict's lock, watches the dict and records the
//! answer with the versions it holds under. The miss path ([`fill_global_cache`]) is shared
//! by the interpreter, compiled code and the compiler. Names are interned strs.
//!
//! What the eval loop runs on its fast paths (the cache hits, `name_str`, `name_key`) is
//! `#[inline]`, so that it stays inlined into `execute` when another codegen unit compiles it.

use crate::code::CodeObject;
use crate::object::dict::get_name;
use crate::object::name_cache::NameCache;
use crate::object::{ExcKind, HashKey, Object, PyErr, PyResult, Value};
use crate::thread::runtime;

#[inline]
pub(super) fn name_str(v: &Value) -> &str {
    v.as_str().expect("names are strs")
}

#[inline]
pub(super) fn name_key(name: &Value) -> HashKey {
    let hash = name.as_pystr().expect("names are strs").hash();
    HashKey {
        hash,
        key: name.clone(),
    }
}

fn name_error(name: &Value) -> PyErr {
    let e = PyErr::new(
        ExcKind::NameError,
        format!("name '{}' is not defined", name_str(name)),
    );
    e.exception().set_attr("name", name.clone());
    e
}

/// `LoadGlobal(i)` of `code` in `globals`: the code's cache of the name when the dicts' key
/// versions say it holds (no lock taken), else a lookup that fills it.
#[inline]
pub(super) fn load_global_cached(code: &CodeObject, i: usize, globals: &Value) -> PyResult<Value> {
    load_global(code, i, globals, None)
}

/// `LoadGlobal(i)` of `code` that opens a callee window (`code::windows`), in a frame running
/// `func` in `globals`: [`Value::NULL`], the window's marker for "the running function, no
/// reference taken", when the name's cache says the global is `func` (a recursion's call: the
/// frame keeps `func` alive, and the window's `Call` knows the marker); else the value, as
/// [`load_global_cached`] finds it.
#[inline]
pub(super) fn load_callee_global(
    code: &CodeObject,
    i: usize,
    globals: &Value,
    func: &Value,
) -> PyResult<Value> {
    load_global(code, i, globals, Some(func))
}

/// Both loads: a cache hit that is `running` comes back as the marker.
#[inline(always)]
fn load_global(
    code: &CodeObject,
    i: usize,
    globals: &Value,
    running: Option<&Value>,
) -> PyResult<Value> {
    let caches = code.name_caches();
    debug_assert!(i < caches.len());
    // SAFETY: one cache per name, and the compiler checked that every name index an
    // instruction holds exists (`compile::assemble::check_operands`).
    let cache = unsafe { caches.get_unchecked(i) };
    let g = globals.as_dict().expect("globals is a dict");
    let b = || runtime().builtins.get().and_then(Value::as_dict);
    let hit = match running {
        None => cache.lookup(g, b),
        Some(func) => cache.lookup_unless(g, b, func),
    };
    match hit {
        Some(v) => Ok(v),
        None => fill_global_cache(cache, globals, &code.names[i]),
    }
}

/// The miss path of a global-name cache (the interpreter's, compiled code's, the compiler's):
/// the name looked up under the locks ([`load_global_watched`]), and the answer recorded.
pub(crate) fn fill_global_cache(
    cache: &crate::object::name_cache::NameCache,
    globals: &Value,
    name: &Value,
) -> PyResult<Value> {
    let (v, versions) = load_global_watched(globals, name)?;
    cache.install(&v, versions);
    Ok(v)
}

/// `module.name` for `LoadAttr(i)`/`LoadMethod(i)` of `code` when `obj` is a module and the
/// name a plain member of its dict, through the code's cache of the name as `LoadGlobal` reads
/// the globals: the module dict's key versions say whether the cached value holds (no lock
/// taken); a miss looks the name up under the dict's lock and fills the cache. `None`: not a
/// module, a dunder name, or a name the dict lacks (the general lookup answers).
#[inline]
pub(super) fn module_attr_cached(code: &CodeObject, i: usize, obj: &Value) -> Option<Value> {
    module_attr(obj, &code.names[i], &code.name_caches()[i])
}

/// [`module_attr_cached`] with the name and its cache given (compiled code's attribute and
/// method loads embed both).
#[inline]
pub(crate) fn module_attr(obj: &Value, name: &Value, cache: &NameCache) -> Option<Value> {
    let Some(Object::Module(m)) = obj.obj() else {
        return None;
    };
    let s = name.as_pystr()?;
    if s.as_str().starts_with("__") {
        return None;
    }
    let d = m.dict.as_dict()?;
    debug_assert_eq!(cache.hash(), s.hash(), "the cache of another name");
    if let Some(v) = cache.lookup(d, || None) {
        return Some(v);
    }
    let (v, gver) = find_watched(&m.dict, name, s.hash());
    let v = v?;
    cache.install(&v, (gver, crate::object::name_cache::ANY_VERSION));
    Some(v)
}

/// `name` (interned, with hash `hash`) in the dict `dict`, which is watched from now on, and
/// the version of the name's key bucket under which the answer (also an absence) holds.
#[inline(always)]
fn find_watched(dict: &Value, name: &Value, hash: u64) -> (Option<Value>, u64) {
    let d = dict.as_dict().expect("a dict");
    let g = d.read();
    d.watch(&g);
    // Names are interned: the memoized index or the probe finds the key by identity.
    let v = get_name(&g, dict.bits(), name, hash).cloned();
    (v, d.key_version(hash))
}

/// Globals, then builtins, for a cache: the value and the versions of the name's key bucket in
/// the globals and in the builtins dict (both watched from now on) under which the answer
/// holds. The builtins version matters only when the name came from the builtins; for a
/// global it is `name_cache::ANY_VERSION`, which readers skip.
fn load_global_watched(globals: &Value, name: &Value) -> PyResult<(Value, (u64, u64))> {
    let hash = name.as_pystr().expect("names are strs").hash();
    let builtins = runtime().builtins.get();
    let gver = match find_watched(globals, name, hash) {
        (Some(v), gver) => return Ok((v, (gver, crate::object::name_cache::ANY_VERSION))),
        (None, gver) => gver,
    };
    if let Some(b) = builtins {
        let bd = b.as_dict().expect("builtins is a dict");
        let g = bd.read();
        if let Some(v) = get_name(&g, b.bits(), name, hash) {
            bd.watch(&g);
            return Ok((v.clone(), (gver, bd.key_version(hash))));
        }
    }
    Err(name_error(name))
}

/// `DeleteGlobal`: `del globals[name]`, NameError if missing.
pub(crate) fn delete_global(globals: &Value, name: &Value) -> PyResult<()> {
    let old = globals
        .as_dict()
        .expect("globals is a dict")
        .lock()
        .shift_remove(&name_key(name));
    match old {
        Some(_) => Ok(()),
        None => Err(name_error(name)),
    }
}
