//! Traceback objects, recorded lazily.
//!
//! Unwinding through a frame adds one [`Traceback`] entry that holds the frame's code, the
//! raising instruction and the activation's identity (its frame object if it has one, else its
//! [`LazyFrame`]). No frame object is built until `tb_frame` is read; `tb_lineno` is fixed at
//! raise time while `tb_frame.f_lineno` is the frame's own.
//!
//! The JIT frames of one unwinding run (a segment, `segment.rs`) get one entry when the run is
//! published: the outermost frame's. Each following entry is built the first time its
//! predecessor's `tb_next` is read, and kept there (so `tb.tb_next is tb.tb_next`); the
//! innermost frame's `tb_next` is the traceback the exception had before the run. Entries refer
//! to the segment; the segment never refers to them, so no cycle forms.

use super::lazy::Back;
use crate::code::CodeObject;
use crate::object::cycles::Edge;
use crate::object::{NativeObject, Object, PyErr, PyResult, TypeId, Value};
use crate::thread::{runtime, Stats, ThreadState};
use std::any::Any;
use super::segment::Segment;
use std::cell::UnsafeCell;
use std::sync::{Arc, OnceLock};

/// One traceback entry (`types.TracebackType`).
pub struct Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None (unset while
    /// it is an entry of the segment of `frame` nobody has read yet).
    next: Link,
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
        self.next_ref().clone()
    }

    /// `tb_next`, borrowed (built now if it is a segment's entry nobody read yet).
    pub fn next_ref(&self) -> &Value {
        self.next.cell().get_or_init(|| match &self.frame {
            Back::Segment { index, segment } => next_of_segment(segment, *index as usize + 1),
            // Only a segment's entries are built late.
            _ => Value::NONE,
        })
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
            let next = t.next();
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

/// The entry of frame `index` of `segment`, with its `tb_next` left to build unless it is the
/// innermost frame's. None if the collector cleared the segment.
fn segment_entry(segment: &Arc<Segment>, index: usize) -> Value {
    let Some((code, pc, tail)) = segment.entry_parts(index) else {
        return Value::NONE;
    };
    Value::native(Traceback {
        next: tail.map_or_else(Link::unset, Link::new),
        frame: Back::Segment {
            index: index as u32,
            segment: segment.clone(),
        },
        code,
        pc,
    })
}

/// `tb_next` of the entry of frame `index - 1` of `segment`: frame `index`'s entry.
fn next_of_segment(segment: &Arc<Segment>, index: usize) -> Value {
    segment_entry(segment, index)
}

/// Publishes a segment's entries in front of `err`'s traceback: the outermost frame's entry
/// now, the others as they are read (see the module docs).
pub(super) fn prepend_segment(err: &PyErr, segment: &Arc<Segment>) {
    runtime()
        .stats
        .traceback_entries
        .fetch_add(segment.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let mut st = err.exception().state.lock();
    segment.set_tail(std::mem::take(&mut st.traceback));
    st.traceback = segment_entry(segment, 0);
}

impl NativeObject for Traceback {
    fn py_type(&self) -> TypeId {
        TypeId::Traceback
    }

    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        if let Some(next) = self.next.cell().get() {
            visit(Edge::Value(next));
        }
        self.frame.traverse(visit);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, _this: &Value, ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        Some(match name {
            "tb_next" => Ok(self.next()),
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

/// `tb_next`: readers borrow it (a segment's entry builds it on the first read); dropping a
/// traceback detaches the links of the entries it uniquely owns one by one, so a
/// 1,000,000-entry chain is freed without native recursion.
pub struct Link(UnsafeCell<OnceLock<Value>>);

// SAFETY: the cell is only written mutably by `take`, whose contract excludes every concurrent
// borrow; otherwise it is a `OnceLock`, which is `Sync`.
unsafe impl Sync for Link {}
// SAFETY: a `Value` is `Send`.
unsafe impl Send for Link {}

impl Link {
    /// A link to `v`.
    pub fn new(v: Value) -> Link {
        Link(UnsafeCell::new(OnceLock::from(v)))
    }

    /// A link built on its first read.
    fn unset() -> Link {
        Link(UnsafeCell::new(OnceLock::new()))
    }

    fn cell(&self) -> &OnceLock<Value> {
        // SAFETY: shared reads never overlap `take` (see its contract).
        unsafe { &*self.0.get() }
    }

    /// Detaches the link (None if it was never built).
    ///
    /// # Safety
    /// No borrow of the link may exist: the caller owns the only reference to the traceback.
    unsafe fn take(&self) -> Value {
        // SAFETY: caller's contract: nobody else can observe the cell.
        unsafe { (*self.0.get()).take().unwrap_or_default() }
    }
}

impl Drop for Traceback {
    fn drop(&mut self) {
        let mut next = self.next.0.get_mut().take().unwrap_or_default();
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
