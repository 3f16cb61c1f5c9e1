//! [`Mimalloc`]: the global allocator that `shadowpy` and the benches install (feature
//! `mimalloc`, on by default). The library never installs an allocator itself.
//!
//! Why: ordinary Python programs are allocation-bound (every str, float, big int, frame object
//! and traceback record is a heap object), CPython has its own small-object allocator for the
//! same reason, and glibc's malloc costs several times mimalloc's on this churn.
//!
//! Why not the `mimalloc` crate's allocator: it sends every request through
//! `mi_malloc_aligned`, and every heap object here is 16-byte aligned (`Object` is
//! `align(16)`), which takes mimalloc's slower aligned path. mimalloc's size classes for sizes
//! that are multiples of 16 are multiples of 16 in pages that start 16-byte aligned, so plain
//! `mi_malloc` already returns 16-byte aligned blocks for them: only larger alignments, or
//! 16-byte alignment of other sizes, need the aligned entry points.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc, with the plain (not aligned) entry points whenever they give the alignment.
pub struct Mimalloc;

/// Does plain `mi_malloc(layout.size())` return memory aligned for `layout`?
#[inline(always)]
fn plain(layout: &Layout) -> bool {
    layout.align() <= 8 || (layout.align() == 16 && layout.size().is_multiple_of(16))
}

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` takes blocks of both
// the plain and the aligned entry points); `plain` only routes a request to `mi_malloc` when
// mimalloc's size classes give it the requested alignment (module docs), which debug builds
// check.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain FFI calls with a valid size/alignment (a `Layout`'s).
        let p = unsafe {
            if plain(&layout) {
                mi::mi_malloc(layout.size())
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align())
            }
        } as *mut u8;
        debug_assert_eq!(p as usize % layout.align(), 0);
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let p = unsafe {
            if plain(&layout) {
                mi::mi_zalloc(layout.size())
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align())
            }
        } as *mut u8;
        debug_assert_eq!(p as usize % layout.align(), 0);
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract).
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align(new_size, layout.align()).unwrap_or(layout);
        // SAFETY: `ptr` came from this allocator; the new size is GlobalAlloc's valid one.
        let p = unsafe {
            if plain(&new) {
                mi::mi_realloc(ptr as *mut c_void, new_size)
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align())
            }
        } as *mut u8;
        debug_assert_eq!(p as usize % layout.align(), 0);
        p
    }
}
