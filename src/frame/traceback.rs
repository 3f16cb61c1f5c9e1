//! Traceback objects, recorded lazily.
//!
//! Unwinding through a frame adds one [`Traceback`] entry that holds the frame's code, the
//! raising instruction and the activation's identity (its frame object if it has one, else its
//! [`LazyFrame`]). No frame object is built until `tb_frame` is read; `tb_lineno` is fixed at
//! raise time while `tb_frame.f_lineno` is the frame's own.

use super::lazy::Back;
use crate::code::CodeObject;
use crate::object::cycles::Edge;
use crate::object::{NativeObject, Object, PyErr, PyResult, TypeId, Value};
use crate::thread::{runtime, Stats, ThreadState};
use std::any::Any;
use std::cell::UnsafeCell;
use std::sync::Arc;

/// One traceback entry (`types.TracebackType`).
pub struct Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None.
    pub(crate) next: Link,
    /// The activation.
    pub(crate) frame: Back,
    /// Its code.
    pub(crate) code: Arc<CodeObject>,
    /// Index of the instruction that raised (or called the frame that raised).
    pub(crate) pc: usize,
}

impl Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None.
    pub fn next(&self) -> Value {
        Value::clone(&self.next)
    }

    /// The code of the entry's frame.
    pub fn code(&self) -> &Arc<CodeObject> {
        &self.code
    }

    /// The index of the instruction that raised, or that called the frame that raised
    /// (`tb_lasti / 2`).
    pub fn pc(&self) -> usize {
        self.pc
    }

    /// `tb_lineno`.
    pub fn lineno(&self) -> Option<u32> {
        self.code.line_of(self.pc)
    }

    /// `tb_frame`, materialized now if needed.
    pub fn frame(&self, ts: &mut ThreadState) -> PyResult<Value> {
        self.frame.resolve(ts)
    }

    /// The entries from `tb` on, following `tb_next`.
    pub fn chain(tb: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cur = tb.clone();
        while let Some(t) = cur.downcast::<Traceback>() {
            let next = Value::clone(&t.next);
            out.push(cur);
            cur = next;
        }
        out
    }
}

/// Prepends an entry for an activation to `err`'s traceback (`PyTraceBack_Here`).
pub fn add_traceback_entry(err: &PyErr, frame: Back, code: &Arc<CodeObject>, pc: usize) {
    add_traceback_entry_chained(err, frame, code.clone(), pc, || {});
}

/// [`add_traceback_entry`] for an exception that may have just been raised: `chain` (the
/// `__context__` chaining of a fresh exception) runs first if the traceback is still empty.
/// One lock of the exception's state in the common case, an unwind through one more frame.
pub fn add_traceback_entry_chained(
    err: &PyErr,
    frame: Back,
    code: Arc<CodeObject>,
    pc: usize,
    chain: impl FnOnce(),
) {
    Stats::bump(&runtime().stats.traceback_entries);
    let exc = err.exception();
    let mut st = exc.state.lock();
    if st.traceback.is_none() {
        // Chaining locks this state (and others'): not under our lock.
        drop(st);
        chain();
        st = exc.state.lock();
    }
    let next = std::mem::take(&mut st.traceback);
    st.traceback = Value::native(Traceback {
        next: Link::new(next),
        frame,
        code,
        pc,
    });
}

/// Is `err`'s traceback still empty (a fresh raise)?
pub(super) fn is_empty(err: &PyErr) -> bool {
    err.exception().state.lock().traceback.is_none()
}

/// Entries prepended to an exception's traceback as a batch: given outermost first, linked as
/// they come, and attached under one lock by [`Prepend::finish`].
pub(super) struct Prepend<'a> {
    err: &'a PyErr,
    /// The outermost entry: the new head.
    head: Value,
    /// The `tb_next` cell of the innermost entry so far (in `head`'s chain, which owns it).
    tail: *const Link,
    count: u64,
}

