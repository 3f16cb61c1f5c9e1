//! Compiler and runtime fuzzing on stable Rust (proptest): random bytes, random token soups and
//! mutated valid programs go through the compiler (the library's `compile_module`, in this
//! process) and then through the `shadowpy` binary, in a JIT mode chosen per case.
//!
//! The property, for every input:
//! - the compiler returns (within [`TIME_LIMIT`]) a module or a compile error, never a panic
//!   (`compile_module` turns one into "internal compiler error", which counts as a failure);
//! - the binary is not killed by a signal, does not panic, and exits with 0, or with 1 and a
//!   Python-style exception line (`NameError: ...`) on stderr;
//! - the binary finishes within [`TIME_LIMIT`], unless the input compiled: a valid program may
//!   legitimately loop forever (a mutation that drops `i += 1`), so a timeout only fails a case
//!   whose source the compiler rejected (the compiler, or error reporting, hung);
//! - likewise a valid program may exhaust memory (the binary runs under an address-space limit)
//!   through many small objects, which aborts with Rust's "memory allocation of N bytes failed":
//!   accepted when N is small; an allocation of a size the program chose must be a MemoryError.
//!
//! Cases per strategy: `SHADOWPY_FUZZ_CASES` (default 40: the three strategies take a few
//! seconds in CI). The random seed: `SHADOWPY_FUZZ_SEED` (a number, or `random`; default a fixed
//! number, so CI runs the same cases every time). Locally, many more:
//! `SHADOWPY_FUZZ_CASES=20000 SHADOWPY_FUZZ_SEED=random cargo test --release --test fuzz`.
//!
//! Every crash found is kept as a regression case in `tests/hostile.rs`.

use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Time bound of one compile, and of one run of the binary.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Address-space limit of the binary: a generated `[q for q in range(10**18)]` must meet a
/// MemoryError, not the machine's memory (and the binary reserves 2.5 GiB of thread stacks).
const MEMORY_LIMIT: libc::rlim_t = 5 << 30;

