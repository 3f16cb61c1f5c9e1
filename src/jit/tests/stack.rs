//! The shadow stack and the debug map seen from inside runtime calls: builtins that walk the
//! stack of the thread they run on (`probe`, `reenter`, ...) are called from compiled code, and
//! what they see (kinds, tags, code names, instructions, locals) must be what the interpreter
//! would show; and the epilogue's hand-off of a materialized activation's final state.

use super::*;

/// What a probe saw, innermost first: (kind, tag bits, code name, instruction, locals).
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    jit: bool,
    tag: usize,
    name: String,
    instr: Option<usize>,
    locals: Vec<Option<i64>>,
}

thread_local! {
    static SEEN: RefCell<Vec<Vec<Seen>>> = const { RefCell::new(Vec::new()) };
    static ANCHOR: RefCell<Option<(usize, Option<usize>)>> = const { RefCell::new(None) };
    static INNER: RefCell<Option<(Arc<CodeObject>, Value)>> = const { RefCell::new(None) };
}

/// A builtin that walks the stack of the thread it runs on.
fn probe(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    // SAFETY: our own thread, blocked in this call: every activation stays linked.
    let walk = unsafe { JitStackWalk::new(ts) };
    let mut seen = Vec::new();
    for a in walk {
        match a {
            Activation::Interpreted(sf) => {
                // SAFETY: linked interpreted frames point to their InterpreterFrame.
                let f = unsafe { &*(*sf).pointer::<crate::frame::InterpreterFrame>() };
                seen.push(Seen {
                    jit: false,
                    // SAFETY: linked.
                    tag: unsafe { (*sf).data } & Tag::MASK,
                    name: f.code.name.to_string(),
                    instr: Some(f.pc),
                    locals: f.locals.iter().map(|v| v.as_small()).collect(),
                });
            }
            Activation::Jit(j) => {
                // SAFETY: linked and blocked.
                let (info, words) = unsafe { (j.info(), j.local_words()) };
                // SAFETY: linked.
                let data = unsafe { (*j.shadow).data };
                if Kind::of(data) == Kind::Jit {
                    assert_eq!(data & !Tag::MASK, info as *const _ as usize);
                }
                seen.push(Seen {
                    jit: true,
                    tag: data & Tag::MASK,
                    name: info.code.name.to_string(),
                    instr: j.instr,
                    locals: words
                        .iter()
                        // SAFETY: local words are live Values owned by the frame (borrowed).
                        .map(|&w| {
                            std::mem::ManuallyDrop::new(unsafe { Value::from_bits(w) }).as_small()
                        })
                        .collect(),
                });
            }
        }
    }
    SEEN.with(|s| s.borrow_mut().push(seen));
    // The anchor: the innermost JIT activation's return address, through its debug map.
    // SAFETY: read of our own thread's JIT state.
    let st = unsafe { &*state::of(ts) };
    let mut top_jit = None;
    // SAFETY: as above.
    for a in unsafe { JitStackWalk::new(ts) } {
        if let Activation::Jit(j) = a {
            top_jit = Some(j);
            break;
        }
    }
    if let Some(j) = top_jit {
        // SAFETY: linked.
        let info = unsafe { j.info() };
        let e = info.debug_map.lookup(st.last_pc);
        assert!(e.is_none_or(|e| e.kind == SiteKind::Call));
        ANCHOR.with(|a| *a.borrow_mut() = Some((st.last_pc, e.map(|e| e.instr as usize))));
        assert_eq!(st.last_fp, j.fp);
    }
    Ok(args.first().cloned().unwrap_or(Value::NONE))
}

/// A builtin that runs the thread-local INNER JIT function: a second JIT segment.
fn reenter(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let (jit, f) = INNER.with(|i| {
        let b = i.borrow();
        let (c, f) = b.as_ref().expect("inner function set");
        (compile(c).unwrap() as *const JitCode, f.clone())
    });
    // SAFETY: the JitCode lives in its code object, kept by the thread-local until the test
    // ends; our own thread state.
    unsafe { (*jit).invoke(ts, &f, args, &[]) }
}

fn boom(_ts: &mut ThreadState, _args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    panic!("boom")
}

fn kwprobe(_ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    assert_eq!(args.len(), 1);
    assert_eq!(kw.len(), 1);
    assert_eq!(kw[0].0.as_str(), Some("k"));
    Ok(Value::int(
        args[0].as_small().unwrap() * 100 + kw[0].1.as_small().unwrap(),
    ))
}

