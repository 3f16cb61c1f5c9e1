# JIT frames unwound by one exception are kept together and their frames built only when read
# (frame/segment.rs). Whatever order the frames are read in, and whatever outlives what, the
# frames, their f_back links, final locals and identities must be CPython's.
import sys


def down(n, tag):
    local = n * 10
    if n == 0:
        raise KeyError(tag)
    return down(n - 1, tag)


def entries(tb):
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


def describe(tbs):
    return [(t.tb_frame.f_code.co_name, t.tb_lineno, t.tb_frame.f_locals.get("n")) for t in tbs]


def linked(tbs):
    ok = True
    for i in range(len(tbs) - 1):
        ok = ok and tbs[i + 1].tb_frame.f_back is tbs[i].tb_frame
    return ok


def innermost_first():
    try:
        down(5, "a")
    except KeyError as e:
        tbs = entries(e.__traceback__)
        inner = tbs[-1].tb_frame
        print("innermost", inner.f_code.co_name, inner.f_locals)
        f, names = inner, []
        while f is not None:
            names.append(f.f_code.co_name)
            f = f.f_back
        print("back chain", names)
        print("described", describe(tbs), linked(tbs))


def middle_first():
    try:
        down(6, "b")
    except KeyError as e:
        tbs = entries(e.__traceback__)
        mid = tbs[4].tb_frame
        print("middle", mid.f_locals, mid.f_back is tbs[3].tb_frame)
        print("outer then inner", tbs[2].tb_frame.f_locals["n"], tbs[6].tb_frame.f_locals["n"])
        print("same objects", tbs[4].tb_frame is mid, tbs[5].tb_frame.f_back is mid, linked(tbs))


def keep_frame():
    try:
        down(4, "c")
    except KeyError as e:
        f = e.__traceback__.tb_next.tb_next.tb_next.tb_frame
    # The exception and its traceback are gone; the frame and its callers stay.
    out = []
    while f is not None:
        out.append((f.f_code.co_name, f.f_locals.get("local")))
        f = f.f_back
    print("kept", out)


def keep_entry():
    try:
        down(4, "d")
    except KeyError as e:
        tb = e.__traceback__.tb_next.tb_next
    print("kept entry", describe(entries(tb)), linked(entries(tb)))


def apply(n):
    return down(n, "m")


def through_map():
    # JIT frames called from a builtin (map) and the frames that called it.
    try:
        list(map(apply, [3]))
    except KeyError as e:
        tbs = entries(e.__traceback__)
        print("map", describe(tbs), linked(tbs))
        print("map backs", [t.tb_frame.f_back.f_code.co_name for t in tbs])


def key(n):
    return down(n, "k")


def through_sorted():
    def outer(n):
        return sorted([n], key=key)

    try:
        outer(2)
    except KeyError as e:
        tbs = entries(e.__traceback__)
        print("sorted", describe(tbs), linked(tbs))


def replaced(n):
    try:
        down(n, "x")
    except KeyError:
        raise ValueError("replaced")


def caller_of_replaced():
    try:
        replaced(2)
    except ValueError as e:
        tbs = entries(e.__traceback__)
        ctx = entries(e.__context__.__traceback__)
        print("replaced", describe(tbs), linked(tbs))
        print("context", describe(ctx), linked(ctx))
        print("shared frame", ctx[0].tb_frame is tbs[1].tb_frame)


def many(k):
    # Several exceptions in a row, each through its own run of frames.
    out = []
    for i in range(k):
        try:
            down(i, i)
        except KeyError as e:
            tbs = entries(e.__traceback__)
            out.append((len(tbs), linked(tbs), tbs[-1].tb_frame.f_locals["n"]))
    print("many", out)


def deep():
    try:
        down(3000, "deep")
    except KeyError as e:
        tbs = entries(e.__traceback__)
        print("deep", len(tbs), tbs[-1].tb_frame.f_locals, linked(tbs))
        f = tbs[-1].tb_frame
        count = 0
        while f is not None:
            count += 1
            f = f.f_back
        print("deep chain", count)


sys.setrecursionlimit(10000)
for _ in range(3):
    innermost_first()
    middle_first()
    keep_frame()
    keep_entry()
    through_map()
    through_sorted()
    caller_of_replaced()
    many(6)
    deep()


# Entries after the first are built as tb_next is read: the same objects every time, from any
# thread, whoever builds them first.
import threading
import traceback


def walk_ids(tb, out):
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next


def shared_walk():
    try:
        down(200, "t")
    except KeyError as e:
        err = e
    firsts = []
    seconds = []
    t1 = threading.Thread(target=walk_ids, args=(err.__traceback__, firsts))
    t2 = threading.Thread(target=walk_ids, args=(err.__traceback__, seconds))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    same = len(firsts) == len(seconds)
    for i in range(len(firsts)):
        same = same and firsts[i] is seconds[i]
    again = []
    walk_ids(err.__traceback__, again)
    for i in range(len(again)):
        same = same and again[i] is firsts[i]
    print("shared walk", len(firsts), same, linked(firsts))


def formatted():
    try:
        down(3, "f")
    except KeyError as e:
        tb = e.__traceback__
    lines = traceback.format_tb(tb)
    print("formatted", len(lines))
    print("".join(lines).replace(__file__, "FILE"))
    print("summary", [(f.name, f.lineno) for f in traceback.extract_tb(tb)])


for _ in range(2):
    shared_walk()
    formatted()
