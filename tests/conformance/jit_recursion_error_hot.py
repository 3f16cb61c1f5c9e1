# RecursionError from infinite compiled recursion, caught, then normal work; limit changes.
import sys

depth_seen = 0

def forever(n):
    global depth_seen
    depth_seen = n
    return forever(n + 1) + 1

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def attempt():
    global depth_seen
    depth_seen = 0
    try:
        forever(1)
    except RecursionError as e:
        return str(e), depth_seen
    return None

print(fib(15))
for limit in [1000, 200, 150, 3000, 120, 1000]:
    sys.setrecursionlimit(limit)
    results = []
    for rep in range(20):
        results.append(attempt())
    print(limit, results[0], results.count(results[0]), fib(12))

# The traceback of the RecursionError, examined: top and bottom entries, length.
def walk_len(e):
    tb = e.__traceback__
    n = 0
    first = (tb.tb_frame.f_code.co_name, tb.tb_lineno)
    last = None
    while tb is not None:
        n += 1
        last = tb
        tb = tb.tb_next
    return n, first, (last.tb_frame.f_code.co_name, last.tb_lineno, last.tb_frame.f_locals["n"])

sys.setrecursionlimit(300)
try:
    forever(1)
except RecursionError as e:
    print(walk_len(e), depth_seen)

# Recursion from a deeper starting point, caught at an intermediate level that then keeps working.
def guarded(n):
    if n > 0:
        return guarded(n - 1)
    try:
        return forever(1)
    except RecursionError:
        return ("caught", depth_seen, fib(10))

for start in [0, 10, 100, 250]:
    print(start, guarded(start))

# Mutual recursion without end.
def even(n):
    return odd(n + 1)

def odd(n):
    return even(n + 1)

sys.setrecursionlimit(500)
counts = []
for rep in range(20):
    try:
        even(0)
    except RecursionError as e:
        tb = e.__traceback__
        k = 0
        while tb is not None:
            k += 1
            tb = tb.tb_next
        counts.append(k)
print(counts[0], counts.count(counts[0]))

# Lowering the limit below the current depth.
def lower_inside(n):
    if n > 0:
        return lower_inside(n - 1)
    try:
        sys.setrecursionlimit(5)
    except RecursionError as e:
        return "refused: " + str(e)
    return "lowered"

sys.setrecursionlimit(1000)
print(lower_inside(30), sys.getrecursionlimit())
sys.setrecursionlimit(1000)
print(fib(18))
