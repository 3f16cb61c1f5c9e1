"""Generates oracle_cases.rs: CPython 3.13's frame formatting for a set of programs.

Usage: PYENV_VERSION=3.13.0 python3 gen_oracle.py [CASE_DIR] > oracle_cases.rs
The programs are written to CASE_DIR (default /tmp/tbo/cases), whose paths the expected
text names; the Rust tests never read those files (the source is embedded).
"""
import sys, traceback, os

CASES = {
"subscript": '''def inner():
    return {}["missing"]
inner()
''',
"binop": '''x = 1 + "a"
''',
"binop_in_func": '''def f(a, b):
    return a * 2 + b
f(1, "s")
''',
"nested_call": '''def parse(t):
    return int(t) * 2
def load(items):
    out = []
    for item in items:
        out.append(parse(item))
    return out
print(load(["3", "x", "5"]))
''',
"return_call": '''def g(x):
    raise ValueError(x)
def f(x):
    return g(x)
f(1)
''',
"assign_call": '''def g(x):
    raise ValueError(x)
x = g(1)
''',
"assign_attr_call": '''def g(x):
    raise ValueError(x)
class A: pass
a = A()
a.y = g(1)
''',
"return_call_plus": '''def g(x):
    raise ValueError(x)
def f(x):
    return g(x) + 1
f(1)
''',
"multiline_call": '''def foo(*a):
    raise ValueError(a)
x = foo(
    1,
    2,
)
''',
"multiline_binop": '''a = 1
b = "x"
y = (
    a
    +
    b
)
''',
"multiline_binop2": '''a = 1
b = "x"
y = (a +
     b)
''',
"nonascii": '''s = "héllo" + 1
''',
"wide": '''s = "日本語" + 1
''',
"emoji": '''s = ("😀😀", 1)[0] + 1
''',
"floordiv": '''x = 10
y = 0
z = x // y
''',
"pow_parens": '''z = (1) ** ("a")
''',
"shift_comment": '''z = (1 <<  # comment
     "a")
''',
"multiline_subscript": '''d = {}
v = d[
    "key"
]
''',
"deep_indent": '''def f():
    if True:
        if True:
            for i in range(1):
                return 1/0
f()
''',
"many_lines": '''def foo(*a):
    raise ValueError(a)
foo(1,
    2,
    3,
    4,
    5,
    6)
''',
"many_lines_binop": '''x = (1 +
     2 +
     3 +
     4 +
     "a")
''',
"zero_div": '''x = 1/0
''',
"raise_whole": '''raise ValueError("x")
''',
"attr_error": '''class A: pass
obj = A()
x = obj.attr
''',
"attr_error_whole": '''class A: pass
obj = A()
obj.attr
''',
"tabs": '''def f():
\tif True:
\t\treturn 1 + "a"
f()
''',
"nested_subscript": '''a = [[1]]
x = a[0][5]
''',
"method_call": '''x = [].pop(0)
''',
"call_call": '''def f(): return g
def g(y): raise ValueError(y)
f()(1)
''',
"backslash": '''x = 1 + \\
    "a"
''',
"call_comment": '''def foo(*a):
    raise ValueError(a)
foo(1,  # first
    2)  # second
''',
"expr_stmt_call": '''def foo(*a):
    raise ValueError(a)
foo(1)
''',
"expr_stmt_call_semicolon": '''def foo(*a):
    raise ValueError(a)
x = 1; foo(1)
''',
"paren_func_call": '''def foo(*a):
    raise ValueError(a)
(foo)(1)
''',
"kwcall": '''def foo(*a, **k):
    raise ValueError(a)
result = foo(1, key="v")
''',
"if_call": '''def foo(*a):
    raise ValueError(a)
if foo(1):
    pass
''',
"assert_stmt": '''x = 1
assert x == 2, "nope"
''',
"string_concat_nonascii_pre": '''x = "é" ; y = x + 1
''',
"wide_then_call": '''def foo(*a):
    raise ValueError(a)
z = ["日本", foo(1)]
''',
"multiline_ret_call": '''def g(*x):
    raise ValueError(x)
def f(x):
    return g(
        x)
f(1)
''',
"multiline_assign_call": '''def g(*x):
    raise ValueError(x)
x = g(
    1)
''',
"blank_line_in_call": '''def foo(*a):
    raise ValueError(a)
foo(1,

    2)
''',
"getitem_str": '''s = "abc"
c = s[10]
''',
"compare": '''x = 1 < "a"
''',
"unary": '''x = -"a"
''',
"augassign": '''x = 1
x += "a"
''',
"subscript_call_arg": '''d = {}
print(d["k"])
''',
"lambda_sort": '''xs = [3, "a", 1]
xs.sort(key=lambda v: v + 1)
''',
"binop_op_in_right": '''a = 1
b = "s"
c = a+-b
''',
"binop_two_char_op": '''a = 1
b = "s"
c = a**b
''',
"binop_right_starts_next": '''a = 1
b = "s"
c = a +b
''',
"dict_multiline_subscript": '''data = {"a": {"b": 1}}
x = data["a"][
    "c"
]
''',
}