fn config() -> ProptestConfig {
    let cases = std::env::var("SHADOWPY_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(40);
    let seed = match std::env::var("SHADOWPY_FUZZ_SEED").ok().as_deref() {
        Some("random") => {
            // Chosen here, not by proptest, so that it can be printed and a failure replayed.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            let seed = nanos ^ (std::process::id() as u64).rotate_left(32);
            println!("fuzz: SHADOWPY_FUZZ_SEED={seed}");
            seed
        }
        Some(n) => n.parse().expect("SHADOWPY_FUZZ_SEED: a number or `random`"),
        None => 0x5eed_f00d,
    };
    let rng_seed = RngSeed::Fixed(seed);
    ProptestConfig {
        cases,
        rng_seed,
        failure_persistence: None,
        // Shrinking reruns the binary; keep it bounded.
        max_shrink_iters: 400,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs.

/// Tokens of the language (and a few of its neighbours): keywords, operators, brackets, names,
/// numbers (small, at the small-int boundary, huge), strings of every prefix, layout.
const TOKENS: &[&str] = &[
    // Keywords, including unsupported ones.
    "def",
    "return",
    "if",
    "elif",
    "else",
    "while",
    "for",
    "in",
    "break",
    "continue",
    "pass",
    "try",
    "except",
    "finally",
    "raise",
    "from",
    "import",
    "global",
    "nonlocal",
    "del",
    "assert",
    "with",
    "as",
    "yield",
    "lambda",
    "not",
    "and",
    "or",
    "is",
    "None",
    "True",
    "False",
    "async",
    "await",
    "class",
    "match",
    "case",
    "type",
    "_",
    // Operators and delimiters.
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "<<",
    ">>",
    "&",
    "|",
    "^",
    "~",
    "<",
    ">",
    "<=",
    ">=",
    "==",
    "!=",
    "=",
    "+=",
    "-=",
    "*=",
    "//=",
    "**=",
    ":=",
    ".",
    ",",
    ":",
    ";",
    "@",
    "->",
    "...",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\\",
    // Names: locals, builtins, modules and their members.
    "a",
    "b",
    "x",
    "f",
    "g",
    "print",
    "len",
    "range",
    "list",
    "dict",
    "set",
    "tuple",
    "str",
    "int",
    "sorted",
    "sum",
    "min",
    "max",
    "isinstance",
    "repr",
    "iter",
    "next",
    "enumerate",
    "zip",
    "sys",
    "sys._getframe",
    "f_back",
    "f_locals",
    "f_lineno",
    "traceback",
    "threading",
    "time",
    "ValueError",
    "Exception",
    "__name__",
    "e",
    "send",
    "throw",
    "close",
    "append",
    "items",
    // Numbers.
    "0",
    "1",
    "2",
    "7",
    "-1",
    "42",
    "0x1f",
    "0o17",
    "0b101",
    "1_000",
    "1.5",
    "1e308",
    "1e-5",
    "4611686018427387903",
    "4611686018427387904",
    "-4611686018427387904",
    "2**62",
    "10**100",
    "10**100000",
    "99999999999999999999999",
    "0j",
    // Strings.
    "'s'",
    "\"x\"",
    "''",
    "'''tri\nple'''",
    "f'{a}'",
    "f'{a!r:>10}'",
    "f'{'",
    "b'by'",
    "r'\\d'",
    "'%d %s'",
    "'%*d'",
    "'{}'",
    "'\\N{DASH}'",
    "'\\x'",
    "'unterminated",
    // Layout.
    "\n",
    "\n",
    "\n",
    "    ",
    "    ",
    "\t",
    "#",
    "\r\n",
    "\x0c",
];

fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((0..TOKENS.len(), 0u8..3), 1..80).prop_map(|toks| {
        let mut out = String::new();
        for (t, sep) in toks {
            out.push_str(TOKENS[t]);
            // Mostly a space; sometimes glued to the next token (line breaks are tokens).
            out.push_str(["", " ", " "][sep as usize]);
        }
        out.into_bytes()
    })
}

fn random_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Anything at all.
        prop::collection::vec(any::<u8>(), 0..300),
        // Printable ASCII and line breaks: gets past the UTF-8 check into the tokenizer.
        prop::collection::vec(
            prop_oneof![0x20u8..0x7f, Just(b'\n'), Just(b'\t'), Just(b'\r')],
            0..300
        ),
    ]
}

/// Valid programs to mutate: the conformance programs that exit with 0 or 1 on their own
/// (no `sys.exit`, no replaced `sys.stdout`) and use no threads or timers (slow, and a mutation
/// can leave a thread waiting forever). Read once.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("tests/conformance")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "py"))
            .collect();
        names.sort();
        let mut out = Vec::new();
        for p in names {
            let code = std::fs::read_to_string(p.with_extension("code")).unwrap_or_default();
            let Ok(src) = std::fs::read(&p) else { continue };
            let text = String::from_utf8_lossy(&src);
            let excluded = ["exit", "stdout", "threading", "time", "setrecursionlimit"];
            if !matches!(code.trim(), "0" | "1") || excluded.iter().any(|w| text.contains(w)) {
                continue;
            }
            out.push(src);
        }
        assert!(
            out.len() >= 20,
            "too few seed programs in {}",
            dir.display()
        );
        out
    })
}

/// One edit of a program; positions are fractions (of 65536) of the current length.
#[derive(Clone, Debug)]
enum Mutation {
    Delete(u16, u8),
    Insert(u16, usize),
    DuplicateLine(u16),
    SwapLines(u16, u16),
    DeleteLine(u16),
    Indent(u16),
    Truncate(u16),
    Byte(u16, u8),
    /// The word (identifier or number) at or after a position becomes an [`ATOMS`] entry: keeps
    /// the program valid more often than the byte-level edits.
    Word(u16, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u16>(), 1u8..12).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<u16>(), 0..TOKENS.len()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        any::<u16>().prop_map(Mutation::DuplicateLine),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<u16>().prop_map(Mutation::DeleteLine),
        any::<u16>().prop_map(Mutation::Indent),
        any::<u16>().prop_map(Mutation::Truncate),
        (any::<u16>(), any::<u8>()).prop_map(|(p, b)| Mutation::Byte(p, b)),
        (any::<u16>(), 0..ATOMS.len()).prop_map(|(p, a)| Mutation::Word(p, a)),
        (any::<u16>(), 0..ATOMS.len()).prop_map(|(p, a)| Mutation::Word(p, a)),
        (any::<u16>(), 0..ATOMS.len()).prop_map(|(p, a)| Mutation::Word(p, a)),
    ]
}

