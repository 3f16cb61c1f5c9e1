//! Reference counts in compiled code: the increments, decrements and weak upgrades of heap
//! `Value` words, inline.
//!
//! The counts are biased (`object::rc`, whose module docs give the rules): the header before
//! a heap object holds its owner's count `local` ([`LOCAL_OFFSET`]), the owner's id `tid`
//! ([`TID_OFFSET`]) and the shared word ([`WORD_OFFSET`]); the running thread's id is at
//! `[r15 + OWNER_OFFSET]`. The inline sequences are the fast paths of `rc`'s functions, and
//! leave every other case to the Rust helper:
//! - increment: the owner adds 1 to `local` with a plain load and store (skipping an
//!   immortal object, whose `local` wraps to 0); anyone else `lock add`s one shared
//!   reference (by a holder, so the object is alive; the 38-bit shared count cannot overflow);
//! - decrement: the owner stores `local - 1` when that leaves a reference (`local` in
//!   2..u32::MAX); anyone else compare-and-swaps `shared - 1` when `shared` is at least 2
//!   (whatever the flags, that neither queues nor frees). Everything else (the last owner's
//!   reference, a merge, a queue, a free) calls `jit_decref`;
//! - upgrade (a strong reference from a weak one): the owner adds to `local` (an object owned
//!   by the caller is alive); anyone else compare-and-swaps `shared + 1` unless the word says
//!   merged with no reference (dead).

use super::helpers as h;
use crate::object::rc::{DEAD_TOP, FLAGS_SHIFT, LOCAL_OFFSET, SHARED_ONE, TID_OFFSET, WORD_OFFSET};
use crate::thread::{OWNER_OFFSET, POLL_OFFSET};
use dynasmrt::x64::{Assembler, Rq};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

const SHARED_ONE_I32: i32 = SHARED_ONE as i32;
const _: () = assert!(SHARED_ONE == SHARED_ONE_I32 as i64 && SHARED_ONE <= (1 << 29));

/// The owner's increment of the object at register `obj`: jumps to `stranger` if its `tid`
/// is not the running thread's id; else adds 1 to `local` (leaving an immortal count, which
/// wraps to 0, alone) and jumps to `done`. `scratch` clobbered.
fn emit_owner_increment(
    ops: &mut Assembler,
    obj: Rq,
    scratch: Rq,
    stranger: DynamicLabel,
    done: DynamicLabel,
) {
    let (obj, scratch) = (obj as u8, scratch as u8);
    dynasm!(ops
        ; .arch x64
        ; mov Rd(scratch), [Rq(obj) + TID_OFFSET]
        ; cmp Rd(scratch), [r15 + OWNER_OFFSET]
        ; jne =>stranger
        ; mov Rd(scratch), [Rq(obj) + LOCAL_OFFSET]
        ; add Rd(scratch), 1
        ; jz =>done
        ; mov [Rq(obj) + LOCAL_OFFSET], Rd(scratch)
        ; jmp =>done
    );
}

/// `rax += 1 reference` for a heap word in `rax` (immediates are skipped); `rax` preserved,
/// `r11` clobbered.
pub fn emit_incref_rax(ops: &mut Assembler) {
    let (stranger, done) = (ops.new_dynamic_label(), ops.new_dynamic_label());
    dynasm!(ops ; .arch x64 ; test al, 3 ; jnz =>done);
    emit_owner_increment(ops, Rq::RAX, Rq::R11, stranger, done);
    dynasm!(ops
        ; .arch x64
        ; =>stranger
        ; lock add QWORD [rax + WORD_OFFSET], SHARED_ONE_I32
        ; =>done
    );
}

/// Releases the reference of the word in `rdi` (immediates are skipped); `rax`, `rdx`, `rdi`
/// and the caller-saved registers clobbered (the slow cases call the Rust helper).
pub fn emit_decref_rdi(ops: &mut Assembler) {
    emit_decref_rdi_polling(ops, None);
}

