# A generator suspended inside try/finally runs its finally when its last reference goes, at
# that instruction: the same frame and line as CPython, also when compiled code drops it (a
# store, a del, a discarded result, a loop that rebinds it, the return of the function whose
# local it was), and an error in the finally is an unraisable report.
import sys


def hook(u):
    print("unraisable", type(u.exc_value).__name__, u.exc_value, "from", u.object.__name__)


sys.unraisablehook = hook


def g(tag):
    try:
        yield tag
    finally:
        f = sys._getframe(1)
        print("finally", tag, "under", f.f_code.co_name, f.f_lineno)


def bad(tag):
    try:
        yield tag
    finally:
        raise ValueError("in finally " + str(tag))


def store():
    x = g("store")
    next(x)
    x = None
    print("after store")


def delete():
    x = g("del")
    next(x)
    del x
    print("after del")


def discard():
    next(g("discard"))
    print("after discard")


def rebind():
    for i in range(3):
        x = g(i)
        next(x)
    print("after loop")
    return x


def popped(holder):
    holder.pop()
    print("after pop")


def raising():
    x = bad("bad")
    next(x)
    x = None
    print("after bad")


def returns_with_it():
    x = g("at return")
    next(x)
    return 1


def calls_it():
    # The callee's locals go when it returns: the finally runs before this frame goes on.
    r = returns_with_it()
    print("back in caller")
    return r


def nested(n):
    if n == 0:
        x = g("deep")
        next(x)
        x = 0
        return n
    return nested(n - 1) + 1


for _ in range(2):
    store()
    delete()
    discard()
    last = rebind()
    last = None
    h = [g("held")]
    next(h[0])
    popped(h)
    raising()
    calls_it()
    print(nested(5))