impl<'a> Prepend<'a> {
    /// A batch for `err`.
    pub(super) fn new(err: &'a PyErr) -> Prepend<'a> {
        Prepend {
            err,
            head: Value::NONE,
            tail: std::ptr::null(),
            count: 0,
        }
    }

    /// Adds the entry of the next inner frame.
    pub(super) fn push(&mut self, frame: Back, code: Arc<CodeObject>, pc: usize) {
        let tb = Value::native(Traceback {
            next: Link::new(Value::NONE),
            frame,
            code,
            pc,
        });
        let link: *const Link = &tb.downcast::<Traceback>().expect("a traceback").next;
        if self.tail.is_null() {
            self.head = tb;
        } else {
            // SAFETY: `tail` is the `tb_next` cell of an entry this batch built, owned through
            // `head`'s chain and shared with nobody yet; the allocation does not move.
            unsafe { *(*self.tail).0.get() = tb };
        }
        self.tail = link;
        self.count += 1;
    }

    /// Attaches the batch in front of the exception's traceback.
    pub(super) fn finish(self) {
        if self.tail.is_null() {
            return;
        }
        runtime()
            .stats
            .traceback_entries
            .fetch_add(self.count, std::sync::atomic::Ordering::Relaxed);
        let mut st = self.err.exception().state.lock();
        let old = std::mem::replace(&mut st.traceback, self.head);
        // SAFETY: as in `push`; the innermost entry's link is still ours alone (the chain was
        // published just now, under the lock we hold, and nobody else can have read it).
        unsafe { *(*self.tail).0.get() = old };
    }
}

impl NativeObject for Traceback {
    fn py_type(&self) -> TypeId {
        TypeId::Traceback
    }

    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        visit(Edge::Value(&self.next));
        self.frame.traverse(visit);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, _this: &Value, ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        Some(match name {
            "tb_next" => Ok(Value::clone(&self.next)),
            "tb_frame" => self.frame(ts),
            "tb_lineno" => Ok(self.lineno().map_or(Value::NONE, |l| Value::int(l as i64))),
            "tb_lasti" => Ok(Value::int(self.pc as i64 * 2)),
            _ => return None,
        })
    }

    fn repr(&self, this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!("<traceback object at {:#x}>", this.id()))
    }
}

impl Object {
    /// Is this a traceback object?
    pub fn is_traceback(&self) -> bool {
        matches!(self, Object::Native(n) if n.py_type() == TypeId::Traceback)
    }
}

/// `tb_next`: readers borrow it; dropping a traceback detaches the links of the entries it
/// uniquely owns one by one, so a 1,000,000-entry chain is freed without native recursion.
pub struct Link(UnsafeCell<Value>);

// SAFETY: the value is only written by `take`, whose contract excludes every concurrent borrow.
unsafe impl Sync for Link {}
// SAFETY: a `Value` is `Send`.
unsafe impl Send for Link {}

impl Link {
    /// A link to `v`.
    pub fn new(v: Value) -> Link {
        Link(UnsafeCell::new(v))
    }

    /// Detaches the link.
    ///
    /// # Safety
    /// No borrow of the link may exist: the caller owns the only reference to the traceback.
    unsafe fn take(&self) -> Value {
        // SAFETY: caller's contract: nobody else can observe the cell.
        unsafe { std::mem::take(&mut *self.0.get()) }
    }
}

impl std::ops::Deref for Link {
    type Target = Value;

    fn deref(&self) -> &Value {
        // SAFETY: shared reads never overlap `take` (see its contract).
        unsafe { &*self.0.get() }
    }
}

impl Drop for Traceback {
    fn drop(&mut self) {
        let mut next = std::mem::take(self.next.0.get_mut());
        // A uniquely held entry can be unlinked before it is dropped: iterate, don't recurse.
        while next.ref_count() == 1 {
            let Some(t) = next.downcast::<Traceback>() else {
                break;
            };
            // SAFETY: `next` is the only reference to this entry and nothing borrows it.
            let after = unsafe { t.next.take() };
            drop(next);
            next = after;
        }
    }
}
