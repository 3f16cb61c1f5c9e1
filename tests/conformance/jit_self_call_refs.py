# Self-recursive calls in compiled code: the callee word of `f(...)` inside `f` holds no
# reference of its own. Every way the value stack can be cut or handed over while such a call
# is being set up must leave reference counts exact: an argument that raises (caught here or
# further out), a guard that deoptimizes (ints leaving the small range), a RecursionError from
# the callee, nested self-calls, and a function that rebinds its own name mid-recursion.
import sys


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


def boom(n, unused):
    if n == 0:
        return 0
    return boom(n - 1, 10 // (n - 3))


def caught(n, unused):
    try:
        return caught(n - 1, (1, 2)[n - 3])
    except IndexError as e:
        return ("caught at", n, str(e))


def deep(n):
    return deep(n + 1)


def nested(n):
    if n <= 0:
        return 1
    return nested(nested(n - 1) - 1) + 1


def big(n, acc):
    if n == 0:
        return acc
    return big(n - 1, acc * 1_000_003 + n)


def renamer(n):
    global renamer
    if n == 5:
        renamer = lambda k: ("replaced", k)
    if n == 0:
        return "bottom"
    return renamer(n - 1)


def tb_frames(n):
    if n == 0:
        raise KeyError("deepest")
    return tb_frames(n - 1)


for _ in range(20):
    fact(10)
print(fact(25))
for i in range(3):
    try:
        boom(6, 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
print(caught(4, 0))
old = sys.getrecursionlimit()
sys.setrecursionlimit(200)
try:
    deep(0)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(old)
print([nested(k) for k in range(6)])
print(big(30, 1) % 1_000_000_007)
r = renamer
print(r(8), renamer(3))
try:
    tb_frames(4)
except KeyError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        if tb.tb_frame.f_code.co_name != "<module>":
            names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, dict(tb.tb_frame.f_locals)))
        tb = tb.tb_next
    print(names)
print(fact(12) == 479001600)
boom(5, 0)
