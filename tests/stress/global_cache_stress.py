# Stress of the JIT's global-name caches: reader threads run compiled loops that read globals
# while a writer rebinds them, to freshly built lists (the old ones are freed while readers may
# hold their address: a weak upgrade must fail, never resurrect them), to small ints, and
# assigns unrelated globals (record refreshes). Every read must be a value the global had.
# Prints "ok" or the errors found. Usage: global_cache_stress.py [ITERATIONS] [READERS]
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
READERS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
A = ["x", 0]
B = 0
OTHER = 0
errors = []


def reader(k):
    bad = 0
    for i in range(N):
        v = A
        if len(v) != 2 or v[0] != "x":
            bad += 1
        b = B
        if b < 0 or b > N:
            bad += 1
    if bad:
        errors.append((k, bad))


def writer():
    global A, B, OTHER
    for i in range(N):
        A = ["x", i]
        if i % 5 == 0:
            B = i
        OTHER = i


rs = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
w = threading.Thread(target=writer)
for t in rs:
    t.start()
w.start()
for t in rs:
    t.join()
w.join()
print("ok" if not errors else errors)
