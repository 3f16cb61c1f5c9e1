# Audit hooks observe sys._getframemodulename with the depth as passed (before the stack is
# walked: also for depths past the bottom), from interpreted and compiled functions.
import sys

depths = []


def hook(event, args):
    if event == "sys._getframemodulename":
        depths.append(args)


sys.addaudithook(hook)

print(sys._getframemodulename())
print(sys._getframemodulename(0))
print(sys._getframemodulename(depth=2))
print(sys._getframemodulename(-4))
print(sys._getframemodulename(100))
print(depths)
depths.clear()


def inner(d):
    return sys._getframemodulename(d)


def outer(d):
    return inner(d)


for i in range(25):
    r = (outer(0), outer(1), outer(2), outer(3))
print(r)
print(len(depths), depths[-4:])
try:
    sys._getframemodulename("a")
except TypeError as e:
    print("TypeError:", e)
try:
    sys._getframemodulename(1, 2)
except TypeError as e:
    print("TypeError:", e)
print(depths[-1])
