//! `Value`: one tagged machine word.
//!
//! Encoding, by the low bits of the word:
//!
//! | bits   | meaning                                                              |
//! |--------|----------------------------------------------------------------------|
//! | `...1` | small int `i`, stored as `(i << 1) | 1`; `i` fits in 63 signed bits   |
//! | `..10` | immediate constant: `None` = `0b0010`, `False` = `0b0110`, `True` = `0b1010` |
//! | `..00` | pointer to a heap [`Object`], owning one strong reference (`rc`)      |
//!
//! Invariants: an int that fits the small range is always small (never a heap `BigInt`), so
//! equality of small ints is equality of words; a heap pointer is never null; `Clone` adds one
//! strong reference and `Drop` releases one (biased counts: `super::rc`), so a `Value` is an
//! `Option<Rc<Object>>` that any thread may use, with ints and constants packed in. JIT code
//! relies on this encoding (see `asm/README.md`).

use super::rc::{self, WeakRef};
use super::Object;
use std::fmt;
use std::mem::ManuallyDrop;

/// One Python value in one machine word.
#[repr(transparent)]
pub struct Value(usize);

// SAFETY: a Value is either plain data or a strong reference counted by `rc`, whose counts any
// thread may change, and `Object` is `Send + Sync` (every mutable part of it is behind a lock).
unsafe impl Send for Value {}
// SAFETY: as above.
unsafe impl Sync for Value {}

/// Smallest int stored inline.
pub const SMALL_MIN: i64 = -(1 << 62);
/// Largest int stored inline.
pub const SMALL_MAX: i64 = (1 << 62) - 1;

/// Raw word of `None`.
pub const NONE_BITS: usize = 0b0010;
/// Raw word of `False`.
pub const FALSE_BITS: usize = 0b0110;
/// Raw word of `True`.
pub const TRUE_BITS: usize = 0b1010;
/// Raw word of the NULL marker (never visible to Python code: "no self" in method calls).
pub const NULL_BITS: usize = 0b1110;

impl Value {
    /// `None`.
    pub const NONE: Value = Value(NONE_BITS);
    /// `False`.
    pub const FALSE: Value = Value(FALSE_BITS);
    /// `True`.
    pub const TRUE: Value = Value(TRUE_BITS);
    /// The NULL marker of `LoadMethod` ("no receiver"); never reaches Python code.
    pub const NULL: Value = Value(NULL_BITS);

    /// The raw word (for JIT code and tagged comparisons).
    #[inline(always)]
    pub fn bits(&self) -> usize {
        self.0
    }

    /// Rebuilds a value from a raw word that owns a reference (the inverse of [`Value::into_bits`]).
    ///
    /// # Safety
    /// `bits` must come from `into_bits` (or be an immediate), and its reference must not be used
    /// again by anyone else.
    #[inline(always)]
    pub unsafe fn from_bits(bits: usize) -> Value {
        Value(bits)
    }

    /// Gives up ownership as a raw word (the reference travels with the word).
    #[inline(always)]
    pub fn into_bits(self) -> usize {
        ManuallyDrop::new(self).0
    }

    /// A small int, or `None` if `i` does not fit (use [`Value::int`] for any i64).
    #[inline(always)]
    pub fn small(i: i64) -> Option<Value> {
        if (SMALL_MIN..=SMALL_MAX).contains(&i) {
            Some(Value(((i << 1) | 1) as usize))
        } else {
            None
        }
    }

    /// Any `i64` as an int value.
    #[inline]
    pub fn int(i: i64) -> Value {
        match Value::small(i) {
            Some(v) => v,
            None => Value::from_object(Object::Int(num_bigint::BigInt::from(i))),
        }
    }

