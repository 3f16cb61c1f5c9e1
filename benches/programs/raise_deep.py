# Raise through 1,000,000 frames, catch at the bottom and walk the whole traceback.
import sys
import time
sys.setrecursionlimit(1_100_000)

def down(n):
    if n == 0:
        raise ValueError("bottom")
    return down(n - 1)

def run(n):
    try:
        down(n)
    except ValueError as e:
        tb = e.__traceback__
        count = 0
        while tb is not None:
            count += 1
            tb = tb.tb_next
        return count

run(1000)
t = time.perf_counter()
c = run(1_000_000)
elapsed = time.perf_counter() - t
assert c == 1_000_002, c
print("BENCH", elapsed)
