# Raise through 1,000,000 frames, catch at the bottom and walk the whole traceback. BENCH times
# from the raise to the end of the handler (unwinding, the walk, and freeing the traceback);
# DETAIL adds the total with the 1,000,000-call descent.
import sys
import time
sys.setrecursionlimit(1_100_000)
T = [0.0]


def down(n):
    if n == 0:
        T[0] = time.perf_counter()
        raise ValueError("bottom")
    return down(n - 1)


def run(n):
    count = 0
    try:
        down(n)
    except ValueError as e:
        tb = e.__traceback__
        while tb is not None:
            count += 1
            tb = tb.tb_next
    return count


run(1000)
t = time.perf_counter()
c = run(1_000_000)
end = time.perf_counter()
assert c == 1_000_002, c
print("BENCH", end - T[0])
print("DETAIL with the descent", end - t)