    /// A boolean.
    #[inline(always)]
    pub fn bool(b: bool) -> Value {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    /// Moves an object to the heap.
    pub fn from_object(obj: Object) -> Value {
        Value::new_in_place(false, || obj)
    }

    /// A heap object, the one `make` builds, written in its allocation; `shared` for an object
    /// whose drop can run code (see `rc::alloc_with`).
    #[inline(always)]
    pub fn new_in_place(shared: bool, make: impl FnOnce() -> Object) -> Value {
        let p = rc::alloc_with(shared, make).as_ptr() as usize;
        debug_assert!(p & 0b11 == 0);
        let v = Value(p);
        super::cycles::track(&v);
        v
    }

    /// Is this an inline small int?
    #[inline(always)]
    pub fn is_small(&self) -> bool {
        self.0 & 1 == 1
    }

    /// The inline small int, if this is one.
    #[inline(always)]
    pub fn as_small(&self) -> Option<i64> {
        if self.is_small() {
            Some((self.0 as i64) >> 1)
        } else {
            None
        }
    }

    /// Is this `None`?
    #[inline(always)]
    pub fn is_none(&self) -> bool {
        self.0 == NONE_BITS
    }

    /// Is this the NULL marker?
    #[inline(always)]
    pub fn is_null(&self) -> bool {
        self.0 == NULL_BITS
    }

    /// `Some(b)` if this is `True` or `False`.
    #[inline(always)]
    pub fn as_bool(&self) -> Option<bool> {
        match self.0 {
            TRUE_BITS => Some(true),
            FALSE_BITS => Some(false),
            _ => None,
        }
    }

    /// Is this a heap object?
    #[inline(always)]
    pub fn is_heap(&self) -> bool {
        self.0 & 0b11 == 0
    }

    /// The heap object, if this is one.
    #[inline(always)]
    pub fn obj(&self) -> Option<&Object> {
        if self.is_heap() {
            // SAFETY: a heap word is the address of a live object (`rc::alloc_with`) and this
            // value holds a strong reference to it for at least as long as the returned borrow.
            Some(unsafe { &*(self.0 as *const Object) })
        } else {
            None
        }
    }

    /// `is`: identity of objects, equality of immediates.
    #[inline(always)]
    pub fn is(&self, other: &Value) -> bool {
        self.0 == other.0
    }

    /// Strong count of the heap object (1 for immediates: they are never shared state). Exact
    /// while no other thread changes it.
    pub fn ref_count(&self) -> usize {
        if self.is_heap() {
            // SAFETY: this value holds a strong reference.
            unsafe { rc::strong_count(self.0 as *const Object) }
        } else {
            1
        }
    }

    /// Is this the only reference to its heap object (true for immediates)? May answer false
    /// for an object another live thread owns (see `rc::is_unique`): use it to take an object
    /// apart in place, never to decide what a program sees.
    pub fn is_unique(&self) -> bool {
        // SAFETY: this value holds a strong reference.
        !self.is_heap() || unsafe { rc::is_unique(self.0 as *const Object) }
    }

    /// Is this the only reference to its heap object, so that no other thread can reach the
    /// object while the caller holds it (true for immediates)? A cheap, conservative
    /// [`Value::is_unique`]: false for an object another thread owns or left behind.
    #[inline]
    pub fn is_exclusive(&self) -> bool {
        // SAFETY: this value holds a strong reference.
        !self.is_heap() || unsafe { rc::is_exclusive(self.0 as *const Object) }
    }

    /// Turns the heap object, which this value alone references (`rc::is_sole`), into `obj`
    /// in its allocation: what `iter(range(n))` does to a range that is gone once iterated.
    /// Only between objects that hold no references; `Err(obj)` if either does, or if the
    /// object is not this value's alone.
    pub fn replace_sole(&mut self, obj: Object) -> Result<(), Object> {
        let Some(old) = self.obj() else {
            return Err(obj);
        };
        // The cycle collector tracks objects that can hold references from their creation.
        if old.can_hold_references() || obj.can_hold_references() {
            return Err(obj);
        }
        // SAFETY: this value holds a strong reference.
        if !unsafe { rc::is_sole(self.0 as *const Object) } {
            return Err(obj);
        }
        // SAFETY: no other reference, strong or weak, exists and none can be made without
        // ours (`rc::is_sole`), which `&mut self` borrows: nothing reads the object while it is
        // replaced, and the old one, which holds no references, is dropped in place.
        unsafe { *(self.0 as *mut Object) = obj };
        Ok(())
    }

    /// A weak handle to the heap object (`None` for immediates, or if the object has too many
    /// weak handles already).
    pub fn downgrade(&self) -> Option<WeakRef> {
        if !self.is_heap() {
            return None;
        }
        // SAFETY: this value holds a strong reference.
        unsafe { WeakRef::new(self.0 as *const Object) }
    }

    /// The object behind a weak handle, if it is still alive. Out of line: the global-name
    /// caches' hits call it from the eval loop, which it would lengthen.
    #[inline(never)]
    pub fn upgrade(weak: &WeakRef) -> Option<Value> {
        let p = weak.as_ptr();
        // SAFETY: the weak handle keeps the allocation; a successful upgrade is a strong
        // reference, which the new value owns.
        unsafe { rc::try_incref(p).then(|| Value(p as usize)) }
    }

    /// Address of the heap object (for `id()` and identity maps), or the word itself.
    pub fn id(&self) -> usize {
        self.0
    }
}

impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        if self.is_heap() {
            // SAFETY: the word is a live object we hold a strong reference to.
            unsafe { rc::incref(self.0 as *const Object) };
        }
        Value(self.0)
    }
}

impl Drop for Value {
    #[inline(always)]
    fn drop(&mut self) {
        if self.is_heap() {
            // SAFETY: this value owns exactly one strong reference, released here once.
            unsafe { rc::decref(self.0 as *const Object) };
        }
    }
}

impl Default for Value {
    fn default() -> Value {
        Value::NONE
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.as_small() {
            return write!(f, "{i}");
        }
        match self.0 {
            NONE_BITS => f.write_str("None"),
            TRUE_BITS => f.write_str("True"),
            FALSE_BITS => f.write_str("False"),
            _ => write!(
                f,
                "<{} at {:#x}>",
                self.obj().map_or("?", |o| o.kind_name()),
                self.0
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_ints_round_trip() {
        for i in [0, 1, -1, SMALL_MIN, SMALL_MAX, 12345678901] {
            assert_eq!(Value::small(i).unwrap().as_small(), Some(i));
        }
        assert!(Value::small(SMALL_MAX + 1).is_none());
        assert!(Value::small(SMALL_MIN - 1).is_none());
    }

    #[test]
    fn immediates_are_distinct() {
        assert!(Value::NONE.is_none());
        assert_eq!(Value::TRUE.as_bool(), Some(true));
        assert_eq!(Value::FALSE.as_bool(), Some(false));
        assert!(!Value::NONE.is_small() && !Value::NONE.is_heap());
    }

    #[test]
    fn heap_counts() {
        let v = Value::from_object(Object::Float(1.5));
        assert_eq!(v.ref_count(), 1);
        let w = v.clone();
        assert_eq!(v.ref_count(), 2);
        drop(w);
        assert_eq!(v.ref_count(), 1);
    }
}
