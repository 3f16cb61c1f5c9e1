# A call whose frameless path (jit/compile/leaf.rs) leaves at a comparison of small ints
# starts its activation past that comparison, where the code goes on (code/leaf.rs, step 5).
# The activation must be indistinguishable from one that ran the comparison itself.
import sys
import traceback


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("fib", [fib(i) for i in range(20)], fib(2.0), fib(-(2 ** 70)))


# The body after the comparison fails: the traceback's lines are the body's.
def boom(n):
    if n < 3:
        return n
    if n == 7:
        raise ValueError("seven")
    return boom(n - 1) + 1


try:
    boom(12)
except ValueError as e:
    entries = traceback.extract_tb(e.__traceback__)
    print("boom", [(fs.name, fs.lineno, fs.line) for fs in entries])


# Frames of resumed activations: their line, their caller, their locals.
def where(n):
    if n <= 0:
        return n
    if n == 1:
        f = sys._getframe()
        return (f.f_lineno, f.f_code.co_name, f.f_back.f_lineno, f.f_back.f_locals["n"],
                sorted(f.f_locals))
    return where(n - 1)


print("where", where(5))


# Two comparisons: the second one leaves the path (the first held), or the first does.
def two(n, m):
    if n < 2:
        if m > 3:
            return n
        return two(n, m + 1) + 10
    return two(n - 1, m) + 100


print("two", two(1, 5), two(1, 2), two(4, 0), two(4, 9), two(1.0, 5), two(1, 3.5))


# The jump side is the path: the other side falls through (no resumption there).
def down(n, acc):
    if n != 0:
        return down(n - 1, acc + n)
    return acc


print("down", down(30, 0), down(0, 5))


# The resumed code starts a loop and a try block.
def loops(n):
    if n < 1:
        return 0
    total = 0
    for i in range(n):
        total += i
    try:
        if n == 4:
            raise KeyError(n)
        total += loops(n - 1)
    except KeyError as e:
        total = -e.args[0]
    return total


print("loops", loops(6), loops(4), loops(1), loops(0))


# The recursion limit, for calls entering past the comparison.
def deep(n):
    if n < 1:
        return 0
    return deep(n - 1) + 1


limit = sys.getrecursionlimit()
sys.setrecursionlimit(80)
results = []
for n in range(60, 90):
    try:
        results.append(deep(n))
    except RecursionError as e:
        print("deep limit", n, results[-1] if results else None, e)
        break
sys.setrecursionlimit(limit)
print("deep after", deep(200))


# A frame object taken in a resumed activation outlives it; its f_back chain is whole.
def keep(n, out):
    if n < 1:
        return out
    out.append(sys._getframe())
    return keep(n - 1, out)


frames = keep(4, [])
print("keep", [f.f_code.co_name for f in frames], [f.f_lineno for f in frames],
      [f.f_back.f_code.co_name for f in frames])
