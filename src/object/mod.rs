//! The object model of the language subset.
//!
//! A [`Value`] is one tagged word; everything that does not fit in a word is an [`Object`] on the
//! heap, shared through biased reference counts ([`rc`]). There are no user classes in the subset, so the set of object
//! kinds is closed: this enum. Kinds that belong to higher layers (frame objects, tracebacks, the
//! `f_locals` proxy, `traceback.FrameSummary`, file objects) are [`Object::Native`] trait objects, so
//! this layer knows nothing of frames or the interpreter.
//!
//! Invariants:
//! - every mutable part of an object is behind a lock (a `parking_lot::Mutex`, or for the
//!   state taken many times over, a list's items, a dict's map, a generator's frame, a
//!   [`lock::SpinMutex`]), or is one atomic word (no GIL: threads share objects); a lock on an
//!   object is never held while calling anything that can run Python code, wait for another
//!   thread, or lock another object of the same kind (containers copy what they need out
//!   first);
//! - ints that fit `value::SMALL_MIN`..=`value::SMALL_MAX` are never `Object::Int`.

pub(crate) mod alloc;
pub(crate) mod attr_cache;
pub(crate) mod cycles;
pub(crate) mod dict;
pub(crate) mod dict_lock;
pub(crate) mod exc;
pub(crate) mod iters;
pub mod lock;
pub(crate) mod name_cache;
pub(crate) mod native_box;
pub(crate) mod ops;
pub mod rc;
pub(crate) mod str;
pub(crate) mod types;
pub(crate) mod value;

use crate::code::CodeObject;
use crate::thread::ThreadState;
use parking_lot::Mutex;
use std::any::Any;
use std::sync::atomic::{AtomicU32, AtomicUsize};
use std::sync::Arc;

pub use attr_cache::{AttrCache, AttrGetter};
pub use dict::{Dict, HashKey, KeyRef, SetTable, StrKey};
pub use dict_lock::{DictLock, DictRead, DictWrite};
pub use exc::{ExcKind, PyErr, PyResult};
pub use native_box::NativeBox;
pub use str::{intern, PyStr};
pub use types::TypeId;
pub use value::{Value, NULL_BITS};

/// Keyword arguments of a call: `(name, value)` pairs, names are `str` values.
pub type KwArgs<'a> = &'a [(Value, Value)];

/// A function implemented in Rust. For methods, `args[0]` is the receiver.
pub type NativeFn = fn(&mut ThreadState, &[Value], KwArgs) -> PyResult<Value>;

/// A heap object.
///
/// 64 bytes (a tag and a 56-byte payload), so that with its counts (`rc::RcBox`) it fills an 80-byte
/// allocation: a traceback entry per unwound frame, a float, a short str. Kinds whose natural
/// layout is larger box their cold or bulky parts (a dict's map, a function's names, an
/// exception's extra attributes); the assertion below keeps it so. 16-byte aligned because a
/// shadow frame tags pointers to frame objects with 4 low bits.
#[repr(align(16))]
pub enum Object {
    /// An int outside the small range (always normalized: never fits a small int).
    Int(num_bigint::BigInt),
    /// A float.
    Float(f64),
    /// A str.
    Str(PyStr),
    /// A tuple.
    Tuple(Box<[Value]>),
    /// A list.
    List(lock::SpinMutex<Vec<Value>>),
    /// A dict (insertion ordered).
    Dict(DictLock),
    /// A set (CPython's hash table, so it iterates in CPython's order).
    Set(Mutex<SetTable>),
    /// `range(start, stop, step)`.
    Range(Range),
    /// `slice(start, stop, step)` (each `None` or an int).
    Slice(Value, Value, Value),
    /// A Python function.
    Function(Function),
    /// A Rust function or a method bound to its receiver.
    Builtin(Builtin),
    /// A type object (`int`, `ValueError`, ...).
    Type(TypeId),
    /// An exception instance.
    Exception(exc::Exception),
    /// A code object.
    Code(Arc<CodeObject>),
    /// A module.
    Module(Module),
    /// An iterator over a builtin container or a builtin lazy sequence.
    Iter(Mutex<ops::IterState>),
    /// An iterator over a range (lock-free: the `for i in range(n)` of every loop).
    RangeIter(iters::RangeIter),
    /// An iterator over a list or a tuple (lock-free, as `RangeIter`).
    SeqIter(iters::SeqIter),
    /// An object of a higher layer (frames, tracebacks, proxies, file objects, ...).
    Native(NativeBox),
}

const _: () = assert!(std::mem::size_of::<Object>() == 64);

