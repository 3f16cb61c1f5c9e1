# A generator left suspended in a local runs its `finally` when the frame that holds it
# returns: after the frame is off the stack (the caller is the innermost frame then) and
# before the caller goes on, in the order the locals were released; also in a recursion.
import sys


def gen(tag):
    try:
        yield 1
    finally:
        print("finally", tag, "back:", sys._getframe(1).f_code.co_name)


def callee(tag):
    g = gen(tag)
    next(g)
    return tag * 2


def caller():
    for i in range(3):
        r = callee(i)
        print("after call", r)


def two_locals(tag):
    a = gen(tag + "a")
    next(a)
    b = gen(tag + "b")
    next(b)
    return 1


def deep(n):
    if n == 0:
        g = gen("deep")
        next(g)
        return 0
    return deep(n - 1) + 1


for k in range(40):
    caller()
    print(two_locals("x%d" % k))
    print(deep(5))
