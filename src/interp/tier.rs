//! The seam between the interpreter and a compiled tier (the JIT): the interpreter offers every
//! call of a Python function to the installed tier first, and runs it itself when the tier
//! declines. The interpreter knows nothing else of the tier.

use crate::object::{Function, KwArgs, PyResult, Value};
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
