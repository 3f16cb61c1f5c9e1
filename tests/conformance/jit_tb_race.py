# Threads racing to read the same tb_next links of a JIT run's traceback (built in batches on
# the first read, installed by whichever thread gets there first; the others drop what they
# built): every thread must see the same entries, and the frames and lines must be CPython's.
import sys
import threading

sys.setrecursionlimit(5000)


def down(n):
    if n == 0:
        raise LookupError("bottom")
    return down(n - 1)


def raised(n):
    try:
        down(n)
    except LookupError as e:
        return e


def walk(tb, out):
    ids = []
    while tb is not None:
        ids.append(id(tb))
        tb = tb.tb_next
    out.append(ids)


agree = []
for round_ in range(20):
    e = raised(2000 + round_ * 7)
    outs = []
    go = threading.Event()

    def worker():
        go.wait()
        walk(e.__traceback__, outs)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join()
    agree.append(all(o == outs[0] for o in outs) and len(outs[0]) == 2002 + round_ * 7)
    tb = e.__traceback__
    lines = set()
    while tb is not None:
        lines.add((tb.tb_frame.f_code.co_name, tb.tb_lineno))
        tb = tb.tb_next
    if round_ == 0:
        print(sorted(lines))
    del e, outs, tb
print(all(agree), len(agree))
