# Recursive fib(30): calls and small-int arithmetic.
import time

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

fib(20)
t = time.perf_counter()
r = fib(30)
elapsed = time.perf_counter() - t
assert r == 832040
print("BENCH", elapsed)
