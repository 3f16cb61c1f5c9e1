import sys

def watcher(n):
    total = 0
    for i in range(n):
        caller = sys._getframe(1)
        me = sys._getframe()
        yield (caller.f_code.co_name, me.f_lineno, me.f_back is caller)
        total += i
    return total

def first(g):
    return next(g)

def second(g):
    return next(g)

g = watcher(3)
f = g.gi_frame
print(f.f_lineno, f.f_back, sorted(f.f_locals.items()), f.f_code.co_name)
print(first(g))
print(second(g))
print(f is g.gi_frame, f.f_lineno, f.f_back, f.f_locals["i"], f.f_locals["total"])
f.f_locals["total"] = 100
print(g.gi_frame.f_locals["total"])
for x in g:
    print("loop", x)
print(g.gi_frame, f.f_locals["total"], f.f_lineno)

def held():
    yield sys._getframe()
    yield 2

def runner():
    h = held()
    fr = next(h)
    print(fr is h.gi_frame, fr.f_back)
    print(next(h))
    try:
        next(h)
    except StopIteration:
        pass
    print(fr.f_back is sys._getframe(), fr.f_lineno)
runner()

def lines():
    yield 1
    x = 5
    yield x
    yield x + 1

g = lines()
fl = []
for _ in g:
    fl.append(g.gi_frame.f_lineno)
print(fl)

def depth_check():
    d = 0
    f = sys._getframe()
    while f is not None:
        d += 1
        f = f.f_back
    yield d

def wrap(k):
    if k == 0:
        return next(depth_check())
    return wrap(k - 1)

print(wrap(0), wrap(5), wrap(20))
