# Ordinary interpreter work: loops over lists and dicts.
import time

def work():
    data = list(range(200_000))
    total = 0
    for x in data:
        if x % 3 == 0:
            total += x
    d = {}
    for x in data:
        d[x % 1000] = d.get(x % 1000, 0) + x
    s = 0
    for k in d:
        s += d[k]
    evens = [x for x in data if x % 2 == 0]
    return total + s + len(evens)

work()
t = time.perf_counter()
for _ in range(5):
    r = work()
print("BENCH", time.perf_counter() - t)
