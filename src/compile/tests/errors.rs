//! Compile errors: unsupported constructs, CPython's compile-time errors, parse errors, limits.

use super::*;

/// (kind, msg, line, offset, end_line, end_offset)
fn err(src: &str) -> (&'static str, String, u32, u32, u32, u32) {
    let e = compile_err(src);
    (e.kind, e.msg, e.line, e.offset, e.end_line, e.end_offset)
}

fn msg(src: &str) -> String {
    compile_err(src).msg
}

#[test]
fn unsupported_constructs_name_themselves() {
    let e = err("x = 1\nclass A:\n    pass\n");
    assert_eq!(e.0, "SyntaxError");
    assert_eq!(e.1, "'class' definitions are not supported by shadowpy");
    assert_eq!((e.2, e.3), (2, 1));
    let cases = [
        (
            "async def f():\n    yield 1\n",
            "asynchronous generators",
            2,
        ),
        (
            "async def f():\n    x = [await z for z in y]\n",
            "'await' in comprehensions",
            2,
        ),
        (
            "def f():\n    x = 1\n    def g():\n        nonlocal x\n",
            "'nonlocal' declarations",
            4,
        ),
        ("f(*a)\n", "'*' arguments", 1),
        ("f(**a)\n", "'**' arguments", 1),
        ("def f(*args): pass\n", "'*args' parameters", 1),
        ("def f(**kw): pass\n", "'**kwargs' parameters", 1),
        ("def f(a, *, b): pass\n", "keyword-only parameters", 1),
        ("def f(a, /, b): pass\n", "positional-only parameters", 1),
        ("@dec\ndef f(): pass\n", "decorators", 1),
        ("if (x := 1): pass\n", "assignment expressions (':=')", 1),
        ("match x:\n    case 1: pass\n", "'match' statements", 1),
        ("a, *b = c\n", "starred assignment targets", 1),
        ("x = [*a]\n", "starred expressions", 1),
        ("del a.b\n", "'del' statements on attributes", 1),
        ("import a.b\n", "imports of dotted module names", 1),
        ("from . import x\n", "relative imports", 1),
        ("from x import *\n", "'import *' statements", 1),
        ("def f(a: int): pass\n", "annotations", 1),
        ("x = b'a'\n", "bytes literals", 1),
        ("x = 1j\n", "complex numbers", 1),
        (
            "try:\n    pass\nexcept* E:\n    pass\n",
            "'except*' clauses",
            1,
        ),
        ("type X = int\n", "'type' statements", 1),
        ("x = {**a}\n", "'**' in dict displays", 1),
    ];
    for (src, what, line) in cases {
        let e = compile_err(src);
        assert_eq!(e.kind, "SyntaxError", "{src:?}");
        assert_eq!(
            e.msg,
            format!("{what} are not supported by shadowpy"),
            "{src:?}"
        );
        assert_eq!(e.line, line, "{src:?}");
    }
}

#[test]
fn closures_are_rejected() {
    let e = err("def f():\n    x = 1\n    def g():\n        return x\n");
    assert_eq!(
        e.1,
        "closures are not supported by shadowpy: 'x' in 'g' refers to a local variable of the enclosing function 'f'"
    );
    assert_eq!((e.2, e.3, e.4, e.5), (4, 16, 4, 17));
    let e = err("def f():\n    return [lambda: i for i in range(3)]\n");
    assert!(
        e.1.contains("'i' in '<lambda>' refers to a comprehension variable in 'f'"),
        "{}",
        e.1
    );
    let e = err("def f():\n    y = 1\n    def g():\n        return [y for _ in z]\n");
    assert!(e.1.starts_with("closures are not supported"), "{}", e.1);
    // Not closures: globals, names the enclosing function declares global, module names.
    compile("x = 1\ndef f():\n    def g():\n        return x\n    return g\n");
    compile("def f():\n    global x\n    x = 1\n    def g():\n        return x\n");
    compile("def f():\n    a = [1]\n    key = lambda p: p\n    return sorted(a, key=key)\n");
}

#[test]
fn cpython_compile_errors() {
    assert_eq!(
        err("return 1\n"),
        (
            "SyntaxError",
            "'return' outside function".into(),
            1,
            1,
            1,
            9
        )
    );
    assert_eq!(
        err("for x in y:\n    pass\nbreak\n").1,
        "'break' outside loop"
    );
    assert_eq!(err("continue\n").1, "'continue' not properly in loop");
    assert_eq!(
        err("def f(a, a): pass\n"),
        (
            "SyntaxError",
            "duplicate argument 'a' in function definition".into(),
            1,
            10,
            1,
            11
        )
    );
    assert_eq!(
        err("f(x=1, x=2)\n"),
        (
            "SyntaxError",
            "keyword argument repeated: x".into(),
            1,
            8,
            1,
            11
        )
    );
    assert_eq!(
        err("try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n"),
        (
            "SyntaxError",
            "default 'except:' must be last".into(),
            3,
            1,
            4,
            7
        )
    );
    assert_eq!(
        err("def f():\n    x = 1\n    global x\n"),
        (
            "SyntaxError",
            "name 'x' is assigned to before global declaration".into(),
            3,
            5,
            3,
            13
        )
    );
    assert_eq!(
        msg("def f():\n    print(x)\n    global x\n"),
        "name 'x' is used prior to global declaration"
    );
    assert_eq!(
        msg("def f(x):\n    global x\n"),
        "name 'x' is parameter and global"
    );
}

