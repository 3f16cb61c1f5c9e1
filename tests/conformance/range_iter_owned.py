# `for` over a range that nothing else references turns the range into its own iterator in
# place (interp GetIter, ops::iter::get_iter_owned); a range that something else still holds
# (a name, a container, a global cache's weak record, another thread) must stay a range.
import threading

R = range(2, 12, 3)


def from_global():
    return [x for x in R] + [x for x in R]


def held_by_local():
    r = range(5)
    a = [x * 2 for x in r]
    return a, list(r), len(r), r[1], r, 4 in r


def temporaries():
    out = []
    for i in range(3):
        for j in range(i, -1, -1):
            out.append((i, j))
    return out, sum(range(10**6, 10**6 + 4)), [x for x in range(-3, 3, 2)]


def edges():
    big = 2**62
    return (
        list(range(big - 2, big + 1)),
        list(range(-big - 1, -big - 4, -1)),
        len(range(-2**62, 2**62 - 1)), len(range(2**62, -2**62 + 1, -1)),
        [x for x in range(2**63 - 3, 2**63 - 1)],
        [x for x in range(0)],
        [x for x in range(5, 0)],
    )


def iterators():
    it = iter(range(3))
    again = iter(it)
    r = range(4)
    i1, i2 = iter(r), iter(r)
    next(i1)
    return it is again, type(it).__name__, list(it), list(i1), list(i2), type(r).__name__


def in_container():
    rs = [range(3), range(2)]
    out = [list(x for x in r) for r in rs]
    return out, rs


def work(shared, totals):
    totals.append(sum(x for x in shared))


def in_thread():
    shared = range(1000)
    totals = []
    ts = [threading.Thread(target=work, args=(shared, totals)) for _ in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return totals, shared


print(from_global())
print(held_by_local())
print(temporaries())
print(edges())
print(iterators())
print(in_container())
print(in_thread())
try:
    for x in range(1, 2, 0):
        pass
except ValueError as e:
    print("ValueError:", e)
try:
    for x in range("3"):
        pass
except TypeError as e:
    print("TypeError:", e)
