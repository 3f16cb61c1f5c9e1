//! Hostile input: each program gets CPython's error (or, where CPython has none or crashes, a
//! clear Python-style error) and its exit status, in every JIT mode; never a panic, a signal, a
//! hang or a native stack overflow.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs `shadowpy --jit=MODE` on a file holding `bytes`; (exit status, stdout, stderr).
fn run_bytes(name: &str, bytes: &[u8], mode: &str) -> (i32, String, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.py"));
    std::fs::write(&path, bytes).unwrap();
    run_path(&path, mode)
}

fn run_path(path: &std::path::Path, mode: &str) -> (i32, String, String) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_shadowpy"))
        .arg(format!("--jit={mode}"))
        .arg(path)
        .output()
        .expect("shadowpy runs");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{} took {:?}",
        path.display(),
        start.elapsed()
    );
    let code = out.status.code().unwrap_or_else(|| {
        panic!(
            "{} was killed by a signal: {:?}",
            path.display(),
            out.status
        )
    });
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every mode exits with `code`, its stdout is `stdout`, and its stderr's last line is `last`.
fn check(name: &str, src: &[u8], code: i32, stdout: &str, last: &str) {
    for mode in ["off", "all"] {
        let (c, out, err) = run_bytes(name, src, mode);
        assert!(
            !err.contains("panicked"),
            "{name} --jit={mode} panicked:\n{err}"
        );
        assert_eq!(c, code, "{name} --jit={mode} exit status; stderr:\n{err}");
        assert_eq!(out, stdout, "{name} --jit={mode} stdout");
        assert_eq!(
            err.lines().last().unwrap_or(""),
            last,
            "{name} --jit={mode} stderr:\n{err}"
        );
    }
}

#[test]
fn syntax_errors_and_unsupported_constructs() {
    check(
        "unclosed",
        b"x = (((((1\n",
        1,
        "",
        "SyntaxError: '(' was never closed",
    );
    check(
        "class",
        b"class A:\n    pass\n",
        1,
        "",
        "SyntaxError: 'class' definitions are not supported by shadowpy",
    );
    let deep_if: String = (0..200)
        .map(|i| format!("{}if 1:\n", "    ".repeat(i)))
        .collect::<String>()
        + &"    ".repeat(200)
        + "pass\n";
    check(
        "deep_indent",
        deep_if.as_bytes(),
        1,
        "",
        "IndentationError: too many levels of indentation",
    );
}

#[test]
fn binary_and_non_utf8_files() {
    check(
        "binary",
        b"\x97\x01\xfe\xffprint(1)\n",
        1,
        "",
        &format!(
            "SyntaxError: Non-UTF-8 code starting with '\\x97' in file {} on line 1, but no encoding declared; see https://peps.python.org/pep-0263/ for details",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile/binary.py").display()
        ),
    );
    check(
        "nul",
        b"x = 1\n\x00\n",
        1,
        "",
        "SyntaxError: source code cannot contain null bytes",
    );
}

#[test]
fn missing_file() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile/does_not_exist.py");
    let (code, out, err) = run_path(&path, "all");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "shadowpy: can't open file '{}': [Errno 2] No such file or directory\n",
            path.display()
        )
    );
}

#[test]
fn deep_nesting_and_huge_expressions() {
    let parens = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    check(
        "parens_5000",
        parens.as_bytes(),
        1,
        "",
        "SyntaxError: too many nested parentheses",
    );
    // CPython 3.13 fails with "RecursionError: maximum recursion depth exceeded during
    // compilation"; our compiler walks left-deep operator chains iteratively and runs it.
    let terms = vec!["1"; 200_000].join("+");
    check(
        "terms_200000",
        format!("x = {terms}\nprint(x)\n").as_bytes(),
        0,
        "200000\n",
        "",
    );
}

#[test]
fn huge_integers_ranges_and_dicts() {
    // Arithmetic on a 100,000-digit int works; printing it hits CPython's str conversion limit.
    check(
        "pow_huge",
        b"x = 10 ** 100000\nprint(x % 1000007)\nprint(len(str(x)))\n",
        1,
        "641297\n",
        "ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
    );
    check(
        "range_huge",
        b"r = range(10 ** 18)\nprint(len(r), r[-1])\nfor i in range(10 ** 18):\n    if i > 3:\n        break\nprint(i)\n",
        0,
        "1000000000000000000 999999999999999999\n4\n",
        "",
    );
    check(
        "dict_million",
        b"d = {}\nfor i in range(1000000):\n    d[i] = i\nprint(len(d), d[999999])\n",
        0,
        "1000000 999999\n",
        "",
    );
}

#[test]
fn absurd_recursion_limit_is_a_recursion_error() {
    check(
        "limit_1e8",
        b"import sys\nsys.setrecursionlimit(10**8)\nprint(sys.getrecursionlimit())\ndef f(n):\n    return f(n + 1)\nf(0)\n",
        1,
        "100000000\n",
        "RecursionError: maximum recursion depth exceeded",
    );
}
