"""Generates chain_cases.rs: whole `traceback.format_exception` outputs of CPython 3.13 for
programs whose exceptions have str arguments only, with everything the Rust test needs to
rebuild the same exceptions and tracebacks (code positions, chaining links). Traceback
entries are run-length encoded: (code, position, repeat).

Usage: PYENV_VERSION=3.13.0 python3 gen_chains.py [CASE_DIR] > chain_cases.rs
"""
import itertools, os, sys, traceback

PROGRAMS = {
"chained": ('''def inner():
    raise LookupError("missing")

def handler():
    try:
        inner()
    except LookupError:
        raise RuntimeError("handler failed")

def explicit():
    try:
        handler()
    except RuntimeError as e:
        raise ValueError("wrapped") from e

explicit()
''', [dict(), dict(chain=False), dict(limit=1), dict(limit=-1), dict(limit=0)]),
"deep": ('''import sys
sys.setrecursionlimit(30000)

def down(n):
    if n == 0:
        raise LookupError("reached the bottom")
    return down(n - 1)

down(20000)
''', [dict(), dict(limit=5), dict(limit=-5)]),
"alternating": ('''def a(n):
    if n == 0:
        raise ValueError("x")
    return b(n - 1)

def b(n):
    return a(n)

a(40)
''', [dict()]),
"mixed_runs": ('''def f(n, stop):
    if n == stop:
        raise RuntimeError("done")
    if n < 5:
        return f(n + 1, stop)
    return f(n + 1, stop)

f(0, 12)
''', [dict()]),
"exactly_four": ('''def f(n):
    if n == 0:
        raise RuntimeError
    return f(n - 1)

f(3)
''', [dict()]),
"cycle": ('''def go():
    try:
        try:
            raise ValueError("a")
        except ValueError as a:
            raise TypeError("b")
    except TypeError as b:
        a.__context__ = b
        raise
go()
''', [dict()]),
"from_none": ('''def go():
    try:
        raise ValueError("hidden")
    except ValueError:
        raise KeyboardInterrupt("shown") from None
go()
''', [dict()]),
"cause_and_context": ('''def go():
    try:
        raise ValueError("context")
    except ValueError:
        raise TypeError("effect") from RuntimeError("cause")
go()
''', [dict()]),
"syntax_error_raised": ('''def go():
    raise SyntaxError("bad thing", ("/x/f.py", 3, 5, "    y = = 2\\n", 3, 8))
go()
''', [dict()]),
"empty_message": ('''raise ValueError
''', [dict()]),
}

def rust_str(s):
    out = ['"']
    for ch in s:
        if ch == '\\': out.append('\\\\')
        elif ch == '"': out.append('\\"')
        elif ch == '\n': out.append('\\n')
        elif ord(ch) < 0x20: out.append('\\u{%x}' % ord(ch))
        else: out.append(ch)
    return ''.join(out) + '"'

def opt(v):
    return "None" if v is None else "Some(%d)" % v

def lit(v):
    if isinstance(v, str): return "Arg::Str(%s)" % rust_str(v)
    if isinstance(v, int): return "Arg::Int(%d)" % v
    if v is None: return "Arg::None"
    if isinstance(v, tuple): return "Arg::Tuple(&[%s])" % ", ".join(lit(x) for x in v)
    raise TypeError(v)

d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/tbo/chains"
os.makedirs(d, exist_ok=True)
out = ["// Generated from CPython 3.13 by `testdata/gen_chains.py`: do not edit.\n\n",
       "use super::{Arg, ChainCase, Exc, Run};\n\n",
       "pub(super) const CASES: &[ChainCase] = &[\n"]
for name, (src, runs) in PROGRAMS.items():
    path = os.path.join(d, name + ".py")
    with open(path, "w") as f:
        f.write(src)
    sys.setrecursionlimit(30000)
    try:
        exec(compile(src, path, "exec"), {"__name__": "__main__"})
    except BaseException as e:
        root = e
    # skip this script's own frame
    root.__traceback__ = root.__traceback__.tb_next
    excs, index = [], {}
    todo = [root]
    while todo:
        e = todo.pop()
        if id(e) in index: continue
        index[id(e)] = len(excs); excs.append(e)
        for x in (e.__cause__, e.__context__):
            if x is not None: todo.append(x)
    codes, code_index = [], {}
    def entry(tb):
        co = tb.tb_frame.f_code
        pos = next(itertools.islice(co.co_positions(), tb.tb_lasti // 2, None))
        if id(co) not in code_index:
            code_index[id(co)] = len(codes); codes.append((co.co_name, []))
        ci = code_index[id(co)]
        plist = codes[ci][1]
        if pos not in plist: plist.append(pos)
        return (ci, plist.index(pos))
    exc_lits = []
    for e in excs:
        tb, entries = e.__traceback__, []
        while tb is not None:
            k = entry(tb)
            if entries and entries[-1][0] == k:
                entries[-1][1] += 1
            else:
                entries.append([k, 1])
            tb = tb.tb_next
        entries = ["(%d, %d, %d)" % (k[0], k[1], n) for k, n in entries]
        exc_lits.append("Exc { kind: %s, args: &[%s], tb: &[%s], cause: %s, context: %s, suppress: %s }" % (
            rust_str(type(e).__name__), ", ".join(lit(a) for a in e.args), ", ".join(entries),
            opt(index.get(id(e.__cause__))), opt(index.get(id(e.__context__))), "true" if e.__suppress_context__ else "false"))
    code_lits = ["(%s, &[%s])" % (rust_str(n), ", ".join("(%s, %s, %s, %s)" % tuple(opt(x) for x in p) for p in ps)) for n, ps in codes]
    run_lits = []
    for kw in runs:
        text = "".join(traceback.format_exception(root, **kw))
        run_lits.append("Run { limit: %s, chain: %s, expected: %s }" % (
            opt(kw.get("limit")), "false" if kw.get("chain") is False else "true", rust_str(text)))
    out.append("    ChainCase {\n        name: %s,\n        filename: %s,\n        source: %s,\n        codes: &[%s],\n        excs: &[\n            %s,\n        ],\n        runs: &[\n            %s,\n        ],\n    },\n" % (
        rust_str(name), rust_str(path), rust_str(src), ", ".join(code_lits), ",\n            ".join(exc_lits), ",\n            ".join(run_lits)))
out.append("];\n")
sys.stdout.write("".join(out))
