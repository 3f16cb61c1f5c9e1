# A callee reads its running caller's frame: f_locals, f_lineno at the call site, f_back.
import sys

def peek():
    f = sys._getframe(1)
    return (f.f_code.co_name, f.f_lineno, sorted(f.f_locals.items()), f.f_back.f_code.co_name)

def caller(a, b):
    s = a + b
    first = peek()
    d = s * 2
    second = peek()
    if d > 10:
        third = peek()
    else:
        third = None
    return first, second, third

results = []
for i in range(30):
    results.append(caller(i, 1))
for i in [0, 1, 7, 15, 16, 29]:
    r = results[i]
    print(i, r[0][1], r[1][1], r[2] is None)
    print("  ", r[0][2])
    print("  ", r[1][2])
    if r[2] is not None:
        print("  ", r[2][1], r[2][2])
print(results[20][0][0], results[20][0][3])

# Multi-line call expressions: which line does the waiting caller report?
def where():
    return sys._getframe(1).f_lineno

def multi(x):
    a = where(
    )
    b = [
        x,
        where(),
    ]
    c = (x +
         where())
    return a, b[1], c - x

out = []
for i in range(25):
    out.append(multi(i))
print(out[0], out[24], len(set(out)))

# Caller in a loop: the callee sees the loop variable and accumulator as they are now.
def snapshot():
    f = sys._getframe(1)
    return f.f_locals["i"], f.f_locals["acc"], f.f_lineno

def looping(n):
    acc = 0
    seen = []
    for i in range(n):
        acc += i * i
        if i % 3 == 0:
            seen.append(snapshot())
    return seen

for n in [4, 10, 40]:
    res = []
    for rep in range(20):
        res.append(looping(n))
    print(n, res[0], res[0] == res[19], res[16] == res[0])

# The frame of the caller grabbed by the callee keeps answering live while the caller runs on.
def grab():
    return sys._getframe(1)

def watch_self():
    me = grab()
    lines = [me.f_lineno]
    x = 1
    lines.append(me.f_lineno)
    x += me.f_locals["x"]
    lines.append(me.f_lineno)
    lines.append(me.f_locals["x"])
    lines.append(me is sys._getframe())
    return lines

res = []
for i in range(30):
    res.append(watch_self())
print(res[0], res[29])

# Two levels up: a grandparent that is itself waiting.
def deep_peek():
    g = sys._getframe(2)
    return g.f_code.co_name, g.f_lineno, sorted(g.f_locals.items())

def middle(v):
    w = v * 3
    return deep_peek()

def grandparent(v):
    u = v - 1
    r = middle(u)
    return r

res = []
for i in range(30):
    res.append(grandparent(i))
print(res[0], res[16], res[29])
