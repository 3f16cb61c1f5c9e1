# sys._getframe(k) at several depths from functions called often enough to be compiled.
import sys

def report(label, results):
    first = results[0]
    print(label, first)
    for i in range(len(results)):
        if results[i] != first:
            print("  differs at", i, results[i])

def plain(items):
    out = []
    for kv in items:
        if type(kv[1]).__name__ == "frame":
            out.append((kv[0], "<frame>"))
        else:
            out.append(kv)
    return out

def leaf(k, tag):
    f = sys._getframe(k)
    return (f.f_code.co_name, f.f_lineno, plain(sorted(f.f_locals.items())))

def mid(k, tag):
    m = tag * 2
    r = leaf(k, tag)
    return r

def top(k, tag):
    t = tag + 1
    r = mid(k, t)
    return r

for k in range(4):
    results = []
    for i in range(30):
        r = top(k, 5)
        if k == 3:
            r = (r[0], r[1])
        results.append(r)
    report("depth %d:" % k, results)

def back_chain(n):
    if n > 0:
        return back_chain(n - 1)
    names = []
    lines = []
    f = sys._getframe()
    while f is not None:
        names.append(f.f_code.co_name)
        lines.append(f.f_lineno)
        f = f.f_back
    return names, lines

results = []
for i in range(25):
    results.append(back_chain(4))
report("chain:", results)

def identities():
    f = sys._getframe()
    g = sys._getframe(1)
    return (f.f_code is identities.__code__, g.f_code is caller_of_ids.__code__,
            f.f_globals is globals(), g.f_globals is f.f_globals,
            f.f_back is g, f.f_builtins is g.f_builtins)

def caller_of_ids():
    return identities()

results = []
for i in range(40):
    results.append(caller_of_ids())
report("ids:", results)

def too_deep(extra):
    d = 0
    f = sys._getframe()
    while f.f_back is not None:
        d += 1
        f = f.f_back
    return d, sys._getframe(d).f_code.co_name

def wrap_deep(n):
    if n == 0:
        return too_deep(0)
    return wrap_deep(n - 1)

results = []
for i in range(20):
    results.append(wrap_deep(3))
report("deepest:", results)

def probe_error(n):
    if n == 0:
        return sys._getframe(50)
    return probe_error(n - 1)

msgs = []
for i in range(20):
    try:
        probe_error(2)
        msgs.append("no error")
    except ValueError as e:
        msgs.append(str(e))
report("error:", msgs)

def names_of(k):
    return sys._getframe(k).f_code.co_name

def ladder(n, k):
    if n == 0:
        return names_of(k)
    return ladder(n - 1, k)

out = []
for k in range(1, 6):
    out.append(ladder(3, k))
print(out)
hot = []
for i in range(30):
    hot.append((ladder(3, 1), ladder(3, 4), ladder(3, 5)))
report("ladder:", hot)
