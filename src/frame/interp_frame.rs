//! `InterpreterFrame`: the full state of an interpreted activation, and the per-thread pool that
//! recycles them.
//!
//! Frames are boxed so their address (and that of the embedded shadow frame) never moves while
//! they run. A frame returns to the pool only after `frame::exit` handed its state to any frame
//! object or lazy traceback record that refers to it, so no observer can see a recycled frame.
//!
//! A function's frame holds its function, not its globals: it borrows them from the function
//! (see [`InterpreterFrame`]), so a call and a return cost no reference counting of the
//! globals.

use super::LazyFrame;
use super::LazyRef;
use crate::code::CodeObject;
use crate::object::cycles::{Edge, Graveyard};
use crate::object::Value;
use crate::shadow::{ShadowFrame, Tag};
use std::mem::ManuallyDrop;
use std::sync::Arc;

/// The state of one interpreted activation.
///
/// Invariants:
/// - 16-byte aligned (it is a shadow-frame pointee); `shadow.data` points to `self` (tag
///   interpreted) or to `frame_obj` (tag materialized).
/// - `globals` is a borrowed copy of the word of a reference the frame holds: `own_globals`
///   when that is not None (module code, and any frame built by [`FramePool::alloc`], such as a
///   deoptimized activation's), else `func`'s globals (a frame of
///   [`FramePool::alloc_function`]: a function's globals never change, and the frame owns
///   `func`). So a Python-to-Python call takes no reference to the globals (CPython's
///   `f_globals` is borrowed the same way). `func`, `globals` and `own_globals` are private
///   to keep this: only [`FramePool`] sets them.
/// - `func` is the frame's own reference, or a borrowed copy of the word of the function its
///   caller's frame runs, the same function ([`FramePool::alloc_function_borrowed`]): the
///   caller's frame is below this one in the same run of the eval loop, so it holds its
///   function until this frame is released. Such frames are never generators' (their frames
///   outlive their callers). [`FrameFunc`] drops only a reference of the frame's own, however
///   the frame goes.
#[repr(C, align(16))]
pub struct InterpreterFrame {
    /// This activation's shadow frame (linked while it runs).
    pub shadow: ShadowFrame,
    /// The code being run.
    pub code: Arc<CodeObject>,
    /// The function (None for module code): a reference of the frame's own, or the word of
    /// its caller frame's function (see [`InterpreterFrame`]).
    func: FrameFunc,
    /// The globals dict, borrowed (see the invariants): never dropped through this field.
    globals: ManuallyDrop<Value>,
    /// The reference to the globals of a frame given them ([`FramePool::alloc`]); None when
    /// they are its function's.
    own_globals: Value,
    /// Fast locals, `code.varnames.len()` of them; unbound ones hold [`Value::NULL`].
    pub locals: Vec<Value>,
    /// The value stack. Its capacity is at least `code.max_stack` from [`FramePool`]'s `take`
    /// on, and nothing shrinks it: the eval loop pushes without checking for room.
    pub stack: Vec<Value>,
    /// Index of the instruction being executed (or about to be).
    pub pc: usize,
    /// The frame object, once materialized (the activation holds a strong reference).
    pub frame_obj: Option<Value>,
    /// The lazy record tracebacks refer to this activation by, once one exists.
    pub lazy: Option<LazyRef>,
    /// Does returning from this frame leave the eval loop invocation that runs it?
    pub is_entry: bool,
}

/// The function of a frame: a reference of its own, or a word borrowed from the caller's
/// frame, which this never drops.
struct FrameFunc {
    value: ManuallyDrop<Value>,
    borrowed: bool,
}

impl FrameFunc {
    const NONE: FrameFunc = FrameFunc {
        value: ManuallyDrop::new(Value::NONE),
        borrowed: false,
    };

    /// The frame's own reference.
    #[inline(always)]
    fn owned(v: Value) -> FrameFunc {
        FrameFunc {
            value: ManuallyDrop::new(v),
            borrowed: false,
        }
    }

    /// A copy of `v`'s word, valid for as long as whoever holds `v` keeps it.
    #[inline(always)]
    fn borrowed(v: &Value) -> FrameFunc {
        FrameFunc {
            value: alias(v),
            borrowed: true,
        }
    }
}

