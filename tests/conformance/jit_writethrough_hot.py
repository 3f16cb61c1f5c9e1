# PEP 667: a callee writes its running caller's locals through sys._getframe(1).f_locals and the
# caller (compiled after a few calls) continues with the new values.
import sys

def setp(name, value):
    sys._getframe(1).f_locals[name] = value

def setgp(name, value):
    sys._getframe(2).f_locals[name] = value

def simple(x):
    y = x + 1
    setp("y", 99)
    return y + x

res = []
for i in range(30):
    res.append(simple(i))
print(res)

def param(a, b):
    setp("a", b * 10)
    return a + b

res = []
for i in range(30):
    res.append(param(i, 2))
print(res[0], res[15], res[16], res[29], len(set(res)))

def for_target(n):
    seen = []
    for i in range(n):
        setp("i", i * 100)
        seen.append(i)
    return seen

res = []
for k in range(25):
    res.append(for_target(3))
print(res[0], res[24], res.count(res[0]))

def while_bound(limit):
    i = 0
    stop = limit
    while i < stop:
        i += 1
        if i == 5:
            setp("stop", 7)
    return i

res = []
for k in range(25):
    res.append(while_bound(1000 + k))
print(res[:3], res[-3:])

def unbound_then_bound():
    setp("late", "from callee")
    r = late
    late = "own"
    return r, late

res = []
for k in range(25):
    res.append(unbound_then_bound())
print(res[0], res[24], res.count(res[0]))

def to_bigint(n):
    acc = n
    setp("acc", 2 ** 64)
    acc = acc + 1
    return acc

res = []
for k in range(25):
    res.append(to_bigint(k))
print(res[0], res[24], res.count(res[0]))

def to_str(n):
    acc = n
    setp("acc", "s")
    acc = acc * 3
    return acc

res = []
for k in range(25):
    res.append(to_str(k))
print(res[0], res[24])

def through_middle():
    sys._getframe(2).f_locals["v"] = "by grandchild"

def middle_man():
    through_middle()
    return 0

def gp():
    v = "orig"
    middle_man()
    return v

res = []
for k in range(30):
    res.append(gp())
print(res[0], res[29], res.count(res[0]))

def delete_in_caller():
    f = sys._getframe(1)
    try:
        del f.f_locals["q"]
    except TypeError as e:
        return str(e)
    return "deleted"

def gets_deleted():
    q = 5
    msg = delete_in_caller()
    return msg, q, "q" in sys._getframe().f_locals

res = []
for k in range(20):
    res.append(gets_deleted())
print(res[0], res[19], res.count(res[0]))

def setgp_user():
    setgp("w", "two up")

def w_owner(n):
    w = n
    setgp_user()
    return w

res = []
for k in range(20):
    res.append(w_owner(k))
print(res[0], res[19], res.count(res[0]))

def counting_writes(n):
    total = 0
    i = 0
    while i < n:
        setp("total", total + 2)
        total += 1
        i += 1
    return total

res = []
for k in range(25):
    res.append(counting_writes(k))
print(res)

def proxy_held_across_calls():
    p = sys._getframe().f_locals
    a = 1
    setp("a", 2)
    b = p["a"]
    p["a"] = 3
    return a, b, sorted(p.keys())

res = []
for k in range(25):
    res.append(proxy_held_across_calls())
print(res[0], res[24], res.count(res[0]))

def write_extra():
    setp("extra_name", 42)
    f = sys._getframe()
    return f.f_locals["extra_name"], sorted(f.f_locals.keys())

res = []
for k in range(20):
    res.append(write_extra())
print(res[0], res[19], res.count(res[0]))
