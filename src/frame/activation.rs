//! Running activations as `frame` sees them: an interpreted one (its [`InterpreterFrame`]) or a
//! *foreign* one, owned by JIT code, that answers through the [`ForeignFrames`] vtable its JIT
//! registered.
//!
//! How an observer reaches an activation's state, in steps:
//!
//! 1. From a linked shadow frame, [`Activation::of`] reads the tag: `OWNED_BY_JIT` means a
//!    foreign activation (whatever its kind bits say, since materialization rewrites them);
//!    otherwise the shadow frame is embedded in an `InterpreterFrame`.
//! 2. Code, function, globals and locals come from the interpreter frame, or from the JIT's
//!    native frame through the vtable. Locals are a `[Value]` slice in both cases (a `Value` is
//!    one transparent word), so a write through `f_locals` lands in the slot the running code
//!    reads next.
//! 3. The current instruction of a foreign activation is not stored anywhere: the JIT's walk
//!    maps the return address of the call it is blocked in ([`ForeignFrames::walk`]).
//! 4. The activation's identity for tracebacks (its [`LazyFrame`]) lives in a word the
//!    activation owns ([`ForeignFrames::lazy_slot`]); creating it sets the `OBSERVED` tag, so the
//!    JIT's epilogue hands the final state over with the same one-bit test as for a frame object.
//!    A callee that ended by an exception may set `OBSERVED` before the record exists (its
//!    `f_back` waits for this activation: `unwind`); `exit_foreign` settles that too.
//!
//! Invariant: every method requires the activation to be linked on the shadow stack of the
//! thread state it is used with, and that thread to be the caller or stopped in a handshake
//! that the caller runs (`thread::handshake`), so its memory is alive and nobody else mutates it.

use super::InterpreterFrame;
use super::LazyRef;
use crate::code::CodeObject;
use crate::object::Value;
use crate::shadow::{Kind, ShadowFrame, Tag};
use crate::thread::ThreadState;
use std::sync::{Arc, OnceLock};

/// What a JIT implements so that `frame` can answer for its activations (the shadow frames it
/// pushes with [`Tag::OWNED_BY_JIT`]).
///
/// # Safety
/// Implementations are called with shadow frames that are linked on the calling thread's stack
/// and carry `OWNED_BY_JIT`; they must return the state of exactly that activation.
pub unsafe trait ForeignFrames: Sync {
    /// The activation's code object.
    ///
    /// # Safety
    /// `sf` is a linked foreign activation of the calling thread.
    unsafe fn code(&self, sf: *mut ShadowFrame) -> Arc<CodeObject>;

    /// The function it runs (a borrowed word, cloned).
    ///
    /// # Safety
    /// As for [`ForeignFrames::code`].
    unsafe fn func(&self, sf: *mut ShadowFrame) -> Value;

    /// Its globals dict.
    ///
    /// # Safety
    /// As for [`ForeignFrames::code`].
    unsafe fn globals(&self, sf: *mut ShadowFrame) -> Value;

    /// The address of its code object (`Arc::as_ptr`), counting no reference: an identity to
    /// compare. The default reads [`ForeignFrames::code`]; a JIT that can answer without
    /// counting makes unwinding cheaper.
    ///
    /// # Safety
    /// As for [`ForeignFrames::code`].
    unsafe fn code_addr(&self, sf: *mut ShadowFrame) -> usize {
        // SAFETY: forwarded contract; the activation keeps its code alive, so the address
        // stays that code's while it is linked.
        Arc::as_ptr(&unsafe { self.code(sf) }) as usize
    }

    /// The word of its globals dict ([`Value::bits`]), counting no reference: an identity to
    /// compare. The default reads [`ForeignFrames::globals`].
    ///
    /// # Safety
    /// As for [`ForeignFrames::code`].
    unsafe fn globals_bits(&self, sf: *mut ShadowFrame) -> usize {
        // SAFETY: forwarded contract; as for `code_addr`.
        unsafe { self.globals(sf) }.bits()
    }

    /// Its fast locals, in `co_varnames` order (NULL = unbound), where the running code reads
    /// them.
    ///
    /// # Safety
    /// As for [`ForeignFrames::code`]; the slice must not outlive the activation, and the
    /// activation must be blocked (it is: someone on its own thread is observing it).
    #[allow(clippy::mut_from_ref)]
    unsafe fn locals(&self, sf: *mut ShadowFrame) -> &mut [Value];

