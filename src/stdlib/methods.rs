//! Methods of the builtin types (`list.append`, `str.split`, `dict.get`, ...), as unbound
//! builtins that take their receiver as `args[0]`.
//!
//! [`lookup_method`] answers from one table per type, built once: the values it returns are
//! cached (no allocation per lookup), which is what `LoadMethod` relies on. Each method checks its
//! receiver (`descriptor 'append' for 'list' objects doesn't apply to a 'int' object`) and its
//! arguments with CPython's messages ([`super::builtins::args`]).

mod dict;
mod list;
mod misc;
mod set;
mod strclass;
mod strformat;
mod strs;

use crate::object::exc::err;
use crate::object::{Builtin, NativeFn, Object, PyErr, TypeId, Value};
use std::sync::OnceLock;

/// One method table: name, implementation.
type Table = &'static [(&'static str, NativeFn)];

struct Cached {
    methods: Vec<(&'static str, Value)>,
}

fn build(owner: &'static str, table: Table) -> Cached {
    Cached {
        methods: table
            .iter()
            .map(|&(name, func)| {
                (
                    name,
                    Value::from_object(Object::Builtin(Builtin {
                        name,
                        func,
                        bound: None,
                        owner,
                    })),
                )
            })
            .collect(),
    }
}

fn cached(t: TypeId) -> Option<&'static Cached> {
    macro_rules! table {
        ($owner:expr, $table:expr) => {{
            static C: OnceLock<Cached> = OnceLock::new();
            Some(C.get_or_init(|| build($owner, $table)))
        }};
    }
    match t {
        TypeId::List => table!("list", list::LIST_METHODS),
        TypeId::Tuple => table!("tuple", list::TUPLE_METHODS),
        TypeId::Dict => table!("dict", dict::METHODS),
        TypeId::Str => table!("str", strs::METHODS),
        TypeId::Set => table!("set", set::METHODS),
        TypeId::Int | TypeId::Bool => table!("int", misc::INT_METHODS),
        TypeId::Float => table!("float", misc::FLOAT_METHODS),
        TypeId::Exc(_) => table!("BaseException", misc::EXC_METHODS),
        // A classmethod: it takes no receiver.
        TypeId::StackSummary => table!(
            "StackSummary",
            &[(
                "from_list",
                crate::stdlib::traceback::stack_summary_from_list as NativeFn
            )]
        ),
        _ => None,
    }
}

/// The cached unbound builtin method `name` of type `t` (bool has int's methods, every
/// exception type has BaseException's).
pub fn lookup_method(t: TypeId, name: &str) -> Option<Value> {
    let c = cached(t)?;
    c.methods
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone())
}

/// Names of the methods of `t` (for `dir()` and suggestions).
pub fn method_names(t: TypeId) -> Vec<&'static str> {
    cached(t).map_or_else(Vec::new, |c| c.methods.iter().map(|(n, _)| *n).collect())
}

/// The TypeError for a method called on the wrong kind of receiver.
pub(crate) fn bad_receiver(owner: &str, name: &str, recv: Option<&Value>) -> PyErr {
    match recv {
        Some(v) => err::type_error(format!(
            "descriptor '{name}' for '{owner}' objects doesn't apply to a '{}' object",
            v.py_type().name()
        )),
        None => err::type_error(format!("unbound method {owner}.{name}() needs an argument")),
    }
}
