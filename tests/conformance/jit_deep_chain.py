# Deep compiled recursion observed from the bottom: full f_back walks, a frame held after the
# whole recursion returned (its f_back chain stays intact), a traceback thousands of entries long.
import sys

sys.setrecursionlimit(30000)

def walk_sum(f):
    total = 0
    count = 0
    while f is not None:
        if f.f_code.co_name == "down":
            total += f.f_locals["n"]
        count += 1
        f = f.f_back
    return count, total

kept = []

def down(n, mode):
    if n == 0:
        f = sys._getframe()
        if mode == 0:
            return walk_sum(f)
        if mode == 1:
            kept.append(f)
            return None
        raise OverflowError("bottom reached")
    r = down(n - 1, mode)
    return r

for depth in [10, 100, 1000, 10000, 20000]:
    print(depth, down(depth, 0))

for rep in range(20):
    down(50, 0)
print(down(50, 0))

down(5000, 1)
f = kept[-1]
print(f.f_lineno, f.f_back.f_lineno, walk_sum(f))
print(f.f_back.f_back.f_locals["n"], f.f_back.f_back.f_back.f_code.co_name)

try:
    down(15000, 2)
except OverflowError as e:
    tb = e.__traceback__
    count = 0
    lines = dict()
    last = None
    while tb is not None:
        count += 1
        lines[tb.tb_lineno] = lines.get(tb.tb_lineno, 0) + 1
        last = tb
        tb = tb.tb_next
    print(count, sorted(lines.items()), last.tb_frame.f_locals["n"], last.tb_frame.f_back.f_locals["n"])

# Uncaught at the end: the traceback collapses thousands of repeated lines.
down(12000, 2)
