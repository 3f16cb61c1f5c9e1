# Frame-observation costs against stack depth, for the comparison table, the plots and the
# criterion benches' CPython baseline. Prints one line per measurement:
#   RESULT <kind> <depth> <seconds per operation>
# kinds: getframe_repeat (sys._getframe(0) again on a frame that has its object),
#        getframe_first (a call whose sys._getframe(0) builds its frame object),
#        raise (raise through <depth> frames, catch, walk tb_next, free),
#        raise_tb_frame (the same, reading every tb_frame),
#        fback_walk (the first f_back walk from the top of <depth> frames).
# Usage: depth_sweep.py [KIND[,KIND...] [DEPTH[,DEPTH...] [REPEAT]]]  (each figure: best of REPEAT)
import sys
import time

sys.setrecursionlimit(1_100_000)
T = [0.0]


def probe(k):
    f = None
    i = 0
    while i < k:
        f = sys._getframe(0)
        i += 1
    return f


def fresh():
    return sys._getframe(0)


def probe_first(k):
    i = 0
    while i < k:
        fresh()
        i += 1


def time_getframe_repeat(k):
    t = time.perf_counter()
    probe(k)
    return time.perf_counter() - t


def time_getframe_first(k):
    t = time.perf_counter()
    probe_first(k)
    return time.perf_counter() - t


def down_raise(n):
    if n == 0:
        T[0] = time.perf_counter()
        raise ValueError("bottom")
    return down_raise(n - 1)


def raise_walk(n, read_frames):
    count = 0
    try:
        down_raise(n)
    except ValueError as e:
        tb = e.__traceback__
        while tb is not None:
            if read_frames:
                tb.tb_frame
            count += 1
            tb = tb.tb_next
    elapsed = time.perf_counter() - T[0]
    assert count == n + 2, count
    return elapsed


def walk_from_top(k):
    t = time.perf_counter()
    f = sys._getframe(0)
    n = 0
    while f is not None:
        n += 1
        f = f.f_back
    return time.perf_counter() - t


def at(depth, fn, arg):
    # `fn(arg)` run `depth` calls deep (plus this module's own few frames).
    if depth == 0:
        return fn(arg)
    return at(depth - 1, fn, arg)


def measure(kind, depth):
    # Seconds per operation for one run.
    if kind == "getframe_repeat":
        k = 100_000
        return at(depth, time_getframe_repeat, k) / k
    if kind == "getframe_first":
        k = 100_000
        return at(depth, time_getframe_first, k) / k
    if kind == "raise" or kind == "raise_tb_frame":
        # Small depths: many raises per run, so that one run is not a timer tick.
        k = 1 + 10_000 // depth
        total = 0.0
        for _ in range(k):
            total += raise_walk(depth, kind == "raise_tb_frame")
        return total / k
    if kind == "fback_walk":
        k = 1 + 10_000 // depth
        total = 0.0
        for _ in range(k):
            total += at(depth, walk_from_top, 0)
        return total / k
    raise ValueError(kind)


def main():
    kinds = ["getframe_repeat", "getframe_first", "raise", "raise_tb_frame", "fback_walk"]
    depths = [10, 100, 1000, 10_000, 100_000, 1_000_000]
    repeat = 3
    if len(sys.argv) > 1:
        kinds = sys.argv[1].split(",")
    if len(sys.argv) > 2:
        depths = [int(d) for d in sys.argv[2].split(",")]
    if len(sys.argv) > 3:
        repeat = int(sys.argv[3])
    for kind in kinds:
        measure(kind, 10)
        for depth in depths:
            best = measure(kind, depth)
            for _ in range(repeat - 1):
                best = min(best, measure(kind, depth))
            print("RESULT", kind, depth, best)


if __name__ == "__main__":
    main()
