//! Instruction sequences and code object metadata.

use super::*;
use crate::code::{BinOp, CmpOp, CodeFlags, UnOp};
use crate::object::Value;
use Instr::*;

fn const_str(code: &CodeObject, i: u32) -> String {
    code.consts[i as usize]
        .as_str()
        .expect("a str constant")
        .to_owned()
}

fn name(code: &CodeObject, i: u32) -> String {
    code.names[i as usize]
        .as_str()
        .expect("a str name")
        .to_owned()
}

#[test]
fn module_basics() {
    let code = compile("x = 1\nprint(x)\n");
    assert_eq!(&*code.name, "<module>");
    assert_eq!(&*code.qualname, "<module>");
    assert_eq!(code.first_line, 1);
    assert!(code.flags.contains(CodeFlags::MODULE));
    assert_eq!(
        ops(&code),
        vec![
            LoadConst(0),
            StoreGlobal(0),
            LoadGlobal(1),
            LoadGlobal(0),
            Call(1),
            PopTop,
            LoadConst(1),
            ReturnValue
        ]
    );
    assert_eq!(code.consts[0].as_small(), Some(1));
    assert!(code.consts[1].is_none());
    assert_eq!(name(&code, 1), "print");
    assert_eq!(code.max_stack, 2);
    assert!(code.exc_table.is_empty());
    assert_eq!(code.instrs.len(), code.positions.len());
}

#[test]
fn functions_and_defaults() {
    let code = compile("def f(a, b=2, c=3):\n    return a\n");
    assert_eq!(
        ops(&code),
        vec![
            LoadConst(0),
            LoadConst(1),
            BuildTuple(2),
            LoadConst(2),
            MakeFunction(1),
            StoreGlobal(0),
            LoadConst(3),
            ReturnValue
        ]
    );
    let f = code_named(&code, "f");
    assert_eq!(&*f.name, "f");
    assert_eq!(f.argcount, 3);
    assert_eq!(
        f.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert_eq!(f.first_line, 1);
    assert_eq!(f.flags, CodeFlags::empty());
    assert_eq!(ops(&f), vec![LoadFast(0), ReturnValue]);
}

#[test]
fn qualnames() {
    let src = "def outer():\n    def inner():\n        return lambda: 1\n    return inner\nl = lambda x: x\n";
    let code = compile(src);
    let inner = code_named(&code, "outer.<locals>.inner");
    assert_eq!(&*inner.name, "inner");
    assert_eq!(inner.first_line, 2);
    let lam = code_named(&code, "outer.<locals>.inner.<locals>.<lambda>");
    assert!(lam.flags.contains(CodeFlags::LAMBDA));
    assert_eq!(&*lam.name, "<lambda>");
    assert_eq!(ops(&lam), vec![LoadConst(0), ReturnValue]);
    let top = code_named(&code, "<lambda>");
    assert_eq!(top.argcount, 1);
    let glob = compile("def f():\n    global g\n    def g():\n        pass\n");
    code_named(&glob, "g");
}

#[test]
fn locals_and_globals() {
    let src = "def f(a):\n    global g\n    b = a + g\n    g = b\n    print(b)\n    del b\n";
    let f = code_named(&compile(src), "f");
    assert_eq!(
        f.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(
        ops(&f),
        vec![
            LoadFast(0),
            LoadGlobal(0),
            BinaryOp(BinOp::Add),
            StoreFast(1),
            LoadFast(1),
            StoreGlobal(0),
            LoadGlobal(1),
            LoadFast(1),
            Call(1),
            PopTop,
            DeleteFast(1),
            LoadConst(0),
            ReturnValue
        ]
    );
}

#[test]
fn method_calls_and_keywords() {
    let code = compile("import sys\nx.m(1, k=2)\nsys.exit(0)\nf(a, b=c)\n");
    let instrs = ops(&code);
    assert!(instrs.contains(&LoadMethod(2)));
    assert!(instrs.contains(&CallMethodKw(2)));
    // Attributes of imported modules are called as plain attributes (CPython does the same).
    let exit = code
        .names
        .iter()
        .position(|n| n.as_str() == Some("exit"))
        .unwrap() as u32;
    let at = instrs
        .iter()
        .position(|i| *i == LoadAttr(exit))
        .expect("LoadAttr exit");
    assert_eq!(instrs[at + 2], Call(1));
    let kw = instrs.iter().position(|i| *i == CallKw(2)).expect("CallKw");
    let LoadConst(k) = instrs[kw - 1] else {
        panic!("kwnames")
    };
    let names = code.consts[k as usize].as_tuple().expect("tuple");
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].as_str(), Some("b"));
}

#[test]
fn chained_comparison() {
    let code = compile("r = a < b <= c\n");
    assert_eq!(
        ops(&code),
        vec![
            LoadGlobal(0),
            LoadGlobal(1),
            Swap(2),
            Copy(2),
            Compare(CmpOp::Lt),
            JumpIfFalseOrPop(9),
            LoadGlobal(2),
            Compare(CmpOp::Le),
            Jump(11),
            Swap(2),
            PopTop,
            StoreGlobal(3),
            LoadConst(0),
            ReturnValue
        ]
    );
    assert_eq!(code.max_stack, 3);
}

