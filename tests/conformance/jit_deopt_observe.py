# Frames observed around a compiled activation that leaves its fast path (an overflowing
# small-int add, a non-int operand) and finishes elsewhere: a frame object taken before the
# switch keeps answering, the frames below and above stay linked, tracebacks stay whole.
import sys

BIG = 4611686018427387903

def observer(k):
    out = []
    f = sys._getframe(1)
    while f is not None and k > 0:
        out.append((f.f_code.co_name, f.f_lineno, sorted([kv for kv in f.f_locals.items() if type(kv[1]).__name__ != "frame"])))
        f = f.f_back
        k -= 1
    return out

def overflow_loop(start, n):
    me = sys._getframe()
    acc = start
    i = 0
    lines = []
    while i < n:
        acc = acc + BIG
        lines.append(me.f_lineno)
        i += 1
    seen = observer(2)
    return acc, lines[-1], me is sys._getframe(), me.f_locals["acc"] == acc, seen

def outer_a(n):
    r = overflow_loop(0, n)
    return r

for rep in range(25):
    r = outer_a(3)
    if rep in (0, 15, 16, 17, 24):
        print(rep, r)

# The observed caller frame, taken while the caller ran compiled, read after the caller deopted.
taken = []

def take_caller():
    taken.append(sys._getframe(1))
    return 0

def caller_then_overflow(x):
    y = x
    take_caller()
    y = y + BIG
    y = y + BIG
    z = take_caller()
    return y

for rep in range(25):
    caller_then_overflow(rep)
for idx in (0, 30, 31, 32, 33, 48, 49):
    f = taken[idx]
    print(idx, f.f_code.co_name, f.f_lineno, sorted(f.f_locals.items()), f.f_back.f_code.co_name)
print(taken[32] is taken[33], taken[48] is taken[49], taken[47] is taken[48])

# A deopted frame in the middle of a compiled chain: walks from above see every frame.
def leaf_walk():
    names = []
    f = sys._getframe()
    while f is not None:
        names.append((f.f_code.co_name, f.f_lineno))
        f = f.f_back
    return names

def middle_deopt(v):
    w = v + BIG
    w = w + BIG
    return leaf_walk(), w

def top_chain(v):
    r = middle_deopt(v)
    return r

for rep in range(25):
    r = top_chain(rep)
    if rep in (0, 16, 24):
        print(rep, r)

# An exception raised after the switch, through compiled callers.
def fail_after_overflow(v):
    t = v + BIG
    t = t + BIG
    return t // (v - v)

def chain3(v):
    return fail_after_overflow(v) + 1

def chain2(v):
    return chain3(v) + 1

for rep in range(25):
    try:
        chain2(rep)
    except ZeroDivisionError as e:
        tb = e.__traceback__
        entries = []
        while tb is not None:
            entries.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_frame.f_lineno, tb.tb_frame.f_locals.get("t")))
            tb = tb.tb_next
        if rep in (0, 16, 24):
            print(rep, entries)

# Non-int operands hitting an int fast path: str, float, list, bool.
def add3(a, b, c):
    s = a + b
    f = sys._getframe()
    s = s + c
    return s, f.f_lineno, sorted([kv for kv in f.f_locals.items() if kv[0] != "f"])

res = []
for rep in range(40):
    if rep < 20:
        res.append(add3(rep, 1, 2))
    elif rep < 25:
        res.append(add3("a", "b", str(rep)))
    elif rep < 30:
        res.append(add3(1.5, rep, 0.25))
    elif rep < 35:
        res.append(add3([rep], [1], [2]))
    else:
        res.append(add3(True, True, rep))
for i in (0, 19, 20, 24, 25, 29, 30, 34, 35, 39):
    print(i, res[i])

# Many overflows in one function: more than its budget of fast-path exits.
def keeps_overflowing(n):
    acc = BIG
    acc = acc + n
    return acc - BIG, sys._getframe().f_lineno

res = []
for rep in range(60):
    res.append(keeps_overflowing(rep))
print(res[0], res[16], res[17], res[59])

def cmp_mixed(a, b):
    if a < b:
        return "lt", sys._getframe().f_lineno
    return "ge", sys._getframe().f_lineno

res = []
for rep in range(40):
    if rep < 20:
        res.append(cmp_mixed(rep, 10))
    else:
        res.append(cmp_mixed(rep * 0.5, 10))
print(res[0], res[19], res[20], res[39])
try:
    for rep in range(5):
        cmp_mixed("a", 1)
except TypeError as e:
    print("TypeError:", e, e.__traceback__.tb_next.tb_lineno)
