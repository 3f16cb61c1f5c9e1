# frame.clear() on generator frames: suspended, running (from inside), finished.
import sys

def g():
    x = 1
    try:
        sys._getframe(0).clear()
    except RuntimeError as e:
        print("inside:", e)
    yield x
    x = 2
    yield x

gen = g()
print(next(gen))
f = gen.gi_frame
try:
    f.clear()
except RuntimeError as e:
    print("suspended:", e)
print(next(gen), f.f_locals)
for _ in gen:
    pass
f.clear()
print("finished:", f.f_locals, gen.gi_frame)