/// `range` objects. The subset's ranges fit in i64.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    /// First value.
    pub start: i64,
    /// End (exclusive).
    pub stop: i64,
    /// Step (never 0).
    pub step: i64,
}

/// A Python function: code plus the environment it was defined in.
pub struct Function {
    /// Its code.
    pub code: Arc<CodeObject>,
    /// The globals dict of its module.
    pub globals: Value,
    /// Default values of the last `defaults.len()` positional parameters.
    pub defaults: Box<[Value]>,
    /// Its names, boxed: no call reads them, and inline they would make every `Object` larger.
    pub names: Box<FunctionNames>,
    /// Calls so far (the JIT's hotness counter).
    pub calls: AtomicU32,
    /// Entry of the compiled code, 0 when not compiled (owned by the JIT).
    pub jit_entry: AtomicUsize,
}

/// The names of a [`Function`].
pub struct FunctionNames {
    /// `__name__` (str).
    pub name: Value,
    /// `__qualname__` (str).
    pub qualname: Value,
    /// `__module__` (str).
    pub module: Value,
}

/// A builtin function, or a builtin method bound to its receiver.
pub struct Builtin {
    /// `__name__`.
    pub name: &'static str,
    /// The implementation.
    pub func: NativeFn,
    /// The receiver a method is bound to (passed as `args[0]`).
    pub bound: Option<Value>,
    /// The module (`"builtins"`, `"sys"`, ...) or type name (`"list"`) it belongs to, for reprs.
    pub owner: &'static str,
}

/// A module: a name and its dict.
pub struct Module {
    /// `__name__`.
    pub name: Value,
    /// `__dict__`.
    pub dict: Value,
}

