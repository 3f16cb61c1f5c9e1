//! Exception handling in compiled code, and the instructions compiled with it: every function of
//! `exc_src.py` runs once in the interpreter and once compiled, and both runs must agree on the
//! result or the exception (its repr, traceback entries, `__context__`, `__cause__`), on
//! `sys.exception()` afterwards and on what the function logged. Reference counts are checked
//! on compiled runs; hand-built code objects check what source cannot reach (`lasti` values,
//! the analysis of exception edges, refusals).

use super::*;
use crate::code::ExcEntry;
use crate::object::ops;
use crate::stdlib;

const SRC: &str = include_str!("exc_src.py");

/// The globals of `exc_src.py` after the interpreter ran it, with the test builtins added.
fn module() -> Value {
    stdlib::init();
    let code = crate::compile::compile_module(SRC, "exc_src.py").expect("compiles");
    let globals = Value::dict();
    stdlib::dict_set(&globals, "__name__", Value::str("exc_src"));
    stdlib::dict_set(&globals, "call_jit", builtin("call_jit", call_jit));
    let mut ts = ThreadState::new();
    crate::interp::run_module(&mut ts, code, globals.clone()).expect("module runs");
    globals
}

/// Runs `f(*args)` compiled (the one place that knows the JIT's entry points).
fn run_jit(ts: &mut ThreadState, f: &Value, args: &[Value]) -> PyResult<Value> {
    let code = f.as_function().expect("a function").code.clone();
    let jit = compile(&code).unwrap_or_else(|e| panic!("{}: {e}", code.qualname));
    // SAFETY: `ts` is this thread's state, `f` a function of this code; `jit` outlives the call.
    unsafe { jit.invoke(ts, f, args, &[]) }
}

/// `call_jit(f, *args)`: runs `f` compiled, through the entry trampoline, so each call is a new
/// JIT segment under a native frame (also when the caller is interpreted).
fn call_jit(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    run_jit(ts, &args[0], &args[1..])
}

fn get(g: &Value, name: &str) -> Value {
    stdlib::dict_get(g, name).unwrap_or_else(|| panic!("no global {name}"))
}

/// Breaks the function <-> globals cycles of a module.
fn release(g: Value) {
    g.as_dict().unwrap().lock().clear();
}

fn repr(ts: &mut ThreadState, v: &Value) -> String {
    ops::repr(ts, v).unwrap_or_else(|e| format!("<repr failed: {:?}>", e.kind()))
}

/// An exception as both runs must agree on it. Traceback entries are (code, instruction):
/// frame identities belong to different activations in the two runs, so they are not compared
/// here (the conformance programs compare what `tb_frame` answers).
fn describe(ts: &mut ThreadState, e: &Value) -> String {
    let Some(x) = e.as_exception() else {
        return repr(ts, e);
    };
    let (tb, ctx, cause, suppress) = {
        let st = x.state.lock();
        let (tb, ctx, cause) = (st.traceback.clone(), st.context.clone(), st.cause.clone());
        (tb, ctx, cause, x.suppress_context())
    };
    let entries: Vec<String> = Traceback::chain(&tb)
        .iter()
        .map(|t| {
            let t = t.downcast::<Traceback>().unwrap();
            format!("{}@{}", t.code().name, t.pc())
        })
        .collect();
    format!(
        "{} tb={entries:?} context=[{}] cause=[{}] suppress={suppress}",
        repr(ts, e),
        describe(ts, &ctx),
        describe(ts, &cause),
    )
}

fn outcome(ts: &mut ThreadState, g: &Value, r: PyResult<Value>) -> String {
    let r = match r {
        Ok(v) => format!("ok {}", repr(ts, &v)),
        Err(e) => format!("err {}", describe(ts, e.value())),
    };
    let handled = ts.exc_info.clone();
    let log = get(g, "log");
    let s = format!(
        "{r}\n  sys.exception() = {}\n  log = {}",
        describe(ts, &handled),
        repr(ts, &log)
    );
    log.as_list().unwrap().lock().clear();
    s
}

