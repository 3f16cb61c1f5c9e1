//! `Segment`: the ended JIT frames of one published unwinding run, kept together, whose lazy
//! records are built only when someone reads one of their frames.
//!
//! A run of `N` frames unwound by one exception (`unwind.rs`) becomes one segment: traceback
//! entries refer to its frames by index ([`Back::Segment`]), and so does an `f_back` that
//! names one of them. No per-frame record exists until a frame is read.
//!
//! Frames are numbered outermost first (the order of their traceback entries): frame `i`'s
//! caller is frame `i - 1`; frame 0's caller is the segment's `outer` link (pending while the
//! unwinding thread's claim waits for it). They are stored innermost first, the order in which
//! they ended: the run they were appended to becomes the segment as it is.
//! Reading frame `i` builds the records of `i` and of every outer frame that has none yet
//! (each record's `f_back` must be its caller's record), moving their state out of the
//! segment: at most once per frame.
//!
//! Nothing here refers back to traceback entries or frame objects of the segment, so a
//! segment never forms a reference cycle with them.

use super::lazy::{drop_back_chain, Back, Ended};
use super::LazyFrame;
use crate::code::CodeObject;
use crate::object::cycles::{Edge, Graveyard, Holder};
use crate::object::{PyResult, Value};
use crate::thread::ThreadState;
use parking_lot::Mutex;
use std::sync::Arc;

/// The frames of one unwinding run (see the module docs).
pub struct Segment {
    state: Mutex<SegState>,
}

struct SegState {
    /// Innermost first: frame `i` is at `len - 1 - i`.
    frames: Vec<Slot>,
    /// The caller of frame 0 (None while unknown).
    outer: Back,
    /// The traceback entries inner to the segment's (the exception's traceback before the
    /// run was published): the innermost frame's entry's `tb_next`.
    tail: Value,
}

enum Slot {
    /// The frame's final state (its `back` unused: see the module docs).
    Ended(Ended),
    /// Its record, once built, and what its traceback entry needs.
    Record {
        record: Arc<LazyFrame>,
        code: Arc<CodeObject>,
        pc: usize,
    },
    /// Moved out (only while a record is being built, or after `clear_refs`).
    Gone,
}

/// Frames ended by one exception, innermost first, before they become a [`Segment`].
#[derive(Default)]
pub(super) struct Run(Vec<Slot>);

impl Run {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Appends the frame that ended next (the caller of the last one).
    pub(super) fn push(&mut self, e: Ended) {
        self.0.push(Slot::Ended(e));
    }
}

impl Segment {
    /// The segment of a run's frames.
    pub(super) fn new(run: Run) -> Arc<Segment> {
        Arc::new(Segment {
            state: Mutex::new(SegState {
                frames: run.0,
                outer: Back::None,
                tail: Value::NONE,
            }),
        })
    }

    /// The number of frames.
    pub(super) fn len(&self) -> usize {
        self.state.lock().frames.len()
    }

    /// Sets the entries that follow the innermost frame's (once, at publication).
    pub(super) fn set_tail(&self, tail: Value) {
        self.state.lock().tail = tail;
    }

    /// What frame `i`'s traceback entry holds: its code, its instruction, and its `tb_next`
    /// when that is not another entry of the segment (the innermost frame's: the tail).
    /// `None` once the collector cleared the segment.
    pub(super) fn entry_parts(&self, i: usize) -> Option<(Arc<CodeObject>, usize, Option<Value>)> {
        let st = self.state.lock();
        let last = st.frames.len() - 1;
        let (code, pc) = match &st.frames[last - i] {
            Slot::Ended(e) => (e.code.clone(), e.pc),
            Slot::Record { code, pc, .. } => (code.clone(), *pc),
            Slot::Gone => return None,
        };
        Some((code, pc, (i == last).then(|| st.tail.clone())))
    }

