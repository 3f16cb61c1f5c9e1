//! `Segment`: the ended JIT frames of one published unwinding run, kept together, whose lazy
//! records (and, in `traceback.rs`, traceback entries) are built only when someone reads them.
//!
//! A run of `N` frames unwound by one exception (`unwind.rs`) becomes one segment: traceback
//! entries refer to its frames by index ([`Back::Segment`]), and so does an `f_back` that
//! names one of them. No per-frame record exists until a frame is read.
//!
//! Frames are numbered outermost first (the order of their traceback entries): frame `i`'s
//! caller is frame `i - 1`; frame 0's caller is the segment's `outer` link (pending while the
//! unwinding thread's claim waits for it). They are stored innermost first, the order in which
//! they ended, in chunks that never move: the run they were appended to becomes the segment as
//! it is. What an entry needs (code, instruction) is kept apart and never changes, so entries
//! read it without the lock.
//!
//! Reading frame `i` builds the records of `i` and of every outer frame that has none yet
//! (each record's `f_back` must be its caller's record), moving their state out of the
//! segment: at most once per frame.
//!
//! Nothing here refers back to traceback entries or frame objects of the segment, so a
//! segment never forms a reference cycle with them.

use super::lazy::{drop_back_chain, Back, Ended, INLINE_LOCALS};
use super::LazyFrame;
use crate::code::CodeObject;
use crate::object::cycles::{Edge, Graveyard, Holder};
use crate::object::{PyResult, Value};
use crate::thread::ThreadState;
use parking_lot::Mutex;
use smallvec::SmallVec;
use std::sync::Arc;

/// The frames of one unwinding run (see the module docs).
pub struct Segment {
    /// Where each frame failed, innermost first. Never changes.
    sites: Chunked<Site>,
    state: Mutex<SegState>,
}

/// Where a frame failed: what its traceback entry shows.
struct Site {
    code: Arc<CodeObject>,
    pc: usize,
}

struct SegState {
    /// Innermost first: frame `i` is at `len - 1 - i`.
    frames: Chunked<Slot>,
    /// The caller of frame 0 (None while unknown).
    outer: Back,
    /// The traceback entries inner to the segment's (the exception's traceback before the
    /// run was published): the innermost frame's entry's `tb_next`.
    tail: Value,
}

enum Slot {
    /// The frame's final state.
    Ended {
        globals: Value,
        locals: SmallVec<[Value; INLINE_LOCALS]>,
    },
    /// Its record, once built.
    Record(Arc<LazyFrame>),
    /// Moved out (only while a record is being built, or after `clear_refs`).
    Gone,
}

/// Frames ended by one exception, innermost first, before they become a [`Segment`].
#[derive(Default)]
pub(super) struct Run {
    sites: Chunked<Site>,
    frames: Chunked<Slot>,
}

impl Run {
    pub(super) fn is_empty(&self) -> bool {
        self.sites.len == 0
    }

    /// Appends the frame that ended next (the caller of the last one), with its locals moved
    /// out of `locals` (left `None`).
    #[inline]
    pub(super) fn push(
        &mut self,
        code: Arc<CodeObject>,
        pc: usize,
        globals: Value,
        locals: &mut [Value],
    ) {
        self.sites.push(Site { code, pc });
        let mut moved = SmallVec::with_capacity(locals.len());
        for v in locals {
            moved.push(std::mem::take(v));
        }
        self.frames.push(Slot::Ended {
            globals,
            locals: moved,
        });
    }
}

impl Segment {
    /// The segment of a run's frames.
    pub(super) fn new(run: Run) -> Arc<Segment> {
        Arc::new(Segment {
            sites: run.sites,
            state: Mutex::new(SegState {
                frames: run.frames,
                outer: Back::None,
                tail: Value::NONE,
            }),
        })
    }

    /// The number of frames.
    pub(super) fn len(&self) -> usize {
        self.sites.len
    }

    /// Sets the entries that follow the innermost frame's (once, at publication).
    pub(super) fn set_tail(&self, tail: Value) {
        self.state.lock().tail = tail;
    }

    /// The code and failing instruction of frame `i`.
    pub(super) fn site(&self, i: usize) -> (&Arc<CodeObject>, usize) {
        let s = self.sites.get(self.sites.len - 1 - i);
        (&s.code, s.pc)
    }

    /// The entries that follow the innermost frame's.
    pub(super) fn tail(&self) -> Value {
        self.state.lock().tail.clone()
    }

    /// The caller of frame 0 became known.
    pub(super) fn settle_back(&self, back: Back) {
        let mut st = self.state.lock();
        let last = st.frames.len - 1;
        match st.frames.get(last) {
            Slot::Record(r) => {
                let r = r.clone();
                drop(st);
                r.settle_back(back);
            }
            _ => st.outer = back,
        }
    }

