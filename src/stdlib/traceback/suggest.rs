//! "Did you mean" suggestions for NameError, AttributeError and ImportError, as CPython 3.13's
//! `traceback._compute_suggestion_error` computes them (through the `_suggestions` C module:
//! a Levenshtein distance over UTF-8 bytes where a case flip costs 1 and any other edit 2, at
//! most 1/3 of the characters changed, and no answer from 750 candidates on).
//!
//! The candidates:
//! - NameError: the names of the innermost traceback frame's `f_locals`, then its `f_globals`,
//!   then CPython's builtins (the table of `builtins.__dict__`, so suggestions name what CPython
//!   would name even where this runtime's builtins differ). Reading `tb_frame` materializes that
//!   one frame, as it does in CPython. A local `self` with the attribute wins as `self.name`.
//! - AttributeError: `dir(obj)` — a module's dict keys; for builtin types, CPython's `dir()`
//!   listings (tables); underscored names hidden unless the wrong name starts with `_` (or the
//!   object is the innermost frame's `self`).
//! - ImportError with `name_from`: `dir()` of the module, underscored names hidden likewise.
//!
//! Invariant: computing a suggestion never fails; whatever cannot be read (a module that does
//! not import, a frame of another thread) means no suggestion, as CPython's
//! `except Exception: return None` does.

use super::tables;
use crate::frame::{FrameObject, Traceback};
use crate::object::exc::Exception;
use crate::object::{ExcKind, Object, PyResult, TypeId, Value};
use crate::stdlib;
use crate::thread::ThreadState;

const MAX_CANDIDATE_ITEMS: usize = 750;
const MAX_STRING_SIZE: usize = 40;
const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;

