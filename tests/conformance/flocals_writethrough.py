import sys

def set_caller(name, value):
    sys._getframe(1).f_locals[name] = value

def loop_sum():
    step = 1
    total = 0
    i = 0
    while i < 6:
        total += step
        if i == 2:
            set_caller("step", 10)
        i += 1
    return total, step

print(loop_sum())

def deep_writer():
    sys._getframe(2).f_locals["v"] = "changed by grandchild"

def mid():
    deep_writer()

def two_levels():
    v = "before"
    mid()
    return v

print(two_levels())

def fill():
    set_caller("w", 7)
    r = w
    w = 0
    return r, w

print(fill())

def retype():
    n = 1
    acc = []
    for k in range(3):
        acc.append(n + n)
        if k == 0:
            set_caller("n", "ab")
    return acc

print(retype())

def loop_var():
    seen = []
    for i in range(4):
        seen.append(i)
        set_caller("i", 100)
        seen.append(i)
    return seen

print(loop_var())

def extra_name():
    set_caller("not_a_local", 1)
    p = sys._getframe().f_locals
    return "not_a_local" in p, p["not_a_local"], sorted(p)

print(extra_name())

def param_write(a, b=2):
    set_caller("a", a * 100)
    set_caller("b", "bee")
    return a, b

print(param_write(3))

def bigint_write():
    x = 1
    set_caller("x", 2 ** 100)
    return x + 1

print(bigint_write())

def self_write():
    y = 1
    sys._getframe().f_locals["y"] = 41
    return y + 1

print(self_write())

def write_via_held():
    out = []
    me = sys._getframe()
    proxy = me.f_locals
    k = 0
    while k < 3:
        out.append(k)
        proxy["k"] = k + 2
    return out, k

print(write_via_held())
