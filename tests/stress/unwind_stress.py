# Stress: workers unwind exceptions through deep recursion (JIT frames under --jit=all) and
# check every traceback they catch (frame names, each frame's f_back is the next entry's frame,
# the final `n` of each recursion frame), while they also drop started generators (whose close
# unwinds GeneratorExit through a frame while its caller runs on) and a sampler thread calls
# sys._current_frames() and walks every f_back chain it gets. Unwinding leaves each frame's
# f_back to be settled by its caller; samples, handshakes and drops must never see it half done.
#
# usage: unwind_stress.py [ROUNDS] [WORKERS] [DEPTH]
import sys
import threading

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
DEPTH = int(sys.argv[3]) if len(sys.argv) > 3 else 50

running = [True]
errors = []


def down(n, stop):
    if n == stop:
        raise ValueError(n)
    return down(n + 1, stop) + 1


def middle(n, stop):
    # Catches halfway: the entries below are ended frames, this one is live.
    try:
        return down(n, stop)
    except ValueError as e:
        return e, sys._getframe()


def gen(k):
    yield k
    yield k + 1


def drop_generators(k):
    for i in range(k):
        g = gen(i)
        next(g)
        g = None
    return sys._getframe().f_back


def check(e, top_name, first, stop):
    tb = e.__traceback__
    names = []
    while tb is not None:
        f = tb.tb_frame
        names.append(f.f_code.co_name)
        if tb.tb_next is not None and tb.tb_next.tb_frame.f_back is not f:
            errors.append("broken f_back link at %s" % f.f_code.co_name)
            return
        tb = tb.tb_next
    want = [top_name] + ["down"] * (stop - first + 1)
    if names != want:
        errors.append("names %r" % names[:5])
        return
    tb = e.__traceback__.tb_next
    n = first
    while tb is not None:
        got = tb.tb_frame.f_locals["n"]
        if got != n:
            errors.append("local n %r != %r" % (got, n))
            return
        n += 1
        tb = tb.tb_next


def caught(stop):
    try:
        down(0, stop)
    except ValueError as e:
        return e


def worker(k):
    for r in range(ROUNDS):
        stop = DEPTH + (r + k) % 7
        e = caught(stop)
        check(e, "caught", 0, stop)
        e, live = middle(3, stop)
        check(e, "middle", 3, stop)
        if e.__traceback__.tb_frame is not live:
            errors.append("catcher frame is not the live frame")
        back = drop_generators(r % 4)
        if back.f_code.co_name != "worker":
            errors.append("f_back after drops: %s" % back.f_code.co_name)
        if errors:
            return


def sampler():
    seen = 0
    while running[0]:
        for ident, f in sys._current_frames().items():
            depth = 0
            while f is not None:
                depth += 1
                if depth > 10 * DEPTH:
                    errors.append("f_back chain does not end")
                    return
                f = f.f_back
            seen += 1
    print("samples:", seen > 0, file=sys.stderr)


s = threading.Thread(target=sampler)
s.start()
ws = [threading.Thread(target=worker, args=(k,)) for k in range(WORKERS)]
for w in ws:
    w.start()
for w in ws:
    w.join()
running[0] = False
s.join()
print("ok" if not errors else "errors: %r" % errors[:5])
