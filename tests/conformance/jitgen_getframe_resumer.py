# Inside a running generator, sys._getframe(1) is whoever resumed it, and the f_back chain runs
# through the resumer's callers.
import sys

def chain():
    f = sys._getframe(0)
    names = []
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    return names

def gen():
    while True:
        yield sys._getframe(1).f_code.co_name, chain()

def alpha(g):
    return next(g)

def beta(g):
    return g.send(None)

def gamma(g):
    for x in g:
        return x

g = gen()
print(alpha(g))
print(beta(g))
print(gamma(g))
print(next(g))

def nested(depth, g):
    if depth == 0:
        return next(g)
    return nested(depth - 1, g)

print(nested(5, g))