impl Drop for FrameFunc {
    #[inline(always)]
    fn drop(&mut self) {
        if !self.borrowed {
            // SAFETY: our own reference, dropped once (this is its drop).
            unsafe { ManuallyDrop::drop(&mut self.value) }
        }
    }
}

impl InterpreterFrame {
    /// A new boxed frame for `code`, tagged (interpreted) with its own address, with no
    /// function, globals or locals yet.
    fn boxed(code: Arc<CodeObject>) -> Box<InterpreterFrame> {
        let mut f = Box::new(InterpreterFrame {
            shadow: ShadowFrame::new(),
            code,
            func: FrameFunc::NONE,
            globals: ManuallyDrop::new(Value::NONE),
            own_globals: Value::NONE,
            locals: Vec::new(),
            stack: Vec::new(),
            pc: 0,
            frame_obj: None,
            lazy: None,
            is_entry: false,
        });
        f.tag_self();
        f
    }

    /// The function being run (None for module code).
    #[inline]
    pub fn func(&self) -> &Value {
        &self.func.value
    }

    /// The globals dict.
    #[inline]
    pub fn globals(&self) -> &Value {
        &self.globals
    }

    /// The function and the locals, borrowed together (to bind parameters).
    #[inline]
    pub fn func_and_locals(&mut self) -> (&Value, &mut [Value]) {
        (&self.func.value, &mut self.locals)
    }

    /// Points the shadow frame at this frame (tag interpreted), or at its frame object (tag
    /// materialized) if it already has one (a deoptimized JIT activation). Call after boxing.
    pub fn tag_self(&mut self) {
        match &self.frame_obj {
            Some(obj) => {
                let p = obj.obj().expect("frame objects are heap objects") as *const _;
                self.shadow.set(p, Tag::MATERIALIZED);
            }
            None => {
                let p: *const InterpreterFrame = self;
                self.shadow.set(p, Tag::empty());
            }
        }
    }

    /// Reports each reference the frame holds (for the cycle collector, when a generator keeps
    /// the frame suspended).
    pub fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        if !self.func.borrowed {
            visit(Edge::Value(&self.func.value));
        }
        // Not `globals`: the frame holds no reference of its own to a function's globals.
        visit(Edge::Value(&self.own_globals));
        self.locals.iter().for_each(|v| visit(Edge::Value(v)));
        self.stack.iter().for_each(|v| visit(Edge::Value(v)));
        if let Some(f) = &self.frame_obj {
            visit(Edge::Value(f));
        }
        if let Some(l) = &self.lazy {
            visit(LazyFrame::edge(l));
        }
    }

    /// Detaches the locals and the value stack of a suspended frame that is cyclic garbage
    /// (unbinding each local keeps the frame's shape for whoever ends it).
    pub fn clear_refs(&mut self, graveyard: &mut Graveyard) {
        for v in &mut self.locals {
            graveyard.bury(std::mem::replace(v, Value::NULL));
        }
        // The values go; the room stays (the eval loop's pushes rely on it: see `take`).
        graveyard.bury(self.stack.split_off(0));
    }

    /// Name-to-value pairs of the bound locals, in `co_varnames` order.
    pub fn bound_locals(&self) -> Vec<(Arc<str>, Value)> {
        self.code
            .varnames
            .iter()
            .zip(self.locals.iter())
            .filter(|(_, v)| !v.is_null())
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect()
    }
}

/// Recycled interpreter frames of one thread.
#[derive(Default)]
pub struct FramePool {
    // Boxed: a recycled frame keeps its address, which shadow frames point to.
    #[allow(clippy::vec_box)]
    free: Vec<Box<InterpreterFrame>>,
    /// Empty frame lists (the stack of one eval-loop run), kept with their capacity: a call
    /// from native code or a generator resumption takes one instead of allocating.
    #[allow(clippy::vec_box)]
    lists: Vec<Vec<Box<InterpreterFrame>>>,
}

/// Frames kept for reuse at most (the rest are freed): as many as the default recursion
/// limit, so that recursion to that depth allocates frames only the first time (a few hundred
/// bytes each with their locals and value stack, a few hundred KiB per thread at most).
const POOL_MAX: usize = 1000;
/// Frame lists kept for reuse at most (one per level of native-to-Python nesting in use).
const LISTS_MAX: usize = 64;

