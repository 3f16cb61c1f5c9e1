import sys

print(sys.getrecursionlimit())
sys.setrecursionlimit(100)
print(sys.getrecursionlimit())

reached = 0

def dive(n):
    global reached
    reached = n
    dive(n + 1)

try:
    dive(1)
except RecursionError as e:
    print("caught at", reached, "-", e)

reached = 0
try:
    dive(1)
except RecursionError as e:
    print("again at", reached)

def from_depth(k):
    global reached
    if k > 0:
        return from_depth(k - 1)
    reached = 0
    try:
        dive(1)
    except RecursionError:
        return reached

print("from depth 10:", from_depth(10))

def count_frames():
    n = 0
    f = sys._getframe()
    while f is not None:
        n += 1
        f = f.f_back
    return n

def deepest(n):
    try:
        return deepest(n + 1)
    except RecursionError:
        return n, count_frames()

print(deepest(1))
sys.setrecursionlimit(200)
reached = 0
try:
    dive(1)
except RecursionError:
    print("limit 200:", reached)