fn take_seen() -> Vec<Vec<Seen>> {
    SEEN.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

const JIT_TAG: usize = Tag::JIT.bits() | Tag::OWNED_BY_JIT.bits();

#[test]
fn a_helper_sees_the_jit_frame_on_the_shadow_stack() {
    // def f(x): y = x + 1; return probe(y)
    let c = code(
        "f",
        1,
        &["x", "y"],
        vec![builtin("probe", probe), int(1)],
        &[],
        vec![
            LoadFast(0),
            LoadConst(1),
            BinaryOp(BinOp::Add),
            StoreFast(1),
            LoadConst(0),
            LoadFast(1),
            Call(1), // 6
            ReturnValue,
        ],
    );
    let r = run(&c, &[int(41)]).unwrap();
    assert_eq!(r.as_small(), Some(42));
    let seen = take_seen();
    assert_eq!(
        seen,
        vec![vec![Seen {
            jit: true,
            tag: JIT_TAG,
            name: "f".into(),
            instr: Some(6),
            locals: vec![Some(41), Some(42)],
        }]]
    );
    let (ret, instr) = ANCHOR.with(|a| a.borrow_mut().take()).unwrap();
    assert_ne!(ret, 0);
    assert_eq!(
        instr,
        Some(6),
        "the anchor's return address maps to the Call"
    );
}

#[test]
fn mixed_stack_jit_under_interpreter() {
    // def g(a): return probe(a)          (interpreted)
    // def f(x): return g(x * 3)          (JIT)
    let globals = Value::dict();
    let g = code(
        "g",
        1,
        &["a"],
        vec![],
        &["probe"],
        vec![LoadGlobal(0), LoadFast(0), Call(1), ReturnValue],
    );
    set_global(&globals, "probe", builtin("probe", probe));
    set_global(&globals, "g", function(&g, globals.clone()));
    let f = code(
        "f",
        1,
        &["x"],
        vec![int(3)],
        &["g"],
        vec![
            LoadGlobal(0),
            LoadFast(0),
            LoadConst(0),
            BinaryOp(BinOp::Mul),
            Call(1), // 4
            ReturnValue,
        ],
    );
    let r = run_with(&f, globals.clone(), &[int(5)]).unwrap();
    assert_eq!(r.as_small(), Some(15));
    let seen = take_seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].jit, s[0].tag, s[0].name.as_str()), (false, 0, "g"));
    assert_eq!(s[0].instr, Some(2));
    assert_eq!(
        (s[1].jit, s[1].tag, s[1].name.as_str(), s[1].instr),
        (true, JIT_TAG, "f", Some(4))
    );
    assert_eq!(s[1].locals, vec![Some(5)]);
    // The anchor belongs to the innermost JIT activation (f, blocked in its Call).
    let (_, instr) = ANCHOR.with(|a| a.borrow_mut().take()).unwrap();
    assert_eq!(instr, Some(4));
    // Break the globals <-> function cycle.
    globals.as_dict().unwrap().lock().clear();
}

#[test]
fn nested_jit_segments_chain_through_the_entry_trampoline() {
    // def inner(v): w = v - 1; return probe(w)     (JIT, entered from the `reenter` builtin)
    // def outer(x): return reenter(x + 10)         (JIT)
    let inner = code(
        "inner",
        1,
        &["v", "w"],
        vec![builtin("probe", probe), int(1)],
        &[],
        vec![
            LoadFast(0),
            LoadConst(1),
            BinaryOp(BinOp::Sub),
            StoreFast(1),
            LoadConst(0),
            LoadFast(1),
            Call(1), // 6
            ReturnValue,
        ],
    );
    compile(&inner).unwrap();
    INNER.with(|i| *i.borrow_mut() = Some((inner.clone(), function(&inner, Value::dict()))));
    let outer = code(
        "outer",
        1,
        &["x"],
        vec![builtin("reenter", reenter), int(10)],
        &[],
        vec![
            Nop,
            LoadConst(0),
            LoadFast(0),
            LoadConst(1),
            BinaryOp(BinOp::Add),
            Call(1), // 5
            ReturnValue,
        ],
    );
    let r = run(&outer, &[int(1)]).unwrap();
    assert_eq!(r.as_small(), Some(10));
    let seen = take_seen();
    assert_eq!(
        seen,
        vec![vec![
            Seen {
                jit: true,
                tag: JIT_TAG,
                name: "inner".into(),
                instr: Some(6),
                locals: vec![Some(11), Some(10)],
            },
            Seen {
                jit: true,
                tag: JIT_TAG,
                name: "outer".into(),
                instr: Some(5),
                locals: vec![Some(1)],
            },
        ]]
    );
    INNER.with(|i| i.borrow_mut().take());
}

#[test]
fn panics_in_helpers_become_system_errors() {
    let c = code(
        "p",
        0,
        &[],
        vec![builtin("boom", boom)],
        &[],
        vec![LoadConst(0), Call(0), ReturnValue],
    );
    let e: PyErr = run(&c, &[]).unwrap_err();
    assert_eq!(e.kind(), ExcKind::SystemError);
}