impl FramePool {
    /// A frame for `code` with every local unbound and an empty stack, running `func` (None
    /// for module code) in `globals`, which the frame keeps a reference to.
    pub fn alloc(
        &mut self,
        code: &Arc<CodeObject>,
        func: Value,
        globals: Value,
    ) -> Box<InterpreterFrame> {
        let mut f = self.take(code);
        f.globals = alias(&globals);
        f.own_globals = globals;
        f.func = FrameFunc::owned(func);
        f
    }

    /// A frame for calling the Python function `func`, whose reference it takes: the
    /// function's code and globals (borrowed: see [`InterpreterFrame`]), every local unbound,
    /// an empty stack. Always inlined: it is most of an interpreted call, and whether LLVM
    /// inlined it into the eval loop otherwise changed with unrelated code (3% of a call).
    #[inline(always)]
    pub fn alloc_function(&mut self, func: Value) -> Box<InterpreterFrame> {
        let fun = func.as_function().expect("alloc_function of a function");
        let mut f = self.take(&fun.code);
        f.globals = alias(&fun.globals);
        debug_assert!(f.func.value.is_none() && f.own_globals.is_none());
        // `f.func` is None (see `take`): nothing to drop.
        std::mem::forget(std::mem::replace(&mut f.func, FrameFunc::owned(func)));
        f
    }

    /// A frame for calling `func`, the function the caller's frame runs, with no reference of
    /// its own to it (see the invariants of [`InterpreterFrame`]); otherwise as
    /// [`FramePool::alloc_function`].
    ///
    /// # Safety
    /// `func` is the function of the running frame that makes the call, which stays below the
    /// new frame, holding `func`, until the new frame is released.
    #[inline(always)]
    pub unsafe fn alloc_function_borrowed(&mut self, func: &Value) -> Box<InterpreterFrame> {
        let fun = func.as_function().expect("alloc_function of a function");
        let mut f = self.take(&fun.code);
        f.globals = alias(&fun.globals);
        debug_assert!(f.func.value.is_none() && f.own_globals.is_none());
        // `f.func` is None (see `take`): nothing to drop.
        std::mem::forget(std::mem::replace(&mut f.func, FrameFunc::borrowed(func)));
        f
    }

    /// A frame for `code`, recycled if one is free: `code.varnames.len()` unbound locals, room
    /// for the code's `max_stack` values, at the first instruction, not an entry frame, tagged
    /// with its own address, with no function and no globals (None).
    ///
    /// A recycled frame keeps its last code: a recursive call (the same code again) takes no
    /// new reference to it. Always inlined, as `alloc_function`.
    #[inline(always)]
    fn take(&mut self, code: &Arc<CodeObject>) -> Box<InterpreterFrame> {
        let mut f = match self.free.pop() {
            Some(mut f) => {
                if !Arc::ptr_eq(&f.code, code) {
                    f.code = code.clone();
                }
                f
            }
            None => InterpreterFrame::boxed(code.clone()),
        };
        let (nlocals, max_stack) = (f.code.varnames.len(), f.code.max_stack as usize);
        // A released frame's locals are all unbound already: only their number may change.
        if f.locals.len() != nlocals {
            f.locals.clear();
            f.locals.resize(nlocals, Value::NULL);
        }
        debug_assert!(f.stack.is_empty() && f.locals.iter().all(Value::is_null));
        if f.stack.capacity() < max_stack {
            f.stack.reserve(max_stack);
        }
        f.pc = 0;
        f.is_entry = false;
        debug_assert!(f.frame_obj.is_none() && f.lazy.is_none());
        debug_assert!(f.func.value.is_none() && f.own_globals.is_none());
        f
    }

    /// An empty frame list for one eval-loop run (give it back with [`FramePool::give_list`]).
    #[allow(clippy::vec_box)]
    #[inline]
    pub fn take_list(&mut self) -> Vec<Box<InterpreterFrame>> {
        self.lists.pop().unwrap_or_else(|| Vec::with_capacity(16))
    }

    /// Returns a frame list after its run (every frame left it). Inline up to the common case
    /// (an empty list, room kept for it); the rest out of line.
    #[allow(clippy::vec_box)]
    #[inline]
    pub fn give_list(&mut self, list: Vec<Box<InterpreterFrame>>) {
        debug_assert!(list.is_empty());
        let n = self.lists.len();
        if list.is_empty() && n < LISTS_MAX && n < self.lists.capacity() {
            // SAFETY: `n` is below the capacity: slot `n` is allocated and unused.
            unsafe {
                self.lists.as_mut_ptr().add(n).write(list);
                self.lists.set_len(n + 1);
            }
        } else {
            self.give_list_slow(list);
        }
    }

