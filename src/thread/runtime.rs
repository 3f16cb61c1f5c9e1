//! State shared by every thread of the interpreter: recursion limit, modules, statistics.

use crate::object::Value;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Counters reported by `--stats`. Relaxed atomics: they are statistics, read once at exit.
pub struct Stats {
    /// Frame objects built (by any observer).
    pub frame_objects_created: AtomicU64,
    /// Functions compiled by the JIT.
    pub functions_compiled: AtomicU64,
    /// JIT activations deoptimized to the interpreter.
    pub deopts: AtomicU64,
    /// Traceback entries recorded while unwinding.
    pub traceback_entries: AtomicU64,
}

impl Stats {
    /// All counters at zero.
    const fn new() -> Stats {
        Stats {
            frame_objects_created: AtomicU64::new(0),
            functions_compiled: AtomicU64::new(0),
            deopts: AtomicU64::new(0),
            traceback_entries: AtomicU64::new(0),
        }
    }

    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters as a JSON object.
    pub fn to_json(&self) -> String {
        let r = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "{{\"frame_objects_created\": {}, \"functions_compiled\": {}, \"deopts\": {}, \"traceback_entries\": {}}}",
            r(&self.frame_objects_created),
            r(&self.functions_compiled),
            r(&self.deopts),
            r(&self.traceback_entries)
        )
    }
}

/// Interpreter-wide state.
pub struct Runtime {
    /// The most Python frames a thread may hold: `sys.getrecursionlimit()`, capped at
    /// [`MAX_DEPTH`] (what every check, JIT code included, reads).
    pub recursion_limit: AtomicUsize,
    /// `sys.getrecursionlimit()` as the program set it.
    pub(crate) requested_limit: AtomicUsize,
    /// Imported modules by name (a fixed hasher: the map must be built in a constant).
    pub(crate) modules: Mutex<HashMap<String, Value, BuildHasherDefault<DefaultHasher>>>,
    /// The `builtins` module's dict.
    pub builtins: OnceLock<Value>,
    /// Statistics.
    pub stats: Stats,
    /// `sys.argv`.
    pub argv: Mutex<Vec<String>>,
}

/// The runtime: a plain static, built at compile time, so that what every call checks (the
/// recursion limit) is one load away, with no lazy initialization to test first.
static RT: Runtime = Runtime {
    recursion_limit: AtomicUsize::new(1000),
    requested_limit: AtomicUsize::new(1000),
    modules: Mutex::new(HashMap::with_hasher(BuildHasherDefault::new())),
    builtins: OnceLock::new(),
    stats: Stats::new(),
    argv: Mutex::new(Vec::new()),
};

/// The runtime.
#[inline(always)]
pub fn runtime() -> &'static Runtime {
    &RT
}

/// The deepest any thread's Python stack may get, whatever `sys.setrecursionlimit` says: an
/// absurd limit must end in RecursionError, not in exhausted memory (an interpreted frame costs
/// a few hundred bytes of heap, a JIT frame its native frame on the main thread's stack, which is
/// sized to hold this many frames of ordinary functions). CPython has no such cap and runs out of
/// memory or stack instead.
pub const MAX_DEPTH: usize = 4_000_000;

impl Runtime {
    /// The recursion limit in force (the requested one, capped at [`MAX_DEPTH`]).
    pub fn recursion_limit(&self) -> usize {
        self.recursion_limit.load(Ordering::Relaxed)
    }

    /// `sys.setrecursionlimit(n)` (checked by the caller).
    pub fn set_recursion_limit(&self, n: usize) {
        self.requested_limit.store(n, Ordering::Relaxed);
        self.recursion_limit
            .store(n.min(MAX_DEPTH), Ordering::Relaxed);
    }

    /// `sys.getrecursionlimit()`.
    pub fn requested_recursion_limit(&self) -> usize {
        self.requested_limit.load(Ordering::Relaxed)
    }
}
