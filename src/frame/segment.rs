//! `Segment`: the ended JIT frames of one published unwinding run, kept together, whose lazy
//! records (and, in `traceback.rs`, traceback entries) are built only when someone reads them.
//!
//! A run of `N` frames unwound by one exception (`unwind.rs`) becomes one segment: traceback
//! entries refer to its frames by index (through `entry_refs::EntryRef`), and so does an
//! `f_back` that names one of them ([`Back::Segment`]). No per-frame record exists until a frame is read.
//!
//! Frames are numbered outermost first (the order of their traceback entries): frame `i`'s
//! caller is frame `i - 1`; frame 0's caller is the segment's `outer` link (pending while the
//! unwinding thread's claim waits for it). They are stored innermost first, the order in which
//! they ended, in chunks that never move: the run they were appended to becomes the segment as
//! it is. What an entry needs (code, instruction) is kept apart and never changes, so entries
//! read it without the lock. A frame appended costs its 8-byte `Site` (instruction, group) and
//! its locals, which follow one another in one store: consecutive frames of one code and
//! globals (a recursion) share one `Group`, which says where each one's locals are. No frame
//! allocates anything of its own, and freeing the segment is one pass.
//!
//! Reading frame `i` builds the records of `i` and of every outer frame that has none yet
//! (each record's `f_back` must be its caller's record), moving their state out of the
//! segment: at most once per frame.
//!
//! Nothing here refers back to traceback entries or frame objects of the segment, so a
//! segment never forms a reference cycle with them.

use super::activation::ForeignFrames;
use super::chunked::Chunked;
use super::entry_refs::EntryCount;
use super::lazy::{drop_back_chain, Back, Ended, INLINE_LOCALS};
use super::LazyFrame;
use super::LazyRef;
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
    /// The distinct code objects of the frames (a recursion has one), `Group::code` indexes.
    codes: Box<[Arc<CodeObject>]>,
    /// The runs of consecutive frames of one code and globals (a recursion is one).
    groups: Box<[Group]>,
    /// Where each frame failed, innermost first. Never changes.
    sites: Chunked<Site>,
    state: Mutex<SegState>,
    /// The references of its traceback entries (`entry_refs.rs`).
    entries: EntryCount,
}

/// What a frame left: where it failed (what its traceback entry shows) and its group, which
/// tells the rest. Written by compiled code too (`unwind::RunAbi`), hence the fixed layout.
#[repr(C)]
pub(super) struct Site {
    /// The instruction.
    pub(super) pc: u32,
    /// Index into the run's (the segment's) `groups`.
    pub(super) group: u32,
}

/// Consecutive frames (in storage order) of one code and globals: a recursion unwinding is one
/// group, so a frame's own record is its `Site` alone.
struct Group {
    /// Index into `codes`.
    code: u32,
    /// Index into the globals.
    globals: u32,
    /// How many locals each frame has (its code's).
    nlocals: u32,
    /// The storage position of the group's first frame.
    first: usize,
    /// Where that frame's locals begin in the `locals` store; the next frames' follow.
    start: usize,
}

impl Group {
    /// Where the locals of the frame at storage position `p` (one of the group's) begin.
    fn locals_at(&self, p: usize) -> usize {
        self.start + (p - self.first) * self.nlocals as usize
    }
}

struct SegState {
    /// The distinct globals dicts of the frames, `Group::globals` indexes.
    globals: Vec<Value>,
    /// The frames' records, by storage position (innermost first: frame `i` is at
    /// `len - 1 - i`); empty until the first record is built.
    records: Vec<Slot>,
    /// The ended frames' locals, one after another in the order of `sites` (a frame's are
    /// taken, leaving None, when its record is built).
    locals: Chunked<Value>,
    /// The caller of frame 0 (None while unknown).
    outer: Back,
    /// The traceback entries inner to the segment's (the exception's traceback before the
    /// run was published): the innermost frame's entry's `tb_next`.
    tail: Value,
}

enum Slot {
    /// No record yet: the frame's state is in `locals` (and its `Site`).
    Ended,
    /// Its record, once built.
    Record(LazyRef),
    /// Moved out (only while a record is being built, or after `clear_refs`).
    Gone,
}

/// Frames ended by one exception, innermost first, before they become a [`Segment`].
///
/// A frame's code and globals are shared by a whole recursion: the run keeps each distinct one
/// once, counted once, and compares the next frame's by address first, so appending a frame of
/// the same function takes no reference count at all, and only a `Site` and the locals.
/// `#[repr(C)]`: compiled code appends a frame of the last one's group in place
/// (`unwind::RunAbi`).
#[derive(Default)]
#[repr(C)]
pub(super) struct Run {
    pub(super) sites: Chunked<Site>,
    pub(super) locals: Chunked<Value>,
    /// The code of the last frame appended, by address (0 while empty).
    pub(super) last_code_addr: usize,
    /// The globals of the last frame appended, by word (0 while empty).
    pub(super) last_globals_bits: usize,
    /// The group of the last frame appended.
    pub(super) last_group: u32,
    codes: Vec<Arc<CodeObject>>,
    globals: Vec<Value>,
    groups: Vec<Group>,
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
        let code_addr = unsafe { vt.code_addr(sf) };
        let code = intern(
            &mut self.codes,
            |c| Arc::as_ptr(c) as usize,
            code_addr,
            || unsafe { vt.code(sf) },
        );
        let globals_bits = unsafe { vt.globals_bits(sf) };
        let globals = intern(&mut self.globals, Value::bits, globals_bits, || unsafe {
            vt.globals(sf)
        });
        let locals = unsafe { vt.locals(sf) };
        if code_addr != self.last_code_addr || globals_bits != self.last_globals_bits {
            self.last_code_addr = code_addr;
            self.last_globals_bits = globals_bits;
            self.last_group = self.groups.len() as u32;
            self.groups.push(Group {
                code,
                globals,
                nlocals: locals.len() as u32,
                first: self.sites.len,
                start: self.locals.len,
            });
        }
        self.append(pc, locals);
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
        // The words are 0 while the run is empty, and no code or globals has the address 0.
        let same = self.last_code_addr == code_addr && self.last_globals_bits == globals_bits;
        if same {
            self.append(pc, locals);
        }
        same
    }

    /// Appends a frame of the last group.
    #[inline]
    fn append(&mut self, pc: usize, locals: &mut [Value]) {
        debug_assert_eq!(
            self.groups[self.last_group as usize].nlocals as usize,
            locals.len()
        );
        self.sites.push(Site {
            pc: pc as u32,
            group: self.last_group,
        });
        for v in locals.iter_mut() {
            self.locals.push(std::mem::take(v));
        }
    }
}