/// Runs `name(*args)` interpreted, then compiled, with `handled` as the exception being
/// handled; asserts they agree and returns the outcome.
fn compare_handling(g: &Value, name: &str, args: &[Value], handled: &Value) -> String {
    let f = get(g, name);
    get(g, "log").as_list().unwrap().lock().clear();
    let mut ts = ThreadState::new();
    ts.exc_info = handled.clone();
    let r = crate::interp::call(&mut ts, &f, args, &[]);
    let want = outcome(&mut ts, g, r);

    let mut ts = ThreadState::new();
    ts.exc_info = handled.clone();
    let r = run_jit(&mut ts, &f, args);
    assert!(ts.shadow_top.is_null(), "{name}: shadow frame popped");
    assert_eq!(ts.depth(), 0, "{name}: depth restored");
    // SAFETY: read of our own thread's JIT state.
    let st = unsafe { &*state::of(&ts) };
    assert_eq!(
        (st.last_pc, st.last_fp, st.entry_fp, st.pending),
        (0, 0, 0, 0),
        "{name}: JIT state clean"
    );
    let got = outcome(&mut ts, g, r);
    assert_eq!(got, want, "{name}{args:?}: JIT vs interpreter");
    got
}

fn compare(g: &Value, name: &str, args: &[Value]) -> String {
    compare_handling(g, name, args, &Value::NONE)
}

fn s(v: &str) -> Value {
    Value::str(v)
}

#[test]
fn try_except_finally_agree_with_the_interpreter() {
    let g = module();
    for x in [0, 5] {
        compare(&g, "catch_simple", &[int(x)]);
        compare(&g, "finally_runs", &[int(x)]);
        compare(&g, "nested", &[int(x)]);
        compare(&g, "reraise_in_finally", &[int(x)]);
        compare(&g, "return_in_finally", &[int(x)]);
    }
    let r = compare(&g, "catch_simple", &[int(0)]);
    assert!(r.starts_with("ok ('caught', 'integer division or modulo by zero', True, ["));
    let r = compare(&g, "finally_runs", &[int(1)]);
    assert!(r.starts_with("err KeyError(1) tb=[\"finally_runs@"), "{r}");
    compare(&g, "nested", &[s("x")]); // TypeError: nothing matches, both finally blocks run
    for name in [
        "context_chain",
        "context_uncaught",
        "cause_chain",
        "exc_info_nesting",
    ] {
        compare(&g, name, &[]);
    }
    for x in [0, 2] {
        compare(&g, "else_finally", &[int(x)]);
        compare(&g, "raise_in_finally", &[int(x)]);
        compare(&g, "assert_caught", &[int(x)]);
    }
    let r = compare(&g, "raise_in_finally", &[int(1)]);
    assert!(r.contains("context=[KeyError(1)"), "{r}");
    compare(&g, "bad_except_name", &[]);
    let r = compare(&g, "as_name_unbound", &[]);
    assert!(r.starts_with("err UnboundLocalError("), "{r}");
    let r = compare(&g, "context_uncaught", &[]);
    assert!(r.contains("context=[KeyError('missing')"), "{r}");
    release(g);
}

#[test]
fn except_clauses_match_like_the_interpreter() {
    let g = module();
    compare(&g, "match_tuple", &[int(1)]);
    let r = compare(&g, "no_match", &[int(1)]);
    // The unmatched KeyError is re-raised without a second entry for the frame.
    assert_eq!(r.matches("no_match@").count(), 1, "{r}");
    let r = compare(&g, "bad_clause", &[]);
    assert!(r.starts_with("err TypeError('catching classes"), "{r}");
    release(g);
}

#[test]
fn bare_raise_and_reraise_add_no_traceback_entry() {
    let g = module();
    let r = compare(&g, "bare_raise", &[int(0)]);
    assert_eq!(r.matches("bare_raise@").count(), 1, "{r}");
    compare(&g, "bare_raise", &[int(2)]);
    let r = compare(&g, "bare_raise_no_active", &[]);
    assert!(r.starts_with("err RuntimeError('No active exception to reraise')"));
    // A bare raise with an exception being handled re-raises it, untouched.
    let handled = PyErr::new(ExcKind::KeyError, "outer").into_value();
    let r = compare_handling(&g, "bare_raise_no_active", &[], &handled);
    assert!(r.starts_with("err KeyError('outer') tb=[]"), "{r}");
    // A fresh error while one is handled gets it as __context__.
    let r = compare_handling(&g, "raiser", &[], &handled);
    assert!(r.contains("context=[KeyError('outer')"), "{r}");
    release(g);
}

