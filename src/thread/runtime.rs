//! State shared by every thread of the interpreter: recursion limit, modules, statistics.

use crate::object::Value;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// A counter of [`Stats`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stat {
    /// Frame objects built (by any observer).
    FrameObjectsCreated,
    /// Functions compiled by the JIT.
    FunctionsCompiled,
    /// JIT activations deoptimized to the interpreter.
    Deopts,
    /// Traceback entries recorded while unwinding.
    TracebackEntries,
}

impl Stat {
    const ALL: [Stat; 4] = [
        Stat::FrameObjectsCreated,
        Stat::FunctionsCompiled,
        Stat::Deopts,
        Stat::TracebackEntries,
    ];

    /// Its name in `--stats` output.
    pub fn name(self) -> &'static str {
        match self {
            Stat::FrameObjectsCreated => "frame_objects_created",
            Stat::FunctionsCompiled => "functions_compiled",
            Stat::Deopts => "deopts",
            Stat::TracebackEntries => "traceback_entries",
        }
    }
}

/// Counters reported by `--stats`.
///
/// Counted per thread, so that counting costs a load and a store, not an atomic
/// read-modify-write on a cache line all threads share (a frame object or a traceback entry
/// would pay one each): each thread adds to its own counters, which only it writes, and a
/// reader sums every thread's, plus those of the threads that have exited (folded into
/// `retired` when they exit).
pub struct Stats {
    /// The counters of the running threads that have counted something.
    live: Mutex<Vec<Arc<Counters>>>,
    /// The sums of the exited threads' counters.
    retired: Counters,
}

/// One thread's counters (or the retired sums), indexed by [`Stat`].
#[derive(Default)]
struct Counters([AtomicU64; 4]);

/// The calling thread's counters, registered in [`Stats::live`] on first use and folded into
/// [`Stats::retired`] when the thread exits.
struct Mine(Arc<Counters>);

impl Drop for Mine {
    fn drop(&mut self) {
        let stats = &runtime().stats;
        let mut live = stats.live.lock();
        for stat in Stat::ALL {
            let n = self.0 .0[stat as usize].load(Ordering::Relaxed);
            stats.retired.0[stat as usize].fetch_add(n, Ordering::Relaxed);
        }
        live.retain(|c| !Arc::ptr_eq(c, &self.0));
    }
}

thread_local! {
    static MINE: Mine = {
        let c = Arc::new(Counters::default());
        runtime().stats.live.lock().push(c.clone());
        Mine(c)
    };
}

impl Stats {
    /// All counters at zero.
    const fn new() -> Stats {
        Stats {
            live: Mutex::new(Vec::new()),
            retired: Counters([
                AtomicU64::new(0),
                AtomicU64::new(0),
                AtomicU64::new(0),
                AtomicU64::new(0),
            ]),
        }
    }

    /// Adds one to a counter.
    #[inline]
    pub fn bump(stat: Stat) {
        Stats::add(stat, 1);
    }

    /// Adds `n` to a counter.
    #[inline]
    pub fn add(stat: Stat, n: u64) {
        // A thread that is exiting (its counters already folded) counts nothing more.
        let _ = MINE.try_with(|m| {
            let c = &m.0 .0[stat as usize];
            // Relaxed load and store, no read-modify-write: only this thread writes its
            // counters; readers see some recent value of each.
            c.store(c.load(Ordering::Relaxed) + n, Ordering::Relaxed);
        });
    }

    /// A counter's value: every thread's counts so far.
    pub fn get(&self, stat: Stat) -> u64 {
        let i = stat as usize;
        // Under the lock, so that an exiting thread's counts are seen once: in its counters
        // or in the retired sums.
        let live = self.live.lock();
        let running: u64 = live.iter().map(|c| c.0[i].load(Ordering::Relaxed)).sum();
        running + self.retired.0[i].load(Ordering::Relaxed)
    }

    /// The counters as a JSON object.
    pub fn to_json(&self) -> String {
        let fields: Vec<String> = Stat::ALL
            .iter()
            .map(|&s| format!("\"{}\": {}", s.name(), self.get(s)))
            .collect();
        format!("{{{}}}", fields.join(", "))
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
