import sys

def count(n):
    i = 0
    while i < n:
        got = yield i
        if got is not None:
            print("got", got)
        i += 1
    return "finished"

g = count(4)
print(type(g).__name__, g.__name__, g.__qualname__)
print(next(g), g.send("a"), next(g))
print(g.gi_running, g.gi_suspended, g.gi_code.co_name)
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", repr(e.value), e.args)
try:
    next(g)
except StopIteration as e:
    print("again", e.args)
print(next(g, "default"))
print(list(count(5)), sum(count(10)), sorted(count(3), reverse=True))
print(3 in count(5), 7 in count(5))
a, b, c = count(3)
print(a, b, c)
for i, v in enumerate(count(3)):
    print(i, v)
print(list(zip(count(3), "xyz")))
print(max(count(6)), min(count(6)))

def running():
    yield g2.gi_running
    yield g2.gi_suspended

g2 = running()
print(g2.gi_suspended, list(g2), g2.gi_suspended)

def empty():
    return 5
    yield

e = empty()
try:
    e.send(None)
except StopIteration as s:
    print("returned", s.value)

def nested():
    def inner(x):
        yield x
        yield x * 2
    return inner

gen = nested()(21)
print(gen.__qualname__, list(gen))
lam = (lambda: (yield 1))()
print(type(lam).__name__, next(lam))
try:
    count(2).send(5)
except TypeError as t:
    print("TypeError:", t)
try:
    iter(g)
    print(iter(g) is g)
except TypeError as t:
    print(t)
