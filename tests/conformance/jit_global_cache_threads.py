# Compiled readers of globals while another thread rebinds them: every read is one of the values
# the global ever had (never a torn or freed one), reads of a global nobody rebinds stay exact
# while its neighbours change, and the last value written is what everyone sees once the writer
# is done.
import threading

L1 = ["one"]
L2 = ["two"]
A = L1
B = 7
STEADY = ("steady",)
N = 30000


def reader(out, k):
    bad = 0
    steady = 0
    for i in range(N):
        v = A
        if v is not L1 and v is not L2:
            bad += 1
        if STEADY is not None and STEADY[0] == "steady":
            steady += 1
        w = B
        if w != 7 and w != 8:
            bad += 1
    out[k] = (bad, steady)


def writer():
    global A, B, C
    for i in range(N):
        A = L2 if i % 2 else L1
        B = 8 if i % 3 else 7
        C = i


C = 0
out = [None, None, None]
ts = [threading.Thread(target=reader, args=(out, k)) for k in range(3)]
w = threading.Thread(target=writer)
for t in ts:
    t.start()
w.start()
for t in ts:
    t.join()
w.join()
print(out)
A = L2
B = 8


def last():
    return A[0], B, C


print([last() for _ in range(20)][-1])