def rust_str(s):
    out = ['"']
    for ch in s:
        if ch == '\\': out.append('\\\\')
        elif ch == '"': out.append('\\"')
        elif ch == '\n': out.append('\\n')
        elif ch == '\t': out.append('\\t')
        elif ch == '\r': out.append('\\r')
        elif ord(ch) < 0x20 or ord(ch) == 0x7f: out.append('\\u{%x}' % ord(ch))
        else: out.append(ch)
    out.append('"')
    return ''.join(out)

def opt(v):
    return "None" if v is None else "Some(%d)" % v

COLOR = True
out = []
out.append("// Generated from CPython 3.13 by `testdata/gen_oracle.py`: do not edit.\n\nuse super::tests::{Case, Frame};\n\n")
out.append("pub(super) const CASES: &[Case] = &[\n")
d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/tbo/cases"
os.makedirs(d, exist_ok=True)
for name, src in CASES.items():
    path = os.path.join(d, name + ".py")
    with open(path, "w") as f:
        f.write(src)
    g = {"__name__": "__main__"}
    try:
        exec(compile(src, path, "exec"), g)
    except Exception as e:
        tb = e.__traceback__.tb_next  # skip this script's frame
        stack = traceback.extract_tb(tb)
        full = "".join(traceback.format_exception(e)).replace('  File "/tmp/tbo/gen_cases.py"', "@@")
    else:
        raise SystemExit("no exception in " + name)
    frames = []
    ss = traceback.StackSummary()
    for fs in stack:
        text = ss.format_frame_summary(fs)
        frames.append("Frame { lineno: %s, end_lineno: %s, colno: %s, end_colno: %s, name: %s, expected: %s, expected_color: %s }" % (
            opt(fs.lineno), opt(fs.end_lineno), opt(fs.colno), opt(fs.end_colno), rust_str(fs.name), rust_str(text),
            COLOR and "Some(%s)" % rust_str(ss.format_frame_summary(fs, colorize=True)) or "None"))
    out.append("    Case {\n        name: %s,\n        filename: %s,\n        source: %s,\n        frames: &[\n            %s,\n        ],\n    },\n" % (
        rust_str(name), rust_str(path), rust_str(src), ",\n            ".join(frames)))

