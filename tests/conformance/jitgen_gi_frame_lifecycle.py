# gi_frame of a generator across its life: before it starts, suspended, written through
# f_locals while suspended, running (seen from inside), finished.
import sys

def walker(n):
    total = 0
    for i in range(n):
        got = yield i
        if got is not None:
            total += got
    me = sys._getframe(0)
    yield me.f_lineno, me.f_back.f_code.co_name
    return total

g = walker(3)
f = g.gi_frame
print("before:", f.f_lineno, sorted(f.f_locals.items()), f.f_back, g.gi_suspended)
print(next(g), f.f_lineno, f.f_locals["i"], g.gi_suspended, g.gi_running)
print(g.send(10), f.f_locals["total"])
f.f_locals["total"] = 100
print(g.send(5), f.f_locals["total"], f.f_locals["got"])
print(f is g.gi_frame)

def driver(gen):
    return next(gen)

print(driver(g))
try:
    next(g)
except StopIteration as e:
    print("returned", e.value)
print(g.gi_frame, f.f_lineno, sorted(f.f_locals))
print(f.f_back is None or f.f_back.f_code.co_name)