fn at(frac: u16, len: usize) -> usize {
    (frac as usize * len) >> 16
}

fn apply(src: &mut Vec<u8>, m: &Mutation) {
    let len = src.len();
    match *m {
        Mutation::Delete(p, n) => {
            let s = at(p, len);
            let e = (s + n as usize).min(len);
            src.drain(s..e);
        }
        Mutation::Insert(p, t) => {
            let s = at(p, len);
            let tok = format!(" {} ", TOKENS[t]);
            src.splice(s..s, tok.into_bytes());
        }
        Mutation::Byte(p, b) => {
            if len > 0 {
                src[at(p, len)] = b;
            }
        }
        Mutation::Truncate(p) => src.truncate(at(p, len)),
        Mutation::Word(p, a) => {
            let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
            let Some(s) = (at(p, len)..len).find(|&i| word(&src[i])) else {
                return;
            };
            let e = (s..len).find(|&i| !word(&src[i])).unwrap_or(len);
            let atom = format!("({})", ATOMS[a]);
            src.splice(s..e, atom.into_bytes());
        }
        Mutation::DuplicateLine(p) | Mutation::DeleteLine(p) | Mutation::Indent(p) => {
            let mut lines: Vec<Vec<u8>> = src.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = at(p, lines.len());
            match m {
                Mutation::DuplicateLine(_) => {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
                Mutation::DeleteLine(_) => {
                    lines.remove(i);
                }
                _ => {
                    lines[i].splice(0..0, *b"    ");
                }
            }
            *src = lines.join(&b'\n');
        }
        Mutation::SwapLines(a, b) => {
            let mut lines: Vec<Vec<u8>> = src.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let n = lines.len();
            lines.swap(at(a, n), at(b, n));
            *src = lines.join(&b'\n');
        }
    }
}

fn mutated_program() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(seed, muts)| {
            let seeds = seeds();
            let mut src = seeds[seed.index(seeds.len())].clone();
            for m in &muts {
                apply(&mut src, m);
            }
            src
        })
}

/// Atoms of [`expression`]: ints at the edges (small-int boundary, sizes that cannot be
/// allocated, huge), floats, strings that are format strings, and names bound by [`PRELUDE`].
const ATOMS: &[&str] = &[
    "0",
    "1",
    "-1",
    "3",
    "7",
    "255",
    "-7",
    "2**62",
    "2**62 - 1",
    "-2**62",
    "2**64",
    "10**12",
    "10**18",
    "2**31",
    "65536",
    "70000",
    "10**100",
    "-10**12",
    "1.5",
    "-0.0",
    "1e308",
    "1e-320",
    "float('nan')",
    "float('inf')",
    "True",
    "None",
    "''",
    "'abc'",
    "'x'",
    "'\\t'",
    "'é€𝄞'",
    "'%d'",
    "'%s %r'",
    "'%*d'",
    "'%.*f'",
    "'%(a)s'",
    "'%c'",
    "'%-+#0x'",
    "'{}'",
    "'{0}{1}'",
    "'{:>{}}'",
    "'{a}'",
    "'{!r}'",
    "'{0[0]}'",
    "'.70000f'",
    "'>10'",
    "'0100'",
    "',d'",
    "'#o'",
    "'.3e'",
    "'%'",
    "'g'",
    "'x<20'",
    "'_'",
    "'.1000000000000f'",
    "'>1000000000000'",
    "[]",
    "[1, 2, 3]",
    "(1,)",
    "()",
    "{}",
    "{'a': 1}",
    "{1, 2}",
    "range(5)",
    "range(10**18)",
    "range(-3, 3)",
    "L",
    "D",
    "S",
    "T",
    "G",
    "i",
    "sys",
    "len",
    "str",
    "int",
    "list",
    "tuple",
    "dict",
    "set",
    "sorted",
    "abs",
    "print",
    "format",
    "repr",
    "chr",
    "ord",
    "pow",
    "divmod",
    "round",
    "sum",
    "min",
    "max",
    "hex",
    "bin",
    "enumerate",
    "zip",
    "iter",
    "next",
    "reversed",
    "lambda q: -q",
];

