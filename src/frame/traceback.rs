//! Traceback objects, recorded lazily.
//!
//! Unwinding through a frame adds one [`Traceback`] entry that holds the frame's code, the
//! raising instruction and the activation's identity (its frame object if it has one, else its
//! [`LazyFrame`]). No frame object is built until `tb_frame` is read; `tb_lineno` is fixed at
//! raise time while `tb_frame.f_lineno` is the frame's own.
//!
//! The JIT frames of one unwinding run (a segment, `segment.rs`) get one entry when the run is
//! published: the outermost frame's. The following entries are built when their predecessor's
//! `tb_next` is first read, [`BATCH`] at a time, linked to one another, and kept (so
//! `tb.tb_next is tb.tb_next`); the innermost frame's `tb_next` is the traceback the exception
//! had before the run. Entries refer to the segment, through references counted in bulk
//! (`entry_refs.rs`); the segment never refers to them, so no cycle forms.

use super::entry_refs::{self, EntryRef, Releases};
use super::lazy::Back;
use super::segment::Segment;
use crate::code::CodeObject;
use crate::object::cycles::Edge;
use crate::object::{AttrGetter, NativeObject, Object, PyErr, PyResult, TypeId, Value};
use crate::thread::{Stat, Stats, ThreadState};
use std::any::Any;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// One traceback entry (`types.TracebackType`).
pub struct Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None (unset while
    /// it is an entry of a segment nobody has read yet).
    next: Link,
    /// Index of the instruction that raised (or called the frame that raised).
    pc: usize,
    /// Whose entry it is.
    site: Site,
}

/// The activation of an entry.
enum Site {
    /// An activation with an identity of its own, and its code.
    Frame { frame: Back, code: Arc<CodeObject> },
    /// Frame `index` of a segment (which keeps its code).
    Segment { index: u32, segment: EntryRef },
}

impl Traceback {
    /// `tb_next`: the entry of the next frame towards the raise point, or None.
    pub fn next(&self) -> Value {
        self.next_ref().clone()
    }

    /// `tb_next`, borrowed (built now if it is a segment's entry nobody read yet).
    pub fn next_ref(&self) -> &Value {
        self.next.get_or_init(|| match &self.site {
            Site::Segment { index, segment } => segment_entries(segment, *index as usize + 1),
            // Only a segment's entries are built late.
            Site::Frame { .. } => Value::NONE,
        })
    }

    /// The code of the entry's frame.
    pub fn code(&self) -> &Arc<CodeObject> {
        match &self.site {
            Site::Frame { code, .. } => code,
            Site::Segment { index, segment } => segment.get().site(*index as usize).0,
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
        match &self.site {
            Site::Frame { frame, .. } => frame.resolve(ts),
            Site::Segment { index, segment } => segment.get().frame(*index as usize, ts),
        }
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
    Stats::bump(Stat::TracebackEntries);
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
        pc,
        site: Site::Frame { frame, code },
    });
}

/// Is `err`'s traceback still empty (a fresh raise)?
pub(super) fn is_empty(err: &PyErr) -> bool {
    err.exception().state.lock().traceback.is_none()
}

/// Entries of a segment built together when one `tb_next` is read: a walk then finds the next
/// few built and linked (no compare-and-swap to install each), in ascending addresses, and
/// their references to the segment cost one atomic add.
const BATCH: usize = 16;

/// The entry of frame `index` of `segment` (borrowed from an entry of it, or from its
/// publication), with the entries of the frames after it in its batch linked behind it; the
/// last one's `tb_next` is left to build, unless it is the innermost frame's (then: the
/// segment's tail).
fn segment_entries(segment: &EntryRef, index: usize) -> Value {
    let seg = segment.get();
    let end = (index + BATCH).min(seg.len());
    let mut refs = entry_refs::take(segment, end - index);
    let head = segment_entry(seg, index, refs.next());
    let mut prev = head.bits();
    for i in index + 1..end {
        let e = segment_entry(seg, i, refs.next());
        let bits = e.bits();
        // SAFETY: `prev` is an entry built above, owned by the batch (through `head`) and
        // seen by nobody else yet; its link is unset (it is not the innermost frame's: `i` is
        // a frame after it). The head's publication (release order) publishes this store.
        unsafe { entry_at(prev).next.set_unshared(e) };
        prev = bits;
    }
    head
}

/// The entry a word points to.
///
/// # Safety
/// `bits` is a traceback entry's value, alive for the returned borrow.
unsafe fn entry_at<'a>(bits: usize) -> &'a Traceback {
    // SAFETY: per the contract, `bits` is a live value; `v` borrows its reference and is
    // never dropped.
    let v = std::mem::ManuallyDrop::new(unsafe { Value::from_bits(bits) });
    let t: *const Traceback = v.downcast::<Traceback>().expect("a traceback entry");
    // SAFETY: the object outlives the borrow (contract).
    unsafe { &*t }
}

/// The entry of frame `index` of `segment`, holding `r`, with its `tb_next` left to build
/// unless it is the innermost frame's (then: the segment's tail).
fn segment_entry(segment: &Segment, index: usize, r: EntryRef) -> Value {
    let (_, pc) = segment.site(index);
    let next = if index + 1 == segment.len() {
        Link::new(segment.tail())
    } else {
        Link::unset()
    };
    Value::native(Traceback {
        next,
        pc,
        site: Site::Segment {
            index: index as u32,
            segment: r,
        },
    })
}

/// Publishes a segment's entries in front of `err`'s traceback: the outermost frame's entry
/// now, the others as they are read (see the module docs).
pub(super) fn prepend_segment(err: &PyErr, segment: &Arc<Segment>) {
    Stats::add(Stat::TracebackEntries, segment.len() as u64);
    let mut st = err.exception().state.lock();
    segment.set_tail(std::mem::take(&mut st.traceback));
    st.traceback = segment_entry(segment, 0, entry_refs::take_first(segment));
}

impl NativeObject for Traceback {
    fn py_type(&self) -> TypeId {
        TypeId::Traceback
    }

    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        if let Some(next) = self.next.get() {
            visit(Edge::Value(next));
        }
        match &self.site {
            Site::Frame { frame, .. } => frame.traverse(visit),
            Site::Segment { segment, .. } => visit(segment.edge()),
        }
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

    fn leaf_getter(&self, name: &str) -> bool {
        // `tb_next` builds entries (allocations) at most once; `tb_frame` may materialize a
        // running activation's frame, which needs its call site.
        matches!(name, "tb_next" | "tb_lineno" | "tb_lasti")
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

    /// Sets an unset link to `v`.
    ///
    /// # Safety
    /// The link is unset and not shared: no other thread can read it until its entry is
    /// published with release order.
    unsafe fn set_unshared(&self, v: Value) {
        debug_assert_eq!(self.0.load(Ordering::Relaxed), 0);
        self.0.store(v.into_bits(), Ordering::Relaxed);
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
        // The segment references of the entries dropped here, given back together.
        let mut releases = Releases::default();
        if let Site::Segment { segment, .. } = &self.site {
            releases.add(segment);
        }
        // A uniquely held entry can be unlinked before it is dropped: iterate, don't recurse.
        while next.is_unique() {
            let Some(t) = next.downcast::<Traceback>() else {
                break;
            };
            // SAFETY: `next` is the only reference to this entry and nothing borrows it.
            let after = unsafe { t.next.detach() };
            if let Site::Segment { segment, .. } = &t.site {
                // The entry is ours alone and dropped next, without using its reference.
                releases.add(segment);
            }
            drop(next);
            next = after;
        }
    }
}
