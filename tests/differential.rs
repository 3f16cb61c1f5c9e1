//! Differential property test: generated programs of the subset print the same bytes (stdout,
//! stderr, exit status) with `--jit=off`, `--jit=hot` and `--jit=all`.
//!
//! The generator builds a module of a few functions forming a call tree (function `i` calls only
//! functions after it, plus one bounded recursive function and one generator), whose bodies mix
//! what the JIT treats specially: small-int arithmetic that crosses the 62-bit boundary (deopt
//! guards), loops, `try/except/finally`, raises at random depths, `sys._getframe(k)` reads of
//! names and line numbers, `f_locals` reads and writes through a frame (PEP 667 write-through into
//! a running JIT frame), frame objects held past their frame's end and read afterwards, and
//! generators. Functions are called several times so `hot` compiles them mid-run.
//!
//! A second property generates recursions whose base cases the JIT answers without a frame
//! (`code::leaf`): a few `if x OP y: return z` tests of the arguments against each other and
//! against constants (some of them immediates the path allows, some not), called on arguments
//! of every kind (small ints and the range's edges, big ints, floats, bools, None, strs) under
//! a recursion limit that some calls reach, so that a frameless call, the comparison it
//! leaves the path at and the limit all vary.
//!
//! A third property generates exceptions that unwind chains of JIT frames (the compiled unwind
//! step and its fallbacks, `frame::RunAbi`): a chain of up to 300 calls through three
//! functions in a generated order (runs of one function, alternations, the run's chunks filling
//! at 8, 24, 56, ... frames), with locals of their own, one left unbound, one function that
//! catches and re-raises on the way, and frames made observed mid-chain by `sys._getframe`;
//! the handler prints every entry's line, function and locals and checks the `f_back` links.
//!
//! Cases: `PROPTEST_CASES` (default 32 in CI). A failing case prints the program: keep it as a
//! regression program in `tests/conformance/` with CPython's results (`regen.sh`).

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// Small ints and values near the edges of the inline range (2**62), where guards fail.
fn int_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        (-20i64..20).prop_map(|v| v.to_string()),
        (0i64..4).prop_map(|k| format!("{}", (1i64 << 62) - 1 - k)),
        (0i64..4).prop_map(|k| format!("{}", -(1i64 << 62) + k)),
        Just("2 ** 70".to_owned()),
    ]
}

/// An expression over the locals `a`, `b`, `c` (always bound) and int literals.
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        int_literal(),
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("c".to_owned()),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        (inner.clone(), inner, 0usize..7).prop_map(|(x, y, op)| {
            let op = ["+", "-", "*", "//", "%", "<", "=="][op];
            if op == "//" || op == "%" {
                // Mostly no ZeroDivisionError, so that programs run on.
                format!("({x} {op} ({y} or 7))")
            } else {
                format!("({x} {op} {y})")
            }
        })
    })
}

/// One statement of function `me` (of `n` functions), indented by `ind` levels.
#[derive(Clone, Debug)]
enum Stmt {
    Assign(usize, String),
    Print(String),
    Call(usize, String),
    Loop(u8, Vec<Stmt>),
    If(String, Vec<Stmt>, Vec<Stmt>),
    Try(Vec<Stmt>, Vec<Stmt>, bool),
    Raise(u8),
    Observe(u8),
    WriteLocal(usize, String),
    Hold,
    Gen(String),
    Recurse(u8),
}

fn stmt() -> impl Strategy<Value = Stmt> {
    let leaf = prop_oneof![
        (0usize..3, expr()).prop_map(|(v, e)| Stmt::Assign(v, e)),
        expr().prop_map(Stmt::Print),
        (0usize..8, expr()).prop_map(|(f, e)| Stmt::Call(f, e)),
        (0u8..3).prop_map(Stmt::Raise),
        (0u8..3).prop_map(Stmt::Observe),
        (0usize..3, int_literal()).prop_map(|(v, e)| Stmt::WriteLocal(v, e)),
        Just(Stmt::Hold),
        expr().prop_map(Stmt::Gen),
        (0u8..30).prop_map(Stmt::Recurse),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let block = prop::collection::vec(inner, 1..4);
        prop_oneof![
            (1u8..4, block.clone()).prop_map(|(k, b)| Stmt::Loop(k, b)),
            (expr(), block.clone(), block.clone()).prop_map(|(c, t, e)| Stmt::If(c, t, e)),
            (block.clone(), block, any::<bool>()).prop_map(|(b, h, f)| Stmt::Try(b, h, f)),
        ]
    })
}

