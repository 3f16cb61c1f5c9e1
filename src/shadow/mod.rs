//! The shadow stack: one two-word [`ShadowFrame`] per Python activation, linked through the
//! thread state, in the order the activations were entered.
//!
//! Interpreted and JIT activations push the same two words, so one walker sees the whole Python
//! stack of a thread in order, whatever mix of interpreter and JIT frames it holds. This module
//! knows nothing of what the tagged pointers point to: `frame` and `jit` give them meaning.
//!
//! Invariants (the ABI every walker and every JIT relies on):
//! - a `ShadowFrame` is `#[repr(C)]` `{ prev, data }`; a JIT may append words after them;
//! - `data` is a pointer to a 16-byte aligned pointee with a [`Tag`] in its low 4 bits;
//! - pushing writes `prev` and `data` first and publishes the frame by storing it as the thread's
//!   top last; popping restores `prev` as the top first. Every instruction boundary therefore
//!   leaves a consistent stack for a walker running on the same thread (or one that the owning
//!   thread lets in at a safepoint).
//!
//! ```
//! use shadowframe::shadow::{self, Kind, ShadowFrame, ShadowWalk, Tag};
//!
//! // Pointees are 16-byte aligned: the low four bits of `data` are the tag.
//! #[repr(align(16))]
//! struct CodeInfo;
//! static INFO: CodeInfo = CodeInfo;
//!
//! let mut top: *mut ShadowFrame = std::ptr::null_mut();
//! let (mut caller, mut callee) = (ShadowFrame::new(), ShadowFrame::new());
//! caller.set(&INFO, Tag::JIT | Tag::OWNED_BY_JIT);
//! callee.set(&INFO, Tag::JIT | Tag::OWNED_BY_JIT);
//! // SAFETY: both frames outlive their time on the stack, and pops nest with pushes.
//! unsafe {
//!     shadow::push(&mut top, &mut caller);
//!     shadow::push(&mut top, &mut callee);
//!     // A walk sees the innermost activation first.
//!     let walk: Vec<*mut ShadowFrame> = ShadowWalk::new(top).collect();
//!     assert_eq!(walk, [&raw mut callee, &raw mut caller]);
//!     assert_eq!((*walk[0]).kind(), Kind::Jit);
//!     shadow::pop(&mut top, &mut callee);
//!     shadow::pop(&mut top, &mut caller);
//! }
//! assert!(top.is_null());
//! ```

mod tag;
mod walk;

pub use tag::{Kind, Tag};
pub use walk::ShadowWalk;

use std::ptr;

/// The two-word head of every Python activation's record on the shadow stack.
#[repr(C)]
#[derive(Debug)]
pub struct ShadowFrame {
    /// The caller's shadow frame (null at the bottom of a thread's stack).
    pub prev: *mut ShadowFrame,
    /// Tagged pointer: what this activation is and who owns it (see [`Tag`]).
    pub data: usize,
}

/// Byte offset of `prev` (for JIT emitters).
pub const PREV_OFFSET: i32 = 0;
/// Byte offset of `data` (for JIT emitters).
pub const DATA_OFFSET: i32 = 8;
/// Size of the head.
pub const SHADOW_FRAME_SIZE: usize = 16;

impl ShadowFrame {
    /// An unlinked frame.
    pub const fn new() -> ShadowFrame {
        ShadowFrame {
            prev: ptr::null_mut(),
            data: 0,
        }
    }

    /// The tag of `data`.
    #[inline]
    pub fn tag(&self) -> Tag {
        Tag::from_bits_truncate(self.data)
    }

    /// What kind of activation this is.
    #[inline]
    pub fn kind(&self) -> Kind {
        Kind::of(self.data)
    }

    /// The untagged pointer of `data`.
    #[inline]
    pub fn pointer<T>(&self) -> *mut T {
        (self.data & !Tag::MASK) as *mut T
    }

    /// Sets `data` to `ptr` tagged with `tag`.
    #[inline]
    pub fn set<T>(&mut self, ptr: *const T, tag: Tag) {
        debug_assert_eq!(
            ptr as usize & Tag::MASK,
            0,
            "shadow pointees are 16-byte aligned"
        );
        self.data = ptr as usize | tag.bits();
    }
}

impl Default for ShadowFrame {
    fn default() -> Self {
        ShadowFrame::new()
    }
}

/// Links `frame` on top of the stack whose top pointer is `*top`.
///
/// # Safety
/// `frame` must stay at its address and be popped with [`pop`] before it is moved or freed, and
/// pushes and pops on one stack must nest.
#[inline(always)]
pub unsafe fn push(top: *mut *mut ShadowFrame, frame: *mut ShadowFrame) {
    // SAFETY: the caller guarantees both pointers are valid; `prev` is written before the frame
    // is published as the top, so a walker never sees a half-linked frame.
    unsafe {
        (*frame).prev = *top;
        *top = frame;
    }
}

/// Unlinks `frame`, which must be the top.
///
/// # Safety
/// `frame` must be the current top of the stack `*top`.
#[inline(always)]
pub unsafe fn pop(top: *mut *mut ShadowFrame, frame: *mut ShadowFrame) {
    // SAFETY: the caller guarantees `frame` is the top and valid.
    unsafe {
        debug_assert!(*top == frame, "shadow frames pop in LIFO order");
        *top = (*frame).prev;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(align(16))]
    struct Pointee(#[allow(dead_code)] u64);

    #[test]
    fn push_pop_walk() {
        let a = Pointee(1);
        let b = Pointee(2);
        let mut top: *mut ShadowFrame = ptr::null_mut();
        let mut fa = ShadowFrame::new();
        let mut fb = ShadowFrame::new();
        fa.set(&a, Tag::empty());
        fb.set(&b, Tag::JIT | Tag::OWNED_BY_JIT);
        // SAFETY: both frames outlive the pushes and are popped in LIFO order below.
        unsafe {
            push(&mut top, &mut fa);
            push(&mut top, &mut fb);
            let kinds: Vec<Kind> = ShadowWalk::new(top).map(|f| (*f).kind()).collect();
            assert_eq!(kinds, vec![Kind::Jit, Kind::Interpreted]);
            assert_eq!(
                (*top).pointer::<Pointee>() as *const Pointee,
                &b as *const Pointee
            );
            pop(&mut top, &mut fb);
            pop(&mut top, &mut fa);
        }
        assert!(top.is_null());
    }
}
