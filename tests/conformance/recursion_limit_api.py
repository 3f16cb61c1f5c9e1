import sys

print(sys.getrecursionlimit())
for bad in [0, -5]:
    try:
        sys.setrecursionlimit(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    sys.setrecursionlimit("100")
except TypeError as e:
    print("TypeError:", e)
try:
    sys.setrecursionlimit(2 ** 40)
except OverflowError as e:
    print("OverflowError:", e)
print(sys.getrecursionlimit())

def at_depth(n, limit):
    if n > 0:
        return at_depth(n - 1, limit)
    try:
        sys.setrecursionlimit(limit)
        return "ok %d" % sys.getrecursionlimit()
    except RecursionError as e:
        return "RecursionError: %s" % e

print(at_depth(10, 5))
print(at_depth(10, 12))
print(at_depth(10, 13))
print(sys.getrecursionlimit())
sys.setrecursionlimit(1000)
print(sys.getrecursionlimit())