/// Objects of higher layers (frame objects, tracebacks, ...). Each answers for its own behaviour;
/// the default methods say "not supported", and the generic operations turn that into CPython's
/// TypeError/AttributeError.
pub trait NativeObject: Send + Sync + 'static {
    /// Its type.
    fn py_type(&self) -> TypeId;
    /// For downcasts.
    fn as_any(&self) -> &dyn Any;
    /// `getattr(this, name)`, `None` if it has no such attribute.
    fn getattr(
        &self,
        _this: &Value,
        _ts: &mut ThreadState,
        _name: &str,
    ) -> Option<PyResult<Value>> {
        None
    }
    /// The getter of attribute `name`, if the type has one that answers exactly as `getattr`
    /// does (then loads of the name may cache it by type and call it directly: see
    /// [`AttrCache`]). Types with getters answer `getattr` through them.
    fn attr_getter(&self, _name: &str) -> Option<AttrGetter> {
        None
    }
    /// Is the getter of `name` a *leaf*: it runs no Python code, observes no frame (so compiled
    /// code may call it without publishing its call site for stack walks), and answers the
    /// same when called again (so a caller may retry it on the general path)? A traceback's
    /// `tb_next` is; `tb_frame`, which materializes frames, is not.
    fn leaf_getter(&self, _name: &str) -> bool {
        false
    }
    /// `setattr(this, name, value)`, `None` if it has no such writable attribute.
    fn setattr(&self, _ts: &mut ThreadState, _name: &str, _value: &Value) -> Option<PyResult<()>> {
        None
    }
    /// `repr(this)`.
    fn repr(&self, this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!(
            "<{} object at {:#x}>",
            self.py_type().name(),
            this.id()
        ))
    }
    /// Mapping/sequence protocol: `this[key]`, `None` if unsupported.
    fn getitem(&self, _ts: &mut ThreadState, _key: &Value) -> Option<PyResult<Value>> {
        None
    }
    /// `this[key] = value`, `None` if unsupported.
    fn setitem(&self, _ts: &mut ThreadState, _key: &Value, _value: &Value) -> Option<PyResult<()>> {
        None
    }
    /// `del this[key]`, `None` if unsupported.
    fn delitem(&self, _ts: &mut ThreadState, _key: &Value) -> Option<PyResult<()>> {
        None
    }
    /// `len(this)`, `None` if unsupported.
    fn len(&self, _ts: &mut ThreadState) -> Option<PyResult<usize>> {
        None
    }
    /// `key in this`, `None` if unsupported.
    fn contains(&self, _ts: &mut ThreadState, _key: &Value) -> Option<PyResult<bool>> {
        None
    }
    /// `iter(this)`: a snapshot list of items to iterate, `None` if not iterable.
    fn iter_items(&self, _ts: &mut ThreadState) -> Option<PyResult<Vec<Value>>> {
        None
    }
    /// Is this object its own iterator (a generator, ...)? Then `iter(this)` is `this` and
    /// `next(this)` calls [`NativeObject::iter_next`].
    fn is_iterator(&self) -> bool {
        false
    }
    /// `next(this)` for native iterators: the next item, `Ok(None)` when exhausted.
    fn iter_next(&self, _this: &Value, _ts: &mut ThreadState) -> PyResult<Option<Value>> {
        Ok(None)
    }
    /// Can dropping this object run Python code or report something (a generator suspended
    /// in a `try`, a coroutine that never ran)? Then its counts are shared from the start
    /// (`rc::alloc_with`): the thread that releases it last frees it, at that instruction.
    fn drop_runs_code(&self) -> bool {
        false
    }
    /// Reports each strong reference this object holds, once (`cycles`). The default reports
    /// none: the collector then counts what the object holds as referenced from outside, which
    /// can leave garbage behind but never frees a live object.
    fn traverse(&self, _visit: &mut dyn FnMut(cycles::Edge<'_>)) {}
    /// Detaches the references that can close a cycle into `graveyard` (the object is cyclic
    /// garbage, about to be freed). The default detaches nothing.
    fn clear_refs(&self, _graveyard: &mut cycles::Graveyard) {}
}

impl Object {
    /// Can this object hold references to other objects (so be part of a cycle)?
    pub fn can_hold_references(&self) -> bool {
        !matches!(
            self,
            Object::Int(_)
                | Object::Float(_)
                | Object::Str(_)
                | Object::Range(_)
                | Object::RangeIter(_)
                | Object::Type(_)
                | Object::Code(_)
        )
    }

    /// Reports each strong reference this object holds, once (for `cycles`). Code objects
    /// report none: their constants are immutable and can close no cycle.
    pub fn traverse(&self, visit: &mut dyn FnMut(cycles::Edge<'_>)) {
        let mut each = |v: &Value| visit(cycles::Edge::Value(v));
        match self {
            Object::Tuple(items) => items.iter().for_each(each),
            Object::List(l) => l.lock().iter().for_each(each),
            Object::Dict(d) => {
                for (k, v) in d.read().iter() {
                    each(&k.key);
                    each(v);
                }
            }
            Object::Set(s) => s.lock().iter().for_each(each),
            Object::Slice(a, b, c) => [a, b, c].into_iter().for_each(each),
            Object::Function(f) => {
                each(&f.globals);
                f.defaults.iter().for_each(&mut each);
                [&f.names.name, &f.names.qualname, &f.names.module]
                    .into_iter()
                    .for_each(each);
            }
            Object::Builtin(b) => b.bound.iter().for_each(each),
            Object::Exception(e) => {
                each(&e.args);
                let st = e.state.lock();
                [&st.traceback, &st.context, &st.cause]
                    .into_iter()
                    .for_each(&mut each);
                st.attrs.iter().for_each(|(_, v)| each(v));
            }
            Object::Module(m) => [&m.name, &m.dict].into_iter().for_each(each),
            Object::Iter(it) => it.lock().traverse(&mut each),
            // Immutable: a cycle through it passes through its list, which the collector
            // clears.
            Object::SeqIter(it) => each(it.seq()),
            Object::Native(n) => n.traverse(visit),
            Object::Int(_)
            | Object::Float(_)
            | Object::Str(_)
            | Object::Range(_)
            | Object::RangeIter(_)
            | Object::Type(_)
            | Object::Code(_) => {}
        }
    }

    /// Detaches the references of this (cyclic garbage) object that can close a cycle, into
    /// `graveyard`: the mutable containers' contents. Immutable parts (a tuple's items, a
    /// function's globals) cannot close a cycle without a mutable object on it.
    pub fn clear_refs(&self, graveyard: &mut cycles::Graveyard) {
        match self {
            Object::List(l) => graveyard.bury(std::mem::take(&mut *l.lock())),
            Object::Dict(d) => graveyard.bury(std::mem::take(&mut *d.lock())),
            Object::Set(s) => graveyard.bury(std::mem::take(&mut *s.lock())),
            Object::Exception(e) => {
                let mut st = e.state.lock();
                graveyard.bury(std::mem::take(&mut st.traceback));
                graveyard.bury(std::mem::take(&mut st.context));
                graveyard.bury(std::mem::take(&mut st.cause));
                graveyard.bury(std::mem::take(&mut st.attrs));
            }
            Object::Iter(it) => graveyard.bury(std::mem::replace(
                &mut *it.lock(),
                ops::IterState::Exhausted,
            )),
            Object::Native(n) => n.clear_refs(graveyard),
            _ => {}
        }
    }

    /// Short name of the kind (for debugging output only).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Object::Int(_) => "int",
            Object::Float(_) => "float",
            Object::Str(_) => "str",
            Object::Tuple(_) => "tuple",
            Object::List(_) => "list",
            Object::Dict(_) => "dict",
            Object::Set(_) => "set",
            Object::Range(_) => "range",
            Object::Slice(..) => "slice",
            Object::Function(_) => "function",
            Object::Builtin(_) => "builtin_function_or_method",
            Object::Type(_) => "type",
            Object::Exception(_) => "exception",
            Object::Code(_) => "code",
            Object::Module(_) => "module",
            Object::Iter(_) | Object::RangeIter(_) | Object::SeqIter(_) => "iterator",
            Object::Native(n) => n.py_type().name(),
        }
    }
}

