//! Reference counts in compiled code: the increments, decrements and weak upgrades of heap
//! `Value` words, inline.
//!
//! A heap `Value` word is the pointer `Arc::into_raw` gives, to the object inside the `Arc`'s
//! allocation; the strong count is a word at a fixed offset before it. The offset is not a
//! promise of the standard library, so it is *measured* once on a real `Arc<Object>`
//! ([`strong_offset`]): the word at the candidate offset must follow the count through a
//! clone and a drop. If it does not, compiled code calls the Rust helpers instead.
//!
//! The inline sequences keep `Arc`'s own rules:
//! - increment: `lock add`, by a holder of a reference, so the count is at least 1 (the
//!   overflow abort of `Arc` is left out: 2^63 references cannot exist);
//! - decrement: a compare-and-swap from `n > 1` to `n - 1`; a count of 1 goes to the Rust
//!   helper, which frees the object if the count is still 1. Never decrementing to 0 inline
//!   is what keeps weak upgrades sound: an object whose count reached 0 is dead, and only
//!   `Arc` may get there;
//! - upgrade (a reference from a weak one, `Weak::upgrade`): a compare-and-swap from `n > 0`
//!   to `n + 1`; a count of 0 is a failed upgrade.

use super::helpers as h;
use crate::object::Value;
use crate::thread::POLL_OFFSET;
use dynasmrt::x64::Assembler;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::sync::OnceLock;

/// The displacement of the strong count from a heap word, if measured to hold.
pub fn strong_offset() -> Option<i32> {
    static OFFSET: OnceLock<Option<i32>> = OnceLock::new();
    *OFFSET.get_or_init(|| measure(-16))
}

/// Checks that the word at `off` from a fresh object's address is its strong count.
fn measure(off: i32) -> Option<i32> {
    let v = Value::list(Vec::new());
    let weak = v.downgrade()?;
    let at = (v.bits() as isize + off as isize) as *const usize;
    // SAFETY: `at` lies in the `Arc`'s allocation header (the count words before the data of
    // every `Arc<T>` with `T`'s alignment at most 16, which is the candidate checked here);
    // the object is alive and private to this thread, so nothing writes it concurrently.
    let read = || unsafe { std::ptr::read_volatile(at) };
    if read() != weak.strong_count() || read() != 1 {
        return None;
    }
    let copy = v.clone();
    let two = read() == 2 && weak.strong_count() == 2;
    drop(copy);
    (two && read() == 1).then_some(off)
}

/// `rax += 1 reference` for a heap word in `rax` (immediates are skipped); `rax` preserved,
/// `rdi` and `r11` clobbered.
pub fn emit_incref_rax(ops: &mut Assembler) {
    match strong_offset() {
        Some(off) => dynasm!(ops
            ; .arch x64
            ; test al, 3
            ; jnz >skip
            ; lock add QWORD [rax + off], 1
            ; skip:
        ),
        None => {
            let incref = h::jit_incref as *const () as i64;
            dynasm!(ops
                ; .arch x64
                ; test al, 3
                ; jnz >skip
                ; mov rdi, rax
                ; mov r11, QWORD incref
                ; call r11
                ; skip:
            )
        }
    }
}

/// Releases the reference of the word in `rdi` (immediates are skipped); `rax`, `rdx`, `rdi`
/// and the caller-saved registers clobbered (a count of 1 calls the Rust helper).
pub fn emit_decref_rdi(ops: &mut Assembler) {
    emit_decref_rdi_polling(ops, None);
}

