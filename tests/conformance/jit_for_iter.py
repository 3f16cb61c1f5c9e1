# `for` over every kind of iterator: range, list and tuple iterators step in compiled code's
# leaf call, the others (generators, dicts, strs, map/zip/enumerate) through the runtime.


def total(it):
    t = 0
    for x in it:
        t += x
    return t


def collect(it):
    out = []
    for x in it:
        out.append(x)
    return out


def gen(n):
    for i in range(n):
        yield i * i


def failing(n):
    yield 1
    if n:
        raise KeyError(n)
    yield 2


def early(items):
    for x in items:
        if x == 3:
            return "found"
    return "missing"


def nested(n):
    t = 0
    for i in range(n):
        for j in (i, i + 1):
            t += j
    return t


for _ in range(200):
    total(range(10))
    collect([1, 2])
    early((1, 2, 3))
    nested(3)

big = 2**62
print(total(range(100)), total(range(big - 2, big + 2)), collect(range(big - 1, big + 1)))
print(total([1, 2, 3]), total((4, 5)), total(gen(5)), total({1: 0, 2: 0}), collect("ab"))
print(collect(map(abs, [-1, -2])), collect(zip([1], [2])), collect(enumerate("xy")))
print(early([1, 2, 3, 4]), early(range(3)), early(x for x in (3,)), nested(50))
grow = [1]
for x in grow:
    if len(grow) < 5:
        grow.append(x + 1)
print(grow, collect(reversed([1, 2, 3])), collect(iter(range(0))))
it = iter([1, 2, 3])
print(collect(it), collect(it))
try:
    total(failing(1))
except KeyError as e:
    print("KeyError", e)
try:
    total(["a"])
except TypeError as e:
    print("TypeError:", e)
try:
    total(5)
except TypeError as e:
    print("TypeError:", e)
print(total(failing(0)))
total([1, None])