#[test]
fn handlers_inside_loops_break_and_continue() {
    let g = module();
    let items = || Value::list(vec![int(1), int(0), int(2), int(0)]);
    let r = compare(&g, "loop_try", &[items()]);
    assert!(r.starts_with("ok 2019"), "{r}");
    compare(&g, "loop_try", &[Value::list(vec![int(1), s("x")])]);
    compare(&g, "break_in_except", &[items()]);
    release(g);
}

#[test]
fn exceptions_caught_after_several_calls() {
    let g = module();
    for n in [0, 1, 3] {
        let r = compare(&g, "through_calls", &[int(n)]);
        // One entry per JIT activation the exception left, plus the catching one.
        let lines = r
            .split_once("'deep', [")
            .unwrap()
            .1
            .split(']')
            .next()
            .unwrap();
        assert_eq!(lines.split(", ").count(), n as usize + 2, "{r}");
        compare(&g, "through_calls_uncaught", &[int(n)]);
    }
    let r = compare(&g, "through_calls_uncaught", &[int(2)]);
    assert_eq!(r.matches("level@").count(), 3, "{r}");
    compare(&g, "through_builtin", &[s("x")]);
    compare(&g, "through_builtin", &[s("12")]);
    // outer (JIT) -> call_jit (native) -> raise_with (JIT).
    let r = compare(&g, "outer_jit", &[s("v")]);
    assert!(r.starts_with("ok ('caught', 'v', ["), "{r}");
    let r = compare(&g, "outer_jit_uncaught", &[s("w")]);
    assert!(r.contains("tb=[\"outer_jit_uncaught@"), "{r}");
    assert!(r.contains("raise_with@"), "{r}");
    release(g);
}

/// A module standing in for a context manager (`with` looks `__enter__`/`__exit__` up as
/// attributes, and a module's attributes are its dict).
fn manager(g: &Value, exit: &str) -> Value {
    stdlib::new_module(
        "cm",
        vec![("__enter__", get(g, "enter")), ("__exit__", get(g, exit))],
    )
}

#[test]
fn with_statements_agree_with_the_interpreter() {
    let g = module();
    for exit in ["exit_true", "exit_false"] {
        for name in ["with_ok", "with_return", "with_suppress", "with_propagate"] {
            compare(&g, name, &[manager(&g, exit)]);
        }
        compare(
            &g,
            "with_nested",
            &[manager(&g, exit), manager(&g, "exit_false")],
        );
    }
    for exit in ["exit_true", "exit_false"] {
        compare(&g, "loop_with", &[manager(&g, exit), int(5)]);
    }
    let r = compare(&g, "with_suppress", &[manager(&g, "exit_true")]);
    assert!(r.starts_with("ok ('suppressed', None)"), "{r}");
    let r = compare(&g, "with_propagate", &[manager(&g, "exit_false")]);
    assert!(r.starts_with("err KeyError('p')"), "{r}");
    // A manager without __exit__ fails in BeforeWith.
    let bad = stdlib::new_module("bad", vec![]);
    compare(&g, "with_ok", &[bad]);
    release(g);
}

