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
    run_path_limited(path, mode, None)
}

/// Address-space limit of the allocation tests. The binary reserves about 2.5 GiB of thread
/// stacks, which leaves about 1.5 GiB of heap; any bigger request fails, the same way on every
/// machine whatever its overcommit policy (without a limit, a request the kernel grants would
/// be filled until the OOM killer steps in).
const MEMORY_LIMIT: u64 = 4 << 30;

fn run_path_limited(
    path: &std::path::Path,
    mode: &str,
    limit: Option<u64>,
) -> (i32, String, String) {
    let start = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shadowpy"));
    if let Some(bytes) = limit {
        use std::os::unix::process::CommandExt;
        // SAFETY: runs in the forked child before exec and only calls setrlimit, which is
        // async-signal-safe.
        unsafe {
            cmd.pre_exec(move || {
                let l = libc::rlimit {
                    rlim_cur: bytes as libc::rlim_t,
                    rlim_max: bytes as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &l) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let out = cmd
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

/// Huge allocations from sizes the program chooses are CPython's MemoryError (or its
/// OverflowError/ValueError where CPython checks the size first), never an abort: repetition,
/// materialized ranges, printf widths and precisions, `str.replace`/`join`/`ljust` results, and
/// a list doubling itself until the allocator refuses. Run under an address-space limit;
/// the output is CPython 3.13's under the same limit.
#[test]
fn huge_allocations_are_memory_errors() {
    let src = r#"def attempt(what, make):
    try:
        make()
        print(what, 'allocated')
    except (MemoryError, OverflowError, ValueError) as e:
        print(what, type(e).__name__, e)

def mk_list():
    return [0] * 10**12
def mk_str():
    return 'x' * 10**12
def mk_tuple():
    return (1, 2) * 10**12
def mk_range():
    return list(range(10**18))
def mk_sorted():
    return sorted(range(10**12))
def mk_index():
    return [0] * 2**63
def mk_width():
    return '%*d' % (10**12, 1)
def mk_prec():
    return '%.*f' % (10**12, 1.0)
def mk_spec():
    return format(1.0, '.1000000000000f')
def mk_replace():
    return ('a' * 10**6).replace('a', 'a' * 10**6)
def mk_join():
    return ('a' * 10**5).join(['b' * 10**5] * 10**5)
def mk_ljust():
    return 'x'.ljust(10**12)
def mk_grow():
    x = [0] * 10**6
    while True:
        x += x

for f in [mk_list, mk_str, mk_tuple, mk_range, mk_sorted, mk_index, mk_width, mk_prec, mk_spec, mk_replace, mk_join, mk_ljust, mk_grow]:
    attempt(f.__name__, f)
print(len(format(1.0, '.100000f')), len('%.70000e' % 2.5), format(0.1, '.1100f')[-3:], format(1.5, '#.70000g')[:4])
x = 'x' * 10**12
"#;
    let expected = "mk_list MemoryError \nmk_str MemoryError \nmk_tuple MemoryError \nmk_range MemoryError \nmk_sorted MemoryError \nmk_index OverflowError cannot fit 'int' into an index-sized integer\nmk_width MemoryError \nmk_prec OverflowError Python int too large to convert to C int\nmk_spec ValueError precision too big\nmk_replace MemoryError \nmk_join MemoryError \nmk_ljust MemoryError \nmk_grow MemoryError \n100002 70006 000 1.50\n";
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge_allocations.py");
    std::fs::write(&path, src).unwrap();
    for mode in ["off", "all"] {
        let (code, out, err) = run_path_limited(&path, mode, Some(MEMORY_LIMIT));
        assert!(!err.contains("panicked"), "--jit={mode} panicked:\n{err}");
        assert_eq!(out, expected, "--jit={mode} stdout; stderr:\n{err}");
        assert_eq!(code, 1, "--jit={mode} exit status; stderr:\n{err}");
        assert!(
            err.ends_with("    x = 'x' * 10**12\n        ~~~~^~~~~~~~\nMemoryError\n"),
            "--jit={mode} stderr:\n{err}"
        );
    }
}

/// Float formatting past Rust's formatter limit (precision 65535) panicked; CPython pads with
/// the exact zeros. Exact digits checked against CPython near the f64 limits (1074 fraction
/// digits, 767 significant ones).
#[test]
fn float_formatting_with_huge_precisions() {
    check(
        "float_precision",
        b"def f(v):\n    a = format(v, '.100000f')\n    b = '%.70000e' % v\n    c = format(v, '#.70000g')\n    return len(a), a[:4], a[-2:], len(b), b[-6:], len(c), c[:4]\nprint(f(1.0))\nprint(f(5e-324))\nx = format(2.0**-1074, '.1075f')\nprint(x[1070:1080], x[-4:])\nprint(format(0.1, '.770e')[760:])\nprint(format(1.5, '.70000%')[-3:])\n",
        0,
        "(100002, '1.00', '00', 70006, '00e+00', 70001, '1.00')\n(100002, '0.00', '00', 70007, '0e-324', 70006, '4.94')\n2656250 6250\n000000000000e-01\n00%\n",
        "",
    );
}
