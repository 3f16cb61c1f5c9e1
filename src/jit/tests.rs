//! Tests of the baseline JIT on hand-built code objects: results, reference counts, errors,
//! the shadow stack and the debug map as seen from inside runtime calls.

use super::debug_map::SiteKind;
use super::state;
use super::walk::{Activation, JitStackWalk};
use super::{compile, JitCode, Unsupported};
use crate::code::{BinOp, CmpOp, CodeFlags, CodeObject, Instr, Position, Source};
use crate::frame::Traceback;
use crate::object::{Builtin, ExcKind, Function, HashKey, KwArgs, Object, PyErr, PyResult, Value};
use crate::shadow::{Kind, Tag};
use crate::thread::ThreadState;
use num_bigint::BigInt;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, AtomicUsize};
use std::sync::Arc;

use Instr::*;

// Exception handling and the instructions compiled with it.
mod exc;
// Compiled generator frames.
mod gen;
// The shadow stack and the debug map seen from inside runtime calls, and the epilogue's
// hand-off.
mod stack;

fn code(
    name: &str,
    argcount: u32,
    varnames: &[&str],
    consts: Vec<Value>,
    names: &[&str],
    instrs: Vec<Instr>,
) -> Arc<CodeObject> {
    let positions = (0..instrs.len())
        .map(|i| Position {
            line: 10 + i as u32,
            end_line: 10 + i as u32,
            col: 0,
            end_col: 1,
        })
        .collect();
    let names: Vec<Value> = names.iter().map(|s| Value::str(s)).collect();
    Arc::new(CodeObject {
        handle: Default::default(),
        tier: Default::default(),
        resumes: Default::default(),
        name_caches: CodeObject::caches_for(&names),
        attr_caches: Default::default(),
        leaf: Default::default(),
        window_starts: Default::default(),
        name: name.into(),
        qualname: name.into(),
        filename: "<jit-test>".into(),
        first_line: 1,
        flags: CodeFlags::empty(),
        argcount,
        varnames: varnames.iter().map(|s| Arc::from(*s)).collect(),
        names,
        consts,
        instrs,
        positions,
        exc_table: vec![],
        max_stack: 16,
        source: Arc::new(Source::new("<jit-test>", String::new())),
    })
}

fn function(code: &Arc<CodeObject>, globals: Value) -> Value {
    Value::from_object(Object::Function(Function {
        code: code.clone(),
        globals,
        defaults: Box::new([]),
        names: Box::new(crate::object::FunctionNames {
            name: Value::str(&code.name),
            qualname: Value::str(&code.qualname),
            module: Value::str("__main__"),
        }),
        calls: AtomicU32::new(0),
        jit_entry: AtomicUsize::new(0),
    }))
}

fn builtin(name: &'static str, func: crate::object::NativeFn) -> Value {
    Value::from_object(Object::Builtin(Builtin {
        name,
        func,
        bound: None,
        owner: "test",
    }))
}

fn set_global(globals: &Value, name: &str, v: Value) {
    let key = HashKey::new(Value::str(name)).unwrap();
    globals.as_dict().unwrap().lock().insert(key, v);
}

/// Compiles and runs `code(*args)` on a fresh thread state; checks the stack is left empty.
fn run_with(code: &Arc<CodeObject>, globals: Value, args: &[Value]) -> PyResult<Value> {
    let jit = compile(code).expect("compiles");
    let f = function(code, globals);
    let mut ts = ThreadState::new();
    // SAFETY: our own thread state; the function is of this code.
    let r = unsafe { jit.invoke(&mut ts, &f, args, &[]) };
    assert!(ts.shadow_top.is_null(), "shadow frame popped");
    assert_eq!(ts.depth(), 0, "depth restored");
    // SAFETY: read of our own thread's JIT state.
    let st = unsafe { &*state::of(&ts) };
    assert_eq!(
        (st.last_pc, st.last_fp, st.entry_fp, st.pending),
        (0, 0, 0, 0)
    );
    r
}

fn run(code: &Arc<CodeObject>, args: &[Value]) -> PyResult<Value> {
    run_with(code, Value::dict(), args)
}

fn int(i: i64) -> Value {
    Value::int(i)
}

