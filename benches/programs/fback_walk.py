# The first full f_back walk from the top of 100,000 frames.
import sys
import time
sys.setrecursionlimit(200_000)

def walk():
    t = time.perf_counter()
    f = sys._getframe(0)
    n = 0
    while f is not None:
        n += 1
        f = f.f_back
    return time.perf_counter() - t, n

def down(n):
    if n == 0:
        return walk()
    return down(n - 1)

down(100)
elapsed, n = down(100_000)
assert n > 100_000
print("BENCH", elapsed)
