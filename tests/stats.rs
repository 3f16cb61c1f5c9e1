//! Behaviour proved through the runtime's statistics: frame objects are built only for the
//! frames something observes.

use std::path::PathBuf;
use std::process::Command;

/// Runs `source` with `shadowpy --stats`, returns (stdout, stats JSON).
fn run(name: &str, source: &str, jit: &str) -> (String, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("stats");
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join(format!("{name}_{jit}.py"));
    let stats = dir.join(format!("{name}_{jit}.json"));
    std::fs::write(&prog, source).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shadowpy"))
        .arg(format!("--jit={jit}"))
        .arg(format!("--stats={}", stats.display()))
        .arg(&prog)
        .output()
        .expect("shadowpy runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        stdout,
        std::fs::read_to_string(&stats).expect("stats written"),
    )
}

/// The value of counter `key` in the stats JSON.
fn stat(json: &str, key: &str) -> u64 {
    let at = json
        .find(&format!("\"{key}\""))
        .unwrap_or_else(|| panic!("{key} in {json}"));
    let rest = &json[at + key.len() + 2..];
    let digits: String = rest
        .trim_start_matches([':', ' '])
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().unwrap()
}

const GETFRAME_DEEP: &str = r#"
import sys
sys.setrecursionlimit(20000)

def down(n):
    if n == 0:
        f = sys._getframe(0)
        return f.f_code.co_name, f.f_lineno
    return down(n - 1)

print(down(10000))
"#;

const RAISE_DEEP: &str = r#"
import sys
sys.setrecursionlimit(20000)

def down(n):
    if n == 0:
        raise ValueError("bottom")
    return down(n - 1)

try:
    down(10000)
except ValueError as e:
    tb = e.__traceback__
    n = 0
    while tb.tb_next is not None:
        n += 1
        tb = tb.tb_next
    print(n, tb.tb_lineno)
    LAST = tb
"#;

const RAISE_DEEP_READ: &str = r#"
    print(LAST.tb_frame.f_code.co_name, LAST.tb_frame.f_locals["n"])
"#;

#[test]
fn getframe_at_depth_10000_builds_one_frame_object() {
    for jit in ["off", "hot", "all"] {
        let (out, stats) = run("getframe_deep", GETFRAME_DEEP, jit);
        assert_eq!(out, "('down', 8)\n");
        assert_eq!(
            stat(&stats, "frame_objects_created"),
            1,
            "mode {jit}: {stats}"
        );
    }
}

#[test]
fn raising_through_10000_frames_builds_none_until_tb_frame_is_read() {
    for jit in ["off", "hot", "all"] {
        let (out, stats) = run("raise_deep", RAISE_DEEP, jit);
        assert_eq!(out, "10001 7\n");
        assert_eq!(
            stat(&stats, "frame_objects_created"),
            0,
            "mode {jit}: {stats}"
        );
        assert!(
            stat(&stats, "traceback_entries") >= 10002,
            "mode {jit}: {stats}"
        );

        let read = format!("{RAISE_DEEP}{RAISE_DEEP_READ}");
        let (out, stats) = run("raise_deep_read", &read, jit);
        assert_eq!(out, "10001 7\ndown 0\n");
        assert_eq!(
            stat(&stats, "frame_objects_created"),
            1,
            "mode {jit}: {stats}"
        );
    }
}

const GETFRAME_100K: &str = r#"
import sys
sys.setrecursionlimit(200000)

def down(n):
    if n == 0:
        f = sys._getframe(0)
        return f.f_code.co_name, f.f_lineno, f.f_locals["n"]
    return down(n - 1)

print(down(100000))
"#;

const RAISE_100K: &str = r#"
import sys
sys.setrecursionlimit(200000)

def down(n):
    if n == 0:
        raise ValueError("bottom")
    return down(n - 1)

try:
    down(100000)
except ValueError as e:
    tb = e.__traceback__
    n = 0
    while tb.tb_next is not None:
        n += 1
        tb = tb.tb_next
    print(n, tb.tb_lineno)
    LAST = tb
"#;

const FIB_30: &str = r#"
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print(fib(30))
"#;

#[test]
fn jit_getframe_at_depth_100000_builds_one_frame_object() {
    let (out, stats) = run("jit_getframe_100k", GETFRAME_100K, "all");
    assert_eq!(out, "('down', 8, 0)\n");
    assert_eq!(stat(&stats, "functions_compiled"), 1, "{stats}");
    assert_eq!(stat(&stats, "frame_objects_created"), 1, "{stats}");
}