    /// The word where the activation keeps its lazy record (`LazyRef::into_raw`, 0 = none).
    ///
    /// # Safety
    /// As for [`ForeignFrames::code`].
    unsafe fn lazy_slot(&self, sf: *mut ShadowFrame) -> *mut usize;

    /// The instruction a *suspended* activation resumes at: one that a suspended generator keeps
    /// unlinked between resumptions (see `frame::suspend_foreign`). `None` while it runs, or
    /// for a JIT whose activations never suspend (the default).
    ///
    /// # Safety
    /// `sf` is a foreign activation that is linked on the calling thread's stack, or suspended
    /// and kept alive by its generator.
    unsafe fn suspended_instr(&self, sf: *mut ShadowFrame) -> Option<usize> {
        let _ = sf;
        None
    }

    /// Visits the thread's activations from the top: each shadow frame with its current
    /// instruction if it is foreign (None for interpreted ones). Stops when `visit` says false.
    ///
    /// # Safety
    /// `ts` is the calling thread's state.
    unsafe fn walk(
        &self,
        ts: &ThreadState,
        visit: &mut dyn FnMut(*mut ShadowFrame, Option<usize>) -> bool,
    );
}

static FOREIGN: OnceLock<&'static dyn ForeignFrames> = OnceLock::new();

/// Registers the vtable that answers for foreign activations (once per process; a second,
/// different registration is refused and returns false).
pub fn set_foreign_frames(frames: &'static dyn ForeignFrames) -> bool {
    let stored = *FOREIGN.get_or_init(|| frames);
    std::ptr::addr_eq(stored as *const dyn ForeignFrames, frames)
}

/// The registered vtable, if any.
pub(crate) fn foreign_frames() -> Option<&'static dyn ForeignFrames> {
    FOREIGN.get().copied()
}

/// A running activation.
#[derive(Clone, Copy)]
pub(crate) enum Activation {
    /// Interpreted.
    Interp(*mut InterpreterFrame),
    /// Owned by JIT code.
    Foreign(*mut ShadowFrame, &'static dyn ForeignFrames),
}

impl Activation {
    /// The activation of a linked shadow frame.
    ///
    /// Panics if it is foreign and no JIT registered [`ForeignFrames`] (a JIT that pushes frames
    /// without registering is a bug).
    ///
    /// # Safety
    /// `sf` is linked on the calling thread's shadow stack.
    pub(crate) unsafe fn of(sf: *mut ShadowFrame) -> Activation {
        // SAFETY: caller's contract.
        let s = unsafe { &*sf };
        if s.tag().contains(Tag::OWNED_BY_JIT) {
            let f = foreign_frames().expect("a JIT activation without registered ForeignFrames");
            return Activation::Foreign(sf, f);
        }
        match s.kind() {
            Kind::Interpreted => Activation::Interp(s.pointer()),
            // The shadow frame is embedded in its interpreter frame.
            _ => {
                let off = std::mem::offset_of!(InterpreterFrame, shadow);
                Activation::Interp((sf as usize - off) as *mut InterpreterFrame)
            }
        }
    }

    /// Its shadow frame.
    pub(crate) fn shadow(&self) -> *mut ShadowFrame {
        match *self {
            // SAFETY: the frame is alive (`of`'s contract); taking a field address reads nothing.
            Activation::Interp(f) => unsafe { &raw mut (*f).shadow },
            Activation::Foreign(sf, _) => sf,
        }
    }

    /// Its caller's shadow frame (null at the bottom).
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn prev(&self) -> *mut ShadowFrame {
        // SAFETY: caller's contract.
        unsafe { (*self.shadow()).prev }
    }

    /// Its code.
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn code(&self) -> Arc<CodeObject> {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { (*f).code.clone() },
            // SAFETY: caller's contract.
            Activation::Foreign(sf, v) => unsafe { v.code(sf) },
        }
    }

