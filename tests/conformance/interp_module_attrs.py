# Module attributes read through the code's name caches (LoadAttr, LoadMethod): rebinding,
# deleting and adding module members, the same name as a global and as an attribute, dunder
# names, and another thread rebinding a member while calls read it.
import sys
import threading
import time

sys.knob = 2


def knob_twice():
    return sys.knob * 2


def call_knob():
    return sys.knob()


def frame_name():
    return sys._getframe(0).f_code.co_name


def get(mod, name):
    return getattr(mod, name, "missing")


for _ in range(3):
    print(knob_twice(), frame_name(), type(time.perf_counter()).__name__)
sys.knob = 3
print(knob_twice())
sys.knob = len
try:
    call_knob()
except TypeError as e:
    print("TypeError", e)
sys.knob = lambda: "called"
print(call_knob())
delattr(sys, "knob")
for f in (knob_twice, call_knob):
    try:
        f()
    except AttributeError as e:
        print("AttributeError", e)
sys.knob = 5
print(knob_twice(), sys.__name__, time.__name__)


def knob():
    return "global"


def same_name():
    return knob(), sys.knob


print(same_name(), get(sys, "knob"), get(sys, "nothing"))

stop = []


def rebinder():
    n = 0
    while not stop:
        sys.knob = n % 2
        n += 1


t = threading.Thread(target=rebinder)
t.start()
seen = set()
for _ in range(20000):
    seen.add(knob_twice())
stop.append(1)
t.join()
print(seen <= {0, 2, 10})