    /// The record of frame `i`, built now (with those of the outer frames that have none).
    pub(super) fn record(&self, i: usize) -> Arc<LazyFrame> {
        let mut st = self.state.lock();
        let st = &mut *st;
        let last = st.frames.len - 1;
        // Storage positions: frame `i` is at `last - i`, its callers above it. Find the
        // innermost caller that has a record already.
        let mut p = last - i;
        while p < last && !matches!(st.frames.get(p + 1), Slot::Record(_)) {
            p += 1;
        }
        let mut back = match (p < last).then(|| st.frames.get(p + 1)) {
            Some(Slot::Record(r)) => Back::Lazy(r.clone()),
            _ => st.outer.clone(),
        };
        // From the outermost frame without a record in towards `i`.
        loop {
            let slot = st.frames.get_mut(p);
            let record = match std::mem::replace(slot, Slot::Gone) {
                Slot::Ended { globals, locals } => {
                    let site = self.sites.get(p);
                    LazyFrame::ended(Ended {
                        code: site.code.clone(),
                        globals,
                        locals,
                        pc: site.pc,
                        back,
                    })
                }
                Slot::Record(r) => r,
                // Cleared by the collector at exit: nothing to build.
                Slot::Gone => return LazyFrame::cleared(),
            };
            *slot = Slot::Record(record.clone());
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

    /// Drops the frames (inner first: each record's caller link is then the last one to its
    /// caller, already detached from its own) and returns the caller link of frame 0, for
    /// iterative drops of long `f_back` chains.
    pub(super) fn take_outer(&mut self) -> Back {
        let st = self.state.get_mut();
        // Storage order is innermost first.
        std::mem::take(&mut st.frames).drop_in_order();
        std::mem::replace(&mut st.outer, Back::None)
    }

    /// The collector's edge for a strong reference to a segment (a shared node of its own).
    pub(crate) fn edge(this: &Arc<Segment>) -> Edge<'_> {
        Edge::Shared {
            id: Arc::as_ptr(this) as usize,
            count: Arc::strong_count(this),
            node: &**this,
        }
    }
}

impl Drop for Segment {
    fn drop(&mut self) {
        drop_back_chain(self.take_outer());
    }
}

impl Holder for Segment {
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        let st = self.state.lock();
        for slot in st.frames.iter() {
            match slot {
                Slot::Ended { globals, locals } => {
                    visit(Edge::Value(globals));
                    locals.iter().for_each(|v| visit(Edge::Value(v)));
                }
                Slot::Record(r) => visit(LazyFrame::edge(r)),
                Slot::Gone => {}
            }
        }
        st.outer.traverse(visit);
        visit(Edge::Value(&st.tail));
    }

    fn clear_refs(&self, graveyard: &mut Graveyard) {
        let mut st = self.state.lock();
        for slot in st.frames.iter_mut() {
            graveyard.bury(std::mem::replace(slot, Slot::Gone));
        }
        graveyard.bury(std::mem::replace(&mut st.outer, Back::None));
        graveyard.bury(std::mem::take(&mut st.tail));
    }
}

/// Items in chunks of 8, 16, 32, ... that never move once pushed: a run of 1,000,000 frames
/// is appended without copying what it holds, and a run of a few frames takes one small chunk.
struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

/// Capacity of the first chunk.
const FIRST: usize = 8;

impl<T> Chunked<T> {
    /// Chunk and offset of position `p`: chunk `k` holds positions `FIRST * (2^k - 1)` up to
    /// `FIRST * (2^(k+1) - 1)`.
    fn place(p: usize) -> (usize, usize) {
        let k = (p / FIRST + 1).ilog2() as usize;
        (k, p - FIRST * ((1 << k) - 1))
    }

    #[inline]
    fn push(&mut self, v: T) {
        let (k, _) = Self::place(self.len);
        if k == self.chunks.len() {
            self.chunks.push(Vec::with_capacity(FIRST << k));
        }
        self.chunks[k].push(v);
        self.len += 1;
    }

    fn get(&self, p: usize) -> &T {
        let (k, o) = Self::place(p);
        &self.chunks[k][o]
    }

    fn get_mut(&mut self, p: usize) -> &mut T {
        let (k, o) = Self::place(p);
        &mut self.chunks[k][o]
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.chunks.iter_mut().flatten()
    }

    /// Drops the items in position order.
    fn drop_in_order(self) {
        for chunk in self.chunks {
            for item in chunk {
                drop(item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Chunked;

    #[test]
    fn chunked_positions_round_trip() {
        let mut c = Chunked::default();
        for i in 0..10_000usize {
            c.push(i);
        }
        assert_eq!(c.len, 10_000);
        for p in [0, 7, 8, 23, 24, 55, 56, 9_999] {
            assert_eq!(*c.get(p), p);
        }
        assert!(c.iter().copied().eq(0..10_000));
        // Chunks double: 8, 16, 32, ... and never exceed twice what they hold.
        assert!(c.chunks.iter().map(Vec::capacity).sum::<usize>() < 2 * 10_000 + 8);
    }
}
