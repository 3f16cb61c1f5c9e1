//! The seam between the interpreter and a compiled tier (the JIT): the interpreter offers every
//! call of a Python function to the installed tier first, and runs it itself when the tier
//! declines. Generator and coroutine functions are offered too: the tier may build the
//! generator's frame ([`TierGenFrame`]), which the generator object then drives. The
//! interpreter knows nothing else of the tier.

pub use super::eval::Sent;
use crate::object::cycles::{Edge, Graveyard};
use crate::object::{Function, KwArgs, PyErr, PyResult, Value};
use crate::shadow::ShadowFrame;
use crate::thread::ThreadState;
use std::sync::OnceLock;

/// A compiled tier that may run Python functions in place of the interpreter.
pub trait Tier: Sync {
    /// Runs `func(*args, **kwargs)` compiled and returns its result, or returns `None` to let
    /// the interpreter run it (not compiled, not hot yet, or not compilable).
    fn call(
        &self,
        ts: &mut ThreadState,
        callee: &Value,
        func: &Function,
        args: &[Value],
        kwargs: KwArgs,
    ) -> Option<PyResult<Value>>;

    /// Builds the frame of a new generator or coroutine for `func(*args, **kwargs)` (the
    /// arguments bound, suspended before its first instruction), or returns `None` to let the
    /// interpreter build an interpreted one. The default declines.
    fn generator_frame(
        &self,
        ts: &mut ThreadState,
        callee: &Value,
        func: &Function,
        args: &[Value],
        kwargs: KwArgs,
    ) -> Option<PyResult<Box<dyn TierGenFrame>>> {
        let _ = (ts, callee, func, args, kwargs);
        None
    }
}

/// What resuming a tier's generator frame did.
pub enum TierResumed {
    /// It suspended again, yielding the value.
    Yielded(Value),
    /// It returned; the frame ended (its observers were handed its final state).
    Returned(Value),
    /// It raised; the frame ended likewise.
    Raised(PyErr),
}

/// A generator's frame compiled by a tier: what the generator object (`interp::gen`) needs of
/// it. The generator owns it, drives it one resumption at a time under its lock, and drops it
/// when it is finished or dropped itself.
///
/// Its activation is a foreign one (its shadow frame carries `OWNED_BY_JIT`): between
/// resumptions the shadow frame is unlinked but stays where it is, so a frame object built for
/// it reads it through the tier's `frame::ForeignFrames`.
pub trait TierGenFrame: Send {
    /// Runs the frame on `ts` until it yields, returns or raises. The generator has checked the
    /// recursion limit and swapped in its handled exception. After `Returned` or `Raised` the
    /// frame is finished: it is dropped without being resumed again.
    fn resume(&mut self, ts: &mut ThreadState, sent: Sent) -> TierResumed;

    /// The instruction it is suspended at (0: never started, at `ReturnGenerator`).
    fn pc(&self) -> usize;

    /// The `yield from`/`await` delegate it waits on, if suspended in one.
    fn delegate(&self) -> Option<Value>;

    /// Its shadow frame (linked only while it runs).
    fn shadow(&mut self) -> *mut ShadowFrame;

    /// Reports the references it holds while suspended (for the exit-time cycle collector,
    /// `object::cycles`). Missing one only keeps garbage alive, never frees a live object.
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>));

    /// Detaches its locals and value stack into `graveyard` (it is cyclic garbage), leaving it
    /// droppable.
    fn clear_refs(&mut self, graveyard: &mut Graveyard);
}

static TIER: OnceLock<&'static dyn Tier> = OnceLock::new();

/// Installs the compiled tier for the whole process (once; false if another one was installed).
pub fn set_tier(tier: &'static dyn Tier) -> bool {
    let stored = *TIER.get_or_init(|| tier);
    std::ptr::addr_eq(stored as *const dyn Tier, tier)
}

/// The installed tier, if any.
#[inline]
pub(crate) fn tier() -> Option<&'static dyn Tier> {
    TIER.get().copied()
}
