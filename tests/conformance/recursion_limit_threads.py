# sys.setrecursionlimit applies to every thread: one that recurses after the change, one that
# was running (busy in a loop) or blocked when it happened, and one started afterwards. Each
# reports the deepest stack it reached, counted from the bottom of its own stack.
import sys
import threading
import time


def probe(n):
    try:
        return probe(n + 1)
    except RecursionError:
        return n


def reach():
    # Frames below probe(0): this one and its callers.
    below = 0
    f = sys._getframe()
    while f is not None:
        below += 1
        f = f.f_back
    return probe(0) + below


results = {}


def record(name):
    results[name] = reach()


main_limit = sys.getrecursionlimit()
sys.setrecursionlimit(200)
print("main", reach(), sys.getrecursionlimit())

# A thread started after the change.
t = threading.Thread(target=record, args=("started after",))
t.start()
t.join()

# A thread blocked in Event.wait while the limit changes.
go = threading.Event()


def blocked():
    go.wait()
    record("blocked")


t = threading.Thread(target=blocked)
t.start()
time.sleep(0.05)
sys.setrecursionlimit(150)
go.set()
t.join()

# A thread busy in a loop while the limit changes (the change reaches it at a safepoint).
flag = []
ready = threading.Event()


def busy():
    ready.set()
    i = 0
    while not flag:
        i += 1
    record("busy")


t = threading.Thread(target=busy)
t.start()
ready.wait()
sys.setrecursionlimit(300)
flag.append(1)
t.join()

# Raising the limit while a thread is deep, then lowering it below that thread's depth: its
# next call fails, its returns do not.
state = threading.Event()
lowered = []


def deep(n):
    if n == 0:
        state.set()
        while not lowered:  # no call: the wait must not add frames
            pass
        try:
            deep(0)
        except RecursionError as e:
            return "deep call failed: " + str(e)
        return "deep call ran"
    return deep(n - 1)


out = []
t = threading.Thread(target=lambda: out.append(deep(100)))
t.start()
state.wait()
sys.setrecursionlimit(60)
lowered.append(1)
t.join()
print("deep", out)
sys.setrecursionlimit(300)
print("main again", reach())

for k in sorted(results):
    print(k, results[k])
sys.setrecursionlimit(main_limit)
