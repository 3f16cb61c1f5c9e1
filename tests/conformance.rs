//! Conformance suite: every `NAME.py` in `tests/conformance/` (and in `../shared/conformance/`
//! relative to the crate, when that folder exists) is run with the `shadowpy` binary, and its
//! stdout, stderr and exit status are compared byte for byte with CPython 3.13's, recorded in
//! `NAME.out`, `NAME.err` and `NAME.code` by `tests/conformance/regen.sh`. In the recorded files
//! the program's folder is written `{DIR}`.
//!
//! Each program runs as `shadowpy --jit=MODE /abs/path/NAME.py` with its folder as working
//! directory, once per JIT mode. Environment:
//!
//! - `SHADOWPY_JIT_MODES`: comma-separated modes to run (default: `off,hot,all`, which must print
//!   the same bytes), e.g. `off` for a quick run.
//! - `SHADOWPY_CONFORMANCE_FILTER`: run only programs whose name contains this substring
//!   (several substrings may be given, comma-separated; a program matching any of them runs).
//!
//! `tests/conformance/SKIP` lists programs to skip in both folders: one name per line, `#` starts
//! a comment (`current_frames  # issue 4: threads`).
//!
//! A program that runs longer than 60 s is killed and counts as a failure. The test of a folder
//! fails at the end with a report that lists every failing program and mode, with a compact diff
//! of the first differing lines of each stream that differs.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// A program that runs longer than this is killed and reported as a failure.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How long to wait for the output pipes to close once the program has exited or was killed
/// (a grandchild could keep them open).
const PIPE_GRACE: Duration = Duration::from_secs(10);
/// Lines of context shown before and after a difference.
const CONTEXT: usize = 2;
/// Changed lines shown per stream before eliding the rest.
const MAX_DIFF_LINES: usize = 24;
/// Longer lines are cut in the report.
const MAX_LINE_CHARS: usize = 240;

const ENV_MODES: &str = "SHADOWPY_JIT_MODES";
const ENV_FILTER: &str = "SHADOWPY_CONFORMANCE_FILTER";

#[test]
fn conformance() {
    let dir = manifest_dir().join("tests").join("conformance");
    run_folder(&dir, true);
}

#[test]
fn conformance_shared() {
    let dir = manifest_dir().join("..").join("shared").join("conformance");
    if !dir.is_dir() {
        println!(
            "conformance_shared: {} does not exist; nothing to run",
            dir.display()
        );
        return;
    }
    run_folder(&dir, false);
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shadowpy"))
}

/// JIT modes from `SHADOWPY_JIT_MODES` (default: all three, which must print the same bytes).
fn modes() -> Vec<String> {
    let raw = std::env::var(ENV_MODES).unwrap_or_default();
    let mut modes: Vec<String> = Vec::new();
    for m in raw.split(',').map(str::trim).filter(|m| !m.is_empty()) {
        if !modes.iter().any(|x| x == m) {
            modes.push(m.to_string());
        }
    }
    if modes.is_empty() {
        modes = ["off", "hot", "all"].map(String::from).to_vec();
    }
    modes
}

/// Substrings from `SHADOWPY_CONFORMANCE_FILTER`; empty means no filter.
fn filters() -> Vec<String> {
    std::env::var(ENV_FILTER)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

/// Program names listed in `tests/conformance/SKIP`.
fn skip_list() -> BTreeSet<String> {
    let path = manifest_dir()
        .join("tests")
        .join("conformance")
        .join("SKIP");
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) => return BTreeSet::new(),
    };
    parse_skip(&text)
}

fn parse_skip(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|name| !name.is_empty())
        .map(|name| name.strip_suffix(".py").unwrap_or(name).to_string())
        .collect()
}

/// One program of a folder.
struct Program {
    name: String,
    path: PathBuf,
}

/// One run: a program in one JIT mode.
struct Job {
    program: usize,
    mode: String,
}

