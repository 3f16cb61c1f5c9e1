# list and tuple iterators: types, appends while iterating, exhaustion for good, removal while
# iterating, membership, nested iteration over one list, and threads sharing one iterator.
import threading

lst = [1, 2, 3]
it = iter(lst)
print(type(it).__name__, type(iter((1,))).__name__, repr(it).startswith("<list_iterator object at 0x"))
print(next(it), list(it), list(it))
lst.append(4)
print(list(it), "exhausted stays exhausted")
grow = [0]
for x in grow:
    if x < 5:
        grow.append(x + 1)
print(grow)
shrink = [1, 2, 3, 4, 5, 6]
seen = []
for x in shrink:
    seen.append(x)
    if x == 2:
        shrink.remove(x)
print(seen, shrink)
t = (3, 4, 5)
ti = iter(t)
print(next(ti), 5 in ti, next(ti, "end"))
print(3 in iter([1, 2, 3]), 9 in iter((1, 2)))
pairs = [(a, b) for a in lst for b in lst if a < b]
print(len(pairs), pairs[:3])
print(list(zip(lst, iter(lst))), sum(iter((1, 2, 3))), sorted(iter([3, 1, 2])))
e = iter([])
print(next(e, None), type(e).__name__)
print(isinstance(iter([]), type(iter([1]))), iter(it) is it)
cyc = [1]
ci = iter(cyc)
cyc.append(ci)
print(next(ci), next(ci) is ci)
del cyc, ci

shared = iter(list(range(100_000)))
got = [[], []]


def drain(k):
    for v in shared:
        got[k].append(v)


ths = [threading.Thread(target=drain, args=(k,)) for k in range(2)]
for th in ths:
    th.start()
for th in ths:
    th.join()
both = got[0] + got[1]
print(len(both), len(set(both)), sum(both) == sum(range(100_000)))
print(all(a < b for a, b in zip(got[0], got[0][1:])), all(a < b for a, b in zip(got[1], got[1][1:])))
