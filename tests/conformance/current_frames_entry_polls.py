# Another thread's `sys._current_frames()` is served where the sampled thread polls. A thread
# that only calls (a recursion, no loop inside it) polls at every function entry: the samples
# catch it inside the recursion, not between two recursions at its loop's back edge.
import sys
import threading

started = threading.Event()
stop = False


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def worker():
    started.set()
    while not stop:
        fib(18)


t = threading.Thread(target=worker)
t.start()
started.wait()
inside = 0
for _ in range(20):
    frames = sys._current_frames()
    f = frames[t.ident]
    names = []
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    if names[0] == "fib" and "worker" in names:
        inside += 1
stop = True
t.join()
print("samples inside the recursion:", inside >= 15)
