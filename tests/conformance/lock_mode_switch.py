# Object locks take a plain load and store while the program has one thread, and the atomic
# compare-and-swap once it starts another (object/lock.rs, "One thread"). Objects made and
# locked many times before the first thread starts, and the module's globals, are then shared
# by four threads at once: nothing is lost or torn across the switch.
import threading

shared = [i for i in range(1000)]
table = {i: i for i in range(1000)}
names = set(range(1000))
counter = 0
for i in range(1000):
    shared.append(shared[i])
    table[i] = table[i] + 1
    names.add(i + 1000)
    counter += 1


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


gen = numbers(40000)
first = [next(gen) for _ in range(10)]
go = threading.Event()
totals = []


def worker(t):
    go.wait()
    got = 0
    for i in range(5000):
        shared.append(t)
        table[(t, i)] = i
        names.add((t, i))
        try:
            next(gen)
            got += 1
        except (ValueError, StopIteration):
            pass
    totals.append(got)


threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
for t in threads:
    t.start()
go.set()
for t in threads:
    t.join()
print(len(shared), shared[:3], sorted(shared[2000:].count(t) for t in range(4)))
print(len(table), table[5], sum(1 for k in table if isinstance(k, tuple)))
print(len(names), counter)
rest = list(gen)
print(10 + sum(totals) + len(rest), first, gen.gi_running, gen.gi_frame is None)
