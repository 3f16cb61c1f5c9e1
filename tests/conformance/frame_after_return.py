import sys

def make(n):
    total = 0
    for i in range(n):
        total += i
    label = "n=%d" % n
    f = sys._getframe()
    total = total * 2
    return f

def caller():
    f = make(4)
    return f, sys._getframe()

f, cf = caller()
print(f.f_code.co_name, f.f_lineno)
print(sorted(f.f_locals))
print(f.f_locals["total"], f.f_locals["label"], f.f_locals["i"], f.f_locals["n"])
print(f.f_locals["f"] is f)
print(f.f_back is cf, f.f_back.f_code.co_name, cf.f_lineno)
print(cf.f_back.f_code.co_name, cf.f_back is sys._getframe())
print(sorted(cf.f_locals), cf.f_locals["f"] is f)

f.f_locals["total"] = 99
print(f.f_locals["total"], "total" in f.f_locals, len(f.f_locals))

def early(flag):
    f = sys._getframe()
    if flag:
        return f
    unused = 1
    return f

g = early(True)
print(g.f_lineno, sorted(g.f_locals))
h = early(False)
print(h.f_lineno, sorted(h.f_locals), g is h)

def grab_and_raise():
    x = "kept"
    raise KeyError(x)

try:
    grab_and_raise()
except KeyError as e:
    saved = e.__traceback__.tb_next.tb_frame
print(saved.f_code.co_name, saved.f_lineno, saved.f_locals["x"])
print(saved.f_back is sys._getframe())
