//! Deoptimization: a JIT activation whose guard failed continues in the interpreter.
//!
//! The compiled code of a guard (a small-int tag or overflow check) jumps, on failure, to a stub
//! that calls [`jit_deopt`] through the runtime-call trampoline with the failing instruction and
//! the static stack depth there. In steps:
//!
//! 1. Count the deopt (the `deopts` statistic and the code's own budget: once a code object
//!    has deoptimized [`DEOPT_BUDGET`] times its guards take the generic helper instead, so a
//!    guard that keeps failing costs a helper call, not a frame rebuild).
//! 2. Build an `InterpreterFrame` for the same code, function and globals, and *move* the
//!    locals and the live value-stack slots into it (the native slots become NULL, so the
//!    epilogue drops nothing twice). Its instruction is the failing one: no side effect has
//!    happened yet, so the interpreter runs it again from the start.
//! 3. Move the activation's identity over (`frame::transfer_foreign`): a frame object already
//!    handed out, or a lazy traceback record, now reads the interpreter frame.
//! 4. Unlink the JIT shadow frame (the interpreter frame takes its place on the shadow stack)
//!    and point the runtime-call anchor at this activation's caller, because the native frame
//!    blocked here no longer answers for a shadow frame: a walk from the interpreter sees the
//!    caller as the innermost JIT activation of the segment.
//! 5. Run the interpreter frame to its end and return its result (or the error sentinel); the
//!    anchor stays at the caller's, consistent with the shadow stack. The stub then leaves through the epilogue: no hand-off (the bits were
//!    cleared), no locals to drop, the shadow pop is a no-op, and the error path's traceback
//!    entry is not recorded again (the interpreter recorded it for this activation).

use super::frames;
use super::helpers::{tstate, value};
use super::layout::SHADOW;
use super::state;
use super::walk::caller_anchor;
use crate::object::value::NULL_BITS;
use crate::object::Value;
use crate::shadow::ShadowFrame;
use crate::thread::{Stat, Stats, ThreadState};
use std::sync::atomic::Ordering;

/// Deopts a code object may take; afterwards its failing guards call the generic helpers.
pub const DEOPT_BUDGET: u32 = 16;

/// Deoptimizes the activation of `sf`, blocked at instruction `pc` with `depth` live stack
/// slots, and runs it to its end in the interpreter. Returns its result or 0 (exception
/// pending).
///
/// # Safety
/// Called by JIT code only, through the runtime-call trampoline, under the helper conventions of
/// [`super::helpers`]; `sf` is the calling activation's own shadow frame, which is the top of
/// the shadow stack.
pub unsafe extern "C" fn jit_deopt(
    ts: *mut ThreadState,
    sf: *mut ShadowFrame,
    pc: usize,
    depth: usize,
) -> usize {
    value(|| {
        // SAFETY: helper conventions: `ts` from `r15`, `sf` the caller's linked shadow frame.
        let ts = unsafe { tstate(ts) };
        assert!(
            std::ptr::eq(ts.shadow_top, sf),
            "deopt of a frame that is not the top"
        );
        // SAFETY: as above.
        let info = unsafe { frames::info(sf) };
        Stats::bump(Stat::Deopts);
        info.deopts.fetch_add(1, Ordering::Relaxed);
        let fp = (sf as isize - SHADOW as isize) as usize;
        // SAFETY: the activation is linked and blocked in this call.
        let (func, globals) = unsafe {
            (
                frames::word(sf, super::layout::FUNC),
                frames::word(sf, super::layout::GLOBALS),
            )
        };
        let code = info.code.arc();
        let mut frame = ts.frames.alloc(&code, func, globals);
        let l = info.layout;
        let take = |off: i32| {
            let at = (fp as isize + off as isize) as *mut usize;
            // SAFETY: `off` is a slot of this live native frame holding an owned word (or NULL);
            // the slot gives its reference up and holds NULL from now on.
            unsafe { Value::from_bits(std::mem::replace(&mut *at, NULL_BITS)) }
        };
        for i in 0..l.nlocals {
            frame.locals[i as usize] = take(l.local(i));
        }
        for j in 0..depth as u32 {
            frame.stack.push(take(l.slot(j)));
        }
        frame.pc = pc;
        frame.is_entry = true;
        // SAFETY: `sf` is our linked, blocked activation; `frame` is boxed and not running.
        unsafe { crate::frame::transfer_foreign(ts, sf, &mut frame) };
        // The interpreter frame takes the JIT activation's place on the shadow stack.
        // SAFETY: `sf` is the top (checked above), so its `prev` is the rest of the stack.
        ts.shadow_top = unsafe { (*sf).prev };
        ts.frame_popped();
        let jit = state::current();
        // SAFETY: our own thread's JIT state; the native frame at `fp` is alive (blocked here)
        // and its segment's entry trampoline is below it.
        unsafe {
            let (pc, fp, entry_fp) = caller_anchor(fp, (*jit).entry_fp);
            (*jit).last_pc = pc;
            (*jit).last_fp = fp;
            (*jit).entry_fp = entry_fp;
        }
        let r = crate::interp::run_frame(ts, frame);
        // The anchor stays at the caller's (all three words): this native frame answers for
        // no shadow frame any more, and the runtime-call trampoline serves a safepoint before
        // it clears the anchor, so a walk there must see the stack as the interpreter left it.
        // The stub then leaves through the epilogue, which calls nothing through the
        // trampoline, and returns either to a JIT caller (whose anchor this is) or to the entry
        // trampoline, which restores the saved words of the interrupted segment.
        ts.frame_pushed();
        r
    })
}
