# A function calling itself through its global enters its own compiled code directly
# (jit/compile/calls.rs) when the arguments fill its parameters exactly; otherwise the call
# binds them as any call does. Generators calling themselves create generators.
import sys


def walk(n):
    if n > 0:
        yield from walk(n - 1)
    yield n


print("generator", list(walk(6)))


async def coro(n):
    if n > 0:
        return await coro(n - 1) + n
    return 0


c = coro(5)
try:
    c.send(None)
except StopIteration as e:
    print("coroutine", e.value)


# Fewer arguments than parameters: the default fills the rest on every call.
def with_default(n, step=1):
    if n <= 0:
        return n
    return with_default(n - step)


print("default", with_default(10), with_default(10, 3))


# More arguments than parameters: a TypeError from the call, in the caller's frame.
def too_many(n):
    if n == 3:
        return too_many(n, 1)
    return too_many(n + 1)


try:
    too_many(0)
except TypeError as e:
    tb = e.__traceback__
    depth = 0
    while tb is not None:
        depth += 1
        tb = tb.tb_next
    print("too many", e, depth)


# The frames of a self-recursion are ordinary frames: f_back, f_locals, the line numbers.
def chain(n, acc):
    if n == 0:
        f = sys._getframe()
        out = []
        while f.f_code.co_name == "chain":
            out.append((f.f_locals["n"], f.f_lineno))
            f = f.f_back
        return out
    return chain(n - 1, acc + [n])


print("frames", chain(4, []))


# The global rebound while the recursion runs: the next call goes to the new function.
def rebound(n):
    global rebound
    if n == 2:
        rebound = lambda k: ("replaced", k)
    if n == 0:
        return "bottom"
    return rebound(n - 1)


print("rebound", rebound(4))


# Errors inside, deep.
def failing(n):
    if n == 0:
        return 1 // n
    return failing(n - 1) + 1


try:
    failing(20)
except ZeroDivisionError as e:
    tb = e.__traceback__
    lines = []
    while tb is not None:
        lines.append(tb.tb_lineno)
        tb = tb.tb_next
    print("failing", e, len(lines), lines[:3], lines[-2:])
