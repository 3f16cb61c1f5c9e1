//! Raise through N compiled frames (`--jit=all`), catch at the bottom of the recursion, walk the
//! whole traceback (`tb_next`) and free it: N = 10 to 1,000,000, with and without reading every
//! `tb_frame`, beside CPython 3.13 in the same run.
//!
//! The Python side (`benches/programs/depth_sweep.py`, `raise_walk`) starts the clock at the
//! `raise` (the descent is not timed) and stops it once the exception, its traceback and the
//! frames they kept are gone. Target: 1,000,000 frames at least 10x faster than CPython.
//!
//! Run: `cargo bench --bench raise_deep`.

mod common;

use common::{call_secs, dur, record, DEPTHS};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use shadowframe::object::Value;
use shadowframe::thread::ThreadState;
use std::time::Duration;

fn bench(c: &mut Criterion, ts: &mut ThreadState, globals: &Value) {
    let mut g = c.benchmark_group("raise_deep");
    // One raise through 1,000,000 frames takes a good fraction of a second: few, flat samples.
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1));
    for (kind, read) in [("raise", Value::FALSE), ("raise_tb_frame", Value::TRUE)] {
        for depth in DEPTHS {
            g.bench_function(BenchmarkId::new(kind, depth), |b| {
                b.iter_custom(|iters| {
                    let mut secs = 0.0;
                    for _ in 0..iters {
                        let args = [Value::int(depth as i64), read.clone()];
                        secs += call_secs(ts, globals, "raise_walk", &args);
                    }
                    record(kind, depth, secs, iters);
                    dur(secs)
                })
            });
        }
    }
    g.finish();
    common::print_comparison(
        "raise through N frames, catch, walk the traceback",
        &["raise", "raise_tb_frame"],
        &DEPTHS,
        3,
    );
}

fn main() {
    common::main_on_big_stack(bench);
}
