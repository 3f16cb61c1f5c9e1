import sys
import threading

running = [True]
counts = [0, 0, 0]
ready = [threading.Event(), threading.Event(), threading.Event()]

def spin(k):
    i = 0
    ready[k].set()
    while running[0]:
        i = i + 1
    counts[k] = i
    return i

def nest(k, depth):
    if depth == 0:
        return spin(k)
    return nest(k, depth - 1)

ts = [threading.Thread(target=nest, args=(k, 3 * k)) for k in range(3)]
for t in ts:
    t.start()
for e in ready:
    e.wait()
ok = True
samples = 0
for n in range(80):
    frames = sys._current_frames()
    for k in range(3):
        f = frames.get(ts[k].ident)
        if f is None:
            ok = False
            continue
        samples += 1
        if f.f_code.co_name not in ("spin", "nest"):
            ok = False
        first = f.f_code.co_firstlineno
        if not (first <= f.f_lineno <= first + 6):
            ok = False
        depth = 0
        g = f
        while g is not None and g.f_code.co_name in ("spin", "nest"):
            depth += 1
            g = g.f_back
        if f.f_code.co_name == "spin" and depth != 3 * k + 2:
            ok = False
running[0] = False
for t in ts:
    t.join()
print(ok, samples)
print([c > 0 for c in counts])
print(len(sys._current_frames()))
