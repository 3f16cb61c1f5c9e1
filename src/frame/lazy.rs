//! `LazyFrame`: an activation's identity for tracebacks and owned `f_back` links, from which its
//! frame object is built only when someone reads it.
//!
//! States, in the only order they move:
//!
//! 1. `Live`: the activation runs; reading materializes it through its shadow frame (so the
//!    frame object is the one every other observer gets).
//! 2. `Object`: the frame object exists (materialized while live, or built from `Ended`).
//! 3. `Ended`: the activation ended with no frame object; the record holds what one needs (code,
//!    globals, final locals and instruction, the caller's identity).
//!
//! `Live -> Object`, `Live -> Ended -> Object`. The activation moves it out of `Live` before its
//! memory can be reused, under the record's lock.

use super::LazyRef;
use super::{materialize, FrameObject};
use crate::code::CodeObject;
use crate::object::cycles::{Edge, Graveyard, Holder};
use crate::object::{PyResult, Value};
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use parking_lot::Mutex;
use smallvec::SmallVec;
use std::sync::Arc;

/// Final fast locals kept inline up to this many (no allocation for small frames: a deep
/// unwind ends one record per frame).
pub(super) const INLINE_LOCALS: usize = 4;

/// What an ended activation leaves for its frame object.
pub struct Ended {
    /// Code.
    pub code: Arc<CodeObject>,
    /// Globals dict.
    pub globals: Value,
    /// Final fast locals (NULL = unbound).
    pub locals: SmallVec<[Value; INLINE_LOCALS]>,
    /// Final instruction.
    pub pc: usize,
    /// The caller.
    pub back: Back,
}

enum LazyState {
    Live {
        shadow: *mut ShadowFrame,
        /// The owning thread's state: compared, and dereferenced by another thread only under
        /// the lock while the record is `Live`, to reach the owner's registry entry for a
        /// handshake (the activation is linked on the owner's stack then, and a thread state
        /// outlives the activations it runs; see `frame::object::FrameState::Live`).
        owner: *const ThreadState,
    },
    Object(Value),
    // Inline, not boxed: the record is one allocation whatever its state.
    Ended(Ended),
}

/// The lazily materialized identity of one activation.
pub struct LazyFrame {
    state: Mutex<LazyState>,
}

// SAFETY: the raw pointers of `Live` are dereferenced by the owning thread (checked against
// `owner`), itself or in a handshake another thread runs on it, while the activation is linked,
// and by another thread only for the owner's registry entry (`owner`'s `entry`, never written
// after registration), under the lock; the activation leaves `Live` under the lock before it
// unlinks, so no thread can follow a dangling pointer.
unsafe impl Send for LazyFrame {}
// SAFETY: as above; all state is behind the mutex.
unsafe impl Sync for LazyFrame {}

impl LazyFrame {
    /// A record for a running activation of `owner`'s stack.
    pub(crate) fn live(shadow: *mut ShadowFrame, owner: &ThreadState) -> LazyRef {
        LazyRef::new(LazyFrame {
            state: Mutex::new(LazyState::Live { shadow, owner }),
        })
    }

    /// A record for an activation that already ended (nothing else knew it while it ran).
    pub(crate) fn ended(ended: Ended) -> LazyRef {
        LazyRef::new(LazyFrame {
            state: Mutex::new(LazyState::Ended(ended)),
        })
    }

    /// A record whose state the cycle collector cleared (it answers None).
    pub(super) fn cleared() -> LazyRef {
        LazyRef::new(LazyFrame {
            state: Mutex::new(LazyState::Object(Value::NONE)),
        })
    }

    /// The activation was materialized: from now on the record answers with `frame`.
    pub(crate) fn set_object(&self, frame: Value) {
        *self.state.lock() = LazyState::Object(frame);
    }

    /// The running activation moved to another shadow frame (a deoptimized JIT activation now
    /// runs in an interpreter frame).
    pub(super) fn retarget(&self, to: *mut ShadowFrame) {
        if let LazyState::Live { shadow, .. } = &mut *self.state.lock() {
            *shadow = to;
        }
    }

    /// The activation ended without a frame object: the record keeps `ended()` (called only if
    /// the record is still live, under its lock; it must not touch this record).
    pub(crate) fn end_with(&self, ended: impl FnOnce() -> Ended) {
        let mut st = self.state.lock();
        if matches!(*st, LazyState::Live { .. }) {
            *st = LazyState::Ended(ended());
        }
    }

    /// The ended activation's caller became known (`unwind`'s claims): its `f_back` from now
    /// on, also in a frame object built from the record meanwhile.
    pub(super) fn settle_back(&self, back: Back) {
        match &mut *self.state.lock() {
            LazyState::Ended(e) => e.back = back,
            LazyState::Object(v) => {
                if let Some(f) = v.downcast::<FrameObject>() {
                    f.settle_back(back);
                }
            }
            LazyState::Live { .. } => {}
        }
    }

    /// Has a frame object been built for this activation?
    pub fn object(&self) -> Option<Value> {
        match &*self.state.lock() {
            LazyState::Object(v) => Some(v.clone()),
            _ => None,
        }
    }