/// What a run produced.
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Exit status as recorded in NAME.code (`1`), or a description when there is none.
    code: String,
    /// Problems of the run itself (timeout, spawn failure, pipes left open).
    problems: Vec<String>,
    elapsed: Duration,
}

fn run_folder(dir: &Path, must_have_programs: bool) {
    let dir = fs::canonicalize(dir)
        .unwrap_or_else(|e| panic!("cannot resolve conformance folder {}: {e}", dir.display()));
    let skip = skip_list();
    let filters = filters();
    let modes = modes();
    let bin = binary();

    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let file_name = entry.file_name().into_string().ok()?;
            let name = file_name.strip_suffix(".py")?.to_string();
            if entry.path().is_file() {
                Some(name)
            } else {
                None
            }
        })
        .collect();
    names.sort();
    let total_found = names.len();

    let mut skipped = Vec::new();
    let mut filtered_out = 0usize;
    let mut programs = Vec::new();
    for name in names {
        if skip.contains(&name) {
            skipped.push(name);
            continue;
        }
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            filtered_out += 1;
            continue;
        }
        let path = dir.join(format!("{name}.py"));
        programs.push(Program { name, path });
    }

    if must_have_programs && total_found == 0 {
        panic!("no conformance programs (*.py) found in {}", dir.display());
    }

    let jobs: Vec<Job> = programs
        .iter()
        .enumerate()
        .flat_map(|(i, _)| {
            modes.iter().map(move |m| Job {
                program: i,
                mode: m.clone(),
            })
        })
        .collect();

    let started = Instant::now();
    let outcomes = run_all(&bin, &dir, &programs, &jobs);
    let wall = started.elapsed();

    let dir_text = dir.to_string_lossy().into_owned();
    let mut failures = String::new();
    let mut failed_runs = 0usize;
    let mut failed_names: Vec<String> = Vec::new();
    for (job, outcome) in jobs.iter().zip(outcomes.iter()) {
        let program = &programs[job.program];
        if let Some(report) = check(&dir, &dir_text, program, job, outcome) {
            failed_runs += 1;
            failed_names.push(format!("{} [--jit={}]", program.name, job.mode));
            failures.push_str(&report);
            failures.push('\n');
        }
    }

    let mut summary = format!(
        "conformance {}: {} program(s) x {} mode(s) [{}] = {} run(s), {} failed; {} skipped by SKIP{}{}; {:.1}s",
        dir.display(),
        programs.len(),
        modes.len(),
        modes.join(","),
        jobs.len(),
        failed_runs,
        skipped.len(),
        if skipped.is_empty() { String::new() } else { format!(" ({})", skipped.join(", ")) },
        if filters.is_empty() {
            String::new()
        } else {
            format!("; {} filtered out by {}={}", filtered_out, ENV_FILTER, filters.join(","))
        },
        wall.as_secs_f64(),
    );
    let slowest = jobs
        .iter()
        .zip(outcomes.iter())
        .max_by_key(|(_, o)| o.elapsed)
        .map(|(j, o)| {
            format!(
                "{} [--jit={}] {:.2}s",
                programs[j.program].name,
                j.mode,
                o.elapsed.as_secs_f64()
            )
        });
    if let Some(slowest) = slowest {
        let _ = write!(summary, "; slowest: {slowest}");
    }
    println!("{summary}");

    if failed_runs > 0 {
        let mut report = String::new();
        let _ = writeln!(report, "{summary}");
        let _ = writeln!(report, "failing runs:");
        for n in &failed_names {
            let _ = writeln!(report, "  {n}");
        }
        let _ = writeln!(report);
        report.push_str(&failures);
        let _ = writeln!(
            report,
            "{failed_runs} of {} run(s) failed in {} (binary: {})",
            jobs.len(),
            dir.display(),
            bin.display()
        );
        panic!("\n{report}");
    }
}

