# A recursion unwound by an exception joins one run frame by frame (frame/unwind.rs), and a
# frame that cannot (another code, another exception, a frame someone observed) settles it
# first. Whichever way each frame went, the traceback, the frames' final locals and their
# f_back links must be CPython's.
import sys

sys.setrecursionlimit(5000)


def chain(tb):
    out = []
    while tb is not None:
        f = tb.tb_frame
        loc = sorted((k, v.__name__ if callable(v) else v) for k, v in f.f_locals.items())
        out.append((f.f_code.co_name, tb.tb_lineno, loc))
        tb = tb.tb_next
    return out


def linked(tb):
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    ok = True
    for i in range(len(frames) - 1):
        ok = ok and frames[i + 1].f_back is frames[i]
    return ok


# Unbound and rebound locals at the moment each frame ends.
def unbound(n):
    if n % 2 == 0:
        later = n * 3
    if n == 0:
        raise ValueError("bottom")
    unbound(n - 1)
    after = 1


def run(label, f, a, b=None):
    try:
        f(a) if b is None else f(a, b)
    except Exception as e:
        print(label, type(e).__name__, e, linked(e.__traceback__))
        for entry in chain(e.__traceback__):
            print("   ", entry)
        ctx = e.__context__
        while ctx is not None:
            print("    context", type(ctx).__name__, ctx, linked(ctx.__traceback__))
            for entry in chain(ctx.__traceback__):
                print("       ", entry)
            ctx = ctx.__context__


run("unbound", unbound, 5)


# Two functions alternating: every frame's code differs from its callee's.
def ping(n):
    if n == 0:
        raise KeyError("ping")
    return pong(n - 1)


def pong(n):
    return ping(n - 1) if n else ping(0)


run("alternating", ping, 7)


# Runs of one function broken by another every few frames.
def outer(n):
    if n == 0:
        raise IndexError("deep")
    if n % 4 == 0:
        return inner(n - 1)
    return outer(n - 1)


def inner(n):
    x = n
    return outer(n)


run("broken runs", outer, 10)


# A handler in the middle replaces the exception: the frames below end by one, those above by
# the other, chained.
def replacing(n, at):
    if n == 0:
        raise LookupError("first")
    if n == at:
        try:
            replacing(n - 1, at)
        except LookupError as e:
            raise RuntimeError("second") from None if n > 100 else RuntimeError("second")
    return replacing(n - 1, at)


run("replaced", replacing, 6, 3)


# The same code under two function objects (a global rebound mid-recursion).
def make():
    def rec(n, depth):
        if n == 0:
            raise ArithmeticError("made")
        return rec_global(n - 1, depth + 1)
    return rec


rec_global = make()
first = make()


def start(n):
    return first(n, 0)


run("two functions", start, 4)


# A frame of the recursion observed while it runs (sys._getframe at the bottom): the run must
# stop there and give that frame the identity that was handed out.
seen = []


def observed(n):
    if n == 2:
        seen.append(sys._getframe())
    if n == 0:
        raise TypeError("observed")
    return observed(n - 1)


try:
    observed(5)
except TypeError as e:
    frames = []
    tb = e.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    found = False
    for f in frames:
        found = found or f is seen[0]
    print("observed identity", found, seen[0].f_locals, linked(e.__traceback__))
    print("observed back", seen[0].f_back.f_locals, seen[0].f_back.f_back.f_locals)


# Deep enough for the run's chunks to grow several times, read from the middle first.
def deep(n):
    if n == 0:
        raise EOFError("deep")
    return deep(n - 1)


try:
    deep(3000)
except EOFError as e:
    tbs = []
    tb = e.__traceback__
    while tb is not None:
        tbs.append(tb)
        tb = tb.tb_next
    mid = tbs[1500].tb_frame
    print("deep", len(tbs), mid.f_locals, mid.f_back.f_locals, tbs[-1].tb_frame.f_locals)
    print("deep linked", linked(e.__traceback__))