#[test]
fn jit_raising_through_100000_frames_builds_none_until_tb_frame_is_read() {
    let (out, stats) = run("jit_raise_100k", RAISE_100K, "all");
    assert_eq!(out, "100001 7\n");
    assert_eq!(stat(&stats, "functions_compiled"), 1, "{stats}");
    assert_eq!(stat(&stats, "frame_objects_created"), 0, "{stats}");
    assert_eq!(stat(&stats, "deopts"), 0, "{stats}");
    let read = format!("{RAISE_100K}{RAISE_DEEP_READ}");
    let (out, stats) = run("jit_raise_100k_read", &read, "all");
    assert_eq!(out, "100001 7\ndown 0\n");
    assert_eq!(stat(&stats, "frame_objects_created"), 1, "{stats}");
}

#[test]
fn jit_fib_30_builds_no_frame_object_and_never_deopts() {
    for jit in ["all", "hot"] {
        let (out, stats) = run("jit_fib_30", FIB_30, jit);
        assert_eq!(out, "832040\n");
        assert_eq!(stat(&stats, "functions_compiled"), 1, "{jit}: {stats}");
        assert_eq!(stat(&stats, "frame_objects_created"), 0, "{jit}: {stats}");
        assert_eq!(stat(&stats, "deopts"), 0, "{jit}: {stats}");
    }
}

const FACT_30: &str = r#"
import sys

def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

def held(a, b):
    f = sys._getframe(0)
    r = a * b
    return f, r

print(fact(30))
f, r = held(2**62 - 1, 4)
print(r, f.f_lineno, f.f_locals["r"] == r)
"#;

#[test]
fn jit_fact_30_deopts_and_prints_the_bigint() {
    let (out, stats) = run("jit_fact_30", FACT_30, "all");
    assert_eq!(
        out,
        "265252859812191058636308480000000\n18446744073709551612 12 True\n"
    );
    assert_eq!(stat(&stats, "functions_compiled"), 2, "{stats}");
    assert!(stat(&stats, "deopts") >= 2, "{stats}");
    // The frame object handed out before the deopt is the one that reads the interpreter
    // frame afterwards: still one.
    assert_eq!(stat(&stats, "frame_objects_created"), 1, "{stats}");
}

const CORO_ORIGIN: &str = r#"
import sys

async def job():
    return 1

def level(n):
    if n == 0:
        return job()
    return level(n - 1)

sys.set_coroutine_origin_tracking_depth(10)
last = None
for i in range(50):
    c = level(12)
    last = c.cr_origin
    c.close()
print(len(last), [(line, name) for (_, line, name) in last][:3], last[-1][2])
"#;

/// `cr_origin` at depth 10 is built from code and line alone: creating 50 coroutines under 13
/// JIT frames builds no frame object.
#[test]
fn jit_coroutine_origin_at_depth_10_builds_no_frame_object() {
    for jit in ["all", "off"] {
        let (out, stats) = run("coro_origin", CORO_ORIGIN, jit);
        assert_eq!(
            out, "10 [(9, 'level'), (10, 'level'), (10, 'level')] level\n",
            "{jit}"
        );
        assert_eq!(stat(&stats, "frame_objects_created"), 0, "{jit}: {stats}");
        if jit == "all" {
            assert!(stat(&stats, "functions_compiled") >= 1, "{stats}");
        }
    }
}

/// `examples/postmortem.py` reads `tb_frame` of 6 of its 203 traceback entries: 6 frame objects.
#[test]
fn postmortem_example_builds_only_the_frames_it_reads() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/postmortem.py"
    ))
    .unwrap();
    for jit in ["all", "off"] {
        let (out, stats) = run("postmortem", &src, jit);
        assert!(
            out.starts_with("RuntimeError: budget exhausted at n=40\n203 frames"),
            "{out}"
        );
        assert!(
            out.contains("  collatz_steps line 17: budget=1, n=13, nxt=40, steps=199\n"),
            "{out}"
        );
        assert_eq!(stat(&stats, "frame_objects_created"), 6, "{jit}: {stats}");
    }
}

const JIT_GENERATORS: &str = r#"
import sys

def count(n):
    i = 0
    while i < n:
        yield i
        i += 1

def relay(n):
    total = yield from count(n)
    return total

async def leaf(x):
    return x * 2

async def chain(n):
    acc = 0
    for i in range(n):
        acc += await leaf(i)
    return acc

print(sum(count(1000)), list(relay(3)))
c = chain(10)
try:
    c.send(None)
except StopIteration as e:
    print(e.value)