#[test]
fn augmented_assignment() {
    let code = compile("a[i] += 1\no.x -= 2\nn *= 3\n");
    assert_eq!(
        ops(&code)[..10],
        [
            LoadGlobal(0),
            LoadGlobal(1),
            Copy(2),
            Copy(2),
            BinarySubscr,
            LoadConst(0),
            InplaceOp(BinOp::Add),
            Swap(3),
            Swap(2),
            StoreSubscr
        ]
    );
    assert_eq!(
        ops(&code)[10..17],
        [
            LoadGlobal(2),
            Copy(1),
            LoadAttr(3),
            LoadConst(1),
            InplaceOp(BinOp::Sub),
            Swap(2),
            StoreAttr(3)
        ]
    );
}

#[test]
fn unpacking_and_slices() {
    let code = compile("a, (b, c) = x[1:2]\ny = x[::2]\n");
    assert_eq!(
        ops(&code)[..10],
        [
            LoadGlobal(0),
            LoadConst(0),
            LoadConst(1),
            BuildSlice(2),
            BinarySubscr,
            UnpackSequence(2),
            StoreGlobal(1),
            UnpackSequence(2),
            StoreGlobal(2),
            StoreGlobal(3)
        ]
    );
    assert!(ops(&code).contains(&BuildSlice(3)));
}

#[test]
fn constants() {
    let code = compile("a = -5\nb = 123456789012345678901234567890\nc = 0x_ff\nd = (1, 'x', (2.5, None))\ne = not 0\nf = 1.5\n");
    assert_eq!(code.consts[0].as_small(), Some(-5));
    match code.consts[1].obj() {
        Some(crate::object::Object::Int(i)) => {
            assert_eq!(i.to_string(), "123456789012345678901234567890")
        }
        _ => panic!("big int constant"),
    }
    assert_eq!(code.consts[2].as_small(), Some(255));
    let t = code.consts[3].as_tuple().expect("folded tuple");
    assert_eq!(t.len(), 3);
    assert_eq!(t[2].as_tuple().map(|t| t.len()), Some(2));
    assert!(code.consts.iter().any(|c| c.as_bool() == Some(true)));
    assert!(ops(&code)
        .iter()
        .all(|i| !matches!(i, UnaryOp(_) | BuildTuple(_))));
    let code = compile("a = -x\nb = not x\nc = +x\nd = ~x\n");
    let unary: Vec<Instr> = ops(&code)
        .into_iter()
        .filter(|i| matches!(i, UnaryOp(_)))
        .collect();
    assert_eq!(
        unary,
        [
            UnaryOp(UnOp::Neg),
            UnaryOp(UnOp::Not),
            UnaryOp(UnOp::Pos),
            UnaryOp(UnOp::Invert)
        ]
    );
}

#[test]
fn fstrings() {
    let code = compile("s = f'a{x!r:>{w}} b{y}' 'c'\nt = f'{z}'\nu = f'{v=}'\n");
    let instrs = ops(&code);
    assert_eq!(
        instrs[..11],
        [
            LoadConst(0),
            LoadGlobal(0),
            LoadConst(1),
            LoadGlobal(1),
            FormatValue(0),
            BuildString(2),
            FormatValue(2 | 4),
            LoadConst(2),
            LoadGlobal(2),
            FormatValue(0),
            LoadConst(3)
        ]
    );
    assert_eq!(instrs[11], BuildString(5));
    assert_eq!(const_str(&code, 3), "c");
    assert_eq!(instrs[13..15], [LoadGlobal(4), FormatValue(0)]);
    // `{v=}`: the text, then repr.
    assert_eq!(const_str(&code, 4), "v=");
    assert_eq!(
        instrs[16..19],
        [LoadConst(4), LoadGlobal(6), FormatValue(2)]
    );
}

#[test]
fn imports() {
    let code = compile("import sys, time as t\nfrom time import perf_counter as pc, sleep\n");
    assert_eq!(
        ops(&code)[..10],
        [
            ImportName(0),
            StoreGlobal(0),
            ImportName(1),
            StoreGlobal(2),
            ImportName(1),
            ImportFrom(3),
            StoreGlobal(4),
            ImportFrom(5),
            StoreGlobal(5),
            PopTop
        ]
    );
    let f = code_named(&compile("def f():\n    import sys\n    return sys\n"), "f");
    assert_eq!(
        ops(&f),
        vec![ImportName(0), StoreFast(0), LoadFast(0), ReturnValue]
    );
}

