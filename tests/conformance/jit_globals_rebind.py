# Compiled code must see global rebinding: callees replaced, globals changed or deleted,
# builtins shadowed and unshadowed; frames of the replaced functions still answer correctly.
import sys

def callee(x):
    return x + 1

def caller(x):
    return callee(x) * 10

res = []
for i in range(30):
    res.append(caller(i))
print(res[:3], res[-1])

def callee(x):
    return x - 1

print(caller(5))

def other(x):
    return sys._getframe(1).f_code.co_name + ":" + sys._getframe().f_code.co_name + ":" + str(x)

callee = other
print(caller(7) if False else callee(7), caller.__name__)
try:
    print(caller(7))
except TypeError as e:
    print("TypeError:", e)

def callee(x):
    f = sys._getframe()
    return f.f_code.co_name, f.f_lineno, f.f_back.f_code.co_name, f.f_back.f_lineno

def caller2(x):
    return callee(x)

res = []
for i in range(25):
    res.append(caller2(i))
print(res[0], res.count(res[0]))

# Global values read by a hot function change between calls.
SCALE = 3

def scaled(v):
    return v * SCALE

res = []
for i in range(40):
    if i == 20:
        SCALE = "ab"
    if i == 30:
        SCALE = 2 ** 70
    res.append(scaled(2))
print(res[19], res[20], res[30], res[39])

del SCALE
try:
    scaled(1)
except NameError as e:
    print("NameError:", e)

# Shadowing a builtin with a global, then removing the global again.
def measure(s):
    return len(s)

res = []
for i in range(40):
    if i == 15:
        def len(x):
            return -1
    if i == 25:
        del len
    res.append(measure("abc"))
print(res[14], res[15], res[24], res[25], res[39])

# A hot function whose global is written by another hot function.
counter = 0

def bump(k):
    global counter
    counter = counter + k
    return counter

def bumper(n):
    i = 0
    while i < n:
        bump(i)
        i += 1
    return counter

print(bumper(30), bumper(30), counter)

# globals() seen from frames of compiled functions
def g_view():
    f = sys._getframe()
    return f.f_globals["counter"], "g_view" in f.f_globals, f.f_globals is sys._getframe(1).f_globals

res = []
for i in range(20):
    counter = i
    res.append(g_view())
print(res[0], res[19])

# A function that calls itself by a global name which is rebound midway through recursion.
def rec(n):
    if n == 0:
        return "end"
    if n == 3:
        global rec_target
    return rec_target(n - 1)

def alt(n):
    return "alt at %d (caller %s)" % (n, sys._getframe(1).f_code.co_name)

rec_target = rec
for i in range(20):
    rec(5)
print(rec(5))
rec_target = alt
print(rec(5))

# Mutable default argument shared across compiled calls.
def append_default(v, acc=[]):
    acc.append(v)
    return len(acc)

res = []
for i in range(25):
    res.append(append_default(i))
print(res[-1], append_default.__defaults__[0][:5], append_default(0, []))
