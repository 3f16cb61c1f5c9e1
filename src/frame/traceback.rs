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
use super::segment::Segment;
use crate::code::CodeObject;
use crate::object::cycles::Edge;
use crate::object::{AttrGetter, NativeObject, Object, PyErr, PyResult, TypeId, Value};
use crate::thread::{runtime, Stats, ThreadState};
use std::any::Any;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// One traceback entry (`types.TracebackType`).
pub struct Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None (unset while
    /// it is an entry of the segment of `frame` nobody has read yet).
    next: Link,
    /// The activation.
    pub(crate) frame: Back,
    /// Its code (None for a segment's entry: the segment keeps it).
    code: Option<Arc<CodeObject>>,
    /// Index of the instruction that raised (or called the frame that raised).
    pc: usize,
}

impl Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None.
    pub fn next(&self) -> Value {
        self.next_ref().clone()
    }

    /// `tb_next`, borrowed (built now if it is a segment's entry nobody read yet).
    pub fn next_ref(&self) -> &Value {
        self.next.get_or_init(|| match &self.frame {
            Back::Segment { index, segment } => segment_entry(segment, *index as usize + 1),
            // Only a segment's entries are built late.
            _ => Value::NONE,
        })
    }

    /// The code of the entry's frame.
    pub fn code(&self) -> &Arc<CodeObject> {
        match (&self.code, &self.frame) {
            (Some(code), _) => code,
            (None, Back::Segment { index, segment }) => segment.site(*index as usize).0,
            (None, _) => unreachable!("an entry without code outside a segment"),
        }
    }

    /// The index of the instruction that raised, or that called the frame that raised
    /// (`tb_lasti / 2`).
    pub fn pc(&self) -> usize {
        self.pc
    }

    /// `tb_lineno`.
    pub fn lineno(&self) -> Option<u32> {
        self.code().line_of(self.pc)
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
        code: Some(code),
        pc,
    });
}

/// Is `err`'s traceback still empty (a fresh raise)?
pub(super) fn is_empty(err: &PyErr) -> bool {
    err.exception().state.lock().traceback.is_none()
}

/// The entry of frame `index` of `segment`, with its `tb_next` left to build unless it is the
/// innermost frame's (then: the segment's tail).
fn segment_entry(segment: &Arc<Segment>, index: usize) -> Value {
    let (_, pc) = segment.site(index);
    let next = if index + 1 == segment.len() {
        Link::new(segment.tail())
    } else {
        Link::unset()
    };
    Value::native(Traceback {
        next,
        frame: Back::Segment {
            index: index as u32,
            segment: segment.clone(),
        },
        code: None,
        pc,
    })
}

/// Publishes a segment's entries in front of `err`'s traceback: the outermost frame's entry
/// now, the others as they are read (see the module docs).
pub(super) fn prepend_segment(err: &PyErr, segment: &Arc<Segment>) {
    runtime()
        .stats
        .traceback_entries
        .fetch_add(segment.len() as u64, Ordering::Relaxed);
    let mut st = err.exception().state.lock();
    segment.set_tail(std::mem::take(&mut st.traceback));
    st.traceback = segment_entry(segment, 0);
}

impl NativeObject for Traceback {
    fn py_type(&self) -> TypeId {
        TypeId::Traceback
    }

    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        if let Some(next) = self.next.get() {
            visit(Edge::Value(next));
        }
        self.frame.traverse(visit);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn attr_getter(&self, name: &str) -> Option<AttrGetter> {
        let getter: AttrGetter = match name {
            "tb_next" => |this, _| Ok(entry(this).next()),
            "tb_frame" => |this, ts| entry(this).frame(ts),
            "tb_lineno" => |this, _| {
                Ok(entry(this)
                    .lineno()
                    .map_or(Value::NONE, |l| Value::int(l as i64)))
            },
            "tb_lasti" => |this, _| Ok(Value::int(entry(this).pc as i64 * 2)),
            _ => return None,
        };
        Some(getter)
    }

    fn getattr(&self, this: &Value, ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        self.attr_getter(name).map(|get| get(this, ts))
    }

    fn repr(&self, this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!("<traceback object at {:#x}>", this.id()))
    }
}

/// The entry of a getter's `this` (getters are called on their own type's objects only).
fn entry(this: &Value) -> &Traceback {
    this.downcast::<Traceback>()
        .expect("a traceback getter called on a traceback")
}

impl Object {
    /// Is this a traceback object?
    pub fn is_traceback(&self) -> bool {
        matches!(self, Object::Native(n) if n.py_type() == TypeId::Traceback)
    }
}

/// `tb_next`: readers borrow it (a segment's entry builds it on the first read, and the first
/// builder to install it wins); dropping a traceback detaches the links of the entries it
/// uniquely owns one by one, so a 1,000,000-entry chain is freed without native recursion.
///
/// The word is 0 until built (no `Value` has the bits 0), then an owned `Value`'s bits that
/// never change while the link is shared.
pub struct Link(AtomicUsize);

impl Link {
    /// A link to `v`.
    pub fn new(v: Value) -> Link {
        Link(AtomicUsize::new(v.into_bits()))
    }

    /// A link built on its first read.
    fn unset() -> Link {
        Link(AtomicUsize::new(0))
    }

    /// The value, if built.
    fn get(&self) -> Option<&Value> {
        // Acquire: pairs with the install in `get_or_init`, so the value's object is seen
        // whole.
        let bits = self.0.load(Ordering::Acquire);
        // SAFETY: a nonzero word is an installed value that never changes while `self` is
        // shared (only `take`, which owns the link, clears it); `Value` is one word.
        (bits != 0).then(|| unsafe { &*(self.0.as_ptr() as *const Value) })
    }

    /// The value, built by `build` (and installed) if it was not yet.
    fn get_or_init(&self, build: impl FnOnce() -> Value) -> &Value {
        if let Some(v) = self.get() {
            return v;
        }
        let v = build();
        // Release: the object `v` points to is initialized before another reader can see it.
        if self
            .0
            .compare_exchange(0, v.bits(), Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            std::mem::forget(v);
        }
        self.get().expect("the link is installed")
    }

    /// Detaches the link (None if it was never built).
    ///
    /// # Safety
    /// No borrow of the link's value may exist: the caller owns the only reference to the
    /// traceback.
    unsafe fn detach(&self) -> Value {
        // Plain load and store, no read-modify-write: the caller is the only one to touch it.
        let bits = self.0.load(Ordering::Relaxed);
        self.0.store(0, Ordering::Relaxed);
        match bits {
            0 => Value::NONE,
            // SAFETY: a nonzero word is an owned value's, now ours (caller's contract: nobody
            // borrows it).
            bits => unsafe { Value::from_bits(bits) },
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: nothing borrows the value.
        drop(unsafe { self.detach() });
    }
}

impl Drop for Traceback {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: nothing borrows the value.
        let mut next = unsafe { self.next.detach() };
        // A uniquely held entry can be unlinked before it is dropped: iterate, don't recurse.
        while next.ref_count() == 1 {
            let Some(t) = next.downcast::<Traceback>() else {
                break;
            };
            // SAFETY: `next` is the only reference to this entry and nothing borrows it.
            let after = unsafe { t.next.detach() };
            drop(next);
            next = after;
        }
    }
}
