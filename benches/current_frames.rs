//! `sys._current_frames()` latency with busy JIT threads, and how much a 1 kHz sampler slows
//! those threads down.
//!
//! Four worker threads run compiled code (`--jit=all`): a loop that calls a 20-deep recursion
//! whose leaf is a counting loop, so they sit in JIT frames and reach safepoints (loop
//! back-edges, function entries) all the time. The bench thread then:
//!
//! 1. measures `frame::current_frames` (every thread's top frame object, by handshakes) with
//!    criterion, with 1 and with 4 busy workers;
//! 2. measures the throughput (rounds per second) of 1 and of 2 workers for a fixed time with no
//!    sampler and with a sampler thread calling `current_frames` at 100 Hz and at 1 kHz, runs
//!    with and without the sampler alternating, and prints each slowdown. (The machine this
//!    runs on in CI has 2 cores: more workers than cores measure the scheduler, not the
//!    sampler.)
//!
//! Run: `cargo bench --bench current_frames` (`BENCH_SLOWDOWN_SECS` sets the duration of each
//! throughput run, default 2; `BENCH_SLOWDOWN_ROUNDS` the number of alternations, default 3).

use criterion::{criterion_group, criterion_main, Criterion};

/// The allocator `shadowpy` runs with (see `src/bin/shadowpy.rs`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: shadowframe::alloc::Mimalloc = shadowframe::alloc::Mimalloc;
use shadowframe::object::Value;
use shadowframe::thread::{Registered, ThreadState};
use shadowframe::{compile, frame, interp, stdlib};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const SRC: &str = r#"
RUN = [True]
counts = [[0], [0], [0], [0], [0], [0], [0], [0]]

def work(n):
    s = 0
    i = 0
    while i < n:
        s = s + i
        i = i + 1
    return s

def rec(d, n):
    if d == 0:
        return work(n)
    return rec(d - 1, n) + 0

def busy(k):
    c = counts[k]
    while RUN[0]:
        rec(20, 200)
        c[0] = c[0] + 1
    return c[0]
"#;

struct Program {
    globals: Value,
}

fn program() -> &'static Program {
    static P: OnceLock<Program> = OnceLock::new();
    P.get_or_init(|| {
        shadowframe::jit::tier::install("all".parse().expect("mode"));
        stdlib::init();
        let mut ts = Registered::new();
        let code = compile::compile_module(SRC, "<bench>").expect("compiles");
        let globals = Value::dict();
        stdlib::dict_set(&globals, "__name__", Value::str("bench"));
        interp::run_module(&mut ts, code, globals.clone()).expect("runs");
        Program { globals }
    })
}

fn set_run(on: bool) {
    let run = stdlib::dict_get(&program().globals, "RUN").expect("RUN");
    run.as_list().expect("list").lock()[0] = Value::bool(on);
}

fn count(k: usize) -> i64 {
    let counts = stdlib::dict_get(&program().globals, "counts").expect("counts");
    let c = counts.as_list().expect("list").lock()[k].clone();
    let v = c.as_list().expect("list").lock()[0].clone();
    v.as_small().unwrap_or(0)
}

fn reset_counts() {
    let counts = stdlib::dict_get(&program().globals, "counts").expect("counts");
    for c in counts.as_list().expect("list").lock().iter() {
        c.as_list().expect("list").lock()[0] = Value::int(0);
    }
}

/// Starts `n` busy workers; returns their join handles (they stop when RUN is cleared).
fn start_workers(n: usize) -> Vec<std::thread::JoinHandle<()>> {
    set_run(true);
    let ready = Arc::new(std::sync::Barrier::new(n + 1));
    let hs = (0..n)
        .map(|k| {
            let ready = ready.clone();
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn(move || {
                    let mut reg = Registered::new();
                    let ts: &mut ThreadState = &mut reg;
                    ts.set_native_stack(64 << 20, 1 << 20);
                    let busy = stdlib::dict_get(&program().globals, "busy").expect("busy");
                    shadowframe::thread::blocking(ts, || ready.wait());
                    interp::call(ts, &busy, &[Value::int(k as i64)], &[]).expect("busy runs");
                })
                .expect("spawn")
        })
        .collect();
    ready.wait();
    // Let them get into compiled code.
    std::thread::sleep(Duration::from_millis(50));
    hs
}

fn stop_workers(hs: Vec<std::thread::JoinHandle<()>>) {
    set_run(false);
    for h in hs {
        h.join().expect("worker");
    }
}

fn latency(c: &mut Criterion) {
    program();
    let mut ts = Registered::new();
    let mut g = c.benchmark_group("current_frames");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    for n in [1usize, 4] {
        let hs = start_workers(n);
        g.bench_function(format!("{n}_busy_jit_threads"), |b| {
            b.iter(|| {
                let frames = frame::current_frames(&mut ts);
                assert_eq!(frames.len(), n, "every busy worker has a frame");
                frames
            })
        });
        stop_workers(hs);
    }
    g.finish();
}

/// Rounds per second of `workers` workers over `secs`, with a sampler at `hz` (0: none).
fn throughput(secs: f64, workers: usize, hz: u64) -> (f64, u64) {
    reset_counts();
    let hs = start_workers(workers);
    let stop = Arc::new(AtomicBool::new(false));
    let samp = (hz > 0).then(|| {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut ts = Registered::new();
            let mut n = 0u64;
            let period = Duration::from_micros(1_000_000 / hz);
            let mut next = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                std::hint::black_box(frame::current_frames(&mut ts));
                n += 1;
                next += period;
                let now = Instant::now();
                if next > now {
                    shadowframe::thread::blocking(&mut ts, || std::thread::sleep(next - now));
                } else {
                    next = now;
                }
            }
            n
        })
    });
    let start: i64 = (0..workers).map(count).sum();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(secs));
    let end: i64 = (0..workers).map(count).sum();
    let dt = t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let samples = samp.map_or(0, |h| h.join().expect("sampler"));
    stop_workers(hs);
    ((end - start) as f64 / dt, samples)
}

fn slowdown(_c: &mut Criterion) {
    program();
    let env = |k: &str, d: f64| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let secs = env("BENCH_SLOWDOWN_SECS", 2.0);
    let rounds = env("BENCH_SLOWDOWN_ROUNDS", 3.0) as usize;
    for workers in [1usize, 2] {
        for hz in [100u64, 1000] {
            // Alternate to spread machine noise over both configurations.
            let (mut base, mut sampled, mut samples) = (0.0, 0.0, 0);
            for _ in 0..rounds {
                base += throughput(secs, workers, 0).0;
                let (r, s) = throughput(secs, workers, hz);
                sampled += r;
                samples += s;
            }
            let ratio = sampled / base;
            println!(
                "slowdown: {workers} busy JIT thread(s), {hz} Hz _current_frames sampler \
                 ({samples} samples): {:.0} rounds/s alone, {:.0} with the sampler: \
                 ratio {ratio:.4} (slowdown {:.2}%)",
                base / rounds as f64,
                sampled / rounds as f64,
                (1.0 - ratio) * 100.0
            );
        }
    }
}

criterion_group!(benches, latency, slowdown);
criterion_main!(benches);