#[test]
fn parse_errors() {
    assert_eq!(
        err("x = 1 +\n"),
        ("SyntaxError", "invalid syntax".into(), 1, 8, 1, 9)
    );
    assert_eq!(err("x = $\n").1, "invalid syntax");
    let e = compile_err("if x:\npass\n");
    assert_eq!(e.kind, "IndentationError");
    assert_eq!(
        e.msg,
        "expected an indented block after 'if' statement on line 1"
    );
    assert_eq!((e.line, e.offset, e.end_offset), (2, 1, 5));
    assert_eq!(e.text.as_deref(), Some("pass\n"));
    assert_eq!(
        msg("def f(\n  a):\nreturn\n"),
        "expected an indented block after function definition on line 1"
    );
    let e = compile_err("if x:\n  a\n    b\n");
    assert_eq!(
        (e.kind, e.msg.as_str(), e.line, e.offset),
        ("IndentationError", "unexpected indent", 3, 4)
    );
    assert_eq!(
        compile_err("if x:\n    a\n  b\n").msg,
        "unindent does not match any outer indentation level"
    );
    assert_eq!(
        err("x = \"abc\n"),
        (
            "SyntaxError",
            "unterminated string literal (detected at line 1)".into(),
            1,
            5,
            1,
            5
        )
    );
    assert_eq!(
        err("x = (1,\n"),
        ("SyntaxError", "'(' was never closed".into(), 1, 5, 1, 0)
    );
    assert_eq!(
        err("x = )\n"),
        ("SyntaxError", "unmatched ')'".into(), 1, 5, 1, 5)
    );
    assert_eq!(
        msg("x = [1, 2)\n"),
        "closing parenthesis ')' does not match opening parenthesis '['"
    );
    // Offsets count characters, not bytes.
    let e = compile_err("é = 1; class X: pass\n");
    assert_eq!((e.line, e.offset), (1, 8));
    assert_eq!(e.filename, "t.py");
}

#[test]
fn limits() {
    let deep = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    assert_eq!(
        err(&deep),
        (
            "SyntaxError",
            "too many nested parentheses".into(),
            1,
            205,
            1,
            205
        )
    );
    compile(&format!("x = {}1{}\n", "(".repeat(200), ")".repeat(200)));
    let blocks: String = (0..22)
        .map(|i| format!("{}for x{i} in y:\n", "  ".repeat(i)))
        .collect();
    let e = compile_err(&format!("{blocks}{}pass\n", "  ".repeat(22)));
    assert_eq!(
        (e.msg.as_str(), e.line, e.offset),
        ("too many statically nested blocks", 22, 43)
    );
    let ok: String = (0..21)
        .map(|i| format!("{}for x{i} in y:\n", "  ".repeat(i)))
        .collect();
    compile(&format!("{ok}{}pass\n", "  ".repeat(21)));
    let indents: String = (0..100)
        .map(|i| format!("{}if x:\n", " ".repeat(i)))
        .collect();
    let e = compile_err(&format!("{indents}{}pass\n", " ".repeat(100)));
    assert_eq!(
        (e.kind, e.msg.as_str(), e.line),
        ("IndentationError", "too many levels of indentation", 101)
    );
    // Deep nesting without brackets is an error, not a stack overflow.
    let e = compile_err(&format!("x = {}y\n", "not ".repeat(50_000)));
    assert!(
        e.msg.starts_with("too many nested expressions"),
        "{}",
        e.msg
    );
    let e = compile_err(&format!("x = a{}\n", ".b".repeat(50_000)));
    assert!(
        e.msg.starts_with("too many nested expressions"),
        "{}",
        e.msg
    );
}

#[test]
fn every_conformance_program_compiles() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let skip = std::fs::read_to_string(root.join("tests/conformance/SKIP")).unwrap_or_default();
    let skipped: Vec<&str> = skip
        .lines()
        .filter_map(|l| l.split('#').next())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut seen = 0;
    for dir in [
        root.join("tests/conformance"),
        root.join("../shared/conformance"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("py") {
                continue;
            }
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if skipped.contains(&stem) {
                continue;
            }
            // Programs that CPython itself refuses to compile test our SyntaxErrors.
            let err = std::fs::read_to_string(path.with_extension("err")).unwrap_or_default();
            if err
                .lines()
                .last()
                .is_some_and(|l| l.starts_with("SyntaxError:"))
            {
                continue;
            }
            let src = std::fs::read_to_string(&path).expect("readable");
            if let Err(e) = compile_module(&src, &path.to_string_lossy()) {
                panic!("{}: {e:?}", path.display());
            }
            seen += 1;
        }
    }
    assert!(seen > 0 || !root.join("tests/conformance").exists());
}