const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "<", "<=", "==", "!=", "in",
    "not in", "is", "and", "or",
];

const METHODS: &[&str] = &[
    "append",
    "join",
    "format",
    "split",
    "rsplit",
    "replace",
    "center",
    "ljust",
    "rjust",
    "zfill",
    "expandtabs",
    "count",
    "index",
    "find",
    "startswith",
    "upper",
    "strip",
    "partition",
    "items",
    "keys",
    "values",
    "get",
    "pop",
    "insert",
    "sort",
    "reverse",
    "copy",
    "extend",
    "update",
    "setdefault",
    "union",
    "bit_length",
    "as_integer_ratio",
    "splitlines",
    "removeprefix",
    "__name__",
    "f_back",
    "f_locals",
    "f_lineno",
    "send",
    "throw",
    "close",
];

/// Names [`expression`] uses, bound before every statement.
const PRELUDE: &str = "import sys\nL = [1, 'a', None]\nD = {'a': 1, 2: 'b'}\nS = 'xyz'\nT = (1, 2)\ni = 5\ndef gen():\n    yield 1\n    yield sys._getframe()\nG = gen()\n";

/// Expressions of the subset (mostly well-formed, rarely meaningful): calls, methods, operators,
/// subscripts, slices, f-strings, comprehensions, conditional expressions.
fn expression() -> impl Strategy<Value = String> {
    let leaf = (0..ATOMS.len()).prop_map(|i| ATOMS[i].to_owned());
    leaf.prop_recursive(4, 40, 4, |inner| {
        let args = prop::collection::vec(inner.clone(), 0..4).prop_map(|a| a.join(", "));
        prop_oneof![
            (inner.clone(), 0..BINOPS.len(), inner.clone())
                .prop_map(|(a, op, b)| format!("({a} {} {b})", BINOPS[op])),
            (inner.clone(), args.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), 0..METHODS.len(), args.clone())
                .prop_map(|(o, m, a)| format!("{o}.{}({a})", METHODS[m])),
            (inner.clone(), 0..METHODS.len()).prop_map(|(o, m)| format!("{o}.{}", METHODS[m])),
            (inner.clone(), inner.clone()).prop_map(|(o, k)| format!("{o}[{k}]")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(o, a, b)| format!("{o}[{a}:{b}]")),
            (inner.clone(), inner.clone()).prop_map(|(v, spec)| format!("f'{{{v}:{{{spec}}}}}'")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} % {b}")),
            args.prop_map(|a| format!("[{a}]")),
            (inner.clone(), inner.clone()).prop_map(|(e, it)| format!("[{e} for q in {it}]")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, c, b)| format!("({a} if {c} else {b})")),
            inner.clone().prop_map(|a| format!("(-{a})")),
            inner.prop_map(|a| format!("(not {a})")),
        ]
    })
}

/// Programs of statements that each evaluate an expression under `try`, so one case runs many
/// operations whatever fails; some statements assign, so later ones see odd values.
fn expression_program() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((expression(), 0u8..4), 1..8).prop_map(|stmts| {
        // In a function (module code is never compiled), called twice (`hot` mode's counter
        // and a second pass over what the first one left in `L`).
        let mut out = String::from(PRELUDE);
        out.push_str("def case():\n    global L\n");
        for (e, how) in stmts {
            let body = match how {
                0 => format!("L = {e}"),
                1 => format!("print(repr({e})[:200])"),
                2 => format!("for q in {e}:\n            print(repr(q)[:50])\n            break"),
                _ => format!("print(len(str({e})))"),
            };
            out.push_str(&format!(
                "    try:\n        {body}\n    except Exception as err:\n        print(type(err).__name__)\n"
            ));
        }
        out.push_str("case()\ncase()\n");
        out.into_bytes()
    })
}

