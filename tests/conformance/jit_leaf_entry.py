# A function whose first instructions compare small ints and return (a recursion's base case)
# answers such calls with no frame at all (jit/compile/leaf.rs). Everything about those calls,
# and every call that leaves that path, must be as CPython has it.
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("fib", [fib(i) for i in range(15)])
# Arguments that are not small ints leave the path: floats, big ints, bools, strings.
print("fib float", fib(5.0), fib(1.5), fib(-3.5))
print("fib big", fib(-(2 ** 70)), fib(True), fib(False))
try:
    fib("x")
except TypeError as e:
    print("fib str", e)


# The jump side of the comparison is the path; the other returns a constant.
def count_down(n, acc):
    if n != 0:
        return count_down(n - 1, acc + n)
    return acc


print("count_down", count_down(50, 0))
# The returned argument may be any object (it moves to the caller); the others must be
# immediates, else the full entry drops them.
items = []


def pick(n, keep, other):
    if n <= 0:
        return keep
    return pick(n - 1, keep, other)


print("pick", pick(3, items, 7) is items, pick(0, "kept", 1), pick(0, 1, [1, 2]))
print("pick none", pick(0, None, None), pick(2, (1, 2), True))


# Two arguments compared with each other.
def larger(a, b):
    if a > b:
        return a
    return b


print("larger", larger(3, 2), larger(2, 3), larger(2 ** 80, 1), larger(1.5, 1), larger("b", "a"))


def ge(a, b):
    if a >= b:
        return 1
    return 0


print("ge", ge(1, 1), ge(0, 1), ge(-5, -6), ge(2 ** 62, 2 ** 62 - 1))


# Small-int bounds: the tagged words compare like the ints, up to the edges of the range.
def edge(n):
    if n == 4611686018427387903:
        return 1
    if n == -4611686018427387904:
        return -1
    return 0


print("edge", edge(2 ** 62 - 1), edge(-(2 ** 62)), edge(2 ** 62), edge(0))


# Frames around the frameless calls: the caller's frame is the innermost one while they run,
# and a traceback after them is ordinary.
def leaf(n):
    if n < 100:
        return n
    return sys._getframe().f_code.co_name


def caller():
    total = leaf(1) + leaf(2)
    f = sys._getframe()
    return total, f.f_code.co_name, f.f_back.f_code.co_name, leaf(500)


print("caller", caller())


def fails(n):
    x = leaf(n) + leaf(n + 1)
    return x + "s"


try:
    fails(3)
except TypeError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
        tb = tb.tb_next
    print("traceback", names, e)


# The recursion limit: a call at the limit raises RecursionError even when it would take the
# frameless path.
def depth(n):
    if n < 1:
        return 0
    return depth(n - 1) + 1


base = 0
f = sys._getframe()
while f is not None:
    base += 1
    f = f.f_back
sys.setrecursionlimit(60)
reached = None
for n in range(40, 70):
    try:
        depth(n)
        reached = n
    except RecursionError as e:
        print("limit", n, reached, base, e)
        break
sys.setrecursionlimit(1000)
print("after", depth(100), fib(10))