#[test]
fn keyword_calls_pass_names() {
    // def k(): return kwprobe(1, k=2)
    let c = code(
        "k",
        0,
        &[],
        vec![
            builtin("kwprobe", kwprobe),
            int(1),
            int(2),
            Value::tuple(vec![Value::str("k")]),
        ],
        &[],
        vec![
            LoadConst(0),
            LoadConst(1),
            LoadConst(2),
            LoadConst(3),
            CallKw(2),
            ReturnValue,
        ],
    );
    assert_eq!(run(&c, &[]).unwrap().as_small(), Some(102));
}

#[test]
fn debug_map_has_one_call_site_per_helper_call() {
    let c = times_two_plus_one();
    let jit = compile(&c).unwrap();
    let m = &jit.info().debug_map;
    // The poll call of a tripped prologue (instruction 0, the first path out of line); two
    // guarded binary ops: two guards, one deopt call and one slow-path call each.
    let calls: Vec<_> = m
        .entries()
        .iter()
        .filter(|e| e.kind == SiteKind::Call)
        .collect();
    let guards: Vec<_> = m
        .entries()
        .iter()
        .filter(|e| e.kind == SiteKind::Guard)
        .collect();
    assert_eq!(
        calls.iter().map(|e| e.instr).collect::<Vec<_>>(),
        vec![0, 2, 2, 4, 4]
    );
    assert_eq!(guards.len(), 4);
    for e in m.entries() {
        let addr = m.base() + e.offset as usize;
        assert!(m.contains(addr));
        assert_eq!(m.lookup(addr), Some(*e));
    }
    assert_eq!(
        Kind::of(crate::jit::emit::jit_shadow_data(jit.info())),
        Kind::Jit
    );
}

/// Materializes the calling JIT activation through the hook (`PyEval_GetFrame`) and keeps its
/// frame object.
fn fake_materialize(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let sf = ts.shadow_top;
    // SAFETY: the top of our own stack is the calling JIT activation, blocked in this call.
    unsafe { assert_eq!((*sf).data & Tag::MASK, JIT_TAG) };
    let f = crate::frame::eval_get_frame(ts).expect("a frame runs");
    MATERIALIZED_SF.with(|m| m.set(sf as usize));
    HELD_FRAME.with(|h| *h.borrow_mut() = Some(f));
    Ok(args.first().cloned().unwrap_or(Value::NONE))
}

thread_local! {
    static MATERIALIZED_SF: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static HELD_FRAME: RefCell<Option<Value>> = const { RefCell::new(None) };
}

#[test]
fn the_epilogue_hands_off_a_materialized_activation() {
    // def m(x): fake_materialize(); y = probe(x); return y
    let c = code(
        "m",
        1,
        &["x", "y"],
        vec![
            builtin("fake_materialize", fake_materialize),
            builtin("probe", probe),
        ],
        &[],
        vec![
            LoadConst(0),
            Call(0),
            PopTop,
            LoadConst(1),
            LoadFast(0),
            Call(1), // 5
            StoreFast(1),
            LoadFast(1),
            ReturnValue, // 8
        ],
    );
    crate::jit::helpers::MATERIALIZED_EXITS.with(|m| m.borrow_mut().clear());
    let r = run(&c, &[int(7)]).unwrap();
    assert_eq!(r.as_small(), Some(7));
    // The walk still finds the code info (through orig_data) and the instruction.
    let seen = take_seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0][0];
    let mat = Tag::MATERIALIZED.bits() | Tag::OWNED_BY_JIT.bits();
    assert_eq!(
        (s.jit, s.tag, s.name.as_str(), s.instr),
        (true, mat, "m", Some(5))
    );
    // One hand-off, from the epilogue, with the return's instruction index.
    let exits =
        crate::jit::helpers::MATERIALIZED_EXITS.with(|m| std::mem::take(&mut *m.borrow_mut()));
    assert_eq!(exits, vec![(MATERIALIZED_SF.with(|m| m.get()), 8)]);
    // The frame object now owns the final state: locals and the return's line.
    let f = HELD_FRAME
        .with(|h| h.borrow_mut().take())
        .expect("materialized");
    let fo = f.downcast::<crate::frame::FrameObject>().unwrap();
    let mut ts = ThreadState::new();
    assert!(!fo.is_live());
    assert_eq!(fo.pc(&mut ts), 8);
    let locals = fo.locals(&mut ts).unwrap();
    let shown: Vec<(&str, Option<i64>)> =
        locals.iter().map(|(n, v)| (&**n, v.as_small())).collect();
    assert_eq!(shown, vec![("x", Some(7)), ("y", Some(7))]);
    // An activation that nobody materialized takes no hand-off.
    run(&times_two_plus_one(), &[int(1)]).unwrap();
    let exits =
        crate::jit::helpers::MATERIALIZED_EXITS.with(|m| std::mem::take(&mut *m.borrow_mut()));
    assert!(exits.is_empty());
}
