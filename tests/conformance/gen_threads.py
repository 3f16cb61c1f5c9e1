import sys
import threading

def counter():
    total = 0
    while True:
        got = yield (total, sys._getframe(1).f_code.co_name)
        if got is None:
            break
        total += got

g = counter()
print(next(g))
frame = g.gi_frame

def resume_in_thread(values, out):
    for v in values:
        out.append(g.send(v))

out = []
t = threading.Thread(target=resume_in_thread, args=([1, 2, 3], out))
t.start()
t.join()
print(out)
print(frame.f_locals["total"], frame.f_back, g.gi_running)
print(g.send(10))
try:
    g.send(None)
except StopIteration:
    print("finished", g.gi_frame, frame.f_locals["total"])

def producer(n):
    for i in range(n):
        yield i * i

results = []
def consume(gen):
    results.append(sum(gen))

threads = [threading.Thread(target=consume, args=(producer(100 * (k + 1)),)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(results))
