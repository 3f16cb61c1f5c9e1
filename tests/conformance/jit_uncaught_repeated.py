# An uncaught exception through a deep compiled recursion: CPython's traceback collapses the
# repeated entries ("[Previous line repeated N more times]") and the exit status is 1.
import sys

def countdown(n, acc):
    if n == 0:
        return acc["key"]
    return countdown(n - 1, acc) + 1

# Warm up so that --jit=hot compiles countdown.
total = 0
for i in range(30):
    total += countdown(i, {"key": i})
print(total)

def middle(n):
    r = countdown(n, {"other": 1})
    return r

def outer(n):
    x = middle(n)
    return x

print("about to fail", flush=True)
outer(60)
print("not reached")