    /// The frame object, built now if needed.
    pub fn frame(&self, ts: &mut ThreadState) -> PyResult<Value> {
        // A pending `f_back` claim of this thread (see `unwind`) is settled before anyone reads.
        super::unwind::settle(ts);
        let live = {
            let mut st = self.state.lock();
            match &mut *st {
                LazyState::Object(v) => return Ok(v.clone()),
                LazyState::Live { shadow, owner } => {
                    if !std::ptr::eq(*owner, ts as *const ThreadState) {
                        // Another thread's running activation: materialize it there (a
                        // handshake; the owner is stopped while it runs).
                        // SAFETY: the owner of a `Live` record, under the lock: alive (see
                        // `LazyState::Live`); its `entry` is not written after registration.
                        let Some(home) = (unsafe { (**owner).entry.clone() }) else {
                            return Err(crate::object::exc::err::runtime_error(
                                "frame of a running activation of an unregistered thread",
                            ));
                        };
                        drop(st);
                        return match crate::thread::run_on(ts, &home, |ots| self.frame(ots)) {
                            Some(r) => r,
                            // The owner exited, so the activation ended: the record moved on.
                            None => {
                                if matches!(*self.state.lock(), LazyState::Live { .. }) {
                                    return Err(crate::object::exc::err::runtime_error(
                                        "frame of an exited thread",
                                    ));
                                }
                                self.frame(ts)
                            }
                        };
                    }
                    *shadow
                }
                LazyState::Ended(_) => {
                    let LazyState::Ended(ended) =
                        std::mem::replace(&mut *st, LazyState::Object(Value::NONE))
                    else {
                        unreachable!()
                    };
                    let obj = FrameObject::new_ended(ended);
                    *st = LazyState::Object(obj.clone());
                    return Ok(obj);
                }
            }
        };
        // Materializing runs outside the lock: it records the object in this record itself.
        // SAFETY: we are the owning thread and the state was `Live`, so the activation is linked.
        Ok(unsafe { materialize(ts, live) })
    }
}

/// The caller of an ended activation, as its frame object's `f_back` will answer.
#[derive(Clone)]
pub enum Back {
    /// The bottom frame.
    None,
    /// A frame object.
    Object(Value),
    /// A lazily built frame object.
    Lazy(LazyRef),
    /// A frame of an unwinding run's segment, whose record is built when read.
    ///
    /// The index is 32 bits so that it fits beside the enum's tag: a `Back` stays two words,
    /// the size every ended record and traceback entry carries (a run never nears 2^32
    /// frames: the recursion limit and memory stop it first).
    Segment {
        /// Which frame of the segment (outermost first).
        index: u32,
        /// The segment.
        segment: Arc<super::segment::Segment>,
    },
}

// Two words: see `Back::Segment`.
const _: () = assert!(std::mem::size_of::<Back>() == 16);

impl Back {
    /// `f_back`.
    pub fn resolve(&self, ts: &mut ThreadState) -> PyResult<Value> {
        match self {
            Back::None => Ok(Value::NONE),
            Back::Object(v) => Ok(v.clone()),
            Back::Lazy(l) => l.frame(ts),
            Back::Segment { index, segment } => segment.frame(*index as usize, ts),
        }
    }
}

impl Back {
    /// Reports the reference the link holds (for the cycle collector): a lazy record is a
    /// shared node of its own.
    pub(crate) fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        match self {
            Back::None => {}
            Back::Object(v) => visit(Edge::Value(v)),
            Back::Lazy(l) => visit(LazyFrame::edge(l)),
            Back::Segment { segment, .. } => visit(super::segment::Segment::edge(segment)),
        }
    }
}

impl LazyFrame {
    /// The collector's edge for a strong reference to a record (a shared node of its own).
    pub(crate) fn edge(this: &LazyRef) -> Edge<'_> {
        Edge::Shared {
            id: LazyRef::addr(this),
            count: LazyRef::count(this),
            node: &**this,
        }
    }
}

impl Holder for LazyFrame {
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        match &*self.state.lock() {
            LazyState::Live { .. } => {}
            LazyState::Object(v) => visit(Edge::Value(v)),
            LazyState::Ended(e) => {
                visit(Edge::Value(&e.globals));
                e.locals.iter().for_each(|v| visit(Edge::Value(v)));
                e.back.traverse(visit);
            }
        }
    }

    fn clear_refs(&self, graveyard: &mut Graveyard) {
        let mut st = self.state.lock();
        if !matches!(*st, LazyState::Live { .. }) {
            graveyard.bury(std::mem::replace(&mut *st, LazyState::Object(Value::NONE)));
        }
    }
}

impl LazyFrame {
    /// Takes the link to the caller out (for iterative drops).
    fn take_back(&mut self) -> Back {
        // In place: the rest of the state drops with the record.
        match self.state.get_mut() {
            LazyState::Ended(e) => std::mem::replace(&mut e.back, Back::None),
            LazyState::Object(v) if !v.is_none() => Back::Object(std::mem::take(v)),
            _ => Back::None,
        }
    }
}

impl Drop for LazyFrame {
    fn drop(&mut self) {
        drop_back_chain(self.take_back());
    }
}

/// Drops a chain of caller links without native recursion: each uniquely held link is detached
/// from its successor before it is dropped (a 1,000,000-frame chain must not overflow the stack).
pub(super) fn drop_back_chain(mut back: Back) {
    loop {
        back = match back {
            Back::None => return,
            // The last reference moves the record out (one atomic operation: `get_mut` and
            // the drop after it made two), which then drops with its link detached.
            Back::Lazy(arc) => match LazyRef::into_inner(arc) {
                Some(mut lazy) => lazy.take_back(),
                None => return,
            },
            Back::Segment { mut segment, .. } => match Arc::get_mut(&mut segment) {
                // Its frames are dropped now; its caller link continues the loop.
                Some(seg) => seg.take_outer(),
                None => return,
            },
            Back::Object(v) => {
                if !v.is_unique() {
                    return;
                }
                match v.downcast::<FrameObject>() {
                    Some(f) => f.take_back(),
                    None => return,
                }
            }
        };
    }
}
