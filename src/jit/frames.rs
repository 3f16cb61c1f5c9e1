//! The JIT's materializer: how `frame` answers for JIT activations, and the hook that builds
//! their frame objects.
//!
//! A JIT activation is its native frame (see [`layout`](super::layout)); from its shadow frame
//! `sf` everything is at a fixed offset: the frame base is `sf - SHADOW`, the code info is
//! `orig_data`, the function, globals, locals and lazy record are slots of the frame. Only the
//! current instruction needs a walk ([`JitStackWalk`]), because it is the return address of the
//! call the activation is blocked in.
//!
//! Invariant relied on by every method: the shadow frame is linked on the calling thread's
//! stack and carries `OWNED_BY_JIT` (the [`ForeignFrames`] contract), so its native frame is
//! alive and the code info in `orig_data` outlives it.

use super::layout::{FUNC, GLOBALS, LAZY, ORIG_DATA_FROM_SHADOW, SHADOW};
use super::walk::{Activation, JitStackWalk};
use super::JitCodeInfo;
use crate::code::CodeObject;
use crate::frame::{self, ForeignFrames};
use crate::object::Value;
use crate::shadow::{ShadowFrame, Tag};
use crate::thread::ThreadState;
use std::sync::Arc;

/// The [`ForeignFrames`] of this crate's JIT.
pub struct JitFrames;

/// Frame base of the activation of `sf`.
fn fp(sf: *mut ShadowFrame) -> isize {
    sf as isize - SHADOW as isize
}

/// The code info of the activation of `sf`.
///
/// # Safety
/// `sf` is a linked JIT activation.
pub(super) unsafe fn info<'a>(sf: *mut ShadowFrame) -> &'a JitCodeInfo {
    // SAFETY: `orig_data` is the word after the head of every JIT shadow frame and points to the
    // code info, which outlives the activation.
    unsafe {
        let orig = *((sf as usize + ORIG_DATA_FROM_SHADOW) as *const usize);
        &*((orig & !Tag::MASK) as *const JitCodeInfo)
    }
}

/// Clones the borrowed word at `fp + off`.
///
/// # Safety
/// `sf` is a linked JIT activation and `off` one of its slots holding a live `Value` word.
pub(super) unsafe fn word(sf: *mut ShadowFrame, off: i32) -> Value {
    // SAFETY: caller's contract; the slot keeps its own reference.
    let v = std::mem::ManuallyDrop::new(unsafe {
        Value::from_bits(*((fp(sf) + off as isize) as *const usize))
    });
    (*v).clone()
}

// SAFETY: every method reads the native frame of exactly the activation of `sf`, at the offsets
// of `layout` that the compiler used for its code (the info in `orig_data` is that code's).
unsafe impl ForeignFrames for JitFrames {
    unsafe fn code(&self, sf: *mut ShadowFrame) -> Arc<CodeObject> {
        // SAFETY: forwarded contract.
        unsafe { info(sf) }.code.arc()
    }

    unsafe fn func(&self, sf: *mut ShadowFrame) -> Value {
        // SAFETY: forwarded contract; the prologue stored the function word.
        unsafe { word(sf, FUNC) }
    }

    unsafe fn globals(&self, sf: *mut ShadowFrame) -> Value {
        // SAFETY: forwarded contract; the prologue stored the globals word.
        unsafe { word(sf, GLOBALS) }
    }

    unsafe fn code_addr(&self, sf: *mut ShadowFrame) -> usize {
        // SAFETY: forwarded contract.
        unsafe { info(sf) }.code.as_ptr() as usize
    }

    unsafe fn globals_bits(&self, sf: *mut ShadowFrame) -> usize {
        // SAFETY: forwarded contract; the prologue stored the globals word.
        unsafe { *((fp(sf) + GLOBALS as isize) as *const usize) }
    }

    unsafe fn locals(&self, sf: *mut ShadowFrame) -> &mut [Value] {
        // SAFETY: forwarded contract: the locals are `nlocals` consecutive `Value` words
        // (`Value` is a transparent word) at `locals_base`, and the activation is blocked.
        unsafe {
            let l = info(sf).layout;
            let base = (fp(sf) + l.locals_base() as isize) as *mut Value;
            std::slice::from_raw_parts_mut(base, l.nlocals as usize)
        }
    }

    unsafe fn lazy_slot(&self, sf: *mut ShadowFrame) -> *mut usize {
        (fp(sf) + LAZY as isize) as *mut usize
    }

    unsafe fn suspended_instr(&self, sf: *mut ShadowFrame) -> Option<usize> {
        // SAFETY: forwarded contract; `info` is the activation's own code info.
        unsafe { super::gen::suspended_instr(info(sf), sf) }
    }

    unsafe fn walk(
        &self,
        ts: &ThreadState,
        visit: &mut dyn FnMut(*mut ShadowFrame, Option<usize>) -> bool,
    ) {
        // Pinned: the code infos the walk reads cannot be reclaimed under it (see `JitCode`).
        let _guard = crossbeam_epoch::pin();
        // SAFETY: forwarded contract (the stack of `ts`, walked by its own thread or in a
        // handshake while it is stopped).
        for act in unsafe { JitStackWalk::new(ts) } {
            let go = match act {
                Activation::Interpreted(sf) => visit(sf, None),
                Activation::Jit(j) => visit(j.shadow, Some(j.instr.unwrap_or(0))),
            };
            if !go {
                return;
            }
        }
    }
}

/// The JIT's materialization hook: JIT activations through [`frame::materialize_foreign`], the
/// rest through the default.
///
/// # Safety
/// As for [`frame::MaterializeHook`].
pub unsafe fn materialize(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
    // SAFETY: forwarded contract.
    unsafe {
        if (*sf).tag().contains(Tag::OWNED_BY_JIT) {
            frame::materialize_foreign(ts, sf)
        } else {
            frame::get_frame_object(ts, sf)
        }
    }
}

/// What `frame::append_to_run` reads of the ending activation of `sf`, read here without the
/// vtable; None if the activation has an identity (materialized, or a lazy record), which
/// takes `frame::unwind_foreign`.
///
/// # Safety
/// As for the [`ForeignFrames`] methods, and the activation is ending: its locals are moved
/// out through the returned slice, which must not outlive it.
pub(super) unsafe fn ending<'a>(sf: *mut ShadowFrame) -> Option<frame::Ending<'a>> {
    // SAFETY: forwarded contract; as in the vtable methods of the same state.
    unsafe {
        if (*sf).tag().contains(Tag::MATERIALIZED) || *JitFrames.lazy_slot(sf) != 0 {
            return None;
        }
        Some(frame::Ending {
            code_addr: JitFrames.code_addr(sf),
            globals_bits: JitFrames.globals_bits(sf),
            locals: JitFrames.locals(sf),
        })
    }
}

/// Registers the JIT's frames with `frame`: the vtable and the hook (done by the first
/// compilation, before any activation of compiled code can exist).
pub fn install() {
    static FRAMES: JitFrames = JitFrames;
    frame::set_foreign_frames(&FRAMES);
    frame::set_materialize_hook(Some(materialize));
}
