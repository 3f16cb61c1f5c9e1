//! The JIT as the interpreter's compiled tier: when a function is compiled (`--jit=all`: on its
//! first call; `--jit=hot`: once it was called [`DEFAULT_HOT_THRESHOLD`] times, or, for a
//! generator function, once its interpreted generators were resumed that many times: the
//! generators created after that run compiled) and how calls enter compiled code.

use super::gen::JitGenFrame;
use super::{compile_for, compiled, JitCode};
use crate::interp::{set_tier, Tier, TierGenFrame};
use crate::object::{Function, KwArgs, PyResult, Value};
use crate::thread::ThreadState;
use std::sync::atomic::Ordering;

/// Calls after which `--jit=hot` compiles a function. Low on purpose: baseline compilation is
/// cheap (one pass, no optimization), and mixed interpreted/compiled stacks are the common case.
pub const DEFAULT_HOT_THRESHOLD: u32 = 16;

/// When functions are compiled.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Never: everything is interpreted.
    Off,
    /// After a function was called this many times.
    Hot(u32),
    /// On the first call.
    All,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "off" => Ok(Mode::Off),
            "hot" => Ok(Mode::Hot(DEFAULT_HOT_THRESHOLD)),
            "all" => Ok(Mode::All),
            _ => Err(format!("unknown JIT mode '{s}' (expected off, hot or all)")),
        }
    }
}

struct JitTier {
    /// Calls before compiling (0: compile on the first call).
    threshold: u32,
}

impl JitTier {
    /// The compiled code for this call of `func`: compiled before, or hot enough now (counting
    /// this call). None keeps the call interpreted.
    fn code_for<'f>(&self, func: &'f Function) -> Option<&'f JitCode> {
        let code = &func.code;
        match compiled(code) {
            Some(jc) => Some(jc),
            // Tried before and refused: stay interpreted.
            None if code.tier.get().is_some() => None,
            None => {
                // Generator code is also hot when its interpreted frames were resumed that often
                // (a generator is created once and resumed many times).
                if self.threshold > 0
                    && func.calls.fetch_add(1, Ordering::Relaxed) + 1 < self.threshold
                    && code.resumes.load(Ordering::Relaxed) < self.threshold
                {
                    return None;
                }
                compile_for(code, Some(&func.globals)).ok()
            }
        }
    }
}

impl Tier for JitTier {
    fn call(
        &self,
        ts: &mut ThreadState,
        callee: &Value,
        func: &Function,
        args: &[Value],
        kwargs: KwArgs,
    ) -> Option<PyResult<Value>> {
        let jc = self.code_for(func)?;
        // SAFETY: `ts` is this thread's state and `callee` runs `jc`'s code.
        Some(unsafe { jc.invoke(ts, callee, args, kwargs) })
    }

    fn generator_frame(
        &self,
        ts: &mut ThreadState,
        callee: &Value,
        func: &Function,
        args: &[Value],
        kwargs: KwArgs,
    ) -> Option<PyResult<Box<dyn TierGenFrame>>> {
        let jc = self.code_for(func)?;
        Some(
            JitGenFrame::new(ts, jc, callee, func, args, kwargs)
                .map(|f| Box::new(f) as Box<dyn TierGenFrame>),
        )
    }
}

/// Installs the JIT for the whole process in `mode` (`Off` installs nothing). Once per process.
pub fn install(mode: Mode) {
    let threshold = match mode {
        Mode::Off => return,
        Mode::Hot(n) => n.max(1),
        Mode::All => 0,
    };
    set_tier(Box::leak(Box::new(JitTier { threshold })));
}
