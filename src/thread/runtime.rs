//! State shared by every thread of the interpreter: recursion limit, modules, statistics.

use crate::object::Value;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Counters reported by `--stats`. Relaxed atomics: they are statistics, read once at exit.
#[derive(Default)]
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
    /// `sys.getrecursionlimit()`: the most Python frames a thread may hold.
    pub recursion_limit: AtomicUsize,
    /// Imported modules by name.
    pub modules: Mutex<HashMap<String, Value>>,
    /// The `builtins` module's dict.
    pub builtins: OnceLock<Value>,
    /// Statistics.
    pub stats: Stats,
    /// `sys.argv`.
    pub argv: Mutex<Vec<String>>,
}

/// The runtime.
pub fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Runtime {
        recursion_limit: AtomicUsize::new(1000),
        modules: Mutex::new(HashMap::new()),
        builtins: OnceLock::new(),
        stats: Stats::default(),
        argv: Mutex::new(Vec::new()),
    })
}

impl Runtime {
    /// The recursion limit.
    pub fn recursion_limit(&self) -> usize {
        self.recursion_limit.load(Ordering::Relaxed)
    }
}
