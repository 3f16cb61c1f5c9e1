import sys

def guarded():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("caught", repr(e))
        yield "recovered"
    finally:
        print("finally of guarded")

g = guarded()
print(next(g))
print(g.throw(ValueError("boom")))
try:
    next(g)
except StopIteration:
    print("done")

g = guarded()
print(next(g))
print(g.throw(ValueError))
g.close()
print(g.gi_frame)

g = guarded()
try:
    g.throw(KeyError("early"))
except KeyError as e:
    print("unstarted throw", repr(e), g.gi_frame)

def returning():
    try:
        yield 1
    except GeneratorExit:
        return "closed value"

g = returning()
next(g)
print(g.close())
print(g.close())

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2

g = stubborn()
next(g)
try:
    g.close()
except RuntimeError as e:
    print("RuntimeError:", e)

def simple():
    yield 1
    yield 2

g = simple()
print(g.close(), g.gi_frame)
g = simple()
next(g)
g.close()
print(list(g))

def finalizer(tag):
    try:
        yield tag
    finally:
        print("finalize", tag)

g = finalizer("a")
next(g)
del g
print("after del")

def scope():
    h = finalizer("b")
    next(h)
    print("leaving scope")

scope()
print("after scope")

g = finalizer("c")
next(g)
g = None
print("after rebinding")

def rethrow():
    try:
        yield 1
    except ZeroDivisionError:
        raise ValueError("converted")

g = rethrow()
next(g)
try:
    g.throw(ZeroDivisionError("z"))
except ValueError as e:
    print(repr(e), repr(e.__context__))
    tb = e.__traceback__
    while tb is not None:
        print(tb.tb_frame.f_code.co_name, tb.tb_lineno)
        tb = tb.tb_next

try:
    simple().throw(1)
except TypeError as e:
    print("TypeError:", e)
