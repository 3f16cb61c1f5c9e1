//! Fault injection, to test what a panic inside the runtime does (a debugging aid: off unless
//! the embedding arms it; the `shadowpy` binary arms it from `SHADOWPY_DEBUG_PANIC=SITE:N`).
//!
//! The Nth pass (counting from 1, across threads) through a site panics with
//! [`PANIC_MESSAGE`]. Sites:
//! - `helper`: a JIT runtime helper, inside its `catch_unwind` (the panic becomes a
//!   `SystemError` of the calling Python code);
//! - `builtin`: a builtin function called by the interpreter (the panic unwinds through the
//!   interpreter's frames: under a JIT helper that is a clean abort, at top level the binary's
//!   "internal error" exit).
//!
//! Unarmed, a site costs one relaxed load and a not-taken branch.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Where a fault can be injected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Site {
    /// A JIT runtime helper.
    Helper = 1,
    /// A builtin called by the interpreter.
    Builtin = 2,
}

/// The message of an injected panic.
pub const PANIC_MESSAGE: &str = "deliberate panic (SHADOWPY_DEBUG_PANIC)";

/// The armed site (0: none) and the pass that panics.
static SITE: AtomicUsize = AtomicUsize::new(0);
static AT: AtomicUsize = AtomicUsize::new(0);
static PASSES: AtomicUsize = AtomicUsize::new(0);

/// Arms `site` to panic on its `n`th pass from now (`n` = 0 disarms).
pub fn arm(site: Site, n: usize) {
    PASSES.store(0, Ordering::Relaxed);
    AT.store(n, Ordering::Relaxed);
    SITE.store(if n == 0 { 0 } else { site as usize }, Ordering::Relaxed);
}

/// Arms from a `SITE:N` specification (`helper:3`); an error names what is wrong.
pub fn arm_from_spec(spec: &str) -> Result<(), String> {
    let bad = || format!("SHADOWPY_DEBUG_PANIC: expected helper:N or builtin:N, got '{spec}'");
    let (site, n) = spec.split_once(':').ok_or_else(bad)?;
    let site = match site {
        "helper" => Site::Helper,
        "builtin" => Site::Builtin,
        _ => return Err(bad()),
    };
    arm(site, n.parse().map_err(|_| bad())?);
    Ok(())
}

/// A pass through `site`: panics if it is the armed one's chosen pass.
#[inline(always)]
pub fn point(site: Site) {
    if SITE.load(Ordering::Relaxed) == site as usize {
        count(site);
    }
}

#[cold]
fn count(site: Site) {
    if PASSES.fetch_add(1, Ordering::Relaxed) + 1 == AT.load(Ordering::Relaxed) {
        panic!("{PANIC_MESSAGE} at a {site:?} site");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_or_say_why_not() {
        assert!(arm_from_spec("helper").is_err());
        assert!(arm_from_spec("nowhere:1").is_err());
        assert!(arm_from_spec("builtin:x").is_err());
        // Disarmed again at once: other tests share the process.
        assert!(arm_from_spec("builtin:0").is_ok());
        assert_eq!(SITE.load(Ordering::Relaxed), 0);
    }
}
