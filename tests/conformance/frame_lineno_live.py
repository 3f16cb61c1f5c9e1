import sys

held = []

def probe():
    f = sys._getframe(1)
    held.append(f)
    return f.f_lineno

def worker():
    lines = []
    lines.append(probe())
    x = 1
    lines.append(held[0].f_lineno)
    x = x + 1
    lines.append(held[0].f_lineno)
    for i in range(2):
        lines.append(held[0].f_lineno)
    lines.append(
        probe()
    )
    return lines

print(worker())
print(held[0] is held[1], len(held))
print(held[0].f_lineno)

def watcher(frame, out):
    out.append(frame.f_lineno)

def looper():
    me = sys._getframe()
    out = []
    i = 0
    while i < 3:
        watcher(me, out)
        i += 1
    watcher(me, out)
    if i == 3:
        watcher(me,
                out)
    return out

print(looper())

def self_lines():
    f = sys._getframe()
    a = f.f_lineno
    b = f.f_lineno
    c = [f.f_lineno,
         f.f_lineno]
    return a, b, c

print(self_lines())
print(sys._getframe().f_lineno)
