//! Faults inside the runtime: a panic in a runtime helper called from JIT code becomes a Python
//! `SystemError` (or, when it unwound through Python frames, a clean abort with a message), a
//! panic in the interpreter is the binary's "internal error" exit, and a materialization that
//! re-enters gets the activation's one frame object. (Allocation failures: `tests/hostile.rs`.)
//!
//! Panics are injected with `SHADOWPY_DEBUG_PANIC=SITE:N` (`interp::fault`): the Nth pass
//! through a runtime helper (`helper`) or a builtin called by the interpreter (`builtin`).

use shadowframe::frame;
use shadowframe::object::Value;
use shadowframe::shadow::ShadowFrame;
use shadowframe::stdlib;
use shadowframe::thread::{runtime, Stat, ThreadState};
use std::cell::Cell;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const HELPER_PANIC: &str =
    "panic in a JIT runtime helper: deliberate panic (SHADOWPY_DEBUG_PANIC) at a Helper site";

/// Runs `source` with `--jit=MODE` and `SHADOWPY_DEBUG_PANIC=spec`: (exit code or None when
/// killed, signal, stdout, stderr).
fn run(
    name: &str,
    source: &str,
    mode: &str,
    spec: &str,
) -> (Option<i32>, Option<i32>, String, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("faults");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.py"));
    std::fs::write(&path, source).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shadowpy"))
        .arg(format!("--jit={mode}"))
        .arg(&path)
        .env("SHADOWPY_DEBUG_PANIC", spec)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("shadowpy runs");
    use std::os::unix::process::ExitStatusExt;
    (
        out.status.code(),
        out.status.signal(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SIZE: &str = "def size(a):\n    return len(a)\n\ntry:\n    size('xy')\nexcept SystemError as e:\n    print('caught:', e)\nprint(size('pqr'))\n";

#[test]
fn a_panic_in_a_helper_is_a_system_error() {
    // The first helper call of the process is in the first (compiled) call of `size`.
    let (code, signal, out, err) = run("helper_caught", SIZE, "all", "helper:1");
    assert_eq!((code, signal), (Some(0), None), "stderr:\n{err}");
    assert_eq!(out, format!("caught: {HELPER_PANIC}\n3\n"));
    // The panic's own report goes to stderr, as for any panic.
    assert!(
        err.contains("deliberate panic (SHADOWPY_DEBUG_PANIC)"),
        "{err}"
    );

    // Some later helper call is in the second call, outside the `try`: an uncaught SystemError
    // with the compiled frame in its traceback, exit status 1. Every pass is one or the other.
    let mut uncaught = 0;
    for n in 2..=12 {
        let (code, signal, out, err) =
            run(&format!("helper_{n}"), SIZE, "all", &format!("helper:{n}"));
        assert_eq!(signal, None, "helper:{n}: killed\n{err}");
        match code {
            Some(0) => assert!(out.ends_with("3\n"), "helper:{n}: {out}"),
            Some(1) => {
                uncaught += 1;
                assert!(
                    err.ends_with(&format!("SystemError: {HELPER_PANIC}\n")),
                    "helper:{n}:\n{err}"
                );
                assert!(
                    err.contains(", in size\n"),
                    "helper:{n}: the compiled frame\n{err}"
                );
            }
            other => panic!("helper:{n}: exit status {other:?}\n{err}"),
        }
    }
    assert!(uncaught > 0, "no helper call outside the try");
}

const GEN: &str = "def gen():\n    yield len('abc')\n\ndef consume(g):\n    return next(g)\n\nprint('before')\nprint(consume(gen()))\n";

/// `consume` turns hot (compiled) on warm-up generators; `gen` is created once, so its frame
/// stays interpreted and runs under the helper through which compiled `consume` calls `next`.
const GEN_HOT: &str = "def gen():\n    yield len('abc')\n\ndef consume(g):\n    return next(g)\n\ndef warm():\n    yield 0\n\nfor _ in range(20):\n    consume(warm())\nprint('before')\nprint(consume(gen()))\n";

const UNWOUND_ABORT: &str = "shadowpy: fatal: panic in a JIT runtime helper: deliberate panic (SHADOWPY_DEBUG_PANIC) at a Builtin site (it unwound through Python frames); aborting\n";

#[test]
fn a_panic_through_python_frames_under_a_helper_is_a_clean_abort() {
    // Each builtin call in turn panics. One of them is `len` in `gen`'s interpreted frame,
    // under the helper of compiled `consume`: the panic unwinds through that frame, whose
    // shadow frame is gone while still linked, so the helper aborts, saying why. Every other
    // pass is a clean run, an exception, or the interpreter's internal-error exit.
    let mut aborts = 0;
    for n in 1..=60 {
        let (code, signal, out, err) = run(
            &format!("gen_abort_{n}"),
            GEN_HOT,
            "hot",
            &format!("builtin:{n}"),
        );
        match (code, signal) {
            (None, Some(s)) => {
                assert_eq!(s, libc::SIGABRT, "builtin:{n}: signal {s}\n{err}");
                assert!(err.ends_with(UNWOUND_ABORT), "builtin:{n}:\n{err}");
                // During the warm-up (interpreted `warm` frames) or at `gen`.
                assert!(out.is_empty() || out == "before\n", "builtin:{n}: {out}");
                aborts += 1;
            }
            (Some(0), None) => assert!(out.ends_with("before\n3\n"), "builtin:{n}: {out}"),
            (Some(1), None) => assert!(err.contains("deliberate panic"), "builtin:{n}:\n{err}"),
            (Some(70), None) => assert!(
                err.ends_with("shadowpy: internal error: the runtime panicked\n"),
                "builtin:{n}:\n{err}"
            ),
            other => panic!("builtin:{n}: {other:?}\n{err}"),
        }
    }
    assert!(
        aborts > 0,
        "no panic unwound through the interpreted generator frame"
    );
    // With the generator compiled too, the builtin's panic stays in one helper: an exception.
    let (code, _, out, err) = run("gen_exc", GEN, "all", "builtin:2");
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(out, "before\n");
    assert!(err.ends_with("SystemError: panic in a JIT runtime helper: deliberate panic (SHADOWPY_DEBUG_PANIC) at a Builtin site\n"), "{err}");
}

#[test]
fn a_panic_in_the_interpreter_is_an_internal_error_exit() {
    // Interpreted throughout: the panic reaches the binary, which keeps what was printed and
    // exits with its internal-error status.
    let (code, signal, out, err) = run("interp_panic", GEN, "off", "builtin:2");
    assert_eq!((code, signal), (Some(70), None), "{err}");
    assert_eq!(out, "before\n");
    assert!(
        err.ends_with("shadowpy: internal error: the runtime panicked\n"),
        "{err}"
    );
}

#[test]
fn a_bad_fault_specification_is_a_usage_error() {
    let (code, _, _, err) = run("bad_spec", "print(1)\n", "off", "somewhere:1");
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "shadowpy: SHADOWPY_DEBUG_PANIC: expected helper:N or builtin:N, got 'somewhere:1'\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Re-entrant materialization, through the public hook API (this test binary is its own process,
// so installing a hook here affects nothing else).

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}
static REENTERED: AtomicUsize = AtomicUsize::new(0);
static SAME: AtomicUsize = AtomicUsize::new(0);

/// A hook that observes frames while it builds one: before building the frame object of `sf`,
/// it materializes `sf` itself (re-entering the hook) and its caller, then builds.
unsafe fn observing_hook(ts: &mut ThreadState, sf: *mut ShadowFrame) -> Value {
    let depth = DEPTH.with(|d| d.replace(d.get() + 1));
    let out = if depth == 0 {
        REENTERED.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `sf` is linked on our stack (the hook's contract), and so is its caller.
        let nested = unsafe { frame::materialize(ts, sf) };
        // SAFETY: as above.
        let prev = unsafe { (*sf).prev };
        if !prev.is_null() {
            // SAFETY: as above.
            drop(unsafe { frame::materialize(ts, prev) });
        }
        // SAFETY: as above.
        let built = unsafe { frame::get_frame_object(ts, sf) };
        if built.is(&nested) {
            SAME.fetch_add(1, Ordering::Relaxed);
        }
        built
    } else {
        // SAFETY: as above.
        unsafe { frame::get_frame_object(ts, sf) }
    };
    DEPTH.with(|d| d.set(depth));
    out
}

const REENTRANT: &str = r#"
import sys

def inner():
    a = sys._getframe()
    b = sys._getframe()
    c = sys._getframe(1)
    return [a is b, c is a.f_back, c.f_code.co_name, a.f_code.co_name]

def outer():
    r = inner()
    return r + [sys._getframe() is sys._getframe(0)]

results = outer()
"#;

#[test]
fn a_reentrant_materialization_gets_the_same_frame_object() {
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let mut ts = ThreadState::new();
            ts.set_native_stack(64 << 20, 1 << 20);
            stdlib::init();
            frame::set_materialize_hook(Some(observing_hook));
            let module =
                shadowframe::compile::compile_module(REENTRANT, "<reentrant>").expect("compiles");
            let globals = Value::dict();
            stdlib::dict_set(&globals, "__name__", Value::str("__main__"));
            let before = runtime().stats.get(Stat::FrameObjectsCreated);
            shadowframe::interp::run_module(&mut ts, module, globals.clone()).expect("runs");
            let built = runtime().stats.get(Stat::FrameObjectsCreated) - before;
            frame::set_materialize_hook(None);
            let results = stdlib::dict_get(&globals, "results").expect("results");
            let mut ts2 = ThreadState::new();
            let shown = shadowframe::object::repr(&mut ts2, &results).expect("repr");
            (shown, built)
        })
        .unwrap();
    let (shown, built) = handle.join().expect("no panic");
    assert_eq!(shown, "[True, True, 'outer', 'inner', True]");
    // The hook ran once, for the first observation (`inner`), and built `outer`'s object
    // too; every later observation takes an existing object without the hook.
    assert_eq!(REENTERED.load(Ordering::Relaxed), 1);
    assert_eq!(
        SAME.load(Ordering::Relaxed),
        1,
        "the nested build and the outer one differ"
    );
    // One object per observed activation (inner, outer): never a second for either.
    assert_eq!(built, 2);
}
