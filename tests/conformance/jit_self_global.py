# A recursion's call loads its own name from the globals: compiled code checks that the
# running function is the value the name had at compile time and that the name's bucket is at
# that version (jit/compile/globals.rs). Every way the name can stop naming the running
# function must be seen at once.
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


for _ in range(3):
    print("fib", fib(18))


# The name rebound in the middle of the recursion: later loads find the new value.
def other(n):
    return -1000


def count(n):
    if n < 1:
        return 0
    if n == 5:
        global count
        saved = count
        count = other
        r = count(n - 1) + 1
        count = saved
        return r
    return count(n - 1) + 1


for _ in range(3):
    print("count", count(10), count(3))


# The name deleted in the middle of the recursion: NameError, with the traceback's lines.
def vanish(n):
    if n < 1:
        return 0
    if n == 3:
        del globals()["vanish"]
    return vanish(n - 1) + 1


try:
    vanish(6)
except NameError as e:
    tb = e.__traceback__
    lines = []
    while tb is not None:
        lines.append(tb.tb_lineno)
        tb = tb.tb_next
    print("vanish", e, lines)


# Another global in the same dict changes at every level (versions of other buckets, maybe of
# this one): the answer stays the running function.
def churn(n):
    if n < 1:
        return 0
    globals()["churn_%d" % (n % 7)] = n
    return churn(n - 1) + 1


for _ in range(3):
    print("churn", churn(40), sorted(k for k in globals() if k.startswith("churn_")))


# Two functions of one code in the same globals (a def run twice): the name names the
# second, so a call from the first runs the second.
funcs = []
for i in range(2):
    def rec(n, tag=i):
        if n < 1:
            return tag
        return rec(n - 1)

    funcs.append(rec)
for _ in range(3):
    print("rec", funcs[0](5), funcs[1](5), funcs[0](0), rec is funcs[1])
rec = funcs[0]
print("rec rebound", funcs[0](5), funcs[1](5), funcs[1](0))
