import sys

sys.setrecursionlimit(100)

def zig(n):
    if n % 2 == 0:
        return zig(n + 1)
    return zig(n + 1)

zig(0)
