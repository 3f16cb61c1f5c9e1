# A run of unwound JIT frames through many distinct functions (more than the few the unwinder
# compares first), alternating with recursion: every entry names its own code, line and locals.
import sys
import traceback


def f0(n, tag):
    if n == 0:
        raise KeyError("bottom " + tag)
    return f1(n - 1, tag + "0")


def f1(n, tag):
    return f2(n, tag + "1")


def f2(n, tag):
    x = n * 2
    return f3(n, tag + "2")


def f3(n, tag):
    return f4(n, tag + "3")


def f4(n, tag):
    y = [n]
    return f5(n, tag + "4")


def f5(n, tag):
    if n % 2:
        return f0(n, tag + "5")
    return f0(n, tag + "5")


def entries(tb):
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


for depth in (0, 1, 3, 7):
    try:
        f0(depth, "")
    except KeyError as e:
        tbs = entries(e.__traceback__)
        print(depth, len(tbs), [t.tb_frame.f_code.co_name for t in tbs])
        print([t.tb_lineno for t in tbs])
        # Read the frames from the raise point outwards, then check the f_back chain.
        inner = tbs[-1].tb_frame
        print(sorted(inner.f_locals.items()))
        print(inner.f_globals is globals(), tbs[1].tb_frame.f_globals is globals())
        f = inner
        names = []
        while f is not None:
            names.append(f.f_code.co_name)
            f = f.f_back
        print(names)
        print(all(t.tb_frame.f_back is tbs[i].tb_frame for i, t in enumerate(tbs[1:])))

try:
    f0(12, "")
except KeyError:
    traceback.print_exc(file=sys.stdout)
# Walk the middle first, then the ends.
try:
    f0(5, "")
except KeyError as e:
    tbs = entries(e.__traceback__)
    mid = tbs[len(tbs) // 2]
    print(mid.tb_frame.f_code.co_name, sorted(mid.tb_frame.f_locals))
    print(tbs[-1].tb_frame.f_locals["tag"], tbs[1].tb_frame.f_locals["tag"])
f0(2, "")
