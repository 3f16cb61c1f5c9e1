# A chain of 60 generators delegating with yield from: values sent down, thrown exceptions
# delivered to the innermost, return values passed up, gi_yieldfrom along the chain.
import sys

def leaf():
    got = []
    try:
        while True:
            v = yield len(got)
            got.append(v)
    except GeneratorExit:
        raise
    except ValueError as e:
        return ("leaf saw", str(e), got)

def link(n):
    if n == 0:
        r = yield from leaf()
    else:
        r = yield from link(n - 1)
    return r if n != 30 else ("via 30",) + r

g = link(59)
print(next(g), g.send("a"), g.send("b"))
depth = 0
x = g
while x is not None:
    depth += 1
    x = x.gi_yieldfrom
print("chain length", depth)
try:
    g.throw(ValueError("stop"))
except StopIteration as e:
    print(e.value)

def counting(n):
    if n == 0:
        yield sys._getframe(0).f_back is not None
        return
    yield from counting(n - 1)

print(list(counting(40)))

g = link(10)
next(g)
g.close()
print("closed", g.gi_frame, g.gi_yieldfrom)
