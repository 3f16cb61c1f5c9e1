//! Shared by the frame-observation benches (`getframe`, `raise_deep`, `fback_walk`): load
//! `benches/programs/depth_sweep.py` in this process under the JIT (`--jit=all`), call its
//! Python-timed functions from criterion's `iter_custom`, run the same program under CPython 3.13
//! for the baseline, and print ours beside CPython's as ratios measured in the same run.
//!
//! Everything runs on one thread with a 2 GiB native stack (reserved, not committed), as
//! `shadowpy`'s main thread does: a JIT activation uses native stack, and the deepest cases are
//! 1,000,000 frames.

#![allow(dead_code)] // each bench uses a part

use criterion::Criterion;
use shadowframe::object::{Object, Value};
use shadowframe::thread::{Registered, ThreadState};
use shadowframe::{compile, interp, stdlib};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

/// The allocator `shadowpy` runs with (see `src/bin/shadowpy.rs`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: shadowframe::alloc::Mimalloc = shadowframe::alloc::Mimalloc;

/// Native stack of the bench thread (as `shadowpy`'s `MAIN_STACK`).
const STACK: usize = 1 << 31;
/// Kept free below the native-recursion check.
const RESERVE: usize = 1 << 20;

/// Stack depths of the sweeps (the range, 10 to 1,000,000).
pub const DEPTHS: [usize; 6] = [10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// Runs `body` with a fresh `Criterion` (configured from the command line) on a thread with a
/// big native stack, then prints criterion's summary.
pub fn main_on_big_stack(body: fn(&mut Criterion, &mut ThreadState, &Value)) {
    let h = std::thread::Builder::new()
        .name("bench".into())
        .stack_size(STACK)
        .spawn(move || {
            let mut reg = Registered::new();
            let ts: &mut ThreadState = &mut reg;
            ts.set_native_stack(STACK, RESERVE);
            let globals = load(ts);
            let mut c = Criterion::default().configure_from_args();
            body(&mut c, ts, &globals);
            c.final_summary();
        })
        .expect("spawn the bench thread");
    h.join().expect("the bench thread");
}

/// The sweep program's source path.
fn sweep_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/programs/depth_sweep.py")
}

/// Compiles and runs `depth_sweep.py` as a module (not `__main__`, so its driver stays idle)
/// with the JIT compiling every function; its globals.
fn load(ts: &mut ThreadState) -> Value {
    shadowframe::jit::tier::install("all".parse().expect("mode"));
    stdlib::init();
    let path = sweep_path();
    let src = std::fs::read_to_string(&path).expect("depth_sweep.py");
    let code = compile::compile_module(&src, &path.to_string_lossy()).expect("compiles");
    let globals = Value::dict();
    stdlib::dict_set(&globals, "__name__", Value::str("depth_sweep"));
    interp::run_module(ts, code, globals.clone()).expect("the module runs");
    globals
}

/// `globals[name](*args)`, which must return a float (seconds).
pub fn call_secs(ts: &mut ThreadState, globals: &Value, name: &str, args: &[Value]) -> f64 {
    let f = stdlib::dict_get(globals, name).unwrap_or_else(|| panic!("{name} is defined"));
    let r = match interp::call(ts, &f, args, &[]) {
        Ok(r) => r,
        Err(e) => {
            stdlib::print_uncaught_exception(ts, e);
            panic!("{name} failed");
        }
    };
    match r.obj() {
        Some(Object::Float(x)) => *x,
        _ => panic!("{name} returned no float"),
    }
}

/// A Python function of the sweep program, as a value to pass.
pub fn func(globals: &Value, name: &str) -> Value {
    stdlib::dict_get(globals, name).unwrap_or_else(|| panic!("{name} is defined"))
}

/// Seconds measured by Python as a criterion duration.
pub fn dur(secs: f64) -> Duration {
    Duration::from_secs_f64(secs.max(0.0))
}

/// Our measured totals per bench id: (seconds, operations), over every criterion call
/// (warm-up included), for the comparison table.
static OURS: Mutex<BTreeMap<(String, usize), (f64, u64)>> = Mutex::new(BTreeMap::new());

