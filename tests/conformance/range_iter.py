# range iterators: values, exhaustion, reversed, membership, sharing between threads.
import threading

it = iter(range(3))
print(type(it).__name__, repr(it).startswith("<range_iterator object at 0x"))
print(list(it), list(it), next(iter(range(5, 0, -2))))
r = reversed(range(1, 10, 3))
print(type(r).__name__, list(r), list(reversed(range(0))), list(reversed(range(5, -5, -4))))
print(2 in iter(range(5)), 7 in iter(range(5)))
half = iter(range(10))
print(4 in half, list(half))
print(list(zip(range(3), reversed(range(3)))), sum(range(10**6)))
print(list(enumerate(range(2, 5))), sorted(reversed(range(-3, 3))))
print(isinstance(iter(range(1)), type(iter(range(2)))), iter(it) is it)
print(next(iter(range(0)), "empty"), next(iter(range(-5, -1, 7))))
x = iter(range(2))
next(x)
next(x)
try:
    next(x)
except StopIteration as e:
    print("stop", repr(e))
print(list(range(2**62, 2**62 + 10, 4)), list(reversed(range(-2**62, -2**62 + 3))))


def total(n):
    t = 0
    for i in range(n):
        t += i
    for i in range(n, 0, -3):
        t -= i
    return t


print(total(0), total(1), total(10), total(1000))

# Two threads share one iterator: between them they see every value once.
shared = iter(range(200_000))
seen = [[], []]


def drain(k):
    for v in shared:
        seen[k].append(v)


ts = [threading.Thread(target=drain, args=(k,)) for k in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
both = seen[0] + seen[1]
print(len(both), len(set(both)), sum(both) == sum(range(200_000)))
for k in range(2):
    print(all(a < b for a, b in zip(seen[k], seen[k][1:])))
