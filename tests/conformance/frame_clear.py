import sys

def make():
    a = 1
    b = [1, 2]
    return sys._getframe()

f = make()
print(sorted(f.f_locals))
print(f.clear())
print(dict(f.f_locals), len(f.f_locals))
f.clear()
print(f.f_code.co_name)

try:
    sys._getframe().clear()
except RuntimeError as e:
    print("RuntimeError:", e)

def child_clears_parent():
    try:
        sys._getframe(1).clear()
    except RuntimeError as e:
        return "RuntimeError: %s" % e
    return "cleared"

def parent():
    x = 5
    r = child_clears_parent()
    return r, x

print(parent())

def fail():
    secret = "value"
    raise ValueError("boom")

try:
    fail()
except ValueError as e:
    tb = e.__traceback__
    fr = tb.tb_next.tb_frame
    print(sorted(fr.f_locals))
    fr.clear()
    print(sorted(fr.f_locals))
    print(tb.tb_next.tb_lineno)
    try:
        tb.tb_frame.clear()
    except RuntimeError as e2:
        print("RuntimeError:", e2)

def g():
    f2 = sys._getframe()
    f2.f_locals["x"] = 1
    return f2

h = g()
h.f_locals["y"] = 2
print(sorted(h.f_locals))
h.clear()
print(sorted(h.f_locals))
