"""Generates tables.rs from CPython 3.13 (unicodedata 15.1.0, builtins, sys, dir()).

Usage: PYENV_VERSION=3.13.0 python3 gen_tables.py > ../tables.rs
"""
import unicodedata, sys, builtins
def ranges(pred):
    out=[]; start=None
    for c in range(0x110000):
        p = pred(c)
        if p and start is None: start=c
        if not p and start is not None: out.append((start,c-1)); start=None
    if start is not None: out.append((start,0x10ffff))
    return out
wide = ranges(lambda c: unicodedata.east_asian_width(chr(c)) in "WF")
space = ranges(lambda c: chr(c).isspace())
def fmt_ranges(name, doc, rs):
    s = "/// %s\npub(super) const %s: &[(u32, u32)] = &[\n" % (doc, name)
    for i in range(0, len(rs), 4):
        s += "    " + " ".join("(0x%x, 0x%x)," % r for r in rs[i:i+4]) + "\n"
    return s + "];\n\n"
def fmt_words(name, doc, words):
    s = "/// %s\npub(super) const %s: &[&str] = &[\n" % (doc, name)
    line = "   "
    for w in words:
        item = ' "%s",' % w
        if len(line) + len(item) > 99:
            s += line + "\n"; line = "   "
        line += item
    s += line + "\n];\n\n"
    return s
out = ["//! Tables generated from CPython 3.13.0 by `testdata/gen_tables.py`: do not edit.\n//!\n"
       "//! Unicode data is version %s, CPython 3.13's.\n\n" % unicodedata.unidata_version]
out.append(fmt_ranges("WIDE", "Code points whose East Asian Width is `W` or `F` (inclusive ranges, sorted).", wide))
out.append(fmt_ranges("SPACE", "Code points for which `str.isspace()` is true (inclusive ranges, sorted).", space))
out.append(fmt_words("BUILTIN_NAMES", "`list(builtins.__dict__)` of a CPython 3.13 script, in order: the `f_builtins` candidates of\n/// NameError suggestions.", list(builtins.__dict__)))
out.append(fmt_words("STDLIB_MODULE_NAMES", "`sorted(sys.stdlib_module_names)`.", sorted(sys.stdlib_module_names)))
# dir() listings
import traceback
def f(): pass
def gen(): yield 1
async def co(): pass
c = co()
try:
    raise ValueError
except ValueError as e:
    tb = e.__traceback__
objs = [
 ("Object", object()), ("Type", type), ("NoneType", None), ("Bool", True), ("Int", 1), ("Float", 1.0), ("Str", ""), ("Tuple", ()), ("List", []), ("Dict", {}), ("Set", set()),
 ("Range", range(1)), ("Slice", slice(1)), ("Function", f), ("Builtin", len), ("Code", f.__code__), ("Frame", sys._getframe()),
 ("Traceback", tb), ("FrameLocalsProxy", (lambda: sys._getframe().f_locals)()), ("Iterator", iter([])), ("DictView", {}.keys()),
 ("FrameSummary", traceback.FrameSummary("f", 1, "n")), ("StackSummary", traceback.StackSummary()), ("TextIO", sys.stdout),
 ("Generator", gen()), ("Coroutine", c),
]
c.close()
# The ExcKind variants of src/object/exc.rs.
KINDS=['BaseException', 'SystemExit', 'KeyboardInterrupt', 'GeneratorExit', 'Exception', 'StopIteration', 'StopAsyncIteration', 'ArithmeticError', 'OverflowError', 'ZeroDivisionError', 'AssertionError', 'AttributeError', 'BufferError', 'EOFError', 'ImportError', 'ModuleNotFoundError', 'LookupError', 'IndexError', 'KeyError', 'MemoryError', 'NameError', 'UnboundLocalError', 'OSError', 'FileNotFoundError', 'ReferenceError', 'RuntimeError', 'NotImplementedError', 'RecursionError', 'SyntaxError', 'IndentationError', 'SystemError', 'TypeError', 'ValueError', 'UnicodeError', 'UnicodeDecodeError', 'Warning']
s = "/// `dir()` of an instance of each builtin type (`TypeId` variant name), space-separated.\npub(super) const TYPE_DIRS: &[(&str, &str)] = &[\n"
for k, o in objs:
    s += '    ("%s", "%s"),\n' % (k, " ".join(dir(o)))
s += "];\n\n"
out.append(s)
s = "/// `dir()` of each builtin exception type (`ExcKind` variant name), space-separated.\npub(super) const EXC_DIRS: &[(&str, &str)] = &[\n"
for k in KINDS:
    s += '    ("%s", "%s"),\n' % (k, " ".join(dir(getattr(builtins, k))))
s += "];\n"
out.append(s)
sys.stdout.write("".join(out))