/// Runs every job on a pool of `available_parallelism` threads; results in job order.
fn run_all(bin: &Path, dir: &Path, programs: &[Program], jobs: &[Job]) -> Vec<Outcome> {
    if jobs.is_empty() {
        return Vec::new();
    }
    let workers = thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(4)
        .min(jobs.len())
        .max(1);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    thread::scope(|scope| {
        for _ in 0..workers {
            let next = Arc::clone(&next);
            let tx = tx.clone();
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= jobs.len() {
                    break;
                }
                let job = &jobs[i];
                let outcome = run_program(bin, &job.mode, dir, &programs[job.program].path);
                if tx.send((i, outcome)).is_err() {
                    break;
                }
            });
        }
    });
    drop(tx);
    let mut slots: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    for (i, outcome) in rx {
        slots[i] = Some(outcome);
    }
    slots
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Outcome {
                stdout: Vec::new(),
                stderr: Vec::new(),
                code: "none".to_string(),
                problems: vec!["the worker running this program died".to_string()],
                elapsed: Duration::ZERO,
            })
        })
        .collect()
}

/// Spawns a reader thread that sends everything read from `pipe` on the returned channel.
fn read_pipe<R: Read + Send + 'static>(mut pipe: R) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    rx
}

fn run_program(bin: &Path, mode: &str, dir: &Path, program: &Path) -> Outcome {
    let started = Instant::now();
    let spawned = Command::new(bin)
        .arg(format!("--jit={mode}"))
        .arg(program)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return Outcome {
                stdout: Vec::new(),
                stderr: Vec::new(),
                code: "none".to_string(),
                problems: vec![format!("cannot start {}: {e}", bin.display())],
                elapsed: started.elapsed(),
            }
        }
    };
    let out_rx = read_pipe(child.stdout.take().expect("stdout is piped"));
    let err_rx = read_pipe(child.stderr.take().expect("stderr is piped"));

    let mut problems = Vec::new();
    let mut pause = Duration::from_millis(1);
    let status: Option<ExitStatus> = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {
                if started.elapsed() >= TIMEOUT {
                    let _ = child.kill();
                    problems.push(format!(
                        "timed out after {} s and was killed",
                        TIMEOUT.as_secs()
                    ));
                    break child.wait().ok();
                }
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(25));
            }
            Err(e) => {
                let _ = child.kill();
                problems.push(format!("cannot wait for the program: {e}"));
                break child.wait().ok();
            }
        }
    };
    let elapsed = started.elapsed();

    let mut collect = |rx: mpsc::Receiver<Vec<u8>>, what: &str| match rx.recv_timeout(PIPE_GRACE) {
        Ok(buf) => buf,
        Err(_) => {
            problems.push(format!(
                "{what} stayed open {} s after the program ended",
                PIPE_GRACE.as_secs()
            ));
            Vec::new()
        }
    };
    let stdout = collect(out_rx, "stdout");
    let stderr = collect(err_rx, "stderr");

    Outcome {
        stdout,
        stderr,
        code: status
            .map(describe_status)
            .unwrap_or_else(|| "unknown".to_string()),
        problems,
        elapsed,
    }
}

fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return code.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let core = if status.core_dumped() {
                ", core dumped"
            } else {
                ""
            };
            return format!("killed by signal {signal}{core}");
        }
    }
    status.to_string()
}

