# Exceptions raised deep in compiled recursion, caught at various levels; the traceback walked.
import sys

def descend(n, fail_at):
    here = n * 2
    if n == fail_at:
        raise KeyError("at %d" % n)
    return descend(n + 1, fail_at) + 1

def catch_at(level, fail_at):
    # Recurse down to `level` with a catching wrapper there.
    if level > 0:
        return catch_at(level - 1, fail_at)
    try:
        return descend(0, fail_at)
    except KeyError as e:
        return e

def describe(e):
    out = []
    tb = e.__traceback__
    while tb is not None:
        f = tb.tb_frame
        back = f.f_back
        bname = None
        if back is not None:
            bname = back.f_code.co_name
        out.append((tb.tb_lineno, f.f_code.co_name, sorted(f.f_locals.items()), bname))
        tb = tb.tb_next
    return out

for rep in range(25):
    e = catch_at(3, 6)
    if rep in (0, 15, 16, 24):
        print(rep, repr(e))
        for entry in describe(e):
            print("   ", entry)

# Depth of the traceback and the frame chain at the raise point.
def chain_len(f):
    n = 0
    while f is not None:
        n += 1
        f = f.f_back
    return n

def raise_deep(n):
    if n == 0:
        raise ValueError("bottom")
    raise_deep(n - 1)

lens = []
for depth in range(0, 40, 3):
    try:
        raise_deep(depth)
    except ValueError as e:
        tb = e.__traceback__
        count = 0
        last = None
        while tb is not None:
            count += 1
            last = tb
            tb = tb.tb_next
        lens.append((depth, count, last.tb_lineno, last.tb_frame.f_locals["n"], chain_len(last.tb_frame)))
print(lens)

# Catch in the middle of the recursion and re-raise a different exception.
def convert(n, at):
    if n == at:
        try:
            raise_deep(3)
        except ValueError as e:
            raise RuntimeError("converted at %d" % n) from e
    return convert(n + 1, at)

for rep in range(20):
    try:
        convert(0, 5)
    except RuntimeError as e:
        if rep in (0, 19):
            t = e.__traceback__
            names = []
            while t is not None:
                names.append((t.tb_frame.f_code.co_name, t.tb_lineno, t.tb_frame.f_locals.get("n")))
                t = t.tb_next
            print(rep, e, names)
            c = e.__cause__.__traceback__
            names = []
            while c is not None:
                names.append((c.tb_frame.f_code.co_name, c.tb_lineno, c.tb_frame.f_locals.get("n")))
                c = c.tb_next
            print("   cause:", names)
            print("   same frame:", e.__traceback__.tb_next.tb_next.tb_next.tb_next.tb_next.tb_next.tb_frame is e.__cause__.__traceback__.tb_frame)

# tb_frame of an entry against f_back of the deeper entry's frame.
def linked(n):
    if n == 0:
        raise IndexError("deep")
    return linked(n - 1)

checks = []
for rep in range(20):
    try:
        linked(6)
    except IndexError as e:
        tb = e.__traceback__.tb_next
        ok = True
        while tb.tb_next is not None:
            if tb.tb_next.tb_frame.f_back is not tb.tb_frame:
                ok = False
            tb = tb.tb_next
        checks.append((ok, tb.tb_frame.f_lineno, tb.tb_lineno, tb.tb_frame.f_back.f_lineno))
print(checks[0], checks.count(checks[0]))
