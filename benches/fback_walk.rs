//! The first full `f_back` walk from the top of N compiled frames (`--jit=all`): each step
//! builds the caller's frame object, since none exists yet. N = 10 to 1,000,000, beside CPython
//! 3.13 in the same run.
//!
//! Each measured walk runs on a fresh recursion (`at(depth, walk_from_top, 0)` in
//! `benches/programs/depth_sweep.py`), timed inside Python from `sys._getframe(0)` to the
//! bottom; the descent is not timed. Target: 100,000 frames at least 2x faster than CPython.
//!
//! Run: `cargo bench --bench fback_walk`.

mod common;

use common::{call_secs, dur, func, record, DEPTHS};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use shadowframe::object::Value;
use shadowframe::thread::ThreadState;
use std::time::Duration;

fn bench(c: &mut Criterion, ts: &mut ThreadState, globals: &Value) {
    let walk = func(globals, "walk_from_top");
    let mut g = c.benchmark_group("fback_walk");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1));
    for depth in DEPTHS {
        g.bench_function(BenchmarkId::from_parameter(depth), |b| {
            b.iter_custom(|iters| {
                let mut secs = 0.0;
                for _ in 0..iters {
                    let args = [Value::int(depth as i64), walk.clone(), Value::int(0)];
                    secs += call_secs(ts, globals, "at", &args);
                }
                record("fback_walk", depth, secs, iters);
                dur(secs)
            })
        });
    }
    g.finish();
    common::print_comparison("first f_back walk of N frames", &["fback_walk"], &DEPTHS, 3);
}

fn main() {
    common::main_on_big_stack(bench);
}
