//! The per-thread state.

use crate::frame::FramePool;
use crate::object::Value;
use crate::shadow::ShadowFrame;
use std::ptr;

/// One OS thread's interpreter state.
///
/// Invariant: `shadow_top` is the first field (offset [`SHADOW_TOP_OFFSET`]): JIT code links
/// shadow frames through it.
#[repr(C)]
pub struct ThreadState {
    /// Top of this thread's shadow stack (null when no Python code runs).
    pub shadow_top: *mut ShadowFrame,
    /// Python frames currently on this thread's stack (checked against the recursion limit).
    pub depth: usize,
    /// The exception being handled by the innermost running generator (or, outside generators,
    /// by the thread), or None. `PushExcInfo`/`PopExcept` swap it in place.
    pub exc_info: Value,
    /// The `exc_info` values of the frames outside each running generator, innermost last
    /// (CPython's `exc_info->previous_item` chain): a generator runs with its own handled
    /// exception, and `sys.exception()` falls back to these while it has none.
    pub exc_outer: Vec<Value>,
    /// `sys.set_coroutine_origin_tracking_depth`: how many creating frames a new coroutine
    /// records in `cr_origin` (0 = none).
    pub coro_origin_depth: usize,
    /// Recycled interpreter frames.
    pub frames: FramePool,
    /// Lowest native stack address that native recursion may reach before it must fail with
    /// RecursionError instead of overflowing (0 = unchecked).
    pub native_stack_limit: usize,
}

/// Offset of `ThreadState::shadow_top`.
pub const SHADOW_TOP_OFFSET: i32 = 0;

impl ThreadState {
    /// A thread state for the current thread, with no frames.
    pub fn new() -> ThreadState {
        ThreadState {
            shadow_top: ptr::null_mut(),
            depth: 0,
            exc_info: Value::NONE,
            exc_outer: Vec::new(),
            coro_origin_depth: 0,
            frames: FramePool::default(),
            native_stack_limit: 0,
        }
    }

    /// The exception being handled (`sys.exception()`): the innermost one of the generators'
    /// chain that is not None (CPython's `_PyErr_GetTopmostException`).
    pub fn handled_exception(&self) -> Value {
        if !self.exc_info.is_none() {
            return self.exc_info.clone();
        }
        self.exc_outer
            .iter()
            .rev()
            .find(|v| !v.is_none())
            .cloned()
            .unwrap_or(Value::NONE)
    }

    /// Pointer to the shadow-stack top, for push/pop.
    pub fn shadow_top_ptr(&mut self) -> *mut *mut ShadowFrame {
        &mut self.shadow_top
    }

    /// Is the native stack close enough to its end that a further native recursion must fail?
    #[inline]
    pub fn native_stack_exhausted(&self) -> bool {
        let marker = 0u8;
        let sp = &marker as *const u8 as usize;
        self.native_stack_limit != 0 && sp < self.native_stack_limit
    }

    /// Records that the native stack of this thread spans `size` bytes below (about) the current
    /// stack pointer, keeping `reserve` bytes as a safety margin.
    pub fn set_native_stack(&mut self, size: usize, reserve: usize) {
        let marker = 0u8;
        let sp = &marker as *const u8 as usize;
        self.native_stack_limit = sp.saturating_sub(size.saturating_sub(reserve));
    }
}

impl Default for ThreadState {
    fn default() -> Self {
        ThreadState::new()
    }
}