g = count(5)
next(g)
f = g.gi_frame
print(f is g.gi_frame, f.f_locals, f.f_back)
next(g)
print(f.f_locals['i'], f.f_lineno)
"#;

/// Generator and coroutine code runs compiled under `--jit=all`: every generator function is
/// compiled, runs 1,000 resumptions with no frame object, and `gi_frame` of a suspended compiled
/// generator is one frame object, the same at every read, that follows the frame.
#[test]
fn jit_generators_are_compiled_and_build_only_gi_frame() {
    let expected = "499500 [0, 1, 2]\n90\nTrue {'n': 5, 'i': 0} None\n1 7\n";
    for jit in ["all", "off"] {
        let (out, stats) = run("jit_generators", JIT_GENERATORS, jit);
        assert_eq!(out, expected, "{jit}");
        assert_eq!(stat(&stats, "frame_objects_created"), 1, "{jit}: {stats}");
        let compiled = stat(&stats, "functions_compiled");
        if jit == "all" {
            // count, relay, leaf, chain.
            assert!(compiled >= 4, "{stats}");
        } else {
            assert_eq!(compiled, 0, "{stats}");
        }
    }
}

/// `//`, `%` and the bitwise operators are inline for small ints, and their other uses (string
/// formatting, sets, bools) go to the runtime without deoptimizing the activation.
#[test]
fn non_int_modulo_and_bitwise_do_not_deoptimize() {
    let src = r#"
def fmt(n):
    out = []
    for i in range(n):
        out.append("item%d" % i)
        out.append(i % 7 + i // 3)
        out.append(({1, 2} | {i}) & {1, i})
        out.append((i > 2) ^ True)
    return len(out), out[-4:]

for _ in range(30):
    r = fmt(10)
print(r)
"#;
    let (out, json) = run("no_deopt_fmt", src, "all");
    assert_eq!(out, "(40, ['item9', 5, {1, 9}, False])\n");
    assert_eq!(stat(&json, "deopts"), 0, "{json}");
    assert_eq!(stat(&json, "functions_compiled"), 1, "{json}");
}

/// Under `--jit=hot`, a generator function whose one generator was resumed many times is hot:
/// the generators created after that run compiled.
#[test]
fn resumptions_make_generator_code_hot() {
    let src = "def numbers(n):\n    i = 0\n    while i < n:\n        yield i\n        i += 1\n\nprint(sum(numbers(100)))\nprint(sum(numbers(100)))\n";
    let (out, json) = run("hot_generator", src, "hot");
    assert_eq!(out, "4950\n4950\n");
    assert_eq!(stat(&json, "functions_compiled"), 1, "{json}");
    // Created once and resumed twice: stays interpreted.
    let once = "def g():\n    yield 1\n    yield 2\n\nprint(list(g()))\n";
    let (out, json) = run("cold_generator", once, "hot");
    assert_eq!(out, "[1, 2]\n");
    assert_eq!(stat(&json, "functions_compiled"), 0, "{json}");
}

/// Under `--jit=hot`, a function is compiled at its 16th call: an interpreted call that the
/// tier declines is counted once, not again by the interpreter's general call path.
#[test]
fn hot_counts_each_call_once() {
    for (calls, compiled) in [(15, 0), (16, 1)] {
        let src = format!(
            "def g(n):\n    return n\ndef f():\n    for i in range({calls}):\n        g(i)\nf()\nprint('ok')\n"
        );
        let (out, json) = run(&format!("hot_threshold_{calls}"), &src, "hot");
        assert_eq!(out, "ok\n");
        assert_eq!(
            stat(&json, "functions_compiled"),
            compiled,
            "{calls} calls: {json}"
        );
    }
}

const THREADS_OBSERVE: &str = r#"
import sys
import threading

def observe(k):
    if k == 0:
        return 0
    sys._getframe(0)
    return 1 + observe(k - 1)

def worker(k, out):
    out.append(observe(k))

out = []
threads = [threading.Thread(target=worker, args=(100 * (i + 1), out)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(out), observe(7))
"#;

/// Each thread counts on its own; the counts of the threads that exited before the stats were
/// read are in the total, once.
#[test]
fn counts_of_every_thread_are_summed_once() {
    for jit in ["off", "all"] {
        let (out, stats) = run("threads_observe", THREADS_OBSERVE, jit);
        assert_eq!(out, "[100, 200, 300, 400] 7\n");
        // One frame object per activation that called `sys._getframe(0)`.
        assert_eq!(
            stat(&stats, "frame_objects_created"),
            100 + 200 + 300 + 400 + 7,
            "{jit}: {stats}"
        );
    }
}
