//! The per-thread state.
//!
//! Layout (`#[repr(C)]`, the ABI JIT code relies on through its pinned register `r15`):
//!
//! | offset | field | who reads it |
//! |---|---|---|
//! | 0 | `shadow_top` | every shadow push/pop; walkers |
//! | 8 | `jit` ([`JitThreadState`], 32 bytes) | the trampolines (`r14 = r15 + 8`); the JIT walker |
//! | 40 | `poll` | safepoint polls (`cmp byte [r15 + 40], 0`) |
//! | 44 | `owner` | inline reference counts (`cmp [obj - 12], r15 + 44`: see `object::rc`) |
//!
//! Ownership: the OS thread that runs Python code on a `ThreadState` is its only user, except
//! for a handshake (`thread::handshake`): another thread may run an operation on it while the
//! owner is detached and held, never while the owner runs.

use super::registry::ThreadEntry;
use crate::frame::FramePool;
use crate::object::rc::{self, Ownership};
use crate::object::Value;
use crate::shadow::ShadowFrame;
use std::mem::offset_of;
use std::ptr;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

/// The JIT's per-thread words: the runtime-call anchor, the entry-trampoline chain and the
/// pending exception of the helpers' error convention (see `jit::state`, which documents their
/// invariants). A field of [`ThreadState`] at [`JIT_OFFSET`], so a walker of a held thread finds
/// them from the thread state alone.
#[repr(C)]
#[derive(Debug, Default)]
pub struct JitThreadState {
    /// Return address of the innermost JIT activation's current runtime call (0: none).
    pub last_pc: usize,
    /// Frame base (`rbp`) of that activation.
    pub last_fp: usize,
    /// `rbp` of the innermost active entry trampoline (0: none).
    pub entry_fp: usize,
    /// Pending exception of a failed helper (owned `Value` bits, 0: none).
    pub pending: usize,
}

impl JitThreadState {
    /// The state of a thread that runs no JIT code.
    pub const fn new() -> JitThreadState {
        JitThreadState {
            last_pc: 0,
            last_fp: 0,
            entry_fp: 0,
            pending: 0,
        }
    }
}

/// One OS thread's interpreter state.
///
/// Invariant: `shadow_top` is at offset [`SHADOW_TOP_OFFSET`], `jit` at `JIT_OFFSET` and
/// `poll` at [`POLL_OFFSET`] (checked at compile time below).
#[repr(C)]
pub struct ThreadState {
    /// Top of this thread's shadow stack (null when no Python code runs).
    pub shadow_top: *mut ShadowFrame,
    /// The JIT's words (anchor, entry chain, pending exception).
    pub(crate) jit: JitThreadState,
    /// Nonzero when a handshake is pending: the next safepoint must serve it. Set by
    /// requesters (under the thread's control lock), cleared by the owner.
    pub poll: AtomicU8,
    /// This thread's owner id for biased reference counts (`object::rc`), the one its
    /// `Ownership` holds; `rc::NOT_AN_OWNER` for a state that owns nothing.
    pub(crate) owner: u32,
    /// Python frames this thread may still push: `limit` minus the frames on its stack (at
    /// most 0: at the recursion limit, the next call raises RecursionError). A frame entry
    /// decrements it and tests the sign, its exit increments it: one word, no load of the
    /// limit (JIT code: `sub [r15 + HEADROOM_OFFSET], 1; jl`).
    headroom: isize,
    /// The recursion limit `headroom` counts against: the runtime's, as of this thread's last
    /// refresh ([`ThreadState::refresh_recursion_limit`], which `sys.setrecursionlimit` runs
    /// on every thread before it returns).
    limit: usize,
    /// The exception being handled by the innermost running generator (or, outside generators,
    /// by the thread), or None. `PushExcInfo`/`PopExcept` swap it in place.
    pub(crate) exc_info: Value,
    /// The `exc_info` values of the frames outside each running generator, innermost last
    /// (CPython's `exc_info->previous_item` chain): a generator runs with its own handled
    /// exception, and `sys.exception()` falls back to these while it has none.
    pub(crate) exc_outer: Vec<Value>,
    /// `sys.set_coroutine_origin_tracking_depth`: how many creating frames a new coroutine
    /// records in `cr_origin` (0 = none).
    pub(crate) coro_origin_depth: usize,
    /// Recycled interpreter frames.
    pub(crate) frames: FramePool,
    /// Lowest native stack address that native recursion may reach before it must fail with
    /// RecursionError instead of overflowing (0 = unchecked).
    pub(crate) native_stack_limit: usize,
    /// The word this crate's compiled prologues compare `rsp` with: `native_stack_limit`, or
    /// `usize::MAX` while a poll is requested, so that the one compare of every JIT entry
    /// notices both a native stack running out and a pending poll (V8 uses its stack limit
    /// for interrupts the same way); the entry then tells the two apart. Requesters store the
    /// poll byte, then this word ([`ask_poll`]); the owner restores this word, then clears the
    /// byte ([`ThreadState::poll_served`]). All four stores are sequentially consistent: a
    /// request whose byte store comes after the owner's clear has its word store after the
    /// owner's restore too, so the word stays tripped while the byte is set.
    pub(crate) stack_trip: AtomicUsize,
    /// This thread's registry entry (None: an unregistered state, e.g. in unit tests).
    pub(crate) entry: Option<Arc<ThreadEntry>>,
    /// The `threading.Thread` object of this thread, once someone asked for it (None value).
    pub(crate) thread_obj: Value,
    /// JIT frames unwound by an exception, waiting to be published and for their caller
    /// (`frame::unwind`).
    pub(crate) unwind: crate::frame::PendingUnwind,
    /// The ownership of the objects this thread creates (a registered state's; its queue is
    /// drained at safepoints).
    pub(crate) ownership: Option<Ownership>,
}

