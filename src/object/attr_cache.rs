//! [`AttrCache`]: what one attribute name's loads in a code object found on native objects (a
//! traceback's `tb_next`, a frame's `f_back`): the getter of the type they met, kept by the
//! type's key, so that the next load from an object of that type calls the getter directly,
//! past the generic lookup (the dispatch on the object's kind, the type's match on the name).
//!
//! A native type offers getters through [`NativeObject::attr_getter`](super::NativeObject::attr_getter),
//! and answers `getattr` through the same getters, so the cached path and the generic one
//! cannot disagree.
//!
//! Invariants: a cache is filled at most once (by the first load that meets a native type with
//! a getter for the name) and never changes after. The getter word is published before the key
//! word (release, paired with the reader's acquire of the key), so a reader that sees its
//! type's key sees that type's getter. Loads that meet other types take the generic lookup.

use super::ops::getattr_name;
use super::{Object, PyResult, Value};
use crate::thread::ThreadState;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A native type's getter for one attribute: `this.name`, for `this` of that type.
pub type AttrGetter = fn(this: &Value, ts: &mut ThreadState) -> PyResult<Value>;

/// The cache of one attribute name (see the module docs): each name has its own.
#[derive(Default)]
pub struct AttrCache {
    /// The type key ([`NativeBox::type_key`](super::NativeBox::type_key)) of the getter, 0
    /// while empty.
    key: AtomicUsize,
    /// The getter (an [`AttrGetter`]), 0 while empty.
    getter: AtomicUsize,
    /// Is the getter a leaf ([`NativeObject::leaf_getter`](super::NativeObject::leaf_getter))?
    /// Written with the getter, before the key. Compiled code reads it at [`LEAF`] to skip the
    /// leaf call where the site's getter is not one (a frame's `f_back`).
    leaf: AtomicBool,
}

/// Offset of the leaf flag in an [`AttrCache`] (a byte: 0 or 1).
pub const LEAF: i32 = std::mem::offset_of!(AttrCache, leaf) as i32;

impl AttrCache {
    /// `v.name` (`name` a str value), as `ops::getattr_name` answers it.
    #[inline]
    pub fn getattr(&self, ts: &mut ThreadState, v: &Value, name: &Value) -> PyResult<Value> {
        if let Some(Object::Native(n)) = v.obj() {
            let key = n.type_key();
            // Acquire: pairs with the release in `fill`, so the getter read next is this key's.
            if self.key.load(Ordering::Acquire) == key {
                // SAFETY: a nonzero key is published after its getter, an `AttrGetter`'s
                // address (`fill`), and neither changes again.
                let getter: AttrGetter = unsafe {
                    std::mem::transmute::<usize, AttrGetter>(self.getter.load(Ordering::Relaxed))
                };
                return getter(v, ts);
            }
            self.fill(n, key, name);
        }
        getattr_name(ts, v, name)
    }

    /// `v.name` if `v` is of the cached type and its getter is a leaf, else `None` (nothing
    /// was called: the caller takes the general path, [`AttrCache::getattr`]).
    #[inline]
    pub fn get_leaf(&self, ts: &mut ThreadState, v: &Value) -> Option<PyResult<Value>> {
        let Some(Object::Native(n)) = v.obj() else {
            return None;
        };
        // Acquire: pairs with the release in `fill`, so the getter and flag read next are this
        // key's.
        if self.key.load(Ordering::Acquire) != n.type_key() || !self.leaf.load(Ordering::Relaxed) {
            return None;
        }
        // SAFETY: as in `getattr`.
        let getter: AttrGetter = unsafe {
            std::mem::transmute::<usize, AttrGetter>(self.getter.load(Ordering::Relaxed))
        };
        Some(getter(v, ts))
    }

