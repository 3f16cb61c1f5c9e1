//! [`NativeBox`]: a higher-layer object stored in its `Object` when it fits, so that a small
//! native (a traceback entry: one per unwound frame) costs one allocation, not two.
//!
//! The `Object` enum is as large as its largest variant anyway; a native of at most
//! [`INLINE_WORDS`] words and word alignment lives in that space, read through a per-type table
//! of two functions (its `dyn NativeObject` view and its destructor). A larger or more aligned
//! one is boxed as before, and the table reads the box.
//!
//! Invariants: `data` holds exactly one initialized value of the type `table` was made for (a `T`
//! inline, or a `Box<T>`), dropped exactly once, by `Drop`. The value is never moved out, and
//! its address changes only when the whole `Object` moves, which nothing does once it is in its
//! `Arc` (and no native relies on its address before that: it was boxed after construction).

use super::NativeObject;
use std::any::TypeId;
use std::mem::{align_of, size_of, MaybeUninit};

/// Words of inline storage: with the table word, the 56 bytes of an `Object`'s payload.
pub const INLINE_WORDS: usize = 6;

/// How to read and drop the value in a [`NativeBox`].
struct Table {
    view: unsafe fn(*const u8) -> *const dyn NativeObject,
    drop: unsafe fn(*mut u8),
    /// The type of the value, so that a downcast is one compare, not two virtual calls.
    type_id: TypeId,
    /// Is the value boxed (`data` holds a `Box<T>`) rather than inline?
    boxed: bool,
}

/// A native object, inline or boxed (see the module docs).
pub struct NativeBox {
    table: &'static Table,
    data: [MaybeUninit<usize>; INLINE_WORDS],
}

// SAFETY: the value is a `NativeObject`, which is `Send + Sync`.
unsafe impl Send for NativeBox {}
// SAFETY: as above.
unsafe impl Sync for NativeBox {}

/// Does `T` fit inline?
const fn fits<T>() -> bool {
    size_of::<T>() <= INLINE_WORDS * size_of::<usize>() && align_of::<T>() <= align_of::<usize>()
}

struct Inline<T>(std::marker::PhantomData<T>);

impl<T: NativeObject> Inline<T> {
    const TABLE: Table = Table {
        view: |p| p as *const T as *const dyn NativeObject,
        // SAFETY (of the call): `p` holds the one initialized `T` (module invariant).
        drop: |p| unsafe { std::ptr::drop_in_place(p as *mut T) },
        type_id: TypeId::of::<T>(),
        boxed: false,
    };
}

struct Boxed<T>(std::marker::PhantomData<T>);

impl<T: NativeObject> Boxed<T> {
    const TABLE: Table = Table {
        // SAFETY (of the call): `p` holds the one initialized `Box<T>` (module invariant).
        view: |p| unsafe { &**(p as *const Box<T>) as *const T as *const dyn NativeObject },
        // SAFETY (of the call): as above.
        drop: |p| unsafe { std::ptr::drop_in_place(p as *mut Box<T>) },
        type_id: TypeId::of::<T>(),
        boxed: true,
    };
}

impl NativeBox {
    /// Stores `obj` inline if it fits, else boxed.
    pub fn new<T: NativeObject>(obj: T) -> NativeBox {
        let mut data = [MaybeUninit::<usize>::uninit(); INLINE_WORDS];
        let table: &'static Table = if fits::<T>() {
            // SAFETY: `T` fits the buffer in size and alignment (checked above).
            unsafe { (data.as_mut_ptr() as *mut T).write(obj) };
            &Inline::<T>::TABLE
        } else {
            // SAFETY: a `Box` is one word.
            unsafe { (data.as_mut_ptr() as *mut Box<T>).write(Box::new(obj)) };
            &Boxed::<T>::TABLE
        };
        NativeBox { table, data }
    }
}

impl NativeBox {
    /// A key of the value's type: equal keys mean the same type (the address of the type's
    /// table; one type may have more than one, so different keys may too).
    #[inline]
    pub fn type_key(&self) -> usize {
        self.table as *const Table as usize
    }

    /// The value, if it is a `T` (what `as_any().downcast_ref()` answers, without calling
    /// through the value's vtable).
    #[inline]
    pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        if self.table.type_id != TypeId::of::<T>() {
            return None;
        }
        let p = self.data.as_ptr();
        // SAFETY: `data` holds the one `T` that `table` (whose type is `T`'s) was made for,
        // inline or as a `Box<T>` as `boxed` says (module invariant), alive as long as `self`.
        Some(unsafe {
            if self.table.boxed {
                &**(p as *const Box<T>)
            } else {
                &*(p as *const T)
            }
        })
    }
}

impl std::ops::Deref for NativeBox {
    type Target = dyn NativeObject;

    fn deref(&self) -> &(dyn NativeObject + 'static) {
        // SAFETY: `data` holds the value `table` was made for (module invariant), alive as long
        // as `self`.
        unsafe { &*(self.table.view)(self.data.as_ptr() as *const u8) }
    }
}

impl Drop for NativeBox {
    fn drop(&mut self) {
        // SAFETY: the value is dropped once, here (module invariant).
        unsafe { (self.table.drop)(self.data.as_mut_ptr() as *mut u8) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::TypeId;
    use std::any::Any;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    struct Small(Arc<AtomicUsize>);
    struct Large(Arc<AtomicUsize>, [u64; 16]);

    impl Drop for Small {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    impl Drop for Large {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    impl NativeObject for Small {
        fn py_type(&self) -> TypeId {
            TypeId::Traceback
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }
    impl NativeObject for Large {
        fn py_type(&self) -> TypeId {
            TypeId::Traceback
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    #[test]
    fn small_natives_are_inline_and_large_ones_boxed_each_dropped_once() {
        assert!(fits::<Small>() && !fits::<Large>());
        let drops = Arc::new(AtomicUsize::new(0));
        let s = NativeBox::new(Small(drops.clone()));
        let l = NativeBox::new(Large(drops.clone(), [7; 16]));
        assert!(s.as_any().downcast_ref::<Small>().is_some());
        assert_eq!(l.as_any().downcast_ref::<Large>().map(|l| l.1[15]), Some(7));
        // The table's downcast finds the same values, and refuses other types.
        assert!(std::ptr::eq(
            s.downcast_ref::<Small>().unwrap(),
            s.as_any().downcast_ref::<Small>().unwrap()
        ));
        assert!(std::ptr::eq(
            l.downcast_ref::<Large>().unwrap(),
            l.as_any().downcast_ref::<Large>().unwrap()
        ));
        assert!(s.downcast_ref::<Large>().is_none() && l.downcast_ref::<Small>().is_none());
        let inside = s.as_any() as *const dyn Any as *const u8 as usize;
        let base = &s as *const NativeBox as usize;
        assert!(inside >= base && inside < base + size_of::<NativeBox>());
        drop((s, l));
        assert_eq!(drops.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn an_object_has_room_for_the_inline_buffer() {
        // The buffer costs an `Object` nothing, and a traceback entry fits in it.
        assert!(size_of::<NativeBox>() <= 56);
        assert!(fits::<crate::frame::Traceback>());
    }
}
