import sys
import traceback

try:
    (5).real_part
except AttributeError as e:
    print("int attr", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    [].apend(1)
except AttributeError as e:
    print("list typo", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    {}.iterms()
except AttributeError as e:
    print("dict typo", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    "x".uper()
except AttributeError as e:
    print("str typo", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    None.value
except AttributeError as e:
    print("none attr", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    (1, 2).append(3)
except AttributeError as e:
    print("tuple attr", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    sys.getrecursionlimt()
except AttributeError as e:
    print("module attr", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    sys.zzzzzzzz
except AttributeError as e:
    print("module far", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
try:
    True.nothing
except AttributeError as e:
    print("bool attr", "->", e)
    print("  ", traceback.format_exception_only(e)[-1], end="")
print(hasattr([], "append"), hasattr([], "nope"), hasattr(sys, "setrecursionlimit"))
print(hasattr("s", "upper"), hasattr({}, "items"), hasattr(None, "x"))
[].apend(1)