// ---------------------------------------------------------------------------------------------
// The property.

static CASES: AtomicUsize = AtomicUsize::new(0);

/// Compiles `src` in this process, within the time bound: `Some(true)` compiled, `Some(false)`
/// a compile error, `None` not UTF-8 (the binary reports that itself).
fn compile(src: &[u8]) -> Result<Option<bool>, TestCaseError> {
    let Ok(text) = std::str::from_utf8(src) else {
        return Ok(None);
    };
    let text = text.to_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = shadowframe::compile::compile_module(&text, "/fuzz/case.py");
        let _ = tx.send(r.map(|_| ()).map_err(|e| e.msg));
    });
    match rx.recv_timeout(TIME_LIMIT) {
        Ok(Ok(())) => Ok(Some(true)),
        Ok(Err(msg)) => {
            prop_assert!(
                !msg.contains("internal compiler error"),
                "the compiler panicked"
            );
            Ok(Some(false))
        }
        Err(_) => Err(TestCaseError::fail(format!(
            "the compiler did not return within {TIME_LIMIT:?}"
        ))),
    }
}

struct Run {
    code: Option<i32>,
    signal: Option<i32>,
    stderr: String,
    timed_out: bool,
}

fn run_binary(path: &Path, mode: &str) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shadowpy"));
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit, which
    // is async-signal-safe; it touches no memory of the parent's other threads.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd
        .arg(format!("--jit={mode}"))
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("shadowpy starts");
    let mut pipe = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        // Bounded: a program printing forever must not fill memory.
        let _ = (&mut pipe).take(1 << 20).read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stderr = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    use std::os::unix::process::ExitStatusExt;
    Run {
        code: status.code(),
        signal: status.signal(),
        stderr,
        timed_out,
    }
}

