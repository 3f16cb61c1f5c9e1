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
//! read it without the lock. The frames' locals follow one another in one store, so that a
//! frame appended costs no allocation of its own and freeing the segment is one pass.
//!
//! Reading frame `i` builds the records of `i` and of every outer frame that has none yet
//! (each record's `f_back` must be its caller's record), moving their state out of the
//! segment: at most once per frame.
//!
//! Nothing here refers back to traceback entries or frame objects of the segment, so a
//! segment never forms a reference cycle with them.

use super::activation::ForeignFrames;
use super::lazy::{drop_back_chain, Back, Ended, INLINE_LOCALS};
use super::LazyFrame;
use crate::code::CodeObject;
use crate::object::cycles::{Edge, Graveyard, Holder};
use crate::object::{PyResult, Value};
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use parking_lot::Mutex;
use smallvec::SmallVec;
use std::sync::Arc;

/// The frames of one unwinding run (see the module docs).
pub struct Segment {
    /// The distinct code objects of the frames (a recursion has one), `Site::code` indexes.
    codes: Box<[Arc<CodeObject>]>,
    /// Where each frame failed, innermost first. Never changes.
    sites: Chunked<Site>,
    state: Mutex<SegState>,
}

/// Where a frame failed: what its traceback entry shows.
struct Site {
    /// Index into the segment's `codes`.
    code: u32,
    /// The instruction.
    pc: u32,
}

struct SegState {
    /// The distinct globals dicts of the frames, `Slot::Ended::globals` indexes.
    globals: Vec<Value>,
    /// Innermost first: frame `i` is at `len - 1 - i`.
    frames: Chunked<Slot>,
    /// The ended frames' locals, one after another in the order of `frames` (a frame's are
    /// taken, leaving None, when its record is built).
    locals: Chunked<Value>,
    /// The caller of frame 0 (None while unknown).
    outer: Back,
    /// The traceback entries inner to the segment's (the exception's traceback before the
    /// run was published): the innermost frame's entry's `tb_next`.
    tail: Value,
}

enum Slot {
    /// The frame's final state.
    Ended {
        /// Index into the segment's `globals`.
        globals: u32,
        /// How many locals it had: they end where the next frame's begin in `locals`.
        nlocals: u32,
        /// Where its locals begin in `locals`.
        start: usize,
    },
    /// Its record, once built.
    Record(Arc<LazyFrame>),
    /// Moved out (only while a record is being built, or after `clear_refs`).
    Gone,
}

/// Frames ended by one exception, innermost first, before they become a [`Segment`].
///
/// A frame's code and globals are shared by a whole recursion: the run keeps each distinct one
/// once, counted once, and compares the next frame's by address first, so appending a frame of
/// the same function takes no reference count at all.
#[derive(Default)]
pub(super) struct Run {
    codes: Vec<Arc<CodeObject>>,
    globals: Vec<Value>,
    sites: Chunked<Site>,
    frames: Chunked<Slot>,
    locals: Chunked<Value>,
    /// The `codes` and `globals` indexes of the last frame appended (0 while empty).
    last: (u32, u32),
}

/// How many of the most recent distinct codes (or globals) a new frame's is compared with
/// before it is added as a new one: a recursion through a few functions finds its own.
const RECENT: usize = 4;

/// The index in `table` of the entry whose identity is `id`, among the last [`RECENT`], or of
/// a new entry made by `make`.
fn intern<T>(
    table: &mut Vec<T>,
    id: impl Fn(&T) -> usize,
    key: usize,
    make: impl FnOnce() -> T,
) -> u32 {
    let recent = table.len().saturating_sub(RECENT);
    match table[recent..].iter().rposition(|t| id(t) == key) {
        Some(i) => (recent + i) as u32,
        None => {
            table.push(make());
            (table.len() - 1) as u32
        }
    }
}

impl Run {
    pub(super) fn is_empty(&self) -> bool {
        self.sites.len == 0
    }

    /// Appends the frame that ended next (the caller of the last one), failed at `pc`, with
    /// its locals moved out (left `None`).
    ///
    /// # Safety
    /// `sf` is a linked foreign activation of the calling thread, answered for by `vt`, about
    /// to end; nothing borrows its locals.
    #[inline]
    pub(super) unsafe fn push(&mut self, vt: &dyn ForeignFrames, sf: *mut ShadowFrame, pc: usize) {
        // SAFETY (all reads of `sf`): the caller's contract.
        let code = intern(
            &mut self.codes,
            |c| Arc::as_ptr(c) as usize,
            unsafe { vt.code_addr(sf) },
            || unsafe { vt.code(sf) },
        );
        let globals = intern(
            &mut self.globals,
            Value::bits,
            unsafe { vt.globals_bits(sf) },
            || unsafe { vt.globals(sf) },
        );
        self.append((code, globals), pc, unsafe { vt.locals(sf) });
    }

