# Four threads race to resume one generator (its lock and protocol: interp/gen.rs): each item
# goes to exactly one of them, a resumption that finds the generator running fails with
# CPython's ValueError, and the generator's frame answers throughout.
import sys
import threading


def numbers(n):
    i = 0
    while i < n:
        yield i, sys._getframe(1) is not None
        i += 1


for round_ in range(3):
    g = numbers(20000)
    got = []
    errors = set()
    go = threading.Event()

    def worker():
        go.wait()
        mine = []
        while True:
            try:
                item = next(g)
            except StopIteration:
                break
            except ValueError as e:
                errors.add(str(e))
                continue
            mine.append(item)
        got.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join()
    items = sorted(x for mine in got for x in mine)
    print(round_, items == [(i, True) for i in range(20000)], errors <= {"generator already executing"},
          g.gi_frame, g.gi_running)