    /// [`FramePool::give_list`] past its inline case: the pool's vector grows, or the list
    /// goes.
    #[allow(clippy::vec_box)]
    #[inline(never)]
    fn give_list_slow(&mut self, list: Vec<Box<InterpreterFrame>>) {
        if list.is_empty() && self.lists.len() < LISTS_MAX {
            self.lists.push(list);
        }
    }

    /// Returns a finished frame (its state already handed off) to the pool.
    ///
    /// The common frame (no frame object, lazy record or globals of its own, an empty stack,
    /// locals and function that this thread counts with plain operations and that stay alive)
    /// is unbound here with no call, so this needs no saved registers; anything else, from
    /// the first value that needs more, goes to [`FramePool::release_full`].
    pub fn release(&mut self, mut f: Box<InterpreterFrame>) {
        if f.frame_obj.is_some()
            || f.lazy.is_some()
            || !f.own_globals.is_none()
            || !f.stack.is_empty()
            || self.free.len() == self.free.capacity()
        {
            return self.release_full(f);
        }
        let me = crate::object::rc::owner();
        for v in f.locals.iter_mut() {
            if v.is_heap() {
                // SAFETY: the local's own reference, released here when that is a plain
                // decrement of a count that stays above zero (nothing freed, nothing run).
                if !unsafe { crate::object::rc::decref_plain(v.bits() as *const _, me) } {
                    // The locals before this one are unbound; the rest go the full way.
                    return self.release_full(f);
                }
            }
            // SAFETY: the local's reference was released (or it holds none): overwritten
            // without a drop.
            unsafe { std::ptr::write(v, Value::NULL) };
        }
        if !f.func.borrowed && f.func.value.is_heap() {
            // SAFETY: as for the locals: the frame's own reference to its function.
            if !unsafe { crate::object::rc::decref_plain(f.func.value.bits() as *const _, me) } {
                return self.release_full(f);
            }
        }
        // The alias goes (it holds nothing; the function it borrows from is still alive: its
        // count was only decremented), then the function, whose reference, if the frame had
        // one, was released above.
        f.globals = ManuallyDrop::new(Value::NONE);
        // SAFETY: as just said: overwritten without a drop.
        unsafe { std::ptr::write(&mut f.func, FrameFunc::NONE) };
        let p: *const InterpreterFrame = &*f;
        f.shadow.set(p, Tag::empty());
        let n = self.free.len();
        debug_assert!(n < self.free.capacity() && self.free.capacity() <= POOL_MAX);
        // SAFETY: `n` is below the capacity (checked above), which is `POOL_MAX` (see
        // `release_full`): slot `n` is allocated and unused.
        unsafe {
            self.free.as_mut_ptr().add(n).write(f);
            self.free.set_len(n + 1);
        }
    }

    /// [`FramePool::release`] of any frame, including one whose first locals were unbound.
    #[inline(never)]
    fn release_full(&mut self, mut f: Box<InterpreterFrame>) {
        // The alias goes before the references that keep it alive.
        f.globals = alias(&Value::NONE);
        // A function's frame that ran holds none of these (its observers went to
        // `frame::exit_frame`, its globals are its function's): one test on the way.
        if f.frame_obj.is_some() || f.lazy.is_some() || !f.own_globals.is_none() {
            drop_extras(&mut f);
        }
        // Unbound in place, so that the next frame of the same code finds its locals ready.
        for v in &mut f.locals {
            drop(std::mem::replace(v, Value::NULL));
        }
        f.stack.clear();
        f.func = FrameFunc::NONE;
        // A materialized frame's tag pointed to its frame object, which it no longer holds.
        let p: *const InterpreterFrame = &*f;
        f.shadow.set(p, Tag::empty());
        if self.free.len() < POOL_MAX {
            if self.free.capacity() == 0 {
                // Room for the whole pool at once, and no more: `release`'s pushes go up to
                // the capacity, so the capacity is the pool's bound.
                self.free.reserve_exact(POOL_MAX);
            }
            self.free.push(f);
        }
    }
}

