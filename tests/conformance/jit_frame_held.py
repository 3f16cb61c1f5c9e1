# Frame objects kept after their (compiled) activation returned: final line, final locals, f_back.
import sys

held = []

def worker(n):
    total = 0
    i = 0
    while i < n:
        total += i
        i += 1
    f = sys._getframe()
    held.append(f)
    label = "w%d" % n
    total = total * 10
    return total

def driver(n):
    r = worker(n)
    me = sys._getframe()
    return r, me

drivers = []
for n in range(30):
    r, d = driver(n)
    drivers.append(d)

def locs(f):
    out = []
    for kv in sorted(f.f_locals.items()):
        if type(kv[1]).__name__ == "frame":
            out.append((kv[0], "<frame>"))
        else:
            out.append(kv)
    return out

print(len(held), len(drivers))
for idx in [0, 1, 14, 15, 16, 17, 29]:
    f = held[idx]
    print(idx, f.f_code.co_name, f.f_lineno, locs(f))
    print("  back:", f.f_back.f_code.co_name, f.f_back.f_lineno, f.f_back is drivers[idx], locs(f.f_back))
    print("  back.back:", f.f_back.f_back.f_code.co_name, f.f_back.f_back is sys._getframe())
print(sum([f.f_locals["total"] for f in held]))
print(all([held[i].f_locals["label"] == "w%d" % i for i in range(30)]))
print(len(set([id(f) for f in held])))

# A frame taken before an exception escaped the function.
def escaping(k):
    kept.append(sys._getframe())
    z = k * 3
    if k % 2:
        raise ValueError("odd %d" % k)
    z = z + 1
    return z

kept = []
outcomes = []
for k in range(24):
    try:
        outcomes.append(escaping(k))
    except ValueError as e:
        outcomes.append(str(e))
print(outcomes[:6], outcomes[-2:])
print([(f.f_lineno, f.f_locals["z"]) for f in kept[14:20]])
print([f.f_back.f_code.co_name for f in kept[:3]], kept[17].f_back is sys._getframe())

# The caller's frame, held by the callee, read after both returned.
grabbed = []

def grab_caller():
    grabbed.append(sys._getframe(1))
    return len(grabbed)

def caller_a(x):
    y = x + 1
    n = grab_caller()
    y = y * 2
    after = n + y
    return after

vals = []
for x in range(20):
    vals.append(caller_a(x))
print(vals[:5], vals[-1])
g = grabbed[19]
print(g.f_code.co_name, g.f_lineno, sorted(g.f_locals.items()))
g = grabbed[3]
print(g.f_code.co_name, g.f_lineno, sorted(g.f_locals.items()))
print(grabbed[18].f_back is grabbed[19].f_back)

# Writes through the proxy of a finished frame stay in the frame object only.
g.f_locals["y"] = "changed"
g.f_locals["new"] = 1
print(sorted(g.f_locals.items()))
print(caller_a(100), grabbed[-1].f_locals["y"])

# clear() on finished frames, then reading them.
for f in held[10:20]:
    f.clear()
print([len(f.f_locals) for f in held[8:22]])
