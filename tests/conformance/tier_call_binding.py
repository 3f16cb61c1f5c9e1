# Calls from an interpreted loop into functions the JIT compiles once hot (--jit=hot: after 16
# calls): every parameter given by position takes the tier's fast path, anything else the
# general binding; errors, tracebacks and results must not depend on which.
import sys


def exact(a, b):
    return a * 10 + b


def defaults(a, b=2, c=3):
    return (a, b, c)


def fails(n):
    if n == 40:
        raise ValueError("forty")
    return n


def deep(n):
    if n == 0:
        return sys._getframe(1).f_code.co_name
    return deep(n - 1)


def loop():
    out = []
    for i in range(50):
        out.append(exact(i, 1))
        out.append(defaults(i))
        out.append(defaults(i, 5))
        out.append(defaults(i, c=7))
        out.append(exact(b=i, a=2))
        try:
            exact(i)
        except TypeError as e:
            out.append(str(e))
        try:
            exact(i, 1, 2)
        except TypeError as e:
            out.append(str(e))
        try:
            fails(i)
        except ValueError as e:
            tb = e.__traceback__
            names = []
            while tb is not None:
                names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
                tb = tb.tb_next
            out.append(names)
        out.append(deep(3))
    return out


result = loop()
print(len(result))
print(result[:9])
print(result[-9:])
print([r for r in result if isinstance(r, list)])
print(fails(40))
