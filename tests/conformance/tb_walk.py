import sys
import traceback

def level3():
    raise KeyError("deep")

def level2():
    level3()

def level1():
    level2()

try:
    level1()
except KeyError as e:
    tb = e.__traceback__
    seen = []
    t = tb
    while t is not None:
        seen.append((t.tb_frame.f_code.co_name, t.tb_lineno, isinstance(t.tb_lasti, int)))
        t = t.tb_next
    print(seen)
    print([(f.f_code.co_name, line) for f, line in traceback.walk_tb(tb)])
    print(tb.tb_frame is sys._getframe())
    print(tb.tb_next.tb_next.tb_frame.f_back is tb.tb_next.tb_frame)
    print(tb.tb_next.tb_frame.f_back is tb.tb_frame)
    print(tb.tb_lineno, tb.tb_frame.f_lineno)
    print(tb.tb_next.tb_lineno, tb.tb_next.tb_frame.f_lineno)
    print(type(tb).__name__, tb.tb_next.tb_next.tb_next.tb_next)

def walker():
    return [(f.f_code.co_name, line) for f, line in traceback.walk_stack(sys._getframe())]

def w1():
    return walker()

def w2():
    return w1()

print(w2())

def walk_none():
    out = []
    for f, line in traceback.walk_stack(None):
        out.append((f.f_code.co_name, line))
    return out

def n1():
    return walk_none()

def n2():
    return n1()

def n3():
    return n2()

def n4():
    return n3()

print(n4())