    /// The caller of frame 0 became known.
    pub(super) fn settle_back(&self, back: Back) {
        let mut st = self.state.lock();
        match st.frames.last() {
            Some(Slot::Record { record, .. }) => {
                let r = record.clone();
                drop(st);
                r.settle_back(back);
            }
            _ => st.outer = back,
        }
    }

    /// The record of frame `i`, built now (with those of the outer frames that have none).
    pub(super) fn record(&self, i: usize) -> Arc<LazyFrame> {
        let mut st = self.state.lock();
        let frames = &mut st.frames;
        let last = frames.len() - 1;
        // Storage positions: frame `i` is at `last - i`, its callers above it. Find the
        // innermost caller that has a record already.
        let mut p = last - i;
        while p < last && !matches!(frames[p + 1], Slot::Record { .. }) {
            p += 1;
        }
        let mut back = match frames.get(p + 1) {
            Some(Slot::Record { record, .. }) => Back::Lazy(record.clone()),
            _ => st.outer.clone(),
        };
        let frames = &mut st.frames;
        // From the outermost frame without a record in towards `i`.
        loop {
            let slot = match std::mem::replace(&mut frames[p], Slot::Gone) {
                Slot::Ended(mut e) => {
                    e.back = back;
                    let (code, pc) = (e.code.clone(), e.pc);
                    Slot::Record {
                        record: LazyFrame::ended(e),
                        code,
                        pc,
                    }
                }
                built @ Slot::Record { .. } => built,
                // Cleared by the collector at exit: nothing to build.
                Slot::Gone => return LazyFrame::cleared(),
            };
            let Slot::Record { record, .. } = &slot else {
                unreachable!()
            };
            let record = record.clone();
            frames[p] = slot;
            if p == last - i {
                return record;
            }
            back = Back::Lazy(record);
            p -= 1;
        }
    }

    /// Frame `i`'s frame object, built now if needed.
    pub(super) fn frame(&self, i: usize, ts: &mut ThreadState) -> PyResult<Value> {
        // The claim on frame 0's caller, if this thread's, is settled before anyone reads.
        super::unwind::settle(ts);
        self.record(i).frame(ts)
    }
}

impl Segment {
    /// Drops the frames (inner first: each record's caller link is then the last one to its
    /// caller, already detached from its own) and returns the caller link of frame 0, for
    /// iterative drops of long `f_back` chains.
    pub(super) fn take_outer(&mut self) -> Back {
        let st = self.state.get_mut();
        // Storage order is innermost first.
        for slot in st.frames.drain(..) {
            drop(slot);
        }
        std::mem::replace(&mut st.outer, Back::None)
    }
}

impl Drop for Segment {
    fn drop(&mut self) {
        drop_back_chain(self.take_outer());
    }
}

impl Segment {
    /// The collector's edge for a strong reference to a segment (a shared node of its own).
    pub(crate) fn edge(this: &Arc<Segment>) -> Edge<'_> {
        Edge::Shared {
            id: Arc::as_ptr(this) as usize,
            count: Arc::strong_count(this),
            node: &**this,
        }
    }
}

impl Holder for Segment {
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        let st = self.state.lock();
        for slot in &st.frames {
            match slot {
                Slot::Ended(e) => {
                    visit(Edge::Value(&e.globals));
                    e.locals.iter().for_each(|v| visit(Edge::Value(v)));
                }
                Slot::Record { record, .. } => visit(LazyFrame::edge(record)),
                Slot::Gone => {}
            }
        }
        st.outer.traverse(visit);
        visit(Edge::Value(&st.tail));
    }

    fn clear_refs(&self, graveyard: &mut Graveyard) {
        let mut st = self.state.lock();
        let frames = std::mem::take(&mut st.frames);
        let n = frames.len();
        graveyard.bury(frames);
        st.frames = (0..n).map(|_| Slot::Gone).collect();
        graveyard.bury(std::mem::replace(&mut st.outer, Back::None));
        graveyard.bury(std::mem::take(&mut st.tail));
    }
}
