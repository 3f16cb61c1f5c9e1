import sys

def outer(n):
    def helper(x):
        return x * 2
    def described(x):
        f = sys._getframe()
        return f.f_code.co_qualname, f.f_back.f_code.co_name, x
    results = []
    for i in range(n):
        results.append(helper(i))
    return results, described(n)

print(outer(3))

LIMIT = 2

def uses_globals_only():
    def inner(v):
        return v + LIMIT
    return inner(1)

print(uses_globals_only())

def redefine_each_call(k):
    def make():
        return "inner built"
    return make() + " " + str(k)

print(redefine_each_call(1), redefine_each_call(2))

def deep_nesting():
    def level1():
        def level2():
            def level3():
                return sys._getframe().f_code.co_qualname
            return level3()
        return level2()
    return level1()

print(deep_nesting())

def inner_raises():
    def bad(v):
        return {}[v]
    return bad("missing")

try:
    inner_raises()
except KeyError as e:
    tb = e.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    print(tb.tb_frame.f_code.co_qualname, repr(e))

def inner_with_default():
    def f(a, b=10):
        return a + b
    return f(1), f(1, 2), f(b=3, a=4)

print(inner_with_default())

def recursive_inner(n):
    def fact(k):
        if k <= 1:
            return 1
        return k * fact_global(k - 1)
    return fact(n)

def fact_global(k):
    if k <= 1:
        return 1
    return k * fact_global(k - 1)

print(recursive_inner(20))
