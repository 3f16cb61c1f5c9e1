//! Whole-exception tests against CPython 3.13: each case rebuilds, without an interpreter, the
//! exceptions and lazy tracebacks a program raised under CPython (code positions from
//! `co_positions`, chaining links) and compares `traceback.format_exception`'s text.

use super::exception::{format_exception, Limit};
use super::format::{collapse, format_code_frame, CodeKey};
use crate::code::{CodeFlags, CodeObject, Position, Source, NO_COL};
use crate::frame::{add_traceback_entry, Back};
use crate::object::exc::new_exception;
use crate::object::{ExcKind, PyErr, Value};
use crate::thread::ThreadState;
use std::sync::Arc;

#[rustfmt::skip]
#[path = "testdata/chain_cases.rs"]
mod chain_cases;

/// An exception argument.
#[allow(dead_code)]
pub(super) enum Arg {
    Str(&'static str),
    Int(i64),
    None,
    Tuple(&'static [Arg]),
}

/// One exception of a case: its traceback as run-length (code, position, repeat) entries, and
/// its links by index.
pub(super) struct Exc {
    pub kind: &'static str,
    pub args: &'static [Arg],
    pub tb: &'static [(usize, usize, usize)],
    pub cause: Option<usize>,
    pub context: Option<usize>,
    pub suppress: bool,
}

/// One `format_exception(e, limit=..., chain=...)` call and CPython's answer.
pub(super) struct Run {
    pub limit: Option<i64>,
    pub chain: bool,
    pub expected: &'static str,
}

type Pos = (Option<u32>, Option<u32>, Option<u32>, Option<u32>);

/// A program, what it raised (the first exception is the one printed), and its code objects:
/// (name, the positions its traceback entries use).
pub(super) struct ChainCase {
    pub name: &'static str,
    pub filename: &'static str,
    pub source: &'static str,
    pub codes: &'static [(&'static str, &'static [Pos])],
    pub excs: &'static [Exc],
    pub runs: &'static [Run],
}

fn code(name: &str, filename: &str, source: &Arc<Source>, positions: &[Pos]) -> Arc<CodeObject> {
    Arc::new(CodeObject {
        handle: Default::default(),
        tier: Default::default(),
        resumes: Default::default(),
        name_caches: Default::default(),
        attr_caches: Default::default(),
        leaf: Default::default(),
        window_starts: Default::default(),
        name: name.into(),
        qualname: name.into(),
        filename: filename.into(),
        first_line: 1,
        flags: if name == "<module>" {
            CodeFlags::MODULE
        } else {
            CodeFlags::empty()
        },
        argcount: 0,
        varnames: Vec::new(),
        names: Vec::new(),
        consts: Vec::new(),
        instrs: Vec::new(),
        positions: positions
            .iter()
            .map(|&(l, el, c, ec)| Position {
                line: l.unwrap_or(0),
                end_line: el.unwrap_or(0),
                col: c.unwrap_or(NO_COL),
                end_col: ec.unwrap_or(NO_COL),
            })
            .collect(),
        exc_table: Vec::new(),
        max_stack: 0,
        source: source.clone(),
    })
}

fn arg(a: &Arg) -> Value {
    match a {
        Arg::Str(s) => Value::str(s),
        Arg::Int(i) => Value::int(*i),
        Arg::None => Value::NONE,
        Arg::Tuple(items) => Value::tuple(items.iter().map(arg).collect()),
    }
}

/// Rebuilds a case's exceptions; the first is the root.
fn build(case: &ChainCase) -> Vec<Value> {
    let source = Arc::new(Source::new(case.filename, case.source.to_string()));
    let codes: Vec<Arc<CodeObject>> = case
        .codes
        .iter()
        .map(|(name, positions)| code(name, case.filename, &source, positions))
        .collect();
    let excs: Vec<Value> = case
        .excs
        .iter()
        .map(|e| {
            let kind = ExcKind::from_name(e.kind).expect("a builtin exception");
            new_exception(kind, e.args.iter().map(arg).collect())
        })
        .collect();
    for (spec, value) in case.excs.iter().zip(&excs) {
        let err = PyErr::from_value(value.clone());
        // Entries are recorded innermost first as an exception unwinds outwards.
        for &(ci, pc, repeat) in spec.tb.iter().rev() {
            for _ in 0..repeat {
                add_traceback_entry(&err, Back::None, &codes[ci], pc);
            }
        }
        let x = value.as_exception().unwrap();
        let mut st = x.state.lock();
        st.cause = spec.cause.map_or(Value::NONE, |i| excs[i].clone());
        st.context = spec.context.map_or(Value::NONE, |i| excs[i].clone());
        x.set_suppress_context(&mut st, spec.suppress);
    }
    excs
}

/// Runs `f` on a thread with a large stack: dropping a 20000-entry traceback chain recurses.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn chains_match_cpython() {
    with_big_stack(|| {
        let mut ts = ThreadState::new();
        let mut failures = Vec::new();
        for case in chain_cases::CASES {
            let excs = build(case);
            let root = &excs[0];
            let tb = root.as_exception().unwrap().state.lock().traceback.clone();
            for run in case.runs {
                let limit = run.limit.map_or(Limit::Default, Limit::Given);
                let got = format_exception(&mut ts, root, &tb, limit, run.chain, false).concat();
                if got != run.expected {
                    failures.push(format!(
                        "case {} (limit {:?}, chain {}):\n--- expected\n{}--- got\n{}",
                        case.name, run.limit, run.chain, run.expected, got
                    ));
                }
            }
            // Break the cycles so the test does not leak.
            for e in &excs {
                let mut st = e.as_exception().unwrap().state.lock();
                st.cause = Value::NONE;
                st.context = Value::NONE;
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}

#[test]
fn format_exception_of_none() {
    let mut ts = ThreadState::new();
    let lines = format_exception(
        &mut ts,
        &Value::NONE,
        &Value::NONE,
        Limit::Default,
        true,
        false,
    );
    assert_eq!(lines, vec!["NoneType: None\n".to_string()]);
}

/// A million identical entries collapse to three plus a summary line, in linear time, and
/// each distinct entry is formatted (its statement re-parsed) at most once.
#[test]
fn a_million_entries_collapse_quickly() {
    let src = "def f(n):\n    return f(n - 1)\n\nf(10)\n";
    let source = Arc::new(Source::new("/t/deep.py", src.to_string()));
    let module = code(
        "<module>",
        "/t/deep.py",
        &source,
        &[(Some(4), Some(4), Some(0), Some(5))],
    );
    let f = code(
        "f",
        "/t/deep.py",
        &source,
        &[(Some(2), Some(2), Some(11), Some(19))],
    );
    let entries: Vec<(&Arc<CodeObject>, usize)> = std::iter::once((&module, 0))
        .chain(std::iter::repeat_n((&f, 0), 1_000_000))
        .collect();
    let start = std::time::Instant::now();
    let mut formatted = 0;
    let out = collapse(
        entries.iter(),
        |(c, pc)| CodeKey::of(c, *pc),
        |(c, pc)| {
            formatted += 1;
            format_code_frame(c, *pc, true, false)
        },
    );
    let elapsed = start.elapsed();
    assert_eq!(formatted, 4);
    assert_eq!(out.len(), 5);
    assert_eq!(
        out[0],
        "  File \"/t/deep.py\", line 4, in <module>\n    f(10)\n    ~^^^^\n"
    );
    assert_eq!(
        out[1],
        "  File \"/t/deep.py\", line 2, in f\n    return f(n - 1)\n"
    );
    assert_eq!(out[4], "  [Previous line repeated 999997 more times]\n");
    assert!(elapsed.as_secs() < 2, "took {elapsed:?}");
}
