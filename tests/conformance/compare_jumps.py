# Comparisons that branch: the interpreter takes a small-int comparison's outcome straight
# into the conditional jump after it. Every operand kind and branch shape must behave as
# CPython's: small ints at the range's edges, big ints, bools, floats, and
# comparisons used as values.
import sys


def branches(a, b):
    out = []
    if a < b:
        out.append("lt")
    if not a < b:
        out.append("not lt")
    if a == b:
        out.append("eq")
    if a != b:
        out.append("ne")
    if a >= b:
        out.append("ge")
    else:
        out.append("else ge")
    if a > b or a == b:
        out.append("gt or eq")
    if a <= b and b <= a:
        out.append("le both")
    return out


edge = 2 ** 62
for a, b in [(1, 2), (2, 1), (3, 3), (-5, 0), (edge - 1, edge - 1), (-edge, edge - 1),
             (edge, edge - 1), (2 ** 80, 2 ** 80), (True, 1), (False, 1), (1.5, 1), (0, -0.0)]:
    print(a, b, branches(a, b))


def loop(n):
    i = 0
    seen = []
    while i < n:
        if i % 3 == 0:
            seen.append(i)
        i += 1
    return seen, i


print(loop(10), loop(0), loop(-3))


def values(a, b):
    x = a < b
    y = a == b
    return x, y, [a < b, a > b], (a < b) + (a <= b)


print(values(1, 2), values(2, 2), values(2 ** 70, 1))


# The line a frame reports after a branch (the jump's target, or the instruction after).
def lines(n):
    if n < 1:
        return sys._getframe().f_lineno
    x = sys._getframe().f_lineno
    while n > 0:
        n -= 1
    return x, sys._getframe().f_lineno


print(lines(0), lines(3))
