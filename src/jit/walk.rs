//! Walking a thread's Python stack with JIT activations: which instruction each JIT activation
//! is executing, and where its native frame (its locals) is.
//!
//! A JIT activation stores no current instruction. It is blocked in a call whenever anyone can
//! look at it, and the return address of that call, mapped through the code's debug map, is the
//! instruction. The walker finds those return addresses the way wasmtime's
//! `traphandlers/backtrace.rs` finds Cranelift frames, in steps:
//!
//! 1. Start with the *anchor* that the runtime-call trampoline recorded in the thread's
//!    [`JitThreadState`]: `(last_pc, last_fp)` is the return address and frame base of the
//!    innermost JIT activation (it is blocked in the runtime call that led to this walk), and
//!    `entry_fp` is the `rbp` of the entry trampoline that started its *segment* (the run of JIT
//!    frames called from one entry from Rust).
//! 2. Walk the shadow stack from `ts.shadow_top`. Interpreted activations answer for themselves
//!    and do not move the native cursor. An activation whose tag has `OWNED_BY_JIT` is the JIT
//!    activation whose native frame the cursor points at: its shadow frame must be at
//!    `fp + layout::SHADOW` (checked), its code info is `orig_data`, and its instruction is the
//!    debug-map entry of the cursor's return address.
//! 3. Step the cursor to the caller of that activation. Its saved `rbp` (at `fp`) is either the
//!    current `entry_fp`, meaning the caller is the entry trampoline and the segment is done, or
//!    the `rbp` of a JIT caller that called it directly, whose return address is at `fp + 8`
//!    ([`layout::RET_ADDR_FROM_SHADOW`] from the callee's shadow frame).
//! 4. At the end of a segment, the entry trampoline's frame holds the anchor and `entry_fp` it
//!    replaced (`layout::entry`): the anchor of the next outer segment, whose innermost JIT
//!    activation is blocked in the runtime call that re-entered Rust. Continue at step 2.
//!
//! The walk is exact (no scanning, no guessing), reads only memory that is alive while the
//! walked thread is blocked (its own native stack and the code infos its frames point to), and
//! allocates nothing, so it may serve `_current_frames` at a safepoint. The anchors live in the
//! thread state (`ThreadState::jit`), so a handshake walks another thread's stack from that
//! thread's state alone, while that thread is stopped at a safepoint or detached and held.

use super::layout::{self, entry};
use super::state::{self, JitThreadState};
use super::JitCodeInfo;
use crate::shadow::{ShadowFrame, ShadowWalk, Tag};
use crate::thread::ThreadState;

/// One activation as the JIT-aware walk sees it.
#[derive(Debug)]
pub enum Activation {
    /// An interpreted activation (possibly materialized): the interpreter answers for it.
    Interpreted(*mut ShadowFrame),
    /// A JIT activation.
    Jit(JitActivation),
}

/// A JIT activation found by the walk.
#[derive(Debug, Clone, Copy)]
pub struct JitActivation {
    /// Its shadow frame.
    pub shadow: *mut ShadowFrame,
    /// The code info that answers for it (from `orig_data`). This and the native words below
    /// are what a walk learns; the runtime reads only `shadow` and `instr`, tests read the rest.
    #[cfg_attr(not(test), allow(dead_code))]
    pub info: *const JitCodeInfo,
    /// Its frame base (`rbp`), 0 if the walk lost track of native frames (a bug).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fp: usize,
    /// Its current instruction, from the debug map.
    pub instr: Option<usize>,
}

#[cfg(test)]
impl JitActivation {
    /// Its code info.
    ///
    /// # Safety
    /// The activation must still be linked (its code info is alive while it runs).
    pub unsafe fn info(&self) -> &JitCodeInfo {
        // SAFETY: caller's contract.
        unsafe { &*self.info }
    }

    /// The raw words of its fast locals (NULL marker = unbound), read from the native frame.
    ///
    /// # Safety
    /// The activation must still be linked and blocked (walk on its own thread, or at a
    /// safepoint the thread serves).
    pub unsafe fn local_words(&self) -> Vec<usize> {
        // SAFETY: caller's contract; the layout is the one the code was compiled with.
        let info = unsafe { self.info() };
        let l = info.layout;
        (0..l.nlocals)
            .map(|i| {
                let at = (self.fp as isize + l.local(i) as isize) as *const usize;
                // SAFETY: `fp` is the live frame base of this activation.
                unsafe { *at }
            })
            .collect()
    }
}

/// Iterator over a thread's activations, innermost first (see the module docs).
pub struct JitStackWalk {
    shadow: ShadowWalk,
    pc: usize,
    fp: usize,
    entry_fp: usize,
}