/// Drops what only some released frames hold: a frame object or lazy record (a frame that
/// never ran: a binding error), their own globals (module code, a deoptimized activation).
#[cold]
#[inline(never)]
fn drop_extras(f: &mut InterpreterFrame) {
    f.frame_obj = None;
    f.lazy = None;
    f.own_globals = Value::NONE;
}

/// A copy of `v`'s word that holds no reference of its own (what `InterpreterFrame::globals`
/// keeps): valid only as long as the reference it borrows.
#[inline(always)]
fn alias(v: &Value) -> ManuallyDrop<Value> {
    // SAFETY: the copy never releases the reference it shares (`ManuallyDrop`); its holder
    // keeps the owner alive for as long as the copy is read (see `InterpreterFrame`).
    ManuallyDrop::new(unsafe { Value::from_bits(v.bits()) })
}

#[cfg(test)]
mod tests {
    use super::FramePool;
    use crate::compile::tests::{code_named, compile};
    use crate::object::{Function, FunctionNames, Object, Value};
    use std::sync::atomic::{AtomicU32, AtomicU8, AtomicUsize};

    fn function(src: &str, name: &str) -> Value {
        let code = code_named(&compile(src), name);
        Value::from_object(Object::Function(Function {
            names: Box::new(FunctionNames {
                name: Value::str(&code.name),
                qualname: Value::str(&code.qualname),
                module: Value::str("__main__"),
            }),
            code,
            globals: Value::dict(),
            defaults: Box::new([]),
            calls: AtomicU32::new(0),
            jit_entry: AtomicUsize::new(0),
        }))
    }

    #[test]
    fn a_borrowed_function_is_never_released_by_its_frame() {
        let func = function("def f(n):\n    return n\n", "f");
        let mut pool = FramePool::default();
        let before = func.ref_count();
        // SAFETY: `func` outlives every frame made here (this test holds it).
        let f = unsafe { pool.alloc_function_borrowed(&func) };
        assert_eq!(func.ref_count(), before, "borrowed: no reference taken");
        assert!(f.func().is(&func));
        pool.release(f);
        assert_eq!(func.ref_count(), before, "released through the pool");
        // SAFETY: as above (a recycled frame this time).
        let f = unsafe { pool.alloc_function_borrowed(&func) };
        drop(f);
        assert_eq!(
            func.ref_count(),
            before,
            "dropped as a box, outside the pool"
        );
        let owned = pool.alloc_function(func.clone());
        assert_eq!(func.ref_count(), before + 1, "an owned frame holds its own");
        pool.release(owned);
        assert_eq!(func.ref_count(), before, "and gives it back");
    }

    /// The pool keeps at most `POOL_MAX` frames, whichever way they come back; a frame's
    /// locals are unbound by either way (the fast one, or the full one from a local that holds
    /// an object's last reference). On a thread that owns what it makes, as the interpreter's
    /// threads do, so that the fast way applies.
    #[test]
    fn the_pool_is_bounded_and_unbinds_every_local() {
        std::thread::spawn(|| {
            let (poll, trip) = (AtomicU8::new(0), AtomicUsize::new(0));
            // SAFETY: `poll` and `trip` outlive the ownership, which ends on this thread.
            let owns = unsafe { crate::object::rc::Ownership::begin(&poll, &trip) };
            release_many();
            drop(owns);
        })
        .join()
        .unwrap();
    }

    fn release_many() {
        let func = function("def f(a, b):\n    return a\n", "f");
        let mut pool = FramePool::default();
        let kept = Value::list(vec![]);
        let frames: Vec<_> = (0..super::POOL_MAX + 50)
            .map(|i| {
                let mut f = pool.alloc_function(func.clone());
                f.locals[0] = kept.clone();
                // Every other frame holds the last reference to a list of its own.
                if i % 2 == 0 {
                    f.locals[1] = Value::list(vec![Value::NONE]);
                }
                f
            })
            .collect();
        let before = kept.ref_count();
        for f in frames {
            pool.release(f);
        }
        assert_eq!(pool.free.len(), super::POOL_MAX);
        assert!(pool.free.capacity() <= super::POOL_MAX);
        assert_eq!(kept.ref_count(), before - (super::POOL_MAX + 50));
        assert!(pool
            .free
            .iter()
            .all(|f| f.locals.iter().all(Value::is_null)));
    }
}
