import sys

counter = 0

def bump():
    global counter
    counter += 1
    g = sys._getframe().f_globals
    return g is globals(), g["counter"]

print(bump(), bump())
print(sys._getframe().f_globals is globals())

def setter():
    sys._getframe(1).f_globals["fresh"] = 42

setter()
print(fresh)

def reader():
    return sys._getframe().f_globals["fresh"] + 1

print(reader())
print(sys._getframe().f_locals is globals())
print(sys._getframe().f_globals["__name__"], __name__)
print(globals()["counter"], "bump" in globals(), "nothere" in globals())
globals()["via_globals"] = "yes"
print(via_globals)

def nested_globals():
    def inner():
        return sys._getframe().f_globals is sys._getframe(1).f_globals
    return inner()

print(nested_globals())