fn big(v: &Value) -> BigInt {
    if let Some(i) = v.as_small() {
        return BigInt::from(i);
    }
    match v.obj() {
        Some(Object::Int(b)) => b.clone(),
        _ => panic!("not an int: {v:?}"),
    }
}

/// `def f(n): s = 0; i = 0; while i < n: s = s + i; i = i + 1; return s`
fn sum_loop() -> Arc<CodeObject> {
    code(
        "sum_to",
        1,
        &["n", "s", "i"],
        vec![int(0), int(1)],
        &[],
        vec![
            LoadConst(0),
            StoreFast(1),
            LoadConst(0),
            StoreFast(2),
            LoadFast(2), // 4: loop head
            LoadFast(0),
            Compare(CmpOp::Lt),
            PopJumpIfFalse(17),
            LoadFast(1),
            LoadFast(2),
            BinaryOp(BinOp::Add),
            StoreFast(1),
            LoadFast(2),
            LoadConst(1),
            InplaceOp(BinOp::Add),
            StoreFast(2),
            Jump(4),
            LoadFast(1), // 17
            ReturnValue,
        ],
    )
}

#[test]
fn loop_sums_one_to_n() {
    let c = sum_loop();
    for n in [0i64, 1, 2, 10, 100, 1_000_000] {
        let r = run(&c, &[int(n)]).unwrap();
        assert_eq!(r.as_small(), Some(n * (n - 1) / 2), "sum_to({n})");
    }
}

#[test]
fn loop_with_big_bound_takes_the_slow_compare() {
    // `i < n` with a big n: the compare guard fails on every iteration until the loop ends, so
    // the fused compare-and-branch runs its helper path; keep the loop short.
    let c = code(
        "count",
        2,
        &["start", "n", "k"],
        vec![int(0), int(1)],
        &[],
        vec![
            LoadConst(0),
            StoreFast(2),
            LoadFast(0), // 2
            LoadFast(1),
            Compare(CmpOp::Lt),
            PopJumpIfFalse(16),
            LoadFast(0),
            LoadConst(1),
            BinaryOp(BinOp::Add),
            StoreFast(0),
            LoadFast(2),
            LoadConst(1),
            BinaryOp(BinOp::Add),
            StoreFast(2),
            Jump(2),
            Nop,
            LoadFast(2), // 16
            ReturnValue,
        ],
    );
    let limit = BigInt::from(1u64 << 62) + 3;
    let start = Value::from_object(Object::Int(BigInt::from(1u64 << 62)));
    let n = Value::from_object(Object::Int(limit));
    let r = run(&c, &[start, n]).unwrap();
    assert_eq!(r.as_small(), Some(3));
}

/// `def g(n): return n * 2 + 1`
fn times_two_plus_one() -> Arc<CodeObject> {
    code(
        "g",
        1,
        &["n"],
        vec![int(2), int(1)],
        &[],
        vec![
            LoadFast(0),
            LoadConst(0),
            BinaryOp(BinOp::Mul),
            LoadConst(1),
            BinaryOp(BinOp::Add),
            ReturnValue,
        ],
    )
}

#[test]
fn small_int_arithmetic_overflows_into_bigints() {
    let c = times_two_plus_one();
    assert_eq!(run(&c, &[int(5)]).unwrap().as_small(), Some(11));
    assert_eq!(run(&c, &[int(-7)]).unwrap().as_small(), Some(-13));
    // n * 2 leaves the small range (SMALL_MAX = 2**62 - 1): the overflow guard sends it to the
    // helper, which makes a big int; + 1 then meets a big int and takes the tag guard's exit.
    for n in [1i64 << 61, (1i64 << 62) - 1, -(1i64 << 62), 1 << 60] {
        let r = run(&c, &[int(n)]).unwrap();
        assert_eq!(big(&r), BigInt::from(n) * 2 + 1, "g({n})");
        let want = n as i128 * 2 + 1;
        let fits = (crate::object::value::SMALL_MIN as i128
            ..=crate::object::value::SMALL_MAX as i128)
            .contains(&want);
        assert_eq!(r.is_small(), fits, "g({n}) normalized");
    }
    // A big int argument fails the tag guard at once.
    let b = Value::from_object(Object::Int(BigInt::from(1u64 << 63)));
    let r = run(&c, &[b]).unwrap();
    assert_eq!(big(&r), BigInt::from(1u64 << 63) * 2 + 1);
}

