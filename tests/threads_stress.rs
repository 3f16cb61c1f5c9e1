//! Stress tests of threads and `sys._current_frames` (issue 4), through the `shadowpy` binary.
//!
//! `tests/stress/current_frames_stress.py` runs workers in deep recursion (JIT frames under
//! `--jit=all`, interpreter frames under `--jit=off`, both under `--jit=hot`) while a sampler
//! thread calls `sys._current_frames()` thousands of times and checks every sample (frame names
//! along the whole `f_back` chain, line numbers within each function, recursion depth and the
//! `n` local of every recursion frame); workers exit and are replaced during the walks. It
//! prints `ok` or the errors it found.
//!
//! `tests/stress/global_cache_stress.py` has compiled readers of globals race a writer that
//! rebinds them to fresh objects (freeing the old ones) and assigns other globals: the JIT's
//! global-name caches (`src/jit/globals.rs`) must only ever answer a value the global had.
//!
//! `tests/stress/unwind_stress.py` has workers unwind exceptions through deep recursion and check
//! every traceback (names, `f_back` links, final locals) while they drop started generators and
//! a sampler walks `sys._current_frames()`: the late settling of unwound frames' `f_back`
//! (`src/frame/unwind.rs`) must never show through.
//!
//! `SHADOWPY_STRESS_ROUNDS` (default 2) repeats each mode.

use std::path::PathBuf;
use std::process::Command;

fn run(mode: &str, args: &[&str]) -> (String, String, bool) {
    run_script("current_frames_stress.py", mode, args)
}

fn run_script(name: &str, mode: &str, args: &[&str]) -> (String, String, bool) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("stress")
        .join(name);
    let out = Command::new(env!("CARGO_BIN_EXE_shadowpy"))
        .arg(format!("--jit={mode}"))
        .arg(&script)
        .args(args)
        .output()
        .expect("run shadowpy");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn rounds() -> usize {
    std::env::var("SHADOWPY_STRESS_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

#[test]
fn current_frames_under_churn_in_every_jit_mode() {
    for mode in ["off", "hot", "all"] {
        for _ in 0..rounds() {
            let (out, err, ok) = run(mode, &["2000", "4", "60"]);
            assert!(
                ok,
                "--jit={mode}: exit status\nstdout:\n{out}\nstderr:\n{err}"
            );
            assert_eq!(out, "ok\n", "--jit={mode}\nstderr:\n{err}");
            assert_eq!(
                err, "threads started: True\nworker samples: True\ndeep samples: True\n",
                "--jit={mode}"
            );
        }
    }
}

#[test]
fn deep_recursion_in_many_threads_while_sampled() {
    // Deeper recursion (native JIT frames), more workers than cores.
    for mode in ["all", "off"] {
        let (out, err, ok) = run(mode, &["1000", "6", "400"]);
        assert!(ok, "--jit={mode}\nstdout:\n{out}\nstderr:\n{err}");
        assert_eq!(out, "ok\n", "--jit={mode}\nstderr:\n{err}");
    }
}

#[test]
fn global_caches_under_rebinding_threads() {
    for mode in ["all", "hot", "off"] {
        for _ in 0..rounds() {
            let (out, err, ok) = run_script("global_cache_stress.py", mode, &["200000", "3"]);
            assert!(ok, "--jit={mode}\nstdout:\n{out}\nstderr:\n{err}");
            assert_eq!(out, "ok\n", "--jit={mode}\nstderr:\n{err}");
        }
    }
}

#[test]
fn unwinding_while_sampled() {
    for mode in ["all", "hot", "off"] {
        for _ in 0..rounds() {
            let (out, err, ok) = run_script("unwind_stress.py", mode, &["1000", "3", "100"]);
            assert!(ok, "--jit={mode}\nstdout:\n{out}\nstderr:\n{err}");
            assert_eq!(out, "ok\n", "--jit={mode}\nstderr:\n{err}");
            assert_eq!(err, "samples: True\n", "--jit={mode}");
        }
    }
}
