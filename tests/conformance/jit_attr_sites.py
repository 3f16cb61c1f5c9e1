# One attribute load site that meets tracebacks, frames and other objects: each answers as
# CPython does, whichever type the site met first (compiled code caches the first native
# type's getter for the name).
import sys


def attr_next(o):
    return o.tb_next


def attr_back(o):
    return o.f_back


def line(o):
    try:
        return o.f_lineno
    except AttributeError as e:
        return "AttributeError: %s" % e


def lasti_kind(o):
    try:
        return type(o.tb_lasti).__name__
    except AttributeError as e:
        return "AttributeError: %s" % e


def fail(n):
    if n == 0:
        raise ValueError("x")
    fail(n - 1)


def chain():
    try:
        fail(4)
    except ValueError as e:
        return e.__traceback__


tb = chain()
seen = 0
for _ in range(300):
    t = tb
    count = 0
    while t is not None:
        count += 1
        t = attr_next(t)
    seen += count
print("walked", seen)

# The same site, other types: the generic lookup's answer and error.
for o in (1, "s", None, [1], sys._getframe()):
    try:
        print(attr_next(o))
    except AttributeError as e:
        print("AttributeError:", e)


def depth(f):
    d = 0
    while f is not None:
        d += 1
        f = attr_back(f)
    return d


def nest(n):
    if n == 0:
        return depth(sys._getframe())
    return nest(n - 1)


for n in (0, 3, 50):
    print("depth", n, nest(n))
print(attr_back(sys._getframe()))
for o in (tb, 5, sys._getframe(), tb.tb_frame):
    print(type(o).__name__, line(o), lasti_kind(o))
t = tb
while t is not None:
    print(t.tb_lineno, t.tb_frame.f_lineno, t.tb_frame.f_code.co_name, t.tb_lasti > 0,
          t.tb_frame.f_back is not None)
    t = t.tb_next
try:
    attr_back(tb)
except AttributeError as e:
    print("AttributeError:", e)