/// Asks the thread whose poll byte and stack word these are for a safepoint: the byte, then the
/// word (in this order: see `ThreadState::stack_trip`).
pub(crate) fn ask_poll(poll: &AtomicU8, trip: &AtomicUsize) {
    poll.store(1, Ordering::SeqCst);
    trip.store(usize::MAX, Ordering::SeqCst);
}

/// Offset of `ThreadState::stack_trip`: the word this crate's JIT prologues compare `rsp` with.
pub(crate) const STACK_TRIP_OFFSET: i32 = offset_of!(ThreadState, stack_trip) as i32;

/// Offset of `ThreadState::shadow_top`.
pub const SHADOW_TOP_OFFSET: i32 = 0;
/// Offset of `ThreadState::jit` (`r14 = r15 + JIT_OFFSET`).
pub const JIT_OFFSET: i32 = 8;
/// Offset of `ThreadState::poll`.
pub const POLL_OFFSET: i32 = 40;
/// Offset of `ThreadState::owner` (a `u32`).
pub const OWNER_OFFSET: i32 = offset_of!(ThreadState, owner) as i32;
/// Offset of `ThreadState::headroom`: JIT code counts its activations there (a signed word:
/// decrement at entry, negative means past the limit; increment at exit).
pub const HEADROOM_OFFSET: i32 = offset_of!(ThreadState, headroom) as i32;
/// Offset of the lowest native stack address a JIT activation may reach (a word, 0 when
/// unchecked): JIT code compares `rsp` with it at entry and raises `RecursionError` below it
/// instead of overflowing the native stack.
pub const NATIVE_STACK_LIMIT_OFFSET: i32 = offset_of!(ThreadState, native_stack_limit) as i32;

const _: () = assert!(offset_of!(ThreadState, shadow_top) == SHADOW_TOP_OFFSET as usize);
const _: () = assert!(offset_of!(ThreadState, jit) == JIT_OFFSET as usize);
const _: () = assert!(offset_of!(ThreadState, poll) == POLL_OFFSET as usize);
const _: () = assert!(OWNER_OFFSET == 44, "the layout table above");

impl ThreadState {
    /// A thread state for the current thread, with no frames, not registered.
    pub fn new() -> ThreadState {
        ThreadState {
            shadow_top: ptr::null_mut(),
            jit: JitThreadState::new(),
            poll: AtomicU8::new(0),
            owner: rc::NOT_AN_OWNER,
            headroom: super::runtime().recursion_limit() as isize,
            limit: super::runtime().recursion_limit(),
            exc_info: Value::NONE,
            exc_outer: Vec::new(),
            coro_origin_depth: 0,
            frames: FramePool::default(),
            native_stack_limit: 0,
            stack_trip: AtomicUsize::new(0),
            entry: None,
            thread_obj: Value::NONE,
            unwind: Default::default(),
            ownership: None,
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

    /// `threading.get_ident()` of this thread (its registry ident, else `pthread_self`).
    pub fn ident(&self) -> u64 {
        match &self.entry {
            Some(e) => e.ident,
            None => super::registry::current_ident(),
        }
    }

    /// Python frames currently on this thread's stack (what the recursion limit counts).
    #[inline]
    pub fn depth(&self) -> usize {
        (self.limit as isize - self.headroom) as usize
    }

    /// Is this thread at its recursion limit: must a call that would push a frame raise
    /// RecursionError instead?
    #[inline(always)]
    pub fn at_recursion_limit(&self) -> bool {
        self.headroom <= 0
    }

    /// Counts a frame pushed (after [`ThreadState::at_recursion_limit`] allowed it).
    #[inline(always)]
    pub fn frame_pushed(&mut self) {
        self.headroom -= 1;
    }

    /// Counts a frame popped.
    #[inline(always)]
    pub fn frame_popped(&mut self) {
        self.headroom += 1;
    }

    /// Takes the runtime's recursion limit as this thread's, keeping its depth. Runs on the
    /// thread itself, or on a held thread (`handshake::run_on`): never while its owner runs.
    pub fn refresh_recursion_limit(&mut self) {
        let depth = self.depth();
        self.limit = super::runtime().recursion_limit();
        self.headroom = self.limit as isize - depth as isize;
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
        self.untrip();
    }

    /// Sets the compiled prologues' stack word back to the native stack limit (a request
    /// arriving meanwhile trips it again: see `stack_trip`).
    pub(crate) fn untrip(&self) {
        self.stack_trip
            .store(self.native_stack_limit, Ordering::SeqCst);
    }

    /// The owner's side of a served poll: the stack word restored, then the poll byte cleared
    /// (in this order: see `stack_trip`).
    pub(crate) fn poll_served(&self) {
        self.untrip();
        self.poll.store(0, Ordering::SeqCst);
    }
}

impl Default for ThreadState {
    fn default() -> Self {
        ThreadState::new()
    }
}
