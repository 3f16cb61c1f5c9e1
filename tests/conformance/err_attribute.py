import sys
import traceback

def attempt(label, fn):
    try:
        fn()
    except AttributeError as e:
        print(label, "->", e)
        print("  ", traceback.format_exception_only(e)[-1], end="")

attempt("int attr", lambda: (5).real_part)
attempt("list typo", lambda: [].apend(1))
attempt("dict typo", lambda: {}.iterms())
attempt("str typo", lambda: "x".uper())
attempt("none attr", lambda: None.value)
attempt("tuple attr", lambda: (1, 2).append(3))
attempt("module attr", lambda: sys.getrecursionlimt())
attempt("module far", lambda: sys.zzzzzzzz)
attempt("bool attr", lambda: True.nothing)
print(hasattr([], "append"), hasattr([], "nope"), hasattr(sys, "setrecursionlimit"))
print(hasattr("s", "upper"), hasattr(5, "bit_length"), hasattr(None, "x"))
[].apend(1)
