def inner(n):
    for i in range(n):
        received = yield i
        if received:
            print("inner got", received)
    return n * 10

def outer():
    r1 = yield from inner(2)
    print("r1", r1)
    r2 = yield from inner(3)
    print("r2", r2)
    yield from [100, 200]
    yield from "ab"
    return r1 + r2

g = outer()
print(next(g))
print(g.send("hello"))
print(g.gi_yieldfrom.__name__)
for v in g:
    print("v", v)

def catcher():
    try:
        yield "c1"
        yield "c2"
    except KeyError:
        print("inner caught KeyError")
        return "inner result"

def delegator():
    r = yield from catcher()
    print("delegator got", r)
    yield "after"

g = delegator()
print(next(g))
print(g.throw(KeyError("k")))

def closer():
    try:
        yield 1
    finally:
        print("inner finally")

def outer_close():
    try:
        yield from closer()
    finally:
        print("outer finally")

g = outer_close()
next(g)
g.close()

def tree(depth):
    if depth == 0:
        yield "leaf"
        return
    yield from tree(depth - 1)
    yield "node%d" % depth
    yield from tree(depth - 1)

print(list(tree(3)))

def deep(n):
    if n == 0:
        yield 0
        return
    yield from deep(n - 1)

print(list(deep(200)))

def bad_inner():
    yield 1
    raise IndexError("from inner")

def bad_outer():
    yield from bad_inner()

try:
    list(bad_outer())
except IndexError as e:
    tb = e.__traceback__
    while tb is not None:
        print(tb.tb_frame.f_code.co_name, tb.tb_lineno)
        tb = tb.tb_next
