# Global and builtin names read by compiled code stay exact when the globals change: rebinding,
# deletion, a global shadowing a builtin and going away again, writes through globals(), a
# function that rebinds its own global in a loop, and rebinding from another thread.
import sys
import threading

SCALE = 3


def scaled(n):
    return n * SCALE


def length(s):
    return len(s)


def call_helper(n):
    return helper(n)


def helper(n):
    return n + 1


def other_helper(n):
    return n - 1


def counter_loop(k):
    global COUNT
    for i in range(k):
        COUNT = COUNT + i
    return COUNT


def read_missing():
    return MISSING


results = []
for round in range(40):
    results.append(scaled(round))
    if round == 20:
        SCALE = 5
    if round == 30:
        SCALE = "ab"
print(results[:3], results[21:24], results[31:33])

print([length("abc") for _ in range(30)][-1])
def len(x):
    return -1
print(length("abc"))
del len
print(length("abcd"))
globals()["len"] = lambda x: 99
print(length("abc"))
del globals()["len"]
print(length("abcde"))

print(sum(call_helper(i) for i in range(30)))
helper = other_helper
print(call_helper(10))
def helper(n):
    return n * 100
print(call_helper(10))

COUNT = 0
for _ in range(30):
    counter_loop(50)
print(COUNT)

MISSING = "here"
print([read_missing() for _ in range(30)][-1])
del MISSING
try:
    read_missing()
except NameError as e:
    print("NameError:", e)
MISSING = "back"
print(read_missing())

stop = threading.Event()
seen = set()


def reader():
    while not stop.is_set():
        seen.add(SCALE)


t = threading.Thread(target=reader)
t.start()
for v in range(200):
    SCALE = v % 7
stop.set()
t.join()
print(sorted(x for x in seen if isinstance(x, int) and x < 7) == sorted(seen - {"ab"}))
print(scaled(2))

del helper
try:
    call_helper(1)
except NameError as e:
    print(type(e).__name__, e)
read_missing.__name__
print(sys._getframe(0).f_globals is globals())
del MISSING
read_missing()
