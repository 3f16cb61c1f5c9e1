import sys
sys.setrecursionlimit(200)

def down(n):
    yield n
    yield from down(n + 1)

try:
    for x in down(0):
        pass
except RecursionError as e:
    print("RecursionError", x > 50, x < 200)

def self_ref():
    yield next(g)

g = self_ref()
try:
    next(g)
except ValueError as e:
    print("ValueError:", e)
