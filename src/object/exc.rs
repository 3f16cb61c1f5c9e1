//! Exceptions: the builtin exception hierarchy, exception instances, and `PyErr`, the error side
//! of every fallible operation.
//!
//! The subset has no classes, so every exception type is one of [`ExcKind`]; the hierarchy is
//! CPython's. An instance carries `args` and the mutable chaining state (`__traceback__`,
//! `__context__`, `__cause__`, extra attributes) behind a lock, and `__suppress_context__` in an
//! atomic flag written under that lock. Each part is laid out to keep an [`Exception`] within the
//! 56 bytes of an `Object`'s payload: its rarely set extra attributes are boxed.

use super::{Object, TypeId, Value};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Result of a fallible operation: the error is a raised exception.
pub type PyResult<T> = Result<T, PyErr>;

macro_rules! exc_kinds {
    ($($kind:ident : $base:expr),* $(,)?) => {
        /// Builtin exception types, as in CPython 3.13.
        #[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
        pub enum ExcKind { $(#[doc = concat!("`", stringify!($kind), "`.")] $kind),* }

        impl ExcKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [ExcKind] = &[$(ExcKind::$kind),*];

            /// `__name__`.
            pub fn name(self) -> &'static str {
                match self { $(ExcKind::$kind => stringify!($kind)),* }
            }

            /// The base class (`None` for `BaseException`).
            pub fn base(self) -> Option<ExcKind> {
                match self { $(ExcKind::$kind => $base),* }
            }
        }
    };
}

use ExcKind as K;
exc_kinds! {
    BaseException: None,
    SystemExit: Some(K::BaseException),
    KeyboardInterrupt: Some(K::BaseException),
    GeneratorExit: Some(K::BaseException),
    Exception: Some(K::BaseException),
    StopIteration: Some(K::Exception),
    StopAsyncIteration: Some(K::Exception),
    ArithmeticError: Some(K::Exception),
    OverflowError: Some(K::ArithmeticError),
    ZeroDivisionError: Some(K::ArithmeticError),
    AssertionError: Some(K::Exception),
    AttributeError: Some(K::Exception),
    BufferError: Some(K::Exception),
    EOFError: Some(K::Exception),
    ImportError: Some(K::Exception),
    ModuleNotFoundError: Some(K::ImportError),
    LookupError: Some(K::Exception),
    IndexError: Some(K::LookupError),
    KeyError: Some(K::LookupError),
    MemoryError: Some(K::Exception),
    NameError: Some(K::Exception),
    UnboundLocalError: Some(K::NameError),
    OSError: Some(K::Exception),
    FileNotFoundError: Some(K::OSError),
    ReferenceError: Some(K::Exception),
    RuntimeError: Some(K::Exception),
    NotImplementedError: Some(K::RuntimeError),
    RecursionError: Some(K::RuntimeError),
    SyntaxError: Some(K::Exception),
    IndentationError: Some(K::SyntaxError),
    SystemError: Some(K::Exception),
    TypeError: Some(K::Exception),
    ValueError: Some(K::Exception),
    UnicodeError: Some(K::ValueError),
    UnicodeDecodeError: Some(K::UnicodeError),
    Warning: Some(K::Exception),
}

impl ExcKind {
    /// Is `self` the same as or a subclass of `other`?
    pub fn is_subclass(self, other: ExcKind) -> bool {
        let mut k = Some(self);
        while let Some(kind) = k {
            if kind == other {
                return true;
            }
            k = kind.base();
        }
        false
    }