const VARS: [&str; 3] = ["a", "b", "c"];
const EXCS: [&str; 3] = ["ValueError", "KeyError", "ZeroDivisionError"];

fn emit(out: &mut String, s: &Stmt, me: usize, n: usize, ind: usize) {
    let pad = "    ".repeat(ind);
    match s {
        Stmt::Assign(v, e) => writeln!(out, "{pad}{} = {e}", VARS[*v]).unwrap(),
        Stmt::Print(e) => writeln!(out, "{pad}print({e})").unwrap(),
        Stmt::Call(f, e) => {
            // Only later functions: the call graph is a tree plus `rec`.
            let callee = me + 1 + f % n.saturating_sub(me + 1).max(1);
            if callee < n {
                writeln!(out, "{pad}print('f{callee}', f{callee}({e}, a, b))").unwrap();
            } else {
                writeln!(out, "{pad}print('leaf', {e})").unwrap();
            }
        }
        Stmt::Loop(k, body) => {
            writeln!(out, "{pad}for i{ind} in range({k}):").unwrap();
            for b in body {
                emit(out, b, me, n, ind + 1);
            }
        }
        Stmt::If(c, t, e) => {
            writeln!(out, "{pad}if {c}:").unwrap();
            for b in t {
                emit(out, b, me, n, ind + 1);
            }
            writeln!(out, "{pad}else:").unwrap();
            for b in e {
                emit(out, b, me, n, ind + 1);
            }
        }
        Stmt::Try(body, handler, fin) => {
            writeln!(out, "{pad}try:").unwrap();
            for b in body {
                emit(out, b, me, n, ind + 1);
            }
            writeln!(out, "{pad}except (ValueError, KeyError) as e{ind}:").unwrap();
            writeln!(out, "{pad}    print('caught', repr(e{ind}))").unwrap();
            for b in handler {
                emit(out, b, me, n, ind + 1);
            }
            if *fin {
                writeln!(out, "{pad}finally:").unwrap();
                writeln!(out, "{pad}    print('finally', f{me}.__name__)").unwrap();
            }
        }
        Stmt::Raise(k) => {
            writeln!(out, "{pad}if a % 3 == {k}:").unwrap();
            writeln!(out, "{pad}    raise {}('r{me}')", EXCS[*k as usize]).unwrap();
        }
        Stmt::Observe(k) => {
            writeln!(out, "{pad}fr = sys._getframe({k})").unwrap();
            writeln!(out, "{pad}print('frame', fr.f_code.co_name, fr.f_lineno)").unwrap();
        }
        Stmt::WriteLocal(v, e) => {
            writeln!(out, "{pad}sys._getframe(0).f_locals['{}'] = {e}", VARS[*v]).unwrap();
            writeln!(out, "{pad}print('wrote', {})", VARS[*v]).unwrap();
        }
        Stmt::Hold => writeln!(out, "{pad}held.append(sys._getframe(0))").unwrap(),
        Stmt::Gen(e) => {
            writeln!(out, "{pad}for g in gen({e}):").unwrap();
            writeln!(out, "{pad}    print('gen', g)").unwrap();
        }
        Stmt::Recurse(d) => writeln!(out, "{pad}print('rec', rec({d}, a))").unwrap(),
    }
}