    /// [`Run::push`] for a frame whose code and globals are the last frame's (a recursion),
    /// given by identity ([`Arc::as_ptr`], [`Value::bits`]) with its locals, which move out.
    /// Returns false, appending nothing, if they are not the last frame's (or nothing is).
    #[inline]
    pub(super) fn push_same(
        &mut self,
        code_addr: usize,
        globals_bits: usize,
        pc: usize,
        locals: &mut [Value],
    ) -> bool {
        let (code, globals) = self.last;
        let same = !self.is_empty()
            && Arc::as_ptr(&self.codes[code as usize]) as usize == code_addr
            && self.globals[globals as usize].bits() == globals_bits;
        if same {
            self.append(self.last, pc, locals);
        }
        same
    }

    #[inline]
    fn append(&mut self, (code, globals): (u32, u32), pc: usize, locals: &mut [Value]) {
        self.last = (code, globals);
        self.sites.push(Site {
            code,
            pc: pc as u32,
        });
        let start = self.locals.len;
        for v in locals.iter_mut() {
            self.locals.push(std::mem::take(v));
        }
        self.frames.push(Slot::Ended {
            globals,
            nlocals: locals.len() as u32,
            start,
        });
    }
}

impl Segment {
    /// The segment of a run's frames.
    pub(super) fn new(run: Run) -> Arc<Segment> {
        Arc::new(Segment {
            codes: run.codes.into_boxed_slice(),
            sites: run.sites,
            state: Mutex::new(SegState {
                globals: run.globals,
                frames: run.frames,
                locals: run.locals,
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
        (&self.codes[s.code as usize], s.pc as usize)
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
                Slot::Ended {
                    globals,
                    nlocals,
                    start,
                } => {
                    let site = self.sites.get(p);
                    let locals: SmallVec<[Value; INLINE_LOCALS]> = (start
                        ..start + nlocals as usize)
                        .map(|k| std::mem::take(st.locals.get_mut(k)))
                        .collect();
                    LazyFrame::ended(Ended {
                        code: self.codes[site.code as usize].clone(),
                        globals: st.globals[globals as usize].clone(),
                        locals,
                        pc: site.pc as usize,
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
        std::mem::take(&mut st.locals).drop_in_order();
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
            if let Slot::Record(r) = slot {
                visit(LazyFrame::edge(r));
            }
        }
        // A frame whose record was built left None behind.
        st.locals.iter().for_each(|v| visit(Edge::Value(v)));
        st.globals.iter().for_each(|v| visit(Edge::Value(v)));
        st.outer.traverse(visit);
        visit(Edge::Value(&st.tail));
    }

    fn clear_refs(&self, graveyard: &mut Graveyard) {
        let mut st = self.state.lock();
        for slot in st.frames.iter_mut() {
            graveyard.bury(std::mem::replace(slot, Slot::Gone));
        }
        graveyard.bury(std::mem::take(&mut st.locals));
        graveyard.bury(std::mem::take(&mut st.globals));
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
        // The last chunk has room except where `place` starts a new one. Its size is compared
        // with what `place` expects, not with the allocation's capacity, which may be larger.
        let full = FIRST << self.chunks.len().saturating_sub(1);
        match self.chunks.last_mut() {
            Some(last) if last.len() < full => last.push(v),
            _ => self.push_chunk(v),
        }
        self.len += 1;
    }

    #[cold]
    fn push_chunk(&mut self, v: T) {
        let k = self.chunks.len();
        debug_assert_eq!(Self::place(self.len), (k, 0));
        let mut chunk = Vec::with_capacity(FIRST << k);
        chunk.push(v);
        self.chunks.push(chunk);
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
    use super::{intern, Chunked, RECENT};

    #[test]
    fn intern_finds_recent_identities() {
        let mut table: Vec<usize> = Vec::new();
        let keys = [7, 7, 9, 7, 1, 2, 3, 4, 7, 4];
        let idx: Vec<u32> = keys
            .iter()
            .map(|&k| intern(&mut table, |t| *t, k, || k))
            .collect();
        // Every index names its key; a key among the last RECENT entries is not added again.
        assert!(keys.iter().zip(&idx).all(|(k, i)| table[*i as usize] == *k));
        assert_eq!(&idx[..4], &[0, 0, 1, 0]);
        assert_eq!(
            idx[8] as usize,
            table.len() - 1,
            "7 fell out of the recent window"
        );
        assert_eq!(idx[9], 5);
        // The expected indices above are for a window of 4.
        const { assert!(RECENT == 4) };
    }

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
