# f_lineno of a compiled caller at many kinds of call sites (conditions, loop headers,
# short-circuit operators, multi-line expressions), read by the callee through f_back.
import sys

def line(v=True):
    lines.append(sys._getframe(1).f_lineno)
    return v

lines = []

def sites(n):
    if line():
        pass
    while line(n > 0):
        n -= 1
    for i in range(line(2)):
        line()
    x = line(1) and line(0) and line(2)
    y = line(0) or line(
        3)
    z = (1 if line(True)
         else 2)
    w = 0 < line(5) < line(10)
    t = [line(1),
         line(2),
         line(3)]
    u = line(1) + \
        line(2)
    if not line(False):
        line()
    elif line():
        pass
    else:
        pass
    r = line(
        line(
            line(7)
        )
    )
    return line(r)

results = []
for rep in range(25):
    lines.clear()
    sites(2)
    results.append(list(lines))
print(results[0])
for rep in range(25):
    if results[rep] != results[0]:
        print("rep", rep, results[rep])

# f_lineno of the frame itself read through a held reference at several points.
def self_lines(k):
    f = sys._getframe()
    out = [f.f_lineno]
    for i in range(k):
        out.append(f.f_lineno)
    out.append(f.f_lineno); out.append(f.f_lineno)
    while k > 0:
        k -= 1
        out.append(f.f_lineno)
    out.append(
        f.f_lineno
    )
    return out

res = []
for rep in range(25):
    res.append(self_lines(2))
print(res[0], res.count(res[0]))

# Lines of a frame whose function ended through each kind of exit.
def exits(k):
    f = sys._getframe()
    held.append(f)
    if k == 0:
        return 0
    if k == 1:
        for i in range(3):
            if i == 1:
                return i
    if k == 2:
        raise KeyError(k)
    n = 0
    while True:
        n += 1
        if n > 2:
            break
    return n

held = []
for rep in range(20):
    for k in range(4):
        try:
            exits(k)
        except KeyError:
            pass
print([f.f_lineno for f in held[:4]], [f.f_lineno for f in held[-4:]])