    /// The kind named `name`, if it is a builtin exception.
    pub fn from_name(name: &str) -> Option<ExcKind> {
        ExcKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// Mutable state of an exception instance.
#[derive(Default)]
pub struct ExcState {
    /// `__traceback__`: `None` or a traceback object.
    pub traceback: Value,
    /// `__context__`: `None` or an exception.
    pub context: Value,
    /// `__cause__`: `None` or an exception.
    pub cause: Value,
    /// Extra attributes some kinds carry (`name` of NameError/AttributeError, `obj`, SyntaxError's
    /// `filename`/`lineno`/`offset`/`text`/`end_lineno`/`end_offset`/`msg`, ...).
    pub attrs: ExcAttrs,
}

/// The extra attributes of an exception: most have none, so they cost one word until set.
// A boxed `Vec` on purpose: one word in the exception, where a `Vec` would take three.
#[allow(clippy::box_collection)]
#[derive(Default)]
pub struct ExcAttrs(Option<Box<Vec<(&'static str, Value)>>>);

impl ExcAttrs {
    /// The attributes, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Value)> {
        self.0.iter().flat_map(|v| v.iter())
    }

    /// Sets `name` to `value`, replacing an earlier value.
    fn set(&mut self, name: &'static str, value: Value) {
        let attrs = self.0.get_or_insert_with(Box::default);
        match attrs.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => attrs.push((name, value)),
        }
    }
}

/// An exception instance.
pub struct Exception {
    /// Its type.
    pub kind: ExcKind,
    /// `__suppress_context__`. Written only with `state` locked, so that a reader holding the
    /// lock sees it together with the `__cause__` set in the same critical section (`raise ...
    /// from`, which sets both); a reader without the lock sees some value once written.
    suppress_context: AtomicBool,
    /// `args` (a tuple).
    pub args: Value,
    /// Chaining state and attributes.
    pub state: Mutex<ExcState>,
}

impl Exception {
    /// The value of an extra attribute, if set.
    pub fn attr(&self, name: &str) -> Option<Value> {
        self.state
            .lock()
            .attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    /// Sets an extra attribute.
    pub fn set_attr(&self, name: &'static str, value: Value) {
        self.state.lock().attrs.set(name, value);
    }

    /// `__suppress_context__`.
    pub fn suppress_context(&self) -> bool {
        // Relaxed: the lock `state` (held by writers, and by readers that need the flag
        // consistent with `__cause__`) orders it with the rest of the state.
        self.suppress_context.load(Ordering::Relaxed)
    }

    /// Sets `__suppress_context__`; `st` is this exception's locked state (see the field).
    pub fn set_suppress_context(&self, st: &mut ExcState, suppress: bool) {
        debug_assert!(std::ptr::eq(st, self.state.data_ptr()));
        self.suppress_context.store(suppress, Ordering::Relaxed);
    }
}

/// A raised exception: always holds an exception instance.
#[derive(Clone, Debug)]
pub struct PyErr(Value);

impl PyErr {
    /// A new exception of `kind` with one str argument.
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> PyErr {
        PyErr(new_exception(kind, vec![Value::string(msg.into())]))
    }

    /// A new exception of `kind` with the given args.
    pub fn with_args(kind: ExcKind, args: Vec<Value>) -> PyErr {
        PyErr(new_exception(kind, args))
    }

    /// Wraps an existing exception instance.
    ///
    /// Panics (a bug in the caller) if `value` is not an exception.
    pub fn from_value(value: Value) -> PyErr {
        assert!(
            value.as_exception().is_some(),
            "PyErr must hold an exception instance"
        );
        PyErr(value)
    }

    /// The exception instance.
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Unwraps the exception instance.
    pub fn into_value(self) -> Value {
        self.0
    }

    /// The exception's data.
    pub fn exception(&self) -> &Exception {
        self.0.as_exception().expect("PyErr holds an exception")
    }

    /// Its kind.
    pub fn kind(&self) -> ExcKind {
        self.exception().kind
    }

    /// Does it match `except kind`?
    pub fn matches(&self, kind: ExcKind) -> bool {
        self.kind().is_subclass(kind)
    }
}

/// A new exception instance.
pub fn new_exception(kind: ExcKind, args: Vec<Value>) -> Value {
    Value::from_object(Object::Exception(Exception {
        kind,
        suppress_context: AtomicBool::new(false),
        args: Value::tuple(args),
        state: Mutex::new(ExcState::default()),
    }))
}

impl From<ExcKind> for TypeId {
    fn from(k: ExcKind) -> TypeId {
        TypeId::Exc(k)
    }
}

/// Shorthand constructors for the most common errors.
pub mod err {
    use super::{ExcKind, PyErr};

    /// `TypeError(msg)`.
    pub fn type_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::TypeError, msg)
    }
    /// `ValueError(msg)`.
    pub fn value_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::ValueError, msg)
    }
    /// `IndexError(msg)`.
    pub fn index_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::IndexError, msg)
    }
    /// `RuntimeError(msg)`.
    pub fn runtime_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::RuntimeError, msg)
    }
    /// `SystemError(msg)` (an internal error of the runtime, reported instead of a panic).
    pub fn system_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::SystemError, msg)
    }
    /// `AttributeError(msg)`.
    pub fn attribute_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::AttributeError, msg)
    }
    /// `ZeroDivisionError(msg)`.
    pub fn zero_division(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::ZeroDivisionError, msg)
    }
    /// `OverflowError(msg)`.
    pub fn overflow(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::OverflowError, msg)
    }
    /// `MemoryError()`.
    pub fn memory_error() -> PyErr {
        PyErr::with_args(ExcKind::MemoryError, vec![])
    }
}