/// [`emit_decref_rdi`] that, when it freed the object, also tests the thread's poll byte and
/// jumps to `poll = (stub, back)` if it is set: `stub` must serve the safepoint and jump back
/// to `back`, which this places after the sequence. A freed generator that must run its
/// `finally` sets the byte (`jit_decref`), so the `finally` runs here, at this instruction.
pub fn emit_decref_rdi_polling(ops: &mut Assembler, poll: Option<(DynamicLabel, DynamicLabel)>) {
    let decref = h::jit_decref as *const () as i64;
    match strong_offset() {
        Some(off) => dynasm!(ops
            ; .arch x64
            ; test edi, 3
            ; jnz >skip
            ; mov rax, [rdi + off]
            ; retry:
            ; cmp rax, 1
            ; je >last
            ; lea rdx, [rax - 1]
            ; lock cmpxchg [rdi + off], rdx
            ; jne <retry
            ; jmp >skip
            ; last:
            ; mov rax, QWORD decref
            ; call rax
        ),
        None => dynasm!(ops
            ; .arch x64
            ; test edi, 3
            ; jnz >skip
            ; mov rax, QWORD decref
            ; call rax
        ),
    }
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
/// `rdx` and `rdi` (and, without the inline path, the caller-saved registers) clobbered.
pub fn emit_upgrade_rax(ops: &mut Assembler, dead: DynamicLabel) {
    match strong_offset() {
        Some(off) => dynasm!(ops
            ; .arch x64
            ; mov rdi, rax
            ; mov rax, [rdi + off]
            ; retry:
            ; test rax, rax
            ; jz =>dead
            ; lea rdx, [rax + 1]
            ; lock cmpxchg [rdi + off], rdx
            ; jne <retry
            ; mov rax, rdi
        ),
        None => {
            let upgrade = super::globals::jit_global_upgrade as *const () as i64;
            dynasm!(ops
                ; .arch x64
                ; mov rdi, rax
                ; mov r11, QWORD upgrade
                ; call r11
                ; test rax, rax
                ; jz =>dead
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynasmrt::ExecutableBuffer;

    /// The measured offset holds on this target (x86-64 with the standard `Arc`).
    #[test]
    fn the_strong_count_is_found() {
        assert_eq!(strong_offset(), Some(-16));
        assert_eq!(measure(-8), None, "the weak count is not the strong one");
    }

    fn compile(
        f: impl FnOnce(&mut Assembler),
    ) -> (ExecutableBuffer, extern "C" fn(usize) -> usize) {
        let mut ops = Assembler::new().unwrap();
        let start = ops.offset();
        dynasm!(ops ; .arch x64 ; push rbp ; mov rbp, rsp ; mov rax, rdi);
        f(&mut ops);
        dynasm!(ops ; .arch x64 ; pop rbp ; ret);
        let buf = ops.finalize().unwrap();
        // SAFETY: the buffer holds a complete function with the C ABI (one word in, one out).
        let func = unsafe {
            std::mem::transmute::<*const u8, extern "C" fn(usize) -> usize>(buf.ptr(start))
        };
        (buf, func)
    }

    /// The inline sequences move the count as `Arc` would, and an upgrade of a dead object
    /// fails.
    #[test]
    fn inline_sequences_follow_the_count() {
        let v = Value::list(vec![Value::NONE]);
        let weak = v.downgrade().unwrap();
        let (_b1, incref) = compile(emit_incref_rax);
        incref(v.bits());
        assert_eq!(weak.strong_count(), 2);
        let (_b2, decref) = compile(|ops| {
            dynasm!(ops ; .arch x64 ; mov rdi, rax);
            emit_decref_rdi(ops)
        });
        decref(v.bits());
        assert_eq!(weak.strong_count(), 1);
        let (_b3, upgrade) = compile(|ops| {
            let dead = ops.new_dynamic_label();
            let done = ops.new_dynamic_label();
            emit_upgrade_rax(ops, dead);
            dynasm!(ops ; .arch x64 ; jmp =>done ; =>dead ; xor eax, eax ; =>done);
        });
        let raw = std::sync::Weak::into_raw(weak.clone()) as usize;
        assert_eq!(upgrade(raw), v.bits());
        assert_eq!(weak.strong_count(), 2);
        decref(v.bits());
        // The last reference goes through the helper, which frees the object.
        decref(v.bits());
        std::mem::forget(v);
        assert_eq!(weak.strong_count(), 0);
        assert_eq!(upgrade(raw), 0);
        // SAFETY: `raw` came from `Weak::into_raw` above.
        drop(unsafe { std::sync::Weak::from_raw(raw as *const crate::object::Object) });
        // Immediates are left alone.
        assert_eq!(incref(Value::NONE.bits()), Value::NONE.bits());
        decref(Value::small(7).unwrap().bits());
    }
}
