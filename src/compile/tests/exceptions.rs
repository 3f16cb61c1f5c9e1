//! Exception tables and handler layouts (CPython 3.13's, see `flow.rs`).

use super::*;
use Instr::*;

#[test]
fn try_except_layout() {
    let src = "def f():\n    try:\n        a()\n    except ValueError as e:\n        b(e)\n    except KeyError:\n        c()\n    h()\n";
    let f = code_named(&compile(src), "f");
    let i = ops(&f);
    // Body, then the handler: PushExcInfo, match, bind, body, cleanup.
    assert_eq!(
        i[..5],
        [LoadGlobal(0), Call(0), PopTop, Jump(35), PushExcInfo]
    );
    assert_eq!(
        i[5..9],
        [
            LoadGlobal(1),
            CheckExcMatch,
            PopJumpIfFalse(22),
            StoreFast(0)
        ]
    );
    // Normal end of `as e`: PopExcept, e = None, del e.
    assert_eq!(
        i[13..18],
        [
            PopExcept,
            LoadConst(0),
            StoreFast(0),
            DeleteFast(0),
            Jump(35)
        ]
    );
    // Exceptional end of `as e`.
    assert_eq!(
        i[18..22],
        [LoadConst(0), StoreFast(0), DeleteFast(0), Reraise(1)]
    );
    // No match: re-raise; cleanup handler.
    assert_eq!(i[31..35], [Reraise(0), Copy(3), PopExcept, Reraise(1)]);
    assert_eq!(
        exc(&f),
        [
            (0, 3, 4, 0, false),
            (4, 9, 32, 1, true),
            (9, 13, 18, 1, true),
            (18, 29, 32, 1, true),
            (31, 32, 32, 1, true)
        ]
    );
    assert_eq!(f.max_stack, 4);
}

#[test]
fn try_finally_layout() {
    let src = "def g():\n    try:\n        a()\n    finally:\n        c()\n";
    let g = code_named(&compile(src), "g");
    let i = ops(&g);
    assert_eq!(i[3..7], [LoadGlobal(1), Call(0), PopTop, Jump(15)]);
    assert_eq!(
        i[7..15],
        [
            PushExcInfo,
            LoadGlobal(1),
            Call(0),
            PopTop,
            Reraise(0),
            Copy(3),
            PopExcept,
            Reraise(1)
        ]
    );
    assert_eq!(exc(&g), [(0, 3, 7, 0, false), (7, 12, 12, 1, true)]);
}

#[test]
fn with_layout() {
    let src = "def w(l):\n    with l as x:\n        return x\n";
    let w = code_named(&compile(src), "w");
    let i = ops(&w);
    assert_eq!(i[..4], [LoadFast(0), BeforeWith, StoreFast(1), LoadFast(1)]);
    // `return` inside `with`: exit(None, None, None) first, the value kept on top.
    assert_eq!(
        i[4..11],
        [
            Swap(2),
            LoadConst(0),
            LoadConst(0),
            LoadConst(0),
            Call(3),
            PopTop,
            ReturnValue
        ]
    );
    assert_eq!(
        i[11..25],
        [
            PushExcInfo,
            WithExceptStart,
            PopJumpIfTrue(17),
            Copy(3),
            Swap(2),
            Reraise(1),
            PopTop,
            PopExcept,
            PopTop,
            PopTop,
            Jump(25),
            Copy(3),
            PopExcept,
            Reraise(1)
        ]
    );
    assert_eq!(exc(&w), [(2, 4, 11, 1, true), (11, 18, 22, 3, true)]);
}

#[test]
fn return_through_finally_in_loop() {
    let src = "def r(xs):\n    for x in xs:\n        try:\n            return x\n        finally:\n            print(x)\n";
    let r = code_named(&compile(src), "r");
    let i = ops(&r);
    // The value is computed, the finally body inlined, the iterator popped under it.
    assert_eq!(
        i[4..12],
        [
            LoadFast(1),
            LoadGlobal(0),
            LoadFast(1),
            Call(1),
            PopTop,
            Swap(2),
            PopTop,
            ReturnValue
        ]
    );
    // Only the evaluation of the value is protected: the inlined finally body is not.
    assert_eq!(exc(&r), [(4, 5, 12, 1, false), (12, 18, 18, 2, true)]);
}

#[test]
fn break_and_continue_unwind() {
    let src = "def f(l, xs):\n    for x in xs:\n        with l:\n            try:\n                if x:\n                    break\n                continue\n            except E:\n                return 1\n    return 2\n";
    let f = code_named(&compile(src), "f");
    let i = ops(&f);
    // `break`: leave the try (nothing to run), call the with's exit, pop the iterator, jump.
    let brk = i
        .windows(7)
        .position(|w| {
            w == [
                LoadConst(0),
                LoadConst(0),
                LoadConst(0),
                Call(3),
                PopTop,
                PopTop,
                Jump(w[6].clone_target()),
            ]
        })
        .is_some();
    assert!(brk, "{}", listing(&f));
    // `return 1` inside the except handler: PopExcept before the with exit and the iterator pop.
    let ret = i
        .windows(3)
        .any(|w| w == [PopExcept, LoadConst(0), LoadConst(0)]);
    assert!(ret, "{}", listing(&f));
}

trait Target {
    fn clone_target(&self) -> u32;
}

impl Target for Instr {
    fn clone_target(&self) -> u32 {
        crate::compile::ir::jump_target(self).unwrap_or(u32::MAX)
    }
}

#[test]
fn nested_handlers_and_else() {
    let src = "def f():\n    try:\n        try:\n            a()\n        except:\n            raise\n        else:\n            b()\n    except Exception as e:\n        return e\n    finally:\n        c()\n";
    let f = code_named(&compile(src), "f");
    // Every protected instruction's handler is a PushExcInfo or cleanup code, and every entry
    // targets inside the code.
    for e in &f.exc_table {
        assert!(e.start < e.end && (e.end as usize) <= f.instrs.len());
        let t = f.instrs[e.target as usize];
        assert!(
            matches!(t, PushExcInfo | Copy(3) | LoadConst(_)),
            "unexpected handler start {t:?}\n{}",
            listing(&f)
        );
    }
    // Entries do not overlap.
    for w in f.exc_table.windows(2) {
        assert!(w[0].end <= w[1].start);
    }
}

#[test]
fn exception_tables_are_consistent() {
    // Exercises many shapes: assembly verifies stack depths at every handler and merge point.
    let src = r#"
def f(xs, l):
    total = 0
    for x in xs:
        while x:
            try:
                with l as a, l:
                    if x > 3:
                        continue
                    total += [y for y in range(x) if y]
            except (ValueError, KeyError) as e:
                try:
                    raise RuntimeError() from e
                finally:
                    if x:
                        return total
            else:
                break
            finally:
                total -= 1
    else:
        return {k: v for k, v in xs}
    return [[i for i in range(j)] for j in xs]
"#;
    let code = compile(src);
    let f = code_named(&code, "f");
    assert!(f.max_stack >= 4);
    assert!(!f.exc_table.is_empty());
}
