# Threads sharing a list and a dict (their locks: object/lock.rs, a spin-then-yield lock): appends,
# item reads, iteration, stores and deletes from four threads at once lose nothing and tear
# nothing; the final contents are what any interleaving gives.
import threading

shared = []
table = {}
go = threading.Event()


def worker(t):
    go.wait()
    seen = 0
    for i in range(5000):
        shared.append((t, i))
        table[(t, i)] = i * 2
        if i % 7 == 0:
            seen += len(shared) > 0
            for k in list(table)[:3]:
                table.get(k)
        if i % 11 == 0:
            table.pop((t, i), None)
            table[(t, i)] = i * 2
    total = 0
    for item in shared:
        total += item[1] >= 0
    return seen, total


results = []
threads = [threading.Thread(target=lambda t=t: results.append(worker(t))) for t in range(4)]
for th in threads:
    th.start()
go.set()
for th in threads:
    th.join()
print(len(shared), sorted(shared) == sorted((t, i) for t in range(4) for i in range(5000)))
print(len(table), all(table[(t, i)] == i * 2 for t in range(4) for i in range(5000)))
print(sorted(r[0] for r in results), all(r[1] >= 5000 for r in results))