impl JitStackWalk {
    /// Starts a walk of `ts`'s stack.
    ///
    /// # Safety
    /// `ts` must be the calling thread's state, or the state of a thread stopped in a handshake
    /// (at a safepoint, or detached and held); every activation must stay linked during the
    /// walk.
    pub unsafe fn new(ts: &ThreadState) -> JitStackWalk {
        // SAFETY: forwarded.
        unsafe { JitStackWalk::with_state(ts, state::of(ts)) }
    }

    /// Starts a walk with an explicit JIT state.
    ///
    /// # Safety
    /// As for [`JitStackWalk::new`]; `jit` must be the JIT state of `ts`'s thread.
    pub unsafe fn with_state(ts: &ThreadState, jit: *const JitThreadState) -> JitStackWalk {
        // SAFETY: the JIT state of a blocked thread is stable during the walk.
        let jit = unsafe { &*jit };
        JitStackWalk {
            // SAFETY: forwarded contract.
            shadow: unsafe { ShadowWalk::new(ts.shadow_top) },
            pc: jit.last_pc,
            fp: jit.last_fp,
            entry_fp: jit.entry_fp,
        }
    }

    /// Step 3/4: move the cursor to the caller of the JIT frame at `self.fp`.
    ///
    /// # Safety
    /// `self.fp` must be a live JIT frame base.
    unsafe fn step_out(&mut self) {
        // SAFETY: forwarded.
        (self.pc, self.fp, self.entry_fp) = unsafe { caller_anchor(self.fp, self.entry_fp) };
    }
}

/// Steps 3 and 4 of the walk: the anchor `(pc, fp, entry_fp)` of the caller of the JIT frame at
/// `fp`, in the segment whose entry trampoline has frame base `entry_fp`. For a JIT caller that
/// called directly, its return address and frame base; at the segment's entry, the anchor of
/// the next outer segment saved in the entry record.
///
/// # Safety
/// `fp` is a live JIT frame base of the calling thread (or of a thread blocked at a
/// safepoint), and `entry_fp` the frame base of its segment's live entry trampoline.
pub unsafe fn caller_anchor(fp: usize, entry_fp: usize) -> (usize, usize, usize) {
    // SAFETY: caller's contract: `[fp]` is the saved rbp, `[fp + 8]` the return address.
    let caller_fp = unsafe { *(fp as *const usize) };
    if caller_fp == entry_fp && entry_fp != 0 {
        let e = entry_fp as isize;
        let rd = |off: i32| {
            // SAFETY: `entry_fp` is the frame of a live entry trampoline (it is below us on this
            // stack); its saved words are at the fixed offsets of `layout::entry`.
            unsafe { *((e + off as isize) as *const usize) }
        };
        (
            rd(entry::SAVED_LAST_PC),
            rd(entry::SAVED_LAST_FP),
            rd(entry::SAVED_ENTRY_FP),
        )
    } else {
        // SAFETY: a direct JIT caller: the return address is above the saved rbp.
        let pc = unsafe { *((fp + layout::RET_ADDR as usize) as *const usize) };
        (pc, caller_fp, entry_fp)
    }
}

impl Iterator for JitStackWalk {
    type Item = Activation;

    fn next(&mut self) -> Option<Activation> {
        let sf = self.shadow.next()?;
        // SAFETY: `new`'s contract keeps every linked frame alive.
        let data = unsafe { (*sf).data };
        if data & Tag::OWNED_BY_JIT.bits() == 0 {
            return Some(Activation::Interpreted(sf));
        }
        // Step 2: this JIT activation owns the native frame at the cursor.
        let expected = (self.fp as isize + layout::SHADOW as isize) as usize;
        if self.fp == 0 || expected != sf as usize {
            debug_assert!(false, "JIT walk lost the native frame of {sf:p}");
            // SAFETY: `orig_data` is the word after the head of every JIT shadow frame.
            let orig = unsafe { *((sf as usize + layout::ORIG_DATA_FROM_SHADOW) as *const usize) };
            return Some(Activation::Jit(JitActivation {
                shadow: sf,
                info: (orig & !Tag::MASK) as *const JitCodeInfo,
                fp: 0,
                instr: None,
            }));
        }
        // SAFETY: the native frame at `fp` is this activation's (checked above).
        let orig = unsafe { *((sf as usize + layout::ORIG_DATA_FROM_SHADOW) as *const usize) };
        let info = (orig & !Tag::MASK) as *const JitCodeInfo;
        // SAFETY: a linked JIT activation keeps its code info alive.
        let instr = unsafe { (*info).debug_map.instr_at(self.pc) };
        let act = JitActivation {
            shadow: sf,
            info,
            fp: self.fp,
            instr,
        };
        // SAFETY: `fp` is a live JIT frame base.
        unsafe { self.step_out() };
        Some(Activation::Jit(act))
    }
}
