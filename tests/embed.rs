//! The embedding example, `examples/embed_custom_jit.rs`, as a test: its JIT frames (a JIT
//! written outside the crate) appear in `sys._getframe`, `traceback.print_stack` and a
//! traceback, in order among the interpreted ones, with the right names and line numbers.
//!
//! The example's own code is compiled into this test (`#[path]`), so the test checks exactly
//! what the example does, without a nested `cargo` (no build lock, no second build). It runs in
//! a child process (this test binary again, selected by an environment variable) because the
//! example installs process-wide state (the tier, the frame vtable, the hook) and writes to the
//! process's stdout.

#![cfg(target_arch = "x86_64")]

#[allow(dead_code)]
#[path = "../examples/embed_custom_jit.rs"]
mod example;

use std::process::Command;

/// Set in the child process: run the example instead of checking it.
const CHILD: &str = "SHADOWFRAME_EMBED_EXAMPLE_CHILD";

/// What the example prints, byte for byte. Apart from the `shadow_stack()` line and the last
/// line (this runtime's own), it is what CPython 3.13 prints for the same program.
const EXPECTED: &str = r#"report() was called by countdown at line 7
its locals: {'n': 0} and its caller's: {'n': 1}
the shadow stack, innermost first: report <- countdown [JIT, materialized] <- countdown [JIT, materialized] <- countdown [JIT] <- countdown [JIT] <- main <- <module>
the stack, innermost last:
  File "embed_demo.py", line 31, in <module>
    main()
  File "embed_demo.py", line 24, in main
    countdown(3)
  File "embed_demo.py", line 8, in countdown
    return countdown(n - 1)
  File "embed_demo.py", line 8, in countdown
    return countdown(n - 1)
  File "embed_demo.py", line 8, in countdown
    return countdown(n - 1)
  File "embed_demo.py", line 7, in countdown
    return report(n)
  File "embed_demo.py", line 18, in report
    traceback.print_stack(file=sys.stdout)
the traceback, through the JIT frames:
Traceback (most recent call last):
  File "embed_demo.py", line 24, in main
    countdown(3)
    ~~~~~~~~~^^^
  File "embed_demo.py", line 8, in countdown
    return countdown(n - 1)
  File "embed_demo.py", line 8, in countdown
    return countdown(n - 1)
  File "embed_demo.py", line 8, in countdown
    return countdown(n - 1)
  File "embed_demo.py", line 7, in countdown
    return report(n)
  File "embed_demo.py", line 19, in report
    raise ValueError("the countdown reached zero")
ValueError: the countdown reached zero
the frame held after its activation ended: countdown 7 {'n': 0}
frame objects built: 2 (only the observed activations)
"#;

#[test]
fn custom_jit_frames_show_in_stacks_and_tracebacks() {
    if std::env::var_os(CHILD).is_some() {
        // The child: exactly what the example's `main` does.
        std::process::exit(example::demo::run_on_own_thread().into());
    }
    let out = Command::new(std::env::current_exe().expect("test binary path"))
        .args([
            "custom_jit_frames_show_in_stacks_and_tracebacks",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .expect("run the example in a child process");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the example failed: {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    // The child's stdout starts with the test harness's "running 1 test" line.
    let start = stdout
        .find("report() was called")
        .unwrap_or_else(|| panic!("no output from the example:\n{stdout}\nstderr:\n{stderr}"));
    let got = &stdout[start..];
    if got != EXPECTED {
        for (i, (g, e)) in got.lines().zip(EXPECTED.lines()).enumerate() {
            assert_eq!(g, e, "line {} of the example's output differs", i + 1);
        }
        assert_eq!(got, EXPECTED, "the example's output differs in length");
    }
    assert!(stderr.trim().is_empty(), "unexpected stderr:\n{stderr}");
}