    /// The address of its code object, counting no reference (an identity to compare).
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn code_addr(&self) -> usize {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { Arc::as_ptr(&(*f).code) as usize },
            // SAFETY: caller's contract.
            Activation::Foreign(sf, v) => unsafe { v.code_addr(sf) },
        }
    }

    /// Its function (None for module code).
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn func(&self) -> Value {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { (*f).func().clone() },
            // SAFETY: caller's contract.
            Activation::Foreign(sf, v) => unsafe { v.func(sf) },
        }
    }

    /// Its globals.
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn globals(&self) -> Value {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { (*f).globals().clone() },
            // SAFETY: caller's contract.
            Activation::Foreign(sf, v) => unsafe { v.globals(sf) },
        }
    }

    /// Its fast locals.
    ///
    /// # Safety
    /// Still linked, blocked, and the slice is dropped before it runs again.
    pub(crate) unsafe fn locals<'a>(&self) -> &'a mut [Value] {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { &mut (*f).locals },
            // SAFETY: caller's contract.
            Activation::Foreign(sf, v) => unsafe { v.locals(sf) },
        }
    }

    /// Its current instruction.
    ///
    /// # Safety
    /// Still linked on `ts`, the calling thread's state, or suspended in its generator.
    pub(crate) unsafe fn pc(&self, ts: &ThreadState) -> usize {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { (*f).pc },
            Activation::Foreign(sf, v) => {
                // SAFETY: caller's contract.
                if let Some(pc) = unsafe { v.suspended_instr(sf) } {
                    return pc;
                }
                let mut pc = 0;
                // SAFETY: caller's contract.
                unsafe {
                    v.walk(ts, &mut |s, p| {
                        if s == sf {
                            pc = p.unwrap_or(0);
                            return false;
                        }
                        true
                    })
                };
                pc
            }
        }
    }

    /// Its frame object, if it was materialized (a new reference).
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn frame_object(&self) -> Option<Value> {
        // SAFETY: caller's contract.
        let s = unsafe { &*self.shadow() };
        if s.kind() != Kind::Materialized {
            return None;
        }
        // SAFETY: a materialized shadow frame points to a frame object that its activation keeps
        // a strong reference to while linked; we take one more for the caller.
        let v = std::mem::ManuallyDrop::new(unsafe { Value::from_bits(s.data & !Tag::MASK) });
        Some((*v).clone())
    }

    /// Its lazy record, if one exists.
    ///
    /// # Safety
    /// Still linked.
    pub(crate) unsafe fn lazy(&self) -> Option<LazyRef> {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { (*f).lazy.clone() },
            Activation::Foreign(sf, v) => {
                // SAFETY: caller's contract.
                let w = unsafe { *v.lazy_slot(sf) };
                (w != 0).then(|| {
                    // SAFETY: the slot owns one reference (`LazyRef::into_raw`, by
                    // `set_lazy`); we add one for the caller.
                    unsafe { LazyRef::clone_raw(w) }
                })
            }
        }
    }

    /// Gives the activation its lazy record (it must have none).
    ///
    /// # Safety
    /// Still linked, on the calling thread.
    pub(crate) unsafe fn set_lazy(&self, lazy: LazyRef) {
        match *self {
            // SAFETY: caller's contract.
            Activation::Interp(f) => unsafe { (*f).lazy = Some(lazy) },
            Activation::Foreign(sf, v) => {
                // SAFETY: caller's contract; the slot takes the reference, and the OBSERVED bit
                // tells the epilogue to hand the record its final state.
                unsafe {
                    let slot = v.lazy_slot(sf);
                    debug_assert_eq!(*slot, 0);
                    *slot = LazyRef::into_raw(lazy);
                    (*sf).data |= Tag::OBSERVED.bits();
                }
            }
        }
    }

    /// Records `obj` as the activation's frame object and retags its shadow frame
    /// `MATERIALIZED` (keeping `OWNED_BY_JIT` and `OBSERVED`). The activation keeps a reference.
    ///
    /// # Safety
    /// Still linked, on the calling thread, and not materialized yet.
    pub(crate) unsafe fn set_frame_object(&self, obj: &Value) {
        let ptr = obj.obj().expect("frame objects are heap objects") as *const _ as usize;
        debug_assert_eq!(ptr & Tag::MASK, 0);
        // SAFETY: caller's contract.
        unsafe {
            let s = &mut *self.shadow();
            let keep = s.data & (Tag::OWNED_BY_JIT | Tag::OBSERVED).bits();
            match *self {
                Activation::Interp(f) => (*f).frame_obj = Some(obj.clone()),
                // The reference is owned by the shadow frame's data word, released at exit.
                Activation::Foreign(..) => std::mem::forget(obj.clone()),
            }
            s.data = ptr | Tag::MATERIALIZED.bits() | keep;
        }
    }
}
