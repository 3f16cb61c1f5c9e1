import sys

def inner():
    me = sys._getframe()
    caller = sys._getframe(1)
    top = sys._getframe(2)
    print(me is sys._getframe(0), me is sys._getframe())
    print(caller is me.f_back, top is caller.f_back, top is me.f_back.f_back)
    print(top.f_back is None, caller.f_back.f_back is None)
    print(me.f_code.co_name, caller.f_code.co_name, top.f_code.co_name)
    return me, caller

def outer():
    pair = inner()
    again = inner()
    print(pair[0] is again[0], pair[1] is again[1])
    print(pair[1] is sys._getframe(), again[0].f_back is sys._getframe())
    return pair

mod = sys._getframe()
p = outer()
print(p[1].f_back is mod, p[0].f_back is p[1])
print(p[0].f_back.f_back is mod, mod.f_back)
print(sys._getframe(0) is sys._getframe(-1), sys._getframe(False) is mod)

def chain_names():
    names = []
    f = sys._getframe()
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    return names

def a():
    return b()

def b():
    return chain_names()

print(chain_names())
print(a())
print(type(mod).__name__, type(mod.f_code).__name__)
