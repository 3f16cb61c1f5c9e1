# Two fib workers in threads, with no sampler and under a sampler thread that calls
# sys._current_frames() about every millisecond (1 kHz), in alternating rounds (so that a
# change in the machine's load hits both alike). BENCH is the best time with the sampler;
# DETAIL gives both bests and the slowdown. (CPython's GIL runs the workers one at a time; ours
# run in parallel: the ratio shows both effects, the DETAIL line the sampler's cost alone.)
import sys
import threading
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def worker():
    fib(WORK)


WORK = 30
ROUNDS = 5
samples = [0]


def sampler(stop):
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


def sampled_run():
    stop = threading.Event()
    s = threading.Thread(target=sampler, args=(stop,))
    s.start()
    t = run_workers()
    stop.set()
    s.join()
    return t


fib(20)
bare = sampled = None
for _ in range(ROUNDS):
    b = run_workers()
    bare = b if bare is None else min(bare, b)
    t = sampled_run()
    sampled = t if sampled is None else min(sampled, t)
assert samples[0] > 0
print("BENCH", sampled)
print("DETAIL bare", bare, "sampled", sampled, "slowdown", sampled / bare, "samples", samples[0])
