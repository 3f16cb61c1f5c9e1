# A module-level loop that assigns globals as it calls functions that read globals (the shape of
# most scripts): the JIT's global-name caches must survive the module's own assignments.
import time


def scale(n):
    return n * FACTOR


def step(n):
    s = 0
    for k in range(5):
        s += scale(k) + len("ab")
    return s


FACTOR = 3
step(1)
t = time.perf_counter()
total = 0
for i in range(300_000):
    total += step(i)
    last = i
assert total == 300_000 * (3 * 10 + 10), total
print("BENCH", time.perf_counter() - t)
