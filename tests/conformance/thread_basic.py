import threading

results = []

def worker(a, b, scale=1):
    results.append((a + b) * scale)
    me = threading.current_thread()
    results.append(me.name)
    results.append(threading.get_ident() == me.ident)

t = threading.Thread(target=worker, args=(1, 2), kwargs={"scale": 10})
print(repr(t))
print(t.ident is None, t.is_alive(), t.name, t.daemon)
t.start()
print(type(t.ident) is int)
t.join()
print(t.is_alive())
print(results)
print(threading.current_thread() is threading.main_thread())
print(threading.main_thread().name, threading.current_thread().name)
print(threading.get_ident() == threading.main_thread().ident)
print(threading.get_ident() != t.ident)

# Several threads, joined in order.
out = []
def square(i):
    out.append(i * i)
ts = [threading.Thread(target=square, args=(i,)) for i in range(8)]
for x in ts:
    x.start()
for x in ts:
    x.join()
print(sorted(out))
print([x.name for x in ts])
print(len(set([x.ident for x in ts])) >= 1)
print(threading.active_count())
print(len(threading.enumerate()))

# No target: run() does nothing.
n = threading.Thread()
n.start()
n.join()
print(n.name, n.is_alive())

# run() called directly runs the target in the calling thread.
def where():
    out.append(threading.current_thread().name)
r = threading.Thread(target=where, name="direct")
r.run()
print(out[-1])
