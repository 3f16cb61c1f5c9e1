# Tracebacks of exceptions from compiled frames, kept and examined only much later, after the
# same functions ran again many times (new activations in the same places).
import sys

def level3(n, tag):
    local3 = tag * 3
    if n % 5 == 4:
        raise ValueError("n=%d" % n)
    return local3

def level2(n, tag):
    local2 = tag + "-2"
    r = level3(n, local2)
    return r

def level1(n):
    local1 = "t%d" % n
    return level2(n, local1)

def drive(n):
    try:
        return level1(n)
    except ValueError as e:
        return e

caught = []
for n in range(60):
    r = drive(n)
    if not isinstance(r, str):
        caught.append(r)

def describe(e):
    out = []
    tb = e.__traceback__
    prev = None
    while tb is not None:
        f = tb.tb_frame
        linked = prev is None or f.f_back is prev
        out.append((f.f_code.co_name, tb.tb_lineno, f.f_lineno, sorted(f.f_locals.items()), linked))
        prev = f
        tb = tb.tb_next
    return out

print(len(caught))
for e in caught:
    d = describe(e)
    print(str(e))
    for entry in d:
        print("   ", entry)

# Frames reached through f_back of the last entry, after everything returned.
last = caught[-1].__traceback__
while last.tb_next is not None:
    last = last.tb_next
f = last.tb_frame
names = []
while f is not None:
    names.append((f.f_code.co_name, f.f_lineno))
    f = f.f_back
print(names)

# A frame object requested while running, then the same activation's traceback entry.
seen = []

def remember_then_fail(n):
    seen.append(sys._getframe())
    x = n * 2
    if n % 3 == 2:
        raise KeyError(n)
    return x

def wrap(n):
    y = n + 1
    return remember_then_fail(n)

errors = []
for n in range(40):
    try:
        wrap(n)
    except KeyError as e:
        errors.append((n, e))
for n, e in errors[::3]:
    tb = e.__traceback__.tb_next.tb_next
    print(n, tb.tb_frame is seen[n], tb.tb_frame.f_locals["x"], tb.tb_frame.f_back.f_locals["y"], e.__traceback__.tb_next.tb_frame is seen[n].f_back)