fn program(funcs: &[Vec<Stmt>]) -> String {
    let n = funcs.len();
    let mut out = String::from("import sys\n\nheld = []\n\n");
    out.push_str(
        "def rec(d, x):\n    if d == 0:\n        return sys._getframe(1).f_lineno + x % 5\n    return rec(d - 1, x) + 1\n\n",
    );
    out.push_str(
        "def gen(x):\n    yield x\n    try:\n        yield sys._getframe(1).f_code.co_name\n    finally:\n        held.append(sys._getframe(0))\n    yield x * 2\n\n",
    );
    for (i, body) in funcs.iter().enumerate() {
        writeln!(out, "def f{i}(a, b, c=3):").unwrap();
        for s in body {
            emit(&mut out, s, i, n, 1);
        }
        out.push_str("    return a\n\n");
    }
    out.push_str("for k in range(20):\n    try:\n        print(k, f0(k, k * 7))\n    except Exception as e:\n        print('error', type(e).__name__, e)\n");
    out.push_str("for f in held[:40]:\n    print('held', f.f_code.co_name, f.f_lineno, sorted(f.f_locals), f.f_back is None)\n");
    out
}

/// An operand of a base-case test: an argument, or a constant (immediates the frameless path
/// takes, and others that keep a function off it).
fn base_operand() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("a".to_owned()),
        2 => Just("b".to_owned()),
        4 => int_literal(),
        1 => Just("None".to_owned()),
        1 => Just("True".to_owned()),
        1 => Just("1.5".to_owned()),
    ]
}

/// The left operand of a base-case test: mostly an argument.
fn base_lhs() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("a".to_owned()),
        3 => Just("b".to_owned()),
        1 => int_literal(),
    ]
}

/// A recursion whose first statements are base-case tests `(lhs, op, rhs, returned)`.
fn base_case_program(tests: &[(String, usize, String, String)], limit: u32) -> String {
    let mut out = format!("import sys\n\nsys.setrecursionlimit({limit})\n\n\ndef f(a, b):\n");
    for (lhs, op, rhs, ret) in tests {
        let op = ["<", "<=", "==", "!=", ">", ">="][*op];
        writeln!(out, "    if {lhs} {op} {rhs}:\n        return {ret}").unwrap();
    }
    // Bounded whatever the tests say: the guards are base cases too.
    out.push_str("    if a < -40:\n        return 0\n    if a > 60:\n        return -1\n");
    out.push_str("    return f(a - 1, b) + 1\n\n\n");
    out.push_str(
        "vals = [0, 1, 2, 5, -3, 59, 2 ** 62 - 1, -(2 ** 62), 2 ** 70, 2.5, True, None, 's']\n\
         for a in vals:\n    for b in vals:\n        try:\n            print(a, b, f(a, b))\n\
         \x20       except Exception as e:\n            print(a, b, type(e).__name__, e)\n",
    );
    out
}

/// A chain of calls through `f0`, `f1`, `f2` in the order `path` (each calls the next
/// directly, so a run of one function is a recursion), raising at its end; the frames at the
/// depths `held` take their callers' frame objects on the way down.
fn unwind_program(path: &[usize], held: &[usize]) -> String {
    // What every function does first: observe, or raise at the end of the chain.
    const HEAD: &str = "    if d in HELD:
        held.append(sys._getframe(1))
    if d == len(PATH):
        raise ValueError(d)
";
    let mut out = format!("import sys\n\nheld = []\nPATH = {path:?}\nHELD = {held:?}\n\n\n");
    write!(
        out,
        "def f0(d, x):\n{HEAD}    return NEXT[PATH[d]](d + 1, x + d)\n\n\n\
         def f1(d, x):\n    a = [d]\n    b = 'f1-%d' % d\n{HEAD}    \
         return NEXT[PATH[d]](d + 1, x) + len(a) + len(b)\n\n\n\
         def f2(d, x):\n    gone = d\n    del gone\n{HEAD}    try:\n        \
         return NEXT[PATH[d]](d + 1, x * 2)\n    except KeyError:\n        return -1\n\n\n\
         NEXT = (f0, f1, f2)\n"
    )
    .unwrap();
    out.push_str(
        "try:
    f0(0, 1)
except ValueError as e:
    tb = e.__traceback__
    prev = None
    while tb is not None:
        f = tb.tb_frame
        loc = sorted(f.f_locals.items()) if prev is not None else '-'
        print(tb.tb_lineno, f.f_code.co_name, loc, prev is None or f.f_back is prev)
        prev = f
        tb = tb.tb_next
for f in held:
    back = f.f_back
    loc = sorted(f.f_locals.items()) if back is not None else '-'
    print('held', f.f_code.co_name, f.f_lineno, loc,
          back.f_code.co_name if back is not None else None)
",
    );
    out
}

