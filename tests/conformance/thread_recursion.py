import sys
import threading

out = [None, None, None]

def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1

def deep(k):
    got = []
    try:
        down(100000)
    except RecursionError as e:
        got.append(("RecursionError", str(e)))
    got.append(down(500))
    out[k] = got

ts = [threading.Thread(target=deep, args=(k,)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(out)

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

res = [None] * 4
def compute(k):
    res[k] = fib(18 + k)
ws = [threading.Thread(target=compute, args=(k,)) for k in range(4)]
for w in ws:
    w.start()
for w in ws:
    w.join()
print(res)
