# Attribute loads of locals (the JIT reads the local in place): rebinding, errors, unbound
# locals, a conditional object, and frames read through the attribute being loaded.
import sys
import traceback


def chain(e):
    n = 0
    tb = e.__traceback__
    while tb is not None:
        n += 1
        tb = tb.tb_next
    return n


def depth():
    f = sys._getframe(0)
    names = []
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    return names


def missing(x):
    y = x
    return y.no_such_attribute


def maybe(flag):
    if flag:
        e = ValueError("v")
    return e.args


def pick(flag, a, b):
    return (a if flag else b).args


def nested():
    return depth()


try:
    raise KeyError("k")
except KeyError as exc:
    print(chain(exc))
print(nested())
for obj in (ValueError("x"), 3, "s"):
    try:
        print(missing(obj))
    except AttributeError as e:
        print(type(e).__name__, e, e.name, e.obj)
        f = e.__traceback__.tb_next.tb_frame
        print(f.f_code.co_name, f.f_lineno, sorted(f.f_locals.items(), key=str))
print(maybe(True))
try:
    maybe(False)
except UnboundLocalError as e:
    print(e)
print(pick(True, KeyError(1), KeyError(2)), pick(False, KeyError(1), KeyError(2)))
for i in range(3):
    print(chain(ValueError(i)), len(nested()))


def unbound_is(flag):
    if flag:
        v = None
    while v is not None:
        v = None
    return v is None


def unbound_attr(flag):
    if flag:
        tb = None
    return tb.tb_next


print(unbound_is(True))
for fn in (unbound_is, unbound_attr):
    try:
        fn(False)
    except UnboundLocalError:
        traceback.print_exc(file=sys.stdout)


def identity(a, b):
    x = a
    out = [x is None, x is not None, x is True, x is False, x is SENTINEL]
    if x is None:
        out.append("none")
    if x is not b:
        out.append("not b")
    return out


SENTINEL = object() if False else ["sentinel"]
for v in (None, True, 3, "s", [1], SENTINEL):
    print(identity(v, None), identity(v, v))
