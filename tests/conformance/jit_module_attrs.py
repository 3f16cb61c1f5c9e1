# Module attributes read by compiled code (LoadAttr and LoadMethod through the name's cache, as
# the interpreter reads them): a member rebound, deleted and added again in the middle of a
# compiled loop, by the loop itself and by a function it calls; a member that is a builtin, a
# function and a lambda; dunder names, which bypass the cache; the same name on two modules.
import sys
import time


def rebind(v):
    sys.dial = v


def loop(n):
    out = []
    for i in range(n):
        try:
            out.append(sys.dial)
        except AttributeError as e:
            out.append(str(e))
        if i == 2:
            sys.dial = "two"
        elif i == 4:
            rebind("four")
        elif i == 6:
            delattr(sys, "dial")
        elif i == 8:
            sys.dial = len
        elif i == 9:
            out.append(sys.dial("abc"))
    return out


def methods(n):
    out = []
    for i in range(n):
        if i == 1:
            sys.dial = lambda: "lambda"
        elif i == 2:
            sys.dial = rebind
        try:
            r = sys.dial() if i < 2 else sys.dial(i)
            out.append(r if r is not None else sys.dial.__name__)
        except (TypeError, AttributeError) as e:
            out.append(type(e).__name__ + ": " + str(e))
    return out


def dunders():
    return sys.__name__, time.__name__, type(sys.__dict__).__name__, type(time.perf_counter()).__name__


def two_modules():
    sys.shared = "sys"
    time.shared = "time"
    r = [(sys.shared, time.shared)]
    delattr(time, "shared")
    try:
        r.append(time.shared)
    except AttributeError as e:
        r.append(str(e))
    r.append(sys.shared)
    return r


sys.dial = 0
for _ in range(2):
    print(loop(11))
    sys.dial = 0
print(methods(4))
print(dunders())
print(two_modules())
print(sys._getframe(0).f_code.co_name, [sys._getframe(0).f_lineno for _ in range(2)])
