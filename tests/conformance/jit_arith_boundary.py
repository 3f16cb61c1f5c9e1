# Arithmetic in compiled functions crossing the small-int boundary, mixing int/float/str.
import sys

def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

def power_walk(base, steps):
    v = 1
    out = []
    i = 0
    while i < steps:
        v = v * base
        out.append(v)
        i += 1
    return out

def add_sub(a, b):
    return a + b, a - b, b - a, -a, a * b, a // 7, a % 7, a << 3, a >> 2, a & b, a | 1, a ^ b

def mixed(a, b):
    return a + b

def shifts(k):
    x = 1 << k
    return x, x - 1, -x, (x - 1) >> (k - 1), x // 3, -x // 3, -x % 5

def cmp_chain(a, b, c):
    return a < b < c, a == b, a != c, a <= c, b > a

for rep in range(30):
    r1 = fact(30)
    r2 = power_walk(2, 66)[60:66]
    r3 = add_sub(2 ** 62, 2 ** 62 - 1)
    r4 = add_sub(4611686018427387903, 1)
    r5 = shifts(62)
    r6 = shifts(63)
    r7 = cmp_chain(2 ** 62 - 1, 2 ** 62, 2 ** 64)
    r8 = power_walk(-3, 45)[-3:]
    if rep in (0, 15, 16, 29):
        print(rep, r1)
        print("  ", r2)
        print("  ", r3)
        print("  ", r4)
        print("  ", r5)
        print("  ", r6)
        print("  ", r7, r8)

mins = []
for rep in range(25):
    big = 4611686018427387903
    mins.append((big + 1, -big - 1, -big - 2, big * 2 + 2, (-big - 1) * -1, (-big - 1) // -1, abs(-big - 1)))
print(mins[0], mins.count(mins[0]))

res = []
for rep in range(25):
    row = []
    row.append(mixed(1, 2))
    row.append(mixed(1, 2.5))
    row.append(mixed(2 ** 70, 0.5))
    row.append(mixed("a", "b"))
    row.append(mixed([1], [2]))
    row.append(mixed((1,), (2, 3)))
    row.append(mixed(True, 2 ** 62))
    res.append(row)
print(res[0], res.count(res[0]))

errs = []
for rep in range(25):
    for pair in [(1, "a"), ("a", 1), (1.5, "x"), ([1], (2,)), (None, 1), (2 ** 80, "z")]:
        try:
            mixed(pair[0], pair[1])
        except TypeError as e:
            errs.append(str(e))
print(errs[:6], len(errs), len(set(errs)))

def divs(a, b):
    return a / b, a // b, a % b, divmod(a, b), a ** 2

res = []
for rep in range(25):
    res.append((divs(7, 2), divs(-7, 2), divs(2 ** 65, 3), divs(7.5, 2), divs(-(2 ** 62), -1)))
print(res[0])
print(res.count(res[0]))

zd = []
for rep in range(20):
    for pair in [(1, 0), (2 ** 70, 0), (1.0, 0), (5, 0.0)]:
        try:
            divs(pair[0], pair[1])
        except ZeroDivisionError as e:
            zd.append(str(e))
print(zd[:4], len(zd))

def accumulate(n):
    total = 0
    i = 0
    while i < n:
        total += 4611686018427387903
        i += 1
    return total

res = []
for rep in range(20):
    res.append(accumulate(rep))
print(res[0], res[1], res[2], res[19])

def str_ops(s, n):
    return s * n, n * s, s + str(n), s % n if "%" in s else s

res = []
for rep in range(25):
    res.append((str_ops("ab", 3), str_ops("%d!", 3), str_ops("x", 0), str_ops("q", -1)))
print(res[0], res.count(res[0]))

def floats(x):
    return x * 2, x / 3, x ** 0.5, int(x), round(x, 2), x > 2 ** 62, float(2 ** 62) == 2 ** 62

res = []
for rep in range(25):
    res.append((floats(1.0e19), floats(12.345), floats(4611686018427387904.0)))
print(res[0], res.count(res[0]))

ov = []
for rep in range(20):
    try:
        str_ops("%d!", 2 ** 64)
    except OverflowError as e:
        ov.append(str(e))
    try:
        shifts(-1)
    except ValueError as e:
        ov.append(str(e))
print(ov[:2], len(ov))