impl Segment {
    /// The segment of a run's frames.
    pub(super) fn new(run: Run) -> Arc<Segment> {
        Arc::new(Segment {
            codes: run.codes.into_boxed_slice(),
            groups: run.groups.into_boxed_slice(),
            sites: run.sites,
            state: Mutex::new(SegState {
                globals: run.globals,
                records: Vec::new(),
                locals: run.locals,
                outer: Back::None,
                tail: Value::NONE,
            }),
            entries: EntryCount::default(),
        })
    }

    /// A segment of no frames.
    #[cfg(test)]
    pub(super) fn empty_for_tests() -> Arc<Segment> {
        Segment::new(Run::default())
    }

    /// The count of its traceback entries' references.
    pub(super) fn entries(&self) -> &EntryCount {
        &self.entries
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
        (
            &self.codes[self.groups[s.group as usize].code as usize],
            s.pc as usize,
        )
    }

    /// The entries that follow the innermost frame's.
    pub(super) fn tail(&self) -> Value {
        self.state.lock().tail.clone()
    }

    /// The caller of frame 0 became known.
    pub(super) fn settle_back(&self, back: Back) {
        let mut st = self.state.lock();
        let last = self.len() - 1;
        match st.records.get(last) {
            Some(Slot::Record(r)) => {
                let r = r.clone();
                drop(st);
                r.settle_back(back);
            }
            _ => st.outer = back,
        }
    }

    /// The record of frame `i`, built now (with those of the outer frames that have none).
    pub(super) fn record(&self, i: usize) -> LazyRef {
        let mut st = self.state.lock();
        let st = &mut *st;
        let last = self.len() - 1;
        if st.records.is_empty() {
            st.records.resize_with(self.len(), || Slot::Ended);
        }
        // Storage positions: frame `i` is at `last - i`, its callers above it. Find the
        // innermost caller that has a record already.
        let mut p = last - i;
        while p < last && !matches!(st.records[p + 1], Slot::Record(_)) {
            p += 1;
        }
        let mut back = match (p < last).then(|| &st.records[p + 1]) {
            Some(Slot::Record(r)) => Back::Lazy(r.clone()),
            _ => st.outer.clone(),
        };
        // From the outermost frame without a record in towards `i`.
        loop {
            let slot = &mut st.records[p];
            let record = match std::mem::replace(slot, Slot::Gone) {
                Slot::Ended => {
                    let site = self.sites.get(p);
                    let group = &self.groups[site.group as usize];
                    let start = group.locals_at(p);
                    let locals: SmallVec<[Value; INLINE_LOCALS]> = (start
                        ..start + group.nlocals as usize)
                        .map(|k| std::mem::take(st.locals.get_mut(k)))
                        .collect();
                    LazyFrame::ended(Ended {
                        code: self.codes[group.code as usize].clone(),
                        globals: st.globals[group.globals as usize].clone(),
                        locals,
                        pc: site.pc as usize,
                        back,
                    })
                }
                Slot::Record(r) => r,
                // Cleared by the collector at exit: nothing to build.
                Slot::Gone => return LazyFrame::cleared(),
            };
            st.records[p] = Slot::Record(record.clone());
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
        // Storage order is innermost first (a `Vec` and a `Chunked` drop in position order).
        drop(std::mem::take(&mut st.records));
        drop(std::mem::take(&mut st.locals));
        std::mem::replace(&mut st.outer, Back::None)
    }

    /// The collector's edge for a strong reference to a segment (a shared node of its own).
    pub(crate) fn edge(this: &Arc<Segment>) -> Edge<'_> {
        this.edge_with_strong(Arc::strong_count(this))
    }

    /// The collector's edge for a reference to this segment, whose `Arc` has `strong` counts.
    /// The one its traceback entries hold between them stands for the entries themselves,
    /// each of which reports its edge (`entry_refs.rs`).
    pub(super) fn edge_with_strong(&self, strong: usize) -> Edge<'_> {
        let entries = self.entries.count();
        Edge::Shared {
            id: self as *const Segment as usize,
            count: strong - usize::from(entries > 0) + entries,
            node: self,
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
        for slot in st.records.iter() {
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
        let records = std::mem::take(&mut st.records);
        st.records = (0..self.len()).map(|_| Slot::Gone).collect();
        graveyard.bury(records);
        graveyard.bury(std::mem::take(&mut st.locals));
        graveyard.bury(std::mem::take(&mut st.globals));
        graveyard.bury(std::mem::replace(&mut st.outer, Back::None));
        graveyard.bury(std::mem::take(&mut st.tail));
    }
}

#[cfg(test)]
mod tests {
    use super::{intern, RECENT};

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
}