/// Compares one run with the recorded results; `None` when it passes, else its report.
fn check(
    dir: &Path,
    dir_text: &str,
    program: &Program,
    job: &Job,
    outcome: &Outcome,
) -> Option<String> {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "FAIL {} [--jit={}]  ({:.2}s)",
        program.name,
        job.mode,
        outcome.elapsed.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "  command: (cd {} && {} --jit={} {})",
        dir.display(),
        binary().display(),
        job.mode,
        program.path.display()
    );
    let mut failed = false;
    for problem in &outcome.problems {
        failed = true;
        let _ = writeln!(report, "  problem: {problem}");
    }

    let expected = |ext: &str| -> Result<Vec<u8>, String> {
        let path = dir.join(format!("{}.{ext}", program.name));
        fs::read(&path)
            .map(|bytes| replace_all(&bytes, b"{DIR}", dir_text.as_bytes()))
            .map_err(|e| {
                format!(
                    "cannot read expected {}: {e} (run regen.sh)",
                    path.display()
                )
            })
    };

    match expected("code") {
        Ok(code) => {
            let want = String::from_utf8_lossy(&code).trim().to_string();
            if want != outcome.code {
                failed = true;
                let _ = writeln!(
                    report,
                    "  exit status: expected {want}, got {}",
                    outcome.code
                );
            }
        }
        Err(e) => {
            failed = true;
            let _ = writeln!(report, "  {e}");
        }
    }
    for (ext, label, actual) in [
        ("out", "stdout", &outcome.stdout),
        ("err", "stderr", &outcome.stderr),
    ] {
        match expected(ext) {
            Ok(want) => {
                if &want != actual {
                    failed = true;
                    report.push_str(&diff(label, &want, actual));
                }
            }
            Err(e) => {
                failed = true;
                let _ = writeln!(report, "  {e}");
            }
        }
    }
    if failed {
        Some(report)
    } else {
        None
    }
}

fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Lines with their terminators kept, so a missing final newline is a difference too.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

fn show_line(line: &[u8]) -> String {
    let (body, newline) = match line.strip_suffix(b"\n") {
        Some(body) => (body, true),
        None => (line, false),
    };
    let text = String::from_utf8_lossy(body);
    let mut shown: String = text.chars().take(MAX_LINE_CHARS).collect();
    if text.chars().count() > MAX_LINE_CHARS {
        shown.push_str(" [...]");
    }
    if text.ends_with(' ') || text.ends_with('\t') || text.ends_with('\r') {
        shown = format!("{shown:?}");
    }
    if !newline {
        shown.push_str("  [no newline at end]");
    }
    shown
}

/// One step of an edit script between expected and actual lines (indices into each).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Same(usize, usize),
    Del(usize),
    Add(usize),
}

