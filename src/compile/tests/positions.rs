//! Positions, checked against CPython 3.13's `co_positions()` for the same source.

use super::*;

const SRC: &str = r#"def f(obj, d):
    r = (obj
         .meth(1))
    s = d["é"] + obj.attr
    t = obj.a.b(
        2)
    return r
def g(v):
    assert v > 1, "m"
    if v:
        h()
def k(xs):
    for x in xs:
        x.y()
def w(l):
    with l:
        return 1
def u(p):
    a, (b, c) = p
    return a
"#;

#[test]
fn calls_attributes_subscripts() {
    let code = compile(SRC);
    let f = code_named(&code, "f");
    // A method call whose attribute is on another line starts at the attribute name.
    assert_eq!(positions_of(&f, "LoadMethod"), ["3:10-3:14", "5:8-5:15"]);
    assert_eq!(positions_of(&f, "CallMethod"), ["3:10-3:17", "5:8-6:10"]);
    // Columns are UTF-8 byte offsets ("é" is two bytes).
    assert_eq!(positions_of(&f, "BinarySubscr"), ["4:8-4:15"]);
    assert_eq!(positions_of(&f, "LoadAttr"), ["4:18-4:26", "5:8-5:13"]);
    assert_eq!(positions_of(&f, "BinaryOp"), ["4:8-4:26"]);
    assert_eq!(positions_of(&f, "ReturnValue"), ["7:4-7:12"]);
}

#[test]
fn assert_and_implicit_returns() {
    let code = compile(SRC);
    let g = code_named(&code, "g");
    assert_eq!(positions_of(&g, "LoadAssertionError"), ["9:4-9:21"]);
    assert_eq!(positions_of(&g, "Call"), ["9:4-9:21", "11:8-11:11"]);
    // The AssertionError is raised at the test.
    assert_eq!(positions_of(&g, "Raise"), ["9:11-9:16"]);
    assert_eq!(positions_of(&g, "Compare"), ["9:11-9:16"]);
    // The implicit `return None` is duplicated: after h() it is at h(); reached by the jump of
    // the `if`, at the test.
    assert_eq!(positions_of(&g, "ReturnValue"), ["11:8-11:11", "10:7-10:8"]);
}

#[test]
fn loops_with_and_unpacking() {
    let code = compile(SRC);
    let k = code_named(&code, "k");
    assert_eq!(positions_of(&k, "GetIter"), ["13:13-13:15"]);
    assert_eq!(positions_of(&k, "ForIter"), ["13:13-13:15"]);
    // After the loop, the implicit return takes the iterable's position (CPython's END_FOR).
    assert_eq!(positions_of(&k, "ReturnValue"), ["13:13-13:15"]);
    let w = code_named(&code, "w");
    assert_eq!(positions_of(&w, "BeforeWith"), ["16:9-16:10"]);
    // `return 1` inside `with` returns at the with item (the exit call ran last).
    assert_eq!(positions_of(&w, "Call"), ["16:9-16:10"]);
    assert_eq!(positions_of(&w, "ReturnValue")[0], "16:9-16:10");
    assert_eq!(positions_of(&w, "PushExcInfo"), ["16:9-16:10"]);
    let u = code_named(&code, "u");
    assert_eq!(
        positions_of(&u, "UnpackSequence"),
        ["19:4-19:13", "19:7-19:13"]
    );
}

#[test]
fn module_level_positions() {
    let code = compile(SRC);
    // def: MakeFunction and the store at the whole statement; the module's implicit return at
    // the last statement.
    assert_eq!(positions_of(&code, "MakeFunction")[0], "1:0-7:12");
    assert_eq!(positions_of(&code, "ReturnValue"), ["18:0-20:12"]);
}

#[test]
fn exception_handler_positions() {
    let src = "def f():\n    try:\n        a()\n    except ValueError as e:\n        b(e)\n    except KeyError:\n        c()\n";
    let f = code_named(&compile(src), "f");
    assert_eq!(positions_of(&f, "PushExcInfo"), ["None"]);
    assert_eq!(positions_of(&f, "CheckExcMatch"), ["4:4-5:12", "6:4-7:11"]);
    // No clause matched: re-raised at the last clause (inherited through its jump).
    assert_eq!(positions_of(&f, "Reraise"), ["None", "6:4-7:11", "None"]);
    let src = "def g():\n    try:\n        1 / 0\n    finally:\n        print()\n        x = 1\n";
    let g = code_named(&compile(src), "g");
    // The finally body's re-raise (the frame's last line if it propagates) is at its last
    // statement.
    assert_eq!(positions_of(&g, "Reraise"), ["6:8-6:9", "None"]);
}

#[test]
fn return_locations() {
    // `return <constant>` inside try/finally returns after the finally body.
    let src = "def f():\n    try:\n        return 1\n    finally:\n        g()\n";
    let f = code_named(&compile(src), "f");
    assert_eq!(positions_of(&f, "ReturnValue"), ["5:8-5:11"]);
    // Lambdas return at their body.
    let code = compile("k = lambda v: None if v == 1 else v\n");
    let l = code_named(&code, "<lambda>");
    assert!(positions_of(&l, "ReturnValue")
        .iter()
        .all(|p| p == "1:14-1:35"));
}

#[test]
fn fstring_and_comprehension_positions() {
    let code = compile("s = f'{a!r:>{b}} and {b}'\nx = [i * 2 for i in range(3)]\n");
    assert_eq!(
        positions_of(&code, "FormatValue"),
        ["1:12-1:15", "1:6-1:16", "1:21-1:24"]
    );
    assert_eq!(
        positions_of(&code, "BuildString"),
        ["1:10-1:15", "1:4-1:25"]
    );
    assert_eq!(positions_of(&code, "GetIter"), ["2:20-2:28"]);
    assert_eq!(positions_of(&code, "ForIter"), ["2:20-2:28"]);
    assert_eq!(positions_of(&code, "ListAppend"), ["2:5-2:10"]);
    assert_eq!(positions_of(&code, "BuildList"), ["2:4-2:29"]);
}
