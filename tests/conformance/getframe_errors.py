import sys

def depth():
    n = 0
    while True:
        try:
            sys._getframe(n)
        except ValueError as e:
            return n, str(e)
        n += 1

def a():
    return depth()

def b():
    return a()

print(depth())
print(a())
print(b())

for bad in ["1", None, [0]]:
    try:
        sys._getframe(bad)
    except TypeError as e:
        print("TypeError:", e)

try:
    sys._getframe(2 ** 70)
except OverflowError as e:
    print("OverflowError:", e)

try:
    sys._getframe(1, 2)
except TypeError as e:
    print("TypeError:", e)

try:
    sys._getframe(depth=1)
except TypeError as e:
    print("TypeError:", e)

def bools():
    return sys._getframe(-100) is sys._getframe(), sys._getframe(True).f_code.co_name

print(bools())
try:
    sys._getframe(1)
except ValueError as e:
    print("ValueError:", e)
