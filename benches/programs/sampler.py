# Two fib workers in threads, with no sampler and then under a sampler thread that calls
# sys._current_frames() about every millisecond (1 kHz). BENCH is the time with the sampler;
# DETAIL gives both and the slowdown. (CPython's GIL runs the workers one at a time; ours run in
# parallel: the ratio shows both effects, the DETAIL line the sampler's cost alone.)
import sys
import threading
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def worker():
    fib(28)


stop = threading.Event()
samples = [0]


def sampler():
    while not stop.is_set():
        sys._current_frames()
        samples[0] += 1
        time.sleep(0.001)


def run_workers():
    t = time.perf_counter()
    ws = [threading.Thread(target=worker), threading.Thread(target=worker)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    return time.perf_counter() - t


def best_of(k):
    b = run_workers()
    for _ in range(k - 1):
        b = min(b, run_workers())
    return b


fib(20)
bare = best_of(3)
s = threading.Thread(target=sampler)
s.start()
sampled = best_of(3)
stop.set()
s.join()
assert samples[0] > 0
print("BENCH", sampled)
print("DETAIL bare", bare, "sampled", sampled, "slowdown", sampled / bare, "samples", samples[0])
