import sys

def poke(name, value):
    sys._getframe(1).f_locals[name] = value

def hot_sum(limit):
    step = 1
    total = 0
    for i in range(limit):
        total += step
        if i == limit // 2:
            poke("step", 1000)
    return total

print(hot_sum(10000))
print(hot_sum(10))

def change_loop_bound():
    n = 100000
    i = 0
    while i < n:
        i += 1
        if i == 50:
            poke("n", 60)
    return i

print(change_loop_bound())

def type_flip():
    acc = 0
    val = 1
    for i in range(2000):
        acc += val
        if i == 1000:
            poke("acc", 2 ** 80)
    return acc

print(type_flip())

def observe_after_write():
    a = 1
    poke("a", 2)
    f = sys._getframe()
    return a, f.f_locals["a"]

for _ in range(500):
    r = observe_after_write()
print(r)