/// `substitution_cost` of `Python/suggestions.c`, on bytes.
fn substitution_cost(a: u8, b: u8) -> usize {
    if (a & 31) != (b & 31) {
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// `levenshtein_distance` of `Python/suggestions.c`: the edit distance of two UTF-8 strings,
/// or `max_cost + 1` once it is known to exceed `max_cost`.
pub(super) fn levenshtein(a: &[u8], b: &[u8], max_cost: usize) -> usize {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (mut a, mut b) = (&a[pre..], &b[pre..]);
    let post = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a = &a[..a.len() - post];
    b = &b[..b.len() - post];
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut buffer = [0usize; MAX_STRING_SIZE];
    for (i, slot) in buffer.iter_mut().take(a.len()).enumerate() {
        *slot = (i + 1) * MOVE_COST;
    }
    let mut result = 0;
    for (b_index, &code) in b.iter().enumerate() {
        let mut distance = b_index * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (index, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(code, ac);
            distance = buffer[index];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            buffer[index] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// `_suggestions._generate_suggestions(candidates, name)`: the closest candidate, the first
/// one on ties.
pub(super) fn closest<'a, S: AsRef<str>>(candidates: &'a [S], name: &str) -> Option<&'a str> {
    if candidates.len() >= MAX_CANDIDATE_ITEMS {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for item in candidates {
        let item = item.as_ref();
        if item == name {
            continue;
        }
        let mut max_distance = (name.len() + item.len() + 3) * MOVE_COST / 6;
        if let Some((_, d)) = best {
            max_distance = max_distance.min(d - 1);
        }
        let distance = levenshtein(name.as_bytes(), item.as_bytes(), max_distance);
        if distance > max_distance {
            continue;
        }
        if best.is_none_or(|(_, d)| distance < d) {
            best = Some((item, distance));
        }
    }
    best.map(|(s, _)| s)
}

/// Is `name` in `sys.stdlib_module_names`?
pub(super) fn is_stdlib_module(name: &str) -> bool {
    tables::STDLIB_MODULE_NAMES.binary_search(&name).is_ok()
}

/// The `TypeId` variant name the `dir()` tables are keyed by.
fn type_key(t: TypeId) -> Option<&'static str> {
    Some(match t {
        TypeId::Object => "Object",
        TypeId::Type => "Type",
        TypeId::NoneType => "NoneType",
        TypeId::Bool => "Bool",
        TypeId::Int => "Int",
        TypeId::Float => "Float",
        TypeId::Str => "Str",
        TypeId::Tuple => "Tuple",
        TypeId::List => "List",
        TypeId::Dict => "Dict",
        TypeId::Set => "Set",
        TypeId::Range => "Range",
        TypeId::Slice => "Slice",
        TypeId::Function => "Function",
        TypeId::Builtin => "Builtin",
        TypeId::Module => "Module",
        TypeId::Code => "Code",
        TypeId::Frame => "Frame",
        TypeId::Traceback => "Traceback",
        TypeId::FrameLocalsProxy => "FrameLocalsProxy",
        TypeId::Iterator => "Iterator",
        TypeId::DictView => "DictView",
        TypeId::FrameSummary => "FrameSummary",
        TypeId::StackSummary => "StackSummary",
        TypeId::TextIO => "TextIO",
        TypeId::Generator => "Generator",
        TypeId::Coroutine => "Coroutine",
        TypeId::Other(_) | TypeId::Exc(_) => return None,
    })
}

/// `dir()` of instances of a builtin type (or of the type object itself: for builtin types
/// they agree), `None` for types without a table.
fn type_dir(t: TypeId) -> Option<Vec<String>> {
    let listing = match t {
        TypeId::Exc(k) => tables::EXC_DIRS.iter().find(|(n, _)| *n == k.name())?.1,
        _ => {
            let key = type_key(t)?;
            tables::TYPE_DIRS.iter().find(|(n, _)| *n == key)?.1
        }
    };
    Some(listing.split(' ').map(str::to_owned).collect())
}

/// The str keys of a dict value, in order.
fn dict_keys(dict: &Value) -> Vec<String> {
    dict.as_dict().map_or_else(Vec::new, |d| {
        d.read()
            .keys()
            .filter_map(|k| k.key.as_str().map(str::to_owned))
            .collect()
    })
}

/// `dir(obj)` as far as this runtime can list it.
pub(super) fn dir_of(obj: &Value) -> Option<Vec<String>> {
    match obj.obj() {
        Some(Object::Module(m)) => {
            let mut keys = dict_keys(&m.dict);
            keys.sort();
            Some(keys)
        }
        Some(Object::Type(t)) => type_dir(*t),
        Some(Object::Exception(e)) => {
            let mut names = type_dir(TypeId::Exc(e.kind))?;
            for (n, _) in e.state.lock().attrs.iter() {
                if !names.iter().any(|x| x == n) {
                    names.push((*n).to_owned());
                }
            }
            names.sort();
            Some(names)
        }
        _ => type_dir(obj.py_type()),
    }
}

/// The innermost frame of a traceback, materialized (`tb_frame` of the last entry).
fn innermost_frame(ts: &mut ThreadState, tb: &Value) -> Option<Value> {
    let mut t = tb.downcast::<Traceback>()?;
    while let Some(next) = t.next_ref().downcast::<Traceback>() {
        t = next;
    }
    t.frame(ts).ok()
}

/// `frame.f_locals` as (name, value) pairs: the globals of module frames, the bound fast
/// locals of function frames.
fn frame_locals(ts: &mut ThreadState, frame: &FrameObject) -> PyResult<Vec<(String, Value)>> {
    if frame.code().is_module() {
        let globals = frame.globals();
        return Ok(globals.as_dict().map_or_else(Vec::new, |d| {
            d.read()
                .iter()
                .filter_map(|(k, v)| Some((k.key.as_str()?.to_owned(), v.clone())))
                .collect()
        }));
    }
    Ok(frame
        .locals(ts)?
        .into_iter()
        .map(|(n, v)| (n.to_string(), v))
        .collect())
}

/// `_compute_suggestion_error(exc, tb, wrong_name)` for an exception whose kind is one of
/// NameError, AttributeError or ImportError (or a subclass): the suggested name (which may be
/// `self.name`), if any.
pub(super) fn compute(
    ts: &mut ThreadState,
    exc: &Exception,
    tb: &Value,
    wrong_name: &str,
) -> Option<String> {
    let hide_underscored = !wrong_name.starts_with('_');
    let candidates: Vec<String> = if exc.kind.is_subclass(ExcKind::AttributeError) {
        let obj = exc.attr("obj").unwrap_or(Value::NONE);
        let mut d = dir_of(&obj)?;
        let mut hide = hide_underscored;
        if hide && !tb.is_none() {
            if let Some(frame) = innermost_frame(ts, tb) {
                let f = frame.downcast::<FrameObject>()?;
                let locals = frame_locals(ts, f).ok()?;
                if locals.iter().any(|(n, v)| n == "self" && v.is(&obj)) {
                    hide = false;
                }
            }
        }
        if hide {
            d.retain(|x| !x.starts_with('_'));
        }
        d
    } else if exc.kind.is_subclass(ExcKind::ImportError) {
        let module_name = exc.attr("name")?;
        let module = stdlib::import(ts, module_name.as_str()?).ok()?;
        let mut d = dir_of(&module)?;
        if hide_underscored {
            d.retain(|x| !x.starts_with('_'));
        }
        d
    } else {
        if tb.is_none() {
            return None;
        }
        let frame = innermost_frame(ts, tb)?;
        let f = frame.downcast::<FrameObject>()?;
        let locals = frame_locals(ts, f).ok()?;
        if let Some((_, this)) = locals.iter().find(|(n, _)| n == "self") {
            if crate::object::ops::getattr(ts, this, wrong_name).is_ok() {
                return Some(format!("self.{wrong_name}"));
            }
        }
        let mut d: Vec<String> = locals.into_iter().map(|(n, _)| n).collect();
        d.extend(dict_keys(f.globals()));
        d.extend(tables::BUILTIN_NAMES.iter().map(|s| (*s).to_owned()));
        d
    };
    closest(&candidates, wrong_name).map(str::to_owned)
}

#[cfg(test)]
#[rustfmt::skip]
#[path = "testdata/suggest_cases.rs"]
mod suggest_cases;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_match_cpython() {
        for (i, (cands, wrong, expected)) in suggest_cases::CASES.iter().enumerate() {
            assert_eq!(
                closest(cands, wrong),
                *expected,
                "case {i}: {wrong:?} among {cands:?}"
            );
        }
    }

    #[test]
    fn distances() {
        // Python/suggestions.c: case flips cost 1, other edits 2.
        assert_eq!(levenshtein(b"print", b"Print", 100), 1);
        assert_eq!(levenshtein(b"prnt", b"print", 100), 2);
        assert_eq!(levenshtein(b"abc", b"xyz", 1), 2);
        assert_eq!(closest(&["print", "len"], "prnit"), Some("print"));
        assert_eq!(closest(&["print"], "print"), None);
    }

    #[test]
    fn stdlib_names_and_listings() {
        assert!(is_stdlib_module("sys") && is_stdlib_module("traceback"));
        assert!(!is_stdlib_module("numpy"));
        let d = type_dir(TypeId::List).unwrap();
        assert!(d.iter().any(|n| n == "append"));
        let d = type_dir(TypeId::Exc(ExcKind::NameError)).unwrap();
        assert!(d.iter().any(|n| n == "name"));
        assert_eq!(closest(&d, "nam"), Some("name"));
    }
}