fn prog_path(dir: &std::path::Path, tag: usize) -> PathBuf {
    dir.join(format!("prog_{}_{tag}.py", std::process::id()))
}

fn run(src: &str, mode: &str, dir: &std::path::Path, tag: usize) -> Output {
    let path = prog_path(dir, tag);
    std::fs::write(&path, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shadowpy"))
        .arg(format!("--jit={mode}"))
        .arg(&path)
        .output()
        .expect("shadowpy runs");
    (out.stdout, out.stderr, out.status.code())
}

/// What a run printed: stdout, stderr, exit status.
type Output = (Vec<u8>, Vec<u8>, Option<i32>);

/// Runs `src` under `--jit=off`, checks that run with `off_ok` (a generated program is always
/// valid subset code: it must not fail to compile), then requires `hot` and `all` to print the
/// same bytes. The program file is kept only when the case fails (a long run would leave
/// thousands).
fn modes_agree(
    src: &str,
    off_ok: impl FnOnce(&Output) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("differential");
    std::fs::create_dir_all(&dir).unwrap();
    let tag = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let off = run(src, "off", &dir, tag);
    let stderr = String::from_utf8_lossy(&off.1);
    prop_assert!(!stderr.contains("SyntaxError"), "{}\n{}", src, stderr);
    off_ok(&off)?;
    for mode in ["hot", "all"] {
        let other = run(src, mode, &dir, tag);
        prop_assert!(
            other == off,
            "--jit={} differs from --jit=off\n--- program\n{}\n--- off stdout\n{}\n--- {} stdout\n{}\n--- off stderr\n{}\n--- {} stderr\n{}",
            mode,
            src,
            String::from_utf8_lossy(&off.0),
            mode,
            String::from_utf8_lossy(&other.0),
            String::from_utf8_lossy(&off.1),
            mode,
            String::from_utf8_lossy(&other.1),
        );
    }
    let _ = std::fs::remove_file(prog_path(&dir, tag));
    Ok(())
}

/// The check of the `off` run of a program that must run to completion (exit status 0).
fn runs_to_completion(src: &str) -> impl FnOnce(&Output) -> Result<(), TestCaseError> + '_ {
    move |off| {
        prop_assert!(
            off.2 == Some(0),
            "--jit=off failed\n{}\n{}",
            src,
            String::from_utf8_lossy(&off.1)
        );
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(32),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn jit_modes_agree(funcs in prop::collection::vec(prop::collection::vec(stmt(), 1..6), 1..5)) {
        let src = program(&funcs);
        modes_agree(&src, |off| {
            prop_assert!(off.2.is_some(), "killed by a signal\n{}", src);
            Ok(())
        })?;
    }

    #[test]
    fn unwinds_agree(
        path in prop::collection::vec(
            prop_oneof![3 => Just(0usize), 2 => Just(1usize), 1 => Just(2usize)],
            0..300,
        ).prop_flat_map(|p| {
            let n = p.len();
            (Just(p), prop::collection::vec(0..=n, 0..3))
        }),
    ) {
        let (path, held) = path;
        let src = unwind_program(&path, &held);
        modes_agree(&src, runs_to_completion(&src))?;
    }

    #[test]
    fn base_cases_agree(
        tests in prop::collection::vec(
            (base_lhs(), 0usize..6, base_operand(), base_operand()),
            1..4,
        ),
        limit in prop_oneof![Just(1000u32), 20u32..60],
    ) {
        let src = base_case_program(&tests, limit);
        modes_agree(&src, runs_to_completion(&src))?;
    }
}