/// Records `ops` operations that took `secs` for case `(kind, depth)`.
pub fn record(kind: &str, depth: usize, secs: f64, ops: u64) {
    let mut m = OURS.lock().unwrap();
    let e = m.entry((kind.to_owned(), depth)).or_insert((0.0, 0));
    e.0 += secs;
    e.1 += ops;
}

/// Our mean seconds per operation for `(kind, depth)`.
pub fn ours(kind: &str, depth: usize) -> Option<f64> {
    let m = OURS.lock().unwrap();
    m.get(&(kind.to_owned(), depth))
        .filter(|e| e.1 > 0)
        .map(|e| e.0 / e.1 as f64)
}

/// CPython 3.13: `$PYTHON313`, else pyenv's 3.13.0, else `python3.13` on the path.
pub fn cpython() -> Option<PathBuf> {
    let ok = |p: &PathBuf| {
        Command::new(p)
            .args(["-c", "import sys; assert sys.version_info[:2] == (3, 13)"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if let Some(p) = std::env::var_os("PYTHON313").map(PathBuf::from) {
        return ok(&p).then_some(p);
    }
    let pyenv = Command::new("pyenv")
        .args(["which", "python3"])
        .env("PYENV_VERSION", "3.13.0")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    pyenv
        .into_iter()
        .chain(std::iter::once(PathBuf::from("python3.13")))
        .find(ok)
}

/// CPython's seconds per operation for each `(kind, depth)`: `depth_sweep.py` under CPython,
/// best of `repeat` runs per figure. Empty (with a note) when no CPython 3.13 is found.
pub fn cpython_sweep(
    kinds: &[&str],
    depths: &[usize],
    repeat: u32,
) -> BTreeMap<(String, usize), f64> {
    let mut out = BTreeMap::new();
    let Some(py) = cpython() else {
        eprintln!("no CPython 3.13 found (set PYTHON313): no baseline");
        return out;
    };
    let depths_arg: Vec<String> = depths.iter().map(|d| d.to_string()).collect();
    let o = Command::new(py)
        .arg(sweep_path())
        .arg(kinds.join(","))
        .arg(depths_arg.join(","))
        .arg(repeat.to_string())
        .output()
        .expect("CPython runs");
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let ["RESULT", kind, depth, secs] = f[..] {
            if let (Ok(d), Ok(s)) = (depth.parse(), secs.parse()) {
                out.insert((kind.to_string(), d), s);
            }
        }
    }
    out
}

/// Prints ours beside CPython's for every `(kind, depth)` we measured, with the ratio
/// (CPython / ours: above 1, we are faster) and, for getframe, how flat ours is against depth.
pub fn print_comparison(title: &str, kinds: &[&str], depths: &[usize], repeat: u32) {
    let cp = cpython_sweep(kinds, depths, repeat);
    println!("\n{title}: ours (criterion mean, --jit=all) beside CPython 3.13 (best of {repeat}), same run");
    println!(
        "{:<16} {:>9} {:>14} {:>14} {:>9}",
        "kind", "depth", "ours", "cpython", "ratio"
    );
    for kind in kinds {
        for &d in depths {
            let Some(o) = ours(kind, d) else { continue };
            let c = cp.get(&(kind.to_string(), d)).copied();
            println!(
                "{:<16} {:>9} {:>14} {:>14} {:>9}",
                kind,
                d,
                fmt_secs(o),
                c.map_or("-".into(), fmt_secs),
                c.map_or("-".into(), |c| format!("{:.2}x", c / o)),
            );
        }
        if let (Some(lo), Some(hi)) = (ours(kind, depths[0]), ours(kind, depths[depths.len() - 1]))
        {
            println!(
                "{kind}: ours at depth {} / depth {}: {:.2}",
                depths[depths.len() - 1],
                depths[0],
                hi / lo
            );
        }
    }
    println!("ratio = CPython time / ours (above 1: ours is faster)\n");
}

/// Seconds in a readable unit.
pub fn fmt_secs(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.3} us", s * 1e6)
    } else {
        format!("{:.1} ns", s * 1e9)
    }
}
