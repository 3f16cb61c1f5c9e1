import sys
import threading

ready = threading.Event()
release = threading.Lock()
release.acquire()

def leaf(depth, tag):
    marker = tag * 2
    ready.set()
    release.acquire()
    return marker

def climb(depth, tag):
    if depth == 0:
        return leaf(depth, tag)
    return climb(depth - 1, tag) + ""

t = threading.Thread(target=climb, args=(4, "ab"), name="climber")
t.start()
ready.wait()
frames = sys._current_frames()
f = frames[t.ident]
print(f.f_code.co_name, f.f_lineno, f.f_lineno - f.f_code.co_firstlineno)
print(sorted(f.f_locals.items()))
print(f.f_locals["marker"], f.f_locals["depth"])
chain = []
g = f
while g is not None:
    chain.append((g.f_code.co_name, g.f_lineno))
    g = g.f_back
print(chain[:6])
print(len([c for c in chain if c[0] == "climb"]))
# The same frame object again while the thread is still blocked there.
again = sys._current_frames()[t.ident]
print(again is f, f.f_back is again.f_back)
up = f.f_back
print(up.f_code.co_name, sorted(up.f_locals.items()))
release.release()
t.join()
# The frame object outlives its activation: it reports the final state.
print(f.f_code.co_name, f.f_lineno, sorted(f.f_locals.items()))
print(up.f_code.co_name, up.f_lineno)
print(t.ident in sys._current_frames(), len(sys._current_frames()))
