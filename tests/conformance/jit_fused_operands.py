# A local operand with a small-int constant on the right (`n - 1`, `n < 2`, `x += 1`): compiled
# code reads the local in place when both are small ints, and every other case (floats, big
# ints, strs, lists, overflow, errors) must behave exactly as the interpreter does, with the
# local still intact afterwards.
import sys


def sub1(n):
    return n - 1


def add1(n):
    return n + 1


def mul3(n):
    return n * 3


def floordiv2(n):
    return n // 2


def mod7(n):
    return n % 7


def bits(n):
    return (n & 6, n | 1, n ^ 5)


def small(n):
    if n < 2:
        return "small"
    return "big"


def cmp_value(n):
    return n >= 10


def bump(x):
    x += 1
    x -= 3
    x *= 2
    return x


def keeps(x):
    y = x * 2
    z = x + 0 if isinstance(x, int) else x
    return x, y, z


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def loop(n):
    i = 0
    total = 0
    while i < n:
        total += i % 3
        i += 1
    return total


big = 2**62
values = [0, 1, -5, 41, 2**62 - 1, -(2**62), big, big * big, 2.5, -0.0, True, False]
for v in values:
    print(repr(v), sub1(v), add1(v), mul3(v), floordiv2(v), mod7(v), small(v), cmp_value(v))
for v in [0, 1, -5, 41, 2**62 - 1, -(2**62), big, True]:
    print(repr(v), bits(v), bump(v))
print(bump(1.5), keeps(3), keeps([1, 2]), keeps("ab"), keeps((1,)))
print(mul3("ab"), mul3([0]), mod7("%d items"), floordiv2(9.0))
print(fib(20), loop(1000), loop(0))

for f, arg in [
    (sub1, "s"),
    (add1, None),
    (small, "x"),
    (small, None),
    (cmp_value, [1]),
    (bump, "s"),
    (bump, None),
    (floordiv2, "s"),
    (mod7, None),
    (bits, 1.5),
]:
    try:
        print(f(arg))
    except TypeError as e:
        tb = e.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        print("TypeError", e, tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_frame.f_locals)

lst = [1, 2]
r = keeps(lst)
del r
print(lst, lst * 2)
