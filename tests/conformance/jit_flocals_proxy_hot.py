# The f_locals proxy of compiled frames: order, membership, views, get/setdefault/update,
# unbound and deleted locals, and locals() snapshots, in functions that run many times.
import sys

def order(a, b, c=3):
    z = 1
    y = 2
    x = a + b
    p = sys._getframe().f_locals
    return list(p.keys())

res = []
for i in range(25):
    res.append(order(i, 1))
print(res[0], res.count(res[0]))

def partial_bind(flag):
    first = 1
    if flag:
        second = 2
    third = 3
    p = sys._getframe().f_locals
    return list(p), len(p), "second" in p, p.get("second", "missing"), list(p.values())[:3]

res = []
for i in range(30):
    res.append(partial_bind(i % 2 == 0))
print(res[0])
print(res[1])
print(res[28] == res[0], res[29] == res[1])

def deleted(v):
    a = v
    b = v * 2
    del a
    p = sys._getframe().f_locals
    keys = list(p)
    a = "back"
    keys2 = list(p)
    return keys, keys2, p["a"]

res = []
for i in range(25):
    res.append(deleted(i))
print(res[0], res[24])

def without(items, name):
    out = []
    for kv in items:
        if kv[0] != name:
            out.append(kv)
    return sorted(out)

def proxy_methods(n):
    total = n
    name = "t"
    p = sys._getframe().f_locals
    p.update(dict(total=total + 100))
    got = p.setdefault("name", "other")
    got2 = p.setdefault("fresh", "default")
    items = without(p.items(), "p")
    return total, got, got2, items, p.get("nope"), "fresh" in p

res = []
for i in range(25):
    res.append(proxy_methods(i))
print(res[0])
print(res[24])

def pop_refused():
    v = 1
    p = sys._getframe().f_locals
    try:
        del p["v"]
    except TypeError as e:
        return str(e), v
    return "popped", v

res = []
for i in range(20):
    res.append(pop_refused())
print(res[0], res.count(res[0]))

def snapshot(n):
    a = n
    snap = locals()
    a = n + 1
    snap["a"] = 999
    live = sys._getframe().f_locals
    return snap["a"], a, live["a"], sorted(snap.keys()), "snap" in snap, "live" in locals()

res = []
for i in range(25):
    res.append(snapshot(i))
print(res[0], res[24])

def repr_and_len(x):
    y = [x]
    p = sys._getframe().f_locals
    return type(p).__name__, len(p), sorted(p.keys())

res = []
for i in range(20):
    res.append(repr_and_len(i))
print(res[0], res.count(res[0]))

# The proxy of a caller frame, held across the caller's changes.
proxies = []

def hold_proxy():
    proxies.append(sys._getframe(1).f_locals)
    return 0

def changing(n):
    v = n
    hold_proxy()
    v = v * 10
    w = proxies[-1]["v"]
    proxies[-1]["v"] = w + 1
    return v, w

res = []
for i in range(25):
    res.append(changing(i))
print(res[:3], res[-1])
print([proxies[i]["v"] for i in (0, 15, 16, 24)])
