//! The native frame of a JIT activation, and the entry trampoline's frame.
//!
//! Every offset here is the single source of truth for the emitters, the compiler, the walker
//! and `asm/README.md` (which draws the same pictures). Offsets are relative to the activation's
//! frame base `rbp`.
//!
//! ```text
//!   higher addresses
//!   rbp + 8    return address          (into the entry trampoline, or a JIT caller)
//!   rbp + 0    saved rbp of the caller
//!   rbp - 8    func                    borrowed Value word of the running function
//!   rbp - 16   orig_data               info pointer | JIT | OWNED_BY_JIT (never changes)
//!   rbp - 24   shadow.data             } the ShadowFrame head, 16-byte aligned:
//!   rbp - 32   shadow.prev             } sf = rbp - 32
//!   rbp - 40   globals                 borrowed Value word
//!   rbp - 48   exit pc                 instruction index of the return / failing instruction
//!                                      (generator frames: + suspended flag in the upper half)
//!   rbp - 56   scratch                 the return value on the way out; a temporary inside
//!   rbp - 64   lazy                    the activation's lazy traceback record (`LazyRef::into_raw`, 0 = none)
//!   rbp - 64 - 8*nlocals ...           local 0 .. local n-1   (increasing addresses)
//!   ... - 8*max_stack ...              value-stack slot 0 .. max_stack-1 (increasing)
//!   rsp = rbp - frame_size             (16-byte aligned: no push/pop inside the body)
//!   lower addresses
//! ```
//!
//! Why this shape:
//! 1. `rbp` is 16-byte aligned at every JIT entry (the caller calls with an aligned `rsp`, `call`
//!    pushes 8 bytes, the prologue pushes `rbp`), so `rbp - 32` is a valid 16-aligned home for the
//!    shadow frame, and the frame's return address sits at the fixed offset
//!    [`RET_ADDR_FROM_SHADOW`] from it: a walker that knows a callee's shadow frame knows where
//!    the caller's current return address is.
//! 2. `orig_data` is the word Cinder appends after the head: materialization rewrites
//!    `shadow.data` to point to the frame object, and the walker still finds the JIT code info
//!    that answers for the activation (its debug map, its layout) through `orig_data`.
//! 3. Locals and value-stack slots are arrays at increasing addresses, so `&[Value]` views of
//!    them (call arguments, the locals a frame object reads) need no copy.
//! 4. The frame size is fixed per code object: `rsp` never moves inside the body, so every call
//!    site is 16-byte aligned and a return address is the only thing a call adds to the stack.

use crate::shadow::SHADOW_FRAME_SIZE;

/// `rbp`-relative offset of the return address.
pub const RET_ADDR: i32 = 8;
/// `rbp`-relative offset of the saved caller `rbp`.
pub const SAVED_RBP: i32 = 0;
/// `rbp`-relative offset of the borrowed function word.
pub const FUNC: i32 = -8;
/// `rbp`-relative offset of `orig_data` (the word after the shadow-frame head).
pub const ORIG_DATA: i32 = -16;
/// `rbp`-relative offset of the shadow frame (its `prev` word).
pub const SHADOW: i32 = -32;
/// `rbp`-relative offset of the borrowed globals word.
pub const GLOBALS: i32 = -40;
/// `rbp`-relative offset of the exit instruction index (written on the way out only).
pub const EXIT_PC: i32 = -48;
/// `rbp`-relative offset of a generator frame's *suspended* flag: the upper half of the
/// exit-pc word, 1 while the frame is suspended in its generator (the lower half then holds
/// the instruction it resumes at), 0 while it runs. Other frames leave it undefined.
pub const GEN_SUSPENDED: i32 = EXIT_PC + 4;
/// `rbp`-relative offset of the scratch / return-value word.
pub const SCRATCH: i32 = -56;
/// `rbp`-relative offset of the lazy-record word (`frame::ForeignFrames::lazy_slot`).
pub const LAZY: i32 = -64;
/// Bytes of fixed slots below `rbp` before the locals.
pub const HEADER: i32 = 64;