/// [`emit_decref_rdi`] that, when it called the runtime, also tests the thread's poll byte and
/// jumps to `poll = (stub, back)` if it is set: `stub` must serve the safepoint and jump back
/// to `back`, which this places after the sequence. A freed generator that must run its
/// `finally` sets the byte (`jit_decref`), so the `finally` runs here, at this instruction.
pub fn emit_decref_rdi_polling(ops: &mut Assembler, poll: Option<(DynamicLabel, DynamicLabel)>) {
    let decref = h::jit_decref as *const () as i64;
    dynasm!(ops
        ; .arch x64
        ; test edi, 3
        ; jnz >skip
        ; mov eax, [rdi + TID_OFFSET]
        ; cmp eax, [r15 + OWNER_OFFSET]
        ; jne >shared
        ; mov eax, [rdi + LOCAL_OFFSET]
        ; lea edx, [rax - 2]
        ; cmp edx, -3
        ; jae >slow
        ; sub eax, 1
        ; mov [rdi + LOCAL_OFFSET], eax
        ; jmp >skip
        ; shared:
        ; mov rax, [rdi + WORD_OFFSET]
        ; retry:
        ; cmp rax, 2 * SHARED_ONE_I32
        ; jl >slow
        ; lea rdx, [rax - SHARED_ONE_I32]
        ; lock cmpxchg [rdi + WORD_OFFSET], rdx
        ; jne <retry
        ; jmp >skip
        ; slow:
        ; mov rax, QWORD decref
        ; call rax
    );
    if let Some((stub, back)) = poll {
        dynasm!(ops
            ; .arch x64
            ; cmp BYTE [r15 + POLL_OFFSET], 0
            ; jne =>stub
            ; =>back
        );
    }
    dynasm!(ops ; .arch x64 ; skip:);
}

