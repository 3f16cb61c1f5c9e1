# Frames of a recursion unwinding append themselves to the thread's pending run in compiled
# code (the run's chunks fill and grow at 8, 24, 56, ... frames): every frame's traceback line,
# locals and f_back must still read as CPython's, whatever the depth.
import sys


def down(n, tag, box):
    extra = [n] * (n % 3)
    if n == 0:
        raise KeyError(tag)
    return down(n - 1, tag, box) + 1


def summary(e):
    tb = e.__traceback__
    lines = []
    prev = None
    while tb is not None:
        f = tb.tb_frame
        if prev is not None and f.f_back is not prev:
            lines.append("broken f_back")
        prev = f
        loc = f.f_locals
        lines.append((tb.tb_lineno, loc.get("n"), len(loc.get("extra", ())), loc.get("tag")))
        tb = tb.tb_next
    return lines


for depth in list(range(0, 20)) + [23, 24, 25, 55, 56, 57, 119, 120, 121, 500]:
    box = object()
    try:
        down(depth, "t%d" % depth, box)
    except KeyError as e:
        s = summary(e)
        assert len(s) == depth + 2, (depth, len(s))
        assert all(x[1] == depth - i for i, x in enumerate(s[1:])), depth
        if depth in (0, 8, 25, 500):
            print(depth, s[:3], s[-2:])

# No locals at all: a recursion on a global counter.
K = 0


def nolocals():
    global K
    K -= 1
    if K == 0:
        raise ValueError("no locals")
    nolocals()


for k in (1, 7, 8, 9, 30):
    K = k
    try:
        nolocals()
    except ValueError as e:
        tb = e.__traceback__
        count = 0
        while tb is not None:
            count += 1
            assert tb.tb_frame.f_locals == {} or count == 1
            tb = tb.tb_next
        print("nolocals", k, count)


# Many locals, some unbound when the frame ends, some holding the only reference to an object.
def wide(n):
    a = ["only%d" % n]
    b = (n, n)
    if n % 2:
        c = "odd"
    d = [a]
    if n == 0:
        raise RuntimeError("wide")
    e = wide(n - 1)
    return e


try:
    wide(12)
except RuntimeError as err:
    tb = err.__traceback__.tb_next
    while tb is not None:
        loc = tb.tb_frame.f_locals
        print(tb.tb_lineno, sorted(loc), loc["a"], loc["d"][0] is loc["a"], loc.get("c"))
        tb = tb.tb_next


# The caller's frame object exists before the raise (taken mid-recursion): the run stops
# there, and the frames on both sides still link.
held = []


def grab(n, at):
    if n == at:
        held.append(sys._getframe(1))
    if n == 0:
        raise LookupError("grab")
    grab(n - 1, at)


for at in (0, 1, 5, 9):
    held.clear()
    try:
        grab(10, at)
    except LookupError as e:
        tb = e.__traceback__
        frames = []
        while tb is not None:
            frames.append(tb.tb_frame)
            tb = tb.tb_next
        i = frames.index(held[0])
        print("grab", at, i, frames[i].f_locals["n"], frames[i + 1].f_back is frames[i],
              all(frames[j + 1].f_back is frames[j] for j in range(1, len(frames) - 1)))


# Deep, then the traceback read from the far end only.
def deep(n):
    if n == 0:
        raise OverflowError("deep")
    deep(n - 1)


sys.setrecursionlimit(20000)
try:
    deep(15000)
except OverflowError as e:
    tb = e.__traceback__
    last = None
    count = 0
    while tb is not None:
        last = tb
        count += 1
        tb = tb.tb_next
    f = last.tb_frame
    print("deep", count, f.f_locals, f.f_back.f_locals, f.f_back.f_back.f_lineno)
