import sys

def straight():
    fr = sys._getframe()
    a = fr.f_lasti
    x = 1 + 2
    y = x * 3
    b = fr.f_lasti
    return isinstance(a, int), a >= 0, b > a, fr

res = straight()
print(res[:3])
print(isinstance(res[3].f_lasti, int), res[3].f_lasti >= 0)

def caller_lasti():
    f = sys._getframe(1)
    return f.f_lasti

def caller():
    first = caller_lasti()
    second = caller_lasti()
    return first < second, isinstance(first, int)

print(caller())

try:
    1 // 0
except ZeroDivisionError as e:
    tb = e.__traceback__
    print(isinstance(tb.tb_lasti, int), tb.tb_lasti >= 0, type(tb).__name__)
