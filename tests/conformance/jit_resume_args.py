# Recursions whose calls of themselves pass the arguments in registers (a resumption entry,
# past the base case the call site already tested) and the last argument straight from the
# arithmetic that computed it: heap-object arguments beside small ints, more parameters than
# the registers hold, guards that fail on the way (floats, the end of the small-int range),
# and the recursion limit reached at such an entry, whose arguments are released.
import sys


def fib2(a, b, n):
    if n < 1:
        return a
    return fib2(b, a + b, n - 1)


def collect(n, acc):
    if n < 1:
        return acc
    return collect(n - 1, acc + [n])


def four(a, b, c, n):
    if n < 1:
        return a + b + c
    return four(b, c, a, n - 1)


def five(a, b, c, d, n):
    if n < 1:
        return a + b + c + d
    return five(b, c, d, a, n - 1) + 1


def count(x, k):
    if k < 1:
        return len(x)
    return count(x, k - 1) + 1


def dec(x, k):
    if k < 1:
        return x
    return dec(x, k - 1)


def up(n, k):
    if k > 4611686018427387903:
        return (n, k)
    return up(n + 1, k + 1)


def limit(tag, n):
    if n < 0:
        return tag
    return limit(tag, n + 1)


for i in range(30):
    print(fib2(0, 1, 100 + i) % 1000003, len(collect(50 + i, [])), four("a", "b", "c", 20 + i))
    print(five(1, 2, 3, 4, 10 + i), count("x", 30 + i), count([1], 5.0 + i))
    print(up(0, 4611686018427387900 - i % 3), dec([i], 7.5 + i), dec("y", 3 + i))
for i in range(3):
    try:
        limit(["tag", i], 0)
    except RecursionError as e:
        print("RecursionError:", e)
sys.setrecursionlimit(60)
for i in range(3):
    try:
        print(collect(100, []))
    except RecursionError as e:
        print("RecursionError:", e)
print(collect(20, [])[-3:], fib2(0, 1, 40))

# The name a recursion calls itself by, rebound once compiled: the call takes its other path.
first = dec
print(first(["z"], 5))


def dec(x, k):
    return ("rebound", x, k)


print(first(["z"], 5), first(["z"], 0.5), first(["z"], 5.5))
