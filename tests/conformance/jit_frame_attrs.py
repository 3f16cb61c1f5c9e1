# Plain attributes of frames of compiled functions: code object fields, builtins, module
# names, tracing flags, qualified names of nested functions.
import sys

def attrs(k):
    f = sys._getframe(k)
    c = f.f_code
    return (type(f).__name__, c.co_name, c.co_qualname, c.co_firstlineno, c.co_argcount,
            c.co_varnames, c.co_filename == __file__, f.f_globals["__name__"],
            f.f_builtins is sys._getframe().f_builtins, f.f_builtins["len"] is len,
            sys._getframemodulename(k))

def user(a, b=1):
    local = a + b
    return attrs(1), attrs(0)

res = []
for i in range(25):
    res.append(user(i))
print(res[0][0])
print(res[0][1])
print(res.count(res[0]))

def make_nested():
    def nested(x):
        y = x * 2
        return attrs(1)
    return nested

inner = make_nested()
res = []
for i in range(25):
    res.append(inner(i))
print(res[0], res.count(res[0]))