/// Edit script: common prefix and suffix, and an LCS diff of the middle (when it is small enough;
/// otherwise the middle is shown as removed-then-added).
fn edit_script(exp: &[&[u8]], act: &[&[u8]]) -> Vec<Op> {
    let prefix = exp
        .iter()
        .zip(act.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let max_suffix = exp.len().min(act.len()) - prefix;
    let suffix = exp
        .iter()
        .rev()
        .zip(act.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let (n, m) = (exp.len() - prefix - suffix, act.len() - prefix - suffix);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    if n.saturating_mul(m) <= 4_000_000 {
        // lcs[i * (m + 1) + j] = length of the LCS of exp_mid[i..] and act_mid[j..].
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if exp[prefix + i] == act[prefix + j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && exp[prefix + i] == act[prefix + j] {
                ops.push(Op::Same(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if j == m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(Op::Del(prefix + i));
                i += 1;
            } else {
                ops.push(Op::Add(prefix + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..n).map(|i| Op::Del(prefix + i)));
        ops.extend((0..m).map(|j| Op::Add(prefix + j)));
    }
    let (e0, a0) = (exp.len() - suffix, act.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Same(e0 + k, a0 + k)));
    ops
}

/// A compact unified diff of two outputs: hunks with a little context, cut after
/// `MAX_DIFF_LINES` changed lines.
fn diff(label: &str, expected: &[u8], actual: &[u8]) -> String {
    let exp = split_lines(expected);
    let act = split_lines(actual);
    let ops = edit_script(&exp, &act);
    // Line numbers (0-based) in expected and actual before each op.
    let mut pos = Vec::with_capacity(ops.len() + 1);
    let (mut e, mut a) = (0usize, 0usize);
    for op in &ops {
        pos.push((e, a));
        match op {
            Op::Same(..) => {
                e += 1;
                a += 1;
            }
            Op::Del(_) => e += 1,
            Op::Add(_) => a += 1,
        }
    }
    pos.push((e, a));
    let changes: Vec<usize> = (0..ops.len())
        .filter(|&k| !matches!(ops[k], Op::Same(..)))
        .collect();

    let mut out = String::new();
    let first = changes.first().map(|&k| pos[k].0 + 1).unwrap_or(1);
    let _ = writeln!(
        out,
        "  {label} differs (expected {} line(s), {} byte(s); got {} line(s), {} byte(s)); first difference at line {first}:",
        exp.len(),
        expected.len(),
        act.len(),
        actual.len(),
    );
    let mut shown_changes = 0usize;
    let mut c = 0usize;
    while c < changes.len() {
        // Group changes whose contexts touch into one hunk.
        let mut last = c;
        while last + 1 < changes.len() && changes[last + 1] - changes[last] <= 2 * CONTEXT + 1 {
            last += 1;
        }
        let start = changes[c].saturating_sub(CONTEXT);
        let end = (changes[last] + CONTEXT + 1).min(ops.len());
        let (es, as_) = pos[start];
        let (ee, ae) = pos[end];
        let _ = writeln!(
            out,
            "    @@ -{},{} +{},{} @@",
            es + 1,
            ee - es,
            as_ + 1,
            ae - as_
        );
        for op in &ops[start..end] {
            match *op {
                Op::Same(i, _) => {
                    let _ = writeln!(out, "     {}", show_line(exp[i]));
                }
                Op::Del(i) => {
                    let _ = writeln!(out, "    -{}", show_line(exp[i]));
                    shown_changes += 1;
                }
                Op::Add(j) => {
                    let _ = writeln!(out, "    +{}", show_line(act[j]));
                    shown_changes += 1;
                }
            }
            if shown_changes >= MAX_DIFF_LINES {
                break;
            }
        }
        c = last + 1;
        if shown_changes >= MAX_DIFF_LINES {
            let left = changes.len() - changes.iter().take_while(|&&k| k < start).count();
            if c < changes.len() || left > shown_changes {
                let _ = writeln!(
                    out,
                    "    ... more differences not shown ({} changed line(s) in all)",
                    changes.len()
                );
            }
            break;
        }
    }
    out
}

#[test]
fn harness_helpers() {
    let skip = parse_skip("# comment\ncurrent_frames  # issue 4: threads\n\n  generators.py\n#x\n");
    assert_eq!(
        skip.into_iter().collect::<Vec<_>>(),
        vec!["current_frames", "generators"]
    );
    assert_eq!(
        replace_all(b"a{DIR}/b {DIR}", b"{DIR}", b"/x"),
        b"a/x/b /x".to_vec()
    );
    let d = diff("stdout", b"a\nb\nc\nd\n", b"a\nB\nc\nd\n");
    assert!(d.contains("first difference at line 2"), "{d}");
    assert!(d.contains("    -b\n") && d.contains("    +B\n"), "{d}");
    let d = diff("stdout", b"a\n", b"a");
    assert!(d.contains("[no newline at end]"), "{d}");
    let d = diff("stderr", b"", b"boom\n");
    assert!(d.contains("    +boom\n"), "{d}");
    let d = diff(
        "stdout",
        b"1\n2\n3\n4\n5\n6\n7\n8\n9\n",
        b"1\nX\n3\n4\n5\n6\n7\n8\nY\n9\n",
    );
    assert!(
        d.contains("@@ -1,4 +1,4 @@\n     1\n    -2\n    +X\n     3\n     4\n"),
        "{d}"
    );
    assert!(
        d.contains("@@ -7,3 +7,4 @@\n     7\n     8\n    +Y\n     9\n"),
        "{d}"
    );
    let ops = edit_script(&split_lines(b"a\nb\n"), &split_lines(b"b\nc\n"));
    assert_eq!(ops, vec![Op::Del(0), Op::Same(1, 0), Op::Add(1)]);
}
