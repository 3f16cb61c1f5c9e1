# Global loads in compiled code check first for the value the name had when the function was
# compiled (a guard on the version of the name's bucket in its globals). Rebinding, deleting
# or shadowing the name, another thread rebinding it while calls run, and recursion through a
# rebound name must all see the current value.
import threading


def g():
    return "g1"


def f():
    return g()


K = 3


def scale(x):
    return x * K


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


def uses_len(s):
    return len(s)


print(f(), scale(2), fact(5), uses_len("abc"))
for _ in range(3):
    f()


def g():
    return "g2"


K = 10
print(f(), scale(2))
del g
try:
    f()
except NameError as e:
    print("NameError", e)
g = 42
try:
    f()
except TypeError as e:
    print("TypeError", e)
g = len
try:
    f()
except TypeError as e:
    print("TypeError", e)


def g():
    return "g3"


print(f())

saved = fact


def fact(n):
    return 0


print(saved(5), fact(5))
fact = saved
print(fact(6))


def len(s):
    return -1


print(uses_len("abc"))
del len
print(uses_len("abc"))

# Another thread rebinds `h` while this one calls through it: every call sees one of the
# functions the name was bound to, never anything else.
def h1():
    return 1


def h2():
    return 2


h = h1


def call_h():
    return h()


stop = []
seen = set()


def rebinder():
    global h
    n = 0
    while not stop:
        h = h2 if n % 2 else h1
        n += 1


t = threading.Thread(target=rebinder)
t.start()
for _ in range(20000):
    seen.add(call_h())
stop.append(1)
t.join()
print(sorted(seen) in ([1], [2], [1, 2]))
