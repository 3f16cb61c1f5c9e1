import sys

def who(d):
    return sys._getframemodulename(d)

def two():
    return who(2)

print(who(0), who(1), two())
print(sys._getframemodulename(), sys._getframemodulename(0))
print(sys._getframemodulename(depth=1))
print(sys._getframemodulename(100), sys._getframemodulename(1))
print(sys._getframemodulename(-5))
try:
    sys._getframemodulename("x")
except TypeError as e:
    print("TypeError:", e)
try:
    sys._getframemodulename(1, 2)
except TypeError as e:
    print("TypeError:", e)

def deep(n):
    if n == 0:
        return [sys._getframemodulename(i) for i in range(4)]
    return deep(n - 1)

print(deep(2))
