# sys._getframe(0) 200,000 times at depth 10 and at depth 100,000 (both timed, summed).
import sys
import time
sys.setrecursionlimit(200_000)

def probe(k):
    f = None
    i = 0
    while i < k:
        f = sys._getframe(0)
        i += 1
    return f

def at(depth, k):
    if depth == 0:
        t = time.perf_counter()
        probe(k)
        return time.perf_counter() - t
    return at(depth - 1, k)

at(10, 1000)
shallow = at(10, 200_000)
deep = at(100_000, 200_000)
print("BENCH", shallow + deep)
print("DETAIL shallow", shallow, "deep", deep)
