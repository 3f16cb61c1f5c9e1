import sys

def outer():
    def inner():
        def innermost():
            return sys._getframe().f_code
        return innermost(), sys._getframe().f_code
    pair = inner()
    return pair[0], pair[1], sys._getframe().f_code

def plain(a, b=2):
    c = a + b
    return sys._getframe().f_code

c3, c2, c1 = outer()
for code in [c1, c2, c3]:
    print(code.co_name, code.co_qualname, code.co_firstlineno)
pc = plain(1)
print(pc.co_name, pc.co_qualname, pc.co_firstlineno)
print(pc.co_filename)
mc = sys._getframe().f_code
print(mc.co_name, mc.co_qualname, mc.co_firstlineno)
print(mc.co_filename == pc.co_filename, mc.co_filename == __file__)
print(pc is plain(5))
print(c3 is outer()[0])

def later_line(
        x,
        y):
    return sys._getframe().f_code.co_firstlineno

print(later_line(1, 2))
