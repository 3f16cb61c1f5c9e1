# A yield-from chain deeper than the recursion limit: RecursionError, never a crash; the
# generators that were running are finished afterwards.
import sys

def down(n):
    yield from down(n + 1)

sys.setrecursionlimit(200)
g = down(0)
try:
    next(g)
except RecursionError as e:
    print("RecursionError:", e)
print(g.gi_frame, g.gi_running)

def count_down(n):
    if n:
        yield from count_down(n - 1)
    yield n

print(sum(count_down(150)))
