# Audit hooks see sys._getframe with the very frame object it returns, in interpreted and
# JIT-compiled functions (called often enough to get hot), and only for calls that succeed.
import sys

seen = []


def hook(event, args):
    if event.startswith("sys._getframe"):
        seen.append((event, args))


sys.addaudithook(hook)


def leaf(depth):
    f = sys._getframe(depth)
    event, args = seen[-1]
    return event, type(args).__name__, len(args), args[0] is f, f.f_code.co_name


def middle(depth):
    return leaf(depth)


def outer(depth):
    return middle(depth)


for i in range(40):
    r0 = outer(0)
    r1 = outer(1)
    r2 = outer(2)
print(r0)
print(r1)
print(r2)

before = len(seen)
f = sys._getframe()
print(seen[-1][1][0] is f, f.f_code.co_name, len(seen) - before)
f = sys._getframe(-3)
print(seen[-1][1][0] is f, f.f_code.co_name)

# A failing call raises no event.
before = len(seen)
try:
    outer(50)
except ValueError as e:
    print("ValueError:", e, len(seen) - before)


def frames_seen():
    a = sys._getframe()
    b = sys._getframe()
    return a is b, seen[-1][1][0] is seen[-2][1][0]


for i in range(20):
    r = frames_seen()
print(r)
print(len(seen))
