# Returns that read the value the instruction before them produced, and calls of the running
# function against calls of other functions from the same site, in every JIT mode.
import sys


def add(a, b):
    return a + b


def sub1(n):
    return n - 1


def ident(x):
    return x


def fact(n):
    if n < 2:
        return 1
    return n * fact(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def other(n):
    return n + 1000


def swapper(n):
    # Rebinds its own global name halfway: the same call site then calls another function.
    global swapper
    if n == 3:
        swapper = other
    if n == 0:
        return 0
    return swapper(n - 1)


def in_loop(items):
    for x in items:
        if x > 2:
            return x * 10
    return -1


def in_finally(n):
    try:
        return n + 1
    finally:
        print("finally", n)


def maybe_unbound(flag):
    if flag:
        y = 5
    return y


def raising(n):
    if n == 0:
        raise ValueError("bottom")
    return raising(n - 1)


def raise_in_return(a, b):
    return a + b


for _ in range(300):
    assert add(2, 3) == 5
    assert sub1(10) == 9
    assert ident("s") == "s"
    fib(8)

print(add(2, 3), add(2**62, 2**62), add("a", "b"), add([1], [2]), add(1.5, 2))
print(sub1(5), sub1(-2**62), sub1(2.5))
print(ident(None), ident(7), ident((1, 2)))
print(fact(20), fact(25))
print(fib(20))
print(swapper(6), swapper(6))
print(in_loop([1, 2, 3, 4]), in_loop([]))
print(in_finally(4))
print(maybe_unbound(True))
try:
    maybe_unbound(False)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
try:
    raising(5)
except ValueError as e:
    tb = e.__traceback__
    n = 0
    while tb is not None:
        n += 1
        tb = tb.tb_next
    print("ValueError", e, "entries", n)
try:
    raise_in_return(1, "x")
except TypeError as e:
    print("TypeError:", e, e.__traceback__.tb_next.tb_frame.f_code.co_name)
twins = []
for _ in range(2):
    # Two functions of one code: the first one's body calls the second through the global.
    def twin(n):
        if n == 0:
            return 0
        return twin(n - 1) + 1
    twins.append(twin)
for _ in range(300):
    twins[0](3)
print(twins[0](20), twins[1](20), twins[0] is twin)
sys.setrecursionlimit(60)
try:
    fib(100)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(1000)
print(raise_in_return(None, 1))
