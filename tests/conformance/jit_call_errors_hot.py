# Defaults, keyword arguments and the errors of bad calls, from compiled callers to compiled callees.
import sys

def f3(a, b=10, c="c"):
    return a, b, c

def f0():
    return 0

def f2(x, y):
    return x * y

def call_variants(i):
    r = []
    r.append(f3(i))
    r.append(f3(i, 2))
    r.append(f3(i, c=i))
    r.append(f3(c=1, b=2, a=i))
    r.append(f3(i, 5, "z"))
    r.append(f2(y=i, x=3))
    r.append(f0())
    return r

res = []
for i in range(30):
    res.append(call_variants(i))
print(res[0])
print(res[29])

def bad_calls(k):
    if k == 0:
        return f0(1)
    if k == 1:
        return f2(1)
    if k == 2:
        return f2(1, 2, 3)
    if k == 3:
        return f3()
    if k == 4:
        return f3(1, 2, 3, 4)
    if k == 5:
        return f3(1, d=4)
    if k == 6:
        return f3(1, a=2)
    if k == 7:
        return f2(y=1)
    if k == 8:
        return f0(x=1)
    if k == 9:
        return len()
    if k == 10:
        return len(1, 2)
    if k == 11:
        return f2()
    return None

msgs = []
for rep in range(25):
    for k in range(12):
        try:
            bad_calls(k)
            msgs.append((k, "no error"))
        except TypeError as e:
            msgs.append((k, str(e)))
for m in msgs[:12]:
    print(m)
print(msgs[:12] == msgs[-12:], len(msgs))

# Where does the traceback point for a bad call from compiled code?
def bad_from_deep(n):
    if n == 0:
        return f2(1)
    return bad_from_deep(n - 1)

for rep in range(20):
    try:
        bad_from_deep(3)
    except TypeError as e:
        tb = e.__traceback__
        lines = []
        while tb is not None:
            lines.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
            tb = tb.tb_next
        if rep in (0, 19):
            print(rep, e, lines)

# UnboundLocalError in compiled functions.
def unbound(flag):
    if flag:
        v = 1
    return v

def unbound_after_del(x):
    y = x
    del y
    return y

out = []
for rep in range(25):
    out.append(unbound(True))
    try:
        unbound(False)
    except UnboundLocalError as e:
        out.append(str(e))
    try:
        unbound_after_del(rep)
    except UnboundLocalError as e:
        out.append(str(e))
print(out[:3], out[-3:], len(out))

def unbound_frame_locals(flag):
    if flag:
        late = 1
    f = sys._getframe()
    return sorted(f.f_locals.keys()), "late" in f.f_locals

res = []
for rep in range(25):
    res.append((unbound_frame_locals(rep % 2 == 0)))
print(res[0], res[1], res[24], res[23])

# NameError with suggestions, caught: the message; the suggestion shows in formatted output.
import traceback

coutner = 0
some_long_global = 1

def uses_typos(k):
    if k == 0:
        return counter
    if k == 1:
        return some_long_globl
    if k == 2:
        return lenn([])
    return totally_unknown_xyz

texts = []
for rep in range(20):
    for k in range(4):
        try:
            uses_typos(k)
        except NameError as e:
            texts.append((str(e), traceback.format_exc().splitlines()[-1]))
for t in texts[:4]:
    print(t)
print(texts[:4] == texts[-4:])

def local_typo(value):
    valeu = value * 2
    if value < 20:
        return valeu
    return vaule

try:
    for rep in range(25):
        local_typo(rep)
except NameError as e:
    print(rep, traceback.format_exc())

# Uncaught at the end: wrong argument count from a compiled function.
def final(n, bad):
    if n == 0:
        if bad:
            return f3(1, 2, 3, b=4)
        return 0
    return final(n - 1, bad)

for rep in range(20):
    final(rep, False)
final(5, True)