#[test]
fn builds_formats_comprehensions_functions_and_imports() {
    let g = module();
    let r = compare(&g, "builders", &[int(1), int(3)]);
    assert!(r.contains(r#"1-3-    1-3-'\\xe9'"#), "{r}");
    compare(&g, "builders", &[s("a"), s("b")]); // slicing with strs fails
    compare(&g, "bad_format", &[int(3)]);
    compare(&g, "bad_key", &[Value::list(vec![])]);
    compare(&g, "comps", &[int(6)]);
    compare(&g, "comp_error", &[Value::list(vec![int(1), int(0)])]);
    compare(&g, "comp_caught", &[Value::list(vec![int(1), int(0)])]);
    compare(&g, "comp_caught", &[Value::list(vec![int(1), int(2)])]);
    let r = compare(&g, "make_fn", &[int(10)]);
    assert!(r.starts_with("ok (11, 3, 5, 'inner')"), "{r}");
    compare(&g, "imports", &[]);
    compare(&g, "import_missing", &[]);
    let r = compare(&g, "del_global", &[]);
    assert!(r.starts_with("ok \"name 'gtemp' is not defined\""), "{r}");
    compare(&g, "del_global_missing", &[]);
    release(g);
}

/// Drops `e`'s traceback: its entries' records of ended activations hold their final locals
/// (as CPython's frames do), which would keep the very objects a test counts alive.
fn clear_traceback(e: &Value) {
    let tb = std::mem::take(&mut e.as_exception().unwrap().state.lock().traceback);
    drop(tb);
}

#[test]
fn unwinding_to_a_handler_balances_reference_counts() {
    let g = module();
    let lst = Value::list(vec![int(1)]);
    let mut ts = ThreadState::new();
    for x in [0, 1, 7] {
        let r = run_jit(&mut ts, &get(&g, "deep_stack"), &[lst.clone(), int(x)]).unwrap();
        drop(r);
        assert_eq!(
            lst.ref_count(),
            1,
            "deep_stack(lst, {x}) released every copy"
        );
    }
    // A raised argument: caught, then uncaught through a finally.
    let e = PyErr::new(ExcKind::ValueError, "arg").into_value();
    let r = run_jit(&mut ts, &get(&g, "raise_arg"), std::slice::from_ref(&e)).unwrap();
    assert_eq!(r.as_bool(), Some(true));
    assert!(ts.exc_info.is_none());
    clear_traceback(&e);
    assert_eq!(
        e.ref_count(),
        1,
        "handler, exc_info and stack copies released"
    );
    let f = get(&g, "raise_arg_uncaught");
    let err = run_jit(&mut ts, &f, &[e.clone(), lst.clone()]).unwrap_err();
    assert!(err.value().is(&e));
    drop(err);
    clear_traceback(&e);
    assert_eq!((e.ref_count(), lst.ref_count()), (1, 1));
    assert_eq!(
        lst.as_list().unwrap().lock().len(),
        2,
        "the finally body ran"
    );
    release(g);
}

// ---------------------------------------------------------------------------------------------
// Hand-built code objects.

fn with_table(mut c: Arc<CodeObject>, table: Vec<ExcEntry>) -> Arc<CodeObject> {
    Arc::get_mut(&mut c).unwrap().exc_table = table;
    c
}

fn entry(start: u32, end: u32, target: u32, depth: u32, lasti: bool) -> ExcEntry {
    ExcEntry {
        start,
        end,
        target,
        depth,
        lasti,
    }
}

/// Runs hand-built code interpreted and compiled; both must agree.
fn both(c: &Arc<CodeObject>, args: &[Value]) -> String {
    let f = function(c, Value::dict());
    let mut ts = ThreadState::new();
    let r = crate::interp::call(&mut ts, &f, args, &[]);
    let want = match r {
        Ok(v) => format!("ok {}", repr(&mut ts, &v)),
        Err(e) => format!("err {}", describe(&mut ts, e.value())),
    };
    let got = match run(c, args) {
        Ok(v) => format!("ok {}", repr(&mut ts, &v)),
        Err(e) => format!("err {}", describe(&mut ts, e.value())),
    };
    assert_eq!(got, want);
    got
}

#[test]
fn lasti_handlers_push_the_failing_instruction() {
    // 0-2: 1 // x covered by a lasti handler at 4 that returns the pushed index.
    let c = code(
        "lasti",
        1,
        &["x"],
        vec![int(1)],
        &[],
        vec![
            LoadConst(0),
            LoadFast(0),
            BinaryOp(BinOp::FloorDiv),
            ReturnValue,
            PopTop, // 4: [lasti, exc]
            ReturnValue,
        ],
    );
    let c = with_table(c, vec![entry(0, 4, 4, 0, true)]);
    assert_eq!(both(&c, &[int(0)]), "ok 2");
    assert_eq!(both(&c, &[int(1)]), "ok 1");
    let relasti = |table: Vec<ExcEntry>| {
        let c = code(
            "relasti",
            1,
            &["x"],
            vec![int(1)],
            &[],
            vec![
                LoadConst(0),
                LoadFast(0),
                BinaryOp(BinOp::FloorDiv),
                ReturnValue,
                Nop,        // 4: [lasti, exc]
                Reraise(1), // 5
                PopTop,     // 6: [lasti', exc]
                ReturnValue,
            ],
        );
        with_table(c, table)
    };
    // Reraise 1 restores the index: an enclosing lasti handler sees 2 again, not 5.
    let c = relasti(vec![entry(0, 4, 4, 0, true), entry(4, 6, 6, 0, true)]);
    assert_eq!(both(&c, &[int(0)]), "ok 2");
    // Uncovered, the re-raise leaves with the one entry the first failure recorded.
    let c = relasti(vec![entry(0, 4, 4, 0, true)]);
    let r = both(&c, &[int(0)]);
    assert!(r.contains(r#"tb=["relasti@2"]"#), "{r}");
}

#[test]
fn analysis_follows_exception_edges() {
    let edges = |table: Vec<ExcEntry>| {
        let c = code(
            "edges",
            1,
            &["x"],
            vec![int(1)],
            &[],
            vec![
                LoadConst(0),
                LoadConst(0),
                LoadFast(0),
                BinaryOp(BinOp::FloorDiv),
                ReturnValue,
                PopTop, // 5: [1, lasti, exc]
                ReturnValue,
            ],
        );
        with_table(c, table)
    };
    let c = edges(vec![entry(2, 4, 5, 1, true)]);
    let an = crate::jit::analysis::analyze(&c).unwrap();
    assert_eq!(an.depth[5], Some(3), "depth 1 + lasti + exc");
    assert!(an.is_target[5]);
    assert_eq!(an.max_depth, 3);
    assert_eq!(both(&c, &[int(0)]), "ok 3");
    // A handler deeper than the stack it protects, a target reached at two depths (the
    // ReturnValue at 4 falls in at depth 2 and is the handler at depth 1), and an entry outside
    // the code are refused.
    for table in [
        vec![entry(0, 4, 5, 1, true)],
        vec![entry(2, 4, 4, 0, false)],
        vec![entry(2, 9, 5, 1, true)],
        vec![entry(2, 4, 7, 1, true)],
    ] {
        let why = format!("{table:?}");
        assert!(
            matches!(compile(&edges(table)), Err(Unsupported::Code(_))),
            "{why}"
        );
    }
}

/// The baseline compiler takes every instruction: every function of the conformance programs
/// compiles (module code and generators stay interpreted by design).
#[test]
fn every_conformance_function_compiles() {
    fn walk(c: &Arc<CodeObject>, refused: &mut Vec<String>, n: &mut usize) {
        let by_design = CodeFlags::MODULE | CodeFlags::GENERATOR | CodeFlags::COROUTINE;
        if !c.flags.intersects(by_design) {
            *n += 1;
            if let Err(e) = compile(c) {
                refused.push(format!("{} ({}): {e}", c.qualname, c.filename));
            }
        }
        for k in c.consts.iter().filter_map(|v| v.as_code()) {
            walk(k, refused, n);
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let (mut refused, mut n) = (Vec::new(), 0);
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "py") {
            // Programs that test SyntaxErrors (non-UTF-8 ones included) do not compile at all.
            let Ok(src) = std::fs::read_to_string(&p) else {
                continue;
            };
            if let Ok(c) = crate::compile::compile_module(&src, &p.to_string_lossy()) {
                walk(&c, &mut refused, &mut n);
            }
        }
    }
    assert!(n > 100, "only {n} functions found");
    assert!(refused.is_empty(), "{refused:#?}");
}