#[test]
fn subtraction_and_multiplication_guards() {
    let sub = code(
        "sub",
        2,
        &["a", "b"],
        vec![],
        &[],
        vec![LoadFast(0), LoadFast(1), BinaryOp(BinOp::Sub), ReturnValue],
    );
    let mul = code(
        "mul",
        2,
        &["a", "b"],
        vec![],
        &[],
        vec![LoadFast(0), LoadFast(1), BinaryOp(BinOp::Mul), ReturnValue],
    );
    let min = crate::object::value::SMALL_MIN;
    let max = crate::object::value::SMALL_MAX;
    let cases: &[(i64, i64)] = &[
        (10, 3),
        (-10, 3),
        (min, 1),
        (max, -1),
        (0, min),
        (min, min),
        (1 << 31, 1 << 31),
        (-(1 << 31), 1 << 31),
        (max, 2),
        (-1, min),
        (3, -4),
    ];
    for &(a, b) in cases {
        let r = run(&sub, &[int(a), int(b)]).unwrap();
        assert_eq!(big(&r), BigInt::from(a) - b, "{a} - {b}");
        let small = BigInt::from(min)..=BigInt::from(max);
        assert_eq!(
            r.is_small(),
            small.contains(&big(&r)),
            "{a} - {b} normalized"
        );
        let r = run(&mul, &[int(a), int(b)]).unwrap();
        assert_eq!(big(&r), BigInt::from(a) * b, "{a} * {b}");
        assert_eq!(
            r.is_small(),
            small.contains(&big(&r)),
            "{a} * {b} normalized"
        );
    }
}

#[test]
fn comparisons_branch_and_produce_bools() {
    // def pick(a, b): if a < b: return 1; return 2      (fused compare + branch)
    let pick = code(
        "pick",
        2,
        &["a", "b"],
        vec![int(1), int(2)],
        &[],
        vec![
            LoadFast(0),
            LoadFast(1),
            Compare(CmpOp::Lt),
            PopJumpIfFalse(6),
            LoadConst(0),
            ReturnValue,
            LoadConst(1),
            ReturnValue,
        ],
    );
    assert_eq!(run(&pick, &[int(1), int(2)]).unwrap().as_small(), Some(1));
    assert_eq!(run(&pick, &[int(2), int(2)]).unwrap().as_small(), Some(2));
    assert_eq!(run(&pick, &[int(-5), int(-9)]).unwrap().as_small(), Some(2));
    let b = |s: &str| Value::from_object(Object::Int(s.parse::<BigInt>().unwrap()));
    let huge = "100000000000000000000000";
    assert_eq!(
        run(&pick, &[int(3), b(huge)]).unwrap().as_small(),
        Some(1),
        "slow path of the fused compare"
    );
    assert_eq!(run(&pick, &[b(huge), int(3)]).unwrap().as_small(), Some(2));
    // def cmp(a, b): return a OP b      (unfused: a bool value)
    for (op, f) in [
        (CmpOp::Lt, (|a, b| a < b) as fn(i64, i64) -> bool),
        (CmpOp::Le, |a, b| a <= b),
        (CmpOp::Eq, |a, b| a == b),
        (CmpOp::Ne, |a, b| a != b),
        (CmpOp::Gt, |a, b| a > b),
        (CmpOp::Ge, |a, b| a >= b),
    ] {
        let c = code(
            "cmp",
            2,
            &["a", "b"],
            vec![],
            &[],
            vec![LoadFast(0), LoadFast(1), Compare(op), ReturnValue],
        );
        for (a, b) in [(1, 2), (2, 2), (3, 2), (-4, 4), (i64::from(i32::MIN), 0)] {
            let r = run(&c, &[int(a), int(b)]).unwrap();
            assert_eq!(r.as_bool(), Some(f(a, b)), "{a} {op:?} {b}");
        }
    }
}