/// The size in Rust's "memory allocation of N bytes failed" abort message, if there is one.
fn failed_allocation(stderr: &str) -> Option<u64> {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("memory allocation of "))?;
    line.trim_start_matches("memory allocation of ")
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// A line `SomeError` or `SomeError: message`: how every uncaught exception (and SyntaxError)
/// ends its report. The subset has no classes, so every exception is a builtin one.
fn is_exception_line(line: &str) -> bool {
    let name = line.split(": ").next().unwrap_or("");
    let name = name.rsplit('.').next().unwrap_or("");
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && [
            "Error",
            "Exception",
            "Exit",
            "Interrupt",
            "Iteration",
            "Warning",
            "Group",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

fn check(kind: &str, src: &[u8], jit_all: bool, tally: &Tally) -> Result<(), TestCaseError> {
    tally.cases.fetch_add(1, Ordering::Relaxed);
    let compiled = compile(src)?;
    if compiled == Some(true) {
        tally.compiled.fetch_add(1, Ordering::Relaxed);
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let n = CASES.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!("{kind}_{}_{n}.py", std::process::id()));
    std::fs::write(&path, src).unwrap();
    let mode = if jit_all { "all" } else { "off" };
    let run = run_binary(&path, mode);
    let shown = String::from_utf8_lossy(src);
    let _ = std::fs::remove_file(&path);
    let context = || {
        format!(
            "--jit={mode}\n--- source\n{shown}\n--- stderr\n{}",
            run.stderr
        )
    };
    if run.timed_out {
        tally.timed_out.fetch_add(1, Ordering::Relaxed);
        // A program that compiled may loop forever; anything else must end.
        prop_assert!(
            compiled == Some(true),
            "no result within {TIME_LIMIT:?}\n{}",
            context()
        );
        return Ok(());
    }
    if run.signal == Some(libc::SIGABRT) && compiled == Some(true) {
        // A valid program can exhaust memory through many small objects (`[{} for q in
        // range(10**18)]`): Rust aborts on the small allocation that fails, with its message; the
        // runtime cannot make every small allocation fallible. Accepted as a timeout is. A
        // failed allocation of a size the program chose (over 1 MiB) had to be a MemoryError.
        if let Some(size) = failed_allocation(&run.stderr) {
            prop_assert!(
                size < 1 << 20,
                "an allocation of {size} bytes aborted instead of raising MemoryError\n{}",
                context()
            );
            tally.exhausted.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
    }
    prop_assert!(
        run.signal.is_none(),
        "killed by signal {:?}\n{}",
        run.signal,
        context()
    );
    prop_assert!(!run.stderr.contains("panicked"), "a panic\n{}", context());
    match run.code {
        Some(0) => {
            tally.exited_0.fetch_add(1, Ordering::Relaxed);
        }
        Some(1) => prop_assert!(
            run.stderr.lines().any(is_exception_line),
            "exit status 1 without an exception report\n{}",
            context()
        ),
        other => prop_assert!(false, "exit status {other:?}\n{}", context()),
    }
    if compiled == Some(false) {
        prop_assert!(
            run.code == Some(1) && run.stderr.contains("Error"),
            "the compiler rejected it but the binary ran it\n{}",
            context()
        );
    }
    Ok(())
}

/// Outcomes of one strategy's cases, printed at the end (`--nocapture` shows them).
#[derive(Default)]
struct Tally {
    cases: AtomicUsize,
    compiled: AtomicUsize,
    exited_0: AtomicUsize,
    timed_out: AtomicUsize,
    exhausted: AtomicUsize,
}

/// Runs `check` on the configured number of cases of `strategy`; fails with proptest's minimal
/// failing input.
fn fuzz(kind: &str, strategy: impl Strategy<Value = Vec<u8>>) {
    let tally = Tally::default();
    let started = Instant::now();
    let mut runner = proptest::test_runner::TestRunner::new(config());
    let result = runner.run(&(strategy, any::<bool>()), |(src, jit_all)| {
        check(kind, &src, jit_all, &tally)
    });
    println!(
        "fuzz {kind}: {} case(s) (shrinking included) in {:.1}s: {} compiled, {} exited 0, {} ran past {:?} (valid programs that loop), {} ran out of memory in small allocations",
        tally.cases.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        tally.compiled.load(Ordering::Relaxed),
        tally.exited_0.load(Ordering::Relaxed),
        tally.timed_out.load(Ordering::Relaxed),
        TIME_LIMIT,
        tally.exhausted.load(Ordering::Relaxed),
    );
    if let Err(e) = result {
        panic!("fuzz {kind}: {e}");
    }
}

#[test]
fn random_bytes_fail_cleanly() {
    fuzz("bytes", random_bytes());
}

#[test]
fn token_soups_fail_cleanly() {
    fuzz("soup", token_soup());
}

#[test]
fn generated_expressions_fail_cleanly() {
    fuzz("expr", expression_program());
}

#[test]
fn mutated_programs_fail_cleanly() {
    fuzz("mutated", mutated_program());
}

#[test]
fn failed_allocations_are_recognised() {
    assert_eq!(
        failed_allocation("memory allocation of 112 bytes failed\nstack backtrace:\n"),
        Some(112)
    );
    assert_eq!(
        failed_allocation("Traceback (most recent call last):\n"),
        None
    );
}

#[test]
fn exception_lines_are_recognised() {
    assert!(is_exception_line("NameError: name 'x' is not defined"));
    assert!(is_exception_line("ZeroDivisionError"));
    assert!(is_exception_line("StopIteration"));
    assert!(!is_exception_line("Traceback (most recent call last):"));
    assert!(!is_exception_line(
        "thread 'main' panicked at src/x.rs:1:1:"
    ));
    assert!(!is_exception_line(
        "shadowpy: internal error: the runtime panicked"
    ));
}
