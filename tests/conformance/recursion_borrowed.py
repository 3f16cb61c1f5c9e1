# A recursion's call through a callee window: the interpreter's new frame borrows the running
# function from its caller's frame (no reference counted), as compiled code does. Everything an
# observer can see of those frames, and every way the name can stop naming the running
# function, must be as CPython has it, also with threads running one function.
import sys
import threading


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("fib", [fib(i) for i in range(15)])


# Frames of the recursion: observed, kept after it returns, their f_back chains.
def keep(n, out):
    if n == 0:
        f = sys._getframe()
        chain = []
        while f is not None and f.f_code.co_name == "keep":
            chain.append(f.f_locals["n"])
            f = f.f_back
        out.append(chain)
        return sys._getframe()
    return keep(n - 1, out)


out = []
bottom = keep(6, out)
print("keep", out, bottom.f_code.co_name, sorted(bottom.f_locals), bottom.f_locals["n"],
      bottom.f_back.f_locals["n"])
del bottom


# An error at the bottom: the traceback's frames and lines; the frames' locals.
def fail(n):
    if n == 0:
        return 1 / n
    return fail(n - 1) + 1


try:
    fail(4)
except ZeroDivisionError as e:
    tb = e.__traceback__
    seen = []
    while tb is not None:
        seen.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_frame.f_locals.get("n")))
        tb = tb.tb_next
    print("fail", seen)


# The name rebound mid-recursion, and restored: the later calls find the new value.
def other(n):
    return ("other", n)


def rebind(n):
    global rebind
    if n == 0:
        return "bottom"
    if n == 3:
        saved = rebind
        rebind = other
        r = rebind(n - 1)
        rebind = saved
        return r
    return rebind(n - 1)


print("rebind", rebind(5), rebind(2))


# Defaults (the call does not fill the parameters): the general path.
def count(n, step=1):
    if n <= 0:
        return 0
    return count(n - step) + 1


print("count", count(10), count(10, 3))


# The recursion limit, reached through borrowed frames.
def deep(n):
    return deep(n + 1)


limit = sys.getrecursionlimit()
sys.setrecursionlimit(120)
try:
    deep(0)
except RecursionError as e:
    print("deep", e)
sys.setrecursionlimit(limit)


# Two functions of one code (a def run twice): the other one is not the running function.
fs = []
for tag in ("a", "b"):
    def rec(n, tag=tag):
        if n == 0:
            return tag
        return rec(n - 1)
    fs.append(rec)
print("twins", fs[0](3), fs[1](3), fs[0](0))


# Threads running the same recursion at once.
results = {}


def work(k):
    results[k] = [fib(20 + (k % 2)) for _ in range(3)]


ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("threads", sorted(results.items()))


# A generator function recursing (its frames are not borrowed): the general path.
def walk(n):
    if n > 0:
        yield n
        yield from walk(n - 1)


print("walk", list(walk(5)))