#[test]
fn pop_jump_if_true_and_truthiness() {
    // def t(x): if x: return 1; return 2    (PopJumpIfTrue, not fused)
    let c = code(
        "t",
        1,
        &["x"],
        vec![int(1), int(2)],
        &[],
        vec![
            LoadFast(0),
            PopJumpIfTrue(4),
            LoadConst(1),
            ReturnValue,
            LoadConst(0),
            ReturnValue,
        ],
    );
    let cases = [
        (Value::TRUE, 1),
        (Value::FALSE, 2),
        (int(0), 2),
        (int(-3), 1),
        (Value::NONE, 2),
        (Value::from_object(Object::Int(BigInt::from(1u64 << 63))), 1),
    ];
    for (v, want) in cases {
        let r = run(&c, std::slice::from_ref(&v)).unwrap();
        assert_eq!(r.as_small(), Some(want), "truth of {v:?}");
    }
    // a and b: JumpIfFalseOrPop keeps the falsy value.
    let and = code(
        "and_",
        2,
        &["a", "b"],
        vec![],
        &[],
        vec![LoadFast(0), JumpIfFalseOrPop(3), LoadFast(1), ReturnValue],
    );
    assert_eq!(run(&and, &[int(0), int(7)]).unwrap().as_small(), Some(0));
    assert_eq!(run(&and, &[int(5), int(7)]).unwrap().as_small(), Some(7));
    let or = code(
        "or_",
        2,
        &["a", "b"],
        vec![],
        &[],
        vec![LoadFast(0), JumpIfTrueOrPop(3), LoadFast(1), ReturnValue],
    );
    assert_eq!(run(&or, &[int(0), int(7)]).unwrap().as_small(), Some(7));
    assert_eq!(run(&or, &[int(5), int(7)]).unwrap().as_small(), Some(5));
}

#[test]
fn reference_counts_match_the_interpreter() {
    // def r(x): y = x; z = (x is y); t = (x, y); del y; return x
    let c = code(
        "rc",
        1,
        &["x", "y", "z", "t"],
        vec![],
        &[],
        vec![
            LoadFast(0),
            StoreFast(1),
            LoadFast(0),
            LoadFast(1),
            Is(false),
            StoreFast(2),
            LoadFast(0),
            LoadFast(1),
            BuildTuple(2),
            StoreFast(3),
            DeleteFast(1),
            LoadFast(0),
            Copy(1),
            Swap(2),
            PopTop,
            ReturnValue,
        ],
    );
    let list = Value::list(vec![int(1)]);
    let r = run(&c, std::slice::from_ref(&list)).unwrap();
    assert!(r.is(&list));
    assert_eq!(list.ref_count(), 2, "the caller's and the result's");
    drop(r);
    assert_eq!(list.ref_count(), 1, "every local, slot and tuple released");
}

#[test]
fn unbound_local_fails_and_unwinds_the_value_stack() {
    // def u(a): return (a, a, b)   with b never assigned
    let c = code(
        "u",
        1,
        &["a", "b"],
        vec![],
        &[],
        vec![
            LoadFast(0),
            LoadFast(0),
            LoadFast(1),
            BuildTuple(3),
            ReturnValue,
        ],
    );
    let list = Value::list(vec![]);
    let e = run(&c, std::slice::from_ref(&list)).unwrap_err();
    assert_eq!(e.kind(), ExcKind::UnboundLocalError);
    let msg = e.exception().args.as_tuple().unwrap()[0].clone();
    assert_eq!(
        msg.as_str(),
        Some("cannot access local variable 'b' where it is not associated with a value")
    );
    // One traceback entry for the JIT frame, at the failing instruction.
    let tb = e.exception().state.lock().traceback.clone();
    let entries = Traceback::chain(&tb);
    assert_eq!(entries.len(), 1);
    let t = entries[0].downcast::<Traceback>().unwrap();
    assert_eq!(t.pc(), 2);
    assert_eq!(t.lineno(), Some(12));
    let _ = t;
    drop((entries, tb));
    // The traceback's record of the ended activation holds its final locals, as in CPython.
    assert_eq!(
        list.ref_count(),
        2,
        "the caller's and the traceback's record"
    );
    drop(e);
    assert_eq!(
        list.ref_count(),
        1,
        "the two stack copies and the local were dropped"
    );
}

