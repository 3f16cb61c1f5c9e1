# One frame object per activation, whichever way it is reached (sys._getframe, f_back,
# tb_frame, f_locals of another frame), in compiled functions.
import sys

def same_twice():
    a = sys._getframe(0)
    b = sys._getframe(0)
    c = sys._getframe()
    return a is b, b is c, a.f_back is sys._getframe(1), a.f_back is c.f_back

res = []
for i in range(30):
    res.append(same_twice())
print(res[0], res.count(res[0]))

def child_reports():
    me = sys._getframe()
    parent = sys._getframe(1)
    return me, parent, me.f_back

def parent_calls_twice():
    me = sys._getframe()
    first = child_reports()
    second = child_reports()
    return (first[1] is me, second[1] is me, first[2] is me, first[0] is second[0],
            first[0].f_back is second[0].f_back, first[0].f_code is second[0].f_code)

res = []
for i in range(30):
    res.append(parent_calls_twice())
print(res[0], res.count(res[0]))

# tb_frame and f_back reach the same objects.
grabbed = []

def raiser(n):
    grabbed.append(sys._getframe())
    if n == 0:
        raise ValueError(n)
    raiser(n - 1)

def check_tb(depth):
    grabbed.clear()
    try:
        raiser(depth)
    except ValueError as e:
        tb = e.__traceback__.tb_next
        i = 0
        ok = []
        while tb is not None:
            ok.append(tb.tb_frame is grabbed[i])
            if i > 0:
                ok.append(grabbed[i].f_back is grabbed[i - 1])
            i += 1
            tb = tb.tb_next
        ok.append(grabbed[0].f_back is sys._getframe())
        return ok.count(True), len(ok)

res = []
for i in range(30):
    res.append(check_tb(5))
print(res[0], res.count(res[0]))

# Frames reached first through the traceback, later through f_back of a deeper frame.
def raiser2(n):
    if n == 0:
        raise KeyError(n)
    raiser2(n - 1)

res = []
for i in range(25):
    try:
        raiser2(4)
    except KeyError as e:
        tb = e.__traceback__
        frames = []
        while tb is not None:
            frames.append(tb.tb_frame)
            tb = tb.tb_next
        ok = True
        for j in range(len(frames) - 1, 0, -1):
            if frames[j].f_back is not frames[j - 1]:
                ok = False
        res.append((ok, len(frames), frames[0] is sys._getframe(), [f.f_lineno for f in frames]))
print(res[0], res.count(res[0]))

# Frames stored in a caller's local and read through that caller's f_locals.
def store_self():
    mine = sys._getframe()
    return via_parent_locals()

def via_parent_locals():
    p = sys._getframe(1)
    return p.f_locals["mine"] is p, p.f_locals["mine"].f_locals["mine"] is p

res = []
for i in range(25):
    res.append(store_self())
print(res[0], res.count(res[0]))

# clear() of an executing frame is refused, from the frame itself and from a callee.
def clear_self():
    try:
        sys._getframe().clear()
    except RuntimeError as e:
        return str(e)
    return "cleared"

def clear_parent():
    try:
        sys._getframe(1).clear()
    except RuntimeError as e:
        return str(e)
    return "cleared"

def parent_of_clear():
    x = 1
    r = clear_parent()
    return r, x

res = []
for i in range(20):
    res.append((clear_self(), parent_of_clear()))
print(res[0], res.count(res[0]))

# Different activations never share a frame object, even when one is held.
held = []

def activation(i):
    held.append(sys._getframe())
    return i

for i in range(30):
    activation(i)
distinct = True
for i in range(30):
    for j in range(i):
        if held[i] is held[j]:
            distinct = False
print(distinct, [f.f_locals["i"] for f in held[12:20]])