/// Offset of the return address from the shadow frame's address (`RET_ADDR - SHADOW`). The
/// walker derives the same address from the saved `rbp`; this states the fact of the layout.
#[allow(dead_code)]
pub const RET_ADDR_FROM_SHADOW: usize = (RET_ADDR - SHADOW) as usize;
/// Offset of `orig_data` from the shadow frame's address (the first word after the head).
pub const ORIG_DATA_FROM_SHADOW: usize = (ORIG_DATA - SHADOW) as usize;

const _: () = assert!(ORIG_DATA_FROM_SHADOW == SHADOW_FRAME_SIZE);
const _: () = assert!(SHADOW % 16 == 0);

/// Bytes of a generator's heap frame for `layout` ([`jit::gen`](super::gen)): the native frame
/// (`frame_size` bytes below `fp`) plus the saved `rbp` and return-address words at `fp` and
/// `fp + 8`, which each resumption rewrites. The block is 16-byte aligned, so `fp = block +
/// frame_size` is too, as `rbp` is at every JIT entry.
pub fn gen_block_size(layout: &FrameLayout) -> usize {
    layout.frame_size() as usize + 16
}

/// The entry trampoline's frame (see `asm/README.md`): its `rbp` is what the first JIT frame of
/// a segment saved as its caller's `rbp`, and it keeps the anchor of the segment it interrupted.
pub mod entry {
    /// Saved `JitThreadState::last_pc` of the interrupted segment, from the trampoline's `rbp`.
    pub const SAVED_LAST_PC: i32 = -48;
    /// Saved `JitThreadState::last_fp`.
    pub const SAVED_LAST_FP: i32 = -56;
    /// Saved `JitThreadState::entry_fp` (the next outer entry trampoline, 0 if none).
    pub const SAVED_ENTRY_FP: i32 = -64;
}

/// The frame layout of one compiled code object.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FrameLayout {
    /// Fast locals (`co_varnames`).
    pub nlocals: u32,
    /// Value-stack slots (the maximum depth the compiler found).
    pub nstack: u32,
}

impl FrameLayout {
    /// The layout for `nlocals` locals and `nstack` stack slots.
    pub fn new(nlocals: u32, nstack: u32) -> FrameLayout {
        FrameLayout { nlocals, nstack }
    }

    /// `rbp`-relative offset of local 0 (local `i` is 8 bytes above local `i - 1`).
    pub fn locals_base(&self) -> i32 {
        -HEADER - 8 * self.nlocals as i32
    }

    /// `rbp`-relative offset of local `i`.
    pub fn local(&self, i: u32) -> i32 {
        debug_assert!(i < self.nlocals);
        self.locals_base() + 8 * i as i32
    }

    /// `rbp`-relative offset of value-stack slot 0.
    pub fn stack_base(&self) -> i32 {
        self.locals_base() - 8 * self.nstack as i32
    }

    /// `rbp`-relative offset of value-stack slot `j` (0 = bottom).
    pub fn slot(&self, j: u32) -> i32 {
        debug_assert!(j < self.nstack);
        self.stack_base() + 8 * j as i32
    }

    /// Bytes the prologue subtracts from `rsp` after pushing `rbp` (a multiple of 16).
    pub fn frame_size(&self) -> i32 {
        let raw = -self.stack_base();
        (raw + 15) & !15
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_do_not_overlap_and_stay_aligned() {
        let l = FrameLayout::new(3, 5);
        assert_eq!(l.local(0), -64 - 24);
        assert_eq!(l.local(2), -64 - 8);
        assert_eq!(l.slot(4) + 8, l.local(0));
        assert_eq!(l.frame_size() % 16, 0);
        assert!(l.frame_size() >= -l.slot(0));
        assert_eq!(RET_ADDR_FROM_SHADOW, 40);
        assert_eq!(ORIG_DATA_FROM_SHADOW, 16);
    }
}