#[test]
fn raise_sets_the_exception_and_its_cause() {
    // def r(): raise ValueError('v') from KeyError('k')   -- both through LoadGlobal
    let c = code(
        "r",
        0,
        &[],
        vec![],
        &["ValueError", "KeyError"],
        vec![LoadGlobal(0), LoadGlobal(1), Raise(2)],
    );
    let globals = Value::dict();
    // Instances, not types: instantiating a type calls `call_type` (being written elsewhere).
    set_global(
        &globals,
        "ValueError",
        PyErr::new(ExcKind::ValueError, "v").into_value(),
    );
    set_global(
        &globals,
        "KeyError",
        PyErr::new(ExcKind::KeyError, "k").into_value(),
    );
    let e = run_with(&c, globals, &[]).unwrap_err();
    assert_eq!(e.kind(), ExcKind::ValueError);
    let cause = e.exception().state.lock().cause.clone();
    assert_eq!(
        cause.as_exception().map(|x| x.kind),
        Some(ExcKind::KeyError)
    );
    // A missing global is a NameError.
    let c = code(
        "n",
        0,
        &[],
        vec![],
        &["nope"],
        vec![LoadGlobal(0), ReturnValue],
    );
    let e = run(&c, &[]).unwrap_err();
    assert_eq!(e.kind(), ExcKind::NameError);
}

#[test]
fn arguments_bind_like_the_interpreter() {
    let c = sum_loop();
    let e = run(&c, &[]).unwrap_err();
    assert_eq!(e.kind(), ExcKind::TypeError);
    let msg = e.exception().args.as_tuple().unwrap()[0].clone();
    assert_eq!(
        msg.as_str(),
        Some("sum_to() missing 1 required positional argument: 'n'")
    );
    let e = run(&c, &[int(1), int(2)]).unwrap_err();
    let msg = e.exception().args.as_tuple().unwrap()[0].clone();
    assert_eq!(
        msg.as_str(),
        Some("sum_to() takes 1 positional argument but 2 were given")
    );
}

#[test]
fn recursion_limits_are_enforced_before_the_frame_exists() {
    let c = times_two_plus_one();
    let jit = compile(&c).unwrap();
    let f = function(&c, Value::dict());
    let list = Value::list(vec![]);
    let mut ts = ThreadState::new();
    let limit = crate::thread::runtime().recursion_limit();
    (0..limit).for_each(|_| ts.frame_pushed());
    assert!(ts.at_recursion_limit());
    // SAFETY: our own thread state.
    let e = unsafe { jit.invoke(&mut ts, &f, std::slice::from_ref(&list), &[]) }.unwrap_err();
    assert_eq!(e.kind(), ExcKind::RecursionError);
    assert_eq!(ts.depth(), limit, "the failed entry counted no frame");
    // The prologue's native-stack check: every stack address is below this limit.
    (0..limit).for_each(|_| ts.frame_popped());
    ts.native_stack_limit = usize::MAX;
    ts.untrip();
    // SAFETY: as above.
    let e = unsafe { jit.invoke(&mut ts, &f, std::slice::from_ref(&list), &[]) }.unwrap_err();
    assert_eq!(e.kind(), ExcKind::RecursionError);
    assert_eq!(
        list.ref_count(),
        1,
        "the prologue dropped the bound argument"
    );
    assert!(ts.shadow_top.is_null());
    assert_eq!(ts.depth(), 0);
}

#[test]
fn unsupported_code_stays_interpreted() {
    // Generator code must start at its `ReturnGenerator`; an instruction no compiler emits
    // stays interpreted.
    let mut c = code(
        "gen",
        0,
        &[],
        vec![Value::NONE],
        &[],
        vec![LoadConst(0), ReturnValue],
    );
    Arc::get_mut(&mut c).unwrap().flags = CodeFlags::GENERATOR;
    assert!(matches!(compile(&c), Err(Unsupported::Code(_))));
    let c = code("r", 0, &[], vec![], &[], vec![Raise(3)]);
    assert_eq!(compile(&c).unwrap_err(), Unsupported::Instr(0, Raise(3)));
    let bad = code("bad", 0, &[], vec![], &[], vec![PopTop, ReturnValue]);
    assert!(matches!(compile(&bad), Err(Unsupported::Code(_))));
}
