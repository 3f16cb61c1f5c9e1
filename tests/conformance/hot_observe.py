import sys

def work(i):
    x = i * 2
    if i % 250 == 0:
        f = sys._getframe()
        return (f.f_code.co_name, f.f_lineno, f.f_locals["x"], f.f_back.f_code.co_name)
    return x

def driver():
    res = []
    total = 0
    for i in range(2000):
        r = work(i)
        if isinstance(r, tuple):
            res.append(r)
        else:
            total += r
    return res, total

res, total = driver()
print(res)
print(total)

def hot_leaf(n):
    return n + 1

def hot_caller(n):
    acc = 0
    for i in range(n):
        acc = hot_leaf(acc)
    here = sys._getframe()
    return acc, here.f_lineno, here.f_back.f_code.co_name

print(hot_caller(5000))

held = []

def grab_parent():
    held.append(sys._getframe(1))

def hot_loop():
    k = 0
    for i in range(3000):
        k += i
        if i == 1500:
            grab_parent()
    return k

print(hot_loop())
print(held[0].f_code.co_name, held[0].f_lineno, held[0].f_locals["k"], held[0].f_locals["i"])