#[test]
fn comprehension_inlined() {
    let src = "def f(n):\n    return [i * n for i in range(n) if i]\n";
    let code = compile(src);
    let f = code_named(&code, "f");
    assert!(
        f.consts.iter().all(|c| c.as_code().is_none()),
        "no nested code object"
    );
    assert_eq!(
        f.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["n", "i"]
    );
    let instrs = ops(&f);
    assert_eq!(
        instrs[..9],
        [
            LoadGlobal(0),
            LoadFast(0),
            Call(1),
            GetIter,
            LoadConst(0),
            StoreFast(1),
            BuildList(0),
            Swap(2),
            ForIter(17)
        ]
    );
    assert!(instrs.contains(&ListAppend(2)));
    assert_eq!(instrs.iter().filter(|i| **i == DeleteFast(1)).count(), 2);
    assert_eq!(f.exc_table.len(), 1);
    let e = f.exc_table[0];
    assert_eq!((e.depth, e.lasti), (1, false));
    assert_eq!(instrs[e.target as usize], Swap(2));
    assert_eq!(instrs[e.target as usize + 1], PopTop);
    assert_eq!(instrs[e.target as usize + 3], Reraise(0));
}

#[test]
fn comprehension_slots() {
    // A comprehension variable that is also a local gets a slot of its own, with the same name.
    let f = code_named(
        &compile("def f():\n    x = 1\n    y = [x for x in range(3)]\n    return x\n"),
        "f",
    );
    assert_eq!(
        f.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["x", "x", "y"]
    );
    assert_eq!(*ops(&f).last().unwrap(), ReturnValue);
    assert!(ops(&f).contains(&StoreFast(2)));
    // Sequential comprehensions share a slot; nested ones with the same name do not.
    let g = code_named(
        &compile(
            "def g(a):\n    [i for i in a]\n    [i for i in a]\n    [[i for i in a] for i in a]\n",
        ),
        "g",
    );
    assert_eq!(
        g.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["a", "i", "i"]
    );
    // Module-level comprehension variables are fast locals, other names globals.
    let m = compile("x = 'm'\ny = [x for x in 'ab']\nz = {k: x for k in 'c'}\n");
    assert_eq!(
        m.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["x", "k"]
    );
    assert!(ops(&m).contains(&MapAdd(2)));
}

#[test]
fn nested_comprehension() {
    let f = code_named(
        &compile("def f():\n    return [[j for j in range(i)] for i in range(4)]\n"),
        "f",
    );
    assert_eq!(
        f.varnames.iter().map(|v| &**v).collect::<Vec<_>>(),
        ["i", "j"]
    );
    let instrs = ops(&f);
    assert_eq!(instrs.iter().filter(|i| **i == ListAppend(2)).count(), 2);
    let g = code_named(
        &compile("def g(a):\n    return [(x, y) for x in a for y in x]\n"),
        "g",
    );
    assert!(
        ops(&g).contains(&ListAppend(3)),
        "two iterators above the list"
    );
    assert_eq!(f.exc_table.len(), 3);
}

#[test]
fn big_displays() {
    let items = (0..40)
        .map(|i| format!("x{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let code = compile(&format!("a = [{items}]\nb = {{{items}}}\n"));
    let instrs = ops(&code);
    assert_eq!(instrs[0], BuildList(0));
    assert_eq!(instrs.iter().filter(|i| **i == ListAppend(1)).count(), 40);
    assert_eq!(instrs.iter().filter(|i| **i == SetAdd(1)).count(), 40);
    assert!(code.max_stack <= 3);
}

#[test]
fn long_sums_compile_iteratively() {
    let src = format!("x = 1{}\n", " + 1".repeat(200_000));
    let code = compile(&src);
    assert_eq!(code.max_stack, 2);
    assert_eq!(
        code.instrs
            .iter()
            .filter(|i| matches!(i, BinaryOp(_)))
            .count(),
        200_000
    );
}

#[test]
fn control_flow_shapes() {
    let code = compile("while x:\n    if y:\n        break\n    continue\nelse:\n    z()\nfor a in b:\n    pass\nelse:\n    w()\n");
    let instrs = ops(&code);
    assert!(instrs.iter().any(|i| matches!(i, ForIter(_))));
    // Every jump target is inside the code.
    for i in &instrs {
        if let Some(t) = crate::compile::ir::jump_target(i) {
            assert!((t as usize) < instrs.len());
        }
    }
    // `while True` has no test.
    let code = compile("while True:\n    f()\n");
    assert_eq!(ops(&code), vec![LoadGlobal(0), Call(0), PopTop, Jump(0)]);
}

#[test]
fn module_docstring_and_pass() {
    let code = compile("'''doc'''\npass\n...\n");
    assert_eq!(
        ops(&code),
        vec![LoadConst(0), StoreGlobal(0), LoadConst(1), ReturnValue]
    );
    assert_eq!(name(&code, 0), "__doc__");
    let f = code_named(&compile("def f():\n    'doc'\n"), "f");
    assert_eq!(ops(&f), vec![LoadConst(0), ReturnValue]);
    assert!(f.consts[0].is_none());
    let _ = Value::NONE;
}

#[test]
fn assert_statement() {
    let code = compile("assert x, 'm'\nassert y\n");
    assert_eq!(
        ops(&code),
        vec![
            LoadGlobal(0),
            PopJumpIfTrue(6),
            LoadAssertionError,
            LoadConst(0),
            Call(1),
            Raise(1),
            LoadGlobal(1),
            PopJumpIfTrue(10),
            LoadAssertionError,
            Raise(1),
            LoadConst(1),
            ReturnValue
        ]
    );
}
