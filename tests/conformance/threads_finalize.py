# Objects released last by another thread than the one that created them: finalizers run in
# the releasing thread, at the release, as under CPython's reference counting. (Each worker
# first sleeps a little, so that the main thread is blocked in `join` or `wait` by then: a
# release racing with the creating thread while that one runs Python code leaves the free to
# its next safepoint, the known difference the README describes.)
import threading
import time


def gen(tag):
    try:
        yield 1
        yield 2
    finally:
        print("finally", tag, threading.current_thread().name)


def drop_direct(box):
    time.sleep(0.02)
    box.clear()
    print("after clear (direct)")


def drop_nested(box):
    time.sleep(0.02)
    box.pop()
    print("after pop (nested)")


def drop_in_dict(d):
    time.sleep(0.02)
    del d["g"]
    print("after del (dict)")


# The generator itself, handed over.
g = gen("direct")
next(g)
box = [g]
del g
t = threading.Thread(target=drop_direct, args=(box,), name="worker-1")
del box
t.start()
t.join()
print("joined 1")

# Inside a list inside a list.
g = gen("nested")
next(g)
box = [[g, "x"]]
del g
t = threading.Thread(target=drop_nested, args=(box,), name="worker-2")
del box
t.start()
t.join()
print("joined 2")

# In a dict, the main thread waiting on an event meanwhile.
g = gen("dict")
next(g)
d = {"g": g, "n": 1}
del g
ready = threading.Event()


def waiter(d):
    drop_in_dict(d)
    ready.set()


t = threading.Thread(target=waiter, args=(d,), name="worker-3")
del d
t.start()
ready.wait()
print("event set")
t.join()


# Created in a thread, released by the main thread after the thread exited.
out = []


def make():
    h = gen("made in thread")
    next(h)
    out.append([h])


t = threading.Thread(target=make, name="worker-4")
t.start()
t.join()
out.clear()
print("cleared in main")


# A coroutine that never ran, released by another thread.
async def coro():
    return 1


c = [coro()]
t = threading.Thread(target=lambda: time.sleep(0.02) or c.clear(), name="worker-5")
t.start()
t.join()
print("done")
