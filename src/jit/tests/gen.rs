//! Compiled generator frames driven directly (`JitGenFrame`): what the Python-level programs of
//! `tests/conformance/jitgen_*.py` cannot see, the reference counts of the values a suspended
//! frame owns and the words of its block.

use super::*;
use crate::interp::{Sent, TierGenFrame, TierResumed};
use crate::jit::gen::JitGenFrame;
use crate::stdlib;

const SRC: &str = r#"
def pair(a):
    b = [a]
    x = (a, (yield b))
    yield x
    return "done"
"#;

fn pair_function() -> (Value, Value) {
    stdlib::init();
    let code = crate::compile::compile_module(SRC, "gen_src.py").expect("compiles");
    let globals = Value::dict();
    stdlib::dict_set(&globals, "__name__", Value::str("gen_src"));
    let mut ts = ThreadState::new();
    crate::interp::run_module(&mut ts, code, globals.clone()).expect("module runs");
    let f = stdlib::dict_get(&globals, "pair").expect("pair");
    (f, globals)
}

fn new_frame(ts: &mut ThreadState, f: &Value, arg: &Value) -> JitGenFrame {
    let func = f.as_function().expect("a function");
    let jc = compile(&func.code).expect("generator code compiles");
    assert!(jc.is_generator());
    JitGenFrame::new(ts, jc, f, func, std::slice::from_ref(arg), &[]).expect("binds")
}

fn yielded(r: TierResumed) -> Value {
    match r {
        TierResumed::Yielded(v) => v,
        TierResumed::Returned(_) => panic!("returned"),
        TierResumed::Raised(e) => panic!("raised {:?}", e.kind()),
    }
}

/// A frame dropped while suspended releases its locals and the live stack slots of its
/// suspension point exactly once; one that finished holds nothing of them any more.
#[test]
fn suspended_frames_release_what_they_own() {
    let (f, globals) = pair_function();
    let mut ts = ThreadState::new();
    let obj = Value::list(vec![]);
    let base = obj.ref_count();

    let mut frame = new_frame(&mut ts, &f, &obj);
    assert_eq!(frame.pc(), 0);
    assert_eq!(obj.ref_count(), base + 1, "the argument is a local");
    let b = yielded(frame.resume(&mut ts, Sent::Value(Value::NONE)));
    // Locals `a` and `b` (which holds `a`), and `a` on the stack for the tuple.
    assert_eq!(obj.ref_count(), base + 3);
    assert!(frame.pc() > 0);
    drop(b);
    drop(frame);
    assert_eq!(
        obj.ref_count(),
        base,
        "locals and the live slot were released"
    );

    let mut frame = new_frame(&mut ts, &f, &obj);
    drop(yielded(frame.resume(&mut ts, Sent::Value(Value::NONE))));
    let x = yielded(frame.resume(&mut ts, Sent::Value(Value::int(7))));
    assert_eq!(x.as_tuple().map(|t| t.len()), Some(2));
    drop(x);
    match frame.resume(&mut ts, Sent::Value(Value::NONE)) {
        TierResumed::Returned(v) => assert_eq!(v.as_str(), Some("done")),
        _ => panic!("expected the return"),
    }
    assert_eq!(obj.ref_count(), base, "a finished frame owns no locals");
    drop(frame);
    assert_eq!(obj.ref_count(), base);
    assert_eq!(ts.depth(), 0);
    assert!(
        ts.shadow_top.is_null(),
        "every resumption unlinked its shadow frame"
    );
    globals.as_dict().unwrap().lock().clear();
}

/// A throw at a suspension point with live stack slots unwinds them; the frame ends.
#[test]
fn a_throw_unwinds_the_live_slots() {
    let (f, globals) = pair_function();
    let mut ts = ThreadState::new();
    let obj = Value::list(vec![]);
    let base = obj.ref_count();
    let mut frame = new_frame(&mut ts, &f, &obj);
    drop(yielded(frame.resume(&mut ts, Sent::Value(Value::NONE))));
    let err = PyErr::new(ExcKind::ValueError, "thrown".to_string());
    match frame.resume(&mut ts, Sent::Throw(err)) {
        TierResumed::Raised(e) => assert!(e.matches(ExcKind::ValueError)),
        _ => panic!("expected the exception"),
    }
    assert_eq!(obj.ref_count(), base);
    drop(frame);
    assert_eq!(obj.ref_count(), base);
    assert!(ts.shadow_top.is_null());
    globals.as_dict().unwrap().lock().clear();
}
