# Another thread observes a compiled generator while it runs: gi_frame, its f_back (the resumer
# on the running thread) and sys._current_frames() walk through the generator's frame.
import sys
import threading

started = threading.Event()
release = threading.Event()

def spinner():
    n = 0
    started.set()
    while not release.is_set():
        n += 1
    yield n > 0

def resume(g):
    return next(g)

g = spinner()
result = []
t = threading.Thread(target=lambda: result.append(resume(g)))
t.start()
started.wait()
f = g.gi_frame
print("running:", g.gi_running, f.f_code.co_name, f.f_back.f_code.co_name)
frames = sys._current_frames()
chain = []
x = frames[t.ident]
while x is not None:
    chain.append(x.f_code.co_name)
    x = x.f_back
print(chain[chain.index("spinner"):][:2])
release.set()
t.join()
print(result, g.gi_running, g.gi_suspended, f.f_back)
