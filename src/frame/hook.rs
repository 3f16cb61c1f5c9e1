//! The materialization hook: the one path every observer takes to turn an activation into its
//! frame object.
//!
//! The default, [`get_frame_object`], handles interpreted and already-materialized activations; a
//! JIT installs its own hook that handles its activations and defers to the default for the
//! rest. Whatever the hook, an activation gets at most one frame object.

use super::activation::Activation;
use super::FrameObject;
use crate::object::Value;
use crate::shadow::{Kind, ShadowFrame, Tag};
use crate::thread::ThreadState;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Builds (or returns the existing) frame object of the activation of a shadow frame.
///
/// # Safety
/// The shadow frame must be linked on `ts`'s stack (so its activation is alive), and the caller
/// must be `ts`'s own thread.
pub type MaterializeHook = unsafe fn(&mut ThreadState, *mut ShadowFrame) -> Value;

/// 0 = the default hook. Acquire/Release: a hook installed by one thread is a fully initialised
/// function pointer when another thread loads it.
static HOOK: AtomicUsize = AtomicUsize::new(0);

/// Installs `hook` for the whole interpreter (`None` restores the default).
///
/// A hook that counts what observers ask for, and builds frame objects the default way (a JIT
/// would build its own activations' with [`materialize_foreign`]). An activation's second
/// observation finds its frame object without the hook; [`crate::thread::Stats`] counts the
/// objects built:
///
/// ```
/// use shadowframe::frame;
/// use shadowframe::object::Value;
/// use shadowframe::shadow::ShadowFrame;
/// use shadowframe::thread::{runtime, Stat};
/// use shadowframe::{compile, interp, stdlib, ThreadState};
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// static ASKED: AtomicUsize = AtomicUsize::new(0);
///
/// /// # Safety
/// /// As for `frame::MaterializeHook`.
/// unsafe fn counting(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
///     ASKED.fetch_add(1, Ordering::Relaxed);
///     // SAFETY: our caller's contract is the default hook's.
///     unsafe { frame::get_frame_object(ts, sf) }
/// }
///
/// frame::set_materialize_hook(Some(counting));
/// stdlib::init();
/// let mut ts = ThreadState::new();
/// let source = "import sys\ndef f():\n    return sys._getframe() is sys._getframe()\nsame = f()\n";
/// let code = compile::compile_module(source, "hook.py").expect("compiles");
/// let globals = Value::dict();
/// let built = || runtime().stats.get(Stat::FrameObjectsCreated);
/// let before = built();
/// interp::run_module(&mut ts, code, globals.clone()).expect("runs");
/// assert_eq!(stdlib::dict_get(&globals, "same").and_then(|v| v.as_bool()), Some(true));
/// assert_eq!(ASKED.load(Ordering::Relaxed), 1);
/// assert_eq!(built() - before, 1);
/// frame::set_materialize_hook(None);
/// ```
pub fn set_materialize_hook(hook: Option<MaterializeHook>) {
    HOOK.store(hook.map_or(0, |h| h as usize), Ordering::Release);
}

/// The frame object of the activation of `sf`, through the installed hook.
///
/// # Safety
/// As for [`MaterializeHook`].
pub unsafe fn materialize(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
    // A materialized activation answers without the hook: the common "same object again" path.
    // SAFETY: the caller guarantees `sf` is linked and alive.
    if let Some(v) = unsafe { existing(sf) } {
        return v;
    }
    let h = HOOK.load(Ordering::Acquire);
    if h == 0 {
        // SAFETY: forwarded contract.
        unsafe { get_frame_object(ts, sf) }
    } else {
        // SAFETY: only `set_materialize_hook` stores nonzero values, and they are `MaterializeHook`s.
        let hook: MaterializeHook = unsafe { std::mem::transmute::<usize, MaterializeHook>(h) };
        // SAFETY: forwarded contract.
        unsafe { hook(ts, sf) }
    }
}

/// The frame object of a materialized shadow frame.
///
/// # Safety
/// `sf` must be linked and alive.
unsafe fn existing(sf: *mut ShadowFrame) -> Option<Value> {
    // SAFETY: caller's contract.
    let sfr = unsafe { &*sf };
    if sfr.kind() != Kind::Materialized {
        return None;
    }
    let bits = sfr.data & !Tag::MASK;
    // SAFETY: a materialized shadow frame points to a frame object (a heap `Object`) that its
    // activation keeps a strong reference to while linked; we take one more for the caller.
    let v = unsafe { Value::from_bits(bits) };
    let out = v.clone();
    std::mem::forget(v);
    Some(out)
}

/// The default hook: materializes interpreter frames.
///
/// Panics if `sf` is a JIT activation (a JIT must install a hook that answers for its frames).
///
/// # Safety
/// As for [`MaterializeHook`].
pub unsafe fn get_frame_object(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
    // SAFETY: caller's contract.
    let act = unsafe { Activation::of(sf) };
    assert!(
        matches!(act, Activation::Interp(_)),
        "a JIT activation needs the JIT's materialization hook"
    );
    // SAFETY: forwarded.
    unsafe { build(ts, act) }
}

/// Materializes a foreign (JIT-owned) activation through the registered
/// [`ForeignFrames`](super::ForeignFrames): what a JIT's hook calls for its own shadow frames.
///
/// # Safety
/// As for [`MaterializeHook`]; `sf` carries `OWNED_BY_JIT`.
pub unsafe fn materialize_foreign(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
    // SAFETY: caller's contract.
    let act = unsafe { Activation::of(sf) };
    assert!(
        matches!(act, Activation::Foreign(..)),
        "materialize_foreign of an interpreted activation"
    );
    // SAFETY: forwarded.
    unsafe { build(ts, act) }
}

/// Builds the live frame object of `act` and records it in the activation (and in its lazy
/// record, so every identity of the activation answers with the same object).
///
/// # Safety
/// `act` is linked on `ts`'s stack, `ts` is the calling thread's.
unsafe fn build(ts: &mut ThreadState, act: Activation) -> Value {
    // SAFETY: caller's contract.
    if let Some(v) = unsafe { act.frame_object() } {
        return v;
    }
    // A claim on this activation (see `unwind`) gets its lazy record before the object.
    super::unwind::settle(ts);
    // SAFETY: caller's contract.
    let obj = unsafe { FrameObject::new_live(ts, act) };
    // Building the object ran no Python code here, but a hook-installed allocator could have:
    // re-check before publishing so an activation never gets two objects (GH-97002).
    // SAFETY: as above.
    if let Some(v) = unsafe { act.frame_object() } {
        return v;
    }
    // SAFETY: the activation is alive (linked) and we are its thread; nothing holds a reference
    // into it across the call that led here.
    unsafe {
        if let Some(lazy) = act.lazy() {
            lazy.set_object(obj.clone());
        }
        act.set_frame_object(&obj);
    }
    obj
}
