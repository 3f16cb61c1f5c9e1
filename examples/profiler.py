# A sampling profiler written in the subset: a sampler thread reads sys._current_frames() about
# every millisecond while a worker runs a JIT workload, and counts the functions it finds on the
# worker's stack. Run it with
#   cargo run --release -- --jit=all examples/profiler.py
# Each sample materializes only the worker's top frame (by a handshake at the worker's next
# safepoint) and walks f_back from there; the worker never pauses for anyone else.
import sys
import threading
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def square_sum(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def workload():
    for _ in range(6):
        fib(25)
        square_sum(200000)


done = threading.Event()


def worker():
    workload()
    done.set()


def sample(target, counts, on_top):
    frames = sys._current_frames()
    f = frames.get(target)
    if f is None:
        return
    on_top[f.f_code.co_name] = on_top.get(f.f_code.co_name, 0) + 1
    seen = []
    while f is not None:
        name = f.f_code.co_name
        if name not in seen:
            seen.append(name)
            counts[name] = counts.get(name, 0) + 1
        f = f.f_back


t = threading.Thread(target=worker, name="worker")
t.start()
counts = {}
on_top = {}
samples = 0
while not done.is_set():
    sample(t.ident, counts, on_top)
    samples += 1
    time.sleep(0.001)
t.join()
print("samples:", samples)
print("on top of the stack:")
for name, n in sorted(on_top.items(), key=lambda kv: -kv[1])[:3]:
    print("  %-12s %5.1f%%" % (name, 100.0 * n / max(1, samples)))
print("anywhere on the stack:")
for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[:5]:
    print("  %-12s %5.1f%%" % (name, 100.0 * n / max(1, samples)))
