import sys

sys.setrecursionlimit(50000)
print(sys.getrecursionlimit())

def total(n):
    if n == 0:
        return 0
    return n + total(n - 1)

print(total(40000))

def depth_at_bottom(n):
    if n == 0:
        f = sys._getframe()
        d = 0
        while f is not None:
            d += 1
            f = f.f_back
        return d
    return depth_at_bottom(n - 1)

print(depth_at_bottom(40000))

def even(n):
    if n == 0:
        return True
    return odd(n - 1)

def odd(n):
    if n == 0:
        return False
    return even(n - 1)

print(even(30001), odd(30001))

def fail_deep(n):
    if n == 0:
        raise ValueError("bottom")
    fail_deep(n - 1)

try:
    fail_deep(40000)
except ValueError as e:
    count = 0
    tb = e.__traceback__
    while tb is not None:
        count += 1
        tb = tb.tb_next
    print("tb entries", count)
