import sys

def watcher():
    print("start", sys.exception())
    try:
        raise KeyError("inside")
    except KeyError:
        yield sys.exception()
        print("resumed", repr(sys.exception()))
    print("after", sys.exception())
    yield sys.exception()

g = watcher()
print(repr(next(g)))
try:
    raise ValueError("outer")
except ValueError:
    print(repr(next(g)))
    print("caller still", repr(sys.exception()))
print(sys.exception())

def plain():
    yield sys.exception()

try:
    raise IndexError("handling")
except IndexError:
    print(repr(next(plain())))

def chain():
    try:
        yield
    except ZeroDivisionError:
        raise RuntimeError("in handler")

c = chain()
next(c)
try:
    c.throw(ZeroDivisionError())
except RuntimeError as e:
    print(repr(e.__context__))

def keeper():
    try:
        raise KeyError(1)
    except KeyError:
        raise ValueError(2)

try:
    1 / 0
except ZeroDivisionError:
    try:
        keeper()
    except ValueError as e:
        print(repr(e.__context__), repr(e.__context__.__context__))
