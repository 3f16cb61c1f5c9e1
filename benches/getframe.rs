//! `sys._getframe(0)` against stack depth (10 to 1,000,000 frames, every function compiled:
//! `--jit=all`), beside CPython 3.13 in the same run.
//!
//! - `getframe_repeat`: `sys._getframe(0)` in a loop, on a frame that already has its frame
//!   object (every call after the first returns the same object);
//! - `getframe_first`: a loop of calls to a function whose `sys._getframe(0)` builds its frame
//!   object (the first call for its activation), which the activation then hands off at exit.
//!
//! The Python side (`benches/programs/depth_sweep.py`) recurses to the depth, times the loop
//! with `time.perf_counter` and returns the seconds to criterion (`iter_custom`). The targets:
//! per call no slower than CPython, and flat in depth (1,000,000 deep within 1.5x of 10 deep);
//! the table at the end gives both.
//!
//! Run: `cargo bench --bench getframe` (add `-- --quick` for a shorter run).

mod common;

use common::{call_secs, dur, func, record, DEPTHS};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use shadowframe::object::Value;
use shadowframe::thread::ThreadState;
use std::time::Duration;

/// Fewest `sys._getframe` calls timed per run (see the `iter_custom` closure).
const MIN_OPS: u64 = 20_000;

fn bench(c: &mut Criterion, ts: &mut ThreadState, globals: &Value) {
    let kinds = [
        ("getframe_repeat", "time_getframe_repeat"),
        ("getframe_first", "time_getframe_first"),
    ];
    let mut g = c.benchmark_group("getframe");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for (kind, timer) in kinds {
        let timer = func(globals, timer);
        for depth in DEPTHS {
            g.bench_function(BenchmarkId::new(kind, depth), |b| {
                b.iter_custom(|iters| {
                    // At least MIN_OPS calls per run: one run also pays a fixed cost (the first
                    // call materializes the loop's own frame, which hands off at exit), which
                    // must not pass for a per-call cost when criterion asks for few iterations.
                    let ops = iters.max(MIN_OPS);
                    let args = [
                        Value::int(depth as i64),
                        timer.clone(),
                        Value::int(ops as i64),
                    ];
                    let secs = call_secs(ts, globals, "at", &args);
                    record(kind, depth, secs, ops);
                    dur(secs * iters as f64 / ops as f64)
                })
            });
        }
    }
    g.finish();
    common::print_comparison(
        "sys._getframe(0) per call",
        &["getframe_repeat", "getframe_first"],
        &DEPTHS,
        3,
    );
}

fn main() {
    common::main_on_big_stack(bench);
}