/// `rax` = a new reference to the heap object at `rax`, whose allocation the caller keeps
/// with a weak reference; jumps to `dead` (with `rax` clobbered) if the object is gone.
/// `rdx` and `rdi` clobbered.
pub fn emit_upgrade_rax(ops: &mut Assembler, dead: DynamicLabel) {
    let (stranger, done) = (ops.new_dynamic_label(), ops.new_dynamic_label());
    dynasm!(ops ; .arch x64 ; mov rdi, rax);
    emit_owner_increment(ops, Rq::RDI, Rq::RAX, stranger, done);
    dynasm!(ops
        ; .arch x64
        ; =>stranger
        ; mov rax, [rdi + WORD_OFFSET]
        ; retry:
        ; mov rdx, rax
        ; sar rdx, FLAGS_SHIFT as i8
        ; cmp rdx, DEAD_TOP as i32
        ; je =>dead
        ; lea rdx, [rax + SHARED_ONE_I32]
        ; lock cmpxchg [rdi + WORD_OFFSET], rdx
        ; jne <retry
        ; =>done
        ; mov rax, rdi
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::rc::{Ownership, NOT_AN_OWNER};
    use crate::object::Value;
    use dynasmrt::ExecutableBuffer;
    use std::sync::atomic::AtomicU8;

    type Func = extern "C" fn(usize, *const u8) -> usize;

    /// A function `(word, thread state) -> rax` running `f` with `rax` = the word and `r15` =
    /// the thread state (the poll byte and the owner id are all the sequences read there).
    fn compile(f: impl FnOnce(&mut Assembler)) -> (ExecutableBuffer, Func) {
        let mut ops = Assembler::new().unwrap();
        let start = ops.offset();
        dynasm!(ops ; .arch x64
            ; push rbp ; mov rbp, rsp ; push r15 ; sub rsp, 8
            ; mov r15, rsi ; mov rax, rdi);
        f(&mut ops);
        dynasm!(ops ; .arch x64 ; add rsp, 8 ; pop r15 ; pop rbp ; ret);
        let buf = ops.finalize().unwrap();
        // SAFETY: the buffer holds a complete function with the C ABI (two words in, one out).
        let func = unsafe { std::mem::transmute::<*const u8, Func>(buf.ptr(start)) };
        (buf, func)
    }

    /// A thread state as far as the sequences read it.
    fn state(owner: u32) -> Vec<u8> {
        let mut ts = vec![0u8; 64];
        let at = OWNER_OFFSET as usize;
        ts[at..at + 4].copy_from_slice(&owner.to_ne_bytes());
        ts
    }

    struct Seqs {
        _bufs: Vec<ExecutableBuffer>,
        incref: Func,
        decref: Func,
        upgrade: Func,
    }

    fn seqs() -> Seqs {
        let (b1, incref) = compile(emit_incref_rax);
        let (b2, decref) = compile(|ops| {
            dynasm!(ops ; .arch x64 ; mov rdi, rax);
            emit_decref_rdi(ops)
        });
        let (b3, upgrade) = compile(|ops| {
            let dead = ops.new_dynamic_label();
            let done = ops.new_dynamic_label();
            emit_upgrade_rax(ops, dead);
            dynasm!(ops ; .arch x64 ; jmp =>done ; =>dead ; xor eax, eax ; =>done);
        });
        Seqs {
            _bufs: vec![b1, b2, b3],
            incref,
            decref,
            upgrade,
        }
    }

    /// The sequences move the counts as `Value` would, by the owner and by a stranger, and an
    /// upgrade of a dead object fails.
    fn follow_the_count(owner_in_code: bool) {
        let (poll, trip) = (AtomicU8::new(0), std::sync::atomic::AtomicUsize::new(0));
        // SAFETY: `poll` and `trip` outlive the ownership, dropped at the end of this function.
        let ownership = unsafe { Ownership::begin(&poll, &trip) };
        let ts = state(if owner_in_code {
            ownership.id()
        } else {
            NOT_AN_OWNER
        });
        let ts = ts.as_ptr();
        let s = seqs();
        let v = Value::list(vec![Value::NONE]);
        let weak = v.downgrade().unwrap();
        (s.incref)(v.bits(), ts);
        (s.incref)(v.bits(), ts);
        assert_eq!(v.ref_count(), 3);
        (s.decref)(v.bits(), ts);
        assert_eq!(v.ref_count(), 2);
        let raw = weak.as_ptr() as usize;
        assert_eq!((s.upgrade)(raw, ts), v.bits());
        assert_eq!(v.ref_count(), 3);
        (s.decref)(v.bits(), ts);
        (s.decref)(v.bits(), ts);
        assert_eq!(v.ref_count(), 1);
        // The last reference goes through the helper, which frees the object.
        (s.decref)(v.bits(), ts);
        std::mem::forget(v);
        assert!(!weak.is_alive());
        assert_eq!((s.upgrade)(raw, ts), 0);
        // Immediates are left alone.
        assert_eq!((s.incref)(Value::NONE.bits(), ts), Value::NONE.bits());
        (s.decref)(Value::small(7).unwrap().bits(), ts);
        drop(ownership);
    }

    #[test]
    fn the_owners_sequences_follow_the_count() {
        follow_the_count(true);
    }

    #[test]
    fn a_strangers_sequences_follow_the_count() {
        follow_the_count(false);
    }

    /// A stranger's sequences on an object whose owner counts too: the sum is right, and the
    /// object is freed once, by whoever releases it last.
    #[test]
    fn owner_and_stranger_share_one_object() {
        let s = seqs();
        let stranger = state(NOT_AN_OWNER);
        let (poll, trip) = (AtomicU8::new(0), std::sync::atomic::AtomicUsize::new(0));
        // SAFETY: as above.
        let ownership = unsafe { Ownership::begin(&poll, &trip) };
        let mine = state(ownership.id());
        let v = Value::list(vec![]);
        let weak = v.downgrade().unwrap();
        (s.incref)(v.bits(), stranger.as_ptr());
        (s.incref)(v.bits(), mine.as_ptr());
        assert_eq!(v.ref_count(), 3);
        (s.decref)(v.bits(), mine.as_ptr());
        (s.decref)(v.bits(), mine.as_ptr());
        // The owner's count is 0: merged, the stranger's reference is the last one.
        assert!(weak.is_alive());
        assert_eq!(v.ref_count(), 1);
        (s.decref)(v.bits(), stranger.as_ptr());
        std::mem::forget(v);
        assert!(!weak.is_alive());
        drop(ownership);
    }
}
