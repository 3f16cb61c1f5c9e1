//! What an atomic reference count costs on this machine, beside the plain one CPython 3.13 (a
//! GIL build) makes: the price, per operation, of sharing objects between threads without a
//! GIL (every new reference and every lock is a locked read-modify-write).
//!
//! Each variant adds 1 to words on distinct cache lines (as increments of different objects'
//! counts are), 1,024 per iteration: a locked `fetch_add`, and a relaxed load and store (what
//! an owner-only count, as in biased reference counting, would cost). The ratio is printed at
//! the end. Run: `cargo bench --bench atomics`.

use criterion::{black_box, criterion_group, Criterion};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// One count per 64-byte line.
#[repr(align(64))]
#[derive(Default)]
struct Line(AtomicU64);

const WORDS: usize = 1024;

fn counts() -> Vec<Line> {
    (0..WORDS).map(|_| Line::default()).collect()
}

fn bench(c: &mut Criterion) {
    let lines = counts();
    let mut g = c.benchmark_group("increment_1024_counts");
    g.bench_function("locked_fetch_add", |b| {
        b.iter(|| {
            for l in black_box(&lines) {
                l.0.fetch_add(1, Ordering::Relaxed);
            }
        })
    });
    g.bench_function("load_store", |b| {
        b.iter(|| {
            for l in black_box(&lines) {
                l.0.store(l.0.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500));
    targets = bench
}

fn main() {
    benches();
    // The ratio, from a direct timing of each variant (criterion prints each time above).
    let lines = counts();
    let time = |locked: bool| {
        let t = std::time::Instant::now();
        for _ in 0..20_000 {
            for l in black_box(&lines) {
                if locked {
                    l.0.fetch_add(1, Ordering::Relaxed);
                } else {
                    l.0.store(l.0.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
                }
            }
        }
        t.elapsed().as_secs_f64() / (20_000 * WORDS) as f64
    };
    let (locked, plain) = (time(true), time(false));
    println!(
        "atomics: locked increment {:.2} ns, plain {:.2} ns: {:.1}x",
        locked * 1e9,
        plain * 1e9,
        locked / plain
    );
}
