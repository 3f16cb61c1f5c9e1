//! Builtin types: `TypeId` names each one; `type_object` gives the (unique, immortal) type object
//! value for it, so `type(x) is int` is a word comparison.

use super::{ExcKind, Object, Value};
use std::sync::OnceLock;

/// A builtin type.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
pub enum TypeId {
    /// `object`
    Object,
    /// `type`
    Type,
    /// `NoneType`
    NoneType,
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `float`
    Float,
    /// `str`
    Str,
    /// `tuple`
    Tuple,
    /// `list`
    List,
    /// `dict`
    Dict,
    /// `set`
    Set,
    /// `range`
    Range,
    /// `slice`
    Slice,
    /// `function`
    Function,
    /// `builtin_function_or_method`
    Builtin,
    /// `module`
    Module,
    /// `code`
    Code,
    /// `frame`
    Frame,
    /// `traceback`
    Traceback,
    /// `FrameLocalsProxy`
    FrameLocalsProxy,
    /// iterators of builtin containers (`list_iterator`, ...; one type here)
    Iterator,
    /// `dict_keys` / `dict_values` / `dict_items`
    DictView,
    /// `traceback.FrameSummary`
    FrameSummary,
    /// `traceback.StackSummary`
    StackSummary,
    /// `_io.TextIOWrapper` (sys.stdout, sys.stderr)
    TextIO,
    /// `generator`
    Generator,
    /// `coroutine`
    Coroutine,
    /// `_thread.lock` and other runtime objects without a type of their own
    Other(&'static str),
    /// An exception type.
    Exc(ExcKind),
}

impl TypeId {
    /// `__name__`.
    pub fn name(self) -> &'static str {
        match self {
            TypeId::Object => "object",
            TypeId::Type => "type",
            TypeId::NoneType => "NoneType",
            TypeId::Bool => "bool",
            TypeId::Int => "int",
            TypeId::Float => "float",
            TypeId::Str => "str",
            TypeId::Tuple => "tuple",
            TypeId::List => "list",
            TypeId::Dict => "dict",
            TypeId::Set => "set",
            TypeId::Range => "range",
            TypeId::Slice => "slice",
            TypeId::Function => "function",
            TypeId::Builtin => "builtin_function_or_method",
            TypeId::Module => "module",
            TypeId::Code => "code",
            TypeId::Frame => "frame",
            TypeId::Traceback => "traceback",
            TypeId::FrameLocalsProxy => "FrameLocalsProxy",
            TypeId::Iterator => "iterator",
            TypeId::DictView => "dict_view",
            TypeId::FrameSummary => "FrameSummary",
            TypeId::StackSummary => "StackSummary",
            TypeId::TextIO => "TextIOWrapper",
            TypeId::Generator => "generator",
            TypeId::Coroutine => "coroutine",
            TypeId::Other(name) => name,
            TypeId::Exc(k) => k.name(),
        }
    }

    /// The base type (`None` for `object`).
    pub fn base(self) -> Option<TypeId> {
        match self {
            TypeId::Object => None,
            TypeId::Bool => Some(TypeId::Int),
            TypeId::Exc(k) => Some(k.base().map_or(TypeId::Object, TypeId::Exc)),
            _ => Some(TypeId::Object),
        }
    }

    /// Is `self` the same as or a subtype of `other`?
    pub fn is_subtype(self, other: TypeId) -> bool {
        let mut t = Some(self);
        while let Some(ty) = t {
            if ty == other {
                return true;
            }
            t = ty.base();
        }
        false
    }

    /// The type object for this type.
    pub fn object(self) -> Value {
        type_object(self)
    }
}

const FIXED: &[TypeId] = &[
    TypeId::Object,
    TypeId::Type,
    TypeId::NoneType,
    TypeId::Bool,
    TypeId::Int,
    TypeId::Float,
    TypeId::Str,
    TypeId::Tuple,
    TypeId::List,
    TypeId::Dict,
    TypeId::Set,
    TypeId::Range,
    TypeId::Slice,
    TypeId::Function,
    TypeId::Builtin,
    TypeId::Module,
    TypeId::Code,
    TypeId::Frame,
    TypeId::Traceback,
    TypeId::FrameLocalsProxy,
    TypeId::Iterator,
    TypeId::DictView,
    TypeId::FrameSummary,
    TypeId::StackSummary,
    TypeId::TextIO,
    TypeId::Generator,
    TypeId::Coroutine,
];

struct Registry {
    fixed: Vec<Value>,
    exc: Vec<Value>,
}

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry {
        fixed: FIXED
            .iter()
            .map(|&t| Value::from_object(Object::Type(t)))
            .collect(),
        exc: ExcKind::ALL
            .iter()
            .map(|&k| Value::from_object(Object::Type(TypeId::Exc(k))))
            .collect(),
    })
}

/// The unique type object of `t`. Types named `Other` get a fresh object per call (they are only
/// ever printed, never compared).
pub fn type_object(t: TypeId) -> Value {
    let reg = registry();
    match t {
        TypeId::Exc(k) => reg.exc[k as usize].clone(),
        TypeId::Other(_) => Value::from_object(Object::Type(t)),
        _ => {
            let i = FIXED
                .iter()
                .position(|&f| f == t)
                .expect("every fixed type is registered");
            reg.fixed[i].clone()
        }
    }
}

impl Value {
    /// The type of this value.
    pub fn py_type(&self) -> TypeId {
        if self.is_small() {
            return TypeId::Int;
        }
        if self.is_none() {
            return TypeId::NoneType;
        }
        if self.as_bool().is_some() {
            return TypeId::Bool;
        }
        match self.obj().expect("heap value") {
            Object::Int(_) => TypeId::Int,
            Object::Float(_) => TypeId::Float,
            Object::Str(_) => TypeId::Str,
            Object::Tuple(_) => TypeId::Tuple,
            Object::List(_) => TypeId::List,
            Object::Dict(_) => TypeId::Dict,
            Object::Set(_) => TypeId::Set,
            Object::Range(_) => TypeId::Range,
            Object::Slice(..) => TypeId::Slice,
            Object::Function(_) => TypeId::Function,
            // An unbound method of a builtin type is a `method_descriptor`.
            Object::Builtin(b)
                if b.bound.is_none() && !super::ops::repr::is_module_owner(b.owner) =>
            {
                TypeId::Other("method_descriptor")
            }
            Object::Builtin(_) => TypeId::Builtin,
            Object::Type(_) => TypeId::Type,
            Object::Exception(e) => TypeId::Exc(e.kind),
            Object::Code(_) => TypeId::Code,
            Object::Module(_) => TypeId::Module,
            // `list_iterator`, `zip`, ... (the generic type if another thread holds it now).
            Object::Iter(it) => it
                .try_lock()
                .map_or(TypeId::Iterator, |g| TypeId::Other(g.type_name())),
            Object::RangeIter(_) => TypeId::Other("range_iterator"),
            Object::SeqIter(it) => TypeId::Other(it.type_name()),
            Object::Native(n) => n.py_type(),
        }
    }

    /// The type object of this value (`type(v)`).
    pub fn type_object(&self) -> Value {
        type_object(self.py_type())
    }

    /// The type, if this value is a type object.
    pub fn as_type(&self) -> Option<TypeId> {
        match self.obj() {
            Some(Object::Type(t)) => Some(*t),
            _ => None,
        }
    }
}