    /// Fills the empty cache with the getter of `n`'s type for `name`, if it has one.
    #[cold]
    fn fill(&self, n: &super::NativeBox, key: usize, name: &Value) {
        if self.key.load(Ordering::Relaxed) != 0 {
            return;
        }
        let Some(s) = name.as_str() else { return };
        let Some(getter) = n.attr_getter(s) else {
            return;
        };
        // Only the filler that installs the getter publishes its key.
        if self
            .getter
            .compare_exchange(0, getter as usize, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            self.leaf.store(n.leaf_getter(s), Ordering::Relaxed);
            // Release: the getter is visible to whoever sees the key.
            self.key.store(key, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{AttrCache, AttrGetter};
    use crate::object::{NativeObject, PyResult, TypeId, Value};
    use crate::thread::ThreadState;
    use std::any::Any;

    /// A native type whose attribute `x` is `tag`, through a getter.
    struct WithGetter(i64);

    impl NativeObject for WithGetter {
        fn py_type(&self) -> TypeId {
            TypeId::Object
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn attr_getter(&self, name: &str) -> Option<AttrGetter> {
            let getter: AttrGetter = match name {
                "x" => |this, _| Ok(Value::int(this.downcast::<WithGetter>().unwrap().0)),
                "z" => |this, _| Ok(Value::int(-this.downcast::<WithGetter>().unwrap().0)),
                _ => return None,
            };
            Some(getter)
        }
        fn leaf_getter(&self, name: &str) -> bool {
            name == "x"
        }
        fn getattr(
            &self,
            this: &Value,
            ts: &mut ThreadState,
            name: &str,
        ) -> Option<PyResult<Value>> {
            self.attr_getter(name).map(|get| get(this, ts))
        }
    }

    /// Another native type with an attribute `x`, without a getter.
    struct Plain;

    impl NativeObject for Plain {
        fn py_type(&self) -> TypeId {
            TypeId::Object
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn getattr(&self, _: &Value, _: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
            (name == "x").then(|| Ok(Value::int(-1)))
        }
    }

    fn x(cache: &AttrCache, ts: &mut ThreadState, v: &Value) -> Option<i64> {
        cache
            .getattr(ts, v, &Value::str("x"))
            .ok()
            .and_then(|r| r.as_small())
    }

    #[test]
    fn only_a_leaf_getter_of_the_cached_type_answers_on_the_leaf_path() {
        let mut ts = ThreadState::new();
        let (a, plain) = (Value::native(WithGetter(4)), Value::native(Plain));
        let leaf = |c: &AttrCache, ts: &mut ThreadState, v: &Value| {
            c.get_leaf(ts, v).map(|r| r.unwrap().as_small().unwrap())
        };
        let (xs, zs) = (AttrCache::default(), AttrCache::default());
        // Empty: nothing answers until the general path fills the cache.
        assert_eq!(leaf(&xs, &mut ts, &a), None);
        assert!(xs.getattr(&mut ts, &a, &Value::str("x")).is_ok());
        assert!(zs.getattr(&mut ts, &a, &Value::str("z")).is_ok());
        assert_eq!(leaf(&xs, &mut ts, &a), Some(4));
        // `z`'s getter is not a leaf; other types and non-natives never answer here.
        assert_eq!(leaf(&zs, &mut ts, &a), None);
        assert_eq!(leaf(&xs, &mut ts, &plain), None);
        assert_eq!(leaf(&xs, &mut ts, &Value::int(4)), None);
    }

    #[test]
    fn cached_getters_answer_as_getattr_for_every_type() {
        let mut ts = ThreadState::new();
        let (a, b, plain) = (
            Value::native(WithGetter(1)),
            Value::native(WithGetter(2)),
            Value::native(Plain),
        );
        // The empty cache meets a type without a getter first: it stays empty.
        let cache = AttrCache::default();
        assert_eq!(x(&cache, &mut ts, &plain), Some(-1));
        assert_eq!(cache.key.load(std::sync::atomic::Ordering::Relaxed), 0);
        // Filled by the first type with a getter; every object answers its own value.
        for _ in 0..2 {
            assert_eq!(x(&cache, &mut ts, &a), Some(1));
            assert_eq!(x(&cache, &mut ts, &b), Some(2));
            assert_eq!(x(&cache, &mut ts, &plain), Some(-1));
        }
        assert_ne!(cache.key.load(std::sync::atomic::Ordering::Relaxed), 0);
        // Not natives, and a missing attribute: the generic lookup's answers and errors.
        assert_eq!(x(&cache, &mut ts, &Value::int(3)), None);
        let missing = AttrCache::default();
        assert!(missing.getattr(&mut ts, &a, &Value::str("y")).is_err());
        assert_eq!(missing.key.load(std::sync::atomic::Ordering::Relaxed), 0);
    }
}