/// The Python value of a code object: the same object for as long as anyone holds it.
pub fn code_value(code: &Arc<CodeObject>) -> Value {
    let mut handle = code.handle.lock();
    if let Some(v) = handle.as_ref().and_then(Value::upgrade) {
        return v;
    }
    let v = Value::from_object(Object::Code(code.clone()));
    *handle = v.downgrade();
    v
}

impl Value {
    /// A new str.
    pub fn str(s: &str) -> Value {
        Value::from_object(Object::Str(PyStr::new(s)))
    }

    /// The interned str `s` (for identifiers: one object per spelling, see [`str::intern`]).
    pub fn interned(s: &str) -> Value {
        str::intern(s)
    }

    /// A new str from an owned `String`.
    pub fn string(s: String) -> Value {
        Value::from_object(Object::Str(PyStr::from_string(s)))
    }

    /// A new tuple.
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::from_object(Object::Tuple(items.into_boxed_slice()))
    }

    /// A new list.
    pub fn list(items: Vec<Value>) -> Value {
        Value::from_object(Object::List(lock::SpinMutex::new(items)))
    }

    /// A new empty dict.
    pub fn dict() -> Value {
        Value::from_object(Object::Dict(DictLock::new(Dict::default())))
    }

    /// A higher-layer object.
    pub fn native(obj: impl NativeObject) -> Value {
        // Built in its allocation, not moved there: a traceback entry per frame read.
        Value::new_in_place(obj.drop_runs_code(), || Object::Native(NativeBox::new(obj)))
    }

    /// The str, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self.obj() {
            Some(Object::Str(s)) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The `PyStr`, if this is a str.
    pub fn as_pystr(&self) -> Option<&PyStr> {
        match self.obj() {
            Some(Object::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The tuple items, if this is a tuple.
    pub fn as_tuple(&self) -> Option<&[Value]> {
        match self.obj() {
            Some(Object::Tuple(t)) => Some(t),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_list(&self) -> Option<&lock::SpinMutex<Vec<Value>>> {
        match self.obj() {
            Some(Object::List(l)) => Some(l),
            _ => None,
        }
    }

    /// The dict, if this is one.
    pub fn as_dict(&self) -> Option<&DictLock> {
        match self.obj() {
            Some(Object::Dict(d)) => Some(d),
            _ => None,
        }
    }

    /// The function, if this is one.
    pub fn as_function(&self) -> Option<&Function> {
        match self.obj() {
            Some(Object::Function(f)) => Some(f),
            _ => None,
        }
    }

    /// The exception, if this is one.
    pub fn as_exception(&self) -> Option<&exc::Exception> {
        match self.obj() {
            Some(Object::Exception(e)) => Some(e),
            _ => None,
        }
    }

    /// The code object, if this is one.
    pub fn as_code(&self) -> Option<&Arc<CodeObject>> {
        match self.obj() {
            Some(Object::Code(c)) => Some(c),
            _ => None,
        }
    }

    /// The higher-layer object of type `T`, if this is one.
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        match self.obj() {
            Some(Object::Native(n)) => n.downcast_ref::<T>(),
            _ => None,
        }
    }
}

/// `repr(v)`, as Python's builtin computes it (a `__repr__` that raises gives the error).
///
/// ```
/// use shadowframe::object::{repr, Value};
/// use shadowframe::thread::ThreadState;
///
/// let mut ts = ThreadState::new();
/// let v = Value::list(vec![Value::int(1), Value::str("a"), Value::NONE]);
/// assert_eq!(repr(&mut ts, &v).unwrap(), "[1, 'a', None]");
/// ```
pub fn repr(ts: &mut ThreadState, v: &Value) -> PyResult<String> {
    ops::repr(ts, v)
}