# Synthetic entries: FrameSummary objects with hand-picked positions, to reach the corners of
# format_frame_summary that compiled code rarely produces.
SYNTH = [
    ("synth_multibyte_cut", 'x = "日本" + y\n', [(1, 1, 6, 14), (1, 1, 5, 17), (1, 1, 4, 8)]),
    ("synth_less_indented", 'def f():\n        x = foo(\n    1)\n', [(2, 3, 12, 6), (2, 3, 8, 6)]),
    ("synth_odd_columns", 'value = compute(a, b)\n', [(1, 1, 40, 50), (1, 1, 8, 0), (1, 1, 12, 3), (1, 1, 0, 21), (1, 1, 8, 21)]),
    ("synth_backwards_lines", 'a = 1\nb = 2\n', [(2, 1, 0, 5)]),
    ("synth_past_end", 'a = 1\n', [(5, 5, 0, 3), (1, 3, 4, 2)]),
    ("synth_tabs_multiline", 'if x:\n\ty = (a +\n\t     b)\n', [(2, 3, 6, 7)]),
    ("synth_wide_second_line", 'z = f(\n    "日本",\n    g(1))\n', [(1, 3, 4, 9), (3, 3, 4, 8)]),
    ("synth_blank_middle", 'x = (a +\n\n\n\n     b)\n', [(1, 5, 5, 6)]),
    ("synth_formfeed", 'x = a\x0c + b\n', [(1, 1, 4, 10)]),
    ("synth_subscript_spaces", 'v = d [ 1 ]\n', [(1, 1, 4, 11)]),
    ("synth_call_spaces_comment", 'v = (f  # c\n  ) (1)\n', [(1, 2, 4, 7)]),
    ("synth_emoji_binop", 'x = "😀" + "😀" - 1\n', [(1, 1, 4, 24)]),
    ("synth_return_name_call", '    return foo(bar)\n', [(1, 1, 11, 19), (1, 1, 4, 19)]),
    ("synth_assign_two_targets", 'a = b = foo()\n', [(1, 1, 8, 13)]),
    ("synth_annassign", 'a: int = foo()\n', [(1, 1, 9, 14)]),
    ("synth_comment_only", '# just a comment\n', [(1, 1, 2, 6)]),
    ("synth_nonascii_return", 'return fé(x)\n', [(1, 1, 7, 13)]),
]
for name, src, positions in SYNTH:
    path = os.path.join(d, name + ".py")
    with open(path, "w") as f:
        f.write(src)
    frames = []
    ss = traceback.StackSummary()
    for (lineno, end_lineno, colno, end_colno) in positions:
        fs = traceback.FrameSummary(path, lineno, "synth", end_lineno=end_lineno, colno=colno, end_colno=end_colno)
        text = ss.format_frame_summary(fs)
        frames.append("Frame { lineno: %s, end_lineno: %s, colno: %s, end_colno: %s, name: %s, expected: %s, expected_color: %s }" % (
            opt(fs.lineno), opt(fs.end_lineno), opt(fs.colno), opt(fs.end_colno), rust_str(fs.name), rust_str(text),
            COLOR and "Some(%s)" % rust_str(ss.format_frame_summary(fs, colorize=True)) or "None"))
    out.append("    Case {\n        name: %s,\n        filename: %s,\n        source: %s,\n        frames: &[\n            %s,\n        ],\n    },\n" % (
        rust_str(name), rust_str(path), rust_str(src), ",\n            ".join(frames)))

COLOR = False
# Random positions over a small corpus: every entry CPython formats without raising.
import random
random.seed(3)
CORPUS = [
    'x = foo(a, b) + bar[1]\n',
    'def f():\n    return (a +\n            b) * c\n',
    '    y = "日本語" + obj.attr(1, "é")\n',
    'z = data["key"][\n    idx\n](arg)\n',
    'if value := compute(x):\n\tpass\n',
    'result = first(\n\n    second,  # comment\n    third) - 1\n',
    'w = a\\\n    + b\n',
]
for ci, src in enumerate(CORPUS):
    path = os.path.join(d, "fuzz_%d.py" % ci)
    with open(path, "w") as f:
        f.write(src)
    nlines = src.count("\n")
    frames = []
    ss = traceback.StackSummary()
    tries = 0
    while len(frames) < 30 and tries < 1000:
        tries += 1
        lineno = random.randint(1, nlines)
        end_lineno = random.randint(lineno, nlines)
        colno = random.randint(0, 40)
        end_colno = random.randint(0, 40)
        fs = traceback.FrameSummary(path, lineno, "fuzz", end_lineno=end_lineno, colno=colno, end_colno=end_colno)
        try:
            text = ss.format_frame_summary(fs)
        except Exception:
            continue
        frames.append("Frame { lineno: %s, end_lineno: %s, colno: %s, end_colno: %s, name: %s, expected: %s, expected_color: %s }" % (
            opt(fs.lineno), opt(fs.end_lineno), opt(fs.colno), opt(fs.end_colno), rust_str(fs.name), rust_str(text),
            COLOR and "Some(%s)" % rust_str(ss.format_frame_summary(fs, colorize=True)) or "None"))
    out.append("    Case {\n        name: %s,\n        filename: %s,\n        source: %s,\n        frames: &[\n            %s,\n        ],\n    },\n" % (
        rust_str("fuzz_%d" % ci), rust_str(path), rust_str(src), ",\n            ".join(frames)))
out.append("];\n")
sys.stdout.write("".join(out))
